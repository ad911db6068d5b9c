/* `cchc-quiz plan load|validate`: plan files (docs/plan-format.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "plan/plan.h"
#include "plan/store.h"
#include "util/clock.h"


static plan *read_plan(const char *path)
{
    char err[600];
    size_t len;
    char *data = cli_read_file(path, PLAN_FILE_MAX, &len, err, sizeof err);
    if (!data) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    plan *p = plan_parse(data, len, plan_today(clock_now_ms()), err, sizeof err);
    free(data);
    if (!p)
        fprintf(stderr, "%s: error: %s\n", path, err);
    return p;
}

int cli_plan_load(const char *db_path, const char *file, int skip_existing, int verbose)
{
    plan *p = read_plan(file);
    if (!p)
        return -1;
    char err[512];
    db_conn *c = db_open(db_path, 0, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        plan_free(p);
        return -1;
    }
    int rc = -1;
    int exists = skip_existing ? plan_exists(c, p->id) : 0;
    if (exists == 1) {
        rc = 0;
    } else if (exists == 0 && db_begin(c) == SQLITE_OK) {
        int64_t row;
        char detail[160];
        snprintf(detail, sizeof detail, "{\"plan\":\"%s\"}", p->id);
        if (plan_store(c, p, clock_now_ms(), &row, err, sizeof err) == 0 &&
            db_audit(c, "cli", "plan.load", detail) == 0 && db_commit(c) == SQLITE_OK) {
            rc = 0;
            if (verbose)
                printf("%s: plan %s (%s) loaded: %zu agencies, %zu tasks (%zu as written)\n", file,
                       p->id, p->number, p->nagencies, p->ntasks, p->nsource);
        } else {
            db_rollback(c);
            fprintf(stderr, "%s: error: %s (nothing was stored)\n", file, err);
        }
    }
    db_close(c);
    plan_free(p);
    return rc;
}

static void plan_usage(FILE *f)
{
    fprintf(f, "usage: cchc-quiz plan load [--db FILE] PLAN.json\n"
               "       cchc-quiz plan validate PLAN.json...\n"
               "Loads or updates a plan (docs/plan-format.md): its agencies, content items,\n"
               "forms and tasks. Any error stores nothing and names the field. Progress\n"
               "reports of tasks that stay in the plan are kept.\n");
}

int cli_plan(int argc, char **argv)
{
    int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    if (argc < 2 || help ||
        (strcmp(argv[1], "load") != 0 && strcmp(argv[1], "validate") != 0)) {
        plan_usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const char *sub = argv[1];
    const char *db_path = DEFAULT_DB;
    int status = cli_db_args(argc, argv, 2, plan_usage, &db_path);
    if (status >= 0)
        return status;
    if (optind >= argc || (strcmp(sub, "load") == 0 && optind != argc - 1)) {
        plan_usage(stderr);
        return 2;
    }
    if (strcmp(sub, "load") == 0)
        return cli_plan_load(db_path, argv[optind], 0, 1) == 0 ? 0 : 1;
    int bad = 0;
    for (int i = optind; i < argc; i++) {
        plan *p = read_plan(argv[i]);
        if (!p) {
            bad = 1;
            continue;
        }
        printf("%s: ok, plan %s: %zu agencies, %zu content items, %zu tasks (%zu as written)\n",
               argv[i], p->id, p->nagencies, p->ncontent, p->ntasks, p->nsource);
        plan_free(p);
    }
    return bad ? 1 : 0;
}
