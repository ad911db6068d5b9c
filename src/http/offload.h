/* offload: one background thread for reads too long for an HTTP worker
 * thread (exports, question statistics). Jobs run one at a time, in order,
 * so a heavy export takes at most one of the machine's cores. */
#ifndef CCHC_OFFLOAD_H
#define CCHC_OFFLOAD_H

/* Queues fn(arg); starts the thread on first use. Never blocks. */
void offload_submit(void (*fn)(void *arg), void *arg);
/* Runs what is queued, then stops the thread (before the daemon stops, so
 * that no connection stays suspended). */
void offload_stop(void);

#endif
