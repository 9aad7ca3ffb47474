package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"coopimpact/internal/auth"
	"coopimpact/internal/config"
)

const usersSummary = `Manage portal accounts. The command acts with the hub administrator's rights.

  coopimpact users add --email E --role ROLE [--coop ID] [--name N] [--lang it|en] --password-stdin
  coopimpact users add --email E --role ROLE [--coop ID] --generate-password   (prints it once)
  coopimpact users list [--coop ID] [--role ROLE] [--json]
  coopimpact users disable --email E     (its sessions end, its API tokens are revoked)
  coopimpact users enable --email E
  coopimpact users reset-password --email E [--base-url URL]   (prints a one-time link, valid 24 h)

Roles: hub_admin, hub_analyst (no --coop); coop_admin, board, staff (--coop required).
Passwords: at least 12 characters, not a common one, not containing the e-mail's name.
Exit status: 0 done, 2 bad input or failure.`

// usersStdin is where --password-stdin reads; tests replace it.
var usersStdin io.Reader = os.Stdin

func runUsers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runUsersAdd(ctx, args[1:], stdout, stderr)
		case "list":
			return runUsersList(ctx, args[1:], stdout, stderr)
		case "disable":
			return runUsersSwitch(ctx, args[1:], false, stdout, stderr)
		case "enable":
			return runUsersSwitch(ctx, args[1:], true, stdout, stderr)
		case "reset-password":
			return runUsersReset(ctx, args[1:], stdout, stderr)
		}
	}
	fs, _ := commandFlags("users", usersSummary, stdout)
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "coopimpact users: unknown subcommand %q: use add, list, disable, enable or reset-password\n", fs.Arg(0))
	} else {
		fmt.Fprintln(stderr, "coopimpact users: name a subcommand: add, list, disable, enable or reset-password (coopimpact users --help)")
	}
	return 2
}

// usersScope is the operator at the terminal: whoever can run the binary on
// the data folder already holds every account, so the CLI acts as the hub admin.
func usersScope() auth.Scope {
	return auth.Scope{Email: cliScope().User, Role: auth.RoleHubAdmin}
}

// usersDo opens the environment and the account service, runs fn on it and
// closes it; a failure to open is printed and gives exit status 2.
func usersDo(ctx context.Context, common config.Common, name string, stderr io.Writer, fn func(*auth.Service) int) int {
	log, err := newLogger(common, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact %s: %v\n", name, err)
		return 2
	}
	e, err := openEnv(ctx, common, log)
	if err != nil {
		fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, oneLine(err))
		return 2
	}
	defer e.Close()
	return fn(&auth.Service{DB: e.db})
}

// usersFail prints err as one sentence in lang and returns exit status 2.
func usersFail(stderr io.Writer, name string, err error, lang string) int {
	var ae *auth.Error
	if errors.As(err, &ae) {
		fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, ae.Message(lang))
	} else {
		fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, oneLine(err))
	}
	return 2
}

// usersByEmail finds one account by address.
func usersByEmail(ctx context.Context, svc *auth.Service, email, lang string) (*auth.User, error) {
	us, err := svc.FindUsers(ctx, usersScope(), auth.UserFilter{Email: email})
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, fmt.Errorf("%s", word(lang == "en", "nessun account con l'indirizzo "+email, "no account with the address "+email))
	}
	return us[0], nil
}

func runUsersAdd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "users add"
	fs, common := commandFlags(name, "Create a portal account (with the hub administrator's rights).", stdout)
	email := fs.String("email", "", "the account's e-mail address (its login)")
	role := fs.String("role", "", "hub_admin, hub_analyst, coop_admin, board or staff")
	coop := fs.String("coop", "", "the cooperative (coop_id) for coop_admin, board and staff")
	fullName := fs.String("name", "", "the person's name")
	lang := fs.String("lang", "it", "the account's language, also used for this command's messages: it or en")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input (one line)")
	generate := fs.Bool("generate-password", false, "generate a strong password and print it once")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	en := *lang == "en"
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "coopimpact %s: unexpected argument %q (use --email, --role, …)\n", name, fs.Arg(0))
		return 2
	case *email == "" || *role == "":
		fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, word(en, "indicare --email e --role", "give --email and --role"))
		return 2
	case *fromStdin == *generate:
		fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, word(en, "usare una e una sola tra --password-stdin e --generate-password",
			"use exactly one of --password-stdin and --generate-password"))
		return 2
	}
	var password string
	if *fromStdin {
		line, err := bufio.NewReader(io.LimitReader(usersStdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return usersFail(stderr, name, err, *lang)
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, word(en, "nessuna password sullo standard input", "no password on standard input"))
			return 2
		}
	} else {
		password = auth.GeneratePassword(20, *email)
	}
	return usersDo(ctx, *common, name, stderr, func(svc *auth.Service) int {
		u, err := svc.CreateUser(ctx, usersScope(), auth.NewUser{Email: *email, Name: *fullName, Role: auth.Role(*role),
			CoopID: *coop, Password: password, Lang: *lang})
		if err != nil {
			return usersFail(stderr, name, err, *lang)
		}
		where := u.CoopID
		if where == "" {
			where = "hub"
		}
		fmt.Fprintf(stdout, "%s %d: %s, %s, %s\n", word(en, "creato l'account", "created account"), u.ID, u.Email, u.Role, where)
		if *generate {
			fmt.Fprintf(stdout, "%s: %s\n", word(en, "password (mostrata solo ora)", "password (shown only now)"), password)
		}
		return 0
	})
}

func runUsersList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "users list"
	fs, common := commandFlags(name, "List portal accounts.", stdout)
	coop := fs.String("coop", "", "only this cooperative's accounts")
	role := fs.String("role", "", "only accounts with this role")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	lang := fs.String("lang", "it", "language of messages: it or en")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if *role != "" {
		if _, ok := auth.ParseRole(*role); !ok {
			return usersFail(stderr, name, auth.ErrRoleInvalid, *lang)
		}
	}
	return usersDo(ctx, *common, name, stderr, func(svc *auth.Service) int {
		r, _ := auth.ParseRole(*role)
		us, err := svc.FindUsers(ctx, usersScope(), auth.UserFilter{CoopID: *coop, Role: r})
		if err != nil {
			return usersFail(stderr, name, err, *lang)
		}
		enc := json.NewEncoder(stdout)
		for _, u := range us {
			if *asJSON {
				enc.Encode(u)
				continue
			}
			state := ""
			if u.Disabled {
				state = word(*lang == "en", "disattivato", "disabled")
			} else if !u.HasPassword {
				state = word(*lang == "en", "senza password", "no password")
			}
			where := u.CoopID
			if where == "" {
				where = "hub"
			}
			fmt.Fprintf(stdout, "%6d  %-36s %-12s %-12s %s  %-24s %s\n", u.ID, u.Email, u.Role, where, u.Lang, u.Name, state)
		}
		return 0
	})
}

// runUsersSwitch disables an account (its sessions end, its API tokens are
// revoked) or enables it again.
func runUsersSwitch(ctx context.Context, args []string, enable bool, stdout, stderr io.Writer) int {
	name, summary := "users disable", "Disable a portal account: its sessions end and its API tokens are revoked."
	doneIt, doneEn := "account disattivato", "account disabled"
	if enable {
		name, summary = "users enable", "Enable a disabled portal account again (its owner signs in with the old password, or a reset link)."
		doneIt, doneEn = "account riattivato", "account enabled"
	}
	fs, common := commandFlags(name, summary, stdout)
	email := fs.String("email", "", "the account's e-mail address")
	lang := fs.String("lang", "it", "language of messages: it or en")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if *email == "" {
		fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, word(*lang == "en", "indicare --email", "give --email"))
		return 2
	}
	return usersDo(ctx, *common, name, stderr, func(svc *auth.Service) int {
		u, err := usersByEmail(ctx, svc, *email, *lang)
		if err != nil {
			return usersFail(stderr, name, err, *lang)
		}
		change := svc.DisableUser
		if enable {
			change = svc.EnableUser
		}
		if err := change(ctx, usersScope(), u.ID); err != nil {
			return usersFail(stderr, name, err, *lang)
		}
		fmt.Fprintf(stdout, "%s: %s\n", word(*lang == "en", doneIt, doneEn), u.Email)
		return 0
	})
}

func runUsersReset(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const name = "users reset-password"
	fs, common := commandFlags(name, "Print a one-time link (valid 24 hours) with which the account's owner sets a new password.", stdout)
	email := fs.String("email", "", "the account's e-mail address")
	base := fs.String("base-url", "http://127.0.0.1:8080", "the portal's address as users reach it")
	lang := fs.String("lang", "it", "language of messages: it or en")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	en := *lang == "en"
	if *email == "" {
		fmt.Fprintf(stderr, "coopimpact %s: %s\n", name, word(en, "indicare --email", "give --email"))
		return 2
	}
	if u, err := url.Parse(*base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintf(stderr, "coopimpact %s: %s %q\n", name, word(en, "--base-url deve essere un indirizzo http(s), non", "--base-url must be an http(s) address, not"), *base)
		return 2
	}
	return usersDo(ctx, *common, name, stderr, func(svc *auth.Service) int {
		u, err := usersByEmail(ctx, svc, *email, *lang)
		if err != nil {
			return usersFail(stderr, name, err, *lang)
		}
		token, err := svc.CreateResetToken(ctx, usersScope(), u.ID)
		if err != nil {
			return usersFail(stderr, name, err, *lang)
		}
		fmt.Fprintln(stdout, strings.TrimRight(*base, "/")+"/reset/"+token)
		fmt.Fprintf(stderr, "%s %s\n", word(en, "link valido 24 ore, una sola volta, per", "link valid for 24 hours, once, for"), u.Email)
		return 0
	})
}
