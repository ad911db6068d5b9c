#include "plan/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/coverage.h"
#include "plan/plan.h"
#include "plan/status.h"
#include "quiz/board.h"
#include "util/clock.h"

#define ALL_DAYS_FROM (-1000000)
#define ALL_DAYS_TO 1000000

typedef struct task_row {
    int64_t id;
    char *key, *source, *section, *text, *agency;
    json_t *coordinating;
    json_t *contests;
    plan_freq freq;
    int start, due;
    int *dates;
    unsigned char *done;
    size_t nrep, caprep;
    plan_status_info st;
} task_row;

typedef struct pctx {
    int64_t row;
    char key[PLAN_ID_MAX + 8];
    char *number, *title;
    int year, start, end, grace;
    json_t *doc;
    json_t *agencies;        /* [{id, name, kind}] in the plan's order */
    task_row *tasks;
    size_t ntasks;
    json_t *figures;         /* contest id -> {"id","title","found","units":{agency: fig}} */
} pctx;

static void pctx_free(pctx *x)
{
    for (size_t i = 0; i < x->ntasks; i++) {
        task_row *t = &x->tasks[i];
        free(t->key);
        free(t->source);
        free(t->section);
        free(t->text);
        free(t->agency);
        json_decref(t->coordinating);
        json_decref(t->contests);
        free(t->dates);
        free(t->done);
    }
    free(x->tasks);
    free(x->number);
    free(x->title);
    json_decref(x->doc);
    json_decref(x->agencies);
    json_decref(x->figures);
    memset(x, 0, sizeof *x);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    return strdup(db_col_text(st, i));
}

static json_t *day_json(int day)
{
    char s[16];
    plan_day_format(day, s, sizeof s);
    return json_string(s);
}

static json_t *day_or_null(int day)
{
    return day >= 0 ? day_json(day) : json_null();
}

static json_t *iso_json(int64_t ms)
{
    char t[40];
    clock_iso_utc(ms, t, sizeof t);
    return json_string(t);
}

static int load_plan(db_conn *c, const char *plan_id, pctx *x, app_err *e)
{
    memset(x, 0, sizeof *x);
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_BY_KEY);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return -1;
    }
    db_bind_text(st, 1, plan_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy kế hoạch \"%.64s\"", plan_id);
        return -1;
    }
    x->row = sqlite3_column_int64(st, 0);
    snprintf(x->key, sizeof x->key, "%s", db_col_text(st, 1));
    x->number = dup_col(st, 2);
    x->title = dup_col(st, 3);
    x->year = sqlite3_column_int(st, 4);
    x->start = sqlite3_column_int(st, 5);
    x->end = sqlite3_column_int(st, 6);
    x->grace = sqlite3_column_int(st, 7);
    x->doc = json_loads(db_col_text(st, 8), 0, NULL);
    db_done(st);
    x->agencies = json_array();
    st = db_stmt(c, Q_PLAN_AGENCIES);
    sqlite3_bind_int64(st, 1, x->row);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(x->agencies, json_pack("{s:s, s:s, s:s}", "id", db_col_text(st, 0),
                                                     "name", db_col_text(st, 1), "kind",
                                                     db_col_text(st, 2)));
    db_done(st);
    if (!x->doc || !x->number || !x->title) {
        pctx_free(x);
        APP_ERR(e, 500, "internal", NULL, "Dữ liệu kế hoạch bị hỏng");
        return -1;
    }
    return 0;
}

static json_t *agency_of(const pctx *x, const char *id)
{
    size_t i;
    json_t *a;
    json_array_foreach(x->agencies, i, a)
        if (strcmp(json_string_value(json_object_get(a, "id")), id) == 0)
            return a;
    return NULL;
}

static const char *agency_name(const pctx *x, const char *id)
{
    json_t *a = agency_of(x, id);
    return a ? json_string_value(json_object_get(a, "name")) : id;
}

static json_t *agency_ref(const pctx *x, const char *id)
{
    return json_pack("{s:s, s:s}", "id", id, "name", agency_name(x, id));
}

static int cmp_task_id(const void *a, const void *b)
{
    int64_t x = (*(task_row *const *)a)->id, y = (*(task_row *const *)b)->id;
    return x < y ? -1 : x > y;
}

static task_row *task_by_id(task_row **index, size_t n, int64_t id)
{
    task_row key;
    key.id = id;
    task_row *kp = &key;
    task_row **hit = bsearch(&kp, index, n, sizeof *index, cmp_task_id);
    return hit ? *hit : NULL;
}

static int push_report(task_row *t, int day, int done)
{
    if (t->nrep == t->caprep) {
        size_t cap = t->caprep ? t->caprep * 2 : 8;
        int *d = realloc(t->dates, cap * sizeof *d);
        if (!d)
            return -1;
        t->dates = d;
        unsigned char *f = realloc(t->done, cap);
        if (!f)
            return -1;
        t->done = f;
        t->caprep = cap;
    }
    t->dates[t->nrep] = day;
    t->done[t->nrep] = (unsigned char)(done != 0);
    t->nrep++;
    return 0;
}

/* Loads the active tasks and their report dates. */
static int load_tasks(db_conn *c, pctx *x, app_err *e)
{
    size_t cap = 0;
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_TASKS);
    sqlite3_bind_int64(st, 1, x->row);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (x->ntasks == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            task_row *nt = realloc(x->tasks, ncap * sizeof *nt);
            if (!nt)
                break;
            x->tasks = nt;
            cap = ncap;
        }
        task_row *t = &x->tasks[x->ntasks++];
        memset(t, 0, sizeof *t);
        t->id = sqlite3_column_int64(st, 0);
        t->key = dup_col(st, 1);
        t->source = dup_col(st, 2);
        t->section = dup_col(st, 3);
        t->text = dup_col(st, 4);
        t->agency = dup_col(st, 5);
        t->coordinating = json_loads(db_col_text(st, 6), 0, NULL);
        t->freq = (plan_freq)sqlite3_column_int(st, 7);
        t->start = sqlite3_column_int(st, 8);
        t->due = sqlite3_column_int(st, 9);
        t->contests = json_loads(db_col_text(st, 10), 0, NULL);
        if (!t->coordinating)
            t->coordinating = json_array();
        if (!t->contests)
            t->contests = json_array();
    }
    db_done(st);
    for (size_t i = 0; i < x->ntasks; i++)
        if (!x->tasks[i].key || !x->tasks[i].text || !x->tasks[i].agency ||
            !x->tasks[i].section || !x->tasks[i].source) {
            APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ");
            return -1;
        }
    task_row **index = malloc((x->ntasks + 1) * sizeof *index);
    if (!index) {
        APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ");
        return -1;
    }
    for (size_t i = 0; i < x->ntasks; i++)
        index[i] = &x->tasks[i];
    qsort(index, x->ntasks, sizeof *index, cmp_task_id);
    st = db_stmt(c, Q_PLAN_REPORT_DATES);
    sqlite3_bind_int64(st, 1, x->row);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        task_row *t = task_by_id(index, x->ntasks, sqlite3_column_int64(st, 0));
        if (t)
            rc = push_report(t, sqlite3_column_int(st, 1), sqlite3_column_int(st, 2));
    }
    db_done(st);
    free(index);
    if (rc != 0) {
        APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ");
        return -1;
    }
    return 0;
}

/* Live figures of every contest a task links to (board_units), by agency id. */
static void load_figures(db_conn *c, pctx *x)
{
    x->figures = json_object();
    for (size_t i = 0; i < x->ntasks; i++) {
        size_t k;
        json_t *cid;
        json_array_foreach(x->tasks[i].contests, k, cid)
        {
            const char *id = json_string_value(cid);
            if (!id || json_object_get(x->figures, id))
                continue;
            json_t *entry = json_pack("{s:s, s:n, s:b, s:{}}", "id", id, "title", "found", 0,
                                      "units");
            sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
            db_bind_text(st, 1, id);
            if (st && sqlite3_step(st) == SQLITE_ROW)
                json_object_set_new(entry, "title", json_string(db_col_text(st, 2)));
            db_done(st);
            app_err e;
            json_t *units = board_units(c, id, &e);
            if (units) {
                json_object_set_new(entry, "found", json_true());
                size_t u;
                json_t *unit;
                json_t *map = json_object_get(entry, "units");
                json_array_foreach(json_object_get(units, "units"), u, unit)
                {
                    const char *uid = json_string_value(json_object_get(unit, "id"));
                    if (uid)
                        json_object_set(map, uid, unit);
                }
                json_decref(units);
            }
            json_object_set_new(x->figures, id, entry);
        }
    }
}

static long task_participants(const pctx *x, const task_row *t)
{
    long n = 0;
    size_t k;
    json_t *cid;
    json_array_foreach(t->contests, k, cid)
    {
        json_t *units = json_object_get(json_object_get(x->figures, json_string_value(cid)),
                                        "units");
        const char *uk;
        json_t *u;
        json_object_foreach(units, uk, u)
            n += (long)json_integer_value(json_object_get(u, "participants"));
    }
    return n;
}

static plan_status derive(const pctx *x, task_row *t, int today, plan_status_info *info)
{
    plan_sched s = {t->freq, t->start, t->due, x->grace};
    return plan_status_derive(&s, t->dates, t->done, t->nrep, task_participants(x, t) > 0, today,
                              info);
}

static void derive_all(pctx *x, int today)
{
    for (size_t i = 0; i < x->ntasks; i++)
        derive(x, &x->tasks[i], today, &x->tasks[i].st);
}

static json_t *task_json(const pctx *x, const task_row *t)
{
    json_t *coord = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(t->coordinating, i, a)
        if (json_is_string(a))
            json_array_append_new(coord, agency_ref(x, json_string_value(a)));
    const plan_status_info *s = &t->st;
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o}", "id",
                          (json_int_t)t->id, "key", t->key, "source", t->source, "section",
                          t->section, "text", t->text, "agency", agency_ref(x, t->agency),
                          "coordinating", coord, "frequency", plan_freq_name(t->freq),
                          "frequency_label", plan_freq_label(t->freq), "start",
                          day_json(t->start), "due", day_json(t->due));
    json_object_set_new(j, "status", json_string(plan_status_name(s->status)));
    json_object_set_new(j, "status_label", json_string(plan_status_label(s->status)));
    json_object_set_new(j, "reports", json_integer(s->reports));
    json_object_set_new(j, "periods", json_integer(s->periods));
    json_object_set_new(j, "periods_ended", json_integer(s->ended));
    json_object_set_new(j, "periods_missed", json_integer(s->missed));
    json_object_set_new(j, "overdue_since", day_or_null(s->overdue_since));
    json_object_set_new(j, "next_due", day_or_null(s->next_due));
    json_object_set_new(j, "done_on", day_or_null(s->done_on));
    json_object_set(j, "contests", t->contests);
    return j;
}

/* Contest figures: for each linked contest of the tasks given (or all when
 * t is NULL), per agency; only agency when it is not NULL. */
static json_t *figures_json(const pctx *x, const task_row *only, const char *agency)
{
    json_t *out = json_array();
    json_t *seen = json_object();
    for (size_t i = 0; i < x->ntasks; i++) {
        const task_row *t = only ? only : &x->tasks[i];
        size_t k;
        json_t *cid;
        json_array_foreach(t->contests, k, cid)
        {
            const char *id = json_string_value(cid);
            json_t *entry = id ? json_object_get(x->figures, id) : NULL;
            if (!entry || json_object_get(seen, id))
                continue;
            json_object_set_new(seen, id, json_true());
            json_t *units = json_object_get(entry, "units");
            json_t *rows = json_array();
            size_t ai;
            json_t *ag;
            json_array_foreach(x->agencies, ai, ag)
            {
                const char *aid = json_string_value(json_object_get(ag, "id"));
                json_t *u = json_object_get(units, aid);
                if (!u || (agency && strcmp(agency, aid) != 0))
                    continue;
                json_t *row = json_deep_copy(u);
                json_object_set_new(row, "agency", json_string(aid));
                json_object_set(row, "agency_name", json_object_get(ag, "name"));
                json_array_append_new(rows, row);
            }
            json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:o}", "id",
                                                 json_object_get(entry, "id"), "title",
                                                 json_object_get(entry, "title"), "found",
                                                 json_object_get(entry, "found"), "agencies",
                                                 rows));
        }
        if (only)
            break;
    }
    json_decref(seen);
    return out;
}

static json_t *counts_new(void)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i}", "total", 0, "not_started", 0, "in_progress", 0,
                     "done", 0, "overdue", 0);
}

static void counts_add(json_t *counts, plan_status s)
{
    const char *name = plan_status_name(s);
    json_object_set_new(counts, name,
                        json_integer(json_integer_value(json_object_get(counts, name)) + 1));
    json_object_set_new(counts, "total",
                        json_integer(json_integer_value(json_object_get(counts, "total")) + 1));
}

static json_t *plan_head(const pctx *x)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:O, s:O, s:i, s:{s:o, s:o}, s:i}", "id", x->key,
                          "number", x->number, "title", x->title, "issuer",
                          json_object_get(x->doc, "issuer"), "date",
                          json_object_get(x->doc, "date"), "year", x->year, "period", "start",
                          day_json(x->start), "end", day_json(x->end), "grace_days", x->grace);
    return j;
}

static int status_rank(plan_status s)
{
    switch (s) {
    case PLAN_OVERDUE: return 0;
    case PLAN_IN_PROGRESS: return 1;
    case PLAN_NOT_STARTED: return 2;
    default: return 3;
    }
}

static __thread const pctx *sort_ctx; /* qsort has no context argument */

static int cmp_task(const void *a, const void *b)
{
    const task_row *x = &sort_ctx->tasks[*(const size_t *)a];
    const task_row *y = &sort_ctx->tasks[*(const size_t *)b];
    int rx = status_rank(x->st.status), ry = status_rank(y->st.status);
    if (rx != ry)
        return rx - ry;
    if (x->st.status == PLAN_OVERDUE && x->st.overdue_since != y->st.overdue_since)
        return x->st.overdue_since - y->st.overdue_since;
    return x < y ? -1 : x > y;
}

/* Task indexes, overdue first (oldest first), then in progress, not started, done;
 * the plan's order within each. agency filters when not NULL. */
static size_t *sorted_tasks(const pctx *x, const char *agency, size_t *n)
{
    size_t *idx = malloc((x->ntasks + 1) * sizeof *idx);
    *n = 0;
    if (!idx)
        return NULL;
    for (size_t i = 0; i < x->ntasks; i++)
        if (!agency || strcmp(x->tasks[i].agency, agency) == 0)
            idx[(*n)++] = i;
    sort_ctx = x;
    qsort(idx, *n, sizeof *idx, cmp_task);
    return idx;
}

/* Month-end snapshots of the statuses and the reports filed each month. */
static json_t *timeline_json(pctx *x, int today)
{
    json_t *out = json_array();
    int last = today < x->end ? today : x->end;
    if (last < x->start)
        return out;
    int ms, me;
    plan_period_of(PLAN_MONTHLY, x->start, &ms, &me);
    for (int guard = 0; ms <= last && guard < 1200; guard++) {
        int snap = me < last ? me : last;
        json_t *counts = counts_new();
        long reports = 0;
        for (size_t i = 0; i < x->ntasks; i++) {
            task_row *t = &x->tasks[i];
            counts_add(counts, derive(x, t, snap, NULL));
            for (size_t r = 0; r < t->nrep; r++)
                reports += t->dates[r] >= ms && t->dates[r] <= snap;
        }
        int y, m, d;
        plan_day_to_ymd(ms, &y, &m, &d);
        char label[16];
        snprintf(label, sizeof label, "%04d-%02d", y, m);
        json_object_set_new(counts, "month", json_string(label));
        json_object_set_new(counts, "as_of", day_json(snap));
        json_object_set_new(counts, "reports", json_integer(reports));
        json_array_append_new(out, counts);
        plan_period_of(PLAN_MONTHLY, me + 1, &ms, &me);
    }
    return out;
}

json_t *plan_view_list(db_conn *c, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_LIST);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:i, s:{s:o, s:o}, s:I}", "id", db_col_text(st, 1),
                            "number", db_col_text(st, 2), "title", db_col_text(st, 3), "year",
                            sqlite3_column_int(st, 4), "period", "start",
                            day_json(sqlite3_column_int(st, 5)), "end",
                            day_json(sqlite3_column_int(st, 6)), "tasks",
                            (json_int_t)sqlite3_column_int64(st, 7)));
    db_done(st);
    return json_pack("{s:o}", "plans", list);
}

static int open_plan(db_conn *c, const char *plan_id, int today, pctx *x, app_err *e)
{
    if (load_plan(c, plan_id, x, e) != 0)
        return -1;
    if (load_tasks(c, x, e) != 0) {
        pctx_free(x);
        return -1;
    }
    load_figures(c, x);
    derive_all(x, today);
    return 0;
}

json_t *plan_view_overview(db_conn *c, const char *plan_id, int today, app_err *e)
{
    pctx x;
    if (open_plan(c, plan_id, today, &x, e) != 0)
        return NULL;
    json_t *j = plan_head(&x);
    static const char *const copy[] = {"grounds", "purposes", "requirements", "audiences",
                                       "content", "forms", "budget", "agency_kinds",
                                       "distribution", NULL};
    for (int i = 0; copy[i]; i++) {
        json_t *v = json_object_get(x.doc, copy[i]);
        json_object_set(j, copy[i], v ? v : json_null());
    }
    json_object_set_new(j, "as_of", day_json(today));
    json_t *counts = counts_new();
    json_t *by_agency = json_object();
    for (size_t i = 0; i < x.ntasks; i++) {
        counts_add(counts, x.tasks[i].st.status);
        json_t *ac = json_object_get(by_agency, x.tasks[i].agency);
        if (!ac) {
            ac = counts_new();
            json_object_set_new(by_agency, x.tasks[i].agency, ac);
        }
        counts_add(ac, x.tasks[i].st.status);
    }
    json_t *agencies = json_array();
    size_t ai;
    json_t *ag;
    json_array_foreach(x.agencies, ai, ag)
    {
        json_t *a = json_deep_copy(ag);
        json_t *ac = json_object_get(by_agency, json_string_value(json_object_get(ag, "id")));
        json_object_set_new(a, "counts", ac ? json_incref(ac) : counts_new());
        json_array_append_new(agencies, a);
    }
    json_decref(by_agency);
    size_t n;
    size_t *idx = sorted_tasks(&x, NULL, &n);
    json_t *tasks = json_array();
    for (size_t i = 0; idx && i < n; i++)
        json_array_append_new(tasks, task_json(&x, &x.tasks[idx[i]]));
    free(idx);
    json_object_set_new(j, "counts", counts);
    json_object_set_new(j, "agencies", agencies);
    json_object_set_new(j, "tasks", tasks);
    json_object_set_new(j, "timeline", timeline_json(&x, today));
    json_object_set_new(j, "contests", figures_json(&x, NULL, NULL));
    pctx_free(&x);
    return j;
}

/* Reports (newest first) with their comments, of one agency or one task. */
static json_t *reports_json(db_conn *c, const pctx *x, const char *agency, int64_t task_id)
{
    json_t *comments = json_object();
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_COMMENTS);
    sqlite3_bind_int64(st, 1, x->row);
    db_bind_text(st, 2, agency);
    if (task_id > 0)
        sqlite3_bind_int64(st, 3, task_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char rid[32];
        snprintf(rid, sizeof rid, "%lld", (long long)sqlite3_column_int64(st, 1));
        json_t *list = json_object_get(comments, rid);
        if (!list) {
            list = json_array();
            json_object_set_new(comments, rid, list);
        }
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o}", "id",
                                              (json_int_t)sqlite3_column_int64(st, 0), "author",
                                              db_col_text(st, 2), "text", db_col_text(st, 3),
                                              "created_at", iso_json(sqlite3_column_int64(st, 4))));
    }
    db_done(st);
    json_t *out = json_array();
    st = db_stmt(c, Q_PLAN_REPORTS);
    sqlite3_bind_int64(st, 1, x->row);
    db_bind_text(st, 2, agency);
    if (task_id > 0)
        sqlite3_bind_int64(st, 3, task_id);
    sqlite3_bind_int(st, 4, ALL_DAYS_FROM);
    sqlite3_bind_int(st, 5, ALL_DAYS_TO);
    while (sqlite3_step(st) == SQLITE_ROW) {
        static const char *const fig[] = {"articles", "broadcast_minutes", "conferences",
                                          "participants"};
        json_t *figures = json_object();
        for (int k = 0; k < 4; k++)
            json_object_set_new(figures, fig[k],
                                sqlite3_column_type(st, 5 + k) == SQLITE_NULL
                                    ? json_null()
                                    : json_integer(sqlite3_column_int64(st, 5 + k)));
        json_t *evidence = json_loads(db_col_text(st, 9), 0, NULL);
        char rid[32];
        snprintf(rid, sizeof rid, "%lld", (long long)sqlite3_column_int64(st, 0));
        json_t *cm = json_object_get(comments, rid);
        json_array_append_new(
            out, json_pack("{s:I, s:I, s:s, s:o, s:s, s:o, s:o, s:b, s:s, s:o, s:o}", "id",
                           (json_int_t)sqlite3_column_int64(st, 0), "task_id",
                           (json_int_t)sqlite3_column_int64(st, 1), "agency", db_col_text(st, 2),
                           "date", day_json(sqlite3_column_int(st, 3)), "text",
                           db_col_text(st, 4), "figures", figures, "evidence",
                           evidence ? evidence : json_array(), "done", sqlite3_column_int(st, 10),
                           "author", db_col_text(st, 11), "created_at",
                           iso_json(sqlite3_column_int64(st, 12)), "comments",
                           cm ? json_incref(cm) : json_array()));
    }
    db_done(st);
    json_decref(comments);
    return out;
}

json_t *plan_view_agency(db_conn *c, const char *plan_id, const char *agency, int today,
                         app_err *e)
{
    pctx x;
    if (open_plan(c, plan_id, today, &x, e) != 0)
        return NULL;
    json_t *ag = agency_of(&x, agency);
    if (!ag) {
        pctx_free(&x);
        APP_ERR(e, 404, "not_found", NULL, "Kế hoạch không có cơ quan \"%.64s\"", agency);
        return NULL;
    }
    json_t *j = json_pack("{s:o, s:O, s:o}", "plan", plan_head(&x), "agency", ag, "as_of",
                          day_json(today));
    json_t *counts = counts_new();
    size_t n;
    size_t *idx = sorted_tasks(&x, agency, &n);
    json_t *tasks = json_array();
    for (size_t i = 0; idx && i < n; i++) {
        counts_add(counts, x.tasks[idx[i]].st.status);
        json_array_append_new(tasks, task_json(&x, &x.tasks[idx[i]]));
    }
    free(idx);
    json_t *coord = json_array();
    for (size_t i = 0; i < x.ntasks; i++) {
        size_t k;
        json_t *a;
        json_array_foreach(x.tasks[i].coordinating, k, a)
            if (json_is_string(a) && strcmp(json_string_value(a), agency) == 0)
                json_array_append_new(coord, task_json(&x, &x.tasks[i]));
    }
    json_object_set_new(j, "counts", counts);
    json_object_set_new(j, "tasks", tasks);
    json_object_set_new(j, "coordinating", coord);
    json_object_set_new(j, "reports", reports_json(c, &x, agency, 0));
    json_object_set_new(j, "contests", figures_json(&x, NULL, agency));
    pctx_free(&x);
    return j;
}

int plan_task_agency(db_conn *c, int64_t task_id, char *agency, size_t n)
{
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_TASK_GET);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, task_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(agency, n, "%s", db_col_text(st, 5));
    db_done(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int plan_report_owner(db_conn *c, int64_t report_id, int64_t *task_id, char *agency, size_t n)
{
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_REPORT_GET);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, report_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *task_id = sqlite3_column_int64(st, 1);
        snprintf(agency, n, "%s", db_col_text(st, 2));
    }
    db_done(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

json_t *plan_view_task(db_conn *c, int64_t task_id, int today, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_TASK_GET);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, task_id);
    char plan_id[PLAN_ID_MAX + 8] = "";
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(plan_id, sizeof plan_id, "%s", db_col_text(st, 12));
    db_done(st);
    if (!plan_id[0]) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy nhiệm vụ");
        return NULL;
    }
    pctx x;
    if (open_plan(c, plan_id, today, &x, e) != 0)
        return NULL;
    const task_row *t = NULL;
    for (size_t i = 0; i < x.ntasks && !t; i++)
        if (x.tasks[i].id == task_id)
            t = &x.tasks[i];
    if (!t) {
        pctx_free(&x);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy nhiệm vụ");
        return NULL;
    }
    json_t *j = json_pack("{s:o, s:o, s:o}", "plan", plan_head(&x), "as_of", day_json(today),
                          "task", task_json(&x, t));
    json_object_set_new(j, "reports", reports_json(c, &x, NULL, task_id));
    json_object_set_new(j, "contests", figures_json(&x, t, NULL));
    pctx_free(&x);
    return j;
}

json_t *plan_view_coverage(db_conn *c, const char *plan_id, app_err *e)
{
    pctx x;
    if (load_plan(c, plan_id, &x, e) != 0)
        return NULL;
    json_t *content = json_incref(json_object_get(x.doc, "content"));
    if (!content)
        content = json_array();
    json_t *cov = plan_coverage(c, content, e);
    json_decref(content);
    if (cov)
        json_object_set_new(cov, "plan", plan_head(&x));
    pctx_free(&x);
    return cov;
}

int plan_period_parse(const char *s, int *from, int *to, char *label, size_t n)
{
    static const char *const roman[] = {"I", "II", "III", "IV"};
    int y = 0;
    size_t len = s ? strlen(s) : 0;
    if (len < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    if (y < 1990 || y > 2200)
        return -1;
    if (len == 4) {
        *from = plan_day_from_ymd(y, 1, 1);
        *to = plan_day_from_ymd(y, 12, 31);
        snprintf(label, n, "Năm %d", y);
        return 0;
    }
    if (len == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
        int q = s[6] - '0';
        *from = plan_day_from_ymd(y, (q - 1) * 3 + 1, 1);
        *to = (q == 4 ? plan_day_from_ymd(y + 1, 1, 1) : plan_day_from_ymd(y, q * 3 + 1, 1)) - 1;
        snprintf(label, n, "Quý %s năm %d", roman[q - 1], y);
        return 0;
    }
    if (len == 7 && s[4] == '-' && s[5] == 'H' && (s[6] == '1' || s[6] == '2')) {
        int h = s[6] - '0';
        *from = plan_day_from_ymd(y, h == 1 ? 1 : 7, 1);
        *to = h == 1 ? plan_day_from_ymd(y, 6, 30) : plan_day_from_ymd(y, 12, 31);
        snprintf(label, n, "6 tháng %s năm %d", h == 1 ? "đầu" : "cuối", y);
        return 0;
    }
    if (len == 7 && s[4] == '-' && s[5] >= '0' && s[5] <= '1' && s[6] >= '0' && s[6] <= '9') {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return -1;
        plan_period_of(PLAN_MONTHLY, plan_day_from_ymd(y, m, 1), from, to);
        snprintf(label, n, "Tháng %d năm %d", m, y);
        return 0;
    }
    return -1;
}

static void add_int(json_t *obj, const char *key, json_int_t v)
{
    json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + v));
}

static const char *kind_name(const pctx *x, const char *kind)
{
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(x->doc, "agency_kinds"), i, k)
        if (json_is_string(json_object_get(k, "id")) &&
            strcmp(json_string_value(json_object_get(k, "id")), kind) == 0)
            return json_string_value(json_object_get(k, "name"));
    return kind;
}

/* Contest participation of one agency over every contest the plan links:
 * participants and finished attempts summed, the headcount the largest given,
 * the average score weighted by participants. NULL when no linked contest has
 * the agency as a unit. */
static json_t *agency_contest(const pctx *x, const char *agency)
{
    const char *cid;
    json_t *entry;
    long parts = 0, finished = 0, head = 0, units = 0;
    double wsum = 0, wn = 0;
    json_object_foreach(x->figures, cid, entry)
    {
        json_t *u = json_object_get(json_object_get(entry, "units"), agency);
        if (!u)
            continue;
        units++;
        long p = (long)json_integer_value(json_object_get(u, "participants"));
        parts += p;
        finished += (long)json_integer_value(json_object_get(u, "finished_attempts"));
        long h = (long)json_integer_value(json_object_get(u, "headcount"));
        if (h > head)
            head = h;
        json_t *avg = json_object_get(u, "average_score");
        if (json_is_number(avg) && p > 0) {
            wsum += json_number_value(avg) * (double)p;
            wn += (double)p;
        }
    }
    if (!units)
        return NULL;
    json_t *rate = head > 0 ? json_real((double)(long)((double)parts * 10000 / (double)head + 0.5) /
                                        10000.0)
                            : json_null();
    json_t *avg = wn > 0 ? json_real((double)(long)(wsum / wn * 100 + 0.5) / 100.0) : json_null();
    return json_pack("{s:I, s:I, s:o, s:o, s:o}", "participants", (json_int_t)parts,
                     "finished_attempts", (json_int_t)finished, "headcount",
                     head > 0 ? json_integer(head) : json_null(), "participation_rate", rate,
                     "average_score", avg);
}

json_t *plan_view_summary(db_conn *c, const char *plan_id, const char *period, int today,
                          app_err *e)
{
    int from, to;
    char label[64];
    if (plan_period_parse(period, &from, &to, label, sizeof label) != 0) {
        APP_ERR(e, 400, "validation", "period",
                "Kỳ báo cáo phải có dạng 2017, 2017-Q1 … 2017-Q4, 2017-H1, 2017-H2 hoặc 2017-03");
        return NULL;
    }
    int as_of = to < today ? to : today;
    pctx x;
    if (open_plan(c, plan_id, as_of, &x, e) != 0)
        return NULL;
    static const char *const fig[] = {"articles", "broadcast_minutes", "conferences",
                                      "participants"};
    /* per agency: report figures dated in the period */
    json_t *by_agency = json_object();
    json_t *task_reports = json_object();
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_REPORTS);
    sqlite3_bind_int64(st, 1, x.row);
    sqlite3_bind_int(st, 4, from);
    sqlite3_bind_int(st, 5, as_of);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *agency = db_col_text(st, 2);
        json_t *a = json_object_get(by_agency, agency);
        if (!a) {
            a = json_pack("{s:i, s:i, s:i, s:i, s:i}", "reports", 0, "articles", 0,
                          "broadcast_minutes", 0, "conferences", 0, "participants", 0);
            json_object_set_new(by_agency, agency, a);
        }
        add_int(a, "reports", 1);
        for (int k = 0; k < 4; k++)
            add_int(a, fig[k], sqlite3_column_int64(st, 5 + k));
        char tid[32];
        snprintf(tid, sizeof tid, "%lld", (long long)sqlite3_column_int64(st, 1));
        json_t *tr = json_object_get(task_reports, tid);
        json_object_set_new(task_reports, tid, json_integer(json_integer_value(tr) + 1));
    }
    db_done(st);
    json_t *totals = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
                               "tasks", 0, "done", 0, "overdue", 0, "in_progress", 0,
                               "not_started", 0, "reports", 0, "articles", 0, "broadcast_minutes",
                               0, "conferences", 0, "participants", 0, "contest_participants", 0,
                               "contest_finished_attempts", 0);
    json_t *rows = json_array();
    size_t ai;
    json_t *ag;
    json_array_foreach(x.agencies, ai, ag)
    {
        const char *aid = json_string_value(json_object_get(ag, "id"));
        json_t *counts = counts_new();
        for (size_t i = 0; i < x.ntasks; i++)
            if (strcmp(x.tasks[i].agency, aid) == 0)
                counts_add(counts, x.tasks[i].st.status);
        json_t *contest = agency_contest(&x, aid);
        if (json_integer_value(json_object_get(counts, "total")) == 0 && !contest) {
            json_decref(counts);
            continue;
        }
        json_t *rep = json_object_get(by_agency, aid);
        json_t *figures = json_object();
        for (int k = 0; k < 4; k++)
            json_object_set_new(figures, fig[k],
                                json_integer(json_integer_value(json_object_get(rep, fig[k]))));
        json_int_t nrep = json_integer_value(json_object_get(rep, "reports"));
        const char *kind = json_string_value(json_object_get(ag, "kind"));
        json_t *row = json_pack(
            "{s:s, s:O, s:s, s:s, s:O, s:O, s:O, s:O, s:O, s:I, s:o, s:o}", "id", aid, "name",
            json_object_get(ag, "name"), "kind", kind, "kind_name", kind_name(&x, kind), "tasks",
            json_object_get(counts, "total"), "done", json_object_get(counts, "done"), "overdue",
            json_object_get(counts, "overdue"), "in_progress",
            json_object_get(counts, "in_progress"), "not_started",
            json_object_get(counts, "not_started"), "reports", nrep, "figures", figures, "contest",
            contest ? contest : json_null());
        add_int(totals, "tasks", json_integer_value(json_object_get(counts, "total")));
        static const char *const cn[] = {"done", "overdue", "in_progress", "not_started"};
        for (int k = 0; k < 4; k++)
            add_int(totals, cn[k], json_integer_value(json_object_get(counts, cn[k])));
        add_int(totals, "reports", nrep);
        for (int k = 0; k < 4; k++)
            add_int(totals, fig[k], json_integer_value(json_object_get(figures, fig[k])));
        if (contest) {
            add_int(totals, "contest_participants",
                    json_integer_value(json_object_get(contest, "participants")));
            add_int(totals, "contest_finished_attempts",
                    json_integer_value(json_object_get(contest, "finished_attempts")));
        }
        json_decref(counts);
        json_array_append_new(rows, row);
    }
    json_t *tasks = json_array();
    for (size_t i = 0; i < x.ntasks; i++) {
        const task_row *t = &x.tasks[i];
        char tid[32];
        snprintf(tid, sizeof tid, "%lld", (long long)t->id);
        json_t *tj = task_json(&x, t);
        json_object_set_new(tj, "reports_in_period",
                            json_integer(json_integer_value(json_object_get(task_reports, tid))));
        json_array_append_new(tasks, tj);
    }
    json_t *j = json_pack("{s:o, s:{s:s, s:s, s:o, s:o}, s:o, s:o, s:o, s:o, s:o}", "plan",
                          plan_head(&x), "period", "key", period, "label", label, "from",
                          day_json(from), "to", day_json(to), "as_of", day_json(as_of), "agencies",
                          rows, "totals", totals, "tasks", tasks, "contests",
                          figures_json(&x, NULL, NULL));
    json_object_set(j, "agency_kinds", json_object_get(x.doc, "agency_kinds"));
    json_decref(by_agency);
    json_decref(task_reports);
    pctx_free(&x);
    return j;
}
