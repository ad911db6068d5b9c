/* board: leaderboards per round, per contest and per unit. Public boards
 * identify people by name and unit only. Disqualified participants are left
 * out of every board.
 *
 * Views: the public view of a round whose freeze time (rounds.freeze_at) has
 * passed and that the judges have not published shows the board as it stood
 * at the freeze (results submitted before it; a result a later attempt
 * replaced is taken from results_prefreeze); the staff view always shows the
 * current results. A published round is "official" in both views. */
#ifndef CCHC_BOARD_H
#define CCHC_BOARD_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

enum { BOARD_PUBLIC = 0, BOARD_STAFF = 1 };

/* A round's board, staff view. track 0 = all. Returns a new JSON object or
 * NULL with e. */
json_t *board_round(db_conn *c, int64_t round_id, int track, int limit, int offset, int64_t now,
                    app_err *e);
/* A round's board in the given view (BOARD_*). The staff view adds each
 * entry's participant_id and whether the public board is frozen. */
json_t *board_round_view(db_conn *c, int64_t round_id, int track, int limit, int offset,
                         int64_t now, int view, app_err *e);
/* A contest's board (best of rounds or sum, per the contest's settings), staff view. */
json_t *board_contest(db_conn *c, const char *contest_key, int track, int limit, int offset,
                      app_err *e);
/* A contest's board in the given view; the public view leaves out what was
 * submitted after the freeze of a frozen, unpublished round. */
json_t *board_contest_view(db_conn *c, const char *contest_key, int track, int limit, int offset,
                           int64_t now, int view, app_err *e);
/* Per-unit participation for a contest (the maintained unit_agg table). */
json_t *board_units(db_conn *c, const char *contest_key, app_err *e);

#endif
