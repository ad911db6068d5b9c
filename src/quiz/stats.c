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
    int nopt, multi, voided;
    unsigned key;
    stat_acc acc;
    int64_t blank, top_n, top_blank;
    int64_t count[ITEM_OPTIONS_MAX], top[ITEM_OPTIONS_MAX];
} qstat;

/* The questions seen so far: a dense array and an open-addressing index of
 * qid -> position (positions stay valid when the array grows). */
typedef struct qtable {
    qstat *q;
    size_t n, qcap;
    int32_t *slots; /* -1: empty */
    size_t cap;
} qtable;

static int qt_rehash(qtable *t, size_t cap)
{
    int32_t *ns = malloc(cap * sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < cap; i++)
        ns[i] = -1;
    for (size_t k = 0; k < t->n; k++) {
        size_t h = (size_t)t->q[k].qid * 2654435761u % cap;
        while (ns[h] >= 0)
            h = (h + 1) % cap;
        ns[h] = (int32_t)k;
    }
    free(t->slots);
    t->slots = ns;
    t->cap = cap;
    return 0;
}

/* Position of qid in t (added, with its key, on first sight); -1 on no memory. */
static int32_t qt_get(qtable *t, db_conn *c, int64_t qid)
{
    if ((t->n + 1) * 2 > t->cap && qt_rehash(t, t->cap ? t->cap * 2 : 256) != 0)
        return -1;
    size_t h = (size_t)qid * 2654435761u % t->cap;
    while (t->slots[h] >= 0) {
        if (t->q[t->slots[h]].qid == qid)
            return t->slots[h];
        h = (h + 1) % t->cap;
    }
    if (t->n == t->qcap) {
        size_t cap = t->qcap ? t->qcap * 2 : 128;
        qstat *nq = realloc(t->q, cap * sizeof *nq);
        if (!nq)
            return -1;
        t->q = nq;
        t->qcap = cap;
    }
    qstat *q = &t->q[t->n];
    memset(q, 0, sizeof *q);
    q->qid = qid;
    sqlite3_stmt *st = db_stmt(c, Q_QUESTION_KEY);
    sqlite3_bind_int64(st, 1, qid);
    if (sqlite3_step(st) == SQLITE_ROW) {
        q->key = (unsigned)sqlite3_column_int(st, 0);
        q->voided = sqlite3_column_int(st, 1);
        q->multi = sqlite3_column_int(st, 2);
    }
    db_done(st);
    t->slots[h] = (int32_t)t->n;
    return (int32_t)t->n++;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Growable array of 32-bit words. */
typedef struct words {
    uint32_t *w;
    size_t n, cap;
} words;

static int words_push(words *v, uint32_t x)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 1 << 16;
        uint32_t *nw = realloc(v->w, cap * sizeof *nw);
        if (!nw)
            return -1;
        v->w = nw;
        v->cap = cap;
    }
    v->w[v->n++] = x;
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
                         "text", db_col_text(st, 1), "category", db_col_text(st, 3), "difficulty",
                         sqlite3_column_int(st, 4), "track", sqlite3_column_int(st, 5), "bank_id",
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
        json_array_append_new(opts, json_pack("{s:i, s:s, s:O, s:b, s:I, s:f, s:I}", "index", o,
                                              "letter", (const char[]){(char)('A' + o), 0}, "text",
                                              text ? text : json_null(), "key", is_key, "count",
                                              (json_int_t)q->count[o], "share",
                                              q->acc.n > 0 ? (double)q->count[o] / q->acc.n : 0.0,
                                              "top_count", (json_int_t)q->top[o]));
        if (is_key && (min_key_top < 0 || q->top[o] < min_key_top))
            min_key_top = q->top[o];
        if (!is_key && q->top[o] > max_other_top)
            max_other_top = q->top[o];
    }
    json_decref(options);
    if (q->voided)
        json_array_append_new(flags, json_string("voided"));
    if (q->top_n >= STATS_MIN_TOP && min_key_top >= 0 && max_other_top > min_key_top)
        json_array_append_new(flags, json_string("wrong_key"));
    if (q->acc.n > 0 && fac >= STATS_EASY)
        json_array_append_new(flags, json_string("too_easy"));
    if (q->acc.n > 0 && fac <= STATS_HARD)
        json_array_append_new(flags, json_string("too_hard"));
    if (defined && disc < 0 && q->acc.n >= STATS_MIN_N)
        json_array_append_new(flags, json_string("negative_discrimination"));
    json_object_update_new(
        info, json_pack("{s:I, s:I, s:I, s:f, s:o, s:b, s:o, s:o}", "question_id",
                        (json_int_t)q->qid, "n", (json_int_t)q->acc.n, "blank",
                        (json_int_t)q->blank, "facility", round(fac * 100) / 100, "discrimination",
                        defined ? json_real(round(disc * 100) / 100) : json_null(), "multi",
                        q->multi, "options", opts, "flags", flags));
    return info;
}

static int cmp_qid(const void *a, const void *b)
{
    const qstat *x = *(const qstat *const *)a, *y = *(const qstat *const *)b;
    return x->qid < y->qid ? -1 : x->qid > y->qid;
}

/* One pass over the round's finished attempts: the overall sums per
 * question, and per attempt its score fraction and (question, choice) words
 * kept for the second pass over memory that counts the top group. */
json_t *stats_round(db_conn *c, int64_t round_id, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_STATS_ATTEMPTS);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, round_id);
    qtable t = {0};
    words picks = {0}, starts = {0};
    double *frac = NULL;
    size_t nfrac = 0, fcap = 0;
    attempt_item *items = malloc(ITEMS_MAX * sizeof *items);
    int64_t *aq = malloc(ITEMS_MAX * sizeof *aq);
    unsigned *am = malloc(ITEMS_MAX * sizeof *am);
    unsigned *chosen = malloc(ITEMS_MAX * sizeof *chosen);
    int *correct = malloc(ITEMS_MAX * sizeof *correct);
    int32_t *qi = malloc(ITEMS_MAX * sizeof *qi);
    int64_t bad = 0;
    int ok = items && aq && am && chosen && correct && qi;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        int n = items_parse(db_col_text(st, 0), items, ITEMS_MAX);
        int na = stats_parse_answers(db_col_text(st, 1), aq, am, ITEMS_MAX);
        if (n < 0 || na < 0) {
            bad++;
            continue;
        }
        int max = sqlite3_column_int(st, 3);
        if (nfrac == fcap) {
            fcap = fcap ? fcap * 2 : 4096;
            double *nf = realloc(frac, fcap * sizeof *nf);
            if (!nf) {
                ok = 0;
                break;
            }
            frac = nf;
        }
        frac[nfrac++] = max > 0 ? (double)sqlite3_column_int(st, 2) / max : 0;
        if (words_push(&starts, (uint32_t)picks.n) != 0) {
            ok = 0;
            break;
        }
        int total = 0;
        for (int i = 0; ok && i < n; i++) {
            unsigned disp = 0;
            for (int k = 0; k < na; k++)
                if (aq[k] == items[i].qid)
                    disp = am[k];
            qi[i] = qt_get(&t, c, items[i].qid);
            if (qi[i] < 0 || qi[i] >= (1 << 24)) {
                ok = 0;
                break;
            }
            qstat *q = &t.q[qi[i]];
            if (q->nopt < items[i].nopt)
                q->nopt = items[i].nopt;
            chosen[i] = items_to_original(&items[i], disp);
            score_key k = {q->key, q->voided};
            correct[i] = score_question(chosen[i], &k);
            total += correct[i];
            if (words_push(&picks, (uint32_t)qi[i] << 8 | (chosen[i] & 0xffu)) != 0)
                ok = 0;
        }
        for (int i = 0; ok && i < n; i++) {
            qstat *q = &t.q[qi[i]];
            stat_add(&q->acc, correct[i], total - correct[i]);
            if (!chosen[i])
                q->blank++;
            for (int o = 0; o < items[i].nopt; o++)
                if (chosen[i] & (1u << o))
                    q->count[o]++;
        }
    }
    db_done(st);
    free(items);
    free(aq);
    free(am);
    free(chosen);
    free(correct);
    free(qi);
    /* the top group: the best STATS_TOP_FRACTION of attempts by score */
    double threshold = 2;
    int64_t top_attempts = 0;
    if (ok && nfrac > 0) {
        double *sorted = malloc(nfrac * sizeof *sorted);
        if (sorted) {
            memcpy(sorted, frac, nfrac * sizeof *sorted);
            qsort(sorted, nfrac, sizeof *sorted, cmp_double);
            size_t top = (size_t)ceil((double)nfrac * STATS_TOP_FRACTION);
            threshold = sorted[nfrac - (top < 1 ? 1 : top)];
            free(sorted);
        } else {
            ok = 0;
        }
    }
    for (size_t a = 0; ok && a < nfrac; a++) {
        if (frac[a] < threshold)
            continue;
        top_attempts++;
        size_t end = a + 1 < nfrac ? starts.w[a + 1] : picks.n;
        for (size_t k = starts.w[a]; k < end; k++) {
            qstat *q = &t.q[picks.w[k] >> 8];
            unsigned ch = picks.w[k] & 0xffu;
            q->top_n++;
            if (!ch)
                q->top_blank++;
            for (int o = 0; o < q->nopt && o < ITEM_OPTIONS_MAX; o++)
                if (ch & (1u << o))
                    q->top[o]++;
        }
    }
    free(frac);
    free(picks.w);
    free(starts.w);
    if (!ok) {
        free(t.q);
        free(t.slots);
        APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ khi tính thống kê");
        return NULL;
    }
    if (bad)
        log_warn("stats: round %lld: %lld attempts with unreadable items or answers",
                 (long long)round_id, (long long)bad);
    qstat **order = malloc((t.n ? t.n : 1) * sizeof *order);
    for (size_t i = 0; order && i < t.n; i++)
        order[i] = &t.q[i];
    if (order)
        qsort(order, t.n, sizeof *order, cmp_qid);
    json_t *list = json_array();
    for (size_t i = 0; order && i < t.n; i++)
        json_array_append_new(list, question_json(c, order[i]));
    free(order);
    free(t.q);
    free(t.slots);
    return json_pack("{s:I, s:I, s:I, s:f, s:o}", "round_id", (json_int_t)round_id, "attempts",
                     (json_int_t)nfrac, "top_group", (json_int_t)top_attempts, "top_threshold",
                     threshold > 1 ? 0.0 : threshold, "questions", list);
}
