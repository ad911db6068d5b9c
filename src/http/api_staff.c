/* Staff routes: login, users, bank and contest uploads, full results. */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "bank/bank.h"
#include "bank/store.h"
#include "contest/contest.h"
#include "db/db.h"
#include "http/handlers.h"
#include "http/ratelimit.h"
#include "http/server.h"
#include "plan/store.h"
#include "quiz/board.h"
#include "util/clock.h"
#include "util/log.h"

typedef struct staff_ctx {
    int64_t user_id;
    char username[64];
    char token[AUTH_TOKEN_HEX];
    char csrf[AUTH_TOKEN_HEX];
    char pw_hash[crypto_pwhash_STRBYTES];
    unsigned role;
    char agency[72];       /* reporters: the plan agency */
    bank *bank;
    json_t *doc;
} staff_ctx;

static void staff_ctx_free(void *p)
{
    staff_ctx *x = p;
    if (!x)
        return;
    bank_free(x->bank);
    json_decref(x->doc);
    sodium_memzero(x, sizeof *x);
    free(x);
}

static const char *str_field(req *r, const char *name, size_t max)
{
    json_t *v = json_object_get(r->json, name);
    if (!json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) > max) {
        reply_error(r, 400, "validation", name, "Thiếu hoặc sai trường %s", name);
        return NULL;
    }
    return json_string_value(v);
}

static int login_run(req *r, db_conn *c)
{
    staff_ctx *x = r->ctx;
    unsigned char h[32];
    auth_token_hash(x->token, h);
    int64_t now = clock_now_ms();
    sqlite3_stmt *st = db_stmt(c, Q_SESSION_INSERT);
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, x->user_id);
    db_bind_text(st, 3, x->csrf);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now + AUTH_SESSION_MS);
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        reply_error(r, 503, "unavailable", NULL, "Không tạo được phiên đăng nhập");
        return -1;
    }
    char detail[128];
    snprintf(detail, sizeof detail, "{\"ip\":\"%.60s\"}", r->ip);
    db_audit(c, x->username, "auth.login", detail);
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "cchc_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld", x->token,
             (long long)(AUTH_SESSION_MS / 1000));
    reply_json_new(r, 200, json_pack("{s:s, s:s, s:s}", "username", x->username, "role",
                                     auth_role_name(x->role), "csrf_token", x->csrf));
    return 0;
}

void h_login(req *r)
{
    const char *user = str_field(r, "username", 63);
    const char *pw = user ? str_field(r, "password", 1024) : NULL;
    if (!pw)
        return;
    int locked = ratelimit_login_locked(user);
    if (locked > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", locked);
        reply_header(r, "Retry-After", ra);
        reply_error(r, 429, "rate_limited", NULL,
                    "Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau %d phút",
                    (locked + 59) / 60);
        return;
    }
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_USER_BY_NAME);
    db_bind_text(st, 1, user);
    staff_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        db_done(st);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        x->user_id = sqlite3_column_int64(st, 0);
        snprintf(x->pw_hash, sizeof x->pw_hash, "%s", db_col_text(st, 1));
        x->role = auth_role_from_name(db_col_text(st, 2));
    }
    db_done(st);
    int ok = 0;
    if (x->user_id)
        ok = auth_password_verify(x->pw_hash, pw) && x->role;
    else
        auth_password_burn(pw); /* same time as a real check */
    if (!ok) {
        staff_ctx_free(x);
        log_warn("failed login for %.60s from %s", user, r->ip);
        ratelimit_login_failed(user);
        reply_error(r, 401, "unauthorized", NULL, "Sai tên đăng nhập hoặc mật khẩu");
        return;
    }
    ratelimit_login_succeeded(user);
    snprintf(x->username, sizeof x->username, "%s", user);
    auth_new_token(x->token);
    auth_new_token(x->csrf);
    req_defer(r, login_run, x, staff_ctx_free);
}

static int logout_run(req *r, db_conn *c)
{
    const char *cookie = r->ctx;
    unsigned char h[32];
    auth_token_hash(cookie, h);
    sqlite3_stmt *st = db_stmt(c, Q_SESSION_DELETE);
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
    sqlite3_step(st);
    db_done(st);
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "cchc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    reply_json_new(r, 200, json_pack("{s:b}", "ok", 1));
    return 0;
}

void h_logout(req *r)
{
    const char *cookie = req_cookie(r, "cchc_session");
    req_defer(r, logout_run, strdup(cookie ? cookie : ""), free);
}

void h_staff_me(req *r)
{
    reply_json_new(r, 200, json_pack("{s:s, s:s, s:s, s:s*}", "username", r->staff.username,
                                     "role", auth_role_name(r->staff.role), "csrf_token",
                                     r->staff.csrf, "agency",
                                     r->staff.agency[0] ? r->staff.agency : NULL));
}

static int user_run(req *r, db_conn *c)
{
    staff_ctx *x = r->ctx;
    sqlite3_stmt *st = db_stmt(c, Q_USER_UPSERT);
    db_bind_text(st, 1, x->username);
    db_bind_text(st, 2, x->pw_hash);
    db_bind_text(st, 3, auth_role_name(x->role));
    sqlite3_bind_int64(st, 4, clock_now_ms());
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được tài khoản");
        return -1;
    }
    st = db_stmt(c, Q_USER_SET_AGENCY);
    db_bind_text(st, 1, x->username);
    db_bind_text(st, 2, x->agency[0] ? x->agency : NULL);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được tài khoản");
        return -1;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"role\":\"%s\"}", x->username,
             auth_role_name(x->role));
    db_audit(c, r->staff.username, "user.set", detail);
    reply_json_new(r, 201, json_pack("{s:s, s:s}", "username", x->username, "role",
                                     auth_role_name(x->role)));
    return 0;
}

void h_user_add(req *r)
{
    const char *user = str_field(r, "username", 63);
    const char *pw = user ? str_field(r, "password", 1024) : NULL;
    const char *role = pw ? str_field(r, "role", 16) : NULL;
    if (!role)
        return;
    for (const char *p = user; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-')) {
            reply_error(r, 400, "validation", "username",
                        "Tên đăng nhập chỉ gồm a-z, 0-9, dấu chấm, gạch dưới, gạch ngang");
            return;
        }
    if (strlen(pw) < 10) {
        reply_error(r, 400, "validation", "password", "Mật khẩu cần ít nhất 10 ký tự");
        return;
    }
    staff_ctx *x = calloc(1, sizeof *x);
    if (!x)
        return;
    x->role = auth_role_from_name(role);
    if (!x->role) {
        staff_ctx_free(x);
        reply_error(r, 400, "validation", "role",
                    "Vai trò phải là admin, organiser, judge hoặc reporter");
        return;
    }
    if (x->role == ROLE_REPORTER) {
        const char *agency = str_field(r, "agency", 64);
        if (!agency || !plan_agency_known(db_reader(), agency)) {
            if (agency)
                reply_error(r, 400, "validation", "agency",
                            "Không có cơ quan \"%s\" trong các kế hoạch đã nạp", agency);
            staff_ctx_free(x);
            return;
        }
        snprintf(x->agency, sizeof x->agency, "%s", agency);
    }
    snprintf(x->username, sizeof x->username, "%s", user);
    if (auth_password_hash(pw, x->pw_hash) != 0) {
        staff_ctx_free(x);
        reply_error(r, 500, "internal", NULL, "Không băm được mật khẩu");
        return;
    }
    req_defer(r, user_run, x, staff_ctx_free);
}

void h_admin_contests(req *r)
{
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_LIST);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", db_col_text(st, 1),
                                              "title", db_col_text(st, 2), "organiser",
                                              db_col_text(st, 3)));
    db_done(st);
    reply_json_new(r, 200, json_pack("{s:o}", "contests", list));
}

static int contest_run(req *r, db_conn *c)
{
    staff_ctx *x = r->ctx;
    char err[512];
    int64_t id;
    if (contest_load(c, x->doc, clock_now_ms(), &id, err, sizeof err) != 0) {
        char field[128];
        snprintf(field, sizeof field, "%.127s", err);
        char *colon = strstr(field, ": ");
        if (colon)
            *colon = '\0';
        reply_error(r, 400, "validation", field, "%s", err);
        return -1;
    }
    char detail[200];
    snprintf(detail, sizeof detail, "{\"contest\":\"%.64s\"}",
             json_string_value(json_object_get(x->doc, "id")));
    db_audit(c, r->staff.username, "contest.load", detail);
    reply_json_new(r, 201, json_pack("{s:O, s:I}", "contest_id", json_object_get(x->doc, "id"),
                                     "id", (json_int_t)id));
    return 0;
}

void h_contest_upload(req *r)
{
    staff_ctx *x = calloc(1, sizeof *x);
    if (!x)
        return;
    x->doc = json_incref(r->json);
    req_defer(r, contest_run, x, staff_ctx_free);
}

void h_round_results(req *r)
{
    int64_t id = req_param_id(r, 0);
    int limit, offset;
    if (id < 0) {
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        return;
    }
    if (query_page(r, 10000, &limit, &offset) != 0)
        return;
    int track = query_track(r);
    if (track < 0)
        return;
    app_err e;
    json_t *j = board_round(db_reader(), id, track, limit, offset, clock_now_ms(), &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}
