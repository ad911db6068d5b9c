/* Unit tests for the bank formats (bank/gift.c, aiken.c, csv.c, moodle_xml.c, formats.c,
 * build.c, xml.c, markup.c, summary.c): round trips through every format, each error
 * class at its line, CRLF and BOM files, skipped question types, legacy encodings and
 * invalid UTF-8, detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "bank/aiken.h"
#include "bank/bank.h"
#include "bank/build.h"
#include "bank/csv.h"
#include "bank/formats.h"
#include "bank/gift.h"
#include "bank/markup.h"
#include "bank/moodle_xml.h"
#include "bank/summary.h"
#include "bank/xml.h"
#include "quiz/regrade.h"

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

static void dump(void)
{
    fprintf(stderr, "--- report ---\n");
    bank_report_print(rep, stderr);
}

static bank *parse_as(bank_format f, const char *text, size_t len, const char *id)
{
    bank_import_opts o = {id, NULL, "test.txt"};
    return bank_parse_format(text, len, f, &o, rep, NULL);
}

static bank *parse_str(bank_format f, const char *text)
{
    return parse_as(f, text, strlen(text), NULL);
}

/* Asserts an entry with this severity at this line (col 0: any) containing msg. */
static void expect_at(bank_severity sev, int line, int col, const char *msg)
{
    for (size_t i = 0; i < bank_report_count(rep); i++) {
        const bank_report_entry *e = bank_report_get(rep, i);
        if (e->severity == sev && e->line == line && (col == 0 || e->col == col) &&
            strstr(e->message, msg) != NULL)
            return;
    }
    dump();
    fail_msg("expected %d:%d: %s: ...%s...", line, col, bank_severity_name(sev), msg);
}

static void expect_error(int line, const char *msg)
{
    expect_at(BANK_SEV_ERROR, line, 0, msg);
}

static void expect_warning(int line, const char *msg)
{
    expect_at(BANK_SEV_WARNING, line, 0, msg);
}

/* ---- comparing banks ---------------------------------------------------------------- */

static void assert_str_eq(const char *a, const char *b, const char *what, const char *qid)
{
    if (a == NULL && b == NULL)
        return;
    if (a == NULL || b == NULL || strcmp(a, b) != 0)
        fail_msg("%s of %s differs: \"%s\" vs \"%s\"", what, qid ? qid : "bank",
                 a ? a : "(null)", b ? b : "(null)");
}

static void assert_same_bank(const bank *a, const bank *b)
{
    assert_str_eq(a->id, b->id, "id", NULL);
    assert_str_eq(a->title, b->title, "title", NULL);
    assert_int_equal(a->ncategories, b->ncategories);
    for (int i = 0; i < a->ncategories; i++) {
        assert_str_eq(a->categories[i].id, b->categories[i].id, "category id", NULL);
        assert_str_eq(a->categories[i].title, b->categories[i].title, "category title", NULL);
    }
    assert_int_equal(a->nquestions, b->nquestions);
    for (int i = 0; i < a->nquestions; i++) {
        const bank_question *x = &a->questions[i];
        const bank_question *y = &b->questions[i];
        assert_str_eq(x->id, y->id, "id", x->id);
        assert_str_eq(x->category, y->category, "category", x->id);
        assert_str_eq(x->text, y->text, "text", x->id);
        assert_int_equal(x->noptions, y->noptions);
        for (int k = 0; k < x->noptions; k++)
            assert_str_eq(x->options[k], y->options[k], "option", x->id);
        assert_int_equal(x->correct_mask, y->correct_mask);
        assert_int_equal(x->multi, y->multi);
        assert_int_equal(x->difficulty, y->difficulty);
        assert_int_equal(x->track, y->track);
        assert_str_eq(x->explanation, y->explanation, "explanation", x->id);
        assert_str_eq(x->source_document, y->source_document, "document", x->id);
        assert_str_eq(x->source_article, y->source_article, "article", x->id);
        assert_str_eq(x->source_url, y->source_url, "url", x->id);
        assert_str_eq(x->tags_json, y->tags_json, "tags", x->id);
    }
}

/* A bank with what is hard for each format: escapes, quotes, separators, line breaks,
 * entities, multi-select questions with one and with three keys, six options, a
 * category used before the one listed first, an unused category, a '/' in a title. */
static const char TRICKY[] =
    "{\"format\": \"cchc-bank/1\", \"id\": \"kho-thu\", \"title\": \"Bộ câu hỏi: \\\"khó\\\" & <thử>\","
    " \"version\": 1,\n"
    " \"categories\": [{\"id\": \"tthc\", \"title\": \"Thủ tục / hành chính\"},\n"
    "   {\"id\": \"the-che\", \"title\": \"Thể chế; pháp luật, \\\"văn bản\\\"\"},\n"
    "   {\"id\": \"rong\", \"title\": \"Chưa dùng\"}],\n"
    " \"questions\": [\n"
    "  {\"id\": \"q-1\", \"category\": \"the-che\", \"difficulty\": \"easy\", \"track\": \"citizen\",\n"
    "   \"text\": \"Ký hiệu ~ = # { } : \\\\ trong GIFT; dấu , ; \\\" trong CSV & <XML>?\",\n"
    "   \"options\": [\"=bằng\", \"~ngã\", \"#thăng {ngoặc}\", \"a:b\"], \"correct\": 2,\n"
    "   \"explanation\": \"Dòng một.\\nDòng hai, có \\\"ngoặc\\\"; và \\\\ gạch.\",\n"
    "   \"source\": {\"document\": \"Nghị định 61/2018/NĐ-CP\", \"article\": \"Điều 3, khoản 1\","
    " \"url\": \"https://example.org/a?b=1&c=2\"},\n"
    "   \"tags\": [\"61\", \"một cửa\"]},\n"
    "  {\"id\": \"q-2\", \"category\": \"tthc\", \"difficulty\": \"hard\", \"track\": \"cbccvc\",\n"
    "   \"text\": \"Câu nhiều dòng:\\ndòng thứ hai\",\n"
    "   \"options\": [\"Một\", \"Hai\", \"Ba\", \"Bốn\", \"Năm\", \"Sáu\"], \"correct\": [0, 2, 5],\n"
    "   \"explanation\": \"Giải thích.\", \"source\": {\"document\": \"Luật\"}},\n"
    "  {\"id\": \"q.3_x\", \"category\": \"tthc\", \"difficulty\": \"medium\", \"track\": \"both\",\n"
    "   \"text\": \"Chỉ một đáp án nhưng là câu nhiều lựa chọn\",\n"
    "   \"options\": [\"Đúng\", \"Sai\"], \"correct\": [1]},\n"
    "  {\"id\": \"q-4\", \"category\": \"the-che\", \"difficulty\": \"medium\", \"track\": \"both\",\n"
    "   \"text\": \"Đúng hay sai?\", \"options\": [\"Đúng\", \"Sai\"], \"correct\": 0}\n"
    " ]}\n";

/* Aiken and CSV have no place for a category without questions, nor for the order of
 * the category list: they carry the categories in use, in the order of first use. */
static void only_used_categories(bank *b)
{
    int n = 0;
    for (int i = 0; i < b->nquestions; i++) {
        int k = 0;
        while (k < b->ncategories && strcmp(b->categories[k].id, b->questions[i].category))
            k++;
        if (k < n || k == b->ncategories)
            continue;
        bank_category t = b->categories[n];
        b->categories[n] = b->categories[k];
        b->categories[k] = t;
        n++;
    }
    for (int k = n; k < b->ncategories; k++) {
        free(b->categories[k].id);
        free(b->categories[k].title);
    }
    b->ncategories = n;
}

static void roundtrip(bank_format f)
{
    bank *a = parse_str(BANK_FMT_NATIVE, TRICKY);
    if (!a)
        dump();
    assert_non_null(a);
    if (f == BANK_FMT_AIKEN || f == BANK_FMT_CSV)
        only_used_categories(a);
    buf out;
    buf_init(&out, 0);
    assert_int_equal(bank_write_format(a, f, 0, &out, NULL), 0);
    bank_report *r2 = bank_report_new();
    bank_import_opts o = {a->id, a->title, "export"};
    bank *b = bank_parse_format(out.data, out.len, f, &o, r2, NULL);
    if (!b) {
        fprintf(stderr, "--- %s export ---\n%s\n", bank_format_name(f), out.data);
        bank_report_print(r2, stderr);
    }
    assert_non_null(b);
    assert_int_equal(bank_report_errors(r2), 0);
    assert_same_bank(a, b);
    /* detected from the content alone too */
    assert_int_equal(bank_format_detect(out.data, out.len, NULL), f);
    /* and the native form of both is the same text */
    buf n1, n2;
    buf_init(&n1, 0);
    buf_init(&n2, 0);
    assert_int_equal(bank_native_write(a, &n1), 0);
    assert_int_equal(bank_native_write(b, &n2), 0);
    assert_string_equal(n1.data, n2.data);
    buf_free(&n1);
    buf_free(&n2);
    bank_free(a);
    bank_free(b);
    bank_report_free(r2);
    buf_free(&out);
}

static void test_roundtrip_native(void **state)
{
    (void)state;
    roundtrip(BANK_FMT_NATIVE);
}

static void test_roundtrip_gift(void **state)
{
    (void)state;
    roundtrip(BANK_FMT_GIFT);
}

static void test_roundtrip_aiken(void **state)
{
    (void)state;
    roundtrip(BANK_FMT_AIKEN);
}

static void test_roundtrip_csv(void **state)
{
    (void)state;
    roundtrip(BANK_FMT_CSV);
}

static void test_roundtrip_xml(void **state)
{
    (void)state;
    roundtrip(BANK_FMT_XML);
}

/* The shipped bank goes through every format unchanged. */
static void test_roundtrip_shipped_bank(void **state)
{
    (void)state;
    char path[1024];
    const char *src = getenv("CCHC_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/question-banks/cchc-nghe-an.json",
             src ? src : CCHC_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char data[4 << 20];
    size_t len = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    bank *a = parse_as(BANK_FMT_NATIVE, data, len, NULL);
    if (!a)
        dump();
    assert_non_null(a);
    for (bank_format fmt = BANK_FMT_NATIVE; fmt <= BANK_FMT_XML; fmt++) {
        buf out;
        buf_init(&out, 0);
        assert_int_equal(bank_write_format(a, fmt, 0, &out, NULL), 0);
        bank_report *r2 = bank_report_new();
        bank_import_opts o = {a->id, a->title, "export"};
        bank *b = bank_parse_format(out.data, out.len, fmt, &o, r2, NULL);
        if (!b)
            bank_report_print(r2, stderr);
        assert_non_null(b);
        assert_same_bank(a, b);
        bank_free(b);
        bank_report_free(r2);
        buf_free(&out);
    }
    bank_free(a);
}

/* ---- GIFT ---------------------------------------------------------------------------- */

static void test_gift_features(void **state)
{
    static const char text[] =
        "// a comment line\n"                                     /* 1 */
        "$CATEGORY: $course$/top/Cải cách/Thủ tục hành chính\n"   /* 2 */
        "\n"                                                      /* 3 */
        "::q-one::[html]<p>Cơ chế <b>một cửa</b> &amp; liên thông?</p> {\n" /* 4 */
        "  =Đúng đầu mối #phản hồi riêng\n"                        /* 5 */
        "  ~Sai một\n"                                            /* 6 */
        "  // comment inside\n"                                   /* 7 */
        "  ~Sai \\= hai \\# ba \\{bốn\\} \\: năm \\\\ sáu\n"          /* 8 */
        "  ####Giải thích <i>chung</i>\n"                          /* 9 */
        "}\n"                                                     /* 10 */
        "\n"                                                      /* 11 */
        "::Câu 2 (không phải mã)::Chọn các chỉ số {~%50%PAR INDEX ~%50%SIPAS ~%-100%GDP}\n" /* 12 */
        "\n"
        "Nghị quyết 30c năm 2011 {T}\n"                           /* 14 */
        "\n"
        "Sai chăng {FALSE#vì sao}\n"                              /* 16 */
        "\n"
        "$CATEGORY: the-che\n"                                    /* 18 */
        "\n"
        "Hai dấu bằng {=một =hai ~ba}\n"                          /* 20 */
        "\n"
        "Ba {TRUE}\n";                                            /* 22 */
    (void)state;
    bank *b = parse_str(BANK_FMT_GIFT, text);
    if (!b)
        dump();
    assert_non_null(b);
    assert_int_equal(b->nquestions, 6);
    assert_int_equal(b->ncategories, 2);
    assert_string_equal(b->categories[0].title, "Thủ tục hành chính");
    assert_string_equal(b->categories[0].id, "thu-tuc-hanh-chinh");
    assert_string_equal(b->categories[1].id, "the-che");
    bank_question *q = &b->questions[0];
    assert_string_equal(q->id, "q-one");
    assert_string_equal(q->text, "Cơ chế một cửa & liên thông?");
    assert_int_equal(q->noptions, 3);
    assert_string_equal(q->options[0], "Đúng đầu mối");
    assert_string_equal(q->options[2], "Sai = hai # ba {bốn} : năm \\ sáu");
    assert_int_equal(q->correct_mask, 1);
    assert_int_equal(q->multi, 0);
    assert_string_equal(q->explanation, "Giải thích chung");
    assert_int_equal(q->difficulty, BANK_MEDIUM);
    assert_int_equal(q->track, BANK_TRACK_BOTH);
    assert_int_equal(q->line, 4);
    q = &b->questions[1];
    assert_string_equal(q->id, "q-2"); /* the title is not an id: generated */
    assert_int_equal(q->multi, 1);
    assert_int_equal(q->correct_mask, 3);
    q = &b->questions[2];
    assert_string_equal(q->options[0], "Đúng");
    assert_string_equal(q->options[1], "Sai");
    assert_int_equal(q->correct_mask, 1);
    assert_int_equal(b->questions[3].correct_mask, 2);
    q = &b->questions[4];
    assert_string_equal(q->category, "the-che");
    assert_int_equal(q->multi, 1);
    assert_int_equal(q->correct_mask, 3);
    expect_warning(20, "2 đáp án được đánh dấu '='");
    assert_int_equal(b->questions[5].correct_mask, 1);
    assert_int_equal(b->questions[5].line, 22);
    bank_free(b);
}

static void test_gift_unsupported_skipped(void **state)
{
    static const char text[] =
        "Tự luận {}\n"                         /* 1 essay */
        "\n"
        "Bao nhiêu năm? {#10}\n"              /* 3 numerical */
        "\n"
        "Ghép {=a -> 1 =b -> 2 =c -> 3}\n"    /* 5 matching */
        "\n"
        "Điền {=một =hai}\n"                  /* 7 short answer */
        "\n"
        "Năm {~2010 =2011} là năm ban hành\n" /* 9 missing word */
        "\n"
        "Chỉ là mô tả\n"                      /* 11 description */
        "\n"
        "Câu thật {=A ~B}\n";                 /* 13 */
    (void)state;
    bank *b = parse_str(BANK_FMT_GIFT, text);
    if (!b)
        dump();
    assert_non_null(b);
    assert_int_equal(b->nquestions, 1);
    assert_int_equal(b->questions[0].line, 13);
    expect_warning(1, "câu hỏi kiểu \"essay\" không được hỗ trợ, đã bỏ qua");
    expect_warning(3, "câu hỏi kiểu \"numerical\" không được hỗ trợ, đã bỏ qua");
    expect_warning(5, "câu hỏi kiểu \"matching\" không được hỗ trợ, đã bỏ qua");
    expect_warning(7, "câu hỏi kiểu \"short answer\" không được hỗ trợ, đã bỏ qua");
    expect_warning(9, "câu hỏi kiểu \"missing word\" không được hỗ trợ, đã bỏ qua");
    expect_warning(11, "đây là đoạn mô tả, không phải câu hỏi");
    bank_free(b);
}

static void test_gift_errors(void **state)
{
    static const char text[] =
        "Không đóng {=A ~B\n"               /* 1: '{' never closed */
        "\n"
        "Không có đáp án đúng {~A ~B}\n"   /* 3 */
        "\n"
        "Trọng số hỏng {~%abc%A ~B}\n"      /* 5 */
        "\n"
        "Thừa } ngoặc\n"                    /* 7 */
        "\n"
        "Một phương án {=A ~}\n"            /* 9: empty option */
        "\n"
        "Bảy phương án {=1 ~2 ~3 ~4 ~5 ~6 ~7}\n" /* 11 */
        "\n"
        "{=A ~B}\n"                         /* 13: no text */
        "\n"
        "::t:: Chữ trước {chữ =A ~B}\n";     /* 15: text before the first answer */
    (void)state;
    bank *b = parse_str(BANK_FMT_GIFT, text);
    assert_null(b);
    expect_at(BANK_SEV_ERROR, 1, 12, "'{' không được đóng bằng '}'");
    expect_error(3, "chưa có đáp án đúng");
    expect_error(5, "trọng số đáp án sai cách viết");
    expect_at(BANK_SEV_ERROR, 7, 6, "có '}' mà không có '{' ở trước");
    expect_error(9, "lựa chọn B để trống");
    expect_error(11, "7 lựa chọn");
    expect_error(13, "nội dung câu hỏi để trống");
    expect_error(15, "có văn bản trước đáp án đầu tiên");
}

/* ---- Aiken --------------------------------------------------------------------------- */

static void test_aiken_features(void **state)
{
    static const char text[] =
        "Cơ chế một cửa liên thông áp dụng ở đâu?\n" /* 1 */
        "A) Cấp xã\n"
        "B. Cấp huyện\n"
        "C)Cấp tỉnh\n"
        "ANSWER: B\n"
        "Câu hai, không có dòng trống trước?\n"       /* 6 */
        "A. Một\n"
        "B. Hai\n"
        "ĐÁP ÁN: A\n"
        "\n"
        "Câu ba có\n"                                  /* 11 */
        "hai dòng\n"
        "A. X\n"
        "B. Y\n"
        "ANSWER: A, B\n"
        "DIFFICULTY: khó\n"
        "TRACK: người dân\n"
        "CATEGORY: Thể chế\n";
    (void)state;
    bank *b = parse_str(BANK_FMT_AIKEN, text);
    if (!b)
        dump();
    assert_non_null(b);
    assert_int_equal(b->nquestions, 3);
    assert_int_equal(b->questions[0].noptions, 3);
    assert_string_equal(b->questions[0].options[2], "Cấp tỉnh");
    assert_int_equal(b->questions[0].correct_mask, 2);
    assert_string_equal(b->questions[0].category, BANK_DEFAULT_CATEGORY);
    assert_int_equal(b->questions[1].line, 6);
    assert_int_equal(b->questions[1].correct_mask, 1);
    assert_string_equal(b->questions[2].text, "Câu ba có\nhai dòng");
    assert_int_equal(b->questions[2].multi, 1);
    assert_int_equal(b->questions[2].difficulty, BANK_HARD);
    assert_int_equal(b->questions[2].track, BANK_TRACK_CITIZEN);
    assert_string_equal(b->questions[2].category, "the-che");
    bank_free(b);
}

static void test_aiken_errors(void **state)
{
    static const char text[] =
        "A) Phương án không có câu hỏi\n"  /* 1 */
        "\n"
        "Chỉ một phương án?\n"            /* 3 */
        "A. Một\n"
        "ANSWER: A\n"
        "\n"
        "Không có dòng ANSWER\n"          /* 7 */
        "A. Một\n"
        "B. Hai\n"
        "\n"
        "Đáp án ngoài phương án\n"        /* 11 */
        "A. Một\n"
        "B. Hai\n"
        "ANSWER: D\n"                     /* 14 */
        "\n"
        "Sai thứ tự\n"                    /* 16 */
        "A. Một\n"
        "C. Ba\n"                         /* 18 */
        "ANSWER: A\n"
        "\n"
        "ANSWER: B\n";                    /* 21 */
    (void)state;
    bank *b = parse_str(BANK_FMT_AIKEN, text);
    assert_null(b);
    expect_error(1, "lựa chọn A không có câu hỏi nào ở trước");
    expect_error(3, "1 lựa chọn (mỗi câu hỏi có từ 2 đến 6 lựa chọn)");
    expect_error(7, "thiếu dòng ANSWER:");
    expect_error(14, "ANSWER D không phải một lựa chọn");
    expect_error(18, "lựa chọn C sai thứ tự");
    expect_error(21, "dòng ANSWER không có câu hỏi nào ở trước");
}

static void test_aiken_plain_export(void **state)
{
    (void)state;
    bank *a = parse_str(BANK_FMT_NATIVE, TRICKY);
    assert_non_null(a);
    buf out;
    buf_init(&out, 0);
    int skipped = -1;
    assert_int_equal(bank_aiken_write(a, 1, &out, &skipped), 0);
    assert_int_equal(skipped, 2); /* the two multi-select questions */
    assert_null(strstr(out.data, "ID:"));
    assert_null(strstr(out.data, "EXPLANATION:"));
    bank *b = parse_str(BANK_FMT_AIKEN, out.data);
    assert_non_null(b);
    assert_int_equal(b->nquestions, 2);
    bank_free(a);
    bank_free(b);
    buf_free(&out);
}

/* ---- CSV ----------------------------------------------------------------------------- */

static void test_csv_semicolon_bom_crlf(void **state)
{
    static const char text[] =
        "\xEF\xBB\xBF" "Mã câu;Nhóm;Tên nhóm;Độ khó;Đối tượng;Câu hỏi;A;B;C;D;Đáp án đúng;"
        "Giải thích;Văn bản;Điều khoản\r\n"                                       /* 1 */
        "c1;tthc;Thủ tục hành chính;dễ;người dân;\"Có dấu ; và \"\"ngoặc\"\"\r\n" /* 2 */
        "hai dòng\";Một;Hai;Ba;;b;Giải thích;NĐ 61/2018;Điều 3\r\n"               /* 3 */
        ";;;;;;;;;;;;;\r\n"                                                       /* 4 blank */
        "c2;Thể chế;;Trung bình;CBCCVC;Câu hai;X;Y;Z;W;A, C;;;\r\n";              /* 5 */
    (void)state;
    bank *b = parse_str(BANK_FMT_CSV, text);
    if (!b)
        dump();
    assert_non_null(b);
    assert_int_equal(b->nquestions, 2);
    assert_string_equal(b->questions[0].text, "Có dấu ; và \"ngoặc\"\nhai dòng");
    assert_int_equal(b->questions[0].noptions, 3);
    assert_int_equal(b->questions[0].correct_mask, 2);
    assert_int_equal(b->questions[0].difficulty, BANK_EASY);
    assert_int_equal(b->questions[0].track, BANK_TRACK_CITIZEN);
    assert_string_equal(b->questions[0].source_article, "Điều 3");
    assert_int_equal(b->questions[0].line, 2);
    assert_int_equal(b->questions[1].line, 5);
    assert_string_equal(b->questions[1].category, "the-che");
    assert_int_equal(b->questions[1].multi, 1);
    assert_int_equal(b->questions[1].correct_mask, 5);
    assert_int_equal(b->questions[1].track, BANK_TRACK_CBCCVC);
    assert_string_equal(b->categories[0].title, "Thủ tục hành chính");
    bank_free(b);
}

static void test_csv_comma_english_headers(void **state)
{
    static const char text[] =
        "text,a,b,c,correct,category,extra\n"
        "\"Question, with comma\",one,two,three,C,tthc,ignored\n"
        "Second,x,y,,A,,\n";
    (void)state;
    bank *b = parse_str(BANK_FMT_CSV, text);
    if (!b)
        dump();
    assert_non_null(b);
    assert_int_equal(b->nquestions, 2);
    assert_string_equal(b->questions[0].text, "Question, with comma");
    assert_int_equal(b->questions[0].correct_mask, 4);
    assert_int_equal(b->questions[1].noptions, 2);
    assert_string_equal(b->questions[1].category, BANK_DEFAULT_CATEGORY);
    expect_at(BANK_SEV_WARNING, 1, 29, "cột \"extra\" không xác định");
    assert_int_equal(bank_report_warnings(rep), 3); /* and the explanation and source notes */
    bank_free(b);
}

static void test_csv_errors(void **state)
{
    static const char text[] =
        "Câu hỏi;A;B;C;Đáp án đúng\n"  /* 1 */
        "Một;x;y;z;E\n"                 /* 2: letter beyond the options */
        "Hai;x;y;z;1\n"                 /* 3: not a letter */
        "Ba;x;;z;A\n"                   /* 4: empty option B */
        "Bốn;x;y;z;\n"                  /* 5: no key */
        ";x;y;z;A\n"                    /* 6: no text */
        "Năm;x;y;z;\"A\n";              /* 7: quote never closed */
    (void)state;
    bank *b = parse_str(BANK_FMT_CSV, text);
    assert_null(b);
    expect_at(BANK_SEV_ERROR, 2, 11, "đáp án đúng là E");
    expect_at(BANK_SEV_ERROR, 3, 11, "hãy ghi chữ cái của lựa chọn");
    expect_error(4, "lựa chọn B để trống");
    expect_error(5, "chưa có đáp án đúng");
    expect_error(6, "nội dung câu hỏi để trống");
    expect_at(BANK_SEV_ERROR, 7, 11, "dấu ngoặc kép mở ô này không được đóng");
}

static void test_csv_missing_columns(void **state)
{
    (void)state;
    bank *b = parse_str(BANK_FMT_CSV, "Câu hỏi;A;Ghi chú\nx;y;z\n");
    assert_null(b);
    expect_error(1, "thiếu cột \"B\"");
    expect_error(1, "thiếu cột \"Đáp án đúng\"");
}

static void test_csv_template_file(void **state)
{
    (void)state;
    char path[1024];
    const char *src = getenv("CCHC_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/question-banks/templates/mau-ngan-hang-cau-hoi.csv",
             src ? src : CCHC_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char data[16384];
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    bank *b = parse_as(BANK_FMT_UNKNOWN, data, len, NULL);
    if (!b)
        dump();
    assert_non_null(b);
    assert_int_equal(b->nquestions, 2);
    assert_int_equal(bank_report_errors(rep), 0);
    assert_int_equal(bank_report_warnings(rep), 0);
    bank_free(b);
    /* the copy the upload page links to is the same file */
    snprintf(path, sizeof path, "%s/web/assets/mau-ngan-hang-cau-hoi.csv",
             src ? src : CCHC_SOURCE_DIR);
    f = fopen(path, "rb");
    assert_non_null(f);
    char copy[16384];
    size_t clen = fread(copy, 1, sizeof copy, f);
    fclose(f);
    assert_int_equal(clen, len);
    assert_memory_equal(copy, data, len);
}

/* ---- Moodle XML ---------------------------------------------------------------------- */

static void test_xml_features(void **state)
{
    static const char text[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             /* 1 */
        "<!-- exported -->\n"
        "<quiz>\n"
        "  <question type=\"category\">\n"                                         /* 4 */
        "    <category><text>$course$/top/Thể chế</text></category>\n"
        "    <idnumber>the-che</idnumber>\n"
        "  </question>\n"
        "  <question type=\"multichoice\">\n"                                      /* 8 */
        "    <name><text>Câu 1</text></name>\n"
        "    <questiontext format=\"html\"><text><![CDATA[<p>Nghị quyết <b>30c</b>&nbsp;&amp; CCHC?</p>]]></text></questiontext>\n"
        "    <generalfeedback format=\"html\"><text>&lt;p&gt;Giải thích&lt;/p&gt;</text></generalfeedback>\n"
        "    <single>true</single>\n"
        "    <answer fraction=\"100\"><text>2011&#8211;2020</text></answer>\n"
        "    <answer fraction=\"0\"><text>2001&#x2013;2010 &quot;cũ&quot;</text></answer>\n"
        "    <tags><tag><text>30c</text></tag></tags>\n"
        "  </question>\n"
        "  <question type=\"multichoice\">\n"                                      /* 17 */
        "    <name><text>nhieu</text></name>\n"
        "    <questiontext format=\"plain_text\"><text>Chọn hai</text></questiontext>\n"
        "    <single>false</single>\n"
        "    <answer fraction=\"50\"><text>A</text></answer>\n"
        "    <answer fraction=\"-100\"><text>B</text></answer>\n"
        "    <answer fraction=\"50\"><text>C</text></answer>\n"
        "  </question>\n"
        "  <question type=\"truefalse\">\n"                                        /* 25 */
        "    <questiontext><text>Trời xanh?</text></questiontext>\n"
        "    <answer fraction=\"0\"><text>true</text></answer>\n"
        "    <answer fraction=\"100\"><text>false</text></answer>\n"
        "  </question>\n"
        "  <question type=\"shortanswer\"><questiontext><text>x</text></questiontext></question>\n" /* 30 */
        "  <question type=\"matching\"><questiontext><text>y</text></questiontext></question>\n"    /* 31 */
        "</quiz>\n";
    (void)state;
    bank *b = parse_str(BANK_FMT_XML, text);
    if (!b)
        dump();
    assert_non_null(b);
    assert_int_equal(b->nquestions, 3);
    assert_string_equal(b->categories[0].id, "the-che");
    assert_string_equal(b->categories[0].title, "Thể chế");
    bank_question *q = &b->questions[0];
    assert_string_equal(q->text, "Nghị quyết 30c & CCHC?");
    assert_string_equal(q->explanation, "Giải thích");
    assert_string_equal(q->options[0], "2011–2020");
    assert_string_equal(q->options[1], "2001–2010 \"cũ\"");
    assert_int_equal(q->correct_mask, 1);
    assert_string_equal(q->tags_json, "[\"30c\"]");
    assert_int_equal(q->line, 8);
    assert_string_equal(b->questions[1].id, "nhieu");
    assert_int_equal(b->questions[1].multi, 1);
    assert_int_equal(b->questions[1].correct_mask, 5);
    assert_int_equal(b->questions[2].correct_mask, 2);
    expect_at(BANK_SEV_WARNING, 30, 3, "câu hỏi kiểu \"shortanswer\" không được hỗ trợ, đã bỏ qua");
    expect_at(BANK_SEV_WARNING, 31, 3, "câu hỏi kiểu \"matching\" không được hỗ trợ, đã bỏ qua");
    bank_free(b);
}

static void test_xml_errors(void **state)
{
    (void)state;
    bank *b = parse_str(BANK_FMT_XML, "<quiz>\n  <question type=\"multichoice\">\n"
                                      "  </questio>\n</quiz>\n");
    assert_null(b);
    expect_at(BANK_SEV_ERROR, 3, 3, "</questio> không đóng <question>");
    bank_report_free(rep);
    rep = bank_report_new();
    b = parse_str(BANK_FMT_XML, "<quiz>\n<question type=\"x\">\n <text>a &bogus; b</text>\n");
    assert_null(b);
    expect_at(BANK_SEV_ERROR, 3, 10, "tham chiếu thực thể");
    bank_report_free(rep);
    rep = bank_report_new();
    b = parse_str(BANK_FMT_XML, "<quiz>\n <question type=\"multichoice\">\n");
    assert_null(b);
    expect_at(BANK_SEV_ERROR, 2, 2, "không được đóng");
    bank_report_free(rep);
    rep = bank_report_new();
    b = parse_str(BANK_FMT_XML, "<other/>\n");
    assert_null(b);
    expect_error(1, "cần <quiz>");
    bank_report_free(rep);
    rep = bank_report_new();
    b = parse_str(BANK_FMT_XML,
                  "<quiz>\n<question type=\"multichoice\"><questiontext><text>Q</text>"
                  "</questiontext>\n<answer fraction=\"0\"><text>A</text></answer>\n"
                  "<answer fraction=\"0\"><text>B</text></answer></question></quiz>");
    assert_null(b);
    expect_error(2, "chưa có đáp án đúng");
}

/* ---- encodings ----------------------------------------------------------------------- */

static void test_legacy_tcvn3_bytes(void **state)
{
    /* "Cán bộ công chức" typed with a TCVN3 (ABC) font: bytes that are not UTF-8 */
    static const char text[] =
        "Câu một đúng UTF-8?\n"
        "A. Có\n"
        "B. Không\n"
        "ANSWER: A\n"
        "\n"
        "C\xB8n b\xE9 c\xABng ch\xF8\x63 l\xB5 g\xEC?\n" /* 6 */
        "A. Một\n"
        "B. Hai\n"
        "ANSWER: A\n";
    (void)state;
    bank *b = parse_as(BANK_FMT_AIKEN, text, sizeof text - 1, NULL);
    assert_null(b);
    expect_at(BANK_SEV_ERROR, 6, 2, "bảng mã cũ (TCVN3/ABC, VNI hoặc Windows-1258)");
    assert_int_equal(bank_report_errors(rep), 1);
}

static void test_legacy_converted_mojibake(void **state)
{
    /* the same text read as Latin-1 and saved as UTF-8: valid UTF-8, still wrong */
    static const char text[] =
        "text;a;b;correct\n"
        "ok;x;y;A\n"
        "C¸n bé c«ng chøc lµ g×?;x;y;A\n";
    (void)state;
    bank *b = parse_str(BANK_FMT_CSV, text);
    assert_null(b);
    expect_error(3, "phông cũ (TCVN3/ABC hoặc VNI)");
}

static void test_invalid_utf8_by_line(void **state)
{
    static const char text[] = "Câu một\nA. x\nB. y\nANSWER: A\n\nHai \xC3\x28 sai\nA. x\nB. y\n"
                               "ANSWER: A\n";
    (void)state;
    bank *b = parse_as(BANK_FMT_AIKEN, text, sizeof text - 1, NULL);
    assert_null(b);
    expect_at(BANK_SEV_ERROR, 6, 5, "không phải UTF-8 hợp lệ (byte 0xC3)");
}

static void test_utf16_refused(void **state)
{
    static const char text[] = "\xFF\xFE" "t\0e\0x\0t\0";
    (void)state;
    bank *b = parse_as(BANK_FMT_CSV, text, sizeof text - 1, NULL);
    assert_null(b);
    expect_error(1, "UTF-16");
}

static void test_crlf_and_bom_same_lines(void **state)
{
    static const char lf[] = "Một {=a ~b}\n\n\nHai {~a}\n";
    static const char crlf[] = "\xEF\xBB\xBFMột {=a ~b}\r\n\r\n\r\nHai {~a}\r\n";
    static const char cr[] = "Một {=a ~b}\r\r\rHai {~a}\r";
    (void)state;
    const char *texts[] = {lf, crlf, cr};
    for (int i = 0; i < 3; i++) {
        bank_report_free(rep);
        rep = bank_report_new();
        assert_null(parse_str(BANK_FMT_GIFT, texts[i]));
        expect_error(4, "chưa có đáp án đúng");
    }
    /* Aiken and XML too */
    bank_report_free(rep);
    rep = bank_report_new();
    assert_null(parse_str(BANK_FMT_AIKEN, "\xEF\xBB\xBFQ\r\nA. x\r\nB. y\r\n\r\nQ2\r\nA) z\r\n"));
    expect_error(1, "thiếu dòng ANSWER:");
    expect_error(5, "thiếu dòng ANSWER:");
    bank_report_free(rep);
    rep = bank_report_new();
    assert_null(parse_str(BANK_FMT_XML, "\xEF\xBB\xBF<quiz>\r\n<a>\r\n</b>\r\n</quiz>\r\n"));
    expect_at(BANK_SEV_ERROR, 3, 1, "</b> không đóng <a>");
}

/* ---- detection, builder rules, helpers --------------------------------------------- */

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(bank_format_detect("  {\"format\":1}", 15, NULL), BANK_FMT_NATIVE);
    assert_int_equal(bank_format_detect("<?xml?><quiz/>", 14, NULL), BANK_FMT_XML);
    assert_int_equal(bank_format_detect("Câu hỏi;A;B;Đáp án đúng\n", 28, NULL), BANK_FMT_CSV);
    assert_int_equal(bank_format_detect("sep=;\nx", 7, NULL), BANK_FMT_CSV);
    static const char aiken[] = "Q?\nA. a\nB. b\nANSWER: A\n";
    assert_int_equal(bank_format_detect(aiken, strlen(aiken), NULL), BANK_FMT_AIKEN);
    static const char gift[] = "// c\n::t::Q {=a ~b}\n";
    assert_int_equal(bank_format_detect(gift, strlen(gift), NULL), BANK_FMT_GIFT);
    assert_int_equal(bank_format_detect("hello", 5, "x.csv"), BANK_FMT_CSV);
    assert_int_equal(bank_format_detect("hello", 5, NULL), BANK_FMT_UNKNOWN);
    assert_int_equal(bank_format_from_name("Moodle"), BANK_FMT_XML);
    assert_int_equal(bank_format_from_name("auto"), BANK_FMT_UNKNOWN);
    bank *b = parse_as(BANK_FMT_UNKNOWN, "hello", 5, NULL);
    assert_null(b);
    expect_error(0, "không xác định được định dạng tệp");
}

static void test_limits_and_duplicates(void **state)
{
    (void)state;
    /* a text over 2,000 characters, an option over 500, the same text twice */
    buf t;
    buf_init(&t, 0);
    buf_puts(&t, "text;a;b;correct\n");
    for (int i = 0; i < 2001; i++)
        buf_puts(&t, "x");
    buf_puts(&t, ";a;b;A\nHai;");
    for (int i = 0; i < 501; i++)
        buf_puts(&t, "y");
    buf_puts(&t, ";b;A\nTrùng  lặp;a;b;A\ntrùng lặp ;c;d;B\n");
    bank *b = parse_str(BANK_FMT_CSV, t.data);
    assert_null(b);
    expect_error(2, "nội dung câu hỏi quá dài (2001 ký tự, tối đa 2000)");
    expect_error(3, "lựa chọn A quá dài (501 ký tự, tối đa 500)");
    expect_warning(5, "trùng lặp: nội dung câu hỏi giống câu \"q-3\" ở dòng 4");
    buf_free(&t);
    /* more than 20,000 questions */
    bank_report_free(rep);
    rep = bank_report_new();
    buf_init(&t, 0);
    buf_puts(&t, "text;a;b;correct\n");
    for (int i = 0; i <= BANK_QUESTIONS_MAX; i++)
        buf_printf(&t, "Câu %d;a;b;A\n", i);
    b = parse_str(BANK_FMT_CSV, t.data);
    assert_null(b);
    expect_error(BANK_QUESTIONS_MAX + 2, "quá 20000 câu hỏi");
    buf_free(&t);
}

static void test_bank_id_options(void **state)
{
    (void)state;
    bank_import_opts o = {NULL, NULL, "/tmp/Ngân hàng Quý 1.gift"};
    bank *b = bank_parse_format("Q {=a ~b}", 9, BANK_FMT_GIFT, &o, rep, NULL);
    assert_non_null(b);
    assert_string_equal(b->id, "ngan-hang-quy-1");
    assert_string_equal(b->title, "Ngân hàng Quý 1");
    bank_free(b);
    bank_import_opts bad = {"Không hợp lệ", NULL, "x.gift"};
    b = bank_parse_format("Q {=a ~b}", 9, BANK_FMT_GIFT, &bad, rep, NULL);
    assert_null(b);
    expect_error(0, "mã ngân hàng \"Không hợp lệ\" không hợp lệ");
}

static void test_summary_and_duplicates(void **state)
{
    (void)state;
    bank *b = parse_str(BANK_FMT_GIFT, "A? {=x ~y}\n\nB? {~%50%x ~%50%y ~%-100%z}\n\na? {=x ~y}\n");
    assert_non_null(b);
    json_t *s = bank_summary_json(b);
    assert_int_equal(json_integer_value(json_object_get(s, "questions")), 3);
    assert_int_equal(json_integer_value(json_object_get(s, "multi")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(s, "difficulty"), "medium")), 3);
    json_decref(s);
    json_t *d = json_array();
    assert_int_equal(bank_duplicates_within(b, d), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "question_id")),
                        "q-3");
    json_decref(d);
    bank_free(b);
}

static void test_html_to_text(void **state)
{
    (void)state;
    char *t = bank_html_to_text("<p>Một&nbsp;<b>hai</b></p>\n<p>  ba   &lt;4&gt; &#7889;&#x1EC7;"
                                "</p><br/>&unknown; end");
    assert_string_equal(t, "Một hai\nba <4> ốệ\n&unknown; end");
    free(t);
    buf b;
    buf_init(&b, 0);
    bank_xml_escape(&b, "a<b>&\"c'");
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&apos;");
    buf_free(&b);
}

static void test_slug_and_paths(void **state)
{
    (void)state;
    char *s = bank_slug("Thủ tục hành chính — Đợt 2!");
    assert_string_equal(s, "thu-tuc-hanh-chinh-dot-2");
    free(s);
    s = bank_category_path_last("$course$/top/Cải cách/Kế hoạch 52//KH-UBND");
    assert_string_equal(s, "Kế hoạch 52/KH-UBND");
    free(s);
}

/* Line breaks are LF whatever the file had, so that every format carries them. */
static void test_line_breaks_and_formulas(void **state)
{
    (void)state;
    bank *b = parse_str(BANK_FMT_NATIVE,
                        "{\"format\":\"cchc-bank/1\",\"id\":\"x\",\"title\":\"X\",\"version\":1,"
                        "\"categories\":[{\"id\":\"c\",\"title\":\"C\"}],\"questions\":[{\"id\":\"q\","
                        "\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
                        "\"text\":\"a\\r\\nb\\rc\",\"options\":[\"=SUM(A1)\",\"'@x\"],\"correct\":0}]}");
    if (!b)
        dump();
    assert_non_null(b);
    assert_string_equal(b->questions[0].text, "a\nb\nc");
    buf out;
    buf_init(&out, 0);
    assert_int_equal(bank_csv_write(b, &out), 0);
    /* Excel would read "=..." as a formula: the cell starts with an apostrophe */
    assert_non_null(strstr(out.data, ";'=SUM(A1);''@x;"));
    bank *c = parse_as(BANK_FMT_CSV, out.data, out.len, "x");
    assert_non_null(c);
    assert_string_equal(c->questions[0].options[0], "=SUM(A1)");
    assert_string_equal(c->questions[0].options[1], "'@x");
    bank_free(b);
    bank_free(c);
    buf_free(&out);
}

static void test_regrade_parse_key(void **state)
{
    (void)state;
    assert_int_equal(regrade_parse_key("1"), 2);
    assert_int_equal(regrade_parse_key("0,2"), 5);
    assert_int_equal(regrade_parse_key("B"), 2);
    assert_int_equal(regrade_parse_key("a, c"), 5);
    assert_int_equal(regrade_parse_key("[0, 3]"), 9);
    assert_int_equal(regrade_parse_key("G"), 0);
    assert_int_equal(regrade_parse_key("6"), 0);
    assert_int_equal(regrade_parse_key("AB"), 0);
    assert_int_equal(regrade_parse_key(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_native, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_gift, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_aiken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_xml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_shipped_bank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gift_features, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gift_unsupported_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gift_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aiken_features, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aiken_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aiken_plain_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_semicolon_bom_crlf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_comma_english_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_missing_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_template_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xml_features, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xml_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_tcvn3_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_converted_mojibake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_by_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_and_bom_same_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits_and_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bank_id_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_and_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_to_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slug_and_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_breaks_and_formulas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regrade_parse_key, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
