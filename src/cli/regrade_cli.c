/* cchc-quiz regrade: correct a question's key or void it, re-scoring every attempt
 * (quiz/regrade.h); and cchc-quiz bench-seed, which fills a round with synthetic
 * final attempts for scripts/bench (never for a real contest). */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "db/db.h"
#include "quiz/regrade.h"
#include "util/clock.h"


static void regrade_usage(FILE *f)
{
    fprintf(f,
            "usage: cchc-quiz regrade [--db FILE] --question QID (--key K | --void)\n"
            "                         [--dry-run] [--json] [--reason TEXT]\n"
            "       cchc-quiz regrade [--db FILE] --bank ID [--version N] [--dry-run] [--json]\n"
            "Corrects the key of question QID (its number in the database, as the question\n"
            "list shows it) or voids it (everyone gets the point), then re-scores every final\n"
            "attempt that contains it and the results (best/last attempt per round), in one\n"
            "transaction, with an audit entry. K is 0-based option numbers (\"1\", \"0,2\") or\n"
            "letters (\"B\", \"A,C\"). With --bank, the corrections are the keys that version N\n"
            "(default the newest) of the bank changed in its earlier versions. --dry-run shows\n"
            "how many attempts and which ranks would change, and changes nothing.\n");
}

static const char *str_or(const char *s)
{
    return s ? s : "?";
}

static void print_report(json_t *rep)
{
    int dry = json_is_true(json_object_get(rep, "dry_run"));
    printf("%s: %lld attempt(s) contain the question(s); %lld %s score, %lld result(s) %s\n",
           dry ? "dry run" : "regraded",
           (long long)json_integer_value(json_object_get(rep, "attempts_examined")),
           (long long)json_integer_value(json_object_get(rep, "attempts_changed")),
           dry ? "would change" : "changed",
           (long long)json_integer_value(json_object_get(rep, "results_changed")),
           dry ? "would change" : "changed");
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(rep, "questions"), i, q)
    {
        char *o = json_dumps(json_object_get(q, "old"), JSON_COMPACT);
        char *n = json_dumps(json_object_get(q, "new"), JSON_COMPACT);
        printf("  question %lld (%s, bank %s v%lld): %s -> %s\n",
               (long long)json_integer_value(json_object_get(q, "question_id")),
               json_string_value(json_object_get(q, "qkey")),
               json_string_value(json_object_get(q, "bank_id")),
               (long long)json_integer_value(json_object_get(q, "bank_version")), o ? o : "?",
               n ? n : "?");
        free(o);
        free(n);
    }
    json_t *r;
    json_array_foreach(json_object_get(rep, "rounds"), i, r)
    {
        printf("  round %s (%s): %lld attempt(s), %lld result(s), %lld rank move(s)\n",
               json_string_value(json_object_get(r, "round")),
               json_string_value(json_object_get(r, "title")),
               (long long)json_integer_value(json_object_get(r, "attempts_changed")),
               (long long)json_integer_value(json_object_get(r, "results_changed")),
               (long long)json_integer_value(json_object_get(r, "moves_total")));
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(r, "moves"), k, m)
        {
            if (k >= 20) {
                printf("    ...\n");
                break;
            }
            json_t *old_rank = json_object_get(m, "old_rank");
            printf("    %s (%s): rank %s%lld -> %lld, score %lld -> %lld\n",
                   str_or(json_string_value(json_object_get(m, "name"))),
                   str_or(json_string_value(json_object_get(m, "unit"))),
                   json_is_null(old_rank) ? "-" : "", (long long)json_integer_value(old_rank),
                   (long long)json_integer_value(json_object_get(m, "new_rank")),
                   (long long)json_integer_value(json_object_get(m, "old_score")),
                   (long long)json_integer_value(json_object_get(m, "new_score")));
        }
    }
}

int cli_regrade(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    const char *key = NULL, *reason = NULL, *bank = NULL;
    long long qid = 0;
    int void_it = 0, dry = 0, as_json = 0, version = 0;
    enum { O_QUESTION = 256, O_KEY, O_VOID, O_DRY, O_JSON, O_REASON, O_BANK, O_VERSION };
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"question", required_argument, NULL, O_QUESTION},
                                         {"key", required_argument, NULL, O_KEY},
                                         {"void", no_argument, NULL, O_VOID},
                                         {"dry-run", no_argument, NULL, O_DRY},
                                         {"json", no_argument, NULL, O_JSON},
                                         {"reason", required_argument, NULL, O_REASON},
                                         {"bank", required_argument, NULL, O_BANK},
                                         {"version", required_argument, NULL, O_VERSION},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db_path = optarg; break;
        case O_QUESTION: qid = atoll(optarg); break;
        case O_KEY: key = optarg; break;
        case O_VOID: void_it = 1; break;
        case O_DRY: dry = 1; break;
        case O_JSON: as_json = 1; break;
        case O_REASON: reason = optarg; break;
        case O_BANK: bank = optarg; break;
        case O_VERSION: version = atoi(optarg); break;
        case 'h': regrade_usage(stdout); return 0;
        default: regrade_usage(stderr); return 2;
        }
    }
    int by_question = qid > 0 && (key != NULL) != void_it && !bank;
    int by_bank = bank && qid == 0 && !key && !void_it && version >= 0;
    if (optind != argc || (!by_question && !by_bank)) {
        regrade_usage(stderr);
        return 2;
    }
    regrade_change one = {qid, 0, void_it};
    if (key) {
        one.key = regrade_parse_key(key);
        if (!one.key) {
            fprintf(stderr, "cchc-quiz regrade: --key: option numbers (0-based) or letters, "
                            "such as \"1\", \"0,2\" or \"B\"\n");
            return 2;
        }
    }
    char err[512];
    db_conn *c = db_open(db_path, 0, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    regrade_change *changes = &one;
    int n = 1;
    json_t *notes = NULL;
    app_err e;
    int rc = 1;
    if (db_begin(c) != SQLITE_OK) {
        fprintf(stderr, "cchc-quiz: the database is busy\n");
        db_close(c);
        return 1;
    }
    if (by_bank) {
        if (regrade_changes_from_version(c, bank, version, &changes, &n, &notes, &e) != 0) {
            fprintf(stderr, "cchc-quiz regrade: %s\n", e.msg);
            goto done;
        }
        size_t i;
        json_t *x;
        json_array_foreach(notes, i, x)
            fprintf(stderr, "note: question %lld (%s, v%lld) not regraded: %s\n",
                    (long long)json_integer_value(json_object_get(x, "question_id")),
                    json_string_value(json_object_get(x, "qkey")),
                    (long long)json_integer_value(json_object_get(x, "bank_version")),
                    json_string_value(json_object_get(x, "reason")));
        if (n == 0) {
            printf("no key corrections between the versions of bank %s\n", bank);
            rc = 0;
            goto done;
        }
    }
    double t0 = clock_mono_ms();
    json_t *rep = regrade_run(c, changes, n, "cli", reason, dry, &e);
    if (!rep) {
        fprintf(stderr, "cchc-quiz regrade: %s\n", e.msg);
        goto done;
    }
    if (db_commit(c) != SQLITE_OK) {
        json_decref(rep);
        fprintf(stderr, "cchc-quiz regrade: could not commit\n");
        goto done;
    }
    if (as_json) {
        char *s = json_dumps(rep, JSON_INDENT(2));
        puts(s ? s : "{}");
        free(s);
    } else {
        print_report(rep);
        printf("(%.0f ms)\n", clock_mono_ms() - t0);
    }
    json_decref(rep);
    rc = 0;
done:
    db_rollback(c);
    if (changes != &one)
        free(changes);
    json_decref(notes);
    db_close(c);
    return rc;
}

/* ---- bench-seed --------------------------------------------------------------------- */

int cli_bench_seed(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB, *contest = NULL, *round = NULL;
    long n = 0;
    long long include = 0;
    int per = 15;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"contest", required_argument, NULL, 'c'},
                                         {"round", required_argument, NULL, 'r'},
                                         {"attempts", required_argument, NULL, 'n'},
                                         {"include", required_argument, NULL, 'i'},
                                         {"questions", required_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db_path = optarg; break;
        case 'c': contest = optarg; break;
        case 'r': round = optarg; break;
        case 'n': n = atol(optarg); break;
        case 'i': include = atoll(optarg); break;
        case 'q': per = atoi(optarg); break;
        default:
            fprintf(ch == 'h' ? stdout : stderr,
                    "usage: cchc-quiz bench-seed [--db FILE] --contest ID --round RKEY "
                    "--attempts N\n"
                    "                            [--include QID] [--questions K]\n"
                    "FOR BENCHMARKS ONLY: adds N synthetic participants, each with one final\n"
                    "attempt of K questions (default 15; QID always among them) answered at\n"
                    "random, and their results, in one transaction.\n");
            return ch == 'h' ? 0 : 2;
        }
    }
    if (!contest || !round || n < 1 || per < 1 || per > 100 || optind != argc) {
        fprintf(stderr, "cchc-quiz bench-seed: --contest, --round and --attempts N are needed\n");
        return 2;
    }
    char err[512];
    db_conn *c = db_open(db_path, 0, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    int rc = 1;
    int64_t rid = 0, unit = 0;
    int nq = 0;
    int64_t *qids = NULL;
    int *nopts = NULL;
    unsigned *keys = NULL;
    sqlite3_stmt *st;
    int64_t cid = cli_bench_contest(c, contest, round, &rid, &unit);
    if (!cid || !rid || !unit) {
        fprintf(stderr, "cchc-quiz bench-seed: no contest %s with round %s and a unit\n", contest,
                round);
        goto done;
    }
    st = db_stmt(c, Q_BENCH_QUESTIONS);
    sqlite3_bind_int64(st, 1, cid);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nq == cap) {
            cap = cap ? cap * 2 : 512;
            qids = realloc(qids, (size_t)cap * sizeof *qids);
            nopts = realloc(nopts, (size_t)cap * sizeof *nopts);
            keys = realloc(keys, (size_t)cap * sizeof *keys);
            if (!qids || !nopts || !keys)
                break;
        }
        json_t *o = json_loads(db_col_text(st, 1), 0, NULL);
        qids[nq] = sqlite3_column_int64(st, 0);
        nopts[nq] = (int)json_array_size(o);
        keys[nq] = (unsigned)sqlite3_column_int(st, 2);
        json_decref(o);
        nq++;
    }
    db_done(st);
    if (nq < per) {
        fprintf(stderr, "cchc-quiz bench-seed: the contest's banks have %d single-answer "
                        "questions, fewer than %d\n", nq, per);
        goto done;
    }
    int inc = -1;
    for (int i = 0; i < nq; i++)
        if (qids[i] == include)
            inc = i;
    if (include && inc < 0) {
        fprintf(stderr, "cchc-quiz bench-seed: question %lld is not in the contest's banks\n",
                include);
        goto done;
    }
    int64_t now = clock_now_ms();
    if (db_begin(c) != SQLITE_OK)
        goto done;
    char *pick = calloc((size_t)nq, 1);
    int *chosen = calloc((size_t)per, sizeof *chosen);
    for (long k = 0; k < n && pick && chosen; k++) {
        char name[64], phone[32];
        snprintf(name, sizeof name, "Bench %ld", k);
        snprintf(phone, sizeof phone, "bench-%ld-%u", k, randombytes_random());
        st = db_stmt(c, Q_PARTICIPANT_INSERT);
        sqlite3_bind_int64(st, 1, cid);
        db_bind_text(st, 2, name);
        db_bind_text(st, 3, name);
        sqlite3_bind_int64(st, 4, unit);
        db_bind_text(st, 5, phone);
        sqlite3_bind_int(st, 8, 1 + (int)(k % 2));
        db_bind_text(st, 9, "bench");
        sqlite3_bind_int64(st, 10, now);
        db_bind_text(st, 11, "bench");
        int step = sqlite3_step(st);
        db_done(st);
        if (step != SQLITE_DONE)
            goto rollback;
        int64_t pid = sqlite3_last_insert_rowid(db_handle(c));
        /* the questions: QID first, then distinct random ones */
        memset(pick, 0, (size_t)nq);
        int m = 0;
        if (inc >= 0) {
            chosen[m++] = inc;
            pick[inc] = 1;
        }
        while (m < per) {
            int x = (int)randombytes_uniform((uint32_t)nq);
            if (!pick[x]) {
                pick[x] = 1;
                chosen[m++] = x;
            }
        }
        char items[4096], answers[4096];
        size_t il = 0, al = 0;
        int correct = 0;
        al += (size_t)snprintf(answers + al, sizeof answers - al, "{");
        for (int i = 0; i < per; i++) {
            int q = chosen[i];
            il += (size_t)snprintf(items + il, sizeof items - il, "%s%lld:", i ? ";" : "",
                                   (long long)qids[q]);
            for (int o = 0; o < nopts[q] && o < 6; o++)
                items[il++] = (char)('0' + o);
            items[il] = '\0';
            int a = (int)randombytes_uniform((uint32_t)(nopts[q] > 0 ? nopts[q] : 1));
            correct += keys[q] == (1u << a);
            al += (size_t)snprintf(answers + al, sizeof answers - al, "%s\"%lld\":%d",
                                   i ? "," : "", (long long)qids[q], a);
        }
        snprintf(answers + al, sizeof answers - al, "}");
        int64_t started = now - 600000 + (int64_t)randombytes_uniform(300000);
        int64_t submitted = started + 60000 + (int64_t)randombytes_uniform(200000);
        st = db_stmt(c, Q_BENCH_ATTEMPT_INSERT);
        sqlite3_bind_int64(st, 1, rid);
        sqlite3_bind_int64(st, 2, pid);
        sqlite3_bind_int64(st, 3, started);
        sqlite3_bind_int64(st, 4, started + 900000);
        db_bind_text(st, 5, items);
        db_bind_text(st, 6, answers);
        sqlite3_bind_int64(st, 7, submitted);
        sqlite3_bind_int(st, 8, correct);
        sqlite3_bind_int(st, 9, per);
        sqlite3_bind_int(st, 10, correct);
        sqlite3_bind_int(st, 11, per);
        sqlite3_bind_int64(st, 12, submitted - started);
        step = sqlite3_step(st);
        db_done(st);
        if (step != SQLITE_DONE)
            goto rollback;
        int64_t aid = sqlite3_last_insert_rowid(db_handle(c));
        st = db_stmt(c, Q_RESULT_UPSERT_BEST);
        sqlite3_bind_int64(st, 1, rid);
        sqlite3_bind_int64(st, 2, pid);
        sqlite3_bind_int64(st, 3, aid);
        sqlite3_bind_int(st, 4, 1 + (int)(k % 2));
        sqlite3_bind_int64(st, 5, unit);
        sqlite3_bind_int(st, 6, correct);
        sqlite3_bind_int(st, 7, per);
        sqlite3_bind_int(st, 8, correct);
        sqlite3_bind_int(st, 9, per);
        sqlite3_bind_int64(st, 10, submitted - started);
        sqlite3_bind_int64(st, 11, submitted);
        step = sqlite3_step(st);
        db_done(st);
        if (step != SQLITE_DONE)
            goto rollback;
    }
    if (!pick || !chosen || db_commit(c) != SQLITE_OK)
        goto rollback;
    printf("seeded %ld final attempts in round %s of %s%s\n", n, round, contest,
           inc >= 0 ? " (each contains the given question)" : "");
    rc = 0;
    free(pick);
    free(chosen);
    goto done;
rollback:
    fprintf(stderr, "cchc-quiz bench-seed: %s\n", sqlite3_errmsg(db_handle(c)));
    db_rollback(c);
    free(pick);
    free(chosen);
done:
    free(qids);
    free(nopts);
    free(keys);
    db_close(c);
    return rc;
}
