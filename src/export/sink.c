#include "export/sink.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "util/clock.h"

#define VN_OFFSET_MS (7 * 3600 * 1000LL)
#define MAX_COLS 64

struct export_sink {
    int xlsx;
    FILE *f;          /* CSV */
    int sheets;       /* CSV: sheets started */
    lxw_workbook *wb; /* XLSX */
    lxw_worksheet *ws;
    lxw_format *head, *title, *dec, *pct, *time;
    int types[MAX_COLS];
    int ncols, col;
    int64_t row, rows; /* next row (XLSX), data rows written */
    int first_data_row;
};

export_sink *export_csv_new(FILE *f)
{
    export_sink *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->f = f;
    fputs("\xEF\xBB\xBF", f);
    return s;
}

static lxw_format *fmt(lxw_workbook *wb, const char *num, int bold)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, 0xBFC5CE);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (num)
        format_set_num_format(f, num);
    if (bold)
        format_set_bold(f);
    return f;
}

export_sink *export_xlsx_new(const char *path)
{
    export_sink *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->xlsx = 1;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    s->wb = workbook_new_opt(path, &opt);
    if (!s->wb) {
        free(s);
        return NULL;
    }
    s->head = workbook_add_format(s->wb);
    format_set_bold(s->head);
    format_set_font_color(s->head, LXW_COLOR_WHITE);
    format_set_bg_color(s->head, 0x8C1D17);
    format_set_border(s->head, LXW_BORDER_THIN);
    format_set_text_wrap(s->head);
    format_set_align(s->head, LXW_ALIGN_CENTER);
    format_set_align(s->head, LXW_ALIGN_VERTICAL_CENTER);
    s->title = workbook_add_format(s->wb);
    format_set_bold(s->title);
    format_set_font_size(s->title, 13);
    s->dec = fmt(s->wb, "0.00", 0);
    s->pct = fmt(s->wb, "0.0%", 0);
    s->time = fmt(s->wb, "dd/mm/yyyy hh:mm:ss", 0);
    return s;
}

/* Excel's sheet names: at most 31 characters, none of []:*?/\ . */
static void sheet_name(const char *in, char *out, size_t n)
{
    size_t o = 0;
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && chars < 31;) {
        size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        if (o + len + 1 > n)
            break;
        if (len == 1 && strchr("[]:*?/\\", *p)) {
            out[o++] = '-';
            p++;
        } else {
            for (size_t k = 0; k < len && p[k]; k++)
                out[o++] = (char)p[k];
            p += len;
        }
        chars++;
    }
    out[o] = '\0';
}

static void csv_field(FILE *f, const char *v)
{
    if (strpbrk(v, ",\"\r\n;")) {
        fputc('"', f);
        for (; *v; v++) {
            if (*v == '"')
                fputc('"', f);
            fputc(*v, f);
        }
        fputc('"', f);
    } else {
        fputs(v, f);
    }
}

static void csv_sep(export_sink *s)
{
    if (s->col++ > 0)
        fputc(',', s->f);
}

static void finish_sheet(export_sink *s)
{
    if (s->xlsx && s->ws && s->ncols > 0)
        worksheet_autofilter(s->ws, (lxw_row_t)s->first_data_row, 0,
                             (lxw_row_t)(s->row > s->first_data_row ? s->row - 1 : s->row),
                             (lxw_col_t)(s->ncols - 1));
}

int export_sheet(export_sink *s, const char *name, const char *title, const export_col *cols,
                 int ncols)
{
    if (ncols > MAX_COLS)
        return -1;
    s->ncols = ncols;
    s->col = 0;
    s->rows = 0;
    for (int i = 0; i < ncols; i++)
        s->types[i] = cols[i].type;
    if (!s->xlsx) {
        if (s->sheets++ > 0)
            return -1; /* CSV holds one table */
        for (int i = 0; i < ncols; i++) {
            csv_sep(s);
            csv_field(s->f, cols[i].title);
        }
        fputs("\r\n", s->f);
        s->col = 0;
        return 0;
    }
    finish_sheet(s);
    char nm[128];
    sheet_name(name, nm, sizeof nm);
    s->ws = workbook_add_worksheet(s->wb, nm);
    for (int k = 2; !s->ws && k < 100; k++) {
        char alt[140];
        snprintf(alt, sizeof alt, "%.24s (%d)", nm, k);
        sheet_name(alt, nm, sizeof nm);
        s->ws = workbook_add_worksheet(s->wb, nm);
    }
    if (!s->ws)
        return -1;
    for (int i = 0; i < ncols; i++)
        worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
    s->row = 0;
    if (title) {
        worksheet_set_row(s->ws, 0, 22, NULL);
        worksheet_write_string(s->ws, 0, 0, title, s->title);
        s->row = 2;
    }
    worksheet_set_row(s->ws, (lxw_row_t)s->row, 32, NULL);
    for (int i = 0; i < ncols; i++)
        worksheet_write_string(s->ws, (lxw_row_t)s->row, (lxw_col_t)i, cols[i].title, s->head);
    worksheet_freeze_panes(s->ws, (lxw_row_t)(s->row + 1), 0);
    s->first_data_row = (int)s->row;
    s->row++;
    return 0;
}

static lxw_format *format_of(export_sink *s, int col)
{
    /* plain text and integers keep the default style: a style index on each
     * of millions of cells is bytes to write and to compress */
    switch (col < s->ncols ? s->types[col] : COL_TEXT) {
    case COL_INT: return NULL;
    case COL_DEC: return s->dec;
    case COL_PCT: return s->pct;
    case COL_TIME: return s->time;
    default: return NULL;
    }
}

void export_str(export_sink *s, const char *v)
{
    if (!v)
        v = "";
    if (!s->xlsx) {
        csv_sep(s);
        csv_field(s->f, v);
        return;
    }
    if (*v)
        worksheet_write_string(s->ws, (lxw_row_t)s->row, (lxw_col_t)s->col, v,
                               format_of(s, s->col));
    else
        worksheet_write_blank(s->ws, (lxw_row_t)s->row, (lxw_col_t)s->col, format_of(s, s->col));
    s->col++;
}

void export_int(export_sink *s, int64_t v)
{
    if (!s->xlsx) {
        csv_sep(s);
        fprintf(s->f, "%lld", (long long)v);
        return;
    }
    worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)s->col, (double)v,
                           format_of(s, s->col));
    s->col++;
}

void export_num(export_sink *s, double v)
{
    if (!s->xlsx) {
        csv_sep(s);
        int type = s->col - 1 < s->ncols ? s->types[s->col - 1] : COL_DEC;
        if (type == COL_PCT)
            fprintf(s->f, "%.2f", v * 100);
        else
            fprintf(s->f, "%.2f", v);
        return;
    }
    worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)s->col, v, format_of(s, s->col));
    s->col++;
}

void export_time(export_sink *s, int64_t ms)
{
    if (!s->xlsx) {
        char t[40];
        clock_vn_human(ms, t, sizeof t);
        csv_sep(s);
        csv_field(s->f, t);
        return;
    }
    /* to the second: shorter numbers in the XML, nothing lost on screen */
    double serial = (double)((ms + VN_OFFSET_MS + 500) / 1000) / 86400.0 + 25569.0;
    serial = (double)(int64_t)(serial * 1e6 + 0.5) / 1e6;
    worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)s->col, serial,
                           format_of(s, s->col));
    s->col++;
}

void export_null(export_sink *s)
{
    if (!s->xlsx) {
        csv_sep(s);
        return;
    }
    worksheet_write_blank(s->ws, (lxw_row_t)s->row, (lxw_col_t)s->col, format_of(s, s->col));
    s->col++;
}

void export_end_row(export_sink *s)
{
    if (!s->xlsx)
        fputs("\r\n", s->f);
    else
        s->row++;
    s->col = 0;
    s->rows++;
}

int64_t export_rows(const export_sink *s)
{
    return s->rows;
}

int export_close(export_sink *s)
{
    int rc = 0;
    if (s->xlsx) {
        finish_sheet(s);
        rc = workbook_close(s->wb) == LXW_NO_ERROR ? 0 : -1;
    } else {
        rc = fflush(s->f) == 0 && !ferror(s->f) ? 0 : -1;
    }
    free(s);
    return rc;
}
