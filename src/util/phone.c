#include "util/phone.h"

#include <string.h>

int phone_normalise(const char *in, char *out, size_t n)
{
    char digits[32];
    size_t nd = 0;
    int plus = 0;
    for (const char *p = in; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (nd + 1 >= sizeof digits)
                return -1;
            digits[nd++] = *p;
        } else if (*p == '+' && nd == 0 && !plus) {
            plus = 1;
        } else if (*p != ' ' && *p != '.' && *p != '-' && *p != '(' && *p != ')') {
            return -1;
        }
    }
    digits[nd] = '\0';
    const char *national;
    if (!plus && nd >= 2 && digits[0] == '0' && digits[1] == '0' && nd > 4 &&
        digits[2] == '8' && digits[3] == '4')
        national = digits + 4;
    else if (nd >= 2 && digits[0] == '8' && digits[1] == '4' && (plus || nd >= 11))
        national = digits + 2;
    else if (!plus && nd >= 1 && digits[0] == '0')
        national = digits + 1;
    else
        return -1;
    if (national[0] == '0')
        national++;
    size_t len = strlen(national);
    if (len < 9 || len > 10 || national[0] == '0' || n < len + 4)
        return -1;
    out[0] = '+';
    out[1] = '8';
    out[2] = '4';
    memcpy(out + 3, national, len + 1);
    return 0;
}

int phone_cccd_normalise(const char *in, char *out, size_t n)
{
    size_t nd = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9' || nd >= 12 || nd + 1 >= n)
            return -1;
        out[nd++] = *p;
    }
    out[nd] = '\0';
    return (nd == 9 || nd == 12) ? 0 : -1;
}
