/* Unit tests: blueprint draw, option shuffle, the items encoding, scoring,
 * ranking order, phone normalisation and time parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "quiz/draw.h"
#include "quiz/items.h"
#include "quiz/rank.h"
#include "quiz/score.h"
#include "util/clock.h"
#include "util/phone.h"

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void test_pick_distinct_and_from_input(void **state)
{
    (void)state;
    for (int round = 0; round < 200; round++) {
        int64_t ids[30];
        for (int i = 0; i < 30; i++)
            ids[i] = 100 + i;
        int k = draw_pick(ids, 30, 10);
        assert_int_equal(k, 10);
        for (int i = 0; i < 30; i++) {
            assert_true(ids[i] >= 100 && ids[i] < 130);
            for (int j = 0; j < i; j++)
                assert_true(ids[i] != ids[j]); /* still a permutation */
        }
    }
    int64_t few[3] = {1, 2, 3};
    assert_int_equal(draw_pick(few, 3, 5), 3);
}

static void test_pick_is_roughly_uniform(void **state)
{
    (void)state;
    int counts[10] = {0};
    const int trials = 20000;
    for (int t = 0; t < trials; t++) {
        int64_t ids[10];
        for (int i = 0; i < 10; i++)
            ids[i] = i;
        draw_pick(ids, 10, 3);
        for (int i = 0; i < 3; i++)
            counts[ids[i]]++;
    }
    /* each id is expected 6000 times; allow a generous band */
    for (int i = 0; i < 10; i++) {
        assert_true(counts[i] > 5400);
        assert_true(counts[i] < 6600);
    }
}

static void test_perm(void **state)
{
    (void)state;
    char p[7];
    draw_perm(4, 0, p);
    assert_string_equal(p, "0123");
    int first_pos[4] = {0};
    for (int t = 0; t < 4000; t++) {
        draw_perm(4, 1, p);
        assert_int_equal(strlen(p), 4);
        int seen = 0;
        for (int i = 0; i < 4; i++)
            seen |= 1 << (p[i] - '0');
        assert_int_equal(seen, 0xF);
        first_pos[p[0] - '0']++;
    }
    for (int i = 0; i < 4; i++)
        assert_true(first_pos[i] > 800 && first_pos[i] < 1200);
}

static void test_items_parse_and_map(void **state)
{
    (void)state;
    attempt_item it[8];
    int n = items_parse("345:2031;346:10;7:012345", it, 8);
    assert_int_equal(n, 3);
    assert_int_equal(it[0].qid, 345);
    assert_int_equal(it[0].nopt, 4);
    assert_string_equal(it[0].perm, "2031");
    assert_int_equal(it[2].nopt, 6);
    /* display 0 shows original 2; display 3 shows original 1 */
    assert_int_equal(items_to_original(&it[0], 1u << 0), 1u << 2);
    assert_int_equal(items_to_original(&it[0], (1u << 3) | (1u << 1)), (1u << 1) | (1u << 0));
    assert_int_equal(items_to_display(&it[0], 1u << 2), 1u << 0);
    for (unsigned m = 0; m < 16; m++)
        assert_int_equal(items_to_display(&it[0], items_to_original(&it[0], m)), m);
    assert_int_equal(items_find(it, n, 346), 1);
    assert_int_equal(items_find(it, n, 999), -1);
}

static void test_items_reject_malformed(void **state)
{
    (void)state;
    attempt_item it[4];
    assert_int_equal(items_parse("", it, 4), 0);
    assert_int_equal(items_parse("x:01", it, 4), -1);
    assert_int_equal(items_parse("1:0", it, 4), -1);        /* fewer than 2 options */
    assert_int_equal(items_parse("1:0123456", it, 4), -1);  /* more than 6 */
    assert_int_equal(items_parse("1:01;2:01;3:01;4:01;5:01", it, 4), -1); /* over max */
    assert_int_equal(items_parse("1:01,2:01", it, 4), -1);
    assert_int_equal(items_parse("-1:01", it, 4), -1);
}

static void test_score(void **state)
{
    (void)state;
    score_key single = {1u << 2, 0};
    assert_int_equal(score_question(1u << 2, &single), 1);
    assert_int_equal(score_question(1u << 1, &single), 0);
    assert_int_equal(score_question(0, &single), 0);
    assert_int_equal(score_question((1u << 2) | 1u, &single), 0);
    score_key multi = {(1u << 0) | (1u << 3), 0};
    assert_int_equal(score_question((1u << 0) | (1u << 3), &multi), 1);
    assert_int_equal(score_question(1u << 0, &multi), 0); /* all or nothing */
    score_key voided = {1u << 1, 1};
    assert_int_equal(score_question(0, &voided), 1);
    unsigned chosen[3] = {1u << 2, 1u << 0, 0};
    score_key keys[3] = {single, multi, voided};
    score_result r = score_attempt(chosen, keys, 3, 5);
    assert_int_equal(r.correct, 2);
    assert_int_equal(r.total, 3);
    assert_int_equal(r.score, 10);
    assert_int_equal(r.max_score, 15);
}

/* The ORDER BY, applied by SQLite to rows like the results table's. */
static void ranked_names(const rank_order *o, int provisional, char *out, size_t n)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE results(name TEXT, score INT, prediction_error INT,"
                                  " submitted_at INT, duration_ms INT, attempt_id INT);"
                                  "INSERT INTO results VALUES"
                                  " ('a', 15, 40, 1000, 300, 1),"
                                  " ('b', 15, 5, 3000, 200, 2),"
                                  " ('c', 14, 0, 500, 100, 3),"
                                  " ('d', 15, NULL, 900, 100, 4),"
                                  " ('e', 15, 5, 2000, 250, 5);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    char order[512], sql[700];
    rank_order_sql(o, provisional, order, sizeof order);
    snprintf(sql, sizeof sql, "SELECT group_concat(name, '') FROM "
                              "(SELECT name FROM results r ORDER BY %s)", order);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_rank_order(void **state)
{
    (void)state;
    rank_order o;
    char got[16];
    rank_default(&o);
    ranked_names(&o, 0, got, sizeof got);
    /* score, then closest prediction (no prediction last), then earliest */
    assert_string_equal(got, "ebadc");
    ranked_names(&o, 1, got, sizeof got);
    /* provisional: no prediction tie-break */
    assert_string_equal(got, "daebc");
    o.n = 0;
    o.keys[o.n++] = RANK_SCORE_DESC;
    o.keys[o.n++] = RANK_DURATION_ASC;
    o.keys[o.n++] = RANK_SUBMITTED_AT_ASC;
    ranked_names(&o, 0, got, sizeof got);
    assert_string_equal(got, "dbeac");
    assert_int_equal(rank_key_from_name("duration_asc"), RANK_DURATION_ASC);
    assert_int_equal(rank_key_from_name("score; DROP TABLE x"), -1);
}

static void test_phone(void **state)
{
    (void)state;
    char out[20];
    const char *same[] = {"0912345678", "+84912345678", "84912345678", "0084912345678",
                          "+84 912 345 678", "091.234.5678", "(091) 234-5678", "+840912345678"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(phone_normalise(same[i], out, sizeof out), 0);
        assert_string_equal(out, "+84912345678");
    }
    assert_int_equal(phone_normalise("02383123456", out, sizeof out), 0); /* landline */
    assert_string_equal(out, "+842383123456");
    const char *bad[] = {"", "12345", "0912", "09123456789012", "abc0912345678", "+1 555 1234",
                         "0012025550123", "++84912345678"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(phone_normalise(bad[i], out, sizeof out), -1);
    char cccd[16];
    assert_int_equal(phone_cccd_normalise("040 2020 12345", cccd, sizeof cccd), 0);
    assert_string_equal(cccd, "040202012345");
    assert_int_equal(phone_cccd_normalise("186123456", cccd, sizeof cccd), 0);
    assert_int_equal(phone_cccd_normalise("1234567890", cccd, sizeof cccd), -1);
    assert_int_equal(phone_cccd_normalise("04020201234x", cccd, sizeof cccd), -1);
}

static void test_clock(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(clock_parse("2026-11-20T08:00:00+07:00", 0, &t), 0);
    assert_int_equal(t, 1795136400000LL);
    assert_int_equal(clock_parse("2026-11-20T01:00:00Z", 0, &t), 0);
    assert_int_equal(t, 1795136400000LL);
    assert_int_equal(clock_parse("2026-11-20T01:00:00.250Z", 0, &t), 0);
    assert_int_equal(t, 1795136400250LL);
    assert_int_equal(clock_parse("now+2d", 1000, &t), 0);
    assert_int_equal(t, 1000 + 2 * 86400000LL);
    assert_int_equal(clock_parse("now-90m", 10000000, &t), 0);
    assert_int_equal(t, 10000000 - 90 * 60000LL);
    assert_int_equal(clock_parse("2026-11-20 08:00", 0, &t), -1);
    assert_int_equal(clock_parse("2026-13-20T08:00:00Z", 0, &t), -1);
    assert_int_equal(clock_parse("2026-11-20T08:00:00", 0, &t), -1); /* zone required */
    assert_int_equal(clock_parse("now+", 0, &t), -1);
    char s[40];
    clock_iso_utc(1795136400250LL, s, sizeof s);
    assert_string_equal(s, "2026-11-20T01:00:00.250Z");
    clock_vn_human(1795136400000LL, s, sizeof s);
    assert_string_equal(s, "08:00 20/11/2026");
}

/* clock_iso_utc computes the date itself: it must agree with gmtime_r at
 * the edges (leap days, centuries, before 1970) and at random instants. */
static void iso_expected(int64_t ms, char *out, size_t n)
{
    int64_t sec = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        sec--;
    }
    time_t t = (time_t)sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)frac);
}

static void test_clock_iso_matches_gmtime(void **state)
{
    (void)state;
    static const int64_t edges[] = {0, -1, 1, 86399999, 86400000, 951782400000LL /* 2000-02-29 */,
                                    951868800000LL, 4107542400000LL /* 2100-03-01 */,
                                    4107456000000LL, 1709164800000LL /* 2024-02-29 */,
                                    -86400001LL, 253402300799999LL /* 9999-12-31 */};
    char got[40], want[64];
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        clock_iso_utc(edges[i], got, sizeof got);
        iso_expected(edges[i], want, sizeof want);
        assert_string_equal(got, want);
    }
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        int64_t ms = (int64_t)(x % 253402300800000ULL) - 62135596800000LL / 2;
        clock_iso_utc(ms, got, sizeof got);
        iso_expected(ms, want, sizeof want);
        assert_string_equal(got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_distinct_and_from_input),
        cmocka_unit_test(test_pick_is_roughly_uniform),
        cmocka_unit_test(test_perm),
        cmocka_unit_test(test_items_parse_and_map),
        cmocka_unit_test(test_items_reject_malformed),
        cmocka_unit_test(test_score),
        cmocka_unit_test(test_rank_order),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_clock_iso_matches_gmtime),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
