/* clock: wall-clock milliseconds and the two time formats the engine speaks:
 * ISO-8601 UTC for the API and Vietnamese local time (UTC+7, no DST) for people. */
#ifndef CCHC_CLOCK_H
#define CCHC_CLOCK_H
#include <stdint.h>
#include <stddef.h>

#define CLOCK_VN_OFFSET_MS (7LL * 3600 * 1000)

int64_t clock_now_ms(void);
/* Monotonic milliseconds with sub-ms precision, for durations. */
double clock_mono_ms(void);
/* Writes e.g. 2026-11-27T21:15:00.000Z into out (at least 32 bytes). */
void clock_iso_utc(int64_t ms, char *out, size_t n);
/* Writes e.g. 08:00 27/11/2026 (Asia/Ho_Chi_Minh) into out. */
void clock_vn_human(int64_t ms, char *out, size_t n);
/* Parses an ISO-8601 time with a Z or ±hh:mm offset ("2026-11-20T08:00:00+07:00"),
 * or a time relative to now_ms ("now", "now+2d", "now-90m", units s m h d).
 * Returns 0 and sets *out, or -1. */
int clock_parse(const char *s, int64_t now_ms, int64_t *out);

#endif
