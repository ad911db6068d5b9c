/* attempt: starting, resuming, saving, submitting and finalising attempts,
 * and the settling of closed rounds. The clock is the server's: an attempt's
 * deadline is min(start + duration, round close); past deadline + grace
 * nothing changes it any more, and the writer's tick finalises attempts left
 * open with their saved answers.
 *
 * Functions that write take the writer's connection and run inside its
 * batch transaction. Output JSON goes to a buf the caller owns. */
#ifndef CCHC_ATTEMPT_H
#define CCHC_ATTEMPT_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "http/http.h"
#include "util/buf.h"
#include "util/err.h"

enum { ATTEMPT_OPEN = 0, ATTEMPT_SUBMITTED = 1, ATTEMPT_EXPIRED = 2 };

/* POST /api/rounds/{id}/attempts: starts one or returns the open one.
 * *created is 1 when a new attempt was made. 0, or -1 with e filled. */
int attempt_start(db_conn *c, const participant_auth *who, int64_t round_id, int64_t now,
                  int *created, buf *out, app_err *e);
/* GET /api/attempts/{id} (read-only). */
int attempt_view(db_conn *c, const participant_auth *who, int64_t attempt_id, int64_t now,
                 buf *out, app_err *e);
/* PUT /api/attempts/{id}/answers: body {answers?, prediction?}. */
int attempt_save(db_conn *c, const participant_auth *who, int64_t attempt_id, json_t *body,
                 int64_t now, buf *out, app_err *e);
/* POST /api/attempts/{id}/submit. A late submit returns -1 with 409 late and
 * still writes the result (finalised from saved answers) into out. */
int attempt_submit(db_conn *c, const participant_auth *who, int64_t attempt_id, json_t *body,
                   int64_t now, buf *out, app_err *e);
/* GET /api/attempts/{id}/review. */
int attempt_review(db_conn *c, const participant_auth *who, int64_t attempt_id, int64_t now,
                   buf *out, app_err *e);
/* The writer's periodic work: finalise expired attempts, settle closed rounds. */
void attempt_tick(db_conn *c, int64_t now);
/* Checks the shape of an answers object without the attempt (for early 400s). */
int attempt_check_body(json_t *body, app_err *e);

/* Starts, saves and submits in two steps, so that the single writer does
 * only the writing. *_prepare runs on an HTTP thread with its reader: it
 * checks, draws or merges and scores (from quiz/gencache.c), and returns
 *   -1  refused: e is filled (a late submit also fills out, as above);
 *    0  answered without a write: out holds the reply (200), e.g. a second
 *       submit, or a start that resumes the open attempt;
 *    1  *plan is set: hand it to the writer's *_commit.
 * *_commit runs in the writer's batch: it writes the plan only if what it was
 * made from still holds (the attempt unchanged, the quiz generation the same),
 * else it does the whole operation itself as the one-step functions above
 * do, so the outcome is always that of an operation made at the plan's
 * arrival time. c may be NULL in *_prepare (no reader): the plan is then the
 * whole operation. */
typedef struct attempt_plan attempt_plan;
void attempt_plan_free(attempt_plan *p);

int attempt_start_prepare(db_conn *c, const participant_auth *who, int64_t round_id,
                          int64_t now, attempt_plan **plan, buf *out, app_err *e);
/* Returns 1 when it made the planned attempt: render it with
 * attempt_plan_render once committed (from any thread, with a reader);
 * 0 when it did the whole start and out holds the reply; -1 with e. */
int attempt_start_commit(db_conn *c, attempt_plan *p, const participant_auth *who,
                         int *created, buf *out, app_err *e);
int attempt_plan_render(db_conn *c, const attempt_plan *p, buf *out);

int attempt_save_prepare(db_conn *c, const participant_auth *who, int64_t attempt_id,
                         json_t *body, int64_t now, attempt_plan **plan, buf *out, app_err *e);
int attempt_save_commit(db_conn *c, attempt_plan *p, const participant_auth *who, json_t *body,
                        buf *out, app_err *e);

int attempt_submit_prepare(db_conn *c, const participant_auth *who, int64_t attempt_id,
                           json_t *body, int64_t now, attempt_plan **plan, buf *out, app_err *e);
int attempt_submit_commit(db_conn *c, attempt_plan *p, const participant_auth *who,
                          json_t *body, buf *out, app_err *e);

#endif
