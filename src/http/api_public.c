/* Public read-only routes: contests, units, leaderboards. */
#include <stdlib.h>
#include <string.h>

#include "contest/contest.h"
#include "db/db.h"
#include "http/handlers.h"
#include "quiz/board.h"
#include "util/clock.h"

void reply_app_err(req *r, const app_err *e)
{
    reply_error(r, e->status, e->code, e->field, "%s", e->msg);
}

void reply_buf(req *r, int status, buf *b)
{
    size_t len;
    char *s = buf_steal(b, &len);
    reply_take(r, status, "application/json; charset=utf-8", s, len);
}

static int parse_nonneg(const char *s, int *out)
{
    if (!s)
        return 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > 100000000)
        return -1;
    *out = (int)v;
    return 0;
}

int query_page(req *r, int max_limit, int *limit, int *offset)
{
    *limit = 50;
    *offset = 0;
    if (parse_nonneg(req_arg(r, "limit"), limit) != 0 || *limit < 1 || *limit > max_limit) {
        reply_error(r, 400, "validation", "limit", "limit phải từ 1 đến %d", max_limit);
        return -1;
    }
    if (parse_nonneg(req_arg(r, "offset"), offset) != 0) {
        reply_error(r, 400, "validation", "offset", "offset phải là số nguyên không âm");
        return -1;
    }
    return 0;
}

int query_track(req *r)
{
    const char *t = req_arg(r, "track");
    if (!t || !*t || strcmp(t, "all") == 0)
        return 0;
    int v = contest_track_from_name(t);
    if (v < 0) {
        reply_error(r, 400, "validation", "track", "track phải là cbccvc hoặc citizen");
        return -1;
    }
    return v;
}

void h_health(req *r)
{
    reply_json_new(r, 200, json_pack("{s:b, s:I}", "ok", 1, "server_time_ms",
                                     (json_int_t)clock_now_ms()));
}

static const char *round_status(int64_t now, int64_t opens, int64_t closes)
{
    return now < opens ? "upcoming" : now < closes ? "open" : "closed";
}

static json_t *rounds_json(db_conn *c, int64_t contest_id, int full, int64_t now)
{
    json_t *rounds = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_ROUNDS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, contest_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t opens = sqlite3_column_int64(st, 3), closes = sqlite3_column_int64(st, 4);
        char o[40], cl[40];
        clock_iso_utc(opens, o, sizeof o);
        clock_iso_utc(closes, cl, sizeof cl);
        json_t *rd = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "id",
                               (json_int_t)sqlite3_column_int64(st, 0), "key", db_col_text(st, 1),
                               "title", db_col_text(st, 2), "opens_at", o, "opens_at_ms",
                               (json_int_t)opens, "closes_at_ms", (json_int_t)closes, "closes_at",
                               cl);
        json_object_set_new(rd, "status", json_string(round_status(now, opens, closes)));
        if (full) {
            json_object_set_new(rd, "duration_seconds",
                                json_integer(sqlite3_column_int64(st, 5) / 1000));
            json_object_set_new(rd, "attempts_allowed", json_integer(sqlite3_column_int(st, 6)));
            json_object_set_new(rd, "question_count", json_integer(sqlite3_column_int(st, 7)));
            json_object_set_new(rd, "prediction",
                                sqlite3_column_type(st, 8) == SQLITE_NULL
                                    ? json_null()
                                    : json_pack("{s:s}", "text", db_col_text(st, 8)));
        }
        json_array_append_new(rounds, rd);
    }
    db_done(st);
    return rounds;
}

void h_contests(req *r)
{
    db_conn *c = db_reader();
    int64_t now = clock_now_ms();
    json_t *list = json_array();
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_LIST);
    int64_t ids[256];
    int n = 0;
    while (n < 256 && sqlite3_step(st) == SQLITE_ROW) {
        ids[n++] = sqlite3_column_int64(st, 0);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", db_col_text(st, 1),
                                              "title", db_col_text(st, 2), "organiser",
                                              db_col_text(st, 3)));
    }
    db_done(st);
    for (int i = 0; i < n; i++)
        json_object_set_new(json_array_get(list, (size_t)i), "rounds",
                            rounds_json(c, ids[i], 0, now));
    reply_json_new(r, 200, json_pack("{s:o, s:I}", "contests", list, "server_time_ms",
                                     (json_int_t)now));
}

void h_contest(req *r)
{
    db_conn *c = db_reader();
    int64_t now = clock_now_ms();
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
    db_bind_text(st, 1, r->params[0]);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
        return;
    }
    int64_t id = sqlite3_column_int64(st, 0);
    contest_settings s;
    contest_settings_parse(db_col_text(st, 5), &s);
    json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "id", db_col_text(st, 1), "title",
                            db_col_text(st, 2), "organiser", db_col_text(st, 3), "rules",
                            db_col_text(st, 4));
    db_done(st);
    json_t *settings = contest_settings_json(&s);
    json_t *tracks = json_array();
    for (int t = 1; t <= 2; t++)
        if (s.tracks & (1u << t))
            json_array_append_new(tracks, json_pack("{s:s, s:s}", "id", contest_track_name(t),
                                                    "label", contest_track_label(t)));
    json_object_set_new(out, "tracks", tracks);
    json_object_set(out, "registration", json_object_get(settings, "registration"));
    json_object_set(out, "review", json_object_get(settings, "review"));
    json_object_set(out, "ranking", json_object_get(settings, "ranking"));
    json_object_set(out, "aggregate", json_object_get(settings, "aggregate"));
    /* who earns a certificate, so that the result page offers it only then
     * (the signer and the other layout settings stay with the organisers) */
    json_t *cert = json_object_get(settings, "certificate");
    json_object_set_new(out, "certificate",
                        json_pack("{s:O, s:O}", "who", json_object_get(cert, "who"), "min_score",
                                  json_object_get(cert, "min_score")));
    json_decref(settings);
    json_t *units = json_array();
    st = db_stmt(c, Q_UNITS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            units, json_pack("{s:s, s:s, s:s?}", "id", db_col_text(st, 1), "name",
                             db_col_text(st, 2), "block",
                             sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : db_col_text(st, 3)));
    db_done(st);
    json_object_set_new(out, "units", units);
    json_object_set_new(out, "rounds", rounds_json(c, id, 1, now));
    json_object_set_new(out, "server_time_ms", json_integer(now));
    reply_json_new(r, 200, out);
}

void h_contest_units(req *r)
{
    app_err e;
    json_t *j = board_units(db_reader(), r->params[0], &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}

void h_round_board(req *r)
{
    int64_t id = req_param_id(r, 0);
    int limit, offset;
    if (id < 0) {
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        return;
    }
    if (query_page(r, 200, &limit, &offset) != 0)
        return;
    int track = query_track(r);
    if (track < 0)
        return;
    app_err e;
    json_t *j = board_round_view(db_reader(), id, track, limit, offset, clock_now_ms(),
                                 BOARD_PUBLIC, &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}

void h_contest_board(req *r)
{
    int limit, offset;
    if (query_page(r, 200, &limit, &offset) != 0)
        return;
    int track = query_track(r);
    if (track < 0)
        return;
    app_err e;
    json_t *j = board_contest_view(db_reader(), r->params[0], track, limit, offset,
                                   clock_now_ms(), BOARD_PUBLIC, &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}
