/* http/multipart.c - multipart/form-data reader; see multipart.h. */
#include "http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70 /* RFC 2046 */

int multipart_is(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    return strncasecmp(ct, "multipart/form-data", 19) == 0;
}

/* The boundary parameter of the header value into out (without quotes). 0 or -1. */
static int boundary_of(const char *ct, char out[BOUNDARY_MAX + 1])
{
    for (const char *p = strchr(ct, ';'); p; p = strchr(p, ';')) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "boundary=", 9) != 0)
            continue;
        p += 9;
        size_t n = 0;
        if (*p == '"') {
            p++;
            while (p[n] && p[n] != '"')
                n++;
        } else {
            while (p[n] && p[n] != ';' && p[n] != ' ' && p[n] != '\t')
                n++;
        }
        if (n == 0 || n > BOUNDARY_MAX)
            return -1;
        memcpy(out, p, n);
        out[n] = '\0';
        return 0;
    }
    return -1;
}

/* Copies the value of param (name="...") from a Content-Disposition header line
 * h[0..n) into out. Returns 1 when found. */
static int disposition_param(const char *h, size_t n, const char *param, char *out, size_t outn,
                             int *cut)
{
    size_t pl = strlen(param);
    size_t i = 0;
    *cut = 0;
    while (i < n) {
        /* a parameter starts after ';' and spaces */
        while (i < n && h[i] != ';')
            i++;
        if (i >= n)
            break;
        i++;
        while (i < n && (h[i] == ' ' || h[i] == '\t'))
            i++;
        if (n - i > pl && strncasecmp(h + i, param, pl) == 0 && h[i + pl] == '=') {
            i += pl + 1;
            size_t o = 0;
            if (i < n && h[i] == '"') {
                i++;
                while (i < n && h[i] != '"') {
                    char ch = h[i];
                    if (ch == '\\' && i + 1 < n) /* quoted-pair */
                        ch = h[++i];
                    if (o + 1 < outn)
                        out[o++] = ch;
                    else
                        *cut = 1;
                    i++;
                }
            } else {
                while (i < n && h[i] != ';' && h[i] != ' ') {
                    if (o + 1 < outn)
                        out[o++] = h[i];
                    else
                        *cut = 1;
                    i++;
                }
            }
            out[o] = '\0';
            return 1;
        }
    }
    return 0;
}

static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || hn < nn)
        return NULL;
    return memmem(hay, hn, needle, nn);
}

int multipart_parse(const char *ct, const char *body, size_t len, mp_part *parts, int max,
                    const char **err)
{
    char b[BOUNDARY_MAX + 1];
    char delim[BOUNDARY_MAX + 5];
    if (!ct || boundary_of(ct, b) != 0) {
        *err = "multipart body without a valid boundary parameter";
        return -1;
    }
    int dl = snprintf(delim, sizeof delim, "\r\n--%s", b);
    /* the first delimiter may start the body (no preamble) */
    const char *p;
    if (len >= (size_t)dl - 2 && memcmp(body, delim + 2, (size_t)dl - 2) == 0)
        p = body + dl - 2;
    else {
        p = find(body, len, delim, (size_t)dl);
        if (!p) {
            *err = "multipart body without its boundary";
            return -1;
        }
        p += dl;
    }
    const char *end = body + len;
    int n = 0;
    for (;;) {
        /* after a delimiter: "--" ends the body, else CRLF and a part */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return n;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            *err = "malformed multipart delimiter line";
            return -1;
        }
        p += 2;
        const char *hend = NULL;
        const char *data = NULL;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
            hend = p; /* a part without headers */
            data = p + 2;
        } else {
            hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
            data = hend ? hend + 4 : NULL;
        }
        if (!data) {
            *err = "multipart part without the blank line after its headers";
            return -1;
        }
        const char *next = find(data, (size_t)(end - data), delim, (size_t)dl);
        if (!next) {
            *err = "multipart body not closed by its final boundary";
            return -1;
        }
        if (n >= max) {
            *err = "too many parts in the multipart body";
            return -1;
        }
        mp_part *part = &parts[n];
        memset(part, 0, sizeof *part);
        part->data = data;
        part->len = (size_t)(next - data);
        /* the headers: only Content-Disposition matters */
        const char *h = p;
        while (h < hend) {
            const char *eol = find(h, (size_t)(hend - h), "\r\n", 2);
            size_t hl = eol ? (size_t)(eol - h) : (size_t)(hend - h);
            if (hl > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
                int cut;
                if (!disposition_param(h, hl, "name", part->name, sizeof part->name, &cut) ||
                    cut)
                    part->name[0] = '\0';
                part->has_filename = disposition_param(h, hl, "filename", part->filename,
                                                       sizeof part->filename, &cut);
            }
            h += hl + 2;
        }
        n++;
        p = next + dl;
    }
}

const mp_part *multipart_get(const mp_part *parts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(parts[i].name, name) == 0)
            return &parts[i];
    return NULL;
}
