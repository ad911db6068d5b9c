#include "auth/tokcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* 4-way sets, most recent first: 2^16 sets, 262,144 tokens, 18 MiB at
 * most, allocated on first use and touched as it fills. One table for the
 * process, so that a token resolved by one HTTP thread serves the others;
 * each set is guarded by one of LOCKS mutexes (two threads rarely meet). */
#define SET_BITS 16
#define WAYS 4
#define LOCKS 1024

typedef struct slot {
    unsigned char hash[32];
    int64_t gen; /* 0 in an empty slot; generations start at 1 */
    participant_auth who;
} slot;

static struct {
    pthread_once_t once;
    slot *tab;
    pthread_mutex_t lock[LOCKS];
} T = {.once = PTHREAD_ONCE_INIT};

static void make(void)
{
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_init(&T.lock[i], NULL);
    T.tab = calloc((size_t)WAYS << SET_BITS, sizeof *T.tab);
}

/* The set of hash, locked; NULL without memory. */
static slot *lock_set(const unsigned char hash[32], pthread_mutex_t **held)
{
    pthread_once(&T.once, make);
    if (!T.tab)
        return NULL;
    /* the hash is uniform (BLAKE2b): its first bytes pick the set */
    uint32_t i = ((uint32_t)hash[0] | (uint32_t)hash[1] << 8 | (uint32_t)hash[2] << 16) &
                 ((1u << SET_BITS) - 1);
    *held = &T.lock[i % LOCKS];
    pthread_mutex_lock(*held);
    return T.tab + (size_t)i * WAYS;
}

int tokcache_get(const unsigned char hash[32], int64_t gen, participant_auth *out)
{
    if (gen <= 0)
        return 0;
    pthread_mutex_t *held;
    slot *s = lock_set(hash, &held);
    if (!s)
        return 0;
    int found = 0;
    for (int w = 0; w < WAYS; w++) {
        if (s[w].gen == gen && memcmp(s[w].hash, hash, 32) == 0) {
            *out = s[w].who;
            if (w) { /* most recent first */
                slot hit = s[w];
                memmove(s + 1, s, (size_t)w * sizeof *s);
                s[0] = hit;
            }
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(held);
    return found;
}

void tokcache_put(const unsigned char hash[32], int64_t gen, const participant_auth *who)
{
    if (gen <= 0)
        return;
    pthread_mutex_t *held;
    slot *s = lock_set(hash, &held);
    if (!s)
        return;
    int w = 0; /* the same token again (another generation's), else the oldest */
    while (w < WAYS - 1 && memcmp(s[w].hash, hash, 32) != 0)
        w++;
    memmove(s + 1, s, (size_t)w * sizeof *s);
    memcpy(s[0].hash, hash, 32);
    s[0].gen = gen;
    s[0].who = *who;
    pthread_mutex_unlock(held);
}
