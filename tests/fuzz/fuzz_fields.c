/* libFuzzer target: the small request-field parsers: phone and CCCD
 * normalisation, times, the stored items encoding, answer bodies, and the
 * text helpers used on names. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/attempt.h"
#include "quiz/items.h"
#include "util/clock.h"
#include "util/phone.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char out[32];
    phone_normalise(s, out, sizeof out);
    phone_cccd_normalise(s, out, sizeof out);
    int64_t t;
    clock_parse(s, 0, &t);
    attempt_item items[ITEMS_MAX];
    int n = items_parse(s, items, ITEMS_MAX);
    for (int i = 0; i < n; i++)
        items_to_display(&items[i], items_to_original(&items[i], 0x3f));
    const char *why;
    char *nfc = text_nfc(s, size, &why);
    if (nfc) {
        free(text_fold_key(nfc));
        text_length_chars(nfc);
    }
    free(nfc);
    json_t *body = json_loadb((const char *)data, size, 0, NULL);
    if (json_is_object(body)) {
        app_err e;
        attempt_check_body(body, &e);
    }
    json_decref(body);
    free(s);
    return 0;
}
