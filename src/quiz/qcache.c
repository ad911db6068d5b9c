#include "quiz/qcache.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static qc_entry **tab;
static size_t cap;

static char *json_quote(const char *s)
{
    buf b;
    buf_init(&b, 0);
    if (buf_json_str(&b, s) != 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b, NULL);
}

static void entry_free(qc_entry *e)
{
    for (int k = 0; k < ITEM_OPTIONS_MAX; k++)
        free(e->opt_json[k]);
    free(e->text_json);
    free(e->head);
    free(e);
}

/* Every string present: a failed allocation leaves the entry unusable. */
static int entry_ok(const qc_entry *e)
{
    if (!e->text_json || !e->head)
        return 0;
    for (int k = 0; k < e->nopt; k++)
        if (!e->opt_json[k])
            return 0;
    return 1;
}

static qc_entry *load(db_conn *c, int64_t qid)
{
    sqlite3_stmt *st = db_stmt(c, Q_QUESTION_DISPLAY);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, qid);
    qc_entry *e = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_t *opts = json_loads(db_col_text(st, 1), 0, NULL);
        e = calloc(1, sizeof *e);
        if (e && json_is_array(opts)) {
            e->text_json = json_quote(db_col_text(st, 0));
            buf h;
            buf_init(&h, 0);
            buf_printf(&h, "{\"id\":%lld,\"text\":", (long long)qid);
            buf_puts(&h, e->text_json ? e->text_json : "\"\"");
            buf_puts(&h, ",\"options\":[");
            e->head = buf_steal(&h, &e->head_len);
            e->multi = sqlite3_column_int(st, 2);
            size_t i;
            json_t *o;
            json_array_foreach(opts, i, o)
            {
                if (i >= ITEM_OPTIONS_MAX)
                    break;
                e->opt_json[i] = json_quote(json_string_value(o) ? json_string_value(o) : "");
                e->opt_len[i] = e->opt_json[i] ? strlen(e->opt_json[i]) : 0;
                e->nopt++;
            }
        }
        json_decref(opts);
        if (e && !entry_ok(e)) {
            entry_free(e);
            e = NULL;
        }
    }
    db_done(st);
    return e;
}

const qc_entry *qcache_get(db_conn *c, int64_t qid)
{
    if (qid <= 0)
        return NULL;
    size_t i = (size_t)qid;
    pthread_rwlock_rdlock(&lock);
    qc_entry *e = i < cap ? tab[i] : NULL;
    pthread_rwlock_unlock(&lock);
    if (e)
        return e;
    e = load(c, qid);
    if (!e)
        return NULL;
    pthread_rwlock_wrlock(&lock);
    if (i >= cap) {
        size_t ncap = cap ? cap : 1024;
        while (ncap <= i)
            ncap *= 2;
        qc_entry **nt = realloc(tab, ncap * sizeof *nt);
        if (nt) {
            memset(nt + cap, 0, (ncap - cap) * sizeof *nt);
            tab = nt;
            cap = ncap;
        }
    }
    if (i < cap && !tab[i]) {
        tab[i] = e;
    } else if (i < cap) {
        qc_entry *mine = e;
        e = tab[i];
        entry_free(mine);
    }
    pthread_rwlock_unlock(&lock);
    return e;
}

int qcache_put(buf *out, const qc_entry *q, const attempt_item *it)
{
    if (buf_append(out, q->head, q->head_len) != 0)
        return -1;
    for (int k = 0; k < it->nopt; k++) {
        int o = it->perm[k] - '0';
        if (o < 0 || o >= q->nopt)
            return -1;
        if ((k && buf_append(out, ",", 1) != 0) ||
            buf_append(out, q->opt_json[o], q->opt_len[o]) != 0)
            return -1;
    }
    static const char multi[] = "],\"multi\":true", single[] = "],\"multi\":false";
    return q->multi ? buf_append(out, multi, sizeof multi - 1)
                    : buf_append(out, single, sizeof single - 1);
}
