/* prize: prize configuration, the engine's proposal of winners and the
 * judges' review.
 *
 * A contest's configuration (prize_config, edited by the judges):
 *   {"individual": {"per_track": true,
 *                   "tiers": [{"name": "Giải Nhất", "count": 1}, ...]},
 *    "units": [{"name": "...", "rule": "participation_rate"|"participants",
 *               "per_block": true, "count": 1}]}
 * Individual prizes are proposed per round (and for the whole contest from
 * its board); unit prizes for the whole contest from the unit table.
 *
 * The proposal walks the ranked list (the contest's ranking rules, the
 * disqualified and the entries the judges struck left out) and gives the
 * first tiers[0].count the first tier, and so on. Every pair of neighbours in
 * the prize zone (and the first one left without a prize) that are equal on
 * the first ranking key is a tie the ranking broke; the proposal names the
 * key that decided it, or "unresolved" when every key is equal (then the
 * earlier attempt stands first and the judges decide). */
#ifndef CCHC_PRIZE_H
#define CCHC_PRIZE_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

#define PRIZE_MAX_KEYS 6
#define PRIZE_MAX_TIERS 10
#define PRIZE_MAX_WINNERS 1000

typedef struct prize_tier {
    char name[128];
    int count;
} prize_tier;

/* One ranked candidate: key values in ranking order, compared for equality
 * only (the caller sorted them). */
typedef struct prize_cand {
    int64_t id;
    int64_t key[PRIZE_MAX_KEYS];
    unsigned char null[PRIZE_MAX_KEYS];
} prize_cand;

typedef struct prize_award {
    int cand; /* index in the candidate list */
    int tier; /* index in tiers */
    int rank; /* 1-based place in the list */
} prize_award;

typedef struct prize_tie {
    int a, b;     /* neighbouring candidates, a ranked before b */
    int key;      /* index of the key that decided, or -1: all equal */
    int boundary; /* a and b got different tiers (or b none) */
} prize_tie;

/* Allocates tiers down cands[0..n) (nkeys keys each). Fills awards (at most
 * max_awards) and the ties in the zone (at most max_ties, *nties set).
 * Returns the number of awards. Pure: no database. */
int prize_allocate(const prize_cand *cands, int n, int nkeys, const prize_tier *tiers, int ntiers,
                   prize_award *awards, int max_awards, prize_tie *ties, int max_ties, int *nties);

/* The contest's configuration (stored or the default); new JSON value. */
json_t *prize_config_get(db_conn *c, int64_t contest_id);
/* Validates and stores a configuration (writer). 0, or -1 with e. */
int prize_config_set(db_conn *c, int64_t contest_id, json_t *config, const char *actor, int64_t now,
                     app_err *e);

/* Proposes the list of round_id (> 0: a round's individual prizes; the round
 * must be settled) or of the whole contest (round_id 0: overall individual
 * and unit prizes), replacing the entries not yet struck. Writer. *list_id
 * set. 0, or -1 with e. */
int prize_propose(db_conn *c, int64_t contest_id, int64_t round_id, const char *actor, int64_t now,
                  int64_t *list_id, app_err *e);
/* The list as JSON: entries with names and units (phone and CCCD too when
 * personal is set), ties with names, state. NULL with e (404). */
json_t *prize_list_json(db_conn *c, int64_t list_id, int personal, app_err *e);
/* The list id of (contest, round), or 0 if none. */
int64_t prize_list_find(db_conn *c, int64_t contest_id, int64_t round_id);
/* Confirms (strike = 0) or strikes (strike = 1, reason required) an entry of
 * an unpublished list. Writer. 0, or -1 with e. */
int prize_review(db_conn *c, int64_t entry_id, int strike, const char *reason, const char *actor,
                 int64_t now, app_err *e);
/* Publishes (on = 1) or withdraws (on = 0, reason required) the results of
 * a round (round_id > 0; it must be settled) or of the contest (round_id 0),
 * with the prize list if there is one (no entry may be left unreviewed).
 * Writer. 0, or -1 with e. */
int prize_publish(db_conn *c, int64_t contest_id, int64_t round_id, int on, const char *reason,
                  const char *actor, int64_t now, app_err *e);

#endif
