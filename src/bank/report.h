/* bank/report.h - a list of diagnostics (errors and warnings) found while reading a
 * question bank, shared by every import format (native JSON, GIFT, Aiken, CSV, Moodle XML).
 *
 * Each entry carries the file name, a 1-based line and column (0 when unknown), a
 * severity and a message. Lines and columns follow the convention of the parser that
 * produced them; the native JSON parser counts columns in Unicode characters (see
 * util/jsonpos.h).
 *
 * A report keeps counting after it stops storing: at most BANK_REPORT_MAX_ENTRIES
 * entries are kept, the counts include every entry added. If storing an entry fails for
 * lack of memory, the counts still include it, so an error is never lost from the
 * counts.
 */
#ifndef CCHC_BANK_REPORT_H
#define CCHC_BANK_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#define BANK_REPORT_MAX_ENTRIES 10000

typedef enum { BANK_SEV_ERROR = 0, BANK_SEV_WARNING = 1 } bank_severity;

typedef struct {
    const char *file; /* may be NULL; owned by the report */
    int line;         /* 1-based, 0 = no position */
    int col;          /* 1-based, 0 = no column */
    bank_severity severity;
    const char *message; /* owned by the report */
} bank_report_entry;

typedef struct bank_report bank_report;

/* Returns a new empty report (caller frees with bank_report_free), NULL when out of
 * memory. */
bank_report *bank_report_new(void);

/* Frees the report and all its entries. NULL is allowed. */
void bank_report_free(bank_report *rep);

/* Sets the file name used for the entries added from now on (copied; NULL clears).
 * Returns 0, or -1 when out of memory (the name is then cleared). */
int bank_report_set_file(bank_report *rep, const char *file);

/* Adds a diagnostic at line:col (0 for unknown). The message is formatted with printf
 * rules, then made one line of valid UTF-8 (invalid bytes and control characters become
 * '?'). Returns 0, or -1 when the entry could not be stored for lack of memory; it is
 * counted all the same (as are entries past BANK_REPORT_MAX_ENTRIES, which are not
 * stored either). */
int bank_report_add(bank_report *rep, int line, int col, bank_severity sev, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

/* Returns the length in bytes of the longest prefix of s that is at most max bytes and
 * does not end inside a UTF-8 character (for "%.*s" in a message, or to cut a message
 * written into a fixed buffer): messages are Vietnamese, so most characters are more
 * than one byte. */
size_t bank_utf8_prefix(const char *s, size_t max);

/* Number of errors / warnings added so far (stored or not). */
size_t bank_report_errors(const bank_report *rep);
size_t bank_report_warnings(const bank_report *rep);

/* Number of stored entries and the i-th of them (in the order added). The entry stays
 * valid until the report is freed. Returns NULL when i is out of range. */
size_t bank_report_count(const bank_report *rep);
const bank_report_entry *bank_report_get(const bank_report *rep, size_t i);

/* Sorts the stored entries from index first on by line, then column (stable: entries at
 * the same position keep their order; entries without a line come first). A parser
 * calls it with the count it saw on entry so that its diagnostics read in file order. */
void bank_report_sort(bank_report *rep, size_t first);

/* Returns the name of a severity: "error" or "warning". */
const char *bank_severity_name(bank_severity sev);

/* Prints one line per entry, "FILE:LINE:COL: error: message" (the parts that are unknown
 * are left out), then a line saying how many were not stored, if any. */
void bank_report_print(const bank_report *rep, FILE *out);

/* Returns a new JSON array of {"line","col","severity","message"} objects, one per
 * stored entry (caller owns the reference), NULL when out of memory. */
json_t *bank_report_to_json(const bank_report *rep);

#endif
