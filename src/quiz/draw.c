#include "quiz/draw.h"

#include <sodium.h>
#include <string.h>

/* CSPRNG output is taken from libsodium in blocks of 4 KiB per thread: one
 * getrandom() call serves many draws instead of one call per number. */
#define POOL_BYTES 4096

static __thread unsigned char pool[POOL_BYTES];
static __thread size_t pool_pos = POOL_BYTES;

static uint32_t pool_u32(void)
{
    if (pool_pos + 4 > POOL_BYTES) {
        randombytes_buf(pool, sizeof pool);
        pool_pos = 0;
    }
    uint32_t v;
    memcpy(&v, pool + pool_pos, 4);
    sodium_memzero(pool + pool_pos, 4);
    pool_pos += 4;
    return v;
}

/* Uniform in [0, n) by rejection, as randombytes_uniform does. */
static uint32_t uniform(uint32_t n)
{
    if (n < 2)
        return 0;
    uint32_t min = (1U + ~n) % n; /* 2^32 mod n */
    uint32_t r;
    do {
        r = pool_u32();
    } while (r < min);
    return r % n;
}

void draw_shuffle(int64_t *ids, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)uniform((uint32_t)i + 1);
        int64_t t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
}

int draw_pick(int64_t *ids, int n, int k)
{
    if (k > n)
        k = n;
    for (int i = 0; i < k; i++) {
        int j = i + (int)uniform((uint32_t)(n - i));
        int64_t t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
    return k;
}

void draw_perm(int n, int shuffle, char *out)
{
    for (int i = 0; i < n; i++)
        out[i] = (char)('0' + i);
    out[n] = '\0';
    if (!shuffle)
        return;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)uniform((uint32_t)i + 1);
        char t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
}
