/* testdb: SQL helpers the unit tests share. Include after <cmocka.h>.
 * Each fails the running test when the statement cannot run. */
#ifndef CCHC_TESTDB_H
#define CCHC_TESTDB_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

static inline void tdb_exec(db_conn *c, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db_handle(c), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* The first column of the first row as an integer, -1 without a row. */
static inline int64_t tdb_scalar(db_conn *c, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_handle(c), sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* The first column of the first row as text the caller frees, NULL without a row. */
static inline char *tdb_text(db_conn *c, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_handle(c), sql, -1, &st, NULL), SQLITE_OK);
    char *v = sqlite3_step(st) == SQLITE_ROW ? strdup(db_col_text(st, 0)) : NULL;
    sqlite3_finalize(st);
    return v;
}

#endif
