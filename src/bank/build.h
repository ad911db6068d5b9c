/* bank/build.h - assembling a bank from the questions that a text-format parser reads
 * (GIFT, Aiken, CSV, Moodle XML), with the same rules as the native format.
 *
 * A parser reads its syntax, turns each question into a bank_draft (plain UTF-8 strings
 * it owns, already unescaped, with the lines they came from) and hands it to
 * bank_builder_add, which normalises to NFC, trims, checks every rule of
 * docs/bank-format.md (text length, 2-6 distinct options, a key, lengths of the
 * explanation and source, legacy encodings) and reports each problem at the draft's
 * lines. Missing metadata takes the documented defaults: difficulty medium, track both,
 * the current category (bank_builder_category) or BANK_DEFAULT_CATEGORY, an id "q-N".
 *
 * bank_text_check runs before any parser: it finds a BOM, UTF-16, NUL bytes, invalid
 * UTF-8 and legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258) and reports them
 * by line, so that such text is never imported as mojibake.
 *
 * Lines are 1-based; LF, CRLF and a lone CR each end a line. Columns count characters.
 */
#ifndef CCHC_BANK_BUILD_H
#define CCHC_BANK_BUILD_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/report.h"

#define BANK_DEFAULT_CATEGORY "chung"
#define BANK_DEFAULT_CATEGORY_TITLE "Câu hỏi chung"
#define BANK_DRAFT_OPTIONS 26 /* a draft may hold more than 6 options: they are reported */

/* What the upload or the command line says about the bank; every field may be NULL. */
typedef struct bank_import_opts {
    const char *id;       /* bank id; NULL: from the file's own metadata, else its name */
    const char *title;    /* NULL: from the file's metadata, else the id */
    const char *filename; /* the name used in the report; its base name gives the default id */
} bank_import_opts;

/* One question as a parser read it. Strings are NUL-terminated UTF-8 owned by the caller
 * (copied by bank_builder_add); NULL means absent. */
typedef struct bank_draft {
    int line;                /* first line of the question */
    const char *id;          /* NULL or invalid: "q-N" (N = its number in the file) */
    const char *category;    /* a category id from bank_builder_category; NULL: current */
    const char *text;
    int text_line;           /* 0: line */
    const char *options[BANK_DRAFT_OPTIONS];
    int option_line[BANK_DRAFT_OPTIONS]; /* 0: line */
    int noptions;            /* may exceed BANK_DRAFT_OPTIONS: then only counted */
    unsigned long correct;   /* bit i set: options[i] is correct */
    int multi;               /* 1: a multi-select question (all and only the keyed options) */
    const char *explanation;
    const char *source_document;
    const char *source_article;
    const char *source_url;
    const char *difficulty;  /* "easy", "medium", "hard" or Vietnamese ("dễ", "trung bình",
                                "khó"); NULL: medium */
    const char *track;       /* "cbccvc", "citizen", "both" or Vietnamese; NULL: both */
    const char *tags;        /* comma-separated; NULL: none */
    int meta_line;           /* line of difficulty/track/tags/source when elsewhere; 0: line */
} bank_draft;

typedef struct bank_builder bank_builder;

/* Checks that buf[0..len) is UTF-8 text: reports (as errors, by line) a UTF-16 file, NUL
 * bytes, invalid UTF-8 and lines that look like Vietnamese in a legacy 8-bit encoding,
 * at most 20 lines then a count. Stores in *skip the length of a UTF-8 BOM (0 or 3).
 * Returns the number of errors added. */
size_t bank_text_check(const char *buf, size_t len, bank_report *rep, size_t *skip);

/* Returns a new builder that reports into rep (not owned), NULL when out of memory.
 * opts may be NULL; its strings must outlive the builder. */
bank_builder *bank_builder_new(bank_report *rep, const bank_import_opts *opts);

/* Frees a builder that was not finished. NULL is allowed. */
void bank_builder_free(bank_builder *bb);

/* Declares a category and makes it the current one. id may be NULL (then it is made
 * from the title: "Thủ tục hành chính" -> "thu-tuc-hanh-chinh"), title may be NULL (then
 * the id, or the title given for that id earlier). Moodle's "top", "$course$" and
 * "$system$" are no titles. Returns the category id (owned by the builder, valid until
 * it is finished), or NULL after reporting a problem. */
const char *bank_builder_category(bank_builder *bb, const char *id, const char *title,
                                  int line);

/* The last part of a Moodle category path ("$course$/top/Cải cách/Thể chế" ->
 * "Thể chế", with "//" read as '/'), as a new string (caller frees), NULL when out of
 * memory. */
char *bank_category_path_last(const char *path);

/* Bank-level metadata found in the file itself (used when opts gave none). */
void bank_builder_meta(bank_builder *bb, const char *id, const char *title);

/* Validates and adds one question. Returns 0 when added, -1 when it had errors (they are
 * reported; the bank will not be returned). */
int bank_builder_add(bank_builder *bb, const bank_draft *d);

/* Number of questions added so far. */
int bank_builder_count(const bank_builder *bb);

/* Ends the build: returns the bank (caller frees with bank_free) when no error was
 * reported since bank_builder_new, else NULL. Frees the builder in both cases. */
bank *bank_builder_finish(bank_builder *bb);

/* One line of a text file: s[0..n), without its line break. */
typedef struct bank_line {
    const char *s;
    size_t n;
} bank_line;

/* Splits buf[0..len) into lines (LF, CRLF and a lone CR end a line; a last line without a
 * break counts). Returns the number of lines and a new array in *out (caller frees), or
 * -1 when out of memory. Line k (1-based) is (*out)[k - 1]. */
int bank_lines_split(const char *buf, size_t len, bank_line **out);

/* Makes an id from free text: ASCII letters and digits of the text without accents,
 * lower case, other runs as '-', at most 64 characters. Returns a new string (caller
 * frees; "" when nothing is left), NULL when out of memory. */
char *bank_slug(const char *text);

/* 1 when s is a valid id: 1..64 of a-z 0-9 - _ . */
int bank_valid_id(const char *s);

#endif
