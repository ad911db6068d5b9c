/* Unit tests for plan tracking (plan/): the shipped plan 52/KH-UBND (2017)
 * against the seed document, the validator's messages, task expansion, status
 * derivation for each frequency, content coverage and the stored plan. */
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
#include "bank/report.h"
#include "bank/store.h"
#include "db/db.h"
#include "plan/coverage.h"
#include "plan/plan.h"
#include "plan/status.h"
#include "plan/store.h"
#include "plan/view.h"

static char *slurp(const char *rel, size_t *len)
{
    const char *root = getenv("CCHC_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root ? root : CCHC_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return data;
}

static int day(const char *s)
{
    int d = 0;
    assert_int_equal(plan_day_parse(s, 0, &d), 0);
    return d;
}

static plan *shipped(void)
{
    size_t len;
    char *data = slurp("plans/ke-hoach-52-2017.json", &len);
    char err[512] = "";
    plan *p = plan_parse(data, len, day("2026-11-27"), err, sizeof err);
    free(data);
    if (!p)
        fail_msg("shipped plan: %s", err);
    return p;
}

static size_t tasks_of(const plan *p, const char *agency)
{
    size_t n = 0;
    for (size_t i = 0; i < p->ntasks; i++)
        n += strcmp(p->tasks[i].agency, agency) == 0;
    return n;
}

/* ---- the shipped plan against the seed document ---- */

static void test_shipped_plan_header(void **state)
{
    (void)state;
    plan *p = shipped();
    assert_string_equal(p->id, "ke-hoach-52-2017");
    assert_string_equal(p->number, "52/KH-UBND");
    assert_string_equal(p->issuer, "Ủy ban nhân dân tỉnh Nghệ An");
    assert_int_equal(p->date, day("2017-02-06"));
    assert_int_equal(p->year, 2017);
    assert_int_equal(p->start, day("2017-02-06"));
    assert_int_equal(p->end, day("2017-12-31"));
    /* I: three purposes, II: four requirements, III: two audiences */
    assert_int_equal(json_array_size(json_object_get(p->doc, "purposes")), 3);
    assert_int_equal(json_array_size(json_object_get(p->doc, "requirements")), 4);
    assert_int_equal(json_array_size(json_object_get(p->doc, "audiences")), 2);
    /* IV.2: four forms, the last one the contests */
    json_t *forms = json_object_get(p->doc, "forms");
    assert_int_equal(json_array_size(forms), 4);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(forms, 3), "text")),
                           "Tổ chức các cuộc thi tìm hiểu về cải cách hành chính"));
    /* V.5 */
    assert_non_null(strstr(json_string_value(json_object_get(p->doc, "budget")),
                           "dự toán ngân sách nhà nước hàng năm"));
    plan_free(p);
}

static void test_shipped_plan_tasks(void **state)
{
    (void)state;
    plan *p = shipped();
    /* Section V counted by hand in the seed document: V.1 is one paragraph
     * (1 task); V.2 Sở Nội vụ has 4 bullets; V.3 Sở Thông tin và Truyền thông
     * has 4; V.4 (the radio and TV station, Báo Nghệ An, the provincial portal)
     * has 3; V.5 is the budget, not a task. 1 + 4 + 4 + 3 = 12. The file adds
     * one task from IV.2 (organising the contests), so 13 as written. */
    size_t in_v = 0, per[6] = {0};
    size_t seen = 0;
    const char *last = "";
    for (size_t i = 0; i < p->ntasks; i++) {
        if (strcmp(p->tasks[i].source, last) == 0)
            continue;
        last = p->tasks[i].source;
        seen++;
        const char *sec = p->tasks[i].section;
        if (sec[0] == 'V' && sec[1] == '.') {
            in_v++;
            per[sec[2] - '0']++;
        }
    }
    assert_int_equal(seen, 13);
    assert_int_equal(p->nsource, 13);
    assert_int_equal(in_v, 12);
    assert_int_equal(per[1], 1);
    assert_int_equal(per[2], 4);
    assert_int_equal(per[3], 4);
    assert_int_equal(per[4], 3);
    assert_int_equal(per[5], 0);
    /* Expanded: V.1 once per department (21) and district (21); V.4's three
     * tasks once for each of the three media bodies. 42 + 4 + 4 + 9 + 1 = 60. */
    assert_int_equal(p->ntasks, 60);
    assert_int_equal(tasks_of(p, "so-noi-vu"), 1 + 4 + 1);
    assert_int_equal(tasks_of(p, "so-tt-tt"), 1 + 4);
    assert_int_equal(tasks_of(p, "dai-ptth"), 3);
    assert_int_equal(tasks_of(p, "bao-nghe-an"), 3);
    assert_int_equal(tasks_of(p, "cong-ttdt"), 3);
    assert_int_equal(tasks_of(p, "tp-vinh"), 1);
    assert_int_equal(tasks_of(p, "h-ky-son"), 1);
    assert_int_equal(tasks_of(p, "bo-noi-vu"), 0); /* a recipient only */
    /* every frequency is used */
    int freq[4] = {0};
    for (size_t i = 0; i < p->ntasks; i++)
        freq[p->tasks[i].freq]++;
    assert_true(freq[PLAN_ONCE] > 0 && freq[PLAN_MONTHLY] > 0 && freq[PLAN_QUARTERLY] > 0 &&
                freq[PLAN_YEARLY] > 0);
    /* the contest task links the demo contest */
    const plan_task *ct = NULL;
    for (size_t i = 0; i < p->ntasks; i++)
        if (strcmp(p->tasks[i].key, "iv2-cuoc-thi") == 0)
            ct = &p->tasks[i];
    assert_non_null(ct);
    assert_string_equal(ct->agency, "so-noi-vu");
    assert_string_equal(json_string_value(json_array_get(ct->contests, 0)), "demo-cchc");
    assert_int_equal(json_array_size(ct->coordinating), 42 - 1); /* without Sở Nội vụ itself */
    plan_free(p);
}

static void test_shipped_plan_agencies(void **state)
{
    (void)state;
    plan *p = shipped();
    /* The distribution list ("Nơi nhận") in order, with its groups enumerated,
     * and the bodies section V names. */
    static const char *const want[] = {
        "bo-noi-vu", "tt-tinh-uy", "tt-hdnd", "lanh-dao-ubnd", "lanh-dao-vp-ubnd",
        /* Các sở, ban, ngành cấp tỉnh */
        "so-noi-vu", "so-tu-phap", "so-ke-hoach-dt", "so-tai-chinh", "so-cong-thuong",
        "so-nn-ptnt", "so-gtvt", "so-xay-dung", "so-tn-mt", "so-tt-tt", "so-ld-tbxh", "so-vh-tt",
        "so-du-lich", "so-kh-cn", "so-gd-dt", "so-y-te", "so-ngoai-vu", "thanh-tra", "vp-ubnd",
        "ban-dan-toc", "bql-kkt",
        "doan-the",
        /* UBND các huyện, thành, thị: the 21 of 2017 */
        "tp-vinh", "tx-cua-lo", "tx-thai-hoa", "tx-hoang-mai", "h-dien-chau", "h-quynh-luu",
        "h-yen-thanh", "h-do-luong", "h-nghi-loc", "h-hung-nguyen", "h-nam-dan",
        "h-thanh-chuong", "h-tan-ky", "h-anh-son", "h-con-cuong", "h-nghia-dan", "h-quy-hop",
        "h-quy-chau", "h-que-phong", "h-tuong-duong", "h-ky-son",
        "co-quan-tw", "dai-ptth", "bao-nghe-an", "cong-ttdt"};
    size_t n = sizeof want / sizeof want[0];
    assert_int_equal(p->nagencies, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(p->agencies[i].id, want[i]);
    assert_string_equal(plan_agency_find(p, "so-noi-vu")->name, "Sở Nội vụ");
    assert_string_equal(plan_agency_find(p, "so-tt-tt")->name, "Sở Thông tin và Truyền thông");
    assert_string_equal(plan_agency_find(p, "dai-ptth")->name, "Đài Phát thanh - Truyền hình tỉnh");
    assert_string_equal(plan_agency_find(p, "bao-nghe-an")->name, "Báo Nghệ An");
    assert_string_equal(plan_agency_find(p, "cong-ttdt")->name, "Cổng thông tin điện tử tỉnh");
    /* every unit of the demo contest is an agency of the plan */
    size_t len;
    char *data = slurp("scripts/demo/contest.json", &len);
    json_t *contest = json_loadb(data, len, 0, NULL);
    free(data);
    assert_non_null(contest);
    size_t i;
    json_t *u;
    int matched = 0;
    json_array_foreach(json_object_get(contest, "units"), i, u)
    {
        const char *id = json_string_value(json_object_get(u, "id"));
        if (strcmp(id, "nguoi-dan") == 0)
            continue; /* citizens are no agency */
        if (!plan_agency_find(p, id))
            fail_msg("demo contest unit %s is not an agency of the plan", id);
        matched++;
    }
    assert_true(matched >= 12);
    json_decref(contest);
    /* the distribution list has its ten lines */
    assert_int_equal(json_array_size(json_object_get(p->doc, "distribution")), 10);
    plan_free(p);
}

static void test_shipped_plan_content(void **state)
{
    (void)state;
    plan *p = shipped();
    int docs = 0, areas = 0, topics = 0;
    for (size_t i = 0; i < p->ncontent; i++) {
        const char *k = p->content[i].kind;
        docs += strcmp(k, "document") == 0;
        areas += strcmp(k, "area") == 0;
        topics += strcmp(k, "topic") == 0;
    }
    /* IV.1 names: 30c/NQ-CP, 15-NQ/TU, 74/QĐ-UBND, the 2016-2020 and 2017 CCHC
     * plans (6501, 6734), 63/2010, 43/2011, 09/2015, 60/2015, 4115/QĐ-UBND and the
     * Law on local government; plus the plan itself. The six reform areas. */
    assert_int_equal(docs, 12);
    assert_int_equal(areas, 6);
    assert_int_equal(topics, 6);
    plan_free(p);
}

/* ---- validation and expansion ---- */

#define MINI_HEAD                                                                          \
    "{\"format\":\"cchc-plan/1\",\"id\":\"p\",\"number\":\"1/KH\",\"date\":\"2017-01-01\","  \
    "\"issuer\":\"UBND\",\"title\":\"T\",\"year\":2017,"                                   \
    "\"period\":{\"start\":\"2017-01-01\",\"end\":\"2017-12-31\"},"                        \
    "\"agency_kinds\":[{\"id\":\"department\",\"name\":\"Sở\"},"                           \
    "{\"id\":\"district\",\"name\":\"Huyện\"},{\"id\":\"empty\",\"name\":\"Không ai\"}],"   \
    "\"agencies\":[{\"id\":\"a1\",\"name\":\"Sở A\",\"kind\":\"department\"},"              \
    "{\"id\":\"a2\",\"name\":\"Sở B\",\"kind\":\"department\"},"                            \
    "{\"id\":\"d1\",\"name\":\"Huyện C\",\"kind\":\"district\"}],"

static plan *mini(const char *tasks_json, char *err, size_t errn)
{
    char doc[4096];
    snprintf(doc, sizeof doc, MINI_HEAD "\"tasks\":%s}", tasks_json);
    return plan_parse(doc, strlen(doc), day("2017-06-01"), err, errn);
}

static void expect_error(const char *tasks_json, const char *want)
{
    char err[512] = "";
    plan *p = mini(tasks_json, err, sizeof err);
    if (p) {
        plan_free(p);
        fail_msg("accepted: %s", tasks_json);
    }
    if (!strstr(err, want))
        fail_msg("error \"%s\" does not contain \"%s\"", err, want);
}

static void test_expansion(void **state)
{
    (void)state;
    char err[512] = "";
    plan *p = mini("[{\"id\":\"t1\",\"section\":\"V.1\",\"text\":\"Mọi sở và huyện\","
                   "\"responsible\":[\"all:department\",\"all:district\",\"a1\"],"
                   "\"coordinating\":[\"a1\",\"d1\"],\"frequency\":\"once\",\"due\":\"today+30d\"},"
                   "{\"id\":\"t2\",\"section\":\"V.2\",\"text\":\"Một sở\",\"responsible\":[\"a2\"],"
                   "\"frequency\":\"monthly\"},"
                   "{\"id\":\"t3\",\"section\":\"V.4\",\"text\":\"Hai cơ quan\","
                   "\"responsible\":[\"a2\",\"d1\"],\"frequency\":\"yearly\",\"start\":\"2017-03-01\"}]",
                   err, sizeof err);
    if (!p)
        fail_msg("%s", err);
    assert_int_equal(p->nsource, 3);
    assert_int_equal(p->ntasks, 3 + 1 + 2); /* a1 named twice counts once */
    assert_string_equal(p->tasks[0].key, "t1@a1");
    assert_string_equal(p->tasks[1].key, "t1@a2");
    assert_string_equal(p->tasks[2].key, "t1@d1");
    assert_int_equal(p->tasks[0].expanded, 1);
    /* coordinating never lists the responsible agency itself */
    assert_int_equal(json_array_size(p->tasks[0].coordinating), 1);
    assert_string_equal(json_string_value(json_array_get(p->tasks[0].coordinating, 0)), "d1");
    assert_int_equal(json_array_size(p->tasks[1].coordinating), 2);
    assert_int_equal(p->tasks[0].due, day("2017-07-01")); /* today+30d, today 2017-06-01 */
    assert_string_equal(p->tasks[3].key, "t2"); /* one agency: no suffix */
    assert_int_equal(p->tasks[3].expanded, 0);
    assert_int_equal(p->tasks[3].start, day("2017-01-01"));
    assert_int_equal(p->tasks[3].due, day("2017-12-31"));
    assert_string_equal(p->tasks[4].key, "t3@a2");
    assert_string_equal(p->tasks[5].key, "t3@d1");
    assert_int_equal(p->tasks[5].start, day("2017-03-01"));
    plan_free(p);
}

static void test_validation_names_the_field(void **state)
{
    (void)state;
    expect_error("[]", "tasks: phải là danh sách khác rỗng");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\",\"zz\"],"
                 "\"frequency\":\"monthly\"}]",
                 "tasks[0].responsible[1]: không có cơ quan \"zz\"");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"all:empty\"],"
                 "\"frequency\":\"monthly\"}]",
                 "tasks[0].responsible[0]: không có cơ quan nào thuộc loại \"empty\"");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\"],"
                 "\"frequency\":\"once\"}]",
                 "tasks[0].due: bắt buộc phải có");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\"],"
                 "\"frequency\":\"weekly\"}]",
                 "tasks[0].frequency: phải là once, monthly, quarterly hoặc yearly");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\"],"
                 "\"frequency\":\"once\",\"due\":\"2017-02-30\"}]",
                 "tasks[0].due: ngày không hợp lệ");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\"],"
                 "\"frequency\":\"once\",\"due\":\"2017-02-03\",\"owner\":\"a1\"}]",
                 "tasks[0].owner: trường không được hỗ trợ");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\"],"
                 "\"frequency\":\"monthly\"},{\"id\":\"t\",\"section\":\"V\",\"text\":\"y\","
                 "\"responsible\":[\"a1\"],\"frequency\":\"monthly\"}]",
                 "tasks[1].id: trùng với tasks[0]");
    expect_error("[{\"id\":\"T 1\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\"],"
                 "\"frequency\":\"monthly\"}]",
                 "tasks[0].id: chỉ gồm a-z");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[],"
                 "\"frequency\":\"monthly\"}]",
                 "tasks[0].responsible: phải có ít nhất một cơ quan chủ trì");
    expect_error("[{\"id\":\"t\",\"section\":\"V\",\"text\":\"x\",\"responsible\":[\"a1\"],"
                 "\"frequency\":\"monthly\",\"start\":\"2000-01-01\"}]",
                 "tasks[0].due: thời gian thực hiện một nhiệm vụ tối đa 10 năm");
    char err[256];
    assert_null(plan_parse("{\"format\":\"cchc-plan/2\"}", 24, 0, err, sizeof err));
    assert_non_null(strstr(err, "format: phải là \"cchc-plan/1\""));
    assert_null(plan_parse("{\"format\": ", 11, 0, err, sizeof err));
    assert_non_null(strstr(err, "dòng 1"));
    assert_null(plan_parse("[]", 2, 0, err, sizeof err));
}

/* ---- status derivation ---- */

static plan_status st(plan_freq f, const char *start, const char *due, int grace,
                      const char *const *dates, const unsigned char *done, size_t n,
                      const char *today, plan_status_info *info)
{
    plan_sched s = {f, day(start), day(due), grace};
    int d[8];
    for (size_t i = 0; i < n; i++)
        d[i] = day(dates[i]);
    return plan_status_derive(&s, d, done, n, 0, day(today), info);
}

static void test_status_once(void **state)
{
    (void)state;
    const char *none[1] = {NULL};
    plan_status_info info;
    assert_int_equal(st(PLAN_ONCE, "2017-02-06", "2017-03-31", 15, none, NULL, 0, "2017-03-31",
                        &info),
                     PLAN_NOT_STARTED);
    assert_int_equal(info.next_due, day("2017-03-31"));
    /* overdue the day after the due date (grace days are for recurring reports) */
    assert_int_equal(st(PLAN_ONCE, "2017-02-06", "2017-03-31", 15, none, NULL, 0, "2017-04-01",
                        &info),
                     PLAN_OVERDUE);
    assert_int_equal(info.overdue_since, day("2017-04-01"));
    const char *r1[] = {"2017-03-10"};
    const unsigned char not_done[] = {0}, done[] = {1};
    assert_int_equal(st(PLAN_ONCE, "2017-02-06", "2017-03-31", 0, r1, not_done, 1, "2017-03-20",
                        NULL),
                     PLAN_IN_PROGRESS);
    assert_int_equal(st(PLAN_ONCE, "2017-02-06", "2017-03-31", 0, r1, not_done, 1, "2017-04-02",
                        NULL),
                     PLAN_OVERDUE);
    assert_int_equal(st(PLAN_ONCE, "2017-02-06", "2017-03-31", 0, r1, done, 1, "2017-04-02",
                        &info),
                     PLAN_DONE);
    assert_int_equal(info.done_on, day("2017-03-10"));
    /* done late is done */
    const char *late[] = {"2017-05-02"};
    assert_int_equal(st(PLAN_ONCE, "2017-02-06", "2017-03-31", 0, late, done, 1, "2017-06-01",
                        NULL),
                     PLAN_DONE);
    /* a report dated after the day judged does not count yet */
    assert_int_equal(st(PLAN_ONCE, "2017-02-06", "2017-03-31", 0, late, done, 1, "2017-04-20",
                        NULL),
                     PLAN_OVERDUE);
    /* activity (participants in a linked contest) is progress */
    plan_sched s = {PLAN_ONCE, day("2017-01-01"), day("2017-12-31"), 0};
    assert_int_equal(plan_status_derive(&s, NULL, NULL, 0, 1, day("2017-06-01"), NULL),
                     PLAN_IN_PROGRESS);
}

static void test_status_monthly(void **state)
{
    (void)state;
    const char *none[1] = {NULL};
    plan_status_info info;
    /* January ends on the 31st: judged from 1 February without grace */
    assert_int_equal(st(PLAN_MONTHLY, "2017-01-01", "2017-12-31", 0, none, NULL, 0, "2017-01-31",
                        &info),
                     PLAN_NOT_STARTED);
    assert_int_equal(info.periods, 12);
    assert_int_equal(info.next_due, day("2017-01-31"));
    assert_int_equal(st(PLAN_MONTHLY, "2017-01-01", "2017-12-31", 0, none, NULL, 0, "2017-02-01",
                        &info),
                     PLAN_OVERDUE);
    assert_int_equal(info.missed, 1);
    assert_int_equal(info.overdue_since, day("2017-02-01"));
    /* with 10 grace days, from 11 February */
    assert_int_equal(st(PLAN_MONTHLY, "2017-01-01", "2017-12-31", 10, none, NULL, 0, "2017-02-10",
                        NULL),
                     PLAN_NOT_STARTED);
    assert_int_equal(st(PLAN_MONTHLY, "2017-01-01", "2017-12-31", 10, none, NULL, 0, "2017-02-11",
                        &info),
                     PLAN_OVERDUE);
    assert_int_equal(info.overdue_since, day("2017-02-11"));
    /* a January report keeps it in progress until March */
    const char *jan[] = {"2017-01-20"};
    const unsigned char no[] = {0, 0, 0};
    assert_int_equal(st(PLAN_MONTHLY, "2017-01-01", "2017-12-31", 0, jan, no, 1, "2017-02-28",
                        NULL),
                     PLAN_IN_PROGRESS);
    assert_int_equal(st(PLAN_MONTHLY, "2017-01-01", "2017-12-31", 0, jan, no, 1, "2017-03-01",
                        &info),
                     PLAN_OVERDUE);
    assert_int_equal(info.missed, 1); /* February */
    /* a window starting mid-month still counts its first month */
    assert_int_equal(st(PLAN_MONTHLY, "2017-02-06", "2017-04-30", 0, none, NULL, 0, "2017-03-01",
                        &info),
                     PLAN_OVERDUE);
    assert_int_equal(info.periods, 3);
    /* every month reported: done once the window is over */
    const char *all3[] = {"2017-02-10", "2017-03-10", "2017-04-10"};
    assert_int_equal(st(PLAN_MONTHLY, "2017-02-06", "2017-04-30", 0, all3, no, 3, "2017-04-30",
                        NULL),
                     PLAN_IN_PROGRESS);
    assert_int_equal(st(PLAN_MONTHLY, "2017-02-06", "2017-04-30", 0, all3, no, 3, "2017-05-01",
                        &info),
                     PLAN_DONE);
    assert_int_equal(info.done_on, day("2017-04-30"));
}

static void test_status_quarterly_and_yearly(void **state)
{
    (void)state;
    const char *none[1] = {NULL};
    plan_status_info info;
    assert_int_equal(st(PLAN_QUARTERLY, "2017-02-06", "2017-12-31", 0, none, NULL, 0,
                        "2017-03-31", &info),
                     PLAN_NOT_STARTED);
    assert_int_equal(info.periods, 4);
    assert_int_equal(st(PLAN_QUARTERLY, "2017-02-06", "2017-12-31", 0, none, NULL, 0,
                        "2017-04-01", NULL),
                     PLAN_OVERDUE);
    const char *q1[] = {"2017-02-10"};
    const unsigned char no[] = {0, 0, 0, 0};
    assert_int_equal(st(PLAN_QUARTERLY, "2017-02-06", "2017-12-31", 0, q1, no, 1, "2017-06-30",
                        &info),
                     PLAN_IN_PROGRESS);
    assert_int_equal(info.next_due, day("2017-06-30"));
    assert_int_equal(st(PLAN_QUARTERLY, "2017-02-06", "2017-12-31", 0, q1, no, 1, "2017-07-01",
                        &info),
                     PLAN_OVERDUE);
    assert_int_equal(info.overdue_since, day("2017-07-01"));
    const char *q4[] = {"2017-03-01", "2017-05-01", "2017-08-01", "2017-11-01"};
    assert_int_equal(st(PLAN_QUARTERLY, "2017-02-06", "2017-12-31", 0, q4, no, 4, "2018-01-01",
                        NULL),
                     PLAN_DONE);
    /* yearly: one period, judged on 1 January */
    assert_int_equal(st(PLAN_YEARLY, "2017-02-06", "2017-12-31", 0, none, NULL, 0, "2017-12-31",
                        &info),
                     PLAN_NOT_STARTED);
    assert_int_equal(info.periods, 1);
    assert_int_equal(st(PLAN_YEARLY, "2017-02-06", "2017-12-31", 0, none, NULL, 0, "2018-01-01",
                        NULL),
                     PLAN_OVERDUE);
    const char *y[] = {"2017-09-09"};
    assert_int_equal(st(PLAN_YEARLY, "2017-02-06", "2017-12-31", 0, y, no, 1, "2017-10-01", NULL),
                     PLAN_IN_PROGRESS);
    assert_int_equal(st(PLAN_YEARLY, "2017-02-06", "2017-12-31", 0, y, no, 1, "2018-01-01", NULL),
                     PLAN_DONE);
    /* a report marked done ends a recurring task early */
    const unsigned char yes[] = {1};
    assert_int_equal(st(PLAN_QUARTERLY, "2017-02-06", "2017-12-31", 0, q1, yes, 1, "2017-09-01",
                        NULL),
                     PLAN_DONE);
}

static void test_calendar_and_periods(void **state)
{
    (void)state;
    char s[16];
    int d = day("2017-02-06");
    plan_day_format(d, s, sizeof s);
    assert_string_equal(s, "2017-02-06");
    plan_day_format_vn(d, s, sizeof s);
    assert_string_equal(s, "06/02/2017");
    assert_int_equal(day("1970-01-01"), 0);
    assert_int_equal(day("2016-03-01") - day("2016-02-28"), 2); /* leap year */
    int out;
    assert_int_equal(plan_day_parse("today-3d", 100, &out), 0);
    assert_int_equal(out, 97);
    assert_int_equal(plan_day_parse("today+12d", 100, &out), 0);
    assert_int_equal(out, 112);
    assert_int_equal(plan_day_parse("today+d", 100, &out), -1);
    assert_int_equal(plan_day_parse("2017-13-01", 100, &out), -1);
    assert_int_equal(plan_day_parse("2017-1-01", 100, &out), -1);
    /* 2017-02-05T17:00Z is 6 February 00:00 in Vietnam */
    assert_int_equal(plan_today(1486314000000LL), day("2017-02-06"));
    assert_int_equal(plan_today(1486313999999LL), day("2017-02-05"));
    int a, b;
    char label[64];
    assert_int_equal(plan_period_parse("2017-Q1", &a, &b, label, sizeof label), 0);
    assert_int_equal(a, day("2017-01-01"));
    assert_int_equal(b, day("2017-03-31"));
    assert_string_equal(label, "Quý I năm 2017");
    assert_int_equal(plan_period_parse("2017-Q4", &a, &b, label, sizeof label), 0);
    assert_int_equal(b, day("2017-12-31"));
    assert_string_equal(label, "Quý IV năm 2017");
    assert_int_equal(plan_period_parse("2017", &a, &b, label, sizeof label), 0);
    assert_string_equal(label, "Năm 2017");
    assert_int_equal(plan_period_parse("2017-H2", &a, &b, label, sizeof label), 0);
    assert_int_equal(a, day("2017-07-01"));
    assert_string_equal(label, "6 tháng cuối năm 2017");
    assert_int_equal(plan_period_parse("2016-02", &a, &b, label, sizeof label), 0);
    assert_int_equal(b, day("2016-02-29"));
    assert_int_equal(plan_period_parse("2017-Q5", &a, &b, label, sizeof label), -1);
    assert_int_equal(plan_period_parse("17", &a, &b, label, sizeof label), -1);
}

/* ---- coverage ---- */

static long count_of(json_t *res, const char *id)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(res, "items"), i, it)
        if (strcmp(json_string_value(json_object_get(it, "id")), id) == 0)
            return (long)json_integer_value(json_object_get(it, "questions"));
    fail_msg("no item %s", id);
    return -1;
}

static int uncovered(json_t *res, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(res, "uncovered"), i, v)
        if (strcmp(json_string_value(v), id) == 0)
            return 1;
    return 0;
}

static void test_coverage_matcher(void **state)
{
    (void)state;
    plan *p = shipped();
    plan_matcher *m = plan_matcher_new(json_object_get(p->doc, "content"));
    assert_non_null(m);
    /* tags, with the spellings banks use */
    plan_matcher_add(m, "the-che", "Tài liệu khác", "[\"30c\"]");
    plan_matcher_add(m, "ke-hoach", NULL, "[\"PAR INDEX\", \"52/KH-UBND\"]");
    plan_matcher_add(m, "ke-hoach", "", "[\"Par_Index\", \"sipas\"]");
    plan_matcher_add(m, "tthc", "", "[\"luat-tccqdp\", \"mot-cua\", \"dvc-truc-tuyen\", \"papi\"]");
    plan_matcher_add(m, "tthc", "", "[\"15-NQ/TU\", \"74/QĐ-UBND\", \"4115/QĐ-UBND\"]");
    plan_matcher_add(m, "tthc", "", "[\"60/2015/QĐ-UBND\", \"09/2015\", \"63/2010\", \"43/2011\"]");
    plan_matcher_add(m, "hien-dai-hoa", "", "[\"iso-9001\", \"pci\"]");
    /* the document text */
    plan_matcher_add(m, "the-che", "Nghị quyết 30c/NQ-CP", NULL);
    plan_matcher_add(m, "bo-may", "Luật Tổ chức chính quyền địa phương số 77/2015/QH13", "[]");
    /* whole words only: 6574/QĐ-UBND is not 74/QĐ-UBND, VCCI is not PCI */
    plan_matcher_add(m, "x", "Quyết định 6574/QĐ-UBND; Chỉ số VCCI", "[]");
    /* case folding of Vietnamese */
    plan_matcher_add(m, "x", "QUYẾT ĐỊNH SỐ 4115/QĐ-UBND", "[]");
    json_t *res = plan_matcher_result(m);
    assert_int_equal(json_integer_value(json_object_get(res, "questions")), 11);
    assert_int_equal(count_of(res, "nq-30c"), 2);
    assert_int_equal(count_of(res, "par-index"), 2);
    assert_int_equal(count_of(res, "kh-52-2017"), 1);
    assert_int_equal(count_of(res, "luat-tccqdp"), 2);
    assert_int_equal(count_of(res, "mot-cua"), 1);
    assert_int_equal(count_of(res, "dvc-truc-tuyen"), 1);
    assert_int_equal(count_of(res, "papi"), 1);
    assert_int_equal(count_of(res, "pci"), 1);
    assert_int_equal(count_of(res, "iso-9001"), 1);
    assert_int_equal(count_of(res, "nq-15-tu"), 1);
    assert_int_equal(count_of(res, "qd-74-ubnd"), 1);
    assert_int_equal(count_of(res, "qd-4115-ubnd"), 2);
    assert_int_equal(count_of(res, "qd-60-2015"), 1);
    assert_int_equal(count_of(res, "qd-09-2015"), 1);
    assert_int_equal(count_of(res, "nd-63-2010"), 1);
    assert_int_equal(count_of(res, "nd-43-2011"), 1);
    /* reform areas by category */
    assert_int_equal(count_of(res, "area-the-che"), 2);
    assert_int_equal(count_of(res, "area-tthc"), 3);
    assert_int_equal(count_of(res, "area-bo-may"), 1);
    assert_int_equal(count_of(res, "area-hien-dai-hoa"), 1);
    assert_int_equal(count_of(res, "area-cbccvc"), 0);
    assert_true(uncovered(res, "area-cbccvc"));
    assert_true(uncovered(res, "area-tai-chinh-cong"));
    assert_true(uncovered(res, "qd-6501-ubnd"));
    assert_true(uncovered(res, "qd-6734-ubnd"));
    assert_false(uncovered(res, "nq-30c"));
    json_decref(res);
    plan_matcher_free(m);
    char *t = plan_norm_tag("  PAR  INDEX ");
    assert_string_equal(t, "par-index");
    free(t);
    t = plan_norm_tag("Cổng DVCQG");
    assert_string_equal(t, "cổng-dvcqg");
    free(t);
    plan_free(p);
}

/* ---- the stored plan and its views, in memory ---- */

static const char BANK[] =
    "{\"format\":\"cchc-bank/1\",\"id\":\"b\",\"title\":\"T\",\"version\":1,"
    "\"categories\":[{\"id\":\"tthc\",\"title\":\"TTHC\"},{\"id\":\"the-che\",\"title\":\"TC\"}],"
    "\"questions\":["
    "{\"id\":\"q1\",\"category\":\"tthc\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Câu một?\",\"options\":[\"A\",\"B\"],\"correct\":0,\"explanation\":\"x\","
    "\"source\":{\"document\":\"Nghị định 63/2010/NĐ-CP\"},\"tags\":[\"63/2010\"]},"
    "{\"id\":\"q2\",\"category\":\"the-che\",\"difficulty\":\"hard\",\"track\":\"both\","
    "\"text\":\"Câu hai?\",\"options\":[\"A\",\"B\"],\"correct\":1,\"explanation\":\"x\","
    "\"source\":{\"document\":\"Nghị quyết 30c/NQ-CP\"}}]}";

static void test_store_and_coverage(void **state)
{
    (void)state;
    char err[512];
    db_conn *c = db_open(":memory:", 0, err, sizeof err);
    assert_non_null(c);
    plan *p = shipped();
    int64_t row, row2;
    assert_int_equal(plan_store(c, p, 1000, &row, err, sizeof err), 0);
    assert_int_equal(plan_exists(c, "ke-hoach-52-2017"), 1);
    assert_int_equal(plan_exists(c, "khac"), 0);
    assert_int_equal(plan_agency_known(c, "h-ky-son"), 1);
    assert_int_equal(plan_agency_known(c, "h-khong-co"), 0);
    /* loading again keeps the rows (task ids) */
    assert_int_equal(plan_store(c, p, 2000, &row2, err, sizeof err), 0);
    assert_int_equal(row, row2);
    app_err e;
    json_t *cov = plan_view_coverage(c, "ke-hoach-52-2017", &e);
    assert_non_null(cov);
    assert_int_equal(json_integer_value(json_object_get(cov, "questions")), 0);
    assert_true(uncovered(cov, "nq-30c"));
    json_decref(cov);
    bank_report *rep = bank_report_new();
    bank *b = bank_parse_json(BANK, strlen(BANK), "b.json", rep);
    assert_non_null(b);
    bank_store_result res;
    assert_int_equal(bank_store(c, b, BANK, strlen(BANK), "b", "t", 0, &res, err, sizeof err), 0);
    bank_free(b);
    bank_report_free(rep);
    cov = plan_view_coverage(c, "ke-hoach-52-2017", &e);
    assert_int_equal(json_integer_value(json_object_get(cov, "questions")), 2);
    assert_int_equal(count_of(cov, "nq-30c"), 1);
    assert_int_equal(count_of(cov, "nd-63-2010"), 1);
    assert_int_equal(count_of(cov, "area-tthc"), 1);
    assert_false(uncovered(cov, "nq-30c"));
    assert_true(uncovered(cov, "qd-4115-ubnd"));
    json_decref(cov);
    /* the dashboard on 2017-04-01: every V.1 task (due 31/03) is overdue */
    json_t *ov = plan_view_overview(c, "ke-hoach-52-2017", day("2017-04-01"), &e);
    assert_non_null(ov);
    json_t *counts = json_object_get(ov, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "total")), 60);
    assert_true(json_integer_value(json_object_get(counts, "overdue")) >= 42);
    json_t *first = json_array_get(json_object_get(ov, "tasks"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "status")), "overdue");
    assert_int_equal(json_array_size(json_object_get(ov, "timeline")), 3); /* Feb, Mar, Apr */
    json_decref(ov);
    /* an agency and the consolidated report */
    json_t *ag = plan_view_agency(c, "ke-hoach-52-2017", "dai-ptth", day("2017-05-01"), &e);
    assert_non_null(ag);
    assert_int_equal(json_array_size(json_object_get(ag, "tasks")), 3);
    json_decref(ag);
    assert_null(plan_view_agency(c, "ke-hoach-52-2017", "khong-co", day("2017-05-01"), &e));
    assert_int_equal(e.status, 404);
    json_t *sum = plan_view_summary(c, "ke-hoach-52-2017", "2017-Q1", day("2026-01-01"), &e);
    assert_non_null(sum);
    assert_string_equal(json_string_value(json_object_get(json_object_get(sum, "period"), "label")),
                        "Quý I năm 2017");
    assert_string_equal(json_string_value(json_object_get(sum, "as_of")), "2017-03-31");
    /* the agencies with tasks: 21 departments, 21 districts, 3 media */
    assert_int_equal(json_array_size(json_object_get(sum, "agencies")), 45);
    json_decref(sum);
    assert_null(plan_view_summary(c, "ke-hoach-52-2017", "2017-Q9", day("2026-01-01"), &e));
    assert_int_equal(e.status, 400);
    plan_free(p);
    db_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_plan_header),
        cmocka_unit_test(test_shipped_plan_tasks),
        cmocka_unit_test(test_shipped_plan_agencies),
        cmocka_unit_test(test_shipped_plan_content),
        cmocka_unit_test(test_expansion),
        cmocka_unit_test(test_validation_names_the_field),
        cmocka_unit_test(test_status_once),
        cmocka_unit_test(test_status_monthly),
        cmocka_unit_test(test_status_quarterly_and_yearly),
        cmocka_unit_test(test_calendar_and_periods),
        cmocka_unit_test(test_coverage_matcher),
        cmocka_unit_test(test_store_and_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
