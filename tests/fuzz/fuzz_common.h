/* Shared by the libFuzzer targets of the text bank formats (fuzz_gift.c, fuzz_aiken.c,
 * fuzz_csv.c, fuzz_moodle_xml.c). For any input the reader must not crash or leak (ASan,
 * UBSan), must return a bank exactly when it reported no error, and must report valid
 * UTF-8; a bank it returns must survive writing in the same format and reading back, and
 * writing as native JSON and reading back, unchanged. */
#ifndef CCHC_FUZZ_COMMON_H
#define CCHC_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bank/bank.h"
#include "bank/formats.h"
#include "bank/report.h"
#include "util/buf.h"

static int fuzz_same(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static const char *fuzz_cat_title(const bank *b, const char *id)
{
    for (int i = 0; i < b->ncategories; i++)
        if (strcmp(b->categories[i].id, id) == 0)
            return b->categories[i].title;
    return NULL;
}

/* Aborts unless b2 holds the same questions as b (and, with cats, the same categories). */
static void fuzz_check_same(const bank *b, const bank *b2, int cats)
{
    if (b2 == NULL || b->nquestions != b2->nquestions || !fuzz_same(b->id, b2->id))
        abort();
    if (cats) {
        if (b->ncategories != b2->ncategories)
            abort();
        for (int i = 0; i < b->ncategories; i++)
            if (!fuzz_same(b->categories[i].id, b2->categories[i].id) ||
                !fuzz_same(b->categories[i].title, b2->categories[i].title))
                abort();
    }
    for (int i = 0; i < b->nquestions; i++) {
        const bank_question *x = &b->questions[i];
        const bank_question *y = &b2->questions[i];
        if (!fuzz_same(x->id, y->id) || !fuzz_same(x->text, y->text) ||
            !fuzz_same(x->category, y->category) ||
            !fuzz_same(fuzz_cat_title(b, x->category), fuzz_cat_title(b2, y->category)) ||
            x->noptions != y->noptions || x->correct_mask != y->correct_mask ||
            x->multi != y->multi || x->difficulty != y->difficulty || x->track != y->track ||
            !fuzz_same(x->explanation, y->explanation) ||
            !fuzz_same(x->source_document, y->source_document) ||
            !fuzz_same(x->source_article, y->source_article) ||
            !fuzz_same(x->source_url, y->source_url) || !fuzz_same(x->tags_json, y->tags_json))
            abort();
        for (int k = 0; k < x->noptions; k++)
            if (!fuzz_same(x->options[k], y->options[k]))
                abort();
    }
}

static bank *fuzz_reparse(const bank *b, bank_format fmt)
{
    buf out;
    buf_init(&out, 0);
    if (bank_write_format(b, fmt, 0, &out, NULL) != 0)
        abort();
    bank_report *rep = bank_report_new();
    if (rep == NULL)
        abort();
    bank_import_opts o = {b->id, b->title, "again"};
    bank *b2 = bank_parse_format(out.data ? out.data : "", out.len, fmt, &o, rep, NULL);
    if (b2 == NULL) {
        fprintf(stderr, "--- written as %s ---\n%s\n", bank_format_name(fmt),
                out.data ? out.data : "");
        bank_report_print(rep, stderr);
    }
    bank_report_free(rep);
    buf_free(&out);
    return b2;
}

static int fuzz_format(const uint8_t *data, size_t size, bank_format fmt)
{
    bank_report *rep = bank_report_new();
    if (rep == NULL)
        return 0;
    bank_import_opts o = {NULL, NULL, "fuzz.txt"};
    bank *b = bank_parse_format((const char *)data, size, fmt, &o, rep, NULL);
    if ((b != NULL) != (bank_report_errors(rep) == 0))
        abort();
    json_t *problems = bank_report_to_json(rep);
    if (problems == NULL)
        abort(); /* every message must be valid UTF-8 */
    json_decref(problems);
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull != NULL) {
        bank_report_print(rep, devnull);
        fclose(devnull);
    }
    bank_report_free(rep);
    if (b != NULL) {
        int cats = fmt != BANK_FMT_AIKEN && fmt != BANK_FMT_CSV;
        bank *again = fuzz_reparse(b, fmt);
        fuzz_check_same(b, again, cats);
        bank_free(again);
        bank *native = fuzz_reparse(b, BANK_FMT_NATIVE);
        fuzz_check_same(b, native, 1);
        bank_free(native);
    }
    bank_free(b);
    return 0;
}

#endif
