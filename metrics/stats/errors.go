package stats

import "fmt"

// Text is a message shown to users, Italian first.
type Text struct {
	It string `json:"it"`
	En string `json:"en"`
}

// Kind classifies input errors; each Kind is also a sentinel usable with
// errors.Is (errors.Is(err, stats.ErrNonFinite)).
type Kind string

// Error kinds.
const (
	ErrEmpty         Kind = "empty"          // no values where at least one is needed
	ErrNonFinite     Kind = "non_finite"     // NaN or ±Inf among the values
	ErrDuplicateCoop Kind = "duplicate_coop" // the same cooperative twice in one input
	ErrDirection     Kind = "direction"      // direction not up/down/band/law
	ErrYears         Kind = "years"          // latest year not after the baseline year
)

func (k Kind) Error() string { return "stats: " + string(k) }

// Error is the one error type the package returns. It and En are full
// sentences; CoopID names the cooperative concerned, if any.
type Error struct {
	Kind   Kind
	CoopID string
	It     string
	En     string
}

// Error returns the English sentence.
func (e *Error) Error() string { return e.En }

// Is makes errors.Is(err, ErrXxx) work on the Kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// Message returns the bilingual text.
func (e *Error) Message() Text { return Text{It: e.It, En: e.En} }

func errorf(kind Kind, coop, it, en string, args ...any) *Error {
	return &Error{Kind: kind, CoopID: coop, It: fmt.Sprintf(it, args...), En: fmt.Sprintf(en, args...)}
}

// Reason says why a statistic is suppressed.
type Reason string

// Suppression reasons.
const (
	ReasonNone          Reason = ""
	ReasonBelowK        Reason = "below_k"       // the group itself has fewer than k cooperatives
	ReasonComplementary Reason = "complementary" // hidden so that a total cannot reveal a small group by subtraction
)

// Message explains the reason to users; k is the threshold in force.
func (r Reason) Message(k int) Text {
	switch r {
	case ReasonBelowK:
		return Text{
			It: fmt.Sprintf("Dato non mostrato: meno di %d cooperative nel gruppo.", k),
			En: fmt.Sprintf("Not shown: fewer than %d cooperatives in the group.", k),
		}
	case ReasonComplementary:
		return Text{
			It: "Dato non mostrato: altrimenti si potrebbe ricavare per differenza il dato di un gruppo troppo piccolo.",
			En: "Not shown: otherwise the figure of a group that is too small could be worked out by subtraction.",
		}
	}
	return Text{}
}
