/* bank/aiken.h - the Aiken format, read and written.
 *
 * Read: a question's text (one line; lines that follow it before the first option are
 * joined to it), then its options, each on a line of its own starting with a capital
 * letter and ')' or '.' and an optional space ("A) ", "B. ", "C)text"), in order from A,
 * then "ANSWER: X" (also "ĐÁP ÁN: X"). Errors: an option with no question before it, a
 * question with fewer than two options, no ANSWER line, an ANSWER letter that is not an
 * option, options out of order. Blank lines between questions are optional.
 *
 * Extensions (not in Moodle's Aiken, written by bank_aiken_write unless plain):
 * "ANSWER: A, C" makes a multi-select question; after the ANSWER line, lines
 *   ID: q-001                 DIFFICULTY: easy|medium|hard   TRACK: cbccvc|citizen|both
 *   CATEGORY: tthc | Thủ tục hành chính   (or just a title or an id)
 *   EXPLANATION: ...          SOURCE: document   ARTICLE: Điều 3   URL: https://...
 *   TAGS: a, b                MULTI: yes
 * carry the rest of the bank (values: "\n" is a line break, "\\" a backslash). A
 * CATEGORY stays in force for the questions after it.
 */
#ifndef CCHC_BANK_AIKEN_H
#define CCHC_BANK_AIKEN_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/build.h"
#include "bank/report.h"
#include "util/buf.h"

/* Parses Aiken text buf[0..len) (a UTF-8 BOM is skipped) into a new bank (caller frees
 * with bank_free), or NULL when an error was reported into rep. */
bank *bank_aiken_parse(const char *buf, size_t len, const bank_import_opts *opts,
                       bank_report *rep);

/* Appends the bank as Aiken to out. With plain set, writes only what Moodle reads
 * (question, options, ANSWER) and leaves out multi-select questions, counting them in
 * *skipped (may be NULL). 0, or -1 when out of memory. */
int bank_aiken_write(const bank *b, int plain, buf *out, int *skipped);

#endif
