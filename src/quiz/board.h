/* board: leaderboards per round, per contest and per unit. Public boards
 * identify people by name and unit only. */
#ifndef CCHC_BOARD_H
#define CCHC_BOARD_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

/* A round's board. track 0 = all. Returns a new JSON object or NULL with e. */
json_t *board_round(db_conn *c, int64_t round_id, int track, int limit, int offset, int64_t now,
                    app_err *e);
/* A contest's board (best of rounds or sum, per the contest's settings). */
json_t *board_contest(db_conn *c, const char *contest_key, int track, int limit, int offset,
                      app_err *e);
/* Per-unit participation for a contest. */
json_t *board_units(db_conn *c, const char *contest_key, app_err *e);

#endif
