/* http/multipart.h - reading a multipart/form-data body (RFC 7578), as browsers send a
 * form with a file, without copying it: every part points into the body. */
#ifndef CCHC_MULTIPART_H
#define CCHC_MULTIPART_H
#include <stddef.h>

#define MULTIPART_MAX_PARTS 16

typedef struct mp_part {
    char name[64];       /* the form field's name ("" when absent or too long) */
    char filename[256];  /* the file's name for a file field ("" otherwise; cut if longer) */
    int has_filename;
    const char *data;    /* the part's content inside the body */
    size_t len;
} mp_part;

/* 1 when the Content-Type header value says multipart/form-data. */
int multipart_is(const char *content_type);

/* Splits body[0..len) into at most max parts using the boundary of content_type.
 * Returns the number of parts, or -1 with a static English reason in *err when the body
 * or the header is malformed (no boundary, a part without headers, no closing
 * delimiter). */
int multipart_parse(const char *content_type, const char *body, size_t len, mp_part *parts,
                    int max, const char **err);

/* The first part called name, or NULL. */
const mp_part *multipart_get(const mp_part *parts, int n, const char *name);

#endif
