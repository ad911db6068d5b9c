/* stats: question statistics of a round, as Moodle's quiz statistics define
 * them, over the finished attempts of participants not disqualified:
 *   facility index       100 × mean score on the question (0–1 per attempt);
 *   discrimination index 100 × cov(x, r) / sqrt(var x · var r), x the
 *                        question's score and r the rest of the attempt's
 *                        score (its other questions);
 *   how often each option was chosen (mapped back from each attempt's
 *   displayed order to the bank's order through its permutation), overall
 *   and by the top group (the best 27 % of attempts by score);
 * and flags: "wrong_key" (a distractor chosen more often than the key by the
 * top group), "too_easy" (facility ≥ 95), "too_hard" (≤ 5),
 * "negative_discrimination". Scores use the questions' current keys. */
#ifndef CCHC_STATS_H
#define CCHC_STATS_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

#define STATS_TOP_FRACTION 0.27
#define STATS_EASY 95.0
#define STATS_HARD 5.0
#define STATS_MIN_N 10  /* fewer attempts: no discrimination flag */
#define STATS_MIN_TOP 3 /* fewer in the top group: no wrong-key flag */

/* Running sums for one question: x the question's score, y the rest. */
typedef struct stat_acc {
    double n, sx, sxx, sy, syy, sxy;
} stat_acc;

void stat_add(stat_acc *a, double x, double y);
/* 100 × mean(x); 0 when n = 0. */
double stat_facility(const stat_acc *a);
/* The discrimination index; *defined is 0 (and 0 returned) when a variance
 * is zero or n < 2. */
double stat_discrimination(const stat_acc *a, int *defined);

/* Parses a stored answers object ({"qid": 2, "qid": [0, 2], ...}) into qids
 * and displayed-option masks. Returns the count (at most max), or -1. */
int stats_parse_answers(const char *s, int64_t *qids, unsigned *masks, int max);

/* Statistics of every question of round_id: a new JSON object
 * {"round_id", "attempts", "top_group", "questions": [...]}, or NULL with e. */
json_t *stats_round(db_conn *c, int64_t round_id, app_err *e);

#endif
