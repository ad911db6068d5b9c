/* phone: Vietnamese phone and citizen-ID numbers as identity keys. */
#ifndef CCHC_PHONE_H
#define CCHC_PHONE_H
#include <stddef.h>

/* Normalises a Vietnamese phone number to E.164 ("+84912345678"): accepts
 * 0912345678, +84912345678, 84912345678, 0084..., with spaces, dots, dashes and
 * parentheses. Returns 0 and writes out (at least 16 bytes), or -1 when it is
 * not a plausible number (9-10 national digits after the leading 0). */
int phone_normalise(const char *in, char *out, size_t n);
/* CCCD: 12 digits; the older CMND: 9 or 12 digits. Spaces are removed.
 * Returns 0 and writes the digits to out (at least 13 bytes), or -1. */
int phone_cccd_normalise(const char *in, char *out, size_t n);

#endif
