/* db: SQLite connections, prepared-statement cache and schema migrations.
 *
 * One connection per thread: the writer thread owns the only connection that
 * writes while serving (see db/writer.h); every HTTP worker thread gets its own
 * read-only connection from db_reader(). Statements come from db_stmt(), are
 * prepared once per connection and must be given back with db_done() (which
 * resets them, ending the read transaction) before the next db_stmt() of the
 * same query. */
#ifndef CCHC_DB_H
#define CCHC_DB_H
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "db/queries.h"

typedef struct db_conn db_conn;

extern const char *const db_migrations[];

/* Opens a connection to path (created if missing unless readonly), sets WAL,
 * busy timeout and synchronous=FULL, and for a writable connection applies the
 * migrations. Returns NULL and fills err on failure. Caller closes. */
db_conn *db_open(const char *path, int readonly, char *err, size_t errn);
void db_close(db_conn *c);
sqlite3 *db_handle(db_conn *c);

/* Sets the database path the per-thread readers use. Call once before serving. */
void db_set_reader_path(const char *path);
/* This thread's read-only connection, opened on first use; NULL on failure. */
db_conn *db_reader(void);
/* Closes this thread's reader, if any. */
void db_reader_release(void);

/* A reset statement for q on c, or NULL (logged) if it cannot be prepared. */
sqlite3_stmt *db_stmt(db_conn *c, db_query q);
void db_done(sqlite3_stmt *st);

/* Runs SQL text with no results; 0 or an SQLite error code (logged). */
int db_exec(db_conn *c, const char *sql);
int db_begin(db_conn *c);   /* BEGIN IMMEDIATE */
/* A read transaction on a reader, so that what is read together is one
 * snapshot (and the file locks are taken once). Nests: only the outermost
 * pair begins and ends it. */
void db_read_begin(db_conn *c);
void db_read_end(db_conn *c);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);

/* Binds a string or NULL. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Column text as a C string ("" for NULL). Valid until the next step/reset. */
const char *db_col_text(sqlite3_stmt *st, int i);

/* Convenience: single integer from a query with one int64 parameter; -1 if none. */
int64_t db_scalar_i64(db_conn *c, db_query q, int64_t arg);

/* meta key/value store (used for settings such as the signing key id). */
char *db_meta_get(db_conn *c, const char *key); /* caller frees; NULL if absent */
int db_meta_set(db_conn *c, const char *key, const char *value);

/* Writes an audit entry (who, what, JSON detail) on c, inside the caller's transaction. */
int db_audit(db_conn *c, const char *actor, const char *action, const char *detail_json);

#endif
