/* bank/csv.h - question banks as CSV, as organisers fill them in Excel, read and written.
 *
 * The file: UTF-8 with or without a BOM (Excel's "CSV UTF-8"), a header row, one row per
 * question. The separator is found from the header row (',' ';' or TAB, or a first line
 * "sep=;"); fields may be quoted ("..."), with "" for a quote and line breaks inside;
 * CRLF, LF or CR line ends. Columns are named in the header, in English or Vietnamese
 * (accents and case do not matter), in any order; the template and its README are in
 * question-banks/templates/:
 *
 *   Mã câu (id)            Nhóm (category)       Tên nhóm (category_title)
 *   Độ khó (difficulty)    Đối tượng (track)     Câu hỏi (text)         -- required
 *   A B C D E F (options; A and B required)      Đáp án đúng (correct)  -- required
 *   Nhiều đáp án (multi)   Giải thích (explanation)
 *   Văn bản (source)       Điều khoản (article)  Liên kết (url)   Nhãn (tags)
 *
 * "Đáp án đúng" holds letters: "B", or "A, C" for a multi-select question (or any letter
 * with "Nhiều đáp án" = x / có / yes). Rows with every cell empty are skipped; unknown
 * columns are reported as warnings. Problems are reported at the line where the row
 * starts and the column where the cell starts.
 */
#ifndef CCHC_BANK_CSV_H
#define CCHC_BANK_CSV_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/build.h"
#include "bank/report.h"
#include "util/buf.h"

/* Parses CSV buf[0..len) into a new bank (caller frees with bank_free), or NULL when an
 * error was reported into rep. */
bank *bank_csv_parse(const char *buf, size_t len, const bank_import_opts *opts,
                     bank_report *rep);

/* Appends the bank as CSV (UTF-8 BOM, ';' separator as Vietnamese Excel expects, CRLF,
 * the template's header) to out.
 * 0, or -1 when out of memory. */
int bank_csv_write(const bank *b, buf *out);

#endif
