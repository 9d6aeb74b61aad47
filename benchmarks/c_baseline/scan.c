/*
 * scan.c - the "1-thread C" floor of the NIR benchmarks.
 *
 * What a careful engineer would hand-write in C for the same job as `nir csv
 * --only-invalid`: map the file, walk it once with a quote-aware CSV state machine,
 * compact the NIR cell (spaces, tabs, dots, hyphens, a leading apostrophe; a/b upper-
 * cased), check length 15 and the mod-97 key (2A read as 19, 2B as 18), and copy the
 * invalid records' original bytes, prefixed by their line number, to the output.
 *
 * It checks less than `nir` (no month, department or order rules), on purpose: it is
 * the speed floor, not a reference. Built by benchmarks/compare.py with `gcc -O2`.
 *
 * usage: scan INPUT OUTPUT [--column NAME|INDEX] [--delimiter C]
 * exit:  0 all valid, 1 some invalid, 2 usage or I/O error.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NIR_MAX 16 /* more compacted characters than this: invalid anyway */

/* Is the compacted cell a 15-character NIR with the right key? */
static int nir_ok(const char *s, size_t n)
{
    char digits[13];
    if (n != 15)
        return 0;
    for (size_t i = 0; i < 15; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            continue;
        if (i == 6 && s[5] == '2' && (s[6] == 'A' || s[6] == 'B'))
            continue;
        return 0;
    }
    memcpy(digits, s, 13);
    if (digits[6] == 'A' || digits[6] == 'B') { /* INSEE: 2A -> 19, 2B -> 18 */
        digits[6] = digits[6] == 'A' ? '9' : '8';
        digits[5] = '1';
    }
    uint64_t value = 0;
    for (int i = 0; i < 13; i++)
        value = value * 10 + (uint64_t)(digits[i] - '0');
    unsigned key = (unsigned)(s[13] - '0') * 10 + (unsigned)(s[14] - '0');
    return 97 - value % 97 == key;
}

/* Append one byte of the NIR cell to the compacted buffer. */
static inline void take(char c, char *buf, size_t *n)
{
    switch (c) {
    case ' ': case '\t': case '\r': case '.': case '-':
        return;
    case '\'':
        if (*n == 0)
            return; /* the spreadsheet "text" marker; anywhere else it is kept (invalid) */
        break;
    case 'a': case 'b':
        c = (char)(c - 'a' + 'A');
        break;
    }
    if (*n < NIR_MAX)
        buf[*n] = c;
    (*n)++;
}

/*
 * Parse one cell starting at p; stop at the delimiter or the end of the record.
 * When buf is set, the cell's characters go through take(). Counts line breaks.
 * Returns the position of the delimiter / '\n' / end.
 */
static inline const char *cell(const char *p, const char *end, char delim, char *buf, size_t *n,
                        uint64_t *line)
{
    if (p < end && *p == '"') {
        p++;
        for (;;) {
            if (p >= end)
                return end;
            char c = *p++;
            if (c == '"') {
                if (p < end && *p == '"') { /* escaped quote */
                    if (buf)
                        take('"', buf, n);
                    p++;
                    continue;
                }
                break; /* closing quote: the rest of the cell is taken as is */
            }
            if (c == '\n')
                (*line)++;
            if (buf)
                take(c, buf, n);
        }
    }
    if (buf) {
        while (p < end && *p != delim && *p != '\n')
            take(*p++, buf, n);
    } else {
        while (p < end && *p != delim && *p != '\n')
            p++;
    }
    return p;
}

int main(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *column = "nir";
    char delim = ';';
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--column") && i + 1 < argc)
            column = argv[++i];
        else if (!strcmp(argv[i], "--delimiter") && i + 1 < argc)
            delim = strcmp(argv[++i], "\\t") ? argv[i][0] : '\t';
        else if (!input)
            input = argv[i];
        else if (!output)
            output = argv[i];
        else
            input = NULL, i = argc;
    }
    if (!input || !output) {
        fprintf(stderr, "usage: scan INPUT OUTPUT [--column NAME|INDEX] [--delimiter C]\n");
        return 2;
    }

    int fd = open(input, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        perror(input);
        return 2;
    }
    size_t size = (size_t)st.st_size;
    const char *data = "";
    if (size) {
        int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
        flags |= MAP_POPULATE; /* the page tables filled at once, not one fault at a time */
#endif
        void *map = mmap(NULL, size, PROT_READ, flags, fd, 0);
        if (map == MAP_FAILED) {
            perror("mmap");
            return 2;
        }
        madvise(map, size, MADV_SEQUENTIAL);
        data = map;
    }
    const char *p = data, *end = data + size;
    if (size >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3; /* UTF-8 byte-order mark */

    FILE *out = fopen(output, "wb");
    if (!out) {
        perror(output);
        return 2;
    }
    setvbuf(out, NULL, _IOFBF, 1 << 20);

    /* Header: find the column by name (or take a number as a 0-based index). */
    uint64_t line = 1;
    long target = -1;
    const char *head = p;
    char *stop;
    long index = strtol(column, &stop, 10);
    for (long field = 0;; field++) {
        char name[256];
        size_t n = 0;
        const char *start = p, *q = cell(p, end, delim, NULL, &n, &line);
        /* the name, unquoted and without a trailing '\r' */
        size_t len = (size_t)(q - start);
        if (len && start[len - 1] == '\r')
            len--;
        if (len >= 2 && start[0] == '"')
            start++, len -= 2;
        if (len < sizeof name) {
            memcpy(name, start, len);
            name[len] = 0;
            if (target < 0 && !strcmp(name, column))
                target = field;
        }
        p = q;
        if (p >= end || *p == '\n')
            break;
        p++;
    }
    if (target < 0 && *column && !*stop)
        target = index;
    if (target < 0) {
        fprintf(stderr, "scan: no column %s in the header\n", column);
        return 2;
    }
    if (p < end)
        p++; /* the header's '\n' */
    fprintf(out, "line%c", delim);
    fwrite(head, 1, (size_t)(p - head), out);

    uint64_t rows = 0, invalid = 0;
    while (p < end) {
        const char *start = p;
        uint64_t first_line = ++line;
        char buf[NIR_MAX];
        size_t n = 0;
        int found = 0, ok = 0;
        for (long field = 0;; field++) {
            if (field == target) {
                const char *q = p;
                while (q < end && *q != delim && *q != '\n' && *q != '"')
                    q++;
                if (q - p == 15 && (q == end || *q != '"') && nir_ok(p, 15)) {
                    ok = 1; /* the usual cell: 15 characters as they should be */
                    p = q;
                } else {
                    p = cell(p, end, delim, buf, &n, &line);
                }
                found = 1;
                /* the fields after it matter only for where the record ends: without a
                 * quote before the next '\n', it ends there */
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *stretch = nl ? nl : end;
                if (!memchr(p, '"', (size_t)(stretch - p))) {
                    p = stretch;
                    break;
                }
            } else {
                p = cell(p, end, delim, NULL, &n, &line);
            }
            if (p >= end || *p == '\n')
                break;
            p++; /* the delimiter */
        }
        if (p < end)
            p++; /* the record's '\n' */
        rows++;
        if (!found || (!ok && !nir_ok(buf, n))) {
            invalid++;
            fprintf(out, "%llu%c", (unsigned long long)first_line, delim);
            fwrite(start, 1, (size_t)(p - start), out);
            if (p[-1] != '\n')
                fputc('\n', out);
        }
    }
    if (fclose(out) != 0) {
        perror(output);
        return 2;
    }
    fprintf(stderr, "%llu rows, %llu invalid\n", (unsigned long long)rows,
            (unsigned long long)invalid);
    return invalid ? 1 : 0;
}
