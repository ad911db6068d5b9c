#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"
#include "bank/bank.h"
#include "bank/store.h"
#include "cli/cli.h"
#include "contest/contest.h"
#include "db/db.h"
#include "db/faultvfs.h"
#include "db/writer.h"
#include "http/server.h"
#include "plan/plan.h"
#include "plan/store.h"
#include "quiz/attempt.h"
#include "util/clock.h"
#include "util/log.h"


char *cli_read_file(const char *path, size_t max, size_t *len, char *err, size_t errn)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errn, "%s: cannot open", path);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        fclose(f);
        snprintf(err, errn, "%s: not a regular file or larger than %zu bytes", path, max);
        return NULL;
    }
    char *data = malloc((size_t)st.st_size + 1);
    size_t n = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!data || n != (size_t)st.st_size) {
        free(data);
        snprintf(err, errn, "%s: read error", path);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

int cli_db_args(int argc, char **argv, int first, void (*usage)(FILE *), const char **db_path)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = first;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (ch == 'd') {
            *db_path = optarg;
        } else {
            usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : 2;
        }
    }
    return -1;
}

static db_conn *open_db(const char *path)
{
    char err[512];
    db_conn *c = db_open(path, 0, err, sizeof err);
    if (!c)
        fprintf(stderr, "cchc-quiz: %s\n", err);
    return c;
}

/* ---- contest ---- */

static int load_contest_file(db_conn *c, const char *path, int skip_existing, int verbose)
{
    char err[512];
    size_t len;
    char *data = cli_read_file(path, 4u << 20, &len, err, sizeof err);
    if (!data) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    json_error_t je;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    free(data);
    if (!doc) {
        fprintf(stderr, "%s:%d:%d: error: %s\n", path, je.line, je.column, je.text);
        return -1;
    }
    if (skip_existing) {
        sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
        db_bind_text(st, 1, json_string_value(json_object_get(doc, "id")));
        int exists = sqlite3_step(st) == SQLITE_ROW;
        db_done(st);
        if (exists) {
            json_decref(doc);
            return 0;
        }
    }
    int64_t id;
    int rc = -1;
    if (db_begin(c) == SQLITE_OK &&
        contest_load(c, doc, clock_now_ms(), &id, err, sizeof err) == 0) {
        db_audit(c, "cli", "contest.load", "{}");
        if (db_commit(c) == SQLITE_OK) {
            rc = 0;
            if (verbose)
                printf("%s: contest %s loaded\n", path,
                       json_string_value(json_object_get(doc, "id")));
        }
    } else {
        fprintf(stderr, "%s: error: %s (nothing was stored)\n", path, err);
    }
    if (rc != 0)
        db_rollback(c);
    json_decref(doc);
    return rc;
}

static void contest_usage(FILE *f)
{
    fprintf(f, "usage: cchc-quiz contest load [--db FILE] CONTEST.json\n"
               "Loads or updates a contest (docs/contest-format.md); the banks it names must\n"
               "be imported first. Any error stores nothing.\n");
}

int cli_contest(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "load") != 0) {
        int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        contest_usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const char *db_path = DEFAULT_DB;
    int status = cli_db_args(argc, argv, 2, contest_usage, &db_path);
    if (status >= 0)
        return status;
    if (optind != argc - 1) {
        contest_usage(stderr);
        return 2;
    }
    db_conn *c = open_db(db_path);
    if (!c)
        return 1;
    int rc = load_contest_file(c, argv[optind], 0, 1);
    db_close(c);
    return rc == 0 ? 0 : 1;
}

int cli_load_demo(const char *db_path, const char *banks_dir, const char *contest_file,
                  const char *plan_file)
{
    db_conn *c = open_db(db_path);
    if (!c)
        return -1;
    DIR *d = opendir(banks_dir);
    int rc = 0;
    if (!d) {
        fprintf(stderr, "cchc-quiz: cannot read %s\n", banks_dir);
        rc = -1;
    }
    struct dirent *e;
    char *names[256];
    int n = 0;
    while (d && (e = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[n++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    for (int i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", banks_dir, names[i]);
        if (cli_bank_import_file(c, path, BANK_FMT_NATIVE, NULL, NULL, 0) != 0)
            rc = -1;
        free(names[i]);
    }
    if (rc == 0 && load_contest_file(c, contest_file, 1, 0) != 0)
        rc = -1;
    db_close(c);
    if (rc == 0 && plan_file && cli_plan_load(db_path, plan_file, 1, 0) != 0)
        rc = -1;
    return rc;
}

/* ---- user ---- */

static void user_usage(FILE *f)
{
    fprintf(f, "usage: cchc-quiz user add [--db FILE] --role admin|organiser|judge USERNAME\n"
               "       cchc-quiz user add [--db FILE] --role reporter --agency ID USERNAME\n"
               "The password is read from the environment variable CCHC_PASSWORD, or else\n"
               "from the first line of standard input (at least 10 characters).\n"
               "A reporter files plan progress reports for one agency of the plans (its id).\n");
}

int cli_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        user_usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const char *db_path = DEFAULT_DB, *role = NULL, *agency = NULL;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"agency", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:r:a:h", opts, NULL)) != -1) {
        if (ch == 'd') {
            db_path = optarg;
        } else if (ch == 'r') {
            role = optarg;
        } else if (ch == 'a') {
            agency = optarg;
        } else {
            user_usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : 2;
        }
    }
    if (optind != argc - 1 || !role || !auth_role_from_name(role)) {
        user_usage(stderr);
        return 2;
    }
    int reporter = auth_role_from_name(role) == ROLE_REPORTER;
    if (reporter != (agency != NULL) || (agency && !plan_is_id(agency))) {
        fprintf(stderr, "cchc-quiz: %s\n",
                reporter ? "--agency ID (a-z 0-9 - _ .) is required for a reporter"
                         : "--agency is only for --role reporter");
        return 2;
    }
    const char *user = argv[optind];
    for (const char *p = user; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-') ||
            strlen(user) > 63) {
            fprintf(stderr, "cchc-quiz: username: use a-z 0-9 . _ - (at most 63)\n");
            return 2;
        }
    char pw[1024];
    const char *env = getenv("CCHC_PASSWORD");
    if (env) {
        snprintf(pw, sizeof pw, "%s", env);
    } else if (!fgets(pw, sizeof pw, stdin)) {
        fprintf(stderr, "cchc-quiz: no password on standard input or in CCHC_PASSWORD\n");
        return 2;
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    if (strlen(pw) < 10) {
        fprintf(stderr, "cchc-quiz: password: at least 10 characters\n");
        return 2;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (auth_password_hash(pw, hash) != 0) {
        sodium_memzero(pw, sizeof pw);
        fprintf(stderr, "cchc-quiz: cannot hash the password (out of memory?)\n");
        return 1;
    }
    sodium_memzero(pw, sizeof pw);
    db_conn *c = open_db(db_path);
    if (!c)
        return 1;
    sqlite3_stmt *st = db_stmt(c, Q_USER_UPSERT);
    db_bind_text(st, 1, user);
    db_bind_text(st, 2, hash);
    db_bind_text(st, 3, role);
    sqlite3_bind_int64(st, 4, clock_now_ms());
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_DONE) {
        st = db_stmt(c, Q_USER_SET_AGENCY);
        db_bind_text(st, 1, user);
        db_bind_text(st, 2, agency);
        rc = sqlite3_step(st);
        db_done(st);
        if (agency && !plan_agency_known(c, agency))
            fprintf(stderr, "cchc-quiz: warning: no loaded plan has an agency \"%s\" (yet)\n",
                    agency);
    }
    char detail[160];
    snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"role\":\"%s\"}", user, role);
    db_audit(c, "cli", "user.set", detail);
    db_close(c);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "cchc-quiz: cannot store the user\n");
        return 1;
    }
    if (agency)
        printf("user %s (%s, agency %s) saved\n", user, role, agency);
    else
        printf("user %s (%s) saved\n", user, role);
    return 0;
}

/* ---- backup ---- */

static void backup_usage(FILE *f)
{
    fprintf(f, "usage: cchc-quiz backup [--db FILE] OUT\n"
               "Copies the database consistently while it is being served (SQLite online "
               "backup),\nwith the certificate signing key beside it. Restore: stop the server "
               "and put OUT\nin place of the database (README).\n");
}

int cli_backup(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    int status = cli_db_args(argc, argv, 1, backup_usage, &db_path);
    if (status >= 0)
        return status;
    if (optind != argc - 1) {
        fprintf(stderr, "usage: cchc-quiz backup [--db FILE] OUT\n");
        return 2;
    }
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(db_path, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_open(argv[optind], &dst);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(src, 5000);
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (b) {
            do {
                rc = sqlite3_backup_step(b, 1024);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                    sqlite3_sleep(20);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            sqlite3_backup_finish(b);
        }
        rc = sqlite3_errcode(dst);
    }
    if (rc != SQLITE_OK)
        fprintf(stderr, "cchc-quiz: backup failed: %s\n",
                dst ? sqlite3_errmsg(dst) : src ? sqlite3_errmsg(src) : "cannot open");
    else
        printf("backup written to %s\n", argv[optind]);
    /* The certificate signing key lives beside the database: keep it with the copy. */
    static const char *const exts[] = {".signing.key", ".signing.pub"};
    for (int i = 0; rc == SQLITE_OK && i < 2; i++) {
        char from[1024], to[1024], err[256];
        snprintf(from, sizeof from, "%s%s", db_path, exts[i]);
        snprintf(to, sizeof to, "%s%s", argv[optind], exts[i]);
        size_t len;
        char *data = cli_read_file(from, 1u << 16, &len, err, sizeof err);
        if (!data)
            continue;
        int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, i == 0 ? 0600 : 0644);
        if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
            fprintf(stderr, "cchc-quiz: cannot write %s\n", to);
            rc = SQLITE_CANTOPEN;
        } else {
            printf("%s written\n", to);
        }
        if (fd >= 0)
            close(fd);
        sodium_memzero(data, len);
        free(data);
    }
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc == SQLITE_OK ? 0 : 1;
}

/* ---- serve ---- */

static void toggle_fault(int sig)
{
    (void)sig;
    faultvfs_set_failing(!faultvfs_failing());
}

static void serve_usage(FILE *f)
{
    fprintf(f,
            "usage: cchc-quiz serve [options]\n"
            "  --port N            port (default 8080)\n"
            "  --bind ADDR         IPv4 address to listen on (default all)\n"
            "  --db FILE           SQLite database (default ./" DEFAULT_DB ")\n"
            "  --demo              import the shipped banks and the demo contest if missing\n"
            "  --web DIR           static files (default the source tree's web/)\n"
            "  --banks DIR         banks for --demo (default question-banks/)\n"
            "  --demo-contest F    contest file for --demo (default scripts/demo/contest.json)\n"
            "  --demo-plan F       plan file for --demo (default plans/ke-hoach-52-2017.json)\n"
            "  --threads N         HTTP worker threads (default: number of CPUs, at least 2)\n"
            "  --base-url URL      public base URL for links and QR codes\n"
            "  --trusted-proxy IP  believe X-Forwarded-For only from this peer\n"
            "  --per-ip-limit N    concurrent connections per address (default 0: no cap)\n"
            "  --conn-limit N      concurrent connections in all (default 20000)\n"
            "  --timeout S         idle connection timeout in seconds (default 30)\n"
            "  --no-rate-limit     turn off per-address rate limits (benchmarks only)\n"
            "  --bank-max-mb N     largest question-bank upload in MB (default 10)\n"
            "  --log-level L       error, warn, info (default) or debug\n"
            "  --access-log F      access log file, '-' for stdout (default), 'off'\n"
            "  --fault-injection   tests only: SIGUSR1 toggles failing disk writes\n");
}

int cli_serve(int argc, char **argv)
{
    server_config cfg = {0};
    cfg.port = 8080;
    cfg.db_path = DEFAULT_DB;
    cfg.web_dir = CCHC_SOURCE_DIR "/web";
    cfg.base_url = NULL;
    cfg.rate_limits = 1;
    const char *banks = CCHC_SOURCE_DIR "/question-banks";
    const char *demo_contest = CCHC_SOURCE_DIR "/scripts/demo/contest.json";
    const char *demo_plan = CCHC_SOURCE_DIR "/plans/ke-hoach-52-2017.json";
    const char *access = "-";
    int demo = 0;
    enum { O_BIND = 256, O_WEB, O_BANKS, O_DEMO_CONTEST, O_DEMO_PLAN, O_THREADS, O_BASE, O_PROXY,
           O_PERIP, O_CONNS, O_TIMEOUT, O_NORL, O_LEVEL, O_ACCESS, O_FAULT, O_BANKMAX };
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},
        {"db", required_argument, NULL, 'd'},
        {"demo", no_argument, NULL, 'D'},
        {"bind", required_argument, NULL, O_BIND},
        {"web", required_argument, NULL, O_WEB},
        {"banks", required_argument, NULL, O_BANKS},
        {"demo-contest", required_argument, NULL, O_DEMO_CONTEST},
        {"demo-plan", required_argument, NULL, O_DEMO_PLAN},
        {"threads", required_argument, NULL, O_THREADS},
        {"base-url", required_argument, NULL, O_BASE},
        {"trusted-proxy", required_argument, NULL, O_PROXY},
        {"per-ip-limit", required_argument, NULL, O_PERIP},
        {"conn-limit", required_argument, NULL, O_CONNS},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"no-rate-limit", no_argument, NULL, O_NORL},
        {"bank-max-mb", required_argument, NULL, O_BANKMAX},
        {"log-level", required_argument, NULL, O_LEVEL},
        {"access-log", required_argument, NULL, O_ACCESS},
        {"fault-injection", no_argument, NULL, O_FAULT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "p:d:Dh", opts, NULL)) != -1) {
        switch (ch) {
        case 'p': cfg.port = atoi(optarg); break;
        case 'd': cfg.db_path = optarg; break;
        case 'D': demo = 1; break;
        case O_BIND: cfg.bind = optarg; break;
        case O_WEB: cfg.web_dir = optarg; break;
        case O_BANKS: banks = optarg; break;
        case O_DEMO_CONTEST: demo_contest = optarg; break;
        case O_DEMO_PLAN: demo_plan = optarg; break;
        case O_THREADS: cfg.threads = (unsigned)atoi(optarg); break;
        case O_BASE: cfg.base_url = optarg; break;
        case O_PROXY: cfg.trusted_proxy = optarg; break;
        case O_PERIP: cfg.per_ip_limit = (unsigned)atoi(optarg); break;
        case O_CONNS: cfg.conn_limit = (unsigned)atoi(optarg); break;
        case O_TIMEOUT: cfg.timeout_s = (unsigned)atoi(optarg); break;
        case O_NORL: cfg.rate_limits = 0; break;
        case O_BANKMAX: {
            long mb = atol(optarg);
            if (mb < 1 || mb > 1024) {
                fprintf(stderr, "cchc-quiz: --bank-max-mb: 1 to 1024\n");
                return 2;
            }
            cfg.bank_body_max = (size_t)mb * 1024 * 1024;
            break;
        }
        case O_LEVEL: {
            int l = log_level_from_name(optarg);
            if (l < 0) {
                fprintf(stderr, "cchc-quiz: --log-level: error, warn, info or debug\n");
                return 2;
            }
            log_set_level((log_level)l);
            break;
        }
        case O_ACCESS: access = optarg; break;
        case O_FAULT:
            if (faultvfs_install() != 0) {
                fprintf(stderr, "cchc-quiz: --fault-injection: cannot install the VFS shim\n");
                return 1;
            }
            signal(SIGUSR1, toggle_fault);
            break;
        case 'h': serve_usage(stdout); return 0;
        default: serve_usage(stderr); return 2;
        }
    }
    if (optind != argc || cfg.port < 0 || cfg.port > 65535) {
        serve_usage(stderr);
        return 2;
    }
    FILE *access_f = NULL;
    if (strcmp(access, "-") == 0) {
        access_f = stdout;
        setvbuf(stdout, NULL, _IOLBF, 0);
    } else if (strcmp(access, "off") != 0) {
        access_f = fopen(access, "a");
        if (!access_f) {
            fprintf(stderr, "cchc-quiz: --access-log %s: cannot open\n", access);
            return 1;
        }
    }
    log_set_access(access_f);
    if (demo && cli_load_demo(cfg.db_path, banks, demo_contest, demo_plan) != 0) {
        fprintf(stderr, "cchc-quiz: the demo could not be loaded\n");
        return 1;
    }
    char err[512];
    if (cli_cert_prepare(cfg.db_path, cfg.base_url) != 0)
        return 1;
    if (writer_start(cfg.db_path, attempt_tick, err, sizeof err) != 0) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    int rc = server_run(&cfg);
    writer_stop();
    if (access_f && access_f != stdout)
        fclose(access_f);
    return rc == 0 ? 0 : 1;
}

/* ---- check ---- */

static void check_usage(FILE *f)
{
    fprintf(f, "usage: cchc-quiz check [--db FILE]\n"
               "Runs SQLite's integrity check and prints the row counts; exit 1 if not ok.\n");
}

int cli_check(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB;
    int status = cli_db_args(argc, argv, 1, check_usage, &db_path);
    if (status >= 0)
        return status;
    char err[512];
    db_conn *c = db_open(db_path, 1, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    sqlite3_stmt *st;
    int ok = 0;
    if (sqlite3_prepare_v2(db_handle(c), "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *line = db_col_text(st, 0);
            printf("integrity: %s\n", line);
            ok = ok || strcmp(line, "ok") == 0;
        }
        sqlite3_finalize(st);
    }
    static const char *const tables[] = {"banks", "questions", "contests", "rounds",
                                         "participants", "attempts", "results", "audit_log"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        if (sqlite3_prepare_v2(db_handle(c), sql, -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                printf("%s: %lld\n", tables[i], (long long)sqlite3_column_int64(st, 0));
            sqlite3_finalize(st);
        }
    }
    db_close(c);
    return ok ? 0 : 1;
}
