#include "cert/number.h"

#include <sodium.h>
#include <string.h>

/* 2-9 and A-Z without I, L, O: 8 + 23 = 31 characters. */
const char cert_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define RADIX 31

static int value_of(char ch)
{
    const char *p = ch ? strchr(cert_alphabet, ch) : NULL;
    return p ? (int)(p - cert_alphabet) : -1;
}

char cert_number_check_char(const char *s, size_t n)
{
    /* Position i (0-based) has weight i + 1, the check character weight
     * n + 1: sum of weight * value over all n + 1 characters is 0 mod 31. */
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = value_of(s[i]);
        if (v < 0)
            return '\0';
        sum = (sum + (unsigned)(i + 1) * (unsigned)v) % RADIX;
    }
    unsigned w = (unsigned)(n + 1) % RADIX;
    if (w == 0)
        return '\0';
    /* check = -sum * w^-1 mod 31; w^-1 = w^29 (Fermat). */
    unsigned inv = 1;
    for (int k = 0; k < RADIX - 2; k++)
        inv = inv * w % RADIX;
    unsigned c = (RADIX - sum) % RADIX * inv % RADIX;
    return cert_alphabet[c];
}

void cert_number_new(char out[CERT_NUMBER_BUF])
{
    for (int i = 0; i < CERT_NUMBER_LEN - 1; i++)
        out[i] = cert_alphabet[randombytes_uniform(RADIX)];
    out[CERT_NUMBER_LEN - 1] = cert_number_check_char(out, CERT_NUMBER_LEN - 1);
    out[CERT_NUMBER_LEN] = '\0';
}

int cert_number_valid(const char *s)
{
    if (!s || strlen(s) != CERT_NUMBER_LEN)
        return 0;
    char c = cert_number_check_char(s, CERT_NUMBER_LEN - 1);
    return c && c == s[CERT_NUMBER_LEN - 1];
}

int cert_number_normalise(const char *in, char out[CERT_NUMBER_BUF])
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        char ch = *p;
        if (ch == '-' || ch == ' ')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (n >= CERT_NUMBER_LEN || value_of(ch) < 0)
            return -1;
        out[n++] = ch;
    }
    out[n] = '\0';
    return cert_number_valid(out) ? 0 : -1;
}

void cert_number_group(const char *number, char out[CERT_NUMBER_GROUPED])
{
    size_t j = 0;
    for (size_t i = 0; number[i] && i < CERT_NUMBER_LEN; i++) {
        if (i == 4 || i == 8)
            out[j++] = '-';
        out[j++] = number[i];
    }
    out[j] = '\0';
}
