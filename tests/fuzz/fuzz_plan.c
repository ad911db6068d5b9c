/* libFuzzer target: the plan file parser (cchc-plan/1: validation and task
 * expansion), then, for a plan it accepts, storing it in an in-memory database
 * and building the dashboard (status derivation, timeline) and the coverage. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "plan/plan.h"
#include "plan/store.h"
#include "plan/view.h"

static db_conn *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) {
        char err[256];
        db = db_open(":memory:", 0, err, sizeof err);
        if (!db)
            abort();
    }
    char err[512];
    err[0] = '\0';
    int today = plan_day_from_ymd(2017, 6, 15);
    plan *p = plan_parse((const char *)data, size, today, err, sizeof err);
    if (!p) {
        if (!err[0])
            abort(); /* a refusal always says why */
        return 0;
    }
    if (p->ntasks == 0 || p->nagencies == 0)
        abort();
    for (size_t i = 0; i < p->ntasks; i++)
        if (!plan_agency_find(p, p->tasks[i].agency) || p->tasks[i].due < p->tasks[i].start)
            abort();
    db_exec(db, "SAVEPOINT f");
    int64_t row;
    if (plan_store(db, p, 1500000000000LL, &row, err, sizeof err) == 0) {
        app_err e;
        json_t *j = plan_view_overview(db, p->id, today, &e);
        json_decref(j);
        j = plan_view_coverage(db, p->id, &e);
        json_decref(j);
    }
    db_exec(db, "ROLLBACK TO f");
    db_exec(db, "RELEASE f");
    plan_free(p);
    return 0;
}
