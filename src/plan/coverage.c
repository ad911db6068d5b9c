#include "plan/coverage.h"

#include <stdlib.h>
#include <string.h>

#include "util/text.h"

typedef struct item {
    json_t *src;       /* the content item (borrowed) */
    char **tags;
    size_t ntags;
    char **docs;
    size_t ndocs;
    json_t *categories;
    long count;
} item;

struct plan_matcher {
    item *items;
    size_t n;
    long questions;
};

char *plan_norm_tag(const char *s)
{
    char *f = text_fold_key(s);
    if (!f)
        return NULL;
    size_t o = 0;
    int sep = 0;
    for (size_t i = 0; f[i]; i++) {
        char ch = f[i];
        if (ch == ' ' || ch == '_' || ch == '-') {
            sep = 1;
            continue;
        }
        if (sep && o > 0)
            f[o++] = '-';
        sep = 0;
        f[o++] = ch;
    }
    f[o] = '\0';
    return f;
}

static char **fold_all(json_t *arr, size_t *n, int as_tag)
{
    *n = 0;
    size_t len = json_array_size(arr);
    char **out = calloc(len + 1, sizeof *out);
    if (!out)
        return NULL;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        char *f = s ? (as_tag ? plan_norm_tag(s) : text_fold_key(s)) : NULL;
        if (f && *f)
            out[(*n)++] = f;
        else
            free(f);
    }
    return out;
}

static void free_all(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void plan_matcher_free(plan_matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free_all(m->items[i].tags, m->items[i].ntags);
        free_all(m->items[i].docs, m->items[i].ndocs);
    }
    free(m->items);
    free(m);
}

plan_matcher *plan_matcher_new(json_t *content)
{
    plan_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    size_t len = json_array_size(content);
    m->items = calloc(len + 1, sizeof *m->items);
    if (!m->items) {
        free(m);
        return NULL;
    }
    size_t i;
    json_t *c;
    json_array_foreach(content, i, c)
    {
        if (!json_is_object(c))
            continue;
        item *it = &m->items[m->n++];
        it->src = c;
        json_t *match = json_object_get(c, "match");
        it->tags = fold_all(json_object_get(match, "tags"), &it->ntags, 1);
        it->docs = fold_all(json_object_get(match, "documents"), &it->ndocs, 0);
        it->categories = json_object_get(match, "categories");
        if (!it->tags || !it->docs) {
            plan_matcher_free(m);
            return NULL;
        }
    }
    return m;
}

static int word_byte(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch >= 0x80;
}

/* 1 when pat occurs in hay with word boundaries at its word-character ends. */
static int contains_word(const char *hay, const char *pat)
{
    size_t pl = strlen(pat);
    if (pl == 0)
        return 0;
    int need_before = word_byte((unsigned char)pat[0]);
    int need_after = word_byte((unsigned char)pat[pl - 1]);
    for (const char *p = strstr(hay, pat); p; p = strstr(p + 1, pat)) {
        int ok_before = !need_before || p == hay || !word_byte((unsigned char)p[-1]);
        int ok_after = !need_after || !word_byte((unsigned char)p[pl]);
        /* the byte after may be the start of a multi-byte letter: word_byte says so */
        if (ok_before && ok_after)
            return 1;
    }
    return 0;
}

void plan_matcher_add(plan_matcher *m, const char *category, const char *source_document,
                      const char *tags_json)
{
    m->questions++;
    char *doc = source_document && *source_document ? text_fold_key(source_document) : NULL;
    json_t *tags = tags_json && *tags_json ? json_loads(tags_json, 0, NULL) : NULL;
    size_t ntags = 0;
    char **qtags = json_is_array(tags) ? fold_all(tags, &ntags, 1) : NULL;
    for (size_t i = 0; i < m->n; i++) {
        item *it = &m->items[i];
        int hit = 0;
        for (size_t a = 0; a < it->ntags && !hit; a++)
            for (size_t b = 0; b < ntags && !hit; b++)
                hit = strcmp(it->tags[a], qtags[b]) == 0;
        for (size_t a = 0; doc && a < it->ndocs && !hit; a++)
            hit = contains_word(doc, it->docs[a]);
        size_t k;
        json_t *cat;
        if (category)
            json_array_foreach(it->categories, k, cat)
                hit = hit || (json_is_string(cat) && strcmp(json_string_value(cat), category) == 0);
        if (hit)
            it->count++;
    }
    free_all(qtags, ntags);
    json_decref(tags);
    free(doc);
}

json_t *plan_matcher_result(const plan_matcher *m)
{
    json_t *items = json_array();
    json_t *uncovered = json_array();
    for (size_t i = 0; i < m->n; i++) {
        const item *it = &m->items[i];
        json_t *id = json_object_get(it->src, "id");
        json_array_append_new(items, json_pack("{s:O, s:O, s:O, s:I}", "id", id, "kind",
                                               json_object_get(it->src, "kind"), "title",
                                               json_object_get(it->src, "title"), "questions",
                                               (json_int_t)it->count));
        if (it->count == 0)
            json_array_append(uncovered, id);
    }
    return json_pack("{s:I, s:o, s:o}", "questions", (json_int_t)m->questions, "items", items,
                     "uncovered", uncovered);
}

json_t *plan_coverage(db_conn *c, json_t *content, app_err *e)
{
    plan_matcher *m = plan_matcher_new(content);
    sqlite3_stmt *st = m ? db_stmt(c, Q_PLAN_QUESTIONS) : NULL;
    if (!st) {
        plan_matcher_free(m);
        APP_ERR(e, 503, "unavailable", NULL, "Không đọc được ngân hàng câu hỏi");
        return NULL;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        plan_matcher_add(m, (const char *)sqlite3_column_text(st, 0),
                         (const char *)sqlite3_column_text(st, 1),
                         (const char *)sqlite3_column_text(st, 2));
    db_done(st);
    json_t *j = plan_matcher_result(m);
    plan_matcher_free(m);
    return j;
}
