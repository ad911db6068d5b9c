#include "contest/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contest/contest.h"
#include "db/audit.h"
#include "util/clock.h"
#include "util/phone.h"
#include "util/text.h"

static json_t *iso(int64_t ms)
{
    char t[40];
    clock_iso_utc(ms, t, sizeof t);
    return json_string(t);
}

static json_t *col_iso(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
                                                     : iso(sqlite3_column_int64(st, i));
}

static json_t *col_str(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
                                                     : json_string(db_col_text(st, i));
}

static json_t *col_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
                                                     : json_integer(sqlite3_column_int64(st, i));
}

static const char *status_name(int st)
{
    return st == 1 ? "submitted" : st == 2 ? "expired" : "open";
}

/* ---- reading ---- */

json_t *people_search(db_conn *c, int64_t contest_id, const char *q, int limit, app_err *e)
{
    char phone[32], cccd[16];
    int has_phone = phone_normalise(q, phone, sizeof phone) == 0;
    int has_cccd = phone_cccd_normalise(q, cccd, sizeof cccd) == 0;
    int64_t id = 0;
    if (q[0] == '#')
        id = strtoll(q + 1, NULL, 10);
    char *key = NULL;
    if (!has_phone && !has_cccd && !id) {
        key = text_fold_key(q);
        if (!key || strlen(key) < 2) {
            free(key);
            APP_ERR(e, 400, "validation", "q",
                    "Nhập ít nhất 2 ký tự của họ tên, hoặc số điện thoại, số CCCD, #mã");
            return NULL;
        }
        /* LIKE wildcards in the input are taken literally enough: drop them */
        for (char *p = key; *p; p++)
            if (*p == '%' || *p == '_')
                *p = ' ';
    }
    sqlite3_stmt *st = db_stmt(c, Q_PEOPLE_SEARCH);
    if (!st) {
        free(key);
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, contest_id);
    db_bind_text(st, 2, has_phone ? phone : NULL);
    db_bind_text(st, 3, has_cccd ? cccd : NULL);
    db_bind_text(st, 4, key);
    sqlite3_bind_int64(st, 5, id);
    sqlite3_bind_int(st, 6, limit);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
                      (json_int_t)sqlite3_column_int64(st, 0), "full_name", db_col_text(st, 1),
                      "phone", sqlite3_column_int64(st, 10) ? json_null() : col_str(st, 2), "cccd",
                      col_str(st, 3), "email", col_str(st, 4), "unit", db_col_text(st, 5), "track",
                      contest_track_name(sqlite3_column_int(st, 6)), "registered_at",
                      col_iso(st, 7), "disqualified_at", col_iso(st, 8), "disqualified_reason",
                      col_str(st, 9), "erased_at", col_iso(st, 10)));
    db_done(st);
    free(key);
    return json_pack("{s:o}", "participants", list);
}

static json_t *attempts_of(db_conn *c, int64_t id, int with_answers)
{
    json_t *list = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_PERSON_ATTEMPTS);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int status = sqlite3_column_int(st, 4);
        json_t *a = json_pack(
            "{s:I, s:I, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id",
            (json_int_t)sqlite3_column_int64(st, 0), "round_id",
            (json_int_t)sqlite3_column_int64(st, 1), "round", db_col_text(st, 2), "attempt_no",
            sqlite3_column_int(st, 3), "status", status_name(status), "started_at", col_iso(st, 5),
            "deadline_at", col_iso(st, 6), "submitted_at", col_iso(st, 7), "score",
            status ? col_int(st, 8) : json_null(), "max_score",
            status ? col_int(st, 9) : json_null(), "correct",
            status ? col_int(st, 10) : json_null(), "total", status ? col_int(st, 11) : json_null(),
            "duration_ms", status ? col_int(st, 12) : json_null(), "prediction", col_int(st, 13),
            "counted", sqlite3_column_int64(st, 16) == sqlite3_column_int64(st, 0));
        json_object_set_new(a, "last_saved_at", col_iso(st, 15));
        if (with_answers) {
            json_t *ans = json_loads(db_col_text(st, 14), 0, NULL);
            json_object_set_new(a, "answers", ans ? ans : json_object());
        }
        json_array_append_new(list, a);
    }
    db_done(st);
    return list;
}

static json_t *results_of(db_conn *c, int64_t id)
{
    json_t *list = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_PERSON_RESULTS);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:I}", "round_id",
                      (json_int_t)sqlite3_column_int64(st, 0), "round", db_col_text(st, 1), "score",
                      sqlite3_column_int(st, 2), "max_score", sqlite3_column_int(st, 3), "correct",
                      sqlite3_column_int(st, 4), "total", sqlite3_column_int(st, 5), "submitted_at",
                      col_iso(st, 6), "prediction", col_int(st, 7), "prediction_error",
                      col_int(st, 8), "attempt_id", (json_int_t)sqlite3_column_int64(st, 9)));
    db_done(st);
    return list;
}

/* The participant row as JSON, or NULL (404/503 in e). */
static json_t *person_row(db_conn *c, int64_t id, int full, int64_t *contest_id, int64_t *unit_id,
                          app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_PERSON_GET);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy người dự thi #%lld", (long long)id);
        return NULL;
    }
    int erased = sqlite3_column_type(st, 15) != SQLITE_NULL;
    if (contest_id)
        *contest_id = sqlite3_column_int64(st, 1);
    if (unit_id)
        *unit_id = sqlite3_column_int64(st, 17);
    json_t *p = json_pack(
        "{s:I, s:s, s:s, s:o, s:o, s:o, s:{s:s, s:s, s:o}, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
        (json_int_t)id, "contest_id", db_col_text(st, 16), "full_name", db_col_text(st, 2), "phone",
        erased ? json_null() : col_str(st, 3), "cccd", col_str(st, 4), "email", col_str(st, 5),
        "unit", "id", db_col_text(st, 6), "name", db_col_text(st, 7), "block", col_str(st, 18),
        "track", contest_track_name(sqlite3_column_int(st, 8)), "registered_at", col_iso(st, 11),
        "disqualified_at", col_iso(st, 13), "disqualified_reason", col_str(st, 14), "erased_at",
        col_iso(st, 15), "consent_at", col_iso(st, 10));
    if (full) {
        json_object_set_new(p, "consent_text", col_str(st, 9));
        json_object_set_new(p, "registered_from", col_str(st, 12));
    }
    db_done(st);
    return p;
}

json_t *people_get(db_conn *c, int64_t id, app_err *e)
{
    json_t *p = person_row(c, id, 0, NULL, NULL, e);
    if (!p)
        return NULL;
    json_object_set_new(p, "attempts", attempts_of(c, id, 0));
    json_object_set_new(p, "results", results_of(c, id));
    return p;
}

json_t *people_export(db_conn *c, int64_t id, app_err *e)
{
    json_t *p = person_row(c, id, 1, NULL, NULL, e);
    if (!p)
        return NULL;
    json_t *certs = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_PERSON_CERTS);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(certs,
                              json_pack("{s:s, s:I, s:o, s:o}", "number", db_col_text(st, 0),
                                        "round_id", (json_int_t)sqlite3_column_int64(st, 1),
                                        "issued_at", col_iso(st, 2), "revoked_at", col_iso(st, 3)));
    db_done(st);
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "format", "cchc-personal-data/1",
                     "exported_at", iso(clock_now_ms()), "participant", p, "attempts",
                     attempts_of(c, id, 1), "results", results_of(c, id), "certificates", certs);
}

/* ---- writing ---- */

/* Rounds (and the contest) where participant id counts lose their
 * publication; returns the list of round ids affected. */
static json_t *unpublish_for(db_conn *c, int64_t id, int64_t contest_id)
{
    json_t *rounds = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_PERSON_UNPUBLISH_ROUNDS);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(rounds, json_integer(sqlite3_column_int64(st, 0)));
    db_done(st);
    size_t i;
    json_t *v;
    json_array_foreach(rounds, i, v)
    {
        st = db_stmt(c, Q_PRIZE_LISTS_UNPUBLISH_ROUND);
        sqlite3_bind_int64(st, 1, json_integer_value(v));
        sqlite3_step(st);
        db_done(st);
    }
    st = db_stmt(c, Q_CONTEST_UNPUBLISH);
    sqlite3_bind_int64(st, 1, contest_id);
    sqlite3_step(st);
    int contest_changed = sqlite3_changes(db_handle(c)) > 0;
    db_done(st);
    if (contest_changed) {
        st = db_stmt(c, Q_PRIZE_LISTS_UNPUBLISH_CONTEST);
        sqlite3_bind_int64(st, 1, contest_id);
        sqlite3_step(st);
        db_done(st);
        json_array_append_new(rounds, json_string("contest"));
    }
    return rounds;
}

static int refresh_unit(db_conn *c, int64_t unit_id)
{
    sqlite3_stmt *st = db_stmt(c, Q_UNIT_AGG_REFRESH);
    sqlite3_bind_int64(st, 1, unit_id);
    int rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int people_disqualify(db_conn *c, int64_t id, int on, const char *reason, const char *actor,
                      int64_t now, json_t **out, app_err *e)
{
    int64_t contest_id = 0, unit_id = 0;
    json_t *before = person_row(c, id, 0, &contest_id, &unit_id, e);
    if (!before)
        return -1;
    int was = !json_is_null(json_object_get(before, "disqualified_at"));
    if (was == on) {
        json_decref(before);
        APP_ERR(e, 409, "conflict", NULL,
                on ? "Người dự thi này đã bị loại" : "Người dự thi này không bị loại");
        return -1;
    }
    sqlite3_stmt *st = db_stmt(c, Q_PERSON_DISQUALIFY);
    sqlite3_bind_int64(st, 1, id);
    if (on) {
        sqlite3_bind_int64(st, 2, now);
        db_bind_text(st, 3, reason);
    }
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_DONE) {
        st = db_stmt(c, Q_ROUND_TOTALS_ADJUST);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, on ? -1 : 1);
        rc = sqlite3_step(st);
        db_done(st);
    }
    if (rc != SQLITE_DONE || refresh_unit(c, unit_id) != 0) {
        json_decref(before);
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được, vui lòng thử lại");
        return -1;
    }
    json_t *unpublished = unpublish_for(c, id, contest_id);
    json_t *detail = json_pack(
        "{s:{s:I}, s:s, s:{s:O, s:O}, s:{s:o, s:o}, s:o}", "target", "participant", (json_int_t)id,
        "reason", reason, "before", "disqualified_at", json_object_get(before, "disqualified_at"),
        "disqualified_reason", json_object_get(before, "disqualified_reason"), "after",
        "disqualified_at", on ? iso(now) : json_null(), "disqualified_reason",
        on ? json_string(reason) : json_null(), "unpublished", json_incref(unpublished));
    json_decref(before);
    if (audit_json(c, actor, on ? "participant.disqualify" : "participant.reinstate", detail) !=
        0) {
        json_decref(unpublished);
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được nhật ký, thao tác chưa thực hiện");
        return -1;
    }
    *out = json_pack("{s:I, s:b, s:o}", "id", (json_int_t)id, "disqualified", on, "unpublished",
                     unpublished);
    return 0;
}

int people_erase(db_conn *c, int64_t id, const char *reason, const char *actor, int64_t now,
                 json_t **out, app_err *e)
{
    int64_t contest_id = 0, unit_id = 0;
    json_t *before = person_row(c, id, 0, &contest_id, &unit_id, e);
    if (!before)
        return -1;
    int erased = !json_is_null(json_object_get(before, "erased_at"));
    json_decref(before);
    if (erased) {
        APP_ERR(e, 409, "conflict", NULL, "Dữ liệu cá nhân của người này đã được xóa trước đó");
        return -1;
    }
    char name[160];
    snprintf(name, sizeof name, "%s #%lld", PEOPLE_ERASED_NAME, (long long)id);
    char *key = text_fold_key(name);
    sqlite3_stmt *st = db_stmt(c, Q_PERSON_ERASE);
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, key ? key : name);
    sqlite3_bind_int64(st, 4, now);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_handle(c));
    db_done(st);
    free(key);
    if (rc != SQLITE_DONE || changed != 1) {
        APP_ERR(e, 503, "unavailable", NULL, "Không xóa được, vui lòng thử lại");
        return -1;
    }
    st = db_stmt(c, Q_PERSON_TOKENS_DELETE);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_step(st);
    int tokens = sqlite3_changes(db_handle(c));
    db_done(st);
    json_t *certs = json_array();
    st = db_stmt(c, Q_PERSON_CERTS);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(certs, json_string(db_col_text(st, 0)));
    db_done(st);
    st = db_stmt(c, Q_PERSON_CERTS_DELETE);
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(certs);
        APP_ERR(e, 503, "unavailable", NULL, "Không xóa được giấy chứng nhận, vui lòng thử lại");
        return -1;
    }
    /* Only which fields were erased goes to the log, never their values. */
    json_t *detail = json_pack("{s:{s:I}, s:s, s:{s:n}, s:{s:o, s:s}, s:[s, s, s, s, s], s:i, s:O}",
                               "target", "participant", (json_int_t)id, "reason", reason, "before",
                               "erased_at", "after", "erased_at", iso(now), "full_name", name,
                               "erased_fields", "full_name", "phone", "cccd", "email", "created_ip",
                               "sessions_ended", tokens, "certificates_deleted", certs);
    if (audit_json(c, actor, "participant.erase", detail) != 0) {
        json_decref(certs);
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được nhật ký, thao tác chưa thực hiện");
        return -1;
    }
    *out = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)id, "full_name", name, "erased_at",
                     iso(now), "certificates_deleted", certs);
    return 0;
}

int people_attempt_deadline(db_conn *c, int64_t attempt_id, int64_t deadline, int reopen,
                            const char *reason, const char *actor, int64_t now, json_t **out,
                            app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_ADMIN);
    sqlite3_bind_int64(st, 1, attempt_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy bài thi #%lld", (long long)attempt_id);
        return -1;
    }
    int64_t round_id = sqlite3_column_int64(st, 1);
    int64_t participant = sqlite3_column_int64(st, 2);
    int status = sqlite3_column_int(st, 3);
    int64_t old_deadline = sqlite3_column_int64(st, 4);
    json_t *old_submitted = col_iso(st, 5);
    db_done(st);
    if (deadline <= now) {
        json_decref(old_submitted);
        APP_ERR(e, 400, "validation", "deadline", "Hạn mới phải sau thời điểm hiện tại");
        return -1;
    }
    if (!reopen && status != 0) {
        json_decref(old_submitted);
        APP_ERR(e, 409, "conflict", NULL,
                "Bài thi đã kết thúc; dùng \"Mở lại bài thi\" để cho làm tiếp");
        return -1;
    }
    if (!reopen && deadline <= old_deadline) {
        json_decref(old_submitted);
        APP_ERR(e, 400, "validation", "deadline", "Hạn mới phải sau hạn hiện tại");
        return -1;
    }
    if (reopen && status == 0) {
        json_decref(old_submitted);
        APP_ERR(e, 409, "conflict", NULL, "Bài thi đang mở; dùng \"Gia hạn\" để kéo dài");
        return -1;
    }
    if (reopen) {
        st = db_stmt(c, Q_ATTEMPT_OTHER_OPEN);
        sqlite3_bind_int64(st, 1, round_id);
        sqlite3_bind_int64(st, 2, participant);
        sqlite3_bind_int64(st, 3, attempt_id);
        int64_t other = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        db_done(st);
        if (other) {
            json_decref(old_submitted);
            APP_ERR(e, 409, "conflict", NULL,
                    "Người dự thi đang có một bài thi khác mở trong vòng này");
            return -1;
        }
    }
    st = db_stmt(c, reopen ? Q_ATTEMPT_REOPEN : Q_ATTEMPT_EXTEND);
    sqlite3_bind_int64(st, 1, attempt_id);
    sqlite3_bind_int64(st, 2, deadline);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_handle(c));
    db_done(st);
    if (rc != SQLITE_DONE || changed != 1) {
        json_decref(old_submitted);
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được, vui lòng thử lại");
        return -1;
    }
    int unsettled = 0;
    if (reopen) {
        /* the perfect-score count may change: settle (and publish) again */
        st = db_stmt(c, Q_ROUND_UNSETTLE);
        sqlite3_bind_int64(st, 1, round_id);
        sqlite3_step(st);
        unsettled = sqlite3_changes(db_handle(c)) > 0;
        db_done(st);
        st = db_stmt(c, Q_PRIZE_LISTS_UNPUBLISH_ROUND);
        sqlite3_bind_int64(st, 1, round_id);
        sqlite3_step(st);
        db_done(st);
    }
    json_t *detail = json_pack("{s:{s:I, s:I, s:I}, s:s, s:{s:s, s:o, s:o}, s:{s:s, s:o}, s:b}",
                               "target", "attempt", (json_int_t)attempt_id, "participant",
                               (json_int_t)participant, "round", (json_int_t)round_id, "reason",
                               reason, "before", "status", status_name(status), "deadline_at",
                               iso(old_deadline), "submitted_at", old_submitted, "after", "status",
                               "open", "deadline_at", iso(deadline), "round_unsettled", unsettled);
    if (audit_json(c, actor, reopen ? "attempt.reopen" : "attempt.extend", detail) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được nhật ký, thao tác chưa thực hiện");
        return -1;
    }
    *out = json_pack("{s:I, s:s, s:o, s:I}", "attempt_id", (json_int_t)attempt_id, "status", "open",
                     "deadline_at", iso(deadline), "deadline_ms", (json_int_t)deadline);
    return 0;
}
