/* bank/gift.h - Moodle's GIFT format, read and written.
 *
 * Read: multiple choice ({=right ~wrong}), several correct answers with weights
 * ({~%50%a ~%50%b ~%-100%c}: the options with a positive weight form the key, and the
 * question is a multi-select one), true/false ({T} {TRUE} {F} {FALSE}: options "Đúng"
 * and "Sai"), "$CATEGORY: path", "::title::" (the question id when it is a valid id),
 * [html] text, the escapes \~ \= \# \{ \} \: \\ \n, "#feedback" after an answer (not
 * kept) and "####general feedback" (the explanation), "//" comment lines. Questions are
 * separated by blank lines; answers may stand on lines of their own. Other question
 * types (essay {}, numerical {#...}, matching ->, short answer, missing word) are
 * reported as warnings with their line and skipped.
 *
 * Metadata the format has no place for travels in comments that Moodle ignores:
 *   // @cchc-bank {"id": "...", "title": "..."}
 *   // @cchc-category {"id": "tthc", "title": "Thủ tục hành chính"}   (before $CATEGORY)
 *   // @cchc {"id", "difficulty", "track", "source": {...}, "tags": [...]} (before a question)
 * so that bank_gift_write then bank_gift_parse gives the same bank.
 */
#ifndef CCHC_BANK_GIFT_H
#define CCHC_BANK_GIFT_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/build.h"
#include "bank/report.h"
#include "util/buf.h"

/* Parses GIFT text buf[0..len) (a UTF-8 BOM is skipped). Every problem goes to rep under
 * opts->filename. Returns a new bank (caller frees with bank_free) when no error was
 * reported, else NULL. */
bank *bank_gift_parse(const char *buf, size_t len, const bank_import_opts *opts,
                      bank_report *rep);

/* Appends the bank as GIFT to out. 0, or -1 when out of memory. */
int bank_gift_write(const bank *b, buf *out);

#endif
