/* quiz/regrade.c - key corrections and re-scoring; see regrade.h. */
#include "quiz/regrade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "contest/contest.h"
#include "quiz/items.h"
#include "quiz/rank.h"
#include "quiz/score.h"
#include "util/log.h"
#include "util/text.h"

/* ---- an int64 -> two ints map (open addressing; keys > 0) --------------------------- */

typedef struct i64map {
    int64_t *keys;
    int *a;
    int *b;
    size_t cap; /* power of two */
    size_t n;
} i64map;

static size_t mix(int64_t k)
{
    uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 31));
}

static void map_free(i64map *m)
{
    free(m->keys);
    free(m->a);
    free(m->b);
    memset(m, 0, sizeof *m);
}

static int map_grow(i64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    int64_t *keys = calloc(cap, sizeof *keys);
    int *a = calloc(cap, sizeof *a);
    int *b = calloc(cap, sizeof *b);
    if (!keys || !a || !b) {
        free(keys);
        free(a);
        free(b);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t h = mix(m->keys[i]) & (cap - 1);
        while (keys[h])
            h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        a[h] = m->a[i];
        b[h] = m->b[i];
    }
    free(m->keys);
    free(m->a);
    free(m->b);
    m->keys = keys;
    m->a = a;
    m->b = b;
    m->cap = cap;
    return 0;
}

/* Index of key's slot, or -1. */
static long map_find(const i64map *m, int64_t key)
{
    if (!m->cap)
        return -1;
    size_t h = mix(key) & (m->cap - 1);
    while (m->keys[h]) {
        if (m->keys[h] == key)
            return (long)h;
        h = (h + 1) & (m->cap - 1);
    }
    return -1;
}

/* Sets key -> (a, b). 0, or -1 when out of memory. */
static int map_put(i64map *m, int64_t key, int a, int b)
{
    long at = map_find(m, key);
    if (at >= 0) {
        m->a[at] = a;
        m->b[at] = b;
        return 0;
    }
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0)
        return -1;
    size_t h = mix(key) & (m->cap - 1);
    while (m->keys[h])
        h = (h + 1) & (m->cap - 1);
    m->keys[h] = key;
    m->a[h] = a;
    m->b[h] = b;
    m->n++;
    return 0;
}

/* ---- state of one run --------------------------------------------------------------- */

typedef struct changed_attempt {
    int64_t id, round_id, participant_id;
    int correct, score;
} changed_attempt;

typedef struct round_info {
    int64_t id, contest_id;
    int counting, settled, has_freeze, points, has_perfect;
    int64_t freeze_at, perfect;
    char title[304];
    char rkey[72];
    rank_order order;
    i64map old_rank; /* participant -> (rank, score) */
    int attempts_changed, results_changed;
} round_info;

typedef struct run {
    db_conn *c;
    app_err *e;
    i64map keys;     /* question -> (mask, voided) */
    i64map seen;     /* attempt ids examined */
    changed_attempt *changed;
    int nchanged, capchanged;
    round_info *rounds;
    int nrounds;
    long examined;
} run;

static int db_fail(run *r, const char *what)
{
    log_error("regrade: %s: %s", what, sqlite3_errmsg(db_handle(r->c)));
    APP_ERR(r->e, 503, "unavailable", NULL, "Không đọc/ghi được dữ liệu khi chấm lại (%s)", what);
    return -1;
}

static round_info *round_get(run *r, int64_t id)
{
    for (int i = 0; i < r->nrounds; i++)
        if (r->rounds[i].id == id)
            return &r->rounds[i];
    round_info *x = realloc(r->rounds, (size_t)(r->nrounds + 1) * sizeof *x);
    if (!x)
        return NULL;
    r->rounds = x;
    round_info *ri = &r->rounds[r->nrounds];
    memset(ri, 0, sizeof *ri);
    sqlite3_stmt *st = db_stmt(r->c, Q_REGRADE_ROUND);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    int ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        ri->id = id;
        ri->contest_id = sqlite3_column_int64(st, 0);
        ri->counting = sqlite3_column_int(st, 1);
        ri->settled = sqlite3_column_type(st, 2) != SQLITE_NULL;
        ri->has_freeze = sqlite3_column_type(st, 3) != SQLITE_NULL;
        ri->freeze_at = sqlite3_column_int64(st, 3);
        snprintf(ri->title, sizeof ri->title, "%s", db_col_text(st, 4));
        snprintf(ri->rkey, sizeof ri->rkey, "%s", db_col_text(st, 5));
    }
    db_done(st);
    if (!ok)
        return NULL;
    contest_settings s;
    if (contest_settings_load(r->c, ri->contest_id, &s) != 0)
        return NULL;
    ri->points = s.points;
    ri->order = s.ranking;
    r->nrounds++;
    return ri;
}

/* The key of question qid as it now is (the changed ones were written first). */
static int key_of(run *r, int64_t qid, score_key *k)
{
    long at = map_find(&r->keys, qid);
    if (at >= 0) {
        k->correct_mask = (unsigned)r->keys.a[at];
        k->voided = r->keys.b[at];
        return 0;
    }
    sqlite3_stmt *st = db_stmt(r->c, Q_QUESTION_KEY);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, qid);
    k->correct_mask = 0;
    k->voided = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        k->correct_mask = (unsigned)sqlite3_column_int(st, 0);
        k->voided = sqlite3_column_int(st, 1);
    }
    db_done(st);
    return map_put(&r->keys, qid, (int)k->correct_mask, k->voided);
}

/* Reads the saved answers {"345":2,"346":[0,3]} into display masks per item. A fast
 * reader for the form the engine writes; anything else goes through jansson. */
static int read_answers(const char *s, const attempt_item *items, int n, unsigned *disp)
{
    const char *p = s;
    memset(disp, 0, (size_t)n * sizeof *disp);
    while (*p == ' ')
        p++;
    if (*p++ != '{')
        goto slow;
    for (;;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '}')
            return 0;
        if (*p++ != '"')
            goto slow;
        /* only canonical ids, as finalise looks them up ("0345" is not 345) */
        if (*p == '0' || *p < '0' || *p > '9')
            goto slow;
        int64_t qid = 0;
        while (*p >= '0' && *p <= '9' && qid < ((int64_t)1 << 50))
            qid = qid * 10 + (*p++ - '0');
        if (*p++ != '"')
            goto slow;
        while (*p == ' ')
            p++;
        if (*p++ != ':')
            goto slow;
        while (*p == ' ')
            p++;
        unsigned m = 0;
        if (*p == '[') {
            p++;
            for (;;) {
                while (*p == ' ' || *p == ',')
                    p++;
                if (*p == ']') {
                    p++;
                    break;
                }
                if (*p < '0' || *p > '9')
                    goto slow;
                int v = 0;
                while (*p >= '0' && *p <= '9' && v < 100)
                    v = v * 10 + (*p++ - '0');
                if (v < ITEM_OPTIONS_MAX)
                    m |= 1u << v;
            }
        } else if (*p >= '0' && *p <= '9') {
            int v = 0;
            while (*p >= '0' && *p <= '9' && v < 100)
                v = v * 10 + (*p++ - '0');
            if (v < ITEM_OPTIONS_MAX)
                m = 1u << v;
        } else if (strncmp(p, "null", 4) == 0) {
            p += 4;
        } else {
            goto slow;
        }
        int i = items_find(items, n, qid);
        if (i >= 0)
            disp[i] = m;
    }
slow:;
    json_t *a = json_loads(s, 0, NULL);
    if (!json_is_object(a)) {
        json_decref(a);
        return -1;
    }
    memset(disp, 0, (size_t)n * sizeof *disp);
    for (int i = 0; i < n; i++) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)items[i].qid);
        json_t *v = json_object_get(a, k);
        if (json_is_integer(v) && json_integer_value(v) >= 0 &&
            json_integer_value(v) < ITEM_OPTIONS_MAX) {
            disp[i] = 1u << json_integer_value(v);
        } else if (json_is_array(v)) {
            size_t j;
            json_t *x;
            json_array_foreach(v, j, x)
            {
                if (json_is_integer(x) && json_integer_value(x) >= 0 &&
                    json_integer_value(x) < ITEM_OPTIONS_MAX)
                    disp[i] |= 1u << json_integer_value(x);
            }
        }
    }
    json_decref(a);
    return 0;
}

/* Scores one attempt against the current keys; records it when its score changes. */
static int rescore(run *r, int64_t id, int64_t round_id, int64_t participant_id,
                   const char *items_s, const char *answers_s, int old_correct, int old_score)
{
    attempt_item items[ITEMS_MAX];
    unsigned disp[ITEMS_MAX];
    int n = items_parse(items_s, items, ITEMS_MAX);
    if (n < 0 || read_answers(answers_s, items, n, disp) != 0) {
        log_warn("regrade: attempt %lld has unreadable items or answers; left as it is",
                 (long long)id);
        return 0;
    }
    round_info *ri = round_get(r, round_id);
    if (!ri)
        return db_fail(r, "round");
    int correct = 0;
    for (int i = 0; i < n; i++) {
        score_key k;
        if (key_of(r, items[i].qid, &k) != 0)
            return db_fail(r, "key");
        correct += score_question(items_to_original(&items[i], disp[i]), &k);
    }
    int score = correct * ri->points;
    if (correct == old_correct && score == old_score)
        return 0;
    if (r->nchanged == r->capchanged) {
        int cap = r->capchanged ? r->capchanged * 2 : 1024;
        changed_attempt *x = realloc(r->changed, (size_t)cap * sizeof *x);
        if (!x) {
            APP_ERR(r->e, 500, "internal", NULL, "Hết bộ nhớ");
            return -1;
        }
        r->changed = x;
        r->capchanged = cap;
    }
    r->changed[r->nchanged++] =
        (changed_attempt){id, round_id, participant_id, correct, score};
    ri->attempts_changed++;
    return 0;
}

/* Ranks of a round's results (staff view: disqualified people left out) into m, or,
 * with m NULL, compared with ri->old_rank into moves. */
static int rank_round(run *r, round_info *ri, i64map *m, json_t *moves, int *nmoves)
{
    char order[512];
    char sql[900];
    rank_order_sql(&ri->order, !ri->settled, order, sizeof order);
    snprintf(sql, sizeof sql,
             "SELECT r.participant_id, r.score FROM results r JOIN participants p "
             "ON p.id = r.participant_id WHERE r.round_id = ?1 AND p.disqualified_at IS NULL "
             "ORDER BY %s",
             order);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(r->c), sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(r, "ranking");
    sqlite3_bind_int64(q, 1, ri->id);
    int rank = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(q, 0);
        int score = sqlite3_column_int(q, 1);
        rank++;
        if (m) {
            if (map_put(m, pid, rank, score) != 0) {
                sqlite3_finalize(q);
                APP_ERR(r->e, 500, "internal", NULL, "Hết bộ nhớ");
                return -1;
            }
            continue;
        }
        long at = map_find(&ri->old_rank, pid);
        int old_rank = at >= 0 ? ri->old_rank.a[at] : 0;
        int old_score = at >= 0 ? ri->old_rank.b[at] : 0;
        if (old_rank == rank && old_score == score)
            continue;
        (*nmoves)++;
        if (json_array_size(moves) < REGRADE_MOVES_SHOWN) {
            json_t *mv = json_pack("{s:I, s:o, s:i, s:o, s:i}", "participant_id",
                                   (json_int_t)pid, "old_rank",
                                   old_rank ? json_integer(old_rank) : json_null(), "new_rank",
                                   rank, "old_score",
                                   at >= 0 ? json_integer(old_score) : json_null(), "new_score",
                                   score);
            json_array_append_new(moves, mv);
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return db_fail(r, "ranking");
    return 0;
}

/* Names and units of the people in moves (only these are looked up). */
static void name_moves(run *r, json_t *moves)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(r->c),
                           "SELECT p.full_name, u.name FROM participants p JOIN units u "
                           "ON u.id = p.unit_id WHERE p.id = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return;
    size_t i;
    json_t *mv;
    json_array_foreach(moves, i, mv)
    {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, json_integer_value(json_object_get(mv, "participant_id")));
        if (sqlite3_step(q) == SQLITE_ROW) {
            json_object_set_new(mv, "name", json_string(db_col_text(q, 0)));
            json_object_set_new(mv, "unit", json_string(db_col_text(q, 1)));
        }
    }
    sqlite3_finalize(q);
}

typedef struct final_row {
    int64_t id, duration, submitted_at, prediction;
    int attempt_no, score, max_score, correct, total, has_prediction;
} final_row;

/* The attempt that counts among a participant's final attempts in a round, optionally
 * only those submitted before `before` (0: all). Returns 1 found, 0 none, -1 error. */
static int counted(run *r, const round_info *ri, int64_t pid, int64_t before, final_row *out)
{
    sqlite3_stmt *st = db_stmt(r->c, Q_REGRADE_FINALS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, ri->id);
    sqlite3_bind_int64(st, 2, pid);
    int found = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        final_row f;
        f.id = sqlite3_column_int64(st, 0);
        f.attempt_no = sqlite3_column_int(st, 1);
        f.score = sqlite3_column_int(st, 2);
        f.max_score = sqlite3_column_int(st, 3);
        f.correct = sqlite3_column_int(st, 4);
        f.total = sqlite3_column_int(st, 5);
        f.duration = sqlite3_column_int64(st, 6);
        f.submitted_at = sqlite3_column_int64(st, 7);
        f.has_prediction = sqlite3_column_type(st, 8) != SQLITE_NULL;
        f.prediction = sqlite3_column_int64(st, 8);
        if (before && f.submitted_at >= before)
            continue;
        /* rows come by attempt_no: "last" keeps the latest, "best" the first of the best */
        if (!found || (ri->counting == COUNT_LAST ? 1 : f.score > out->score))
            *out = f;
        found = 1;
    }
    db_done(st);
    return rc == SQLITE_DONE ? found : -1;
}

static void bind_final(sqlite3_stmt *st, int64_t round_id, int64_t pid, const final_row *f)
{
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, pid);
    sqlite3_bind_int64(st, 3, f->id);
    sqlite3_bind_int(st, 4, f->score);
    sqlite3_bind_int(st, 5, f->max_score);
    sqlite3_bind_int(st, 6, f->correct);
    sqlite3_bind_int(st, 7, f->total);
    sqlite3_bind_int64(st, 8, f->duration);
    sqlite3_bind_int64(st, 9, f->submitted_at);
    if (f->has_prediction)
        sqlite3_bind_int64(st, 10, f->prediction);
}

static int cmp_changed(const void *a, const void *b)
{
    const changed_attempt *x = a, *y = b;
    if (x->round_id != y->round_id)
        return x->round_id < y->round_id ? -1 : 1;
    if (x->participant_id != y->participant_id)
        return x->participant_id < y->participant_id ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Recomputes one participant's result (and pre-freeze copy) in a round. */
static int recount(run *r, round_info *ri, int64_t pid)
{
    final_row f;
    int rc = counted(r, ri, pid, 0, &f);
    if (rc < 0)
        return db_fail(r, "attempts");
    if (rc == 0)
        return 0;
    sqlite3_stmt *st = db_stmt(r->c, Q_REGRADE_RESULT_SET);
    if (!st)
        return db_fail(r, "results");
    bind_final(st, ri->id, pid, &f);
    rc = sqlite3_step(st);
    int n = sqlite3_changes(db_handle(r->c));
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(r, "results");
    ri->results_changed += n > 0;
    if (!ri->has_freeze)
        return 0;
    /* the copy the frozen public board shows */
    st = db_stmt(r->c, Q_REGRADE_PREFREEZE_GET);
    sqlite3_bind_int64(st, 1, ri->id);
    sqlite3_bind_int64(st, 2, pid);
    int has = sqlite3_step(st) == SQLITE_ROW;
    db_done(st);
    if (!has)
        return 0;
    final_row pre;
    rc = f.submitted_at < ri->freeze_at ? 0 : counted(r, ri, pid, ri->freeze_at, &pre);
    if (rc < 0)
        return db_fail(r, "attempts");
    st = db_stmt(r->c, rc == 0 ? Q_REGRADE_PREFREEZE_DEL : Q_REGRADE_PREFREEZE_SET);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, ri->id);
        sqlite3_bind_int64(st, 2, pid);
    } else {
        bind_final(st, ri->id, pid, &pre);
    }
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(r, "results_prefreeze");
}

static json_t *mask_json(unsigned mask)
{
    json_t *a = json_array();
    for (int k = 0; k < ITEM_OPTIONS_MAX; k++)
        if (mask & (1u << k))
            json_array_append_new(a, json_integer(k));
    return a;
}

static int popcount(unsigned m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* Checks the changes and writes the new keys; fills the "questions" report. */
static int set_keys(run *r, const regrade_change *ch, int n, json_t *qs)
{
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (ch[j].question_id == ch[i].question_id) {
                APP_ERR(r->e, 400, "validation", "question_id",
                        "Câu hỏi %lld được nêu hai lần", (long long)ch[i].question_id);
                return -1;
            }
        sqlite3_stmt *st = db_stmt(r->c, Q_REGRADE_QUESTION);
        if (!st)
            return db_fail(r, "question");
        sqlite3_bind_int64(st, 1, ch[i].question_id);
        if (sqlite3_step(st) != SQLITE_ROW) {
            db_done(st);
            APP_ERR(r->e, 404, "not_found", "question_id", "Không có câu hỏi mã số %lld",
                    (long long)ch[i].question_id);
            return -1;
        }
        unsigned old_mask = (unsigned)sqlite3_column_int(st, 0);
        int old_void = sqlite3_column_int(st, 1);
        int multi = sqlite3_column_int(st, 2);
        json_t *opts = json_loads(db_col_text(st, 3), 0, NULL);
        int nopt = (int)json_array_size(opts);
        json_decref(opts);
        json_t *q = json_pack("{s:I, s:s, s:i, s:s, s:{s:o, s:b}}", "question_id",
                              (json_int_t)ch[i].question_id, "bank_id", db_col_text(st, 5),
                              "bank_version", sqlite3_column_int(st, 6), "qkey",
                              db_col_text(st, 4), "old", "key", mask_json(old_mask), "voided",
                              old_void);
        db_done(st);
        unsigned mask = ch[i].void_it ? old_mask : ch[i].key;
        if (!ch[i].void_it) {
            if (mask == 0 || (nopt < 32 && (mask >> nopt) != 0)) {
                json_decref(q);
                APP_ERR(r->e, 400, "validation", "key",
                        "Đáp án phải là các phương án có trong câu hỏi (0 đến %d)", nopt - 1);
                return -1;
            }
            if (!multi && popcount(mask) != 1) {
                json_decref(q);
                APP_ERR(r->e, 400, "validation", "key",
                        "Câu hỏi %lld chỉ có một đáp án đúng; không thể đặt nhiều đáp án",
                        (long long)ch[i].question_id);
                return -1;
            }
        }
        json_object_set_new(q, "new", json_pack("{s:o, s:b}", "key", mask_json(mask), "voided",
                                                ch[i].void_it ? 1 : 0));
        json_array_append_new(qs, q);
        st = db_stmt(r->c, Q_REGRADE_SET_KEY);
        sqlite3_bind_int64(st, 1, ch[i].question_id);
        sqlite3_bind_int(st, 2, (int)mask);
        sqlite3_bind_int(st, 3, ch[i].void_it ? 1 : 0);
        int rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE)
            return db_fail(r, "question");
        if (map_put(&r->keys, ch[i].question_id, (int)mask, ch[i].void_it ? 1 : 0) != 0) {
            APP_ERR(r->e, 500, "internal", NULL, "Hết bộ nhớ");
            return -1;
        }
    }
    return 0;
}

static int scan(run *r, const regrade_change *ch, int n)
{
    for (int i = 0; i < n; i++) {
        char qid[24];
        snprintf(qid, sizeof qid, "%lld", (long long)ch[i].question_id);
        sqlite3_stmt *st = db_stmt(r->c, Q_REGRADE_SCAN);
        if (!st)
            return db_fail(r, "attempts");
        db_bind_text(st, 1, qid);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0);
            if (map_find(&r->seen, id) >= 0)
                continue;
            /* items_parse is exact: the instr() prefilter could match "12:" in "112:" */
            attempt_item items[ITEMS_MAX];
            int ni = items_parse(db_col_text(st, 3), items, ITEMS_MAX);
            if (ni < 0 || items_find(items, ni, ch[i].question_id) < 0)
                continue;
            if (map_put(&r->seen, id, 1, 0) != 0) {
                db_done(st);
                APP_ERR(r->e, 500, "internal", NULL, "Hết bộ nhớ");
                return -1;
            }
            r->examined++;
            if (rescore(r, id, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                        db_col_text(st, 3), db_col_text(st, 4), sqlite3_column_int(st, 5),
                        sqlite3_column_int(st, 6)) != 0) {
                db_done(st);
                return -1;
            }
        }
        db_done(st);
        if (rc != SQLITE_DONE)
            return db_fail(r, "attempts");
    }
    return 0;
}

json_t *regrade_run(db_conn *c, const regrade_change *changes, int n, const char *actor,
                    const char *reason, int dry_run, app_err *e)
{
    if (n < 1 || n > REGRADE_MAX_CHANGES) {
        APP_ERR(e, 400, "validation", "changes", "Cần từ 1 đến %d câu hỏi để chấm lại",
                REGRADE_MAX_CHANGES);
        return NULL;
    }
    run r;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.e = e;
    json_t *qs = json_array();
    json_t *rounds = json_array();
    json_t *out = NULL;
    long results_changed = 0;
    /* a regrade touches many pages at once: a larger page cache for its duration keeps
     * SQLite from spilling them to the WAL before the commit */
    int64_t old_cache = 0;
    sqlite3_stmt *cs;
    if (sqlite3_prepare_v2(db_handle(c), "PRAGMA cache_size", -1, &cs, NULL) == SQLITE_OK) {
        if (sqlite3_step(cs) == SQLITE_ROW)
            old_cache = sqlite3_column_int64(cs, 0);
        sqlite3_finalize(cs);
    }
    db_exec(c, "PRAGMA cache_size = -262144");
    if (db_exec(c, "SAVEPOINT regrade") != SQLITE_OK) {
        db_fail(&r, "savepoint");
        goto fail_nosp;
    }
    if (set_keys(&r, changes, n, qs) != 0 || scan(&r, changes, n) != 0)
        goto fail;
    /* the rounds touched, their ranks before */
    if (r.nchanged > 1)
        qsort(r.changed, (size_t)r.nchanged, sizeof *r.changed, cmp_changed);
    for (int i = 0; i < r.nrounds; i++)
        if (r.rounds[i].attempts_changed && rank_round(&r, &r.rounds[i], &r.rounds[i].old_rank,
                                                       NULL, NULL) != 0)
            goto fail;
    for (int i = 0; i < r.nchanged; i++) {
        sqlite3_stmt *st = db_stmt(c, Q_REGRADE_ATTEMPT_SET);
        if (!st) {
            db_fail(&r, "attempts");
            goto fail;
        }
        sqlite3_bind_int64(st, 1, r.changed[i].id);
        sqlite3_bind_int(st, 2, r.changed[i].score);
        sqlite3_bind_int(st, 3, r.changed[i].correct);
        int rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE) {
            db_fail(&r, "attempts");
            goto fail;
        }
    }
    for (int i = 0; i < r.nchanged; i++) {
        if (i > 0 && r.changed[i].round_id == r.changed[i - 1].round_id &&
            r.changed[i].participant_id == r.changed[i - 1].participant_id)
            continue;
        if (recount(&r, round_get(&r, r.changed[i].round_id), r.changed[i].participant_id) != 0)
            goto fail;
    }
    for (int i = 0; i < r.nrounds; i++) {
        round_info *ri = &r.rounds[i];
        if (!ri->attempts_changed)
            continue;
        results_changed += ri->results_changed;
        json_t *perfect = json_null();
        if (ri->settled) {
            /* the prediction tie-break compares with the number of perfect scores */
            int64_t before = -1;
            sqlite3_stmt *st = db_stmt(c, Q_ROUND_BY_ID);
            sqlite3_bind_int64(st, 1, ri->id);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 12) != SQLITE_NULL)
                before = sqlite3_column_int64(st, 12);
            db_done(st);
            int64_t now_perfect = db_scalar_i64(c, Q_ROUND_PERFECT, ri->id);
            st = db_stmt(c, Q_ROUND_SET_PERFECT);
            sqlite3_bind_int64(st, 1, ri->id);
            sqlite3_bind_int64(st, 2, now_perfect);
            int rc1 = sqlite3_step(st);
            db_done(st);
            st = db_stmt(c, Q_RESULTS_PRED_ERROR);
            sqlite3_bind_int64(st, 1, ri->id);
            sqlite3_bind_int64(st, 2, now_perfect);
            int rc2 = sqlite3_step(st);
            db_done(st);
            if (rc1 != SQLITE_DONE || rc2 != SQLITE_DONE) {
                db_fail(&r, "rounds");
                goto fail;
            }
            perfect = json_pack("{s:o, s:I}", "old", before >= 0 ? json_integer(before) : json_null(),
                                "new", (json_int_t)now_perfect);
        }
        json_t *moves = json_array();
        int nmoves = 0;
        if (rank_round(&r, ri, NULL, moves, &nmoves) != 0) {
            json_decref(moves);
            json_decref(perfect);
            goto fail;
        }
        name_moves(&r, moves);
        json_array_append_new(
            rounds, json_pack("{s:I, s:s, s:s, s:b, s:i, s:i, s:o, s:i, s:o}", "round_id",
                              (json_int_t)ri->id, "round", ri->rkey, "title", ri->title,
                              "settled", ri->settled, "attempts_changed", ri->attempts_changed,
                              "results_changed", ri->results_changed, "perfect_count", perfect,
                              "moves_total", nmoves, "moves", moves));
    }
    out = json_pack("{s:b, s:o, s:I, s:i, s:I, s:o}", "dry_run", dry_run, "questions", qs,
                    "attempts_examined", (json_int_t)r.examined, "attempts_changed", r.nchanged,
                    "results_changed", (json_int_t)results_changed, "rounds", rounds);
    qs = rounds = NULL;
    if (!out) {
        APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ");
        goto fail;
    }
    if (reason)
        json_object_set_new(out, "reason", json_string(reason));
    if (dry_run) {
        db_exec(c, "ROLLBACK TO regrade");
        db_exec(c, "RELEASE regrade");
    } else {
        json_t *d = json_pack("{s:O, s:I, s:i, s:I, s:s?}", "questions",
                              json_object_get(out, "questions"), "attempts_examined",
                              (json_int_t)r.examined, "attempts_changed", r.nchanged,
                              "results_changed", (json_int_t)results_changed, "reason", reason);
        json_t *ids = json_array();
        for (int i = 0; i < r.nrounds; i++)
            if (r.rounds[i].attempts_changed)
                json_array_append_new(ids, json_integer(r.rounds[i].id));
        json_object_set_new(d, "rounds", ids);
        char *detail = json_dumps(d, JSON_COMPACT);
        json_decref(d);
        int rc = detail ? db_audit(c, actor ? actor : "cli", "regrade", detail) : -1;
        free(detail);
        if (rc != 0) {
            db_fail(&r, "audit");
            goto fail;
        }
        if (db_exec(c, "RELEASE regrade") != SQLITE_OK) {
            db_fail(&r, "release");
            goto fail;
        }
    }
    goto done;
fail:
    db_exec(c, "ROLLBACK TO regrade");
    db_exec(c, "RELEASE regrade");
fail_nosp:
    json_decref(out);
    out = NULL;
done:
    if (old_cache) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %lld", (long long)old_cache);
        db_exec(c, pragma);
    }
    json_decref(qs);
    json_decref(rounds);
    for (int i = 0; i < r.nrounds; i++)
        map_free(&r.rounds[i].old_rank);
    free(r.rounds);
    free(r.changed);
    map_free(&r.keys);
    map_free(&r.seen);
    return out;
}

/* ---- corrections from a newer version --------------------------------------------- */

typedef struct vq {
    int64_t id;
    char *qkey;
    char *text_key;
    char *opt[ITEM_OPTIONS_MAX];
    int nopt;
    unsigned mask;
    int multi, voided;
} vq;

static void vq_free(vq *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].qkey);
        free(v[i].text_key);
        for (int k = 0; k < ITEM_OPTIONS_MAX; k++)
            free(v[i].opt[k]);
    }
    free(v);
}

static int load_version(db_conn *c, int64_t bank_row, vq **out, int *n)
{
    sqlite3_stmt *st = db_stmt(c, Q_BANK_ALL_QUESTIONS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, bank_row);
    vq *v = NULL;
    int cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 256;
            vq *x = realloc(v, (size_t)cap * sizeof *x);
            if (!x) {
                db_done(st);
                vq_free(v, cnt);
                return -1;
            }
            v = x;
        }
        vq *q = &v[cnt++];
        memset(q, 0, sizeof *q);
        q->qkey = strdup(db_col_text(st, 0));
        q->text_key = text_fold_key(db_col_text(st, 4));
        json_t *opts = json_loads(db_col_text(st, 5), 0, NULL);
        for (size_t k = 0; k < json_array_size(opts) && k < ITEM_OPTIONS_MAX; k++) {
            const char *o = json_string_value(json_array_get(opts, k));
            q->opt[q->nopt++] = text_fold_key(o ? o : "");
        }
        json_decref(opts);
        q->mask = (unsigned)sqlite3_column_int(st, 6);
        q->multi = sqlite3_column_int(st, 7);
        q->id = sqlite3_column_int64(st, 14);
        q->voided = sqlite3_column_int(st, 15);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        vq_free(v, cnt);
        return -1;
    }
    *out = v;
    *n = cnt;
    return 0;
}

/* Orders pointers to questions by id, or by text key (NULL first); for bsearch the key
 * is a pointer to a question pointer too. */
static int cmp_vq_key(const void *a, const void *b)
{
    const vq *x = *(const vq *const *)a, *y = *(const vq *const *)b;
    return strcmp(x->qkey ? x->qkey : "", y->qkey ? y->qkey : "");
}

static int cmp_vq_text(const void *a, const void *b)
{
    const vq *x = *(const vq *const *)a, *y = *(const vq *const *)b;
    return strcmp(x->text_key ? x->text_key : "", y->text_key ? y->text_key : "");
}

static int same_str(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void note(json_t *notes, const vq *q, int version, const char *why)
{
    json_array_append_new(notes, json_pack("{s:I, s:s, s:i, s:s}", "question_id",
                                           (json_int_t)q->id, "qkey", q->qkey ? q->qkey : "",
                                           "bank_version", version, "reason", why));
}

int regrade_changes_from_version(db_conn *c, const char *bank_key, int version,
                                 regrade_change **out, int *n, json_t **notes, app_err *e)
{
    *out = NULL;
    *n = 0;
    *notes = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_BANK_ROW);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return -1;
    }
    db_bind_text(st, 1, bank_key);
    sqlite3_bind_int(st, 2, version);
    int64_t row = 0;
    int v_new = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        row = sqlite3_column_int64(st, 0);
        v_new = sqlite3_column_int(st, 1);
    }
    db_done(st);
    if (!row) {
        APP_ERR(e, 404, "not_found", "version", "Không có ngân hàng \"%.64s\"%s", bank_key,
                version ? " ở phiên bản này" : "");
        return -1;
    }
    vq *nq = NULL;
    int nn = 0;
    if (load_version(c, row, &nq, &nn) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được ngân hàng câu hỏi");
        return -1;
    }
    /* the new questions by id and by text, for lookups */
    const vq **by_key = calloc((size_t)nn + 1, sizeof *by_key);
    const vq **by_text = calloc((size_t)nn + 1, sizeof *by_text);
    if (!by_key || !by_text) {
        free(by_key);
        free(by_text);
        vq_free(nq, nn);
        APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ");
        return -1;
    }
    for (int k = 0; k < nn; k++)
        by_key[k] = by_text[k] = &nq[k];
    qsort(by_key, (size_t)nn, sizeof *by_key, cmp_vq_key);
    qsort(by_text, (size_t)nn, sizeof *by_text, cmp_vq_text);
    /* the earlier versions */
    int64_t rows[256];
    int versions[256];
    int nv = 0;
    st = db_stmt(c, Q_BANK_VERSIONS_OF);
    db_bind_text(st, 1, bank_key);
    while (sqlite3_step(st) == SQLITE_ROW && nv < 256) {
        if (sqlite3_column_int(st, 1) >= v_new)
            continue;
        rows[nv] = sqlite3_column_int64(st, 0);
        versions[nv] = sqlite3_column_int(st, 1);
        nv++;
    }
    db_done(st);
    regrade_change *ch = NULL;
    int nch = 0, capch = 0;
    int rc = 0;
    for (int v = 0; v < nv && rc == 0; v++) {
        vq *oq = NULL;
        int on = 0;
        if (load_version(c, rows[v], &oq, &on) != 0) {
            rc = -1;
            break;
        }
        for (int i = 0; i < on && rc == 0; i++) {
            const vq *o = &oq[i];
            const vq *m = NULL;
            if (o->qkey && o->text_key) {
                const vq *const *hit = bsearch(&o, by_key, (size_t)nn, sizeof *by_key, cmp_vq_key);
                if (hit && same_str((*hit)->text_key, o->text_key))
                    m = *hit;
                if (!m) {
                    hit = bsearch(&o, by_text, (size_t)nn, sizeof *by_text, cmp_vq_text);
                    m = hit ? *hit : NULL;
                }
            }
            if (!m)
                continue; /* removed or rewritten: nothing to correct */
            if (m->nopt != o->nopt) {
                note(*notes, o, versions[v], "options changed");
                continue;
            }
            unsigned key = 0;
            int same = 1;
            for (int a = 0; a < o->nopt && same; a++) {
                int found = -1;
                for (int b = 0; b < m->nopt && found < 0; b++)
                    if (same_str(o->opt[a], m->opt[b]))
                        found = b;
                if (found < 0)
                    same = 0;
                else if (m->mask & (1u << found))
                    key |= 1u << a;
            }
            if (!same) {
                note(*notes, o, versions[v], "options changed");
                continue;
            }
            if (key == o->mask)
                continue;
            if (m->multi != o->multi) {
                note(*notes, o, versions[v], "single/multi-select changed");
                continue;
            }
            if (o->voided) {
                note(*notes, o, versions[v], "voided: left voided");
                continue;
            }
            if (nch == capch) {
                capch = capch ? capch * 2 : 64;
                regrade_change *x = realloc(ch, (size_t)capch * sizeof *x);
                if (!x) {
                    rc = -1;
                    break;
                }
                ch = x;
            }
            ch[nch++] = (regrade_change){o->id, key, 0};
        }
        vq_free(oq, on);
    }
    free(by_key);
    free(by_text);
    vq_free(nq, nn);
    if (rc != 0) {
        free(ch);
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được ngân hàng câu hỏi");
        return -1;
    }
    *out = ch;
    *n = nch;
    return 0;
}

unsigned regrade_parse_key(const char *s)
{
    unsigned mask = 0;
    const char *p = s;
    if (!s)
        return 0;
    while (*p) {
        if (*p == ' ' || *p == ',' || *p == ';' || *p == '[' || *p == ']') {
            p++;
            continue;
        }
        int v;
        if (*p >= '0' && *p <= '9') {
            v = 0;
            while (*p >= '0' && *p <= '9' && v < 100)
                v = v * 10 + (*p++ - '0');
        } else if ((*p >= 'A' && *p <= 'F') || (*p >= 'a' && *p <= 'f')) {
            v = (*p | 0x20) - 'a';
            p++;
            if (*p && *p != ' ' && *p != ',' && *p != ';' && *p != ']')
                return 0;
        } else {
            return 0;
        }
        if (v >= ITEM_OPTIONS_MAX)
            return 0;
        mask |= 1u << v;
    }
    return mask;
}
