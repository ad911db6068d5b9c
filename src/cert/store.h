/* cert/store: certificates in the database: who may have one, issuing
 * (number, signature, row), finding, listing and revoking them, and turning
 * a stored certificate into a page to render.
 *
 * One certificate per participant and round, for their counted result
 * (results.attempt_id). Functions that write take the writer's connection
 * and run inside its transaction (or the CLI's). */
#ifndef CCHC_CERT_STORE_H
#define CCHC_CERT_STORE_H
#include <stdint.h>

#include "cert/fields.h"
#include "cert/render.h"
#include "cert/sign.h"
#include "db/db.h"
#include "http/http.h"
#include "util/err.h"

/* revoked_by of a certificate replaced because the counted result changed. */
#define CERT_BY_SYSTEM "(system)"

typedef struct cert_record {
    int64_t id, participant_id, round_id, attempt_id, contest_id;
    cert_fields f;
    unsigned char sig[CERT_SIG_BYTES];
    char key_id[CERT_KEY_ID];
    int64_t issued_at;
    int64_t revoked_at;                 /* 0: not revoked */
    char revoke_reason[CERT_TEXT_MAX];
    char revoked_by[64];
    char organiser[CERT_TEXT_MAX];
} cert_record;

/* 0 and out filled, 1 if there is no such certificate, -1 on a database error. */
int cert_store_by_number(db_conn *c, const char *number, cert_record *out);
int cert_store_by_id(db_conn *c, int64_t id, cert_record *out);

/* The certificate for a participant's attempt, without writing: 1 and out
 * filled when the round's certificate for the counted result exists; 0 when
 * it may be issued (cert_store_issue, a write), *round_id set; -1 with e
 * filled when there is none to have (not the caller's attempt, still open,
 * not eligible under the contest's settings, revoked by staff). */
int cert_store_for_attempt(db_conn *c, const participant_auth *who, int64_t attempt_id,
                           cert_record *out, int64_t *round_id, app_err *e);

/* Issues the certificate of participant_id in round_id for the counted
 * result, or returns the current one. A current certificate for an older
 * counted attempt is revoked (by CERT_BY_SYSTEM) and replaced. 0 and out
 * filled, or -1 with e. */
int cert_store_issue(db_conn *c, const cert_key *k, int64_t participant_id, int64_t round_id,
                     int64_t now, cert_record *out, app_err *e);

/* Issues every missing certificate of a round (round_id > 0) or of a whole
 * contest (contest_id > 0); *issued counts the new ones. Those not eligible
 * or revoked by staff are skipped. 0, or -1 with e (database error). */
int cert_store_issue_all(db_conn *c, const cert_key *k, int64_t round_id, int64_t contest_id,
                         int64_t now, int *issued, app_err *e);

/* The ids of the current (not revoked) certificates of a round or contest in
 * print order (round, unit, name). Caller frees; NULL with *n = 0 when there
 * are none; -1 in *n... never: NULL and *n = 0 on error too (logged). */
int64_t *cert_store_list(db_conn *c, int64_t round_id, int64_t contest_id, size_t *n);

/* Revokes a current certificate. 0 and out filled; -1 with e (404 unknown,
 * 409 already revoked). */
int cert_store_revoke(db_conn *c, const char *number, const char *reason, const char *by,
                      int64_t now, cert_record *out, app_err *e);

/* The page of a stored certificate: the signed fields, the organiser, the
 * signer from the contest's current settings, the QR text under base_url.
 * 0, or -1 (QR text too long, database error). */
int cert_store_doc(db_conn *c, const cert_record *rec, const char *base_url, cert_doc *doc);

#endif
