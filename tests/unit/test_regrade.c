/* Unit tests for quiz/regrade.c on an in-memory database: the counted attempt per
 * participant under "best" and "last", a dry run that changes nothing, voiding, the
 * settled round's perfect count and prediction errors, the audit entry, and the key
 * corrections a new version of a bank brings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "bank/bank.h"
#include "bank/store.h"
#include "contest/contest.h"
#include "db/db.h"
#include "quiz/regrade.h"
#include "testdb.h"

static const char BANK[] =
    "{\"format\":\"cchc-bank/1\",\"id\":\"b\",\"title\":\"T\",\"version\":1,"
    "\"categories\":[{\"id\":\"c\",\"title\":\"C\"}],\"questions\":["
    "{\"id\":\"q1\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Một?\",\"options\":[\"A\",\"B\",\"C\",\"D\"],\"correct\":0},"
    "{\"id\":\"q2\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Hai?\",\"options\":[\"A\",\"B\",\"C\",\"D\"],\"correct\":1},"
    "{\"id\":\"q3\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Ba?\",\"options\":[\"A\",\"B\",\"C\",\"D\"],\"correct\":[2, 3]}]}";

/* Version 2: q1's key corrected to B; q2's options changed (not a correction). */
static const char BANK2[] =
    "{\"format\":\"cchc-bank/1\",\"id\":\"b\",\"title\":\"T\",\"version\":2,"
    "\"categories\":[{\"id\":\"c\",\"title\":\"C\"}],\"questions\":["
    "{\"id\":\"q1\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Một?\",\"options\":[\"B\",\"A\",\"C\",\"D\"],\"correct\":0},"
    "{\"id\":\"q2\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Hai?\",\"options\":[\"A\",\"B\",\"C\",\"E\"],\"correct\":1},"
    "{\"id\":\"q3\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Ba?\",\"options\":[\"A\",\"B\",\"C\",\"D\"],\"correct\":[2, 3]}]}";

static const char CONTEST[] =
    "{\"format\":\"cchc-contest/1\",\"id\":\"t\",\"title\":\"T\",\"organiser\":\"O\","
    "\"rules\":\"R\",\"banks\":[{\"id\":\"b\"}],"
    "\"units\":[{\"id\":\"u\",\"name\":\"Đơn vị\"}],\"rounds\":["
    "{\"id\":\"r1\",\"title\":\"Vòng 1\",\"opens_at\":\"now-2h\",\"closes_at\":\"now+1d\","
    "\"attempts\":2,\"counting\":\"best\",\"blueprint\":[{\"category\":\"c\",\"count\":3}]},"
    "{\"id\":\"r2\",\"title\":\"Vòng 2\",\"opens_at\":\"now-2h\",\"closes_at\":\"now+1d\","
    "\"attempts\":2,\"counting\":\"last\",\"blueprint\":[{\"category\":\"c\",\"count\":3}]}]}";

static db_conn *c;
static int64_t q[4];

static void exec(const char *sql) { tdb_exec(c, sql); }

static int64_t scalar(const char *sql) { return tdb_scalar(c, sql); }

static void store(const char *text)
{
    char err[256];
    bank_report *rep = bank_report_new();
    bank *b = bank_parse_json(text, strlen(text), "b.json", rep);
    if (!b)
        bank_report_print(rep, stderr);
    assert_non_null(b);
    bank_store_result res;
    assert_int_equal(bank_store(c, b, NULL, 0, "b", "t", 0, &res, err, sizeof err), 0);
    bank_free(b);
    bank_report_free(rep);
}

/* An attempt of participant p in round r with answers a1 a2 a3 (display = original:
 * the permutation is the identity); its score as the engine would have written it. */
static void attempt(int p, int r, int no, int a1, int a2, const char *a3, int correct,
                    int64_t at, int prediction)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO attempts(round_id, participant_id, attempt_no, status, started_at, "
             "deadline_at, items, answers, prediction, submitted_at, score, max_score, correct, "
             "total, duration_ms) VALUES (%d, %d, %d, 1, %lld, %lld, '%lld:0123;%lld:0123;%lld:0123', "
             "'{\"%lld\":%d,\"%lld\":%d,\"%lld\":%s}', %d, %lld, %d, 3, %d, 3, 1000)",
             r, p, no, (long long)at - 1000, (long long)at + 100000, (long long)q[1],
             (long long)q[2], (long long)q[3], (long long)q[1], a1, (long long)q[2], a2,
             (long long)q[3], a3, prediction, (long long)at, correct, correct);
    exec(sql);
}

static void result(int p, int r, int64_t attempt_id)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO results(round_id, participant_id, attempt_id, track, unit_id, score, "
             "max_score, correct, total, duration_ms, submitted_at, prediction) SELECT round_id, "
             "participant_id, id, 1, 1, score, max_score, correct, total, duration_ms, "
             "submitted_at, prediction FROM attempts WHERE id = %lld AND participant_id = %d "
             "AND round_id = %d",
             (long long)attempt_id, p, r);
    exec(sql);
}

static int setup(void **state)
{
    (void)state;
    char err[512];
    c = db_open(":memory:", 0, err, sizeof err);
    if (!c)
        return -1;
    store(BANK);
    json_t *doc = json_loads(CONTEST, 0, NULL);
    int64_t cid;
    if (contest_load(c, doc, 10000000, &cid, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    json_decref(doc);
    for (int i = 1; i <= 3; i++)
        q[i] = i;
    for (int p = 1; p <= 3; p++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO participants(id, contest_id, full_name, name_key, unit_id, phone, "
                 "track, consent_text, consent_at, created_at) VALUES (%d, 1, 'Người %d', 'x', "
                 "1, '09%d', 1, 'c', 0, 0)",
                 p, p, p);
        exec(sql);
    }
    /* round 1 (best of 2): P1 2/3 then 2/3 (the first counts), P2 3/3, P3 2/3 */
    attempt(1, 1, 1, 0, 0, "[2,3]", 2, 1000, 5);   /* attempt 1 */
    attempt(1, 1, 2, 1, 1, "[2,3]", 2, 3000, 5);   /* attempt 2 */
    attempt(2, 1, 1, 0, 1, "[2,3]", 3, 2000, 1);   /* attempt 3 */
    attempt(3, 1, 1, 1, 1, "[2,3]", 2, 1500, 2);   /* attempt 4 */
    result(1, 1, 1);
    result(2, 1, 3);
    result(3, 1, 4);
    /* round 2 (last of 2): P1 3/3 then 1/3 (the last counts) */
    attempt(1, 2, 1, 0, 1, "[2,3]", 3, 5000, 0);   /* attempt 5 */
    attempt(1, 2, 2, 1, 1, "[2]", 1, 6000, 0);     /* attempt 6 */
    result(1, 2, 6);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(c);
    c = NULL;
    return 0;
}

static int64_t counted(int p, int r)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT attempt_id * 100 + score FROM results WHERE participant_id = %d AND "
             "round_id = %d",
             p, r);
    return scalar(sql);
}

static json_t *round_of(json_t *rep, int id)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rep, "rounds"), i, r)
    {
        if (json_integer_value(json_object_get(r, "round_id")) == id)
            return r;
    }
    return NULL;
}

static void test_dry_run_changes_nothing(void **state)
{
    (void)state;
    app_err e;
    regrade_change ch = {q[1], 2, 0}; /* q1: B is the right answer */
    exec("BEGIN");
    json_t *rep = regrade_run(c, &ch, 1, "org", NULL, 1, &e);
    exec("COMMIT");
    assert_non_null(rep);
    assert_true(json_is_true(json_object_get(rep, "dry_run")));
    assert_int_equal(json_integer_value(json_object_get(rep, "attempts_examined")), 6);
    /* P1 a1 2->1, a2 2->3, P2 3->2, P3 2->3; round 2: a5 3->2, a6 1->2 */
    assert_int_equal(json_integer_value(json_object_get(rep, "attempts_changed")), 6);
    json_t *r1 = round_of(rep, 1);
    assert_non_null(r1);
    assert_int_equal(json_integer_value(json_object_get(r1, "moves_total")), 3);
    json_t *mv = json_array_get(json_object_get(r1, "moves"), 0);
    /* P3 (3 points, submitted at 1500) is now first; it was third */
    assert_int_equal(json_integer_value(json_object_get(mv, "participant_id")), 3);
    assert_int_equal(json_integer_value(json_object_get(mv, "old_rank")), 3);
    assert_int_equal(json_integer_value(json_object_get(mv, "new_rank")), 1);
    assert_string_equal(json_string_value(json_object_get(mv, "name")), "Người 3");
    json_decref(rep);
    /* nothing changed */
    assert_int_equal(scalar("SELECT correct_mask FROM questions WHERE id = 1"), 1);
    assert_int_equal(counted(1, 1), 102);
    assert_int_equal(scalar("SELECT score FROM attempts WHERE id = 2"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM audit_log WHERE action = 'regrade'"), 0);
}

static void test_regrade_best_and_last(void **state)
{
    (void)state;
    app_err e;
    regrade_change ch = {q[1], 2, 0};
    exec("BEGIN");
    json_t *rep = regrade_run(c, &ch, 1, "org", "đáp án sai", 0, &e);
    exec("COMMIT");
    assert_non_null(rep);
    json_decref(rep);
    assert_int_equal(scalar("SELECT correct_mask FROM questions WHERE id = 1"), 2);
    /* best: P1's second attempt (3) now beats the first (1) */
    assert_int_equal(counted(1, 1), 203);
    assert_int_equal(counted(2, 1), 302);
    assert_int_equal(counted(3, 1), 403);
    /* last: P1's last attempt still counts, with its new score */
    assert_int_equal(counted(1, 2), 602);
    assert_int_equal(scalar("SELECT score FROM attempts WHERE id = 5"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM audit_log WHERE action = 'regrade' AND "
                            "actor = 'org' AND detail LIKE '%\"attempts_changed\":6%'"),
                     1);
    /* the contest table the triggers keep follows */
    assert_int_equal(scalar("SELECT best FROM contest_scores WHERE participant_id = 1"), 3);
}

static void test_void_and_settled_round(void **state)
{
    (void)state;
    app_err e;
    /* round 1 settled with one perfect score (P2), predictions 5, 1, 2 */
    exec("UPDATE rounds SET settled_at = 1, perfect_count = 1 WHERE id = 1");
    exec("UPDATE results SET prediction_error = abs(prediction - 1) WHERE round_id = 1");
    regrade_change ch = {q[2], 0, 1}; /* void q2: everyone gets it */
    exec("BEGIN");
    json_t *rep = regrade_run(c, &ch, 1, "org", NULL, 0, &e);
    exec("COMMIT");
    assert_non_null(rep);
    json_t *r1 = round_of(rep, 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r1, "perfect_count"),
                                                        "new")),
                     2);
    json_decref(rep);
    assert_int_equal(scalar("SELECT voided FROM questions WHERE id = 2"), 1);
    /* P1's first attempt now 3/3 (q2 voided), and it is the earlier of two 3s */
    assert_int_equal(counted(1, 1), 103);
    assert_int_equal(scalar("SELECT perfect_count FROM rounds WHERE id = 1"), 2);
    assert_int_equal(scalar("SELECT prediction_error FROM results WHERE round_id = 1 AND "
                            "participant_id = 1"),
                     3);
}

static void test_bad_changes(void **state)
{
    (void)state;
    app_err e;
    regrade_change none = {999, 1, 0};
    assert_null(regrade_run(c, &none, 1, "org", NULL, 1, &e));
    assert_int_equal(e.status, 404);
    regrade_change two = {q[1], 3, 0}; /* q1 is single-answer */
    assert_null(regrade_run(c, &two, 1, "org", NULL, 1, &e));
    assert_int_equal(e.status, 400);
    regrade_change out = {q[1], 1u << 4, 0}; /* only 4 options */
    assert_null(regrade_run(c, &out, 1, "org", NULL, 1, &e));
    assert_int_equal(e.status, 400);
    regrade_change multi = {q[3], 1u << 2, 0}; /* q3 is multi-select: one key is fine */
    json_t *rep = regrade_run(c, &multi, 1, "org", NULL, 1, &e);
    assert_non_null(rep);
    json_decref(rep);
}

static void test_changes_from_version(void **state)
{
    (void)state;
    store(BANK2);
    regrade_change *ch = NULL;
    int n = 0;
    json_t *notes = NULL;
    app_err e;
    assert_int_equal(regrade_changes_from_version(c, "b", 0, &ch, &n, &notes, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ch[0].question_id, q[1]);
    assert_int_equal(ch[0].key, 2); /* "B" is the second option of version 1 */
    assert_int_equal(json_array_size(notes), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(notes, 0), "qkey")),
                        "q2");
    free(ch);
    json_decref(notes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dry_run_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regrade_best_and_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_void_and_settled_round, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_from_version, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
