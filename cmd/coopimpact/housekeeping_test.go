package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHousekeepingRunsAtStartThenEveryInterval(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&syncWriter{w: &buf, mu: &mu}, nil))
	ctx, cancel := context.WithCancel(context.Background())
	calls := map[string]int{}
	rounds := make(chan struct{}, 10)
	count := func(name string, n int64, err error) chore {
		return chore{name, func(context.Context) (int64, error) {
			mu.Lock()
			calls[name]++
			mu.Unlock()
			if name == "b" {
				rounds <- struct{}{}
			}
			return n, err
		}}
	}
	done := make(chan struct{})
	go func() {
		housekeeping(ctx, log, 10*time.Millisecond, count("a", 3, nil), count("b", 0, errors.New("disk full")))
		close(done)
	}()
	for i := 0; i < 3; i++ {
		select {
		case <-rounds:
		case <-time.After(10 * time.Second):
			t.Fatal("housekeeping did not run its chores again")
		}
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if calls["a"] < 3 || calls["a"] != calls["b"] && calls["a"] != calls["b"]+1 {
		t.Errorf("calls = %v, want every chore at least 3 times, in rounds", calls)
	}
	out := buf.String()
	for _, want := range []string{"chore=a removed=3", `chore=b err="disk full"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "chore=b removed") {
		t.Errorf("a chore that removed nothing logged a removal:\n%s", out)
	}
}

func TestHousekeepingStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := 0
	housekeeping(ctx, slog.New(slog.DiscardHandler), time.Hour, chore{"x", func(context.Context) (int64, error) { ran++; return 0, nil }})
	if ran > 1 {
		t.Errorf("ran %d times after cancel, want at most the start round", ran)
	}
}

type syncWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
