package auth

import (
	"sync"
	"time"
)

// limiter counts failed sign-ins per account (normalised e-mail, whether or
// not the account exists) and per IP in a sliding window, in memory: a
// restart forgets, which is acceptable for a limiter whose window is a minute.
//
// An attempt is counted as a failure when it starts (begin) and taken back if
// it succeeds, so concurrent guesses cannot all slip through before the first
// failure is recorded. Refused attempts are not counted, so the block ends one
// window after the last real failure, however often a refused client retries.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time // oldest first; never more than max within the window
	swept  time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func accountKey(email string) string { return "account:" + normEmail(email) }
func ipKey(ip string) string         { return "ip:" + ip }

// recent drops the failures that left the window.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	cut := now.Add(-l.window)
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}

// attempt is one sign-in in progress, counted as failed until it succeeds.
type attempt struct {
	l           *limiter
	account, ip string
	at          time.Time
}

// begin refuses (with the wait until a new attempt may pass) when the account
// or the IP already has max failures in the window; otherwise it counts this
// attempt as a failure in advance.
func (l *limiter) begin(now time.Time, email, ip string) (*attempt, time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.window {
		for k := range l.fails {
			l.recent(k, now)
		}
		l.swept = now
	}
	a := &attempt{l: l, account: accountKey(email), at: now}
	keys := []string{a.account}
	if ip != "" {
		a.ip = ipKey(ip)
		keys = append(keys, a.ip)
	}
	var wait time.Duration
	for _, k := range keys {
		if ts := l.recent(k, now); len(ts) >= l.max {
			if w := ts[len(ts)-l.max].Add(l.window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	if wait > 0 {
		return nil, wait, false
	}
	for _, k := range keys {
		l.fails[k] = append(l.fails[k], now)
	}
	return a, 0, true
}

// succeeded clears the account's failures (its owner knows the password) but
// only takes back this attempt from the IP's, so a client cannot reset its
// IP's count by signing in to an account of its own between guesses.
func (a *attempt) succeeded() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	delete(a.l.fails, a.account)
	a.l.takeBack(a.ip, a.at)
}

// abandoned takes the attempt back entirely: it failed for an internal
// reason (a cancelled request), not a wrong password.
func (a *attempt) abandoned() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	a.l.takeBack(a.account, a.at)
	a.l.takeBack(a.ip, a.at)
}

// clearAccount forgets an account's failures (its password was just reset).
func (l *limiter) clearAccount(email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, accountKey(email))
}

func (l *limiter) takeBack(key string, at time.Time) {
	if key == "" {
		return
	}
	ts := l.fails[key]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(at) {
			l.fails[key] = append(ts[:i:i], ts[i+1:]...)
			if len(l.fails[key]) == 0 {
				delete(l.fails, key)
			}
			return
		}
	}
}

// rateLimited is ErrTooManyAttempts with the wait rounded up to whole seconds.
func rateLimited(wait time.Duration) *Error {
	e := *ErrTooManyAttempts
	e.RetryAfter = (wait + time.Second - 1).Truncate(time.Second)
	return &e
}
