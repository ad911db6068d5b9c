/* cli: the subcommands of the cchc-quiz binary. Each returns the process
 * exit status (0 ok, 1 failure, 2 usage). */
#ifndef CCHC_CLI_H
#define CCHC_CLI_H
#include <stdio.h>

#include "bank/formats.h"
#include "db/db.h"

/* The database file when --db is not given. */
#define DEFAULT_DB "cchc-quiz.db"

int cli_serve(int argc, char **argv);
int cli_bank(int argc, char **argv);
int cli_regrade(int argc, char **argv);
/* Benchmarks only: synthetic final attempts (scripts/bench). */
int cli_bench_seed(int argc, char **argv);
/* Benchmarks only: participants with tokens, and open attempts (scripts/bench). */
int cli_bench_people(int argc, char **argv);
/* For the bench commands: the contest's id (0 if unknown), the id of its round
 * with key round (if round is not NULL; else *rid is left) and its first unit. */
int64_t cli_bench_contest(db_conn *c, const char *contest, const char *round, int64_t *rid,
                          int64_t *unit);
/* Benchmarks only: synthetic participants with attempts in every round
 * (scripts/bench --console). */
int cli_console_seed(int argc, char **argv);
int cli_contest(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_cert(int argc, char **argv);
/* Before serving: loads or makes the certificate signing key beside the
 * database and remembers base_url (if any) for 'cert render'. 0 or -1. */
int cli_cert_prepare(const char *db_path, const char *base_url);
int cli_check(int argc, char **argv);

/* Imports one bank file in the given format (BANK_FMT_UNKNOWN: recognised) inside
 * its own transaction; id and title may be NULL. With verbose, prints what was done
 * and the questions already stored in other banks. 0, or -1 (problems printed). */
int cli_bank_import_file(db_conn *c, const char *path, bank_format format, const char *id,
                         const char *title, int verbose);

/* Parses the options of a command whose only option is --db FILE (and
 * --help), from argv[first]. Returns -1 when the caller goes on (optind is at
 * the first operand), else the exit status (0 after --help, 2 on a bad option). */
int cli_db_args(int argc, char **argv, int first, void (*usage)(FILE *), const char **db_path);
/* Reads a whole file (at most max bytes); caller frees. NULL with err set. */
char *cli_read_file(const char *path, size_t max, size_t *len, char *err, size_t errn);
/* Imports every *.json bank in dir and loads contest_file unless a contest
 * with its id exists, then plan_file (if not NULL) unless a plan with its id
 * exists (the demo). 0 or -1. */
int cli_load_demo(const char *db_path, const char *banks_dir, const char *contest_file,
                  const char *plan_file);
/* plan.c: `plan load|validate`. */
int cli_plan(int argc, char **argv);
/* Loads a plan file atomically (skip_existing: not if its id is stored). 0 or -1. */
int cli_plan_load(const char *db_path, const char *file, int skip_existing, int verbose);

#endif
