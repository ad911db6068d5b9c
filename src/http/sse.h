/* sse: live boards as Server-Sent Events.
 *
 * A stream is a chunked response whose body never ends: first the board as
 * it is, then the board again each time it changed, and a comment line every
 * 15 s so that proxies and the idle timeout leave it open. Streams never
 * block a worker thread: when there is nothing to send the connection is
 * suspended, and the notifier thread resumes the suspended streams when the
 * writer's change counter (quiz/live.h) has moved, at most every
 * SSE_INTERVAL_MS. Each board is computed once per change for all the
 * streams that watch it (a small shared cache), and sent only when its text
 * differs from the last one. */
#ifndef CCHC_SSE_H
#define CCHC_SSE_H
#include <stdint.h>

#include "http/http.h"

#define SSE_INTERVAL_MS 1000     /* at most one fan-out a second: a change shows within ~1.1 s */
#define SSE_BOARD_LIMIT_PUBLIC 50 /* the public page's first page */
#define SSE_BOARD_LIMIT_STAFF 100

enum { SSE_ROUND = 0, SSE_CONTEST = 1 };

typedef struct sse_key {
    int scope;        /* SSE_ROUND or SSE_CONTEST */
    int64_t round_id; /* SSE_ROUND */
    char contest[72]; /* SSE_CONTEST: the contest's key */
    int track;        /* 0: all */
    int staff;        /* 1: the judges' view (not frozen; contests add the unit table) */
} sse_key;

/* Answers r with an event stream for key (the caller checked that the board
 * exists). Events: "board" with data {"board": {...}, "units": {...}?}. */
void sse_open(req *r, const sse_key *key);
/* Starts the notifier thread (server start). */
void sse_start(void);
/* Ends every stream and stops the notifier (before the daemon stops). */
void sse_stop(void);
/* Open streams (for the benchmark's report). */
int sse_count(void);

#endif
