-- Value parsers of the data contract as DuckDB macros; the Go functions in
-- parse.go are the reference and the package doc states the rules.
-- TEMP: install on every connection that stages files (see doc.go).
-- Helpers (ci__*) must be created before the macros that call them, because
-- DuckDB binds a macro body when it is created.

-- The blanks are space \t \n \r \v \f U+00A0 U+2007 U+2009 U+202F; they
-- are spelled out in each pattern below because trim()/translate() with a
-- character set were 3-4 times slower than RE2 on 1M rows.
CREATE OR REPLACE TEMP MACRO ci_text(s) AS
    nullif(regexp_replace(CAST(s AS VARCHAR),
        '^[ \t\n\r\v\f\x{00A0}\x{2007}\x{2009}\x{202F}]+|[ \t\n\r\v\f\x{00A0}\x{2007}\x{2009}\x{202F}]+$', '', 'g'), '');

-- Numbers. Lambdas over one-element lists act as let-bindings: a macro
-- argument used several times is copied into the expression each time, and
-- copies of copies made planning slow (0.2 s per query); a lambda
-- parameter is computed once. [x][1] is NULL when list_filter drops x.
-- c = the input without blanks and currency tokens (one pass; skipped when
-- the input holds only number characters, the common case). Once c is
-- valid, "(" becomes "-" and ")" goes (the cast takes the sign), and dots
-- are thousands separators when there is a comma, when there are two or
-- more of them, or (Int only) when the body is a single D{1,3}.D{3} group.
CREATE OR REPLACE TEMP MACRO ci__num(s, int_groups) AS
    list_filter(list_transform(list_transform([CAST(s AS VARCHAR)],
        lambda x: CASE WHEN regexp_matches(x, '[^0-9.,()+-]')
              THEN regexp_replace(x, '[ \t\n\r\v\f\x{00A0}\x{2007}\x{2009}\x{202F}]+|(?i:euro?)|€|\$', '', 'g')
              ELSE x END),
        lambda c: CASE WHEN regexp_full_match(c,
                '(?:\((?:(?:\d+|\d{1,3}(?:\.\d{3})+),\d+|\d{1,3}(?:\.\d{3})+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\))'
                || '|(?:[+-]?(?:(?:\d+|\d{1,3}(?:\.\d{3})+),\d+|\d{1,3}(?:\.\d{3})+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))')
            THEN TRY_CAST(list_transform([replace(replace(c, '(', '-'), ')', '')],
                    lambda b: CASE WHEN contains(b, ',')
                                     OR length(b) - length(replace(b, '.', '')) >= 2
                                     OR (int_groups AND regexp_full_match(b, '[+-]?\d{1,3}\.\d{3}'))
                                   THEN replace(replace(b, '.', ''), ',', '.')
                                   ELSE b END)[1] AS DOUBLE)
            END),
        lambda v: isfinite(v))[1];

CREATE OR REPLACE TEMP MACRO ci_dec(s) AS
    CAST(ci__num(s, false) AS DOUBLE);

CREATE OR REPLACE TEMP MACRO ci_pct(s) AS
    ci_dec(regexp_replace(CAST(s AS VARCHAR), '%[ \t\n\r\v\f\x{00A0}\x{2007}\x{2009}\x{202F}]*$', ''));

-- Integral and within 2^53, so the DOUBLE -> BIGINT conversion is exact.
CREATE OR REPLACE TEMP MACRO ci_int(s) AS
    CAST(list_filter([ci__num(s, true)], lambda v: v = trunc(v) AND abs(v) <= 9007199254740992)[1] AS BIGINT);

CREATE OR REPLACE TEMP MACRO ci_bool(s) AS
    CAST(CASE
        WHEN lower(ci_text(s)) IN ('true', '1', 'sì', 'sí', 'si', 's', 'x', 'vero', 'yes', 'y') THEN true
        WHEN lower(ci_text(s)) IN ('false', '0', 'no', 'n', 'falso') THEN false
    END AS BOOLEAN);

-- Excel serial (1900 system): integer part 1..2958465, base 1899-12-30.
CREATE OR REPLACE TEMP MACRO ci__serial(t) AS
    list_transform(
        list_filter([TRY_CAST(regexp_extract(t, '^(\d+)(?:[.,]\d+)?$', 1) AS BIGINT)],
            lambda n: n BETWEEN 1 AND 2958465),
        lambda n: DATE '1899-12-30' + CAST(n AS INTEGER))[1];

-- Dates. One regexp rewrites any DATE shape (year 1000..9999) to Y-M-D and
-- anything else to '--'; the cast to DATE rejects days that do not exist.
-- RE2 rewrites know \1..\9 only, hence at most 9 groups.
-- Shapes and serials never overlap, so falling through to the serial is safe.
CREATE OR REPLACE TEMP MACRO ci__date_t(t, serial_ok) AS
    coalesce(
        TRY_CAST(regexp_replace(t,
            '^(?:([1-9]\d{3})-(\d{1,2})-(\d{1,2})|(\d{1,2})(?:/(\d{1,2})/|-(\d{1,2})-|\.(\d{1,2})\.)([1-9]\d{3}))'
            || '(?:(?:T| +)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?$'
            || '|^[\s\S]*$',
            '\1\8-\2\5\6\7-\3\4') AS DATE),
        CASE WHEN coalesce(serial_ok, false) THEN ci__serial(t) END);

CREATE OR REPLACE TEMP MACRO ci_date(s, serial_ok) AS
    CAST(ci__date_t(ci_text(s), serial_ok) AS DATE);

-- Months. c is 'Y-M-01' for a MONTH shape, which decides alone (a shaped but
-- invalid month never falls back), else '--01' followed by the input.
CREATE OR REPLACE TEMP MACRO ci__month_t(t, serial_ok) AS
    list_transform(
        [regexp_replace(t, '^(?:(\d{4})[-/](\d{1,2})|(\d{1,2})[-/.](\d{4})|(\d{4})(\d{2}))$|^([\s\S]*)$',
            '\1\4\5-\2\3\6-01\7')],
        lambda c: CASE
            WHEN starts_with(c, '--01') THEN CAST(date_trunc('month', ci__date_t(t, serial_ok)) AS DATE)
            WHEN NOT starts_with(c, '0') THEN TRY_CAST(c AS DATE)
        END)[1];

CREATE OR REPLACE TEMP MACRO ci_month(s, serial_ok) AS
    CAST(ci__month_t(ci_text(s), serial_ok) AS DATE);

CREATE OR REPLACE TEMP MACRO ci_year(s) AS
    CAST(CASE WHEN regexp_full_match(ci_text(s), '[1-9]\d{3}(?:[.,]0+)?')
         THEN CAST(left(ci_text(s), 4) AS INTEGER) END AS INTEGER);
