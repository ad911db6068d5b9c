#include "export/tables.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contest/contest.h"
#include "quiz/prize.h"
#include "quiz/rank.h"
#include "quiz/stats.h"
#include "util/clock.h"
#include "util/log.h"

static const char *track_label(int t)
{
    return t == TRACK_CITIZEN ? "Người dân" : t == TRACK_CBCCVC ? "CBCCVC" : "";
}

static int contest_title(db_conn *c, int64_t contest_id, char *out, size_t n)
{
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_ID);
    sqlite3_bind_int64(st, 1, contest_id);
    int ok = sqlite3_step(st) == SQLITE_ROW;
    snprintf(out, n, "%s", ok ? db_col_text(st, 2) : "");
    db_done(st);
    return ok ? 0 : -1;
}

/* compact: the workbook's shorter form (no ids, maximum or prediction
 * columns), which keeps a million-row workbook within its time budget. */
static int results_sheet(db_conn *c, export_sink *s, int64_t round_id, int personal,
                         const char *sheet, int compact, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_ROUND_BOARD_INFO);
    sqlite3_bind_int64(st, 1, round_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        return -1;
    }
    int64_t contest_id = sqlite3_column_int64(st, 0);
    int settled = sqlite3_column_type(st, 2) != SQLITE_NULL;
    int published = sqlite3_column_type(st, 4) != SQLITE_NULL;
    char rtitle[320];
    snprintf(rtitle, sizeof rtitle, "%s", db_col_text(st, 6));
    db_done(st);
    contest_settings cs;
    char ctitle[320];
    if (contest_settings_load(c, contest_id, &cs) != 0 ||
        contest_title(c, contest_id, ctitle, sizeof ctitle) != 0) {
        APP_ERR(e, 500, "internal", NULL, "Cài đặt cuộc thi bị hỏng");
        return -1;
    }
    char order[512];
    rank_order_sql(&cs.ranking, !settled, order, sizeof order);
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT p.id, p.full_name, u.name, u.block, r.track, r.score, r.max_score, "
             "r.correct, r.duration_ms, r.submitted_at, r.prediction, r.prediction_error, "
             "p.phone, p.cccd, p.email, r.attempt_id, p.erased_at FROM results r "
             "JOIN participants p ON p.id = r.participant_id JOIN units u ON u.id = r.unit_id "
             "WHERE r.round_id = ?1 AND p.disqualified_at IS NULL ORDER BY %s",
             order);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
        log_error("export: %s", sqlite3_errmsg(db_handle(c)));
        APP_ERR(e, 500, "internal", NULL, "Lỗi máy chủ");
        return -1;
    }
    sqlite3_bind_int64(q, 1, round_id);
    export_col cols[] = {
        {"Hạng", COL_INT, 7},
        {"Hạng theo đối tượng", COL_INT, 10},
        {"Mã người dự thi", COL_INT, 10},
        {"Họ và tên", COL_TEXT, 28},
        {"Đơn vị", COL_TEXT, 34},
        {"Khối", COL_TEXT, 24},
        {"Đối tượng", COL_TEXT, 11},
        {"Điểm", COL_INT, 7},
        {"Điểm tối đa", COL_INT, 8},
        {"Số câu đúng", COL_INT, 8},
        {"Thời gian làm bài (giây)", COL_DEC, 11},
        {"Thời điểm nộp (giờ Việt Nam)", COL_TIME, 20},
        {"Dự đoán", COL_INT, 10},
        {"Sai số dự đoán", COL_INT, 10},
        {"Mã bài thi", COL_INT, 10},
        {"Số điện thoại", COL_TEXT, 15},
        {"Số CCCD", COL_TEXT, 15},
        {"Email", COL_TEXT, 24},
    };
    /* the columns kept in the compact form */
    static const int compact_cols[] = {0, 1, 3, 4, 6, 7, 9, 10, 11, 13, 15, 16, 17};
    export_col shown[18];
    int ncols = 0;
    for (int i = 0; i < 18; i++) {
        int keep = !compact;
        for (size_t k = 0; compact && k < sizeof compact_cols / sizeof compact_cols[0]; k++)
            keep = keep || compact_cols[k] == i;
        if (keep && (personal || i < 15))
            shown[ncols++] = cols[i];
    }
    char title[800];
    snprintf(title, sizeof title, "Kết quả %s — %s (%s)", rtitle, ctitle,
             published ? "kết quả chính thức"
             : settled ? "đã chốt, chưa công bố"
                       : "tạm thời, vòng thi chưa kết thúc");
    if (export_sheet(s, sheet ? sheet : EXPORT_SHEET_RESULTS, title, shown, ncols) != 0) {
        sqlite3_finalize(q);
        APP_ERR(e, 500, "internal", NULL, "Không tạo được trang tính");
        return -1;
    }
    int64_t rank = 0, track_rank[3] = {0, 0, 0};
    while (sqlite3_step(q) == SQLITE_ROW) {
        int track = sqlite3_column_int(q, 4);
        export_int(s, ++rank);
        export_int(s, ++track_rank[track >= 0 && track <= 2 ? track : 0]);
        if (!compact)
            export_int(s, sqlite3_column_int64(q, 0));
        export_str(s, db_col_text(q, 1));
        export_str(s, db_col_text(q, 2));
        if (!compact)
            export_str(s, db_col_text(q, 3));
        export_str(s, track_label(track));
        export_int(s, sqlite3_column_int(q, 5));
        if (!compact)
            export_int(s, sqlite3_column_int(q, 6));
        export_int(s, sqlite3_column_int(q, 7));
        export_num(s, (double)sqlite3_column_int64(q, 8) / 1000.0);
        export_time(s, sqlite3_column_int64(q, 9));
        if (!compact) {
            if (sqlite3_column_type(q, 10) == SQLITE_NULL)
                export_null(s);
            else
                export_int(s, sqlite3_column_int64(q, 10));
        }
        if (sqlite3_column_type(q, 11) == SQLITE_NULL || !settled)
            export_null(s);
        else
            export_int(s, sqlite3_column_int64(q, 11));
        if (!compact)
            export_int(s, sqlite3_column_int64(q, 15));
        if (personal) {
            int erased = sqlite3_column_type(q, 16) != SQLITE_NULL;
            export_str(s, erased ? "" : db_col_text(q, 12));
            export_str(s, db_col_text(q, 13));
            export_str(s, db_col_text(q, 14));
        }
        export_end_row(s);
    }
    sqlite3_finalize(q);
    return 0;
}

int export_results(db_conn *c, export_sink *s, int64_t round_id, int personal, const char *sheet,
                   app_err *e)
{
    return results_sheet(c, s, round_id, personal, sheet, 0, e);
}

int export_units(db_conn *c, export_sink *s, int64_t contest_id, app_err *e)
{
    char ctitle[320], title[512];
    if (contest_title(c, contest_id, ctitle, sizeof ctitle) != 0) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
        return -1;
    }
    snprintf(title, sizeof title, "Tham gia theo đơn vị — %s", ctitle);
    static const export_col cols[] = {
        {"Khối", COL_TEXT, 26},           {"Đơn vị", COL_TEXT, 38},
        {"Biên chế", COL_INT, 10},        {"Số người dự thi", COL_INT, 11},
        {"Tỷ lệ tham gia", COL_PCT, 10},  {"Số bài đã nộp", COL_INT, 11},
        {"Điểm trung bình", COL_DEC, 10},
    };
    if (export_sheet(s, EXPORT_SHEET_UNITS, title, cols, 7) != 0) {
        APP_ERR(e, 500, "internal", NULL, "Không tạo được trang tính");
        return -1;
    }
    sqlite3_stmt *st = db_stmt(c, Q_EXPORT_UNITS);
    sqlite3_bind_int64(st, 1, contest_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        export_str(s, db_col_text(st, 0));
        export_str(s, db_col_text(st, 1));
        int has_head = sqlite3_column_type(st, 2) != SQLITE_NULL && sqlite3_column_int64(st, 2) > 0;
        if (has_head)
            export_int(s, sqlite3_column_int64(st, 2));
        else
            export_null(s);
        export_int(s, sqlite3_column_int64(st, 3));
        if (has_head)
            export_num(s,
                       (double)sqlite3_column_int64(st, 3) / (double)sqlite3_column_int64(st, 2));
        else
            export_null(s);
        export_int(s, sqlite3_column_int64(st, 4));
        if (sqlite3_column_type(st, 5) == SQLITE_NULL)
            export_null(s);
        else
            export_num(s, sqlite3_column_double(st, 5));
        export_end_row(s);
    }
    db_done(st);
    return 0;
}

static const char *status_label(const char *s)
{
    return strcmp(s, "confirmed") == 0 ? "Đã xác nhận"
           : strcmp(s, "struck") == 0  ? "Đã loại"
                                       : "Chờ xác nhận";
}

int export_prizes(db_conn *c, export_sink *s, int64_t contest_id, int personal, app_err *e)
{
    char ctitle[320], title[512];
    if (contest_title(c, contest_id, ctitle, sizeof ctitle) != 0) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
        return -1;
    }
    snprintf(title, sizeof title, "Danh sách giải thưởng — %s", ctitle);
    static const export_col cols[] = {
        {"Vòng thi", COL_TEXT, 22},
        {"Loại giải", COL_TEXT, 11},
        {"Nhóm", COL_TEXT, 26},
        {"Giải", COL_TEXT, 30},
        {"Thứ hạng", COL_INT, 8},
        {"Người/đơn vị đoạt giải", COL_TEXT, 30},
        {"Đơn vị", COL_TEXT, 32},
        {"Điểm / chỉ số", COL_DEC, 10},
        {"Phân định hòa bằng", COL_TEXT, 24},
        {"Trạng thái", COL_TEXT, 14},
        {"Lý do", COL_TEXT, 30},
        {"Công bố", COL_TEXT, 12},
        {"Số điện thoại", COL_TEXT, 15},
        {"Số CCCD", COL_TEXT, 15},
    };
    if (export_sheet(s, EXPORT_SHEET_PRIZES, title, cols, personal ? 14 : 12) != 0) {
        APP_ERR(e, 500, "internal", NULL, "Không tạo được trang tính");
        return -1;
    }
    int64_t ids[512];
    int n = 0;
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_LISTS_OF);
    sqlite3_bind_int64(st, 1, contest_id);
    while (n < 512 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
    for (int i = 0; i < n; i++) {
        json_t *l = prize_list_json(c, ids[i], personal, e);
        if (!l)
            return -1;
        char round[320] = "Chung cuộc";
        json_t *rid = json_object_get(l, "round_id");
        if (json_is_integer(rid)) {
            st = db_stmt(c, Q_ROUND_BOARD_INFO);
            sqlite3_bind_int64(st, 1, json_integer_value(rid));
            if (sqlite3_step(st) == SQLITE_ROW)
                snprintf(round, sizeof round, "%s", db_col_text(st, 6));
            db_done(st);
        }
        int published = !json_is_null(json_object_get(l, "published_at"));
        size_t k;
        json_t *en;
        json_array_foreach(json_object_get(l, "entries"), k, en)
        {
            int unit = strcmp(json_string_value(json_object_get(en, "kind")), "unit") == 0;
            json_t *who = json_object_get(en, unit ? "unit" : "participant");
            json_t *d = json_object_get(en, "detail");
            const char *grp = json_string_value(json_object_get(en, "group"));
            char gbuf[320];
            if (unit) {
                const char *bar = strchr(grp, '|');
                snprintf(gbuf, sizeof gbuf, "%s", bar && bar[1] ? bar + 1 : "Tất cả đơn vị");
            } else {
                snprintf(gbuf, sizeof gbuf, "%s",
                         strcmp(grp, "cbccvc") == 0    ? "Cán bộ, công chức, viên chức"
                         : strcmp(grp, "citizen") == 0 ? "Người dân"
                                                       : "Tất cả");
            }
            export_str(s, round);
            export_str(s, unit ? "Tập thể" : "Cá nhân");
            export_str(s, gbuf);
            export_str(s, json_string_value(json_object_get(en, "tier_name")));
            export_int(s, json_integer_value(json_object_get(en, "rank")));
            export_str(s, json_string_value(json_object_get(who, "name")));
            export_str(s, unit ? json_string_value(json_object_get(who, "block"))
                               : json_string_value(json_object_get(who, "unit")));
            json_t *metric = unit ? json_object_get(d, "participation_rate") : NULL;
            if (!metric || json_is_null(metric))
                metric = json_object_get(d, unit ? "participants" : "score");
            if (json_is_number(metric))
                export_num(s, json_number_value(metric));
            else
                export_null(s);
            json_t *dec = json_object_get(en, "decided_by");
            export_str(s, json_is_string(dec) ? json_string_value(dec) : "");
            export_str(s, status_label(json_string_value(json_object_get(en, "status"))));
            json_t *reason = json_object_get(en, "reason");
            export_str(s, json_is_string(reason) ? json_string_value(reason) : "");
            export_str(s, published ? "Đã công bố" : "Chưa công bố");
            if (personal) {
                json_t *ph = json_object_get(who, "phone"), *cc = json_object_get(who, "cccd");
                export_str(s, json_is_string(ph) ? json_string_value(ph) : "");
                export_str(s, json_is_string(cc) ? json_string_value(cc) : "");
            }
            export_end_row(s);
        }
        json_decref(l);
    }
    return 0;
}

static const char *const difficulty_names[] = {"", "Dễ", "Trung bình", "Khó"};

static const char *flag_label(const char *f)
{
    if (strcmp(f, "wrong_key") == 0)
        return "Có thể sai đáp án";
    if (strcmp(f, "too_easy") == 0)
        return "Quá dễ";
    if (strcmp(f, "too_hard") == 0)
        return "Quá khó";
    if (strcmp(f, "negative_discrimination") == 0)
        return "Độ phân biệt âm";
    if (strcmp(f, "voided") == 0)
        return "Đã hủy câu";
    return f;
}

static int stats_rows(db_conn *c, export_sink *s, int64_t round_id, const char *rtitle, app_err *e)
{
    json_t *j = stats_round(c, round_id, e);
    if (!j)
        return -1;
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(j, "questions"), i, q)
    {
        export_str(s, rtitle);
        export_str(s, json_string_value(json_object_get(q, "qkey")));
        export_str(s, json_string_value(json_object_get(q, "category")));
        int d = (int)json_integer_value(json_object_get(q, "difficulty"));
        export_str(s, difficulty_names[d >= 0 && d <= 3 ? d : 0]);
        export_str(s, json_string_value(json_object_get(q, "text")));
        export_int(s, json_integer_value(json_object_get(q, "n")));
        export_num(s, json_number_value(json_object_get(q, "facility")));
        json_t *disc = json_object_get(q, "discrimination");
        if (json_is_number(disc))
            export_num(s, json_number_value(disc));
        else
            export_null(s);
        int64_t n = json_integer_value(json_object_get(q, "n"));
        export_num(s, n ? (double)json_integer_value(json_object_get(q, "blank")) / (double)n : 0);
        json_t *opts = json_object_get(q, "options");
        char key[16] = "";
        for (size_t o = 0; o < 6; o++) {
            json_t *op = json_array_get(opts, o);
            if (!op) {
                export_null(s);
                continue;
            }
            export_num(s, json_number_value(json_object_get(op, "share")));
            if (json_is_true(json_object_get(op, "key")) && strlen(key) < sizeof key - 2) {
                size_t l = strlen(key);
                key[l] = (char)('A' + o);
                key[l + 1] = '\0';
            }
        }
        export_str(s, key);
        char flags[300] = "";
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(q, "flags"), k, f)
        {
            size_t l = strlen(flags);
            snprintf(flags + l, sizeof flags - l, "%s%s", l ? "; " : "",
                     flag_label(json_string_value(f)));
        }
        export_str(s, flags);
        export_end_row(s);
    }
    json_decref(j);
    return 0;
}

int export_stats(db_conn *c, export_sink *s, int64_t contest_id, int64_t round_id, app_err *e)
{
    char ctitle[320], title[512];
    if (contest_title(c, contest_id, ctitle, sizeof ctitle) != 0) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
        return -1;
    }
    snprintf(title, sizeof title,
             "Thống kê câu hỏi — %s (độ dễ và độ phân biệt theo cách tính của Moodle)", ctitle);
    static const export_col cols[] = {
        {"Vòng thi", COL_TEXT, 20}, {"Mã câu", COL_TEXT, 12},
        {"Nhóm", COL_TEXT, 14},     {"Độ khó", COL_TEXT, 10},
        {"Câu hỏi", COL_TEXT, 60},  {"Số lượt", COL_INT, 9},
        {"Độ dễ (%)", COL_DEC, 9},  {"Độ phân biệt", COL_DEC, 10},
        {"Bỏ trống", COL_PCT, 9},   {"A", COL_PCT, 8},
        {"B", COL_PCT, 8},          {"C", COL_PCT, 8},
        {"D", COL_PCT, 8},          {"E", COL_PCT, 8},
        {"F", COL_PCT, 8},          {"Đáp án", COL_TEXT, 8},
        {"Cảnh báo", COL_TEXT, 30},
    };
    if (export_sheet(s, EXPORT_SHEET_STATS, title, cols, 17) != 0) {
        APP_ERR(e, 500, "internal", NULL, "Không tạo được trang tính");
        return -1;
    }
    sqlite3_stmt *st = db_stmt(c, Q_ROUNDS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, contest_id);
    int64_t ids[100];
    char titles[100][160];
    int n = 0;
    while (n < 100 && sqlite3_step(st) == SQLITE_ROW) {
        ids[n] = sqlite3_column_int64(st, 0);
        snprintf(titles[n], sizeof titles[n], "%s", db_col_text(st, 2));
        n++;
    }
    db_done(st);
    for (int i = 0; i < n; i++) {
        if (round_id && ids[i] != round_id)
            continue;
        if (stats_rows(c, s, ids[i], titles[i], e) != 0)
            return -1;
    }
    return 0;
}

int export_days(db_conn *c, export_sink *s, int64_t contest_id, app_err *e)
{
    char ctitle[320], title[512];
    if (contest_title(c, contest_id, ctitle, sizeof ctitle) != 0) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
        return -1;
    }
    snprintf(title, sizeof title, "Tham gia theo ngày (giờ Việt Nam) — %s", ctitle);
    static const export_col cols[] = {
        {"Ngày", COL_TEXT, 12},
        {"Đăng ký mới", COL_INT, 12},
        {"Lượt bắt đầu làm bài", COL_INT, 14},
        {"Lượt hoàn thành", COL_INT, 14},
        {"Số người hoàn thành", COL_INT, 14},
    };
    if (export_sheet(s, EXPORT_SHEET_DAYS, title, cols, 5) != 0) {
        APP_ERR(e, 500, "internal", NULL, "Không tạo được trang tính");
        return -1;
    }
    sqlite3_stmt *st = db_stmt(c, Q_EXPORT_DAYS);
    sqlite3_bind_int64(st, 1, contest_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        /* day number since the epoch, in Vietnam time */
        int64_t day = sqlite3_column_int64(st, 0);
        char d[40];
        clock_vn_human(day * 86400000LL + 12 * 3600000LL, d, sizeof d);
        /* "HH:MM dd/mm/yyyy": keep the date */
        const char *sp = strchr(d, ' ');
        export_str(s, sp ? sp + 1 : d);
        export_int(s, sqlite3_column_int64(st, 1));
        export_int(s, sqlite3_column_int64(st, 2));
        export_int(s, sqlite3_column_int64(st, 3));
        export_int(s, sqlite3_column_int64(st, 4));
        export_end_row(s);
    }
    db_done(st);
    return 0;
}

int export_workbook(db_conn *c, export_sink *s, int64_t contest_id, int personal, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_ROUNDS_OF_CONTEST);
    sqlite3_bind_int64(st, 1, contest_id);
    int64_t ids[100];
    int n = 0;
    while (n < 100 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
    for (int i = 0; i < n; i++) {
        char sheet[64];
        if (n == 1)
            snprintf(sheet, sizeof sheet, "%s", EXPORT_SHEET_RESULTS);
        else
            snprintf(sheet, sizeof sheet, "%s vòng %d", EXPORT_SHEET_RESULTS, i + 1);
        if (results_sheet(c, s, ids[i], personal, sheet, 1, e) != 0)
            return -1;
    }
    if (export_units(c, s, contest_id, e) != 0 ||
        export_prizes(c, s, contest_id, personal, e) != 0 ||
        export_stats(c, s, contest_id, 0, e) != 0 || export_days(c, s, contest_id, e) != 0)
        return -1;
    return 0;
}
