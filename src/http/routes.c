#include "http/routes.h"

#include <stdio.h>
#include <string.h>

#include "http/handlers.h"

#define KiB 1024
#define MiB (1024 * 1024)

/* The whole API. Participant paths are a public contract (docs/api.md). */
const route routes[] = {
    /* method, pattern, roles, flags, body limit, handler */
    {"GET", "/healthz", 0, 0, 0, h_health},
    {"GET", "/api/contests", 0, 0, 0, h_contests},
    {"GET", "/api/contests/{}", 0, 0, 0, h_contest},
    {"GET", "/api/contests/{}/units", 0, 0, 0, h_contest_units},
    {"GET", "/api/contests/{}/leaderboard", 0, 0, 0, h_contest_board},
    {"POST", "/api/contests/{}/participants", 0, RF_JSON | RF_RL_REGISTER, 8 * KiB, h_register},
    {"POST", "/api/contests/{}/sessions", 0, RF_JSON | RF_RL_LOGIN, 4 * KiB, h_session},
    {"GET", "/api/me", ROLE_PARTICIPANT, 0, 0, h_me},
    {"POST", "/api/rounds/{}/attempts", ROLE_PARTICIPANT, RF_JSON | RF_RL_START, 1 * KiB,
     h_attempt_start},
    {"GET", "/api/rounds/{}/leaderboard", 0, 0, 0, h_round_board},
    {"GET", "/api/attempts/{}", ROLE_PARTICIPANT, 0, 0, h_attempt_get},
    {"PUT", "/api/attempts/{}/answers", ROLE_PARTICIPANT, RF_JSON, 64 * KiB, h_attempt_save},
    {"POST", "/api/attempts/{}/submit", ROLE_PARTICIPANT, RF_JSON, 64 * KiB, h_attempt_submit},
    {"GET", "/api/attempts/{}/review", ROLE_PARTICIPANT, 0, 0, h_attempt_review},
    /* staff */
    {"POST", "/api/auth/login", 0, RF_JSON | RF_RL_LOGIN, 4 * KiB, h_login},
    {"POST", "/api/auth/logout", ROLE_STAFF, 0, 0, h_logout},
    {"GET", "/api/auth/me", ROLE_STAFF, 0, 0, h_staff_me},
    {"POST", "/api/admin/users", ROLE_ADMIN, RF_JSON, 4 * KiB, h_user_add},
    {"GET", "/api/admin/banks", ROLE_ORGANISER, 0, 0, h_banks},
    {"POST", "/api/admin/banks", ROLE_ORGANISER, RF_RAW, 10 * MiB, h_bank_upload},
    {"GET", "/api/admin/contests", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_admin_contests},
    {"POST", "/api/admin/contests", ROLE_ORGANISER, RF_JSON, 1 * MiB, h_contest_upload},
    {"GET", "/api/admin/rounds/{}/results", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_round_results},
    {NULL, NULL, 0, 0, 0, NULL},
};

/* Matches path against pattern; fills params when r is not NULL. */
static int match(const char *pattern, const char *path, req *r)
{
    int np = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            const char *end = strchr(path, '/');
            size_t n = end ? (size_t)(end - path) : strlen(path);
            if (n == 0 || np >= ROUTE_MAX_PARAMS || n >= sizeof r->params[0])
                return 0;
            if (r) {
                memcpy(r->params[np], path, n);
                r->params[np][n] = '\0';
            }
            np++;
            path += n;
            pattern += 2;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return 0;
    if (r)
        r->nparams = np;
    return 1;
}

const route *routes_match(const char *method, const char *path, req *r, char *allow, size_t n)
{
    allow[0] = '\0';
    size_t len = 0;
    for (const route *rt = routes; rt->method; rt++) {
        if (!match(rt->pattern, path, NULL))
            continue;
        if (strcmp(rt->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            match(rt->pattern, path, r);
            return rt;
        }
        len += (size_t)snprintf(allow + len, len < n ? n - len : 0, "%s%s", len ? ", " : "",
                                rt->method);
    }
    return NULL;
}
