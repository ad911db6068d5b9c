/* bank/bank.h - the in-memory question bank and the native JSON bank parser.
 *
 * The native format ("cchc-bank/1") is described in docs/bank-format.md. The parser
 * checks every rule there and reports each problem, with its line and column, into a
 * bank_report (bank/report.h); it goes on after a problem so that one run lists them all.
 *
 * Every string in a bank is NUL-terminated, NFC-normalised UTF-8 and owned by the bank:
 * read it, do not free or change it. Free the whole bank with bank_free.
 */
#ifndef CCHC_BANK_BANK_H
#define CCHC_BANK_BANK_H

#include <stddef.h>

#include "bank/report.h"

#define BANK_FORMAT "cchc-bank/1"
#define BANK_ID_MAX 64              /* ids: 1..64 of a-z 0-9 - _ . */
#define BANK_TITLE_MAX 300          /* bank and category titles, characters */
#define BANK_QUESTIONS_MAX 20000
#define BANK_TEXT_MAX 2000          /* question text, characters */
#define BANK_OPTIONS_MIN 2
#define BANK_OPTIONS_MAX 6
#define BANK_OPTION_MAX 500         /* one option, characters */
#define BANK_EXPLANATION_MAX 4000   /* characters */
#define BANK_SOURCE_FIELD_MAX 500   /* source.document and source.article, characters */
#define BANK_URL_MAX 2048           /* source.url, characters */
#define BANK_TAGS_MAX 32            /* tags per question */
#define BANK_TAG_MAX 64             /* one tag, characters */

typedef enum { BANK_EASY = 1, BANK_MEDIUM = 2, BANK_HARD = 3 } bank_difficulty;

typedef enum {
    BANK_TRACK_BOTH = 0,
    BANK_TRACK_CBCCVC = 1, /* civil servants (cán bộ, công chức, viên chức) */
    BANK_TRACK_CITIZEN = 2
} bank_track;

typedef struct {
    char *id;
    char *category;        /* one of the bank's category ids */
    char *text;
    char *explanation;     /* NULL when absent */
    char *source_document; /* NULL when absent */
    char *source_article;  /* NULL when absent */
    char *source_url;      /* NULL when absent */
    char *options[BANK_OPTIONS_MAX];
    int noptions;           /* 2..6; options[noptions..] are NULL */
    unsigned correct_mask;  /* bit i set = options[i] is correct; never 0 */
    int multi;              /* 1 when "correct" was an array (multi-select question) */
    bank_difficulty difficulty;
    bank_track track;
    char *tags_json;        /* compact JSON array of strings, e.g. ["30c","tthc"]; NULL if none */
    int line;               /* line of the question's '{' in the source file */
} bank_question;

typedef struct {
    char *id;
    char *title;
} bank_category;

typedef struct {
    char *id;
    char *title;
    int version;
    bank_category *categories;
    int ncategories;
    bank_question *questions;
    int nquestions;
} bank;

/* Parses and validates a native bank from buf[0..len) (need not be NUL-terminated; a
 * UTF-8 BOM is skipped). Every problem found is added to rep, under the name filename
 * (used only in the report; may be NULL). Returns a new bank (caller frees with
 * bank_free) when this call added no error to rep (warnings are fine), else NULL.
 * Returns NULL as well, with an error in rep, when out of memory. */
bank *bank_parse_json(const char *buf, size_t len, const char *filename, bank_report *rep);

/* The category with this id, or NULL. */
const bank_category *bank_find_category(const bank *b, const char *id);

/* 1 when declaring each category where its first question is (as GIFT's
 * $CATEGORY and Moodle XML's category entries do) would not list the bank's
 * categories in their order, or would leave some out: the exporter then
 * declares them all up front. */
int bank_categories_need_declaring(const bank *b);

/* Frees a bank and everything in it. NULL is allowed. */
void bank_free(bank *b);

/* Names as written in the format ("easy", "medium", "hard"; "both", "cbccvc",
 * "citizen"); "?" for a value outside the enum. Static strings. */
const char *bank_difficulty_name(bank_difficulty d);
const char *bank_track_name(bank_track t);

/* The enum value for a name as written in the format, or -1 when unknown. */
int bank_difficulty_from_name(const char *name);
int bank_track_from_name(const char *name);

#endif
