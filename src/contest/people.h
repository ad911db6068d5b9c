/* people: the organiser's side of participants, for complaints and data
 * requests: search, a participant's attempts, extending or reopening one
 * attempt, disqualification, export and erasure of personal data. Every
 * change writes an audit entry with its reason and the values before and
 * after; audit entries never carry a phone, CCCD or e-mail.
 *
 * Read functions take a reader connection and return a new JSON value (or
 * NULL with e). Write functions run in the writer's batch transaction (c is
 * the writer's connection) and return 0, or -1 with e (the job is then
 * rolled back); *out receives the reply body (caller frees). */
#ifndef CCHC_PEOPLE_H
#define CCHC_PEOPLE_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

#define PEOPLE_ERASED_NAME "Người dự thi đã xóa dữ liệu"

/* Participants of contest_id matching q: a phone number (any usual form), a
 * CCCD, a participant id ("#123") or part of a name. */
json_t *people_search(db_conn *c, int64_t contest_id, const char *q, int limit, app_err *e);
/* One participant with unit, status, attempts and results (organiser view:
 * phone, CCCD and e-mail included). */
json_t *people_get(db_conn *c, int64_t id, app_err *e);
/* Everything stored about one participant, for a data-subject request. */
json_t *people_export(db_conn *c, int64_t id, app_err *e);

/* Disqualifies (on = 1) or reinstates (on = 0) a participant. Rounds of the
 * contest in which the participant has a result lose their publication
 * (the judges publish again). */
int people_disqualify(db_conn *c, int64_t id, int on, const char *reason, const char *actor,
                      int64_t now, json_t **out, app_err *e);
/* Erases the personal data of a participant (name, phone, CCCD, e-mail,
 * address; tokens; certificates are revoked) and keeps the anonymous results
 * so that rankings stay as they were. */
int people_erase(db_conn *c, int64_t id, const char *reason, const char *actor, int64_t now,
                 json_t **out, app_err *e);
/* Gives an attempt a new deadline: extend (reopen = 0) an open attempt, or
 * reopen (reopen = 1) a finished one with its saved answers (the round's
 * tie-break is settled again when it is over). */
int people_attempt_deadline(db_conn *c, int64_t attempt_id, int64_t deadline, int reopen,
                            const char *reason, const char *actor, int64_t now, json_t **out,
                            app_err *e);

#endif
