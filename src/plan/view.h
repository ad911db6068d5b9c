/* plan/view: what the plan pages and reports show, read from the database:
 * the dashboard (tasks by agency and status, overdue first, progress over
 * time), an agency's page, a task with its reports and comments, the
 * consolidated report for a period, and content coverage. Task statuses are
 * derived on the day asked for (plan/status.h); contest figures are the live
 * per-unit figures of quiz/board.c, a contest unit being the plan agency with
 * the same id. Every function returns a new JSON object, or NULL with e. */
#ifndef CCHC_PLAN_VIEW_H
#define CCHC_PLAN_VIEW_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

/* {"plans":[{"id","number","title","year","period":{"start","end"},"tasks"}]} */
json_t *plan_view_list(db_conn *c, app_err *e);
/* The dashboard of a plan on day today. */
json_t *plan_view_overview(db_conn *c, const char *plan_id, int today, app_err *e);
/* One agency's tasks, reports and comments, and its contest figures. */
json_t *plan_view_agency(db_conn *c, const char *plan_id, const char *agency, int today,
                         app_err *e);
/* One task with its reports, comments and the linked contests' figures per agency. */
json_t *plan_view_task(db_conn *c, int64_t task_id, int today, app_err *e);
/* The consolidated report for a period ("2017", "2017-Q1", "2017-H2", "2017-03"). */
json_t *plan_view_summary(db_conn *c, const char *plan_id, const char *period, int today,
                          app_err *e);
/* Content coverage by the stored banks. */
json_t *plan_view_coverage(db_conn *c, const char *plan_id, app_err *e);

/* The responsible agency of an active task (into agency, n bytes). 0, 1 when
 * there is no such task, -1 on a database error. */
int plan_task_agency(db_conn *c, int64_t task_id, char *agency, size_t n);
/* The task of a report and its agency. 0, 1 when there is no such report, -1. */
int plan_report_owner(db_conn *c, int64_t report_id, int64_t *task_id, char *agency, size_t n);

/* Parses a period: "2017", "2017-Q1".."Q4", "2017-H1"/"H2", "2017-03". Fills the
 * first and last day and a Vietnamese label ("Quý I năm 2017"). 0 or -1. */
int plan_period_parse(const char *s, int *from, int *to, char *label, size_t n);

#endif
