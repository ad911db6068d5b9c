/* bank/staging.c - uploads waiting for confirmation; see staging.h. */
#include "bank/staging.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static bank_staged *slots[BANK_STAGING_MAX];

void bank_staged_free(bank_staged *s)
{
    if (!s)
        return;
    bank_free(s->bank);
    free(s->source_name);
    sodium_memzero(s->token, sizeof s->token);
    free(s);
}

int bank_staging_put(bank *b, size_t bytes, const char *source_name, bank_format format,
                     int64_t owner, int64_t now_ms, char token[BANK_STAGING_TOKEN_HEX],
                     int64_t *expires_at)
{
    bank_staged *s = calloc(1, sizeof *s);
    if (!s) {
        bank_free(b);
        return -1;
    }
    s->bank = b;
    s->source_name = source_name ? strdup(source_name) : NULL;
    s->format = format;
    s->owner = owner;
    s->expires_at = now_ms + BANK_STAGING_TTL_MS;
    s->bytes = bytes;
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(s->token, sizeof s->token, raw, sizeof raw);
    memcpy(token, s->token, BANK_STAGING_TOKEN_HEX);
    *expires_at = s->expires_at;
    pthread_mutex_lock(&mu);
    int slot = -1;
    for (;;) {
        size_t used = bytes;
        int oldest = -1;
        slot = -1;
        for (int i = 0; i < BANK_STAGING_MAX; i++) {
            if (slots[i] && slots[i]->expires_at <= now_ms) {
                bank_staged_free(slots[i]);
                slots[i] = NULL;
            }
            if (!slots[i]) {
                if (slot < 0)
                    slot = i;
                continue;
            }
            used += slots[i]->bytes;
            if (oldest < 0 || slots[i]->expires_at < slots[oldest]->expires_at)
                oldest = i;
        }
        if (slot >= 0 && (used <= BANK_STAGING_BYTES || oldest < 0))
            break;
        /* full, or over the byte budget: the oldest upload goes */
        bank_staged_free(slots[oldest]);
        slots[oldest] = NULL;
    }
    slots[slot] = s;
    pthread_mutex_unlock(&mu);
    return 0;
}

bank_staged *bank_staging_take(const char *token, int64_t owner, int64_t now_ms)
{
    bank_staged *out = NULL;
    if (!token || strlen(token) != BANK_STAGING_TOKEN_HEX - 1)
        return NULL;
    pthread_mutex_lock(&mu);
    for (int i = 0; i < BANK_STAGING_MAX; i++) {
        bank_staged *s = slots[i];
        if (!s || sodium_memcmp(s->token, token, BANK_STAGING_TOKEN_HEX - 1) != 0)
            continue;
        if (s->owner == owner && s->expires_at > now_ms) {
            out = s;
            slots[i] = NULL;
        }
        break;
    }
    pthread_mutex_unlock(&mu);
    return out;
}

void bank_staging_clear(void)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; i < BANK_STAGING_MAX; i++) {
        bank_staged_free(slots[i]);
        slots[i] = NULL;
    }
    pthread_mutex_unlock(&mu);
}
