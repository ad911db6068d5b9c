#include "http/routes.h"

#include <stdio.h>
#include <string.h>

#include "http/handlers.h"
#include "http/server.h"

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
    /* certificates (docs/api.md "Certificates") */
    {"GET", "/api/attempts/{}/certificate", ROLE_PARTICIPANT, 0, 0, h_attempt_certificate},
    {"GET", "/api/attempts/{}/certificate.pdf", ROLE_PARTICIPANT, 0, 0, h_attempt_certificate},
    {"GET", "/api/attempts/{}/certificate.png", ROLE_PARTICIPANT, 0, 0, h_attempt_certificate},
    {"GET", "/api/cert/public-key", 0, 0, 0, h_cert_public_key},
    {"GET", "/api/cert/verify/{}", 0, RF_RL_VERIFY, 0, h_cert_verify},
    {"GET", "/v/{}", 0, RF_RL_VERIFY, 0, h_cert_page},
    /* staff */
    {"POST", "/api/auth/login", 0, RF_JSON | RF_RL_LOGIN, 4 * KiB, h_login},
    {"POST", "/api/auth/logout", ROLE_STAFF, 0, 0, h_logout},
    {"GET", "/api/auth/me", ROLE_STAFF, 0, 0, h_staff_me},
    {"POST", "/api/admin/users", ROLE_ADMIN, RF_JSON, 4 * KiB, h_user_add},
    {"GET", "/api/admin/banks", ROLE_ORGANISER, 0, 0, h_banks},
    {"POST", "/api/admin/banks", ROLE_ORGANISER, RF_RAW | RF_BANK_BODY, 10 * MiB, h_bank_upload},
    /* question banks (docs/api.md "Question banks") */
    {"POST", "/api/admin/banks/preview", ROLE_ORGANISER, RF_RAW | RF_BANK_BODY, 10 * MiB,
     h_bank_preview},
    {"POST", "/api/admin/banks/confirm", ROLE_ORGANISER, RF_JSON, 4 * KiB, h_bank_confirm},
    /* a bank id, or a banks row id (then the console's list, api_console.c) */
    {"GET", "/api/admin/banks/{}/questions", ROLE_ORGANISER, 0, 0, h_bank_questions},
    {"GET", "/api/admin/banks/{}/export", ROLE_ORGANISER, 0, 0, h_bank_export},
    {"POST", "/api/admin/banks/{}/regrade", ROLE_ORGANISER, RF_JSON, 4 * KiB, h_bank_regrade},
    {"POST", "/api/admin/questions/{}/regrade", ROLE_ORGANISER, RF_JSON, 4 * KiB,
     h_question_regrade},
    {"POST", "/api/admin/contests/{}/banks", ROLE_ORGANISER, RF_JSON, 4 * KiB,
     h_contest_bank_switch},
    {"GET", "/api/admin/contests", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_admin_contests},
    {"POST", "/api/admin/contests", ROLE_ORGANISER, RF_JSON, 1 * MiB, h_contest_upload},
    {"GET", "/api/admin/rounds/{}/results", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_round_results},
    /* consoles (docs/api.md "Console routes"): organiser ⊂ admin; judges read,
     * decide prizes and publish; only organisers see phone and CCCD numbers */
    {"GET", "/api/rounds/{}/leaderboard/stream", 0, 0, 0, h_public_round_stream},
    {"GET", "/api/contests/{}/leaderboard/stream", 0, 0, 0, h_public_contest_stream},
    {"GET", "/api/contests/{}/prizes", 0, 0, 0, h_public_prizes},
    {"GET", "/api/admin/accounts", ROLE_ADMIN, 0, 0, h_users},
    {"GET", "/api/admin/contests/{}", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_console_contest},
    {"GET", "/api/admin/question-counts", ROLE_ORGANISER, 0, 0, h_question_counts},
    {"GET", "/api/admin/contests/{}/participants", ROLE_ORGANISER, 0, 0, h_people_search},
    {"GET", "/api/admin/participants/{}", ROLE_ORGANISER, 0, 0, h_person},
    {"GET", "/api/admin/participants/{}/export", ROLE_ORGANISER, 0, 0, h_person_export},
    {"POST", "/api/admin/participants/{}/disqualify", ROLE_ORGANISER, RF_JSON, 4 * KiB,
     h_person_disqualify},
    {"POST", "/api/admin/participants/{}/reinstate", ROLE_ORGANISER, RF_JSON, 4 * KiB,
     h_person_reinstate},
    {"POST", "/api/admin/participants/{}/erase", ROLE_ORGANISER, RF_JSON, 4 * KiB,
     h_person_erase},
    {"POST", "/api/admin/attempts/{}/extend", ROLE_ORGANISER, RF_JSON, 4 * KiB, h_attempt_extend},
    {"POST", "/api/admin/attempts/{}/reopen", ROLE_ORGANISER, RF_JSON, 4 * KiB, h_attempt_reopen},
    {"GET", "/api/admin/audit", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_audit},
    {"GET", "/api/admin/rounds/{}/live", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_live_round},
    {"GET", "/api/admin/contests/{}/live", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_live_contest},
    {"GET", "/api/admin/contests/{}/board", ROLE_ORGANISER | ROLE_JUDGE, 0, 0,
     h_console_contest_board},
    {"GET", "/api/admin/rounds/{}/stats", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_round_stats},
    {"GET", "/api/admin/contests/{}/prize-config", ROLE_ORGANISER | ROLE_JUDGE, 0, 0,
     h_prize_config_get},
    {"PUT", "/api/admin/contests/{}/prize-config", ROLE_ORGANISER | ROLE_JUDGE, RF_JSON, 16 * KiB,
     h_prize_config_put},
    {"GET", "/api/admin/contests/{}/prizes", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_contest_prizes},
    {"POST", "/api/admin/contests/{}/prizes", ROLE_JUDGE, RF_JSON, 1 * KiB,
     h_contest_prizes_propose},
    {"POST", "/api/admin/rounds/{}/prizes", ROLE_JUDGE, RF_JSON, 1 * KiB, h_round_prizes_propose},
    {"GET", "/api/admin/prize-lists/{}", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_prize_list},
    {"POST", "/api/admin/prize-entries/{}/confirm", ROLE_JUDGE, RF_JSON, 4 * KiB, h_prize_confirm},
    {"POST", "/api/admin/prize-entries/{}/strike", ROLE_JUDGE, RF_JSON, 4 * KiB, h_prize_strike},
    {"POST", "/api/admin/rounds/{}/publish", ROLE_JUDGE, RF_JSON, 4 * KiB, h_round_publish},
    {"POST", "/api/admin/rounds/{}/unpublish", ROLE_JUDGE, RF_JSON, 4 * KiB, h_round_unpublish},
    {"POST", "/api/admin/contests/{}/publish", ROLE_JUDGE, RF_JSON, 4 * KiB, h_contest_publish},
    {"POST", "/api/admin/contests/{}/unpublish", ROLE_JUDGE, RF_JSON, 4 * KiB,
     h_contest_unpublish},
    {"GET", "/api/admin/exports/{}", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_export},
    {"GET", "/api/admin/certificates/{}", ROLE_ORGANISER | ROLE_JUDGE, 0, 0, h_admin_certificate},
    {"POST", "/api/admin/certificates/{}/revoke", ROLE_ORGANISER | ROLE_JUDGE, RF_JSON, 4 * KiB,
     h_admin_cert_revoke},
    {"GET", "/api/admin/rounds/{}/certificates.pdf", ROLE_ORGANISER, 0, 0, h_round_certificates},
    {"GET", "/api/admin/rounds/{}/certificates.zip", ROLE_ORGANISER, 0, 0, h_round_certificates},
    {"GET", "/api/admin/contests/{}/certificates.pdf", ROLE_ORGANISER, 0, 0,
     h_contest_certificates},
    {"GET", "/api/admin/contests/{}/certificates.zip", ROLE_ORGANISER, 0, 0,
     h_contest_certificates},
    /* plan tracking (docs/api.md "Plan routes"): reporters only for their own agency */
    {"GET", "/api/plan/plans", ROLE_ORGANISER | ROLE_REPORTER, 0, 0, h_plan_list},
    {"POST", "/api/plan/plans", ROLE_ORGANISER, RF_JSON, 1 * MiB, h_plan_upload},
    {"GET", "/api/plan/plans/{}", ROLE_ORGANISER, 0, 0, h_plan_get},
    {"GET", "/api/plan/plans/{}/coverage", ROLE_ORGANISER, 0, 0, h_plan_coverage},
    {"GET", "/api/plan/plans/{}/summary", ROLE_ORGANISER, 0, 0, h_plan_summary},
    {"GET", "/api/plan/plans/{}/summary.xlsx", ROLE_ORGANISER, 0, 0, h_plan_summary_xlsx},
    {"GET", "/api/plan/plans/{}/agencies/{}", ROLE_ORGANISER | ROLE_REPORTER, 0, 0, h_plan_agency},
    {"GET", "/api/plan/tasks/{}", ROLE_ORGANISER | ROLE_REPORTER, 0, 0, h_plan_task},
    {"POST", "/api/plan/tasks/{}/reports", ROLE_ORGANISER | ROLE_REPORTER, RF_JSON, 16 * KiB,
     h_plan_report},
    {"PUT", "/api/plan/tasks/{}/contests", ROLE_ORGANISER, RF_JSON, 4 * KiB, h_plan_links},
    {"POST", "/api/plan/reports/{}/comments", ROLE_ORGANISER, RF_JSON, 4 * KiB, h_plan_comment},
    {NULL, NULL, 0, 0, 0, NULL},
};

size_t route_body_max(const route *rt)
{
    if (!rt)
        return 0;
    if ((rt->flags & RF_BANK_BODY) && server_cfg()->bank_body_max)
        return server_cfg()->bank_body_max;
    return rt->body_max;
}

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
