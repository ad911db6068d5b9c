#include "plan/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "plan/plan.h"

typedef struct fmts {
    lxw_format *title, *subtitle, *head, *text, *num, *pct, *dec, *group, *total, *total_num;
} fmts;

static const char *str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static void vn_date(const char *iso, char *out, size_t n)
{
    int d;
    if (plan_day_parse(iso, 0, &d) == 0)
        plan_day_format_vn(d, out, n);
    else
        snprintf(out, n, "%s", iso ? iso : "");
}

static void put_num(lxw_worksheet *ws, int row, int col, json_t *v, lxw_format *f)
{
    if (json_is_number(v))
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, json_number_value(v), f);
    else
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, "–", f);
}

static void make_formats(lxw_workbook *wb, fmts *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->title);
    f->subtitle = workbook_add_format(wb);
    format_set_italic(f->subtitle);
    format_set_align(f->subtitle, LXW_ALIGN_CENTER);
    format_set_text_wrap(f->subtitle);
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_border(f->head, LXW_BORDER_THIN);
    format_set_text_wrap(f->head);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(f->head, 0xE8EDF3);
    f->text = workbook_add_format(wb);
    format_set_border(f->text, LXW_BORDER_THIN);
    format_set_text_wrap(f->text);
    format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
    f->num = workbook_add_format(wb);
    format_set_border(f->num, LXW_BORDER_THIN);
    format_set_num_format(f->num, "#,##0");
    format_set_align(f->num, LXW_ALIGN_VERTICAL_TOP);
    f->pct = workbook_add_format(wb);
    format_set_border(f->pct, LXW_BORDER_THIN);
    format_set_num_format(f->pct, "0.0%");
    format_set_align(f->pct, LXW_ALIGN_VERTICAL_TOP);
    f->dec = workbook_add_format(wb);
    format_set_border(f->dec, LXW_BORDER_THIN);
    format_set_num_format(f->dec, "0.00");
    format_set_align(f->dec, LXW_ALIGN_VERTICAL_TOP);
    f->group = workbook_add_format(wb);
    format_set_bold(f->group);
    format_set_border(f->group, LXW_BORDER_THIN);
    format_set_bg_color(f->group, 0xF4F6F9);
    f->total = workbook_add_format(wb);
    format_set_bold(f->total);
    format_set_border(f->total, LXW_BORDER_THIN);
    f->total_num = workbook_add_format(wb);
    format_set_bold(f->total_num);
    format_set_border(f->total_num, LXW_BORDER_THIN);
    format_set_num_format(f->total_num, "#,##0");
}

static void page_setup(lxw_worksheet *ws, int header_row)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, (lxw_row_t)header_row, (lxw_row_t)header_row);
    worksheet_freeze_panes(ws, (lxw_row_t)(header_row + 1), 0);
}

static int heading(lxw_worksheet *ws, const fmts *f, json_t *s, int last_col, const char *what)
{
    json_t *plan = json_object_get(s, "plan");
    json_t *period = json_object_get(s, "period");
    char date[16], from[16], to[16], as_of[16], line[1200];
    vn_date(str(plan, "date"), date, sizeof date);
    vn_date(str(period, "from"), from, sizeof from);
    vn_date(str(period, "to"), to, sizeof to);
    vn_date(str(s, "as_of"), as_of, sizeof as_of);
    snprintf(line, sizeof line, "%s", what);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)last_col, line, f->title);
    worksheet_set_row(ws, 0, 36, NULL);
    const char *title = str(plan, "title");
    int lower = title[0] >= 'A' && title[0] <= 'Z';
    snprintf(line, sizeof line, "Kế hoạch số %s ngày %s của %s về %c%s", str(plan, "number"),
             date, str(plan, "issuer"), lower ? title[0] - 'A' + 'a' : title[0],
             title[0] ? title + 1 : "");
    worksheet_merge_range(ws, 1, 0, 1, (lxw_col_t)last_col, line, f->subtitle);
    worksheet_set_row(ws, 1, 32, NULL);
    snprintf(line, sizeof line, "Kỳ báo cáo: %s (từ %s đến %s); số liệu tính đến ngày %s",
             str(period, "label"), from, to, as_of);
    worksheet_merge_range(ws, 2, 0, 2, (lxw_col_t)last_col, line, f->subtitle);
    return 4;
}

static void summary_sheet(lxw_workbook *wb, const fmts *f, json_t *s)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Tổng hợp");
    static const char *const cols[] = {
        "STT", "Cơ quan, đơn vị", "Số nhiệm vụ", "Hoàn thành", "Đang thực hiện",
        "Chưa triển khai", "Quá hạn", "Số báo cáo trong kỳ", "Tin, bài đã đăng",
        "Thời lượng phát sóng (phút)", "Hội nghị, tập huấn", "Lượt người tham dự",
        "Người dự thi", "Lượt thi hoàn thành", "Tỉ lệ tham gia", "Điểm trung bình"};
    const int ncols = (int)(sizeof cols / sizeof cols[0]);
    int row = heading(ws, f, s, ncols - 1,
                      "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN KẾ HOẠCH "
                      "TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH");
    for (int c = 0; c < ncols; c++)
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, cols[c], f->head);
    worksheet_set_row(ws, (lxw_row_t)row, 48, NULL);
    page_setup(ws, row);
    worksheet_set_column(ws, 0, 0, 5, NULL);
    worksheet_set_column(ws, 1, 1, 38, NULL);
    worksheet_set_column(ws, 2, (lxw_col_t)(ncols - 1), 11, NULL);
    row++;
    const char *group = NULL;
    int stt = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(s, "agencies"), i, a)
    {
        const char *kind = str(a, "kind_name");
        if (!group || strcmp(group, kind) != 0) {
            group = kind;
            worksheet_merge_range(ws, (lxw_row_t)row, 0, (lxw_row_t)row, (lxw_col_t)(ncols - 1),
                                  kind, f->group);
            row++;
        }
        json_t *fig = json_object_get(a, "figures");
        json_t *ct = json_object_get(a, "contest");
        worksheet_write_number(ws, (lxw_row_t)row, 0, ++stt, f->num);
        worksheet_write_string(ws, (lxw_row_t)row, 1, str(a, "name"), f->text);
        static const char *const k1[] = {"tasks", "done", "in_progress", "not_started", "overdue",
                                         "reports"};
        for (int k = 0; k < 6; k++)
            put_num(ws, row, 2 + k, json_object_get(a, k1[k]), f->num);
        static const char *const k2[] = {"articles", "broadcast_minutes", "conferences",
                                         "participants"};
        for (int k = 0; k < 4; k++)
            put_num(ws, row, 8 + k, json_object_get(fig, k2[k]), f->num);
        put_num(ws, row, 12, json_object_get(ct, "participants"), f->num);
        put_num(ws, row, 13, json_object_get(ct, "finished_attempts"), f->num);
        put_num(ws, row, 14, json_object_get(ct, "participation_rate"), f->pct);
        put_num(ws, row, 15, json_object_get(ct, "average_score"), f->dec);
        row++;
    }
    json_t *t = json_object_get(s, "totals");
    worksheet_write_string(ws, (lxw_row_t)row, 0, "", f->total);
    worksheet_write_string(ws, (lxw_row_t)row, 1, "Tổng cộng", f->total);
    static const char *const kt[] = {"tasks", "done", "in_progress", "not_started", "overdue",
                                     "reports", "articles", "broadcast_minutes", "conferences",
                                     "participants", "contest_participants",
                                     "contest_finished_attempts"};
    for (int k = 0; k < 12; k++)
        put_num(ws, row, 2 + k, json_object_get(t, kt[k]), f->total_num);
    worksheet_write_string(ws, (lxw_row_t)row, 14, "", f->total);
    worksheet_write_string(ws, (lxw_row_t)row, 15, "", f->total);
}

static void tasks_sheet(lxw_workbook *wb, const fmts *f, json_t *s)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Nhiệm vụ");
    static const char *const cols[] = {"STT", "Cơ quan chủ trì", "Mục", "Nhiệm vụ", "Tần suất",
                                       "Hạn / kết thúc", "Trạng thái", "Báo cáo trong kỳ",
                                       "Quá hạn từ ngày"};
    const int ncols = (int)(sizeof cols / sizeof cols[0]);
    int row = heading(ws, f, s, ncols - 1, "DANH SÁCH NHIỆM VỤ VÀ TÌNH TRẠNG THỰC HIỆN");
    for (int c = 0; c < ncols; c++)
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, cols[c], f->head);
    worksheet_set_row(ws, (lxw_row_t)row, 32, NULL);
    page_setup(ws, row);
    worksheet_set_column(ws, 0, 0, 5, NULL);
    worksheet_set_column(ws, 1, 1, 28, NULL);
    worksheet_set_column(ws, 2, 2, 7, NULL);
    worksheet_set_column(ws, 3, 3, 70, NULL);
    worksheet_set_column(ws, 4, 8, 13, NULL);
    row++;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(s, "tasks"), i, t)
    {
        char due[16], since[16];
        vn_date(str(t, "due"), due, sizeof due);
        vn_date(str(t, "overdue_since"), since, sizeof since);
        worksheet_write_number(ws, (lxw_row_t)row, 0, (double)(i + 1), f->num);
        worksheet_write_string(ws, (lxw_row_t)row, 1, str(json_object_get(t, "agency"), "name"),
                               f->text);
        worksheet_write_string(ws, (lxw_row_t)row, 2, str(t, "section"), f->text);
        worksheet_write_string(ws, (lxw_row_t)row, 3, str(t, "text"), f->text);
        worksheet_write_string(ws, (lxw_row_t)row, 4, str(t, "frequency_label"), f->text);
        worksheet_write_string(ws, (lxw_row_t)row, 5, due, f->text);
        worksheet_write_string(ws, (lxw_row_t)row, 6, str(t, "status_label"), f->text);
        put_num(ws, row, 7, json_object_get(t, "reports_in_period"), f->num);
        worksheet_write_string(ws, (lxw_row_t)row, 8, since, f->text);
        row++;
    }
}

int plan_summary_xlsx(json_t *summary, char **out, size_t *len, char *err, size_t errn)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/cchc-plan-XXXXXX.xlsx", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 5);
    if (fd < 0) {
        snprintf(err, errn, "cannot create a temporary file in %s", dir && *dir ? dir : "/tmp");
        return -1;
    }
    close(fd);
    int rc = -1;
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        snprintf(err, errn, "libxlsxwriter: cannot start a workbook");
        goto done;
    }
    fmts f;
    make_formats(wb, &f);
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    char title[200], company[200], comments[] = "cchc-quiz";
    snprintf(title, sizeof title, "%s", str(json_object_get(summary, "period"), "label"));
    snprintf(company, sizeof company, "%s", str(json_object_get(summary, "plan"), "issuer"));
    props.title = title;
    props.company = company;
    props.comments = comments;
    workbook_set_properties(wb, &props);
    summary_sheet(wb, &f, summary);
    tasks_sheet(wb, &f, summary);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errn, "libxlsxwriter: %s", lxw_strerror(e));
        goto done;
    }
    FILE *fp = fopen(path, "rb");
    struct stat st;
    if (!fp || fstat(fileno(fp), &st) != 0) {
        if (fp)
            fclose(fp);
        snprintf(err, errn, "cannot read the workbook back");
        goto done;
    }
    *out = malloc((size_t)st.st_size + 1);
    *len = *out ? fread(*out, 1, (size_t)st.st_size, fp) : 0;
    fclose(fp);
    if (!*out || *len != (size_t)st.st_size) {
        free(*out);
        *out = NULL;
        snprintf(err, errn, "cannot read the workbook back");
        goto done;
    }
    rc = 0;
done:
    unlink(path);
    return rc;
}
