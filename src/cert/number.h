/* cert/number: certificate numbers. Ten characters drawn with libsodium's
 * CSPRNG from a 31-character alphabet without look-alikes (no 0/O, 1/I/L),
 * then one check character: a weighted sum modulo 31 (a prime) with the
 * distinct weights 1..11, so every single-character change and every
 * transposition of two characters is detected. About 49 bits of randomness;
 * uniqueness is the caller's (store.c retries on a collision).
 * Shown grouped as XXXX-XXXX-XXX; typed in any case, with or without the
 * hyphens or spaces. */
#ifndef CCHC_CERT_NUMBER_H
#define CCHC_CERT_NUMBER_H
#include <stddef.h>

#define CERT_NUMBER_LEN 11    /* 10 random + 1 check */
#define CERT_NUMBER_BUF 12    /* with the NUL */
#define CERT_NUMBER_GROUPED 14 /* XXXX-XXXX-XXX and the NUL */

extern const char cert_alphabet[]; /* the 31 characters, in value order */

/* Writes a new random number (CERT_NUMBER_LEN characters and a NUL). */
void cert_number_new(char out[CERT_NUMBER_BUF]);
/* The check character for the first n characters of s (which must all be in
 * the alphabet); '\0' if one is not. */
char cert_number_check_char(const char *s, size_t n);
/* 1 if s is exactly a well-formed number (canonical form, check correct). */
int cert_number_valid(const char *s);
/* Reads a typed number: drops hyphens and spaces, upper-cases; 0 and the
 * canonical form in out when it is well formed (check included), else -1. */
int cert_number_normalise(const char *in, char out[CERT_NUMBER_BUF]);
/* The canonical number grouped for people: ABCD-EFGH-JKM. */
void cert_number_group(const char *number, char out[CERT_NUMBER_GROUPED]);

#endif
