package auth

import (
	"errors"
	"fmt"
	"time"
)

// The kinds of refusal. The portal maps each kind to one status code in one
// place; every error this package returns for a refusal is an *Error whose
// Kind is one of these, so errors.Is(err, ErrNotFound) works on all of them.
var (
	ErrNotFound        = errors.New("not found")       // nonexistent, or outside the caller's scope (same answer)
	ErrForbidden       = errors.New("forbidden")       // visible to the caller but not theirs to change
	ErrInvalid         = errors.New("invalid input")   // the caller can fix the input
	ErrUnauthenticated = errors.New("unauthenticated") // no valid credentials, session or token
	ErrRateLimited     = errors.New("rate limited")    // too many failed sign-ins; try later
)

// Error is a refusal with words for the user, Italian first.
//
// errors.Is(err, ErrInvalid) matches its Kind; errors.Is(err, ErrPasswordTooShort)
// matches its Code, so callers can test for one precise rule.
type Error struct {
	Kind       error
	Code       string        // stable machine name, e.g. "password_too_short"
	Field      string        // the input at fault, when there is one ("email", "password", …)
	It, En     string        // one sentence each
	RetryAfter time.Duration // ErrRateLimited only: when a new attempt may succeed
}

func (e *Error) Error() string { return e.En }
func (e *Error) Unwrap() error { return e.Kind }

// Is matches another *Error by Code, so the package's template errors work with errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code != "" && t.Code == e.Code
}

// Message is the sentence in lang ("en" for English, anything else Italian).
func (e *Error) Message(lang string) string {
	if lang == "en" {
		return e.En
	}
	return e.It
}

// Message returns err's sentence in lang when it is an *Error, else a generic one
// (internal failures are not described to users).
func Message(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message(lang)
	}
	if lang == "en" {
		return "Something went wrong; please try again later."
	}
	return "Si è verificato un errore; riprova più tardi."
}

func newErr(kind error, code, field, it, en string) *Error {
	return &Error{Kind: kind, Code: code, Field: field, It: it, En: en}
}

func invalid(code, field, it, en string) *Error { return newErr(ErrInvalid, code, field, it, en) }

// Refusals a caller may want to test for precisely. They are templates:
// returned errors carry the same Code (and may carry more detail).
var (
	errNotFound = newErr(ErrNotFound, "not_found", "",
		"Elemento non trovato.", "Not found.")
	errForbidden = newErr(ErrForbidden, "forbidden", "",
		"Non hai i permessi per questa operazione.", "You are not allowed to do this.")
	errNeedLogin = newErr(ErrUnauthenticated, "login_required", "",
		"Devi accedere per continuare.", "Please sign in to continue.")

	// ErrLoginFailed is the one answer to a wrong password, an unknown e-mail
	// and a disabled account alike, so the reply never tells which.
	ErrLoginFailed = newErr(ErrUnauthenticated, "login_failed", "",
		"E-mail o password non corretti.", "Wrong e-mail or password.")
	// ErrSessionInvalid: the session is unknown, expired, idle too long, or its user is disabled.
	ErrSessionInvalid = newErr(ErrUnauthenticated, "session_invalid", "",
		"La sessione è scaduta: accedi di nuovo.", "Your session has expired: please sign in again.")
	// ErrTokenInvalid: the API token is unknown, revoked, or its user is disabled.
	ErrTokenInvalid = newErr(ErrUnauthenticated, "token_invalid", "",
		"Il token di accesso non è valido o è stato revocato.", "The access token is invalid or has been revoked.")
	// ErrTooManyAttempts is returned before any password is checked.
	ErrTooManyAttempts = newErr(ErrRateLimited, "too_many_attempts", "",
		"Troppi tentativi di accesso non riusciti: riprova fra un minuto.",
		"Too many failed sign-in attempts: try again in a minute.")

	ErrPasswordTooShort = invalid("password_too_short", "password",
		fmt.Sprintf("La password deve avere almeno %d caratteri.", MinPasswordLen),
		fmt.Sprintf("The password must be at least %d characters long.", MinPasswordLen))
	ErrPasswordTooLong = invalid("password_too_long", "password",
		fmt.Sprintf("La password può avere al massimo %d caratteri.", MaxPasswordLen),
		fmt.Sprintf("The password can be at most %d characters long.", MaxPasswordLen))
	ErrPasswordCommon = invalid("password_common", "password",
		"Questa password è tra le più usate e si indovina facilmente: scegline un'altra.",
		"This password is among the most common ones and is easy to guess: choose another.")
	ErrPasswordPredictable = invalid("password_predictable", "password",
		"La password è una sequenza o una ripetizione (come «aaaa…» o «1234…»): scegline una meno prevedibile.",
		"The password is a sequence or a repetition (like \"aaaa…\" or \"1234…\"): choose a less predictable one.")
	ErrPasswordContainsEmail = invalid("password_contains_email", "password",
		"La password non può contenere il nome dell'indirizzo e-mail.",
		"The password cannot contain the name part of the e-mail address.")
	ErrWrongPassword = invalid("wrong_password", "old_password",
		"La password attuale non è corretta.", "The current password is not correct.")

	ErrEmailInvalid = invalid("email_invalid", "email",
		"L'indirizzo e-mail non è valido.", "The e-mail address is not valid.")
	ErrEmailTaken = invalid("email_taken", "email",
		"Esiste già un account con questo indirizzo e-mail.", "An account with this e-mail address already exists.")
	ErrNameTooLong = invalid("name_too_long", "name",
		fmt.Sprintf("Il nome può avere al massimo %d caratteri.", maxNameLen),
		fmt.Sprintf("The name can be at most %d characters long.", maxNameLen))
	ErrRoleInvalid = invalid("role_invalid", "role",
		"Ruolo sconosciuto: usare hub_admin, hub_analyst, coop_admin, board o staff.",
		"Unknown role: use hub_admin, hub_analyst, coop_admin, board or staff.")
	ErrCoopRequired = invalid("coop_required", "coop_id",
		"Per questo ruolo indicare la cooperativa.", "This role needs a cooperative.")
	ErrCoopNotAllowed = invalid("coop_not_allowed", "coop_id",
		"Gli utenti dell'hub non appartengono a una cooperativa: non indicarla.",
		"Hub users do not belong to a cooperative: leave it empty.")
	ErrCoopUnknown = invalid("coop_unknown", "coop_id",
		"La cooperativa indicata non è in anagrafica.", "The cooperative is not in the registry.")
	ErrLangInvalid = invalid("lang_invalid", "lang",
		"Lingua non supportata: usare it o en.", "Unsupported language: use it or en.")
	ErrResetLinkInvalid = invalid("reset_link_invalid", "token",
		"Il link per reimpostare la password non è valido, è già stato usato o è scaduto: chiedine uno nuovo.",
		"The password reset link is invalid, already used or expired: ask for a new one.")
	ErrUserDisabled = invalid("user_disabled", "",
		"L'account è disattivato.", "The account is disabled.")
	ErrTokenNameInvalid = invalid("token_name_invalid", "name",
		"Dare al token un nome di 1-100 caratteri.", "Give the token a name of 1-100 characters.")
	ErrSelfDisable = newErr(ErrForbidden, "self_disable", "",
		"Non puoi disattivare il tuo stesso account.", "You cannot disable your own account.")
	ErrImportRejected = invalid("import_rejected", "",
		"Nessun account importato: correggere le righe segnalate e ripetere l'importazione.",
		"No account imported: fix the rows listed and import again.")
)
