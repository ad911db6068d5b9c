/* libFuzzer target: the native bank parser, the JSON position index and the text
 * helpers on arbitrary bytes. Besides memory errors (ASan/UBSan), it checks that
 * jsonpos accepts every text that jansson accepts and records the same number of
 * values, and that a bank is returned exactly when no error was reported. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bank/bank.h"
#include "bank/report.h"
#include "util/jsonpos.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_values(const json_t *v)
{
    size_t n = 1;
    size_t i;
    const char *key;
    json_t *child;

    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++)
            n += count_values(json_array_get(v, i));
    } else if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, child)
            n += count_values(child);
    }
    return n;
}

static void check_jsonpos(const char *buf, size_t len)
{
    json_error_t err;
    json_t *root = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
    jsonpos_index *ix = jsonpos_build(buf, len);
    int line;
    int col;

    if (root != NULL) {
        if (ix == NULL || jsonpos_count(ix) != count_values(root))
            abort();
        if (jsonpos_lookup(ix, "", &line, &col) != 0 || line < 1 || col < 1)
            abort();
    }
    (void)jsonpos_lookup(ix, "questions[0].options[1]", &line, &col);
    (void)jsonpos_lookup_key(ix, "questions[0].id", &line, &col);
    (void)jsonpos_lookup(ix, "[0][0]", &line, &col);
    jsonpos_free(ix);
    json_decref(root);
}

static void check_text(const char *buf, size_t len)
{
    const char *why = NULL;
    char *nfc = text_nfc(buf, len, &why);
    char *key;

    if (nfc == NULL)
        return;
    (void)text_length_chars(nfc);
    (void)text_looks_legacy_vietnamese(nfc);
    (void)text_is_blank(nfc);
    key = text_fold_key(nfc);
    if (key == NULL)
        abort(); /* valid NFC text always folds */
    free(key);
    free(nfc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    bank_report *rep = bank_report_new();
    size_t errors;
    bank *b;
    json_t *problems;
    FILE *devnull;

    if (rep == NULL)
        return 0;
    b = bank_parse_json(buf, size, "fuzz.json", rep);
    errors = bank_report_errors(rep);
    if ((b != NULL) != (errors == 0))
        abort();
    problems = bank_report_to_json(rep);
    if (problems == NULL)
        abort(); /* every message must be valid UTF-8 */
    json_decref(problems);
    devnull = fopen("/dev/null", "w");
    if (devnull != NULL) {
        bank_report_print(rep, devnull);
        fclose(devnull);
    }
    bank_free(b);
    bank_report_free(rep);

    check_jsonpos(buf, size);
    check_text(buf, size);
    return 0;
}
