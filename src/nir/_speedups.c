/*
 * nir._speedups: compiled twins of nir's hot paths.
 *
 * Every function here has a pure-Python reference with the same results:
 *
 *   quick_valid        nir._fast.quick_valid(v) or nir._fast.quick_valid(nir.compact(v))
 *   quick_number       nir._parse.quick_number_value
 *   is_valid, validate nir.is_valid, nir.validate, nir.parse: the fast path here, the
 *   parse              rest in Python (nir._parse; see bind)
 *   scan               nir._csvscan.scan (its docstring is the contract)
 *   first_undecodable  where data[:end].decode(encoding) fails (nir._csvio)
 *   line_breaks        nir._csvscan.line_breaks
 *   probe              first_undecodable and line_breaks of a piece, in one pass
 *   check_many         the loop of nir._bulk.check_many
 *   verdict            nir._bulk.full_verdict of an ASCII value, as a tuple
 *   arrow_check        nir.arrow's loop over an Arrow string array (nir._arrow.python_check)
 *   sheet_csv          nir._sheets.python_sheet_csv: a sheet's cells as CSV lines
 *   nir_sql_verdict    a C entry (no Python object), arrow_check's loop on one value, for
 *                      nir.duckdb's native SQL functions (_duckdb_ext.c); sql_policy sets it up
 *
 * The tests run the suite against both paths and compare them on arbitrary input
 * (tests/test_speedups.py), so any change here must keep them byte-identical.
 * Plain C99 and the stable parts of the CPython C API; no third-party code.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <datetime.h>

#include <stdio.h>
#include <time.h>

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h> /* pthread_atfork: see deferred_turns_forget */
#define NIR_HAVE_ATFORK 1
#else
#define NIR_HAVE_ATFORK 0 /* no fork(): nothing to forget */
#endif

#if defined(__linux__)
#include <sys/mman.h> /* madvise: map_ahead, bytes_advise */
#endif

#include "_arrow_abi.h"

#if defined(__SSE2__)
#include <emmintrin.h> /* line_breaks, 16 bytes at a time (every x86-64 has SSE2) */
#endif

/* Defined with `verdict`, used by `scan` too. */
static int is_digit(unsigned char c);
static int is_space(unsigned char c);
static PyObject *verdict_of_bytes(const unsigned char *s, Py_ssize_t n, const int flags[3],
                                  long year, long month);

/* The reference years for which Python's rules build only valid dates: the
 * readings of the year span [reference - 199, reference] (the older ones tried
 * beyond max_age stop at oldest_reading, after 1800), and a birth period
 * ends at most on 1 January of the year after. Outside, verdict returns None. */
#define FIRST_REFERENCE_YEAR 200
#define LAST_REFERENCE_YEAR 9998

/* Defined with `suggest_candidates`, used by `scan` for its suggestions. */

/* More than any text can give: 15 positions x 12 characters, 14 swaps. */
#define MOST_CANDIDATES 208

typedef struct {
    char number[15];
    unsigned char edit;     /* an Edit */
    unsigned char position; /* 1-based, in the compact input */
} Candidate;

typedef struct {
    Candidate item[MOST_CANDIDATES];
    int count;
    int year, month; /* the reference date of the validity test */
    /* NULL, or a test that a number must pass before the (dearer) validity test: the
     * scan's suggestions keep only the numbers its row's cells do not contradict */
    int (*fits)(const void *context, const char *number);
    const void *context;
    /* 1: numbers kept untested, the caller tests each it needs with valid_candidate
     * (the scan stops at the second that fits its row) */
    int untested;
} Candidates;

static int valid_candidate(const char *n, int year, int month);

static void find_candidates(const char *t, Py_ssize_t n, int year, int month, Candidates *found);

/* Positional-only functions: check the argument count (METH_FASTCALL). */
static int
expect_arguments(const char *name, Py_ssize_t given, Py_ssize_t expected)
{
    if (given != expected) {
        PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd arguments (%zd given)", name,
                     expected, given);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* The rule tables: nir._rules, handed over by nir._accel through configure. */

/* A civil date as one comparable number: 1976-01-01 is 19760101. */
#define DAY(year, month, day) ((long)(year) * 10000L + (long)(month) * 100L + (long)(day))

/* Whether `year` has a 29 February (the Gregorian rule). */
static inline int
is_leap(long year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

enum { SEX_INVALID = 0, SEX_DEFINITIVE = 1, SEX_TEMPORARY = 2 };
enum { MONTH_INVALID = 0, MONTH_DOCUMENTED = 1, MONTH_UNDOCUMENTED = 2 };
/* A 2-digit place head: what positions 6-7 make of the rest of the place. */
enum {
    HEAD_NONE = 0,         /* no such department */
    HEAD_DEPARTMENT = 1,   /* a department, whatever the birth date */
    HEAD_UNTIL = 2,        /* Corsica's 20: a department for births before its date */
    HEAD_NORTH_AFRICA = 3, /* a country before its date (independence), then see below */
    HEAD_OVERSEAS = 4,     /* the start of a 3-digit overseas department */
    HEAD_ABROAD = 5,       /* 99 + a country */
};
enum { OVERSEAS_NONE = 0, OVERSEAS_ALWAYS = 1, OVERSEAS_UNTIL = 2, OVERSEAS_SINCE = 3 };
/* parse's MonthKind indexes 1..MONTH_KINDS (nir._accel._MONTH_KINDS), 0 for none. */
#define MONTH_KINDS 3
/* How many notes nir._rules.OVERSEAS_NOTES names: NOTE_MAYOTTE_985 and the two after. */
#define OVERSEAS_NOTES 3

typedef struct {
    int configured;
    unsigned char sex_class[10];     /* by the first digit */
    unsigned char month_class[100];  /* by month code */
    unsigned char month_number[100]; /* the month a code gives, 0 when unknown */
    unsigned char head_class[100];   /* by the 2-digit head */
    long head_date[100];             /* HEAD_UNTIL: the cut-off; HEAD_NORTH_AFRICA: independence */
    unsigned char head_department_after[100]; /* North Africa: a department from seine_split */
    unsigned char plain_year[100 * 100];      /* [head * 100 + YY]: FAST_PATTERN's mainland */
    unsigned char overseas_class[100];        /* by the 3-digit code - 900 */
    long overseas_date[100];
    unsigned char overseas_note[100]; /* index in nir._rules.OVERSEAS_NOTES */
    unsigned char overseas_plain[100];
    unsigned char letter_value[26]; /* 2A/2B: the 2 digits a letter counts as, 0 = not allowed */
    char letter_head;               /* the digit the letters follow (Corsica's 2) */
    long letter_since;              /* 2A/2B exist from then */
    long seine_split;
    int commune_max, no_country, france_country, max_age, oldest_reading;
    unsigned char month_kind[100]; /* parse: index of the MonthKind a code gives, 0 none */
    long head_country[100];        /* North Africa: the country code before independence */
    unsigned char identity_digit[10];    /* by the first digit: IDENTITY_MALE | IDENTITY_NO_BIRTH */
    unsigned char default_day[13 * 32]; /* [month * 32 + day]: a year-only civil status default */
} Rules;

/* Departments as place_mismatch numbers them: 00-99, 970-979 and 980-989 as 100-119,
 * 2A and 2B as 120 and 121. */
#define DEPARTMENTS 122

/* identity_digit bits: a man's number; a number whose positions 2-13 code no birth. */
enum { IDENTITY_MALE = 1, IDENTITY_NO_BIRTH = 2 };

/* Written whole by configure, read by everything else. */
static Rules rules;

/* Copy a bytes argument of exactly `size` bytes into `target`. */
static int
copy_table(PyObject *value, unsigned char *target, Py_ssize_t size, const char *name)
{
    if (!PyBytes_Check(value) || PyBytes_GET_SIZE(value) != size) {
        PyErr_Format(PyExc_ValueError, "configure: %s must be %zd bytes", name, size);
        return 0;
    }
    memcpy(target, PyBytes_AS_STRING(value), (size_t)size);
    return 1;
}

/* Copy a tuple of `size` ints into `target`. */
static int
copy_dates(PyObject *value, long *target, Py_ssize_t size, const char *name)
{
    if (!PyTuple_Check(value) || PyTuple_GET_SIZE(value) != size) {
        PyErr_Format(PyExc_ValueError, "configure: %s must be a tuple of %zd ints", name, size);
        return 0;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        target[i] = PyLong_AsLong(PyTuple_GET_ITEM(value, i));
        if (target[i] == -1 && PyErr_Occurred()) {
            return 0;
        }
    }
    return 1;
}

PyDoc_STRVAR(configure_doc,
             "configure(tables, /)\n--\n\n"
             "Take the rule tables built by nir._accel.c_tables() from nir._rules. Every\n"
             "other function raises RuntimeError until this is called; invalid tables\n"
             "raise ValueError and leave the rules in force.");

static PyObject *
configure(PyObject *Py_UNUSED(module), PyObject *tables)
{
    enum { TABLES = 24 };
    if (!PyTuple_Check(tables) || PyTuple_GET_SIZE(tables) != TABLES) {
        PyErr_Format(PyExc_ValueError, "configure: expected a tuple of %d tables", TABLES);
        return NULL;
    }
    PyObject **t = &PyTuple_GET_ITEM(tables, 0);
    long scalars[8];
    /* read into a copy: a bad table leaves the rules in force untouched */
    Rules next = {0};
    if (!copy_table(t[0], next.month_class, 100, "month_class") ||
        !copy_table(t[1], next.month_number, 100, "month_number") ||
        !copy_table(t[2], next.head_class, 100, "head_class") ||
        !copy_dates(t[3], next.head_date, 100, "head_date") ||
        !copy_table(t[4], next.head_department_after, 100, "head_department_after") ||
        !copy_table(t[5], next.plain_year, 100 * 100, "plain_year") ||
        !copy_table(t[6], next.overseas_class, 100, "overseas_class") ||
        !copy_dates(t[7], next.overseas_date, 100, "overseas_date") ||
        !copy_table(t[8], next.overseas_note, 100, "overseas_note") ||
        !copy_table(t[9], next.overseas_plain, 100, "overseas_plain") ||
        !copy_table(t[10], next.letter_value, 26, "letter_value") ||
        !copy_table(t[11], next.sex_class, 10, "sex_class") ||
        !copy_table(t[20], next.month_kind, 100, "month_kind") ||
        !copy_dates(t[21], next.head_country, 100, "head_country") ||
        !copy_table(t[22], next.identity_digit, 10, "identity_digit") ||
        !copy_table(t[23], next.default_day, 13 * 32, "default_day")) {
        return NULL;
    }
    for (int i = 0; i < 8; i++) {
        scalars[i] = PyLong_AsLong(t[12 + i]);
        if (scalars[i] == -1 && PyErr_Occurred()) {
            return NULL;
        }
    }
    for (int i = 0; i < 100; i++) {
        if (next.month_kind[i] > MONTH_KINDS || next.head_country[i] < 0 ||
            next.head_country[i] > 999) {
            PyErr_SetString(PyExc_ValueError, "configure: month_kind or head_country out of range");
            return NULL;
        }
        if (next.overseas_note[i] >= OVERSEAS_NOTES) {
            PyErr_SetString(PyExc_ValueError, "configure: overseas_note out of range");
            return NULL;
        }
    }
    if (scalars[0] < '0' || scalars[0] > '9') {
        PyErr_SetString(PyExc_ValueError, "configure: letter_head must be a digit");
        return NULL;
    }
    next.letter_head = (char)scalars[0];
    next.letter_since = scalars[1];
    next.seine_split = scalars[2];
    next.commune_max = (int)scalars[3];
    next.no_country = (int)scalars[4];
    next.france_country = (int)scalars[5];
    next.max_age = (int)scalars[6];
    next.oldest_reading = (int)scalars[7];
    next.configured = 1;
    rules = next;
    Py_RETURN_NONE;
}

/* 1 when configure has run; else 0 with RuntimeError set. */
static int
check_configured(void)
{
    if (!rules.configured) {
        PyErr_SetString(PyExc_RuntimeError,
                        "nir._speedups is not configured: import it through nir._accel");
        return 0;
    }
    return 1;
}

/* The value of a letter allowed after Corsica's 2 (19 for A, 18 for B), or 0. */
static int
letter_value(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? rules.letter_value[c - 'A'] : 0;
}

/* ------------------------------------------------------------------------ */
/* The fast check: nir._fast.FAST_PATTERN and the key, without a regex.      */

/*
 * True when s[0:n] is exactly 15 ASCII digits matching FAST_PATTERN (a definitive
 * NIR whose fields never need the reference date, whatever its key); then sets
 * *expected to the right key (97 - body % 97) and *key to the typed one. The
 * tables say which months and places the pattern takes (both come from nir._rules).
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* 8 bytes as one word, the first in the low byte. */
static inline uint64_t
load8(const unsigned char *s)
{
    uint64_t word;
    memcpy(&word, s, 8);
    return word;
}

/* True when the 8 bytes of `word` are all ASCII digits. A byte below '0' or above
 * '9' sets its high bit in one of the two terms (a borrow or carry across bytes
 * only follows from such a byte, so the word is refused all the same). */
static inline int
digits8(uint64_t word)
{
    return (((word - 0x3030303030303030ULL) | (word + 0x4646464646464646ULL)) &
            0x8080808080808080ULL) == 0;
}

/* The value of 8 ASCII digits (checked by digits8), first digit most significant. */
static inline uint64_t
value8(uint64_t word)
{
    word = (word & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;           /* pairs: 10 * a + b */
    word = (word & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;       /* fours: 100 * ab + cd */
    return (word & 0x0000FFFF0000FFFFULL) * 42949672960001 >> 32; /* 10000 * abcd + efgh */
}
#endif

static int
plain_fields(const unsigned char *s, Py_ssize_t n, int *expected, int *key)
{
/* The digit at index i (all 15 are checked first). */
#define D(i) ((int)s[i] - '0')
    if (n != 15) {
        return 0;
    }
    /* digits, and the body's value (at most 13 digits: fits in 64 bits) */
    uint64_t body = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* two overlapping words cover the 15 bytes: no loop, no branch per digit */
    uint64_t low = load8(s);
    if (!digits8(low) || !digits8(load8(s + 7))) {
        return 0;
    }
    body = value8(low) * 100000 +
           (uint64_t)(D(8) * 10000 + D(9) * 1000 + D(10) * 100 + D(11) * 10 + D(12));
#else
    for (int i = 0; i < 15; i++) {
        unsigned digit = (unsigned)s[i] - '0';
        if (digit > 9) {
            return 0;
        }
        if (i < 13) {
            body = body * 10 + digit;
        }
    }
#endif
    /* a definitive number; the year is any two digits */
    if (rules.sex_class[D(0)] != SEX_DEFINITIVE) {
        return 0;
    }
    if (rules.month_class[D(3) * 10 + D(4)] != MONTH_DOCUMENTED) {
        return 0;
    }
    int head = D(5) * 10 + D(6);
    int place = D(7) * 100 + D(8) * 10 + D(9);
    switch (rules.head_class[head]) {
    case HEAD_OVERSEAS: {
        /* a department right whatever the birth date, then a commune 01-commune_max */
        int commune = D(8) * 10 + D(9);
        if (!rules.overseas_plain[head * 10 + D(7) - 900] || commune == 0 ||
            commune > rules.commune_max) {
            return 0;
        }
        break;
    }
    case HEAD_ABROAD:
        /* a country other than none and France */
        if (place == rules.no_country || place == rules.france_country) {
            return 0;
        }
        break;
    default:
        /* a department right for this YY whatever the century, then a commune */
        if (!rules.plain_year[head * 100 + D(1) * 10 + D(2)] || place == 0) {
            return 0;
        }
    }
    /* order 001-999 */
    if (D(10) == 0 && D(11) == 0 && D(12) == 0) {
        return 0;
    }
    *expected = 97 - (int)(body % 97);
    *key = D(13) * 10 + D(14);
    return 1;
#undef D
}
#undef DIGIT

/* True when s[0:n] is fast-valid: plain fields and the right key. */
static int
fast_valid(const unsigned char *s, Py_ssize_t n)
{
    int expected, key;
    return plain_fields(s, n, &expected, &key) && key == expected;
}

/* The ASCII characters nir.compact removes (nir._parse._SEPARATORS: str.isspace's
 * characters, dots, hyphens): [ \t\n\r\f\v], the information separators \x1c-\x1f,
 * '.' and '-'. */
static int
is_separator(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f) || c == '.' ||
           c == '-';
}

PyDoc_STRVAR(quick_valid_doc,
             "quick_valid(value, /)\n--\n\n"
             "True when value is a str whose compact form passes nir._fast.quick_valid.\n"
             "False means \"don't know\" (non-ASCII text and non-str values included).");

/* Compact s[0:n] into kept (16 bytes) as far as the fast check needs: drop the
 * separators and the leading apostrophes. Returns the count kept, or -1 past 16
 * characters (which cannot be 15 digits). */
static Py_ssize_t
quick_compact(const unsigned char *s, Py_ssize_t n, unsigned char *kept)
{
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (is_separator(s[i])) {
            continue;
        }
        if (count == 0 && s[i] == '\'') {
            continue; /* compact drops the leading apostrophes (spreadsheet "text" marker) */
        }
        if (count == 16) {
            return -1;
        }
        kept[count++] = s[i];
    }
    return count;
}

/* The fast check on a value, as nir.arrow and nir.duckdb make it: plain fields of the
 * value itself, else of its compact form (into kept). Returns the 15 digits read (s
 * or kept), or NULL when the fields are not plain (the full rules decide then);
 * *expected and *key say whether the key is right. */
static const unsigned char *
plain_digits(const unsigned char *s, Py_ssize_t n, unsigned char kept[16], int *expected,
             int *key)
{
    if (plain_fields(s, n, expected, key)) {
        return s;
    }
    Py_ssize_t count = quick_compact(s, n, kept);
    return count >= 0 && plain_fields(kept, count, expected, key) ? kept : NULL;
}

/* The shared core of quick_valid and check_many: 1 valid, 0 don't know, -1 error. */
static int
quick_valid_object(PyObject *value)
{
    if (!PyUnicode_CheckExact(value)) {
        return 0; /* type(value) is str, as in nir.is_valid */
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(value) < 0) {
        return -1;
    }
#endif
    if (!PyUnicode_IS_ASCII(value)) {
        return 0;
    }
    const unsigned char *data = PyUnicode_1BYTE_DATA(value);
    Py_ssize_t length = PyUnicode_GET_LENGTH(value);
    if (length == 15) {
        /* the usual case: compact would drop a character, leaving too few for 15 */
        return fast_valid(data, 15);
    }
    unsigned char kept[16];
    Py_ssize_t count = quick_compact(data, length, kept);
    return count >= 0 && fast_valid(kept, count);
}

static PyObject *
quick_valid(PyObject *Py_UNUSED(module), PyObject *value)
{
    if (!check_configured()) {
        return NULL;
    }
    int result = quick_valid_object(value);
    if (result < 0) {
        return NULL;
    }
    return PyBool_FromLong(result);
}

/* ------------------------------------------------------------------------ */
/* quick_number, and the public entry points nir.is_valid / nir.validate.    */

PyDoc_STRVAR(quick_number_doc,
             "quick_number(value, /)\n--\n\n"
             "The compact form of value when quick_valid(value), else None (nir._parse.\n"
             "quick_number_value): what nir.validate returns for such a value.");

/* The compact str of a quick-valid value (value itself when already compact),
 * Py_None when "don't know"; a new reference, NULL on error. */
static PyObject *
quick_number_object(PyObject *value)
{
    if (!PyUnicode_CheckExact(value)) {
        Py_RETURN_NONE;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(value) < 0) {
        return NULL;
    }
#endif
    if (!PyUnicode_IS_ASCII(value)) {
        Py_RETURN_NONE;
    }
    unsigned char kept[16];
    Py_ssize_t length = PyUnicode_GET_LENGTH(value);
    Py_ssize_t count = quick_compact(PyUnicode_1BYTE_DATA(value), length, kept);
    if (count < 0 || !fast_valid(kept, count)) {
        Py_RETURN_NONE;
    }
    if (count == length) {
        return Py_NewRef(value);
    }
    return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, kept, count);
}

static PyObject *
quick_number(PyObject *Py_UNUSED(module), PyObject *value)
{
    if (!check_configured()) {
        return NULL;
    }
    return quick_number_object(value);
}

/* The fields of nir.Nir in the order parse's entry point fills them (checked
 * against Nir.__match_args__, its slots in order, by nir._accel._shapes). */
enum {
    NIR_NUMBER, NIR_KIND, NIR_SEX, NIR_BIRTH_YEAR, NIR_BIRTH_MONTH, NIR_MONTH_KIND,
    NIR_DEPARTMENT, NIR_COMMUNE, NIR_COUNTRY, NIR_ORDER, NIR_KEY, NIR_WARNINGS,
    NIR_CENTURY_AMBIGUOUS, NIR_DEPARTMENT_NAME, NIR_COMMUNE_NAME, NIR_COUNTRY_NAME, NIR_FIELDS
};

/* What bind() gave: the namespace of nir._accel (whose `compiled` says whether this
 * core is selected), the Python functions that do everything else, and what
 * parse's entry point builds its result from. */
static struct {
    PyObject *accel;    /* nir._accel.__dict__ */
    PyObject *compiled; /* the interned name "compiled" */
    PyObject *is_valid; /* nir._parse.is_valid */
    PyObject *validate; /* nir._parse.validate */
    PyObject *parse;    /* nir._parse.parse */
    PyTypeObject *nir;  /* nir.Nir */
    PyObject *fields[NIR_FIELDS];           /* its slot descriptors, in the order above */
    PyObject *month_kinds[MONTH_KINDS + 1]; /* None, MonthKind.REAL, .PSEUDO, .UNKNOWN */
    PyObject *sexes[2];                     /* Sex.FEMALE, Sex.MALE */
    PyObject *kind_nir;                     /* Kind.NIR */
    PyObject *place_names;                  /* nir._names.place_names, imported on first use */
} bound;

PyDoc_STRVAR(bind_doc,
             "bind(accel_namespace, is_valid, validate, parse, shapes, /)\n--\n\n"
             "Make this module's is_valid, validate and parse the public entry points: they\n"
             "settle quick-valid values here and call the given Python functions for the\n"
             "rest, or for everything while accel_namespace['compiled'] is not this module.\n"
             "shapes: (Nir, its slot descriptors, (None, *MonthKind), (Sex.FEMALE,\n"
             "Sex.MALE), Kind.NIR), see nir._accel.entry_points.");

static int
bind_shapes(PyObject *shapes)
{
    PyObject *type, *fields, *month_kinds, *sexes, *kind_nir;
    if (!PyArg_ParseTuple(shapes, "O!O!O!O!O;bind: bad shapes", &PyType_Type, &type,
                          &PyTuple_Type, &fields, &PyTuple_Type, &month_kinds, &PyTuple_Type,
                          &sexes, &kind_nir)) {
        return 0;
    }
    if (PyTuple_GET_SIZE(fields) != NIR_FIELDS ||
        PyTuple_GET_SIZE(month_kinds) != MONTH_KINDS + 1 || PyTuple_GET_SIZE(sexes) != 2) {
        PyErr_SetString(PyExc_ValueError, "bind: shapes of the wrong size");
        return 0;
    }
    for (int i = 0; i < NIR_FIELDS; i++) {
        PyObject *field = PyTuple_GET_ITEM(fields, i);
        if (Py_TYPE(field)->tp_descr_set == NULL) {
            PyErr_SetString(PyExc_TypeError, "bind: a field is not a slot descriptor");
            return 0;
        }
        Py_XSETREF(bound.fields[i], Py_NewRef(field));
    }
    for (int i = 0; i <= MONTH_KINDS; i++) {
        Py_XSETREF(bound.month_kinds[i], Py_NewRef(PyTuple_GET_ITEM(month_kinds, i)));
    }
    for (int i = 0; i < 2; i++) {
        Py_XSETREF(bound.sexes[i], Py_NewRef(PyTuple_GET_ITEM(sexes, i)));
    }
    Py_XSETREF(bound.nir, (PyTypeObject *)Py_NewRef(type));
    Py_XSETREF(bound.kind_nir, Py_NewRef(kind_nir));
    return 1;
}

static PyObject *
bind(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("bind", nargs, 5)) {
        return NULL;
    }
    if (!PyDict_Check(args[0]) || !PyCallable_Check(args[1]) || !PyCallable_Check(args[2]) ||
        !PyCallable_Check(args[3]) || !PyTuple_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "bind(dict, callable, callable, callable, tuple)");
        return NULL;
    }
    if (PyDateTimeAPI == NULL) {
        PyDateTime_IMPORT;
        if (PyDateTimeAPI == NULL) {
            return NULL;
        }
    }
    PyObject *name = PyUnicode_InternFromString("compiled");
    if (name == NULL || !bind_shapes(args[4])) {
        Py_XDECREF(name);
        return NULL;
    }
    Py_XSETREF(bound.compiled, name);
    Py_XSETREF(bound.accel, Py_NewRef(args[0]));
    Py_XSETREF(bound.is_valid, Py_NewRef(args[1]));
    Py_XSETREF(bound.validate, Py_NewRef(args[2]));
    Py_XSETREF(bound.parse, Py_NewRef(args[3]));
    Py_RETURN_NONE;
}

/* 1 when the fast path may answer for a call with these arguments: one positional
 * value, and this module is the selected core; 0 when not; -1 on error. */
static int
fast_call(PyObject *module, const char *name, Py_ssize_t nargs)
{
    if (bound.accel == NULL) {
        PyErr_Format(PyExc_RuntimeError, "nir._speedups.%s: call bind() first (nir._accel)", name);
        return -1;
    }
    if (nargs != 1 || !rules.configured) {
        return 0;
    }
    PyObject *selected = PyDict_GetItemWithError(bound.accel, bound.compiled);
    if (selected == NULL && PyErr_Occurred()) {
        return -1;
    }
    return selected == module;
}

/* 1 when every keyword of a call is one of is_valid's and validate's options (those of
 * nir._parse.is_valid), which never change the verdict on a quick-valid value; 0 when
 * one is not: Python then raises its TypeError. */
static int
known_options(PyObject *kwnames)
{
    static const char *const options[] = {"allow_temporary", "allow_missing_key",
                                          "warnings_as_errors", "reference_date"};
    if (kwnames == NULL) {
        return 1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, i);
        int known = 0;
        for (size_t j = 0; j < sizeof options / sizeof options[0] && !known; j++) {
            known = PyUnicode_CompareWithASCIIString(name, options[j]) == 0;
        }
        if (!known) {
            return 0;
        }
    }
    return 1;
}

PyDoc_STRVAR(is_valid_doc,
             "is_valid($module, value, *, allow_temporary=True, allow_missing_key=False, "
             "warnings_as_errors=False, reference_date=None)\n--\n\n"
             "nir.is_valid: True when validate would accept the value; never raises.\n\n"
             "A quick-valid value is settled in C; anything else goes to nir._parse.is_valid.");

static PyObject *
entry_is_valid(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int fast = fast_call(module, "is_valid", nargs);
    if (fast < 0) {
        return NULL;
    }
    if (fast && known_options(kwnames)) {
        int quick = quick_valid_object(args[0]);
        if (quick < 0) {
            return NULL;
        }
        if (quick) {
            Py_RETURN_TRUE;
        }
    }
    return PyObject_Vectorcall(bound.is_valid, args, nargs, kwnames);
}

PyDoc_STRVAR(validate_doc,
             "validate($module, value, *, allow_temporary=True, allow_missing_key=False, "
             "warnings_as_errors=False, reference_date=None)\n--\n\n"
             "nir.validate: the compact 15-character form of a valid number, or raise a\n"
             "nir.NirError. A quick-valid value is settled in C; anything else goes to\n"
             "nir._parse.validate.");

static PyObject *
entry_validate(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int fast = fast_call(module, "validate", nargs);
    if (fast < 0) {
        return NULL;
    }
    if (fast && known_options(kwnames)) {
        PyObject *number = quick_number_object(args[0]);
        if (number != Py_None) {
            return number; /* the compact form, or NULL on error */
        }
        Py_DECREF(number);
    }
    return PyObject_Vectorcall(bound.validate, args, nargs, kwnames);
}

PyDoc_STRVAR(parse_doc,
             "parse($module, value, *, allow_temporary=True, allow_missing_key=False, "
             "warnings_as_errors=False, reference_date=None, names=True)\n--\n\n"
             "nir.parse: validate a number and return its parts (a nir.Nir), or raise a\n"
             "nir.NirError. A quick-valid value called with no option but names is built\n"
             "here, its names from nir._names.place_names; anything else goes to\n"
             "nir._parse.parse.");

/* An ASCII str of s[0:n] (digits), a new reference. */
static PyObject *
digits_text(const unsigned char *s, Py_ssize_t n)
{
    return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, s, n);
}

/* nir._names.place_names, imported on first use (it brings the reference data). */
static PyObject *
place_names_function(void)
{
    if (bound.place_names == NULL) {
        PyObject *names = PyImport_ImportModule("nir._names");
        if (names == NULL) {
            return NULL;
        }
        bound.place_names = PyObject_GetAttrString(names, "place_names");
        Py_DECREF(names);
    }
    return bound.place_names;
}

/*
 * nir._parse._quick_parse(value, None, names=True, strict=False) for a quick-valid
 * str `value` whose compact form is n[0:15]: the fields of a plain definitive
 * number under the most recent reading of its year (nir._parse._candidate_years),
 * the names of nir._names.place_names, one nir.Nir. A new reference, NULL on error.
 */
static PyObject *
quick_parse(PyObject *value, Py_ssize_t length, const unsigned char *n, int names)
{
    /* date.today(): the local civil date */
    time_t now = time(NULL);
    struct tm local;
#ifdef _WIN32
    if (localtime_s(&local, &now) != 0) {
#else
    if (localtime_r(&now, &local) == NULL) {
#endif
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    int today_year = local.tm_year + 1900;
    int today_month = local.tm_mon + 1;
    /* _month and _candidate_years */
    int code = (n[3] - '0') * 10 + (n[4] - '0');
    int month = rules.month_number[code];
    int yy = (n[1] - '0') * 10 + (n[2] - '0');
    int year = today_year - (today_year - yy) % 100;
    if (year == today_year && month != 0 && month > today_month) {
        year -= 100;
    }
    int two_readings = today_year - (year - 100) <= rules.max_age;
    /* birth_period */
    int start_month = month ? month : 1;
    int end_year = (month == 0 || month == 12) ? year + 1 : year;
    int end_month = (month == 0 || month == 12) ? 1 : month + 1;
    /* _place, for plain fields: no error and no warning, whatever the reading */
    int head = (n[5] - '0') * 10 + (n[6] - '0');
    PyObject *values[NIR_FIELDS] = {NULL};
    PyObject *result = NULL, *start = NULL, *end = NULL, *found = NULL;
    switch (rules.head_class[head]) {
    case HEAD_ABROAD:
        values[NIR_COUNTRY] = digits_text(n + 7, 3);
        break;
    case HEAD_OVERSEAS:
        values[NIR_DEPARTMENT] = digits_text(n + 5, 3);
        values[NIR_COMMUNE] = digits_text(n + 5, 5);
        break;
    default:
        values[NIR_DEPARTMENT] = digits_text(n + 5, 2);
        values[NIR_COMMUNE] = digits_text(n + 5, 5);
        if (rules.head_class[head] == HEAD_NORTH_AFRICA &&
            DAY(year, start_month, 1) < rules.head_date[head]) {
            char country[4];
            snprintf(country, sizeof country, "%03ld", rules.head_country[head]);
            values[NIR_COUNTRY] = digits_text((const unsigned char *)country, 3);
        }
    }
    for (int i = NIR_DEPARTMENT; i <= NIR_COUNTRY; i++) {
        if (values[i] == NULL) {
            if (PyErr_Occurred()) {
                goto done;
            }
            values[i] = Py_NewRef(Py_None);
        }
    }
    /* the names, and the data's warnings (names=False: none, as _quick_parse) */
    if (!names) {
        values[NIR_DEPARTMENT_NAME] = Py_NewRef(Py_None);
        values[NIR_COMMUNE_NAME] = Py_NewRef(Py_None);
        values[NIR_COUNTRY_NAME] = Py_NewRef(Py_None);
        values[NIR_WARNINGS] = PyTuple_New(0);
    }
    else {
        PyObject *place_names = place_names_function();
        if (place_names == NULL) {
            goto done;
        }
        start = PyDate_FromDate(year, start_month, 1);
        end = start == NULL ? NULL : PyDate_FromDate(end_year, end_month, 1);
        if (end == NULL) {
            goto done;
        }
        PyObject *call[5] = {values[NIR_DEPARTMENT], values[NIR_COMMUNE], values[NIR_COUNTRY],
                             start, end};
        found = PyObject_Vectorcall(place_names, call, 5, NULL);
        if (found == NULL) {
            goto done;
        }
        if (!PyTuple_Check(found) || PyTuple_GET_SIZE(found) != 4) {
            PyErr_SetString(PyExc_TypeError, "place_names must return a 4-tuple");
            goto done;
        }
        values[NIR_DEPARTMENT_NAME] = Py_NewRef(PyTuple_GET_ITEM(found, 0));
        values[NIR_COMMUNE_NAME] = Py_NewRef(PyTuple_GET_ITEM(found, 1));
        values[NIR_COUNTRY_NAME] = Py_NewRef(PyTuple_GET_ITEM(found, 2));
        values[NIR_WARNINGS] = Py_NewRef(PyTuple_GET_ITEM(found, 3));
    }
    /* the rest of the fields */
    values[NIR_NUMBER] = length == 15 ? Py_NewRef(value) : digits_text(n, 15);
    values[NIR_KIND] = Py_NewRef(bound.kind_nir);
    int male = (rules.identity_digit[n[0] - '0'] & IDENTITY_MALE) != 0;
    values[NIR_SEX] = Py_NewRef(bound.sexes[male]);
    values[NIR_BIRTH_YEAR] = PyLong_FromLong(year);
    values[NIR_BIRTH_MONTH] = month ? PyLong_FromLong(month) : Py_NewRef(Py_None);
    values[NIR_MONTH_KIND] = Py_NewRef(bound.month_kinds[rules.month_kind[code]]);
    values[NIR_ORDER] = digits_text(n + 10, 3);
    values[NIR_KEY] = digits_text(n + 13, 2);
    values[NIR_CENTURY_AMBIGUOUS] = PyBool_FromLong(two_readings);
    for (int i = 0; i < NIR_FIELDS; i++) {
        if (values[i] == NULL) {
            goto done;
        }
    }
    /* one Nir, its slots set as Nir.__init__ sets them: by the slot descriptors' own
     * setters (the frozen class refuses setattr), no __init__ call */
    result = bound.nir->tp_alloc(bound.nir, 0);
    if (result == NULL) {
        goto done;
    }
    for (int i = 0; i < NIR_FIELDS; i++) {
        if (Py_TYPE(bound.fields[i])->tp_descr_set(bound.fields[i], result, values[i]) < 0) {
            Py_CLEAR(result);
            goto done;
        }
    }
done:
    for (int i = 0; i < NIR_FIELDS; i++) {
        Py_XDECREF(values[i]);
    }
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_XDECREF(found);
    return result;
}

static PyObject *
entry_parse(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int fast = fast_call(module, "parse", nargs);
    if (fast < 0) {
        return NULL;
    }
    /* no option, or only names=True/False (which _quick_parse takes as it is) */
    int names = 1;
    if (fast && kwnames != NULL) {
        PyObject *given = PyTuple_GET_SIZE(kwnames) == 1 ? args[1] : NULL;
        if (given != NULL &&
            PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, 0), "names") == 0 &&
            (given == Py_True || given == Py_False)) {
            names = given == Py_True;
        }
        else {
            fast = 0;
        }
    }
    if (fast && PyUnicode_CheckExact(args[0])) {
        PyObject *value = args[0];
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(value) < 0) {
            return NULL;
        }
#endif
        if (PyUnicode_IS_ASCII(value)) {
            unsigned char kept[16];
            Py_ssize_t length = PyUnicode_GET_LENGTH(value);
            Py_ssize_t count = quick_compact(PyUnicode_1BYTE_DATA(value), length, kept);
            if (count >= 0 && fast_valid(kept, count)) {
                return quick_parse(value, length, kept, names);
            }
        }
    }
    return PyObject_Vectorcall(bound.parse, args, nargs, kwnames);
}

/* ------------------------------------------------------------------------ */
/* A growable output buffer.                                                 */

typedef struct {
    char *data;
    Py_ssize_t length;
    Py_ssize_t capacity;
} Buffer;

/* MemoryError, whether or not this thread holds the GIL (scan releases it). */
static void
no_memory(void)
{
    PyGILState_STATE state = PyGILState_Ensure();
    PyErr_NoMemory();
    PyGILState_Release(state);
}

static int buffer_grow(Buffer *buffer, Py_ssize_t extra);

/* Make room for `extra` more bytes; sets MemoryError and returns -1 on failure.
 * Inline: every written row asks, and the room is nearly always there. */
static inline int
buffer_reserve(Buffer *buffer, Py_ssize_t extra)
{
    if (extra <= buffer->capacity - buffer->length) {
        return 0;
    }
    return buffer_grow(buffer, extra);
}

static int
buffer_grow(Buffer *buffer, Py_ssize_t extra)
{
    if (extra > PY_SSIZE_T_MAX - buffer->length) {
        no_memory();
        return -1;
    }
    Py_ssize_t needed = buffer->length + extra;
    /* PyMem_Raw*: scan grows its buffer with the GIL released */
    Py_ssize_t capacity = buffer->capacity > 0 ? buffer->capacity : 4096;
    while (capacity < needed) {
        capacity = capacity > PY_SSIZE_T_MAX / 2 ? needed : capacity * 2;
    }
    char *grown = PyMem_RawRealloc(buffer->data, (size_t)capacity);
    if (grown == NULL) {
        no_memory();
        return -1;
    }
    buffer->data = grown;
    buffer->capacity = capacity;
    return 0;
}

/* Append without a capacity check: the caller reserved the room. */
static inline void
buffer_put(Buffer *buffer, const void *bytes, Py_ssize_t length)
{
    if (length > 0) {
        memcpy(buffer->data + buffer->length, bytes, (size_t)length);
        buffer->length += length;
    }
}

static int
buffer_write(Buffer *buffer, const void *bytes, Py_ssize_t length)
{
    if (buffer_reserve(buffer, length) < 0) {
        return -1;
    }
    buffer_put(buffer, bytes, length);
    return 0;
}

/* b"%d" % value, into `digits` (at least 21 bytes); returns the length. */
static Py_ssize_t
format_decimal(long long value, char *digits)
{
    char reversed[21];
    Py_ssize_t count = 0;
    /* negate as unsigned: LLONG_MIN has no positive long long */
    unsigned long long magnitude =
        value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    do {
        reversed[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    Py_ssize_t length = 0;
    if (value < 0) {
        digits[length++] = '-';
    }
    while (count > 0) {
        digits[length++] = reversed[--count];
    }
    return length;
}

/* ------------------------------------------------------------------------ */
/* scan                                                                      */

PyDoc_STRVAR(scan_doc,
             "scan(data, delimiter, column, width, only_invalid, line, final, slow, judge,\n"
             "render, identity=None, /)\n"
             "--\n\n"
             "nir._csvscan.scan in C (see its docstring for the contract); identity, when\n"
             "given, is nir._csvio's tuple of identity columns (see read_identity).\n"
             "Returns the tuple\n"
             "(output, consumed, line, rows, valid, errors, warnings, rows_with_warnings,\n"
             "blank_lines).\n"
             "The delimiter must be a single byte.");

/* The line breaks that end a record, as `end` says them. */
typedef enum { END_NONE, END_LF, END_CR, END_CRLF, END_KINDS } EndKind;
static const char *const end_text[END_KINDS] = {"", "\n", "\r", "\r\n"};
static const Py_ssize_t end_length[END_KINDS] = {0, 1, 1, 2};

/* For the few small functions of the per-row identity check: GCC -O2 leaves some of
 * them out of line, and their calls were a fifth of the check. */
#if defined(__GNUC__) || defined(__clang__)
#define ROW_INLINE static inline __attribute__((always_inline))
#else
#define ROW_INLINE static inline
#endif

/* The identity columns of a scan (its 11th argument, see nir._csvio.identity_argument). */
enum { ID_SEX, ID_DATE, ID_PLACE, ID_KINDS };
/* What nir._identity answers for a cell (its CELL_* names). */
enum { CELL_EMPTY = 0, CELL_UNCHECKED = 1, CELL_MALE = 2, CELL_MATCH = 2, CELL_MISMATCH = 3 };
/* A flag on a place answer: it holds whatever the birth date (nir._identity.PLACE_ANY_DATE). */
enum { PLACE_ANY_DATE = 4 };
/* A flag on a date answer: YYMMDD of a two-digit year (12/08/55), its century the
 * number's (nir._identity.DAY_CENTURYLESS). */
enum { DAY_CENTURYLESS = 1 << 30 };
/* sex_cells' entry for a cell it does not settle (nir._accel.SEX_ASK): the memo, Python. */
enum { SEX_ASK = 255, SEX_CELLS = 257 };
/* Identity.sex_agrees' bits: the cell agrees with the number's sex; it counts as checked. */
enum { SEX_AGREES = 1, SEX_COUNTED = 2 };
/* The counters, in the order nir._csvio.IDENTITY_COUNTERS names them: checked cells by
 * kind, mismatching cells by kind, mismatching rows, mismatches by field code, the
 * invalid rows given a suggestion. */
enum {
    COUNT_CHECKED = 0,
    COUNT_MISMATCHED = 3,
    COUNT_ROWS = 6,
    COUNT_FIELDS = 7,
    COUNT_SUGGESTIONS = 11,
    COUNTERS = 12
};
/* Distinct codes counted in C by one scan call (more go to the dicts directly). */
enum { TALLIES = 32 };
/* Four memos, each of groups of MEMO_WAYS entries whose [0] is the key length + 1
 * (0: free) and whose key ends the entry. A thread's memo holds two: CELLS (sex and
 * date answers, 16-byte entries, [1..4] the answer: a group is a cache line, ~40,000
 * distinct dates stay in L2) and PLACES (place answers, 64 bytes, [1..4] the answer).
 * The names memo, one for all the threads of a run (see NAMES_HEADER), holds the
 * two of NAMES (a place name's table, see nir._accel.place_name_table: [1] the count
 * of its codes or NAME_UNTOLD, [2] its department + 1 (0: none), [3] NAME_DATED when
 * its codes settle it at a date, [4..] its codes of 5 characters, then the key):
 * SHORT_NAMES, 64 bytes (a cache line) for up to SHORT_CODES codes and a key of up to
 * 45 bytes, the data's usual name (35,000 of its 38,000 have one code, 99 % three at
 * most), and NAMES, 168 bytes for up to NAME_CODES codes and a key of up to 69 bytes.
 * A third of a thread's memo for the cells; 7/8 of the names memo for the short
 * names (of 6 MB: ~86,000 short entries and ~4,700 long ones, a short name in either
 * of two groups: short_names_find), so that the data's names all stay (a memo of
 * 31,000 long entries made the 10-million-row benchmark ask Python 128,000 times).
 * NAME_CODES:
 * the data's most common names (Sainte-Marie, Saint-Martin...) have up to 18 codes; a
 * name of more is asked (Python then reads the whole place data, ~350M instructions). */
enum { MEMO_KEY = 59, MEMO_WAYS = 4, CELL_ENTRY = 16, PLACE_ENTRY = 64, NAME_ENTRY = 168 };
enum { VALUE_AT = 1, KEY_AT = 5, NAME_CODES = 19, NAME_UNTOLD = 255, NO_DEPARTMENT = 255 };
enum { NAME_DATED = 1, NAME_CODES_AT = 4, NAME_KEY_AT = NAME_CODES_AT + 5 * NAME_CODES };
enum { SHORT_NAME_ENTRY = 64, SHORT_CODES = 3, SHORT_KEY_AT = NAME_CODES_AT + 5 * SHORT_CODES };
/* The names memo is shared by the threads of a run: one thread asking Python about a
 * name answers it for all (each asked about every name before, and the names evicted
 * one another in memos of an eighth of the memory at 8 threads). Only a thread that
 * holds the GIL writes it (names_keep), the others read it while they walk without
 * the GIL: its first NAMES_HEADER bytes start with a count of writes (a sequence
 * lock: odd while an entry is written), and a reader without the GIL copies the entry
 * it finds, then keeps the copy only when the count did not move (names_read). A
 * reader that meets an odd count does not wait: the row is deferred to the walk with
 * the GIL, as for a name not kept yet (a writer pre-empted there would make a waiting
 * reader spin). Free-threaded Python would re-enable the GIL for this module, which
 * does not declare Py_mod_gil: a write is never concurrent with another. */
enum { NAMES_HEADER = 64 };
#if defined(__GNUC__) || defined(__clang__)
#define SHARED_NAMES 1
#else
#define SHARED_NAMES 0 /* no atomics: a walk without the GIL asks (the GIL's walk reads) */
#endif

/* One memo of the bytearray: `groups` groups of MEMO_WAYS entries of `entry` bytes. */
typedef struct {
    unsigned char *buf;
    Py_ssize_t groups;
    int entry;
    int key_at; /* where an entry's key starts */
} Memo;

typedef struct {
    int active;
    Py_ssize_t column[ID_KINDS]; /* 0-based; -1: no such column */
    long today;                  /* the run's reference date, YYYYMMDD */
    long today_year;             /* its year */
    PyObject *cell_class;        /* cell_class(kind, cell, head, born) -> int */
    PyObject *place_codes;       /* place_codes(cell) -> bytes of 5-character codes */
    Py_buffer memo;              /* this thread's memo (cells, places), kept by the caller */
    Py_buffer names_memo;        /* the run's names memo (NAMES_HEADER, then two memos) */
    uint64_t *names_writes;      /* its count of writes */
    Memo cells, places, names, short_names; /* the four memos */
    Py_buffer counts;            /* COUNTERS int64, added to at the end of the call */
    const unsigned char *place_mismatch; /* [number's department * DEPARTMENTS + a cell's] */
    const unsigned char *sex_cells; /* [byte]: a 1-byte sex cell's answer, [256] the empty
                                       cell's (nir._accel.sex_cell_table; SEX_ASK: ask) */
    Py_ssize_t split_want;          /* delimiters a row's split keeps for the identity cells
                                       (0: a column after SPLIT_FIELDS, walk again) */
    const uint16_t *span_until;     /* nir._accel.commune_spans_table's parts; NULL: none */
    const uint16_t *span_start;
    const uint16_t *span_city;      /* bits: a city's code; then an arrondissement's */
    const uint16_t *span_arrondissement;
    const uint16_t *spans;
    long span_epoch;
    long span_count;
    long long count[COUNTERS];
    int sex_and_date;               /* a sex and a date column (a place one or not), all
                                       split: agreeing_split may settle a row */
    unsigned char sex_agrees[2][SEX_CELLS]; /* [male][byte, 256 empty]: agreeing_split's sex
                                       test, SEX_AGREES | SEX_COUNTED (0: not settled) */
} Identity;

/* The arguments of one scan call, and what it has counted so far. */
typedef struct {
    Identity identity;
    const char *data;
    Py_ssize_t size;
    char delimiter;
    Py_ssize_t column;
    Py_ssize_t split_keep; /* the `want` of a row's split: identity.split_want, raised to
                              column + 1 when that fits, so that the NIR field too comes
                              from the kept delimiters (split_block); 0 without identity */
    Py_ssize_t width;
    int only_invalid;
    int final;
    PyObject *slow;
    PyObject *ends[END_KINDS]; /* `end` as bytes for slow(), made on first use */
    Buffer out;
    long long line;
    Py_ssize_t rows;
    PyObject *judge;    /* a callable, or NULL when the policy below is used */
    int policy[3];      /* allow_temporary, allow_missing_key, warnings_as_errors */
    long year, month;   /* the reference date of the policy */
    PyObject *errors;   /* dict: error code -> count, rows settled here */
    PyObject *warnings; /* dict: warning code -> count, rows settled here */
    Py_ssize_t valid;
    Py_ssize_t rows_with_warnings;
    Py_ssize_t blank_lines;
    PyObject *render;        /* render(code, params) -> the message cell's bytes (the run's
                                language and encoding) */
    PyObject *messages;      /* dict: (code, params) -> message bytes, filled on first use */
    PyObject *key_messages; /* list: key * 100 + expected -> message of "key" (None until
                               first use), kept in `messages` under the str "key" */
    struct MessageTable *table; /* the C verdicts' messages by (code, params) as bytes,
                                   kept in `messages` under the str "c-messages" */
    struct {
        const char *code;    /* a string literal of the rules (compared by address) */
        Py_ssize_t count[2]; /* as an error, as a warning */
    } tally[TALLIES];        /* the C verdicts' codes, added to errors/warnings at the end */
    int tallied;
    /* The walk runs without the GIL (other threads scan other pieces meanwhile); it
     * takes it back for anything that touches a Python object. */
    PyThreadState *released; /* this thread's state while the GIL is released, else NULL */
    PyObject **key_texts;    /* key * 100 + expected -> its message, borrowed from
                                key_messages (NULL until first use): read without the GIL */
    Py_ssize_t key_errors;   /* "key" errors settled, added to `errors` at the end */
    /* The first walk, without the GIL, settles what C can alone and defers the rows
     * that need Python (a C verdict, a new key message, slow()): the second, with
     * the GIL, handles them in order; their output is then put in its place. */
    int deferring;
    Py_ssize_t next_quote; /* scan_records' look-ahead, kept between stretches */
    struct Deferred *deferred;
    Py_ssize_t deferred_count, deferred_capacity;
    /* The LINE cell of the last settled row written, as text: the next row's is
     * usually one more, counted up in place (see line_text). */
    long long text_line;
    Py_ssize_t text_length;
    char text[24];
} Scan;

/* A row left for the walk with the GIL: body data[start:stop], its place in `out`. */
typedef struct Deferred {
    Py_ssize_t start, stop;
    Py_ssize_t at;             /* out.length when it was deferred */
    Py_ssize_t late_end;       /* the end of its output in the second walk's buffer */
    long long line;
    int kind;                  /* EndKind */
    int quoted;
} Deferred;

/* Hold the GIL (before touching a Python object). */
static inline void
gil_take(Scan *scan)
{
    if (scan->released != NULL) {
        PyEval_RestoreThread(scan->released);
        scan->released = NULL;
    }
}

/* The message of (code, params): render(code, params), called once per distinct
 * message (a dict cache: render.cache when it has one, else one for this call).
 * A borrowed reference, or NULL on error. */
static PyObject *
cached_message(Scan *scan, PyObject *code, PyObject *params)
{
    PyObject *key = PyTuple_Pack(2, code, params);
    if (key == NULL) {
        return NULL;
    }
    PyObject *message = PyDict_GetItemWithError(scan->messages, key);
    if (message == NULL && !PyErr_Occurred()) {
        message = PyObject_CallFunctionObjArgs(scan->render, code, params, NULL);
        if (message != NULL && !PyBytes_Check(message)) {
            PyErr_SetString(PyExc_TypeError, "scan: render must return bytes");
            Py_CLEAR(message);
        }
        if (message != NULL) {
            int status = PyDict_SetItem(scan->messages, key, message);
            Py_DECREF(message); /* the dict holds it */
            message = status < 0 ? NULL : message;
        }
    }
    Py_DECREF(key);
    return message;
}

/* The messages of the C verdicts by (code, params) in C terms (message_key): most
 * invalid rows repeat a few messages, found so without a params tuple or a dict. */
enum { TABLE_SLOTS = 1 << 15, TABLE_LIMIT = 1 << 14, TABLE_KEY = 64 };
typedef struct MessageTable {
    Py_ssize_t used;
    struct {
        uint64_t hash;
        PyObject *message; /* a strong reference, NULL: a free slot */
        unsigned char length;
        unsigned char key[TABLE_KEY];
    } slot[TABLE_SLOTS];
} MessageTable;

static const char TABLE_NAME[] = "nir._speedups.MessageTable";

static uint64_t
key_hash(const unsigned char *key, Py_ssize_t length)
{
    uint64_t hash = 1469598103934665603ULL; /* FNV-1a */
    for (Py_ssize_t i = 0; i < length; i++) {
        hash = (hash ^ key[i]) * 1099511628211ULL;
    }
    return hash;
}

/* The slot of a key: its own, or the free one where it would go. */
static Py_ssize_t
table_slot(const MessageTable *table, const unsigned char *key, Py_ssize_t length, uint64_t hash)
{
    Py_ssize_t at = (Py_ssize_t)(hash & (TABLE_SLOTS - 1));
    while (table->slot[at].message != NULL &&
           (table->slot[at].hash != hash || table->slot[at].length != length ||
            memcmp(table->slot[at].key, key, (size_t)length) != 0)) {
        at = (at + 1) & (TABLE_SLOTS - 1);
    }
    return at;
}

/* The message of a key, borrowed, or NULL when it is not there yet. */
static PyObject *
table_find(const MessageTable *table, const unsigned char *key, Py_ssize_t length)
{
    return table->slot[table_slot(table, key, length, key_hash(key, length))].message;
}

/* Keep a message under its key (the table full: not kept, it is then rendered again). */
static void
table_store(MessageTable *table, const unsigned char *key, Py_ssize_t length, PyObject *message)
{
    uint64_t hash = key_hash(key, length);
    Py_ssize_t at = table_slot(table, key, length, hash);
    if (table->slot[at].message != NULL || table->used >= TABLE_LIMIT) {
        return;
    }
    table->slot[at].hash = hash;
    table->slot[at].length = (unsigned char)length;
    memcpy(table->slot[at].key, key, (size_t)length);
    table->slot[at].message = Py_NewRef(message);
    table->used++;
}

static void
table_free(PyObject *capsule)
{
    MessageTable *table = PyCapsule_GetPointer(capsule, TABLE_NAME);
    if (table == NULL) {
        PyErr_Clear();
        return;
    }
    for (Py_ssize_t i = 0; i < TABLE_SLOTS; i++) {
        Py_XDECREF(table->slot[i].message);
    }
    PyMem_Free(table);
}

/* The table of `messages` (made on first use): it lives as long as render.cache, as
 * the messages it holds. NULL with an exception set on failure. */
static MessageTable *
message_table(Scan *scan)
{
    if (scan->table != NULL) {
        return scan->table;
    }
    PyObject *name = PyUnicode_FromString("c-messages");
    if (name == NULL) {
        return NULL;
    }
    PyObject *capsule = PyDict_GetItemWithError(scan->messages, name);
    if (capsule != NULL && PyCapsule_IsValid(capsule, TABLE_NAME)) {
        scan->table = PyCapsule_GetPointer(capsule, TABLE_NAME);
    }
    else if (!PyErr_Occurred()) {
        MessageTable *table = PyMem_Calloc(1, sizeof(MessageTable));
        capsule = table ? PyCapsule_New(table, TABLE_NAME, table_free) : PyErr_NoMemory();
        if (capsule == NULL) {
            PyMem_Free(table);
        }
        else if (PyDict_SetItem(scan->messages, name, capsule) == 0) {
            scan->table = table; /* the dict holds the capsule */
        }
        Py_XDECREF(capsule);
    }
    Py_DECREF(name);
    return scan->table;
}

/* The key of (code, params) in C terms: the code, the Py_BuildValue format of the
 * params, then its arguments' bytes (s#, n, i; O only as None). -1 when it does not
 * fit (such a message is then looked up by its tuple only). */
static Py_ssize_t
message_key(const char *code, const char *format, va_list given, unsigned char *key)
{
    va_list args;
    va_copy(args, given);
    Py_ssize_t length = 0;
    Py_ssize_t code_length = (Py_ssize_t)strlen(code) + 1;
    Py_ssize_t format_length = (Py_ssize_t)strlen(format) + 1;
    if (code_length + format_length > TABLE_KEY) {
        va_end(args);
        return -1;
    }
    memcpy(key, code, (size_t)code_length);
    memcpy(key + code_length, format, (size_t)format_length);
    length = code_length + format_length;
    for (const char *f = format; *f != '\0' && length >= 0; f++) {
        if (*f == 's' && f[1] == '#') {
            const char *text = va_arg(args, const char *);
            Py_ssize_t size = va_arg(args, Py_ssize_t);
            f++;
            if (size > 255 || length + 1 + size > TABLE_KEY) {
                length = -1;
                break;
            }
            key[length++] = (unsigned char)size;
            memcpy(key + length, text, (size_t)size);
            length += size;
        }
        else if (*f == 'n' || *f == 'i') {
            long long value = *f == 'n' ? (long long)va_arg(args, Py_ssize_t) : va_arg(args, int);
            if (length + (Py_ssize_t)sizeof value > TABLE_KEY) {
                length = -1;
                break;
            }
            memcpy(key + length, &value, sizeof value);
            length += (Py_ssize_t)sizeof value;
        }
        else if (*f == 'O') {
            length = va_arg(args, PyObject *) == Py_None ? length : -1;
        }
        else if (*f != '(' && *f != ')') {
            length = -1;
        }
    }
    va_end(args);
    return length;
}

/* The list of "key" messages in `messages` (made on first use): a run's wrong keys
 * then cost an index, not a dict look-up, in every call of scan. */
static PyObject *
key_message_list(Scan *scan)
{
    if (scan->key_messages != NULL) {
        return scan->key_messages;
    }
    PyObject *name = PyUnicode_FromString("key");
    if (name == NULL) {
        return NULL;
    }
    PyObject *list = PyDict_GetItemWithError(scan->messages, name);
    if (list != NULL && PyList_Check(list) && PyList_GET_SIZE(list) == 100 * 100) {
        scan->key_messages = Py_NewRef(list);
    }
    else if (!PyErr_Occurred()) {
        list = PyList_New(100 * 100);
        if (list != NULL) {
            for (Py_ssize_t i = 0; i < 100 * 100; i++) {
                PyList_SET_ITEM(list, i, Py_NewRef(Py_None));
            }
            if (PyDict_SetItem(scan->messages, name, list) < 0) {
                Py_CLEAR(list);
            }
        }
        scan->key_messages = list;
    }
    Py_DECREF(name);
    return scan->key_messages;
}

/* The message of "key" for the key digits[0:2] and the expected one digits[2:4]: the
 * key's message with a marker for the expected key (rendered once a key, not once a
 * pair: a run meets thousands of pairs), the marker then replaced; rendered as a whole
 * when the marker is there more than once. A new reference, or NULL. */
static PyObject *
key_message_text(Scan *scan, const char digits[4])
{
    static const char marker[2] = {'\x01', '\x02'};
    PyObject *code = PyUnicode_FromString("key");
    PyObject *params = Py_BuildValue("(s#s#)", digits, (Py_ssize_t)2, marker, (Py_ssize_t)2);
    PyObject *shape = code && params ? cached_message(scan, code, params) : NULL;
    Py_XDECREF(params);
    PyObject *message = NULL;
    if (shape != NULL) {
        const char *text = PyBytes_AS_STRING(shape);
        Py_ssize_t length = PyBytes_GET_SIZE(shape);
        const char *at = NULL;
        int markers = 0;
        for (Py_ssize_t i = 0; i + 2 <= length; i++) {
            if (text[i] == marker[0] && text[i + 1] == marker[1]) {
                at = at == NULL ? text + i : at;
                markers++;
            }
        }
        if (markers == 0) {
            message = Py_NewRef(shape); /* the same for every expected key */
        }
        else if (markers == 1) {
            message = PyBytes_FromStringAndSize(NULL, length);
            if (message != NULL) {
                char *to = PyBytes_AS_STRING(message);
                memcpy(to, text, (size_t)length);
                memcpy(to + (at - text), digits + 2, 2);
            }
        }
        else {
            params = Py_BuildValue("(s#s#)", digits, (Py_ssize_t)2, digits + 2, (Py_ssize_t)2);
            message = params ? Py_XNewRef(cached_message(scan, code, params)) : NULL;
            Py_XDECREF(params);
        }
    }
    Py_XDECREF(code);
    return message;
}

/* The message of the error "key" for a key (0-99) and the expected one (1-97):
 * key_message_text, kept in `key_message_list`. A borrowed reference, or NULL. */
static PyObject *
key_message(Scan *scan, int key, int expected)
{
    PyObject *list = key_message_list(scan);
    if (list == NULL) {
        return NULL;
    }
    PyObject *found = PyList_GET_ITEM(list, key * 100 + expected);
    if (found == Py_None) {
        char digits[4] = {(char)('0' + key / 10), (char)('0' + key % 10),
                          (char)('0' + expected / 10), (char)('0' + expected % 10)};
        PyObject *message = key_message_text(scan, digits);
        if (message == NULL) {
            return NULL;
        }
        /* Another thread's scan may have set it meanwhile (render runs Python): an item
         * is set once and never replaced, as scans hold it borrowed (Scan.key_texts). */
        found = PyList_GET_ITEM(list, key * 100 + expected);
        if (found == Py_None) {
            PyList_SetItem(list, key * 100 + expected, message); /* it steals the reference */
            found = message;
        }
        else {
            Py_DECREF(message);
        }
    }
    return found;
}

static int put_cell(Scan *scan, const char *text, Py_ssize_t length);

/* The decimal text of `line` (scan->text, scan->text_length bytes, 8 more readable):
 * the last one counted up by one in place when it is the next line, as it is for
 * the usual one-line rows, instead of formatting it again (a division per digit). */
static inline const char *
line_text(Scan *scan, long long line)
{
    if (line == scan->text_line + 1 && scan->text_length > 0) {
        char *last = scan->text + scan->text_length - 1;
        char *at = last;
        while (at >= scan->text && *at == '9') {
            *at-- = '0';
        }
        if (at >= scan->text) {
            (*at)++;
            scan->text_line = line;
            return scan->text;
        }
    }
    scan->text_length = format_decimal(line, scan->text);
    scan->text_line = line;
    return scan->text;
}

/* Write a settled row: BODY;LINE;true;;;NUMBER;nir;;MISMATCH;END when `message` is
 * NULL, else BODY;LINE;false;key;MESSAGE;NUMBER;;;;SUGGESTION;END with MESSAGE as
 * `put_cell` writes it (the same bytes RowChecker.slow_row writes for such a row;
 * MISMATCH, the identity fields that contradict the number, and SUGGESTION, the one
 * valid number consistent with them, are empty without identity columns). `number`
 * has 16 readable bytes (the cells are copied in fixed sizes, the length then moved
 * back: no library call for a few bytes). */
static int
write_settled_row(Scan *scan, const char *body, Py_ssize_t body_length, const char *number,
                  long long line, const char *message, Py_ssize_t message_length,
                  const char *mismatch, Py_ssize_t mismatch_length, const char *suggestion,
                  Py_ssize_t suggestion_length, const char *end, Py_ssize_t end_length)
{
    const char *digits = line_text(scan, line);
    Py_ssize_t digits_length = scan->text_length;
    /* 9 delimiters, "false" + "key" at most, 2 quotes, the over-copied bytes */
    Py_ssize_t fixed = 9 + 8 + 2 + 24 + 16 + message_length + 3 + mismatch_length +
                       suggestion_length + 8;
    if (body_length > PY_SSIZE_T_MAX - fixed) {
        gil_take(scan);
        PyErr_NoMemory();
        return -1;
    }
    if (buffer_reserve(&scan->out, body_length + fixed) < 0) {
        return -1;
    }
    Buffer *out = &scan->out;
    const char d = scan->delimiter;
    char *to = out->data + out->length;
    memcpy(to, body, (size_t)body_length);
    to += body_length;
    *to++ = d;
    memcpy(to, digits, 8); /* the line's digits: 8 at a time */
    if (digits_length > 8) {
        memcpy(to + 8, digits + 8, 16);
    }
    to += digits_length;
    if (message == NULL) {
        char cells[8] = {0, 't', 'r', 'u', 'e', 0, 0, 0}; /* ;true;;; */
        cells[0] = cells[5] = cells[6] = cells[7] = d;
        memcpy(to, cells, 8);
        to += 8;
    }
    else {
        char cells[10] = {0, 'f', 'a', 'l', 's', 'e', 0, 'k', 'e', 'y'}; /* ;false;key */
        cells[0] = cells[6] = d;
        memcpy(to, cells, 10);
        to += 10;
        *to++ = d;
        /* the message as nir._csvscan.cell writes it, then room for the rest again */
        out->length = to - out->data;
        if (put_cell(scan, message, message_length) < 0 ||
            buffer_reserve(out, 5 + 16 + mismatch_length + suggestion_length + 8) < 0) {
            return -1;
        }
        to = out->data + out->length;
        *to++ = d;
    }
    memcpy(to, number, 16);
    to += 15;
    *to++ = d;
    if (message == NULL) {
        char cells[4] = {'n', 'i', 'r', 0}; /* nir; */
        cells[3] = d;
        memcpy(to, cells, 4);
        to += 4;
    }
    else {
        *to++ = d;
    }
    *to++ = d;
    if (mismatch_length > 0) {
        /* as any free-text cell ("|" joins the codes: quoted in a "|"-separated file),
         * then room for the rest again */
        out->length = to - out->data;
        if (put_cell(scan, mismatch, mismatch_length) < 0 ||
            buffer_reserve(out, 1 + suggestion_length + 8) < 0) {
            return -1;
        }
        to = out->data + out->length;
    }
    *to++ = d;
    if (suggestion_length > 0) {
        memcpy(to, suggestion, (size_t)suggestion_length);
        to += suggestion_length;
    }
    if (end_length > 0) { /* CRLF, CR or LF */
        to[0] = end[0];
        to[1] = end[end_length - 1];
        to += end_length;
    }
    out->length = to - out->data;
    return 0;
}

/* Whether a field [start, stop) is simple: no quote, or a quote, bytes without a
 * quote, a quote. Sets the value (without the quotes). */
static int
simple_piece(const char *start, const char *stop, const char **value, const char **value_end)
{
    const char *quote = memchr(start, '"', (size_t)(stop - start));
    if (quote == NULL) {
        *value = start;
        *value_end = stop;
        return 1;
    }
    if (stop - start < 2 || start[0] != '"' || stop[-1] != '"' ||
        memchr(start + 1, '"', (size_t)(stop - start - 2)) != NULL) {
        return 0;
    }
    *value = start + 1;
    *value_end = stop - 1;
    return 1;
}

/* The set bits of a 16-bit mask (no popcount instruction in the baseline x86-64). */
static inline int
bits16(unsigned mask)
{
    static const unsigned char bits8[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
        B6(0), B6(1), B6(1), B6(2)
#undef B2
#undef B4
#undef B6
    };
    return bits8[mask & 0xFF] + bits8[(mask >> 8) & 0xFF];
}

/* The fields whose bounds a split keeps for the identity cells (SPLIT_FIELDS: the
 * first ones; identity columns after them are found by a second walk). */
enum { SPLIT_FIELDS = 24 };

/* Field `column` of a body without quotes, found delimiter after delimiter: it
 * starts after the column-th and stops at the next. The first `want` delimiters
 * are kept too (the identity cells' bounds, found by the same walk): field k <= seen,
 * k < want, stops at split_stop(split, k). When want > column, field `column` is
 * read from the kept delimiters by split_end (split_keep). */
typedef struct {
    Py_ssize_t seen;   /* delimiters so far */
    Py_ssize_t want;   /* delimiters to keep in mark[1..want], want <= SPLIT_FIELDS */
    Py_ssize_t column; /* the field wanted in value */
    const char *value, *value_end; /* NULL until found */
    const char *body, *stop;       /* the body split, set by split_end */
    /* mark[k]: the k-th delimiter (k <= seen, want); 16 more slots for the stores
     * of keep_marks past a block's last delimiter */
    const char *mark[SPLIT_FIELDS + 1 + 16];
} Split;

static inline void
split_start(Split *split, const char *body, Py_ssize_t column, Py_ssize_t want)
{
    split->seen = 0;
    split->want = want;
    split->column = column;
    split->value = column == 0 ? body : NULL;
    split->value_end = NULL;
    split->body = body;
}

/* The delimiters of a block (the bits of `mask`, not 0) into slot[0], slot[1], ...
 * The first four stores take no branch: which of them are real varies from block to
 * block, and a branch per delimiter was mispredicted about once a block. A store past
 * the last delimiter writes `at + 16` into a slot after `seen`, which no one reads
 * (split_field and split_stop read k <= seen) and the next block overwrites. */
static inline void
keep_marks(const char **slot, const char *at, unsigned mask)
{
    slot[0] = at + __builtin_ctz(mask | 0x10000U);
    mask &= mask - 1;
    slot[1] = at + __builtin_ctz(mask | 0x10000U);
    mask &= mask - 1;
    slot[2] = at + __builtin_ctz(mask | 0x10000U);
    mask &= mask - 1;
    slot[3] = at + __builtin_ctz(mask | 0x10000U);
    mask &= mask - 1;
    for (slot += 4; mask != 0; mask &= mask - 1) {
        *slot++ = at + __builtin_ctz(mask);
    }
}

/* The delimiters of 16 bytes from `at`, as the bits of `mask`. */
static inline void
split_block(Split *split, const char *at, unsigned mask, Py_ssize_t column)
{
    Py_ssize_t seen = split->seen;
    const Py_ssize_t want = split->want;
    int count = bits16(mask);
    if (want > column) { /* the delimiters kept up to `want`; the value by split_end */
        if (seen < want && mask != 0) {
            keep_marks(split->mark + seen + 1, at, mask);
        }
        split->seen = seen + count;
        return;
    }
    if (seen >= want && (split->value_end != NULL || seen + count < column)) {
        split->seen = seen + count; /* not the block of delimiter `column` or the one after */
        return;
    }
    for (; mask != 0; mask &= mask - 1) {
        const char *delimiter = at + __builtin_ctz(mask);
        seen++;
        if (seen <= want) {
            split->mark[seen] = delimiter;
        }
        if ((size_t)(seen - column) <= 1) { /* delimiter `column` or the one after */
            if (seen == column) {
                split->value = delimiter + 1;
            }
            else {
                split->value_end = delimiter;
            }
        }
    }
    split->seen = seen;
}

/* Where kept field `column` (column <= seen) starts: the body's start for the first
 * field, else just after its delimiter. */
static inline const char *
split_field(const Split *split, Py_ssize_t column)
{
    return column == 0 ? split->body : split->mark[column] + 1;
}

/* Where kept field `column` (column <= seen) stops: at the next delimiter, or at
 * the body's end when it is the last field (no delimiter after it). */
static inline const char *
split_stop(const Split *split, Py_ssize_t column)
{
    return column < split->seen ? split->mark[column + 1] : split->stop;
}

/* The count of fields of a body that ends at `stop` (before its line end); field
 * `column` then closed. */
static inline Py_ssize_t
split_end(Split *split, const char *stop)
{
    split->stop = stop;
    const Py_ssize_t column = split->column;
    if (split->want > column) { /* the value from the kept delimiters */
        split->value = column <= split->seen ? split_field(split, column) : NULL;
        split->value_end = split->value != NULL ? split_stop(split, column) : NULL;
    }
    else if (split->value != NULL && split->value_end == NULL) {
        split->value_end = stop;
    }
    return split->seen + 1;
}

/* body.split(delimiter) of a body without quotes (`room` bytes from body on may be
 * read, room >= length): the count of fields, and field `column` in `split`. */
static Py_ssize_t
plain_split(const char *body, Py_ssize_t length, Py_ssize_t room, char delimiter,
            Py_ssize_t column, Py_ssize_t want, Split *split)
{
    split_start(split, body, column, want);
    Py_ssize_t i = 0;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    const __m128i delimiters = _mm_set1_epi8(delimiter);
    for (; i < length && i + 16 <= room; i += 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(body + i));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, delimiters));
        if (length - i < 16) {
            mask &= (1U << (length - i)) - 1; /* the bytes after the body */
        }
        split_block(split, body + i, mask, column);
    }
#endif
    for (; i < length; i += 16) {
        unsigned mask = 0;
        for (Py_ssize_t k = 0; k < 16 && i + k < length; k++) {
            mask |= (unsigned)(body[i + k] == delimiter) << k;
        }
        split_block(split, body + i, mask, column);
    }
    return split_end(split, body + length);
}

/* The end of the quoted part that opens with the quote at s[at]: the index after the
 * quote that closes it (a doubled quote stands for one, inside), or -1 when it does not
 * close before `size`. */
static Py_ssize_t
quoted_part_end(const char *s, Py_ssize_t at, Py_ssize_t size)
{
    for (at++;;) {
        const char *quote = memchr(s + at, '"', (size_t)(size - at));
        if (quote == NULL) {
            return -1;
        }
        at = quote - s + 1;
        if (at < size && s[at] == '"') {
            at++;
            continue;
        }
        return at;
    }
}

/* The line breaks in s[0:n], CRLF, CR and LF each one (nir._csvscan.line_breaks). */
/* The bytes of `word` equal to `byte`, as their high bits (exact: no false positives). */
static inline uint64_t
bytes_equal(uint64_t word, uint64_t byte)
{
    const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
    uint64_t x = word ^ (byte * UINT64_C(0x0101010101010101));
    return ~(((x & low7) + low7) | x | low7);
}

static inline long long
high_bits(uint64_t mask)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_popcountll(mask);
#else
    long long count = 0;
    for (; mask; mask &= mask - 1) {
        count++;
    }
    return count;
#endif
}

static long long
line_breaks(const char *s, Py_ssize_t n)
{
    /* 8 bytes at a time (nir csv counts every byte of a window with it when it splits
     * the window between threads): LFs, plus CRs not followed by an LF */
    const unsigned char *u = (const unsigned char *)s;
    long long count = 0;
    Py_ssize_t i = 0;
#if defined(__SSE2__)
    /* per byte lane: +1 for an LF, +1 for a CR whose next byte is no LF; summed into
     * `count` before a lane can overflow (2 a block, 120 blocks) */
    const __m128i lf_bytes = _mm_set1_epi8('\n');
    const __m128i cr_bytes = _mm_set1_epi8('\r');
    while (i + 17 <= n) {
        __m128i lanes = _mm_setzero_si128();
        for (int blocks = 0; blocks < 120 && i + 17 <= n; blocks++, i += 16) {
            __m128i block = _mm_loadu_si128((const __m128i *)(u + i));
            __m128i next = _mm_loadu_si128((const __m128i *)(u + i + 1));
            __m128i lf = _mm_cmpeq_epi8(block, lf_bytes);
            __m128i lone_cr =
                _mm_andnot_si128(_mm_cmpeq_epi8(next, lf_bytes), _mm_cmpeq_epi8(block, cr_bytes));
            lanes = _mm_sub_epi8(_mm_sub_epi8(lanes, lf), lone_cr); /* a match is -1 */
        }
        __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        count += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 9 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, u + i, 8); /* memcpy: no unaligned or aliasing UB */
        uint64_t lf = bytes_equal(word, '\n');
        uint64_t cr = bytes_equal(word, '\r');
        count += high_bits(lf);
        if (cr) {
            /* byte k+1's LF bit moved onto byte k (little-endian), the 8th by hand */
            uint64_t lf_after = bytes_equal(word >> 8 | (uint64_t)u[i + 8] << 56, '\n');
            count += high_bits(cr & ~lf_after);
        }
    }
#endif
    for (; i < n; i++) {
        count += u[i] == '\n' || (u[i] == '\r' && (i + 1 == n || u[i + 1] != '\n'));
    }
    return count;
}

/* The fields of a body with quotes, as csv.reader splits it (nir._csvscan.raw_fields):
 * returns their count, and sets [*field, *field_end) to field `column` as it stands
 * (quotes included) when there is one. */
static Py_ssize_t
locate_field(const char *body, Py_ssize_t length, char delimiter, Py_ssize_t column,
             const char **field, const char **field_end)
{
    Py_ssize_t count = 0;
    Py_ssize_t at = 0;
    for (;;) {
        Py_ssize_t start = at;
        if (at < length && body[at] == '"') {
            Py_ssize_t end = quoted_part_end(body, at, length);
            at = end < 0 ? length : end;
        }
        const char *found = memchr(body + at, delimiter, (size_t)(length - at));
        Py_ssize_t stop = found != NULL ? found - body : length;
        if (count == column) {
            *field = body + start;
            *field_end = body + stop;
        }
        count++;
        if (found == NULL) {
            return count;
        }
        at = stop + 1;
    }
}

/* dict[key] += 1 */
static int
count_code(PyObject *dict, PyObject *key)
{
    PyObject *count = PyDict_GetItemWithError(dict, key);
    if (count == NULL && PyErr_Occurred()) {
        return -1;
    }
    Py_ssize_t value = count == NULL ? 0 : PyLong_AsSsize_t(count);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    PyObject *next = PyLong_FromSsize_t(value + 1);
    if (next == NULL) {
        return -1;
    }
    int status = PyDict_SetItem(dict, key, next);
    Py_DECREF(next);
    return status;
}

/* Append a free-text cell as nir._csvscan.cell writes it: a leading apostrophe when
 * it starts with a formula character (FORMULA_STARTS), then quoted, quotes doubled,
 * when it holds the delimiter, a quote, CR or LF. */
static int
put_cell(Scan *scan, const char *text, Py_ssize_t length)
{
    static const char formula_starts[] = {'=', '+', '-', '@', '\t', '\r'};
    int defuse = length > 0 && memchr(formula_starts, text[0], sizeof formula_starts) != NULL;
    int quote = 0;
    Py_ssize_t quotes = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '"') {
            quotes++;
            quote = 1;
        }
        else if (c == scan->delimiter || c == '\r' || c == '\n') {
            quote = 1;
        }
    }
    if (buffer_reserve(&scan->out, length + quotes + 3) < 0) {
        return -1;
    }
    if (quote) {
        buffer_put(&scan->out, "\"", 1);
    }
    if (defuse) {
        buffer_put(&scan->out, "'", 1);
    }
    if (!quotes) {
        buffer_put(&scan->out, text, length);
    }
    else {
        for (Py_ssize_t i = 0; i < length; i++) {
            buffer_put(&scan->out, &text[i], 1);
            if (text[i] == '"') {
                buffer_put(&scan->out, "\"", 1);
            }
        }
    }
    if (quote) {
        buffer_put(&scan->out, "\"", 1);
    }
    return 0;
}

/* UTF-8 of a str item of the verdict tuple. */
static const char *
text_of(PyObject *value, Py_ssize_t *length)
{
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "judge must return str fields");
        return NULL;
    }
    return PyUnicode_AsUTF8AndSize(value, length);
}

/* Write and count a row judged by judge(field): (code, message, number, kind,
 * warnings), or by the rules in C: (code, params, ...), its message then rendered. */
static int
write_judged_row(Scan *scan, const char *body, Py_ssize_t body_length, long long line,
                 PyObject *verdict, const char *mismatch, Py_ssize_t mismatch_length,
                 const char *suggestion, Py_ssize_t suggestion_length, const char *end,
                 Py_ssize_t end_length)
{
    if (!PyTuple_Check(verdict) || PyTuple_GET_SIZE(verdict) != 5 ||
        !PyTuple_Check(PyTuple_GET_ITEM(verdict, 4))) {
        PyErr_SetString(PyExc_TypeError, "judge must return a 5-tuple or None");
        return -1;
    }
    Py_ssize_t code_length, message_length, number_length, kind_length;
    const char *code = text_of(PyTuple_GET_ITEM(verdict, 0), &code_length);
    PyObject *said = PyTuple_GET_ITEM(verdict, 1);
    const char *message = NULL;
    if (code != NULL && code_length == 0 && PyTuple_Check(said)) {
        message = ""; /* a valid value: no message */
        message_length = 0;
    }
    else if (code != NULL) {
        if (PyTuple_Check(said)) { /* params: the message of a C verdict */
            said = cached_message(scan, PyTuple_GET_ITEM(verdict, 0), said);
        }
        if (said != NULL && !PyBytes_Check(said)) {
            PyErr_SetString(PyExc_TypeError, "judge must return the message as bytes");
            said = NULL;
        }
        message = said ? PyBytes_AS_STRING(said) : NULL;
        message_length = said ? PyBytes_GET_SIZE(said) : 0;
    }
    const char *number = message ? text_of(PyTuple_GET_ITEM(verdict, 2), &number_length) : NULL;
    const char *kind = number ? text_of(PyTuple_GET_ITEM(verdict, 3), &kind_length) : NULL;
    if (kind == NULL) {
        return -1;
    }
    PyObject *warnings = PyTuple_GET_ITEM(verdict, 4);
    Py_ssize_t warning_count = PyTuple_GET_SIZE(warnings);
    if (code_length > 0) {
        if (count_code(scan->errors, PyTuple_GET_ITEM(verdict, 0)) < 0) {
            return -1;
        }
    }
    else {
        scan->valid++;
    }
    if (warning_count > 0) {
        scan->rows_with_warnings++;
        for (Py_ssize_t i = 0; i < warning_count; i++) {
            if (count_code(scan->warnings, PyTuple_GET_ITEM(warnings, i)) < 0) {
                return -1;
            }
        }
    }
    if (code_length == 0 && mismatch_length == 0 && scan->only_invalid) {
        return 0;
    }
    char digits[21];
    Py_ssize_t digits_length = format_decimal(line, digits);
    const char d = scan->delimiter;
    if (buffer_write(&scan->out, body, body_length) < 0 || buffer_write(&scan->out, &d, 1) < 0 ||
        buffer_write(&scan->out, digits, digits_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 ||
        buffer_write(&scan->out, code_length ? "false" : "true", code_length ? 5 : 4) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || buffer_write(&scan->out, code, code_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || put_cell(scan, message, message_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || put_cell(scan, number, number_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || buffer_write(&scan->out, kind, kind_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0) {
        return -1;
    }
    /* the warnings joined by "|", as one cell */
    PyObject *bar = PyUnicode_FromString("|");
    if (bar == NULL) {
        return -1;
    }
    PyObject *joined = PyUnicode_Join(bar, warnings);
    Py_DECREF(bar);
    if (joined == NULL) {
        return -1;
    }
    Py_ssize_t joined_length;
    const char *joined_text = PyUnicode_AsUTF8AndSize(joined, &joined_length);
    int status = joined_text == NULL ? -1 : put_cell(scan, joined_text, joined_length);
    Py_DECREF(joined);
    if (status < 0) {
        return -1;
    }
    /* identity mismatch, then the suggestion (both empty without identity columns) */
    if (buffer_write(&scan->out, &d, 1) < 0 || put_cell(scan, mismatch, mismatch_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 ||
        buffer_write(&scan->out, suggestion, suggestion_length) < 0) {
        return -1;
    }
    return buffer_write(&scan->out, end, end_length);
}

/* dict[code] += count */
static int
add_count(PyObject *dict, const char *code, Py_ssize_t count)
{
    PyObject *key = PyUnicode_FromString(code);
    PyObject *found = key ? PyDict_GetItemWithError(dict, key) : NULL;
    Py_ssize_t value = found ? PyLong_AsSsize_t(found) : 0;
    PyObject *total = PyErr_Occurred() ? NULL : PyLong_FromSsize_t(value + count);
    int status = total == NULL ? -1 : PyDict_SetItem(dict, key, total);
    Py_XDECREF(total);
    Py_XDECREF(key);
    return status;
}

/* Count a code of a C verdict (which: 0 an error, 1 a warning) in scan->tally, or in
 * the dict once the tally is full. */
static int
tally_code(Scan *scan, const char *code, int which)
{
    for (int i = 0; i < scan->tallied; i++) {
        if (scan->tally[i].code == code) {
            scan->tally[i].count[which]++;
            return 0;
        }
    }
    if (scan->tallied < TALLIES) {
        scan->tally[scan->tallied].code = code;
        scan->tally[scan->tallied].count[which ^ 1] = 0;
        scan->tally[scan->tallied++].count[which] = 1;
        return 0;
    }
    return add_count(which ? scan->warnings : scan->errors, code, 1);
}

/* Write and count a row judged by the rules in C, as write_judged_row writes it from
 * their tuple: `message` the error's message (NULL when valid). */
static int
write_c_verdict_row(Scan *scan, const char *body, Py_ssize_t body_length, long long line,
                    const char *code, PyObject *message, const char *number,
                    Py_ssize_t number_length, const char *kind, const char *const *warnings,
                    int warning_count, const char *mismatch, Py_ssize_t mismatch_length,
                    const char *suggestion, Py_ssize_t suggestion_length, const char *end,
                    Py_ssize_t end_length)
{
    Py_ssize_t code_length = (Py_ssize_t)strlen(code);
    if (code_length > 0) {
        if (tally_code(scan, code, 0) < 0) {
            return -1;
        }
    }
    else {
        scan->valid++;
    }
    if (warning_count > 0) {
        scan->rows_with_warnings++;
        for (int i = 0; i < warning_count; i++) {
            if (tally_code(scan, warnings[i], 1) < 0) {
                return -1;
            }
        }
    }
    if (code_length == 0 && mismatch_length == 0 && scan->only_invalid) {
        return 0;
    }
    char joined[128]; /* the warnings joined by "|", as one cell */
    Py_ssize_t joined_length = 0;
    for (int i = 0; i < warning_count; i++) {
        Py_ssize_t length = (Py_ssize_t)strlen(warnings[i]);
        if (joined_length + length + 1 > (Py_ssize_t)sizeof joined) {
            PyErr_SetString(PyExc_SystemError, "scan: warnings too long");
            return -1;
        }
        if (i > 0) {
            joined[joined_length++] = '|';
        }
        memcpy(joined + joined_length, warnings[i], (size_t)length);
        joined_length += length;
    }
    char digits[21];
    Py_ssize_t digits_length = format_decimal(line, digits);
    const char d = scan->delimiter;
    const char *text = message ? PyBytes_AS_STRING(message) : "";
    Py_ssize_t text_length = message ? PyBytes_GET_SIZE(message) : 0;
    Py_ssize_t kind_length = (Py_ssize_t)strlen(kind);
    if (buffer_write(&scan->out, body, body_length) < 0 || buffer_write(&scan->out, &d, 1) < 0 ||
        buffer_write(&scan->out, digits, digits_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 ||
        buffer_write(&scan->out, code_length ? "false" : "true", code_length ? 5 : 4) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || buffer_write(&scan->out, code, code_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || put_cell(scan, text, text_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || put_cell(scan, number, number_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || buffer_write(&scan->out, kind, kind_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || put_cell(scan, joined, joined_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 || put_cell(scan, mismatch, mismatch_length) < 0 ||
        buffer_write(&scan->out, &d, 1) < 0 ||
        buffer_write(&scan->out, suggestion, suggestion_length) < 0) {
        return -1;
    }
    return buffer_write(&scan->out, end, end_length);
}

/* The hash of a memo key: 8 bytes a step (FNV-1a's byte loop was a third of the
 * lookup). */
static inline uint32_t
memo_hash(const unsigned char *key, Py_ssize_t key_length)
{
    uint64_t mixed = (uint64_t)key_length * 0x9E3779B97F4A7C15u;
    for (Py_ssize_t i = 0; i < key_length; i += 8) {
        uint64_t word = 0;
        memcpy(&word, key + i, (size_t)(key_length - i < 8 ? key_length - i : 8));
        mixed = (mixed ^ word) * 0xFF51AFD7ED558CCDu;
        mixed ^= mixed >> 32;
    }
    return (uint32_t)(mixed ^ (mixed >> 29));
}

/* The group of MEMO_WAYS entries `hash` names in `memo` (groups > 0). Four ways: the
 * dated place keys would evict the place keys with 2. */
static inline unsigned char *
memo_group(const Memo *memo, uint32_t hash)
{
    return memo->buf + (Py_ssize_t)(hash % (uint32_t)memo->groups) * MEMO_WAYS * memo->entry;
}

/* Ask the memory for the start of each entry of a group, before probing it: the
 * names memos are megabytes, and each probe of a name was a cache miss, one after
 * another (short names, then names; way after way). */
static inline void
memo_prefetch(const Memo *memo, uint32_t hash)
{
#if defined(__GNUC__) || defined(__clang__)
    if (memo->groups > 0) {
        const unsigned char *group = memo_group(memo, hash);
        for (int way = 0; way < MEMO_WAYS; way++) {
            __builtin_prefetch(group + way * memo->entry);
        }
    }
#else
    (void)memo;
    (void)hash;
#endif
}

/* The entry of `memo` that holds `key`, or NULL; `*slot` is where to store it when
 * absent (NULL: the key does not fit). */
static unsigned char *
memo_find_hashed(const Memo *memo, const unsigned char *key, Py_ssize_t key_length,
                 uint32_t hash, unsigned char **slot)
{
    *slot = NULL;
    if (key_length > memo->entry - memo->key_at || memo->groups == 0) {
        return NULL;
    }
    /* when all ways are taken, the hash's top bits name the one replaced */
    const int size = memo->entry;
    unsigned char *group = memo_group(memo, hash);
    unsigned char *empty = NULL;
    for (int way = 0; way < MEMO_WAYS; way++) {
        unsigned char *entry = group + way * size;
        if (entry[0] == key_length + 1 &&
            memcmp(entry + memo->key_at, key, (size_t)key_length) == 0) {
            return entry;
        }
        if (entry[0] == 0 && empty == NULL) {
            empty = entry;
        }
    }
    *slot = empty != NULL ? empty : group + (hash >> 30) * size;
    return NULL;
}

static unsigned char *
memo_find(const Memo *memo, const unsigned char *key, Py_ssize_t key_length,
          unsigned char **slot)
{
    return memo_find_hashed(memo, key, key_length, memo_hash(key, key_length), slot);
}

/* Keep an answer under `key` in `slot` (of memo_find; NULL: not kept). */
static void
memo_store(unsigned char *slot, const Memo *memo, const unsigned char *key,
           Py_ssize_t key_length, long value)
{
    if (slot != NULL) {
        int32_t stored = (int32_t)value;
        slot[0] = (unsigned char)(key_length + 1);
        memcpy(slot + VALUE_AT, &stored, 4);
        memcpy(slot + memo->key_at, key, (size_t)key_length);
    }
}

static long
memo_value(const unsigned char *entry)
{
    int32_t value;
    memcpy(&value, entry + VALUE_AT, 4);
    return value;
}

/* nir._identity's answer for a cell (sex, date; a place with the number's first 10
 * characters and the birth date), from the run's memo or asked once. A place answer
 * with PLACE_ANY_DATE holds whatever the birth date: it is kept without it. -1 on
 * error; -2 when Python must be asked and this walk runs without the GIL. */
static long
cell_answer(Scan *scan, int kind, const char *cell, Py_ssize_t length, const char *head,
            long born)
{
    Identity *id = &scan->identity;
    unsigned char key[MEMO_KEY + 1];
    unsigned char dated[MEMO_KEY + 1];
    unsigned char *slot = NULL;
    unsigned char *dated_slot = NULL;
    const Memo *memo = &id->places;
    /* a place: first under the cell and the number's place (an answer for any date;
     * a number without birth fields has no place: one answer per cell), then under
     * its 10 first characters and the birth date */
    int no_birth = head != NULL && (rules.identity_digit[head[0] - '0'] & IDENTITY_NO_BIRTH);
    Py_ssize_t key_length = 1 + length + (head != NULL ? 5 : 0);
    Py_ssize_t dated_length = 1 + length + 14;
    if (dated_length <= MEMO_KEY) {
        key[0] = (unsigned char)kind;
        memcpy(key + 1, cell, (size_t)length);
        unsigned char *found = NULL;
        if (head != NULL) {
            memcpy(key + 1 + length, no_birth ? "-----" : head + 5, 5);
        }
        /* sex and date answers in the small entries when their key fits */
        memo = head == NULL && key_length <= CELL_ENTRY - KEY_AT ? &id->cells : &id->places;
        found = memo_find(memo, key, key_length, &slot);
        if (found == NULL && head != NULL) {
            uint32_t day = (uint32_t)born;
            dated[0] = (unsigned char)kind;
            memcpy(dated + 1, cell, (size_t)length);
            memcpy(dated + 1 + length, head, 10);
            memcpy(dated + 11 + length, &day, 4);
            found = memo_find(&id->places, dated, dated_length, &dated_slot);
        }
        if (found != NULL) {
            return memo_value(found);
        }
    }
    if (scan->deferring) {
        return -2; /* a question for Python: the row waits for the GIL */
    }
    gil_take(scan);
    PyObject *text = PyBytes_FromStringAndSize(cell, length);
    PyObject *prefix = PyBytes_FromStringAndSize(head, head != NULL ? 10 : 0);
    PyObject *kind_number = PyLong_FromLong(kind);
    PyObject *born_number = PyLong_FromLong(born);
    PyObject *answer = NULL;
    if (text != NULL && prefix != NULL && kind_number != NULL && born_number != NULL) {
        PyObject *args[4] = {kind_number, text, prefix, born_number};
        answer = PyObject_Vectorcall(id->cell_class, args, 4, NULL);
    }
    Py_XDECREF(text);
    Py_XDECREF(prefix);
    Py_XDECREF(kind_number);
    Py_XDECREF(born_number);
    if (answer == NULL) {
        return -1;
    }
    long value = PyLong_AsLong(answer);
    Py_DECREF(answer);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (value < 0 || value > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "scan: cell_class must give an int in 0..2**31-1");
        return -1;
    }
    if (head == NULL) {
        memo_store(slot, memo, key, key_length, value);
        return value;
    }
    if (value & PLACE_ANY_DATE) {
        value &= ~(long)PLACE_ANY_DATE;
        memo_store(slot, memo, key, key_length, value);
    }
    else {
        memo_store(dated_slot, &id->places, dated, dated_length, value);
    }
    return value;
}

/* The department of a 5-character commune code as place_mismatch numbers it, or -1 when
 * it is not one ([0-9]{2}|2[AB])[0-9]{3} (nir._identity_values reads it so). */
static int
department_index(const char *code)
{
    if (!is_digit((unsigned char)code[2]) || !is_digit((unsigned char)code[3]) ||
        !is_digit((unsigned char)code[4])) {
        return -1;
    }
    if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) {
        return 120 + (code[1] == 'B');
    }
    if (!is_digit((unsigned char)code[0]) || !is_digit((unsigned char)code[1])) {
        return -1;
    }
    int head = (code[0] - '0') * 10 + (code[1] - '0');
    return head == 97 || head == 98 ? 100 + (head - 97) * 10 + (code[2] - '0') : head;
}

static long window_year(const Identity *id, const char *number, int *month);

/* The first day and the day after of the spans [from, to) of `spans` (name number,
 * first day, day after) under the name `name`. */
static void
name_bounds(const uint16_t *spans, long from, long to, uint16_t name, long *first, long *last)
{
    *first = LONG_MAX;
    *last = -1;
    for (long i = from; i < to; i++) {
        const uint16_t *span = spans + 3 * i;
        if (span[0] == name) {
            *first = span[1] < *first ? span[1] : *first;
            *last = span[2] > *last ? span[2] : *last;
        }
    }
}

/* nir._identity_place._one_commune: whether two codes' spans ([ours_from, ours_to)
 * and [from, to)) are one commune's, one code's last day under a name being the
 * other's first, a name the first code had in [first, after) (the birth). */
static int
one_commune(const uint16_t *spans, long ours_from, long ours_to, long from, long to, long first,
            long after)
{
    for (long i = ours_from; i < ours_to; i++) {
        if (!(spans[3 * i + 1] < after && first < spans[3 * i + 2])) {
            continue;
        }
        uint16_t name = spans[3 * i];
        long start, last, their_start, their_last;
        name_bounds(spans, ours_from, ours_to, name, &start, &last);
        name_bounds(spans, from, to, name, &their_start, &their_last);
        if (their_last >= 0 && (last == their_start || their_last == start)) {
            return 1;
        }
    }
    return 0;
}

static int commune_answer(const Identity *id, const char *number, const char *cell, int ours,
                          int theirs, long born);

/* Whether a valid number's place (positions 6-10) named a country at the birth: a
 * North African code (91-96) before independence, at the declared birth date `born`
 * (YYYYMMDD; 0: none, the start of the number's own span, as nir._identity_place.compare
 * is asked). */
static int north_africa_before(const Identity *id, const char *number, long born, int anomalous);

static int
north_africa_then(const Identity *id, const char *number, long born)
{
    return north_africa_before(id, number, born, 0);
}

/* north_africa_then, or a North African code until seine_split when `anomalous`: the
 * anomalous years after independence, when a 91 may be Algeria's or Essonne's to be
 * (nir._identity_place._anomalous_country). */
static int
north_africa_before(const Identity *id, const char *number, long born, int anomalous)
{
    const char *place = number + 5;
    if (!is_digit((unsigned char)place[0]) || !is_digit((unsigned char)place[1])) {
        return 0;
    }
    int head = (place[0] - '0') * 10 + (place[1] - '0');
    if (rules.head_class[head] != HEAD_NORTH_AFRICA) {
        return 0;
    }
    long start = born;
    if (start == 0) {
        int month;
        long year = window_year(id, number, &month);
        start = DAY(year, month != 0 ? month : 1, 1);
    }
    return start < (anomalous ? rules.seine_split : rules.head_date[head]);
}

/* The short names' second group for a key of `hash`: its high bits, where the first
 * group is the hash modulo the groups (low bits mostly). A short name lives in either
 * group, so that the data's 38,000 names all stay: in one group of 4 ways, ~970 of
 * them found their group full (~1 group in 30 holds 5 or more), were evicted and
 * asked again, evicting another, all through the run (5,000 calls to Python, with
 * the GIL, on the 10-million-row benchmark). */
static inline uint32_t
second_hash(uint32_t hash)
{
    return ((hash << 16) | (hash >> 16)) * 0x9E3779B1u;
}

/* How many ways of the group of `hash` in `memo` are free. */
static int
free_ways(const Memo *memo, uint32_t hash)
{
    const unsigned char *group = memo_group(memo, hash);
    int free = 0;
    for (int way = 0; way < MEMO_WAYS; way++) {
        free += group[way * memo->entry] == 0;
    }
    return free;
}

/* The short names' entry for `key` in either of its groups, or NULL; *slot is then
 * where to keep it: a free way of the group with more of them (the first on a tie:
 * filling the emptier keeps the fullest groups few), else the first group's way
 * that the hash names. */
static unsigned char *
short_names_find(const Memo *memo, const unsigned char *key, Py_ssize_t length, uint32_t hash,
                 unsigned char **slot)
{
    unsigned char *entry = memo_find_hashed(memo, key, length, hash, slot);
    if (entry != NULL || *slot == NULL) {
        return entry;
    }
    const uint32_t second = second_hash(hash);
    unsigned char *second_slot;
    entry = memo_find_hashed(memo, key, length, second, &second_slot);
    if (entry == NULL && free_ways(memo, second) > free_ways(memo, hash)) {
        *slot = second_slot;
    }
    return entry;
}

/* The names memos' entry for `key`, a short entry first, and its memo in *memo
 * (NULL when absent; then *short_slot and *slot are where memo_find would keep it). */
static unsigned char *
names_find(const Identity *id, const unsigned char *key, Py_ssize_t length, const Memo **memo,
           unsigned char **short_slot, unsigned char **slot)
{
    *memo = &id->short_names;
    *slot = NULL;
    uint32_t hash = memo_hash(key, length);
    memo_prefetch(&id->short_names, hash);
    memo_prefetch(&id->short_names, second_hash(hash));
    memo_prefetch(&id->names, hash);
    unsigned char *entry = short_names_find(&id->short_names, key, length, hash, short_slot);
    if (entry == NULL) {
        *memo = &id->names;
        entry = memo_find_hashed(&id->names, key, length, hash, slot);
    }
    return entry;
}

/* The names memos' entry for `key`. With the GIL held (no writer then), the entry
 * itself; without it, a copy in `copy` (NAME_ENTRY bytes) made between two equal
 * counts of writes (see NAMES_HEADER). NULL when absent. */
static const unsigned char *
names_read(const Identity *id, const unsigned char *key, Py_ssize_t length, int locked,
           unsigned char *copy)
{
    const Memo *memo;
    unsigned char *short_slot, *slot;
    if (locked) {
        assert(PyGILState_Check());
        return names_find(id, key, length, &memo, &short_slot, &slot);
    }
#if SHARED_NAMES
    for (;;) {
        uint64_t before = __atomic_load_n(id->names_writes, __ATOMIC_ACQUIRE);
        if (before & 1) {
            return NULL; /* an entry being written: asked with the GIL (NAMES_HEADER) */
        }
        unsigned char *entry = names_find(id, key, length, &memo, &short_slot, &slot);
        if (entry != NULL) {
            memcpy(copy, entry, (size_t)memo->entry);
        }
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(id->names_writes, __ATOMIC_RELAXED) == before) {
            return entry != NULL ? copy : NULL;
        }
    }
#else
    (void)copy;
    return NULL;
#endif
}

/* Keep a name's table (`bytes`, `size` of them, of place_codes) under `key`, with
 * the GIL held: in a short entry when its codes fit one, else a long one. Returns
 * the entry (the key fits the long ones: name_answer checks it). */
static const unsigned char *
names_keep(Identity *id, const unsigned char *key, Py_ssize_t length,
           const unsigned char *bytes, Py_ssize_t size)
{
    const Memo *found;
    unsigned char *short_slot, *slot;
    unsigned char *kept = names_find(id, key, length, &found, &short_slot, &slot);
    if (kept != NULL) {
        return kept; /* kept by another thread while Python answered */
    }
    Py_ssize_t count = size > 0 ? (size - 2) / 5 : 0;
    /* a short entry when its codes and key fit one (the key fits the long ones) */
    const Memo *memo = short_slot != NULL && count <= SHORT_CODES ? &id->short_names
                                                                 : &id->names;
    unsigned char *entry = memo == &id->names ? slot : short_slot;
#if SHARED_NAMES
    uint64_t writes = *id->names_writes;
    __atomic_store_n(id->names_writes, writes + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
#endif
    memset(entry, 0, (size_t)memo->key_at);
    entry[0] = (unsigned char)(length + 1);
    entry[1] = size == 0 || count > NAME_CODES ? NAME_UNTOLD : (unsigned char)count;
    if (entry[1] != NAME_UNTOLD) {
        entry[2] = bytes[0] == NO_DEPARTMENT ? 0 : (unsigned char)(bytes[0] + 1);
        entry[3] = bytes[1];
        memcpy(entry + NAME_CODES_AT, bytes + 2, (size_t)(count * 5));
    }
    memcpy(entry + memo->key_at, key, (size_t)length);
#if SHARED_NAMES
    __atomic_store_n(id->names_writes, writes + 2, __ATOMIC_RELEASE);
#endif
    return entry;
}

/* Whether `bytes` (`size` of them; -1: not bytes) is b"" or a name's table as
 * nir._accel.place_name_table makes it: a department index (or NO_DEPARTMENT), 0 or
 * NAME_DATED, then codes of 5 characters. */
static int
name_table_fits(const unsigned char *bytes, Py_ssize_t size)
{
    return size == 0 ||
           (size >= 2 && (size - 2) % 5 == 0 &&
            (bytes[0] < DEPARTMENTS || bytes[0] == NO_DEPARTMENT) && bytes[1] <= NAME_DATED);
}

/* What a place name is against a valid number's place (positions 6-10), by the table
 * nir._accel.place_name_table gives for the cell (asked once per distinct cell): a
 * code of the table matches (one of a North African head only once a department, at
 * the birth date `born` as north_africa_then reads it). CELL_MATCH, CELL_MISMATCH, 0
 * when not known here (another kind of cell, a place the table does not settle), -1
 * on error, -2 when Python must be asked without the GIL. */
static int
name_answer(Scan *scan, const char *cell, Py_ssize_t length, const char *number, long born)
{
    const char *place = number + 5;
    Identity *id = &scan->identity;
    const unsigned char *key = (const unsigned char *)cell;
    if (length > id->names.entry - id->names.key_at || id->names.groups == 0) {
        return 0; /* a long cell: the place answers say it */
    }
    if (!scan->deferring) {
        gil_take(scan); /* the GIL's walk: no writer meanwhile */
    }
    unsigned char copy[NAME_ENTRY];
    const unsigned char *entry = names_read(id, key, length, !scan->deferring, copy);
    if (entry == NULL) {
        if (scan->deferring) {
            return -2;
        }
        PyObject *text = PyBytes_FromStringAndSize(cell, length);
        PyObject *table = text != NULL ? PyObject_CallOneArg(id->place_codes, text) : NULL;
        Py_XDECREF(text);
        if (table == NULL) {
            return -1;
        }
        Py_ssize_t size = PyBytes_Check(table) ? PyBytes_GET_SIZE(table) : -1;
        const unsigned char *bytes =
            size > 0 ? (const unsigned char *)PyBytes_AS_STRING(table) : NULL;
        if (!name_table_fits(bytes, size)) {
            Py_DECREF(table);
            PyErr_SetString(PyExc_ValueError, "scan: place_codes must give b'' or a name table");
            return -1;
        }
        entry = names_keep(id, key, length, bytes, size);
        Py_DECREF(table);
    }
    if (entry[1] == NAME_UNTOLD) {
        return 0;
    }
    for (int i = 0; i < entry[1]; i++) {
        if (memcmp(entry + NAME_CODES_AT + 5 * i, place, 5) == 0) {
            return north_africa_then(id, number, born) ? 0 : CELL_MATCH;
        }
    }
    /* a name of one department's communes mismatches as a commune of it would */
    int department = department_index(place);
    if (department >= 0 && entry[2] != 0 &&
        id->place_mismatch[department * DEPARTMENTS + entry[2] - 1]) {
        return CELL_MISMATCH;
    }
    /* nir._identity_place._compare_france for a name: a match when one of its
     * communes matches the number's at the birth, or when it names France (99100),
     * else a mismatch (a North African place before independence, a city: asked);
     * abroad (_compare_abroad), none of its countries, all listed */
    if (entry[3] != NAME_DATED || department < 0 || north_africa_before(id, number, born, 1)) {
        return 0; /* a North African code until 1968: a country, then maybe: asked */
    }
    if (place[0] == '9' && place[1] == '9') {
        return CELL_MISMATCH;
    }
    int asked = 0;
    for (int i = 0; i < entry[1]; i++) {
        const char *code = (const char *)entry + NAME_CODES_AT + 5 * i;
        if (code[0] == '9' && code[1] == '9') {
            int country = (code[2] - '0') * 100 + (code[3] - '0') * 10 + (code[4] - '0');
            if (country == rules.france_country) {
                return CELL_MATCH; /* France: every French place is in it */
            }
            continue; /* another country: no French place is it */
        }
        int theirs = department_index(code);
        int answer = theirs < 0 ? 0 : commune_answer(id, number, code, department, theirs, born);
        if (answer == CELL_MATCH) {
            return CELL_MATCH;
        }
        asked |= answer == 0;
    }
    return asked ? 0 : CELL_MISMATCH;
}

/* Whether a cell holds a visible ASCII character: its text is then not empty once
 * stripped, in every encoding nir csv reads (all ASCII-compatible), so a number
 * without birth fields has its place cell unchecked without asking Python
 * (nir._identity.place_class). */
static int
visible_cell(const char *cell, Py_ssize_t length)
{
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)cell[i];
        if (c > ' ' && c < 0x7F) {
            return 1;
        }
    }
    return 0;
}

/* Whether a place cell equal to the number's place (5 characters) surely fits it:
 * always, but for a North African code (91-96) before independence, which names a
 * country then (known here only with the declared birth date `born`). */
ROW_INLINE int
same_place_fits(const char *place, long born)
{
    if (!is_digit((unsigned char)place[0]) || !is_digit((unsigned char)place[1])) {
        return 1; /* 2A, 2B */
    }
    int head = (place[0] - '0') * 10 + (place[1] - '0');
    if (rules.head_class[head] != HEAD_NORTH_AFRICA) {
        return 1;
    }
    return born != 0 && born >= rules.head_date[head];
}

/* The identity cells of a row without quotes from the bounds its walk kept (every
 * field is simple): NULL for no such column, or a row without it. */
ROW_INLINE void
split_cells(const Identity *id, const Split *split, const char *cell[ID_KINDS],
            Py_ssize_t cell_length[ID_KINDS])
{
    const Py_ssize_t seen = split->seen;
    for (int kind = 0; kind < ID_KINDS; kind++) {
        Py_ssize_t column = id->column[kind];
        cell[kind] = NULL;
        cell_length[kind] = 0;
        if (column >= 0 && column <= seen) {
            const char *start = split_field(split, column);
            cell[kind] = start;
            cell_length[kind] = split_stop(split, column) - start;
        }
    }
}

/* The identity cells of a row (NULL: no such column, or a row without it): 0, or -2
 * when one is not simple (the row goes the slow way). */
static int
identity_cells(const Scan *scan, const char *body, Py_ssize_t length, int quoted,
               const Split *split, const char *cell[ID_KINDS], Py_ssize_t cell_length[ID_KINDS])
{
    const Identity *id = &scan->identity;
    if (split != NULL && !quoted && id->split_want > 0) {
        split_cells(id, split, cell, cell_length);
        return 0;
    }
    const char *start[ID_KINDS] = {NULL, NULL, NULL};
    const char *stop[ID_KINDS] = {NULL, NULL, NULL};
    Py_ssize_t last = -1;
    for (int kind = 0; kind < ID_KINDS; kind++) {
        last = id->column[kind] > last ? id->column[kind] : last;
    }
    if (quoted) { /* locate_field's walk, once for all the cells, up to the last one */
        Py_ssize_t at = 0;
        for (Py_ssize_t index = 0; index <= last; index++) {
            Py_ssize_t begin = at;
            if (at < length && body[at] == '"') {
                Py_ssize_t end = quoted_part_end(body, at, length);
                at = end < 0 ? length : end;
            }
            const char *found = memchr(body + at, scan->delimiter, (size_t)(length - at));
            for (int kind = 0; kind < ID_KINDS; kind++) {
                if (id->column[kind] == index) {
                    start[kind] = body + begin;
                    stop[kind] = found != NULL ? found : body + length;
                }
            }
            if (found == NULL) {
                break;
            }
            at = found - body + 1;
        }
    }
    else { /* a row without quotes: its fields found in one walk */
        const char *limit = body + length;
        const char *piece = body;
        for (Py_ssize_t index = 0; index <= last; index++) {
            const char *found = memchr(piece, scan->delimiter, (size_t)(limit - piece));
            for (int kind = 0; kind < ID_KINDS; kind++) {
                if (id->column[kind] == index) {
                    start[kind] = piece;
                    stop[kind] = found != NULL ? found : limit;
                }
            }
            if (found == NULL) {
                break;
            }
            piece = found + 1;
        }
    }
    for (int kind = 0; kind < ID_KINDS; kind++) {
        cell[kind] = NULL;
        cell_length[kind] = 0;
        if (id->column[kind] < 0) {
            continue;
        }
        const char *field = start[kind];
        const char *field_end = stop[kind];
        if (field == NULL) {
            continue; /* a row without that column */
        }
        const char *value, *value_end;
        if (!simple_piece(field, field_end, &value, &value_end)) {
            return -2;
        }
        cell[kind] = value;
        cell_length[kind] = value_end - value;
    }
    return 0;
}

/* The two digits at s[0..1] as a number, or -1 when they are not two ASCII digits. */
static inline int
two_digits(const unsigned char *s)
{
    unsigned tens = (unsigned)s[0] - '0';
    unsigned units = (unsigned)s[1] - '0';
    return tens <= 9 && units <= 9 ? (int)(tens * 10 + units) : -1;
}

/* nir._identity.date_class of the usual date cells, 10 bytes DD/MM/YYYY, DD-MM-YYYY,
 * DD.MM.YYYY (the same separator twice) or YYYY-MM-DD: YYYYMMDD, CELL_UNCHECKED when
 * there is no such day (date(y, m, d) raises); -1 for any other cell, which the memo
 * and Python answer (tests/test_identity_cells.py proves it agrees with date_class). */
ROW_INLINE long
quick_date_parts(const char *cell, Py_ssize_t length, int *year_out, int *month_out,
                 int *day_out);

/* Whether 10 bytes are DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY in digits (the same
 * separator twice); then `values` holds the digits 0-9 byte by byte: DD, s[8], MM,
 * s[9], the century. The digits are checked 8 bytes at a time: a digit byte is
 * 0x30-0x39, high nibble 3, and still 3 with 6 added. */
ROW_INLINE int
dotted_date(const unsigned char *s, uint64_t *values)
{
    if (!((s[2] == '/' || s[2] == '-' || s[2] == '.') && s[5] == s[2])) {
        return 0;
    }
    const uint64_t digit_bytes = 0xFFFF00FFFF00FFFFu; /* bytes 0, 1, 3, 4, 6, 7 */
    uint64_t word;
    memcpy(&word, s, 8);
    word = (word & digit_bytes) | (uint64_t)s[8] << 16 | (uint64_t)s[9] << 40;
    const uint64_t high = 0xF0F0F0F0F0F0F0F0u, threes = 0x3030303030303030u;
    if ((word & high) != threes || ((word + 0x0606060606060606u) & high) != threes) {
        return 0;
    }
    *values = word - threes;
    return 1;
}

ROW_INLINE long
quick_date(const char *cell, Py_ssize_t length)
{
    int year, month, day;
    return quick_date_parts(cell, length, &year, &month, &day);
}

/* quick_date, with the date's year, month and day (read_facts compares them without
 * taking YYYYMMDD apart again). */
ROW_INLINE long
quick_date_parts(const char *cell, Py_ssize_t length, int *year_out, int *month_out,
                 int *day_out)
{
    if (length != 10) {
        return -1;
    }
    const unsigned char *s = (const unsigned char *)cell;
    int century, years, month, day;
    uint64_t values;
    if ((s[2] == '/' || s[2] == '-' || s[2] == '.') && s[5] == s[2]) {
        if (!dotted_date(s, &values)) {
            return -1; /* the commonest form, read 8 bytes at a time */
        }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        uint64_t pairs = values * 10 + (values >> 8); /* byte k: 10 * digit k + digit k+1 */
        day = (int)(pairs & 0xFF);
        month = (int)((pairs >> 24) & 0xFF);
        century = (int)((pairs >> 48) & 0xFF);
#else /* the digits are checked; the word's bytes are in the other order */
        day = two_digits(s);
        month = two_digits(s + 3);
        century = two_digits(s + 6);
#endif
        years = (s[8] - '0') * 10 + (s[9] - '0');
    }
    else if (s[4] == '-' && s[7] == '-') {
        century = two_digits(s);
        years = two_digits(s + 2);
        month = two_digits(s + 5);
        day = two_digits(s + 8);
        if ((century | years | month | day) < 0) {
            return -1;
        }
    }
    else {
        return -1;
    }
    int year = century * 100 + years;
    static const unsigned char month_days[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year == 0 || month == 0 || month > 12 || day == 0 || day > month_days[month]) {
        return CELL_UNCHECKED;
    }
    if (month == 2 && day == 29 && !is_leap(year)) {
        return CELL_UNCHECKED; /* 29 February of a common year */
    }
    *year_out = year;
    *month_out = month;
    *day_out = day;
    return (long)year * 10000 + month * 100 + day;
}

PyDoc_STRVAR(date_cell_doc,
             "date_cell(cell, /)\n"
             "--\n\n"
             "The compiled scan's reading of a date cell (bytes): nir._identity.date_class\n"
             "of its text for the usual fixed forms, -1 for a cell it leaves to Python.");

static PyObject *
date_cell(PyObject *Py_UNUSED(module), PyObject *value)
{
    if (!PyBytes_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "date_cell: expected bytes");
        return NULL;
    }
    return PyLong_FromLong(quick_date(PyBytes_AS_STRING(value), PyBytes_GET_SIZE(value)));
}

/* What a row's sex and date cells say, read once for all the numbers compared with
 * them (a valid number, or an invalid one's candidates): their classes, FACT_NONE for
 * no such cell, FACT_UNKNOWN when read_facts was told not to ask. */
enum { FACT_NONE = -3, FACT_UNKNOWN = -4 };
typedef struct {
    long sex;
    long day;
    /* a date that checks the birth fields (a real day, not in the future, within
     * max_age): its year % 100, month and day of the month; years -1 for any other */
    int years, month, month_day;
} Facts;

/* Whether a date cell's day (YYYYMMDD, of quick_date_parts or the memo; `year` its
 * year) checks the birth fields: junk, a future or an implausible date checks none. */
ROW_INLINE int
checkable_day(const Identity *id, long day, int year)
{
    return day > CELL_UNCHECKED && day <= id->today && id->today_year - year <= rules.max_age;
}

/* The sex and date classes of a row's cells (M, F, 1, 2, an empty cell by the table;
 * the usual dates by quick_date; the others by the memo, then Python unless `ask` is
 * 0: FACT_UNKNOWN then). 0, -1 on error, -2 when Python must be asked without the GIL. */
ROW_INLINE int
read_facts(Scan *scan, const char *const cell[ID_KINDS], const Py_ssize_t cell_length[ID_KINDS],
           int ask, Facts *facts)
{
    const Identity *id = &scan->identity;
    facts->sex = FACT_NONE;
    facts->day = FACT_NONE;
    facts->years = -1;
    if (cell[ID_SEX] != NULL) {
        Py_ssize_t size = cell_length[ID_SEX];
        long sex = size > 1 ? SEX_ASK : id->sex_cells[size ? (unsigned char)cell[ID_SEX][0] : 256];
        if (sex == SEX_ASK) {
            sex = ask ? cell_answer(scan, ID_SEX, cell[ID_SEX], size, NULL, 0) : FACT_UNKNOWN;
        }
        if (sex < 0 && sex != FACT_UNKNOWN) {
            return (int)sex;
        }
        facts->sex = sex;
    }
    if (cell[ID_DATE] != NULL) {
        int year = 0, month = 0, month_day = 0;
        long day = quick_date_parts(cell[ID_DATE], cell_length[ID_DATE], &year, &month,
                                    &month_day);
        if (day < 0) {
            day = ask ? cell_answer(scan, ID_DATE, cell[ID_DATE], cell_length[ID_DATE], NULL, 0)
                      : FACT_UNKNOWN;
            if (day > CELL_UNCHECKED) { /* YYYYMMDD, or DAY_CENTURYLESS | YYMMDD */
                long digits = day & ~(long)DAY_CENTURYLESS;
                year = (int)(digits / 10000);
                month = (int)(digits / 100 % 100);
                month_day = (int)(digits % 100);
            }
        }
        if (day < 0 && day != FACT_UNKNOWN) {
            return (int)day;
        }
        facts->day = day;
        if (day > CELL_UNCHECKED && (day & DAY_CENTURYLESS)) {
            facts->years = year; /* in the number's century: never future nor too old */
            facts->month = month;
            facts->month_day = month_day;
        }
        else if (checkable_day(id, day, year)) {
            facts->years = year % 100;
            facts->month = month;
            facts->month_day = month_day;
        }
    }
    return 0;
}

/* The commune codes of nir._accel.commune_spans_table: department index * 1000 + the
 * last 3 digits (SPAN_CODES of them). */
#define SPAN_CODES (DEPARTMENTS * 1000)
#define SPAN_OPEN 0xFFFF

/* Bit `code` of one of commune_spans_table's sets of codes. */
static inline int
code_bit(const uint16_t *bits, long code)
{
    return bits[code / 16] >> (code % 16) & 1;
}

/* date(year, month, day).toordinal() */
static long
day_ordinal(long year, int month, int day)
{
    static const int before[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    long past = year - 1;
    return past * 365 + past / 4 - past / 100 + past / 400 + before[month] + day +
           (month > 2 && is_leap(year));
}

/* The year of the span of birth dates a number tells (nir._identity._number_window:
 * the recent reading of its two digits), its month in `*month` (0: fictitious). */
static long
window_year(const Identity *id, const char *number, int *month)
{
    int yy = (number[1] - '0') * 10 + (number[2] - '0');
    *month = rules.month_number[(number[3] - '0') * 10 + (number[4] - '0')];
    long today_year = id->today_year;
    long year = today_year - (today_year - yy) % 100;
    if (year == today_year && *month != 0 && *month > id->today / 100 % 100) {
        year -= 100;
    }
    return year;
}

/* Whether the number's commune (spans [then_from, then_to)), there at the birth
 * [first, after), and a code of another department with its commune part (spans
 * [from, to)) have a name in common at any date: the commune kept its part of the code
 * (_compare_communes, _shares_name: 75044 is 92044; 75001, Alfortville, is not 93001). */
static int
kept_commune(const uint16_t *spans, long then_from, long then_to, long from, long to, long first,
             long after)
{
    int there = 0;
    for (long i = then_from; i < then_to && !there; i++) {
        there = spans[3 * i + 1] < after && first < spans[3 * i + 2];
    }
    for (long i = then_from; i < then_to && there; i++) {
        for (long j = from; j < to; j++) {
            if (spans[3 * j] == spans[3 * i]) {
                return 1;
            }
        }
    }
    return 0;
}

/* What nir._identity_place.compare says of a commune cell (`cell`, 5 characters of
 * department `theirs`) against a valid number's commune (department `ours`), at the
 * declared birth date `born` (YYYYMMDD) or, without one, over the month (or year) the
 * number tells, as nir._identity.place_class asks it: CELL_MATCH, CELL_MISMATCH,
 * CELL_UNCHECKED (an unknown code), or 0 when Python must say it (a date outside the
 * table's days, no table). */
static int
commune_answer(const Identity *id, const char *number, const char *cell, int ours, int theirs,
               long born)
{
    const char *place = number + 5;
    if (id->span_until == NULL || (place[0] == '9' && place[1] == '9')) {
        return 0;
    }
    long start, first, after;
    if (born != 0) {
        start = born;
        first = day_ordinal(born / 10000, (int)(born / 100 % 100), (int)(born % 100));
        after = first + 1;
    }
    else {
        int month;
        long year = window_year(id, number, &month);
        start = DAY(year, month != 0 ? month : 1, 1);
        first = day_ordinal(year, month != 0 ? month : 1, 1);
        after = month == 0 || month == 12 ? day_ordinal(year + 1, 1, 1)
                                          : day_ordinal(year, month + 1, 1);
    }
    first -= id->span_epoch;
    after -= id->span_epoch;
    if (first < 0 || after >= SPAN_OPEN) {
        return 0;
    }
    if (is_digit((unsigned char)place[1])) {
        int head = (place[0] - '0') * 10 + (place[1] - '0');
        if (rules.head_class[head] == HEAD_NORTH_AFRICA && start < rules.head_date[head]) {
            return CELL_MISMATCH; /* a country then: a commune is not it (_compare_abroad) */
        }
    }
    /* _compare_communes */
    if (memcmp(place, cell, 5) == 0) {
        return CELL_MATCH;
    }
    long here = ours * 1000L + (place[2] - '0') * 100 + (place[3] - '0') * 10 + (place[4] - '0');
    long there = theirs * 1000L + (cell[2] - '0') * 100 + (cell[3] - '0') * 10 + (cell[4] - '0');
    const uint16_t *city = id->span_city, *arrondissement = id->span_arrondissement;
    if (ours == theirs && ((code_bit(city, here) && code_bit(arrondissement, there)) ||
                           (code_bit(city, there) && code_bit(arrondissement, here)))) {
        return CELL_MATCH; /* Paris, Lyon, Marseille: _same_city */
    }
    long from = id->span_start[there], to = id->span_start[there + 1];
    long then_from = id->span_start[here], then_to = id->span_start[here + 1];
    if (to > id->span_count || then_to > id->span_count) {
        return 0; /* not the table's layout: ask */
    }
    if (ours == theirs && from < to && code_bit(arrondissement, here) &&
        code_bit(arrondissement, there)) {
        long since = SPAN_OPEN;
        for (long j = from; j < to; j++) {
            since = id->spans[3 * j + 1] < since ? id->spans[3 * j + 1] : since;
        }
        if (since >= after) {
            return CELL_UNCHECKED; /* an arrondissement made after the birth: _one_city */
        }
    }
    if (one_commune(id->spans, then_from, then_to, from, to, first, after)) {
        return CELL_MATCH; /* _one_commune: Meyzieu, 38233 then 69282 */
    }
    if (first >= id->span_until[ours * DEPARTMENTS + theirs]) {
        return CELL_MISMATCH; /* departments_match */
    }
    if (ours != theirs && memcmp(place + 2, cell + 2, 3) == 0 &&
        kept_commune(id->spans, then_from, then_to, from, to, first, after)) {
        return CELL_MATCH; /* a split department, the commune part kept: 75044 is 92044 */
    }
    if (from >= to) {
        return CELL_UNCHECKED; /* a code the data does not have */
    }
    int current = 0; /* the cell's code is one of the birth's time, or today's */
    for (long j = from; j < to; j++) {
        const uint16_t *span = id->spans + 3 * j;
        current |= (span[1] < after && first < span[2]) || span[2] == SPAN_OPEN;
    }
    if (!current) {
        return CELL_UNCHECKED; /* neither: most often a postal code (75015, Paris 15e) */
    }
    int known = 0;
    for (long i = then_from; i < then_to; i++) {
        const uint16_t *span = id->spans + 3 * i;
        if (span[1] < after && first < span[2]) {
            known = 1;
            for (long j = from; j < to; j++) {
                if (id->spans[3 * j] == span[0]) {
                    return CELL_MATCH;
                }
            }
        }
    }
    return known ? CELL_MISMATCH : CELL_UNCHECKED;
}

/* The month and day of `day` (YYYYMMDD, or DAY_CENTURYLESS | YYMMDD) in `year`, as
 * YYYYMMDD; 0 when that year has no such day (29 February of a common year). */
static long
day_in_year(long year, long day)
{
    long digits = day & ~(long)DAY_CENTURYLESS;
    int month = (int)(digits / 100 % 100), month_day = (int)(digits % 100);
    return month == 2 && month_day == 29 && !is_leap(year) ? 0 : DAY(year, month, month_day);
}

/* A two-digit-year date (DAY_CENTURYLESS | YYMMDD, its digits the number's) as the day
 * YYYYMMDD of the century the number is read in (window_year, as
 * nir._identity._in_century), 0 when that day does not exist then (29/02/00 read in
 * 1900): the number's own span of dates is used. */
static long
centuryless_born(const Identity *id, const char *number, long day)
{
    int number_month;
    return day_in_year(window_year(id, number, &number_month), day);
}

/* The sex and date fields (mismatch[0..2]) that `facts` contradict in a valid `number`,
 * as nir._identity._verdict finds them (unknown facts contradict nothing); the kinds
 * counted as checked set their bit in `checked`. Returns the declared birth date when
 * it fits the number's year (same_place_fits needs it), else 0. */
ROW_INLINE long
fact_mismatches(const Facts *facts, const char *number, int mismatch[3], unsigned *checked)
{
    const int flags = rules.identity_digit[number[0] - '0'];
    const long sex = facts->sex;
    const long day = facts->day;
    long born = 0;
    *checked |= (unsigned)(sex >= CELL_UNCHECKED) << ID_SEX;
    mismatch[0] = sex >= CELL_MALE && (sex == CELL_MALE) != ((flags & IDENTITY_MALE) != 0);
    *checked |= (unsigned)(day >= CELL_UNCHECKED) << ID_DATE;
    mismatch[1] = mismatch[2] = 0;
    /* a date that checks nothing, a number without birth fields: unchecked */
    if (facts->years >= 0 && !(flags & IDENTITY_NO_BIRTH)) {
        int yy = (number[1] - '0') * 10 + (number[2] - '0');
        if (facts->years == yy) {
            born = day;
        }
        else {
            mismatch[1] = 1;
        }
        int month = rules.month_number[(number[3] - '0') * 10 + (number[4] - '0')];
        int declared = facts->month;
        mismatch[2] = month != 0 && month != declared &&
                      !rules.default_day[declared * 32 + facts->month_day];
    }
    return born;
}

/* The place cell `place` (`length` bytes) against a valid `number` born `born`
 * (YYYYMMDD, 0: over the span the number tells), as nir._identity._verdict compares
 * them: CELL_MISMATCH, else CELL_MATCH or CELL_UNCHECKED (or CELL_EMPTY: not counted
 * as checked); -1 on error, -2 when Python must be asked without the GIL. */
static long
place_answer(Scan *scan, const char *place, Py_ssize_t length, const char *number, long born)
{
    const Identity *id = &scan->identity;
    const int flags = rules.identity_digit[number[0] - '0'];
    int code = !(flags & IDENTITY_NO_BIRTH) && length == 5;
    int ours = code ? department_index(number + 5) : -1;
    int theirs = code && !(place[0] == '9' && place[1] == '9') ? department_index(place) : -1;
    if (code && memcmp(place, number + 5, 5) == 0 && same_place_fits(number + 5, born)) {
        return CELL_MATCH; /* the usual case: the same code */
    }
    if (ours >= 0 && theirs >= 0 && id->place_mismatch[ours * DEPARTMENTS + theirs]) {
        return CELL_MISMATCH; /* a commune of an unrelated department */
    }
    if ((flags & IDENTITY_NO_BIRTH) && visible_cell(place, length)) {
        return CELL_UNCHECKED; /* no birth place in such a number */
    }
    /* a commune code, at the birth date, by the data's spans (else asked); a name:
     * settled by the codes it can denote, else asked with the number (a 5-character
     * code is a commune's or a country's, never a name) */
    int named = ours >= 0 && theirs >= 0 ? commune_answer(id, number, place, ours, theirs, born)
                : flags & IDENTITY_NO_BIRTH || (code && department_index(place) >= 0)
                    ? 0
                    : name_answer(scan, place, length, number, born);
    if (named != 0) {
        return named;
    }
    return cell_answer(scan, ID_PLACE, place, length, number, born);
}

/* The fields of the cells that contradict a valid `number` (15 characters), as
 * nir._identity._verdict finds them: mismatch[] for sex, birth_year, birth_month,
 * birth_place, the sex and date by `facts` (read_facts of the same cells, asked); the
 * kinds of the cells RowChecker counts as checked set their bit (1 << ID_*) in
 * `checked`. 0, -1 on error, -2 when Python must be asked without the GIL (the row
 * waits for it). */
static int
number_mismatches(Scan *scan, const char *const cell[ID_KINDS],
                  const Py_ssize_t cell_length[ID_KINDS], const Facts *facts, const char *number,
                  int mismatch[4], unsigned *checked)
{
    const Identity *id = &scan->identity;
    long born = fact_mismatches(facts, number, mismatch, checked);
    const int centuryless = (born & DAY_CENTURYLESS) != 0;
    if (centuryless) {
        born = centuryless_born(id, number, born);
    }
    mismatch[3] = 0;
    if (cell[ID_PLACE] == NULL) {
        return 0;
    }
    long answer = place_answer(scan, cell[ID_PLACE], cell_length[ID_PLACE], number, born);
    if (answer == CELL_MISMATCH && centuryless && born != 0) {
        /* 12/08/20 of a number whose 20 may be 1920 too: a mismatch only when the
         * place mismatches that day a century before too (nir._identity._older_mismatches) */
        int month;
        long before = window_year(id, number, &month) - 100;
        long older_day = day_in_year(before, born);
        if (id->today_year - before <= rules.max_age && older_day != 0) {
            long older = place_answer(scan, cell[ID_PLACE], cell_length[ID_PLACE], number,
                                      older_day);
            if (older < 0) {
                return (int)older;
            }
            answer = older == CELL_MISMATCH ? answer : CELL_UNCHECKED;
        }
    }
    if (answer < 0) {
        return (int)answer;
    }
    *checked |= (unsigned)(answer != CELL_EMPTY) << ID_PLACE;
    mismatch[3] = answer == CELL_MISMATCH;
    return 0;
}

/* The identity check of a row with a valid `number` (15 characters), as
 * nir._identity._verdict makes it and nir._csvio.RowChecker counts it: writes the
 * mismatching field codes joined by "|" into `text` (room for 48 bytes) and returns
 * their length; -2 when an identity cell is not simple (the row goes the slow way) or
 * Python must be asked without the GIL (the row waits for it);
 * -1 on error. */
static Py_ssize_t
identity_row_whole(Scan *scan, const char *body, Py_ssize_t length, int quoted, const Split *split,
                   const char *number, char *text)
{
    Identity *id = &scan->identity;
    const char *cell[ID_KINDS];
    Py_ssize_t cell_length[ID_KINDS];
    if (split != NULL && !quoted && id->split_want > 0) {
        split_cells(id, split, cell, cell_length); /* the usual row, without a call */
    }
    else if (identity_cells(scan, body, length, quoted, split, cell, cell_length) < 0) {
        return -2;
    }
    /* counted once the row is settled: a row that has to wait for the GIL is counted
     * when it is done */
    unsigned checked = 0;
    int mismatch[4];
    Facts facts;
    int status = read_facts(scan, cell, cell_length, 1, &facts);
    if (status == 0 && cell[ID_PLACE] == NULL) {
        fact_mismatches(&facts, number, mismatch, &checked); /* sex and date only */
        mismatch[3] = 0;
    }
    else if (status == 0) {
        status = number_mismatches(scan, cell, cell_length, &facts, number, mismatch, &checked);
    }
    if (status < 0) {
        return status;
    }
    long long *count = id->count;
    count[COUNT_CHECKED + ID_SEX] += checked & 1U;
    count[COUNT_CHECKED + ID_DATE] += (checked >> ID_DATE) & 1U;
    count[COUNT_CHECKED + ID_PLACE] += (checked >> ID_PLACE) & 1U;
    if (!(mismatch[0] | mismatch[1] | mismatch[2] | mismatch[3])) {
        return 0; /* the usual row */
    }
    static const char *const field_code[4] = {"sex", "birth_year", "birth_month", "birth_place"};
    Py_ssize_t written = 0;
    for (int i = 0; i < 4; i++) {
        if (mismatch[i]) {
            if (written > 0) {
                text[written++] = '|';
            }
            size_t size = strlen(field_code[i]);
            memcpy(text + written, field_code[i], size);
            written += (Py_ssize_t)size;
            count[COUNT_FIELDS + i]++;
        }
    }
    count[COUNT_MISMATCHED + ID_SEX] += mismatch[0];
    count[COUNT_MISMATCHED + ID_DATE] += mismatch[1] || mismatch[2];
    count[COUNT_MISMATCHED + ID_PLACE] += mismatch[3];
    count[COUNT_ROWS]++;
    return written;
}

/* Whether a valid number's own place (positions 6-10) names it at the birth, in a
 * row whose 10-byte date cell `date` agrees with the number (agreeing_split): a place
 * that fits whatever the birth date (same_place_fits without one), or a North African
 * head at the day the cell gives when it checks the birth fields (number_mismatches'
 * born: read_facts' day, the year being the number's). 0: not known here. The heads
 * 91-95 are Ile-de-France departments for everyone born after 1968: 3 % of the rows
 * of the HR benchmark, checked the whole way before. */
ROW_INLINE int
agreeing_place_fits(const Identity *id, const char *number, const char *date)
{
    if (same_place_fits(number + 5, 0)) {
        return 1;
    }
    int year = 0, month = 0, month_day = 0;
    long day = quick_date_parts(date, 10, &year, &month, &month_day);
    return checkable_day(id, day, year) && same_place_fits(number + 5, day);
}

/* Whether a row split without quotes, when the identity is a sex and a date column
 * (Identity.sex_and_date), surely agrees with its valid `number`, straight from the
 * split's bounds; counts the row's checks when it does. It does for a sex cell the
 * table settles that does not contradict the number, and a DD/MM/YYYY date (any of
 * dotted_date's separators) whose month and last two year digits are the number's
 * own characters: such a date checks the birth fields and finds them right (when it
 * is not a real day, or a future or implausible one, it checks nothing). A place
 * column's cell must then be the number's own 5 characters, a place that fits at
 * the birth (agreeing_place_fits): number_mismatches counts it checked and right
 * (for a number without birth fields, as any visible cell).
 * The usual HR row is settled here in a few dozen instructions, its date neither
 * read nor judged; a row this does not settle is checked the whole way
 * (identity_row_whole). */
ROW_INLINE int
agreeing_split(Identity *id, const Split *split, const char *number)
{
    if (split->seen + 1 < id->split_want) {
        return 0; /* a short row: it has no last identity cell (split_stop: column <= seen) */
    }
    const Py_ssize_t date_column = id->column[ID_DATE], sex_column = id->column[ID_SEX];
    const char *date = split_field(split, date_column);
    const char *sex = split_field(split, sex_column);
    const Py_ssize_t sex_length = split_stop(split, sex_column) - sex;
    if (split_stop(split, date_column) - date != 10 || sex_length > 1) {
        return 0;
    }
    /* the month and the year's last two digits are the number's own characters (digits),
     * the rest DD/MM/YYYY as dotted_date reads it: digits, the same separator twice */
    uint16_t date_month, date_years, number_month, number_years;
    memcpy(&date_month, date + 3, 2);
    memcpy(&number_month, number + 3, 2);
    memcpy(&date_years, date + 8, 2);
    memcpy(&number_years, number + 1, 2);
    if (date_month != number_month || date_years != number_years || date[2] != date[5] ||
        !(date[2] == '/' || date[2] == '-' || date[2] == '.')) {
        return 0;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* bytes 0, 1, 6, 7 digits: the others (separators, digits already) set to '0' */
    const uint64_t kept = 0xFFFF00000000FFFFu, threes = 0x3030303030303030u;
    uint64_t word = (load8((const unsigned char *)date) & kept) | (threes & ~kept);
    if (!digits8(word)) {
        return 0;
    }
#else
    uint64_t values;
    if (!dotted_date((const unsigned char *)date, &values)) {
        return 0;
    }
#endif
    /* a month code 01-12 names that month (else the date, with no such month, checks
     * nothing) */
    int code = (number[3] - '0') * 10 + (number[4] - '0');
    if (code >= 1 && code <= 12 && rules.month_number[code] != code) {
        return 0;
    }
    int male = (rules.identity_digit[number[0] - '0'] & IDENTITY_MALE) != 0;
    int agrees = id->sex_agrees[male][sex_length ? (unsigned char)sex[0] : 256];
    if (!agrees) {
        return 0;
    }
    const Py_ssize_t place_column = id->column[ID_PLACE];
    if (place_column >= 0) {
        const char *place = split_field(split, place_column);
        uint32_t cell_head, number_head; /* the 5 bytes compared as 4 and 1, without a call */
        memcpy(&cell_head, place, 4);
        memcpy(&number_head, number + 5, 4);
        if (split_stop(split, place_column) - place != 5 || cell_head != number_head ||
            place[4] != number[9] || !agreeing_place_fits(id, number, date)) {
            return 0;
        }
        id->count[COUNT_CHECKED + ID_PLACE]++;
    }
    id->count[COUNT_CHECKED + ID_SEX] += (agrees & SEX_COUNTED) != 0;
    id->count[COUNT_CHECKED + ID_DATE]++;
    return 1;
}

/* Whether a judge's verdict (its 5-tuple) carries the "century" warning: the number is
 * read in an older century than its digits' recent reading, which window_year gives;
 * nir._identity._window reads it as parse does. */
static int
read_in_older_century(PyObject *verdict)
{
    PyObject *warnings = PyTuple_GET_ITEM(verdict, 4);
    if (!PyTuple_Check(warnings)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(warnings); i++) {
        PyObject *code = PyTuple_GET_ITEM(warnings, i);
        if (PyUnicode_Check(code) && PyUnicode_CompareWithASCIIString(code, "century") == 0) {
            return 1;
        }
    }
    return 0;
}

/* The identity check of a row with a valid `number`: identity_row_whole, after
 * agreeing_split settles the usual row without a call. */
ROW_INLINE Py_ssize_t
identity_row(Scan *scan, const char *body, Py_ssize_t length, int quoted, const Split *split,
             const char *number, char *text)
{
    if (split != NULL && !quoted && scan->identity.sex_and_date &&
        agreeing_split(&scan->identity, split, number)) {
        return 0;
    }
    return identity_row_whole(scan, body, length, quoted, split, number, text);
}

/* The row's facts as a test of a suggestion's candidate (Candidates.fits). */
typedef struct {
    Facts facts;
} FactFilter;

/* Whether no fact of the row contradicts `number` (15 characters, not yet known
 * valid: one with a non-digit in the sex and birth fields passes, the validity test
 * judges it). */
static int
facts_fit(const void *context, const char *number)
{
    const FactFilter *filter = context;
    for (int i = 0; i < 5; i++) {
        if (!is_digit((unsigned char)number[i])) {
            return 1;
        }
    }
    int mismatch[3];
    unsigned ignored = 0;
    fact_mismatches(&filter->facts, number, mismatch, &ignored);
    return !(mismatch[0] | mismatch[1] | mismatch[2]);
}

/* The suggestion of a row with an invalid value [value, value_end), as
 * RowChecker._identity makes it: the one candidate of nir._suggest (see
 * find_candidates) that no identity cell contradicts, when some cell holds text.
 * Writes it into `suggestion` (15 bytes) and returns 1; 0 when there is none (no
 * candidate, none or several consistent, no identity text); -2 when C cannot tell
 * (a cell not simple or not ASCII, a question for Python without the GIL, a
 * reference year the C rules do not cover); -1 on error. Counts nothing. */
static int
row_suggestion(Scan *scan, const char *body, Py_ssize_t length, int quoted, const Split *split,
               const char *value, const char *value_end, char *suggestion)
{
    /* nir.compact on an ASCII value: without separators, upper-cased, without the
     * leading apostrophes; only 14-16 characters can have candidates */
    char text[17];
    Py_ssize_t kept = 0;
    const char *at = value;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const unsigned char *u = (const unsigned char *)value;
    if (value_end - value == 15 && digits8(load8(u)) && digits8(load8(u + 7))) {
        memcpy(text, value, 15); /* the usual value, 15 digits: compact already */
        kept = 15;
        at = value_end;
    }
#endif
    for (; at < value_end; at++) {
        unsigned char c = (unsigned char)*at;
        if (c >= 0x80) {
            return -2;
        }
        if (is_separator(c) || (c == '\'' && kept == 0)) {
            continue;
        }
        if (kept == 16) {
            return 0;
        }
        text[kept++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    if (kept < 14) {
        return 0;
    }
    long year = scan->identity.today / 10000;
    if (year < FIRST_REFERENCE_YEAR || year > LAST_REFERENCE_YEAR) {
        return -2;
    }
    /* the cells first, to drop the candidates their sex and date contradict before
     * the validity test (a row with no candidate still asks Python nothing) */
    const char *cell[ID_KINDS];
    Py_ssize_t cell_length[ID_KINDS];
    int cells = identity_cells(scan, body, length, quoted, split, cell, cell_length);
    int any_text = 0; /* RowChecker._identity: no suggestion without an identity text */
    int undecoded = 0;
    for (int kind = 0; cells == 0 && kind < ID_KINDS; kind++) {
        for (Py_ssize_t i = 0; cell[kind] != NULL && i < cell_length[kind]; i++) {
            unsigned char c = (unsigned char)cell[kind][i];
            undecoded |= c >= 0x80;
            any_text |= c < 0x80 && !is_space(c);
        }
    }
    if (cells == 0 && undecoded && !any_text) {
        cells = -2; /* decoded, the cells may be whitespace only: Python tells */
    }
    FactFilter filter = {{FACT_NONE, FACT_NONE, -1, 0, 0}};
    Candidates found;
    found.fits = NULL;
    found.untested = 1;
    if (cells == 0 && any_text && read_facts(scan, cell, cell_length, 0, &filter.facts) == 0) {
        found.fits = facts_fit;
        found.context = &filter;
    }
    find_candidates(text, kept, (int)year, (int)(scan->identity.today / 100 % 100), &found);
    /* the checks below come after a valid candidate only */
    int first = 0;
    while (first < found.count &&
           !valid_candidate(found.item[first].number, found.year, found.month)) {
        first++;
    }
    if (first == found.count) {
        return 0;
    }
    if (cells < 0) {
        return -2;
    }
    if (!any_text) {
        return 0;
    }
    Facts facts;
    int read = read_facts(scan, cell, cell_length, 1, &facts);
    if (read < 0) {
        return read;
    }
    int consistent = 0;
    for (int i = first; i < found.count; i++) {
        unsigned ignored = 0;
        int mismatch[4];
        const char *number = found.item[i].number;
        if (i > first && !valid_candidate(number, found.year, found.month)) {
            continue;
        }
        int status =
            number_mismatches(scan, cell, cell_length, &facts, number, mismatch, &ignored);
        if (status < 0) {
            return status;
        }
        if (!mismatch[0] && !mismatch[1] && !mismatch[2] && !mismatch[3]) {
            if (++consistent > 1) {
                return 0; /* two fit: no suggestion, whatever the others */
            }
            memcpy(suggestion, number, 15);
        }
    }
    return consistent;
}

/* Settle a record whose NIR field is simple and plain (see nir._csvscan): valid, or
 * wrong only in its key. With identity columns, a valid number's row gets their
 * check, an invalid one its suggestion (row_suggestion; the slow way when C cannot
 * tell). Returns 1 settled, 0 not, -1 error. */
static int c_verdict_row(Scan *scan, const char *body, Py_ssize_t length, long long line,
                         const char *end, Py_ssize_t end_length, int quoted, const char *value,
                         const char *value_end, const Split *split);

static int
try_fast_row(Scan *scan, const char *body, Py_ssize_t length, long long line, const char *end,
             Py_ssize_t end_length, int quoted, const Split *split)
{
    const char *value = NULL;
    const char *value_end = NULL;
    Py_ssize_t fields;
    Split own;
    if (quoted) {
        const char *field = NULL;
        const char *field_end = NULL;
        fields = locate_field(body, length, scan->delimiter, scan->column, &field, &field_end);
        if (field == NULL || !simple_piece(field, field_end, &value, &value_end)) {
            return 0; /* too few fields ("missing"), or a value to unquote: the slow path */
        }
    }
    else {
        if (split == NULL) {
            plain_split(body, length, scan->data + scan->size - body, scan->delimiter,
                        scan->column, scan->split_keep, &own);
            split = &own;
        }
        fields = split->seen + 1;
        value = split->value;
        value_end = split->value_end;
        if (value == NULL) {
            return 0; /* too few fields: the slow path reports "missing" */
        }
    }
    if (fields < scan->width) {
        return 0; /* a short row: the slow path pads it */
    }
    /* NUMBER: the value without spaces, dots and hyphens, then without one leading
     * apostrophe. More than 16 bytes kept cannot give 15 digits. The usual value is
     * 15 digits already: it is used as it is (when it is not plain, stripping it
     * could not make it plain either: it would be shorter than 15). */
    unsigned char number[17];
    Py_ssize_t kept = 0;
    int too_long = 0;
    /* (a flag, not copy_from == value_end: an empty value is not 15 characters, and
     * the 15 bytes after it are another field's, or past the data) */
    const int fifteen = value_end - value == 15;
    if (fifteen) {
        memcpy(number, value, 15);
        kept = 15;
    }
    for (const char *at = fifteen ? value_end : value; at < value_end; at++) {
        if (*at == ' ' || *at == '.' || *at == '-') {
            continue;
        }
        if (kept == 16) {
            too_long = 1;
            break;
        }
        number[kept++] = (unsigned char)*at;
    }
    const unsigned char *digits = number;
    if (kept > 0 && number[0] == '\'') {
        digits++;
        kept--;
    }
    int expected, key;
    if (!too_long && plain_fields(digits, kept, &expected, &key)) {
        if (key == expected) {
            char mismatch[48];
            Py_ssize_t mismatch_length = 0;
            if (scan->identity.active) {
                mismatch_length =
                    identity_row(scan, body, length, quoted, split, (const char *)digits,
                                 mismatch);
                if (mismatch_length < 0) {
                    return mismatch_length == -2 ? 0 : -1;
                }
            }
            scan->valid++;
            if (scan->only_invalid && mismatch_length == 0) {
                return 1;
            }
            return write_settled_row(scan, body, length, (const char *)digits, line, NULL, 0,
                                     mismatch, mismatch_length, "", 0, end, end_length) < 0
                       ? -1
                       : 1;
        }
        PyObject *text = scan->key_texts ? scan->key_texts[key * 100 + expected] : NULL;
        if (text == NULL) {
            if (scan->deferring) {
                return 0; /* a message to render: with the GIL */
            }
            gil_take(scan);
            if (scan->key_texts == NULL) {
                scan->key_texts = PyMem_RawCalloc(100 * 100, sizeof(PyObject *));
                if (scan->key_texts == NULL) {
                    PyErr_NoMemory();
                    return -1;
                }
            }
            text = key_message(scan, key, expected);
            if (text == NULL) {
                return -1;
            }
            scan->key_texts[key * 100 + expected] = text;
        }
        char suggestion[15];
        int suggested = 0;
        if (scan->identity.active) {
            suggested =
                row_suggestion(scan, body, length, quoted, split, value, value_end, suggestion);
            if (suggested < 0) {
                return suggested == -2 ? 0 : -1;
            }
            scan->identity.count[COUNT_SUGGESTIONS] += suggested;
        }
        scan->key_errors++;
        Py_ssize_t message_length = PyBytes_GET_SIZE(text);
        const char *message = PyBytes_AS_STRING(text);
        return write_settled_row(scan, body, length, (const char *)digits, line, message,
                                 message_length, "", 0, suggestion, suggested ? 15 : 0, end,
                                 end_length) < 0
                   ? -1
                   : 1;
    }
    /* Not plain: the full rules, through judge(field), for an ASCII field. */
    for (const char *at = value; at < value_end; at++) {
        if ((unsigned char)*at >= 0x80) {
            return 0;
        }
    }
    if (scan->deferring) {
        return 0; /* the verdict is a Python tuple: with the GIL */
    }
    gil_take(scan);
    if (scan->judge == NULL) { /* the rules in C, without a call into Python */
        return c_verdict_row(scan, body, length, line, end, end_length, quoted, value, value_end,
                             quoted ? NULL : split);
    }
    PyObject *field = PyBytes_FromStringAndSize(value, value_end - value);
    if (field == NULL) {
        return -1;
    }
    PyObject *verdict = PyObject_CallOneArg(scan->judge, field);
    Py_DECREF(field);
    if (verdict == NULL) {
        return -1;
    }
    if (verdict == Py_None) {
        Py_DECREF(verdict);
        return 0;
    }
    char mismatch[48];
    Py_ssize_t mismatch_length = 0;
    char suggestion[15];
    int suggested = 0;
    if (scan->identity.active) {
        Py_ssize_t code_length, number_length;
        const char *code = PyTuple_Check(verdict) && PyTuple_GET_SIZE(verdict) == 5
                               ? text_of(PyTuple_GET_ITEM(verdict, 0), &code_length)
                               : NULL;
        const char *number = code ? text_of(PyTuple_GET_ITEM(verdict, 2), &number_length) : NULL;
        if (number == NULL) {
            Py_DECREF(verdict);
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "judge must return a 5-tuple or None");
            }
            return -1;
        }
        if (code_length == 0 && number_length == 15 && read_in_older_century(verdict)) {
            Py_DECREF(verdict);
            return 0; /* read in an older century: the identity's window is Python's */
        }
        if (code_length == 0 && number_length == 15) {
            mismatch_length = identity_row(scan, body, length, quoted, split, number, mismatch);
        }
        else {
            suggested =
                row_suggestion(scan, body, length, quoted, split, value, value_end, suggestion);
            mismatch_length = suggested < 0 ? suggested : 0;
        }
        if (mismatch_length < 0) {
            Py_DECREF(verdict);
            return mismatch_length == -2 ? 0 : -1;
        }
        scan->identity.count[COUNT_SUGGESTIONS] += suggested;
    }
    int status = write_judged_row(scan, body, length, line, verdict, mismatch, mismatch_length,
                                  suggestion, suggested ? 15 : 0, end, end_length);
    Py_DECREF(verdict);
    return status < 0 ? -1 : 1;
}

/* Hand one record to slow(body, end, line) and append what it returns. */
static int
slow_row(Scan *scan, const char *body, Py_ssize_t length, long long line, EndKind kind)
{
    gil_take(scan);
    if (scan->ends[kind] == NULL) {
        scan->ends[kind] = PyBytes_FromStringAndSize(end_text[kind], end_length[kind]);
        if (scan->ends[kind] == NULL) {
            return -1;
        }
    }
    PyObject *body_bytes = PyBytes_FromStringAndSize(body, length);
    PyObject *line_number = PyLong_FromLongLong(line);
    if (body_bytes == NULL || line_number == NULL) {
        Py_XDECREF(body_bytes);
        Py_XDECREF(line_number);
        return -1;
    }
    PyObject *args[3] = {body_bytes, scan->ends[kind], line_number};
    PyObject *result = PyObject_Vectorcall(scan->slow, args, 3, NULL);
    Py_DECREF(body_bytes);
    Py_DECREF(line_number);
    if (result == NULL) {
        return -1;
    }
    int status;
    if (PyBytes_Check(result)) {
        status = buffer_write(&scan->out, PyBytes_AS_STRING(result), PyBytes_GET_SIZE(result));
    }
    else {
        PyErr_Format(PyExc_TypeError, "slow must return bytes, not %.100s",
                     Py_TYPE(result)->tp_name);
        status = -1;
    }
    Py_DECREF(result);
    return status;
}

/* One record: its body data[start:stop], ended by `kind`, with `inner` line breaks
 * inside it (in quoted fields); `quoted` when the body holds a quote. */
static int
handle_record(Scan *scan, Py_ssize_t start, Py_ssize_t stop, EndKind kind, long long inner,
              int quoted, const Split *split)
{
    const char *body = scan->data + start;
    Py_ssize_t length = stop - start;
    long long first_line = scan->line;
    if (scan->line > LLONG_MAX - 1 - inner) {
        gil_take(scan);
        PyErr_SetString(PyExc_OverflowError, "line number too large");
        return -1;
    }
    scan->line += inner + 1;

    if (length == 0) {
        scan->blank_lines++;
        return scan->only_invalid ? 0 : buffer_write(&scan->out, end_text[kind], end_length[kind]);
    }
    scan->rows++;
    int settled =
        try_fast_row(scan, body, length, first_line, end_text[kind], end_length[kind], quoted,
                     split);
    if (settled != 0) {
        return settled < 0 ? -1 : 0;
    }
    if (scan->deferring) {
        if (scan->deferred_count == scan->deferred_capacity) {
            Py_ssize_t capacity = scan->deferred_capacity ? 2 * scan->deferred_capacity : 256;
            Deferred *grown = PyMem_RawRealloc(scan->deferred, (size_t)capacity * sizeof *grown);
            if (grown == NULL) {
                no_memory();
                return -1;
            }
            scan->deferred = grown;
            scan->deferred_capacity = capacity;
        }
        scan->deferred[scan->deferred_count++] =
            (Deferred){start, stop, scan->out.length, 0, first_line, (int)kind, quoted};
        return 0;
    }
    return slow_row(scan, body, length, first_line, kind);
}

/* The scans running their deferred rows with the GIL now, all threads together. A
 * thread whose stretch ends while another holds the GIL for its own (the first place
 * name a run asks loads the place data: tens of milliseconds) scans its next stretch
 * instead of waiting idle, its rows still deferred (it goes on while it holds fewer
 * than MAX_DEFERRED, so at most that plus one stretch's rows, and never past its
 * piece's end: they run there whatever). Only a hint: read without a lock, it can
 * only make a thread wait as before, or defer a few rows more. A child forked while
 * another thread's turn is under way does not count that turn (deferred_turns_forget):
 * that thread is not in the child. `carried_stretches` counts the stretches scanned
 * on so (both read by deferred_stats, for the tests). */
static int deferred_turns;
static long long carried_stretches;
enum { MAX_DEFERRED = 1 << 16 };
#if SHARED_NAMES
static __thread int own_turns; /* this thread's part of deferred_turns */
#endif

static inline void
deferred_turn(int step)
{
#if SHARED_NAMES
    own_turns += step;
    __atomic_add_fetch(&deferred_turns, step, __ATOMIC_RELAXED);
#else
    (void)step;
#endif
}

#if NIR_HAVE_ATFORK
/* In a forked child, the only thread is the one that forked: its turns are all. */
static void
deferred_turns_forget(void)
{
#if SHARED_NAMES
    deferred_turns = own_turns;
#endif
}
#endif

static inline void
stretch_carried(void)
{
#if SHARED_NAMES
    __atomic_add_fetch(&carried_stretches, 1, __ATOMIC_RELAXED);
#endif
}

static inline int
deferred_turns_taken(void)
{
#if SHARED_NAMES
    return __atomic_load_n(&deferred_turns, __ATOMIC_RELAXED) > 0;
#else
    return 0;
#endif
}

/* The walk with the GIL: the deferred rows, in order, into a buffer of their own
 * (each one's end in late_end; merge_deferred then puts them in place). */
static int
run_deferred(Scan *scan, Buffer *late)
{
    Buffer settled = scan->out;
    scan->out = *late;
    scan->deferring = 0;
    int status = 0;
    for (Py_ssize_t i = 0; i < scan->deferred_count && status == 0; i++) {
        Deferred *row = &scan->deferred[i];
        const char *body = scan->data + row->start;
        Py_ssize_t length = row->stop - row->start;
        int done = try_fast_row(scan, body, length, row->line, end_text[row->kind],
                                end_length[row->kind], row->quoted, NULL);
        if (done == 0) {
            done = slow_row(scan, body, length, row->line, (EndKind)row->kind) < 0 ? -1 : 1;
        }
        status = done < 0 ? -1 : 0;
        row->late_end = scan->out.length;
    }
    *late = scan->out;
    scan->out = settled;
    return status;
}

/* Put the deferred rows' output (in `late`, from run_deferred) in their places in
 * `out`, in place: from the back, each stretch of `out` moved once to where it ends
 * up. Done after each stretch, while its bytes are still in the cache, it leaves
 * `out` the whole output so far (the bytes returned are one copy of it, not a join
 * of scattered pieces); `late` and the deferred rows are then empty. Returns -1 with
 * an exception set on failure. */
static int
merge_deferred(Scan *scan, Buffer *late)
{
    if (scan->deferred_count == 0) {
        return 0;
    }
    if (buffer_reserve(&scan->out, late->length) < 0) {
        return -1;
    }
    char *data = scan->out.data;
    Py_ssize_t to = scan->out.length + late->length; /* the end of what is left to place */
    Py_ssize_t from = scan->out.length;
    for (Py_ssize_t i = scan->deferred_count - 1; i >= 0; i--) {
        const Deferred *row = &scan->deferred[i];
        Py_ssize_t count = from - row->at;
        to -= count;
        if (count > 0 && to != row->at) {
            memmove(data + to, data + row->at, (size_t)count);
        }
        from = row->at;
        Py_ssize_t late_start = i > 0 ? scan->deferred[i - 1].late_end : 0;
        count = row->late_end - late_start;
        to -= count;
        if (count > 0) {
            memcpy(data + to, late->data + late_start, (size_t)count);
        }
    }
    scan->out.length += late->length;
    late->length = 0;
    scan->deferred_count = 0;
    return 0;
}

/* A record found by find_record. */
typedef struct {
    Py_ssize_t stop; /* end of its body */
    Py_ssize_t next; /* where the next record starts */
    EndKind kind;
    long long inner; /* line breaks inside quoted fields */
} Record;

/* The record that starts at `start`, as csv.reader splits it (see nir._csvscan):
 * returns 1 and fills `record`, or 0 when it does not end in the data (a quoted
 * field still open, or, unless `final`, no line break yet or a last CR that may be
 * half a CRLF). */
static int
find_record(const Scan *scan, Py_ssize_t start, Record *record)
{
    const char *data = scan->data;
    const Py_ssize_t size = scan->size;
    const char delimiter = scan->delimiter;
    int quoted = 0;
    Py_ssize_t at = start;
    for (;;) { /* at the start of a field */
        if (at < size && data[at] == '"') {
            Py_ssize_t end = quoted_part_end(data, at, size);
            if (end < 0 || (end == size && !scan->final)) {
                return 0; /* still open, or the next byte may double its last quote */
            }
            at = end;
            quoted = 1;
        }
        /* then data up to a delimiter or a line break */
        while (at < size && data[at] != delimiter && data[at] != '\n' && data[at] != '\r') {
            at++;
        }
        if (at < size && data[at] == delimiter) {
            at++;
            continue;
        }
        break;
    }
    record->stop = at;
    /* line breaks stand only in quoted parts: the others end the record */
    record->inner = quoted ? line_breaks(data + start, at - start) : 0;
    if (at == size) {
        if (!scan->final) {
            return 0;
        }
        record->kind = END_NONE;
        record->next = size;
    }
    else if (data[at] == '\n') {
        record->kind = END_LF;
        record->next = at + 1;
    }
    else if (at + 1 < size && data[at + 1] == '\n') {
        record->kind = END_CRLF;
        record->next = at + 2;
    }
    else {
        if (at + 1 == size && !scan->final) {
            return 0;
        }
        record->kind = END_CR;
        record->next = at + 1;
    }
    return 1;
}

/* The index of the first CR or LF in data[start:size], or size; the delimiters
 * before it, for field `column`, in `split` (a record without quotes: one pass). */
ROW_INLINE Py_ssize_t
first_line_break(const char *data, Py_ssize_t start, Py_ssize_t size, char delimiter,
                 Py_ssize_t column, Py_ssize_t want, Split *split)
{
    split_start(split, data + start, column, want);
    Py_ssize_t i = start;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i delimiters = _mm_set1_epi8(delimiter);
    for (; i + 16 <= size; i += 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(data + i));
        unsigned found = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(block, lf), _mm_cmpeq_epi8(block, cr)));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, delimiters));
        if (found != 0) {
            int at = __builtin_ctz(found);
            split_block(split, data + i, mask & ((1U << at) - 1), column);
            split_end(split, data + i + at);
            return i + at;
        }
        split_block(split, data + i, mask, column);
    }
#endif
    for (; i < size && data[i] != '\n' && data[i] != '\r'; i++) {
        if (data[i] == delimiter) {
            split_block(split, data + i, 1, column);
        }
    }
    split_end(split, data + i);
    return i;
}

/* Walk the records of scan->data from `start` (a record's start) until one starts at
 * or after `limit`; returns where the next record starts (all before it is consumed),
 * or -1 on error. Sets *unfinished when the record there does not end in the data. */
static Py_ssize_t
scan_records(Scan *scan, Py_ssize_t start, Py_ssize_t limit, int *unfinished)
{
    const char *data = scan->data;
    const Py_ssize_t size = scan->size;
    /* Most records hold no quote: find the next one once, not per record (kept from
     * one stretch of the walk to the next). */
    Py_ssize_t next_quote = scan->next_quote;
    while (start < size && start < limit) {
        if (next_quote < start) {
            const char *quote = memchr(data + start, '"', (size_t)(size - start));
            next_quote = quote != NULL ? quote - data : size;
        }
        Split split;
        /* (two copies of the walk: without identity cells to keep, want is 0 in one) */
        Py_ssize_t line_end =
            scan->split_keep > 0
                ? first_line_break(data, start, size, scan->delimiter, scan->column,
                                   scan->split_keep, &split)
                : first_line_break(data, start, size, scan->delimiter, scan->column, 0, &split);
        if (line_end < next_quote && line_end < size &&
            (data[line_end] == '\n' || (line_end + 1 < size && data[line_end + 1] == '\n'))) {
            /* the usual record: an LF or CRLF line without quotes, split already */
            int crlf = data[line_end] == '\r';
            if (handle_record(scan, start, line_end, crlf ? END_CRLF : END_LF, 0, 0, &split) <
                0) {
                return -1;
            }
            start = line_end + 1 + crlf;
            continue;
        }
        Record record;
        if (!find_record(scan, start, &record)) {
            *unfinished = 1; /* kept for the next call */
            break;
        }
        int quoted = next_quote < record.stop;
        if (handle_record(scan, start, record.stop, record.kind, record.inner, quoted, NULL) <
            0) {
            return -1;
        }
        start = record.next;
    }
    scan->next_quote = next_quote;
    return start;
}

/* The key messages this run has made already (render.cache["key"]), readable without
 * the GIL: a wrong key then costs no deferral. */
static int
prefill_key_texts(Scan *scan)
{
    PyObject *list = key_message_list(scan);
    if (list == NULL) {
        return -1;
    }
    scan->key_texts = PyMem_RawCalloc(100 * 100, sizeof(PyObject *));
    if (scan->key_texts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < 100 * 100; i++) {
        PyObject *item = PyList_GET_ITEM(list, i);
        scan->key_texts[i] = item == Py_None ? NULL : item;
    }
    return 0;
}

/* A bytes argument of exactly one byte. */
static int
single_byte(PyObject *value, const char *name, char *byte)
{
    if (!PyBytes_Check(value) || PyBytes_GET_SIZE(value) != 1) {
        PyErr_Format(PyExc_ValueError, "scan: %s must be one byte", name);
        return -1;
    }
    *byte = PyBytes_AS_STRING(value)[0];
    return 0;
}

static PyObject *scan_with(Scan *scan_state, PyObject *const *args);

/* The names memo's two parts in `buffer` (NAMES_HEADER bytes, then 7/8 for the short
 * names, the rest the long ones), as every scan and keep_names read it. */
static void
names_layout(Identity *id, void *buffer, Py_ssize_t length)
{
    unsigned char *names = (unsigned char *)buffer + NAMES_HEADER;
    const Py_ssize_t names_size = length - NAMES_HEADER;
    const Py_ssize_t short_size = names_size / 8 * 7;
    id->names_writes = (uint64_t *)buffer;
    id->short_names = (Memo){names, short_size / (MEMO_WAYS * SHORT_NAME_ENTRY),
                             SHORT_NAME_ENTRY, SHORT_KEY_AT};
    id->names = (Memo){names + short_size, (names_size - short_size) / (MEMO_WAYS * NAME_ENTRY),
                       NAME_ENTRY, NAME_KEY_AT};
}

/* The names memo's `wrong` argument, or NULL: 64 bytes or more, 8-aligned, and no
 * write under way (an even count of writes). */
static const char *
names_memo_wrong(const Py_buffer *memo)
{
    return memo->len < NAMES_HEADER || (uintptr_t)memo->buf % 8 != 0
               ? "the names memo must be 64 bytes or more, 8-aligned"
           : *(const uint64_t *)memo->buf & 1
               ? "the names memo's count of writes is odd (no write is under way)"
               : NULL;
}

/* The 11th argument of scan: None, or (sex column, date column, place column, today as
 * YYYYMMDD, cell_class, memo bytearray, counts bytearray, place_mismatch bytes of
 * DEPARTMENTS * DEPARTMENTS, see nir._accel.place_mismatch_table, place_codes,
 * sex_cells, commune_spans: nir._accel.commune_spans_table or b"", names memo
 * bytearray); columns -1 when absent.
 * The memo and the counts belong to one thread: scans on several threads at once each
 * have their own. The names memo is the run's, written with the GIL (NAMES_HEADER).
 * Returns 0, or -1 with an exception (the buffers held are released). */
static int
read_identity(PyObject *value, Identity *id)
{
    if (value == Py_None) {
        return 0;
    }
    if (!PyTuple_Check(value) || PyTuple_GET_SIZE(value) != 12) {
        PyErr_SetString(PyExc_TypeError, "scan: identity must be None or a 12-tuple");
        return -1;
    }
    PyObject *spans = PyTuple_GET_ITEM(value, 10);
    /* commune_spans_table: the epoch, the departments' pairs, the codes' starts and
     * city and arrondissement bits, then triples; b"": none */
    const Py_ssize_t head_size =
        2 + DEPARTMENTS * DEPARTMENTS + SPAN_CODES + 1 + 2 * (SPAN_CODES / 16 + 1);
    Py_ssize_t spans_size = PyBytes_Check(spans) ? PyBytes_GET_SIZE(spans) : -1;
    if (spans_size != 0 && (spans_size < 2 * head_size || (spans_size - 2 * head_size) % 6 != 0)) {
        PyErr_SetString(PyExc_ValueError,
                        "scan: commune_spans must be b'' or commune_spans_table()");
        return -1;
    }
    id->span_until = NULL;
    if (spans_size > 0) {
        const uint16_t *table = (const uint16_t *)PyBytes_AS_STRING(spans);
        id->span_epoch = (long)table[0] | (long)table[1] << 16;
        id->span_until = table + 2;
        id->span_start = id->span_until + DEPARTMENTS * DEPARTMENTS;
        id->span_city = id->span_start + SPAN_CODES + 1;
        id->span_arrondissement = id->span_city + SPAN_CODES / 16 + 1;
        id->spans = id->span_arrondissement + SPAN_CODES / 16 + 1;
        id->span_count = (long)((spans_size - 2 * head_size) / 6);
    }
    PyObject *sex_cells = PyTuple_GET_ITEM(value, 9);
    if (!PyBytes_Check(sex_cells) || PyBytes_GET_SIZE(sex_cells) != SEX_CELLS) {
        PyErr_SetString(PyExc_ValueError, "scan: sex_cells must be 257 bytes");
        return -1;
    }
    id->sex_cells = (const unsigned char *)PyBytes_AS_STRING(sex_cells);
    id->split_want = 0;
    for (int kind = 0; kind < ID_KINDS; kind++) {
        id->column[kind] = PyLong_AsSsize_t(PyTuple_GET_ITEM(value, kind));
        if (id->column[kind] >= id->split_want) {
            id->split_want = id->column[kind] + 1; /* the last cell's end */
        }
    }
    if (id->split_want > SPLIT_FIELDS) {
        id->split_want = 0; /* a column after the kept ones: the cells by a second walk */
    }
    id->sex_and_date = id->split_want > 0 && id->column[ID_SEX] >= 0 && id->column[ID_DATE] >= 0;
    for (int male = 0; male < 2; male++) { /* agreeing_split's sex test, once per byte */
        for (int byte = 0; byte < SEX_CELLS; byte++) {
            long sex = id->sex_cells[byte];
            int agrees = sex != SEX_ASK && !(sex >= CELL_MALE && (sex == CELL_MALE) != male);
            int counted = sex >= CELL_UNCHECKED ? SEX_COUNTED : 0;
            id->sex_agrees[male][byte] = (unsigned char)(agrees ? SEX_AGREES | counted : 0);
        }
    }
    id->today = PyLong_AsLong(PyTuple_GET_ITEM(value, 3));
    id->today_year = id->today / 10000;
    if (PyErr_Occurred()) {
        return -1;
    }
    id->cell_class = PyTuple_GET_ITEM(value, 4);
    if (!PyCallable_Check(id->cell_class)) {
        PyErr_SetString(PyExc_TypeError, "scan: cell_class must be callable");
        return -1;
    }
    id->place_codes = PyTuple_GET_ITEM(value, 8);
    if (!PyCallable_Check(id->place_codes)) {
        PyErr_SetString(PyExc_TypeError, "scan: place_codes must be callable");
        return -1;
    }
    PyObject *table = PyTuple_GET_ITEM(value, 7);
    if (!PyBytes_Check(table) || PyBytes_GET_SIZE(table) != DEPARTMENTS * DEPARTMENTS) {
        PyErr_SetString(PyExc_ValueError, "scan: place_mismatch must be DEPARTMENTS**2 bytes");
        return -1;
    }
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(value, 5), &id->memo, PyBUF_WRITABLE) < 0) {
        return -1;
    }
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(value, 11), &id->names_memo, PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&id->memo);
        return -1;
    }
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(value, 6), &id->counts, PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&id->memo);
        PyBuffer_Release(&id->names_memo);
        return -1;
    }
    const char *wrong = id->counts.len != COUNTERS * (Py_ssize_t)sizeof(long long)
                            ? "the identity counts must be 12 int64"
                            : names_memo_wrong(&id->names_memo);
    if (wrong != NULL) {
        PyErr_Format(PyExc_ValueError, "scan: %s", wrong);
        PyBuffer_Release(&id->memo);
        PyBuffer_Release(&id->names_memo);
        PyBuffer_Release(&id->counts);
        return -1;
    }
    /* a third of the thread's memo for the sex and date answers, the rest places */
    const Py_ssize_t size = id->memo.len;
    Memo *part[2] = {&id->cells, &id->places};
    unsigned char *const at[2] = {id->memo.buf, (unsigned char *)id->memo.buf + size / 3};
    const int entry[2] = {CELL_ENTRY, PLACE_ENTRY};
    const Py_ssize_t share[2] = {size / 3, size - size / 3};
    for (int i = 0; i < 2; i++) {
        part[i]->buf = at[i];
        part[i]->entry = entry[i];
        part[i]->key_at = KEY_AT;
        part[i]->groups = share[i] / (MEMO_WAYS * entry[i]);
    }
    names_layout(id, id->names_memo.buf, id->names_memo.len);
    id->place_mismatch = (const unsigned char *)PyBytes_AS_STRING(table);
    id->active = 1;
    return 0;
}

/* What scan returns as its output: the bytes it wrote, in the buffer it wrote them
 * in, read through the buffer protocol (scan returns a memoryview of one). Copied
 * into a bytes object instead, every output byte was copied once more: 8 % of the
 * time of a run that writes every row. The memory is freed with the last view. */
typedef struct {
    PyObject_HEAD
    char *data;
    Py_ssize_t length;
} ScanOutput;

static void
scan_output_dealloc(PyObject *self)
{
    PyMem_RawFree(((ScanOutput *)self)->data);
    Py_TYPE(self)->tp_free(self);
}

static int
scan_output_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    ScanOutput *output = (ScanOutput *)self;
    return PyBuffer_FillInfo(view, self, output->data, output->length, 1, flags);
}

static PyBufferProcs scan_output_buffer = {.bf_getbuffer = scan_output_getbuffer};

static PyTypeObject ScanOutputType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "nir._speedups.ScanOutput",
    .tp_basicsize = sizeof(ScanOutput),
    .tp_dealloc = scan_output_dealloc,
    .tp_as_buffer = &scan_output_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The bytes a scan wrote (read through a memoryview).",
};

/* A read-only memoryview of `buffer`'s bytes, which it takes (buffer is then empty);
 * NULL with an exception set on failure (the bytes freed, or, when no ScanOutput
 * could be made, left in buffer for its owner to free). */
static PyObject *
buffer_view(Buffer *buffer)
{
    ScanOutput *output = PyObject_New(ScanOutput, &ScanOutputType);
    if (output == NULL) {
        return NULL;
    }
    output->data = buffer->data;
    output->length = buffer->length;
    buffer->data = NULL;
    buffer->length = buffer->capacity = 0;
    PyObject *view = PyMemoryView_FromObject((PyObject *)output);
    Py_DECREF(output);
    return view;
}

static PyObject *
scan(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 11 && !expect_arguments("scan", nargs, 10)) {
        return NULL;
    }
    if (!check_configured()) {
        return NULL;
    }
    Scan state;
    memset(&state, 0, sizeof state);
    if (nargs == 11 && read_identity(args[10], &state.identity) < 0) {
        return NULL;
    }
    /* any bytes-like object: bytes, or the engine's reusable bytearray (no copy) */
    Py_buffer view;
    PyObject *result = NULL;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) == 0) {
        state.data = view.buf;
        state.size = view.len;
        result = scan_with(&state, args);
        PyBuffer_Release(&view);
    }
    if (state.identity.active) {
        PyBuffer_Release(&state.identity.memo);
        PyBuffer_Release(&state.identity.names_memo);
        PyBuffer_Release(&state.identity.counts);
    }
    return result;
}

/* `scan` once its data is held: the other arguments, the walk, the result. */
static PyObject *
scan_with(Scan *scan_state, PyObject *const *args)
{
    Scan state = *scan_state;
    if (single_byte(args[1], "delimiter", &state.delimiter) < 0) {
        return NULL;
    }
    if (state.delimiter == '"' || state.delimiter == '\r' || state.delimiter == '\n') {
        PyErr_SetString(PyExc_ValueError, "scan: the delimiter cannot be a quote or a line break");
        return NULL;
    }
    state.column = PyLong_AsSsize_t(args[2]);
    if (state.column == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (state.column < 0) {
        PyErr_SetString(PyExc_ValueError, "scan: column must be >= 0");
        return NULL;
    }
    state.split_keep = state.identity.active ? state.identity.split_want : 0;
    if (state.split_keep > 0 && state.split_keep <= state.column &&
        state.column < SPLIT_FIELDS) {
        state.split_keep = state.column + 1;
    }
    state.width = PyLong_AsSsize_t(args[3]);
    if (state.width == -1 && PyErr_Occurred()) {
        return NULL;
    }
    state.only_invalid = PyObject_IsTrue(args[4]);
    if (state.only_invalid < 0) {
        return NULL;
    }
    state.line = PyLong_AsLongLong(args[5]);
    if (state.line == -1 && PyErr_Occurred()) {
        return NULL;
    }
    state.final = PyObject_IsTrue(args[6]);
    if (state.final < 0) {
        return NULL;
    }
    state.slow = args[7];
    if (!PyCallable_Check(state.slow)) {
        PyErr_SetString(PyExc_TypeError, "scan: slow must be callable");
        return NULL;
    }
    if (PyCallable_Check(args[8])) {
        state.judge = args[8];
    }
    else if (PyTuple_Check(args[8]) && PyTuple_GET_SIZE(args[8]) == 5) {
        /* the policy of nir._speedups.verdict: (allow_temporary, allow_missing_key,
         * warnings_as_errors, year, month) */
        for (int i = 0; i < 3; i++) {
            state.policy[i] = PyObject_IsTrue(PyTuple_GET_ITEM(args[8], i));
            if (state.policy[i] < 0) {
                return NULL;
            }
        }
        state.year = PyLong_AsLong(PyTuple_GET_ITEM(args[8], 3));
        state.month = PyLong_AsLong(PyTuple_GET_ITEM(args[8], 4));
        if (PyErr_Occurred()) {
            return NULL;
        }
        if (state.month < 1 || state.month > 12) {
            PyErr_SetString(PyExc_ValueError, "scan: the policy's month must be in 1..12");
            return NULL;
        }
    }
    else {
        PyErr_SetString(PyExc_TypeError,
                        "scan: judge must be callable or a verdict policy tuple");
        return NULL;
    }
    state.render = args[9];
    if (!PyCallable_Check(state.render)) {
        PyErr_SetString(PyExc_TypeError, "scan: render must be callable");
        return NULL;
    }
    /* Room for the usual case, every row written back with its appended cells. (The
     * buffer is returned as it is, a view of it (buffer_view); pages past what is
     * written are never touched. A bytes object of the guessed size, cut at the end,
     * made glibc map each window's afresh: 5 times the page faults.) */
    Py_ssize_t guess = state.only_invalid ? 4096 : state.size + state.size / 2 + 64;
    if (buffer_reserve(&state.out, guess) < 0) {
        return NULL;
    }

    PyObject *result = NULL;
    state.errors = PyDict_New();
    state.warnings = PyDict_New();
    /* render.cache, when it is a dict, outlives this call: the messages of one run are
     * then asked of render once, not once per chunk (see nir._csvio.MessageCells) */
    state.messages = PyObject_GetAttrString(state.render, "cache");
    if (state.messages == NULL || !PyDict_Check(state.messages)) {
        PyErr_Clear();
        Py_XDECREF(state.messages);
        state.messages = PyDict_New();
    }
    Buffer late = {NULL, 0, 0};
    Py_ssize_t consumed = -1;
    if (state.errors && state.warnings && state.messages && prefill_key_texts(&state) == 0) {
        /* Stretches of STRETCH bytes without the GIL, each followed by its deferred rows
         * with it: threads scanning other pieces take turns at the GIL while this one
         * walks bytes, instead of all waiting for it at the end. Only the deferred rows
         * hold it: putting their output in place (merge_deferred, a move of the
         * stretch's output, all of it when every row is written) is done without. */
        const Py_ssize_t STRETCH = 256 * 1024;
        Py_ssize_t start = 0;
        int unfinished = 0;
        state.next_quote = -1;
        for (;;) {
            state.deferring = 1;
            if (state.released == NULL) {
                state.released = PyEval_SaveThread();
            }
            Py_ssize_t next = scan_records(&state, start, start + STRETCH, &unfinished);
            if (next >= 0 && state.deferred_count > 0 && !unfinished && next < state.size &&
                state.deferred_count < MAX_DEFERRED && deferred_turns_taken()) {
                start = next; /* another scan holds the GIL for its deferred rows: on */
                stretch_carried();
                continue;
            }
            if (next >= 0 && state.deferred_count > 0) {
                gil_take(&state);
                deferred_turn(1);
                if (run_deferred(&state, &late) < 0) {
                    next = -1;
                }
                else {
                    state.deferring = 1; /* no Python without the GIL (names_read) */
                    state.released = PyEval_SaveThread();
                }
                deferred_turn(-1);
            }
            if (next < 0 || merge_deferred(&state, &late) < 0) {
                gil_take(&state);
                break;
            }
            start = next;
            if (unfinished || start >= state.size) {
                consumed = start;
                break;
            }
        }
        gil_take(&state);
    }
    if (consumed >= 0 && state.key_errors > 0 &&
        add_count(state.errors, "key", state.key_errors) < 0) {
        consumed = -1;
    }
    for (int i = 0; consumed >= 0 && i < state.tallied; i++) {
        for (int which = 0; which < 2 && consumed >= 0; which++) {
            Py_ssize_t count = state.tally[i].count[which];
            PyObject *dict = which ? state.warnings : state.errors;
            if (count > 0 && add_count(dict, state.tally[i].code, count) < 0) {
                consumed = -1;
            }
        }
    }
    if (consumed >= 0 && state.identity.active) {
        long long *counts = state.identity.counts.buf;
        for (int i = 0; i < COUNTERS; i++) {
            counts[i] += state.identity.count[i];
        }
    }
    if (consumed >= 0) {
        PyObject *output = buffer_view(&state.out);
        if (output != NULL) {
            result = Py_BuildValue("(NnLnnOOnn)", output, consumed, state.line, state.rows,
                                   state.valid, state.errors, state.warnings,
                                   state.rows_with_warnings, state.blank_lines);
        }
    }
    PyMem_RawFree(state.out.data);
    for (int kind = 0; kind < END_KINDS; kind++) {
        Py_XDECREF(state.ends[kind]);
    }
    Py_XDECREF(state.errors);
    Py_XDECREF(state.warnings);
    Py_XDECREF(state.messages);
    Py_XDECREF(state.key_messages);
    PyMem_RawFree(state.key_texts);
    PyMem_RawFree(state.deferred);
    PyMem_RawFree(late.data);
    return result;
}

/* ------------------------------------------------------------------------ */
/* first_undecodable                                                         */

#define HIGH_BITS UINT64_C(0x8080808080808080)

/* Index of the first byte of s[start:n] with its high bit set, or n. */
static Py_ssize_t
skip_ascii(const unsigned char *s, Py_ssize_t start, Py_ssize_t n)
{
    Py_ssize_t i = start;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    /* 16 bytes at a time: the high bits are the byte mask SSE2 hands out */
    for (; i + 16 <= n; i += 16) {
        int high = _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(s + i)));
        if (high != 0) {
            return i + __builtin_ctz((unsigned)high);
        }
    }
#endif
    while (i + 8 <= n) {
        uint64_t word;
        memcpy(&word, s + i, 8); /* memcpy: no unaligned or aliasing UB */
        if (word & HIGH_BITS) {
            break;
        }
        i += 8;
    }
    while (i < n && s[i] < 0x80) {
        i++;
    }
    return i;
}

/* The length of the UTF-8 sequence that starts s[i] (a byte >= 0x80), or 0 when it
 * is ill-formed: exactly the well-formed sequences of RFC 3629 / Unicode table 3-7,
 * no overlongs, no surrogates, nothing above U+10FFFF, nothing cut short by n. */
static inline Py_ssize_t
utf8_sequence(const unsigned char *s, Py_ssize_t i, Py_ssize_t n)
{
    unsigned char lead = s[i];
    Py_ssize_t length;
    unsigned char low = 0x80, high = 0xBF; /* range of the second byte */
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    }
    else if (lead == 0xE0) {
        length = 3;
        low = 0xA0; /* no overlong */
    }
    else if (lead == 0xED) {
        length = 3;
        high = 0x9F; /* no surrogates */
    }
    else if (lead >= 0xE1 && lead <= 0xEF) {
        length = 3;
    }
    else if (lead == 0xF0) {
        length = 4;
        low = 0x90; /* no overlong */
    }
    else if (lead >= 0xF1 && lead <= 0xF3) {
        length = 4;
    }
    else if (lead == 0xF4) {
        length = 4;
        high = 0x8F; /* nothing above U+10FFFF */
    }
    else {
        return 0; /* a continuation byte, C0, C1 or F5-FF */
    }
    if (length > n - i || s[i + 1] < low || s[i + 1] > high) {
        return 0;
    }
    for (Py_ssize_t k = 2; k < length; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return length;
}

/* The characters of s[0:n] that start in s[i:stop], i a character's start: where the
 * next one starts (stop, or up to 3 bytes past it), or -1 - the start of the first one
 * CPython's strict UTF-8 decoder rejects (its error.start). */
static Py_ssize_t
utf8_check(const unsigned char *s, Py_ssize_t i, Py_ssize_t stop, Py_ssize_t n)
{
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    /* 16 bytes at a time. French text is ASCII with two-byte letters (é: C3 A9), so a
     * block whose high bytes are all leads C2-DF each followed by one continuation
     * 80-BF is well-formed as a whole; any other block goes byte by byte. In signed
     * bytes, continuations are -128..-65 and those leads -62..-33. */
    const __m128i below_lead = _mm_set1_epi8(-64), after_c1 = _mm_set1_epi8(-63);
    const __m128i after_df = _mm_set1_epi8(-32);
    while (i < stop && i + 16 <= n) {
        __m128i block = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned high = (unsigned)_mm_movemask_epi8(block);
        if (high == 0) {
            i += 16;
            continue;
        }
        unsigned continuation = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(block, below_lead));
        unsigned lead = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpgt_epi8(block, after_c1), _mm_cmplt_epi8(block, after_df)));
        if ((continuation | lead) == high && ((lead << 1) & 0xFFFFu) == continuation) {
            if (!(lead & 0x8000u)) {
                i += 16;
                continue;
            }
            if (i + 16 < n && (s[i + 16] & 0xC0) == 0x80) { /* the last lead's pair */
                i += 17;
                continue;
            }
        }
        for (Py_ssize_t block_end = i + 16; i < block_end;) {
            if (s[i] < 0x80) {
                i++;
                continue;
            }
            Py_ssize_t length = utf8_sequence(s, i, n);
            if (length == 0) {
                return -1 - i;
            }
            i += length;
        }
    }
#endif
    for (;;) {
        i = skip_ascii(s, i, stop);
        if (i >= stop) {
            return i;
        }
        Py_ssize_t length = utf8_sequence(s, i, n);
        if (length == 0) {
            return -1 - i;
        }
        i += length;
    }
}

/* The five bytes cp1252 leaves undefined (Python's codec rejects them), all in 80-9F. */
static const unsigned char cp1252_undefined[5] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};

static inline int
is_cp1252_undefined(unsigned char c)
{
    for (int u = 0; u < 5; u++) {
        if (c == cp1252_undefined[u]) {
            return 1;
        }
    }
    return 0;
}

/* s[i:stop] in cp1252: stop, or -1 - the first of the five bytes it leaves undefined. */
static Py_ssize_t
cp1252_check(const unsigned char *s, Py_ssize_t i, Py_ssize_t stop)
{
    for (;;) {
        i = skip_ascii(s, i, stop);
        if (i >= stop) {
            return stop;
        }
        if (is_cp1252_undefined(s[i])) {
            return -1 - i;
        }
        i++;
    }
}

/* The encodings nir csv reads a window in ("ascii": is it all ASCII, without a copy). */
typedef enum { DECODE_UTF8, DECODE_CP1252, DECODE_ASCII } Decoding;

/* s[i:stop] (of n bytes; i a character's start) in `decoding`: where the next
 * character starts, or -1 - where the decoder fails. */
static inline Py_ssize_t
decode_check(Decoding decoding, const unsigned char *s, Py_ssize_t i, Py_ssize_t stop,
             Py_ssize_t n)
{
    if (decoding == DECODE_UTF8) {
        return utf8_check(s, i, stop, n);
    }
    if (decoding == DECODE_CP1252) {
        return cp1252_check(s, i, stop);
    }
    Py_ssize_t high = skip_ascii(s, i, stop);
    return high < stop ? -1 - high : stop;
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
/* The 16 bytes of `block` where `test` is true, as bits `shift`.. of a 64-bit mask. */
#define BLOCK_BITS(test, shift) ((uint64_t)(unsigned)_mm_movemask_epi8(test) << (shift))

/* One stretch of probe_bytes: s[i:i+64] (s[i+64] readable), its line breaks added to
 * `lanes` when `count_breaks`, its bytes checked from *checked (s[0:*checked] decodes;
 * *found >= 0 once a byte does not). UTF-8 made of ASCII and two-byte letters (French
 * text: é is C3 A9) is checked in a few masks: every high byte a lead C2-DF or a
 * continuation 80-BF, each continuation right after a lead; anything else goes
 * character by character (decode_check). In signed bytes, continuations are
 * -128..-65 and those leads -62..-33. */
ROW_INLINE void
probe_stretch(const unsigned char *s, Py_ssize_t i, Py_ssize_t n, Decoding decoding,
              int count_breaks, __m128i *lanes, Py_ssize_t *checked, Py_ssize_t *found)
{
    const __m128i lf_bytes = _mm_set1_epi8('\n'), cr_bytes = _mm_set1_epi8('\r');
    __m128i block[4];
    _Pragma("GCC unroll 4") for (int k = 0; k < 4; k++) {
        block[k] = _mm_loadu_si128((const __m128i *)(s + i + 16 * k));
    }
    if (count_breaks) {
        _Pragma("GCC unroll 4") for (int k = 0; k < 4; k++) {
            /* per byte lane: +1 for an LF, +1 for a CR whose next byte is no LF */
            __m128i next = _mm_loadu_si128((const __m128i *)(s + i + 16 * k + 1));
            __m128i lf = _mm_cmpeq_epi8(block[k], lf_bytes);
            __m128i cr = _mm_cmpeq_epi8(block[k], cr_bytes);
            __m128i lone_cr = _mm_andnot_si128(_mm_cmpeq_epi8(next, lf_bytes), cr);
            *lanes = _mm_sub_epi8(_mm_sub_epi8(*lanes, lf), lone_cr); /* a match is -1 */
        }
    }
    __m128i any = _mm_or_si128(_mm_or_si128(block[0], block[1]), _mm_or_si128(block[2], block[3]));
    if (*found >= 0 || *checked >= i + 64 || _mm_movemask_epi8(any) == 0) {
        return; /* checked already, or ASCII */
    }
    if (decoding == DECODE_CP1252) {
        /* A stretch with no byte in 80-9F (-128..-97 signed) decodes: French letters
         * are C0-FF. One with some (the quotes, dashes, € and œ of cp1252) decodes
         * unless it holds an undefined byte; cp1252_check finds where. */
        const __m128i after_9f = _mm_set1_epi8(-96);
        __m128i low_high = _mm_setzero_si128();
        _Pragma("GCC unroll 4") for (int k = 0; k < 4; k++) {
            low_high = _mm_or_si128(low_high, _mm_cmplt_epi8(block[k], after_9f));
        }
        if (_mm_movemask_epi8(low_high) == 0) {
            *checked = i + 64;
            return;
        }
        __m128i bad = _mm_setzero_si128();
        _Pragma("GCC unroll 5") for (int u = 0; u < 5; u++) {
            const __m128i byte = _mm_set1_epi8((char)cp1252_undefined[u]);
            _Pragma("GCC unroll 4") for (int k = 0; k < 4; k++) {
                bad = _mm_or_si128(bad, _mm_cmpeq_epi8(block[k], byte));
            }
        }
        if (_mm_movemask_epi8(bad) == 0) {
            *checked = i + 64;
            return;
        }
    }
    if (decoding == DECODE_UTF8 && *checked <= i + 1) {
        const __m128i below_lead = _mm_set1_epi8(-64), after_c1 = _mm_set1_epi8(-63);
        const __m128i after_df = _mm_set1_epi8(-32);
        uint64_t high = 0, continuation = 0, lead = 0;
        _Pragma("GCC unroll 4") for (int k = 0; k < 4; k++) {
            high |= BLOCK_BITS(block[k], 16 * k);
            continuation |= BLOCK_BITS(_mm_cmplt_epi8(block[k], below_lead), 16 * k);
            lead |= BLOCK_BITS(_mm_and_si128(_mm_cmpgt_epi8(block[k], after_c1),
                                             _mm_cmplt_epi8(block[k], after_df)),
                               16 * k);
        }
        /* s[i] continues the last stretch's last lead when *checked is i + 1 */
        uint64_t carried = (uint64_t)(*checked == i + 1);
        if ((continuation | lead) == high && continuation == (lead << 1 | carried)) {
            if (!(lead >> 63)) {
                *checked = i + 64;
                return;
            }
            if ((s[i + 64] & 0xC0) == 0x80) { /* the last lead's continuation */
                *checked = i + 65;
                return;
            }
        }
    }
    Py_ssize_t next = decode_check(decoding, s, *checked > i ? *checked : i, i + 64, n);
    if (next >= 0) {
        *checked = next;
    }
    else {
        *found = -1 - next;
    }
}

#undef BLOCK_BITS
#endif

/* probe_bytes, with or without counting the line breaks (`count_breaks`, a constant
 * in each call: the loop is made twice). */
ROW_INLINE Py_ssize_t
probe_loop(const unsigned char *s, Py_ssize_t n, Decoding decoding, int count_breaks,
           long long *breaks)
{
    Py_ssize_t i = 0, checked = 0, found = -1; /* s[0:checked] decodes */
    long long count = 0;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    __m128i lanes = _mm_setzero_si128();
    int rounds = 0;
    for (; i + 65 <= n; i += 64) {
        probe_stretch(s, i, n, decoding, count_breaks, &lanes, &checked, &found);
        if (found >= 0 && !count_breaks) {
            return found;
        }
        if (count_breaks && ++rounds == 60) { /* 4 blocks a round: a lane counts to 240 */
            __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
            count += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
            lanes = _mm_setzero_si128();
            rounds = 0;
        }
    }
    if (count_breaks) {
        __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        count += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#endif
    if (count_breaks) {
        *breaks = count + line_breaks((const char *)s + i, n - i);
    }
    if (found < 0) {
        Py_ssize_t next = decode_check(decoding, s, checked > i ? checked : i, n, n);
        found = next < 0 ? -1 - next : -1;
    }
    return found;
}

/* Map the pages of s[0:n] in one call before a pass reads them all (Linux 5.14+,
 * MADV_POPULATE_READ): a window of a mapped file was one page fault per 16 pages,
 * about 3 % of a scan's time; the scan then finds them mapped. Only advice: an older
 * kernel refuses it (EINVAL) and a page past a file's end fails it (EFAULT, no
 * SIGBUS): nothing changes then but the speed. Bytes already resident cost a walk. */
static void
map_ahead(const void *s, Py_ssize_t n)
{
#if defined(__linux__) && defined(MADV_POPULATE_READ)
    const uintptr_t page = 4096;
    if (n < (Py_ssize_t)(64 * page)) {
        return; /* a small piece: its few faults cost less than the call */
    }
    uintptr_t start = (uintptr_t)s & ~(page - 1);
    (void)madvise((void *)start, (uintptr_t)s + (uintptr_t)n - start, MADV_POPULATE_READ);
#else
    (void)s;
    (void)n;
#endif
}

/* Where s[0:n].decode(decoding) fails (its error's start), or -1; and, unless
 * `breaks` is NULL, the line breaks of s[0:n] (as line_breaks counts them) in
 * *breaks. One pass, 64 bytes at a time: nir csv probes each piece of a window so
 * before its scan, and the pass reads every byte. */
static Py_ssize_t
probe_bytes(const unsigned char *s, Py_ssize_t n, Decoding decoding, long long *breaks)
{
    return breaks != NULL ? probe_loop(s, n, decoding, 1, breaks)
                          : probe_loop(s, n, decoding, 0, NULL);
}

/* The Decoding `name` names, or -1 with ValueError set (`function` names the caller). */
static int
decoding_named(PyObject *name, const char *function)
{
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "%s: encoding must be a str", function);
        return -1;
    }
    if (PyUnicode_CompareWithASCIIString(name, "utf-8") == 0) {
        return DECODE_UTF8;
    }
    if (PyUnicode_CompareWithASCIIString(name, "cp1252") == 0) {
        return DECODE_CP1252;
    }
    if (PyUnicode_CompareWithASCIIString(name, "ascii") == 0) {
        return DECODE_ASCII;
    }
    PyErr_Format(PyExc_ValueError, "%s: unsupported encoding %R", function, name);
    return -1;
}

PyDoc_STRVAR(first_undecodable_doc,
             "first_undecodable(data, end, encoding, /)\n--\n\n"
             "Where data[:end].decode(encoding) fails (its error's start), or -1 when it\n"
             "decodes. encoding is 'utf-8', 'cp1252' or 'ascii'.");

static PyObject *
first_undecodable(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("first_undecodable", nargs, 3)) {
        return NULL;
    }
    Py_ssize_t end = PyLong_AsSsize_t(args[1]);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    int decoding = decoding_named(args[2], "first_undecodable");
    if (decoding < 0) {
        return NULL;
    }
    /* any bytes-like object: bytes, or the engine's reusable bytearray (no copy) */
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    /* data[:end] with slice semantics, so that a negative or large end behaves alike */
    Py_ssize_t size = view.len;
    if (end < 0) {
        end = end + size < 0 ? 0 : end + size;
    }
    else if (end > size) {
        end = size;
    }
    Py_ssize_t found;
    Py_BEGIN_ALLOW_THREADS /* nir csv checks the pieces of a window on several threads */
    map_ahead(view.buf, end);
    found = probe_bytes((const unsigned char *)view.buf, end, (Decoding)decoding, NULL);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(found);
}

PyDoc_STRVAR(probe_doc,
             "probe(data, encoding, /)\n--\n\n"
             "(first_undecodable(data, len(data), encoding), line_breaks(data)) in one\n"
             "pass, without the GIL: nir csv's look at a piece of a window before its scan.");

static PyObject *
probe(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("probe", nargs, 2)) {
        return NULL;
    }
    int decoding = decoding_named(args[1], "probe");
    if (decoding < 0) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    Py_ssize_t found;
    long long breaks;
    Py_BEGIN_ALLOW_THREADS
    map_ahead(view.buf, view.len);
    found = probe_bytes((const unsigned char *)view.buf, view.len, (Decoding)decoding, &breaks);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return Py_BuildValue("nL", found, breaks);
}

/* ------------------------------------------------------------------------ */
/* line_breaks                                                               */

PyDoc_STRVAR(line_breaks_doc,
             "line_breaks(data, /)\n--\n\n"
             "nir._csvscan.line_breaks on any bytes-like object: CRLF, CR and LF each\n"
             "count one. Runs without the GIL.");

static PyObject *
count_line_breaks(PyObject *Py_UNUSED(module), PyObject *data)
{
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    long long count;
    Py_BEGIN_ALLOW_THREADS
    count = line_breaks(view.buf, view.len);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return PyLong_FromLongLong(count);
}

/* ------------------------------------------------------------------------ */
/* check_many                                                                */

PyDoc_STRVAR(check_many_doc,
             "check_many(values, slow, /)\n--\n\n"
             "The loop of nir._bulk.check_many: returns (valid, errors), valid a bytearray\n"
             "of 1/0 and errors {index: code}. Values that pass quick_valid are settled\n"
             "here; slow(value) returns None (valid) or the error code of every other.");

/* Settle one value: appends 1/0 to `valid`, records a failure's code. */
static int
check_one(PyObject *value, Py_ssize_t index, PyObject *slow, Buffer *valid, PyObject *failures)
{
    if (valid->length == valid->capacity && buffer_reserve(valid, 1) < 0) {
        return -1;
    }
    int quick = quick_valid_object(value);
    if (quick < 0) {
        return -1;
    }
    if (quick) {
        valid->data[valid->length++] = 1;
        return 0;
    }
    PyObject *code = PyObject_CallOneArg(slow, value);
    if (code == NULL) {
        return -1;
    }
    if (code == Py_None) {
        Py_DECREF(code);
        valid->data[valid->length++] = 1;
        return 0;
    }
    if (!PyUnicode_Check(code)) {
        PyErr_Format(PyExc_TypeError, "check_many: slow must return a str or None, not %.100s",
                     Py_TYPE(code)->tp_name);
        Py_DECREF(code);
        return -1;
    }
    PyObject *key = PyLong_FromSsize_t(index);
    int status = key == NULL ? -1 : PyDict_SetItem(failures, key, code);
    Py_XDECREF(key);
    Py_DECREF(code);
    if (status < 0) {
        return -1;
    }
    valid->data[valid->length++] = 0;
    return 0;
}

static PyObject *
check_many(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("check_many", nargs, 2) || !check_configured()) {
        return NULL;
    }
    PyObject *values = args[0];
    PyObject *slow = args[1];
    Buffer valid = {NULL, 0, 0};
    PyObject *failures = PyDict_New();
    if (failures == NULL) {
        return NULL;
    }
    int status = 0;
    if (PyList_CheckExact(values) || PyTuple_CheckExact(values)) {
        /* Index directly, re-reading the size each time: slow() may run any code,
         * even code that shrinks the list. */
        int is_list = PyList_CheckExact(values);
        if (buffer_reserve(&valid, PySequence_Fast_GET_SIZE(values)) < 0) {
            status = -1;
        }
        for (Py_ssize_t i = 0; status == 0; i++) {
            Py_ssize_t size = is_list ? PyList_GET_SIZE(values) : PyTuple_GET_SIZE(values);
            if (i >= size) {
                break;
            }
            PyObject *item = is_list ? PyList_GET_ITEM(values, i) : PyTuple_GET_ITEM(values, i);
            Py_INCREF(item); /* the list may drop it during slow() */
            status = check_one(item, i, slow, &valid, failures);
            Py_DECREF(item);
            if (status < 0) {
                break;
            }
        }
    }
    else {
        PyObject *iterator = PyObject_GetIter(values);
        if (iterator == NULL) {
            status = -1;
        }
        else {
            PyObject *item;
            for (Py_ssize_t i = 0; (item = PyIter_Next(iterator)) != NULL; i++) {
                status = check_one(item, i, slow, &valid, failures);
                Py_DECREF(item);
                if (status < 0) {
                    break;
                }
            }
            if (status == 0 && PyErr_Occurred()) {
                status = -1;
            }
            Py_DECREF(iterator);
        }
    }
    PyObject *result = NULL;
    if (status == 0) {
        PyObject *flags = PyByteArray_FromStringAndSize(valid.data, valid.length);
        if (flags != NULL) {
            result = Py_BuildValue("(NO)", flags, failures);
        }
    }
    PyMem_RawFree(valid.data);
    Py_DECREF(failures);
    return result;
}

/* ------------------------------------------------------------------------ */
/* verdict: nir._bulk.full_verdict on an ASCII value                         */
/*
 * The rules of nir._parse.parse_with, in its order, with its codes and params
 * (never message text: nir.messages renders them): spreadsheet notation -> empty ->
 * characters -> length -> letters -> sex -> month -> place (read under one or two
 * centuries) -> order -> key -> temporary -> warnings_as_errors. Nothing here calls
 * back into Python; every bounded message is written into a stack buffer, and the
 * one message that may hold the whole input (spreadsheet notation, as Python's) is
 * built straight into its str.
 */

/* Python's limits on the shown part of an invalid value (nir._bulk._LONGEST_SHOWN). */
#define LONGEST_SHOWN 40

/* What nir._parse._place (or _month, _decode_nir) can say: one error or warning
 * each, with the code it carries. Its message is written only when shown. */
typedef enum {
    NOTE_NONE = 0,
    /* errors of _place */
    NOTE_COUNTRY_000,
    NOTE_OVERSEAS_DEPARTMENT,
    NOTE_OVERSEAS_COMMUNE_00,
    NOTE_DEPARTMENT_00,
    NOTE_DEPARTMENT_96,
    NOTE_COMMUNE_000,
    /* warnings of _place */
    NOTE_COUNTRY_FRANCE,
    NOTE_COMMUNE_RANGE,
    NOTE_MAYOTTE_985,
    NOTE_MAYOTTE_976,
    NOTE_SAINT_BARTH_MARTIN,
    NOTE_CORSICA_LETTER,
    NOTE_CORSICA_20,
    NOTE_NORTH_AFRICA,
    /* warnings of _month and _choose_year */
    NOTE_UNDOCUMENTED_MONTH,
    NOTE_CENTURY,
    NOTE_CENTURY_IMPLAUSIBLE,
} NoteKind;

/* The code each note carries (the `code` of its error class or warning). */
static const char *const note_codes[] = {
    [NOTE_NONE] = "",
    [NOTE_COUNTRY_000] = "country",
    [NOTE_OVERSEAS_DEPARTMENT] = "department",
    [NOTE_OVERSEAS_COMMUNE_00] = "commune",
    [NOTE_DEPARTMENT_00] = "department",
    [NOTE_DEPARTMENT_96] = "department",
    [NOTE_COMMUNE_000] = "commune",
    [NOTE_COUNTRY_FRANCE] = "country_france",
    [NOTE_COMMUNE_RANGE] = "commune_range",
    [NOTE_MAYOTTE_985] = "place_period",
    [NOTE_MAYOTTE_976] = "place_period",
    [NOTE_SAINT_BARTH_MARTIN] = "place_period",
    [NOTE_CORSICA_LETTER] = "corsica_period",
    [NOTE_CORSICA_20] = "corsica_period",
    [NOTE_NORTH_AFRICA] = "place_period",
    [NOTE_UNDOCUMENTED_MONTH] = "undocumented_month",
    [NOTE_CENTURY] = "century",
    [NOTE_CENTURY_IMPLAUSIBLE] = "century",
};

/* One note and the reading it was made under: the birth year and month (0 when
 * unknown) for the place notes; for NOTE_CENTURY(_IMPLAUSIBLE), `year` is the
 * reading chosen and `other` the recent one it replaced. */
typedef struct {
    NoteKind kind;
    int year;
    int month;
    int other;
} Note;

/* What _place makes of positions 6-10 under one reading: an error, or warnings. */
typedef struct {
    NoteKind error;
    NoteKind warnings[2]; /* at most a commune_range and a place_period */
    int count;
} Place;

static void
place_warn(Place *place, NoteKind kind)
{
    if (place->count < 2) {
        place->warnings[place->count++] = kind;
    }
}

/* nir._parse._place for a birth in (year, month), month 0 = unknown. `n` is a
 * checked compact number: 13 or 15 characters, digits but for 2A/2B. */
static void
check_place(const char *n, int year, int month, Place *place)
{
    /* nir._parse._period: the span [start, end) of the birth */
    long start = DAY(year, month ? month : 1, 1);
    long end = (month == 0 || month == 12) ? DAY(year + 1, 1, 1) : DAY(year, month + 1, 1);
    place->error = NOTE_NONE;
    place->count = 0;
    char h0 = n[5], h1 = n[6];
    int place_code = (n[7] - '0') * 100 + (n[8] - '0') * 10 + (n[9] - '0');

    if (h0 == rules.letter_head && letter_value((unsigned char)h1)) {
        /* Corsica's 2A/2B: from the split only */
        if (end <= rules.letter_since) {
            place_warn(place, NOTE_CORSICA_LETTER);
        }
    }
    else {
        int head = (h0 - '0') * 10 + (h1 - '0');
        switch (rules.head_class[head]) {
        case HEAD_ABROAD:
            /* born abroad: 99 + a country */
            if (place_code == rules.no_country) {
                place->error = NOTE_COUNTRY_000;
            }
            else if (place_code == rules.france_country) {
                place_warn(place, NOTE_COUNTRY_FRANCE);
            }
            return;
        case HEAD_OVERSEAS: {
            /* overseas: a 3-digit department, a 2-digit commune */
            int index = head * 10 + (n[7] - '0') - 900;
            int overseas = rules.overseas_class[index];
            if (overseas == OVERSEAS_NONE) {
                place->error = NOTE_OVERSEAS_DEPARTMENT;
                return;
            }
            int commune = (n[8] - '0') * 10 + (n[9] - '0');
            if (commune == 0) {
                place->error = NOTE_OVERSEAS_COMMUNE_00;
                return;
            }
            if (commune > rules.commune_max) {
                place_warn(place, NOTE_COMMUNE_RANGE);
            }
            long cut = rules.overseas_date[index];
            if ((overseas == OVERSEAS_UNTIL && start >= cut) ||
                (overseas == OVERSEAS_SINCE && end <= cut)) {
                place_warn(place, (NoteKind)(NOTE_MAYOTTE_985 + rules.overseas_note[index]));
            }
            return;
        }
        case HEAD_NONE:
            place->error = NOTE_DEPARTMENT_00;
            return;
        case HEAD_UNTIL:
            /* Corsica's 20: until the split only */
            if (start >= rules.head_date[head]) {
                place_warn(place, NOTE_CORSICA_20);
            }
            break;
        case HEAD_NORTH_AFRICA:
            /* a country before independence, then a department from seine_split (or
             * nothing, for 96) */
            if (start < rules.head_date[head]) {
                /* a country, not a department: nothing to say */
            }
            else if (!rules.head_department_after[head] && start >= rules.seine_split) {
                place->error = NOTE_DEPARTMENT_96;
                return;
            }
            else if (start < rules.seine_split) {
                place_warn(place, NOTE_NORTH_AFRICA);
            }
            break;
        default:
            break;
        }
    }
    if (place_code == 0) {
        place->error = NOTE_COMMUNE_000;
        place->count = 0; /* an error: the warnings are never seen */
    }
}

/* What one value comes to: the fields of nir._bulk.Verdict, in C. */
typedef struct {
    const char *code; /* "" when valid */
    PyObject *params; /* the params tuple of the error (a new reference), or NULL */
    char number[LONGEST_SHOWN + 3]; /* the compact form, at most 40 characters + "..." */
    Py_ssize_t number_length;
    const char *kind; /* "nir", "temporary", or "" for an invalid value */
    const char *warnings[4]; /* month, century and two place warnings at most */
    int warning_count;
    int quiet; /* only `code` wanted: no params built, no Python object touched (no GIL
                  needed: the candidates of suggest_candidates are judged so) */
    const MessageTable *table; /* when set, an error's message is looked up there first */
    PyObject *message;         /* found there (borrowed): then no params are built */
    unsigned char key[TABLE_KEY]; /* else the key to keep its message under, */
    Py_ssize_t key_length;        /* -1 when it has none */
} Outcome;

/* Set an error, its params Py_BuildValue(format, ...) (nir.messages.CODES order), built
 * only when the outcome is not quiet and its message is not in outcome->table.
 * Returns 0, or -1 with an exception set. */
static int
outcome_error(Outcome *outcome, const char *code, const char *format, ...)
{
    outcome->code = code;
    if (outcome->quiet) {
        return 0;
    }
    va_list args;
    va_start(args, format);
    if (outcome->table != NULL) {
        outcome->key_length = message_key(code, format, args, outcome->key);
        outcome->message = outcome->key_length < 0
                               ? NULL
                               : table_find(outcome->table, outcome->key, outcome->key_length);
        if (outcome->message != NULL) {
            va_end(args);
            return 0;
        }
    }
    outcome->params = Py_VaBuildValue(format, args);
    va_end(args);
    return outcome->params == NULL ? -1 : 0;
}

/* Set the error of a note about the compact number `n`, with the params nir._parse
 * gives it (the birth's month None when unknown); 0, or -1 with an exception set. */
static int
outcome_note(Outcome *outcome, const char *n, Note note)
{
    const char *code = note_codes[note.kind];
    int month = note.month;
    switch (note.kind) {
    case NOTE_NONE:
        return outcome_error(outcome, code, "()");
    case NOTE_COUNTRY_000:
    case NOTE_COUNTRY_FRANCE:
        return outcome_error(outcome, code, "(s#)", n + 7, (Py_ssize_t)3);
    case NOTE_OVERSEAS_DEPARTMENT:
    case NOTE_MAYOTTE_985:
    case NOTE_MAYOTTE_976:
    case NOTE_SAINT_BARTH_MARTIN:
        return month ? outcome_error(outcome, code, "(s#ii)", n + 5, (Py_ssize_t)3, note.year,
                                     month)
                     : outcome_error(outcome, code, "(s#iO)", n + 5, (Py_ssize_t)3, note.year,
                                     Py_None);
    case NOTE_DEPARTMENT_00:
    case NOTE_DEPARTMENT_96:
    case NOTE_CORSICA_LETTER:
    case NOTE_CORSICA_20:
    case NOTE_NORTH_AFRICA:
        return month ? outcome_error(outcome, code, "(s#ii)", n + 5, (Py_ssize_t)2, note.year,
                                     month)
                     : outcome_error(outcome, code, "(s#iO)", n + 5, (Py_ssize_t)2, note.year,
                                     Py_None);
    case NOTE_OVERSEAS_COMMUNE_00:
    case NOTE_COMMUNE_RANGE:
        return outcome_error(outcome, code, "(s#s#)", n + 8, (Py_ssize_t)2, n + 5,
                             (Py_ssize_t)3);
    case NOTE_COMMUNE_000:
        return outcome_error(outcome, code, "(s#s#)", n + 7, (Py_ssize_t)3, n + 5,
                             (Py_ssize_t)2);
    case NOTE_UNDOCUMENTED_MONTH:
        return outcome_error(outcome, code, "(s#)", n + 3, (Py_ssize_t)2);
    case NOTE_CENTURY:
        return outcome_error(outcome, code, "(iis#O)", note.year, note.other, n + 5,
                             (Py_ssize_t)5, Py_None);
    case NOTE_CENTURY_IMPLAUSIBLE: /* age_limit: read beyond the plausible age */
        return outcome_error(outcome, code, "(iis#i)", note.year, note.other, n + 5,
                             (Py_ssize_t)5, rules.max_age);
    }
    return outcome_error(outcome, code, "()");
}

/* The whitespace of Python's \s and str.strip() among ASCII characters. */
static int
is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*
 * nir._parse._scientific()(value) and the params it gives: the pattern
 * \s*'?([0-9])(?:[.,]([0-9]*))?[eE]\+?([0-9]{1,3})\s* read left to right (it
 * never needs to backtrack). Returns 0 when the value is not in that notation,
 * 1 with the params of excel_mangled set: the digits written, the exponent.
 */
static int
spreadsheet_params(const unsigned char *s, Py_ssize_t n, Py_ssize_t *significant, int *power)
{
    Py_ssize_t i = 0;
    while (i < n && is_space(s[i])) {
        i++;
    }
    if (i < n && s[i] == '\'') {
        i++;
    }
    if (i >= n || !is_digit(s[i])) {
        return 0;
    }
    i++; /* the first digit */
    Py_ssize_t decimals_length = 0;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        Py_ssize_t decimals_start = ++i;
        while (i < n && is_digit(s[i])) {
            i++;
        }
        decimals_length = i - decimals_start;
    }
    if (i >= n || (s[i] != 'e' && s[i] != 'E')) {
        return 0;
    }
    i++;
    if (i < n && s[i] == '+') {
        i++;
    }
    int exponent = 0;
    Py_ssize_t exponent_start = i;
    while (i < n && is_digit(s[i]) && i - exponent_start < 3) {
        exponent = exponent * 10 + (s[i] - '0');
        i++;
    }
    if (i == exponent_start) {
        return 0;
    }
    while (i < n && is_space(s[i])) {
        i++;
    }
    if (i != n) {
        return 0;
    }

    /* digits = first + decimals: the params of excel_mangled (significant, exponent) */
    *significant = 1 + decimals_length;
    *power = exponent;
    return 1;
}

/* The compact form (nir.compact) as far as the rules need it: its first
 * characters, its length, and its first character outside [0-9AB]. */
typedef struct {
    char head[LONGEST_SHOWN + 1]; /* compact(value)[:41], upper-cased */
    Py_ssize_t length;            /* len(compact(value)) */
    Py_ssize_t bad;               /* index of the first character not allowed, or -1 */
    unsigned char bad_typed;      /* that character as typed (before upper()) */
} Compact;

static void
compact_value(const unsigned char *s, Py_ssize_t n, Compact *compact)
{
    compact->length = 0;
    compact->bad = -1;
    compact->bad_typed = 0;
    int started = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (is_separator(c)) {
            continue;
        }
        if (!started) {
            if (c == '\'') {
                continue; /* leading apostrophes: the spreadsheet "text" marker */
            }
            started = 1;
        }
        unsigned char upper = (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
        if (compact->bad < 0 && !is_digit(upper) && !letter_value(upper)) {
            compact->bad = compact->length;
            compact->bad_typed = c;
        }
        if (compact->length < (Py_ssize_t)sizeof compact->head) {
            compact->head[compact->length] = (char)upper;
        }
        compact->length++;
    }
}

/* The rules after the characters: `n` holds the 13 or 15 checked characters. */
static int
verdict_of_number(const char *n, Py_ssize_t size, int allow_temporary, int allow_missing_key,
                  int warnings_as_errors, int today_year, int today_month, Outcome *outcome)
{
    /* _check_letters: letters only as the A or B of 2A/2B (index 6 after a 2) */
    for (Py_ssize_t i = 0; i < size; i++) {
        if (!is_digit((unsigned char)n[i]) && !(i == 6 && n[5] == rules.letter_head)) {
            return outcome_error(outcome, "characters", "(s#n)", n + i, (Py_ssize_t)1, i + 1);
        }
    }
    /* _sex_kind */
    char sex = n[0];
    int temporary;
    int sex_class = rules.sex_class[sex - '0']; /* only digits and A/B reach here */
    if (sex_class == SEX_DEFINITIVE) {
        temporary = 0;
    }
    else if (sex_class == SEX_TEMPORARY) {
        temporary = 1;
    }
    else {
        return outcome_error(outcome, "sex", "(s#)", n, (Py_ssize_t)1);
    }

    Note notes[4]; /* the warnings, in the order _decode_nir lists them */
    int note_count = 0;
    if (!temporary) {
        /* _month */
        int code = (n[3] - '0') * 10 + (n[4] - '0');
        int month = rules.month_number[code];
        if (rules.month_class[code] == MONTH_UNDOCUMENTED) {
            notes[note_count++] = (Note){NOTE_UNDOCUMENTED_MONTH, 0, 0, 0};
        }
        else if (rules.month_class[code] == MONTH_INVALID) {
            return outcome_error(outcome, "month", "(s#)", n + 3, (Py_ssize_t)2);
        }
        /* _candidate_years: the most recent reading that is not in the future,
         * and the one a century before while it stays within max_age */
        int yy = (n[1] - '0') * 10 + (n[2] - '0');
        int recent = today_year - (today_year - yy) % 100;
        if (recent == today_year && month != 0 && month > today_month) {
            recent -= 100;
        }
        int two_readings = today_year - (recent - 100) <= rules.max_age;
        /* _choose_year: the recent reading unless only the older plausible one is
         * clean; when the recent one is impossible, the most recent possible older
         * one, beyond max_age if need be (down to oldest_reading) */
        Place place;
        check_place(n, recent, month, &place);
        int year = recent;
        if (place.error != NOTE_NONE || place.count > 0) {
            Place older;
            if (two_readings) {
                check_place(n, recent - 100, month, &older);
            }
            if (two_readings && older.error == NOTE_NONE &&
                (place.error != NOTE_NONE || older.count == 0)) {
                year = recent - 100;
                notes[note_count++] = (Note){NOTE_CENTURY, year, month, recent};
                place = older;
            }
            else if (place.error != NOTE_NONE) {
                int start = two_readings ? recent - 200 : recent - 100;
                for (int reading = start; reading >= rules.oldest_reading; reading -= 100) {
                    check_place(n, reading, month, &older);
                    if (older.error == NOTE_NONE) {
                        year = reading;
                        notes[note_count++] = (Note){NOTE_CENTURY_IMPLAUSIBLE, year, month, recent};
                        place = older;
                        break;
                    }
                }
            }
        }
        if (place.error != NOTE_NONE) {
            return outcome_note(outcome, n, (Note){place.error, recent, month, 0});
        }
        for (int i = 0; i < place.count; i++) {
            notes[note_count++] = (Note){place.warnings[i], year, month, 0};
        }
        /* the order number */
        if (n[10] == '0' && n[11] == '0' && n[12] == '0') {
            return outcome_error(outcome, "order", "(s#)", n + 10, (Py_ssize_t)3);
        }
    }

    /* _check_key: nir._key.key_of, Corsica's letter counting as its two digits
     * (the letter, checked above, replaces both characters of its head) */
    uint64_t body = 0; /* 13 digits: fits easily in 64 bits */
    int letter = letter_value((unsigned char)n[6]);
    for (int i = 0; i < 13; i++) {
        if (letter && i == 5) {
            body = body * 100 + (uint64_t)letter;
            i++;
            continue;
        }
        body = body * 10 + (uint64_t)(n[i] - '0');
    }
    int expected = 97 - (int)(body % 97);
    char expected_digits[3] = {(char)('0' + expected / 10), (char)('0' + expected % 10), 0};
    if (size == 13) {
        if (!allow_missing_key) {
            return outcome_error(outcome, "key_missing", "(s#)", expected_digits, (Py_ssize_t)2);
        }
    }
    else {
        int key = (n[13] - '0') * 10 + (n[14] - '0');
        if (key != expected) {
            return outcome_error(outcome, "key", "(s#s#)", n + 13, (Py_ssize_t)2, expected_digits,
                                               (Py_ssize_t)2);
        }
    }
    if (temporary && !allow_temporary) {
        return outcome_error(outcome, "temporary", "(s#)", n, (Py_ssize_t)1);
    }
    if (warnings_as_errors && note_count > 0) {
        return outcome_note(outcome, n, notes[0]);
    }
    /* valid: the 13 characters and the key, as typed or completed */
    outcome->code = "";
    memcpy(outcome->number, n, 13);
    memcpy(outcome->number + 13, expected_digits, 3); /* snprintf costs 700 instructions */
    outcome->number_length = 15;
    outcome->kind = temporary ? "temporary" : "nir";
    for (int i = 0; i < note_count; i++) {
        outcome->warnings[outcome->warning_count++] = note_codes[notes[i].kind];
    }
    return 0;
}

/* A str of `length` ASCII bytes. */
static PyObject *
ascii_str(const char *text, Py_ssize_t length)
{
    PyObject *result = PyUnicode_New(length, 127);
    if (result != NULL && length > 0) {
        memcpy(PyUnicode_1BYTE_DATA(result), text, (size_t)length);
    }
    return result;
}

/* The tuple (code, params, number, kind, warnings); steals outcome->params. */
static PyObject *
verdict_tuple(Outcome *outcome)
{
    PyObject *params = outcome->params != NULL ? outcome->params : PyTuple_New(0);
    outcome->params = NULL;
    PyObject *result = PyTuple_New(5);
    if (result == NULL) {
        Py_XDECREF(params);
        return NULL;
    }
    PyTuple_SET_ITEM(result, 1, params); /* NULL on failure: PyTuple's dealloc skips it */
    PyObject *items[4] = {
        ascii_str(outcome->code, (Py_ssize_t)strlen(outcome->code)),
        ascii_str(outcome->number, outcome->number_length),
        ascii_str(outcome->kind, (Py_ssize_t)strlen(outcome->kind)),
        PyTuple_New(outcome->warning_count),
    };
    PyTuple_SET_ITEM(result, 0, items[0]);
    PyTuple_SET_ITEM(result, 2, items[1]);
    PyTuple_SET_ITEM(result, 3, items[2]);
    PyTuple_SET_ITEM(result, 4, items[3]);
    if (params == NULL || items[0] == NULL || items[1] == NULL || items[2] == NULL ||
        items[3] == NULL) {
        Py_DECREF(result);
        return NULL;
    }
    for (int i = 0; i < outcome->warning_count; i++) {
        const char *code = outcome->warnings[i];
        PyObject *text = ascii_str(code, (Py_ssize_t)strlen(code));
        if (text == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(items[3], i, text);
    }
    return result;
}

PyDoc_STRVAR(verdict_doc,
             "verdict(value, allow_temporary, allow_missing_key, warnings_as_errors, year, "
             "month, /)\n--\n\n"
             "nir._bulk.full_verdict(value.decode('ascii'), nir.Options(allow_temporary,\n"
             "allow_missing_key, warnings_as_errors, date(year, month, 1))) as the tuple\n"
             "(code, params, number, kind, warnings), params in nir.messages.CODES order.\n"
             "None when value holds a byte >= 0x80,\n"
             "or when the year is outside 200-9998 (the caller then uses Python).");

static PyObject *
verdict(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("verdict", nargs, 6) || !check_configured()) {
        return NULL;
    }
    if (!PyBytes_Check(args[0])) {
        PyErr_Format(PyExc_TypeError, "verdict: value must be bytes, not %.100s",
                     Py_TYPE(args[0])->tp_name);
        return NULL;
    }
    int flags[3];
    for (int i = 0; i < 3; i++) {
        flags[i] = PyObject_IsTrue(args[1 + i]);
        if (flags[i] < 0) {
            return NULL;
        }
    }
    long year = PyLong_AsLong(args[4]);
    if (year == -1 && PyErr_Occurred()) {
        return NULL;
    }
    long month = PyLong_AsLong(args[5]);
    if (month == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (month < 1 || month > 12) {
        PyErr_SetString(PyExc_ValueError, "verdict: month must be in 1..12");
        return NULL;
    }
    return verdict_of_bytes((const unsigned char *)PyBytes_AS_STRING(args[0]),
                            PyBytes_GET_SIZE(args[0]), flags, year, month);
}

/* The rules of `verdict` for a value s[0:n], into *outcome (its params a new reference or
 * NULL; with a table, an error's message found there instead when it is there):
 * 0 done, 1 when the C code leaves the value to Python (a byte >= 0x80 or a reference
 * year outside its range), -1 on error. */
static int outcome_judged(const unsigned char *s, Py_ssize_t n, const int flags[3], long year,
                          long month, const MessageTable *table, int quiet, Outcome *outcome);

static int
outcome_of_bytes(const unsigned char *s, Py_ssize_t n, const int flags[3], long year, long month,
                 const MessageTable *table, Outcome *outcome)
{
    return outcome_judged(s, n, flags, year, month, table, 0, outcome);
}

/* outcome_of_bytes, `quiet` (then no params and no Python object: no GIL needed). */
static int
outcome_judged(const unsigned char *s, Py_ssize_t n, const int flags[3], long year, long month,
               const MessageTable *table, int quiet, Outcome *outcome)
{
    if (year < FIRST_REFERENCE_YEAR || year > LAST_REFERENCE_YEAR || skip_ascii(s, 0, n) < n) {
        return 1;
    }
    outcome->code = "";
    outcome->params = NULL;
    outcome->number_length = 0;
    outcome->kind = "";
    outcome->warning_count = 0;
    outcome->quiet = quiet;
    outcome->table = table;
    outcome->message = NULL;
    outcome->key_length = -1;

    /* spreadsheet notation: checked on the value as typed; no number shown */
    Py_ssize_t significant;
    int power;
    if (spreadsheet_params(s, n, &significant, &power)) {
        return outcome_error(outcome, "excel_mangled", "(ni)", significant, power);
    }

    Compact compact;
    compact_value(s, n, &compact);
    /* an invalid value shows its compact form, cut after 40 characters */
    Py_ssize_t shown = compact.length < LONGEST_SHOWN ? compact.length : LONGEST_SHOWN;
    memcpy(outcome->number, compact.head, (size_t)shown);
    outcome->number_length = shown;
    if (compact.length > LONGEST_SHOWN) {
        memcpy(outcome->number + shown, "...", 3);
        outcome->number_length += 3;
    }

    int status;
    if (compact.length == 0) {
        status = outcome_error(outcome, "empty", "()");
    }
    else if (compact.bad >= 0) {
        char typed = (char)compact.bad_typed;
        status = outcome_error(outcome, "characters", "(s#n)", &typed, (Py_ssize_t)1,
                               compact.bad + 1);
    }
    else if (compact.length != 13 && compact.length != 15) {
        status = outcome_error(outcome, "length", "(ni)", compact.length, 15);
    }
    else {
        status = verdict_of_number(compact.head, compact.length, flags[0], flags[1], flags[2],
                                   (int)year, (int)month, outcome);
    }
    if (status < 0) {
        Py_CLEAR(outcome->params);
        return -1;
    }
    return 0;
}

/* The body of `verdict`, for a value s[0:n] and an already checked policy (scan calls
 * it directly for the rows it settles). */
static PyObject *
verdict_of_bytes(const unsigned char *s, Py_ssize_t n, const int flags[3], long year, long month)
{
    Outcome outcome;
    int status = outcome_of_bytes(s, n, flags, year, month, NULL, &outcome);
    if (status < 0) {
        return NULL;
    }
    if (status > 0) {
        Py_RETURN_NONE;
    }
    return verdict_tuple(&outcome);
}

/* try_fast_row for a value the rules in C judge (scan->judge NULL), without the
 * verdict tuple: the message found in the scan's table by (code, params), rendered
 * and kept there the first time. `split`: the row's, when it has no quotes (its
 * identity cells are then read from it, not found by a second walk), else NULL.
 * Returns 1 settled, 0 not (the slow path), -1 error. */
static int
c_verdict_row(Scan *scan, const char *body, Py_ssize_t length, long long line, const char *end,
              Py_ssize_t end_length, int quoted, const char *value, const char *value_end,
              const Split *split)
{
    MessageTable *table = message_table(scan);
    if (table == NULL) {
        return -1;
    }
    Outcome outcome;
    int status = outcome_of_bytes((const unsigned char *)value, value_end - value, scan->policy,
                                  scan->year, scan->month, table, &outcome);
    if (status != 0) {
        return -status;
    }
    PyObject *message = NULL;
    if (outcome.code[0] != '\0') {
        message = outcome.message;
        if (message == NULL) {
            PyObject *code = PyUnicode_FromString(outcome.code);
            message = code ? cached_message(scan, code, outcome.params) : NULL;
            if (message != NULL && !PyBytes_Check(message)) {
                PyErr_SetString(PyExc_TypeError, "scan: render must return bytes");
                message = NULL;
            }
            if (message != NULL && outcome.key_length >= 0) {
                table_store(table, outcome.key, outcome.key_length, message);
            }
            Py_XDECREF(code);
        }
    }
    Py_CLEAR(outcome.params);
    if (outcome.code[0] != '\0' && message == NULL) {
        return -1;
    }
    char mismatch[48];
    Py_ssize_t mismatch_length = 0;
    char suggestion[15];
    int suggested = 0;
    if (scan->identity.active) {
        /* (identity_row reads the 15 characters of a valid number: no terminator needed;
         * an invalid value's number may fill the whole buffer) */
        int older = 0; /* read in an older century: the identity's window is Python's */
        for (int i = 0; i < outcome.warning_count; i++) {
            older |= strcmp(outcome.warnings[i], "century") == 0;
        }
        if (outcome.code[0] == '\0' && outcome.number_length == 15 && older) {
            return 0;
        }
        if (outcome.code[0] == '\0' && outcome.number_length == 15) {
            mismatch_length =
                identity_row(scan, body, length, quoted, split, outcome.number, mismatch);
        }
        else {
            suggested =
                row_suggestion(scan, body, length, quoted, split, value, value_end, suggestion);
            mismatch_length = suggested < 0 ? suggested : 0;
        }
        if (mismatch_length < 0) {
            return mismatch_length == -2 ? 0 : -1;
        }
        scan->identity.count[COUNT_SUGGESTIONS] += suggested;
    }
    return write_c_verdict_row(scan, body, length, line, outcome.code, message, outcome.number,
                               outcome.number_length, outcome.kind, outcome.warnings,
                               outcome.warning_count, mismatch, mismatch_length, suggestion,
                               suggested ? 15 : 0, end, end_length) < 0
               ? -1
               : 1;
}

/* ------------------------------------------------------------------------ */
/* suggest_candidates: the raw candidates of nir._suggest, in C              */
/*
 * The valid numbers one edit away from a compact text, as nir._suggest._found
 * lists them (the same edits tried in the same order, the first of each number
 * kept): substitutions and adjacent swaps for 15 characters, insertions for 14,
 * deletions for 16. The key arithmetic is _suggest's (10^(12-i) mod 97: at most
 * one digit per position); each candidate is judged by verdict_of_number, quiet.
 * Nothing here touches a Python object: the scan runs it for its suggestions.
 */

/* The key arithmetic's facts, computed once at import (fill_suggest_tables) from
 * _suggest's definition: body position i weighs 10^(12-i) mod 97 (_suggest._WEIGHTS)
 * and a valid number's body + key is 0 mod 97, so the key's two digits weigh 10
 * and 1. suggest_inverse[i]: the inverse mod 97 of body position i's weight
 * (_suggest._INVERSES). */
static int suggest_inverse[13];

/* The two products of the key arithmetic, tabled with it:
 * swap_adds[index][b - a + 9] = (b - a) * swap_factor mod 97, what swapping the
 * digits a, b at `index` adds to body + key (swap_factor: the weight of `index` less
 * the weight of the position after it), and
 * substitution_step[index][need] = need * suggest_inverse[index] mod 97 (the digit
 * change at body position index that adds `need`). */
static unsigned char swap_adds[14][19];
static unsigned char substitution_step[13][97];

static void
fill_suggest_tables(void)
{
    int weight[15]; /* of the 15 characters' digits in body + key, mod 97 */
    weight[14] = 1;
    weight[13] = 10;
    for (int index = 12, power = 1; index >= 0; index--, power = power * 10 % 97) {
        weight[index] = power;
        for (int inverse = 1; inverse < 97; inverse++) {
            if (power * inverse % 97 == 1) {
                suggest_inverse[index] = inverse;
            }
        }
    }
    for (int index = 0; index < 14; index++) {
        int swap_factor = (weight[index] - weight[index + 1] + 97) % 97;
        for (int d = -9; d <= 9; d++) {
            swap_adds[index][d + 9] = (unsigned char)((d + 97) * swap_factor % 97);
        }
    }
    for (int index = 0; index < 13; index++) {
        for (int need = 0; need < 97; need++) {
            substitution_step[index][need] = (unsigned char)(need * suggest_inverse[index] % 97);
        }
    }
}

/* The edits, as _suggest names them. */
typedef enum { EDIT_SUBSTITUTION, EDIT_TRANSPOSITION, EDIT_INSERTION, EDIT_DELETION } Edit;
static const char *const edit_names[] = {"substitution", "transposition", "insertion",
                                         "deletion"};

/* _suggest._body_and_key: for a well-formed 15-character text (digits, or 2A/2B at
 * positions 6-7, and a 2-digit key) 1 with its body value and key, else 0. */
static int
body_and_key(const char *t, long long *value, int *key)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* the usual text, 15 digits: two words (the candidates' texts come here by the
     * hundred per row) */
    const unsigned char *u = (const unsigned char *)t;
    uint64_t low = load8(u);
    if (digits8(low) && digits8(load8(u + 7))) {
        *value = (long long)(value8(low) * 100000 +
                             (uint64_t)((u[8] - '0') * 10000 + (u[9] - '0') * 1000 +
                                        (u[10] - '0') * 100 + (u[11] - '0') * 10 + (u[12] - '0')));
        *key = (u[13] - '0') * 10 + (u[14] - '0');
        return 1;
    }
#endif
    if (!is_digit((unsigned char)t[13]) || !is_digit((unsigned char)t[14])) {
        return 0;
    }
    int letter = t[5] == rules.letter_head ? letter_value((unsigned char)t[6]) : 0;
    long long body = 0;
    for (int i = 0; i < 13; i++) {
        if (letter && i == 5) {
            body = body * 100 + letter;
            i++;
            continue;
        }
        if (!is_digit((unsigned char)t[i])) {
            return 0;
        }
        body = body * 10 + (t[i] - '0');
    }
    *value = body;
    *key = (t[13] - '0') * 10 + (t[14] - '0');
    return 1;
}

/* Whether a 15-character text has a right key (well-formed, value + key = 0 mod 97). */
static int
right_key(const char *t)
{
    long long value;
    int key;
    return body_and_key(t, &value, &key) && (value + key) % 97 == 0;
}

/* _suggest._valid is not None: the rules of verdict, under the default policy. */
static int
valid_candidate(const char *n, int year, int month)
{
    if (fast_valid((const unsigned char *)n, 15)) {
        return 1; /* plain fields and the right key: valid under any policy, quiet */
    }
    for (int i = 0; i < 15; i++) {
        if (!is_digit((unsigned char)n[i]) && !letter_value((unsigned char)n[i])) {
            return 0; /* compact_value's "characters" */
        }
    }
    Outcome outcome = {.code = "", .params = NULL, .kind = "", .quiet = 1};
    verdict_of_number(n, 15, 1, 0, 0, year, month, &outcome);
    return outcome.code[0] == '\0';
}

/* Keep `number` when valid and not kept already (the first of each number wins). */
static void
add_candidate(Candidates *found, const char *number, Edit edit, int index)
{
    for (int i = 0; i < found->count; i++) {
        if (memcmp(found->item[i].number, number, 15) == 0) {
            return;
        }
    }
    if (found->fits != NULL && !found->fits(found->context, number)) {
        return;
    }
    if (found->count < MOST_CANDIDATES &&
        (found->untested || valid_candidate(number, found->year, found->month))) {
        Candidate *item = &found->item[found->count++];
        memcpy(item->number, number, 15);
        item->edit = (unsigned char)edit;
        item->position = (unsigned char)(index + 1);
    }
}

/* `text` (15 characters) with character `index` replaced by `c`, added. */
static void
add_substitution(Candidates *found, const char *text, int index, char c)
{
    char number[15];
    memcpy(number, text, 15);
    number[index] = c;
    add_candidate(found, number, EDIT_SUBSTITUTION, index);
}

/* _suggest._corsica_substitutions: position 7 after a 2, the digit by the arithmetic,
 * the letters tried. */
static void
corsica_substitutions(Candidates *found, const char *text)
{
    char zero[15];
    memcpy(zero, text, 15);
    zero[6] = '0';
    long long value;
    int key;
    if (body_and_key(zero, &value, &key)) {
        int digit = (int)((97 - (value + key) % 97) % 97 * suggest_inverse[6] % 97);
        if (digit <= 9 && '0' + digit != text[6]) {
            add_substitution(found, text, 6, (char)('0' + digit));
        }
    }
    for (char letter = 'A'; letter <= 'Z'; letter++) {
        if (!letter_value((unsigned char)letter) || letter == text[6]) {
            continue;
        }
        char number[15];
        memcpy(number, text, 15);
        number[6] = letter;
        if (right_key(number)) {
            add_substitution(found, text, 6, letter);
        }
    }
}

/* _suggest._substitutions; `formed`, `value`, `key`: body_and_key of `text`. */
static void
substitutions(Candidates *found, const char *text, int formed, long long value, int key)
{
    if (!formed) {
        /* a wrong character: only replacing it can help (when it is the only one);
         * every other non-digit must be the letter of 2A/2B (index 6) */
        int wrong = -1, wrongs = 0;
        for (int i = 0; i < 15; i++) {
            if (!is_digit((unsigned char)text[i]) && i != 6) {
                wrong = i;
                wrongs++;
            }
        }
        if (wrongs > 1) {
            return;
        }
        for (int index = wrongs ? wrong : 0; index < (wrongs ? wrong + 1 : 15); index++) {
            const char *choices = index == 6 && text[5] == '2' ? "0123456789AB" : "0123456789";
            for (const char *c = choices; *c; c++) {
                char number[15];
                memcpy(number, text, 15);
                number[index] = *c;
                long long ignored_value;
                int ignored_key;
                if (*c != text[index] && body_and_key(number, &ignored_value, &ignored_key)) {
                    add_substitution(found, text, index, *c);
                }
            }
        }
        return;
    }
    int need = (int)((97 - (value + key) % 97) % 97);
    int letters = text[5] == rules.letter_head && letter_value((unsigned char)text[6]);
    for (int index = 0; index < 13; index++) {
        if (letters && index == 5) {
            continue; /* a letter needs the 2 before it */
        }
        if (index == 6 && text[5] == rules.letter_head) {
            corsica_substitutions(found, text);
            continue;
        }
        int step = substitution_step[index][need];
        int digit = text[index] - '0';
        int now = digit + step <= 9 ? digit + step : digit - (97 - step);
        if (step && now >= 0 && now <= 9) {
            add_substitution(found, text, index, (char)('0' + now));
        }
    }
    int right = 97 - (int)(value % 97);
    char digits[2] = {(char)('0' + right / 10), (char)('0' + right % 10)};
    int wrong_key = digits[0] != text[13] || digits[1] != text[14];
    for (int index = 13; index <= 14; index++) {
        int other = 27 - index;
        if (digits[other - 13] == text[other] && wrong_key) {
            add_substitution(found, text, index, digits[index - 13]);
        }
    }
}

/* _suggest._transpositions; `formed`, `value`, `key`: body_and_key of `text`. For a
 * well-formed text the key arithmetic is exact (every character swapped is a digit: the
 * letter of 2A/2B does not move), so a swap it keeps needs no second look. */
static void
transpositions(Candidates *found, const char *text, int formed, long long value, int key)
{
    int need = formed ? (int)((97 - (value + key) % 97) % 97) : -1;
    int letters = formed && text[5] == rules.letter_head && letter_value((unsigned char)text[6]);
    for (int index = 0; index < 14; index++) {
        char a = text[index], b = text[index + 1];
        if (a == b || (letters && index >= 4 && index <= 6)) {
            continue; /* 2A/2B cannot move */
        }
        if (formed && swap_adds[index][b - a + 9] != need) {
            continue;
        }
        char number[15];
        memcpy(number, text, 15);
        number[index] = b;
        number[index + 1] = a;
        if (formed || right_key(number)) {
            add_candidate(found, number, EDIT_TRANSPOSITION, index);
        }
    }
}

/* `text` (14 characters) with `c` inserted before index `index`, added. */
static void
add_insertion(Candidates *found, const char *text, int index, char c)
{
    char number[15];
    memcpy(number, text, (size_t)index);
    number[index] = c;
    memcpy(number + index + 1, text + index, (size_t)(14 - index));
    add_candidate(found, number, EDIT_INSERTION, index);
}

/* _suggest._insertions: by the key arithmetic, and by trying the 2 of 2A/2B and A/B. */
static void
insertions(Candidates *found, const char *text)
{
    long long value;
    int key;
    for (int index = 0; index < 13; index++) {
        char zero[15];
        memcpy(zero, text, (size_t)index);
        zero[index] = '0';
        memcpy(zero + index + 1, text + index, (size_t)(14 - index));
        if (body_and_key(zero, &value, &key)) {
            /* the new digit d adds d * 10^(12-index) to the body: one d at most */
            int digit = (int)((97 - (value + key) % 97) % 97 * suggest_inverse[index] % 97);
            if (digit <= 9) {
                add_insertion(found, text, index, (char)('0' + digit));
            }
        }
        char tries[27]; /* the 2 before a letter, or the letters after a 2 */
        int count = 0;
        if (index == 5 && letter_value((unsigned char)zero[6])) {
            tries[count++] = rules.letter_head;
        }
        else if (index == 6 && zero[5] == rules.letter_head) {
            for (char letter = 'A'; letter <= 'Z'; letter++) {
                if (letter_value((unsigned char)letter)) {
                    tries[count++] = letter;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            char number[15];
            memcpy(number, text, (size_t)index);
            number[index] = tries[i];
            memcpy(number + index + 1, text + index, (size_t)(14 - index));
            if (right_key(number)) {
                add_insertion(found, text, index, tries[i]);
            }
        }
    }
    char padded[15];
    memcpy(padded, text, 13);
    padded[13] = padded[14] = '0';
    if (body_and_key(padded, &value, &key)) { /* a missing key digit: the right key tells it */
        int right = 97 - (int)(value % 97);
        char digits[2] = {(char)('0' + right / 10), (char)('0' + right % 10)};
        if (digits[1] == text[13]) {
            add_insertion(found, text, 13, digits[0]);
        }
        if (digits[0] == text[13]) {
            add_insertion(found, text, 14, digits[1]);
        }
    }
}

/* _suggest._deletions */
static void
deletions(Candidates *found, const char *text)
{
    for (int index = 0; index < 16; index++) {
        char number[15];
        memcpy(number, text, (size_t)index);
        memcpy(number + index, text + index + 1, (size_t)(15 - index));
        if (right_key(number)) {
            add_candidate(found, number, EDIT_DELETION, index);
        }
    }
}

/* The candidates of a compact ASCII text t[0:n] (nir._suggest._found), for a reference
 * date (year, month) in FIRST_REFERENCE_YEAR..LAST_REFERENCE_YEAR: none for a valid
 * text or a length other than 14-16. */
static void
find_candidates(const char *t, Py_ssize_t n, int year, int month, Candidates *found)
{
    found->count = 0;
    found->year = year;
    found->month = month;
    if (n < 14 || n > 16) {
        return;
    }
    long long value = 0;
    int key = 0;
    int formed = n == 15 && body_and_key(t, &value, &key);
    if (n == 15 && (!formed || (value + key) % 97 == 0) && valid_candidate(t, year, month)) {
        return; /* a valid text (one with a wrong key is invalid: not judged) */
    }
    if (n == 15) {
        substitutions(found, t, formed, value, key);
        transpositions(found, t, formed, value, key);
    }
    else if (n == 14) {
        insertions(found, t);
    }
    else {
        deletions(found, t);
    }
}

PyDoc_STRVAR(suggest_candidates_doc,
             "suggest_candidates(value, year, month, /)\n--\n\n"
             "nir._suggest.candidates(value.decode('ascii'), date(year, month, 1)): the\n"
             "valid numbers one edit away from a compact text, as (number, edit, position)\n"
             "tuples in _suggest's order. None when value holds a byte >= 0x80 or year is\n"
             "outside 200-9998 (the caller then uses Python).");

static PyObject *
suggest_candidates(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("suggest_candidates", nargs, 3) || !check_configured()) {
        return NULL;
    }
    if (!PyBytes_Check(args[0])) {
        PyErr_Format(PyExc_TypeError, "suggest_candidates: value must be bytes, not %.100s",
                     Py_TYPE(args[0])->tp_name);
        return NULL;
    }
    long year = PyLong_AsLong(args[1]);
    if (year == -1 && PyErr_Occurred()) {
        return NULL;
    }
    long month = PyLong_AsLong(args[2]);
    if (month == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (month < 1 || month > 12) {
        PyErr_SetString(PyExc_ValueError, "suggest_candidates: month must be in 1..12");
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]);
    if (year < FIRST_REFERENCE_YEAR || year > LAST_REFERENCE_YEAR || skip_ascii(s, 0, n) < n) {
        Py_RETURN_NONE;
    }
    Candidates found;
    found.fits = NULL;
    found.untested = 0;
    find_candidates((const char *)s, n, (int)year, (int)month, &found);
    PyObject *result = PyList_New(found.count);
    for (int i = 0; result != NULL && i < found.count; i++) {
        const Candidate *item = &found.item[i];
        PyObject *entry = Py_BuildValue("(s#si)", item->number, (Py_ssize_t)15,
                                        edit_names[item->edit], (int)item->position);
        if (entry == NULL) {
            Py_CLEAR(result);
            break;
        }
        PyList_SET_ITEM(result, i, entry);
    }
    return result;
}

/* ------------------------------------------------------------------------ */
/* arrow_check: the verdict of every value of an Arrow string array          */
/*
 * Reads the buffers of one Arrow array (utf8 "u", large_utf8 "U", string_view "vu")
 * through the C data interface (_arrow_abi.h) and writes the columns of
 * nir.arrow.check as Arrow buffers: no Python object per value on the fast path.
 * Values the C rules leave to Python (non-ASCII, a reference year out of range)
 * go through `slow`, as everywhere else.
 */

/* A growable bytes object: the result columns are handed to Python without a copy. */
typedef struct {
    PyObject *bytes; /* NULL until the first reserve */
    char *data;
    Py_ssize_t length;
    Py_ssize_t capacity;
} Bytes;

/* Ask Linux for huge pages under a large buffer: the output columns of a big array
 * are hundreds of MB written once, and a 4 KiB page fault each cost a third of the
 * time. Only advice: without it (or elsewhere) nothing changes but the speed. */
static void
bytes_advise(const Bytes *buffer)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (buffer->capacity < ((Py_ssize_t)4 << 20)) {
        return;
    }
    uintptr_t page = 4096;
    uintptr_t start = ((uintptr_t)buffer->data + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)buffer->data + (uintptr_t)buffer->capacity) & ~(page - 1);
    (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)buffer;
#endif
}

/* Make room for `extra` more bytes; -1 with MemoryError on failure. */
static int
bytes_reserve(Bytes *buffer, Py_ssize_t extra)
{
    if (extra > PY_SSIZE_T_MAX / 2 - buffer->length) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t needed = buffer->length + extra;
    if (buffer->bytes != NULL && needed <= buffer->capacity) {
        return 0;
    }
    Py_ssize_t capacity = buffer->capacity > 0 ? buffer->capacity : 64;
    while (capacity < needed) {
        capacity *= 2;
    }
    if (buffer->bytes == NULL) {
        buffer->bytes = PyBytes_FromStringAndSize(NULL, capacity);
    }
    else if (_PyBytes_Resize(&buffer->bytes, capacity) < 0) {
        buffer->bytes = NULL; /* freed by _PyBytes_Resize */
    }
    if (buffer->bytes == NULL) {
        return -1;
    }
    buffer->data = PyBytes_AS_STRING(buffer->bytes);
    buffer->capacity = capacity;
    bytes_advise(buffer);
    return 0;
}

/* The walk of arrow_check lets the GIL go (other threads check other arrays meanwhile):
 * *saved is its thread state while it is let go, NULL while it is held. The rare events
 * that need Python (a buffer that grows, an error, a value judged in Python) take it back
 * for their time. */
static void
walk_take_gil(PyThreadState **saved)
{
    if (saved != NULL && *saved != NULL) {
        PyEval_RestoreThread(*saved);
        *saved = NULL;
    }
}

/* bytes_reserve from a walk that may have let the GIL go (saved NULL: it holds it). */
static int
bytes_reserve_from(Bytes *buffer, Py_ssize_t extra, PyThreadState **saved)
{
    int released = saved != NULL && *saved != NULL;
    walk_take_gil(saved);
    if (bytes_reserve(buffer, extra) < 0) {
        return -1; /* with the GIL */
    }
    if (released) {
        *saved = PyEval_SaveThread();
    }
    return 0;
}

/* The bytes object cut to its length (a new reference; the buffer gives it up). */
static PyObject *
bytes_finish(Bytes *buffer)
{
    if (bytes_reserve(buffer, 0) < 0 || _PyBytes_Resize(&buffer->bytes, buffer->length) < 0) {
        buffer->bytes = NULL;
        return NULL;
    }
    PyObject *result = buffer->bytes;
    buffer->bytes = NULL;
    return result;
}

/* One output string column: validity bitmap, int32 offsets, data. */
typedef struct {
    Bytes validity;
    Bytes offsets;
    Bytes data;
    Py_ssize_t null_count;
    int32_t *ends; /* offsets.data as int32: ends[row + 1] ends value `row` */
    PyThreadState **saved; /* the walk's (see gil_take), NULL when it keeps the GIL */
} Column;

static int
column_init(Column *column, Py_ssize_t length, Py_ssize_t data_hint)
{
    memset(column, 0, sizeof *column);
    Py_ssize_t bitmap = (length + 7) / 8;
    if (bytes_reserve(&column->validity, bitmap) < 0 ||
        bytes_reserve(&column->offsets, (length + 1) * 4) < 0 ||
        bytes_reserve(&column->data, data_hint) < 0) {
        return -1;
    }
    memset(column->validity.data, 0, (size_t)bitmap);
    column->validity.length = bitmap;
    column->offsets.length = (length + 1) * 4;
    column->ends = (int32_t *)column->offsets.data;
    column->ends[0] = 0;
    return 0;
}

static void
column_free(Column *column)
{
    Py_XDECREF(column->validity.bytes);
    Py_XDECREF(column->offsets.bytes);
    Py_XDECREF(column->data.bytes);
}

/* Set value `row` to `text` (NULL for a null); nothing for a column not asked for. */
static inline int
column_put(Column *column, Py_ssize_t row, const char *text, Py_ssize_t length)
{
    if (column->ends == NULL) {
        return 0;
    }
    if (text == NULL) {
        column->null_count++;
    }
    else {
        if (column->data.length + length > INT32_MAX) {
            walk_take_gil(column->saved);
            PyErr_SetString(PyExc_OverflowError,
                            "nir.arrow: an output column exceeds 2 GiB; split the input");
            return -1;
        }
        if (column->data.length + length > column->data.capacity &&
            bytes_reserve_from(&column->data, length, column->saved) < 0) {
            return -1;
        }
        memcpy(column->data.data + column->data.length, text, (size_t)length);
        column->data.length += length;
        column->validity.data[row >> 3] |= (char)(1 << (row & 7));
    }
    column->ends[row + 1] = (int32_t)column->data.length;
    return 0;
}

/* (validity, offsets, data, null_count), or None for a column not asked for; the
 * column gives up its buffers. */
static PyObject *
column_result(Column *column)
{
    if (column->ends == NULL) {
        Py_RETURN_NONE;
    }
    return Py_BuildValue("(NNNn)", bytes_finish(&column->validity),
                         bytes_finish(&column->offsets), bytes_finish(&column->data),
                         column->null_count);
}

/* Where the values of a string array are (its offset already added to `offsets`). */
typedef struct {
    int view;  /* 0: offsets ("u", "U"), 1: string_view ("vu") */
    int large; /* int64 offsets */
    const void *offsets;
    const uint8_t *data;
    const uint8_t *const *variadic;
    int64_t variadic_count;
} StringReader;

/* Value `i` (from the array's offset) of a non-null entry. */
static inline void
read_string(const StringReader *reader, int64_t i, const unsigned char **s, Py_ssize_t *n)
{
    if (reader->view) {
        const uint8_t *view = (const uint8_t *)reader->offsets + 16 * i;
        int32_t length;
        memcpy(&length, view, 4);
        if (length <= 12) {
            *s = view + 4;
        }
        else {
            int32_t buffer, start;
            memcpy(&buffer, view + 8, 4);
            memcpy(&start, view + 12, 4);
            *s = reader->variadic[buffer] + start;
        }
        *n = length;
    }
    else if (reader->large) {
        const int64_t *offsets = reader->offsets;
        *s = reader->data + offsets[i];
        *n = (Py_ssize_t)(offsets[i + 1] - offsets[i]);
    }
    else {
        const int32_t *offsets = reader->offsets;
        *s = reader->data + offsets[i];
        *n = offsets[i + 1] - offsets[i];
    }
}

/* The number column of a utf8 input: a number equal to its input value (clean data,
 * most rows) is not written one by one; the runs of such rows are copied from the
 * input in bulk when a row differs, and when none differs Python reuses the input. */
typedef struct {
    Column column;       /* ends is NULL while nothing differed */
    int reuse;           /* 1: utf8 input, the number column is wanted */
    Py_ssize_t pending;  /* the rows [pending, row) equal their input, not yet copied */
    const StringReader *reader;
    const uint8_t *validity;
    int64_t offset;
    Py_ssize_t length;
    PyThreadState **saved; /* the walk's (see gil_take) */
} Numbers;

/* Copy the pending rows [pending, to) from the input. */
static int
numbers_flush(Numbers *numbers, Py_ssize_t to)
{
    Column *column = &numbers->column;
    const int32_t *in = numbers->reader->offsets;
    const Py_ssize_t from = numbers->pending;
    if (column->ends == NULL) {
        int released = numbers->saved != NULL && *numbers->saved != NULL;
        walk_take_gil(numbers->saved);
        if (column_init(column, numbers->length, in[numbers->length] - in[0] + 64) < 0) {
            return -1;
        }
        column->saved = numbers->saved;
        if (released) {
            *numbers->saved = PyEval_SaveThread();
        }
    }
    const Py_ssize_t size = in[to] - in[from];
    if (column->data.length + size > INT32_MAX) {
        walk_take_gil(numbers->saved);
        PyErr_SetString(PyExc_OverflowError,
                        "nir.arrow: an output column exceeds 2 GiB; split the input");
        return -1;
    }
    if (bytes_reserve_from(&column->data, size, numbers->saved) < 0) {
        return -1;
    }
    memcpy(column->data.data + column->data.length, numbers->reader->data + in[from],
           (size_t)size);
    const int32_t shift = (int32_t)(column->data.length - in[from]);
    column->data.length += size;
    for (Py_ssize_t row = from; row < to; row++) {
        column->ends[row + 1] = in[row + 1] + shift;
    }
    for (Py_ssize_t row = from; row < to; row++) {
        int64_t at = numbers->offset + row;
        if (numbers->validity != NULL && !((numbers->validity[at >> 3] >> (at & 7)) & 1)) {
            column->null_count++;
        }
        else {
            column->validity.data[row >> 3] |= (char)(1 << (row & 7));
        }
    }
    numbers->pending = to;
    return 0;
}

/* Set value `row` (input s[0:n], s NULL for a null) to `text` (NULL for a null). */
static inline int
numbers_put(Numbers *numbers, Py_ssize_t row, const char *text, Py_ssize_t size,
            const unsigned char *s, Py_ssize_t n)
{
    if (numbers->reuse) {
        int same = text == NULL ? s == NULL
                                : s != NULL && size == n &&
                                      ((const unsigned char *)text == s ||
                                       memcmp(text, s, (size_t)n) == 0);
        if (same) {
            return 0; /* pending */
        }
        if (numbers_flush(numbers, row) < 0) {
            return -1;
        }
        numbers->pending = row + 1;
    }
    return column_put(&numbers->column, row, text, size);
}

/* (validity, offsets, data, null_count), True for the input itself, None if not asked. */
static PyObject *
numbers_result(Numbers *numbers)
{
    if (numbers->reuse) {
        if (numbers->column.ends == NULL) {
            Py_RETURN_TRUE;
        }
        if (numbers_flush(numbers, numbers->length) < 0) {
            return NULL;
        }
    }
    return column_result(&numbers->column);
}

PyDoc_STRVAR(arrow_check_doc,
             "arrow_check(schema, array, allow_temporary, allow_missing_key, "
             "warnings_as_errors, year, month, null_code, slow, wanted, /)\n--\n\n"
             "The verdicts on an Arrow string array given as its PyCapsules\n"
             "('arrow_schema', 'arrow_array'): (length, valid bitmap, error_code, number,\n"
             "kind), each string column as (validity, int32 offsets, data, null_count).\n"
             "A null gets null_code; slow(value: bytes) -> (code, number, kind) judges\n"
             "the values the C rules leave to Python. wanted: the string columns to build\n"
             "(bits 1 error_code, 2 number, 4 kind; the others are None). number is True\n"
             "when it is the input itself (a utf8 array whose values are all compact).\n"
             "TypeError for a non-string array.");

static PyObject *
arrow_check(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("arrow_check", nargs, 10) || !check_configured()) {
        return NULL;
    }
    struct ArrowSchema *schema = PyCapsule_GetPointer(args[0], "arrow_schema");
    if (schema == NULL) {
        return NULL;
    }
    struct ArrowArray *array = PyCapsule_GetPointer(args[1], "arrow_array");
    if (array == NULL) {
        return NULL;
    }
    int flags[3];
    for (int i = 0; i < 3; i++) {
        flags[i] = PyObject_IsTrue(args[2 + i]);
        if (flags[i] < 0) {
            return NULL;
        }
    }
    long year = PyLong_AsLong(args[5]);
    long month = PyLong_AsLong(args[6]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (!PyUnicode_Check(args[7])) {
        PyErr_SetString(PyExc_TypeError, "arrow_check: null_code must be a str");
        return NULL;
    }
    Py_ssize_t null_code_length;
    const char *null_code = PyUnicode_AsUTF8AndSize(args[7], &null_code_length);
    if (null_code == NULL) {
        return NULL;
    }
    PyObject *slow = args[8];
    long wanted = PyLong_AsLong(args[9]);
    if (wanted == -1 && PyErr_Occurred()) {
        return NULL;
    }

    StringReader reader = {0};
    const char *format = schema->format != NULL ? schema->format : "";
    int64_t expected_buffers;
    if (strcmp(format, "u") == 0 || strcmp(format, "U") == 0) {
        reader.large = format[0] == 'U';
        expected_buffers = 3;
    }
    else if (strcmp(format, "vu") == 0) {
        reader.view = 1;
        expected_buffers = 3; /* validity, views, variadic sizes; data buffers between */
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "nir.arrow needs a string column (utf8, large_utf8 or string_view), "
                     "not Arrow format '%.40s'",
                     format);
        return NULL;
    }
    if (schema->dictionary != NULL || array->release == NULL ||
        array->n_buffers < expected_buffers || array->length < 0 || array->offset < 0) {
        PyErr_SetString(PyExc_ValueError, "nir.arrow: a malformed or released Arrow array");
        return NULL;
    }
    const int64_t offset = array->offset;
    const Py_ssize_t length = (Py_ssize_t)array->length;
    /* no bitmap is allowed when there is no null */
    const uint8_t *validity = array->null_count == 0 ? NULL : array->buffers[0];
    if (reader.view) {
        reader.offsets = (const uint8_t *)array->buffers[1] + 16 * offset;
        reader.variadic = (const uint8_t *const *)(array->buffers + 2);
        reader.variadic_count = array->n_buffers - 3;
    }
    else if (reader.large) {
        reader.offsets = (const int64_t *)array->buffers[1] + offset;
        reader.data = array->buffers[2];
    }
    else {
        reader.offsets = (const int32_t *)array->buffers[1] + offset;
        reader.data = array->buffers[2];
    }
    PyObject *result = NULL;
    PyThreadState *saved = NULL; /* set while the walk lets the GIL go */
    Bytes valid = {0};
    Column error = {0}, kind = {0};
    /* utf8 input: the number column starts as the input itself */
    Numbers number = {.reuse = (wanted & 2) && !reader.view && !reader.large,
                      .reader = &reader,
                      .validity = validity,
                      .offset = offset,
                      .length = length,
                      .saved = &saved};
    Py_ssize_t bitmap = (length + 7) / 8;
    if (bytes_reserve(&valid, bitmap) < 0 ||
        ((wanted & 1) && column_init(&error, length, 64) < 0) ||
        ((wanted & 2) && !number.reuse && column_init(&number.column, length, 15 * length) < 0) ||
        ((wanted & 4) && column_init(&kind, length, 3 * length) < 0)) {
        goto done;
    }
    memset(valid.data, 0, (size_t)bitmap);
    valid.length = bitmap;
    error.saved = kind.saved = number.column.saved = &saved;

    saved = PyEval_SaveThread(); /* the walk reads and writes buffers only */
    for (Py_ssize_t row = 0; row < length; row++) {
        const unsigned char *s;
        Py_ssize_t n;
        int64_t at = offset + row; /* the bitmap counts from the buffer's start */
        if (validity != NULL && !((validity[at >> 3] >> (at & 7)) & 1)) {
            if (wanted != 0 && (column_put(&error, row, null_code, null_code_length) < 0 ||
                numbers_put(&number, row, NULL, 0, NULL, 0) < 0 ||
                column_put(&kind, row, NULL, 0) < 0)) {
                goto done;
            }
            continue;
        }
        read_string(&reader, row, &s, &n);
        /* the fast check, on the value itself when it is 15 characters, else on its
         * compact form: plain fields decide alone (a wrong key is then the one error,
         * as nir._fast.plain_fields says) */
        unsigned char kept[16];
        int expected, key;
        const unsigned char *digits = plain_digits(s, n, kept, &expected, &key);
        if (digits != NULL) {
            int ok = key == expected;
            if (ok) {
                valid.data[row >> 3] |= (char)(1 << (row & 7));
            }
            if (wanted == 0) {
                continue; /* nir_valid: the bitmap alone */
            }
            /* a clean value is its own number: left pending */
            int put = digits == s && number.reuse
                          ? 0
                          : numbers_put(&number, row, (const char *)digits, 15, s, n);
            if (put < 0 || column_put(&error, row, ok ? NULL : "key", 3) < 0 ||
                column_put(&kind, row, ok ? "nir" : NULL, 3) < 0) {
                goto done;
            }
            continue;
        }
        Outcome outcome;
        /* quiet: only the code is wanted, no Python object (never -1) */
        int status = outcome_judged(s, n, flags, year, month, NULL, 1, &outcome);
        if (status == 0) {
            int ok = outcome.code[0] == '\0';
            if (ok) {
                valid.data[row >> 3] |= (char)(1 << (row & 7));
            }
            Py_ssize_t code_length = (Py_ssize_t)strlen(outcome.code);
            Py_ssize_t kind_length = (Py_ssize_t)strlen(outcome.kind);
            if (column_put(&error, row, ok ? NULL : outcome.code, code_length) < 0 ||
                numbers_put(&number, row, outcome.number, outcome.number_length, s, n) < 0 ||
                column_put(&kind, row, ok ? outcome.kind : NULL, kind_length) < 0) {
                goto done;
            }
            continue;
        }
        /* left to Python: slow(value) -> (code, number, kind) */
        walk_take_gil(&saved);
        PyObject *judged = PyObject_CallFunction(slow, "y#", (const char *)s, n);
        if (judged == NULL) {
            goto done;
        }
        const char *texts[3];
        Py_ssize_t sizes[3];
        if (!PyTuple_Check(judged) || PyTuple_GET_SIZE(judged) != 3) {
            PyErr_SetString(PyExc_TypeError, "arrow_check: slow must return (code, number, kind)");
            Py_DECREF(judged);
            goto done;
        }
        for (int k = 0; k < 3; k++) {
            texts[k] = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(judged, k), &sizes[k]);
            if (texts[k] == NULL) {
                Py_DECREF(judged);
                goto done;
            }
        }
        int ok = sizes[0] == 0;
        if (ok) {
            valid.data[row >> 3] |= (char)(1 << (row & 7));
        }
        int failed = column_put(&error, row, ok ? NULL : texts[0], sizes[0]) < 0 ||
                     numbers_put(&number, row, texts[1], sizes[1], s, n) < 0 ||
                     column_put(&kind, row, ok ? texts[2] : NULL, sizes[2]) < 0;
        Py_DECREF(judged);
        if (failed) {
            goto done;
        }
        saved = PyEval_SaveThread();
    }
    walk_take_gil(&saved);
    PyObject *numbers = numbers_result(&number);
    if (numbers == NULL) {
        goto done;
    }
    result = Py_BuildValue("(nNNNN)", length, bytes_finish(&valid), column_result(&error),
                           numbers, column_result(&kind));
done:
    walk_take_gil(&saved);
    Py_XDECREF(valid.bytes);
    column_free(&error);
    column_free(&number.column);
    column_free(&kind);
    return result;
}

/* ------------------------------------------------------------------------ */
/* nir_sql_verdict: one value for nir.duckdb's native SQL functions          */
/*
 * The DuckDB extension (_duckdb_ext.c) carries no rule: it calls this, through the
 * address nir.duckdb hands it, on DuckDB's own threads. The walk of arrow_check on
 * one value: the fast check, then the quiet rules (no GIL), then, for the values the
 * C rules leave to Python, sql_policy's `slow` under the GIL (PyGILState_Ensure: the
 * thread may be one Python never saw).
 */

static PyObject *sql_slow;    /* slow(value: bytes) -> (code, number, kind), or NULL */
static int sql_flags[3];      /* allow_temporary, allow_missing_key, warnings_as_errors */

PyDoc_STRVAR(sql_policy_doc,
             "sql_policy(slow, allow_temporary, allow_missing_key, warnings_as_errors, /)\n--\n\n"
             "The options and the Python judge (as arrow_check's slow) of nir_sql_verdict,\n"
             "the C entry of nir.duckdb's native functions. Set once: a second call is\n"
             "refused (ValueError) unless it gives the same options.");

static PyObject *
sql_policy(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("sql_policy", nargs, 4)) {
        return NULL;
    }
    int flags[3];
    for (int i = 0; i < 3; i++) {
        flags[i] = PyObject_IsTrue(args[1 + i]);
        if (flags[i] < 0) {
            return NULL;
        }
    }
    if (sql_slow != NULL) {
        if (memcmp(flags, sql_flags, sizeof flags) != 0) {
            PyErr_SetString(PyExc_ValueError, "sql_policy: already set with other options");
            return NULL;
        }
        Py_RETURN_NONE; /* DuckDB threads may be reading it: keep the first */
    }
    if (!PyCallable_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "sql_policy: slow must be callable");
        return NULL;
    }
    memcpy(sql_flags, flags, sizeof flags);
    Py_INCREF(args[0]);
    sql_slow = args[0]; /* kept for the life of the process */
    Py_RETURN_NONE;
}

/* Copy text[0:length] and a NUL into target (size bytes); 0 when it does not fit. */
static int
sql_copy(char *target, size_t size, const char *text, size_t length)
{
    if (length >= size) {
        return 0;
    }
    memcpy(target, text, length);
    target[length] = '\0';
    return 1;
}

/* slow(value) under the GIL: 1 valid, 0 invalid, -1 when Python failed (its error
 * printed: the caller's thread has no Python frame to raise into). */
static int
sql_slow_verdict(const unsigned char *s, size_t n, char *code, size_t code_size, char *number,
                 size_t number_size, size_t *number_length)
{
    PyGILState_STATE state = PyGILState_Ensure();
    int result = -1;
    PyObject *judged = PyObject_CallFunction(sql_slow, "y#", (const char *)s, (Py_ssize_t)n);
    if (judged != NULL && PyTuple_Check(judged) && PyTuple_GET_SIZE(judged) == 3) {
        Py_ssize_t sizes[2];
        const char *code_text = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(judged, 0), &sizes[0]);
        const char *number_text =
            code_text ? PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(judged, 1), &sizes[1]) : NULL;
        if (number_text != NULL && sql_copy(code, code_size, code_text, (size_t)sizes[0]) &&
            sql_copy(number, number_size, number_text, (size_t)sizes[1])) {
            *number_length = (size_t)sizes[1];
            result = sizes[0] == 0;
        }
    }
    if (result < 0) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "nir_sql_verdict: slow gave no (code, number, kind)");
        }
        PyErr_Print();
    }
    Py_XDECREF(judged);
    PyGILState_Release(state);
    return result;
}

/* The verdict on s[0:n] on reference date year-month, with sql_policy's options:
 * 1 valid, 0 invalid, -1 on failure (no policy yet, or a Python error). `code` gets
 * the error code ("" when valid), `number` the compact form (as nir.arrow.check's
 * number column), each NUL-terminated; code_size >= 32 and number_size >= 256 always
 * suffice. Safe on any thread, with or without the GIL. */
__attribute__((visibility("default"))) int
nir_sql_verdict(const unsigned char *s, size_t n, int year, int month, char *code,
                size_t code_size, char *number, size_t number_size, size_t *number_length)
{
    if (sql_slow == NULL || !rules.configured || code_size < 32 || number_size < 256 ||
        n > (size_t)PY_SSIZE_T_MAX) {
        return -1;
    }
    unsigned char kept[16];
    int expected, key;
    const unsigned char *digits = plain_digits(s, (Py_ssize_t)n, kept, &expected, &key);
    if (digits != NULL) {
        int ok = key == expected;
        memcpy(code, ok ? "" : "key", ok ? 1 : 4);
        memcpy(number, digits, 15);
        number[15] = '\0';
        *number_length = 15;
        return ok;
    }
    Outcome outcome;
    if (outcome_judged(s, (Py_ssize_t)n, sql_flags, year, month, NULL, 1, &outcome) == 0) {
        sql_copy(code, code_size, outcome.code, strlen(outcome.code)); /* codes are short */
        sql_copy(number, number_size, outcome.number, (size_t)outcome.number_length);
        *number_length = (size_t)outcome.number_length;
        return outcome.code[0] == '\0';
    }
    return sql_slow_verdict(s, n, code, code_size, number, number_size, number_length);
}

/* ------------------------------------------------------------------------ */
/* The module                                                                */

/* Defined in the DSN block at the end of the file. */
static PyObject *dsn_scan(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyDoc_STRVAR(dsn_scan_doc,
             "dsn_scan(chunk, first_line) -> (settled, rest, lines) | None\n\n"
             "nir.dsn._scan_python: the individuals of a chunk of whole lines; settled\n"
             "counts those whose NIR is fast-valid and identity plainly agrees, rest holds\n"
             "(line, .001, .005, .006, .007, .014, .015, .019, .020) for the others;\n"
             "lines counts the chunk's line ends.\n"
             "None when a line has a problem.");

/* ------------------------------------------------------------------------ */
/* sheet_csv: a sheet's cells as CSV (nir._sheets.python_sheet_csv)          */
/* ------------------------------------------------------------------------ */

/* Whether a double is a whole number that nir._sheets writes as its digits:
 * value.is_integer() and -2**53 < value < 2**53. */
static int
exact_integer(double value)
{
    const double bound = 9007199254740992.0; /* 2**53 */
    return value > -bound && value < bound && value == (double)(long long)value;
}

/* Append one cell's text as csv.writer (QUOTE_MINIMAL, ",") quotes it, its line breaks
 * as the marks U+E000 (LF) and U+E001 (CR); 1 when the text holds a line break, 0
 * when not, -1 on error, -2 when it holds a mark already. */
static int
put_sheet_cell(Buffer *out, const char *text, Py_ssize_t length)
{
    int quote = 0;
    int broken = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ',' || c == '"') {
            quote = 1;
        }
        else if (c == '\n' || c == '\r') {
            quote = broken = 1;
        }
        else if (c == 0xEE && i + 2 < length && (unsigned char)text[i + 1] == 0x80 &&
                 ((unsigned char)text[i + 2] == 0x80 || (unsigned char)text[i + 2] == 0x81)) {
            return -2;
        }
    }
    if (!quote) {
        return buffer_write(out, text, length) < 0 ? -1 : 0;
    }
    /* at worst 3 bytes per byte (a line break becomes a 3-byte mark), and the quotes */
    if (length > (PY_SSIZE_T_MAX - 2) / 3) {
        PyErr_NoMemory();
        return -1;
    }
    if (buffer_reserve(out, 3 * length + 2) < 0) {
        return -1;
    }
    char *at = out->data + out->length;
    *at++ = '"';
    for (Py_ssize_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '"') {
            *at++ = '"';
            *at++ = '"';
        }
        else if (c == '\n' || c == '\r') {
            *at++ = (char)0xEE;
            *at++ = (char)0x80;
            *at++ = (char)(c == '\n' ? 0x80 : 0x81);
        }
        else {
            *at++ = c;
        }
    }
    *at++ = '"';
    out->length = at - out->data;
    return broken;
}

PyDoc_STRVAR(sheet_csv_doc,
             "sheet_csv(rows, cell_text) -> (bytes, marked columns) or None\n\n"
             "nir._sheets.python_sheet_csv: rows of equal width as CSV lines; cell_text\n"
             "gives the text of a cell that is neither str nor a whole float.");

static PyObject *
sheet_csv(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("sheet_csv", nargs, 2)) {
        return NULL;
    }
    PyObject *rows = args[0];
    PyObject *cell_text = args[1];
    if (!PyList_Check(rows)) {
        PyErr_SetString(PyExc_TypeError, "sheet_csv: rows must be a list of lists");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(rows);
    Py_ssize_t width = -1;
    Buffer out = {NULL, 0, 0};
    unsigned char *marked = NULL;
    PyObject *result = NULL;
    int status = 0; /* -1 error, -2 a mark in a cell */
    for (Py_ssize_t r = 0; r < count && status == 0; r++) {
        PyObject *row = PyList_GET_ITEM(rows, r);
        if (!PyList_Check(row) || (width >= 0 && PyList_GET_SIZE(row) != width)) {
            PyErr_SetString(PyExc_ValueError, "sheet_csv: rows must be lists of one width");
            status = -1;
            break;
        }
        if (width < 0) {
            width = PyList_GET_SIZE(row);
            marked = PyMem_Calloc((size_t)(width > 0 ? width : 1), 1);
            if (marked == NULL) {
                PyErr_NoMemory();
                status = -1;
                break;
            }
        }
        for (Py_ssize_t c = 0; c < width; c++) {
            PyObject *cell = PyList_GET_ITEM(row, c);
            PyObject *made = NULL;
            char digits[24];
            const char *text;
            Py_ssize_t length;
            if (c > 0 && buffer_write(&out, ",", 1) < 0) {
                status = -1;
                break;
            }
            if (PyFloat_CheckExact(cell) && exact_integer(PyFloat_AS_DOUBLE(cell))) {
                length = format_decimal((long long)PyFloat_AS_DOUBLE(cell), digits);
                text = digits;
            }
            else {
                if (!PyUnicode_CheckExact(cell)) {
                    made = PyObject_CallOneArg(cell_text, cell);
                    if (made == NULL) {
                        status = -1;
                        break;
                    }
                    if (!PyUnicode_Check(made)) {
                        Py_DECREF(made);
                        PyErr_SetString(PyExc_TypeError, "sheet_csv: cell_text must give a str");
                        status = -1;
                        break;
                    }
                    cell = made;
                }
                text = PyUnicode_AsUTF8AndSize(cell, &length);
                if (text == NULL) {
                    Py_XDECREF(made);
                    status = -1;
                    break;
                }
            }
            int put = put_sheet_cell(&out, text, length);
            Py_XDECREF(made);
            if (put < 0) {
                status = put;
                break;
            }
            marked[c] |= (unsigned char)put;
        }
        if (status == 0 && buffer_write(&out, "\n", 1) < 0) {
            status = -1;
        }
    }
    if (status == 0) {
        PyObject *columns = PyList_New(0);
        PyObject *data = PyBytes_FromStringAndSize(out.data != NULL ? out.data : "", out.length);
        for (Py_ssize_t c = 0; columns != NULL && data != NULL && c < width; c++) {
            if (marked[c]) {
                PyObject *index = PyLong_FromSsize_t(c);
                if (index == NULL || PyList_Append(columns, index) < 0) {
                    Py_XDECREF(index);
                    Py_CLEAR(columns);
                    break;
                }
                Py_DECREF(index);
            }
        }
        if (columns != NULL && data != NULL) {
            result = PyTuple_Pack(2, data, columns);
        }
        Py_XDECREF(columns);
        Py_XDECREF(data);
    }
    else if (status == -2) {
        result = Py_NewRef(Py_None);
    }
    PyMem_RawFree(out.data);
    PyMem_Free(marked);
    return result;
}

/* ------------------------------------------------------------------------ */
/* keep_names                                                                */

PyDoc_STRVAR(keep_names_doc,
             "keep_names(names_memo, spellings, ascii_only, /)\n--\n\n"
             "Keep place names' tables in a run's names memo (scan's identity[11]) before\n"
             "any scan asks for them; returns how many are kept. `spellings` is a run of\n"
             "records: a byte, the length of a cell, the cell; a byte, the length of its\n"
             "table (nir._accel.place_name_table's form), the table. Cells of more than\n"
             "the memo's longest key, and when `ascii_only` those holding a byte over\n"
             "127, are left out. Call with the GIL, as place_codes is.");

/* A scan asks Python for each distinct place name once (place_codes: ~4 us, with
 * the GIL, in order): ~40,000 calls on a national export whose names are the
 * data's own. Kept beforehand, with the run's encoding, they are asked of no one. */
static PyObject *
keep_names(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (expect_arguments("keep_names", nargs, 3) < 0) {
        return NULL;
    }
    if (!PyBytes_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "keep_names: spellings must be bytes");
        return NULL;
    }
    int ascii_only = PyObject_IsTrue(args[2]);
    if (ascii_only < 0) {
        return NULL;
    }
    Py_buffer memo;
    if (PyObject_GetBuffer(args[0], &memo, PyBUF_WRITABLE) < 0) {
        return NULL;
    }
    const char *wrong = names_memo_wrong(&memo);
    const unsigned char *data = (const unsigned char *)PyBytes_AS_STRING(args[1]);
    const Py_ssize_t size = PyBytes_GET_SIZE(args[1]);
    /* the whole run read first: a wrong one keeps nothing */
    for (Py_ssize_t at = 0; wrong == NULL && at < size;) {
        Py_ssize_t key_length = data[at];
        Py_ssize_t table_at = at + 1 + key_length;
        if (table_at >= size || table_at + 1 + data[table_at] > size) {
            wrong = "a record runs past the end of the spellings";
        }
        else if (key_length == 0 || data[table_at] == 0 ||
                 !name_table_fits(data + table_at + 1, data[table_at])) {
            wrong = "a record is not a cell and its name table";
        }
        else {
            at = table_at + 1 + data[table_at];
        }
    }
    if (wrong != NULL) {
        PyBuffer_Release(&memo);
        PyErr_Format(PyExc_ValueError, "keep_names: %s", wrong);
        return NULL;
    }
    Identity id;
    names_layout(&id, memo.buf, memo.len);
    Py_ssize_t kept = 0;
    for (Py_ssize_t at = 0; at < size;) {
        const unsigned char *key = data + at + 1;
        const Py_ssize_t key_length = data[at];
        const unsigned char *table = key + key_length + 1;
        const Py_ssize_t table_length = key[key_length];
        at += 2 + key_length + table_length;
        if (key_length > id.names.entry - id.names.key_at || id.names.groups == 0 ||
            (ascii_only && skip_ascii(key, 0, key_length) < key_length)) {
            continue;
        }
        names_keep(&id, key, key_length, table, table_length);
        kept++;
    }
    PyBuffer_Release(&memo);
    return PyLong_FromSsize_t(kept);
}

/* ------------------------------------------------------------------------ */
/* share_malloc_arena                                                        */

#if defined(__GLIBC__)
#include <malloc.h>
#endif

PyDoc_STRVAR(share_malloc_arena_doc,
             "share_malloc_arena()\n--\n\n"
             "One malloc arena for every thread of the process (glibc's M_ARENA_MAX = 1);\n"
             "True when set. The nir command's own process only: it is process-wide.");

/* glibc gives each new thread an arena of its own (up to 8 per core), and each keeps
 * the buffers its scans freed. With many scan threads those idle arenas are the
 * largest part of peak memory above two threads (~10-15 MB at eight); one shared
 * arena reuses them. The scan threads call malloc a few times per piece, so the
 * shared lock costs nothing measurable. Call before any thread starts. */
static PyObject *
share_malloc_arena(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
    return PyBool_FromLong(mallopt(M_ARENA_MAX, 1) == 1);
#else
    Py_RETURN_FALSE;
#endif
}

/* ------------------------------------------------------------------------ */
/* reserve_space                                                             */

#if defined(__linux__)
#include <fcntl.h> /* fallocate (_GNU_SOURCE: pyconfig.h) */
#endif

PyDoc_STRVAR(reserve_space_doc,
             "reserve_space(fd, offset, length, /)\n--\n\n"
             "Allocate the disk blocks of bytes [offset, offset + length) of the open file\n"
             "fd ahead of its writes (Linux fallocate(2), mode 0: a size below offset +\n"
             "length grows to it). True when done; False when the system or the file\n"
             "system cannot, or has no room (nothing is emulated by writing zeros, as\n"
             "posix_fallocate does). Without the GIL.");

/* nir csv's report is a new file written start to end: reserving its blocks in large
 * steps saves the file system allocating them page by page at write-back (see
 * nir._outfile). os.posix_fallocate would do, but glibc emulates it with a write per
 * block where the file system has no fallocate: twice the writes, not fewer. */
static PyObject *
reserve_space(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("reserve_space", nargs, 3)) {
        return NULL;
    }
    long fd = PyLong_AsLong(args[0]);
    long long offset = PyLong_AsLongLong(args[1]);
    long long length = PyLong_AsLongLong(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (fd < 0 || fd > INT_MAX || offset < 0 || length <= 0) {
        PyErr_SetString(PyExc_ValueError,
                        "reserve_space: fd and offset must be >= 0, length > 0");
        return NULL;
    }
#if defined(__linux__)
    int done;
    Py_BEGIN_ALLOW_THREADS
    done = fallocate((int)fd, 0, (off_t)offset, (off_t)length) == 0;
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(done);
#else
    Py_RETURN_FALSE;
#endif
}

PyDoc_STRVAR(deferred_stats_doc,
             "deferred_stats()\n--\n\n"
             "(scans of this process in their deferred turn now, stretches a scan went on to\n"
             "with its rows still deferred while another held the GIL for its own): for the\n"
             "tests.");

static PyObject *
deferred_stats(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(ignored))
{
#if SHARED_NAMES
    return Py_BuildValue("iL", __atomic_load_n(&deferred_turns, __ATOMIC_RELAXED),
                         __atomic_load_n(&carried_stretches, __ATOMIC_RELAXED));
#else
    return Py_BuildValue("iL", deferred_turns, carried_stretches); /* never counted: 0, 0 */
#endif
}

static PyMethodDef methods[] = {
    {"deferred_stats", (PyCFunction)deferred_stats, METH_NOARGS, deferred_stats_doc},
    {"share_malloc_arena", (PyCFunction)share_malloc_arena, METH_NOARGS, share_malloc_arena_doc},
    {"reserve_space", (PyCFunction)(void (*)(void))reserve_space, METH_FASTCALL,
     reserve_space_doc},
    {"keep_names", (PyCFunction)(void (*)(void))keep_names, METH_FASTCALL, keep_names_doc},
    {"configure", (PyCFunction)configure, METH_O, configure_doc},
    {"quick_valid", (PyCFunction)quick_valid, METH_O, quick_valid_doc},
    {"quick_number", (PyCFunction)quick_number, METH_O, quick_number_doc},
    {"date_cell", (PyCFunction)date_cell, METH_O, date_cell_doc},
    {"bind", (PyCFunction)(void (*)(void))bind, METH_FASTCALL, bind_doc},
    {"is_valid", (PyCFunction)(void (*)(void))entry_is_valid, METH_FASTCALL | METH_KEYWORDS,
     is_valid_doc},
    {"validate", (PyCFunction)(void (*)(void))entry_validate, METH_FASTCALL | METH_KEYWORDS,
     validate_doc},
    {"parse", (PyCFunction)(void (*)(void))entry_parse, METH_FASTCALL | METH_KEYWORDS, parse_doc},
    {"scan", (PyCFunction)(void (*)(void))scan, METH_FASTCALL, scan_doc},
    {"first_undecodable", (PyCFunction)(void (*)(void))first_undecodable, METH_FASTCALL,
     first_undecodable_doc},
    {"line_breaks", (PyCFunction)count_line_breaks, METH_O, line_breaks_doc},
    {"probe", (PyCFunction)(void (*)(void))probe, METH_FASTCALL, probe_doc},
    {"check_many", (PyCFunction)(void (*)(void))check_many, METH_FASTCALL, check_many_doc},
    {"verdict", (PyCFunction)(void (*)(void))verdict, METH_FASTCALL, verdict_doc},
    {"arrow_check", (PyCFunction)(void (*)(void))arrow_check, METH_FASTCALL, arrow_check_doc},
    {"sql_policy", (PyCFunction)(void (*)(void))sql_policy, METH_FASTCALL, sql_policy_doc},
    {"suggest_candidates", (PyCFunction)(void (*)(void))suggest_candidates, METH_FASTCALL,
     suggest_candidates_doc},
    {"dsn_scan", (PyCFunction)(void (*)(void))dsn_scan, METH_FASTCALL, dsn_scan_doc},
    {"sheet_csv", (PyCFunction)(void (*)(void))sheet_csv, METH_FASTCALL, sheet_csv_doc},
    {NULL, NULL, 0, NULL},
};

static int
module_exec(PyObject *Py_UNUSED(module))
{
    return PyType_Ready(&ScanOutputType);
}

static struct PyModuleDef_Slot slots[] = {
    {Py_mod_exec, module_exec},
#if PY_VERSION_HEX >= 0x030C0000
    /* Not in sub-interpreters: bind() keeps Python objects (the entry points'
     * fallbacks, nir.Nir) in static storage, shared by every interpreter. There
     * the import fails and nir._accel falls back to the pure-Python core. */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "nir._speedups",
    .m_doc = "Compiled twins of nir's hot paths (see each function's Python reference).",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    fill_suggest_tables(); /* once, before any thread can scan */
#if NIR_HAVE_ATFORK
    if (pthread_atfork(NULL, NULL, deferred_turns_forget) != 0) {
        return PyErr_NoMemory();
    }
#endif
    return PyModuleDef_Init(&module);
}

/* ------------------------------------------------------------------------ */
/* nir dsn: one chunk of a DSN (nir.dsn._scan_python is the reference).      */
/* A separate block: nothing above depends on it but the method table.       */

enum { DSN_SLOTS = 12, DSN_VALUES = 8 };

/* The slot of each field .001-.030 of S21.G00.30 in nir.dsn._BLOCK, and whether the
 * slot repeats (a run of rubrics nir.dsn skips) or holds one value (index in the tuple). */
static const signed char dsn_slot[31] = {-1, 0, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 6, 7,
                                         8,  8, 8, 9, 10, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11};
static const signed char dsn_value_of_slot[DSN_SLOTS] = {0, -1, 1, 2, 3, -1, 4, 5, -1, 6, 7, -1};

typedef struct {
    const char *start[DSN_VALUES];
    Py_ssize_t length[DSN_VALUES];
    long long line;
} DsnBlock;

/* True when s[0:n] (no line end) is RUBRIQUE,'value' as nir.dsn._BAD_LINE wants it,
 * and not an S21.G00.30 rubric outside .001-.030; sets *field (0: another block).
 * may_have_cr: 0 when the chunk holds no CR at all (then none to look for here). */
static int
dsn_line_ok(const char *s, Py_ssize_t n, int may_have_cr, int *field)
{
    if (n < 17 || s[n - 1] != '\'') {
        return 0;
    }
    /* Sdd.Gdd.dd.ddd,' spelled out: a loop over a pattern cost most of the scan */
    if (s[0] != 'S' || s[3] != '.' || s[4] != 'G' || s[7] != '.' || s[10] != '.' ||
        s[14] != ',' || s[15] != '\'') {
        return 0;
    }
#define DSN_DIGIT(i) ((unsigned)(s[i] - '0') <= 9)
    if (!(DSN_DIGIT(1) & DSN_DIGIT(2) & DSN_DIGIT(5) & DSN_DIGIT(6) & DSN_DIGIT(8) &
          DSN_DIGIT(9) & DSN_DIGIT(11) & DSN_DIGIT(12) & DSN_DIGIT(13))) {
        return 0;
    }
#undef DSN_DIGIT
    if (may_have_cr && memchr(s, '\r', (size_t)n) != NULL) {
        return 0;
    }
    *field = 0;
    if (memcmp(s, "S21.G00.30.", 11) == 0) {
        int f = (s[11] - '0') * 100 + (s[12] - '0') * 10 + (s[13] - '0');
        if (f < 1 || f > 30) {
            return 0;
        }
        *field = f;
    }
    return 1;
}

/* The settled case: a fast-valid NIR whose declared identity plainly agrees
 * (nir.dsn._settled is the reference, and says why each test is enough). */
static int
dsn_settled(const DsnBlock *b)
{
    unsigned char number[15];
    const char *nir = b->start[0];
    Py_ssize_t n = b->length[0];
    int expected, key;
    if (nir == NULL || (n != 13 && n != 15)) {
        return 0;
    }
    memcpy(number, nir, (size_t)n);
    if (n == 13) {
        number[13] = number[14] = '0';
        if (!plain_fields(number, 15, &expected, &key)) {
            return 0;
        }
        number[13] = (unsigned char)('0' + expected / 10);
        number[14] = (unsigned char)('0' + expected % 10);
    } else if (!fast_valid(number, 15)) {
        return 0;
    }
    /* .005: 01 a man, 02 a woman */
    Py_ssize_t sex_n = b->length[1];
    const char *sex = b->start[1];
    if (sex != NULL && sex_n > 0 &&
        !(sex_n == 2 && sex[0] == '0' && sex[1] == (char)number[0])) {
        return 0;
    }
    /* .006 DDMMYYYY: the same year digits and month */
    const char *born = b->start[2];
    if (born != NULL && b->length[2] > 0 &&
        !(b->length[2] == 8 && memcmp(born + 6, number + 1, 2) == 0 &&
          memcmp(born + 2, number + 3, 2) == 0)) {
        return 0;
    }
    const char *department = b->length[4] > 0 ? b->start[4] : NULL;
    const char *country = b->length[5] > 0 ? b->start[5] : NULL;
    int abroad = number[5] == '9' && number[6] == '9';
    if ((department != NULL && b->length[4] == 2 && memcmp(department, "99", 2) == 0) ||
        (country != NULL && !(b->length[5] == 2 && (country[0] | 0x20) == 'f' &&
                              (country[1] | 0x20) == 'r'))) {
        return abroad;
    }
    if (department == NULL) {
        return b->start[3] == NULL || b->length[3] == 0; /* a commune name: Python */
    }
    Py_ssize_t width = number[5] == '9' && (number[6] == '7' || number[6] == '8') ? 3 : 2;
    return b->length[4] == width && memcmp(department, number + 5, (size_t)width) == 0;
}

static PyObject *
dsn_value(const char *start, Py_ssize_t length)
{
    if (start == NULL) {
        Py_RETURN_NONE;
    }
    return PyBytes_FromStringAndSize(start, length);
}

/* Appends the block to rest unless it is settled (then counts it). */
static int
dsn_emit(const DsnBlock *b, PyObject *rest, Py_ssize_t *settled)
{
    if (dsn_settled(b)) {
        (*settled)++;
        return 0;
    }
    PyObject *item = PyTuple_New(1 + DSN_VALUES);
    if (item == NULL) {
        return -1;
    }
    PyObject *line = PyLong_FromLongLong(b->line);
    if (line == NULL) {
        Py_DECREF(item);
        return -1;
    }
    PyTuple_SET_ITEM(item, 0, line);
    for (int i = 0; i < DSN_VALUES; i++) {
        PyObject *value = dsn_value(b->start[i], b->length[i]);
        if (value == NULL) {
            Py_DECREF(item);
            return -1;
        }
        PyTuple_SET_ITEM(item, 1 + i, value);
    }
    int status = PyList_Append(rest, item);
    Py_DECREF(item);
    return status;
}

static PyObject *
dsn_scan_data(const char *data, Py_ssize_t size, long long first_line)
{
    PyObject *rest = PyList_New(0);
    if (rest == NULL) {
        return NULL;
    }
    Py_ssize_t settled = 0;
    DsnBlock block;
    int in_block = 0, slot = 0;
    long long line = first_line;
    int may_have_cr = memchr(data, '\r', (size_t)size) != NULL; /* none in a file with LF ends */
    for (Py_ssize_t at = 0; at < size; line++) {
        const char *end = memchr(data + at, '\n', (size_t)(size - at));
        Py_ssize_t stop = end == NULL ? size : end - data;
        Py_ssize_t n = stop - at;
        if (n > 0 && data[stop - 1] == '\r') {
            n--;
        }
        int field;
        if (!dsn_line_ok(data + at, n, may_have_cr, &field)) {
            Py_DECREF(rest);
            Py_RETURN_NONE; /* a line with a problem: Python says which */
        }
        if (field > 0) {
            int s = dsn_slot[field];
            int value = dsn_value_of_slot[s];
            if (!in_block || s < slot) {
                if (in_block && dsn_emit(&block, rest, &settled) < 0) {
                    Py_DECREF(rest);
                    return NULL;
                }
                memset(&block, 0, sizeof block);
                block.line = line;
                in_block = 1;
            }
            if (value >= 0) {
                block.start[value] = data + at + 16;
                block.length[value] = n - 17;
                slot = s + 1;
            } else {
                slot = s;
            }
        } else if (in_block) {
            in_block = 0;
            if (dsn_emit(&block, rest, &settled) < 0) {
                Py_DECREF(rest);
                return NULL;
            }
        }
        at = stop + 1;
    }
    if (in_block && dsn_emit(&block, rest, &settled) < 0) {
        Py_DECREF(rest);
        return NULL;
    }
    long long lines = line - first_line - (size > 0 && data[size - 1] != '\n'); /* line ends */
    return Py_BuildValue("(nNL)", settled, rest, lines);
}

static PyObject *
dsn_scan(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (!expect_arguments("dsn_scan", nargs, 2) || !check_configured()) {
        return NULL;
    }
    long long first_line = PyLong_AsLongLong(args[1]);
    if (first_line == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_buffer chunk;
    if (PyObject_GetBuffer(args[0], &chunk, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    PyObject *result = dsn_scan_data(chunk.buf, chunk.len, first_line);
    PyBuffer_Release(&chunk);
    return result;
}
