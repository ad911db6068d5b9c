/* auth: tokens, passwords and the two kinds of credentials.
 * Participants hold a random 256-bit bearer token; staff log in with a
 * password (Argon2id) and hold a session cookie plus a CSRF token. Only the
 * BLAKE2b hash of a token is stored. */
#ifndef CCHC_AUTH_H
#define CCHC_AUTH_H
#include <sodium.h>
#include <stddef.h>

#include "db/db.h"
#include "http/http.h"

#define AUTH_TOKEN_HEX 65          /* 64 hex digits + NUL */
#define AUTH_SESSION_MS (12LL * 3600 * 1000)

/* 0, or -1 if libsodium cannot start. */
int auth_init(void);
/* Writes 64 hex digits of CSPRNG output. */
void auth_new_token(char out[AUTH_TOKEN_HEX]);
/* BLAKE2b-256 of the token text. */
void auth_token_hash(const char *token, unsigned char out[32]);
/* Argon2id (libsodium's interactive limits). 0 or -1. */
int auth_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES]);
/* 1 if pw matches the stored hash. */
int auth_password_verify(const char *stored, const char *pw);
/* Spends the time of a real verification, for an unknown user, so that the
 * answer's timing does not tell which usernames exist. */
void auth_password_burn(const char *pw);
/* "admin", "organiser", "judge", "reporter" <-> ROLE_* (0 if unknown). */
unsigned auth_role_from_name(const char *name);
const char *auth_role_name(unsigned role);

/* Resolves "Bearer <token>"; 0 and fills out, or -1. */
int auth_participant(db_conn *c, const char *authorization, participant_auth *out);
/* Resolves the cchc_session cookie value; 0 and fills out, or -1. */
int auth_staff(db_conn *c, const char *cookie, staff_user *out);

#endif
