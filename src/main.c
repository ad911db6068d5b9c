/* cchc-quiz: one binary, with subcommands. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc-quiz COMMAND [options]   (COMMAND --help for each)\n"
            "  serve              serve the contests over HTTP\n"
            "  bank validate      check question-bank files, FILE:LINE:COL per problem\n"
            "  bank import        import question banks (atomic): native, GIFT, Aiken, CSV, Moodle XML\n"
            "  bank export        write a stored bank in any of those formats\n"
            "  regrade            correct a question's key or void it; re-score every attempt\n"
            "  contest load       load or update a contest file\n"
            "  plan load          load or update a plan file (plan tracking)\n"
            "  user add           create or update a staff account (admin, organiser, judge, reporter)\n"
            "  export             results or unit tables as CSV (UTF-8 with BOM)\n"
            "  cert               certificates: verify a QR code offline, render in bulk\n"
            "  check              database integrity check and row counts\n"
            "  backup             consistent copy of the database while serving\n"
            "  bench-seed         (benchmarks only) synthetic final attempts\n"
            "  bench-people       (benchmarks only) participants with tokens and open attempts\n"
            "  bench-console-seed (benchmarks only) participants with attempts in every round\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    /* No global allocation statistics: they take a process-wide mutex on every
     * SQLite allocation, and every connection here belongs to one thread. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (auth_init() != 0) {
        fprintf(stderr, "cchc-quiz: libsodium could not start\n");
        return 1;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "bank") == 0)
        return cli_bank(argc - 1, argv + 1);
    if (strcmp(cmd, "regrade") == 0)
        return cli_regrade(argc - 1, argv + 1);
    if (strcmp(cmd, "bench-console-seed") == 0)
        return cli_console_seed(argc - 1, argv + 1);
    if (strcmp(cmd, "bench-seed") == 0)
        return cli_bench_seed(argc - 1, argv + 1);
    if (strcmp(cmd, "bench-people") == 0)
        return cli_bench_people(argc - 1, argv + 1);
    if (strcmp(cmd, "contest") == 0)
        return cli_contest(argc - 1, argv + 1);
    if (strcmp(cmd, "plan") == 0)
        return cli_plan(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0)
        return cli_user(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cli_check(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return cli_export(argc - 1, argv + 1);
    if (strcmp(cmd, "cert") == 0)
        return cli_cert(argc - 1, argv + 1);
    if (strcmp(cmd, "backup") == 0)
        return cli_backup(argc - 1, argv + 1);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "cchc-quiz: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
