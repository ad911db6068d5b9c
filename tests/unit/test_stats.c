/* Unit tests: question statistics (facility and discrimination as Moodle
 * defines them, on a hand-computed example; option counts mapped back
 * through each attempt's permutation; the flags) and prize allocation with
 * ties broken by the later ranking keys. */
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
#include <sodium.h>

#include "db/db.h"
#include "quiz/prize.h"
#include "quiz/stats.h"

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

/* x = item score, y = rest of the attempt. By hand: mean x 0.6, mean y 1.6,
 * cov = 1.4 - 0.96 = 0.44, var x = 0.24, var y = 3.6 - 2.56 = 1.04,
 * D = 100 * 0.44 / sqrt(0.24 * 1.04) = 88.07. */
static void test_facility_discrimination(void **state)
{
    (void)state;
    stat_acc a = {0};
    const double x[] = {1, 1, 0, 1, 0}, y[] = {3, 2, 1, 2, 0};
    for (int i = 0; i < 5; i++)
        stat_add(&a, x[i], y[i]);
    assert_float_equal(stat_facility(&a), 60.0, 1e-9);
    int defined;
    double d = stat_discrimination(&a, &defined);
    assert_int_equal(defined, 1);
    assert_float_equal(d, 88.07, 0.01);
    /* everyone right: no variance, no index */
    stat_acc b = {0};
    for (int i = 0; i < 4; i++)
        stat_add(&b, 1, i);
    assert_float_equal(stat_facility(&b), 100.0, 1e-9);
    stat_discrimination(&b, &defined);
    assert_int_equal(defined, 0);
    /* the item against a rest that runs the other way: negative */
    stat_acc c = {0};
    const double cx[] = {1, 1, 0, 0}, cy[] = {0, 1, 3, 4};
    for (int i = 0; i < 4; i++)
        stat_add(&c, cx[i], cy[i]);
    assert_true(stat_discrimination(&c, &defined) < 0);
    assert_int_equal(defined, 1);
    stat_acc empty = {0};
    assert_float_equal(stat_facility(&empty), 0.0, 1e-9);
}

static void test_parse_answers(void **state)
{
    (void)state;
    int64_t q[8];
    unsigned m[8];
    int n = stats_parse_answers("{\"12\":2,\"7\":[0,3],\"9\":null, \"30\" : [ ] }", q, m, 8);
    assert_int_equal(n, 4);
    assert_int_equal(q[0], 12);
    assert_int_equal(m[0], 1u << 2);
    assert_int_equal(q[1], 7);
    assert_int_equal(m[1], (1u << 0) | (1u << 3));
    assert_int_equal(m[2], 0);
    assert_int_equal(m[3], 0);
    assert_int_equal(stats_parse_answers("{}", q, m, 8), 0);
    assert_int_equal(stats_parse_answers("[1]", q, m, 8), -1);
    assert_int_equal(stats_parse_answers("{\"x\":1}", q, m, 8), -1);
    assert_int_equal(stats_parse_answers("{\"1\":\"a\"}", q, m, 8), -1);
}

static prize_cand cand(int64_t id, int64_t score, int64_t pred, int pred_null, int64_t at)
{
    prize_cand c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.key[0] = score;
    c.key[1] = pred;
    c.null[1] = (unsigned char)pred_null;
    c.key[2] = at;
    return c;
}

static void test_prize_allocation_ties(void **state)
{
    (void)state;
    /* ranked by score, prediction error, submission time */
    prize_cand c[] = {
        cand(100, 10, 5, 0, 100), /* 1st */
        cand(101, 10, 5, 0, 200), /* same score and prediction: time decides */
        cand(102, 10, 8, 0, 50),  /* same score: the prediction decides */
        cand(103, 9, 1, 0, 10),
        cand(104, 9, 1, 0, 10), /* equal on every key with 103: unresolved */
        cand(105, 8, 0, 1, 5),
    };
    prize_tier tiers[] = {{"Giải Nhất", 1}, {"Giải Nhì", 2}, {"Giải bỏ trống", 0}, {"Giải Ba", 1}};
    prize_award aw[10];
    prize_tie ties[10];
    int nties = -1;
    int na = prize_allocate(c, 6, 3, tiers, 4, aw, 10, ties, 10, &nties);
    assert_int_equal(na, 4);
    assert_int_equal(aw[0].cand, 0);
    assert_int_equal(aw[0].tier, 0);
    assert_int_equal(aw[1].tier, 1);
    assert_int_equal(aw[2].tier, 1);
    assert_int_equal(aw[3].cand, 3);
    assert_int_equal(aw[3].tier, 3); /* the empty tier is skipped */
    assert_int_equal(aw[3].rank, 4);
    assert_int_equal(nties, 3);
    /* 100 vs 101: the third key (time) decided, across the first/second tier boundary */
    assert_int_equal(ties[0].a, 0);
    assert_int_equal(ties[0].b, 1);
    assert_int_equal(ties[0].key, 2);
    assert_int_equal(ties[0].boundary, 1);
    /* 101 vs 102: the prediction decided, both second prize */
    assert_int_equal(ties[1].a, 1);
    assert_int_equal(ties[1].key, 1);
    assert_int_equal(ties[1].boundary, 0);
    /* 103 vs 104: nothing separates them, and only 103 has a prize */
    assert_int_equal(ties[2].a, 3);
    assert_int_equal(ties[2].b, 4);
    assert_int_equal(ties[2].key, -1);
    assert_int_equal(ties[2].boundary, 1);

    /* fewer candidates than prizes; a null prediction differs from a value */
    prize_cand d[] = {cand(1, 5, 0, 1, 1), cand(2, 5, 3, 0, 1)};
    prize_tier one[] = {{"Giải", 10}};
    na = prize_allocate(d, 2, 3, one, 1, aw, 10, ties, 10, &nties);
    assert_int_equal(na, 2);
    assert_int_equal(nties, 1);
    assert_int_equal(ties[0].key, 1);
    assert_int_equal(ties[0].boundary, 0);
    na = prize_allocate(d, 0, 3, one, 1, aw, 10, ties, 10, &nties);
    assert_int_equal(na, 0);
    assert_int_equal(nties, 0);
}

/* A round with three questions and ten attempts, options shuffled:
 *   q10 key C (original 2), shown as "3210"; q11 key A, "0123"; q12 key D, "1032".
 *   3 attempts (score 2/3): q10 B (wrong), q11 right, q12 right  <- the top group
 *   4 attempts (score 1/3): q10 right, q11 B, q12 A
 *   3 attempts (score 0): nothing answered
 * So q10: facility 40, chosen B 3, C 4, blank 3; the top group chose B over
 * the key (wrong_key) and the better attempts missed it (negative). */
static void test_stats_round_db(void **state)
{
    (void)state;
    char path[] = "/tmp/cchc-test-stats-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256];
    db_conn *c = db_open(path, 0, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(
        db_exec(
            c,
            "INSERT INTO banks(id, bank_key, version, title, sha256, imported_at) "
            "VALUES (1, 'b', 1, 'Ngân hàng', 'x', 0);"
            "INSERT INTO questions(id, bank_id, qkey, category, difficulty, track, text, "
            "options, correct_mask, multi) VALUES "
            "(10, 1, 'q10', 'c', 1, 0, 'Câu 10', '[\"A\",\"B\",\"C\",\"D\"]', 4, 0),"
            "(11, 1, 'q11', 'c', 1, 0, 'Câu 11', '[\"A\",\"B\",\"C\",\"D\"]', 1, 0),"
            "(12, 1, 'q12', 'c', 1, 0, 'Câu 12', '[\"A\",\"B\",\"C\",\"D\"]', 8, 0);"
            "INSERT INTO contests(id, ckey, title, organiser, rules, settings, created_at, "
            "updated_at) VALUES (1, 'c', 'C', 'O', '', '{}', 0, 0);"
            "INSERT INTO units(id, contest_id, ukey, name, position) VALUES (1, 1, 'u', 'U', 0);"
            "INSERT INTO rounds(id, contest_id, rkey, title, position, opens_at, closes_at, "
            "duration_ms, attempts_allowed, counting, shuffle_questions, shuffle_options, "
            "blueprint, question_count) VALUES (1, 1, 'r', 'R', 0, 0, 1, 1, 1, 0, 1, 1, '[]', 3);"),
        0);
    for (int i = 1; i <= 11; i++) {
        char sql[1024];
        const char *answers = i <= 3   ? "{\"10\":2,\"11\":0,\"12\":2}"
                              : i <= 7 ? "{\"10\":1,\"11\":1,\"12\":1}"
                                       : "{}";
        int score = i <= 3 ? 2 : i <= 7 ? 1 : 0;
        snprintf(sql, sizeof sql,
                 "INSERT INTO participants(id, contest_id, full_name, name_key, unit_id, phone, "
                 "track, consent_text, consent_at, created_at%s) VALUES (%d, 1, 'P', 'p', 1, "
                 "'+849000000%02d', 1, 'ok', 0, 0%s);"
                 "INSERT INTO attempts(round_id, participant_id, attempt_no, status, started_at, "
                 "deadline_at, items, answers, score, max_score) VALUES (1, %d, 1, 1, 0, 1, "
                 "'10:3210;11:0123;12:1032', '%s', %d, 3);",
                 i == 11 ? ", disqualified_at" : "", i, i, i == 11 ? ", 1" : "", i,
                 i == 11 ? "{\"10\":0,\"11\":0,\"12\":0}" : answers, i == 11 ? 0 : score);
        assert_int_equal(db_exec(c, sql), 0);
    }
    app_err e;
    json_t *j = stats_round(c, 1, &e);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "attempts")), 10); /* #11 disqualified */
    assert_int_equal(json_integer_value(json_object_get(j, "top_group")), 3);
    json_t *qs = json_object_get(j, "questions");
    assert_int_equal(json_array_size(qs), 3);
    json_t *q10 = json_array_get(qs, 0);
    assert_int_equal(json_integer_value(json_object_get(q10, "question_id")), 10);
    assert_int_equal(json_integer_value(json_object_get(q10, "n")), 10);
    assert_float_equal(json_real_value(json_object_get(q10, "facility")), 40.0, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(q10, "blank")), 3);
    json_t *o = json_object_get(q10, "options");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 1), "count")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 2), "count")), 4);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "count")), 0);
    assert_true(json_is_true(json_object_get(json_array_get(o, 2), "key")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 1), "top_count")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 2), "top_count")), 0);
    char *flags = json_dumps(json_object_get(q10, "flags"), JSON_COMPACT);
    assert_non_null(strstr(flags, "wrong_key"));
    assert_non_null(strstr(flags, "negative_discrimination"));
    free(flags);
    assert_true(json_real_value(json_object_get(q10, "discrimination")) < 0);
    /* q11: A is the key, chosen by the 3 best; B by 4; facility 30, positive */
    json_t *q11 = json_array_get(qs, 1);
    assert_float_equal(json_real_value(json_object_get(q11, "facility")), 30.0, 1e-9);
    o = json_object_get(q11, "options");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "count")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 1), "count")), 4);
    assert_true(json_real_value(json_object_get(q11, "discrimination")) > 0);
    flags = json_dumps(json_object_get(q11, "flags"), JSON_COMPACT);
    assert_string_equal(flags, "[]");
    free(flags);
    /* q12 shown "1032": display 2 is original 3 (D, the key), display 1 is original 0 */
    o = json_object_get(json_array_get(qs, 2), "options");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 3), "count")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "count")), 4);
    json_decref(j);
    db_close(c);
    unlink(path);
    char side[300];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facility_discrimination),
        cmocka_unit_test(test_parse_answers),
        cmocka_unit_test(test_prize_allocation_ties),
        cmocka_unit_test(test_stats_round_db),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
