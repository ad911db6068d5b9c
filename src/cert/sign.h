/* cert/sign: the Ed25519 key pair that signs certificates (libsodium).
 *
 * The secret key lives in a file beside the database, DB.signing.key (mode
 * 0600, made on first start), and the public key in DB.signing.pub; the
 * public key is also served at GET /api/cert/public-key. Key files are text:
 * the secret file is a comment line then the 32-byte seed in base64url; the
 * public file is the 32-byte key in base64url. */
#ifndef CCHC_CERT_SIGN_H
#define CCHC_CERT_SIGN_H
#include <sodium.h>
#include <stddef.h>

#include "cert/fields.h"

#define CERT_SIG_BYTES crypto_sign_BYTES               /* 64 */
#define CERT_PK_BYTES crypto_sign_PUBLICKEYBYTES       /* 32 */
#define CERT_SIG_B64 (86 + 1)                          /* base64url, no padding, NUL */
#define CERT_PK_B64 (43 + 1)
#define CERT_KEY_ID 17                                 /* 16 hex digits and NUL */

typedef struct cert_key {
    unsigned char pk[CERT_PK_BYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char id[CERT_KEY_ID];   /* hex of the first 8 bytes of BLAKE2b(pk) */
} cert_key;

/* The two file names for a database path: DB.signing.key and DB.signing.pub. */
void cert_key_paths(const char *db_path, char *key_path, char *pub_path, size_t n);
/* Loads the secret key from DB.signing.key, or makes a new pair and writes
 * both files (the secret one 0600, created exclusively) when it is missing.
 * *created is set to 1 when a new pair was made (may be NULL). 0, or -1 with
 * a reason in err. */
int cert_key_load_or_create(const char *db_path, cert_key *k, int *created, char *err,
                            size_t errn);
/* Reads a public key from a file: a .signing.pub file, a .signing.key file
 * (the public half is derived), the JSON of GET /api/cert/public-key, 32 raw
 * bytes, or the key as base64url, base64 or hex text. 0, or -1 with err. */
int cert_key_read_public(const char *path, unsigned char pk[CERT_PK_BYTES], char *err,
                         size_t errn);
/* The key id of a public key (16 hex digits). */
void cert_key_id(const unsigned char pk[CERT_PK_BYTES], char out[CERT_KEY_ID]);

/* Signs the canonical text of f. 0 or -1. */
int cert_sign(const cert_key *k, const cert_fields *f, unsigned char sig[CERT_SIG_BYTES]);
/* 1 if sig is a valid signature of f's canonical text under pk, else 0. */
int cert_verify(const unsigned char pk[CERT_PK_BYTES], const cert_fields *f,
                const unsigned char sig[CERT_SIG_BYTES]);

/* The server's key: loaded once at start-up (cert_key_activate, before the
 * HTTP threads start) and read-only afterwards. NULL before activation. */
int cert_key_activate(const char *db_path, char *err, size_t errn);
const cert_key *cert_key_active(void);

/* base64url without padding. encode: out needs 4 * ceil(n / 3) + 1 bytes.
 * decode: returns the number of bytes, or -1 if not base64url or over max. */
void cert_b64url_encode(const unsigned char *bin, size_t n, char *out, size_t outn);
long cert_b64url_decode(const char *s, size_t len, unsigned char *out, size_t max);

#endif
