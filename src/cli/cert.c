/* cchc-quiz cert: verify a certificate's QR text offline, render a round's
 * or a contest's certificates in bulk, measure rendering speed. */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert/bulk.h"
#include "cert/payload.h"
#include "cert/render.h"
#include "cert/sign.h"
#include "cert/store.h"
#include "cli/cli.h"
#include "db/db.h"
#include "util/clock.h"

#define DEFAULT_BASE "http://localhost:8080"

static void cert_usage(FILE *f)
{
    fprintf(f,
            "usage: cchc-quiz cert verify (--key PUBKEY_FILE | --db FILE) TEXT\n"
            "       cchc-quiz cert render [--db FILE] (--round ID | --contest KEY | --number N)\n"
            "                             --out FILE.pdf|FILE.zip|FILE.png [--base-url URL]\n"
            "       cchc-quiz cert bench [--n N] [--threads T] [--png]\n"
            "verify  checks the text of a certificate's QR code (the URL, or '-' to read it\n"
            "        from standard input) offline against the public key: a .signing.pub or\n"
            "        .signing.key file, the JSON of GET /api/cert/public-key, or the key\n"
            "        beside the database FILE. Prints the signed fields; exit 0 if genuine.\n"
            "render  issues the missing certificates of a round or contest (or takes one by\n"
            "        number) and writes them as one multi-page PDF or a ZIP of PNGs.\n"
            "bench   renders N certificates (default 500) in memory on T threads (default 2)\n"
            "        and prints certificates per second.\n");
}

/* ---- verify ---- */

static int cmd_verify(int argc, char **argv)
{
    const char *key_file = NULL, *db_path = NULL;
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, "k:d:h", opts, NULL)) != -1) {
        if (ch == 'k') {
            key_file = optarg;
        } else if (ch == 'd') {
            db_path = optarg;
        } else {
            cert_usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : 2;
        }
    }
    if (optind != argc - 1 || (!key_file == !db_path)) {
        cert_usage(stderr);
        return 2;
    }
    char err[512];
    unsigned char pk[CERT_PK_BYTES];
    char path[4096];
    if (db_path) {
        cert_key_paths(db_path, NULL, path, sizeof path);
        if (access(path, R_OK) != 0)
            cert_key_paths(db_path, path, NULL, sizeof path);
        key_file = path;
    }
    if (cert_key_read_public(key_file, pk, err, sizeof err) != 0) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    const char *text = argv[optind];
    char *input = NULL;
    if (strcmp(text, "-") == 0) {
        size_t cap = 16384, len = 0;
        input = malloc(cap);
        if (!input)
            return 1;
        size_t n;
        while (len < cap - 1 && (n = fread(input + len, 1, cap - 1 - len, stdin)) > 0)
            len += n;
        input[len] = '\0';
        text = input;
    }
    cert_payload *p = malloc(sizeof *p);
    if (!p) {
        free(input);
        return 1;
    }
    int rc = 1;
    if (cert_payload_parse(text, strlen(text), p, err, sizeof err) != 0) {
        printf("INVALID: %s\n", err);
    } else if (!p->has_fields || !p->has_sig) {
        printf("CANNOT VERIFY OFFLINE: the text has %s; only the number %s was read.\n"
               "Check it online at %s/v/%s\n",
               !p->has_fields ? "no signed fields (d)" : "no signature (s)", p->f.number,
               p->base[0] ? p->base : DEFAULT_BASE, p->f.number);
    } else if (!cert_verify(pk, &p->f, p->sig)) {
        char id[CERT_KEY_ID];
        cert_key_id(pk, id);
        printf("INVALID: the signature does not match the certificate's fields under key %s\n"
               "(the QR code or the fields were altered, or another key signed it).\n",
               id);
    } else {
        char id[CERT_KEY_ID], grouped[CERT_NUMBER_GROUPED], date[32];
        cert_key_id(pk, id);
        cert_number_group(p->f.number, grouped);
        cert_fields_date_short(p->f.date, date, sizeof date);
        printf("VALID: the Ed25519 signature checks with key %s\n", id);
        printf("  number:  %s\n  name:    %s\n  unit:    %s\n  contest: %s\n  round:   %s\n"
               "  date:    %s\n",
               grouped, p->f.name, p->f.unit, p->f.contest, p->f.round, date);
        if (p->f.score[0])
            printf("  score:   %s\n", p->f.score);
        printf("Revocation can only be checked online: %s/v/%s\n",
               p->base[0] ? p->base : DEFAULT_BASE, p->f.number);
        rc = 0;
    }
    free(p);
    free(input);
    return rc;
}

/* ---- render ---- */

static int write_all(FILE *f, const char *data, size_t len)
{
    return fwrite(data, 1, len, f) == len ? 0 : -1;
}

static int cmd_render(int argc, char **argv)
{
    const char *db_path = DEFAULT_DB, *out = NULL, *base = NULL, *contest = NULL,
               *number = NULL;
    long long round = 0;
    enum { O_BASE = 256 };
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"round", required_argument, NULL, 'r'},
                                         {"contest", required_argument, NULL, 'c'},
                                         {"number", required_argument, NULL, 'n'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"base-url", required_argument, NULL, O_BASE},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:r:c:n:o:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db_path = optarg; break;
        case 'r': round = atoll(optarg); break;
        case 'c': contest = optarg; break;
        case 'n': number = optarg; break;
        case 'o': out = optarg; break;
        case O_BASE: base = optarg; break;
        default: cert_usage(ch == 'h' ? stdout : stderr); return ch == 'h' ? 0 : 2;
        }
    }
    size_t ol = out ? strlen(out) : 0;
    int fmt = ol > 4 && strcmp(out + ol - 4, ".zip") == 0   ? CERT_FMT_ZIP
              : ol > 4 && strcmp(out + ol - 4, ".png") == 0 ? CERT_FMT_PNG
              : ol > 4 && strcmp(out + ol - 4, ".pdf") == 0 ? CERT_FMT_PDF
                                                            : -1;
    int targets = (round > 0) + (contest != NULL) + (number != NULL);
    if (optind != argc || fmt < 0 || targets != 1 || (fmt == CERT_FMT_PNG && !number)) {
        cert_usage(stderr);
        return 2;
    }
    char err[512];
    db_conn *c = db_open(db_path, 0, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    int rc = 1;
    int64_t *ids = NULL;
    size_t n = 0;
    char *meta_base = NULL;
    cert_bulk *b = NULL;
    FILE *f = NULL;
    char tmp[4096];
    tmp[0] = '\0';
    cert_key k;
    if (cert_key_load_or_create(db_path, &k, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        goto done;
    }
    if (!base) {
        meta_base = db_meta_get(c, "base_url");
        base = meta_base && *meta_base ? meta_base : DEFAULT_BASE;
        if (!meta_base)
            fprintf(stderr, "cchc-quiz: no --base-url and none saved by 'serve --base-url': the "
                            "QR codes point to %s\n", base);
    }
    if (number) {
        char canon[CERT_NUMBER_BUF];
        cert_record rec;
        if (cert_number_normalise(number, canon) != 0 ||
            cert_store_by_number(c, canon, &rec) != 0) {
            fprintf(stderr, "cchc-quiz: no certificate %s\n", number);
            goto done;
        }
        ids = malloc(sizeof *ids);
        if (!ids)
            goto done;
        ids[0] = rec.id;
        n = 1;
    } else {
        int64_t contest_id = 0;
        if (contest) {
            sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
            db_bind_text(st, 1, contest);
            contest_id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
            db_done(st);
            if (!contest_id) {
                fprintf(stderr, "cchc-quiz: no contest %s\n", contest);
                goto done;
            }
        }
        app_err e;
        int issued = 0;
        if (db_begin(c) != SQLITE_OK ||
            cert_store_issue_all(c, &k, round, contest_id, clock_now_ms(), &issued, &e) != 0 ||
            db_commit(c) != SQLITE_OK) {
            db_rollback(c);
            fprintf(stderr, "cchc-quiz: cannot issue the certificates\n");
            goto done;
        }
        ids = cert_store_list(c, round, contest_id, &n);
        if (!n) {
            fprintf(stderr, "cchc-quiz: no certificates to render (no eligible results)\n");
            goto done;
        }
        if (issued)
            fprintf(stderr, "issued %d new certificates\n", issued);
    }
    b = cert_bulk_new(ids, n, (cert_format)fmt, base, "Giấy chứng nhận");
    ids = NULL;
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    f = b ? fopen(tmp, "wb") : NULL;
    if (!f) {
        fprintf(stderr, "cchc-quiz: cannot write %s\n", tmp);
        goto done;
    }
    const char *data;
    size_t len;
    int r;
    while ((r = cert_bulk_next(b, c, &data, &len)) == 1)
        if (write_all(f, data, len) != 0)
            break;
    int closed = fclose(f);
    f = NULL;
    if (r != 0 || closed != 0 || rename(tmp, out) != 0) {
        fprintf(stderr, "cchc-quiz: rendering or writing %s failed\n", out);
        unlink(tmp);
        goto done;
    }
    printf("%s: %zu certificate%s\n", out, n, n == 1 ? "" : "s");
    rc = 0;
done:
    if (f) {
        fclose(f);
        unlink(tmp);
    }
    cert_bulk_free(b);
    free(ids);
    free(meta_base);
    sodium_memzero(&k, sizeof k);
    db_close(c);
    return rc;
}

/* ---- bench ---- */

typedef struct bench_job {
    const cert_doc *doc;
    int n;
    int png;
    size_t bytes;
    int failed;
} bench_job;

static void *bench_thread(void *p)
{
    bench_job *j = p;
    buf b;
    buf_init(&b, 0);
    for (int i = 0; i < j->n; i++) {
        buf_reset(&b);
        int rc = j->png ? cert_render_png(j->doc, CERT_PNG_DPI, &b) : cert_render_pdf(j->doc, &b);
        if (rc != 0)
            j->failed++;
        j->bytes += b.len;
    }
    buf_free(&b);
    return NULL;
}

static int cmd_bench(int argc, char **argv)
{
    int n = 500, threads = 2, png = 0;
    static const struct option opts[] = {{"n", required_argument, NULL, 'n'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"png", no_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, "n:t:ph", opts, NULL)) != -1) {
        if (ch == 'n') {
            n = atoi(optarg);
        } else if (ch == 't') {
            threads = atoi(optarg);
        } else if (ch == 'p') {
            png = 1;
        } else {
            cert_usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : 2;
        }
    }
    if (optind != argc || n < 1 || threads < 1 || threads > 64) {
        cert_usage(stderr);
        return 2;
    }
    /* A typical certificate, signed with a throw-away key. */
    cert_doc *d = calloc(1, sizeof *d);
    if (!d)
        return 1;
    cert_key k;
    unsigned char seed[crypto_sign_SEEDBYTES] = {1};
    crypto_sign_seed_keypair(k.pk, k.sk, seed);
    cert_number_new(d->f.number);
    snprintf(d->f.name, sizeof d->f.name, "Nguyễn Thị Hồng Nhung");
    snprintf(d->f.unit, sizeof d->f.unit, "UBND huyện Quỳnh Lưu");
    snprintf(d->f.contest, sizeof d->f.contest,
             "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính tỉnh Nghệ An năm 2026");
    snprintf(d->f.round, sizeof d->f.round, "Tuần 1");
    snprintf(d->f.date, sizeof d->f.date, "2026-11-27");
    snprintf(d->f.score, sizeof d->f.score, "14/15");
    snprintf(d->organiser, sizeof d->organiser, "Sở Nội vụ tỉnh Nghệ An");
    snprintf(d->signer_title, sizeof d->signer_title, "TM. Ban Tổ chức\nTrưởng ban");
    snprintf(d->signer_name, sizeof d->signer_name, "Nguyễn Văn An");
    snprintf(d->verify_url, sizeof d->verify_url, "https://cchc.nghean.gov.vn/v/%s",
             d->f.number);
    unsigned char sig[CERT_SIG_BYTES];
    cert_sign(&k, &d->f, sig);
    buf q;
    buf_init(&q, sizeof d->qr - 1);
    cert_payload_build(&q, "https://cchc.nghean.gov.vn", &d->f, sig);
    memcpy(d->qr, q.data, q.len + 1);
    buf_free(&q);

    bench_job warm = {d, 1, png, 0, 0};
    bench_thread(&warm); /* fonts loaded once, outside the timing */
    bench_job *jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    if (!jobs || !tid) {
        free(jobs);
        free(tid);
        free(d);
        return 1;
    }
    double t0 = clock_mono_ms();
    for (int i = 0; i < threads; i++) {
        jobs[i] = (bench_job){d, n / threads + (i < n % threads), png, 0, 0};
        pthread_create(&tid[i], NULL, bench_thread, &jobs[i]);
    }
    size_t bytes = 0;
    int failed = warm.failed;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        bytes += jobs[i].bytes;
        failed += jobs[i].failed;
    }
    double secs = (clock_mono_ms() - t0) / 1000.0;
    printf("cert bench: %d %s in %.2f s = %.1f %s/s (%d threads), %.0f KiB each\n", n,
           png ? "PNG" : "PDF", secs, n / secs, png ? "PNG" : "PDF", threads,
           bytes / 1024.0 / n);
    free(jobs);
    free(tid);
    free(d);
    return failed ? 1 : 0;
}

int cli_cert(int argc, char **argv)
{
    if (argc < 2) {
        cert_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "verify") == 0)
        return cmd_verify(argc, argv);
    if (strcmp(argv[1], "render") == 0)
        return cmd_render(argc, argv);
    if (strcmp(argv[1], "bench") == 0)
        return cmd_bench(argc, argv);
    int help = strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0;
    cert_usage(help ? stdout : stderr);
    return help ? 0 : 2;
}

int cli_cert_prepare(const char *db_path, const char *base_url)
{
    char err[512];
    if (cert_key_activate(db_path, err, sizeof err) != 0) {
        fprintf(stderr, "cchc-quiz: certificate signing key: %s\n", err);
        return -1;
    }
    if (!base_url || !*base_url)
        return 0;
    db_conn *c = db_open(db_path, 0, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return -1;
    }
    char *old = db_meta_get(c, "base_url");
    int rc = 0;
    if (!old || strcmp(old, base_url) != 0)
        rc = db_meta_set(c, "base_url", base_url);
    free(old);
    db_close(c);
    if (rc != 0)
        fprintf(stderr, "cchc-quiz: cannot save the base URL in the database\n");
    return rc;
}
