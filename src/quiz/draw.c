#include "quiz/draw.h"

#include <sodium.h>

void draw_shuffle(int64_t *ids, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)randombytes_uniform((uint32_t)i + 1);
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
        int j = i + (int)randombytes_uniform((uint32_t)(n - i));
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
        int j = (int)randombytes_uniform((uint32_t)i + 1);
        char t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
}
