/* gencache: what reader threads need to draw a paper and to score one,
 * cached in memory and tagged with the database's quiz generation
 * (quiz_gen, migration 7), which every change to questions or to a
 * contest's banks increments. An entry of another generation is never
 * used: the cache empties itself when it meets a newer one.
 *
 * Work done from these caches on a reader carries its generation to the
 * writer, which writes it only while gencache_current() still gives the same
 * value (quiz/attempt.c). Thread-safe. */
#ifndef CCHC_GENCACHE_H
#define CCHC_GENCACHE_H
#include <stdint.h>

#include "db/db.h"
#include "quiz/score.h"

/* The generation as c sees it now; -1 on a database error. */
int64_t gencache_current(db_conn *c);

/* The key of question qid at generation gen, read through c on a miss.
 * c must see generation gen (inside the read transaction gen was read in).
 * A gen < 0 reads through c and caches nothing: the writer's view, which may
 * hold changes not yet committed. 0, or -1 if there is no such question. */
int gencache_key(db_conn *c, int64_t gen, int64_t qid, score_key *out);

/* The ids a blueprint slot draws from (Q_CANDIDATES, in id order) at
 * generation gen (gen < 0: as for gencache_key): copied into ids (at most max); returns how many (which may
 * exceed max: then only max were copied), or -1 on an error. */
int gencache_candidates(db_conn *c, int64_t gen, int64_t contest_id, const char *category,
                        int difficulty, int track, int64_t *ids, int max);

#endif
