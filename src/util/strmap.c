#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t str_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return (size_t)(h ^ (h >> 29));
}

void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof(*m));
}

static int strmap_grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    char **keys = calloc(cap, sizeof(*keys));
    int *values = calloc(cap, sizeof(*values));

    if (keys == NULL || values == NULL) {
        free(keys);
        free(values);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == NULL)
            continue;
        size_t h = str_hash(m->keys[i]) & (cap - 1);
        while (keys[h] != NULL)
            h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        values[h] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
    return 0;
}

int strmap_get(const strmap *m, const char *key)
{
    if (m->cap == 0)
        return -1;
    size_t h = str_hash(key) & (m->cap - 1);
    while (m->keys[h] != NULL) {
        if (strcmp(m->keys[h], key) == 0)
            return m->values[h];
        h = (h + 1) & (m->cap - 1);
    }
    return -1;
}

int strmap_add(strmap *m, const char *key, int value, int *existing)
{
    if ((m->n + 1) * 2 > m->cap && strmap_grow(m) != 0)
        return -1;
    size_t h = str_hash(key) & (m->cap - 1);
    while (m->keys[h] != NULL) {
        if (strcmp(m->keys[h], key) == 0) {
            if (existing)
                *existing = m->values[h];
            return 1;
        }
        h = (h + 1) & (m->cap - 1);
    }
    char *copy = strdup(key);
    if (copy == NULL)
        return -1;
    m->keys[h] = copy;
    m->values[h] = value;
    m->n++;
    return 0;
}

int strmap_put(strmap *m, const char *key, int value)
{
    return strmap_add(m, key, value, NULL) == 0 ? 0 : -1;
}
