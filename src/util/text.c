/* util/text.c - UTF-8 helpers; see text.h. */
#include "util/text.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <utf8proc.h>

/* Length of the valid UTF-8 sequence at s[0..avail), or 0 when it is invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        if (avail < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;

        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
        if (avail < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;

        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
        if (avail < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

int text_utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n;

        if (p[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_seq_len(p + i, len - i);
        if (n == 0) {
            if (bad_offset != NULL)
                *bad_offset = i;
            return -1;
        }
        i += n;
    }
    return 0;
}

/* Decodes the code point at p (valid UTF-8, at least one byte); stores its length. */
static uint32_t decode(const unsigned char *p, size_t *n)
{
    if (p[0] < 0x80) {
        *n = 1;
        return p[0];
    }
    if (p[0] < 0xE0) {
        *n = 2;
        return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *n = 3;
        return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
               (p[2] & 0x3F);
    }
    *n = 4;
    return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
           ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* Code points that are NFC on their own, have combining class 0 and never compose with
 * what precedes them: a string made only of these is already NFC. Checked against
 * utf8proc for every code point in the ranges (Latin, Latin Extended Additional with the
 * precomposed Vietnamese letters, general punctuation, currency signs). */
static int nfc_stable(uint32_t c)
{
    return c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2010 && c <= 0x205E) ||
           (c >= 0x20A0 && c <= 0x20C0);
}

/* 1 when the valid UTF-8 s[0..len) is certainly NFC already (a quick check). */
static int is_nfc_quick(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n;

        if (p[i] < 0x80) {
            i++;
            continue;
        }
        if (!nfc_stable(decode(p + i, &n)))
            return 0;
        i += n;
    }
    return 1;
}

char *text_nfc(const char *s, size_t len, const char **err)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n;
    const char *why = "out of memory";

    if (memchr(s, '\0', len) != NULL) {
        why = "contains a NUL character";
        goto fail;
    }
    if (text_utf8_validate(s, len, NULL) != 0) {
        why = "invalid UTF-8";
        goto fail;
    }
    if (is_nfc_quick(s, len)) {
        out = malloc(len + 1);
        if (out == NULL)
            goto fail;
        memcpy(out, s, len);
        out[len] = '\0';
        return (char *)out;
    }
    if (len > (size_t)PTRDIFF_MAX / 4) /* utf8proc works on signed lengths */
        goto fail;
    n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        out = NULL;
        why = n == UTF8PROC_ERROR_NOMEM ? "out of memory" : "invalid UTF-8";
        goto fail;
    }
    return (char *)out;
fail:
    free(out);
    if (err != NULL)
        *err = why;
    return NULL;
}

size_t text_length_chars(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    }
    return n;
}

static int is_space(utf8proc_int32_t c)
{
    if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ')
        return 1;
    if (c == 0x85 || c == 0x2028 || c == 0x2029)
        return 1;
    if (c < 0x80)
        return 0;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

int text_is_blank(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;

    while (*p != '\0') {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);

        if (n <= 0 || !is_space(c))
            return 0;
        p += n;
    }
    return 1;
}

/* Case folding of the NFC-stable code points (see nfc_stable), built
 * once from utf8proc: the folded code point, or 0 when the fold is not one code point
 * that is itself NFC-stable (e.g. U+00DF -> "ss"); those strings take the slow path. */
static uint16_t fold_low[0x300];
static uint16_t fold_ext[0x100]; /* U+1E00..U+1EFF */
static uint16_t fold_punct[0x100]; /* U+2000..U+20FF */
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static uint16_t fold_one(utf8proc_int32_t c)
{
    utf8proc_int32_t out[8];
    utf8proc_ssize_t n;
    int last = 0;

    n = utf8proc_decompose_char(c, out, 8,
                                UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STABLE,
                                &last);
    if (n < 1 || n > 8)
        return 0;
    n = utf8proc_normalize_utf32(out, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (n != 1 || !nfc_stable((uint32_t)out[0]) || out[0] > 0xFFFF || out[0] == 0)
        return 0;
    return (uint16_t)out[0];
}

static void fold_init(void)
{
    utf8proc_int32_t c;

    for (c = 1; c < 0x300; c++)
        fold_low[c] = fold_one(c);
    for (c = 0; c < 0x100; c++) {
        fold_ext[c] = fold_one(0x1E00 + c);
        fold_punct[c] = nfc_stable(0x2000 + (uint32_t)c) ? fold_one(0x2000 + c) : 0;
    }
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
}

/* Folds the valid UTF-8 string s without utf8proc_map when every code point has a quick
 * fold. Returns 1 with a new string in *out, 0 when the slow path is needed, -1 when out
 * of memory. */
static int fold_quick(const char *s, size_t len, char **out)
{
    const unsigned char *p = (const unsigned char *)s;
    char *buf = NULL;
    size_t i = 0;
    size_t o = 0;
    int pending_space = 0;

    if (pthread_once(&fold_once, fold_init) != 0)
        return 0;
    buf = malloc(len * 2 + 1); /* a fold grows UTF-8 by at most 3/2 here */
    if (buf == NULL)
        return -1;
    while (i < len) {
        size_t n;
        uint32_t c = decode(p + i, &n);
        uint32_t f;

        if (c < 0x80) {
            f = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        } else if (c < 0x300) {
            f = fold_low[c];
        } else if (c >= 0x1E00 && c <= 0x1EFF) {
            f = fold_ext[c - 0x1E00];
        } else if (c >= 0x2000 && c <= 0x20FF) {
            f = fold_punct[c - 0x2000];
        } else {
            f = 0;
        }
        if (f == 0) {
            free(buf);
            return 0;
        }
        if (is_space((utf8proc_int32_t)f)) {
            pending_space = o > 0;
        } else {
            if (pending_space)
                buf[o++] = ' ';
            pending_space = 0;
            o += put_utf8(buf + o, f);
        }
        i += n;
    }
    buf[o] = '\0';
    *out = buf;
    return 1;
}

char *text_fold_key(const char *s)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n;
    utf8proc_ssize_t i = 0;
    size_t o = 0;
    int pending_space = 0;
    size_t len = strlen(s);
    char *quick = NULL;
    int rc;

    if (text_utf8_validate(s, len, NULL) != 0)
        goto fail;
    rc = fold_quick(s, len, &quick);
    if (rc < 0)
        goto fail;
    if (rc > 0)
        return quick;
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                         UTF8PROC_CASEFOLD);
    if (n < 0) {
        folded = NULL;
        goto fail;
    }
    /* collapse white space in place: the output never grows */
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(folded + i, n - i, &c);

        if (k <= 0)
            goto fail;
        if (is_space(c)) {
            pending_space = o > 0;
        } else {
            if (pending_space)
                folded[o++] = ' ';
            pending_space = 0;
            memmove(folded + o, folded + i, (size_t)k);
            o += (size_t)k;
        }
        i += k;
    }
    folded[o] = '\0';
    return (char *)folded;
fail:
    free(folded);
    return NULL;
}

/* Latin-1 letters used in Vietnamese: À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý and lower case. */
static int latin1_is_vietnamese(utf8proc_int32_t c)
{
    static const char viet[] = "\xC0\xC1\xC2\xC3\xC8\xC9\xCA\xCC\xCD\xD2\xD3\xD4\xD5\xD9"
                               "\xDA\xDD";
    utf8proc_int32_t upper = c >= 0xE0 ? c - 0x20 : c;
    size_t i;

    if (c == 0xF7) /* division sign, not a letter */
        return 0;
    for (i = 0; i < sizeof(viet) - 1; i++) {
        if ((unsigned char)viet[i] == upper)
            return 1;
    }
    return 0;
}

static int is_vietnamese_only(utf8proc_int32_t c)
{
    switch (c) {
    case 0x102: case 0x103: /* Ă ă */
    case 0x110: case 0x111: /* Đ đ */
    case 0x128: case 0x129: /* Ĩ ĩ */
    case 0x168: case 0x169: /* Ũ ũ */
    case 0x1A0: case 0x1A1: /* Ơ ơ */
    case 0x1AF: case 0x1B0: /* Ư ư */
        return 1;
    default:
        return c >= 0x1EA0 && c <= 0x1EF9;
    }
}

int text_looks_legacy_vietnamese(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t markers = 0;
    size_t viet = 0;

    while (*p != '\0') {
        utf8proc_int32_t c;
        utf8proc_ssize_t k;

        if (*p < 0x80) {
            p++;
            continue;
        }
        k = utf8proc_iterate(p, -1, &c);
        if (k <= 0)
            return 0;
        p += k;
        if (c >= 0x80 && c <= 0x9F) {
            markers++; /* C1 control: bytes decoded as Latin-1 */
        } else if (c >= 0xA1 && c <= 0xFF) {
            /* neutral signs that real text uses: degree, plus-minus, times, division */
            if (c == 0xB0 || c == 0xB1 || c == 0xD7 || c == 0xF7)
                continue;
            if (!latin1_is_vietnamese(c))
                markers++;
        } else if (is_vietnamese_only(c)) {
            viet++;
        }
    }
    return markers >= 2 && markers > viet;
}

void text_lf(char *s)
{
    char *w = s;

    for (; *s != '\0'; s++) {
        if (*s == '\r') {
            *w++ = '\n';
            if (s[1] == '\n')
                s++;
            continue;
        }
        *w++ = *s;
    }
    *w = '\0';
}
