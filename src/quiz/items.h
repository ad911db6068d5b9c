/* items: the drawn questions of an attempt as stored, "qid:perm;qid:perm",
 * e.g. "345:2031;346:10". perm[i] is the original index of the option shown
 * at display index i. */
#ifndef CCHC_ITEMS_H
#define CCHC_ITEMS_H
#include <stdint.h>

#define ITEMS_MAX 200
#define ITEM_OPTIONS_MAX 6

typedef struct attempt_item {
    int64_t qid;
    int nopt;
    char perm[ITEM_OPTIONS_MAX + 1];
} attempt_item;

/* Parses s into items (at most max). Returns the count, or -1 if malformed. */
int items_parse(const char *s, attempt_item *items, int max);
/* Index of qid in items, or -1. */
int items_find(const attempt_item *items, int n, int64_t qid);
/* Maps a set of display indices (bit i = display option i chosen) to the
 * original options' bits. */
unsigned items_to_original(const attempt_item *it, unsigned display_mask);
/* The inverse: original-option bits to display bits. */
unsigned items_to_display(const attempt_item *it, unsigned original_mask);

#endif
