#include "quiz/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/items.h"
#include "quiz/score.h"
#include "util/log.h"

void stat_add(stat_acc *a, double x, double y)
{
    a->n += 1;
    a->sx += x;
    a->sxx += x * x;
    a->sy += y;
    a->syy += y * y;
    a->sxy += x * y;
}

double stat_facility(const stat_acc *a)
{
    return a->n > 0 ? 100.0 * a->sx / a->n : 0;
}

double stat_discrimination(const stat_acc *a, int *defined)
{
    *defined = 0;
    if (a->n < 2)
        return 0;
    double mx = a->sx / a->n, my = a->sy / a->n;
    double vx = a->sxx / a->n - mx * mx;
    double vy = a->syy / a->n - my * my;
    double cov = a->sxy / a->n - mx * my;
    if (vx <= 1e-12 || vy <= 1e-12)
        return 0;
    *defined = 1;
    return 100.0 * cov / sqrt(vx * vy);
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

int stats_parse_answers(const char *s, int64_t *qids, unsigned *masks, int max)
{
    const char *p = skip_ws(s);
    if (*p != '{')
        return -1;
    p = skip_ws(p + 1);
    int n = 0;
    while (*p == '"') {
        char *end;
        long long q = strtoll(p + 1, &end, 10);
        if (end == p + 1 || *end != '"')
            return -1;
        p = skip_ws(end + 1);
        if (*p != ':')
            return -1;
        p = skip_ws(p + 1);
        unsigned mask = 0;
        if (*p >= '0' && *p <= '9') {
            long v = strtol(p, &end, 10);
            p = end;
            if (v >= 0 && v < 32)
                mask = 1u << v;
        } else if (*p == '[') {
            p = skip_ws(p + 1);
            while (*p >= '0' && *p <= '9') {
                long v = strtol(p, &end, 10);
                if (v >= 0 && v < 32)
                    mask |= 1u << v;
                p = skip_ws(end);
                if (*p == ',')
                    p = skip_ws(p + 1);
            }
            if (*p != ']')
                return -1;
            p++;
        } else if (strncmp(p, "null", 4) == 0) {
            p += 4;
        } else {
            return -1;
        }
        if (n < max) {
            qids[n] = q;
            masks[n] = mask;
            n++;
        }
        p = skip_ws(p);
        if (*p == ',')
            p = skip_ws(p + 1);
    }
    return *p == '}' ? n : -1;
}

/* ---- one round ---- */

typedef struct qstat {
    int64_t qid;
    int used;
    int nopt, multi, voided;
    unsigned key;
    stat_acc acc;
    int64_t blank, top_n, top_blank;
    int64_t count[ITEM_OPTIONS_MAX], top[ITEM_OPTIONS_MAX];
} qstat;

typedef struct qtable {
    qstat *slots;
    size_t cap, n;
} qtable;

static qstat *qt_get(qtable *t, db_conn *c, int64_t qid)
{
    if (t->n * 2 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        qstat *ns = calloc(cap, sizeof *ns);
        if (!ns)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].used)
                continue;
            size_t h = (size_t)t->slots[i].qid * 2654435761u % cap;
            while (ns[h].used)
                h = (h + 1) % cap;
            ns[h] = t->slots[i];
        }
        free(t->slots);
        t->slots = ns;
        t->cap = cap;
    }
    size_t h = (size_t)qid * 2654435761u % t->cap;
    while (t->slots[h].used && t->slots[h].qid != qid)
        h = (h + 1) % t->cap;
    qstat *q = &t->slots[h];
    if (!q->used) {
        q->used = 1;
        q->qid = qid;
        t->n++;
        sqlite3_stmt *st = db_stmt(c, Q_QUESTION_KEY);
        sqlite3_bind_int64(st, 1, qid);
        if (sqlite3_step(st) == SQLITE_ROW) {
            q->key = (unsigned)sqlite3_column_int(st, 0);
            q->voided = sqlite3_column_int(st, 1);
            q->multi = sqlite3_column_int(st, 2);
        }
        db_done(st);
    }
    return q;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The score fraction from which an attempt is in the top group. */
static int top_threshold(db_conn *c, int64_t round_id, double *threshold, int64_t *n_attempts)
{
    sqlite3_stmt *st = db_stmt(c, Q_STATS_SCORES);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, round_id);
    size_t n = 0, cap = 1024;
    double *v = malloc(cap * sizeof *v);
    while (v && sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            double *nv = realloc(v, 2 * cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
            cap *= 2;
        }
        int max = sqlite3_column_int(st, 1);
        v[n++] = max > 0 ? (double)sqlite3_column_int(st, 0) / max : 0;
    }
    db_done(st);
    if (!v)
        return -1;
    *n_attempts = (int64_t)n;
    *threshold = 2; /* nobody */
    if (n > 0) {
        qsort(v, n, sizeof *v, cmp_double);
        size_t top = (size_t)ceil((double)n * STATS_TOP_FRACTION);
        if (top < 1)
            top = 1;
        *threshold = v[n - top];
    }
    free(v);
    return 0;
}

static json_t *question_json(db_conn *c, const qstat *q)
{
    int defined;
    double disc = stat_discrimination(&q->acc, &defined);
    double fac = stat_facility(&q->acc);
    json_t *flags = json_array();
    json_t *opts = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_QUESTION_STAT_INFO);
    sqlite3_bind_int64(st, 1, q->qid);
    json_t *info = NULL, *options = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        info = json_pack("{s:s, s:s, s:s, s:i, s:i, s:I, s:s, s:i}", "qkey", db_col_text(st, 0),
                         "text", db_col_text(st, 1), "category", db_col_text(st, 3),
                         "difficulty", sqlite3_column_int(st, 4), "track",
                         sqlite3_column_int(st, 5), "bank_id",
                         (json_int_t)sqlite3_column_int64(st, 6), "bank", db_col_text(st, 7),
                         "bank_version", sqlite3_column_int(st, 8));
        options = json_loads(db_col_text(st, 2), 0, NULL);
    }
    db_done(st);
    if (!info)
        info = json_object();
    int64_t min_key_top = -1, max_other_top = -1;
    for (int o = 0; o < q->nopt; o++) {
        int is_key = (q->key >> o) & 1u;
        json_t *text = json_array_get(options, (size_t)o);
        json_array_append_new(
            opts, json_pack("{s:i, s:s, s:O, s:b, s:I, s:f, s:I}", "index", o, "letter",
                            (const char[]){(char)('A' + o), 0}, "text",
                            text ? text : json_null(), "key", is_key, "count",
                            (json_int_t)q->count[o], "share",
                            q->acc.n > 0 ? (double)q->count[o] / q->acc.n : 0.0, "top_count",
                            (json_int_t)q->top[o]));
        if (is_key && (min_key_top < 0 || q->top[o] < min_key_top))
            min_key_top = q->top[o];
        if (!is_key && q->top[o] > max_other_top)
            max_other_top = q->top[o];
    }
    json_decref(options);
    if (q->voided)
        json_array_append_new(flags, json_string("voided"));
    if (q->top_n >= 5 && min_key_top >= 0 && max_other_top > min_key_top)
        json_array_append_new(flags, json_string("wrong_key"));
    if (q->acc.n > 0 && fac >= STATS_EASY)
        json_array_append_new(flags, json_string("too_easy"));
    if (q->acc.n > 0 && fac <= STATS_HARD)
        json_array_append_new(flags, json_string("too_hard"));
    if (defined && disc < 0 && q->acc.n >= STATS_MIN_N)
        json_array_append_new(flags, json_string("negative_discrimination"));
    json_object_update_new(info, json_pack("{s:I, s:I, s:I, s:f, s:o, s:b, s:o, s:o}", "question_id",
                                       (json_int_t)q->qid, "n", (json_int_t)q->acc.n, "blank",
                                       (json_int_t)q->blank, "facility",
                                       round(fac * 100) / 100, "discrimination",
                                       defined ? json_real(round(disc * 100) / 100) : json_null(),
                                       "multi", q->multi, "options", opts, "flags", flags));
    return info;
}

static int cmp_qid(const void *a, const void *b)
{
    const qstat *x = *(const qstat *const *)a, *y = *(const qstat *const *)b;
    return x->qid < y->qid ? -1 : x->qid > y->qid;
}

json_t *stats_round(db_conn *c, int64_t round_id, app_err *e)
{
    double threshold;
    int64_t n_attempts = 0;
    if (top_threshold(c, round_id, &threshold, &n_attempts) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_stmt *st = db_stmt(c, Q_STATS_ATTEMPTS);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, round_id);
    qtable t = {0};
    attempt_item *items = malloc(ITEMS_MAX * sizeof *items);
    int64_t *aq = malloc(ITEMS_MAX * sizeof *aq);
    unsigned *am = malloc(ITEMS_MAX * sizeof *am);
    unsigned *chosen = malloc(ITEMS_MAX * sizeof *chosen);
    int *correct = malloc(ITEMS_MAX * sizeof *correct);
    qstat **qs = malloc(ITEMS_MAX * sizeof *qs);
    int64_t top_attempts = 0, bad = 0;
    int ok = items && aq && am && chosen && correct && qs;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        int n = items_parse(db_col_text(st, 0), items, ITEMS_MAX);
        int na = stats_parse_answers(db_col_text(st, 1), aq, am, ITEMS_MAX);
        if (n < 0 || na < 0) {
            bad++;
            continue;
        }
        int max = sqlite3_column_int(st, 3);
        double frac = max > 0 ? (double)sqlite3_column_int(st, 2) / max : 0;
        int in_top = frac >= threshold;
        top_attempts += in_top;
        int total = 0;
        for (int i = 0; i < n; i++) {
            unsigned disp = 0;
            for (int k = 0; k < na; k++)
                if (aq[k] == items[i].qid)
                    disp = am[k];
            qs[i] = qt_get(&t, c, items[i].qid);
            if (!qs[i]) {
                ok = 0;
                break;
            }
            if (qs[i]->nopt < items[i].nopt)
                qs[i]->nopt = items[i].nopt;
            chosen[i] = items_to_original(&items[i], disp);
            score_key k = {qs[i]->key, qs[i]->voided};
            correct[i] = score_question(chosen[i], &k);
            total += correct[i];
        }
        for (int i = 0; ok && i < n; i++) {
            qstat *q = qs[i];
            stat_add(&q->acc, correct[i], total - correct[i]);
            if (!chosen[i])
                q->blank++;
            if (in_top) {
                q->top_n++;
                if (!chosen[i])
                    q->top_blank++;
            }
            for (int o = 0; o < items[i].nopt; o++) {
                if (!(chosen[i] & (1u << o)))
                    continue;
                q->count[o]++;
                if (in_top)
                    q->top[o]++;
            }
        }
    }
    db_done(st);
    free(items);
    free(aq);
    free(am);
    free(chosen);
    free(correct);
    if (!ok) {
        free(qs);
        free(t.slots);
        APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ khi tính thống kê");
        return NULL;
    }
    if (bad)
        log_warn("stats: round %lld: %lld attempts with unreadable items or answers",
                 (long long)round_id, (long long)bad);
    qstat **order = malloc((t.n ? t.n : 1) * sizeof *order);
    size_t k = 0;
    for (size_t i = 0; order && i < t.cap; i++)
        if (t.slots[i].used)
            order[k++] = &t.slots[i];
    if (order)
        qsort(order, k, sizeof *order, cmp_qid);
    json_t *list = json_array();
    for (size_t i = 0; order && i < k; i++)
        json_array_append_new(list, question_json(c, order[i]));
    free(order);
    free(qs);
    free(t.slots);
    return json_pack("{s:I, s:I, s:I, s:f, s:o}", "round_id", (json_int_t)round_id, "attempts",
                     (json_int_t)n_attempts, "top_group", (json_int_t)top_attempts,
                     "top_threshold", threshold > 1 ? 0.0 : threshold, "questions", list);
}
