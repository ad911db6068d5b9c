/* export/tables: the tables the consoles export, written to a sink (CSV or
 * XLSX): ranked results of a round, the unit table, the prize lists, the
 * question statistics and participation by day, or all of them as one
 * workbook. Phone, CCCD and e-mail columns are written only when personal is
 * set (the organiser's export), never for judges or the public. Each
 * function reads through c (a reader) and returns 0, or -1 with e. */
#ifndef CCHC_EXPORT_TABLES_H
#define CCHC_EXPORT_TABLES_H
#include <stdint.h>

#include "db/db.h"
#include "export/sink.h"
#include "util/err.h"

/* Sheet names of the workbook (Vietnamese). */
#define EXPORT_SHEET_RESULTS "Kết quả"
#define EXPORT_SHEET_UNITS "Đơn vị"
#define EXPORT_SHEET_PRIZES "Giải thưởng"
#define EXPORT_SHEET_STATS "Thống kê câu hỏi"
#define EXPORT_SHEET_DAYS "Theo ngày"

int export_results(db_conn *c, export_sink *s, int64_t round_id, int personal, const char *sheet,
                   app_err *e);
int export_units(db_conn *c, export_sink *s, int64_t contest_id, app_err *e);
int export_prizes(db_conn *c, export_sink *s, int64_t contest_id, int personal, app_err *e);
/* round_id 0: every round of the contest, one after the other. */
int export_stats(db_conn *c, export_sink *s, int64_t contest_id, int64_t round_id, app_err *e);
int export_days(db_conn *c, export_sink *s, int64_t contest_id, app_err *e);
/* Every table of a contest: one results sheet per round, then units, prizes,
 * statistics and days. */
int export_workbook(db_conn *c, export_sink *s, int64_t contest_id, int personal, app_err *e);

#endif
