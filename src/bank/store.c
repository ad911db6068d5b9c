#include "bank/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bank/formats.h"
#include "util/buf.h"
#include "util/text.h"

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
    /* The content is what counts, not the file: the same bank uploaded as GIFT, CSV or
     * JSON hashes the same (its native form with version 1). */
    (void)raw;
    (void)len;
    bank canon = *b;
    canon.version = 1;
    buf nb;
    buf_init(&nb, 0);
    if (bank_native_write(&canon, &nb) != 0) {
        buf_free(&nb);
        snprintf(err, errn, "out of memory");
        return -1;
    }
    crypto_hash_sha256(digest, (const unsigned char *)nb.data, nb.len);
    buf_free(&nb);
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
        char *tkey = text_fold_key(q->text);
        db_bind_text(st, 16, tkey);
        free(tkey);
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

int bank_store_duplicates(db_conn *c, const bank *b, bank_report *rep, json_t *out)
{
    int found = 0;

    for (int i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];
        char *key = text_fold_key(q->text);
        if (!key)
            return -1;
        sqlite3_stmt *st = db_stmt(c, Q_BANK_DUPLICATE);
        if (!st) {
            free(key);
            return -1;
        }
        db_bind_text(st, 1, key);
        db_bind_text(st, 2, b->id);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *other_bank = db_col_text(st, 0);
            int other_version = sqlite3_column_int(st, 1);
            const char *other_q = db_col_text(st, 2);
            int other_line = sqlite3_column_int(st, 3);
            found++;
            if (rep)
                bank_report_add(rep, q->line, 0, BANK_SEV_WARNING,
                                "trùng lặp: câu hỏi \"%s\" có cùng nội dung với câu \"%s\" "
                                "trong ngân hàng \"%s\" (phiên bản %d)",
                                q->id, other_q, other_bank, other_version);
            if (out)
                json_array_append_new(
                    out, json_pack("{s:i, s:s, s:s, s:s, s:i, s:s, s:i}", "line", q->line,
                                   "question_id", q->id, "kind", "other_bank", "other_bank",
                                   other_bank, "other_version", other_version,
                                   "other_question", other_q, "other_line", other_line));
        }
        db_done(st);
        free(key);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return found;
}

/* One stored question, for comparisons. */
typedef struct stored_q {
    char *qkey;
    char *text_key;
    char *opt_keys[BANK_OPTIONS_MAX];
    int nopt;
    unsigned mask;
    int multi;
    int matched;
} stored_q;

static void stored_free(stored_q *s, int n)
{
    for (int i = 0; i < n; i++) {
        free(s[i].qkey);
        free(s[i].text_key);
        for (int k = 0; k < BANK_OPTIONS_MAX; k++)
            free(s[i].opt_keys[k]);
    }
    free(s);
}

static int cmp_stored(const void *a, const void *b)
{
    const stored_q *x = a, *y = b;
    return strcmp(x->qkey ? x->qkey : "", y->qkey ? y->qkey : "");
}

static json_t *mask_json(unsigned mask)
{
    json_t *a = json_array();
    for (int k = 0; k < BANK_OPTIONS_MAX; k++)
        if (mask & (1u << k))
            json_array_append_new(a, json_integer(k));
    return a;
}

json_t *bank_store_compare(db_conn *c, const bank *b)
{
    sqlite3_stmt *st = db_stmt(c, Q_BANK_ROW);
    if (!st)
        return NULL;
    db_bind_text(st, 1, b->id);
    sqlite3_bind_int(st, 2, 0);
    int64_t row = 0;
    int version = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        row = sqlite3_column_int64(st, 0);
        version = sqlite3_column_int(st, 1);
    }
    db_done(st);
    if (!row)
        return json_null();
    stored_q *old = NULL;
    int n = 0, cap = 0;
    st = db_stmt(c, Q_BANK_ALL_QUESTIONS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, row);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            stored_q *x = realloc(old, (size_t)cap * sizeof *x);
            if (!x) {
                db_done(st);
                stored_free(old, n);
                return NULL;
            }
            old = x;
        }
        stored_q *s = &old[n++];
        memset(s, 0, sizeof *s);
        s->qkey = strdup(db_col_text(st, 0));
        s->text_key = text_fold_key(db_col_text(st, 4));
        json_t *opts = json_loads(db_col_text(st, 5), 0, NULL);
        for (size_t k = 0; k < json_array_size(opts) && k < BANK_OPTIONS_MAX; k++) {
            const char *o = json_string_value(json_array_get(opts, k));
            s->opt_keys[k] = text_fold_key(o ? o : "");
            s->nopt++;
        }
        json_decref(opts);
        s->mask = (unsigned)sqlite3_column_int(st, 6);
        s->multi = sqlite3_column_int(st, 7);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        stored_free(old, n);
        return NULL;
    }
    int added = 0, changed = 0, unchanged = 0, matched = 0;
    json_t *keys = json_array();
    if (n > 1)
        qsort(old, (size_t)n, sizeof *old, cmp_stored);
    for (int i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];
        stored_q probe = {.qkey = q->id};
        stored_q *s = n ? bsearch(&probe, old, (size_t)n, sizeof *old, cmp_stored) : NULL;
        if (s && s->matched)
            s = NULL;
        if (!s) {
            added++;
            continue;
        }
        s->matched = 1;
        matched++;
        char *tkey = text_fold_key(q->text);
        int same = tkey && s->text_key && strcmp(tkey, s->text_key) == 0 && s->nopt == q->noptions;
        free(tkey);
        unsigned old_in_new = 0;
        for (int k = 0; same && k < s->nopt; k++) {
            int j = -1;
            for (int m = 0; m < q->noptions && j < 0; m++) {
                char *ok = text_fold_key(q->options[m]);
                if (ok && s->opt_keys[k] && strcmp(ok, s->opt_keys[k]) == 0)
                    j = m;
                free(ok);
            }
            if (j < 0)
                same = 0;
            else if (s->mask & (1u << k))
                old_in_new |= 1u << j;
        }
        if (!same) {
            changed++;
        } else if (old_in_new != q->correct_mask || s->multi != q->multi) {
            json_array_append_new(keys, json_pack("{s:s, s:i, s:o, s:o}", "question_id", q->id,
                                                  "line", q->line, "old_key",
                                                  mask_json(old_in_new), "new_key",
                                                  mask_json(q->correct_mask)));
        } else {
            unchanged++;
        }
    }
    stored_free(old, n);
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:o}", "version", version, "added", added,
                     "removed", n - matched, "changed", changed, "unchanged", unchanged,
                     "key_changes", keys);
}

static char *dup_or_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : strdup(db_col_text(st, i));
}

bank *bank_store_load(db_conn *c, const char *bank_key, int version, int *version_out,
                      char *err, size_t errn)
{
    sqlite3_stmt *st = db_stmt(c, Q_BANK_ROW);
    if (!st) {
        snprintf(err, errn, "database: %s", sqlite3_errmsg(db_handle(c)));
        return NULL;
    }
    db_bind_text(st, 1, bank_key);
    sqlite3_bind_int(st, 2, version);
    bank *b = calloc(1, sizeof *b);
    int64_t row = 0;
    if (b && sqlite3_step(st) == SQLITE_ROW) {
        row = sqlite3_column_int64(st, 0);
        b->version = sqlite3_column_int(st, 1);
        b->title = strdup(db_col_text(st, 2));
        b->id = strdup(bank_key);
    }
    db_done(st);
    if (!b || !row) {
        bank_free(b);
        snprintf(err, errn, "not found: no bank \"%.64s\"%s", bank_key,
                 version > 0 ? " with that version" : "");
        return NULL;
    }
    if (version_out)
        *version_out = b->version;
    int cap = 0;
    st = db_stmt(c, Q_BANK_CATEGORIES_OF);
    sqlite3_bind_int64(st, 1, row);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (b->ncategories == cap) {
            cap = cap ? cap * 2 : 8;
            bank_category *x = realloc(b->categories, (size_t)cap * sizeof *x);
            if (!x)
                goto oom;
            b->categories = x;
        }
        b->categories[b->ncategories].id = strdup(db_col_text(st, 0));
        b->categories[b->ncategories].title = strdup(db_col_text(st, 1));
        b->ncategories++;
    }
    db_done(st);
    cap = 0;
    st = db_stmt(c, Q_BANK_ALL_QUESTIONS);
    sqlite3_bind_int64(st, 1, row);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (b->nquestions == cap) {
            cap = cap ? cap * 2 : 256;
            bank_question *x = realloc(b->questions, (size_t)cap * sizeof *x);
            if (!x)
                goto oom;
            b->questions = x;
        }
        bank_question *q = &b->questions[b->nquestions++];
        memset(q, 0, sizeof *q);
        q->id = strdup(db_col_text(st, 0));
        q->category = strdup(db_col_text(st, 1));
        q->difficulty = (bank_difficulty)sqlite3_column_int(st, 2);
        q->track = (bank_track)sqlite3_column_int(st, 3);
        q->text = strdup(db_col_text(st, 4));
        json_t *opts = json_loads(db_col_text(st, 5), 0, NULL);
        for (size_t k = 0; k < json_array_size(opts) && k < BANK_OPTIONS_MAX; k++) {
            const char *o = json_string_value(json_array_get(opts, k));
            q->options[k] = strdup(o ? o : "");
            q->noptions++;
        }
        json_decref(opts);
        q->correct_mask = (unsigned)sqlite3_column_int(st, 6);
        q->multi = sqlite3_column_int(st, 7);
        q->explanation = dup_or_null(st, 8);
        q->source_document = dup_or_null(st, 9);
        q->source_article = dup_or_null(st, 10);
        q->source_url = dup_or_null(st, 11);
        q->tags_json = dup_or_null(st, 12);
        q->line = sqlite3_column_int(st, 13);
    }
    db_done(st);
    return b;
oom:
    db_done(st);
    bank_free(b);
    snprintf(err, errn, "out of memory");
    return NULL;
}
