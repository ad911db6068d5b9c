#include "bank/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int step_done(db_conn *c, sqlite3_stmt *st, char *err, size_t errn, const char *what)
{
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errn, "%s: %s", what, sqlite3_errmsg(db_handle(c)));
        return -1;
    }
    return 0;
}

int bank_store(db_conn *c, const bank *b, const char *raw, size_t len, const char *source_name,
               const char *actor, int64_t now_ms, bank_store_result *res, char *err,
               size_t errn)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(digest, (const unsigned char *)raw, len);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    memset(res, 0, sizeof *res);
    res->questions = b->nquestions;

    sqlite3_stmt *st = db_stmt(c, Q_BANK_SAME_CONTENT);
    if (!st) {
        snprintf(err, errn, "database: %s", sqlite3_errmsg(db_handle(c)));
        return -1;
    }
    db_bind_text(st, 1, b->id);
    db_bind_text(st, 2, hex);
    if (sqlite3_step(st) == SQLITE_ROW) {
        res->bank_row_id = sqlite3_column_int64(st, 0);
        res->version = sqlite3_column_int(st, 1);
        res->unchanged = 1;
    }
    db_done(st);
    if (res->unchanged)
        return 0;
    st = db_stmt(c, Q_BANK_NEXT_VERSION);
    db_bind_text(st, 1, b->id);
    res->version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
    db_done(st);

    st = db_stmt(c, Q_BANK_INSERT);
    db_bind_text(st, 1, b->id);
    sqlite3_bind_int(st, 2, res->version);
    db_bind_text(st, 3, b->title);
    db_bind_text(st, 4, source_name);
    db_bind_text(st, 5, hex);
    sqlite3_bind_int64(st, 6, now_ms);
    db_bind_text(st, 7, actor);
    if (step_done(c, st, err, errn, "bank") != 0)
        return -1;
    res->bank_row_id = sqlite3_last_insert_rowid(db_handle(c));

    for (int i = 0; i < b->ncategories; i++) {
        st = db_stmt(c, Q_CATEGORY_INSERT);
        sqlite3_bind_int64(st, 1, res->bank_row_id);
        db_bind_text(st, 2, b->categories[i].id);
        db_bind_text(st, 3, b->categories[i].title);
        if (step_done(c, st, err, errn, "category") != 0)
            return -1;
    }
    for (int i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];
        json_t *opts = json_array();
        for (int k = 0; k < q->noptions; k++)
            json_array_append_new(opts, json_string(q->options[k]));
        char *opts_s = json_dumps(opts, JSON_COMPACT);
        json_decref(opts);
        st = db_stmt(c, Q_QUESTION_INSERT);
        sqlite3_bind_int64(st, 1, res->bank_row_id);
        db_bind_text(st, 2, q->id);
        db_bind_text(st, 3, q->category);
        sqlite3_bind_int(st, 4, (int)q->difficulty);
        sqlite3_bind_int(st, 5, (int)q->track);
        db_bind_text(st, 6, q->text);
        db_bind_text(st, 7, opts_s);
        sqlite3_bind_int(st, 8, (int)q->correct_mask);
        sqlite3_bind_int(st, 9, q->multi);
        db_bind_text(st, 10, q->explanation);
        db_bind_text(st, 11, q->source_document);
        db_bind_text(st, 12, q->source_article);
        db_bind_text(st, 13, q->source_url);
        db_bind_text(st, 14, q->tags_json);
        sqlite3_bind_int(st, 15, q->line);
        free(opts_s);
        if (step_done(c, st, err, errn, "question") != 0)
            return -1;
    }
    char detail[512];
    snprintf(detail, sizeof detail,
             "{\"bank\":\"%.64s\",\"version\":%d,\"questions\":%d,\"sha256\":\"%s\"}", b->id,
             res->version, b->nquestions, hex);
    db_audit(c, actor ? actor : "cli", "bank.import", detail);
    return 0;
}
