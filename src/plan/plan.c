/* The cchc-plan/1 parser and validator, with task expansion, and the calendar. */
#include "plan/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_AGENCIES 2000
#define MAX_KINDS 50
#define MAX_CONTENT 500
#define MAX_FORMS 50
#define MAX_SOURCE_TASKS 2000
#define MAX_TASKS 5000
#define MAX_SPAN_DAYS 3660 /* a plan or a task window: at most about ten years */
#define MAX_TEXT 4000
#define MAX_LIST 100
#define MAX_REFS 500

/* ---- calendar ---- */

int plan_day_from_ymd(int y, int m, int d)
{
    /* days_from_civil (H. Hinnant), proleptic Gregorian */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void plan_day_to_ymd(int day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int plan_day_parse(const char *s, int today, int *out)
{
    if (!s)
        return -1;
    if (strncmp(s, "today", 5) == 0) {
        const char *p = s + 5;
        if (!*p) {
            *out = today;
            return 0;
        }
        if (*p != '+' && *p != '-')
            return -1;
        int sign = *p == '-' ? -1 : 1;
        size_t n = strlen(p + 1);
        int v;
        if (n < 2 || n > 6 || p[n] != 'd' || digits(p + 1, (int)n - 1, &v) != 0)
            return -1;
        *out = today + sign * v;
        return 0;
    }
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) != 0 ||
        digits(s + 5, 2, &m) != 0 || digits(s + 8, 2, &d) != 0)
        return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *out = plan_day_from_ymd(y, m, d);
    return 0;
}

void plan_day_format(int day, char *out, size_t n)
{
    int y, m, d;
    plan_day_to_ymd(day, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

void plan_day_format_vn(int day, char *out, size_t n)
{
    int y, m, d;
    plan_day_to_ymd(day, &y, &m, &d);
    snprintf(out, n, "%02d/%02d/%04d", d, m, y);
}

int plan_today(int64_t now_ms)
{
    int64_t local = now_ms + 7LL * 3600 * 1000;
    int64_t day = local / 86400000;
    if (local < 0 && local % 86400000)
        day--;
    return (int)day;
}

static const char *const freq_names[] = {"once", "monthly", "quarterly", "yearly"};
static const char *const freq_labels[] = {"Một lần", "Hằng tháng", "Hằng quý", "Hằng năm"};

const char *plan_freq_name(plan_freq f)
{
    return (unsigned)f < 4 ? freq_names[f] : "once";
}

const char *plan_freq_label(plan_freq f)
{
    return (unsigned)f < 4 ? freq_labels[f] : freq_labels[0];
}

int plan_freq_from_name(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, freq_names[i]) == 0)
            return i;
    return -1;
}

/* ---- validation helpers ---- */

typedef struct ctx {
    char *err;
    size_t errn;
    int today;
} ctx;

static int fail(ctx *x, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(ctx *x, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(x->err, x->errn, "%s: %s", *field ? field : "(tệp)", msg);
    return -1;
}

int plan_is_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > PLAN_ID_MAX)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
              *s == '.'))
            return 0;
    return 1;
}

static void join(char *out, size_t n, const char *path, const char *name)
{
    snprintf(out, n, "%s%s%s", path, *path ? "." : "", name);
}

static int check_keys(ctx *x, json_t *obj, const char *path, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = strcmp(k, allowed[i]) == 0;
        if (!ok) {
            char field[200];
            join(field, sizeof field, path, k);
            return fail(x, field, "trường không được hỗ trợ");
        }
    }
    return 0;
}

static int get_str(ctx *x, json_t *obj, const char *path, const char *name, int required,
                   size_t max, const char **out)
{
    char field[200];
    join(field, sizeof field, path, name);
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? fail(x, field, "bắt buộc phải có") : 0;
    if (!json_is_string(v))
        return fail(x, field, "phải là chuỗi ký tự");
    const char *s = json_string_value(v);
    if (!*s)
        return fail(x, field, "không được để trống");
    if (strlen(s) > max)
        return fail(x, field, "dài quá %zu byte", max);
    if (strlen(s) != json_string_length(v))
        return fail(x, field, "chứa ký tự NUL");
    *out = s;
    return 0;
}

static int get_id(ctx *x, json_t *obj, const char *path, const char *name, const char **out)
{
    if (get_str(x, obj, path, name, 1, PLAN_ID_MAX, out) != 0)
        return -1;
    if (!plan_is_id(*out)) {
        char field[200];
        join(field, sizeof field, path, name);
        return fail(x, field, "chỉ gồm a-z, 0-9, dấu gạch ngang, gạch dưới, dấu chấm (1–%d ký tự)",
                    PLAN_ID_MAX);
    }
    return 0;
}

static int get_day(ctx *x, json_t *obj, const char *path, const char *name, int required,
                   int dflt, int *out)
{
    const char *s;
    if (get_str(x, obj, path, name, required, 32, &s) != 0)
        return -1;
    if (!s) {
        *out = dflt;
        return 0;
    }
    if (plan_day_parse(s, x->today, out) != 0) {
        char field[200];
        join(field, sizeof field, path, name);
        return fail(x, field, "ngày không hợp lệ \"%s\" (dạng 2017-02-06, hoặc today, today-30d)",
                    s);
    }
    return 0;
}

/* An optional array of non-empty strings. */
static int get_strings(ctx *x, json_t *obj, const char *path, const char *name, size_t max_items,
                       size_t max_len, json_t **out)
{
    char field[200];
    join(field, sizeof field, path, name);
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return fail(x, field, "phải là danh sách chuỗi ký tự");
    if (json_array_size(v) > max_items)
        return fail(x, field, "tối đa %zu mục", max_items);
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s)
    {
        char f[240];
        snprintf(f, sizeof f, "%s[%zu]", field, i);
        if (!json_is_string(s) || !*json_string_value(s))
            return fail(x, f, "phải là chuỗi ký tự khác rỗng");
        if (json_string_length(s) > max_len)
            return fail(x, f, "dài quá %zu byte", max_len);
        if (strlen(json_string_value(s)) != json_string_length(s))
            return fail(x, f, "chứa ký tự NUL");
    }
    *out = v;
    return 0;
}

static json_t *get_array(ctx *x, json_t *obj, const char *name, int required, size_t max)
{
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        if (required)
            fail(x, name, "bắt buộc phải có");
        return NULL;
    }
    if (!json_is_array(v) || (required && json_array_size(v) == 0)) {
        fail(x, name, "phải là danh sách%s", required ? " khác rỗng" : "");
        return NULL;
    }
    if (json_array_size(v) > max) {
        fail(x, name, "tối đa %zu mục", max);
        return NULL;
    }
    return v;
}

/* ---- the plan ---- */

void plan_free(plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ntasks; i++) {
        json_decref(p->tasks[i].coordinating);
        json_decref(p->tasks[i].contests);
    }
    free(p->tasks);
    free(p->agencies);
    free(p->content);
    json_decref(p->doc);
    free(p);
}

const plan_agency *plan_agency_find(const plan *p, const char *id)
{
    for (size_t i = 0; id && i < p->nagencies; i++)
        if (strcmp(p->agencies[i].id, id) == 0)
            return &p->agencies[i];
    return NULL;
}

static int parse_kinds(ctx *x, json_t *kinds)
{
    size_t i;
    json_t *k;
    json_array_foreach(kinds, i, k)
    {
        char path[64];
        snprintf(path, sizeof path, "agency_kinds[%zu]", i);
        static const char *const allowed[] = {"id", "name", NULL};
        if (!json_is_object(k))
            return fail(x, path, "phải là đối tượng {\"id\", \"name\"}");
        const char *id, *name;
        if (check_keys(x, k, path, allowed) != 0 || get_id(x, k, path, "id", &id) != 0 ||
            get_str(x, k, path, "name", 1, 300, &name) != 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            json_t *other = json_object_get(json_array_get(kinds, j), "id");
            if (strcmp(json_string_value(other), id) == 0) {
                char f[80];
                snprintf(f, sizeof f, "%s.id", path);
                return fail(x, f, "trùng với agency_kinds[%zu]", j);
            }
        }
    }
    return 0;
}

static int kind_known(json_t *kinds, const char *kind)
{
    size_t i;
    json_t *k;
    json_array_foreach(kinds, i, k)
        if (strcmp(json_string_value(json_object_get(k, "id")), kind) == 0)
            return 1;
    return 0;
}

static int parse_agencies(ctx *x, plan *p, json_t *kinds, json_t *arr)
{
    p->agencies = calloc(json_array_size(arr), sizeof *p->agencies);
    if (!p->agencies)
        return fail(x, "agencies", "hết bộ nhớ");
    size_t i;
    json_t *a;
    json_array_foreach(arr, i, a)
    {
        char path[64];
        snprintf(path, sizeof path, "agencies[%zu]", i);
        static const char *const allowed[] = {"id", "name", "kind", NULL};
        if (!json_is_object(a))
            return fail(x, path, "phải là đối tượng {\"id\", \"name\", \"kind\"}");
        plan_agency *ag = &p->agencies[i];
        if (check_keys(x, a, path, allowed) != 0 || get_id(x, a, path, "id", &ag->id) != 0 ||
            get_str(x, a, path, "name", 1, 300, &ag->name) != 0 ||
            get_id(x, a, path, "kind", &ag->kind) != 0)
            return -1;
        char f[80];
        if (!kind_known(kinds, ag->kind)) {
            snprintf(f, sizeof f, "%s.kind", path);
            return fail(x, f, "loại cơ quan \"%s\" không có trong agency_kinds", ag->kind);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->agencies[j].id, ag->id) == 0) {
                snprintf(f, sizeof f, "%s.id", path);
                return fail(x, f, "trùng với agencies[%zu] (\"%s\")", j, ag->id);
            }
        p->nagencies++;
    }
    return 0;
}

/* Resolves an array of agency references (an agency id, or "all:KIND") into
 * agency indexes, without duplicates, in out (capacity p->nagencies). Sets
 * *by_kind when a kind was named. Returns the count, or -1. */
static long resolve_refs(ctx *x, const plan *p, json_t *refs, const char *field, size_t *out,
                         unsigned char *seen, int *by_kind)
{
    memset(seen, 0, p->nagencies);
    size_t n = 0;
    size_t i;
    json_t *r;
    if (json_array_size(refs) > MAX_REFS)
        return fail(x, field, "tối đa %d mục", MAX_REFS);
    json_array_foreach(refs, i, r)
    {
        char f[220];
        snprintf(f, sizeof f, "%s[%zu]", field, i);
        const char *s = json_string_value(r);
        if (!s)
            return fail(x, f, "phải là mã cơ quan hoặc \"all:<loại cơ quan>\"");
        if (strncmp(s, "all:", 4) == 0) {
            for (size_t k = 0; k < p->nagencies; k++)
                if (strcmp(p->agencies[k].kind, s + 4) == 0 && !seen[k]) {
                    seen[k] = 1;
                    out[n++] = k;
                }
            int any = 0;
            for (size_t k = 0; k < p->nagencies && !any; k++)
                any = strcmp(p->agencies[k].kind, s + 4) == 0;
            if (!any)
                return fail(x, f, "không có cơ quan nào thuộc loại \"%s\"", s + 4);
            if (by_kind)
                *by_kind = 1;
            continue;
        }
        size_t k;
        for (k = 0; k < p->nagencies; k++)
            if (strcmp(p->agencies[k].id, s) == 0)
                break;
        if (k == p->nagencies)
            return fail(x, f, "không có cơ quan \"%s\" trong agencies", s);
        if (!seen[k]) {
            seen[k] = 1;
            out[n++] = k;
        }
    }
    return (long)n;
}

static int parse_distribution(ctx *x, const plan *p, json_t *arr, size_t *idx, unsigned char *seen)
{
    size_t i;
    json_t *d;
    json_array_foreach(arr, i, d)
    {
        char path[64];
        snprintf(path, sizeof path, "distribution[%zu]", i);
        static const char *const allowed[] = {"text", "agencies", NULL};
        if (!json_is_object(d))
            return fail(x, path, "phải là đối tượng {\"text\", \"agencies\"}");
        const char *text;
        json_t *refs;
        if (check_keys(x, d, path, allowed) != 0 ||
            get_str(x, d, path, "text", 1, 500, &text) != 0 ||
            get_strings(x, d, path, "agencies", MAX_REFS, 80, &refs) != 0)
            return -1;
        if (refs) {
            char f[80];
            snprintf(f, sizeof f, "%s.agencies", path);
            if (resolve_refs(x, p, refs, f, idx, seen, NULL) < 0)
                return -1;
        }
    }
    return 0;
}

static int parse_content(ctx *x, plan *p, json_t *arr)
{
    p->content = calloc(json_array_size(arr) + 1, sizeof *p->content);
    if (!p->content)
        return fail(x, "content", "hết bộ nhớ");
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
    {
        char path[64];
        snprintf(path, sizeof path, "content[%zu]", i);
        static const char *const allowed[] = {"id", "kind", "title", "text", "match", NULL};
        if (!json_is_object(c))
            return fail(x, path, "phải là đối tượng");
        plan_content *ci = &p->content[i];
        const char *text;
        if (check_keys(x, c, path, allowed) != 0 || get_id(x, c, path, "id", &ci->id) != 0 ||
            get_str(x, c, path, "kind", 1, 32, &ci->kind) != 0 ||
            get_str(x, c, path, "title", 1, 1000, &ci->title) != 0 ||
            get_str(x, c, path, "text", 0, MAX_TEXT, &text) != 0)
            return -1;
        char f[120];
        if (strcmp(ci->kind, "document") != 0 && strcmp(ci->kind, "area") != 0 &&
            strcmp(ci->kind, "topic") != 0) {
            snprintf(f, sizeof f, "%s.kind", path);
            return fail(x, f, "phải là document, area hoặc topic");
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->content[j].id, ci->id) == 0) {
                snprintf(f, sizeof f, "%s.id", path);
                return fail(x, f, "trùng với content[%zu]", j);
            }
        json_t *m = json_object_get(c, "match");
        if (m) {
            static const char *const mk[] = {"tags", "documents", "categories", NULL};
            snprintf(f, sizeof f, "%s.match", path);
            if (!json_is_object(m))
                return fail(x, f, "phải là đối tượng {\"tags\", \"documents\", \"categories\"}");
            if (check_keys(x, m, f, mk) != 0 ||
                get_strings(x, m, f, "tags", MAX_LIST, 100, &ci->tags) != 0 ||
                get_strings(x, m, f, "documents", MAX_LIST, 300, &ci->documents) != 0 ||
                get_strings(x, m, f, "categories", MAX_LIST, 64, &ci->categories) != 0)
                return -1;
        }
        p->ncontent++;
    }
    return 0;
}

static int parse_forms(ctx *x, json_t *arr)
{
    size_t i;
    json_t *fm;
    json_array_foreach(arr, i, fm)
    {
        char path[64];
        snprintf(path, sizeof path, "forms[%zu]", i);
        static const char *const allowed[] = {"id", "text", NULL};
        const char *id, *text;
        if (!json_is_object(fm))
            return fail(x, path, "phải là đối tượng {\"id\", \"text\"}");
        if (check_keys(x, fm, path, allowed) != 0 || get_id(x, fm, path, "id", &id) != 0 ||
            get_str(x, fm, path, "text", 1, MAX_TEXT, &text) != 0)
            return -1;
    }
    return 0;
}

static int push_task(ctx *x, plan *p, size_t *cap, plan_task *t)
{
    if (p->ntasks >= MAX_TASKS)
        return fail(x, "tasks", "quá %d nhiệm vụ sau khi tách theo cơ quan", MAX_TASKS);
    if (p->ntasks == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        plan_task *nt = realloc(p->tasks, ncap * sizeof *nt);
        if (!nt)
            return fail(x, "tasks", "hết bộ nhớ");
        p->tasks = nt;
        *cap = ncap;
    }
    p->tasks[p->ntasks++] = *t;
    return 0;
}

static int parse_tasks(ctx *x, plan *p, json_t *arr, size_t *idx, unsigned char *seen)
{
    size_t cap = 0;
    size_t *coord = malloc((p->nagencies + 1) * sizeof *coord);
    unsigned char *seen2 = malloc(p->nagencies + 1);
    int rc = -1;
    if (!coord || !seen2) {
        fail(x, "tasks", "hết bộ nhớ");
        goto out;
    }
    size_t i;
    json_t *t;
    json_array_foreach(arr, i, t)
    {
        char path[64], f[120];
        snprintf(path, sizeof path, "tasks[%zu]", i);
        static const char *const allowed[] = {"id", "section", "text", "responsible",
                                              "coordinating", "frequency", "start", "due",
                                              "contests", NULL};
        if (!json_is_object(t)) {
            fail(x, path, "phải là đối tượng");
            goto out;
        }
        plan_task base;
        memset(&base, 0, sizeof base);
        const char *freq;
        json_t *resp, *coordinating, *contests;
        if (check_keys(x, t, path, allowed) != 0 || get_id(x, t, path, "id", &base.source) != 0 ||
            get_str(x, t, path, "section", 1, 32, &base.section) != 0 ||
            get_str(x, t, path, "text", 1, MAX_TEXT, &base.text) != 0 ||
            get_strings(x, t, path, "responsible", MAX_REFS, 80, &resp) != 0 ||
            get_strings(x, t, path, "coordinating", MAX_REFS, 80, &coordinating) != 0 ||
            get_str(x, t, path, "frequency", 1, 16, &freq) != 0 ||
            get_strings(x, t, path, "contests", 20, PLAN_ID_MAX, &contests) != 0)
            goto out;
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_object_get(json_array_get(arr, j), "id")),
                       base.source) == 0) {
                snprintf(f, sizeof f, "%s.id", path);
                fail(x, f, "trùng với tasks[%zu]", j);
                goto out;
            }
        int fq = plan_freq_from_name(freq);
        if (fq < 0) {
            snprintf(f, sizeof f, "%s.frequency", path);
            fail(x, f, "phải là once, monthly, quarterly hoặc yearly");
            goto out;
        }
        base.freq = (plan_freq)fq;
        if (get_day(x, t, path, "start", 0, p->start, &base.start) != 0 ||
            get_day(x, t, path, "due", fq == PLAN_ONCE, p->end, &base.due) != 0)
            goto out;
        if (base.due < base.start) {
            snprintf(f, sizeof f, "%s.due", path);
            fail(x, f, "phải sau hoặc bằng ngày bắt đầu");
            goto out;
        }
        if (base.due - base.start > MAX_SPAN_DAYS) {
            snprintf(f, sizeof f, "%s.due", path);
            fail(x, f, "thời gian thực hiện một nhiệm vụ tối đa 10 năm");
            goto out;
        }
        if (!resp || json_array_size(resp) == 0) {
            snprintf(f, sizeof f, "%s.responsible", path);
            fail(x, f, "phải có ít nhất một cơ quan chủ trì");
            goto out;
        }
        size_t nc = 0;
        json_t *cj;
        if (contests)
            json_array_foreach(contests, nc, cj)
                if (!plan_is_id(json_string_value(cj))) {
                    snprintf(f, sizeof f, "%s.contests[%zu]", path, nc);
                    fail(x, f, "mã cuộc thi không hợp lệ");
                    goto out;
                }
        int by_kind = 0;
        snprintf(f, sizeof f, "%s.responsible", path);
        long nr = resolve_refs(x, p, resp, f, idx, seen, &by_kind);
        if (nr < 0)
            goto out;
        long nco = 0;
        if (coordinating) {
            snprintf(f, sizeof f, "%s.coordinating", path);
            nco = resolve_refs(x, p, coordinating, f, coord, seen2, NULL);
            if (nco < 0)
                goto out;
        }
        base.expanded = by_kind || nr > 1;
        for (long r = 0; r < nr; r++) {
            plan_task tk = base;
            const plan_agency *ag = &p->agencies[idx[r]];
            tk.agency = ag->id;
            if (tk.expanded)
                snprintf(tk.key, sizeof tk.key, "%s@%s", base.source, ag->id);
            else
                snprintf(tk.key, sizeof tk.key, "%s", base.source);
            tk.coordinating = json_array();
            for (long c = 0; c < nco; c++)
                if (coord[c] != idx[r])
                    json_array_append_new(tk.coordinating, json_string(p->agencies[coord[c]].id));
            tk.contests = contests ? json_deep_copy(contests) : json_array();
            if (push_task(x, p, &cap, &tk) != 0) {
                json_decref(tk.coordinating);
                json_decref(tk.contests);
                goto out;
            }
        }
        p->nsource++;
    }
    rc = 0;
out:
    free(coord);
    free(seen2);
    return rc;
}

plan *plan_from_json(json_t *doc, int today, char *err, size_t errn)
{
    ctx cx = {err, errn, today};
    ctx *x = &cx;
    if (!json_is_object(doc)) {
        fail(x, "", "tệp kế hoạch phải là một đối tượng JSON");
        return NULL;
    }
    plan *p = calloc(1, sizeof *p);
    size_t *idx = NULL;
    unsigned char *seen = NULL;
    if (!p) {
        fail(x, "", "hết bộ nhớ");
        return NULL;
    }
    p->doc = json_incref(doc);
    static const char *const allowed[] = {
        "format", "id", "number", "date", "issuer", "title", "year", "period", "grace_days",
        "grounds", "purposes", "requirements", "audiences", "content", "forms", "budget",
        "agency_kinds", "agencies", "distribution", "tasks", NULL};
    const char *format;
    if (check_keys(x, doc, "", allowed) != 0 || get_str(x, doc, "", "format", 1, 32, &format) != 0)
        goto fail;
    if (strcmp(format, "cchc-plan/1") != 0) {
        fail(x, "format", "phải là \"cchc-plan/1\"");
        goto fail;
    }
    if (get_id(x, doc, "", "id", &p->id) != 0 ||
        get_str(x, doc, "", "number", 1, 64, &p->number) != 0 ||
        get_str(x, doc, "", "title", 1, 500, &p->title) != 0 ||
        get_str(x, doc, "", "issuer", 1, 300, &p->issuer) != 0 ||
        get_day(x, doc, "", "date", 1, 0, &p->date) != 0)
        goto fail;
    json_t *year = json_object_get(doc, "year");
    if (!json_is_integer(year) || json_integer_value(year) < 1990 ||
        json_integer_value(year) > 2200) {
        fail(x, "year", "phải là năm (số nguyên 1990–2200)");
        goto fail;
    }
    p->year = (int)json_integer_value(year);
    json_t *period = json_object_get(doc, "period");
    static const char *const pk[] = {"start", "end", NULL};
    if (!json_is_object(period)) {
        fail(x, "period", "phải là đối tượng {\"start\", \"end\"}");
        goto fail;
    }
    if (check_keys(x, period, "period", pk) != 0 ||
        get_day(x, period, "period", "start", 1, 0, &p->start) != 0 ||
        get_day(x, period, "period", "end", 1, 0, &p->end) != 0)
        goto fail;
    if (p->end < p->start) {
        fail(x, "period.end", "phải sau hoặc bằng period.start");
        goto fail;
    }
    if (p->end - p->start > MAX_SPAN_DAYS) {
        fail(x, "period.end", "kế hoạch dài tối đa 10 năm");
        goto fail;
    }
    json_t *grace = json_object_get(doc, "grace_days");
    if (grace && (!json_is_integer(grace) || json_integer_value(grace) < 0 ||
                  json_integer_value(grace) > 90)) {
        fail(x, "grace_days", "phải là số nguyên 0–90");
        goto fail;
    }
    p->grace_days = grace ? (int)json_integer_value(grace) : 0;
    json_t *list;
    const char *budget;
    if (get_strings(x, doc, "", "grounds", MAX_LIST, MAX_TEXT, &list) != 0 ||
        get_strings(x, doc, "", "purposes", MAX_LIST, MAX_TEXT, &list) != 0 ||
        get_strings(x, doc, "", "requirements", MAX_LIST, MAX_TEXT, &list) != 0 ||
        get_strings(x, doc, "", "audiences", MAX_LIST, MAX_TEXT, &list) != 0 ||
        get_str(x, doc, "", "budget", 0, MAX_TEXT, &budget) != 0)
        goto fail;
    json_t *kinds = get_array(x, doc, "agency_kinds", 1, MAX_KINDS);
    if (!kinds || parse_kinds(x, kinds) != 0)
        goto fail;
    json_t *agencies = get_array(x, doc, "agencies", 1, MAX_AGENCIES);
    if (!agencies || parse_agencies(x, p, kinds, agencies) != 0)
        goto fail;
    idx = malloc((p->nagencies + 1) * sizeof *idx);
    seen = malloc(p->nagencies + 1);
    if (!idx || !seen) {
        fail(x, "agencies", "hết bộ nhớ");
        goto fail;
    }
    x->err[0] = '\0';
    json_t *dist = get_array(x, doc, "distribution", 0, MAX_AGENCIES);
    if (x->err[0] || (dist && parse_distribution(x, p, dist, idx, seen) != 0))
        goto fail;
    json_t *content = get_array(x, doc, "content", 0, MAX_CONTENT);
    if (x->err[0] || (content && parse_content(x, p, content) != 0))
        goto fail;
    json_t *forms = get_array(x, doc, "forms", 0, MAX_FORMS);
    if (x->err[0] || (forms && parse_forms(x, forms) != 0))
        goto fail;
    json_t *tasks = get_array(x, doc, "tasks", 1, MAX_SOURCE_TASKS);
    if (!tasks || parse_tasks(x, p, tasks, idx, seen) != 0)
        goto fail;
    free(idx);
    free(seen);
    return p;
fail:
    free(idx);
    free(seen);
    plan_free(p);
    return NULL;
}

plan *plan_parse(const char *data, size_t len, int today, char *err, size_t errn)
{
    json_error_t je;
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    json_t *doc = json_loadb(data + skip, len - skip, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        snprintf(err, errn, "dòng %d, cột %d: JSON không hợp lệ: %s", je.line, je.column, je.text);
        return NULL;
    }
    plan *p = plan_from_json(doc, today, err, errn);
    json_decref(doc);
    return p;
}
