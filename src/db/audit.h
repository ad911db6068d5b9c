/* audit: structured entries in the append-only audit log (who, when, what,
 * before/after). The table refuses UPDATE and DELETE (triggers of migration 4)
 * and no route changes it. */
#ifndef CCHC_AUDIT_H
#define CCHC_AUDIT_H
#include <jansson.h>

#include "db/db.h"

/* Writes {action, detail} for actor on c inside the caller's transaction;
 * detail (an object, typically {"target", "reason", "before", "after"}) is
 * taken over. 0, or -1 (the caller rolls its job back: no change without its
 * record). */
int audit_json(db_conn *c, const char *actor, const char *action, json_t *detail);

#endif
