#include "cert/payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The d text: six fields, each at most CERT_TEXT_MAX - 1 bytes. */
#define D_MAX (6 * CERT_TEXT_MAX)

int cert_payload_build(buf *b, const char *base_url, const cert_fields *f,
                       const unsigned char sig[CERT_SIG_BYTES])
{
    buf tail;
    buf_init(&tail, 0);
    int rc = -1;
    char *d = NULL;
    if (cert_fields_tail(f, &tail) != 0)
        goto done;
    size_t dn = sodium_base64_ENCODED_LEN(tail.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    d = malloc(dn);
    if (!d)
        goto done;
    cert_b64url_encode((const unsigned char *)tail.data, tail.len, d, dn);
    char s[CERT_SIG_B64];
    cert_b64url_encode(sig, CERT_SIG_BYTES, s, sizeof s);
    rc = buf_printf(b, "%s/v/%s?d=%s&s=%s", base_url, f->number, d, s);
done:
    free(d);
    buf_free(&tail);
    return rc;
}

static int fail(char *err, size_t errn, const char *msg)
{
    if (err && errn)
        snprintf(err, errn, "%s", msg);
    return -1;
}

static int parse_d(const char *v, size_t n, cert_payload *p, char *err, size_t errn)
{
    unsigned char *raw = malloc(D_MAX);
    if (!raw)
        return fail(err, errn, "out of memory");
    long got = cert_b64url_decode(v, n, raw, D_MAX);
    int rc = -1;
    if (got < 0)
        fail(err, errn, "the d parameter is not base64url or too long");
    else
        rc = cert_fields_parse_tail((const char *)raw, (size_t)got, &p->f, err, errn);
    free(raw);
    if (rc == 0)
        p->has_fields = 1;
    return rc;
}

static int parse_s(const char *v, size_t n, cert_payload *p, char *err, size_t errn)
{
    if (cert_b64url_decode(v, n, p->sig, sizeof p->sig) != CERT_SIG_BYTES)
        return fail(err, errn, "the s parameter is not a base64url Ed25519 signature");
    p->has_sig = 1;
    return 0;
}

int cert_payload_parse_args(const char *d, const char *s, cert_payload *p, char *err,
                            size_t errn)
{
    if (d && parse_d(d, strlen(d), p, err, errn) != 0)
        return -1;
    if (s && parse_s(s, strlen(s), p, err, errn) != 0)
        return -1;
    return 0;
}

static const char *find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

int cert_payload_parse(const char *text, size_t len, cert_payload *p, char *err, size_t errn)
{
    memset(p, 0, sizeof *p);
    while (len && (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r' ||
                   text[len - 1] == '\n'))
        len--;
    if (memchr(text, '\0', len))
        return fail(err, errn, "the text contains a NUL byte");
    const char *v = find(text, len, "/v/");
    if (!v)
        return fail(err, errn, "no /v/ in the text: not a certificate QR code");
    size_t blen = (size_t)(v - text);
    if (blen >= sizeof p->base)
        return fail(err, errn, "the address before /v/ is too long");
    memcpy(p->base, text, blen);
    p->base[blen] = '\0';
    const char *end = text + len;
    const char *num = v + 3;
    const char *q = num;
    while (q < end && *q != '?' && *q != '#' && *q != '/')
        q++;
    char typed[40];
    size_t nl = (size_t)(q - num);
    if (nl == 0 || nl >= sizeof typed)
        return fail(err, errn, "no certificate number after /v/");
    memcpy(typed, num, nl);
    typed[nl] = '\0';
    if (cert_number_normalise(typed, p->f.number) != 0)
        return fail(err, errn, "the certificate number is malformed or its check character "
                               "is wrong");
    if (q < end && *q == '/')
        return fail(err, errn, "unexpected path after the certificate number");
    if (q >= end || *q == '#')
        return 0;
    /* query: name=value pairs separated by &, up to a # */
    const char *qs = q + 1;
    const char *qend = memchr(qs, '#', (size_t)(end - qs));
    if (!qend)
        qend = end;
    int seen_d = 0, seen_s = 0;
    while (qs < qend) {
        const char *amp = memchr(qs, '&', (size_t)(qend - qs));
        const char *pe = amp ? amp : qend;
        const char *eq = memchr(qs, '=', (size_t)(pe - qs));
        if (eq) {
            size_t kn = (size_t)(eq - qs);
            const char *val = eq + 1;
            size_t vn = (size_t)(pe - val);
            if (kn == 1 && qs[0] == 'd') {
                if (seen_d++)
                    return fail(err, errn, "the d parameter appears twice");
                if (parse_d(val, vn, p, err, errn) != 0)
                    return -1;
            } else if (kn == 1 && qs[0] == 's') {
                if (seen_s++)
                    return fail(err, errn, "the s parameter appears twice");
                if (parse_s(val, vn, p, err, errn) != 0)
                    return -1;
            }
        }
        qs = amp ? amp + 1 : qend;
    }
    return 0;
}
