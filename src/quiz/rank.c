#include "quiz/rank.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    const char *sql;
} keys[RANK_KEYS] = {
    {"score_desc", "r.score DESC"},
    {"prediction_error_asc", "(r.prediction_error IS NULL) ASC, r.prediction_error ASC"},
    {"submitted_at_asc", "r.submitted_at ASC"},
    {"duration_asc", "r.duration_ms ASC"},
};

void rank_default(rank_order *o)
{
    o->keys[0] = RANK_SCORE_DESC;
    o->keys[1] = RANK_PREDICTION_ERROR_ASC;
    o->keys[2] = RANK_SUBMITTED_AT_ASC;
    o->n = 3;
}

int rank_key_from_name(const char *name)
{
    for (int i = 0; i < RANK_KEYS; i++)
        if (strcmp(name, keys[i].name) == 0)
            return i;
    return -1;
}

const char *rank_key_name(rank_key k)
{
    return keys[k].name;
}

void rank_order_sql(const rank_order *o, int provisional, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < o->n; i++) {
        if (provisional && o->keys[i] == RANK_PREDICTION_ERROR_ASC)
            continue;
        len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", len ? ", " : "",
                                keys[o->keys[i]].sql);
    }
    snprintf(out + len, len < n ? n - len : 0, "%sr.attempt_id ASC", len ? ", " : "");
}
