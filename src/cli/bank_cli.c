/* cchc-quiz bank validate | import | export: question banks in every format
 * (bank/formats.h) from the command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/formats.h"
#include "bank/store.h"
#include "bank/summary.h"
#include "cli/cli.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/clock.h"

#define BANK_FILE_MAX (64u << 20)

static void bank_usage(FILE *f)
{
    fprintf(f,
            "usage: cchc-quiz bank validate [--format F] [--id ID] [--title T] [--db FILE] FILE...\n"
            "       cchc-quiz bank import [--db FILE] [--format F] [--id ID] [--title T] FILE...\n"
            "       cchc-quiz bank export [--db FILE] --bank ID [--version N] --format F\n"
            "                             [--plain] [--out FILE]\n"
            "Formats: native (JSON, docs/bank-format.md), gift, aiken, csv, xml (Moodle XML);\n"
            "without --format the format is recognised from the content or the file name.\n"
            "validate prints every problem as FILE:LINE:COL: error|warning: message and, with\n"
            "--db, the questions already stored in other banks; it exits 1 on any error.\n"
            "import is atomic per file: a bank with any error imports nothing; the same\n"
            "content again changes nothing; a changed bank with the same id becomes a new\n"
            "version. --id and --title name the bank (default: the file's own, else its name).\n"
            "export writes a stored bank (the newest version unless --version) to --out or\n"
            "standard output; --plain writes Aiken as Moodle reads it (no extension lines,\n"
            "multi-select questions left out).\n");
}

struct bank_opts {
    const char *db_path;
    bank_format format;
    const char *id;
    const char *title;
    const char *bank;
    int version;
    int plain;
    const char *out;
    int db_given;
};

static void print_summary(const char *path, const bank *b, bank_format fmt, size_t warnings)
{
    json_t *s = bank_summary_json(b);
    size_t i;

    printf("%s: ok, bank %s \"%s\", %d questions (%s, %zu warning%s)\n", path, b->id, b->title,
           b->nquestions, bank_format_name(fmt), warnings, warnings == 1 ? "" : "s");
    if (!s)
        return;
    json_t *cats = json_object_get(s, "categories");
    for (i = 0; i < json_array_size(cats); i++) {
        json_t *c = json_array_get(cats, i);
        printf("  category %s (%s): %lld\n", json_string_value(json_object_get(c, "id")),
               json_string_value(json_object_get(c, "title")),
               (long long)json_integer_value(json_object_get(c, "questions")));
    }
    json_t *d = json_object_get(s, "difficulty");
    json_t *t = json_object_get(s, "track");
    printf("  difficulty: easy %lld, medium %lld, hard %lld; track: both %lld, cbccvc %lld, "
           "citizen %lld; multi-select %lld\n",
           (long long)json_integer_value(json_object_get(d, "easy")),
           (long long)json_integer_value(json_object_get(d, "medium")),
           (long long)json_integer_value(json_object_get(d, "hard")),
           (long long)json_integer_value(json_object_get(t, "both")),
           (long long)json_integer_value(json_object_get(t, "cbccvc")),
           (long long)json_integer_value(json_object_get(t, "citizen")),
           (long long)json_integer_value(json_object_get(s, "multi")));
    json_decref(s);
}

/* Reads and parses one file; prints its problems. Returns the bank or NULL. */
static bank *read_bank(const char *path, const struct bank_opts *o, bank_report *rep,
                       bank_format *fmt)
{
    char err[512];
    size_t len;
    char *data = cli_read_file(path, BANK_FILE_MAX, &len, err, sizeof err);
    if (!data) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    bank_import_opts io = {o->id, o->title, path};
    bank *b = bank_parse_format(data, len, o->format, &io, rep, fmt);
    free(data);
    return b;
}

int cli_bank_import_file(db_conn *c, const char *path, bank_format format, const char *id,
                         const char *title, int verbose)
{
    struct bank_opts o = {0};
    o.format = format;
    o.id = id;
    o.title = title;
    bank_report *rep = bank_report_new();
    if (!rep)
        return -1;
    bank_format fmt = BANK_FMT_UNKNOWN;
    bank *b = read_bank(path, &o, rep, &fmt);
    if (b && verbose)
        bank_store_duplicates(c, b, rep, NULL);
    bank_report_print(rep, stderr);
    bank_report_free(rep);
    int rc = -1;
    char err[512];
    if (b) {
        bank_store_result res;
        if (db_begin(c) == SQLITE_OK &&
            bank_store(c, b, NULL, 0, path, "cli", clock_now_ms(), &res, err, sizeof err) == 0 &&
            db_commit(c) == SQLITE_OK) {
            if (verbose)
                printf("%s: bank %s version %d, %d questions (%s)%s\n", path, b->id,
                       res.version, res.questions, bank_format_name(fmt),
                       res.unchanged ? " (already imported, unchanged)" : "");
            rc = 0;
        } else {
            db_rollback(c);
            fprintf(stderr, "%s: not imported: %s\n", path, err);
        }
    } else {
        fprintf(stderr, "%s: not imported (nothing was stored)\n", path);
    }
    bank_free(b);
    return rc;
}

static int do_export(const struct bank_opts *o)
{
    if (!o->bank || o->format == BANK_FMT_UNKNOWN) {
        fprintf(stderr, "cchc-quiz bank export: --bank ID and --format F are required\n");
        return 2;
    }
    char err[512];
    db_conn *c = db_open(o->db_path, 1, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    int version = 0;
    bank *b = bank_store_load(c, o->bank, o->version, &version, err, sizeof err);
    db_close(c);
    if (!b) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    buf out;
    buf_init(&out, 0);
    int skipped = 0;
    int rc = bank_write_format(b, o->format, o->plain, &out, &skipped);
    bank_free(b);
    if (rc != 0) {
        buf_free(&out);
        fprintf(stderr, "cchc-quiz: out of memory\n");
        return 1;
    }
    FILE *f = o->out ? fopen(o->out, "wb") : stdout;
    if (!f) {
        buf_free(&out);
        fprintf(stderr, "cchc-quiz: %s: cannot write\n", o->out);
        return 1;
    }
    size_t w = out.len ? fwrite(out.data, 1, out.len, f) : 0;
    int bad = w != out.len;
    if (o->out && fclose(f) != 0)
        bad = 1;
    buf_free(&out);
    if (bad) {
        fprintf(stderr, "cchc-quiz: %s: write error\n", o->out ? o->out : "stdout");
        return 1;
    }
    if (skipped)
        fprintf(stderr, "%d multi-select question%s left out (plain Aiken has one answer)\n",
                skipped, skipped == 1 ? "" : "s");
    if (o->out)
        fprintf(stderr, "bank %s version %d written to %s (%s)\n", o->bank, version, o->out,
                bank_format_name(o->format));
    return 0;
}

int cli_bank(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        bank_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    struct bank_opts o = {0};
    o.db_path = DEFAULT_DB;
    enum { O_FORMAT = 256, O_ID, O_TITLE, O_BANK, O_VERSION, O_PLAIN, O_OUT };
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"format", required_argument, NULL, O_FORMAT},
                                         {"id", required_argument, NULL, O_ID},
                                         {"title", required_argument, NULL, O_TITLE},
                                         {"bank", required_argument, NULL, O_BANK},
                                         {"version", required_argument, NULL, O_VERSION},
                                         {"plain", no_argument, NULL, O_PLAIN},
                                         {"out", required_argument, NULL, O_OUT},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            o.db_path = optarg;
            o.db_given = 1;
            break;
        case O_FORMAT:
            if (strcmp(optarg, "auto") != 0) {
                o.format = bank_format_from_name(optarg);
                if (o.format == BANK_FMT_UNKNOWN) {
                    fprintf(stderr, "cchc-quiz: --format: native, gift, aiken, csv or xml\n");
                    return 2;
                }
            }
            break;
        case O_ID: o.id = optarg; break;
        case O_TITLE: o.title = optarg; break;
        case O_BANK: o.bank = optarg; break;
        case O_VERSION:
            o.version = atoi(optarg);
            if (o.version < 1) {
                fprintf(stderr, "cchc-quiz: --version: a version number from 1\n");
                return 2;
            }
            break;
        case O_PLAIN: o.plain = 1; break;
        case O_OUT: o.out = optarg; break;
        case 'h': bank_usage(stdout); return 0;
        default: bank_usage(stderr); return 2;
        }
    }
    if (strcmp(sub, "export") == 0) {
        if (optind != argc) {
            bank_usage(stderr);
            return 2;
        }
        return do_export(&o);
    }
    if (optind >= argc) {
        bank_usage(stderr);
        return 2;
    }
    if (strcmp(sub, "validate") == 0) {
        int bad = 0;
        db_conn *c = NULL;
        if (o.db_given) {
            char err[512];
            c = db_open(o.db_path, 1, err, sizeof err);
            if (!c) {
                fprintf(stderr, "cchc-quiz: %s\n", err);
                return 1;
            }
        }
        for (int i = optind; i < argc; i++) {
            bank_report *rep = bank_report_new();
            if (!rep)
                return 1;
            bank_format fmt = BANK_FMT_UNKNOWN;
            bank *b = read_bank(argv[i], &o, rep, &fmt);
            if (b && c)
                bank_store_duplicates(c, b, rep, NULL);
            bank_report_print(rep, stderr);
            if (b)
                print_summary(argv[i], b, fmt, bank_report_warnings(rep));
            else
                bad = 1;
            bank_free(b);
            bank_report_free(rep);
        }
        db_close(c);
        return bad ? 1 : 0;
    }
    if (strcmp(sub, "import") == 0) {
        char err[512];
        db_conn *c = db_open(o.db_path, 0, err, sizeof err);
        if (!c) {
            fprintf(stderr, "cchc-quiz: %s\n", err);
            return 1;
        }
        int bad = 0;
        for (int i = optind; i < argc; i++)
            bad |= cli_bank_import_file(c, argv[i], o.format, o.id, o.title, 1) != 0;
        db_close(c);
        return bad ? 1 : 0;
    }
    bank_usage(stderr);
    return 2;
}
