#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * civil_from_days). gmtime_r takes glibc's time-zone lock on every call,
 * which every reply showing a deadline paid for. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void clock_iso_utc(int64_t ms, char *out, size_t n)
{
    int64_t days = ms / 86400000, rest = ms % 86400000;
    if (rest < 0) {
        rest += 86400000;
        days--;
    }
    int y, mo, d;
    civil_from_days(days, &y, &mo, &d);
    if (y < 0 || y > 9999 || n < 25) {
        if (n)
            out[0] = '\0';
        return;
    }
    /* YYYY-MM-DDThh:mm:ss.mmmZ */
    memcpy(out, "0000-00-00T00:00:00.000Z", 25);
    put_digits(out, y, 4);
    put_digits(out + 5, mo, 2);
    put_digits(out + 8, d, 2);
    put_digits(out + 11, (int)(rest / 3600000), 2);
    put_digits(out + 14, (int)(rest / 60000 % 60), 2);
    put_digits(out + 17, (int)(rest / 1000 % 60), 2);
    put_digits(out + 20, (int)(rest % 1000), 3);
}

void clock_vn_human(int64_t ms, char *out, size_t n)
{
    time_t t = (time_t)((ms + CLOCK_VN_OFFSET_MS) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, n, "%02d:%02d %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday,
             tm.tm_mon + 1, tm.tm_year + 1900);
}

static int parse_relative(const char *s, int64_t now_ms, int64_t *out)
{
    s += 3;
    if (*s == '\0') {
        *out = now_ms;
        return 0;
    }
    if (*s != '+' && *s != '-')
        return -1;
    int sign = *s == '-' ? -1 : 1;
    char *end;
    long long v = strtoll(s + 1, &end, 10);
    if (end == s + 1 || v < 0 || v > 100000)
        return -1;
    int64_t unit;
    switch (*end) {
    case 's': unit = 1000; break;
    case 'm': unit = 60 * 1000; break;
    case 'h': unit = 3600 * 1000; break;
    case 'd': unit = 86400LL * 1000; break;
    default: return -1;
    }
    if (end[1] != '\0')
        return -1;
    *out = now_ms + sign * v * unit;
    return 0;
}

int clock_parse(const char *s, int64_t now_ms, int64_t *out)
{
    if (strncmp(s, "now", 3) == 0)
        return parse_relative(s, now_ms, out);
    /* YYYY-MM-DDThh:mm:ss, digits exactly where they belong */
    static const char layout[] = "dddd-dd-ddTdd:dd:dd";
    for (int i = 0; layout[i]; i++) {
        if (layout[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != layout[i])
            return -1;
    }
    int Y, M, D, h, m, sec, used = 19;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &Y, &M, &D, &h, &m, &sec) != 6)
        return -1;
    if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 ||
        m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0)
        return -1;
    const char *p = s + used;
    int millis = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            if (digits < 3)
                millis = millis * 10 + (*p - '0');
            digits++;
            p++;
        }
        if (digits == 0)
            return -1;
        while (digits < 3) {
            millis *= 10;
            digits++;
        }
    }
    int offset_min = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        const char *z = p + 1;
        int digits = z[0] >= '0' && z[0] <= '9' && z[1] >= '0' && z[1] <= '9' && z[2] == ':' &&
                     z[3] >= '0' && z[3] <= '9' && z[4] >= '0' && z[4] <= '9';
        if (!digits)
            return -1;
        int oh = (z[0] - '0') * 10 + (z[1] - '0');
        int om = (z[3] - '0') * 10 + (z[4] - '0');
        if (oh > 14 || om > 59)
            return -1;
        offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    struct tm tm = {0};
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    *out = ((int64_t)t - (int64_t)offset_min * 60) * 1000 + millis;
    return 0;
}
