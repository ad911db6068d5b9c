/* util/text.h - UTF-8 helpers (validation, NFC, folding for comparisons), on utf8proc.
 *
 * "Valid UTF-8" here is RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF),
 * nothing above U+10FFFF. Lengths in "characters" are Unicode code points.
 */
#ifndef CCHC_UTIL_TEXT_H
#define CCHC_UTIL_TEXT_H

#include <stddef.h>

/* Checks that s[0..len) is valid UTF-8. Returns 0 when it is; otherwise -1 and, when
 * bad_offset is not NULL, the offset of the first byte of the first invalid sequence. */
int text_utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* Validates s[0..len) and returns a newly allocated NUL-terminated NFC copy (caller
 * frees). On invalid UTF-8, an embedded NUL or lack of memory returns NULL and, when err
 * is not NULL, sets *err to a static English reason. */
char *text_nfc(const char *s, size_t len, const char **err);

/* Number of code points in the NUL-terminated UTF-8 string s (continuation bytes are
 * not counted). */
size_t text_length_chars(const char *s);

/* 1 when the UTF-8 string s is empty or only white space (as text_fold_key defines it),
 * else 0 (also for invalid UTF-8). */
int text_is_blank(const char *s);

/* Returns a newly allocated comparison key for s (caller frees): NFC, Unicode case
 * folding, every run of white space (Unicode Zs, TAB, LF, VT, FF, CR, U+0085, U+2028,
 * U+2029) collapsed to one ASCII space, leading and trailing white space removed.
 * Accents are kept ("Má" and "Ma" differ). Returns NULL on invalid UTF-8 or lack of
 * memory. */
char *text_fold_key(const char *s);

/* Cheap heuristic: returns 1 when the valid UTF-8 string s looks like Vietnamese text in
 * a legacy 8-bit encoding (TCVN3/ABC or VNI) that was read as Latin-1 / Windows-1252,
 * e.g. "C¸n bé" (TCVN3) or "Caùn boä" (VNI); 0 otherwise. It counts Latin-1 letters and
 * signs that Vietnamese never uses (and C1 controls) against letters only Vietnamese uses
 * (ă đ ơ ư and the U+1EA0..U+1EF9 block). */
int text_looks_legacy_vietnamese(const char *s);

/* Makes every line break of the NUL-terminated string s a single LF ("\r\n" and a lone
 * "\r" become "\n"), in place. */
void text_lf(char *s);

#endif
