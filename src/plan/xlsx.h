/* plan/xlsx: the consolidated report (plan_view_summary's JSON) as an XLSX
 * workbook, with libxlsxwriter: a sheet "Tổng hợp" with one row per agency
 * (tasks done/overdue, reported figures, contest participation) grouped by
 * agency kind, and a sheet "Nhiệm vụ" with one row per task. A4 landscape. */
#ifndef CCHC_PLAN_XLSX_H
#define CCHC_PLAN_XLSX_H
#include <jansson.h>
#include <stddef.h>

/* Writes the workbook into a new buffer (*out, caller frees) of *len bytes.
 * 0, or -1 with err filled. */
int plan_summary_xlsx(json_t *summary, char **out, size_t *len, char *err, size_t errn);

#endif
