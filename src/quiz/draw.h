/* draw: the random parts of an attempt, from libsodium's CSPRNG. */
#ifndef CCHC_DRAW_H
#define CCHC_DRAW_H
#include <stdint.h>

/* Shuffles ids[0..n) in place (Fisher-Yates). */
void draw_shuffle(int64_t *ids, int n);
/* Moves k ids chosen uniformly at random to the front of ids[0..n);
 * returns min(k, n). */
int draw_pick(int64_t *ids, int n, int k);
/* Writes a permutation of 0..n-1 as digits ("2031") into out (n+1 bytes);
 * the identity when shuffle is 0. Display index i shows original option out[i]. */
void draw_perm(int n, int shuffle, char *out);

#endif
