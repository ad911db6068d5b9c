/* The organiser's and the judges' consoles: contest definitions and bank
 * counts, people (search, attempts, extend/reopen, disqualify, export,
 * erase), the audit log, live boards (server-sent events), question
 * statistics, prizes and publication, and exports (CSV, XLSX).
 *
 * Reads run on the HTTP worker thread, except statistics and exports, which
 * run on the background thread (req_offload); every change is a writer job
 * (req_defer) that writes its audit entry in the same transaction. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"
#include "contest/contest.h"
#include "contest/people.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/writer.h"
#include "export/sink.h"
#include "export/tables.h"
#include "http/handlers.h"
#include "http/sse.h"
#include "quiz/board.h"
#include "quiz/prize.h"
#include "quiz/stats.h"
#include "util/clock.h"
#include "util/log.h"

#define REASON_MAX 500

/* ---- small helpers ---- */

/* The staff member may see phone and CCCD numbers (organisers, admins). */
static int personal_ok(const req *r)
{
    return r->staff.role == ROLE_ORGANISER || r->staff.role == ROLE_ADMIN;
}

/* The contest's database id from its key (path parameter 0); 0 and a 404
 * reply if there is none. */
static int64_t contest_param(req *r, db_conn *c)
{
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
    db_bind_text(st, 1, r->params[0]);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    if (!id)
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy cuộc thi \"%.64s\"", r->params[0]);
    return id;
}

/* The contest id of round_id; 0 and a 404 reply if there is no such round. */
static int64_t round_contest(req *r, db_conn *c, int64_t round_id)
{
    int64_t cid = 0;
    if (round_id > 0) {
        sqlite3_stmt *st = db_stmt(c, Q_ROUND_BOARD_INFO);
        sqlite3_bind_int64(st, 1, round_id);
        cid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        db_done(st);
    }
    if (!cid)
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy vòng thi");
    return cid;
}

/* body.reason: required (or optional) text of 3..REASON_MAX bytes. */
static const char *reason_field(req *r, int required)
{
    json_t *v = json_object_get(r->json, "reason");
    if (!v && !required)
        return "";
    const char *s = json_string_value(v);
    size_t n = s ? strlen(s) : 0;
    if (!s || (required && n < 3) || n > REASON_MAX) {
        reply_error(r, 400, "validation", "reason",
                    required ? "Cần ghi lý do (3–%d ký tự)" : "Lý do tối đa %d ký tự", REASON_MAX);
        return NULL;
    }
    return s;
}

/* Rejects members other than the allowed ones (NULL-terminated). */
static int only_keys(req *r, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(r->json, k, v)
    {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = strcmp(k, allowed[i]) == 0;
        if (!ok) {
            reply_error(r, 400, "validation", k, "Trường \"%s\" không được hỗ trợ", k);
            return -1;
        }
    }
    return 0;
}

static json_t *iso(int64_t ms)
{
    char t[40];
    clock_iso_utc(ms, t, sizeof t);
    return json_string(t);
}

static json_t *col_iso(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
                                                     : iso(sqlite3_column_int64(st, i));
}

/* A write: the handler's context and the JSON the job replies with. */
typedef struct write_ctx {
    int64_t id, id2;
    int flag;
    int64_t when;
    char text[REASON_MAX + 1];
    json_t *doc;
} write_ctx;

static void write_ctx_free(void *p)
{
    write_ctx *x = p;
    if (x)
        json_decref(x->doc);
    free(x);
}

static write_ctx *write_ctx_new(req *r, int64_t id, const char *text)
{
    write_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 503, "unavailable", NULL, "Hết bộ nhớ");
        return NULL;
    }
    x->id = id;
    if (text)
        snprintf(x->text, sizeof x->text, "%s", text);
    return x;
}

/* A body of {"reason"} alone: the reason (required or not), or NULL after a 400. */
static const char *reason_only(req *r, int required)
{
    static const char *const allowed[] = {"reason", NULL};
    if (only_keys(r, allowed) != 0)
        return NULL;
    return reason_field(r, required);
}

/* The usual write on path id 0: {"reason"} body, a flag, then run on the writer. */
static void defer_flagged(req *r, int reason_required, int flag, int (*run)(req *, db_conn *))
{
    const char *reason = reason_only(r, reason_required);
    if (!reason)
        return;
    write_ctx *x = write_ctx_new(r, req_param_id(r, 0), reason);
    if (!x)
        return;
    x->flag = flag;
    req_defer(r, run, x, write_ctx_free);
}

/* A fire-and-forget audit entry (for reads worth recording: exports). */
typedef struct audit_job {
    writer_job job;
    char actor[64], action[64];
    char *detail;
} audit_job;

static int audit_job_run(writer_job *j, db_conn *c)
{
    audit_job *a = j->ctx;
    return db_audit(c, a->actor, a->action, a->detail);
}

static void audit_job_done(writer_job *j, int committed)
{
    audit_job *a = j->ctx;
    if (!committed)
        log_warn("audit entry %s by %s not written", a->action, a->actor);
    free(a->detail);
    free(a);
}

static void audit_later(const char *actor, const char *action, json_t *detail)
{
    audit_job *a = calloc(1, sizeof *a);
    char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    if (!a || !text) {
        free(a);
        free(text);
        return;
    }
    snprintf(a->actor, sizeof a->actor, "%s", actor);
    snprintf(a->action, sizeof a->action, "%s", action);
    a->detail = text;
    a->job.run = audit_job_run;
    a->job.done = audit_job_done;
    a->job.ctx = a;
    writer_submit(&a->job);
}

/* ---- contests: the definition as a contest file, and bank counts ---- */

static const char *const difficulty_names[] = {"any", "easy", "medium", "hard"};

void h_console_contest(req *r)
{
    db_conn *c = db_reader();
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
    json_t *doc = contest_settings_json(&s);
    json_object_set_new(doc, "format", json_string("cchc-contest/1"));
    json_object_set_new(doc, "id", json_string(db_col_text(st, 1)));
    json_object_set_new(doc, "title", json_string(db_col_text(st, 2)));
    json_object_set_new(doc, "organiser", json_string(db_col_text(st, 3)));
    json_object_set_new(doc, "rules", json_string(db_col_text(st, 4)));
    db_done(st);
    json_t *cert = json_object_get(doc, "certificate");
    if (json_is_object(cert) && json_string_length(json_object_get(cert, "signer_name")) == 0)
        json_object_del(cert, "signer_name");
    if (json_is_object(cert) && strcmp(json_string_value(json_object_get(cert, "who"))
                                           ? json_string_value(json_object_get(cert, "who"))
                                           : "",
                                       "min_score") != 0)
        json_object_del(cert, "min_score");
    json_t *banks = json_array();
    st = db_stmt(c, Q_CONTEST_BANKS_OF);
    sqlite3_bind_int64(st, 1, id);
    json_t *bank_meta = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_array_append_new(banks, json_pack("{s:s, s:i}", "id", db_col_text(st, 1), "version",
                                               sqlite3_column_int(st, 2)));
        json_array_append_new(bank_meta,
                              json_pack("{s:I, s:s, s:i, s:s}", "bank_id",
                                        (json_int_t)sqlite3_column_int64(st, 0), "key",
                                        db_col_text(st, 1), "version", sqlite3_column_int(st, 2),
                                        "title", db_col_text(st, 3)));
    }
    db_done(st);
    json_object_set_new(doc, "banks", banks);
    json_t *units = json_array();
    st = db_stmt(c, Q_UNITS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *u = json_pack("{s:s, s:s}", "id", db_col_text(st, 1), "name", db_col_text(st, 2));
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            json_object_set_new(u, "block", json_string(db_col_text(st, 3)));
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            json_object_set_new(u, "headcount", json_integer(sqlite3_column_int64(st, 4)));
        json_array_append_new(units, u);
    }
    db_done(st);
    json_object_set_new(doc, "units", units);
    json_t *rounds = json_array(), *meta = json_array();
    int64_t now = clock_now_ms();
    st = db_stmt(c, Q_ROUNDS_FULL);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t opens = sqlite3_column_int64(st, 3), closes = sqlite3_column_int64(st, 4);
        json_t *bp = json_loads(db_col_text(st, 10), 0, NULL);
        size_t i;
        json_t *slot;
        json_array_foreach(bp, i, slot)
        {
            int d = (int)json_integer_value(json_object_get(slot, "difficulty"));
            json_object_set_new(slot, "difficulty",
                                json_string(difficulty_names[d >= 0 && d <= 3 ? d : 0]));
        }
        json_t *rd = json_pack("{s:s, s:s, s:o, s:o, s:I, s:i, s:s, s:b, s:b, s:o}", "id",
                               db_col_text(st, 1), "title", db_col_text(st, 2), "opens_at",
                               iso(opens), "closes_at", iso(closes), "duration_seconds",
                               (json_int_t)(sqlite3_column_int64(st, 5) / 1000), "attempts",
                               sqlite3_column_int(st, 6), "counting",
                               sqlite3_column_int(st, 7) == COUNT_LAST ? "last" : "best",
                               "shuffle_questions", sqlite3_column_int(st, 8), "shuffle_options",
                               sqlite3_column_int(st, 9), "blueprint", bp ? bp : json_array());
        if (sqlite3_column_type(st, 12) != SQLITE_NULL)
            json_object_set_new(rd, "prediction", json_string(db_col_text(st, 12)));
        if (sqlite3_column_type(st, 13) != SQLITE_NULL)
            json_object_set_new(rd, "freeze_at", iso(sqlite3_column_int64(st, 13)));
        json_array_append_new(rounds, rd);
        json_array_append_new(
            meta, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I}", "id",
                            (json_int_t)sqlite3_column_int64(st, 0), "key", db_col_text(st, 1),
                            "title", db_col_text(st, 2), "status",
                            now < opens    ? "upcoming"
                            : now < closes ? "open"
                                           : "closed",
                            "settled_at", col_iso(st, 14), "published_at", col_iso(st, 15),
                            "freeze_at", col_iso(st, 13), "perfect_count",
                            sqlite3_column_type(st, 16) == SQLITE_NULL
                                ? json_null()
                                : json_integer(sqlite3_column_int64(st, 16)),
                            "opens_at_ms", (json_int_t)opens, "closes_at_ms", (json_int_t)closes));
    }
    db_done(st);
    json_object_set_new(doc, "rounds", rounds);
    st = db_stmt(c, Q_CONTEST_PUBLICATION);
    sqlite3_bind_int64(st, 1, id);
    json_t *published = sqlite3_step(st) == SQLITE_ROW ? col_iso(st, 0) : json_null();
    db_done(st);
    reply_json_new(r, 200,
                   json_pack("{s:o, s:I, s:o, s:o, s:o, s:I}", "contest", doc, "db_id",
                             (json_int_t)id, "rounds", meta, "banks", bank_meta, "published_at",
                             published, "server_time_ms", (json_int_t)now));
}

/* Adds bank_id's question counts to counts (keyed "category|difficulty|track"). */
static void add_counts(db_conn *c, int64_t bank_id, json_t *counts)
{
    sqlite3_stmt *st = db_stmt(c, Q_QUESTION_COUNTS);
    sqlite3_bind_int64(st, 1, bank_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int d = sqlite3_column_int(st, 2), t = sqlite3_column_int(st, 3);
        char key[200];
        snprintf(key, sizeof key, "%s|%d|%d", db_col_text(st, 0), d, t);
        json_t *row = json_object_get(counts, key);
        if (row) {
            json_object_set_new(row, "count",
                                json_integer(json_integer_value(json_object_get(row, "count")) +
                                             sqlite3_column_int64(st, 4)));
            continue;
        }
        json_object_set_new(counts, key,
                            json_pack("{s:s, s:s, s:s, s:s, s:I}", "category", db_col_text(st, 0),
                                      "title", db_col_text(st, 1), "difficulty",
                                      difficulty_names[d >= 0 && d <= 3 ? d : 0], "track",
                                      t == 0 ? "both" : contest_track_name(t), "count",
                                      (json_int_t)sqlite3_column_int64(st, 4)));
    }
    db_done(st);
}

static json_t *bank_json(sqlite3_stmt *st)
{
    return json_pack("{s:I, s:s, s:i, s:s}", "bank_id", (json_int_t)sqlite3_column_int64(st, 0),
                     "key", db_col_text(st, 1), "version", sqlite3_column_int(st, 2), "title",
                     db_col_text(st, 3));
}

void h_question_counts(req *r)
{
    db_conn *c = db_reader();
    const char *contest = req_arg(r, "contest");
    const char *list = req_arg(r, "banks");
    json_t *banks = json_array(), *counts = json_object();
    if (contest) {
        sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
        db_bind_text(st, 1, contest);
        int64_t cid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        db_done(st);
        if (!cid) {
            json_decref(banks);
            json_decref(counts);
            reply_error(r, 404, "not_found", "contest", "Không tìm thấy cuộc thi");
            return;
        }
        st = db_stmt(c, Q_CONTEST_BANKS_OF);
        sqlite3_bind_int64(st, 1, cid);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(banks, bank_json(st));
        db_done(st);
    } else if (list && *list && strlen(list) < 2000) {
        char tmp[2000];
        snprintf(tmp, sizeof tmp, "%s", list);
        char *save = NULL;
        for (char *tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            char *at = strchr(tok, '@');
            long version = 0;
            if (at) {
                *at = '\0';
                version = strtol(at + 1, NULL, 10);
            }
            sqlite3_stmt *st = db_stmt(c, version > 0 ? Q_BANK_VERSION : Q_BANK_LATEST);
            db_bind_text(st, 1, tok);
            if (version > 0)
                sqlite3_bind_int64(st, 2, version);
            int64_t bid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
            db_done(st);
            if (!bid) {
                json_decref(banks);
                json_decref(counts);
                reply_error(r, 404, "not_found", "banks", "Chưa có ngân hàng câu hỏi \"%.64s\"",
                            tok);
                return;
            }
            st = db_stmt(c, Q_BANK_BY_ID);
            sqlite3_bind_int64(st, 1, bid);
            if (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(banks, bank_json(st));
            db_done(st);
        }
    } else {
        json_decref(banks);
        json_decref(counts);
        reply_error(r, 400, "validation", "banks",
                    "Cần ?contest=mã-cuộc-thi hoặc ?banks=mã-ngân-hàng[@phiên-bản],...");
        return;
    }
    size_t i;
    json_t *b;
    json_array_foreach(banks, i, b)
        add_counts(c, json_integer_value(json_object_get(b, "bank_id")), counts);
    json_t *rows = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(counts, k, v) json_array_append(rows, v);
    json_decref(counts);
    reply_json_new(r, 200, json_pack("{s:o, s:o}", "banks", banks, "counts", rows));
}

void h_console_bank_questions(req *r)
{
    int64_t id = req_param_id(r, 0);
    int limit, offset;
    if (query_page(r, 500, &limit, &offset) != 0)
        return;
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_BANK_BY_ID);
    sqlite3_bind_int64(st, 1, id);
    if (id < 0 || sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy ngân hàng câu hỏi");
        return;
    }
    json_t *bank = bank_json(st);
    db_done(st);
    const char *q = req_arg(r, "q");
    const char *cat = req_arg(r, "category");
    st = db_stmt(c, Q_BANK_QUESTIONS);
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, cat && *cat ? cat : NULL);
    db_bind_text(st, 3, q && *q ? q : NULL);
    sqlite3_bind_int(st, 4, limit);
    sqlite3_bind_int(st, 5, offset);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *opts = json_loads(db_col_text(st, 6), 0, NULL);
        unsigned mask = (unsigned)sqlite3_column_int(st, 7);
        json_t *key = json_array();
        for (int o = 0; o < 8; o++)
            if (mask & (1u << o))
                json_array_append_new(key, json_integer(o));
        int d = sqlite3_column_int(st, 3);
        int t = sqlite3_column_int(st, 4);
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:s, s:s, s:b, s:i}",
                            "id", (json_int_t)sqlite3_column_int64(st, 0), "qkey",
                            db_col_text(st, 1), "category", db_col_text(st, 2), "difficulty",
                            difficulty_names[d >= 0 && d <= 3 ? d : 0], "track",
                            t == 0 ? "both" : contest_track_name(t), "text", db_col_text(st, 5),
                            "options", opts ? opts : json_array(), "correct", key, "multi",
                            sqlite3_column_int(st, 8), "explanation", db_col_text(st, 9),
                            "source_document", db_col_text(st, 10), "voided",
                            sqlite3_column_int(st, 11), "line", sqlite3_column_int(st, 12)));
    }
    db_done(st);
    reply_json_new(r, 200,
                   json_pack("{s:o, s:o, s:i, s:i}", "bank", bank, "questions", list, "limit",
                             limit, "offset", offset));
}

void h_users(req *r)
{
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_USER_LIST);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o}", "id",
                                              (json_int_t)sqlite3_column_int64(st, 0), "username",
                                              db_col_text(st, 1), "role", db_col_text(st, 2),
                                              "created_at", col_iso(st, 3)));
    db_done(st);
    reply_json_new(r, 200, json_pack("{s:o}", "users", list));
}

/* ---- people ---- */

void h_people_search(req *r)
{
    db_conn *c = db_reader();
    int64_t cid = contest_param(r, c);
    if (!cid)
        return;
    const char *q = req_arg(r, "q");
    if (!q || !*q || strlen(q) > 200) {
        reply_error(r, 400, "validation", "q", "Nhập họ tên, số điện thoại, số CCCD hoặc #mã");
        return;
    }
    app_err e;
    json_t *j = people_search(c, cid, q, 50, &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}

void h_person(req *r)
{
    app_err e;
    json_t *j = people_get(db_reader(), req_param_id(r, 0), &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}

void h_person_export(req *r)
{
    int64_t id = req_param_id(r, 0);
    app_err e;
    json_t *j = people_export(db_reader(), id, &e);
    if (!j) {
        reply_app_err(r, &e);
        return;
    }
    audit_later(r->staff.username, "participant.export",
                json_pack("{s:{s:I}}", "target", "participant", (json_int_t)id));
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"du-lieu-ca-nhan-%lld.json\"", (long long)id);
    reply_header(r, "Content-Disposition", cd);
    char *s = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    if (!s) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    reply_take(r, 200, "application/json; charset=utf-8", s, strlen(s));
}

static int dq_run(req *r, db_conn *c)
{
    write_ctx *x = r->ctx;
    json_t *out = NULL;
    app_err e;
    if (people_disqualify(c, x->id, x->flag, x->text, r->staff.username, clock_now_ms(), &out,
                          &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    reply_json_new(r, 200, out);
    return 0;
}

static void person_flag(req *r, int on)
{
    defer_flagged(r, 1, on, dq_run);
}

void h_person_disqualify(req *r)
{
    person_flag(r, 1);
}

void h_person_reinstate(req *r)
{
    person_flag(r, 0);
}

static int erase_run(req *r, db_conn *c)
{
    write_ctx *x = r->ctx;
    json_t *out = NULL;
    app_err e;
    if (people_erase(c, x->id, x->text, r->staff.username, clock_now_ms(), &out, &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    reply_json_new(r, 200, out);
    return 0;
}

void h_person_erase(req *r)
{
    static const char *const allowed[] = {"reason", "confirm", NULL};
    if (only_keys(r, allowed) != 0)
        return;
    const char *reason = reason_field(r, 1);
    if (!reason)
        return;
    int64_t id = req_param_id(r, 0);
    json_t *confirm = json_object_get(r->json, "confirm");
    if (!json_is_integer(confirm) || json_integer_value(confirm) != id) {
        reply_error(r, 400, "validation", "confirm",
                    "Để xác nhận xóa, gửi lại mã người dự thi trong trường confirm");
        return;
    }
    write_ctx *x = write_ctx_new(r, id, reason);
    if (x)
        req_defer(r, erase_run, x, write_ctx_free);
}

static int deadline_run(req *r, db_conn *c)
{
    write_ctx *x = r->ctx;
    json_t *out = NULL;
    app_err e;
    if (people_attempt_deadline(c, x->id, x->when, x->flag, x->text, r->staff.username,
                                clock_now_ms(), &out, &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    reply_json_new(r, 200, out);
    return 0;
}

static void attempt_deadline(req *r, int reopen)
{
    static const char *const allowed[] = {"reason", "deadline", "minutes", NULL};
    if (only_keys(r, allowed) != 0)
        return;
    const char *reason = reason_field(r, 1);
    if (!reason)
        return;
    int64_t now = clock_now_ms(), when = 0;
    json_t *d = json_object_get(r->json, "deadline");
    json_t *m = json_object_get(r->json, "minutes");
    if (json_is_string(d)) {
        if (clock_parse(json_string_value(d), now, &when) != 0) {
            reply_error(r, 400, "validation", "deadline",
                        "Thời hạn không hợp lệ (dạng 2026-11-20T08:00:00+07:00)");
            return;
        }
    } else if (json_is_integer(m) && json_integer_value(m) >= 1 &&
               json_integer_value(m) <= 24 * 60) {
        when = now + json_integer_value(m) * 60000;
    } else {
        reply_error(
            r, 400, "validation", "minutes",
            "Cần thời hạn mới: deadline (thời điểm) hoặc minutes (1–1440 phút kể từ bây giờ)");
        return;
    }
    write_ctx *x = write_ctx_new(r, req_param_id(r, 0), reason);
    if (!x)
        return;
    x->when = when;
    x->flag = reopen;
    req_defer(r, deadline_run, x, write_ctx_free);
}

void h_attempt_extend(req *r)
{
    attempt_deadline(r, 0);
}

void h_attempt_reopen(req *r)
{
    attempt_deadline(r, 1);
}

/* ---- audit log ---- */

void h_audit(req *r)
{
    int limit, offset;
    if (query_page(r, 500, &limit, &offset) != 0)
        return;
    const char *before = req_arg(r, "before");
    int64_t b = before ? strtoll(before, NULL, 10) : 0;
    const char *action = req_arg(r, "action");
    const char *actor = req_arg(r, "actor");
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_AUDIT_LIST);
    sqlite3_bind_int64(st, 1, b > 0 ? b : INT64_MAX);
    db_bind_text(st, 2, action && *action ? action : NULL);
    db_bind_text(st, 3, actor && *actor ? actor : NULL);
    sqlite3_bind_int(st, 4, limit);
    json_t *list = json_array();
    int64_t last = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *detail = json_loads(db_col_text(st, 4), 0, NULL);
        last = sqlite3_column_int64(st, 0);
        json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:s, s:o}", "id", (json_int_t)last,
                                              "at", col_iso(st, 1), "actor", db_col_text(st, 2),
                                              "action", db_col_text(st, 3), "detail",
                                              detail ? detail : json_string(db_col_text(st, 4))));
    }
    db_done(st);
    reply_json_new(
        r, 200,
        json_pack("{s:o, s:o}", "entries", list, "next_before",
                  (int)json_array_size(list) == limit && last ? json_integer(last) : json_null()));
}

/* ---- live boards ---- */

static void live(req *r, int scope, int staff)
{
    int track = query_track(r);
    if (track < 0)
        return;
    sse_key k;
    memset(&k, 0, sizeof k);
    k.scope = scope;
    k.track = track;
    k.staff = staff;
    db_conn *c = db_reader();
    if (scope == SSE_ROUND) {
        k.round_id = req_param_id(r, 0);
        if (!round_contest(r, c, k.round_id))
            return;
    } else {
        if (!contest_param(r, c))
            return;
        snprintf(k.contest, sizeof k.contest, "%.70s", r->params[0]);
    }
    sse_open(r, &k);
}

void h_live_round(req *r)
{
    live(r, SSE_ROUND, 1);
}

void h_live_contest(req *r)
{
    live(r, SSE_CONTEST, 1);
}

void h_public_round_stream(req *r)
{
    live(r, SSE_ROUND, 0);
}

void h_public_contest_stream(req *r)
{
    live(r, SSE_CONTEST, 0);
}

void h_console_contest_board(req *r)
{
    int limit, offset;
    if (query_page(r, 10000, &limit, &offset) != 0)
        return;
    int track = query_track(r);
    if (track < 0)
        return;
    app_err e;
    json_t *j = board_contest_view(db_reader(), r->params[0], track, limit, offset, clock_now_ms(),
                                   BOARD_STAFF, &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}

/* ---- statistics (background thread) ---- */

static void stats_bg(req *r, db_conn *c)
{
    app_err e;
    json_t *j = stats_round(c, req_param_id(r, 0), &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}

void h_round_stats(req *r)
{
    if (!round_contest(r, db_reader(), req_param_id(r, 0)))
        return;
    req_offload(r, stats_bg, NULL, NULL);
}

/* ---- prizes and publication ---- */

void h_prize_config_get(req *r)
{
    db_conn *c = db_reader();
    int64_t cid = contest_param(r, c);
    if (!cid)
        return;
    reply_json_new(r, 200, json_pack("{s:o}", "config", prize_config_get(c, cid)));
}

static int prize_config_run(req *r, db_conn *c)
{
    write_ctx *x = r->ctx;
    app_err e;
    if (prize_config_set(c, x->id, x->doc, r->staff.username, clock_now_ms(), &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    reply_json_new(r, 200, json_pack("{s:O}", "config", x->doc));
    return 0;
}

void h_prize_config_put(req *r)
{
    int64_t cid = contest_param(r, db_reader());
    if (!cid)
        return;
    json_t *cfg = json_object_get(r->json, "config");
    if (!json_is_object(cfg)) {
        reply_error(r, 400, "validation", "config", "Cần đối tượng config {individual, units}");
        return;
    }
    write_ctx *x = write_ctx_new(r, cid, NULL);
    if (!x)
        return;
    x->doc = json_incref(cfg);
    req_defer(r, prize_config_run, x, write_ctx_free);
}

static int propose_run(req *r, db_conn *c)
{
    write_ctx *x = r->ctx;
    app_err e;
    int64_t list_id = 0;
    if (prize_propose(c, x->id, x->id2, r->staff.username, clock_now_ms(), &list_id, &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    json_t *j = prize_list_json(c, list_id, personal_ok(r), &e);
    if (!j) {
        reply_app_err(r, &e);
        return -1;
    }
    reply_json_new(r, 201, j);
    return 0;
}

void h_round_prizes_propose(req *r)
{
    int64_t rid = req_param_id(r, 0);
    int64_t cid = round_contest(r, db_reader(), rid);
    if (!cid)
        return;
    write_ctx *x = write_ctx_new(r, cid, NULL);
    if (!x)
        return;
    x->id2 = rid;
    req_defer(r, propose_run, x, write_ctx_free);
}

void h_contest_prizes_propose(req *r)
{
    int64_t cid = contest_param(r, db_reader());
    if (!cid)
        return;
    write_ctx *x = write_ctx_new(r, cid, NULL);
    if (x)
        req_defer(r, propose_run, x, write_ctx_free);
}

void h_contest_prizes(req *r)
{
    db_conn *c = db_reader();
    int64_t cid = contest_param(r, c);
    if (!cid)
        return;
    int64_t ids[512];
    int n = 0;
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_LISTS_OF);
    sqlite3_bind_int64(st, 1, cid);
    while (n < 512 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
    json_t *lists = json_array();
    for (int i = 0; i < n; i++) {
        app_err e;
        json_t *l = prize_list_json(c, ids[i], personal_ok(r), &e);
        if (l)
            json_array_append_new(lists, l);
    }
    reply_json_new(r, 200,
                   json_pack("{s:o, s:o}", "lists", lists, "config", prize_config_get(c, cid)));
}

void h_prize_list(req *r)
{
    app_err e;
    json_t *j = prize_list_json(db_reader(), req_param_id(r, 0), personal_ok(r), &e);
    if (!j)
        reply_app_err(r, &e);
    else
        reply_json_new(r, 200, j);
}

static int review_run(req *r, db_conn *c)
{
    write_ctx *x = r->ctx;
    app_err e;
    if (prize_review(c, x->id, x->flag, x->text, r->staff.username, clock_now_ms(), &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    reply_json_new(r, 200,
                   json_pack("{s:I, s:s}", "id", (json_int_t)x->id, "status",
                             x->flag ? "struck" : "confirmed"));
    return 0;
}

static void review(req *r, int strike)
{
    defer_flagged(r, strike, strike, review_run);
}

void h_prize_confirm(req *r)
{
    review(r, 0);
}

void h_prize_strike(req *r)
{
    review(r, 1);
}

static int publish_run(req *r, db_conn *c)
{
    write_ctx *x = r->ctx;
    app_err e;
    if (prize_publish(c, x->id, x->id2, x->flag, x->text, r->staff.username, clock_now_ms(), &e) !=
        0) {
        reply_app_err(r, &e);
        return -1;
    }
    reply_json_new(r, 200, json_pack("{s:b}", "published", x->flag));
    return 0;
}

static void publish(req *r, int contest, int on)
{
    const char *reason = reason_only(r, !on);
    if (!reason)
        return;
    db_conn *c = db_reader();
    int64_t rid = contest ? 0 : req_param_id(r, 0);
    int64_t cid = contest ? contest_param(r, c) : round_contest(r, c, rid);
    if (!cid)
        return;
    write_ctx *x = write_ctx_new(r, cid, reason);
    if (!x)
        return;
    x->id2 = rid;
    x->flag = on;
    req_defer(r, publish_run, x, write_ctx_free);
}

void h_round_publish(req *r)
{
    publish(r, 0, 1);
}

void h_round_unpublish(req *r)
{
    publish(r, 0, 0);
}

void h_contest_publish(req *r)
{
    publish(r, 1, 1);
}

void h_contest_unpublish(req *r)
{
    publish(r, 1, 0);
}

/* GET /api/contests/{id}/prizes: the published lists only, names and units. */
void h_public_prizes(req *r)
{
    db_conn *c = db_reader();
    int64_t cid = contest_param(r, c);
    if (!cid)
        return;
    int64_t ids[512];
    int n = 0;
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_LISTS_OF);
    sqlite3_bind_int64(st, 1, cid);
    while (n < 512 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
    json_t *lists = json_array();
    for (int i = 0; i < n; i++) {
        app_err e;
        json_t *l = prize_list_json(c, ids[i], 0, &e);
        if (!l)
            continue;
        if (json_is_null(json_object_get(l, "published_at"))) {
            json_decref(l);
            continue;
        }
        json_t *keep = json_array();
        size_t k;
        json_t *en;
        json_array_foreach(json_object_get(l, "entries"), k, en)
        {
            if (strcmp(json_string_value(json_object_get(en, "status")), "confirmed") != 0)
                continue;
            json_t *p = json_object_get(en, "participant");
            if (p)
                json_object_del(p, "id");
            json_object_del(en, "reviewed_by");
            json_object_del(en, "reason");
            json_array_append(keep, en);
        }
        json_object_set_new(l, "entries", keep);
        json_object_del(l, "ties");
        json_object_del(l, "proposed_by");
        json_object_del(l, "published_by");
        json_array_append_new(lists, l);
    }
    reply_json_new(r, 200, json_pack("{s:o}", "lists", lists));
}

/* ---- exports (background thread) ---- */

typedef struct file_stream {
    int fd;
} file_stream;

static long file_read(void *cls, char *out, size_t max)
{
    file_stream *f = cls;
    ssize_t n = read(f->fd, out, max);
    return n >= 0 ? (long)n : -1;
}

static void file_close(void *cls)
{
    file_stream *f = cls;
    close(f->fd);
    free(f);
}

enum { EX_RESULTS, EX_UNITS, EX_PRIZES, EX_STATS, EX_DAYS, EX_ALL };
static const char *const export_kinds[] = {"results", "units", "prizes", "stats", "days", "all"};
static const char *const export_files[] = {"ket-qua",          "don-vi",    "giai-thuong",
                                           "thong-ke-cau-hoi", "theo-ngay", "tong-hop"};

typedef struct export_ctx {
    int kind, xlsx, personal;
    int64_t contest_id, round_id;
    char contest[72];
} export_ctx;

static void export_bg(req *r, db_conn *c)
{
    export_ctx *x = r->ctx;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/cchc-export-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        reply_error(r, 503, "unavailable", NULL, "Không tạo được tệp tạm để xuất dữ liệu");
        return;
    }
    FILE *f = NULL;
    export_sink *s = NULL;
    if (x->xlsx) {
        close(fd);
        s = export_xlsx_new(path);
    } else {
        f = fdopen(fd, "w+b");
        s = f ? export_csv_new(f) : NULL;
    }
    app_err e;
    APP_ERR(&e, 500, "internal", NULL, "Không tạo được tệp xuất");
    double t0 = clock_mono_ms();
    int rc = s ? 0 : -1;
    if (rc == 0) {
        switch (x->kind) {
        case EX_RESULTS: rc = export_results(c, s, x->round_id, x->personal, NULL, &e); break;
        case EX_UNITS: rc = export_units(c, s, x->contest_id, &e); break;
        case EX_PRIZES: rc = export_prizes(c, s, x->contest_id, x->personal, &e); break;
        case EX_STATS: rc = export_stats(c, s, x->contest_id, x->round_id, &e); break;
        case EX_DAYS: rc = export_days(c, s, x->contest_id, &e); break;
        default: rc = export_workbook(c, s, x->contest_id, x->personal, &e); break;
        }
        if (export_close(s) != 0 && rc == 0) {
            rc = -1;
            APP_ERR(&e, 503, "unavailable", NULL, "Không ghi được tệp xuất (đĩa đầy?)");
        }
    }
    int out = -1;
    if (x->xlsx) {
        out = rc == 0 ? open(path, O_RDONLY) : -1;
    } else if (f) {
        out = rc == 0 ? dup(fileno(f)) : -1;
        fclose(f);
        if (out >= 0)
            lseek(out, 0, SEEK_SET);
    } else {
        close(fd);
    }
    unlink(path);
    struct stat sb;
    file_stream *fs = out >= 0 && fstat(out, &sb) == 0 ? malloc(sizeof *fs) : NULL;
    if (!fs) {
        if (out >= 0)
            close(out);
        if (rc == 0)
            APP_ERR(&e, 503, "unavailable", NULL, "Không đọc lại được tệp xuất");
        reply_app_err(r, &e);
        return;
    }
    fs->fd = out;
    log_info("export %s.%s of %s by %s: %lld bytes in %.0f ms", export_kinds[x->kind],
             x->xlsx ? "xlsx" : "csv", x->contest, r->staff.username, (long long)sb.st_size,
             clock_mono_ms() - t0);
    char cd[200];
    if (x->round_id)
        snprintf(cd, sizeof cd, "attachment; filename=\"%s-%s-vong-%lld.%s\"",
                 export_files[x->kind], x->contest, (long long)x->round_id,
                 x->xlsx ? "xlsx" : "csv");
    else
        snprintf(cd, sizeof cd, "attachment; filename=\"%s-%s.%s\"", export_files[x->kind],
                 x->contest, x->xlsx ? "xlsx" : "csv");
    reply_header(r, "Content-Disposition", cd);
    reply_stream(r, 200,
                 x->xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8",
                 file_read, fs, file_close);
}

void h_export(req *r)
{
    int kind = -1;
    for (int i = 0; i < 6; i++)
        if (strcmp(r->params[0], export_kinds[i]) == 0)
            kind = i;
    if (kind < 0) {
        reply_error(r, 404, "not_found", NULL,
                    "Không có bảng xuất \"%.40s\" (results, units, prizes, stats, days, all)",
                    r->params[0]);
        return;
    }
    const char *format = req_arg(r, "format");
    int xlsx = !format || strcmp(format, "xlsx") == 0;
    if (format && !xlsx && strcmp(format, "csv") != 0) {
        reply_error(r, 400, "validation", "format", "format phải là csv hoặc xlsx");
        return;
    }
    if (kind == EX_ALL && !xlsx) {
        reply_error(r, 400, "validation", "format", "Bảng tổng hợp chỉ xuất được dạng xlsx");
        return;
    }
    db_conn *c = db_reader();
    export_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 503, "unavailable", NULL, "Hết bộ nhớ");
        return;
    }
    x->kind = kind;
    x->xlsx = xlsx;
    x->personal = personal_ok(r);
    const char *round = req_arg(r, "round");
    const char *contest = req_arg(r, "contest");
    if (round) {
        x->round_id = strtoll(round, NULL, 10);
        x->contest_id = round_contest(r, c, x->round_id);
        if (!x->contest_id) {
            free(x);
            return;
        }
    }
    if (contest) {
        sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
        db_bind_text(st, 1, contest);
        int64_t cid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        db_done(st);
        if (!cid || (x->contest_id && cid != x->contest_id)) {
            free(x);
            reply_error(r, 404, "not_found", "contest", "Không tìm thấy cuộc thi");
            return;
        }
        x->contest_id = cid;
    }
    if ((kind == EX_RESULTS && !x->round_id) || !x->contest_id) {
        free(x);
        reply_error(r, 400, "validation", kind == EX_RESULTS ? "round" : "contest",
                    kind == EX_RESULTS ? "Cần ?round=mã vòng thi"
                                       : "Cần ?contest=mã cuộc thi (hoặc ?round=)");
        return;
    }
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_ID);
    sqlite3_bind_int64(st, 1, x->contest_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(x->contest, sizeof x->contest, "%s", db_col_text(st, 1));
    db_done(st);
    audit_later(r->staff.username, x->personal ? "export.personal" : "export",
                json_pack("{s:s, s:s, s:s, s:I, s:b}", "kind", export_kinds[kind], "format",
                          xlsx ? "xlsx" : "csv", "contest", x->contest, "round",
                          (json_int_t)x->round_id, "personal", x->personal));
    req_offload(r, export_bg, x, free);
}
