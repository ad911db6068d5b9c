#include "quiz/attempt.h"

#include <stdlib.h>
#include <string.h>

#include "contest/contest.h"
#include "quiz/draw.h"
#include "quiz/gencache.h"
#include "quiz/items.h"
#include "quiz/qcache.h"
#include "quiz/score.h"
#include "util/clock.h"
#include "util/log.h"

#define PREDICTION_MAX 100000000LL

typedef struct round_row {
    int64_t id, contest_id, opens, closes, duration;
    int attempts_allowed, counting, shuffle_q, shuffle_o, qcount;
    char *blueprint;
    int has_prediction;
    char *prediction_text; /* NULL: no prediction question */
} round_row;

typedef struct attempt_row {
    int64_t id, round_id, participant_id, contest_id, closes_at;
    int status;
    int64_t started, deadline, submitted_at, duration_ms;
    char *items;
    char *answers;
    int has_prediction_value;
    int64_t prediction;
    int score, max_score, correct, total;
    char *prediction_text; /* NULL: the round has no prediction question */
} attempt_row;

static void round_free(round_row *r)
{
    free(r->blueprint);
    free(r->prediction_text);
}

static void attempt_free(attempt_row *a)
{
    free(a->items);
    free(a->answers);
    free(a->prediction_text);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    return strdup(db_col_text(st, i));
}

/* 0 found, 1 not found, -1 database error */
static int load_round(db_conn *c, int64_t id, round_row *r)
{
    memset(r, 0, sizeof *r);
    sqlite3_stmt *st = db_stmt(c, Q_ROUND_BY_ID);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->id = sqlite3_column_int64(st, 0);
        r->contest_id = sqlite3_column_int64(st, 1);
        r->opens = sqlite3_column_int64(st, 2);
        r->closes = sqlite3_column_int64(st, 3);
        r->duration = sqlite3_column_int64(st, 4);
        r->attempts_allowed = sqlite3_column_int(st, 5);
        r->counting = sqlite3_column_int(st, 6);
        r->shuffle_q = sqlite3_column_int(st, 7);
        r->shuffle_o = sqlite3_column_int(st, 8);
        r->blueprint = strdup(db_col_text(st, 9));
        r->qcount = sqlite3_column_int(st, 10);
        r->has_prediction = sqlite3_column_type(st, 11) != SQLITE_NULL;
        r->prediction_text = dup_col(st, 11);
    }
    db_done(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static int load_attempt(db_conn *c, int64_t id, attempt_row *a)
{
    memset(a, 0, sizeof *a);
    sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_GET);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        a->id = sqlite3_column_int64(st, 0);
        a->round_id = sqlite3_column_int64(st, 1);
        a->participant_id = sqlite3_column_int64(st, 2);
        a->status = sqlite3_column_int(st, 3);
        a->started = sqlite3_column_int64(st, 4);
        a->deadline = sqlite3_column_int64(st, 5);
        a->items = strdup(db_col_text(st, 6));
        a->answers = strdup(db_col_text(st, 7));
        a->has_prediction_value = sqlite3_column_type(st, 8) != SQLITE_NULL;
        a->prediction = sqlite3_column_int64(st, 8);
        a->submitted_at = sqlite3_column_int64(st, 9);
        a->score = sqlite3_column_int(st, 10);
        a->max_score = sqlite3_column_int(st, 11);
        a->correct = sqlite3_column_int(st, 12);
        a->total = sqlite3_column_int(st, 13);
        a->duration_ms = sqlite3_column_int64(st, 14);
        a->prediction_text = dup_col(st, 15);
        a->closes_at = sqlite3_column_int64(st, 16);
        a->contest_id = sqlite3_column_int64(st, 17);
    }
    db_done(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static int load_settings(db_conn *c, int64_t contest_id, contest_settings *s)
{
    return contest_settings_load(c, contest_id, s);
}

/* Loads the attempt and checks it is the caller's. */
static int load_own(db_conn *c, const participant_auth *who, int64_t id, attempt_row *a,
                    app_err *e)
{
    int rc = load_attempt(c, id, a);
    if (rc == 1) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy bài thi");
        return -1;
    }
    if (rc != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
        return -1;
    }
    if (a->participant_id != who->id) {
        APP_ERR(e, 403, "forbidden", NULL, "Đây không phải bài thi của bạn");
        return -1;
    }
    return 0;
}

static const char *status_name(int st)
{
    return st == ATTEMPT_SUBMITTED ? "submitted" : st == ATTEMPT_EXPIRED ? "expired" : "open";
}

static void render_result(buf *out, int score, int max_score, int correct, int total,
                          int64_t duration_ms)
{
    buf_printf(out,
               "{\"score\":%d,\"max_score\":%d,\"correct\":%d,\"total\":%d,\"duration_ms\":%lld}",
               score, max_score, correct, total, (long long)duration_ms);
}

/* The attempt as the participant sees it: never the key. */
static int render(db_conn *c, const attempt_row *a, int64_t now, buf *out)
{
    attempt_item items[ITEMS_MAX];
    int n = items_parse(a->items, items, ITEMS_MAX);
    if (n < 0)
        return -1;
    buf_grow(out, 1024 + (size_t)n * 512); /* a typical paper in one allocation */
    char deadline[40], server_time[40];
    clock_iso_utc(a->deadline, deadline, sizeof deadline);
    clock_iso_utc(now, server_time, sizeof server_time);
    int64_t remaining = a->status == ATTEMPT_OPEN && a->deadline > now ? a->deadline - now : 0;
    buf_printf(out,
               "{\"attempt_id\":%lld,\"round_id\":%lld,\"status\":\"%s\",\"deadline\":\"%s\","
               "\"deadline_ms\":%lld,\"server_time\":\"%s\",\"server_time_ms\":%lld,"
               "\"remaining_ms\":%lld,\"questions\":[",
               (long long)a->id, (long long)a->round_id, status_name(a->status), deadline,
               (long long)a->deadline, server_time, (long long)now, (long long)remaining);
    for (int i = 0; i < n; i++) {
        const qc_entry *q = qcache_get(c, items[i].qid);
        if (!q || q->nopt != items[i].nopt)
            return -1;
        if ((i && buf_append(out, ",", 1) != 0) || qcache_put(out, q, &items[i]) != 0 ||
            buf_append(out, "}", 1) != 0)
            return -1;
    }
    buf_puts(out, "],\"answers\":");
    buf_puts(out, a->answers);
    if (a->has_prediction_value)
        buf_printf(out, ",\"prediction\":%lld", (long long)a->prediction);
    else
        buf_puts(out, ",\"prediction\":null");
    buf_puts(out, ",\"prediction_question\":");
    if (a->prediction_text)
        buf_json_str(out, a->prediction_text);
    else
        buf_puts(out, "null");
    if (a->status != ATTEMPT_OPEN) {
        buf_puts(out, ",\"result\":");
        render_result(out, a->score, a->max_score, a->correct, a->total, a->duration_ms);
    }
    return buf_puts(out, "}");
}

/* ---- answers ---- */

static int check_value(json_t *v, int nopt, int multi, json_t **norm, app_err *e,
                       const char *qkey)
{
    static char field[64];
    snprintf(field, sizeof field, "answers.%s", qkey);
    if (json_is_null(v)) {
        *norm = json_null();
        return 0;
    }
    if (json_is_integer(v)) {
        json_int_t k = json_integer_value(v);
        if (k < 0 || k >= nopt) {
            APP_ERR(e, 400, "validation", field, "Lựa chọn %lld không tồn tại (câu có %d lựa chọn)",
                    (long long)k, nopt);
            return -1;
        }
        *norm = multi ? json_pack("[I]", k) : json_integer(k);
        return 0;
    }
    if (json_is_array(v)) {
        if (json_array_size(v) == 0) {
            *norm = json_null();
            return 0;
        }
        unsigned mask = 0;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            json_int_t k = json_is_integer(x) ? json_integer_value(x) : -1;
            if (k < 0 || k >= nopt || (mask & (1u << k))) {
                APP_ERR(e, 400, "validation", field,
                        "Danh sách lựa chọn không hợp lệ (chỉ số 0–%d, không lặp lại)", nopt - 1);
                return -1;
            }
            mask |= 1u << k;
        }
        if (!multi && json_array_size(v) > 1) {
            APP_ERR(e, 400, "validation", field, "Câu hỏi này chỉ được chọn một đáp án");
            return -1;
        }
        if (!multi) {
            *norm = json_integer(json_integer_value(json_array_get(v, 0)));
            return 0;
        }
        *norm = json_array();
        for (int k = 0; k < nopt; k++)
            if (mask & (1u << k))
                json_array_append_new(*norm, json_integer(k));
        return 0;
    }
    APP_ERR(e, 400, "validation", field, "Câu trả lời phải là số thứ tự lựa chọn hoặc danh sách");
    return -1;
}

int attempt_check_body(json_t *body, app_err *e)
{
    json_t *answers = json_object_get(body, "answers");
    json_t *pred = json_object_get(body, "prediction");
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "answers") != 0 && strcmp(k, "prediction") != 0) {
            APP_ERR(e, 400, "validation", k, "Trường \"%s\" không được hỗ trợ", k);
            return -1;
        }
    }
    if (answers && !json_is_object(answers)) {
        APP_ERR(e, 400, "validation", "answers", "answers phải là đối tượng {mã câu hỏi: lựa chọn}");
        return -1;
    }
    if (answers && json_object_size(answers) > ITEMS_MAX) {
        APP_ERR(e, 400, "validation", "answers", "Quá nhiều câu trả lời");
        return -1;
    }
    if (pred && !json_is_null(pred) &&
        (!json_is_integer(pred) || json_integer_value(pred) < 0 ||
         json_integer_value(pred) > PREDICTION_MAX)) {
        APP_ERR(e, 400, "validation", "prediction",
                "Câu dự đoán phải là một số nguyên không âm (tối đa %lld)", PREDICTION_MAX);
        return -1;
    }
    return 0;
}

/* Merges body.answers and body.prediction into a. Returns the number of
 * answers changed, or -1. */
static int merge(db_conn *c, attempt_row *a, json_t *body, app_err *e)
{
    if (attempt_check_body(body, e) != 0)
        return -1;
    json_t *incoming = json_object_get(body, "answers");
    json_t *pred = json_object_get(body, "prediction");
    int changed = 0;
    if (incoming && json_object_size(incoming) > 0) {
        attempt_item items[ITEMS_MAX];
        int n = items_parse(a->items, items, ITEMS_MAX);
        json_t *saved = json_loads(a->answers, 0, NULL);
        if (n < 0 || !json_is_object(saved)) {
            json_decref(saved);
            APP_ERR(e, 500, "internal", NULL, "Dữ liệu bài thi bị hỏng");
            return -1;
        }
        const char *k;
        json_t *v;
        json_object_foreach(incoming, k, v)
        {
            /* only the canonical decimal form of an id ("345", not "0345" or "+345") */
            char *end;
            long long qid = strtoll(k, &end, 10);
            char canon[24];
            snprintf(canon, sizeof canon, "%lld", qid);
            int idx = (*k && *end == '\0' && strcmp(canon, k) == 0) ? items_find(items, n, qid)
                                                                     : -1;
            if (idx < 0) {
                static char field[80];
                snprintf(field, sizeof field, "answers.%.60s", k);
                APP_ERR(e, 400, "validation", field, "Câu hỏi %.60s không thuộc bài thi này", k);
                json_decref(saved);
                return -1;
            }
            const qc_entry *q = qcache_get(c, qid);
            json_t *norm = NULL;
            if (!q || check_value(v, items[idx].nopt, q->multi, &norm, e, k) != 0) {
                if (!q)
                    APP_ERR(e, 500, "internal", NULL, "Không đọc được câu hỏi");
                json_decref(saved);
                return -1;
            }
            if (json_is_null(norm))
                json_object_del(saved, k);
            else
                json_object_set(saved, k, norm);
            json_decref(norm);
            changed++;
        }
        char *s = json_dumps(saved, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(saved);
        if (!s) {
            APP_ERR(e, 500, "internal", NULL, "Hết bộ nhớ");
            return -1;
        }
        free(a->answers);
        a->answers = s;
    }
    if (pred) {
        a->has_prediction_value = !json_is_null(pred);
        a->prediction = a->has_prediction_value ? json_integer_value(pred) : 0;
        changed++;
    }
    return changed;
}

/* ---- finalising ---- */

/* The display-option bits of one saved answer (a number, a list, or nothing). */
static unsigned shown_bits(json_t *v)
{
    unsigned disp = 0;
    if (json_is_integer(v)) {
        disp = 1u << json_integer_value(v);
    } else if (json_is_array(v)) {
        size_t j;
        json_t *x;
        json_array_foreach(v, j, x) disp |= 1u << json_integer_value(x);
    }
    return disp;
}

/* The chosen options of a's saved answers, as original-option bits per item. */
static int chosen_bits(const attempt_row *a, attempt_item *items, unsigned *chosen)
{
    int n = items_parse(a->items, items, ITEMS_MAX);
    json_t *answers = json_loads(a->answers, 0, NULL);
    if (n < 0 || !answers) {
        json_decref(answers);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)items[i].qid);
        chosen[i] = items_to_original(&items[i], shown_bits(json_object_get(answers, k)));
    }
    json_decref(answers);
    return n;
}

/* Scores a's saved answers with the keys of generation gen (gen < 0: the
 * keys as c sees them, uncached: the writer). */
static int score_saved(db_conn *c, int64_t gen, const attempt_row *a, int points,
                       score_result *res)
{
    attempt_item items[ITEMS_MAX];
    unsigned chosen[ITEMS_MAX];
    score_key keys[ITEMS_MAX];
    int n = chosen_bits(a, items, chosen);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (gencache_key(c, gen, items[i].qid, &keys[i]) != 0)
            keys[i] = (score_key){0, 0};
    *res = score_attempt(chosen, keys, n, points);
    return 0;
}

/* The attempt as a reader saw it: a write prepared from it is made only while
 * the row still holds these. */
typedef struct attempt_seen {
    char *answers;
    int has_prediction;
    int64_t prediction;
    int64_t deadline;
} attempt_seen;

static void bind_prediction(sqlite3_stmt *st, int i, int has, int64_t value)
{
    if (has)
        sqlite3_bind_int64(st, i, value);
    else
        sqlite3_bind_null(st, i);
}

/* Writes a as final (status, scored res at time at) and, per the round's
 * counting rule, the participant's result. With seen, only if the attempt is
 * still open and as seen. 0 written, 1 not (seen no longer holds), -1 error. */
static int write_final(db_conn *c, attempt_row *a, const attempt_seen *seen, int status,
                       int64_t at, const score_result *res, int counting, int track,
                       int64_t unit)
{
    int64_t end = at < a->deadline ? at : a->deadline;
    int64_t duration = end - a->started;
    if (duration < 0)
        duration = 0;
    int64_t submitted_at = status == ATTEMPT_EXPIRED ? a->deadline : at;

    sqlite3_stmt *st = db_stmt(c, seen ? Q_ATTEMPT_FINAL_IF : Q_ATTEMPT_FINAL);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_int(st, 2, status);
    db_bind_text(st, 3, a->answers);
    bind_prediction(st, 4, a->has_prediction_value, a->prediction);
    sqlite3_bind_int64(st, 5, submitted_at);
    sqlite3_bind_int(st, 6, res->score);
    sqlite3_bind_int(st, 7, res->max_score);
    sqlite3_bind_int(st, 8, res->correct);
    sqlite3_bind_int(st, 9, res->total);
    sqlite3_bind_int64(st, 10, duration);
    if (seen) {
        db_bind_text(st, 11, seen->answers);
        bind_prediction(st, 12, seen->has_prediction, seen->prediction);
        sqlite3_bind_int64(st, 13, seen->deadline);
    }
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_handle(c));
    db_done(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (changed != 1)
        return seen ? 1 : -1;
    st = db_stmt(c, counting == COUNT_LAST ? Q_RESULT_UPSERT_LAST : Q_RESULT_UPSERT_BEST);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a->round_id);
    sqlite3_bind_int64(st, 2, a->participant_id);
    sqlite3_bind_int64(st, 3, a->id);
    sqlite3_bind_int(st, 4, track);
    sqlite3_bind_int64(st, 5, unit);
    sqlite3_bind_int(st, 6, res->score);
    sqlite3_bind_int(st, 7, res->max_score);
    sqlite3_bind_int(st, 8, res->correct);
    sqlite3_bind_int(st, 9, res->total);
    sqlite3_bind_int64(st, 10, duration);
    sqlite3_bind_int64(st, 11, submitted_at);
    bind_prediction(st, 12, a->has_prediction_value, a->prediction);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE)
        return -1;
    a->status = status;
    a->score = res->score;
    a->max_score = res->max_score;
    a->correct = res->correct;
    a->total = res->total;
    a->duration_ms = duration;
    a->submitted_at = submitted_at;
    return 0;
}

/* Scores a's saved answers against the current keys and writes the final
 * attempt and the participant's result (the writer). */
static int finalise(db_conn *c, attempt_row *a, int status, int64_t at, app_err *e)
{
    contest_settings s;
    round_row r;
    score_result res;
    int rrc = load_round(c, a->round_id, &r);
    if (rrc != 0 || load_settings(c, a->contest_id, &s) != 0 ||
        score_saved(c, -1, a, s.points, &res) != 0) {
        if (rrc == 0)
            round_free(&r);
        APP_ERR(e, 500, "internal", NULL, "Không chấm được bài thi");
        return -1;
    }
    int counting = r.counting;
    round_free(&r);
    sqlite3_stmt *st = db_stmt(c, Q_PARTICIPANT_TRACK_UNIT);
    sqlite3_bind_int64(st, 1, a->participant_id);
    int track = 0;
    int64_t unit = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        track = sqlite3_column_int(st, 0);
        unit = sqlite3_column_int64(st, 1);
    }
    db_done(st);
    if (write_final(c, a, NULL, status, at, &res, counting, track, unit) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được kết quả, vui lòng thử lại");
        return -1;
    }
    return 0;
}

/* ---- drawing a paper ---- */

static int draw_items(db_conn *c, int64_t gen, const round_row *r, int64_t contest_id, int track,
                      buf *items, app_err *e)
{
    json_t *bp = json_loads(r->blueprint, 0, NULL);
    int64_t picked[ITEMS_MAX];
    int npicked = 0;
    size_t si;
    json_t *slot;
    int ok = json_is_array(bp);
    int64_t *cand = NULL;
    int cap = 0;
    json_array_foreach(bp, si, slot)
    {
        int want = (int)json_integer_value(json_object_get(slot, "count"));
        const char *category = json_string_value(json_object_get(slot, "category"));
        int difficulty = (int)json_integer_value(json_object_get(slot, "difficulty"));
        int n;
        while ((n = gencache_candidates(c, gen, contest_id, category, difficulty, track, cand,
                                        cap)) > cap) {
            int64_t *more = realloc(cand, (size_t)n * sizeof *more);
            if (!more) {
                n = -1;
                break;
            }
            cand = more;
            cap = n;
        }
        /* leave out what an earlier slot picked */
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int dup = 0;
            for (int k = 0; k < npicked && !dup; k++)
                dup = picked[k] == cand[i];
            if (!dup)
                cand[kept++] = cand[i];
        }
        if (n < 0 || kept < want || want < 0 || npicked + want > ITEMS_MAX) {
            ok = 0;
            break;
        }
        draw_pick(cand, kept, want);
        memcpy(picked + npicked, cand, (size_t)want * sizeof *cand);
        npicked += want;
    }
    free(cand);
    json_decref(bp);
    if (!ok || npicked == 0) {
        APP_ERR(e, 500, "internal", NULL,
                "Ngân hàng câu hỏi không đủ câu để tạo đề, vui lòng báo Ban Tổ chức");
        return -1;
    }
    if (r->shuffle_q)
        draw_shuffle(picked, npicked);
    for (int i = 0; i < npicked; i++) {
        const qc_entry *q = qcache_get(c, picked[i]);
        if (!q) {
            APP_ERR(e, 500, "internal", NULL, "Không đọc được câu hỏi");
            return -1;
        }
        char perm[ITEM_OPTIONS_MAX + 1];
        draw_perm(q->nopt, r->shuffle_o, perm);
        buf_printf(items, "%s%lld:%s", i ? ";" : "", (long long)picked[i], perm);
    }
    return 0;
}

/* The participant's open attempt in the round (0: none), and how many
 * attempts the participant has in it. */
static int64_t open_attempt(db_conn *c, int64_t round_id, int64_t participant_id)
{
    sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_OPEN_FOR);
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, participant_id);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    return id;
}

static int attempts_used(db_conn *c, int64_t round_id, int64_t participant_id)
{
    sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_COUNT);
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, participant_id);
    int used = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    db_done(st);
    return used;
}

/* ---- the operations ---- */

int attempt_start(db_conn *c, const participant_auth *who, int64_t round_id, int64_t now,
                  int *created, buf *out, app_err *e)
{
    round_row r;
    int rc = load_round(c, round_id, &r);
    if (rc != 0) {
        if (rc == 1)
            APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        else
            APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
        return -1;
    }
    int result = -1;
    attempt_row a;
    memset(&a, 0, sizeof a);
    buf items;
    buf_init(&items, 0);
    if (r.contest_id != who->contest_id) {
        APP_ERR(e, 403, "forbidden", NULL, "Bạn chưa đăng ký cuộc thi có vòng thi này");
        goto done;
    }
    if (now < r.opens || now >= r.closes) {
        char when[40];
        clock_vn_human(now < r.opens ? r.opens : r.closes, when, sizeof when);
        APP_ERR(e, 409, "round_not_open", NULL, now < r.opens ? "Vòng thi chưa mở (mở lúc %s)"
                                                              : "Vòng thi đã đóng lúc %s",
                when);
        goto done;
    }
    int64_t open_id = open_attempt(c, round_id, who->id);
    if (open_id) {
        if (load_attempt(c, open_id, &a) != 0) {
            APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
            goto done;
        }
        if (now <= a.deadline) {
            *created = 0;
            result = render(c, &a, now, out) == 0 ? 0 : -1;
            if (result != 0)
                APP_ERR(e, 500, "internal", NULL, "Không hiển thị được bài thi");
            goto done;
        }
        /* Its time is up: finalise it with what was saved, then go on. */
        if (finalise(c, &a, ATTEMPT_EXPIRED, now, e) != 0)
            goto done;
        attempt_free(&a);
        memset(&a, 0, sizeof a);
    }
    int used = attempts_used(c, round_id, who->id);
    if (used < 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
        goto done;
    }
    if (used >= r.attempts_allowed) {
        APP_ERR(e, 409, "attempt_limit", NULL, "Bạn đã dùng hết %d lượt thi của vòng này",
                r.attempts_allowed);
        goto done;
    }
    if (draw_items(c, -1, &r, r.contest_id, who->track, &items, e) != 0)
        goto done;
    int64_t deadline = now + r.duration < r.closes ? now + r.duration : r.closes;
    sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_INSERT);
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, who->id);
    sqlite3_bind_int(st, 3, used + 1);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, deadline);
    db_bind_text(st, 6, items.data);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        APP_ERR(e, 503, "unavailable", NULL, "Không tạo được bài thi, vui lòng thử lại");
        goto done;
    }
    a.id = sqlite3_last_insert_rowid(db_handle(c));
    if (load_attempt(c, a.id, &a) != 0 || render(c, &a, now, out) != 0) {
        APP_ERR(e, 500, "internal", NULL, "Không hiển thị được bài thi");
        goto done;
    }
    *created = 1;
    result = 0;
done:
    buf_free(&items);
    attempt_free(&a);
    round_free(&r);
    return result;
}

int attempt_view(db_conn *c, const participant_auth *who, int64_t attempt_id, int64_t now,
                 buf *out, app_err *e)
{
    attempt_row a;
    if (load_own(c, who, attempt_id, &a, e) != 0) {
        attempt_free(&a);
        return -1;
    }
    int rc = render(c, &a, now, out);
    if (rc != 0)
        APP_ERR(e, 500, "internal", NULL, "Không hiển thị được bài thi");
    attempt_free(&a);
    return rc;
}

static int grace_ms(db_conn *c, int64_t contest_id)
{
    contest_settings s;
    return load_settings(c, contest_id, &s) == 0 ? s.grace_ms : 10000;
}

static void render_saved(buf *out, int changed, int64_t deadline, int64_t now)
{
    buf_printf(out, "{\"saved\":%d,\"remaining_ms\":%lld}", changed,
               (long long)(deadline > now ? deadline - now : 0));
}

int attempt_save(db_conn *c, const participant_auth *who, int64_t attempt_id, json_t *body,
                 int64_t now, buf *out, app_err *e)
{
    attempt_row a;
    int result = -1;
    if (load_own(c, who, attempt_id, &a, e) != 0)
        goto done;
    if (a.status != ATTEMPT_OPEN) {
        APP_ERR(e, 409, "late", NULL, "Bài thi đã kết thúc, không thể sửa câu trả lời");
        goto done;
    }
    if (now > a.deadline + grace_ms(c, a.contest_id)) {
        APP_ERR(e, 409, "late", NULL, "Đã hết giờ làm bài, câu trả lời không được lưu thêm");
        goto done;
    }
    int changed = merge(c, &a, body, e);
    if (changed < 0)
        goto done;
    sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_SAVE);
    sqlite3_bind_int64(st, 1, a.id);
    db_bind_text(st, 2, a.answers);
    if (a.has_prediction_value)
        sqlite3_bind_int64(st, 3, a.prediction);
    sqlite3_bind_int64(st, 4, now);
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        APP_ERR(e, 503, "unavailable", NULL, "Không lưu được, vui lòng thử lại");
        goto done;
    }
    render_saved(out, changed, a.deadline, now);
    result = 0;
done:
    attempt_free(&a);
    return result;
}

/* A submit past the deadline and its grace: the attempt is finalised with
 * the answers saved before the deadline, and the reply says so. */
static void late_error(app_err *e)
{
    APP_ERR(e, 409, "late", NULL,
            "Đã quá thời gian nộp bài; bài thi được chấm theo các câu trả lời đã lưu");
}

static void render_submit(buf *out, const attempt_row *a)
{
    buf_printf(out, "{\"status\":\"%s\",\"score\":%d,\"max_score\":%d,\"correct\":%d,"
                    "\"total\":%d,\"duration_ms\":%lld}",
               status_name(a->status), a->score, a->max_score, a->correct, a->total,
               (long long)a->duration_ms);
}

int attempt_submit(db_conn *c, const participant_auth *who, int64_t attempt_id, json_t *body,
                   int64_t now, buf *out, app_err *e)
{
    attempt_row a;
    int result = -1;
    if (load_own(c, who, attempt_id, &a, e) != 0)
        goto done;
    if (a.status == ATTEMPT_SUBMITTED) {
        render_submit(out, &a); /* a second submit returns the first result */
        result = 0;
        goto done;
    }
    if (a.status == ATTEMPT_EXPIRED) {
        /* the server finalised it at its deadline: still a late submit */
        render_submit(out, &a);
        late_error(e);
        goto done;
    }
    if (now > a.deadline + grace_ms(c, a.contest_id)) {
        if (finalise(c, &a, ATTEMPT_EXPIRED, now, e) != 0)
            goto done;
        render_submit(out, &a);
        late_error(e);
        goto done;
    }
    if (merge(c, &a, body, e) < 0)
        goto done;
    if (finalise(c, &a, ATTEMPT_SUBMITTED, now, e) != 0)
        goto done;
    render_submit(out, &a);
    result = 0;
done:
    attempt_free(&a);
    return result;
}

/* ---- writes prepared on a reader ---- */

enum { PLAN_START = 1, PLAN_SAVE, PLAN_SUBMIT };

struct attempt_plan {
    int kind;
    int full;         /* the writer must do the whole operation itself */
    int64_t gen;      /* quiz generation of the draw or the score */
    int64_t id;       /* the attempt (save, submit) or the round (start) */
    int64_t now;
    attempt_row a;    /* save, submit: the attempt with the body merged; start: the new one */
    attempt_seen seen;
    score_result res; /* submit */
    int counting;     /* submit */
    int changed;      /* save: answers changed */
    int late;         /* submit: past the deadline's grace, to be finalised as expired */
    int used;         /* start: the participant's attempts in the round */
};

void attempt_plan_free(attempt_plan *p)
{
    if (!p)
        return;
    attempt_free(&p->a);
    free(p->seen.answers);
    free(p);
}

static attempt_plan *plan_new(int kind, int64_t id, int64_t now)
{
    attempt_plan *p = calloc(1, sizeof *p);
    if (p) {
        p->kind = kind;
        p->id = id;
        p->now = now;
        p->gen = -1;
    }
    return p;
}

static int remember_seen(attempt_plan *p)
{
    p->seen.answers = strdup(p->a.answers);
    p->seen.has_prediction = p->a.has_prediction_value;
    p->seen.prediction = p->a.prediction;
    p->seen.deadline = p->a.deadline;
    return p->seen.answers ? 0 : -1;
}

/* Hands the plan to the writer as is: it will do the whole operation. */
static int plan_full(attempt_plan *p, attempt_plan **plan)
{
    p->full = 1;
    *plan = p;
    return 1;
}

int attempt_start_prepare(db_conn *c, const participant_auth *who, int64_t round_id,
                          int64_t now, attempt_plan **plan, buf *out, app_err *e)
{
    *plan = NULL;
    attempt_plan *p = plan_new(PLAN_START, round_id, now);
    if (!p) {
        APP_ERR(e, 503, "unavailable", NULL, "Máy chủ đang quá tải, vui lòng thử lại");
        return -1;
    }
    if (!c)
        return plan_full(p, plan);
    round_row r;
    int rc = load_round(c, round_id, &r);
    if (rc != 0) {
        attempt_plan_free(p);
        if (rc == 1)
            APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        else
            APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
        return -1;
    }
    int result = -1;
    buf items;
    buf_init(&items, 0);
    if (r.contest_id != who->contest_id || now < r.opens || now >= r.closes) {
        /* the writer gives the refusal, as it always has */
        round_free(&r);
        return plan_full(p, plan);
    }
    db_read_begin(c); /* the generation and what is read with it agree */
    p->gen = gencache_current(c);
    int64_t open_id = open_attempt(c, round_id, who->id);
    if (open_id) {
        /* resumed from a reader; one past its deadline is finalised by the writer */
        if (load_attempt(c, open_id, &p->a) == 0 && now <= p->a.deadline) {
            result = render(c, &p->a, now, out) == 0 ? 0 : -1;
            if (result != 0)
                APP_ERR(e, 500, "internal", NULL, "Không hiển thị được bài thi");
        } else {
            result = plan_full(p, plan);
        }
        goto done;
    }
    p->used = attempts_used(c, round_id, who->id);
    if (p->used < 0) {
        result = plan_full(p, plan);
        goto done;
    }
    if (p->used >= r.attempts_allowed) {
        APP_ERR(e, 409, "attempt_limit", NULL, "Bạn đã dùng hết %d lượt thi của vòng này",
                r.attempts_allowed);
        goto done;
    }
    if (p->gen < 0 || draw_items(c, p->gen, &r, r.contest_id, who->track, &items, e) != 0) {
        result = plan_full(p, plan);
        goto done;
    }
    p->a.round_id = round_id;
    p->a.participant_id = who->id;
    p->a.contest_id = r.contest_id;
    p->a.closes_at = r.closes;
    p->a.status = ATTEMPT_OPEN;
    p->a.started = now;
    p->a.deadline = now + r.duration < r.closes ? now + r.duration : r.closes;
    p->a.items = buf_steal(&items, NULL);
    p->a.answers = strdup("{}");
    if (r.prediction_text)
        p->a.prediction_text = strdup(r.prediction_text);
    if (!p->a.items || !p->a.answers || (r.prediction_text && !p->a.prediction_text))
        p->full = 1;
    *plan = p;
    result = 1;
done:
    db_read_end(c);
    buf_free(&items);
    round_free(&r);
    if (result != 1)
        attempt_plan_free(p);
    return result;
}

int attempt_start_commit(db_conn *c, attempt_plan *p, const participant_auth *who,
                         int *created, buf *out, app_err *e)
{
    if (!p->full && gencache_current(c) == p->gen) {
        int used = open_attempt(c, p->id, who->id) ? -1 : attempts_used(c, p->id, who->id);
        if (used == p->used) {
            sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_INSERT);
            sqlite3_bind_int64(st, 1, p->id);
            sqlite3_bind_int64(st, 2, who->id);
            sqlite3_bind_int(st, 3, used + 1);
            sqlite3_bind_int64(st, 4, p->a.started);
            sqlite3_bind_int64(st, 5, p->a.deadline);
            db_bind_text(st, 6, p->a.items);
            int rc = sqlite3_step(st);
            db_done(st);
            if (rc != SQLITE_DONE) {
                APP_ERR(e, 503, "unavailable", NULL, "Không tạo được bài thi, vui lòng thử lại");
                return -1;
            }
            p->a.id = sqlite3_last_insert_rowid(db_handle(c));
            *created = 1;
            return 1;
        }
    }
    return attempt_start(c, who, p->id, p->now, created, out, e);
}

int attempt_plan_render(db_conn *c, const attempt_plan *p, buf *out)
{
    return render(c, &p->a, p->now, out);
}

int attempt_save_prepare(db_conn *c, const participant_auth *who, int64_t attempt_id,
                         json_t *body, int64_t now, attempt_plan **plan, buf *out, app_err *e)
{
    (void)out;
    *plan = NULL;
    attempt_plan *p = plan_new(PLAN_SAVE, attempt_id, now);
    if (!p) {
        APP_ERR(e, 503, "unavailable", NULL, "Máy chủ đang quá tải, vui lòng thử lại");
        return -1;
    }
    if (!c)
        return plan_full(p, plan);
    if (load_own(c, who, attempt_id, &p->a, e) != 0)
        goto fail;
    if (p->a.status != ATTEMPT_OPEN) {
        APP_ERR(e, 409, "late", NULL, "Bài thi đã kết thúc, không thể sửa câu trả lời");
        goto fail;
    }
    if (now > p->a.deadline + grace_ms(c, p->a.contest_id)) {
        APP_ERR(e, 409, "late", NULL, "Đã hết giờ làm bài, câu trả lời không được lưu thêm");
        goto fail;
    }
    if (remember_seen(p) != 0)
        return plan_full(p, plan);
    p->changed = merge(c, &p->a, body, e);
    if (p->changed < 0)
        goto fail;
    *plan = p;
    return 1;
fail:
    attempt_plan_free(p);
    return -1;
}

int attempt_save_commit(db_conn *c, attempt_plan *p, const participant_auth *who, json_t *body,
                        buf *out, app_err *e)
{
    if (!p->full) {
        sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_SAVE_IF);
        sqlite3_bind_int64(st, 1, p->a.id);
        db_bind_text(st, 2, p->a.answers);
        bind_prediction(st, 3, p->a.has_prediction_value, p->a.prediction);
        sqlite3_bind_int64(st, 4, p->now);
        db_bind_text(st, 5, p->seen.answers);
        bind_prediction(st, 6, p->seen.has_prediction, p->seen.prediction);
        sqlite3_bind_int64(st, 7, p->seen.deadline);
        int rc = sqlite3_step(st);
        int changed = sqlite3_changes(db_handle(c));
        db_done(st);
        if (rc != SQLITE_DONE) {
            APP_ERR(e, 503, "unavailable", NULL, "Không lưu được, vui lòng thử lại");
            return -1;
        }
        if (changed == 1) {
            render_saved(out, p->changed, p->a.deadline, p->now);
            return 0;
        }
    }
    return attempt_save(c, who, p->id, body, p->now, out, e);
}

int attempt_submit_prepare(db_conn *c, const participant_auth *who, int64_t attempt_id,
                           json_t *body, int64_t now, attempt_plan **plan, buf *out, app_err *e)
{
    *plan = NULL;
    attempt_plan *p = plan_new(PLAN_SUBMIT, attempt_id, now);
    if (!p) {
        APP_ERR(e, 503, "unavailable", NULL, "Máy chủ đang quá tải, vui lòng thử lại");
        return -1;
    }
    if (!c)
        return plan_full(p, plan);
    int result = -1;
    db_read_begin(c);
    p->gen = gencache_current(c);
    contest_settings s;
    round_row r;
    if (load_own(c, who, attempt_id, &p->a, e) != 0)
        goto done;
    if (p->a.status == ATTEMPT_SUBMITTED) {
        render_submit(out, &p->a); /* a second submit returns the first result */
        result = 0;
        goto done;
    }
    if (p->a.status == ATTEMPT_EXPIRED) {
        render_submit(out, &p->a);
        late_error(e);
        goto done;
    }
    if (p->gen < 0 || load_settings(c, p->a.contest_id, &s) != 0 || remember_seen(p) != 0) {
        result = plan_full(p, plan);
        goto done;
    }
    /* late (the deadline crush): scored on the answers saved, the body unread */
    p->late = now > p->a.deadline + s.grace_ms;
    if (!p->late && merge(c, &p->a, body, e) < 0)
        goto done;
    if (load_round(c, p->a.round_id, &r) != 0) {
        result = plan_full(p, plan);
        goto done;
    }
    p->counting = r.counting;
    round_free(&r);
    if (score_saved(c, p->gen, &p->a, s.points, &p->res) != 0)
        p->full = 1;
    *plan = p;
    result = 1;
done:
    db_read_end(c);
    if (result != 1)
        attempt_plan_free(p);
    return result;
}

int attempt_submit_commit(db_conn *c, attempt_plan *p, const participant_auth *who,
                          json_t *body, buf *out, app_err *e)
{
    if (!p->full && gencache_current(c) == p->gen) {
        int rc = write_final(c, &p->a, &p->seen, p->late ? ATTEMPT_EXPIRED : ATTEMPT_SUBMITTED,
                             p->now, &p->res, p->counting, who->track, who->unit_id);
        if (rc < 0) {
            APP_ERR(e, 503, "unavailable", NULL, "Không ghi được kết quả, vui lòng thử lại");
            return -1;
        }
        if (rc == 0) {
            render_submit(out, &p->a);
            if (p->late) {
                late_error(e);
                return -1;
            }
            return 0;
        }
    }
    return attempt_submit(c, who, p->id, body, p->now, out, e);
}

int attempt_review(db_conn *c, const participant_auth *who, int64_t attempt_id, int64_t now,
                   buf *out, app_err *e)
{
    attempt_row a;
    int result = -1;
    if (load_own(c, who, attempt_id, &a, e) != 0)
        goto done;
    contest_settings s;
    if (load_settings(c, a.contest_id, &s) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
        goto done;
    }
    if (a.status == ATTEMPT_OPEN) {
        APP_ERR(e, 403, "review_not_available", NULL, "Bạn cần nộp bài trước khi xem đáp án");
        goto done;
    }
    if (s.review == REVIEW_NEVER) {
        APP_ERR(e, 403, "review_not_available", NULL, "Cuộc thi này không công bố đáp án");
        goto done;
    }
    if (s.review == REVIEW_AFTER_CLOSE && now < a.closes_at) {
        char when[40];
        clock_vn_human(a.closes_at, when, sizeof when);
        APP_ERR(e, 403, "review_not_available", NULL,
                "Đáp án và giải thích được công bố sau khi vòng thi đóng (%s)", when);
        goto done;
    }
    attempt_item items[ITEMS_MAX];
    int n = items_parse(a.items, items, ITEMS_MAX);
    json_t *answers = json_loads(a.answers, 0, NULL);
    if (n < 0 || !answers) {
        json_decref(answers);
        APP_ERR(e, 500, "internal", NULL, "Dữ liệu bài thi bị hỏng");
        goto done;
    }
    buf_puts(out, "{\"questions\":[");
    int listed = 0; /* a question that cannot be read is left out, not half-written */
    for (int i = 0; i < n; i++) {
        const qc_entry *q = qcache_get(c, items[i].qid);
        score_key sk = {0, 0};
        if (!q || q->nopt != items[i].nopt || gencache_key(c, -1, items[i].qid, &sk) != 0)
            continue;
        unsigned key = sk.correct_mask;
        int voided = sk.voided;
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)items[i].qid);
        json_t *mine = json_object_get(answers, k);
        int is_correct = score_question(items_to_original(&items[i], shown_bits(mine)), &sk);
        unsigned key_disp = items_to_display(&items[i], key);
        if (listed++)
            buf_append(out, ",", 1);
        qcache_put(out, q, &items[i]);
        buf_puts(out, ",\"your_answer\":");
        char *mj = mine ? json_dumps(mine, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        buf_puts(out, mj ? mj : "null");
        free(mj);
        buf_puts(out, ",\"correct_answer\":");
        if (q->multi) {
            buf_puts(out, "[");
            int first = 1;
            for (int o = 0; o < items[i].nopt; o++)
                if (key_disp & (1u << o)) {
                    buf_printf(out, "%s%d", first ? "" : ",", o);
                    first = 0;
                }
            buf_puts(out, "]");
        } else {
            int o = 0;
            while (o < items[i].nopt && !(key_disp & (1u << o)))
                o++;
            buf_printf(out, "%d", o);
        }
        buf_printf(out, ",\"is_correct\":%s,\"voided\":%s", is_correct ? "true" : "false",
                   voided ? "true" : "false");
        sqlite3_stmt *st = db_stmt(c, Q_QUESTION_REVIEW);
        sqlite3_bind_int64(st, 1, items[i].qid);
        if (sqlite3_step(st) == SQLITE_ROW) {
            buf_puts(out, ",\"explanation\":");
            buf_json_str(out, db_col_text(st, 0));
            buf_puts(out, ",\"source\":{\"document\":");
            buf_json_str(out, db_col_text(st, 1));
            buf_puts(out, ",\"article\":");
            buf_json_str(out, db_col_text(st, 2));
            buf_puts(out, ",\"url\":");
            buf_json_str(out, db_col_text(st, 3));
            buf_puts(out, "}");
        }
        db_done(st);
        buf_puts(out, "}");
    }
    json_decref(answers);
    buf_puts(out, "],\"result\":");
    render_result(out, a.score, a.max_score, a.correct, a.total, a.duration_ms);
    buf_puts(out, "}");
    result = 0;
done:
    attempt_free(&a);
    return result;
}

/* ---- the tick ---- */

static void settle_rounds(db_conn *c, int64_t now)
{
    sqlite3_stmt *st = db_stmt(c, Q_ROUNDS_TO_SETTLE);
    sqlite3_bind_int64(st, 1, now);
    int64_t ids[64];
    int n = 0;
    while (n < 64 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
    for (int i = 0; i < n; i++) {
        round_row r;
        if (load_round(c, ids[i], &r) != 0)
            continue;
        int grace = grace_ms(c, r.contest_id);
        round_free(&r);
        if (now <= r.closes + grace + 1000)
            continue;
        if (db_scalar_i64(c, Q_ROUND_OPEN_ATTEMPTS, ids[i]) > 0)
            continue;
        int64_t perfect = db_scalar_i64(c, Q_ROUND_PERFECT, ids[i]);
        st = db_stmt(c, Q_RESULTS_PRED_ERROR);
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, perfect);
        sqlite3_step(st);
        db_done(st);
        st = db_stmt(c, Q_ROUND_SETTLE);
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, perfect);
        sqlite3_bind_int64(st, 3, now);
        sqlite3_step(st);
        db_done(st);
        log_info("round %lld settled: %lld perfect scores", (long long)ids[i],
                 (long long)perfect);
    }
}

void attempt_tick(db_conn *c, int64_t now)
{
    sqlite3_stmt *st = db_stmt(c, Q_ATTEMPTS_EXPIRED);
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, now);
    int64_t ids[500];
    int n = 0;
    while (n < 500 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
    int done = 0;
    for (int i = 0; i < n; i++) {
        attempt_row a;
        app_err e;
        if (load_attempt(c, ids[i], &a) == 0 && now > a.deadline + grace_ms(c, a.contest_id) &&
            finalise(c, &a, ATTEMPT_EXPIRED, now, &e) == 0)
            done++;
        attempt_free(&a);
    }
    if (done)
        log_info("finalised %d expired attempts", done);
    settle_rounds(c, now);
}
