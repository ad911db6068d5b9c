/* quiz/regrade: correcting a question's key (or voiding it) after people have answered
 * it, and re-scoring everything that depends on it.
 *
 * regrade_run sets the new keys, re-scores every final attempt that contains one of the
 * questions (all of its questions against the keys as they now are, the scoring rule of
 * quiz/score.h, the contest's points per question), recomputes for each participant
 * whose attempt changed the attempt that counts in that round (best: highest score,
 * then the earliest attempt; last: the latest attempt) into the results table and the
 * pre-freeze copy, and for a settled round the number of perfect scores and everyone's
 * prediction error. The leaderboards read those tables, so they follow.
 *
 * All of it happens inside one SAVEPOINT on the caller's connection (the writer's while
 * serving): a dry run does the same work, measures it, and rolls it back, so that what
 * it reports is exactly what confirming would do at that moment. A real run writes one
 * audit entry (who, when, which questions from what to what, how many attempts and
 * results changed). Open attempts need nothing: they are scored when they end, with the
 * keys of that moment.
 */
#ifndef CCHC_REGRADE_H
#define CCHC_REGRADE_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

#define REGRADE_MAX_CHANGES 5000
#define REGRADE_MOVES_SHOWN 200 /* rank moves listed per round (all are counted) */

typedef struct regrade_change {
    int64_t question_id; /* questions.id */
    unsigned key;        /* the correct options, bit i = option i as stored */
    int void_it;         /* 1: void the question (everyone gets the point); key unused */
} regrade_change;

/* Runs (or with dry_run, measures and rolls back) the changes with c. actor names who
 * asked (audit); reason may be NULL. Returns a new JSON report (caller owns):
 *   {"dry_run", "questions": [{"question_id", "bank_id", "bank_version", "qkey",
 *     "old": {"key": [..], "voided"}, "new": {...}}], "attempts_examined",
 *    "attempts_changed", "results_changed", "rounds": [{"round_id", "round", "title",
 *    "settled", "attempts_changed", "results_changed", "perfect_count": {"old", "new"},
 *    "moves_total", "moves": [{"participant_id", "name", "unit", "old_rank", "new_rank",
 *    "old_score", "new_score"}]}]}
 * or NULL with e filled (400 for a bad change, 404 for an unknown question, 503). */
json_t *regrade_run(db_conn *c, const regrade_change *changes, int n, const char *actor,
                    const char *reason, int dry_run, app_err *e);

/* The key corrections that version `version` (0: the newest) of bank bank_key brings
 * to its earlier versions: each earlier question with the same id (or, failing that,
 * the same text) whose text and options are the same but whose key differs. Fills a new
 * array in *out (caller frees) and its length in *n; *notes (caller owns) lists the
 * questions that changed otherwise and are not regraded. 0, or -1 with e filled. */
int regrade_changes_from_version(db_conn *c, const char *bank_key, int version,
                                 regrade_change **out, int *n, json_t **notes, app_err *e);

/* Parses a key as given by a person: "B", "A,C", "1", "0,2" (0-based indices) or a JSON
 * integer or array of integers. Letters are A..F. Returns the mask (bit i = option i),
 * or 0 when malformed. */
unsigned regrade_parse_key(const char *s);

#endif
