#include "cert/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

int cert_fields_clean(const char *s, char *out, size_t n)
{
    const char *why;
    char *nfc = text_nfc(s, strlen(s), &why);
    if (!nfc)
        return -1;
    size_t j = 0;
    int space = 1; /* drops leading white space */
    for (const unsigned char *p = (const unsigned char *)nfc; *p; p++) {
        int ws = *p < 0x20 || *p == 0x7f || *p == ' ';
        if (ws) {
            if (!space && j + 1 < n)
                out[j++] = ' ';
            space = 1;
            continue;
        }
        space = 0;
        if (j + 1 >= n)
            break;
        out[j++] = (char)*p;
    }
    /* Never end inside a UTF-8 sequence: back up to a lead byte that fits. */
    if (j > 0 && ((unsigned char)out[j - 1] & 0x80)) {
        size_t k = j;
        while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0) {
            unsigned char lead = (unsigned char)out[k - 1];
            size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (j - (k - 1) < want)
                j = k - 1;
        }
    }
    while (j > 0 && out[j - 1] == ' ')
        j--;
    out[j] = '\0';
    free(nfc);
    return 0;
}

int cert_fields_tail(const cert_fields *f, buf *b)
{
    return buf_printf(b, "%s\n%s\n%s\n%s\n%s\n%s", f->name, f->unit, f->contest, f->round,
                      f->date, f->score);
}

int cert_fields_canonical(const cert_fields *f, buf *b)
{
    if (buf_printf(b, CERT_MAGIC "\n%s\n", f->number) != 0)
        return -1;
    return cert_fields_tail(f, b);
}

static int fail(char *err, size_t errn, const char *msg)
{
    if (err && errn)
        snprintf(err, errn, "%s", msg);
    return -1;
}

/* Copies one line [s, s + len) into out after checking it is clean text. */
static int take_text(const char *s, size_t len, char *out, size_t n, int allow_empty)
{
    if (len >= n || (!allow_empty && len == 0))
        return -1;
    if (text_utf8_validate(s, len, NULL) != 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f)
            return -1;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return 0;
}

static int valid_date(const char *d)
{
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

static int valid_score(const char *s)
{
    if (!*s)
        return 1;
    int digits = 0, slash = 0;
    for (; *s; s++) {
        if (*s == '/') {
            if (slash++ || !digits)
                return 0;
            digits = 0;
        } else if (*s >= '0' && *s <= '9') {
            digits++;
        } else {
            return 0;
        }
    }
    return slash == 1 && digits > 0;
}

int cert_fields_parse_tail(const char *s, size_t len, cert_fields *f, char *err, size_t errn)
{
    const char *end = s + len;
    const char *line[6];
    size_t llen[6];
    int n = 0;
    const char *p = s;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if (n >= 6)
            return fail(err, errn, "too many lines in the certificate fields");
        line[n] = p;
        llen[n] = (size_t)(stop - p);
        n++;
        if (!nl)
            break;
        p = nl + 1;
    }
    if (n != 6)
        return fail(err, errn, "the certificate fields need 6 lines");
    if (take_text(line[0], llen[0], f->name, sizeof f->name, 0) != 0)
        return fail(err, errn, "bad name field");
    if (take_text(line[1], llen[1], f->unit, sizeof f->unit, 1) != 0)
        return fail(err, errn, "bad unit field");
    if (take_text(line[2], llen[2], f->contest, sizeof f->contest, 0) != 0)
        return fail(err, errn, "bad contest field");
    if (take_text(line[3], llen[3], f->round, sizeof f->round, 1) != 0)
        return fail(err, errn, "bad round field");
    if (take_text(line[4], llen[4], f->date, sizeof f->date, 0) != 0 || !valid_date(f->date))
        return fail(err, errn, "bad date field (YYYY-MM-DD)");
    if (take_text(line[5], llen[5], f->score, sizeof f->score, 1) != 0 || !valid_score(f->score))
        return fail(err, errn, "bad score field");
    return 0;
}

int cert_fields_parse(const char *s, size_t len, cert_fields *f, char *err, size_t errn)
{
    static const char magic[] = CERT_MAGIC "\n";
    size_t ml = sizeof magic - 1;
    if (len < ml + CERT_NUMBER_LEN + 1 || memcmp(s, magic, ml) != 0)
        return fail(err, errn, "not a cchc-cert/1 text");
    s += ml;
    len -= ml;
    memcpy(f->number, s, CERT_NUMBER_LEN);
    f->number[CERT_NUMBER_LEN] = '\0';
    if (!cert_number_valid(f->number) || s[CERT_NUMBER_LEN] != '\n')
        return fail(err, errn, "bad certificate number");
    return cert_fields_parse_tail(s + CERT_NUMBER_LEN + 1, len - CERT_NUMBER_LEN - 1, f, err,
                                  errn);
}

void cert_fields_date_vn(const char *date, char *out, size_t n)
{
    if (!valid_date(date)) {
        snprintf(out, n, "%s", date);
        return;
    }
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    snprintf(out, n, "ngày %02d tháng %s%d năm %d", d, m <= 2 ? "0" : "", m, y);
}

void cert_fields_date_short(const char *date, char *out, size_t n)
{
    if (!valid_date(date)) {
        snprintf(out, n, "%s", date);
        return;
    }
    snprintf(out, n, "%.2s/%.2s/%.4s", date + 8, date + 5, date);
}
