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

#endif
