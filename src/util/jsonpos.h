/* util/jsonpos.h - where each value of a JSON text starts, by JSON path.
 *
 * jansson reports a line and column only for syntax errors. jsonpos walks the same text
 * once (after jansson has accepted it) and records, for every value, its path and the
 * position of its first character, so that semantic errors can name a line and column:
 * "bank.json:57:18: error: questions[3].correct: ...".
 *
 * Positions are 1-based. Lines are counted by LF, so LF and CRLF files give the same
 * line numbers (a lone CR is not a line break, as in jansson). Columns are counted in
 * Unicode characters: every byte that is not a UTF-8 continuation byte (10xxxxxx) counts
 * one, TAB and CR included. This is jansson's own rule for json_error_t.column, so the
 * positions of syntax and semantic errors agree. A UTF-8 BOM would count as a column:
 * strip it before building the index.
 *
 * Paths: "" is the root value; object members are named by their key, array elements
 * by a 0-based index in brackets, joined with dots: "questions[3].options[0]", "id",
 * "[2].name" (root array). Keys are matched after decoding JSON escapes; a key that
 * contains '.' or '[' cannot be named in a path. When an object has the same key twice,
 * the first one is found.
 *
 * The scanner is iterative (no recursion: any nesting depth is fine), linear in the
 * input, and never reads outside buf[0..len). It is lenient: it only needs balanced
 * brackets and terminated strings, and it ignores what follows the root value.
 */
#ifndef CCHC_UTIL_JSONPOS_H
#define CCHC_UTIL_JSONPOS_H

#include <stddef.h>

typedef struct jsonpos_index jsonpos_index;

/* Scans buf[0..len) (need not be NUL-terminated; not used after the call) and returns a
 * new index (caller frees with jsonpos_free). Returns NULL when the text is not a JSON
 * value in shape (unbalanced brackets, unterminated string, stray character), when len
 * is 2 GiB or more, or when out of memory. */
jsonpos_index *jsonpos_build(const char *buf, size_t len);

/* Frees the index. NULL is allowed. */
void jsonpos_free(jsonpos_index *ix);

/* Number of values recorded (the root included). */
size_t jsonpos_count(const jsonpos_index *ix);

/* Finds the value at path and stores the line and column of its first character.
 * Returns 0, or -1 when there is no such value or the path is malformed (then *line and
 * *col are left alone). ix may be NULL (always -1). */
int jsonpos_lookup(const jsonpos_index *ix, const char *path, int *line, int *col);

/* Like jsonpos_lookup, but for an object member gives the position of its key (the
 * opening quote); for an array element or the root, the position of the value. */
int jsonpos_lookup_key(const jsonpos_index *ix, const char *path, int *line, int *col);

/* Line and column of buf[offset] by the rule above (offset may equal len: the position
 * just after the text). Scans buf[0..offset). */
void jsonpos_linecol(const char *buf, size_t len, size_t offset, int *line, int *col);

#endif
