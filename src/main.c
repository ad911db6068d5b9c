/* cchc-quiz: one binary, with subcommands. */
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
            "  bank import        import question banks (atomic)\n"
            "  contest load       load or update a contest file\n"
            "  user add           create or update a staff account (admin, organiser, judge)\n"
            "  export             results or unit tables as CSV (UTF-8 with BOM)\n"
            "  check              database integrity check and row counts\n"
            "  backup             consistent copy of the database while serving\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (auth_init() != 0) {
        fprintf(stderr, "cchc-quiz: libsodium could not start\n");
        return 1;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "bank") == 0)
        return cli_bank(argc - 1, argv + 1);
    if (strcmp(cmd, "contest") == 0)
        return cli_contest(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0)
        return cli_user(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cli_check(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return cli_export(argc - 1, argv + 1);
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
