/* Unit tests for the two-step writes of quiz/attempt.c: a start, a save or a
 * submit prepared on a reader connection and committed on the writer's. Each
 * race the writer must notice is staged between the two steps: a key corrected
 * (the quiz generation moves), an autosave landing first, a second start, a
 * second submit. In every case the outcome must be that of doing the whole
 * operation on the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "auth/auth.h"
#include "bank/bank.h"
#include "bank/store.h"
#include "contest/contest.h"
#include "db/db.h"
#include "quiz/attempt.h"
#include "quiz/gencache.h"
#include "quiz/items.h"
#include "testdb.h"

static const char BANK[] =
    "{\"format\":\"cchc-bank/1\",\"id\":\"b\",\"title\":\"T\",\"version\":1,"
    "\"categories\":[{\"id\":\"c\",\"title\":\"C\"}],\"questions\":["
    "{\"id\":\"q1\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Một?\",\"options\":[\"A\",\"B\",\"C\",\"D\"],\"correct\":0},"
    "{\"id\":\"q2\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Hai?\",\"options\":[\"A\",\"B\",\"C\",\"D\"],\"correct\":1},"
    "{\"id\":\"q3\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Ba?\",\"options\":[\"A\",\"B\",\"C\",\"D\"],\"correct\":2}]}";

static const char CONTEST[] =
    "{\"format\":\"cchc-contest/1\",\"id\":\"t\",\"title\":\"T\",\"organiser\":\"O\","
    "\"rules\":\"R\",\"banks\":[{\"id\":\"b\"}],"
    "\"units\":[{\"id\":\"u\",\"name\":\"Đơn vị\"}],\"rounds\":["
    "{\"id\":\"r1\",\"title\":\"Vòng 1\",\"opens_at\":\"now-2h\",\"closes_at\":\"now+1d\","
    "\"duration_seconds\":600,\"attempts\":2,\"counting\":\"best\","
    "\"blueprint\":[{\"category\":\"c\",\"count\":3}]}]}";

static char path[64];
static db_conn *w, *rd; /* the writer's connection and a reader's */
static participant_auth who = {1, 1, 1, 1};
static const int64_t NOW = 4000000000000LL;

static void exec(const char *sql) { tdb_exec(w, sql); }

static int64_t scalar(const char *sql) { return tdb_scalar(w, sql); }

static char *text(const char *sql) { return tdb_text(w, sql); }

static int setup(void **state)
{
    (void)state;
    char err[512];
    snprintf(path, sizeof path, "/tmp/cchc-test-attempt-%d.db", (int)getpid());
    unlink(path);
    w = db_open(path, 0, err, sizeof err);
    if (!w)
        return -1;
    bank_report *rep = bank_report_new();
    bank *b = bank_parse_json(BANK, strlen(BANK), "b.json", rep);
    bank_store_result res;
    if (!b || bank_store(w, b, NULL, 0, "b", "t", 0, &res, err, sizeof err) != 0)
        return -1;
    bank_free(b);
    bank_report_free(rep);
    json_t *doc = json_loads(CONTEST, 0, NULL);
    int64_t cid;
    if (contest_load(w, doc, NOW, &cid, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    json_decref(doc);
    exec("INSERT INTO participants(id, contest_id, full_name, name_key, unit_id, phone, track, "
         "consent_text, consent_at, created_at) VALUES (1, 1, 'Người thi', 'x', 1, '0912', 1, "
         "'c', 0, 0)");
    rd = db_open(path, 1, err, sizeof err);
    return rd ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(rd);
    db_close(w);
    char side[80];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return 0;
}

/* Starts the participant's attempt in two steps; its id. */
static int64_t start(void)
{
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(attempt_start_prepare(rd, &who, 1, NOW, &p, &out, &e), 1);
    int created = 0;
    assert_int_equal(db_begin(w), SQLITE_OK);
    assert_int_equal(attempt_start_commit(w, p, &who, &created, &out, &e), 1);
    assert_int_equal(db_commit(w), SQLITE_OK);
    assert_int_equal(created, 1);
    assert_int_equal(attempt_plan_render(rd, p, &out), 0);
    assert_non_null(strstr(out.data, "\"questions\":["));
    assert_null(strstr(out.data, "correct")); /* never the key */
    buf_free(&out);
    attempt_plan_free(p);
    return scalar("SELECT max(id) FROM attempts");
}

/* {"answers": {...}} choosing the option shown at the position of original
 * option orig[k] for question k+1 (-1: left out). */
static json_t *answers(int64_t attempt_id, const int orig[3])
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT items FROM attempts WHERE id = %lld", (long long)attempt_id);
    char *s = text(sql);
    attempt_item items[ITEMS_MAX];
    int n = items_parse(s, items, ITEMS_MAX);
    free(s);
    assert_int_equal(n, 3);
    json_t *a = json_object();
    for (int i = 0; i < n; i++) {
        int k = (int)items[i].qid - 1;
        if (orig[k] < 0)
            continue;
        int shown = 0;
        while (items[i].perm[shown] - '0' != orig[k])
            shown++;
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)items[i].qid);
        json_object_set_new(a, key, json_integer(shown));
    }
    return json_pack("{s:o}", "answers", a);
}

static attempt_plan *prepare_submit(int64_t id, json_t *body)
{
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(attempt_submit_prepare(rd, &who, id, body, NOW + 1000, &p, &out, &e), 1);
    buf_free(&out);
    return p;
}

static void commit_submit(attempt_plan *p, json_t *body)
{
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(db_begin(w), SQLITE_OK);
    assert_int_equal(attempt_submit_commit(w, p, &who, body, &out, &e), 0);
    assert_int_equal(db_commit(w), SQLITE_OK);
    assert_non_null(strstr(out.data, "\"status\":\"submitted\""));
    buf_free(&out);
    attempt_plan_free(p);
}

static void save(int64_t id, json_t *body)
{
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(attempt_save_prepare(rd, &who, id, body, NOW + 500, &p, &out, &e), 1);
    assert_int_equal(db_begin(w), SQLITE_OK);
    assert_int_equal(attempt_save_commit(w, p, &who, body, &out, &e), 0);
    assert_int_equal(db_commit(w), SQLITE_OK);
    buf_free(&out);
    attempt_plan_free(p);
}

static int64_t score_of(int64_t id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT score * 10 + status FROM attempts WHERE id = %lld",
             (long long)id);
    return scalar(sql);
}

static void test_prepared_submit_scores(void **state)
{
    (void)state;
    int64_t id = start();
    json_t *body = answers(id, (int[]){0, 1, 3});
    commit_submit(prepare_submit(id, body), body);
    json_decref(body);
    assert_int_equal(score_of(id), 21); /* 2 correct, submitted */
    assert_int_equal(scalar("SELECT score FROM results WHERE participant_id = 1"), 2);
    /* a second submit is answered from a reader, without a plan */
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    json_t *empty = json_object();
    assert_int_equal(attempt_submit_prepare(rd, &who, id, empty, NOW + 2000, &p, &out, &e), 0);
    assert_null(p);
    assert_non_null(strstr(out.data, "\"score\":2"));
    buf_free(&out);
    json_decref(empty);
}

static void test_key_corrected_between_steps(void **state)
{
    (void)state;
    int64_t id = start();
    json_t *body = answers(id, (int[]){0, 1, 3});
    int64_t gen = gencache_current(rd);
    attempt_plan *p = prepare_submit(id, body); /* scored 2 with the old keys */
    exec("UPDATE questions SET correct_mask = 8 WHERE qkey = 'q3'"); /* now D is right */
    assert_true(gencache_current(rd) > gen);
    commit_submit(p, body);
    json_decref(body);
    assert_int_equal(score_of(id), 31); /* scored again by the writer: 3 */
}

static void test_autosave_between_steps(void **state)
{
    (void)state;
    int64_t id = start();
    json_t *first = answers(id, (int[]){0, -1, -1});
    attempt_plan *p = prepare_submit(id, first); /* saw no answer to q2, q3 */
    json_t *later = answers(id, (int[]){-1, 1, 2});
    save(id, later);    /* an autosave from another tab lands first */
    commit_submit(p, first);
    assert_int_equal(score_of(id), 31); /* q1 from the submit, q2 and q3 from the save */
    json_decref(first);
    json_decref(later);
}

static void test_save_over_a_save(void **state)
{
    (void)state;
    int64_t id = start();
    json_t *a = answers(id, (int[]){0, -1, -1});
    json_t *b = answers(id, (int[]){-1, 1, -1});
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(attempt_save_prepare(rd, &who, id, a, NOW + 500, &p, &out, &e), 1);
    save(id, b);
    assert_int_equal(db_begin(w), SQLITE_OK);
    assert_int_equal(attempt_save_commit(w, p, &who, a, &out, &e), 0);
    assert_int_equal(db_commit(w), SQLITE_OK);
    attempt_plan_free(p);
    buf_free(&out);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT json_array_length(json_group_array(key)) FROM attempts, "
                              "json_each(attempts.answers) WHERE attempts.id = %lld",
             (long long)id);
    assert_int_equal(scalar(sql), 2); /* both saves kept */
    json_decref(a);
    json_decref(b);
}

static void test_two_starts_make_one_attempt(void **state)
{
    (void)state;
    attempt_plan *p1 = NULL, *p2 = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(attempt_start_prepare(rd, &who, 1, NOW, &p1, &out, &e), 1);
    assert_int_equal(attempt_start_prepare(rd, &who, 1, NOW, &p2, &out, &e), 1);
    int created = 0;
    assert_int_equal(db_begin(w), SQLITE_OK);
    assert_int_equal(attempt_start_commit(w, p1, &who, &created, &out, &e), 1);
    assert_int_equal(created, 1);
    created = 0;
    /* the second finds the first open: it resumes it (the whole start, on the writer) */
    assert_int_equal(attempt_start_commit(w, p2, &who, &created, &out, &e), 0);
    assert_int_equal(db_commit(w), SQLITE_OK);
    assert_int_equal(created, 0);
    assert_non_null(strstr(out.data, "\"status\":\"open\""));
    assert_int_equal(scalar("SELECT count(*) FROM attempts WHERE participant_id = 1"), 1);
    buf_free(&out);
    attempt_plan_free(p1);
    attempt_plan_free(p2);
}

static void test_bank_switch_between_steps(void **state)
{
    (void)state;
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(attempt_start_prepare(rd, &who, 1, NOW, &p, &out, &e), 1);
    /* the question drawn are voided before the writer gets there */
    exec("UPDATE questions SET voided = 1 WHERE qkey = 'q1'");
    int created = 0;
    assert_int_equal(db_begin(w), SQLITE_OK);
    /* redrawn on the writer: the bank has too few questions now */
    assert_int_equal(attempt_start_commit(w, p, &who, &created, &out, &e), -1);
    assert_int_equal(db_commit(w), SQLITE_OK);
    assert_int_equal(e.status, 500);
    assert_int_equal(scalar("SELECT count(*) FROM attempts"), 0);
    buf_free(&out);
    attempt_plan_free(p);
}

/* A submit past the deadline and its grace (the deadline crush) is prepared
 * on a reader too: finalised as expired on the answers saved, the body's
 * ignored, answered 409 with that result, as the one-step path does. */
static void test_late_submit_in_two_steps(void **state)
{
    (void)state;
    int64_t id = start();
    json_t *saved = answers(id, (int[]){0, 1, -1});
    save(id, saved);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT deadline_at FROM attempts WHERE id = %lld", (long long)id);
    int64_t late = scalar(sql) + 10000 + 1; /* the contest's grace: the default 10 s */
    json_t *body = answers(id, (int[]){0, 1, 2});
    attempt_plan *p = NULL;
    buf out;
    buf_init(&out, 0);
    app_err e;
    assert_int_equal(attempt_submit_prepare(rd, &who, id, body, late, &p, &out, &e), 1);
    assert_int_equal(db_begin(w), SQLITE_OK);
    assert_int_equal(attempt_submit_commit(w, p, &who, body, &out, &e), -1);
    assert_int_equal(db_commit(w), SQLITE_OK);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "late");
    assert_non_null(strstr(out.data, "\"status\":\"expired\""));
    assert_non_null(strstr(out.data, "\"score\":2"));
    assert_int_equal(score_of(id), 22); /* 2 saved answers right, expired */
    assert_int_equal(scalar("SELECT score FROM results WHERE participant_id = 1"), 2);
    snprintf(sql, sizeof sql, "SELECT submitted_at = deadline_at FROM attempts WHERE id = %lld",
             (long long)id);
    assert_int_equal(scalar(sql), 1);
    buf_free(&out);
    attempt_plan_free(p);
    /* a submit again: still late, answered from a reader */
    buf_init(&out, 0);
    p = NULL;
    assert_int_equal(attempt_submit_prepare(rd, &who, id, body, late + 1, &p, &out, &e), -1);
    assert_null(p);
    assert_int_equal(e.status, 409);
    buf_free(&out);
    json_decref(body);
    json_decref(saved);
}

/* Resolved tokens are cached (auth/tokcache.c); every change
 * that can make one wrong, made through any connection, is seen at once. */
static void test_token_cache_sees_every_change(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    char tok[AUTH_TOKEN_HEX], hdr[80];
    auth_new_token(tok);
    snprintf(hdr, sizeof hdr, "Bearer %s", tok);
    unsigned char h[32];
    auth_token_hash(tok, h);
    sqlite3_stmt *st = db_stmt(w, Q_TOKEN_INSERT);
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, 1);
    sqlite3_bind_int64(st, 3, NOW);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    db_done(st);
    exec("INSERT INTO units(id, contest_id, ukey, name, position) VALUES (2, 1, 'v', 'V', 2)");

    participant_auth got;
    assert_int_equal(auth_participant(rd, hdr, &got), 0);
    assert_int_equal(got.id, 1);
    assert_int_equal(got.unit_id, 1);
    assert_int_equal(auth_participant(rd, hdr, &got), 0); /* now from the cache */

    exec("UPDATE participants SET unit_id = 2 WHERE id = 1");
    assert_int_equal(auth_participant(rd, hdr, &got), 0);
    assert_int_equal(got.unit_id, 2);

    /* what cannot make a token wrong leaves the cache alone */
    int64_t gen = scalar("SELECT gen FROM auth_gen");
    exec("UPDATE participants SET disqualified_at = 5, full_name = 'Khác' WHERE id = 1");
    assert_int_equal(scalar("SELECT gen FROM auth_gen"), gen);

    /* the cache does answer: with the trigger gone, a move goes unseen */
    exec("DROP TRIGGER auth_gen_p_upd");
    exec("UPDATE participants SET unit_id = 1 WHERE id = 1");
    assert_int_equal(auth_participant(rd, hdr, &got), 0);
    assert_int_equal(got.unit_id, 2);

    exec("DELETE FROM participant_tokens");
    assert_int_equal(auth_participant(rd, hdr, &got), -1);
    assert_int_equal(auth_participant(rd, "Bearer 00", &got), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prepared_submit_scores, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_corrected_between_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_autosave_between_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_over_a_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_starts_make_one_attempt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bank_switch_between_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_submit_in_two_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_cache_sees_every_change, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
