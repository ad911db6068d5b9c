/* handlers: one function per route; the route table (routes.c) names them. */
#ifndef CCHC_HANDLERS_H
#define CCHC_HANDLERS_H
#include "http/http.h"
#include "util/buf.h"
#include "util/err.h"

/* api_public.c */
void h_health(req *r);
void h_contests(req *r);
void h_contest(req *r);
void h_contest_units(req *r);
void h_round_board(req *r);
void h_contest_board(req *r);
/* api_participant.c */
void h_register(req *r);
void h_session(req *r);
void h_me(req *r);
void h_attempt_start(req *r);
void h_attempt_get(req *r);
void h_attempt_save(req *r);
void h_attempt_submit(req *r);
void h_attempt_review(req *r);
/* api_staff.c */
void h_login(req *r);
void h_logout(req *r);
void h_staff_me(req *r);
void h_user_add(req *r);
void h_banks(req *r);
void h_bank_upload(req *r);
void h_admin_contests(req *r);
void h_contest_upload(req *r);
void h_round_results(req *r);

/* Shared by the handler files. */
void reply_app_err(req *r, const app_err *e);
/* Replies 200/201 with the JSON text in b (taken over). */
void reply_buf(req *r, int status, buf *b);
/* limit/offset query arguments with bounds; -1 (and a 400 reply) if bad. */
int query_page(req *r, int max_limit, int *limit, int *offset);
/* track query argument: 0 all, or a track; -1 (and a 400 reply) if bad. */
int query_track(req *r);

#endif
