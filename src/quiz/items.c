#include "quiz/items.h"

#include <stdlib.h>

int items_parse(const char *s, attempt_item *items, int max)
{
    int n = 0;
    const char *p = s;
    while (*p) {
        if (n >= max)
            return -1;
        char *end;
        long long q = strtoll(p, &end, 10);
        if (end == p || *end != ':' || q <= 0)
            return -1;
        p = end + 1;
        attempt_item *it = &items[n];
        it->qid = q;
        it->nopt = 0;
        while (*p >= '0' && *p <= '9') {
            if (it->nopt >= ITEM_OPTIONS_MAX)
                return -1;
            it->perm[it->nopt++] = *p++;
        }
        it->perm[it->nopt] = '\0';
        if (it->nopt < 2)
            return -1;
        n++;
        if (*p == ';')
            p++;
        else if (*p)
            return -1;
    }
    return n;
}

int items_find(const attempt_item *items, int n, int64_t qid)
{
    for (int i = 0; i < n; i++)
        if (items[i].qid == qid)
            return i;
    return -1;
}

unsigned items_to_original(const attempt_item *it, unsigned display_mask)
{
    unsigned m = 0;
    for (int i = 0; i < it->nopt; i++)
        if (display_mask & (1u << i))
            m |= 1u << (it->perm[i] - '0');
    return m;
}

unsigned items_to_display(const attempt_item *it, unsigned original_mask)
{
    unsigned m = 0;
    for (int i = 0; i < it->nopt; i++)
        if (original_mask & (1u << (it->perm[i] - '0')))
            m |= 1u << i;
    return m;
}
