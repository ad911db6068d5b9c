#include "cert/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"

#define KEY_HEADER "# cchc-quiz certificate signing key (Ed25519 seed, base64url). Keep it secret."

void cert_b64url_encode(const unsigned char *bin, size_t n, char *out, size_t outn)
{
    if (outn < sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING)) {
        if (outn)
            out[0] = '\0';
        return;
    }
    sodium_bin2base64(out, outn, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

long cert_b64url_decode(const char *s, size_t len, unsigned char *out, size_t max)
{
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(out, max, s, len, NULL, &got, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != s + len)
        return -1;
    return (long)got;
}

void cert_key_id(const unsigned char pk[CERT_PK_BYTES], char out[CERT_KEY_ID])
{
    unsigned char h[8];
    crypto_generichash(h, sizeof h, pk, CERT_PK_BYTES, NULL, 0);
    sodium_bin2hex(out, CERT_KEY_ID, h, sizeof h);
}

void cert_key_paths(const char *db_path, char *key_path, char *pub_path, size_t n)
{
    if (key_path)
        snprintf(key_path, n, "%s.signing.key", db_path);
    if (pub_path)
        snprintf(pub_path, n, "%s.signing.pub", db_path);
}

/* Reads a small file whole (at most max bytes); caller frees. */
static char *slurp(const char *path, size_t max, size_t *len, char *err, size_t errn)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errn, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *data = malloc(max + 1);
    size_t n = data ? fread(data, 1, max + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!data || bad || n > max) {
        free(data);
        snprintf(err, errn, "%s: unreadable or larger than %zu bytes", path, max);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

/* The first line that is not a comment or blank, trimmed, in place. */
static char *key_line(char *text, int *secret)
{
    *secret = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '#') {
            if (strstr(line, "signing key"))
                *secret = 1;
            continue;
        }
        size_t n = strlen(line);
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        if (n)
            return line;
    }
    return NULL;
}

static int from_seed(const unsigned char seed[crypto_sign_SEEDBYTES], cert_key *k)
{
    if (crypto_sign_seed_keypair(k->pk, k->sk, seed) != 0)
        return -1;
    cert_key_id(k->pk, k->id);
    return 0;
}

static int write_file(const char *path, const char *text, mode_t mode, int excl, char *err,
                      size_t errn)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (excl ? O_EXCL : O_TRUNC), mode);
    if (fd < 0) {
        snprintf(err, errn, "%s: %s", path, strerror(errno));
        return errno == EEXIST ? 1 : -1;
    }
    size_t n = strlen(text);
    ssize_t w = write(fd, text, n);
    int ok = w == (ssize_t)n && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok) {
        snprintf(err, errn, "%s: cannot write", path);
        unlink(path);
        return -1;
    }
    return 0;
}

static int load_secret(const char *path, cert_key *k, char *err, size_t errn)
{
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077)) {
        log_warn("%s is readable by others: setting its mode to 0600", path);
        if (chmod(path, 0600) != 0)
            log_warn("chmod %s: %s", path, strerror(errno));
    }
    size_t len;
    char *text = slurp(path, 4096, &len, err, errn);
    if (!text)
        return -1;
    int secret;
    char *line = key_line(text, &secret);
    unsigned char seed[crypto_sign_SEEDBYTES];
    int rc = -1;
    if (line && secret &&
        cert_b64url_decode(line, strlen(line), seed, sizeof seed) == (long)sizeof seed)
        rc = from_seed(seed, k);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(text, len);
    free(text);
    if (rc != 0)
        snprintf(err, errn, "%s: not a cchc-quiz signing key file", path);
    return rc;
}

int cert_key_load_or_create(const char *db_path, cert_key *k, int *created, char *err,
                            size_t errn)
{
    char key_path[4096], pub_path[4096];
    cert_key_paths(db_path, key_path, pub_path, sizeof key_path);
    if (created)
        *created = 0;
    if (access(key_path, F_OK) == 0)
        return load_secret(key_path, k, err, errn);
    unsigned char seed[crypto_sign_SEEDBYTES];
    randombytes_buf(seed, sizeof seed);
    char b64[64], text[256];
    cert_b64url_encode(seed, sizeof seed, b64, sizeof b64);
    snprintf(text, sizeof text, "%s\n%s\n", KEY_HEADER, b64);
    int rc = from_seed(seed, k);
    sodium_memzero(seed, sizeof seed);
    if (rc == 0)
        rc = write_file(key_path, text, 0600, 1, err, errn);
    sodium_memzero(text, sizeof text);
    sodium_memzero(b64, sizeof b64);
    if (rc == 1) /* another process made it first: use theirs */
        return load_secret(key_path, k, err, errn);
    if (rc != 0)
        return -1;
    char pk64[CERT_PK_B64];
    cert_b64url_encode(k->pk, CERT_PK_BYTES, pk64, sizeof pk64);
    snprintf(text, sizeof text, "%s\n", pk64);
    if (write_file(pub_path, text, 0644, 0, err, errn) != 0)
        log_warn("%s", err); /* the secret key is enough; the .pub is a convenience */
    if (created)
        *created = 1;
    log_info("made a new certificate signing key %s (id %s)", key_path, k->id);
    return 0;
}

static int decode_any(const char *s, unsigned char pk[CERT_PK_BYTES])
{
    size_t n = strlen(s);
    size_t got = 0;
    const char *end = NULL;
    if (cert_b64url_decode(s, n, pk, CERT_PK_BYTES) == CERT_PK_BYTES)
        return 0;
    if (sodium_base642bin(pk, CERT_PK_BYTES, s, n, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) == 0 &&
        end == s + n && got == CERT_PK_BYTES)
        return 0;
    if (n == 2 * CERT_PK_BYTES &&
        sodium_hex2bin(pk, CERT_PK_BYTES, s, n, NULL, &got, &end) == 0 && got == CERT_PK_BYTES)
        return 0;
    return -1;
}

int cert_key_read_public(const char *path, unsigned char pk[CERT_PK_BYTES], char *err,
                         size_t errn)
{
    size_t len;
    char *text = slurp(path, 65536, &len, err, errn);
    if (!text)
        return -1;
    int rc = -1;
    if (len == CERT_PK_BYTES && memchr(text, '\n', len) == NULL &&
        decode_any(text, pk) != 0) {
        memcpy(pk, text, CERT_PK_BYTES); /* raw bytes */
        rc = 0;
    } else if (text[strspn(text, " \t\r\n")] == '{') {
        json_t *j = json_loadb(text, len, 0, NULL);
        const char *v = json_string_value(json_object_get(j, "public_key"));
        if (v && decode_any(v, pk) == 0)
            rc = 0;
        json_decref(j);
    } else {
        int secret;
        char *line = key_line(text, &secret);
        if (line && secret) {
            cert_key k;
            unsigned char seed[crypto_sign_SEEDBYTES];
            if (cert_b64url_decode(line, strlen(line), seed, sizeof seed) == (long)sizeof seed &&
                from_seed(seed, &k) == 0) {
                memcpy(pk, k.pk, CERT_PK_BYTES);
                rc = 0;
            }
            sodium_memzero(seed, sizeof seed);
            sodium_memzero(&k, sizeof k);
        } else if (line && decode_any(line, pk) == 0) {
            rc = 0;
        }
    }
    sodium_memzero(text, len);
    free(text);
    if (rc != 0)
        snprintf(err, errn, "%s: no Ed25519 public key found in it", path);
    return rc;
}

int cert_sign(const cert_key *k, const cert_fields *f, unsigned char sig[CERT_SIG_BYTES])
{
    buf b;
    buf_init(&b, 0);
    int rc = -1;
    if (cert_fields_canonical(f, &b) == 0)
        rc = crypto_sign_detached(sig, NULL, (const unsigned char *)b.data, b.len, k->sk);
    buf_free(&b);
    return rc == 0 ? 0 : -1;
}

int cert_verify(const unsigned char pk[CERT_PK_BYTES], const cert_fields *f,
                const unsigned char sig[CERT_SIG_BYTES])
{
    buf b;
    buf_init(&b, 0);
    int ok = 0;
    if (cert_fields_canonical(f, &b) == 0)
        ok = crypto_sign_verify_detached(sig, (const unsigned char *)b.data, b.len, pk) == 0;
    buf_free(&b);
    return ok;
}

static cert_key g_key;
static int g_key_ready;

int cert_key_activate(const char *db_path, char *err, size_t errn)
{
    if (cert_key_load_or_create(db_path, &g_key, NULL, err, errn) != 0)
        return -1;
    g_key_ready = 1;
    return 0;
}

const cert_key *cert_key_active(void)
{
    return g_key_ready ? &g_key : NULL;
}
