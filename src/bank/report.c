/* bank/report.c - diagnostics list; see report.h. */
#include "bank/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

struct bank_report {
    bank_report_entry *entries;
    size_t nentries;
    size_t cap;
    size_t nerrors;
    size_t nwarnings;
    char **files; /* every file name ever set; entries point into these */
    size_t nfiles;
    const char *file; /* current file name, one of files[] or NULL */
};

bank_report *bank_report_new(void)
{
    return calloc(1, sizeof(bank_report));
}

void bank_report_free(bank_report *rep)
{
    size_t i;

    if (rep == NULL)
        return;
    for (i = 0; i < rep->nentries; i++)
        free((char *)rep->entries[i].message);
    for (i = 0; i < rep->nfiles; i++)
        free(rep->files[i]);
    free(rep->entries);
    free(rep->files);
    free(rep);
}

int bank_report_set_file(bank_report *rep, const char *file)
{
    char *copy = NULL;
    char **files;

    rep->file = NULL;
    if (file == NULL)
        return 0;
    if (rep->nfiles > 0 && strcmp(rep->files[rep->nfiles - 1], file) == 0) {
        rep->file = rep->files[rep->nfiles - 1];
        return 0;
    }
    copy = strdup(file);
    if (copy == NULL)
        goto fail;
    files = realloc(rep->files, (rep->nfiles + 1) * sizeof(*files));
    if (files == NULL)
        goto fail;
    rep->files = files;
    rep->files[rep->nfiles++] = copy;
    rep->file = copy;
    return 0;
fail:
    free(copy);
    return -1;
}

/* Makes msg one line of valid UTF-8 (it may quote user bytes, e.g. jansson's "near"
 * text, cut in the middle of a character): invalid bytes and control characters become
 * '?'. */
static void sanitize(char *msg)
{
    size_t len = strlen(msg);
    size_t off = 0;
    size_t i;

    while (off < len) {
        size_t bad;

        if (text_utf8_validate(msg + off, len - off, &bad) == 0)
            break;
        msg[off + bad] = '?';
        off += bad + 1;
    }
    for (i = 0; i < len; i++) {
        if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7F)
            msg[i] = '?';
    }
}

size_t bank_utf8_prefix(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    size_t start;

    if (n < max || s[n] == '\0' || ((unsigned char)s[n] & 0xC0) != 0x80)
        return n; /* all of s, or the cut falls before a lead byte */
    /* the cut falls inside a character: drop its first bytes */
    start = n;
    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && (unsigned char)s[start - 1] >= 0xC0)
        start--;
    return start;
}

int bank_report_add(bank_report *rep, int line, int col, bank_severity sev, const char *fmt,
                    ...)
{
    va_list ap;
    char *msg = NULL;
    int n;

    if (sev == BANK_SEV_ERROR)
        rep->nerrors++;
    else
        rep->nwarnings++;
    if (rep->nentries >= BANK_REPORT_MAX_ENTRIES)
        return 0;
    if (rep->nentries == rep->cap) {
        size_t cap = rep->cap ? rep->cap * 2 : 16;
        bank_report_entry *e = realloc(rep->entries, cap * sizeof(*e));
        if (e == NULL)
            goto fail;
        rep->entries = e;
        rep->cap = cap;
    }
    va_start(ap, fmt);
    n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0) {
        msg = NULL;
        goto fail;
    }
    sanitize(msg);
    rep->entries[rep->nentries].file = rep->file;
    rep->entries[rep->nentries].line = line > 0 ? line : 0;
    rep->entries[rep->nentries].col = (line > 0 && col > 0) ? col : 0;
    rep->entries[rep->nentries].severity = sev;
    rep->entries[rep->nentries].message = msg;
    rep->nentries++;
    return 0;
fail:
    free(msg);
    return -1;
}

size_t bank_report_errors(const bank_report *rep)
{
    return rep->nerrors;
}

size_t bank_report_warnings(const bank_report *rep)
{
    return rep->nwarnings;
}

size_t bank_report_count(const bank_report *rep)
{
    return rep->nentries;
}

const bank_report_entry *bank_report_get(const bank_report *rep, size_t i)
{
    if (i >= rep->nentries)
        return NULL;
    return &rep->entries[i];
}

struct sort_item {
    bank_report_entry e;
    size_t seq;
};

static int cmp_items(const void *a, const void *b)
{
    const struct sort_item *x = a;
    const struct sort_item *y = b;

    if (x->e.line != y->e.line)
        return x->e.line < y->e.line ? -1 : 1;
    if (x->e.col != y->e.col)
        return x->e.col < y->e.col ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return 0;
}

void bank_report_sort(bank_report *rep, size_t first)
{
    struct sort_item *items = NULL;
    size_t n;
    size_t i;

    if (first >= rep->nentries)
        return;
    n = rep->nentries - first;
    items = malloc(n * sizeof(*items));
    if (items == NULL)
        return; /* unsorted is still correct */
    for (i = 0; i < n; i++) {
        items[i].e = rep->entries[first + i];
        items[i].seq = i;
    }
    qsort(items, n, sizeof(*items), cmp_items);
    for (i = 0; i < n; i++)
        rep->entries[first + i] = items[i].e;
    free(items);
}

const char *bank_severity_name(bank_severity sev)
{
    return sev == BANK_SEV_ERROR ? "error" : "warning";
}

void bank_report_print(const bank_report *rep, FILE *out)
{
    size_t i;
    size_t dropped = rep->nerrors + rep->nwarnings - rep->nentries;

    for (i = 0; i < rep->nentries; i++) {
        const bank_report_entry *e = &rep->entries[i];

        if (e->file != NULL)
            fprintf(out, "%s:", e->file);
        if (e->line > 0)
            fprintf(out, "%d:", e->line);
        if (e->col > 0)
            fprintf(out, "%d:", e->col);
        if (e->file != NULL || e->line > 0)
            fputc(' ', out);
        fprintf(out, "%s: %s\n", bank_severity_name(e->severity), e->message);
    }
    if (dropped > 0)
        fprintf(out, "(%zu more diagnostics not shown)\n", dropped);
}

json_t *bank_report_to_json(const bank_report *rep)
{
    json_t *arr = json_array();
    size_t i;

    if (arr == NULL)
        goto fail;
    for (i = 0; i < rep->nentries; i++) {
        const bank_report_entry *e = &rep->entries[i];
        json_t *o = json_pack("{s:i, s:i, s:s, s:s}", "line", e->line, "col", e->col,
                              "severity", bank_severity_name(e->severity), "message",
                              e->message);

        if (o == NULL)
            goto fail;
        if (json_array_append_new(arr, o) != 0)
            goto fail;
    }
    return arr;
fail:
    json_decref(arr);
    return NULL;
}
