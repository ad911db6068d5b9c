#include "auth/auth.h"

#include <stdio.h>
#include <pthread.h>
#include <string.h>

#include "auth/tokcache.h"
#include "util/clock.h"

int auth_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void auth_new_token(char out[AUTH_TOKEN_HEX])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, AUTH_TOKEN_HEX, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int auth_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int auth_password_verify(const char *stored, const char *pw)
{
    return crypto_pwhash_str_verify(stored, pw, strlen(pw)) == 0;
}

unsigned auth_role_from_name(const char *name)
{
    if (strcmp(name, "admin") == 0)
        return ROLE_ADMIN;
    if (strcmp(name, "organiser") == 0)
        return ROLE_ORGANISER;
    if (strcmp(name, "judge") == 0)
        return ROLE_JUDGE;
    if (strcmp(name, "reporter") == 0)
        return ROLE_REPORTER;
    return 0;
}

const char *auth_role_name(unsigned role)
{
    switch (role) {
    case ROLE_ADMIN: return "admin";
    case ROLE_ORGANISER: return "organiser";
    case ROLE_JUDGE: return "judge";
    case ROLE_REPORTER: return "reporter";
    default: return "participant";
    }
}

static int is_token(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char ch = s[n];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return 0;
    }
    return n == 64;
}

int auth_participant(db_conn *c, const char *authorization, participant_auth *out)
{
    if (!authorization || strncmp(authorization, "Bearer ", 7) != 0)
        return -1;
    const char *tok = authorization + 7;
    if (!is_token(tok))
        return -1;
    unsigned char h[32];
    auth_token_hash(tok, h);
    sqlite3_stmt *st = db_stmt(c, Q_AUTH_GEN);
    if (!st)
        return -1;
    int64_t gen = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    if (tokcache_get(h, gen, out))
        return 0;
    st = db_stmt(c, Q_TOKEN_LOOKUP);
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_STATIC);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->contest_id = sqlite3_column_int64(st, 1);
        out->track = sqlite3_column_int(st, 2);
        out->unit_id = sqlite3_column_int64(st, 3);
        tokcache_put(h, gen, out);
        rc = 0;
    }
    db_done(st);
    return rc;
}

int auth_staff(db_conn *c, const char *cookie, staff_user *out)
{
    if (!cookie || !is_token(cookie))
        return -1;
    unsigned char h[32];
    auth_token_hash(cookie, h);
    sqlite3_stmt *st = db_stmt(c, Q_SESSION_LOOKUP);
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, clock_now_ms());
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        snprintf(out->username, sizeof out->username, "%s", db_col_text(st, 1));
        out->role = auth_role_from_name(db_col_text(st, 2));
        snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(st, 3));
        snprintf(out->agency, sizeof out->agency, "%s", db_col_text(st, 4));
        rc = out->role ? 0 : -1;
        if (out->role == ROLE_REPORTER && !out->agency[0])
            rc = -1; /* a reporter bound to no agency may do nothing */
    }
    db_done(st);
    return rc;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[AUTH_TOKEN_HEX];
    auth_new_token(pw);
    if (auth_password_hash(pw, dummy_hash) != 0)
        dummy_hash[0] = '\0';
}

void auth_password_burn(const char *pw)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_hash[0])
        (void)auth_password_verify(dummy_hash, pw);
}
