/* bank/staging.h - uploads checked but not yet confirmed, kept in memory for a while.
 *
 * The preview of an upload parses and reports; when the bank has no errors it is kept
 * here under a random token (32 bytes from libsodium, hex) bound to the staff account
 * that sent it, until that account confirms it or BANK_STAGING_TTL_MS passes. At most
 * BANK_STAGING_MAX uploads and BANK_STAGING_BYTES of uploaded files are kept (the oldest
 * goes first). A restart forgets them: the organiser uploads again. Thread-safe.
 */
#ifndef CCHC_BANK_STAGING_H
#define CCHC_BANK_STAGING_H
#include <stdint.h>

#include "bank/bank.h"
#include "bank/formats.h"

#define BANK_STAGING_TTL_MS (30 * 60 * 1000)
#define BANK_STAGING_MAX 32
#define BANK_STAGING_BYTES (64u << 20)
#define BANK_STAGING_TOKEN_HEX 65

typedef struct bank_staged {
    bank *bank;          /* owned */
    char *source_name;   /* owned; may be NULL */
    bank_format format;
    int64_t owner;       /* staff user id */
    int64_t expires_at;  /* ms since the epoch */
    size_t bytes;        /* size of the uploaded file (the budget it uses) */
    char token[BANK_STAGING_TOKEN_HEX];
} bank_staged;

/* Keeps b (taken over, even on failure), read from a file of `bytes` bytes, for owner;
 * writes the token and the expiry. 0, or -1 when out of memory (b is freed). */
int bank_staging_put(bank *b, size_t bytes, const char *source_name, bank_format format,
                     int64_t owner, int64_t now_ms, char token[BANK_STAGING_TOKEN_HEX],
                     int64_t *expires_at);

/* Removes and returns the upload kept under token for owner (caller frees with
 * bank_staged_free), or NULL when there is none, it expired, or it is someone else's. */
bank_staged *bank_staging_take(const char *token, int64_t owner, int64_t now_ms);

/* Frees a taken upload. NULL is allowed. */
void bank_staged_free(bank_staged *s);

/* Forgets every upload (at shutdown and in tests). */
void bank_staging_clear(void);

#endif
