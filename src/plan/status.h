/* plan/status: a task's status from its schedule, its progress reports and the
 * day it is judged on. Pure functions (no database).
 *
 *   done         a report marked "done" dated on or before today; or, for a
 *                recurring task, every period of its window has ended and has a
 *                report dated inside it
 *   overdue      not done, and: once-off, today is past the due date; recurring,
 *                some period of the window ended more than grace days ago with no
 *                report dated inside it (the grace days give time to report on a
 *                period just ended)
 *   in progress  neither, and a report dated on or before today exists, or there is
 *                other activity (participants in a linked contest)
 *   not started  otherwise
 *
 * Periods are calendar months, quarters or years, from the period holding the
 * window's first day to the one holding its last day. */
#ifndef CCHC_PLAN_STATUS_H
#define CCHC_PLAN_STATUS_H
#include <stddef.h>

#include "plan/plan.h"

typedef enum {
    PLAN_NOT_STARTED = 0,
    PLAN_IN_PROGRESS = 1,
    PLAN_DONE = 2,
    PLAN_OVERDUE = 3,
} plan_status;

typedef struct plan_sched {
    plan_freq freq;
    int start;        /* first day of the window */
    int due;          /* once: the due date; recurring: last day of the window */
    int grace_days;
} plan_sched;

typedef struct plan_status_info {
    plan_status status;
    int periods;      /* recurring: periods in the window */
    int ended;        /* recurring: periods already judged (ended + grace before today) */
    int missed;       /* recurring: judged periods without a report */
    int reports;      /* reports dated on or before today */
    int overdue_since;/* first day it was overdue, or -1 */
    int next_due;     /* the day the next report or the task is due, or -1 */
    int done_on;      /* the day it was done, or -1 */
} plan_status_info;

/* The month, quarter or year (or for PLAN_ONCE the day itself) holding day. */
void plan_period_of(plan_freq f, int day, int *start, int *end);

/* Derives the status on day today from n reports (dates[i], done[i] != 0 when
 * that report marked the task done). activity != 0 counts as progress. info may
 * be NULL. */
plan_status plan_status_derive(const plan_sched *s, const int *dates, const unsigned char *done,
                               size_t n, int activity, int today, plan_status_info *info);

const char *plan_status_name(plan_status s);   /* "not_started", "in_progress", "done", "overdue" */
const char *plan_status_label(plan_status s);  /* "Chưa triển khai", ... */
int plan_status_from_name(const char *s);      /* -1 if unknown */

#endif
