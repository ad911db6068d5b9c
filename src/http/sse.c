#include "http/sse.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "quiz/board.h"
#include "quiz/live.h"
#include "util/clock.h"
#include "util/log.h"

#define SSE_CACHE_MAX 128
#define SSE_HEARTBEAT_MS 15000
#define SSE_REFRESH_MS 10000 /* boards also change with the clock (freeze) */

/* A framed event, shared by every stream that sends it. */
typedef struct blob {
    atomic_int refs;
    size_t len;
    char data[];
} blob;

static void blob_release(blob *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1)
        free(b);
}

static blob *blob_ref(blob *b)
{
    if (b)
        atomic_fetch_add(&b->refs, 1);
    return b;
}

typedef struct centry {
    int used;
    sse_key key;
    pthread_mutex_t mu; /* held while computing */
    uint64_t seq;       /* fan-out it was computed for */
    uint64_t gen;       /* changes when the text changes */
    blob *b;
    double last_used;
} centry;

typedef struct sse_stream {
    struct MHD_Connection *conn;
    sse_key key;
    uint64_t sent_seq, sent_gen;
    blob *pend;
    size_t off;
    char small[32];
    size_t small_len, small_off;
    double last_write;
    int suspended;
    struct sse_stream *prev, *next;
} sse_stream;

static struct {
    pthread_mutex_t mu; /* the streams, the fan-out sequence, stopping */
    pthread_cond_t cv;
    sse_stream *head;
    int count;
    uint64_t fanout_seq;
    uint64_t seen_version;
    double last_fanout;
    int started, stopping;
    pthread_t thread;
    pthread_mutex_t cache_mu;
    centry cache[SSE_CACHE_MAX];
    atomic_uint_fast64_t gen;
} G = {.mu = PTHREAD_MUTEX_INITIALIZER,
       .cv = PTHREAD_COND_INITIALIZER,
       .cache_mu = PTHREAD_MUTEX_INITIALIZER,
       .fanout_seq = 1};

static int key_eq(const sse_key *a, const sse_key *b)
{
    return a->scope == b->scope && a->round_id == b->round_id && a->track == b->track &&
           a->staff == b->staff && strcmp(a->contest, b->contest) == 0;
}

/* The event text for key: {"board": ..., "units": ...} framed as SSE. */
static blob *compute(const sse_key *k)
{
    db_conn *c = db_reader();
    int64_t now = clock_now_ms();
    int view = k->staff ? BOARD_STAFF : BOARD_PUBLIC;
    int limit = k->staff ? SSE_BOARD_LIMIT_STAFF : SSE_BOARD_LIMIT_PUBLIC;
    app_err e;
    json_t *out = json_object();
    json_t *board = NULL;
    if (c && k->scope == SSE_ROUND)
        board = board_round_view(c, k->round_id, k->track, limit, 0, now, view, &e);
    else if (c)
        board = board_contest_view(c, k->contest, k->track, limit, 0, now, view, &e);
    if (board)
        json_object_set_new(out, "board", board);
    else
        json_object_set_new(out, "error",
                            json_pack("{s:s, s:s}", "code", c ? e.code : "unavailable", "message",
                                      c ? e.msg : "Không đọc được dữ liệu"));
    if (c && board && k->staff && k->scope == SSE_CONTEST) {
        json_t *units = board_units(c, k->contest, &e);
        if (units)
            json_object_set_new(out, "units", units);
    }
    char *text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    blob *b = malloc(sizeof *b + n + 32);
    if (b) {
        atomic_init(&b->refs, 1);
        b->len = (size_t)snprintf(b->data, n + 32, "event: board\ndata: %s\n\n", text);
    }
    free(text);
    return b;
}

/* The current event for key as of fan-out seq, computed at most once per
 * fan-out for all streams; *gen tells whether it changed. Caller releases. */
static blob *cache_get(const sse_key *k, uint64_t seq, uint64_t *gen)
{
    double now = clock_mono_ms();
    pthread_mutex_lock(&G.cache_mu);
    centry *e = NULL, *victim = NULL;
    for (int i = 0; i < SSE_CACHE_MAX && !e; i++) {
        centry *x = &G.cache[i];
        if (x->used && key_eq(&x->key, k))
            e = x;
        else if (!victim || (victim->used && (!x->used || x->last_used < victim->last_used)))
            victim = x;
    }
    centry *oldest = victim;
    if (!e && oldest && pthread_mutex_trylock(&oldest->mu) == 0) {
        blob_release(oldest->b);
        oldest->b = NULL;
        oldest->used = 1;
        oldest->key = *k;
        oldest->seq = 0;
        oldest->gen = 0;
        pthread_mutex_unlock(&oldest->mu);
        e = oldest;
    }
    if (!e) { /* every slot busy: compute without caching */
        pthread_mutex_unlock(&G.cache_mu);
        *gen = atomic_fetch_add(&G.gen, 1) + 1;
        return compute(k);
    }
    e->last_used = now;
    pthread_mutex_lock(&e->mu);
    pthread_mutex_unlock(&G.cache_mu);
    if (e->seq < seq || !e->b) {
        blob *b = compute(k);
        if (b && (!e->b || e->b->len != b->len || memcmp(e->b->data, b->data, b->len) != 0)) {
            blob_release(e->b);
            e->b = b;
            e->gen = atomic_fetch_add(&G.gen, 1) + 1;
        } else {
            blob_release(b);
        }
        e->seq = seq;
    }
    blob *out = blob_ref(e->b);
    *gen = e->gen;
    pthread_mutex_unlock(&e->mu);
    return out;
}

static long sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    sse_stream *s = cls;
    for (;;) {
        if (s->small_off < s->small_len) {
            size_t n = s->small_len - s->small_off;
            n = n < max ? n : max;
            memcpy(out, s->small + s->small_off, n);
            s->small_off += n;
            s->last_write = clock_mono_ms();
            return (long)n;
        }
        if (s->pend) {
            size_t n = s->pend->len - s->off;
            n = n < max ? n : max;
            memcpy(out, s->pend->data + s->off, n);
            s->off += n;
            if (s->off == s->pend->len) {
                blob_release(s->pend);
                s->pend = NULL;
            }
            s->last_write = clock_mono_ms();
            return (long)n;
        }
        pthread_mutex_lock(&G.mu);
        int stopping = G.stopping;
        uint64_t seq = G.fanout_seq;
        pthread_mutex_unlock(&G.mu);
        if (stopping)
            return REPLY_READ_END;
        if (s->sent_seq != seq) {
            uint64_t gen = 0;
            blob *b = cache_get(&s->key, seq, &gen);
            s->sent_seq = seq;
            if (b && gen != s->sent_gen) {
                s->sent_gen = gen;
                s->pend = b;
                s->off = 0;
            } else {
                blob_release(b);
            }
            continue;
        }
        if (clock_mono_ms() - s->last_write >= SSE_HEARTBEAT_MS) {
            s->small_len = (size_t)snprintf(s->small, sizeof s->small, ": ping\n\n");
            s->small_off = 0;
            continue;
        }
        pthread_mutex_lock(&G.mu);
        if (G.fanout_seq != s->sent_seq || G.stopping) {
            pthread_mutex_unlock(&G.mu);
            continue;
        }
        s->suspended = 1;
        MHD_suspend_connection(s->conn);
        pthread_mutex_unlock(&G.mu);
        return 0;
    }
}

static void sse_free(void *cls)
{
    sse_stream *s = cls;
    pthread_mutex_lock(&G.mu);
    if (s->prev)
        s->prev->next = s->next;
    else
        G.head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    G.count--;
    pthread_mutex_unlock(&G.mu);
    blob_release(s->pend);
    free(s);
}

void sse_open(req *r, const sse_key *key)
{
    sse_stream *s = calloc(1, sizeof *s);
    if (!s) {
        reply_error(r, 503, "unavailable", NULL, "Máy chủ đang quá tải, vui lòng thử lại");
        return;
    }
    s->conn = req_connection(r);
    s->key = *key;
    s->last_write = clock_mono_ms();
    /* the client reconnects after 2 s if the stream breaks */
    s->small_len = (size_t)snprintf(s->small, sizeof s->small, "retry: 2000\n\n");
    pthread_mutex_lock(&G.mu);
    if (G.stopping || !G.started) {
        pthread_mutex_unlock(&G.mu);
        free(s);
        reply_error(r, 503, "unavailable", NULL, "Máy chủ đang dừng, vui lòng thử lại sau");
        return;
    }
    s->next = G.head;
    if (G.head)
        G.head->prev = s;
    G.head = s;
    G.count++;
    pthread_mutex_unlock(&G.mu);
    reply_header(r, "X-Accel-Buffering", "no");
    reply_callback(r, 200, "text/event-stream; charset=utf-8", sse_read, s, sse_free);
}

/* Resumes the suspended streams (all, or those quiet for a heartbeat). G.mu held. */
static void wake(int only_quiet, double now)
{
    for (sse_stream *s = G.head; s; s = s->next) {
        if (!s->suspended)
            continue;
        if (only_quiet && now - s->last_write < SSE_HEARTBEAT_MS)
            continue;
        s->suspended = 0;
        MHD_resume_connection(s->conn);
    }
}

static void *notifier_main(void *unused)
{
    (void)unused;
    double last_quiet_check = 0;
    pthread_mutex_lock(&G.mu);
    while (!G.stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        int rc = pthread_cond_timedwait(&G.cv, &G.mu, &ts);
        if (rc != 0 && rc != ETIMEDOUT)
            log_warn("sse: wait: %d", rc);
        if (G.stopping)
            break;
        double now = clock_mono_ms();
        uint64_t v = live_version();
        if ((v != G.seen_version && now - G.last_fanout >= SSE_INTERVAL_MS) ||
            now - G.last_fanout >= SSE_REFRESH_MS) {
            G.seen_version = v;
            G.fanout_seq++;
            G.last_fanout = now;
            wake(0, now);
        } else if (now - last_quiet_check >= 1000) {
            last_quiet_check = now;
            wake(1, now);
        }
    }
    pthread_mutex_unlock(&G.mu);
    return NULL;
}

static void cache_init(void)
{
    for (int i = 0; i < SSE_CACHE_MAX; i++)
        pthread_mutex_init(&G.cache[i].mu, NULL);
}

void sse_start(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, cache_init);
    pthread_mutex_lock(&G.mu);
    G.stopping = 0;
    G.seen_version = live_version();
    G.last_fanout = clock_mono_ms();
    if (!G.started && pthread_create(&G.thread, NULL, notifier_main, NULL) == 0)
        G.started = 1;
    pthread_mutex_unlock(&G.mu);
}

void sse_stop(void)
{
    pthread_mutex_lock(&G.mu);
    int started = G.started;
    G.stopping = 1;
    wake(0, clock_mono_ms());
    pthread_cond_signal(&G.cv);
    pthread_mutex_unlock(&G.mu);
    if (started)
        pthread_join(G.thread, NULL);
    pthread_mutex_lock(&G.mu);
    G.started = 0;
    pthread_mutex_unlock(&G.mu);
}

int sse_count(void)
{
    pthread_mutex_lock(&G.mu);
    int n = G.count;
    pthread_mutex_unlock(&G.mu);
    return n;
}
