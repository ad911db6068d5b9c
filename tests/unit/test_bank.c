/* Unit tests for the native bank parser (bank/bank.c), its diagnostics list
 * (bank/report.c), the JSON position index (util/jsonpos.c) and the UTF-8 helpers
 * (util/text.c). */
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
#include "util/jsonpos.h"
#include "util/text.h"

/* ---- fixtures ----------------------------------------------------------------------
 * Every bank below starts with these 8 lines, so the first question is on line 9. */
#define HEADER                                                                           \
    "{\n"                                                                                \
    "  \"format\": \"cchc-bank/1\",\n"                                                   \
    "  \"id\": \"test-bank\",\n"                                                         \
    "  \"title\": \"Ngân hàng thử\",\n"                                                  \
    "  \"version\": 1,\n"                                                                \
    "  \"categories\": [{\"id\": \"the-che\", \"title\": \"Cải cách thể chế\"},\n"       \
    "                 {\"id\": \"tthc\", \"title\": \"Thủ tục hành chính\"}],\n"         \
    "  \"questions\": [\n"
#define FOOTER "\n  ]\n}\n"

/* A complete question, six lines. Columns on its lines (in characters):
 *   line +0: '{' 5, "id" value 12, "category" value 30, "difficulty" value 55,
 *            "track" value 72
 *   line +1: "text" key 6, value 14
 *   line +2: "options" value 17, options[0] 18, [1] 25, [2] 32, [3] 38
 *   line +3: "correct" value 17 */
#define QUESTION(id, text)                                                               \
    "    {\"id\": \"" id "\", \"category\": \"the-che\", \"difficulty\": \"easy\", "     \
    "\"track\": \"both\",\n"                                                             \
    "     \"text\": \"" text "\",\n"                                                     \
    "     \"options\": [\"Một\", \"Hai\", \"Ba\", \"Bốn\"],\n"                           \
    "     \"correct\": 1,\n"                                                             \
    "     \"explanation\": \"Giải thích.\",\n"                                           \
    "     \"source\": {\"document\": \"Nghị quyết 30c/NQ-CP\", \"article\": \"Điều 1\"}}"

static bank_report *rep;

static int setup(void **state)
{
    (void)state;
    rep = bank_report_new();
    return rep == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    bank_report_free(rep);
    rep = NULL;
    return 0;
}

static bank *parse(const char *json)
{
    return bank_parse_json(json, strlen(json), "bank.json", rep);
}

static void dump_report(void)
{
    fprintf(stderr, "--- report ---\n");
    bank_report_print(rep, stderr);
}

/* Asserts that the report holds an entry with this severity, position and message. */
static void expect(bank_severity sev, int line, int col, const char *msg)
{
    size_t i;

    for (i = 0; i < bank_report_count(rep); i++) {
        const bank_report_entry *e = bank_report_get(rep, i);

        if (strcmp(e->message, msg) == 0 && e->severity == sev && e->line == line &&
            e->col == col)
            return;
    }
    dump_report();
    fail_msg("expected %d:%d: %s: %s", line, col, bank_severity_name(sev), msg);
}

static void expect_error(int line, int col, const char *msg)
{
    expect(BANK_SEV_ERROR, line, col, msg);
}

/* Parses a bank that must fail with exactly one error, at line:col with msg. */
static void expect_only_error(const char *json, int line, int col, const char *msg)
{
    bank *b = parse(json);

    assert_null(b);
    if (bank_report_errors(rep) != 1)
        dump_report();
    assert_int_equal(bank_report_errors(rep), 1);
    expect_error(line, col, msg);
}

/* ---- valid banks -------------------------------------------------------------------- */

static void test_valid_bank(void **state)
{
    static const char json[] =
        HEADER QUESTION("q1", "Câu hỏi một?") ",\n"
        /* line 15: a multi-select question in another category, with tags and a URL */
        "    {\"id\": \"q2\", \"category\": \"tthc\", \"difficulty\": \"hard\", "
        "\"track\": \"cbccvc\",\n"
        "     \"text\": \"Những phương án nào đúng?\",\n"
        "     \"options\": [\"A\", \"B\", \"C\"],\n"
        "     \"correct\": [0, 2],\n"
        "     \"explanation\": \"Vì vậy.\",\n"
        "     \"source\": {\"document\": \"Luật\", \"url\": \"https://example.org/a\"},\n"
        "     \"tags\": [\"30c\", \"tthc\"]},\n"
        /* line 22: text given decomposed (e + combining dot below + circumflex) */
        "    {\"id\": \"q3\", \"category\": \"the-che\", \"difficulty\": \"medium\", "
        "\"track\": \"citizen\",\n"
        "     \"text\": \"Vie\xCC\xA3\xCC\x82t Nam\",\n"
        "     \"options\": [\"Ha\xCC\x80 N\xC3\xB4\xCC\xA3i\", \"Hu\xE1\xBA\xBF\"],\n"
        "     \"correct\": 0,\n"
        "     \"explanation\": \"\\u0110\\u00FAng.\",\n"
        "     \"source\": {\"document\": \"Hiến pháp\"}}" FOOTER;
    bank *b;
    const bank_question *q;

    (void)state;
    b = parse(json);
    if (b == NULL)
        dump_report();
    assert_non_null(b);
    assert_int_equal(bank_report_errors(rep), 0);
    assert_int_equal(bank_report_warnings(rep), 0);

    assert_string_equal(b->id, "test-bank");
    assert_string_equal(b->title, "Ngân hàng thử");
    assert_int_equal(b->version, 1);
    assert_int_equal(b->ncategories, 2);
    assert_string_equal(b->categories[0].id, "the-che");
    assert_string_equal(b->categories[1].title, "Thủ tục hành chính");
    assert_int_equal(b->nquestions, 3);

    q = &b->questions[0];
    assert_string_equal(q->id, "q1");
    assert_string_equal(q->category, "the-che");
    assert_int_equal(q->difficulty, BANK_EASY);
    assert_int_equal(q->track, BANK_TRACK_BOTH);
    assert_string_equal(q->text, "Câu hỏi một?");
    assert_int_equal(q->noptions, 4);
    assert_string_equal(q->options[3], "Bốn");
    assert_null(q->options[4]);
    assert_int_equal(q->correct_mask, 1u << 1);
    assert_int_equal(q->multi, 0);
    assert_string_equal(q->explanation, "Giải thích.");
    assert_string_equal(q->source_document, "Nghị quyết 30c/NQ-CP");
    assert_string_equal(q->source_article, "Điều 1");
    assert_null(q->source_url);
    assert_null(q->tags_json);
    assert_int_equal(q->line, 9);

    q = &b->questions[1];
    assert_int_equal(q->difficulty, BANK_HARD);
    assert_int_equal(q->track, BANK_TRACK_CBCCVC);
    assert_int_equal(q->noptions, 3);
    assert_int_equal(q->multi, 1);
    assert_int_equal(q->correct_mask, (1u << 0) | (1u << 2));
    assert_string_equal(q->source_url, "https://example.org/a");
    assert_null(q->source_article);
    assert_string_equal(q->tags_json, "[\"30c\",\"tthc\"]");
    assert_int_equal(q->line, 15);

    q = &b->questions[2];
    assert_int_equal(q->difficulty, BANK_MEDIUM);
    assert_int_equal(q->track, BANK_TRACK_CITIZEN);
    assert_string_equal(q->text, "Vi\xE1\xBB\x87t Nam"); /* U+1EC7, NFC */
    assert_string_equal(q->options[0], "H\xC3\xA0 N\xE1\xBB\x99i"); /* Hà Nội */
    assert_string_equal(q->options[1], "Hu\xE1\xBA\xBF");
    assert_string_equal(q->explanation, "Đúng.");
    assert_int_equal(q->correct_mask, 1u);
    assert_int_equal(q->line, 22);

    bank_free(b);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(bank_difficulty_name(BANK_EASY), "easy");
    assert_string_equal(bank_difficulty_name(BANK_HARD), "hard");
    assert_string_equal(bank_difficulty_name((bank_difficulty)9), "?");
    assert_string_equal(bank_track_name(BANK_TRACK_CBCCVC), "cbccvc");
    assert_string_equal(bank_track_name(BANK_TRACK_BOTH), "both");
    assert_int_equal(bank_difficulty_from_name("medium"), BANK_MEDIUM);
    assert_int_equal(bank_difficulty_from_name("Medium"), -1);
    assert_int_equal(bank_track_from_name("citizen"), BANK_TRACK_CITIZEN);
    assert_int_equal(bank_track_from_name(""), -1);
}

/* ---- syntax and encoding -------------------------------------------------------------- */

static void test_json_syntax_error(void **state)
{
    (void)state;
    /* jansson's own line and column (the unexpected token) */
    expect_only_error("{\n  \"format\": \"cchc-bank/1\",\n  \"id\": ]\n}\n", 3, 9,
                      "JSON không hợp lệ: unexpected token near ']'");
}

static void test_json_syntax_error_columns_in_characters(void **state)
{
    (void)state;
    /* "é" is two bytes but one column, for jansson as for jsonpos */
    expect_only_error("{\"title\": \"é\" x}", 1, 15, "JSON không hợp lệ: '}' expected near 'x'");
}

static void test_duplicate_key_is_a_syntax_error(void **state)
{
    (void)state;
    expect_only_error("{\"id\": \"a\",\n \"id\": \"b\"}", 2, 5,
                      "JSON không hợp lệ: duplicate object key near '\"id\"'");
}

static void test_empty_file(void **state)
{
    bank *b;

    (void)state;
    b = parse("");
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 1);
}

static void test_not_an_object(void **state)
{
    (void)state;
    expect_only_error("[1, 2]", 1, 1, "ngân hàng câu hỏi phải là một object JSON, không phải mảng");
}

static void test_invalid_utf8(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"C\xC3\x28u h\xE1\xBB\x8Fi\",\n" /* bad 2-byte sequence */
        "     \"options\": [\"M\xE1\xBB\x99t\", \"Hai\xFF\"],\n"  /* 0xFF never valid */
        "     \"correct\": 1}" FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 2);
    expect_error(10, 16, "không phải UTF-8 hợp lệ (byte 0xC3); hãy lưu tệp dạng UTF-8");
    expect_error(11, 29, "không phải UTF-8 hợp lệ (byte 0xFF); hãy lưu tệp dạng UTF-8");
}

static void test_overlong_and_surrogate_utf8(void **state)
{
    bank *b;

    (void)state;
    b = parse("{\"a\": \"\xC0\xAF\", \"b\": \"\xED\xA0\x80\"}");
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 2);
    expect_error(1, 8, "không phải UTF-8 hợp lệ (byte 0xC0); hãy lưu tệp dạng UTF-8");
    expect_error(1, 18, "không phải UTF-8 hợp lệ (byte 0xED); hãy lưu tệp dạng UTF-8");
}

static void test_bom_accepted(void **state)
{
    static const char good[] = "\xEF\xBB\xBF" HEADER QUESTION("q1", "Câu hỏi?") FOOTER;
    bank *b;

    (void)state;
    b = parse(good);
    assert_non_null(b);
    assert_int_equal(b->nquestions, 1);
    assert_int_equal(b->questions[0].line, 9);
    bank_free(b);

    /* positions on line 1 do not count the BOM */
    b = parse("\xEF\xBB\xBF{\"format\": 2}");
    assert_null(b);
    expect_error(1, 12, "format: phải là chuỗi, không phải số nguyên");
}

static char *to_crlf(const char *s)
{
    char *out = malloc(strlen(s) * 2 + 1);
    size_t o = 0;

    assert_non_null(out);
    for (; *s != '\0'; s++) {
        if (*s == '\n')
            out[o++] = '\r';
        out[o++] = *s;
    }
    out[o] = '\0';
    return out;
}

static void test_crlf_line_numbers(void **state)
{
    static const char json[] =
        HEADER QUESTION("q1", "Câu hỏi một?") ",\n"
        "    {\"id\": \"q2\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi hai?\",\n"
        "     \"options\": [\"Một\", \"Hai\", \"Ba\", \"Bốn\"],\n"
        "     \"correct\": 4,\n"
        "     \"explanation\": \"Giải thích.\",\n"
        "     \"source\": {\"document\": \"Nghị quyết 30c/NQ-CP\", \"article\": \"Điều 1\"}}"
        FOOTER;
    char *crlf = to_crlf(json);
    bank *b;

    (void)state;
    b = parse(crlf);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 1);
    expect_error(18, 17, "questions[1].correct: chỉ số 4 vượt quá số lựa chọn (có 4 lựa chọn)");
    free(crlf);

    /* a syntax error in a CRLF file: jansson counts lines the same way */
    crlf = to_crlf("{\n  \"format\": \"cchc-bank/1\",\n  \"id\": ]\n}\n");
    b = parse(crlf);
    assert_null(b);
    expect_error(3, 9, "JSON không hợp lệ: unexpected token near ']'");
    free(crlf);
}

/* ---- field rules ------------------------------------------------------------------- */

static void test_missing_field(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"options\": [\"Một\", \"Hai\"], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;

    (void)state;
    expect_only_error(json, 9, 5, "questions[0]: thiếu trường \"text\"");
}

static void test_missing_top_level_field(void **state)
{
    (void)state;
    expect_only_error("{\"format\": \"cchc-bank/1\", \"id\": \"b\", \"title\": \"T\",\n"
                      " \"categories\": [{\"id\": \"c\", \"title\": \"C\"}],\n"
                      " \"questions\": [{\"id\": \"q\", \"category\": \"c\", "
                      "\"difficulty\": \"easy\", \"track\": \"both\", \"text\": \"?\", "
                      "\"options\": [\"a\", \"b\"], \"correct\": 0, \"explanation\": \"e\", "
                      "\"source\": {\"document\": \"d\"}}]}",
                      1, 1, "thiếu trường \"version\"");
}

static void test_wrong_type(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": 42,\n"
        "     \"options\": [\"Một\", \"Hai\"], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;

    (void)state;
    expect_only_error(json, 10, 14, "questions[0].text: phải là chuỗi, không phải số nguyên");
}

static void test_wrong_type_option(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"Một\", null], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;

    (void)state;
    expect_only_error(json, 11, 25, "questions[0].options[1]: phải là chuỗi, không phải null");
}

static void test_unknown_key(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\", \"colour\": \"red\",\n"
        "     \"options\": [\"Một\", \"Hai\"], \"correct\": 0,\n"
        "     \"explaination\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    /* 2 unknown keys; "explanation" then counts as missing (a warning) */
    assert_int_equal(bank_report_errors(rep), 2);
    expect_error(10, 26, "questions[0]: trường \"colour\" không xác định");
    expect_error(12, 6,
                 "questions[0]: trường \"explaination\" không xác định (có phải \"explanation\"?)");
    expect(BANK_SEV_WARNING, 9, 5, "questions[0]: chưa có giải thích");
}

static void test_unknown_top_level_key(void **state)
{
    static const char json[] = HEADER QUESTION("q1", "Câu?") "\n  ],\n  \"titel\": 1\n}\n";

    (void)state;
    expect_only_error(json, 16, 3, "trường \"titel\" không xác định (có phải \"title\"?)");
}

static void test_bad_difficulty_and_track(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"Easy\", "
        "\"track\": \"all\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"Một\", \"Hai\"], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 2);
    expect_error(9, 55,
                 "questions[0].difficulty: độ khó \"Easy\" không hợp lệ (phải là easy, medium "
                 "hoặc hard)");
    expect_error(9, 72,
                 "questions[0].track: đối tượng \"all\" không hợp lệ (phải là cbccvc, citizen hoặc "
                 "both)");
}

static void test_option_count(void **state)
{
    static const char one[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"Một\"], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;
    static const char seven[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\"], \"correct\": 6,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;
    static const char six[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\"], \"correct\": 5,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;
    bank *b;

    (void)state;
    expect_only_error(one, 11, 17, "questions[0].options: 1 lựa chọn (mỗi câu hỏi có từ 2 đến 6 lựa chọn)");
    bank_report_free(rep);
    rep = bank_report_new();
    b = parse(seven);
    assert_null(b);
    expect_error(11, 17, "questions[0].options: 7 lựa chọn (mỗi câu hỏi có từ 2 đến 6 lựa chọn)");

    bank_report_free(rep);
    rep = bank_report_new();
    b = parse(six);
    assert_non_null(b);
    assert_int_equal(b->questions[0].noptions, 6);
    assert_int_equal(b->questions[0].correct_mask, 1u << 5);
    bank_free(b);
}

static void test_duplicate_option(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"Hà Nội\", \"Huế\", \" hà  NỘI \"], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;

    (void)state;
    /* equal after case folding and white space collapsing */
    expect_only_error(json, 11, 35, "questions[0].options[2]: trùng với options[0]");
}

static void test_empty_option(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"Một\", \"  \"], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;

    (void)state;
    expect_only_error(json, 11, 25, "questions[0].options[1]: không được để trống");
}

static void test_correct_out_of_range(void **state)
{
    static const char json[] = HEADER QUESTION("q1", "Câu một?") ",\n"
        QUESTION("q2", "Câu hai?") ",\n" QUESTION("q3", "Câu ba?") ",\n"
        "    {\"id\": \"q4\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu bốn?\",\n"
        "     \"options\": [\"Một\", \"Hai\", \"Ba\", \"Bốn\"],\n"
        "     \"correct\":  4,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;

    (void)state;
    expect_only_error(json, 30, 18, "questions[3].correct: chỉ số 4 vượt quá số lựa chọn (có 4 lựa chọn)");
}

static void test_correct_array_problems(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu một?\", \"options\": [\"A\", \"B\", \"C\"],\n"
        "     \"correct\": [2, -1, 2, \"0\"],\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}},\n"
        "    {\"id\": \"q2\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hai?\", \"options\": [\"A\", \"B\", \"C\"],\n"
        "     \"correct\": [],\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}},\n"
        "    {\"id\": \"q3\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu ba?\", \"options\": [\"A\", \"B\", \"C\"],\n"
        "     \"correct\": true,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 5);
    expect_error(11, 21, "questions[0].correct[1]: chỉ số -1 vượt quá số lựa chọn (có 3 lựa chọn)");
    expect_error(11, 25, "questions[0].correct[2]: chỉ số 2 bị lặp lại");
    expect_error(11, 28,
                 "questions[0].correct[3]: phải là chỉ số của một lựa chọn (số nguyên), không "
                 "phải chuỗi");
    expect_error(15, 17, "questions[1].correct: phải có ít nhất một đáp án đúng");
    expect_error(19, 17,
                 "questions[2].correct: phải là chỉ số của một lựa chọn hoặc mảng các chỉ số, "
                 "không phải true");
}

static void test_duplicate_question_id(void **state)
{
    static const char json[] = HEADER QUESTION("q1", "Câu một?") ",\n"
        QUESTION("q1", "Câu hai?") FOOTER;

    (void)state;
    expect_only_error(json, 15, 12,
                      "questions[1].id: mã câu hỏi \"q1\" bị trùng (đã dùng ở "
                      "questions[0], dòng 9)");
}

static void test_bad_ids(void **state)
{
    static const char json[] =
        "{\"format\": \"cchc-bank/1\", \"id\": \"Bank One\", \"title\": \"T\", \"version\": 1,\n"
        " \"categories\": [{\"id\": \"c\", \"title\": \"C\"}, {\"id\": \"c\", \"title\": \"D\"}],\n"
        " \"questions\": [{\"id\": \"q\", \"category\": \"c\", \"difficulty\": \"easy\", "
        "\"track\": \"both\", \"text\": \"?\", \"options\": [\"a\", \"b\"], \"correct\": 0, "
        "\"explanation\": \"e\", \"source\": {\"document\": \"d\"}}]}";
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 2);
    expect_error(1, 33,
                 "id: mã \"Bank One\" không hợp lệ (từ 1 đến 64 ký tự a-z, 0-9, '-', '_', "
                 "'.')");
    expect_error(2, 51, "categories[1].id: mã nhóm \"c\" bị trùng (đã dùng ở dòng 2)");
}

static void test_unknown_category(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-chee\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"Một\", \"Hai\"], \"correct\": 0,\n"
        "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}" FOOTER;

    (void)state;
    expect_only_error(json, 9, 30,
                      "questions[0].category: nhóm \"the-chee\" không có trong "
                      "\"categories\"");
}

static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    size_t i;

    assert_non_null(s);
    for (i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

static void test_text_too_long(void **state)
{
    char *longest = repeat("ệ", 2000); /* 2000 characters, 6000 bytes: fine */
    char *too_long = repeat("ệ", 2001);
    char *long_option = repeat("a", 501);
    char *json = NULL;
    bank *b;

    (void)state;
    assert_true(asprintf(&json, HEADER QUESTION("q1", "%s") ",\n" QUESTION("q2", "%s") FOOTER,
                         longest, too_long) > 0);
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 1);
    expect_error(16, 14, "questions[1].text: quá dài (2001 ký tự, tối đa 2000)");
    free(json);

    bank_report_free(rep);
    rep = bank_report_new();
    assert_true(asprintf(&json,
                         HEADER "    {\"id\": \"q1\", \"category\": \"the-che\", "
                                "\"difficulty\": \"easy\", \"track\": \"both\",\n"
                                "     \"text\": \"?\",\n"
                                "     \"options\": [\"x\", \"%s\"], \"correct\": 0,\n"
                                "     \"explanation\": \"x\", \"source\": {\"document\": \"y\"}}"
                                FOOTER,
                         long_option) > 0);
    b = parse(json);
    assert_null(b);
    expect_error(11, 23, "questions[0].options[1]: quá dài (501 ký tự, tối đa 500)");
    free(json);
    free(longest);
    free(too_long);
    free(long_option);
}

static void test_questions_limits(void **state)
{
    static const char none[] =
        "{\"format\": \"cchc-bank/1\", \"id\": \"b\", \"title\": \"T\", \"version\": 1,\n"
        " \"categories\": [{\"id\": \"c\", \"title\": \"C\"}],\n"
        " \"questions\": []}";
    char *many = repeat("{},", 20001);
    char *json = NULL;
    bank *b;

    (void)state;
    expect_only_error(none, 3, 15, "questions: phải có ít nhất một câu hỏi");

    bank_report_free(rep);
    rep = bank_report_new();
    many[strlen(many) - 1] = '\0'; /* drop the last comma */
    assert_true(asprintf(&json,
                         "{\"format\": \"cchc-bank/1\", \"id\": \"b\", \"title\": \"T\", "
                         "\"version\": 1,\n \"categories\": [{\"id\": \"c\", \"title\": "
                         "\"C\"}],\n \"questions\": [%s]}",
                         many) > 0);
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 1);
    expect_error(3, 15, "questions: 20001 câu hỏi (mỗi ngân hàng tối đa 20000 câu)");
    free(json);
    free(many);
}

static void test_version_and_format(void **state)
{
    static const char json[] =
        "{\"format\": \"cchc-bank/2\", \"id\": \"b\", \"title\": \"T\", \"version\": 1.5,\n"
        " \"categories\": [{\"id\": \"c\", \"title\": \"C\"}],\n"
        " \"questions\": [{\"id\": \"q\", \"category\": \"c\", \"difficulty\": \"easy\", "
        "\"track\": \"both\", \"text\": \"?\", \"options\": [\"a\", \"b\"], \"correct\": 0, "
        "\"explanation\": \"e\", \"source\": {\"document\": \"d\"}}]}";
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 2);
    expect_error(1, 12, "format: định dạng \"cchc-bank/2\" không được hỗ trợ (cần \"cchc-bank/1\")");
    expect_error(1, 63, "version: phải là số nguyên, không phải số thập phân");
}

static void test_source_rules(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\", \"options\": [\"Một\", \"Hai\"], \"correct\": 0,\n"
        "     \"explanation\": \"x\",\n"
        "     \"source\": {\"article\": \"Điều 2\", \"url\": \"ftp://x\"}}" FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 1);
    expect_error(12, 45, "questions[0].source.url: không phải địa chỉ http:// hoặc https://");
    expect(BANK_SEV_WARNING, 12, 16, "questions[0].source: chưa ghi tên văn bản nguồn (document)");
}

/* ---- warnings ----------------------------------------------------------------------- */

static void test_warnings_do_not_fail(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"q1\", \"category\": \"the-che\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"Câu hỏi?\",\n"
        "     \"options\": [\"Một\", \"Hai\"], \"correct\": 0}" FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_non_null(b);
    assert_int_equal(bank_report_errors(rep), 0);
    assert_int_equal(bank_report_warnings(rep), 2);
    expect(BANK_SEV_WARNING, 9, 5, "questions[0]: chưa có giải thích");
    expect(BANK_SEV_WARNING, 9, 5, "questions[0]: chưa có nguồn");
    assert_null(b->questions[0].explanation);
    assert_null(b->questions[0].source_document);
    bank_free(b);
}

static void test_duplicate_text_warning(void **state)
{
    static const char json[] = HEADER QUESTION("q1", "Thủ tục hành chính là gì?") ",\n"
        QUESTION("q2", "Câu khác?") ",\n" QUESTION("q3", "  thủ tục HÀNH chính   là gì?") FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_non_null(b);
    assert_int_equal(bank_report_warnings(rep), 1);
    expect(BANK_SEV_WARNING, 22, 14, "questions[2].text: trùng nội dung với questions[0] (dòng 10)");
    bank_free(b);
}

/* Text in a legacy encoding is an error: it is never imported as mojibake. */
static void test_legacy_encoding_warning(void **state)
{
    static const char json[] = HEADER QUESTION("q1", "Céng hoµ x· héi chñ nghÜa ViÖt Nam?")
        FOOTER;
    bank *b;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 1);
    expect(BANK_SEV_ERROR, 10, 14,
           "questions[0].text: văn bản có vẻ dùng bảng mã cũ TCVN3/VNI, hãy chuyển sang "
           "Unicode (UTF-8)");
}

static void test_all_problems_reported_in_order(void **state)
{
    static const char json[] =
        HEADER
        "    {\"id\": \"Q1\", \"category\": \"nope\", \"difficulty\": \"easy\", "
        "\"track\": \"both\",\n"
        "     \"text\": \"\", \"options\": [\"A\", \"a\"], \"correct\": 9}" FOOTER;
    bank *b;
    size_t i;

    (void)state;
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 5);
    assert_int_equal(bank_report_warnings(rep), 2);
    /* sorted by position */
    for (i = 1; i < bank_report_count(rep); i++) {
        const bank_report_entry *p = bank_report_get(rep, i - 1);
        const bank_report_entry *e = bank_report_get(rep, i);

        assert_true(p->line < e->line || (p->line == e->line && p->col <= e->col));
    }
}

static void test_reports_accumulate_over_files(void **state)
{
    static const char good[] = HEADER QUESTION("q1", "Câu?") FOOTER;
    bank *b;

    (void)state;
    b = bank_parse_json("{", 1, "a.json", rep);
    assert_null(b);
    /* an earlier file's errors do not make this one fail */
    b = bank_parse_json(good, strlen(good), "b.json", rep);
    assert_non_null(b);
    bank_free(b);
    assert_string_equal(bank_report_get(rep, 0)->file, "a.json");
}

/* ---- report ------------------------------------------------------------------------- */

static void test_report_print_and_json(void **state)
{
    char *out = NULL;
    size_t outlen = 0;
    FILE *f;
    json_t *arr;
    json_t *o;

    (void)state;
    assert_int_equal(bank_report_set_file(rep, "bank.json"), 0);
    bank_report_add(rep, 57, 18, BANK_SEV_ERROR, "questions[%d].correct: chỉ số %d vượt quá "
                    "số lựa chọn (có %d lựa chọn)", 3, 4, 4);
    bank_report_add(rep, 3, 0, BANK_SEV_WARNING, "không có cột");
    bank_report_set_file(rep, NULL);
    bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "nowhere");
    assert_int_equal(bank_report_errors(rep), 2);
    assert_int_equal(bank_report_warnings(rep), 1);
    assert_int_equal(bank_report_count(rep), 3);
    assert_null(bank_report_get(rep, 3));

    f = open_memstream(&out, &outlen);
    assert_non_null(f);
    bank_report_print(rep, f);
    fclose(f);
    assert_string_equal(out,
                        "bank.json:57:18: error: questions[3].correct: chỉ số 4 vượt quá số lựa "
                        "chọn (có 4 lựa chọn)\n"
                        "bank.json:3: warning: không có cột\n"
                        "error: nowhere\n");
    free(out);

    arr = bank_report_to_json(rep);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 3);
    o = json_array_get(arr, 0);
    assert_int_equal(json_integer_value(json_object_get(o, "line")), 57);
    assert_int_equal(json_integer_value(json_object_get(o, "col")), 18);
    assert_string_equal(json_string_value(json_object_get(o, "severity")), "error");
    assert_string_equal(json_string_value(json_object_get(o, "message")),
                        "questions[3].correct: chỉ số 4 vượt quá số lựa chọn (có 4 lựa chọn)");
    assert_int_equal(json_object_size(o), 4);
    o = json_array_get(arr, 1);
    assert_string_equal(json_string_value(json_object_get(o, "severity")), "warning");
    json_decref(arr);
}

static void test_report_messages_are_valid_utf8(void **state)
{
    static const char json[] = "{\"a\": \"b\\u00\xCF\x94\"}"; /* bad escape */
    json_t *arr;
    bank *b;

    (void)state;
    bank_report_add(rep, 1, 1, BANK_SEV_ERROR, "x \xC3 y\n");
    assert_string_equal(bank_report_get(rep, 0)->message, "x ? y?");
    /* jansson's "near" text can cut a character in two */
    b = parse(json);
    assert_null(b);
    assert_int_equal(bank_report_errors(rep), 2);
    arr = bank_report_to_json(rep);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 2);
    json_decref(arr);
    /* Vietnamese is kept whole */
    bank_report_add(rep, 1, 2, BANK_SEV_ERROR, "thiếu dòng %s", "ANSWER:");
    assert_string_equal(bank_report_get(rep, 2)->message, "thiếu dòng ANSWER:");
    /* a cut never falls inside a character ("ế" is 3 bytes, at 3..5) */
    assert_int_equal(bank_utf8_prefix("thiếu", 4), 3);
    assert_int_equal(bank_utf8_prefix("thiếu", 5), 3);
    assert_int_equal(bank_utf8_prefix("thiếu", 6), 6);
    assert_int_equal(bank_utf8_prefix("thiếu", 100), 7);
    assert_int_equal(bank_utf8_prefix("abc", 2), 2);
}

static void test_report_cap(void **state)
{
    int i;
    char *out = NULL;
    size_t outlen = 0;
    FILE *f;

    (void)state;
    for (i = 0; i < BANK_REPORT_MAX_ENTRIES + 5; i++)
        bank_report_add(rep, i + 1, 1, BANK_SEV_ERROR, "e%d", i);
    assert_int_equal(bank_report_count(rep), BANK_REPORT_MAX_ENTRIES);
    assert_int_equal(bank_report_errors(rep), BANK_REPORT_MAX_ENTRIES + 5);
    f = open_memstream(&out, &outlen);
    assert_non_null(f);
    bank_report_print(rep, f);
    fclose(f);
    assert_non_null(strstr(out, "(5 more diagnostics not shown)\n"));
    free(out);
}

/* ---- jsonpos ------------------------------------------------------------------------ */

static void test_jsonpos_paths(void **state)
{
    static const char json[] = "{\n"
                               "  \"a\": [1, {\"b\": \"x\"}],\n"
                               "  \"é\\u00e9\": {\"k.y\": 1, \"z\": [[], [true]]},\n"
                               "\t\"t\": null, \"t\": 2\n"
                               "}";
    jsonpos_index *ix = jsonpos_build(json, strlen(json));
    int line = 0;
    int col = 0;

    (void)state;
    assert_non_null(ix);
    assert_int_equal(jsonpos_count(ix), 13);
    assert_int_equal(jsonpos_lookup(ix, "", &line, &col), 0);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    assert_int_equal(jsonpos_lookup(ix, "a", &line, &col), 0);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);
    assert_int_equal(jsonpos_lookup_key(ix, "a", &line, &col), 0);
    assert_int_equal(col, 3);
    assert_int_equal(jsonpos_lookup(ix, "a[1].b", &line, &col), 0);
    assert_int_equal(col, 18);
    assert_int_equal(jsonpos_lookup_key(ix, "a[1]", &line, &col), 0);
    assert_int_equal(col, 12); /* array element: the value itself */
    /* key with escapes, columns in characters */
    assert_int_equal(jsonpos_lookup(ix, "éé.z[1][0]", &line, &col), 0);
    assert_int_equal(line, 3);
    assert_int_equal(col, 36);
    assert_int_equal(jsonpos_lookup(ix, "éé.z[0]", &line, &col), 0);
    assert_int_equal(col, 31);
    /* duplicate key: the first one */
    assert_int_equal(jsonpos_lookup(ix, "t", &line, &col), 0);
    assert_int_equal(line, 4);
    assert_int_equal(col, 7);
    /* not there / malformed */
    assert_int_equal(jsonpos_lookup(ix, "a[2]", &line, &col), -1);
    assert_int_equal(jsonpos_lookup(ix, "a.b", &line, &col), -1);
    assert_int_equal(jsonpos_lookup(ix, "a[", &line, &col), -1);
    assert_int_equal(jsonpos_lookup(ix, "a[1]b", &line, &col), -1);
    assert_int_equal(jsonpos_lookup(ix, "a[99999999999999]", &line, &col), -1);
    assert_int_equal(jsonpos_lookup(ix, "k.y", &line, &col), -1);
    assert_int_equal(jsonpos_lookup(NULL, "", &line, &col), -1);
    jsonpos_free(ix);

    /* empty keys only */
    ix = jsonpos_build("{\"\": {\"\": 1}}", 13);
    assert_non_null(ix);
    assert_int_equal(jsonpos_count(ix), 3);
    jsonpos_free(ix);

    /* escapes in keys: surrogate pair, \n, \", lone surrogate (U+FFFD) */
    ix = jsonpos_build("{\"\\ud834\\udd1e\": 1, \"a\\nb\\\"\": 2, \"\\udc00\": 3}", 45);
    assert_non_null(ix);
    assert_int_equal(jsonpos_lookup(ix, "\xF0\x9D\x84\x9E", &line, &col), 0);
    assert_int_equal(col, 18);
    assert_int_equal(jsonpos_lookup(ix, "a\nb\"", &line, &col), 0);
    assert_int_equal(col, 31);
    assert_int_equal(jsonpos_lookup(ix, "\xEF\xBF\xBD", &line, &col), 0);
    assert_int_equal(col, 44);
    jsonpos_free(ix);
}

static void test_jsonpos_root_array_and_scalars(void **state)
{
    jsonpos_index *ix = jsonpos_build("  [ 1 ,\r\n \"x\" ]  trailing", 25);
    int line = 0;
    int col = 0;

    (void)state;
    assert_non_null(ix);
    assert_int_equal(jsonpos_lookup(ix, "[1]", &line, &col), 0);
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    jsonpos_free(ix);

    ix = jsonpos_build("42", 2);
    assert_non_null(ix);
    assert_int_equal(jsonpos_count(ix), 1);
    jsonpos_free(ix);
}

static void test_jsonpos_malformed(void **state)
{
    static const char *const bad[] = {"", "   ", "{", "[1,", "{\"a\" 1}", "{\"a\": 1]",
                                      "[1}", "\"abc", "{\"a\":}", "{1: 2}", "]", ",",
                                      "{\"a\\", "[\"\\u12"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(jsonpos_build(bad[i], strlen(bad[i])));
}

static void test_jsonpos_deep_nesting(void **state)
{
    size_t depth = 200000;
    char *s = malloc(depth * 2);
    jsonpos_index *ix;

    (void)state;
    assert_non_null(s);
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    ix = jsonpos_build(s, depth * 2);
    assert_non_null(ix);
    assert_int_equal(jsonpos_count(ix), depth);
    jsonpos_free(ix);
    /* unbalanced */
    assert_null(jsonpos_build(s, depth * 2 - 1));
    free(s);
}

static void test_jsonpos_linecol(void **state)
{
    static const char s[] = "ab\r\nxé\ny";
    int line;
    int col;

    (void)state;
    jsonpos_linecol(s, strlen(s), 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    jsonpos_linecol(s, strlen(s), 7, &line, &col); /* after "xé" */
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    jsonpos_linecol(s, strlen(s), strlen(s), &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
}

/* ---- text --------------------------------------------------------------------------- */

static void test_text_nfc(void **state)
{
    static const char decomposed[] = "Vie\xCC\xA3\xCC\x82t"; /* e + U+0323 + U+0302 */
    const char *err = NULL;
    char *s;

    (void)state;
    s = text_nfc(decomposed, strlen(decomposed), &err);
    assert_non_null(s);
    assert_string_equal(s, "Vi\xE1\xBB\x87t");
    assert_int_equal(text_length_chars(s), 4);
    free(s);

    s = text_nfc("Việt Nam", strlen("Việt Nam"), &err); /* already NFC: quick path */
    assert_string_equal(s, "Việt Nam");
    free(s);

    s = text_nfc("abc", 2, &err); /* length is honoured */
    assert_string_equal(s, "ab");
    free(s);

    assert_null(text_nfc("a\xC3", 2, &err));
    assert_string_equal(err, "invalid UTF-8");
    assert_null(text_nfc("a\0b", 3, &err));
    assert_string_equal(err, "contains a NUL character");
}

static void test_text_utf8_validate(void **state)
{
    size_t bad = 99;

    (void)state;
    assert_int_equal(text_utf8_validate("Đúng ✓ 𝄞", strlen("Đúng ✓ 𝄞"), &bad), 0);
    assert_int_equal(text_utf8_validate("ab\xE1\xBB", 4, &bad), -1); /* truncated */
    assert_int_equal(bad, 2);
    assert_int_equal(text_utf8_validate("\xF4\x90\x80\x80", 4, &bad), -1); /* > U+10FFFF */
    assert_int_equal(bad, 0);
    assert_int_equal(text_utf8_validate("x\x80", 2, &bad), -1); /* stray continuation */
    assert_int_equal(bad, 1);
}

static void test_text_fold_key(void **state)
{
    char *k;

    (void)state;
    k = text_fold_key("  Hà   NỘI\t\n ");
    assert_string_equal(k, "hà nội");
    free(k);
    k = text_fold_key("HA\xCC\x80 NO\xCC\x82\xCC\xA3I"); /* decomposed, upper case */
    assert_string_equal(k, "hà nội");
    free(k);
    k = text_fold_key("Straße\xC2\xA0\xE2\x80\x83X"); /* ß folds to ss; NBSP, em space */
    assert_string_equal(k, "strasse x");
    free(k);
    k = text_fold_key("Má");
    assert_string_equal(k, "má"); /* accents are kept */
    free(k);
    k = text_fold_key("   ");
    assert_string_equal(k, "");
    free(k);
    assert_null(text_fold_key("\xFF"));
    assert_true(text_is_blank(" \t\xE2\x80\x83"));
    assert_false(text_is_blank(" x "));
}

static void test_text_legacy_vietnamese(void **state)
{
    (void)state;
    /* TCVN3 (ABC) and VNI bytes read as Windows-1252 */
    assert_true(text_looks_legacy_vietnamese("Céng hoµ x· héi chñ nghÜa ViÖt Nam"));
    assert_true(text_looks_legacy_vietnamese("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"));
    assert_false(text_looks_legacy_vietnamese("Cộng hòa xã hội chủ nghĩa Việt Nam"));
    assert_false(text_looks_legacy_vietnamese("Nghị quyết 30c/NQ-CP, 25°C ± 2"));
    assert_false(text_looks_legacy_vietnamese("plain ASCII"));
    assert_false(text_looks_legacy_vietnamese(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid_bank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_syntax_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_syntax_error_columns_in_characters, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_key_is_a_syntax_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_an_object, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlong_and_surrogate_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bom_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_line_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_top_level_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_type_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_top_level_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_difficulty_and_track, setup, teardown),
        cmocka_unit_test_setup_teardown(test_option_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correct_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correct_array_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_question_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_category, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_too_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_questions_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_and_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_warnings_do_not_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_text_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_encoding_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_problems_reported_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_accumulate_over_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_print_and_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_messages_are_valid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_cap, setup, teardown),
        cmocka_unit_test(test_jsonpos_paths),
        cmocka_unit_test(test_jsonpos_root_array_and_scalars),
        cmocka_unit_test(test_jsonpos_malformed),
        cmocka_unit_test(test_jsonpos_deep_nesting),
        cmocka_unit_test(test_jsonpos_linecol),
        cmocka_unit_test(test_text_nfc),
        cmocka_unit_test(test_text_utf8_validate),
        cmocka_unit_test(test_text_fold_key),
        cmocka_unit_test(test_text_legacy_vietnamese),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
