/* bank/store: writing a parsed bank into the database, as a new version.
 * Importing the same content again (same SHA-256) changes nothing. */
#ifndef CCHC_BANK_STORE_H
#define CCHC_BANK_STORE_H
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "bank/bank.h"
#include "bank/report.h"
#include "db/db.h"

typedef struct bank_store_result {
    int64_t bank_row_id;
    int version;
    int unchanged;   /* 1: this exact content was already stored */
    int questions;
} bank_store_result;

/* Stores b with c inside the caller's transaction: a new version, unless a
 * stored version of the same id has the same content (its canonical native form is
 * hashed, so the same bank in another format is recognised too). raw/len (the file as
 * uploaded) is no longer used. 0, or -1 with err filled. */
int bank_store(db_conn *c, const bank *b, const char *raw, size_t len, const char *source_name,
               const char *actor, int64_t now_ms, bank_store_result *res, char *err,
               size_t errn);

/* Looks up every question of b among the stored banks with another id (their newest
 * version) by its text's comparison key, adds a warning per duplicate to rep (may be
 * NULL) at the question's line, and appends {"line", "question_id", "kind": "other_bank",
 * "other_bank", "other_version", "other_question", "other_line"} objects to the JSON
 * array out (may be NULL). Returns the number found, -1 on a database error. */
int bank_store_duplicates(db_conn *c, const bank *b, bank_report *rep, json_t *out);

/* Compares b with the newest stored version of the bank with its id: a new JSON object
 * {"version", "added", "removed", "changed", "unchanged", "key_changes": [{"question_id",
 * "line", "old_key", "new_key"}]} (caller owns; keys are 0-based option indices in b's
 * order), JSON null when no version is stored, NULL on a database error. Questions are
 * matched by id; a changed key is reported when the text and the options (in any order)
 * are the same. */
json_t *bank_store_compare(db_conn *c, const bank *b);

/* Reads version `version` (0: the newest) of the stored bank bank_key back into a new
 * bank (caller frees with bank_free); *version_out receives its version. NULL with err
 * filled when there is no such bank (err starts with "not found") or on a database error. */
bank *bank_store_load(db_conn *c, const char *bank_key, int version, int *version_out,
                      char *err, size_t errn);

#endif
