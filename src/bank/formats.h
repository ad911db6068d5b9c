/* bank/formats.h - every bank format by name: detection, reading and writing.
 *
 * Formats: native JSON (docs/bank-format.md), GIFT, Aiken, CSV, Moodle XML (see
 * docs/bank-formats.md and each reader's header). Detection looks at the content first
 * ('{' JSON, '<' XML, a CSV header row, "ANSWER:" lines for Aiken, "{...}" blocks or
 * "::title::" or "$CATEGORY:" for GIFT), then at the file name's extension.
 */
#ifndef CCHC_BANK_FORMATS_H
#define CCHC_BANK_FORMATS_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/build.h"
#include "bank/report.h"
#include "util/buf.h"

typedef enum {
    BANK_FMT_UNKNOWN = 0,
    BANK_FMT_NATIVE,
    BANK_FMT_GIFT,
    BANK_FMT_AIKEN,
    BANK_FMT_CSV,
    BANK_FMT_XML,
} bank_format;

/* "native", "gift", "aiken", "csv", "xml"; "?" for unknown. Static strings. */
const char *bank_format_name(bank_format f);

/* The format for a name ("native" or "json", "gift", "aiken", "csv", "xml" or "moodle";
 * any case), BANK_FMT_UNKNOWN for anything else (NULL and "" and "auto" included). */
bank_format bank_format_from_name(const char *name);

/* The format of buf[0..len) by its content, else by filename's extension (filename may be
 * NULL); BANK_FMT_UNKNOWN when neither tells. */
bank_format bank_format_detect(const char *buf, size_t len, const char *filename);

/* Reads a bank in format fmt (BANK_FMT_UNKNOWN: detect it) from buf[0..len). Every
 * problem goes to rep under opts->filename. An id or title in opts replaces the file's
 * own (for the native format too). Returns a new bank (caller frees with bank_free) when
 * no error was reported, else NULL. *detected (may be NULL) receives the format used. */
bank *bank_parse_format(const char *buf, size_t len, bank_format fmt,
                        const bank_import_opts *opts, bank_report *rep,
                        bank_format *detected);

/* Appends the bank to out in format fmt. plain applies to Aiken (see aiken.h); *skipped
 * (may be NULL) counts questions the format could not hold. 0, or -1 when out of memory
 * or the format is unknown. */
int bank_write_format(const bank *b, bank_format fmt, int plain, buf *out, int *skipped);

/* Appends the bank in the native JSON format (docs/bank-format.md) to out. 0 or -1. */
int bank_native_write(const bank *b, buf *out);

/* A file name extension for the format ("json", "gift.txt", "aiken.txt", "csv", "xml"). */
const char *bank_format_extension(bank_format f);

/* The MIME type an export is served with. */
const char *bank_format_mime(bank_format f);

#endif
