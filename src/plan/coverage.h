/* plan/coverage: which content items of a plan (each document it names, each
 * reform area, each focus topic) the question banks cover.
 *
 * A question covers an item when one of its tags equals one of the item's
 * match.tags, when its source.document contains one of the item's
 * match.documents, or when its category is one of the item's match.categories.
 * Comparisons are on folded text (NFC, case-folded); tags also treat runs of
 * spaces, '_' and '-' alike ("PAR INDEX" = "par-index"). A document pattern
 * must stand as a whole word at both ends ("74/QĐ-UBND" is not found in
 * "6574/QĐ-UBND"). Only the newest version of each bank counts, without voided
 * questions. */
#ifndef CCHC_PLAN_COVERAGE_H
#define CCHC_PLAN_COVERAGE_H
#include <jansson.h>

#include "db/db.h"
#include "util/err.h"

typedef struct plan_matcher plan_matcher;

/* A matcher for the plan's "content" array (borrowed for the matcher's life).
 * NULL when out of memory. */
plan_matcher *plan_matcher_new(json_t *content);
void plan_matcher_free(plan_matcher *m);
/* Counts one question. tags_json is the stored JSON array of tags (may be NULL). */
void plan_matcher_add(plan_matcher *m, const char *category, const char *source_document,
                      const char *tags_json);
/* {"questions", "items":[{"id","kind","title","questions"}], "uncovered":[ids]} (new). */
json_t *plan_matcher_result(const plan_matcher *m);

/* The tag as compared (caller frees); NULL on invalid UTF-8. */
char *plan_norm_tag(const char *s);

/* Coverage of the content items against every stored bank. NULL with e. */
json_t *plan_coverage(db_conn *c, json_t *content, app_err *e);

#endif
