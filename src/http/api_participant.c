/* Participant routes: registration, sessions, attempts. Writes go to the
 * writer thread (req_defer); reads use this thread's reader connection. */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "contest/contest.h"
#include "db/db.h"
#include "http/ratelimit.h"
#include "http/handlers.h"
#include "quiz/attempt.h"
#include "util/clock.h"
#include "util/phone.h"
#include "util/text.h"

#define NAME_MAX_CHARS 100
#define EMAIL_MAX 254

typedef struct reg_ctx {
    int64_t contest_id;
    int64_t unit_id;
    int track;
    char *full_name;
    char *name_key;
    char phone[20];
    char cccd[16];
    char *email;
    char *consent_text;
    char token[AUTH_TOKEN_HEX];
    int64_t participant_id; /* set for a session (re-login) */
} reg_ctx;

static void reg_free(void *p)
{
    reg_ctx *x = p;
    if (!x)
        return;
    free(x->full_name);
    free(x->name_key);
    free(x->email);
    free(x->consent_text);
    sodium_memzero(x->token, sizeof x->token);
    free(x);
}

/* A string field of the body: NULL if absent; -1 (and a 400) if not a string. */
static int body_str(req *r, const char *name, const char **out)
{
    json_t *v = json_object_get(r->json, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        reply_error(r, 400, "validation", name, "Trường %s phải là chuỗi ký tự", name);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

static int reject_unknown(req *r, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(r->json, k, v)
    {
        int ok = 0;
        for (int i = 0; allowed[i]; i++)
            ok |= strcmp(k, allowed[i]) == 0;
        if (!ok) {
            reply_error(r, 400, "validation", k, "Trường \"%.40s\" không được hỗ trợ", k);
            return -1;
        }
    }
    return 0;
}

/* Looks the contest up by its key (path parameter 0). */
static int contest_of_path(req *r, db_conn *c, int64_t *id, contest_settings *s)
{
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
    db_bind_text(st, 1, r->params[0]);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        *id = sqlite3_column_int64(st, 0);
        contest_settings_parse(db_col_text(st, 5), s);
    }
    db_done(st);
    if (!found)
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
    return found ? 0 : -1;
}

static int valid_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(s) > EMAIL_MAX)
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"')
            return 0;
    return s[strlen(s) - 1] != '.';
}

static int issue_token(db_conn *c, int64_t participant_id, char token[AUTH_TOKEN_HEX])
{
    unsigned char h[32];
    auth_new_token(token);
    auth_token_hash(token, h);
    sqlite3_stmt *st = db_stmt(c, Q_TOKEN_INSERT);
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, participant_id);
    sqlite3_bind_int64(st, 3, clock_now_ms());
    int rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int reply_token(req *r, int status, int64_t participant_id, const char *token)
{
    reply_json_new(r, status, json_pack("{s:I, s:s}", "participant_id",
                                        (json_int_t)participant_id, "token", token));
    return 0;
}

static int register_run(req *r, db_conn *c)
{
    reg_ctx *x = r->ctx;
    sqlite3_stmt *st = db_stmt(c, Q_PARTICIPANT_BY_PHONE);
    db_bind_text(st, 1, NULL);
    sqlite3_bind_int64(st, 1, x->contest_id);
    db_bind_text(st, 2, x->phone);
    int dup_phone = sqlite3_step(st) == SQLITE_ROW;
    db_done(st);
    if (dup_phone) {
        reply_error(r, 409, "duplicate", "phone",
                    "Số điện thoại này đã đăng ký dự thi; hãy dùng mục \"Tiếp tục trên thiết bị "
                    "khác\" để vào lại");
        return -1;
    }
    if (x->cccd[0]) {
        st = db_stmt(c, Q_PARTICIPANT_BY_CCCD);
        sqlite3_bind_int64(st, 1, x->contest_id);
        db_bind_text(st, 2, x->cccd);
        int dup = sqlite3_step(st) == SQLITE_ROW;
        db_done(st);
        if (dup) {
            reply_error(r, 409, "duplicate", "cccd", "Số CCCD này đã đăng ký dự thi");
            return -1;
        }
    }
    int64_t now = clock_now_ms();
    st = db_stmt(c, Q_PARTICIPANT_INSERT);
    sqlite3_bind_int64(st, 1, x->contest_id);
    db_bind_text(st, 2, x->full_name);
    db_bind_text(st, 3, x->name_key);
    sqlite3_bind_int64(st, 4, x->unit_id);
    db_bind_text(st, 5, x->phone);
    db_bind_text(st, 6, x->cccd[0] ? x->cccd : NULL);
    db_bind_text(st, 7, x->email);
    sqlite3_bind_int(st, 8, x->track);
    db_bind_text(st, 9, x->consent_text);
    sqlite3_bind_int64(st, 10, now);
    db_bind_text(st, 11, r->ip);
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được đăng ký, vui lòng thử lại");
        return -1;
    }
    int64_t pid = sqlite3_last_insert_rowid(db_handle(c));
    if (issue_token(c, pid, x->token) != 0) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được đăng ký, vui lòng thử lại");
        return -1;
    }
    return reply_token(r, 201, pid, x->token);
}

void h_register(req *r)
{
    static const char *const allowed[] = {"full_name", "unit_id", "phone", "cccd", "email",
                                          "track", "consent", NULL};
    if (reject_unknown(r, allowed) != 0)
        return;
    db_conn *c = db_reader();
    int64_t contest_id;
    contest_settings s;
    if (contest_of_path(r, c, &contest_id, &s) != 0)
        return;
    const char *name, *unit, *phone, *cccd, *email, *track;
    if (body_str(r, "full_name", &name) || body_str(r, "unit_id", &unit) ||
        body_str(r, "phone", &phone) || body_str(r, "cccd", &cccd) ||
        body_str(r, "email", &email) || body_str(r, "track", &track))
        return;
    reg_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->contest_id = contest_id;
    const char *why = NULL;
    x->full_name = name ? text_nfc(name, strlen(name), &why) : NULL;
    if (x->full_name) {
        /* collapse inner whitespace, trim */
        char *w = x->full_name;
        int space = 1;
        for (char *p = x->full_name; *p; p++) {
            if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
                if (!space)
                    *w++ = ' ';
                space = 1;
            } else {
                *w++ = *p;
                space = 0;
            }
        }
        if (w > x->full_name && w[-1] == ' ')
            w--;
        *w = '\0';
    }
    size_t nchars = x->full_name ? text_length_chars(x->full_name) : 0;
    if (!x->full_name || nchars < 2 || nchars > NAME_MAX_CHARS) {
        reply_error(r, 400, "validation", "full_name", "Vui lòng nhập họ và tên (2–%d ký tự)",
                    NAME_MAX_CHARS);
        goto fail;
    }
    for (const unsigned char *p = (const unsigned char *)x->full_name; *p; p++)
        if (*p < 0x20 || *p == '<' || *p == '>') {
            reply_error(r, 400, "validation", "full_name", "Họ và tên chứa ký tự không hợp lệ");
            goto fail;
        }
    x->name_key = text_fold_key(x->full_name);
    if (!unit || !*unit) {
        reply_error(r, 400, "validation", "unit_id", "Vui lòng chọn đơn vị");
        goto fail;
    }
    sqlite3_stmt *st = db_stmt(c, Q_UNIT_BY_KEY);
    sqlite3_bind_int64(st, 1, contest_id);
    db_bind_text(st, 2, unit);
    x->unit_id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    if (!x->unit_id) {
        reply_error(r, 400, "validation", "unit_id", "Đơn vị không có trong danh sách của cuộc thi");
        goto fail;
    }
    if (!phone || phone_normalise(phone, x->phone, sizeof x->phone) != 0) {
        reply_error(r, 400, "validation", "phone",
                    "Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc +84912345678)");
        goto fail;
    }
    if (cccd && *cccd && s.cccd != FIELD_OFF) {
        if (phone_cccd_normalise(cccd, x->cccd, sizeof x->cccd) != 0) {
            reply_error(r, 400, "validation", "cccd", "Số CCCD phải gồm 12 chữ số (CMND cũ: 9 hoặc 12)");
            goto fail;
        }
    } else if (s.cccd == FIELD_REQUIRED) {
        reply_error(r, 400, "validation", "cccd", "Vui lòng nhập số CCCD");
        goto fail;
    }
    if (email && *email && s.email != FIELD_OFF) {
        if (!valid_email(email)) {
            reply_error(r, 400, "validation", "email", "Địa chỉ email không hợp lệ");
            goto fail;
        }
        x->email = strdup(email);
    } else if (s.email == FIELD_REQUIRED) {
        reply_error(r, 400, "validation", "email", "Vui lòng nhập địa chỉ email");
        goto fail;
    }
    x->track = track ? contest_track_from_name(track) : -1;
    if (x->track < 0 || !(s.tracks & (1u << x->track))) {
        reply_error(r, 400, "validation", "track", "Vui lòng chọn đối tượng dự thi");
        goto fail;
    }
    if (!json_is_true(json_object_get(r->json, "consent"))) {
        reply_error(r, 400, "validation", "consent",
                    "Bạn cần đồng ý với việc xử lý dữ liệu cá nhân để đăng ký dự thi");
        goto fail;
    }
    x->consent_text = strdup(s.consent_text);
    req_defer(r, register_run, x, reg_free);
    return;
fail:
    reg_free(x);
}

static int session_run(req *r, db_conn *c)
{
    reg_ctx *x = r->ctx;
    if (issue_token(c, x->participant_id, x->token) != 0) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được phiên, vui lòng thử lại");
        return -1;
    }
    return reply_token(r, 200, x->participant_id, x->token);
}

void h_session(req *r)
{
    static const char *const allowed[] = {"phone", "full_name", "cccd", NULL};
    if (reject_unknown(r, allowed) != 0)
        return;
    db_conn *c = db_reader();
    int64_t contest_id;
    contest_settings s;
    if (contest_of_path(r, c, &contest_id, &s) != 0)
        return;
    const char *phone, *name, *cccd;
    if (body_str(r, "phone", &phone) || body_str(r, "full_name", &name) ||
        body_str(r, "cccd", &cccd))
        return;
    char norm[20], cccd_norm[16] = "";
    if (!phone || phone_normalise(phone, norm, sizeof norm) != 0) {
        reply_error(r, 400, "validation", "phone", "Số điện thoại không hợp lệ");
        return;
    }
    if (!name || !*name) {
        reply_error(r, 400, "validation", "full_name", "Vui lòng nhập họ và tên như khi đăng ký");
        return;
    }
    if (s.cccd == FIELD_REQUIRED &&
        (!cccd || phone_cccd_normalise(cccd, cccd_norm, sizeof cccd_norm) != 0)) {
        reply_error(r, 400, "validation", "cccd", "Vui lòng nhập số CCCD như khi đăng ký");
        return;
    }
    char *key = text_fold_key(name);
    sqlite3_stmt *st = db_stmt(c, Q_PARTICIPANT_BY_PHONE);
    sqlite3_bind_int64(st, 1, contest_id);
    db_bind_text(st, 2, norm);
    int64_t pid = 0;
    if (sqlite3_step(st) == SQLITE_ROW && key && strcmp(key, db_col_text(st, 1)) == 0 &&
        (s.cccd != FIELD_REQUIRED || strcmp(cccd_norm, db_col_text(st, 2)) == 0))
        pid = sqlite3_column_int64(st, 0);
    db_done(st);
    free(key);
    if (!pid) {
        reply_error(r, 401, "unauthorized", NULL,
                    "Không tìm thấy người dự thi với số điện thoại và họ tên này");
        return;
    }
    reg_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->participant_id = pid;
    req_defer(r, session_run, x, reg_free);
}

void h_me(req *r)
{
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_PARTICIPANT_ME);
    sqlite3_bind_int64(st, 1, r->who.id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        reply_error(r, 401, "unauthorized", NULL, "Phiên dự thi không hợp lệ");
        return;
    }
    json_t *out = json_pack("{s:I, s:s, s:s, s:{s:s, s:s}, s:s}", "participant_id",
                            (json_int_t)r->who.id, "contest_id", db_col_text(st, 4), "full_name",
                            db_col_text(st, 0), "unit", "id", db_col_text(st, 1), "name",
                            db_col_text(st, 2), "track",
                            contest_track_name(sqlite3_column_int(st, 3)));
    db_done(st);
    json_t *attempts = json_array();
    st = db_stmt(c, Q_ATTEMPTS_OF_PARTICIPANT);
    sqlite3_bind_int64(st, 1, r->who.id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int status = sqlite3_column_int(st, 2);
        json_array_append_new(
            attempts,
            json_pack("{s:I, s:I, s:s, s:o, s:o, s:I}", "attempt_id",
                      (json_int_t)sqlite3_column_int64(st, 0), "round_id",
                      (json_int_t)sqlite3_column_int64(st, 1), "status",
                      status == ATTEMPT_SUBMITTED ? "submitted"
                      : status == ATTEMPT_EXPIRED ? "expired"
                                                  : "open",
                      "score", status ? json_integer(sqlite3_column_int(st, 3)) : json_null(),
                      "max_score", status ? json_integer(sqlite3_column_int(st, 4)) : json_null(),
                      "deadline_ms", (json_int_t)sqlite3_column_int64(st, 5)));
    }
    db_done(st);
    json_object_set_new(out, "attempts", attempts);
    reply_json_new(r, 200, out);
}

/* ---- attempts ---- */

/* After the commit, on the HTTP thread: the new attempt as the participant sees it. */
static void start_render(req *r)
{
    buf out;
    buf_init(&out, 0);
    db_conn *c = db_reader();
    if (!c || attempt_plan_render(c, r->ctx, &out) != 0) {
        buf_free(&out);
        reply_error(r, 500, "internal", NULL, "Không hiển thị được bài thi");
        return;
    }
    reply_buf(r, 201, &out);
}

static void plan_free(void *p)
{
    attempt_plan_free(p);
}

/* A start prepared on this thread (attempt_start_prepare), made by the writer. */
static int start_run(req *r, db_conn *c)
{
    buf out;
    buf_init(&out, 0);
    app_err e;
    int created = 0;
    int rc = attempt_start_commit(c, r->ctx, &r->who, &created, &out, &e);
    if (rc < 0) {
        buf_free(&out);
        reply_app_err(r, &e);
        return -1;
    }
    if (rc == 1)
        req_after_commit(r, start_render);
    else
        reply_buf(r, created ? 201 : 200, &out);
    return 0;
}

void h_attempt_start(req *r)
{
    if (req_param_id(r, 0) < 0) {
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        return;
    }
    char who[32];
    snprintf(who, sizeof who, "p%lld", (long long)r->who.id);
    int wait = ratelimit_check(RL_START_ACCOUNT, who);
    if (wait > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", wait);
        reply_header(r, "Retry-After", ra);
        reply_error(r, 429, "rate_limited", NULL,
                    "Bạn thao tác quá nhanh, vui lòng thử lại sau %d giây", wait);
        return;
    }
    attempt_plan *plan;
    buf out;
    buf_init(&out, 0);
    app_err e;
    int rc = attempt_start_prepare(db_reader(), &r->who, req_param_id(r, 0), clock_now_ms(), &plan,
                                   &out, &e);
    if (rc == 1) {
        buf_free(&out);
        req_defer(r, start_run, plan, plan_free);
    } else if (rc == 0) {
        reply_buf(r, 200, &out);
    } else {
        buf_free(&out);
        reply_app_err(r, &e);
    }
}

void h_attempt_get(req *r)
{
    buf out;
    buf_init(&out, 0);
    app_err e;
    if (attempt_view(db_reader(), &r->who, req_param_id(r, 0), clock_now_ms(), &out, &e) != 0) {
        buf_free(&out);
        reply_app_err(r, &e);
        return;
    }
    reply_buf(r, 200, &out);
}

static int save_run(req *r, db_conn *c)
{
    buf out;
    buf_init(&out, 0);
    app_err e;
    if (attempt_save_commit(c, r->ctx, &r->who, r->json, &out, &e) != 0) {
        buf_free(&out);
        reply_app_err(r, &e);
        return -1;
    }
    reply_buf(r, 200, &out);
    return 0;
}

/* A submit's outcome: rc and out as from attempt_submit_*. A late submit
 * (409 with the result of the saved answers) keeps its finalisation: 0. */
static int reply_submit(req *r, int rc, buf *out, app_err *e)
{
    if (rc == 0) {
        reply_buf(r, 200, out);
        return 0;
    }
    if (e->status == 409 && out->len) {
        json_t *result = json_loadb(out->data, out->len, 0, NULL);
        json_t *body = json_pack("{s:{s:s, s:s, s:n}, s:o}", "error", "code", e->code,
                                 "message", e->msg, "field", "result",
                                 result ? result : json_null());
        buf_free(out);
        reply_json_new(r, 409, body);
        return 0;
    }
    buf_free(out);
    reply_app_err(r, e);
    return -1;
}

static int submit_run(req *r, db_conn *c)
{
    buf out;
    buf_init(&out, 0);
    app_err e;
    int rc = attempt_submit_commit(c, r->ctx, &r->who, r->json, &out, &e);
    return reply_submit(r, rc, &out, &e);
}

static int check_attempt_request(req *r)
{
    app_err e;
    if (req_param_id(r, 0) < 0) {
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy bài thi");
        return -1;
    }
    if (attempt_check_body(r->json, &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    return 0;
}

void h_attempt_save(req *r)
{
    if (check_attempt_request(r) != 0)
        return;
    attempt_plan *plan;
    buf out;
    buf_init(&out, 0);
    app_err e;
    if (attempt_save_prepare(db_reader(), &r->who, req_param_id(r, 0), r->json, clock_now_ms(),
                             &plan, &out, &e) == 1) {
        req_defer(r, save_run, plan, plan_free);
    } else {
        reply_app_err(r, &e);
    }
    buf_free(&out);
}

void h_attempt_submit(req *r)
{
    if (check_attempt_request(r) != 0)
        return;
    attempt_plan *plan;
    buf out;
    buf_init(&out, 0);
    app_err e;
    int rc = attempt_submit_prepare(db_reader(), &r->who, req_param_id(r, 0), r->json,
                                    clock_now_ms(), &plan, &out, &e);
    if (rc == 1) {
        buf_free(&out);
        req_defer(r, submit_run, plan, plan_free);
    } else {
        reply_submit(r, rc, &out, &e);
    }
}

void h_attempt_review(req *r)
{
    buf out;
    buf_init(&out, 0);
    app_err e;
    if (attempt_review(db_reader(), &r->who, req_param_id(r, 0), clock_now_ms(), &out, &e) !=
        0) {
        buf_free(&out);
        reply_app_err(r, &e);
        return;
    }
    reply_buf(r, 200, &out);
}
