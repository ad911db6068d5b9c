/* cchc-quiz bench-people: FOR BENCHMARKS ONLY. Registers N participants in a
 * contest, each with a bearer token, and (with --round) starts an attempt for
 * each through the engine's own start (quiz/attempt.c: the draw, the deadline,
 * the rows a start over HTTP makes). Writes "token attempt_id first_question_id"
 * lines, as scripts/bench.d/seed.mjs does over HTTP, but some hundred times
 * faster, so that scripts/bench can run long enough to measure tails. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "db/db.h"
#include "quiz/attempt.h"
#include "util/clock.h"
#include "util/text.h"

#define BENCH_CHUNK 5000 /* rows per transaction */

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc-quiz bench-people [--db FILE] --contest ID [--round RKEY] --n N\n"
               "                              --out FILE [--first K]\n"
               "FOR BENCHMARKS ONLY: registers N participants (phones 09 + 10000000 + K + i,\n"
               "track cbccvc, the contest's first unit), each with a token, and with --round\n"
               "starts an attempt for each; writes 'token attempt_id first_question_id' lines\n"
               "(attempt 0 without --round) to FILE.\n");
}

int64_t cli_bench_contest(db_conn *c, const char *contest, const char *round, int64_t *rid,
                          int64_t *unit)
{
    int64_t cid = 0;
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
    db_bind_text(st, 1, contest);
    if (sqlite3_step(st) == SQLITE_ROW)
        cid = sqlite3_column_int64(st, 0);
    db_done(st);
    st = db_stmt(c, Q_ROUNDS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, cid);
    while (round && sqlite3_step(st) == SQLITE_ROW)
        if (strcmp(db_col_text(st, 1), round) == 0)
            *rid = sqlite3_column_int64(st, 0);
    db_done(st);
    st = db_stmt(c, Q_UNITS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, cid);
    if (sqlite3_step(st) == SQLITE_ROW)
        *unit = sqlite3_column_int64(st, 0);
    db_done(st);
    return cid;
}

/* Registers participant k; its id, or 0. */
static int64_t register_one(db_conn *c, int64_t cid, int64_t unit, long k, long first,
                            char token[AUTH_TOKEN_HEX], int64_t now)
{
    char name[64], phone[16];
    snprintf(name, sizeof name, "Người thử tải %ld", first + k);
    snprintf(phone, sizeof phone, "09%08ld", 10000000 + first + k);
    char *key = text_fold_key(name);
    sqlite3_stmt *st = db_stmt(c, Q_PARTICIPANT_INSERT);
    sqlite3_bind_int64(st, 1, cid);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, key);
    sqlite3_bind_int64(st, 4, unit);
    db_bind_text(st, 5, phone);
    sqlite3_bind_null(st, 6);
    sqlite3_bind_null(st, 7);
    sqlite3_bind_int(st, 8, 1);
    db_bind_text(st, 9, "bench");
    sqlite3_bind_int64(st, 10, now);
    db_bind_text(st, 11, "bench");
    int rc = sqlite3_step(st);
    db_done(st);
    free(key);
    if (rc != SQLITE_DONE)
        return 0;
    int64_t pid = sqlite3_last_insert_rowid(db_handle(c));
    unsigned char h[32];
    auth_new_token(token);
    auth_token_hash(token, h);
    st = db_stmt(c, Q_TOKEN_INSERT);
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, pid);
    sqlite3_bind_int64(st, 3, now);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? pid : 0;
}

/* Starts the participant's attempt as a start over HTTP would: 0, or -1. */
static int start_one(db_conn *c, db_conn *rd, const participant_auth *who, int64_t rid,
                         int64_t now)
{
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    int created = 0;
    int rc = attempt_start_prepare(rd, who, rid, now, &p, &out, &e);
    if (rc == 1)
        rc = attempt_start_commit(c, p, who, &created, &out, &e);
    attempt_plan_free(p);
    buf_free(&out);
    if (rc < 0) {
        fprintf(stderr, "cchc-quiz bench-people: start: %s\n", e.msg);
        return -1;
    }
    return 0;
}

int cli_bench_people(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB, *contest = NULL, *round = NULL, *out_path = NULL;
    long n = 0, first = 0;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"contest", required_argument, NULL, 'c'},
                                         {"round", required_argument, NULL, 'r'},
                                         {"n", required_argument, NULL, 'n'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"first", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db_path = optarg; break;
        case 'c': contest = optarg; break;
        case 'r': round = optarg; break;
        case 'n': n = atol(optarg); break;
        case 'o': out_path = optarg; break;
        case 'f': first = atol(optarg); break;
        default:
            usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : 2;
        }
    }
    if (!contest || !out_path || n < 1 || n > 10000000 || first < 0 || first > 80000000 ||
        optind != argc) {
        usage(stderr);
        return 2;
    }
    char err[512];
    db_conn *c = db_open(db_path, 0, err, sizeof err);
    db_conn *rd = c ? db_open(db_path, 1, err, sizeof err) : NULL;
    FILE *out = rd ? fopen(out_path, "w") : NULL;
    if (!out) {
        fprintf(stderr, "cchc-quiz: %s\n", rd ? out_path : err);
        db_close(rd);
        db_close(c);
        return 1;
    }
    int64_t rid = 0, unit = 0;
    int64_t cid = cli_bench_contest(c, contest, round, &rid, &unit);
    int rc = 1;
    char (*tokens)[AUTH_TOKEN_HEX] = calloc((size_t)n, sizeof *tokens);
    int64_t *pids = calloc((size_t)n, sizeof *pids);
    if (!cid || !unit || (round && !rid) || !tokens || !pids) {
        fprintf(stderr, "cchc-quiz bench-people: no contest %s%s%s with a unit\n", contest,
                round ? " with round " : "", round ? round : "");
        goto done;
    }
    int64_t now = clock_now_ms();
    double t0 = clock_mono_ms();
    for (long k = 0; k < n; k += BENCH_CHUNK) {
        if (db_begin(c) != SQLITE_OK)
            goto failed;
        for (long i = k; i < n && i < k + BENCH_CHUNK; i++)
            if (!(pids[i] = register_one(c, cid, unit, i, first, tokens[i], now)))
                goto failed;
        if (db_commit(c) != SQLITE_OK)
            goto failed;
    }
    for (long k = 0; k < n && rid; k += BENCH_CHUNK) {
        if (db_begin(c) != SQLITE_OK)
            goto failed;
        for (long i = k; i < n && i < k + BENCH_CHUNK; i++) {
            participant_auth who = {pids[i], cid, 1, unit};
            if (start_one(c, rd, &who, rid, now) != 0)
                goto failed;
        }
        if (db_commit(c) != SQLITE_OK)
            goto failed;
    }
    for (long i = 0; i < n; i++) {
        int64_t aid = 0, qid = 0;
        if (rid) {
            sqlite3_stmt *st = db_stmt(c, Q_ATTEMPT_OPEN_FOR);
            sqlite3_bind_int64(st, 1, rid);
            sqlite3_bind_int64(st, 2, pids[i]);
            if (sqlite3_step(st) == SQLITE_ROW)
                aid = sqlite3_column_int64(st, 0);
            db_done(st);
            st = db_stmt(c, Q_ATTEMPT_GET);
            sqlite3_bind_int64(st, 1, aid);
            if (sqlite3_step(st) == SQLITE_ROW)
                qid = atoll(db_col_text(st, 6)); /* items: "qid:perm;..." */
            db_done(st);
        }
        fprintf(out, "%s %lld %lld\n", tokens[i], (long long)aid, (long long)qid);
    }
    printf("bench-people: %ld participants%s in %.1f s\n", n, rid ? " with an attempt each" : "",
           (clock_mono_ms() - t0) / 1000.0);
    rc = 0;
    goto done;
failed:
    fprintf(stderr, "cchc-quiz bench-people: %s\n", sqlite3_errmsg(db_handle(c)));
    db_rollback(c);
done:
    if (fclose(out) != 0)
        rc = 1;
    free(tokens);
    free(pids);
    db_close(rd);
    db_close(c);
    return rc;
}
