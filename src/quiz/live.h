/* live: the change signal behind the live boards. The writer's connection
 * carries an update hook that notes when a batch touched a table the boards
 * read (attempts, participants, rounds, contests, unit_agg, results_prefreeze;
 * results itself is WITHOUT ROWID and has no hook, but every change to it comes
 * with a change to attempts or unit_agg); after the batch commits the writer
 * calls live_batch_end(1) and the version goes up by one. Readers compare
 * versions: an unchanged version means no board changed. */
#ifndef CCHC_LIVE_H
#define CCHC_LIVE_H
#include <sqlite3.h>
#include <stdint.h>

/* Installs the hook on the writer's connection h (writer thread only). */
void live_watch(sqlite3 *h);
/* Called by the writer after each batch or tick: committed = 1 bumps the
 * version if the batch touched a watched table; 0 forgets the batch. */
void live_batch_end(int committed);
/* The current version (any thread). */
uint64_t live_version(void);
/* Bumps the version now (used by tests and by writes outside the writer). */
void live_bump(void);

#endif
