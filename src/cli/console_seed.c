/* cchc-quiz bench-console-seed: FOR BENCHMARKS ONLY. Fills every round of a
 * contest with synthetic participants and final attempts, so that the
 * consoles' queries (boards, unit table, question statistics, exports) can be
 * timed on a database of realistic size (scripts/bench --console). Each
 * participant belongs to a random unit, has an "ability" (the chance of
 * answering a question right, so that the statistics have structure), and
 * takes one attempt per round: a paper drawn from the round's blueprint,
 * options shuffled, answers, a prediction, times inside the round's window.
 * Everything goes in one transaction; closed rounds are settled at the end. */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "quiz/items.h"
#include "util/clock.h"

#define SEED_MAX_ROUNDS 16
#define SEED_MAX_SLOTS 50

typedef struct slot {
    int64_t *ids;
    int n, count;
} slot;

typedef struct seed_round {
    int64_t id, opens, closes, duration;
    slot slots[SEED_MAX_SLOTS];
    int nslots;
} seed_round;

typedef struct person {
    int64_t id, unit;
    int track;
    double ability;
} person;

typedef struct qinfo {
    int64_t id;
    int nopt;
    unsigned key;
} qinfo;

static qinfo *g_q;
static int g_nq;

static const qinfo *qfind(int64_t id)
{
    int lo = 0, hi = g_nq - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (g_q[mid].id == id)
            return &g_q[mid];
        if (g_q[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static double uniform01(void)
{
    return (double)randombytes_uniform(1000000) / 1000000.0;
}

static int load_round(db_conn *c, int64_t contest_id, seed_round *r, const char *blueprint)
{
    json_t *bp = json_loads(blueprint, 0, NULL);
    size_t i;
    json_t *s;
    r->nslots = 0;
    json_array_foreach(bp, i, s)
    {
        if (r->nslots >= SEED_MAX_SLOTS)
            break;
        slot *sl = &r->slots[r->nslots++];
        sl->count = (int)json_integer_value(json_object_get(s, "count"));
        int cap = 64;
        sl->ids = malloc((size_t)cap * sizeof *sl->ids);
        sl->n = 0;
        sqlite3_stmt *st = db_stmt(c, Q_CANDIDATES);
        sqlite3_bind_int64(st, 1, contest_id);
        db_bind_text(st, 2, json_string_value(json_object_get(s, "category")));
        sqlite3_bind_int(st, 3, (int)json_integer_value(json_object_get(s, "difficulty")));
        sqlite3_bind_int(st, 4, 1);
        while (sl->ids && sqlite3_step(st) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0);
            if (!qfind(id))
                continue; /* multi-answer: left out of the synthetic papers */
            if (sl->n == cap) {
                cap *= 2;
                int64_t *n2 = realloc(sl->ids, (size_t)cap * sizeof *n2);
                if (!n2)
                    break;
                sl->ids = n2;
            }
            sl->ids[sl->n++] = id;
        }
        db_done(st);
        if (sl->n < sl->count) {
            json_decref(bp);
            return -1;
        }
    }
    json_decref(bp);
    return 0;
}

static int seed_usage(FILE *f, int rc)
{
    fprintf(f, "usage: cchc-quiz bench-console-seed [--db FILE] --contest ID --participants N\n"
               "FOR BENCHMARKS ONLY: N synthetic participants, each with one final attempt in\n"
               "every round of the contest (N x rounds attempts), in one transaction; closed\n"
               "rounds are settled.\n");
    return rc;
}

int cli_console_seed(int argc, char **argv)
{
    const char *db_path = "cchc-quiz.db", *contest = NULL;
    long n = 0;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"contest", required_argument, NULL, 'c'},
                                         {"participants", required_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:c:n:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db_path = optarg; break;
        case 'c': contest = optarg; break;
        case 'n': n = atol(optarg); break;
        default: return seed_usage(ch == 'h' ? stdout : stderr, ch == 'h' ? 0 : 2);
        }
    }
    if (!contest || n < 1 || n > 10000000 || optind != argc)
        return seed_usage(stderr, 2);
    char err[512];
    db_conn *c = db_open(db_path, 0, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    int rc = 1;
    static seed_round rounds[SEED_MAX_ROUNDS];
    memset(rounds, 0, sizeof rounds);
    int nr = 0;
    int64_t *units = NULL;
    person *people = NULL;
    int nu = 0;
    int64_t cid = 0;
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
    db_bind_text(st, 1, contest);
    if (sqlite3_step(st) == SQLITE_ROW)
        cid = sqlite3_column_int64(st, 0);
    db_done(st);
    /* the single-answer questions of the contest's banks, sorted by id */
    st = db_stmt(c, Q_BENCH_QUESTIONS);
    sqlite3_bind_int64(st, 1, cid);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (g_nq == cap) {
            cap = cap ? cap * 2 : 512;
            qinfo *nq = realloc(g_q, (size_t)cap * sizeof *nq);
            if (!nq)
                break;
            g_q = nq;
        }
        json_t *o = json_loads(db_col_text(st, 1), 0, NULL);
        g_q[g_nq].id = sqlite3_column_int64(st, 0);
        g_q[g_nq].nopt = (int)json_array_size(o);
        g_q[g_nq].key = (unsigned)sqlite3_column_int(st, 2);
        json_decref(o);
        g_nq++;
    }
    db_done(st);
    st = db_stmt(c, Q_UNITS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, cid);
    cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nu == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *nu2 = realloc(units, (size_t)cap * sizeof *nu2);
            if (!nu2)
                break;
            units = nu2;
        }
        units[nu++] = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    int64_t rids[SEED_MAX_ROUNDS];
    st = db_stmt(c, Q_ROUNDS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, cid);
    while (nr < SEED_MAX_ROUNDS && sqlite3_step(st) == SQLITE_ROW)
        rids[nr++] = sqlite3_column_int64(st, 0);
    db_done(st);
    if (!cid || !nu || !nr || !g_nq) {
        fprintf(stderr,
                "cchc-quiz bench-console-seed: no contest %s with rounds, units and "
                "single-answer questions\n",
                contest);
        goto done;
    }
    for (int i = 0; i < nr; i++) {
        memset(&rounds[i], 0, sizeof rounds[i]);
        st = db_stmt(c, Q_ROUND_BY_ID);
        sqlite3_bind_int64(st, 1, rids[i]);
        char *bp = NULL;
        if (sqlite3_step(st) == SQLITE_ROW) {
            rounds[i].id = rids[i];
            rounds[i].opens = sqlite3_column_int64(st, 2);
            rounds[i].closes = sqlite3_column_int64(st, 3);
            rounds[i].duration = sqlite3_column_int64(st, 4);
            bp = strdup(db_col_text(st, 9));
        }
        db_done(st);
        int bad = !bp || load_round(c, cid, &rounds[i], bp) != 0;
        free(bp);
        if (bad) {
            fprintf(stderr, "cchc-quiz bench-console-seed: round %lld: not enough questions\n",
                    (long long)rids[i]);
            goto done;
        }
    }
    double t0 = clock_mono_ms();
    /* benchmark data only: a large cache, no fsync */
    db_exec(c, "PRAGMA cache_size = -1000000; PRAGMA synchronous = OFF");
    if (db_begin(c) != SQLITE_OK)
        goto done;
    int64_t now = clock_now_ms();
    long attempts = 0;
    people = calloc((size_t)n, sizeof *people);
    if (!people)
        goto rollback;
    for (long k = 0; k < n; k++) {
        char name[64], phone[32];
        snprintf(name, sizeof name, "Người thử tải %ld", k);
        snprintf(phone, sizeof phone, "+8488%07ld", k);
        int track = 1 + (int)(k % 2);
        int64_t unit = units[randombytes_uniform((uint32_t)nu)];
        int64_t created = rounds[0].opens + (int64_t)randombytes_uniform(86400000u);
        st = db_stmt(c, Q_PARTICIPANT_INSERT);
        sqlite3_bind_int64(st, 1, cid);
        db_bind_text(st, 2, name);
        db_bind_text(st, 3, name);
        sqlite3_bind_int64(st, 4, unit);
        db_bind_text(st, 5, phone);
        sqlite3_bind_int(st, 8, track);
        db_bind_text(st, 9, "bench");
        sqlite3_bind_int64(st, 10, created);
        db_bind_text(st, 11, "bench");
        int step = sqlite3_step(st);
        db_done(st);
        if (step != SQLITE_DONE)
            goto rollback;
        people[k].id = sqlite3_last_insert_rowid(db_handle(c));
        people[k].track = track;
        people[k].unit = unit;
        people[k].ability = 0.35 + 0.63 * uniform01();
    }
    /* round by round, as a real contest fills its weeks */
    for (int ri = 0; ri < nr; ri++) {
        seed_round *r = &rounds[ri];
        for (long k = 0; k < n; k++) {
            int64_t pid = people[k].id;
            int track = people[k].track;
            int64_t unit = people[k].unit;
            double ability = people[k].ability;
            int step;
            char items[4096], answers[4096];
            size_t il = 0, al = 0;
            int correct = 0, total = 0;
            al += (size_t)snprintf(answers, sizeof answers, "{");
            for (int s = 0; s < r->nslots; s++) {
                slot *sl = &r->slots[s];
                for (int j = 0; j < sl->count; j++) {
                    /* partial Fisher-Yates: distinct picks in sl->ids[0..count) */
                    int x = j + (int)randombytes_uniform((uint32_t)(sl->n - j));
                    int64_t tmp = sl->ids[j];
                    sl->ids[j] = sl->ids[x];
                    sl->ids[x] = tmp;
                    const qinfo *q = qfind(sl->ids[j]);
                    int nopt = q->nopt < ITEM_OPTIONS_MAX ? q->nopt : ITEM_OPTIONS_MAX;
                    char perm[ITEM_OPTIONS_MAX + 1];
                    for (int o = 0; o < nopt; o++)
                        perm[o] = (char)('0' + o);
                    for (int o = nopt - 1; o > 0; o--) {
                        int y = (int)randombytes_uniform((uint32_t)(o + 1));
                        char t = perm[o];
                        perm[o] = perm[y];
                        perm[y] = t;
                    }
                    perm[nopt] = '\0';
                    il += (size_t)snprintf(items + il, sizeof items - il, "%s%lld:%s",
                                           total ? ";" : "", (long long)q->id, perm);
                    total++;
                    double u = uniform01();
                    if (u < 0.03)
                        continue; /* left blank */
                    int want_right = u < ability;
                    int disp = 0;
                    int key_disp = 0;
                    for (int o = 0; o < nopt; o++)
                        if (q->key & (1u << (perm[o] - '0')))
                            key_disp = o;
                    if (want_right) {
                        disp = key_disp;
                        correct++;
                    } else {
                        disp =
                            (key_disp + 1 + (int)randombytes_uniform((uint32_t)(nopt - 1))) % nopt;
                    }
                    al += (size_t)snprintf(answers + al, sizeof answers - al, "%s\"%lld\":%d",
                                           al > 1 ? "," : "", (long long)q->id, disp);
                }
            }
            snprintf(answers + al, sizeof answers - al, "}");
            int64_t window = r->closes - r->opens - r->duration;
            int64_t started = r->opens + (int64_t)(uniform01() * (double)(window > 0 ? window : 1));
            int64_t dur = 60000 + (int64_t)(uniform01() * (double)(r->duration - 60000));
            int64_t submitted = started + dur;
            st = db_stmt(c, Q_CONSOLE_SEED_ATTEMPT);
            sqlite3_bind_int64(st, 1, r->id);
            sqlite3_bind_int64(st, 2, pid);
            sqlite3_bind_int64(st, 3, started);
            sqlite3_bind_int64(st, 4, started + r->duration);
            db_bind_text(st, 5, items);
            db_bind_text(st, 6, answers);
            sqlite3_bind_int64(st, 7, submitted);
            sqlite3_bind_int(st, 8, correct);
            sqlite3_bind_int(st, 9, total);
            sqlite3_bind_int64(st, 10, dur);
            sqlite3_bind_int64(st, 11, randombytes_uniform(5000));
            step = sqlite3_step(st);
            db_done(st);
            if (step != SQLITE_DONE)
                goto rollback;
            int64_t aid = sqlite3_last_insert_rowid(db_handle(c));
            st = db_stmt(c, Q_CONSOLE_SEED_RESULT);
            sqlite3_bind_int64(st, 1, aid);
            sqlite3_bind_int(st, 2, track);
            sqlite3_bind_int64(st, 3, unit);
            step = sqlite3_step(st);
            db_done(st);
            if (step != SQLITE_DONE)
                goto rollback;
            attempts++;
            if (attempts % 200000 == 0)
                fprintf(stderr, "  %ld attempts (%.0f s)\n", attempts,
                        (clock_mono_ms() - t0) / 1000);
        }
    }
    /* settle the closed rounds as the server's tick would */
    for (int ri = 0; ri < nr; ri++) {
        if (rounds[ri].closes >= now)
            continue;
        int64_t perfect = db_scalar_i64(c, Q_ROUND_PERFECT, rounds[ri].id);
        st = db_stmt(c, Q_RESULTS_PRED_ERROR);
        sqlite3_bind_int64(st, 1, rounds[ri].id);
        sqlite3_bind_int64(st, 2, perfect);
        sqlite3_step(st);
        db_done(st);
        st = db_stmt(c, Q_ROUND_SETTLE);
        sqlite3_bind_int64(st, 1, rounds[ri].id);
        sqlite3_bind_int64(st, 2, perfect);
        sqlite3_bind_int64(st, 3, now);
        sqlite3_step(st);
        db_done(st);
    }
    if (db_commit(c) != SQLITE_OK)
        goto rollback;
    printf("seeded %ld participants and %ld final attempts in %d rounds of %s in %.1f s\n", n,
           attempts, nr, contest, (clock_mono_ms() - t0) / 1000);
    rc = 0;
    goto done;
rollback:
    fprintf(stderr, "cchc-quiz bench-console-seed: %s\n", sqlite3_errmsg(db_handle(c)));
    db_rollback(c);
done:
    for (int i = 0; i < nr; i++)
        for (int s = 0; s < rounds[i].nslots; s++)
            free(rounds[i].slots[s].ids);
    free(units);
    free(people);
    free(g_q);
    g_q = NULL;
    g_nq = 0;
    db_close(c);
    return rc;
}
