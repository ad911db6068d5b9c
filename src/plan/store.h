/* plan/store: writing a validated plan into the database, and reading it back.
 *
 * Loading a plan whose id exists updates it: the header, the agencies and the
 * tasks (matched by their expanded key, so progress reports stay attached);
 * tasks no longer in the file are hidden, not deleted. A task's contest links
 * are the union of those in the file and those already stored. */
#ifndef CCHC_PLAN_STORE_H
#define CCHC_PLAN_STORE_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "plan/plan.h"

/* Stores p with c inside the caller's transaction. 0 and *plan_row, or -1
 * with err filled. */
int plan_store(db_conn *c, const plan *p, int64_t now_ms, int64_t *plan_row, char *err,
               size_t errn);

/* 1 when a plan with this id is stored, 0 if not, -1 on a database error. */
int plan_exists(db_conn *c, const char *plan_id);

/* 1 when some stored plan has an agency with this id. */
int plan_agency_known(db_conn *c, const char *agency);

#endif
