/* libFuzzer target: the multipart/form-data reader (http/multipart.c) on arbitrary bytes.
 * The first line of the input is the Content-Type header value, the rest the body. Every
 * part it returns must lie inside the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t hl = nl ? (size_t)(nl - (const char *)data) : size;
    char *ct = malloc(hl + 1);
    if (ct == NULL)
        return 0;
    memcpy(ct, data, hl);
    ct[hl] = '\0';
    const char *body = nl ? nl + 1 : (const char *)data + size;
    size_t len = size - (size_t)(body - (const char *)data);
    /* a copy of exactly len bytes, so that ASan sees any read past the body */
    char *copy = malloc(len ? len : 1);
    if (copy == NULL) {
        free(ct);
        return 0;
    }
    memcpy(copy, body, len);
    mp_part parts[MULTIPART_MAX_PARTS];
    const char *err = NULL;
    int n = multipart_parse(ct, copy, len, parts, MULTIPART_MAX_PARTS, &err);
    if (n < 0 && err == NULL)
        abort();
    for (int i = 0; i < n; i++) {
        if (parts[i].data < copy || parts[i].data + parts[i].len > copy + len)
            abort();
        if (strlen(parts[i].name) >= sizeof parts[i].name ||
            strlen(parts[i].filename) >= sizeof parts[i].filename)
            abort();
    }
    (void)multipart_get(parts, n > 0 ? n : 0, "file");
    (void)multipart_is(ct);
    free(copy);
    free(ct);
    return 0;
}
