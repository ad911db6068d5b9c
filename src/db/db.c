#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"

const char *const db_query_sql[Q_COUNT] = {
#define DB_QUERY_SQL(name, sql) sql,
    DB_QUERIES(DB_QUERY_SQL)
#undef DB_QUERY_SQL
};

struct db_conn {
    sqlite3 *h;
    sqlite3_stmt *st[Q_COUNT];
    int read_depth; /* db_read_begin nesting */
};

static char *g_reader_path;
/* Each thread's reader; a key (not __thread) so that its destructor closes the
 * connection when the thread ends. */
static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void reader_destroy(void *p)
{
    db_close(p);
}

static void reader_key_init(void)
{
    pthread_key_create(&reader_key, reader_destroy);
}

static int migrate(db_conn *c, char *err, size_t errn)
{
    sqlite3_stmt *st;
    int version = 0;
    if (sqlite3_prepare_v2(c->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    int latest = 0;
    while (db_migrations[latest])
        latest++;
    if (version > latest) {
        snprintf(err, errn, "database schema %d is newer than this program (%d)", version,
                 latest);
        return -1;
    }
    for (int v = version; v < latest; v++) {
        char pragma[64];
        if (sqlite3_exec(c->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(c->h, db_migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(c->h, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, errn, "migration %d: %s", v + 1, sqlite3_errmsg(c->h));
            sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        if (sqlite3_exec(c->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
        log_debug("applied migration %d", v + 1);
    }
    return 0;
fail:
    snprintf(err, errn, "migration: %s", sqlite3_errmsg(c->h));
    return -1;
}

/* SQL cchc_fold_key(text): text_fold_key (util/text.h), NULL for NULL or bad UTF-8. */
static void sql_fold_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *t = argc == 1 ? sqlite3_value_text(argv[0]) : NULL;
    char *key = t ? text_fold_key((const char *)t) : NULL;
    if (key)
        sqlite3_result_text(ctx, key, -1, free);
    else
        sqlite3_result_null(ctx);
}

db_conn *db_open(const char *path, int readonly, char *err, size_t errn)
{
    db_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &c->h, flags, NULL) != SQLITE_OK) {
        snprintf(err, errn, "%s: %s", path, c->h ? sqlite3_errmsg(c->h) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(c->h, 5000);
    sqlite3_create_function(c->h, "cchc_fold_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            sql_fold_key, NULL, NULL);
    sqlite3_extended_result_codes(c->h, 1);
    const char *pragmas = readonly
        ? "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16000;"
        : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
          "PRAGMA cache_size = -32000; PRAGMA wal_autocheckpoint = 4000;";
    char *msg = NULL;
    if (sqlite3_exec(c->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errn, "%s: %s", path, msg ? msg : sqlite3_errmsg(c->h));
        sqlite3_free(msg);
        goto fail;
    }
    if (!readonly && migrate(c, err, errn) != 0)
        goto fail;
    return c;
fail:
    db_close(c);
    return NULL;
}

void db_close(db_conn *c)
{
    if (!c)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close(c->h);
    free(c);
}

sqlite3 *db_handle(db_conn *c)
{
    return c->h;
}

void db_set_reader_path(const char *path)
{
    free(g_reader_path);
    g_reader_path = strdup(path);
}

db_conn *db_reader(void)
{
    pthread_once(&reader_once, reader_key_init);
    db_conn *c = pthread_getspecific(reader_key);
    if (c)
        return c;
    char err[256];
    c = db_open(g_reader_path, 1, err, sizeof err);
    if (!c)
        log_error("reader connection: %s", err);
    else
        pthread_setspecific(reader_key, c);
    return c;
}

void db_reader_release(void)
{
    pthread_once(&reader_once, reader_key_init);
    db_close(pthread_getspecific(reader_key));
    pthread_setspecific(reader_key, NULL);
}

sqlite3_stmt *db_stmt(db_conn *c, db_query q)
{
    if (!c)
        return NULL;
    if (!c->st[q]) {
        if (sqlite3_prepare_v3(c->h, db_query_sql[q], -1, SQLITE_PREPARE_PERSISTENT, &c->st[q],
                               NULL) != SQLITE_OK) {
            log_error("prepare query %d: %s", (int)q, sqlite3_errmsg(c->h));
            c->st[q] = NULL;
            return NULL;
        }
    } else {
        sqlite3_reset(c->st[q]);
        sqlite3_clear_bindings(c->st[q]);
    }
    return c->st[q];
}

void db_done(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

int db_exec(db_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("%s: %s", sql, msg ? msg : sqlite3_errmsg(c->h));
        sqlite3_free(msg);
    }
    return rc;
}

void db_read_begin(db_conn *c)
{
    if (c->read_depth++ > 0 || !sqlite3_get_autocommit(c->h))
        return;
    sqlite3_stmt *st = db_stmt(c, Q_READ_BEGIN);
    if (st) {
        sqlite3_step(st);
        db_done(st);
    }
}

void db_read_end(db_conn *c)
{
    if (c->read_depth <= 0 || --c->read_depth > 0 || sqlite3_get_autocommit(c->h))
        return;
    sqlite3_stmt *st = db_stmt(c, Q_READ_END);
    if (st) {
        sqlite3_step(st);
        db_done(st);
    }
    if (!sqlite3_get_autocommit(c->h)) {
        /* never leave a reader on an old snapshot */
        log_error("reader: read transaction not ended: %s", sqlite3_errmsg(c->h));
        sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
    }
}

int db_begin(db_conn *c)
{
    return db_exec(c, "BEGIN IMMEDIATE");
}

int db_commit(db_conn *c)
{
    return db_exec(c, "COMMIT");
}

int db_rollback(db_conn *c)
{
    if (sqlite3_get_autocommit(c->h))
        return SQLITE_OK;
    return db_exec(c, "ROLLBACK");
}

int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

const char *db_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int64_t db_scalar_i64(db_conn *c, db_query q, int64_t arg)
{
    sqlite3_stmt *st = db_stmt(c, q);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, arg);
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    db_done(st);
    return v;
}

char *db_meta_get(db_conn *c, const char *key)
{
    sqlite3_stmt *st = db_stmt(c, Q_META_GET);
    if (!st)
        return NULL;
    db_bind_text(st, 1, key);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = strdup(db_col_text(st, 0));
    db_done(st);
    return v;
}

int db_meta_set(db_conn *c, const char *key, const char *value)
{
    sqlite3_stmt *st = db_stmt(c, Q_META_SET);
    if (!st)
        return -1;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int db_audit(db_conn *c, const char *actor, const char *action, const char *detail_json)
{
    sqlite3_stmt *st = db_stmt(c, Q_AUDIT_INSERT);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, clock_now_ms());
    db_bind_text(st, 2, actor);
    db_bind_text(st, 3, action);
    db_bind_text(st, 4, detail_json ? detail_json : "{}");
    int rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
