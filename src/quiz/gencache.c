#include "quiz/gencache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct key_slot {
    unsigned mask;
    unsigned char voided;
    unsigned char known;
} key_slot;

typedef struct cand_entry {
    struct cand_entry *next;
    int64_t contest_id;
    int difficulty, track;
    char *category;
    int n;
    int64_t ids[];
} cand_entry;

static struct {
    pthread_rwlock_t lock;
    int64_t gen; /* of everything below; -1: empty */
    key_slot *keys;
    size_t nkeys;
    cand_entry *cands;
} G = {.lock = PTHREAD_RWLOCK_INITIALIZER, .gen = -1};

int64_t gencache_current(db_conn *c)
{
    sqlite3_stmt *st = db_stmt(c, Q_QUIZ_GEN);
    if (!st)
        return -1;
    int64_t gen = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    db_done(st);
    return gen;
}

/* Empties the cache for generation gen. Write lock held. */
static void reset(int64_t gen)
{
    if (G.keys)
        memset(G.keys, 0, G.nkeys * sizeof *G.keys);
    while (G.cands) {
        cand_entry *next = G.cands->next;
        free(G.cands->category);
        free(G.cands);
        G.cands = next;
    }
    G.gen = gen;
}

/* Write lock held: makes the cache one of gen if it is older. 0 when the
 * cache is (now) of gen; -1 when it is newer (the caller reads the database). */
static int adopt(int64_t gen)
{
    if (G.gen < gen)
        reset(gen);
    return G.gen == gen ? 0 : -1;
}

static int read_key(db_conn *c, int64_t qid, score_key *out)
{
    sqlite3_stmt *st = db_stmt(c, Q_QUESTION_KEY);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, qid);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->correct_mask = (unsigned)sqlite3_column_int(st, 0);
        out->voided = sqlite3_column_int(st, 1);
        rc = 0;
    }
    db_done(st);
    return rc;
}

int gencache_key(db_conn *c, int64_t gen, int64_t qid, score_key *out)
{
    if (qid <= 0)
        return -1;
    if (gen < 0)
        return read_key(c, qid, out);
    size_t i = (size_t)qid;
    pthread_rwlock_rdlock(&G.lock);
    int hit = G.gen == gen && i < G.nkeys && G.keys[i].known;
    if (hit) {
        out->correct_mask = G.keys[i].mask;
        out->voided = G.keys[i].voided;
    }
    pthread_rwlock_unlock(&G.lock);
    if (hit)
        return 0;
    if (read_key(c, qid, out) != 0)
        return -1;
    pthread_rwlock_wrlock(&G.lock);
    if (adopt(gen) == 0) {
        if (i >= G.nkeys) {
            size_t n = G.nkeys ? G.nkeys : 1024;
            while (n <= i)
                n *= 2;
            key_slot *k = realloc(G.keys, n * sizeof *k);
            if (k) {
                memset(k + G.nkeys, 0, (n - G.nkeys) * sizeof *k);
                G.keys = k;
                G.nkeys = n;
            }
        }
        if (i < G.nkeys)
            G.keys[i] = (key_slot){out->correct_mask, (unsigned char)(out->voided != 0), 1};
    }
    pthread_rwlock_unlock(&G.lock);
    return 0;
}

static cand_entry *find(int64_t contest_id, const char *category, int difficulty, int track)
{
    for (cand_entry *e = G.cands; e; e = e->next)
        if (e->contest_id == contest_id && e->difficulty == difficulty && e->track == track &&
            strcmp(e->category, category) == 0)
            return e;
    return NULL;
}

static int copy_out(const int64_t *from, int n, int64_t *ids, int max)
{
    int k = n < max ? n : max;
    if (k > 0)
        memcpy(ids, from, (size_t)k * sizeof *ids);
    return n;
}

int gencache_candidates(db_conn *c, int64_t gen, int64_t contest_id, const char *category,
                        int difficulty, int track, int64_t *ids, int max)
{
    if (!category)
        return -1;
    pthread_rwlock_rdlock(&G.lock);
    cand_entry *e = gen >= 0 && G.gen == gen ? find(contest_id, category, difficulty, track) : NULL;
    int n = e ? copy_out(e->ids, e->n, ids, max) : -1;
    pthread_rwlock_unlock(&G.lock);
    if (e)
        return n;

    size_t cap = 64;
    int64_t *all = malloc(cap * sizeof *all);
    sqlite3_stmt *st = db_stmt(c, Q_CANDIDATES);
    if (!all || !st) {
        free(all);
        return -1;
    }
    sqlite3_bind_int64(st, 1, contest_id);
    db_bind_text(st, 2, category);
    sqlite3_bind_int(st, 3, difficulty);
    sqlite3_bind_int(st, 4, track);
    size_t got = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (got == cap) {
            int64_t *more = realloc(all, 2 * cap * sizeof *more);
            if (!more)
                break;
            all = more;
            cap *= 2;
        }
        all[got++] = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    if (rc != SQLITE_DONE || got > 1000000) {
        free(all);
        return -1;
    }
    n = copy_out(all, (int)got, ids, max);
    cand_entry *ne = malloc(sizeof *ne + got * sizeof *ne->ids);
    char *cat = strdup(category);
    pthread_rwlock_wrlock(&G.lock);
    if (ne && cat && gen >= 0 && adopt(gen) == 0 && !find(contest_id, category, difficulty, track)) {
        *ne = (cand_entry){G.cands, contest_id, difficulty, track, cat, (int)got};
        memcpy(ne->ids, all, got * sizeof *all);
        G.cands = ne;
        ne = NULL;
        cat = NULL;
    }
    pthread_rwlock_unlock(&G.lock);
    free(ne);
    free(cat);
    free(all);
    return n;
}
