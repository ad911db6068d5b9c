/* bank/store: writing a parsed bank into the database, as a new version.
 * Importing the same content again (same SHA-256) changes nothing. */
#ifndef CCHC_BANK_STORE_H
#define CCHC_BANK_STORE_H
#include <stddef.h>
#include <stdint.h>

#include "bank/bank.h"
#include "db/db.h"

typedef struct bank_store_result {
    int64_t bank_row_id;
    int version;
    int unchanged;   /* 1: this exact content was already stored */
    int questions;
} bank_store_result;

/* Stores b with c inside the caller's transaction. raw/len is the file as
 * uploaded (hashed to recognise a re-import). 0, or -1 with err filled. */
int bank_store(db_conn *c, const bank *b, const char *raw, size_t len, const char *source_name,
               const char *actor, int64_t now_ms, bank_store_result *res, char *err,
               size_t errn);

#endif
