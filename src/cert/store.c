#include "cert/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cert/payload.h"
#include "contest/contest.h"
#include "quiz/attempt.h"
#include "util/log.h"

/* The counted result of a participant in a round, with what a certificate
 * says about it. */
typedef struct result_info {
    int64_t attempt_id, contest_id;
    int score, max_score;
    char name[CERT_TEXT_MAX], unit[CERT_TEXT_MAX], contest[CERT_TEXT_MAX],
        round[CERT_TEXT_MAX];
} result_info;

static void read_record(sqlite3_stmt *st, cert_record *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    snprintf(r->f.number, sizeof r->f.number, "%s", db_col_text(st, 1));
    r->participant_id = sqlite3_column_int64(st, 2);
    r->round_id = sqlite3_column_int64(st, 3);
    r->attempt_id = sqlite3_column_int64(st, 4);
    const char *fields = db_col_text(st, 5);
    char err[128];
    if (cert_fields_parse(fields, strlen(fields), &r->f, err, sizeof err) != 0)
        log_error("certificate %lld: stored fields: %s", (long long)r->id, err);
    if (sqlite3_column_bytes(st, 6) == CERT_SIG_BYTES)
        memcpy(r->sig, sqlite3_column_blob(st, 6), CERT_SIG_BYTES);
    snprintf(r->key_id, sizeof r->key_id, "%s", db_col_text(st, 7));
    r->issued_at = sqlite3_column_int64(st, 8);
    r->revoked_at = sqlite3_column_int64(st, 9);
    snprintf(r->revoke_reason, sizeof r->revoke_reason, "%s", db_col_text(st, 10));
    snprintf(r->revoked_by, sizeof r->revoked_by, "%s", db_col_text(st, 11));
    r->contest_id = sqlite3_column_int64(st, 12);
    snprintf(r->organiser, sizeof r->organiser, "%s", db_col_text(st, 13));
}

/* Runs a CERT_COLS query bound to one text or one/two integers. */
static int fetch(db_conn *c, db_query q, const char *text, int64_t a, int64_t b,
                 cert_record *out)
{
    sqlite3_stmt *st = db_stmt(c, q);
    if (!st)
        return -1;
    if (text) {
        db_bind_text(st, 1, text);
    } else {
        sqlite3_bind_int64(st, 1, a);
        if (b)
            sqlite3_bind_int64(st, 2, b);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_record(st, out);
    else if (rc != SQLITE_DONE)
        log_error("certificate lookup: %s", sqlite3_errmsg(db_handle(c)));
    db_done(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int cert_store_by_number(db_conn *c, const char *number, cert_record *out)
{
    return fetch(c, Q_CERT_BY_NUMBER, number, 0, 0, out);
}

int cert_store_by_id(db_conn *c, int64_t id, cert_record *out)
{
    return fetch(c, Q_CERT_BY_ID, NULL, id, 0, out);
}

/* 0 and info, 1 no result (attempt not final), -1 database error. */
static int load_result(db_conn *c, int64_t participant_id, int64_t round_id, result_info *ri)
{
    sqlite3_stmt *st = db_stmt(c, Q_CERT_RESULT);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, participant_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ri->attempt_id = sqlite3_column_int64(st, 0);
        ri->score = sqlite3_column_int(st, 1);
        ri->max_score = sqlite3_column_int(st, 2);
        snprintf(ri->name, sizeof ri->name, "%s", db_col_text(st, 3));
        snprintf(ri->unit, sizeof ri->unit, "%s", db_col_text(st, 4));
        snprintf(ri->contest, sizeof ri->contest, "%s", db_col_text(st, 5));
        snprintf(ri->round, sizeof ri->round, "%s", db_col_text(st, 6));
        ri->contest_id = sqlite3_column_int64(st, 7);
    }
    db_done(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static int unavailable(app_err *e)
{
    APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
    return -1;
}

/* 0 if the result earns a certificate under the contest's settings. */
static int eligible(db_conn *c, const result_info *ri, contest_settings *s, app_err *e)
{
    if (contest_settings_load(c, ri->contest_id, s) != 0)
        return unavailable(e);
    if (s->cert_who == CERT_WHO_OFF) {
        APP_ERR(e, 403, "not_eligible", NULL, "Cuộc thi này không cấp giấy chứng nhận");
        return -1;
    }
    if (s->cert_who == CERT_WHO_MIN_SCORE && ri->score < s->cert_min_score) {
        APP_ERR(e, 403, "not_eligible", NULL,
                "Giấy chứng nhận được cấp cho bài thi đạt từ %d điểm trở lên; kết quả được "
                "tính của bạn là %d điểm",
                s->cert_min_score, ri->score);
        return -1;
    }
    return 0;
}

static int revoked_by_staff(const cert_record *r)
{
    return r->revoked_at && strcmp(r->revoked_by, CERT_BY_SYSTEM) != 0;
}

static int revoked_error(const cert_record *r, app_err *e)
{
    APP_ERR(e, 403, "revoked", NULL, "Giấy chứng nhận số %s đã bị thu hồi%s%.200s", r->f.number,
            r->revoke_reason[0] ? ": " : "", r->revoke_reason);
    return -1;
}

int cert_store_for_attempt(db_conn *c, const participant_auth *who, int64_t attempt_id,
                           cert_record *out, int64_t *round_id, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_CERT_ATTEMPT);
    if (!st)
        return unavailable(e);
    sqlite3_bind_int64(st, 1, attempt_id);
    int rc = sqlite3_step(st);
    int64_t rid = 0, pid = 0;
    int status = 0;
    if (rc == SQLITE_ROW) {
        rid = sqlite3_column_int64(st, 0);
        pid = sqlite3_column_int64(st, 1);
        status = sqlite3_column_int(st, 2);
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return unavailable(e);
    if (rc == SQLITE_DONE) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy bài thi");
        return -1;
    }
    if (pid != who->id) {
        APP_ERR(e, 403, "forbidden", NULL, "Đây không phải bài thi của bạn");
        return -1;
    }
    if (status == ATTEMPT_OPEN) {
        APP_ERR(e, 409, "not_final", NULL,
                "Bài thi chưa kết thúc: giấy chứng nhận được cấp sau khi nộp bài");
        return -1;
    }
    *round_id = rid;
    result_info ri;
    rc = load_result(c, pid, rid, &ri);
    if (rc < 0)
        return unavailable(e);
    if (rc == 1) {
        APP_ERR(e, 409, "not_final", NULL, "Kết quả của bài thi chưa được ghi nhận");
        return -1;
    }
    rc = fetch(c, Q_CERT_LATEST, NULL, pid, rid, out);
    if (rc < 0)
        return unavailable(e);
    if (rc == 0 && revoked_by_staff(out))
        return revoked_error(out, e);
    if (rc == 0 && !out->revoked_at && out->attempt_id == ri.attempt_id)
        return 1;
    contest_settings s;
    if (eligible(c, &ri, &s, e) != 0)
        return -1;
    return 0;
}

static void vn_date(int64_t ms, char out[11])
{
    time_t t = (time_t)((ms + 7LL * 3600 * 1000) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

static int revoke_row(db_conn *c, int64_t id, int64_t now, const char *reason, const char *by)
{
    sqlite3_stmt *st = db_stmt(c, Q_CERT_REVOKE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    db_bind_text(st, 3, reason);
    db_bind_text(st, 4, by);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_handle(c));
    db_done(st);
    return rc == SQLITE_DONE && changed == 1 ? 0 : -1;
}

static int number_used(db_conn *c, const char *number)
{
    sqlite3_stmt *st = db_stmt(c, Q_CERT_NUMBER_USED);
    if (!st)
        return -1;
    db_bind_text(st, 1, number);
    int rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int cert_store_issue(db_conn *c, const cert_key *k, int64_t participant_id, int64_t round_id,
                     int64_t now, cert_record *out, app_err *e)
{
    result_info ri;
    int rc = load_result(c, participant_id, round_id, &ri);
    if (rc < 0)
        return unavailable(e);
    if (rc == 1) {
        APP_ERR(e, 409, "not_final", NULL, "Kết quả của bài thi chưa được ghi nhận");
        return -1;
    }
    cert_record cur;
    rc = fetch(c, Q_CERT_LATEST, NULL, participant_id, round_id, &cur);
    if (rc < 0)
        return unavailable(e);
    if (rc == 0 && revoked_by_staff(&cur))
        return revoked_error(&cur, e);
    if (rc == 0 && !cur.revoked_at && cur.attempt_id == ri.attempt_id) {
        *out = cur;
        return 0;
    }
    if (rc == 0 && !cur.revoked_at &&
        revoke_row(c, cur.id, now, "Cấp lại theo kết quả được tính mới", CERT_BY_SYSTEM) != 0)
        return unavailable(e);
    contest_settings s;
    if (eligible(c, &ri, &s, e) != 0)
        return -1;

    cert_record *r = out;
    memset(r, 0, sizeof *r);
    if (cert_fields_clean(ri.name, r->f.name, sizeof r->f.name) != 0 ||
        cert_fields_clean(ri.unit, r->f.unit, sizeof r->f.unit) != 0 ||
        cert_fields_clean(ri.contest, r->f.contest, sizeof r->f.contest) != 0 ||
        cert_fields_clean(ri.round, r->f.round, sizeof r->f.round) != 0) {
        APP_ERR(e, 500, "internal", NULL, "Dữ liệu của giấy chứng nhận không hợp lệ");
        return -1;
    }
    if (!r->f.name[0] || !r->f.contest[0]) {
        APP_ERR(e, 500, "internal", NULL, "Thiếu họ tên hoặc tên cuộc thi");
        return -1;
    }
    vn_date(now, r->f.date);
    if (s.cert_show_score)
        snprintf(r->f.score, sizeof r->f.score, "%d/%d", ri.score, ri.max_score);
    r->participant_id = participant_id;
    r->round_id = round_id;
    r->attempt_id = ri.attempt_id;
    r->contest_id = ri.contest_id;
    r->issued_at = now;
    snprintf(r->key_id, sizeof r->key_id, "%s", k->id);
    buf canon;
    buf_init(&canon, 0);
    for (int tries = 0;; tries++) {
        if (tries == 16) {
            buf_free(&canon);
            log_error("certificate numbers: 16 collisions in a row");
            return unavailable(e);
        }
        cert_number_new(r->f.number);
        int used = number_used(c, r->f.number);
        if (used < 0) {
            buf_free(&canon);
            return unavailable(e);
        }
        if (used)
            continue;
        buf_reset(&canon);
        if (cert_fields_canonical(&r->f, &canon) != 0 || cert_sign(k, &r->f, r->sig) != 0) {
            buf_free(&canon);
            return unavailable(e);
        }
        sqlite3_stmt *st = db_stmt(c, Q_CERT_INSERT);
        if (!st) {
            buf_free(&canon);
            return unavailable(e);
        }
        db_bind_text(st, 1, r->f.number);
        sqlite3_bind_int64(st, 2, participant_id);
        sqlite3_bind_int64(st, 3, round_id);
        sqlite3_bind_int64(st, 4, ri.attempt_id);
        sqlite3_bind_text(st, 5, canon.data, (int)canon.len, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 6, r->sig, CERT_SIG_BYTES, SQLITE_TRANSIENT);
        db_bind_text(st, 7, k->id);
        sqlite3_bind_int64(st, 8, now);
        rc = sqlite3_step(st);
        db_done(st);
        if (rc == SQLITE_DONE)
            break;
        /* A number taken meanwhile (another process) is retried; anything
         * else is an error. */
        if (number_used(c, r->f.number) != 1) {
            log_error("certificate insert: %s", sqlite3_errmsg(db_handle(c)));
            buf_free(&canon);
            return unavailable(e);
        }
    }
    buf_free(&canon);
    r->id = sqlite3_last_insert_rowid(db_handle(c));
    cert_record full;
    if (cert_store_by_id(c, r->id, &full) == 0)
        *r = full; /* with the organiser */
    return 0;
}

int cert_store_issue_all(db_conn *c, const cert_key *k, int64_t round_id, int64_t contest_id,
                         int64_t now, int *issued, app_err *e)
{
    *issued = 0;
    sqlite3_stmt *st = db_stmt(c, Q_CERT_RESULTS_OF);
    if (!st)
        return unavailable(e);
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, contest_id);
    size_t n = 0, cap = 0;
    int64_t(*pairs)[2] = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            void *p = realloc(pairs, cap * sizeof *pairs);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            pairs = p;
        }
        pairs[n][0] = sqlite3_column_int64(st, 0);
        pairs[n][1] = sqlite3_column_int64(st, 1);
        n++;
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(pairs);
        return unavailable(e);
    }
    cert_record *r = malloc(sizeof *r);
    if (!r) {
        free(pairs);
        return unavailable(e);
    }
    int result = 0;
    for (size_t i = 0; i < n; i++) {
        cert_record cur;
        int had = fetch(c, Q_CERT_LATEST, NULL, pairs[i][1], pairs[i][0], &cur) == 0 &&
                  !cur.revoked_at;
        app_err ie;
        if (cert_store_issue(c, k, pairs[i][1], pairs[i][0], now, r, &ie) == 0) {
            if (!had || cur.id != r->id)
                (*issued)++;
        } else if (ie.status >= 500) {
            *e = ie;
            result = -1;
            break;
        }
    }
    free(r);
    free(pairs);
    return result;
}

int64_t *cert_store_list(db_conn *c, int64_t round_id, int64_t contest_id, size_t *n)
{
    *n = 0;
    sqlite3_stmt *st = db_stmt(c, Q_CERT_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, contest_id);
    size_t cap = 0;
    int64_t *ids = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            int64_t *p = realloc(ids, cap * sizeof *p);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            ids = p;
        }
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        log_error("certificate list: %s", sqlite3_errstr(rc));
        free(ids);
        *n = 0;
        return NULL;
    }
    return ids;
}

int cert_store_revoke(db_conn *c, const char *number, const char *reason, const char *by,
                      int64_t now, cert_record *out, app_err *e)
{
    int rc = cert_store_by_number(c, number, out);
    if (rc < 0)
        return unavailable(e);
    if (rc == 1) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy giấy chứng nhận số %s", number);
        return -1;
    }
    if (out->revoked_at) {
        APP_ERR(e, 409, "already_revoked", NULL, "Giấy chứng nhận số %s đã bị thu hồi trước đó",
                number);
        return -1;
    }
    if (revoke_row(c, out->id, now, reason, by) != 0)
        return unavailable(e);
    out->revoked_at = now;
    snprintf(out->revoke_reason, sizeof out->revoke_reason, "%s", reason);
    snprintf(out->revoked_by, sizeof out->revoked_by, "%s", by);
    return 0;
}

int cert_store_doc(db_conn *c, const cert_record *rec, const char *base_url, cert_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->f = rec->f;
    snprintf(doc->organiser, sizeof doc->organiser, "%s", rec->organiser);
    contest_settings s;
    if (contest_settings_load(c, rec->contest_id, &s) == 0) {
        snprintf(doc->signer_title, sizeof doc->signer_title, "%s", s.cert_signer_title);
        snprintf(doc->signer_name, sizeof doc->signer_name, "%s", s.cert_signer_name);
    }
    snprintf(doc->verify_url, sizeof doc->verify_url, "%s/v/%s", base_url, rec->f.number);
    doc->revoked = rec->revoked_at != 0;
    buf q;
    buf_init(&q, sizeof doc->qr - 1);
    int rc = cert_payload_build(&q, base_url, &rec->f, rec->sig);
    if (rc == 0)
        memcpy(doc->qr, q.data, q.len + 1);
    else
        log_error("certificate %s: the QR text is too long", rec->f.number);
    buf_free(&q);
    return rc;
}
