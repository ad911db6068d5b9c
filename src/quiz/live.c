#include "quiz/live.h"

#include <stdatomic.h>
#include <string.h>

static _Atomic uint64_t g_version = 1;
static int g_dirty; /* writer thread only */

static const char *const watched[] = {"attempts", "participants", "rounds",
                                      "contests", "unit_agg",     "results_prefreeze"};

static void on_update(void *arg, int op, const char *db, const char *table, sqlite3_int64 rowid)
{
    (void)arg;
    (void)op;
    (void)db;
    (void)rowid;
    if (g_dirty)
        return;
    for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++)
        if (strcmp(table, watched[i]) == 0)
            g_dirty = 1;
}

void live_watch(sqlite3 *h)
{
    sqlite3_update_hook(h, on_update, NULL);
}

void live_batch_end(int committed)
{
    if (committed && g_dirty)
        atomic_fetch_add(&g_version, 1);
    g_dirty = 0;
}

uint64_t live_version(void)
{
    return atomic_load(&g_version);
}

void live_bump(void)
{
    atomic_fetch_add(&g_version, 1);
}
