/* strmap: a string -> int map (open addressing) for the bank parsers' id and
 * duplicate checks. The map owns copies of its keys; strmap_free releases
 * them. A zeroed struct is an empty map. */
#ifndef CCHC_STRMAP_H
#define CCHC_STRMAP_H
#include <stddef.h>

typedef struct strmap {
    char **keys;
    int *values;
    size_t cap; /* power of two, 0 when empty */
    size_t n;
} strmap;

/* The value of key, or -1 when absent (values stored are >= 0). */
int strmap_get(const strmap *m, const char *key);
/* Adds a copy of key -> value unless key is there. 0 when added, 1 when it
 * was there (its value in *existing when not NULL), -1 when out of memory. */
int strmap_add(strmap *m, const char *key, int value, int *existing);
/* Adds key -> value, key known to be absent: 0, or -1 (out of memory, or it was there). */
int strmap_put(strmap *m, const char *key, int value);
void strmap_free(strmap *m);

#endif
