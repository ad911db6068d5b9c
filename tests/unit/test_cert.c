/* Unit tests for the certificate module: numbers and their check character
 * (cert/number.c), the signed fields and their canonical text
 * (cert/fields.c), keys and signatures (cert/sign.c), the QR payload
 * (cert/payload.c), the layout's text fitting (cert/render.c), the ZIP
 * writer (cert/zip.c) and the contest's certificate settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cairo.h>
#include <sodium.h>

#include "cert/fields.h"
#include "cert/number.h"
#include "cert/payload.h"
#include "cert/render.h"
#include "cert/sign.h"
#include "cert/zip.h"
#include "contest/contest.h"
#include "util/text.h"

/* ---- numbers ---- */

static void test_alphabet(void **state)
{
    (void)state;
    assert_int_equal(strlen(cert_alphabet), 31);
    for (const char *p = "0O1IL"; *p; p++)
        assert_null(strchr(cert_alphabet, *p));
    for (int i = 0; i < 31; i++) {
        char c = cert_alphabet[i];
        assert_true((c >= '2' && c <= '9') || (c >= 'A' && c <= 'Z'));
        assert_ptr_equal(strchr(cert_alphabet, c), cert_alphabet + i); /* no repeats */
    }
}

static void test_number_new(void **state)
{
    (void)state;
    int seen[31] = {0};
    for (int t = 0; t < 2000; t++) {
        char n[CERT_NUMBER_BUF];
        cert_number_new(n);
        assert_int_equal(strlen(n), CERT_NUMBER_LEN);
        assert_true(cert_number_valid(n));
        for (int i = 0; i < CERT_NUMBER_LEN - 1; i++) {
            const char *p = strchr(cert_alphabet, n[i]);
            assert_non_null(p);
            seen[p - cert_alphabet]++;
        }
    }
    for (int i = 0; i < 31; i++) /* 18000 draws: about 580 each */
        assert_true(seen[i] > 400 && seen[i] < 800);
}

/* Every single-character change and every adjacent transposition of a
 * number makes it invalid, at every position including the check character. */
static void test_number_detects_errors(void **state)
{
    (void)state;
    for (int t = 0; t < 300; t++) {
        char n[CERT_NUMBER_BUF], m[CERT_NUMBER_BUF];
        cert_number_new(n);
        for (int i = 0; i < CERT_NUMBER_LEN; i++) {
            for (int a = 0; a < 31; a++) {
                if (cert_alphabet[a] == n[i])
                    continue;
                memcpy(m, n, sizeof m);
                m[i] = cert_alphabet[a];
                assert_false(cert_number_valid(m));
            }
        }
        for (int i = 0; i + 1 < CERT_NUMBER_LEN; i++) {
            if (n[i] == n[i + 1])
                continue;
            memcpy(m, n, sizeof m);
            m[i] = n[i + 1];
            m[i + 1] = n[i];
            assert_false(cert_number_valid(m));
        }
        /* transpositions further apart are caught too (distinct weights) */
        for (int i = 0; i < CERT_NUMBER_LEN; i++)
            for (int j = i + 2; j < CERT_NUMBER_LEN; j++) {
                if (n[i] == n[j])
                    continue;
                memcpy(m, n, sizeof m);
                m[i] = n[j];
                m[j] = n[i];
                assert_false(cert_number_valid(m));
            }
    }
}

static void test_number_normalise(void **state)
{
    (void)state;
    char n[CERT_NUMBER_BUF], g[CERT_NUMBER_GROUPED], out[CERT_NUMBER_BUF], typed[40];
    cert_number_new(n);
    cert_number_group(n, g);
    assert_int_equal(strlen(g), 13);
    assert_int_equal(g[4], '-');
    assert_int_equal(g[9], '-');
    assert_int_equal(cert_number_normalise(g, out), 0);
    assert_string_equal(out, n);
    for (int i = 0; g[i]; i++)
        typed[i] = (char)(g[i] >= 'A' && g[i] <= 'Z' ? g[i] - 'A' + 'a' : g[i]);
    typed[strlen(g)] = '\0';
    assert_int_equal(cert_number_normalise(typed, out), 0);
    assert_string_equal(out, n);
    snprintf(typed, sizeof typed, "%.4s %.4s %s", n, n + 4, n + 8);
    assert_int_equal(cert_number_normalise(typed, out), 0);
    assert_int_equal(cert_number_normalise("", out), -1);
    assert_int_equal(cert_number_normalise("ABCDEFGHJK", out), -1);     /* too short */
    assert_int_equal(cert_number_normalise("ABCDEFGHJKMN", out), -1);   /* too long */
    assert_int_equal(cert_number_normalise("0BCDEFGHJKM", out), -1);    /* look-alike */
    assert_false(cert_number_valid(NULL));
}

/* ---- fields and signatures ---- */

static void sample(cert_fields *f)
{
    memset(f, 0, sizeof *f);
    cert_number_new(f->number);
    snprintf(f->name, sizeof f->name, "Nguyễn Thị Hồng Nhung");
    snprintf(f->unit, sizeof f->unit, "UBND huyện Quỳnh Lưu");
    snprintf(f->contest, sizeof f->contest, "Cuộc thi tìm hiểu cải cách hành chính năm 2026");
    snprintf(f->round, sizeof f->round, "Tuần 1");
    snprintf(f->date, sizeof f->date, "2026-11-27");
    snprintf(f->score, sizeof f->score, "14/15");
}

static int parse_tail(const char *s, cert_fields *f)
{
    char err[128];
    return cert_fields_parse_tail(s, strlen(s), f, err, sizeof err);
}

static void test_fields_canonical(void **state)
{
    (void)state;
    cert_fields f, g;
    sample(&f);
    buf b;
    buf_init(&b, 0);
    assert_int_equal(cert_fields_canonical(&f, &b), 0);
    assert_true(strncmp(b.data, "cchc-cert/1\n", 12) == 0);
    char err[128];
    memset(&g, 0, sizeof g);
    assert_int_equal(cert_fields_parse(b.data, b.len, &g, err, sizeof err), 0);
    assert_memory_equal(&f, &g, sizeof f);
    /* an extra line, a bad date, a control character: refused */
    buf_puts(&b, "\nmore");
    assert_int_equal(cert_fields_parse(b.data, b.len, &g, err, sizeof err), -1);
    buf_free(&b);
    assert_int_equal(parse_tail("A\nB\nC\nD\n2026-13-01\n", &g), -1); /* month 13 */
    assert_int_equal(parse_tail("A\tx\nB\nC\nD\n2026-12-01\n", &g), -1); /* a tab */
    assert_int_equal(parse_tail("A\nB\nC\nD\n2026-12-01\n1/2", &g), 0);
    assert_int_equal(parse_tail("A\nB\nC\nD\n2026-12-01\n1/x", &g), -1);
    assert_int_equal(parse_tail("A\nB\nC\nD\n2026-12-01", &g), -1); /* 5 lines */

    char clean[16];
    assert_int_equal(cert_fields_clean("  Lê \t Văn\nA  ", clean, sizeof clean), 0);
    assert_string_equal(clean, "Lê Văn A");
    /* cut on a character boundary: "ệ" is 3 bytes and must not be split */
    assert_int_equal(cert_fields_clean("Nguyễn Văn Hệệệ", clean, sizeof clean), 0);
    assert_int_equal(text_utf8_validate(clean, strlen(clean), NULL), 0);
    assert_true(strlen(clean) < sizeof clean);
    /* decomposed input becomes NFC */
    assert_int_equal(cert_fields_clean("Le\xCC\x82", clean, sizeof clean), 0);
    assert_string_equal(clean, "Lê");

    char vn[64];
    cert_fields_date_vn("2026-02-05", vn, sizeof vn);
    assert_string_equal(vn, "ngày 05 tháng 02 năm 2026");
    cert_fields_date_vn("2026-11-27", vn, sizeof vn);
    assert_string_equal(vn, "ngày 27 tháng 11 năm 2026");
    cert_fields_date_short("2026-11-27", vn, sizeof vn);
    assert_string_equal(vn, "27/11/2026");
}

static void new_key(cert_key *k)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(k->pk, k->sk, seed);
    cert_key_id(k->pk, k->id);
}

static void test_sign_verify(void **state)
{
    (void)state;
    cert_key k, other;
    new_key(&k);
    new_key(&other);
    cert_fields f, t;
    sample(&f);
    unsigned char sig[CERT_SIG_BYTES];
    assert_int_equal(cert_sign(&k, &f, sig), 0);
    assert_true(cert_verify(k.pk, &f, sig));
    assert_false(cert_verify(other.pk, &f, sig));
    /* any field changed, even by one character: the signature fails */
    char *fields[] = {t.name, t.unit, t.contest, t.round, t.date, t.score, t.number};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        t = f;
        fields[i][0] = fields[i][0] == 'X' ? 'Y' : 'X';
        assert_false(cert_verify(k.pk, &t, sig));
    }
    t = f;
    t.score[0] = '\0'; /* dropping the score is a change too */
    assert_false(cert_verify(k.pk, &t, sig));
    for (size_t i = 0; i < CERT_SIG_BYTES; i += 7) {
        unsigned char bad[CERT_SIG_BYTES];
        memcpy(bad, sig, sizeof bad);
        bad[i] ^= 0x01;
        assert_false(cert_verify(k.pk, &f, bad));
    }
}

static void test_payload_round_trip(void **state)
{
    (void)state;
    cert_key k;
    new_key(&k);
    cert_fields f;
    sample(&f);
    unsigned char sig[CERT_SIG_BYTES];
    cert_sign(&k, &f, sig);
    buf b;
    buf_init(&b, 0);
    assert_int_equal(cert_payload_build(&b, "https://thi.example.vn", &f, sig), 0);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "https://thi.example.vn/v/%s?d=", f.number);
    assert_true(strncmp(b.data, prefix, strlen(prefix)) == 0);
    /* only URL-safe characters: fits a QR code and a URL as it is */
    for (size_t i = 0; i < b.len; i++)
        assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789-_:/.?=&",
                               b.data[i]));
    cert_payload p;
    char err[128];
    assert_int_equal(cert_payload_parse(b.data, b.len, &p, err, sizeof err), 0);
    assert_true(p.has_fields && p.has_sig);
    assert_string_equal(p.base, "https://thi.example.vn");
    assert_memory_equal(&p.f, &f, sizeof f);
    assert_memory_equal(p.sig, sig, sizeof sig);
    assert_true(cert_verify(k.pk, &p.f, p.sig));

    /* one character of the signature changed: parses, does not verify */
    char *s = strstr(b.data, "&s=") + 3;
    s[5] = s[5] == 'A' ? 'B' : 'A';
    assert_int_equal(cert_payload_parse(b.data, b.len, &p, err, sizeof err), 0);
    assert_false(cert_verify(k.pk, &p.f, p.sig));
    s[5] = s[5] == 'A' ? 'B' : 'A';
    /* one character of the number changed: refused by the check character */
    char *num = strstr(b.data, "/v/") + 3;
    num[2] = num[2] == '2' ? '3' : '2';
    assert_int_equal(cert_payload_parse(b.data, b.len, &p, err, sizeof err), -1);
    num[2] = num[2] == '2' ? '3' : '2';
    /* just the number, grouped, in lower case, with white space */
    char grouped[CERT_NUMBER_GROUPED], text[64];
    cert_number_group(f.number, grouped);
    snprintf(text, sizeof text, "  /v/%s\n", grouped);
    for (char *c = text; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    assert_int_equal(cert_payload_parse(text, strlen(text), &p, err, sizeof err), 0);
    assert_string_equal(p.f.number, f.number);
    assert_false(p.has_fields || p.has_sig);
    /* garbage */
    assert_int_equal(cert_payload_parse("hello", 5, &p, err, sizeof err), -1);
    assert_int_equal(cert_payload_parse("/v/?d=x", 7, &p, err, sizeof err), -1);
    snprintf(text, sizeof text, "/v/%s?s=abc", f.number);
    assert_int_equal(cert_payload_parse(text, strlen(text), &p, err, sizeof err), -1);
    buf_free(&b);
}

static void test_key_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/cchc-cert-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char db[256], keyp[512], pubp[512];
    snprintf(db, sizeof db, "%s/x.db", dir);
    cert_key_paths(db, keyp, pubp, sizeof keyp);
    cert_key k1, k2;
    int created = 0;
    char err[256];
    assert_int_equal(cert_key_load_or_create(db, &k1, &created, err, sizeof err), 0);
    assert_int_equal(created, 1);
    struct stat st;
    assert_int_equal(stat(keyp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(cert_key_load_or_create(db, &k2, &created, err, sizeof err), 0);
    assert_int_equal(created, 0);
    assert_memory_equal(k1.pk, k2.pk, CERT_PK_BYTES);
    assert_memory_equal(k1.sk, k2.sk, sizeof k1.sk);
    unsigned char pk[CERT_PK_BYTES];
    assert_int_equal(cert_key_read_public(pubp, pk, err, sizeof err), 0);
    assert_memory_equal(pk, k1.pk, CERT_PK_BYTES);
    memset(pk, 0, sizeof pk);
    assert_int_equal(cert_key_read_public(keyp, pk, err, sizeof err), 0);
    assert_memory_equal(pk, k1.pk, CERT_PK_BYTES);
    char json[256], b64[CERT_PK_B64], jpath[512];
    cert_b64url_encode(k1.pk, CERT_PK_BYTES, b64, sizeof b64);
    snprintf(json, sizeof json, "{\"algorithm\":\"Ed25519\",\"public_key\":\"%s\"}", b64);
    snprintf(jpath, sizeof jpath, "%s/pk.json", dir);
    FILE *f = fopen(jpath, "w");
    fputs(json, f);
    fclose(f);
    memset(pk, 0, sizeof pk);
    assert_int_equal(cert_key_read_public(jpath, pk, err, sizeof err), 0);
    assert_memory_equal(pk, k1.pk, CERT_PK_BYTES);
    f = fopen(jpath, "w");
    fputs("not a key\n", f);
    fclose(f);
    assert_int_equal(cert_key_read_public(jpath, pk, err, sizeof err), -1);
    unlink(jpath);
    unlink(keyp);
    unlink(pubp);
    rmdir(dir);
}

/* ---- layout ---- */

static void test_fit_long_name(void **state)
{
    (void)state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(s);
    /* 150 characters of Vietnamese name */
    const char *words[] = {"Nguyễn", "Thị", "Hồng", "Nhung", "Tôn", "Nữ", "Phương", "Thảo",
                           "Hoàng", "Lê"};
    char name[1024] = "";
    for (int i = 0; text_length_chars(name) < 150; i++) {
        if (*name)
            strcat(name, " ");
        strcat(name, words[i % 10]);
    }
    while (text_length_chars(name) > 150)
        name[strlen(name) - 1] = '\0';
    if (name[strlen(name) - 1] == ' ')
        name[strlen(name) - 1] = 'A';
    assert_int_equal(text_length_chars(name), 150);
    cert_fit fit;
    assert_int_equal(cert_render_fit(cr, name, CERT_FONT_BOLD, 680, 28, 9, 2, &fit), 0);
    assert_true(fit.size < 28);  /* shrunk */
    assert_true(fit.size >= 9);
    assert_false(fit.truncated); /* and nothing lost */
    assert_true(fit.nlines >= 1 && fit.nlines <= 2);
    char joined[1100] = "";
    for (int i = 0; i < fit.nlines; i++) {
        assert_true(fit.width[i] <= 680);
        if (i)
            strcat(joined, " ");
        strcat(joined, fit.line[i]);
    }
    assert_string_equal(joined, name);
    /* a short name keeps the full size on one line */
    assert_int_equal(cert_render_fit(cr, "Lê Văn A", CERT_FONT_BOLD, 680, 28, 9, 2, &fit), 0);
    assert_true(fit.size == 28 && fit.nlines == 1);
    /* a word wider than the box is broken between characters */
    char word[200];
    memset(word, 'W', 150);
    word[150] = '\0';
    assert_int_equal(cert_render_fit(cr, word, 0, 200, 12, 9, 3, &fit), 0);
    for (int i = 0; i < fit.nlines; i++)
        assert_true(fit.width[i] <= 200);
    /* far too long even at the smallest size: cut with an ellipsis, still inside */
    assert_int_equal(cert_render_fit(cr, name, CERT_FONT_BOLD, 100, 20, 10, 1, &fit), 0);
    assert_true(fit.truncated);
    assert_true(fit.width[0] <= 100);
    assert_non_null(strstr(fit.line[0], "…"));
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* The whole page with every text at its longest: every block inside the
 * inner frame, none overlapping another, the QR code clear of them all. */
static void test_layout_no_overflow(void **state)
{
    (void)state;
    cert_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    sample(&d->f);
    char *texts[] = {d->f.name, d->f.unit, d->f.contest, d->f.round, d->organiser,
                     d->signer_title, d->signer_name};
    size_t sizes[] = {400, 300, 300, 300, 300, 300, 300};
    for (int t = 0; t < 7; t++) {
        texts[t][0] = '\0';
        while (strlen(texts[t]) + 12 < sizes[t])
            strcat(texts[t], "Nghiệp vụ ");
    }
    snprintf(d->verify_url, sizeof d->verify_url, "https://cchc.example.gov.vn/v/%s",
             d->f.number);
    snprintf(d->qr, sizeof d->qr, "%s", d->verify_url);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(s);
    cert_layout L;
    assert_int_equal(cert_render_layout(cr, d, &L), 0);
    for (int i = 0; i < CERT_B_COUNT; i++) {
        const cert_block *b = &L.b[i];
        if (!b->used)
            continue;
        assert_true(b->box[0] >= L.inner[0] && b->box[2] <= L.inner[2]);
        assert_true(b->box[1] >= L.inner[1] && b->box[3] <= L.inner[3]);
        for (int l = 0; l < b->fit.nlines; l++)
            assert_true(b->fit.width[l] <= b->max_width + 1e-6);
        for (int j = i + 1; j < CERT_B_COUNT; j++) {
            const cert_block *o = &L.b[j];
            if (!o->used)
                continue;
            int apart = b->box[2] <= o->box[0] || o->box[2] <= b->box[0] ||
                        b->box[3] <= o->box[1] || o->box[3] <= b->box[1];
            if (!apart)
                fail_msg("blocks %d and %d overlap", i, j);
        }
        int clear_of_qr = b->box[2] <= L.qr[0] || b->box[0] >= L.qr[0] + L.qr[2] ||
                          b->box[3] <= L.qr[1] || b->box[1] >= L.qr[1] + L.qr[2];
        if (!clear_of_qr)
            fail_msg("block %d overlaps the QR code", i);
    }
    assert_true(L.b[CERT_B_NAME].fit.size < 28);
    /* and it renders */
    buf b;
    buf_init(&b, 0);
    assert_int_equal(cert_render_pdf(d, &b), 0);
    assert_true(b.len > 1000 && memcmp(b.data, "%PDF", 4) == 0);
    buf_free(&b);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    free(d);
}

/* ---- zip, settings ---- */

static void test_zip(void **state)
{
    (void)state;
    assert_int_equal(cert_crc32("123456789", 9), 0xCBF43926u);
    cert_zip *z = cert_zip_new(1764288000);
    buf b;
    buf_init(&b, 0);
    assert_int_equal(cert_zip_add(z, "a.txt", "hello", 5, &b), 0);
    assert_int_equal(cert_zip_add(z, "b.txt", "", 0, &b), 0);
    assert_int_equal(cert_zip_finish(z, &b), 0);
    assert_int_equal(b.len, (30 + 5 + 5) + (30 + 5) + 2 * (46 + 5) + 22);
    assert_memory_equal(b.data, "PK\x03\x04", 4);
    assert_memory_equal(b.data + b.len - 22, "PK\x05\x06", 4);
    assert_int_equal((unsigned char)b.data[b.len - 22 + 10], 2); /* two entries */
    cert_zip_free(z);
    buf_free(&b);
}

static void test_settings(void **state)
{
    (void)state;
    contest_settings s;
    assert_int_equal(contest_settings_parse("{}", &s), 0);
    assert_int_equal(s.cert_who, CERT_WHO_FINISHED);
    assert_false(s.cert_show_score);
    assert_true(strlen(s.cert_signer_title) > 0);
    assert_int_equal(
        contest_settings_parse("{\"certificate\": {\"who\": \"min_score\", \"min_score\": 8, "
                               "\"show_score\": true, \"signer_title\": \"Trưởng ban\", "
                               "\"signer_name\": \"Nguyễn Văn An\"}}",
                               &s),
        0);
    assert_int_equal(s.cert_who, CERT_WHO_MIN_SCORE);
    assert_int_equal(s.cert_min_score, 8);
    assert_true(s.cert_show_score);
    assert_string_equal(s.cert_signer_name, "Nguyễn Văn An");
    /* stored form round trip */
    json_t *j = contest_settings_json(&s);
    char *text = json_dumps(j, JSON_COMPACT);
    contest_settings t;
    assert_int_equal(contest_settings_parse(text, &t), 0);
    assert_int_equal(t.cert_who, CERT_WHO_MIN_SCORE);
    assert_int_equal(t.cert_min_score, 8);
    assert_string_equal(t.cert_signer_title, "Trưởng ban");
    free(text);
    json_decref(j);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alphabet),
        cmocka_unit_test(test_number_new),
        cmocka_unit_test(test_number_detects_errors),
        cmocka_unit_test(test_number_normalise),
        cmocka_unit_test(test_fields_canonical),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_payload_round_trip),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_fit_long_name),
        cmocka_unit_test(test_layout_no_overflow),
        cmocka_unit_test(test_zip),
        cmocka_unit_test(test_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
