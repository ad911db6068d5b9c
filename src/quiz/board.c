#include "quiz/board.h"

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

json_t *board_round(db_conn *c, int64_t round_id, int track, int limit, int offset, int64_t now,
                    app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_ROUND_BY_ID);
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
    int64_t contest_id = sqlite3_column_int64(st, 1);
    int has_perfect = sqlite3_column_type(st, 12) != SQLITE_NULL;
    int64_t perfect = sqlite3_column_int64(st, 12);
    int settled = sqlite3_column_type(st, 13) != SQLITE_NULL;
    db_done(st);
    (void)now;
    contest_settings s;
    st = db_stmt(c, Q_CONTEST_BY_ID);
    sqlite3_bind_int64(st, 1, contest_id);
    if (sqlite3_step(st) != SQLITE_ROW || contest_settings_parse(db_col_text(st, 5), &s) != 0) {
        db_done(st);
        APP_ERR(e, 500, "internal", NULL, "Cài đặt cuộc thi bị hỏng");
        return NULL;
    }
    db_done(st);
    int provisional = !settled;
    char order[512];
    rank_order_sql(&s.ranking, provisional, order, sizeof order);
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT p.full_name, u.name, r.track, r.score, r.max_score, r.correct, "
             "r.duration_ms, r.submitted_at, r.prediction_error FROM results r "
             "JOIN participants p ON p.id = r.participant_id JOIN units u ON u.id = r.unit_id "
             "WHERE r.round_id = ?1 AND (?2 = 0 OR r.track = ?2) ORDER BY %s LIMIT ?3 OFFSET ?4",
             order);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
        log_error("leaderboard: %s", sqlite3_errmsg(db_handle(c)));
        APP_ERR(e, 500, "internal", NULL, "Lỗi máy chủ");
        return NULL;
    }
    sqlite3_bind_int64(q, 1, round_id);
    sqlite3_bind_int(q, 2, track);
    sqlite3_bind_int(q, 3, limit);
    sqlite3_bind_int(q, 4, offset);
    json_t *entries = json_array();
    int rank = offset;
    while (sqlite3_step(q) == SQLITE_ROW) {
        json_t *pe = sqlite3_column_type(q, 8) == SQLITE_NULL || provisional
                         ? json_null()
                         : json_integer(sqlite3_column_int64(q, 8));
        json_array_append_new(
            entries,
            json_pack("{s:i, s:s, s:s, s:s, s:i, s:i, s:i, s:I, s:o, s:o}", "rank", ++rank,
                      "name", db_col_text(q, 0), "unit", db_col_text(q, 1), "track",
                      contest_track_name(sqlite3_column_int(q, 2)), "score",
                      sqlite3_column_int(q, 3), "max_score", sqlite3_column_int(q, 4), "correct",
                      sqlite3_column_int(q, 5), "duration_ms",
                      (json_int_t)sqlite3_column_int64(q, 6), "submitted_at",
                      iso(sqlite3_column_int64(q, 7)), "prediction_error", pe));
    }
    sqlite3_finalize(q);
    st = db_stmt(c, Q_RESULTS_COUNT);
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int(st, 2, track);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    json_t *ranking = json_array();
    for (int i = 0; i < s.ranking.n; i++)
        json_array_append_new(ranking, json_string(rank_key_name(s.ranking.keys[i])));
    return json_pack("{s:I, s:b, s:o, s:I, s:o, s:o}", "round_id", (json_int_t)round_id,
                     "provisional", provisional, "perfect_count",
                     has_perfect ? json_integer(perfect) : json_null(), "total",
                     (json_int_t)total, "ranking", ranking, "entries", entries);
}

json_t *board_contest(db_conn *c, const char *contest_key, int track, int limit, int offset,
                      app_err *e)
{
    int64_t cid;
    contest_settings s;
    int rc = contest_by_key(c, contest_key, &cid, &s);
    if (rc != 0) {
        APP_ERR(e, rc == 1 ? 404 : 503, rc == 1 ? "not_found" : "unavailable", NULL,
                rc == 1 ? "Không tìm thấy cuộc thi" : "Không đọc được dữ liệu");
        return NULL;
    }
    const char *agg = s.aggregate == AGG_SUM ? "sum" : "max";
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT p.full_name, u.name, p.track, %s(r.score) AS total_score, count(*), "
             "sum(r.duration_ms), max(r.submitted_at) FROM results r "
             "JOIN rounds ro ON ro.id = r.round_id JOIN participants p ON p.id = r.participant_id "
             "JOIN units u ON u.id = p.unit_id WHERE ro.contest_id = ?1 "
             "AND (?2 = 0 OR p.track = ?2) GROUP BY r.participant_id "
             "ORDER BY total_score DESC, max(r.submitted_at) ASC, r.participant_id "
             "LIMIT ?3 OFFSET ?4",
             agg);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
        log_error("contest board: %s", sqlite3_errmsg(db_handle(c)));
        APP_ERR(e, 500, "internal", NULL, "Lỗi máy chủ");
        return NULL;
    }
    sqlite3_bind_int64(q, 1, cid);
    sqlite3_bind_int(q, 2, track);
    sqlite3_bind_int(q, 3, limit);
    sqlite3_bind_int(q, 4, offset);
    json_t *entries = json_array();
    int rank = offset;
    while (sqlite3_step(q) == SQLITE_ROW)
        json_array_append_new(
            entries, json_pack("{s:i, s:s, s:s, s:s, s:i, s:i, s:I, s:o}", "rank", ++rank, "name",
                               db_col_text(q, 0), "unit", db_col_text(q, 1), "track",
                               contest_track_name(sqlite3_column_int(q, 2)), "score",
                               sqlite3_column_int(q, 3), "rounds_counted",
                               sqlite3_column_int(q, 4), "duration_ms",
                               (json_int_t)sqlite3_column_int64(q, 5), "last_submitted_at",
                               iso(sqlite3_column_int64(q, 6))));
    sqlite3_finalize(q);
    return json_pack("{s:s, s:s, s:o}", "contest_id", contest_key, "aggregate",
                     s.aggregate == AGG_SUM ? "sum" : "best", "entries", entries);
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
    sqlite3_stmt *st = db_stmt(c, Q_UNIT_STATS);
    sqlite3_bind_int64(st, 1, cid);
    json_t *units = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        int has_head = sqlite3_column_type(st, 3) != SQLITE_NULL;
        int64_t head = sqlite3_column_int64(st, 3);
        int64_t participants = sqlite3_column_int64(st, 4);
        json_t *avg = sqlite3_column_type(st, 6) == SQLITE_NULL
                          ? json_null()
                          : json_real((double)(int64_t)(sqlite3_column_double(st, 6) * 100 + 0.5) /
                                      100.0);
        json_t *rate = has_head && head > 0
                           ? json_real((double)(int64_t)((double)participants * 10000 / (double)head + 0.5) / 10000.0)
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
