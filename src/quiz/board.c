#include "quiz/board.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "contest/contest.h"
#include "quiz/rank.h"
#include "util/clock.h"
#include "util/log.h"

static int contest_by_key(db_conn *c, const char *key, int64_t *id, contest_settings *s)
{
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
    if (!st)
        return -1;
    db_bind_text(st, 1, key);
    int rc = 1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = contest_settings_parse(db_col_text(st, 5), s) == 0 ? 0 : -1;
    }
    db_done(st);
    return rc;
}

static json_t *iso(int64_t ms)
{
    char t[40];
    clock_iso_utc(ms, t, sizeof t);
    return json_string(t);
}

static json_t *iso_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
                                                       : iso(sqlite3_column_int64(st, col));
}

json_t *board_round(db_conn *c, int64_t round_id, int track, int limit, int offset, int64_t now,
                    app_err *e)
{
    return board_round_view(c, round_id, track, limit, offset, now, BOARD_STAFF, e);
}

json_t *board_round_view(db_conn *c, int64_t round_id, int track, int limit, int offset,
                         int64_t now, int view, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_ROUND_BOARD_INFO);
    if (!st) {
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, round_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        return NULL;
    }
    int64_t contest_id = sqlite3_column_int64(st, 0);
    int has_perfect = sqlite3_column_type(st, 1) != SQLITE_NULL;
    int64_t perfect = sqlite3_column_int64(st, 1);
    int settled = sqlite3_column_type(st, 2) != SQLITE_NULL;
    int has_freeze = sqlite3_column_type(st, 3) != SQLITE_NULL;
    int64_t freeze_at = sqlite3_column_int64(st, 3);
    int published = sqlite3_column_type(st, 4) != SQLITE_NULL;
    json_t *freeze_json = iso_or_null(st, 3);
    json_t *published_json = iso_or_null(st, 4);
    db_done(st);
    contest_settings s;
    if (contest_settings_load(c, contest_id, &s) != 0) {
        json_decref(freeze_json);
        json_decref(published_json);
        APP_ERR(e, 500, "internal", NULL, "Cài đặt cuộc thi bị hỏng");
        return NULL;
    }
    int frozen_now = has_freeze && now >= freeze_at && !published;
    int frozen = view == BOARD_PUBLIC && frozen_now;
    int provisional = !settled || frozen;
    char order[512];
    rank_order_sql(&s.ranking, provisional, order, sizeof order);
    char sql[2400];
    if (!frozen) {
        snprintf(sql, sizeof sql,
                 "SELECT p.full_name, u.name, r.track, r.score, r.max_score, r.correct, "
                 "r.duration_ms, r.submitted_at, r.prediction_error, r.participant_id "
                 "FROM results r JOIN participants p ON p.id = r.participant_id "
                 "JOIN units u ON u.id = r.unit_id WHERE r.round_id = ?1 "
                 "AND (?2 = 0 OR r.track = ?2) AND p.disqualified_at IS NULL "
                 "ORDER BY %s LIMIT ?3 OFFSET ?4",
                 order);
    } else {
        /* The board at the freeze: results submitted before it, and the ones a
         * later attempt replaced as they were. A compound SELECT so that
         * SQLite merges two index-ordered scans; its ORDER BY names result
         * columns, hence the aliases and the order without the "r." prefix
         * (provisional: no prediction key, plain columns only). */
        char plain[512];
        size_t o = 0;
        for (const char *q = order; *q && o + 1 < sizeof plain;) {
            if (q[0] == 'r' && q[1] == '.' && (q == order || q[-1] == ' ')) {
                q += 2;
                continue;
            }
            plain[o++] = *q++;
        }
        plain[o] = '\0';
        snprintf(sql, sizeof sql,
                 "SELECT p.full_name, u.name, r.track, r.score AS score, r.max_score, "
                 "r.correct, r.duration_ms AS duration_ms, r.submitted_at AS submitted_at, "
                 "NULL, r.participant_id, r.attempt_id AS attempt_id FROM results r "
                 "JOIN participants p ON p.id = r.participant_id JOIN units u "
                 "ON u.id = r.unit_id WHERE r.round_id = ?1 AND r.submitted_at < ?5 "
                 "AND (?2 = 0 OR r.track = ?2) AND p.disqualified_at IS NULL "
                 "UNION ALL SELECT p.full_name, u.name, r.track, r.score, r.max_score, "
                 "r.correct, r.duration_ms, r.submitted_at, NULL, r.participant_id, "
                 "r.attempt_id FROM results_prefreeze r JOIN participants p "
                 "ON p.id = r.participant_id JOIN units u ON u.id = r.unit_id "
                 "WHERE r.round_id = ?1 AND (?2 = 0 OR r.track = ?2) "
                 "AND p.disqualified_at IS NULL ORDER BY %s LIMIT ?3 OFFSET ?4",
                 plain);
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
        log_error("leaderboard: %s", sqlite3_errmsg(db_handle(c)));
        json_decref(freeze_json);
        json_decref(published_json);
        APP_ERR(e, 500, "internal", NULL, "Lỗi máy chủ");
        return NULL;
    }
    sqlite3_bind_int64(q, 1, round_id);
    sqlite3_bind_int(q, 2, track);
    sqlite3_bind_int(q, 3, limit);
    sqlite3_bind_int(q, 4, offset);
    if (frozen)
        sqlite3_bind_int64(q, 5, freeze_at);
    json_t *entries = json_array();
    int rank = offset;
    while (sqlite3_step(q) == SQLITE_ROW) {
        json_t *pe = sqlite3_column_type(q, 8) == SQLITE_NULL || provisional
                         ? json_null()
                         : json_integer(sqlite3_column_int64(q, 8));
        json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:i, s:i, s:i, s:I, s:o, s:o}", "rank",
                                ++rank, "name", db_col_text(q, 0), "unit", db_col_text(q, 1),
                                "track", contest_track_name(sqlite3_column_int(q, 2)), "score",
                                sqlite3_column_int(q, 3), "max_score", sqlite3_column_int(q, 4),
                                "correct", sqlite3_column_int(q, 5), "duration_ms",
                                (json_int_t)sqlite3_column_int64(q, 6), "submitted_at",
                                iso(sqlite3_column_int64(q, 7)), "prediction_error", pe);
        if (view == BOARD_STAFF)
            json_object_set_new(row, "participant_id", json_integer(sqlite3_column_int64(q, 9)));
        json_array_append_new(entries, row);
    }
    sqlite3_finalize(q);
    /* everyone with a result (also while frozen: who took part is not secret) */
    st = db_stmt(c, Q_ROUND_TOTAL);
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int(st, 2, track);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    json_t *ranking = json_array();
    for (int i = 0; i < s.ranking.n; i++)
        json_array_append_new(ranking, json_string(rank_key_name(s.ranking.keys[i])));
    json_t *out = json_pack("{s:I, s:b, s:o, s:I, s:o, s:b, s:o, s:b, s:o}", "round_id",
                            (json_int_t)round_id, "provisional", provisional, "perfect_count",
                            has_perfect && !frozen ? json_integer(perfect) : json_null(), "total",
                            (json_int_t)total, "ranking", ranking, "frozen", frozen, "freeze_at",
                            freeze_json, "official", published, "published_at", published_json);
    if (view == BOARD_STAFF) {
        json_object_set_new(out, "public_frozen", json_boolean(frozen_now));
        json_object_set_new(out, "settled", json_boolean(settled));
    }
    json_object_set_new(out, "entries", entries);
    return out;
}

json_t *board_contest(db_conn *c, const char *contest_key, int track, int limit, int offset,
                      app_err *e)
{
    return board_contest_view(c, contest_key, track, limit, offset, clock_now_ms(), BOARD_STAFF, e);
}

/* The public contest board while a round is frozen cannot come from the
 * maintained totals (they include what was submitted after the freeze). It
 * is computed from the results once per freeze state (which rounds are
 * frozen and unpublished, and since when) and kept whole in memory, as
 * compact rows; every page of it is a slice. Like the round boards it then
 * stops changing until the judges publish. */
#define FROZEN_CACHE 8

typedef struct fz_row {
    int64_t pid, dur, last;
    int score, rounds;
} fz_row;

static struct {
    pthread_mutex_t mu;
    struct {
        char sig[512];
        fz_row *rows;
        size_t n;
    } e[FROZEN_CACHE];
    int next;
} FZ = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The frozen ranking for sig (computed on a miss); FZ.mu must be held. */
static int frozen_ranking(db_conn *c, int64_t cid, int track, int sum, const char *sig,
                          fz_row **rows, size_t *n)
{
    for (int i = 0; i < FROZEN_CACHE; i++)
        if (FZ.e[i].rows && strcmp(FZ.e[i].sig, sig) == 0) {
            *rows = FZ.e[i].rows;
            *n = FZ.e[i].n;
            return 0;
        }
    char sql[2000];
    snprintf(sql, sizeof sql,
             "WITH src AS (SELECT r.participant_id, r.score, r.duration_ms, r.submitted_at "
             "FROM results r JOIN rounds ro ON ro.id = r.round_id WHERE ro.contest_id = ?1 "
             "AND NOT (ro.freeze_at IS NOT NULL AND ro.published_at IS NULL "
             "AND ?3 >= ro.freeze_at AND r.submitted_at >= ro.freeze_at) "
             "UNION ALL SELECT f.participant_id, f.score, f.duration_ms, f.submitted_at "
             "FROM results_prefreeze f JOIN rounds ro ON ro.id = f.round_id "
             "WHERE ro.contest_id = ?1 AND ro.freeze_at IS NOT NULL "
             "AND ro.published_at IS NULL AND ?3 >= ro.freeze_at), "
             "agg AS (SELECT participant_id, %s(score) AS s, count(*) AS k, "
             "sum(duration_ms) AS d, max(submitted_at) AS l FROM src GROUP BY participant_id) "
             "SELECT agg.participant_id, agg.s, agg.k, agg.d, agg.l FROM agg "
             "JOIN participants p ON p.id = agg.participant_id "
             "WHERE p.disqualified_at IS NULL AND (?2 = 0 OR p.track = ?2) "
             "ORDER BY agg.s DESC, agg.l ASC, agg.participant_id",
             sum ? "sum" : "max");
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
        log_error("frozen contest board: %s", sqlite3_errmsg(db_handle(c)));
        return -1;
    }
    sqlite3_bind_int64(q, 1, cid);
    sqlite3_bind_int(q, 2, track);
    sqlite3_bind_int64(q, 3, clock_now_ms());
    size_t cap = 1024, k = 0;
    fz_row *v = malloc(cap * sizeof *v);
    while (v && sqlite3_step(q) == SQLITE_ROW) {
        if (k == cap) {
            fz_row *nv = realloc(v, 2 * cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
            cap *= 2;
        }
        v[k].pid = sqlite3_column_int64(q, 0);
        v[k].score = sqlite3_column_int(q, 1);
        v[k].rounds = sqlite3_column_int(q, 2);
        v[k].dur = sqlite3_column_int64(q, 3);
        v[k].last = sqlite3_column_int64(q, 4);
        k++;
    }
    sqlite3_finalize(q);
    if (!v)
        return -1;
    int slot = FZ.next++ % FROZEN_CACHE;
    free(FZ.e[slot].rows);
    snprintf(FZ.e[slot].sig, sizeof FZ.e[slot].sig, "%s", sig);
    FZ.e[slot].rows = v;
    FZ.e[slot].n = k;
    *rows = v;
    *n = k;
    return 0;
}

static json_t *frozen_page(db_conn *c, int64_t cid, int track, int sum, const char *frozen_sig,
                           int limit, int offset, app_err *e)
{
    char sig[512];
    snprintf(sig, sizeof sig, "%lld|%d|%d|%s", (long long)cid, track, sum, frozen_sig);
    json_t *entries = json_array();
    pthread_mutex_lock(&FZ.mu);
    fz_row *rows = NULL;
    size_t n = 0;
    if (frozen_ranking(c, cid, track, sum, sig, &rows, &n) != 0) {
        pthread_mutex_unlock(&FZ.mu);
        json_decref(entries);
        APP_ERR(e, 500, "internal", NULL, "Lỗi máy chủ");
        return NULL;
    }
    for (size_t i = (size_t)offset; i < n && i < (size_t)offset + (size_t)limit; i++) {
        sqlite3_stmt *st = db_stmt(c, Q_PERSON_BOARD);
        sqlite3_bind_int64(st, 1, rows[i].pid);
        if (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(
                entries,
                json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:I, s:o}", "rank", (json_int_t)i + 1,
                          "name", db_col_text(st, 0), "unit", db_col_text(st, 1), "track",
                          contest_track_name(sqlite3_column_int(st, 2)), "score", rows[i].score,
                          "rounds_counted", rows[i].rounds, "duration_ms", (json_int_t)rows[i].dur,
                          "last_submitted_at", iso(rows[i].last)));
        db_done(st);
    }
    pthread_mutex_unlock(&FZ.mu);
    return entries;
}

json_t *board_contest_view(db_conn *c, const char *contest_key, int track, int limit, int offset,
                           int64_t now, int view, app_err *e)
{
    int64_t cid;
    contest_settings s;
    int rc = contest_by_key(c, contest_key, &cid, &s);
    if (rc != 0) {
        APP_ERR(e, rc == 1 ? 404 : 503, rc == 1 ? "not_found" : "unavailable", NULL,
                rc == 1 ? "Không tìm thấy cuộc thi" : "Không đọc được dữ liệu");
        return NULL;
    }
    char frozen_sig[400] = "";
    if (view == BOARD_PUBLIC) {
        sqlite3_stmt *st = db_stmt(c, Q_CONTEST_FROZEN_ROUNDS);
        sqlite3_bind_int64(st, 1, cid);
        sqlite3_bind_int64(st, 2, now);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            snprintf(frozen_sig, sizeof frozen_sig, "%s", db_col_text(st, 0));
        db_done(st);
    }
    int frozen = frozen_sig[0] != '\0';
    int published = 0;
    json_t *published_json = json_null();
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_PUBLICATION);
    sqlite3_bind_int64(st, 1, cid);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        published = 1;
        json_decref(published_json);
        published_json = iso(sqlite3_column_int64(st, 0));
    }
    db_done(st);
    json_t *entries;
    if (frozen) {
        entries = frozen_page(c, cid, track, s.aggregate == AGG_SUM, frozen_sig, limit, offset, e);
        if (!entries) {
            json_decref(published_json);
            return NULL;
        }
    } else {
        /* the maintained per-participant totals (contest_scores) */
        const char *col = s.aggregate == AGG_SUM ? "cs.total" : "cs.best";
        char sql[1200];
        snprintf(sql, sizeof sql,
                 "SELECT p.full_name, u.name, p.track, %s, cs.rounds, cs.duration_sum, "
                 "cs.last_submitted, cs.participant_id FROM contest_scores cs "
                 "JOIN participants p ON p.id = cs.participant_id "
                 "JOIN units u ON u.id = p.unit_id WHERE cs.contest_id = ?1 "
                 "AND (?2 = 0 OR p.track = ?2) AND p.disqualified_at IS NULL "
                 "ORDER BY %s DESC, cs.last_submitted ASC, cs.participant_id "
                 "LIMIT ?3 OFFSET ?4",
                 col, col);
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
            log_error("contest board: %s", sqlite3_errmsg(db_handle(c)));
            json_decref(published_json);
            APP_ERR(e, 500, "internal", NULL, "Lỗi máy chủ");
            return NULL;
        }
        sqlite3_bind_int64(q, 1, cid);
        sqlite3_bind_int(q, 2, track);
        sqlite3_bind_int(q, 3, limit);
        sqlite3_bind_int(q, 4, offset);
        entries = json_array();
        int rank = offset;
        while (sqlite3_step(q) == SQLITE_ROW) {
            json_t *row =
                json_pack("{s:i, s:s, s:s, s:s, s:i, s:i, s:I, s:o}", "rank", ++rank, "name",
                          db_col_text(q, 0), "unit", db_col_text(q, 1), "track",
                          contest_track_name(sqlite3_column_int(q, 2)), "score",
                          sqlite3_column_int(q, 3), "rounds_counted", sqlite3_column_int(q, 4),
                          "duration_ms", (json_int_t)sqlite3_column_int64(q, 5),
                          "last_submitted_at", iso(sqlite3_column_int64(q, 6)));
            if (view == BOARD_STAFF)
                json_object_set_new(row, "participant_id",
                                    json_integer(sqlite3_column_int64(q, 7)));
            json_array_append_new(entries, row);
        }
        sqlite3_finalize(q);
    }
    return json_pack("{s:s, s:s, s:b, s:b, s:o, s:o}", "contest_id", contest_key, "aggregate",
                     s.aggregate == AGG_SUM ? "sum" : "best", "frozen", frozen, "official",
                     published, "published_at", published_json, "entries", entries);
}

json_t *board_units(db_conn *c, const char *contest_key, app_err *e)
{
    int64_t cid;
    contest_settings s;
    int rc = contest_by_key(c, contest_key, &cid, &s);
    if (rc != 0) {
        APP_ERR(e, rc == 1 ? 404 : 503, rc == 1 ? "not_found" : "unavailable", NULL,
                rc == 1 ? "Không tìm thấy cuộc thi" : "Không đọc được dữ liệu");
        return NULL;
    }
    sqlite3_stmt *st = db_stmt(c, Q_UNIT_TABLE);
    sqlite3_bind_int64(st, 1, cid);
    json_t *units = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        int has_head = sqlite3_column_type(st, 3) != SQLITE_NULL;
        int64_t head = sqlite3_column_int64(st, 3);
        int64_t participants = sqlite3_column_int64(st, 4);
        json_t *avg =
            sqlite3_column_type(st, 6) == SQLITE_NULL
                ? json_null()
                : json_real((double)(int64_t)(sqlite3_column_double(st, 6) * 100 + 0.5) / 100.0);
        json_t *rate =
            has_head && head > 0
                ? json_real((double)(int64_t)((double)participants * 10000 / (double)head + 0.5) /
                            10000.0)
                : json_null();
        json_array_append_new(
            units, json_pack("{s:s, s:s, s:s?, s:o, s:I, s:I, s:o, s:o}", "id", db_col_text(st, 0),
                             "name", db_col_text(st, 1), "block",
                             sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL : db_col_text(st, 2),
                             "headcount", has_head ? json_integer(head) : json_null(),
                             "participants", (json_int_t)participants, "finished_attempts",
                             (json_int_t)sqlite3_column_int64(st, 5), "average_score", avg,
                             "participation_rate", rate));
    }
    db_done(st);
    return json_pack("{s:s, s:o}", "contest_id", contest_key, "units", units);
}
