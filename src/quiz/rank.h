/* rank: the ranking order of a contest, as a list of keys, and the SQL
 * ORDER BY it makes (from fixed fragments only, never from input text). */
#ifndef CCHC_RANK_H
#define CCHC_RANK_H
#include <stddef.h>

typedef enum {
    RANK_SCORE_DESC = 0,
    RANK_PREDICTION_ERROR_ASC,
    RANK_SUBMITTED_AT_ASC,
    RANK_DURATION_ASC,
    RANK_KEYS
} rank_key;

#define RANK_MAX_KEYS RANK_KEYS

typedef struct rank_order {
    rank_key keys[RANK_MAX_KEYS];
    int n;
} rank_order;

/* The default: score desc, prediction error asc, submitted_at asc. */
void rank_default(rank_order *o);
/* "score_desc" ... -> key; -1 if unknown. */
int rank_key_from_name(const char *name);
const char *rank_key_name(rank_key k);
/* Writes the ORDER BY clause (without the words) for the results table
 * aliased r. With provisional set, the prediction key is left out (the
 * number it compares with is not known until the round closes). A final
 * r.attempt_id ASC makes the order total. */
void rank_order_sql(const rank_order *o, int provisional, char *out, size_t n);

#endif
