#include "db/writer.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quiz/live.h"
#include "util/clock.h"
#include "util/log.h"

#define WRITER_BATCH_MAX 2048
#define WRITER_NICE (-5)
/* WAL frames after which the checkpointer copies the log into the database
 * (SQLite's own automatic checkpoint is 1000, run by the committing thread:
 * here the writer never stops for it). */
#define CHECKPOINT_FRAMES 4000

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    writer_job *head, *tail;
    int stopping;
    pthread_t thread;
    db_conn *conn;
    void (*tick)(db_conn *c, int64_t now_ms);
    sqlite3_stmt *sp_begin, *sp_release, *sp_rollback;
    uint64_t batches, jobs;
} W = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* The checkpointer: its own connection, PASSIVE checkpoints (they never block
 * the writer nor readers), woken by the writer's WAL hook. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int wal_frames; /* as of the last commit */
    int caught_up;  /* a checkpoint copied all it saw: the writer finishes it */
    int stopping;
    pthread_t thread;
    db_conn *conn;
} K = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static int on_wal_commit(void *arg, sqlite3 *h, const char *db, int frames)
{
    (void)arg;
    (void)h;
    (void)db;
    pthread_mutex_lock(&K.mu);
    K.wal_frames = frames;
    if (frames >= CHECKPOINT_FRAMES && !K.caught_up)
        pthread_cond_signal(&K.cv);
    pthread_mutex_unlock(&K.mu);
    return SQLITE_OK;
}

static void *checkpointer_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "cchc-checkpoint");
    pthread_mutex_lock(&K.mu);
    while (!K.stopping) {
        if (K.wal_frames < CHECKPOINT_FRAMES || K.caught_up) {
            pthread_cond_wait(&K.cv, &K.mu);
            continue;
        }
        K.wal_frames = 0;
        pthread_mutex_unlock(&K.mu);
        int log = 0, done = 0;
        double t0 = clock_mono_ms();
        int rc = sqlite3_wal_checkpoint_v2(db_handle(K.conn), NULL, SQLITE_CHECKPOINT_PASSIVE,
                                           &log, &done);
        double ms = clock_mono_ms() - t0;
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            log_warn("checkpoint: %s", sqlite3_errmsg(db_handle(K.conn)));
        else
            log_debug("checkpoint: %d of %d WAL frames copied in %.1f ms", done, log, ms);
        pthread_mutex_lock(&K.mu);
        if (rc == SQLITE_OK && done == log)
            K.caught_up = 1;
    }
    pthread_mutex_unlock(&K.mu);
    return NULL;
}

static int step_reset(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* A batch slower than this is logged (debug) with where its time went. */
#define SLOW_BATCH_MS 50.0

/* The jobs from list up to (not including) end in one transaction, each in
 * its own SAVEPOINT; then their done(). */
static void run_group(writer_job *list, writer_job *end)
{
    double t0 = clock_mono_ms();
    int ok = db_begin(W.conn) == SQLITE_OK;
    int n = 0;
    for (writer_job *j = list; ok && j != end; j = j->next) {
        n++;
        if (step_reset(W.sp_begin) != 0) {
            ok = 0;
            break;
        }
        if (j->run(j, W.conn) != 0) {
            step_reset(W.sp_rollback);
        }
        step_reset(W.sp_release);
    }
    double t1 = clock_mono_ms();
    if (ok && db_commit(W.conn) != SQLITE_OK)
        ok = 0;
    double t2 = clock_mono_ms();
    if (t2 - t0 > SLOW_BATCH_MS)
        log_debug("writer: slow batch of %d jobs: %.1f ms running, %.1f ms committing", n,
                  t1 - t0, t2 - t1);
    if (!ok) {
        log_error("writer: batch of %d not committed: %s", n, sqlite3_errmsg(db_handle(W.conn)));
        db_rollback(W.conn);
    }
    live_batch_end(ok);
    W.batches++;
    W.jobs += (uint64_t)n;
    writer_job *j = list;
    while (j != end) {
        writer_job *next = j->next;
        j->done(j, ok);
        j = next;
    }
}

/* The batch: runs of small jobs share a transaction; a job marked alone gets
 * one to itself, with the statement journal in a file meanwhile. */
static void run_batch(writer_job *list)
{
    while (list) {
        writer_job *end = list->next;
        if (!list->alone)
            while (end && !end->alone)
                end = end->next;
        if (list->alone)
            db_exec(W.conn, "PRAGMA temp_store = DEFAULT");
        writer_job *next = end; /* done() may free the jobs */
        int alone = list->alone;
        run_group(list, end);
        if (alone)
            db_exec(W.conn, "PRAGMA temp_store = MEMORY");
        list = next;
    }
}

/* After the checkpointer copied the log, the writer copies the few frames
 * committed meanwhile, between two batches: the next transaction can then
 * start the log file over instead of making it longer. */
static void finish_checkpoint(void)
{
    pthread_mutex_lock(&K.mu);
    int go = K.caught_up;
    K.caught_up = 0;
    pthread_mutex_unlock(&K.mu);
    if (!go)
        return;
    int log = 0, done = 0;
    double t0 = clock_mono_ms();
    sqlite3_wal_checkpoint_v2(db_handle(W.conn), NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    log_debug("checkpoint: the writer finished it (%d of %d frames) in %.1f ms", done, log,
              clock_mono_ms() - t0);
}

static void run_tick(void)
{
    static uint64_t last_batches, last_jobs;
    if (W.jobs != last_jobs) {
        log_debug("writer: %llu jobs in %llu batches in the last second",
                  (unsigned long long)(W.jobs - last_jobs),
                  (unsigned long long)(W.batches - last_batches));
        last_jobs = W.jobs;
        last_batches = W.batches;
    }
    if (!W.tick)
        return;
    if (db_begin(W.conn) != SQLITE_OK)
        return;
    W.tick(W.conn, clock_now_ms());
    int ok = db_commit(W.conn) == SQLITE_OK;
    if (!ok)
        db_rollback(W.conn);
    live_batch_end(ok);
}

static void *writer_main(void *arg)
{
    (void)arg;
    double last_tick = 0;
    /* Every write waits for this one thread: when the CPUs are busy it goes
     * first (allowed as root or with CAP_SYS_NICE; otherwise it stays as is). */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WRITER_NICE) != 0)
        log_debug("writer: priority unchanged (%s)", strerror(errno));
    pthread_setname_np(pthread_self(), "cchc-writer");
    pthread_mutex_lock(&W.mu);
    for (;;) {
        while (!W.head && !W.stopping) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            if (pthread_cond_timedwait(&W.cv, &W.mu, &ts) == ETIMEDOUT)
                break;
        }
        writer_job *list = W.head;
        /* Cut the batch at WRITER_BATCH_MAX jobs. */
        writer_job *last = list;
        for (int i = 1; last && last->next && i < WRITER_BATCH_MAX; i++)
            last = last->next;
        if (last) {
            W.head = last->next;
            if (!W.head)
                W.tail = NULL;
            last->next = NULL;
        }
        int stop = W.stopping && !W.head && !list;
        pthread_mutex_unlock(&W.mu);
        if (list)
            run_batch(list);
        finish_checkpoint();
        double now = clock_mono_ms();
        if (now - last_tick >= 1000.0) {
            last_tick = now;
            run_tick();
        }
        if (stop)
            break;
        pthread_mutex_lock(&W.mu);
    }
    return NULL;
}

int writer_start(const char *path, void (*tick)(db_conn *c, int64_t now_ms), char *err,
                 size_t errn)
{
    W.conn = db_open(path, 0, err, errn);
    if (!W.conn)
        return -1;
    sqlite3 *h = db_handle(W.conn);
    /* Each job runs in a SAVEPOINT: its statement journal (a few pages)
     * stays in memory instead of spilling past 64 KiB into a temporary file,
     * one pwrite() a page (see run_batch for the long jobs). */
    if (db_exec(W.conn, "PRAGMA temp_store = MEMORY") != SQLITE_OK ||
        sqlite3_prepare_v2(h, "SAVEPOINT job", -1, &W.sp_begin, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "RELEASE job", -1, &W.sp_release, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "ROLLBACK TO job", -1, &W.sp_rollback, NULL) != SQLITE_OK) {
        snprintf(err, errn, "writer: %s", sqlite3_errmsg(h));
        return -1;
    }
    live_watch(h);
    K.conn = db_open(path, 0, err, errn);
    if (!K.conn)
        return -1;
    K.stopping = 0;
    K.wal_frames = 0;
    sqlite3_wal_hook(h, on_wal_commit, NULL); /* replaces the automatic checkpoint */
    if (pthread_create(&K.thread, NULL, checkpointer_main, NULL) != 0) {
        snprintf(err, errn, "writer: cannot start the checkpointer");
        return -1;
    }
    W.tick = tick;
    W.stopping = 0;
    if (pthread_create(&W.thread, NULL, writer_main, NULL) != 0) {
        snprintf(err, errn, "writer: cannot start thread");
        return -1;
    }
    return 0;
}

void writer_submit(writer_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&W.mu);
    if (W.tail)
        W.tail->next = job;
    else
        W.head = job;
    W.tail = job;
    pthread_cond_signal(&W.cv);
    pthread_mutex_unlock(&W.mu);
}

void writer_stop(void)
{
    if (!W.conn)
        return;
    pthread_mutex_lock(&W.mu);
    W.stopping = 1;
    pthread_cond_signal(&W.cv);
    pthread_mutex_unlock(&W.mu);
    pthread_join(W.thread, NULL);
    pthread_mutex_lock(&K.mu);
    K.stopping = 1;
    pthread_cond_signal(&K.cv);
    pthread_mutex_unlock(&K.mu);
    pthread_join(K.thread, NULL);
    db_close(K.conn);
    K.conn = NULL;
    sqlite3_finalize(W.sp_begin);
    sqlite3_finalize(W.sp_release);
    sqlite3_finalize(W.sp_rollback);
    db_close(W.conn);
    W.conn = NULL;
}

void writer_stats(uint64_t *batches, uint64_t *jobs)
{
    *batches = W.batches;
    *jobs = W.jobs;
}
