/* writer: the single writing thread, with group commit.
 *
 * Every change made while serving is a job. The writer takes all queued jobs,
 * runs each inside its own SAVEPOINT of one transaction and commits once, so
 * one fsync makes a whole batch durable. A job whose run() fails is rolled back
 * alone. done() is called for every job after the commit, with committed = 1
 * only if the batch reached the disk; the caller answers its client then (a
 * 2xx is never sent for a change that was not committed). */
#ifndef CCHC_WRITER_H
#define CCHC_WRITER_H
#include <stdint.h>

#include "db/db.h"

typedef struct writer_job writer_job;
struct writer_job {
    /* Runs on the writer thread inside the batch transaction: 0 keeps the
     * changes, -1 rolls this job back. */
    int (*run)(writer_job *job, db_conn *c);
    /* Runs on the writer thread after the commit (or its failure). */
    void (*done)(writer_job *job, int committed);
    void *ctx;
    /* A long job (an import, a regrade, a bulk issue): run in a transaction
     * of its own, with its statement journal in a file. The writer keeps the
     * small jobs' journals in memory, where a journal of thousands of pages
     * would be slow. */
    int alone;
    writer_job *next; /* owned by the writer while queued */
};

/* Opens the writing connection (applying migrations) and starts the thread.
 * tick, if not NULL, runs about once a second in a transaction of its own
 * (finalising expired attempts, settling closed rounds). */
int writer_start(const char *path, void (*tick)(db_conn *c, int64_t now_ms), char *err,
                 size_t errn);
/* Queues a job; never blocks on the database. */
void writer_submit(writer_job *job);
/* Runs the remaining jobs, stops the thread and closes the connection. */
void writer_stop(void);
/* Batches committed and jobs run since start (for the bench report). */
void writer_stats(uint64_t *batches, uint64_t *jobs);

#endif
