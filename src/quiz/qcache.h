/* qcache: question text and options, JSON-escaped once and kept in memory.
 * A question's text never changes once stored (a corrected bank is a new
 * version with new rows; regrading touches only keys), so entries live for
 * the whole process. Thread-safe. */
#ifndef CCHC_QCACHE_H
#define CCHC_QCACHE_H
#include <stdint.h>

#include "db/db.h"
#include "quiz/items.h"
#include "util/buf.h"

typedef struct qc_entry {
    char *text_json;                      /* "\"...\"" */
    char *opt_json[ITEM_OPTIONS_MAX];     /* each "\"...\"" */
    size_t opt_len[ITEM_OPTIONS_MAX];
    char *head;                           /* {"id":N,"text":"...","options":[ */
    size_t head_len;
    int nopt;
    int multi;
} qc_entry;

/* The entry for qid, loaded through c on a miss; NULL if there is no such question. */
const qc_entry *qcache_get(db_conn *c, int64_t qid);

/* Appends the question as the paper shows it, options in the order of it:
 * {"id":N,"text":"...","options":[...],"multi":false
 * without the closing brace, so that callers may add fields. */
int qcache_put(buf *out, const qc_entry *q, const attempt_item *it);

#endif
