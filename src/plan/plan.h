/* plan: a CCHC propaganda plan in the cchc-plan/1 JSON format (docs/plan-format.md):
 * its header (number, date, purposes, requirements, audiences, budget), agencies,
 * content items, forms and tasks, with "every agency of a kind" expanded into one
 * task per agency. Also the calendar arithmetic the plan is judged by.
 *
 * Dates are day numbers: days since 1970-01-01 of the Vietnamese calendar date
 * (Asia/Ho_Chi_Minh, UTC+7), so that comparisons are integer comparisons. */
#ifndef CCHC_PLAN_H
#define CCHC_PLAN_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define PLAN_ID_MAX 64
#define PLAN_KEY_MAX 160          /* expanded task key: "source@agency" */
#define PLAN_FILE_MAX (4u << 20)

typedef enum { PLAN_ONCE = 0, PLAN_MONTHLY = 1, PLAN_QUARTERLY = 2, PLAN_YEARLY = 3 } plan_freq;

/* Strings of the structures below point into plan->doc and live as long as it. */
typedef struct plan_agency {
    const char *id;
    const char *name;
    const char *kind;            /* an agency_kinds id */
} plan_agency;

typedef struct plan_content {
    const char *id;
    const char *kind;            /* "document", "area" or "topic" */
    const char *title;
    json_t *tags;                /* borrowed arrays of strings; NULL when absent */
    json_t *documents;
    json_t *categories;
} plan_content;

typedef struct plan_task {
    char key[PLAN_KEY_MAX];      /* the source id, or "source@agency" when expanded */
    const char *source;          /* the task's id in the file */
    const char *section;         /* "V.2" */
    const char *text;
    const char *agency;          /* the responsible agency's id */
    json_t *coordinating;        /* owned: array of agency ids */
    json_t *contests;            /* owned: array of contest ids */
    plan_freq freq;
    int start;                   /* first day of the task's window */
    int due;                     /* once: due date; recurring: last day of the window */
    int expanded;                /* 1 when the file named a kind or several agencies */
} plan_task;

typedef struct plan {
    json_t *doc;                 /* the plan file, owned */
    const char *id;
    const char *number;
    const char *title;
    const char *issuer;
    int date, year, start, end;  /* days */
    int grace_days;
    plan_agency *agencies;
    size_t nagencies;
    plan_content *content;
    size_t ncontent;
    plan_task *tasks;            /* expanded */
    size_t ntasks;
    size_t nsource;              /* tasks as written in the file */
} plan;

/* Parses and validates a plan file. Relative dates ("today", "today-30d") are
 * taken from today. Returns a new plan (free with plan_free), or NULL with a
 * Vietnamese message naming the field ("tasks[3].responsible[0]: ...") in err. */
plan *plan_parse(const char *data, size_t len, int today, char *err, size_t errn);
/* The same from a parsed document; takes a new reference to doc. */
plan *plan_from_json(json_t *doc, int today, char *err, size_t errn);
void plan_free(plan *p);

/* The agency with this id, or NULL. */
const plan_agency *plan_agency_find(const plan *p, const char *id);
/* 1 when s is a valid plan, agency, task or content id (1-64 of a-z 0-9 - _ .). */
int plan_is_id(const char *s);

/* ---- calendar ---- */
int plan_day_from_ymd(int y, int m, int d);
void plan_day_to_ymd(int day, int *y, int *m, int *d);
/* Parses "2017-02-06", "today", "today+7d", "today-30d". 0, or -1. */
int plan_day_parse(const char *s, int today, int *out);
/* Writes "2017-02-06" (out: at least 11 bytes). */
void plan_day_format(int day, char *out, size_t n);
/* Writes "06/02/2017". */
void plan_day_format_vn(int day, char *out, size_t n);
/* Today's date in Vietnam for a wall-clock time in ms. */
int plan_today(int64_t now_ms);

const char *plan_freq_name(plan_freq f);        /* "once", "monthly", ... */
const char *plan_freq_label(plan_freq f);       /* "Một lần", "Hằng tháng", ... */
int plan_freq_from_name(const char *s);         /* -1 if unknown */

#endif
