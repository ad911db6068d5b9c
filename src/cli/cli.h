/* cli: the subcommands of the cchc-quiz binary. Each returns the process
 * exit status (0 ok, 1 failure, 2 usage). */
#ifndef CCHC_CLI_H
#define CCHC_CLI_H

int cli_serve(int argc, char **argv);
int cli_bank(int argc, char **argv);
int cli_contest(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_check(int argc, char **argv);

/* Reads a whole file (at most max bytes); caller frees. NULL with err set. */
char *cli_read_file(const char *path, size_t max, size_t *len, char *err, size_t errn);
/* Imports every *.json bank in dir and loads contest_file unless a contest
 * with its id exists (the demo). 0 or -1. */
int cli_load_demo(const char *db_path, const char *banks_dir, const char *contest_file);

#endif
