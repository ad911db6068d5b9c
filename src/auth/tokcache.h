/* tokcache: bearer tokens the server has already resolved, so that a
 * participant's repeated requests (the quiz page polls, resumes, autosaves)
 * skip the token index. One table for the process, thread-safe.
 *
 * Entries are tagged with auth_gen (schema migration 8), a counter that
 * triggers bump whenever a token is deleted or a participant's contest,
 * track or unit changes, in this process or any other. A lookup passes the
 * generation read in the request's snapshot; an entry of another generation
 * is a miss. Tokens that fail are never cached. */
#ifndef CCHC_TOKCACHE_H
#define CCHC_TOKCACHE_H
#include <stdint.h>

#include "http/http.h"

/* 1 and fills out if hash is cached for generation gen, else 0. */
int tokcache_get(const unsigned char hash[32], int64_t gen, participant_auth *out);
/* Remembers who for hash, read at generation gen. */
void tokcache_put(const unsigned char hash[32], int64_t gen, const participant_auth *who);

#endif
