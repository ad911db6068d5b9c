#include "http/offload.h"

#include <pthread.h>
#include <stdlib.h>

#include "db/db.h"
#include "util/log.h"

typedef struct job {
    void (*fn)(void *arg);
    void *arg;
    struct job *next;
} job;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *head, *tail;
    int started, stopping;
    pthread_t thread;
} O = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *offload_main(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&O.mu);
    for (;;) {
        while (!O.head && !O.stopping)
            pthread_cond_wait(&O.cv, &O.mu);
        job *j = O.head;
        if (!j)
            break;
        O.head = j->next;
        if (!O.head)
            O.tail = NULL;
        pthread_mutex_unlock(&O.mu);
        j->fn(j->arg);
        free(j);
        pthread_mutex_lock(&O.mu);
    }
    pthread_mutex_unlock(&O.mu);
    db_reader_release();
    return NULL;
}

void offload_submit(void (*fn)(void *arg), void *arg)
{
    job *j = malloc(sizeof *j);
    pthread_mutex_lock(&O.mu);
    if (!O.started && !O.stopping) {
        if (pthread_create(&O.thread, NULL, offload_main, NULL) == 0)
            O.started = 1;
        else
            log_error("offload: cannot start the background thread");
    }
    int run_here = !j || !O.started;
    if (!run_here) {
        j->fn = fn;
        j->arg = arg;
        j->next = NULL;
        if (O.tail)
            O.tail->next = j;
        else
            O.head = j;
        O.tail = j;
        pthread_cond_signal(&O.cv);
    }
    pthread_mutex_unlock(&O.mu);
    if (run_here) {
        free(j);
        fn(arg); /* no thread or no memory: do it on the caller's thread */
    }
}

void offload_stop(void)
{
    pthread_mutex_lock(&O.mu);
    O.stopping = 1;
    int started = O.started;
    pthread_cond_signal(&O.cv);
    pthread_mutex_unlock(&O.mu);
    if (started)
        pthread_join(O.thread, NULL);
    O.started = 0;
}
