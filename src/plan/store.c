#include "plan/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int step_done(db_conn *c, sqlite3_stmt *st, const char *what, char *err, size_t errn)
{
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        snprintf(err, errn, "%s: %s", what, sqlite3_errmsg(db_handle(c)));
        db_done(st);
        return -1;
    }
    db_done(st);
    return 0;
}

/* The union of the stored links and the file's, as JSON text (caller frees). */
static char *merged_contests(db_conn *c, int64_t plan_row, const plan_task *t)
{
    json_t *all = json_deep_copy(t->contests);
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_TASK_CONTESTS_BY_KEY);
    if (st && all) {
        sqlite3_bind_int64(st, 1, plan_row);
        db_bind_text(st, 2, t->key);
        if (sqlite3_step(st) == SQLITE_ROW) {
            json_t *old = json_loads(db_col_text(st, 0), 0, NULL);
            size_t i, j;
            json_t *v, *w;
            json_array_foreach(old, i, v)
            {
                int dup = !json_is_string(v);
                json_array_foreach(all, j, w)
                    dup = dup || json_equal(v, w);
                if (!dup)
                    json_array_append(all, v);
            }
            json_decref(old);
        }
    }
    db_done(st);
    char *s = all ? json_dumps(all, JSON_COMPACT) : NULL;
    json_decref(all);
    return s;
}

int plan_store(db_conn *c, const plan *p, int64_t now_ms, int64_t *plan_row, char *err,
               size_t errn)
{
    /* the stored copy has its dates resolved ("today-3d" becomes a date) */
    json_t *copy = json_deep_copy(p->doc);
    char d1[16], d2[16], d3[16];
    plan_day_format(p->date, d1, sizeof d1);
    plan_day_format(p->start, d2, sizeof d2);
    plan_day_format(p->end, d3, sizeof d3);
    json_object_set_new(copy, "date", json_string(d1));
    json_object_set_new(copy, "period", json_pack("{s:s, s:s}", "start", d2, "end", d3));
    char *doc = copy ? json_dumps(copy, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(copy);
    if (!doc) {
        snprintf(err, errn, "out of memory");
        return -1;
    }
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_UPSERT);
    if (!st) {
        free(doc);
        snprintf(err, errn, "plans: %s", sqlite3_errmsg(db_handle(c)));
        return -1;
    }
    db_bind_text(st, 1, p->id);
    db_bind_text(st, 2, p->number);
    db_bind_text(st, 3, p->title);
    sqlite3_bind_int(st, 4, p->year);
    sqlite3_bind_int(st, 5, p->start);
    sqlite3_bind_int(st, 6, p->end);
    sqlite3_bind_int(st, 7, p->grace_days);
    db_bind_text(st, 8, doc);
    sqlite3_bind_int64(st, 9, now_ms);
    int64_t row = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        row = sqlite3_column_int64(st, 0);
    db_done(st);
    free(doc);
    if (!row) {
        snprintf(err, errn, "plans: %s", sqlite3_errmsg(db_handle(c)));
        return -1;
    }
    st = db_stmt(c, Q_PLAN_AGENCIES_CLEAR);
    if (st)
        sqlite3_bind_int64(st, 1, row);
    if (step_done(c, st, "plan_agencies", err, errn) != 0)
        return -1;
    for (size_t i = 0; i < p->nagencies; i++) {
        st = db_stmt(c, Q_PLAN_AGENCY_INSERT);
        if (st) {
            sqlite3_bind_int64(st, 1, row);
            db_bind_text(st, 2, p->agencies[i].id);
            db_bind_text(st, 3, p->agencies[i].name);
            db_bind_text(st, 4, p->agencies[i].kind);
            sqlite3_bind_int64(st, 5, (int64_t)i);
        }
        if (step_done(c, st, "plan_agencies", err, errn) != 0)
            return -1;
    }
    st = db_stmt(c, Q_PLAN_TASKS_DEACTIVATE);
    if (st)
        sqlite3_bind_int64(st, 1, row);
    if (step_done(c, st, "plan_tasks", err, errn) != 0)
        return -1;
    for (size_t i = 0; i < p->ntasks; i++) {
        const plan_task *t = &p->tasks[i];
        char *coord = json_dumps(t->coordinating, JSON_COMPACT);
        char *contests = merged_contests(c, row, t);
        st = coord && contests ? db_stmt(c, Q_PLAN_TASK_UPSERT) : NULL;
        if (st) {
            sqlite3_bind_int64(st, 1, row);
            db_bind_text(st, 2, t->key);
            db_bind_text(st, 3, t->source);
            db_bind_text(st, 4, t->section);
            db_bind_text(st, 5, t->text);
            db_bind_text(st, 6, t->agency);
            db_bind_text(st, 7, coord);
            sqlite3_bind_int(st, 8, (int)t->freq);
            sqlite3_bind_int(st, 9, t->start);
            sqlite3_bind_int(st, 10, t->due);
            db_bind_text(st, 11, contests);
            sqlite3_bind_int64(st, 12, (int64_t)i);
        }
        int rc = step_done(c, st, "plan_tasks", err, errn);
        free(coord);
        free(contests);
        if (rc != 0)
            return -1;
    }
    *plan_row = row;
    return 0;
}

int plan_exists(db_conn *c, const char *plan_id)
{
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_BY_KEY);
    if (!st)
        return -1;
    db_bind_text(st, 1, plan_id);
    int rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int plan_agency_known(db_conn *c, const char *agency)
{
    sqlite3_stmt *st = db_stmt(c, Q_PLAN_AGENCY_ANY);
    if (!st)
        return 0;
    db_bind_text(st, 1, agency);
    int found = sqlite3_step(st) == SQLITE_ROW;
    db_done(st);
    return found;
}
