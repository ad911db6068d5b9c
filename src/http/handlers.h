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
void h_admin_contests(req *r);
void h_contest_upload(req *r);
void h_round_results(req *r);
/* api_cert.c */
void h_cert_public_key(req *r);
void h_cert_verify(req *r);
void h_cert_page(req *r);
void h_attempt_certificate(req *r);
void h_admin_certificate(req *r);
void h_admin_cert_revoke(req *r);
void h_round_certificates(req *r);
void h_contest_certificates(req *r);
/* api_plan.c */
void h_plan_list(req *r);
void h_plan_upload(req *r);
void h_plan_get(req *r);
void h_plan_coverage(req *r);
void h_plan_summary(req *r);
void h_plan_summary_xlsx(req *r);
void h_plan_agency(req *r);
void h_plan_task(req *r);
void h_plan_report(req *r);
void h_plan_links(req *r);
void h_plan_comment(req *r);
/* api_console.c */
void h_console_contest(req *r);
void h_question_counts(req *r);
void h_console_bank_questions(req *r);
void h_users(req *r);
void h_people_search(req *r);
void h_person(req *r);
void h_person_export(req *r);
void h_person_disqualify(req *r);
void h_person_reinstate(req *r);
void h_person_erase(req *r);
void h_attempt_extend(req *r);
void h_attempt_reopen(req *r);
void h_audit(req *r);
void h_live_round(req *r);
void h_live_contest(req *r);
void h_public_round_stream(req *r);
void h_public_contest_stream(req *r);
void h_console_contest_board(req *r);
void h_round_stats(req *r);
void h_prize_config_get(req *r);
void h_prize_config_put(req *r);
void h_round_prizes_propose(req *r);
void h_contest_prizes_propose(req *r);
void h_contest_prizes(req *r);
void h_prize_list(req *r);
void h_prize_confirm(req *r);
void h_prize_strike(req *r);
void h_round_publish(req *r);
void h_round_unpublish(req *r);
void h_contest_publish(req *r);
void h_contest_unpublish(req *r);
void h_public_prizes(req *r);
void h_export(req *r);

/* api_banks.c: question banks, uploads, versions, regrade */
void h_banks(req *r);
void h_bank_upload(req *r);
void h_bank_preview(req *r);
void h_bank_confirm(req *r);
void h_bank_questions(req *r);
void h_bank_export(req *r);
void h_bank_regrade(req *r);
void h_question_regrade(req *r);
void h_contest_bank_switch(req *r);

/* Shared by the handler files. */
void reply_app_err(req *r, const app_err *e);
/* Replies 200/201 with the JSON text in b (taken over). */
void reply_buf(req *r, int status, buf *b);
/* limit/offset query arguments with bounds; -1 (and a 400 reply) if bad. */
int query_page(req *r, int max_limit, int *limit, int *offset);
/* track query argument: 0 all, or a track; -1 (and a 400 reply) if bad. */
int query_track(req *r);

#endif
