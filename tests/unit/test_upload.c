/* Unit tests for the upload plumbing: the multipart/form-data reader (http/multipart.c)
 * and the uploads kept until confirmed (bank/staging.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bank/bank.h"
#include "bank/formats.h"
#include "bank/staging.h"
#include "http/multipart.h"

static const char CT[] = "multipart/form-data; boundary=----WebKitFormBoundaryAbC123";

static void test_multipart_form(void **state)
{
    (void)state;
    static const char body[] =
        "------WebKitFormBoundaryAbC123\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"Ngân hàng.gift\"\r\n"
        "Content-Type: application/octet-stream\r\n"
        "\r\n"
        "Câu {=a ~b}\r\n\r\n--not the boundary\r\n"
        "\r\n------WebKitFormBoundaryAbC123\r\n"
        "Content-Disposition: form-data; name=\"format\"\r\n"
        "\r\n"
        "gift\r\n"
        "------WebKitFormBoundaryAbC123--\r\n";
    mp_part parts[MULTIPART_MAX_PARTS];
    const char *err = NULL;
    assert_true(multipart_is("Multipart/Form-Data; boundary=x"));
    assert_false(multipart_is("text/plain"));
    int n = multipart_parse(CT, body, sizeof body - 1, parts, MULTIPART_MAX_PARTS, &err);
    assert_int_equal(n, 2);
    const mp_part *f = multipart_get(parts, n, "file");
    assert_non_null(f);
    assert_true(f->has_filename);
    assert_string_equal(f->filename, "Ngân hàng.gift");
    assert_int_equal(f->len, strlen("Câu {=a ~b}\r\n\r\n--not the boundary\r\n"));
    assert_memory_equal(f->data, "Câu {=a ~b}", strlen("Câu {=a ~b}"));
    const mp_part *fmt = multipart_get(parts, n, "format");
    assert_non_null(fmt);
    assert_false(fmt->has_filename);
    assert_int_equal(fmt->len, 4);
    assert_null(multipart_get(parts, n, "id"));
}

static void test_multipart_quoted_boundary_and_preamble(void **state)
{
    (void)state;
    static const char body[] = "preamble\r\n--a b\r\nContent-Disposition: form-data; name=\"x\"\r\n"
                               "\r\nvalue\r\n--a b--";
    mp_part parts[4];
    const char *err = NULL;
    int n = multipart_parse("multipart/form-data; boundary=\"a b\"", body, sizeof body - 1, parts,
                            4, &err);
    assert_int_equal(n, 1);
    assert_string_equal(parts[0].name, "x");
    assert_int_equal(parts[0].len, 5);
}

static void test_multipart_malformed(void **state)
{
    (void)state;
    mp_part parts[2];
    const char *err = NULL;
    assert_int_equal(multipart_parse("multipart/form-data", "x", 1, parts, 2, &err), -1);
    assert_non_null(err);
    static const char unclosed[] =
        "--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end";
    assert_int_equal(multipart_parse("multipart/form-data; boundary=B", unclosed,
                                     sizeof unclosed - 1, parts, 2, &err),
                     -1);
    static const char noheaders[] = "--B\r\nContent-Disposition: x";
    assert_int_equal(multipart_parse("multipart/form-data; boundary=B", noheaders,
                                     sizeof noheaders - 1, parts, 2, &err),
                     -1);
    static const char three[] = "--B\r\n\r\na\r\n--B\r\n\r\nb\r\n--B\r\n\r\nc\r\n--B--";
    assert_int_equal(multipart_parse("multipart/form-data; boundary=B", three, sizeof three - 1,
                                     parts, 2, &err),
                     -1);
    /* a boundary over 70 characters */
    char ct[160];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%071d", 0);
    assert_int_equal(multipart_parse(ct, "x", 1, parts, 2, &err), -1);
}

static bank *small_bank(void)
{
    bank_report *rep = bank_report_new();
    bank_import_opts o = {"b", NULL, "b.gift"};
    bank *b = bank_parse_format("Q {=a ~b}", 9, BANK_FMT_GIFT, &o, rep, NULL);
    bank_report_free(rep);
    assert_non_null(b);
    return b;
}

static void test_staging(void **state)
{
    (void)state;
    char tok[BANK_STAGING_TOKEN_HEX], tok2[BANK_STAGING_TOKEN_HEX];
    int64_t exp;
    bank_staging_clear();
    assert_int_equal(bank_staging_put(small_bank(), 100, "b.gift", BANK_FMT_GIFT, 7, 1000, tok,
                                      &exp),
                     0);
    assert_int_equal(exp, 1000 + BANK_STAGING_TTL_MS);
    assert_int_equal(strlen(tok), 64);
    /* someone else's, a wrong token, too late: nothing (and the upload stays) */
    assert_null(bank_staging_take(tok, 8, 2000));
    assert_null(bank_staging_take("00", 7, 2000));
    assert_null(bank_staging_take(tok, 7, exp));
    assert_int_equal(bank_staging_put(small_bank(), 100, NULL, BANK_FMT_GIFT, 7, 1000, tok2,
                                      &exp),
                     0);
    bank_staged *s = bank_staging_take(tok2, 7, 2000);
    assert_non_null(s);
    assert_null(s->source_name);
    assert_string_equal(s->bank->id, "b");
    bank_staged_free(s);
    assert_null(bank_staging_take(tok2, 7, 2000)); /* once */
    /* the byte budget: a big upload pushes the oldest out */
    char big[BANK_STAGING_TOKEN_HEX];
    bank_staging_clear();
    assert_int_equal(bank_staging_put(small_bank(), BANK_STAGING_BYTES / 2 + 1, "1", BANK_FMT_GIFT,
                                      7, 1000, tok, &exp),
                     0);
    assert_int_equal(bank_staging_put(small_bank(), BANK_STAGING_BYTES / 2 + 1, "2", BANK_FMT_GIFT,
                                      7, 1001, big, &exp),
                     0);
    assert_null(bank_staging_take(tok, 7, 2000));
    s = bank_staging_take(big, 7, 2000);
    assert_non_null(s);
    bank_staged_free(s);
    /* the count: the 33rd upload pushes the first out */
    char first[BANK_STAGING_TOKEN_HEX];
    for (int i = 0; i <= BANK_STAGING_MAX; i++)
        assert_int_equal(bank_staging_put(small_bank(), 10, NULL, BANK_FMT_GIFT, 7, 1000 + i,
                                          i == 0 ? first : tok, &exp),
                         0);
    assert_null(bank_staging_take(first, 7, 2000));
    s = bank_staging_take(tok, 7, 2000);
    assert_non_null(s);
    bank_staged_free(s);
    bank_staging_clear();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multipart_form),
        cmocka_unit_test(test_multipart_quoted_boundary_and_preamble),
        cmocka_unit_test(test_multipart_malformed),
        cmocka_unit_test(test_staging),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
