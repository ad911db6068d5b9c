/* cert/fields: what a certificate says and signs, and its canonical text.
 *
 * The signed message is eight lines joined by '\n' (no final newline):
 *   cchc-cert/1
 *   NUMBER        canonical, 11 characters (cert/number.h)
 *   NAME          the participant's full name
 *   UNIT          the participant's unit (đơn vị)
 *   CONTEST       the contest title
 *   ROUND         the round title
 *   DATE          issue date in Vietnam, YYYY-MM-DD
 *   SCORE         "14/15" when the contest shows scores, else empty
 * Text fields are NFC UTF-8 without control characters, at most
 * CERT_TEXT_MAX - 1 bytes. The same lines after NUMBER form the QR
 * payload's "d" parameter (cert/payload.h), so an offline verifier has every
 * signed field without the database. */
#ifndef CCHC_CERT_FIELDS_H
#define CCHC_CERT_FIELDS_H
#include <stddef.h>

#include "cert/number.h"
#include "util/buf.h"

#define CERT_TEXT_MAX 512
#define CERT_MAGIC "cchc-cert/1"

typedef struct cert_fields {
    char number[CERT_NUMBER_BUF];
    char name[CERT_TEXT_MAX];
    char unit[CERT_TEXT_MAX];
    char contest[CERT_TEXT_MAX];
    char round[CERT_TEXT_MAX];
    char date[11];  /* YYYY-MM-DD */
    char score[24]; /* "14/15" or "" */
} cert_fields;

/* Copies s into out (n bytes) as a clean field: NFC, control characters
 * and runs of white space turned into one space, trimmed, cut at n - 1
 * bytes on a character boundary. 0, or -1 on invalid UTF-8. */
int cert_fields_clean(const char *s, char *out, size_t n);
/* Appends the canonical signed text of f to b. 0 or -1 (memory). */
int cert_fields_canonical(const cert_fields *f, buf *b);
/* Appends the lines after NUMBER (the payload's "d" text) to b. */
int cert_fields_tail(const cert_fields *f, buf *b);
/* Parses the lines after NUMBER (len bytes at s, not NUL-terminated) into
 * f, whose number is set by the caller. 0, or -1 with a reason in err. */
int cert_fields_parse_tail(const char *s, size_t len, cert_fields *f, char *err, size_t errn);
/* Parses a whole canonical text. 0, or -1 with a reason in err. */
int cert_fields_parse(const char *s, size_t len, cert_fields *f, char *err, size_t errn);
/* "2026-11-27" -> "ngày 27 tháng 11 năm 2026" (days below 10 and the months
 * 1 and 2 with a leading zero, as in administrative documents). */
void cert_fields_date_vn(const char *date, char *out, size_t n);
/* "2026-11-27" -> "27/11/2026". */
void cert_fields_date_short(const char *date, char *out, size_t n);

#endif
