/* Plan-tracking routes (/api/plan/...): the plan dashboard, agency and task
 * pages, progress reports and comments, contest links, coverage and the
 * consolidated report (JSON and XLSX). Organisers (and admins) see everything;
 * a reporter sees and reports for its own agency only. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "http/handlers.h"
#include "plan/plan.h"
#include "plan/store.h"
#include "plan/view.h"
#include "plan/xlsx.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"

#define REPORT_TEXT_MAX 4000
#define COMMENT_TEXT_MAX 2000
#define EVIDENCE_MAX 10
#define FIGURE_MAX 1000000000LL

typedef struct plan_ctx {
    plan *plan;
    int64_t task_id;
    int64_t report_id;
    char agency[PLAN_ID_MAX + 8];
    int day;
    char *text;
    json_t *figures;   /* owned: {"articles": n|null, ...} */
    json_t *evidence;  /* owned */
    int done;
    json_t *contests;  /* owned */
} plan_ctx;

static void plan_ctx_free(void *p)
{
    plan_ctx *x = p;
    if (!x)
        return;
    plan_free(x->plan);
    free(x->text);
    json_decref(x->figures);
    json_decref(x->evidence);
    json_decref(x->contests);
    free(x);
}

static int is_reporter(req *r)
{
    return r->staff.role == ROLE_REPORTER;
}

/* 1 when the caller may see or report for agency; replies 403 otherwise. */
static int may_act_for(req *r, const char *agency)
{
    if (!is_reporter(r) || strcmp(r->staff.agency, agency) == 0)
        return 1;
    reply_error(r, 403, "forbidden", NULL,
                "Tài khoản báo cáo chỉ được xem và báo cáo cho cơ quan, đơn vị của mình");
    return 0;
}

/* The day statuses are judged on: ?as_of=YYYY-MM-DD or today. -1 (and a 400) if bad. */
static int query_day(req *r, int *day)
{
    const char *s = req_arg(r, "as_of");
    *day = plan_today(clock_now_ms());
    if (!s || !*s)
        return 0;
    if (strncmp(s, "today", 5) == 0 || plan_day_parse(s, *day, day) != 0) {
        reply_error(r, 400, "validation", "as_of", "as_of phải là ngày dạng 2017-03-31");
        return -1;
    }
    return 0;
}

static void reply_view(req *r, json_t *j, const app_err *e)
{
    if (!j)
        reply_app_err(r, e);
    else
        reply_json_new(r, 200, j);
}

/* ---- reading ---- */

void h_plan_list(req *r)
{
    app_err e;
    reply_view(r, plan_view_list(db_reader(), &e), &e);
}

void h_plan_get(req *r)
{
    int day;
    if (query_day(r, &day) != 0)
        return;
    app_err e;
    reply_view(r, plan_view_overview(db_reader(), r->params[0], day, &e), &e);
}

void h_plan_coverage(req *r)
{
    app_err e;
    reply_view(r, plan_view_coverage(db_reader(), r->params[0], &e), &e);
}

static json_t *summary_of(req *r)
{
    const char *period = req_arg(r, "period");
    if (!period || !*period) {
        reply_error(r, 400, "validation", "period",
                    "Thiếu kỳ báo cáo (period), ví dụ 2017, 2017-Q1, 2017-H1 hoặc 2017-03");
        return NULL;
    }
    int day;
    if (query_day(r, &day) != 0)
        return NULL;
    app_err e;
    json_t *j = plan_view_summary(db_reader(), r->params[0], period, day, &e);
    if (!j)
        reply_app_err(r, &e);
    return j;
}

void h_plan_summary(req *r)
{
    json_t *j = summary_of(r);
    if (j)
        reply_json_new(r, 200, j);
}

void h_plan_summary_xlsx(req *r)
{
    json_t *j = summary_of(r);
    if (!j)
        return;
    char *data = NULL;
    size_t len = 0;
    char err[256];
    if (plan_summary_xlsx(j, &data, &len, err, sizeof err) != 0) {
        json_decref(j);
        log_error("summary xlsx: %s", err);
        reply_error(r, 500, "internal", NULL, "Không tạo được tệp Excel");
        return;
    }
    json_decref(j);
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"bao-cao-%.64s-%.16s.xlsx\"", r->params[0],
             req_arg(r, "period"));
    reply_header(r, "Content-Disposition", cd);
    reply_take(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data,
               len);
}

void h_plan_agency(req *r)
{
    if (!may_act_for(r, r->params[1]))
        return;
    int day;
    if (query_day(r, &day) != 0)
        return;
    app_err e;
    reply_view(r, plan_view_agency(db_reader(), r->params[0], r->params[1], day, &e), &e);
}

/* Looks the task up and checks the caller may act for its agency; fills
 * agency. 0, or -1 after replying. */
static int task_for_caller(req *r, int64_t id, char *agency, size_t n)
{
    int rc = id > 0 ? plan_task_agency(db_reader(), id, agency, n) : 1;
    if (rc != 0) {
        if (rc < 0)
            reply_error(r, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        else
            reply_error(r, 404, "not_found", NULL, "Không tìm thấy nhiệm vụ");
        return -1;
    }
    return may_act_for(r, agency) ? 0 : -1;
}

void h_plan_task(req *r)
{
    char agency[PLAN_ID_MAX + 8];
    int64_t id = req_param_id(r, 0);
    if (task_for_caller(r, id, agency, sizeof agency) != 0)
        return;
    int day;
    if (query_day(r, &day) != 0)
        return;
    app_err e;
    reply_view(r, plan_view_task(db_reader(), id, day, &e), &e);
}

/* ---- loading a plan ---- */

static int upload_run(req *r, db_conn *c)
{
    plan_ctx *x = r->ctx;
    char err[512];
    int64_t row;
    if (plan_store(c, x->plan, clock_now_ms(), &row, err, sizeof err) != 0) {
        log_error("plan store: %s", err);
        reply_error(r, 503, "unavailable", NULL, "Không ghi được kế hoạch");
        return -1;
    }
    char detail[200];
    snprintf(detail, sizeof detail, "{\"plan\":\"%.64s\"}", x->plan->id);
    db_audit(c, r->staff.username, "plan.load", detail);
    reply_json_new(r, 201, json_pack("{s:s, s:I, s:I, s:I}", "plan_id", x->plan->id, "agencies",
                                     (json_int_t)x->plan->nagencies, "source_tasks",
                                     (json_int_t)x->plan->nsource, "tasks",
                                     (json_int_t)x->plan->ntasks));
    return 0;
}

void h_plan_upload(req *r)
{
    char err[512];
    plan *p = plan_from_json(r->json, plan_today(clock_now_ms()), err, sizeof err);
    if (!p) {
        char field[128];
        snprintf(field, sizeof field, "%.127s", err);
        char *colon = strstr(field, ": ");
        if (colon)
            *colon = '\0';
        reply_error(r, 400, "validation", field, "%s", err);
        return;
    }
    plan_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        plan_free(p);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->plan = p;
    req_defer(r, upload_run, x, plan_ctx_free);
}

/* ---- progress reports ---- */

static int report_run(req *r, db_conn *c)
{
    plan_ctx *x = r->ctx;
    char *evidence = json_dumps(x->evidence, JSON_COMPACT);
    sqlite3_stmt *st = evidence ? db_stmt(c, Q_PLAN_REPORT_INSERT) : NULL;
    if (!st) {
        free(evidence);
        reply_error(r, 503, "unavailable", NULL, "Không ghi được báo cáo");
        return -1;
    }
    static const char *const fig[] = {"articles", "broadcast_minutes", "conferences",
                                      "participants"};
    sqlite3_bind_int64(st, 1, x->task_id);
    db_bind_text(st, 2, x->agency);
    sqlite3_bind_int(st, 3, x->day);
    db_bind_text(st, 4, x->text);
    for (int k = 0; k < 4; k++) {
        json_t *v = json_object_get(x->figures, fig[k]);
        if (json_is_integer(v))
            sqlite3_bind_int64(st, 5 + k, json_integer_value(v));
        else
            sqlite3_bind_null(st, 5 + k);
    }
    db_bind_text(st, 9, evidence);
    sqlite3_bind_int(st, 10, x->done);
    db_bind_text(st, 11, r->staff.username);
    sqlite3_bind_int64(st, 12, clock_now_ms());
    int rc = sqlite3_step(st);
    db_done(st);
    free(evidence);
    if (rc != SQLITE_DONE) {
        log_error("plan report: %s", sqlite3_errmsg(db_handle(c)));
        reply_error(r, 503, "unavailable", NULL, "Không ghi được báo cáo");
        return -1;
    }
    int64_t id = sqlite3_last_insert_rowid(db_handle(c));
    char detail[200];
    snprintf(detail, sizeof detail, "{\"task\":%lld,\"report\":%lld,\"agency\":\"%.64s\"}",
             (long long)x->task_id, (long long)id, x->agency);
    db_audit(c, r->staff.username, "plan.report", detail);
    char d[16];
    plan_day_format(x->day, d, sizeof d);
    reply_json_new(r, 201, json_pack("{s:I, s:I, s:s, s:s, s:b}", "report_id", (json_int_t)id,
                                     "task_id", (json_int_t)x->task_id, "agency", x->agency,
                                     "date", d, "done", x->done));
    return 0;
}

/* Validated NFC text of a required member, or NULL after replying 400. */
static char *text_member(req *r, const char *name, size_t max)
{
    json_t *v = json_object_get(r->json, name);
    const char *s = json_string_value(v);
    if (!s || text_is_blank(s)) {
        reply_error(r, 400, "validation", name, "Vui lòng nhập nội dung");
        return NULL;
    }
    const char *why = NULL;
    char *t = text_nfc(s, json_string_length(v), &why);
    if (!t) {
        reply_error(r, 400, "validation", name, "Nội dung không hợp lệ");
        return NULL;
    }
    if (text_length_chars(t) > max) {
        free(t);
        reply_error(r, 400, "validation", name, "Nội dung dài quá %zu ký tự", max);
        return NULL;
    }
    return t;
}

static int unknown_member(req *r, json_t *obj, const char *const *allowed, const char *prefix)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = strcmp(allowed[i], k) == 0;
        if (!ok) {
            char field[96];
            snprintf(field, sizeof field, "%s%.60s", prefix, k);
            reply_error(r, 400, "validation", field, "Trường không được hỗ trợ: %.60s", k);
            return 1;
        }
    }
    return 0;
}

static int valid_url(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
        return 0;
    size_t n = strlen(s);
    if (n > 500 || n < 10)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == 0x7f)
            return 0;
    return 1;
}

void h_plan_report(req *r)
{
    plan_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->task_id = req_param_id(r, 0);
    if (task_for_caller(r, x->task_id, x->agency, sizeof x->agency) != 0)
        goto fail;
    static const char *const allowed[] = {"date", "text", "figures", "evidence", "done", NULL};
    if (unknown_member(r, r->json, allowed, ""))
        goto fail;
    int today = plan_today(clock_now_ms());
    json_t *date = json_object_get(r->json, "date");
    x->day = today;
    if (date && !json_is_null(date)) {
        const char *s = json_string_value(date);
        if (!s || strncmp(s, "today", 5) == 0 || plan_day_parse(s, today, &x->day) != 0) {
            reply_error(r, 400, "validation", "date", "Ngày báo cáo phải có dạng 2017-03-31");
            goto fail;
        }
        if (x->day > today) {
            reply_error(r, 400, "validation", "date", "Ngày báo cáo không được sau hôm nay");
            goto fail;
        }
    }
    x->text = text_member(r, "text", REPORT_TEXT_MAX);
    if (!x->text)
        goto fail;
    json_t *fig = json_object_get(r->json, "figures");
    x->figures = json_object();
    if (fig && !json_is_null(fig)) {
        static const char *const keys[] = {"articles", "broadcast_minutes", "conferences",
                                           "participants", NULL};
        if (!json_is_object(fig)) {
            reply_error(r, 400, "validation", "figures", "figures phải là một đối tượng");
            goto fail;
        }
        if (unknown_member(r, fig, keys, "figures."))
            goto fail;
        for (int k = 0; keys[k]; k++) {
            json_t *v = json_object_get(fig, keys[k]);
            if (!v || json_is_null(v))
                continue;
            if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                json_integer_value(v) > FIGURE_MAX) {
                char field[64];
                snprintf(field, sizeof field, "figures.%s", keys[k]);
                reply_error(r, 400, "validation", field, "Số liệu phải là số nguyên không âm");
                goto fail;
            }
            json_object_set(x->figures, keys[k], v);
        }
    }
    json_t *ev = json_object_get(r->json, "evidence");
    x->evidence = json_array();
    if (ev && !json_is_null(ev)) {
        if (!json_is_array(ev) || json_array_size(ev) > EVIDENCE_MAX) {
            reply_error(r, 400, "validation", "evidence",
                        "evidence phải là danh sách tối đa %d đường dẫn", EVIDENCE_MAX);
            goto fail;
        }
        size_t i;
        json_t *u;
        json_array_foreach(ev, i, u)
        {
            const char *s = json_string_value(u);
            if (!s || !valid_url(s)) {
                char field[32];
                snprintf(field, sizeof field, "evidence[%zu]", i);
                reply_error(r, 400, "validation", field,
                            "Đường dẫn minh chứng phải bắt đầu bằng https:// hoặc http://");
                goto fail;
            }
            json_array_append(x->evidence, u);
        }
    }
    json_t *done = json_object_get(r->json, "done");
    if (done && !json_is_boolean(done) && !json_is_null(done)) {
        reply_error(r, 400, "validation", "done", "done phải là true hoặc false");
        goto fail;
    }
    x->done = json_is_true(done);
    req_defer(r, report_run, x, plan_ctx_free);
    return;
fail:
    plan_ctx_free(x);
}

/* ---- comments (organisers) ---- */

static int comment_run(req *r, db_conn *c)
{
    plan_ctx *x = r->ctx;
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_COMMENT_INSERT);
    if (!st) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được ý kiến");
        return -1;
    }
    sqlite3_bind_int64(st, 1, x->report_id);
    db_bind_text(st, 2, r->staff.username);
    db_bind_text(st, 3, x->text);
    sqlite3_bind_int64(st, 4, clock_now_ms());
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được ý kiến");
        return -1;
    }
    int64_t id = sqlite3_last_insert_rowid(db_handle(c));
    char detail[120];
    snprintf(detail, sizeof detail, "{\"report\":%lld,\"comment\":%lld}",
             (long long)x->report_id, (long long)id);
    db_audit(c, r->staff.username, "plan.comment", detail);
    reply_json_new(r, 201, json_pack("{s:I, s:I, s:s}", "comment_id", (json_int_t)id, "report_id",
                                     (json_int_t)x->report_id, "author", r->staff.username));
    return 0;
}

void h_plan_comment(req *r)
{
    static const char *const allowed[] = {"text", NULL};
    if (unknown_member(r, r->json, allowed, ""))
        return;
    plan_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->report_id = req_param_id(r, 0);
    int rc = x->report_id > 0
                 ? plan_report_owner(db_reader(), x->report_id, &x->task_id, x->agency,
                                     sizeof x->agency)
                 : 1;
    if (rc != 0) {
        if (rc < 0)
            reply_error(r, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        else
            reply_error(r, 404, "not_found", NULL, "Không tìm thấy báo cáo");
        plan_ctx_free(x);
        return;
    }
    x->text = text_member(r, "text", COMMENT_TEXT_MAX);
    if (!x->text) {
        plan_ctx_free(x);
        return;
    }
    req_defer(r, comment_run, x, plan_ctx_free);
}

/* ---- contest links (organisers) ---- */

static int links_run(req *r, db_conn *c)
{
    plan_ctx *x = r->ctx;
    char *text = json_dumps(x->contests, JSON_COMPACT);
    sqlite3_stmt *st = text ? db_stmt(c, Q_PLAN_TASK_SET_CONTESTS) : NULL;
    if (!st) {
        free(text);
        reply_error(r, 503, "unavailable", NULL, "Không ghi được liên kết cuộc thi");
        return -1;
    }
    sqlite3_bind_int64(st, 1, x->task_id);
    db_bind_text(st, 2, text);
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(text);
        reply_error(r, 503, "unavailable", NULL, "Không ghi được liên kết cuộc thi");
        return -1;
    }
    char detail[400];
    snprintf(detail, sizeof detail, "{\"task\":%lld,\"contests\":%.300s}", (long long)x->task_id,
             text);
    free(text);
    db_audit(c, r->staff.username, "plan.link", detail);
    reply_json_new(r, 200, json_pack("{s:I, s:O}", "task_id", (json_int_t)x->task_id, "contests",
                                     x->contests));
    return 0;
}

void h_plan_links(req *r)
{
    static const char *const allowed[] = {"contests", NULL};
    if (unknown_member(r, r->json, allowed, ""))
        return;
    plan_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->task_id = req_param_id(r, 0);
    if (task_for_caller(r, x->task_id, x->agency, sizeof x->agency) != 0)
        goto fail;
    json_t *list = json_object_get(r->json, "contests");
    if (!json_is_array(list) || json_array_size(list) > 20) {
        reply_error(r, 400, "validation", "contests",
                    "contests phải là danh sách tối đa 20 mã cuộc thi");
        goto fail;
    }
    x->contests = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *id = json_string_value(v);
        char field[32];
        snprintf(field, sizeof field, "contests[%zu]", i);
        sqlite3_stmt *st = id && plan_is_id(id) ? db_stmt(db_reader(), Q_CONTEST_BY_KEY) : NULL;
        int found = 0;
        if (st) {
            db_bind_text(st, 1, id);
            found = sqlite3_step(st) == SQLITE_ROW;
            db_done(st);
        }
        if (!found) {
            reply_error(r, 400, "validation", field, "Không có cuộc thi \"%.64s\"",
                        id ? id : "");
            goto fail;
        }
        int dup = 0;
        size_t j;
        json_t *w;
        json_array_foreach(x->contests, j, w)
            dup = dup || json_equal(v, w);
        if (!dup)
            json_array_append(x->contests, v);
    }
    req_defer(r, links_run, x, plan_ctx_free);
    return;
fail:
    plan_ctx_free(x);
}
