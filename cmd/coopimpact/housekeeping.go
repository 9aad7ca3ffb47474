package main

import (
	"context"
	"log/slog"
	"time"
)

// chore is one periodic clean-up the server does on its own.
type chore struct {
	name string
	run  func(context.Context) (int64, error) // how many things it removed
}

// housekeeping runs every chore once at start, then every interval, until
// ctx ends: expired sessions leave the database and archived uploads past
// their retention leave object storage without anyone having to remember a
// cron job. A failing chore is logged and retried at the next round.
func housekeeping(ctx context.Context, log *slog.Logger, every time.Duration, chores ...chore) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, c := range chores {
			n, err := c.run(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				log.Error("housekeeping", "chore", c.name, "err", err)
			case n > 0:
				log.Info("housekeeping", "chore", c.name, "removed", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
