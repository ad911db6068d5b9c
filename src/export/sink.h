/* export/sink: one table-writing interface over CSV and XLSX, so that each
 * export (export/tables.c) is written once. A sink holds one or more sheets
 * (CSV: the first sheet only); each sheet has a title line, a header row and
 * data rows written cell by cell, in order (XLSX in libxlsxwriter's
 * constant-memory mode: rows stream to the file, memory stays flat).
 *
 * CSV is UTF-8 with a byte-order mark (Excel then shows Vietnamese
 * correctly), comma separated, CRLF; XLSX has a bold coloured header row,
 * frozen panes, an autofilter and column widths, and dates as Excel dates
 * in Vietnam time. */
#ifndef CCHC_EXPORT_SINK_H
#define CCHC_EXPORT_SINK_H
#include <stdint.h>
#include <stdio.h>

enum { COL_TEXT = 0, COL_INT, COL_DEC, COL_PCT, COL_TIME };

typedef struct export_col {
    const char *title;
    int type;     /* COL_* */
    double width; /* characters */
} export_col;

typedef struct export_sink export_sink;

/* A CSV sink writing to f (not closed by the sink). */
export_sink *export_csv_new(FILE *f);
/* An XLSX sink writing the workbook to path when closed. */
export_sink *export_xlsx_new(const char *path);
/* Starts a sheet: name (at most 31 characters, sanitised), a title line
 * above the header (may be NULL) and the columns. 0, or -1. */
int export_sheet(export_sink *s, const char *name, const char *title, const export_col *cols,
                 int ncols);
void export_str(export_sink *s, const char *v);
void export_int(export_sink *s, int64_t v);
void export_num(export_sink *s, double v);
/* A time (ms since the epoch), shown in Vietnam time. */
void export_time(export_sink *s, int64_t ms);
void export_null(export_sink *s);
void export_end_row(export_sink *s);
/* Rows written so far in the current sheet. */
int64_t export_rows(const export_sink *s);
/* Finishes the file and frees the sink. 0, or -1 if it could not be written. */
int export_close(export_sink *s);

#endif
