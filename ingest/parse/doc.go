// Package parse holds the value parsers of the data contract (datasets.md,
// "Conventions for every dataset"), implemented twice with identical
// semantics: Go functions (the reference, used by the row-by-row readers and
// by error reporting) and DuckDB SQL macros (MacrosSQL, used on the fast path
// where a file is staged as all-VARCHAR columns and normalised in SQL).
// A differential test and fuzz targets check that both agree.
//
// # Blanks
//
// "Blank" means: space, \t, \n, \r, \v, \f, NO-BREAK SPACE U+00A0, FIGURE
// SPACE U+2007, THIN SPACE U+2009, NARROW NO-BREAK SPACE U+202F. Every parser
// first trims blanks at both ends; an input that is empty after trimming is
// "blank" and never parses (Text reports ok=false).
//
// # Numbers (Dec, Percent, Int)
//
//  1. Delete every blank and every currency token, anywhere, in one
//     left-to-right pass: "EURO", "EUR" (ASCII case-insensitive), "€", "$".
//     So "1 234,56" is 1234.56 and "€ -5" is -5. Deleting them anywhere (not
//     only at the ends) keeps the rule simple and identical in Go and SQL;
//     the quirk is that "1€2" reads as 12 (while "e ur" is not a token).
//  2. Sign: "(x)" (the whole rest wrapped in parentheses) is negative; else one
//     leading "+" or "-" is removed, "-" meaning negative. A sign inside
//     parentheses or a second sign fails ("(-5)", "--5", "+-5").
//  3. The unsigned body must be one of (D = ASCII digit):
//     a. comma form: INT "," D+ where INT is D+ or D{1,3}("." D{3})+ ; the comma
//     is the decimal separator, dots are thousands separators ("1.234,56",
//     "1234,56", "0,5"). "1.23,4", ",5", "5,", "1,2,3" fail.
//     b. dot-grouped form: D{1,3}("." D{3}){2,} (two or more groups): dots are
//     thousands separators ("1.234.567" = 1234567).
//     c. plain form: D+ ("." D+)? ([eE] [+-]? D+)? : a single dot is a decimal
//     point and an exponent is allowed only here. So "1.234" = 1.234: Italian
//     software writes money with a decimal comma, so a lone dot followed by
//     three digits is still read as a decimal point (Int differs, see below).
//     ".5" and "5." fail.
//     Anything else fails: letters, two commas, empty, "-", ".", "1e5,0".
//  4. The value is the correctly rounded float64 of the resulting decimal
//     string; a result that overflows to ±Inf fails; underflow gives 0.
//     "-0" gives negative zero (equal to 0).
//
// Percent: trailing blanks are trimmed, then one trailing "%" is removed if
// present, then Dec applies ("45%", "45,0 %" -> 45; "45" -> 45; "0,45" -> 0.45,
// no scaling; "45%%" fails).
//
// Int: as Dec, with one difference: a body without comma that matches
// D{1,3}("." D{3})+ (one or more groups) uses the dots as thousands
// separators, so Int("1.200") = 1200 and Int("1.000") = 1000 (in an integer
// column the decimal reading could only be a mistake, and for "1.000" it
// would silently give 1). Then the value must be integral (judged on the
// float64) and |v| <= 2^53 so the conversion is exact in both
// implementations: "12,0" = 12, "1e3" = 1000, "1.5" fails. Inputs with more
// than 15 significant digits may round before that check
// ("9007199254740993" gives 9007199254740992).
//
// # Booleans
//
// Trimmed and lower-cased (Unicode simple lower case): true = true, 1, sì,
// sí, si, s, x, vero, yes, y; false = false, 0, no, n, falso. Blank and
// anything else fail (the loader decides whether a blank checkbox is false).
//
// # Dates
//
// After trimming: DATE TIME? where DATE is one of
//
//	YYYY-M-D          ISO (M and D have 1 or 2 digits)
//	D/M/YYYY  D-M-YYYY  D.M.YYYY   Italian day-first, same separator twice
//
// and the optional TIME is ("T" | one or more spaces) H:MM [:SS [.F{1,9}]]
// [Z | ±HH [[:]MM]] with H 0..23 (1 or 2 digits), MM/SS 00..59. The time part
// is validated and then ignored, including any zone: the date as written is
// kept (no conversion). The year must be 1000..9999 and the date must exist
// (29/02/2023 and 31/04/2024 fail).
//
// With serialOK (the cell came from a numeric XLSX cell), an input that is not
// in a DATE shape and matches D+ ([.,] D+)? is an Excel serial (1900 system):
// the integer part n must be 1..2958465 and the date is 1899-12-30 + n days
// (45292 = 2024-01-01). Like Excel-compatible libraries, this base makes
// serials 1..60 one day off Excel's display (Excel's fictitious 1900-02-29);
// real data does not use them.
//
// # Months
//
// After trimming, a MONTH shape decides alone (a shaped but invalid month
// fails, it never falls back to a serial):
//
//	YYYY-M  YYYY/M    M/YYYY  M-YYYY  M.YYYY    YYYYMM (exactly 6 digits)
//
// with M 1..12 (1 or 2 digits, "00" fails) and year 1000..9999. Otherwise the
// input is parsed with Date (serialOK passed on) and its month is taken. The
// result is the first day of the month.
//
// # Years
//
// After trimming, exactly four digits, optionally followed by "." or "," and
// one or more zeros ("2023.0", "2023,00"), with value 1000..9999.
//
// # SQL macros
//
// MacrosSQL holds CREATE OR REPLACE TEMP MACRO statements: ci_text(s),
// ci_dec(s), ci_pct(s), ci_int(s), ci_bool(s), ci_date(s, serial_ok),
// ci_month(s, serial_ok), ci_year(s), plus helpers named ci__*. They are TEMP
// (connection-scoped) so that installing them never writes to the catalog of
// a database file and concurrent loaders never race on it; the price is that
// they must be installed on every connection that uses them (InstallMacros on
// a *sql.Conn, or SetMaxOpenConns(1)). Each returns NULL for NULL, blank or
// unparseable input; callers tell blank from bad with ci_text(s) IS NULL.
// A NULL serial_ok is treated as false. They need DuckDB >= 1.3 (lambda
// syntax) and cost roughly 1 µs of CPU per value for ci_dec/ci_int/ci_pct,
// under 1 µs for ci_date, 0.2 µs for ci_text/ci_bool/ci_year (1M-row runs on
// the development box), plus a few ms of planning per query.
package parse
