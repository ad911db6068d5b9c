/* qcache: question text and options, JSON-escaped once and kept in memory.
 * A question's text never changes once stored (a corrected bank is a new
 * version with new rows; regrading touches only keys), so entries live for
 * the whole process. Thread-safe. */
#ifndef CCHC_QCACHE_H
#define CCHC_QCACHE_H
#include <stdint.h>

#include "db/db.h"
#include "quiz/items.h"

typedef struct qc_entry {
    char *text_json;                      /* "\"...\"" */
    char *opt_json[ITEM_OPTIONS_MAX];     /* each "\"...\"" */
    int nopt;
    int multi;
} qc_entry;

/* The entry for qid, loaded through c on a miss; NULL if there is no such question. */
const qc_entry *qcache_get(db_conn *c, int64_t qid);

#endif
