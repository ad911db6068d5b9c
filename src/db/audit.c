#include "db/audit.h"

#include <stdlib.h>

int audit_json(db_conn *c, const char *actor, const char *action, json_t *detail)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    if (!text)
        return -1;
    int rc = db_audit(c, actor, action, text);
    free(text);
    return rc;
}
