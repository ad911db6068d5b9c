/* bank/summary.c - bank counts and duplicates; see summary.h. */
#include "bank/summary.h"

#include <stdlib.h>
#include <string.h>

#include "util/text.h"

json_t *bank_summary_json(const bank *b)
{
    int diff[4] = {0, 0, 0, 0};
    int track[3] = {0, 0, 0};
    int multi = 0;
    json_t *cats = json_array();
    int i;

    if (cats == NULL)
        return NULL;
    for (i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];

        if (q->difficulty >= BANK_EASY && q->difficulty <= BANK_HARD)
            diff[q->difficulty]++;
        if (q->track >= BANK_TRACK_BOTH && q->track <= BANK_TRACK_CITIZEN)
            track[q->track]++;
        multi += q->multi;
    }
    for (i = 0; i < b->ncategories; i++) {
        int n = 0;
        int k;

        for (k = 0; k < b->nquestions; k++)
            n += strcmp(b->questions[k].category, b->categories[i].id) == 0;
        json_array_append_new(cats, json_pack("{s:s, s:s, s:i}", "id", b->categories[i].id,
                                              "title", b->categories[i].title, "questions", n));
    }
    return json_pack("{s:s, s:s, s:i, s:i, s:o, s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}}", "id",
                     b->id, "title", b->title, "questions", b->nquestions, "multi", multi,
                     "categories", cats, "difficulty", "easy", diff[BANK_EASY], "medium",
                     diff[BANK_MEDIUM], "hard", diff[BANK_HARD], "track", "both",
                     track[BANK_TRACK_BOTH], "cbccvc", track[BANK_TRACK_CBCCVC], "citizen",
                     track[BANK_TRACK_CITIZEN]);
}

struct keyed {
    char *key;
    int index;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a;
    const struct keyed *y = b;
    int c = strcmp(x->key, y->key);

    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

int bank_duplicates_within(const bank *b, json_t *out)
{
    struct keyed *k = calloc((size_t)b->nquestions + 1, sizeof(*k));
    int found = 0;
    int i;

    if (k == NULL)
        return -1;
    for (i = 0; i < b->nquestions; i++) {
        k[i].key = text_fold_key(b->questions[i].text);
        k[i].index = i;
        if (k[i].key == NULL) {
            found = -1;
            goto done;
        }
    }
    qsort(k, (size_t)b->nquestions, sizeof(*k), cmp_keyed);
    for (i = 1; i < b->nquestions; i++) {
        int first = i - 1;

        if (strcmp(k[i].key, k[i - 1].key) != 0)
            continue;
        while (first > 0 && strcmp(k[first - 1].key, k[i].key) == 0)
            first--;
        {
            const bank_question *q = &b->questions[k[i].index];
            const bank_question *o = &b->questions[k[first].index];

            json_array_append_new(out, json_pack("{s:i, s:s, s:s, s:s, s:i}", "line", q->line,
                                                 "question_id", q->id, "kind", "within",
                                                 "other_question", o->id, "other_line",
                                                 o->line));
            found++;
        }
    }
done:
    for (i = 0; i < b->nquestions; i++)
        free(k[i].key);
    free(k);
    return found;
}
