/* cchc-quiz export: results and unit tables as CSV (UTF-8 with a BOM, so
 * Excel shows Vietnamese correctly), built from the same boards the API
 * serves: name and unit only, never phone, CCCD or email. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "quiz/board.h"
#include "util/clock.h"

static void csv_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n;")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static void csv_json(FILE *f, json_t *v, int last)
{
    char tmp[64];
    if (json_is_string(v)) {
        csv_field(f, json_string_value(v), last);
    } else if (json_is_integer(v)) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        csv_field(f, tmp, last);
    } else if (json_is_real(v)) {
        snprintf(tmp, sizeof tmp, "%.4g", json_real_value(v));
        csv_field(f, tmp, last);
    } else {
        csv_field(f, "", last);
    }
}

static void export_usage(FILE *f)
{
    fprintf(f, "usage: cchc-quiz export results --round ID [--db FILE] [--out FILE]\n"
               "       cchc-quiz export units --contest ID [--db FILE] [--out FILE]\n"
               "CSV, UTF-8 with BOM; names and units only (no phone, CCCD or email).\n");
}

int cli_export(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "results") != 0 && strcmp(argv[1], "units") != 0)) {
        int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        export_usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const char *what = argv[1], *db_path = "cchc-quiz.db", *out = NULL, *contest = NULL;
    long long round = 0;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"round", required_argument, NULL, 'r'},
                                         {"contest", required_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, "d:o:r:c:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db_path = optarg; break;
        case 'o': out = optarg; break;
        case 'r': round = atoll(optarg); break;
        case 'c': contest = optarg; break;
        default: export_usage(ch == 'h' ? stdout : stderr); return ch == 'h' ? 0 : 2;
        }
    }
    int results = strcmp(what, "results") == 0;
    if (optind != argc || (results && round <= 0) || (!results && !contest)) {
        export_usage(stderr);
        return 2;
    }
    char err[512];
    db_conn *c = db_open(db_path, 1, err, sizeof err);
    if (!c) {
        fprintf(stderr, "cchc-quiz: %s\n", err);
        return 1;
    }
    app_err e;
    json_t *board = results ? board_round(c, round, 0, 1000000, 0, clock_now_ms(), &e)
                            : board_units(c, contest, &e);
    if (!board) {
        fprintf(stderr, "cchc-quiz: %s\n", e.msg);
        db_close(c);
        return 1;
    }
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "cchc-quiz: %s: cannot write\n", out);
        json_decref(board);
        db_close(c);
        return 1;
    }
    fputs("\xEF\xBB\xBF", f);
    size_t i;
    json_t *row;
    if (results) {
        static const char *const head[] = {"Hạng", "Họ và tên", "Đơn vị", "Đối tượng", "Điểm",
                                           "Điểm tối đa", "Số câu đúng", "Thời gian làm bài (giây)",
                                           "Thời điểm nộp (giờ Việt Nam)", "Sai số dự đoán"};
        for (int k = 0; k < 10; k++)
            csv_field(f, head[k], k == 9);
        json_array_foreach(json_object_get(board, "entries"), i, row)
        {
            const char *track = json_string_value(json_object_get(row, "track"));
            csv_json(f, json_object_get(row, "rank"), 0);
            csv_json(f, json_object_get(row, "name"), 0);
            csv_json(f, json_object_get(row, "unit"), 0);
            csv_field(f, track && strcmp(track, "citizen") == 0 ? "Người dân" : "CBCCVC", 0);
            csv_json(f, json_object_get(row, "score"), 0);
            csv_json(f, json_object_get(row, "max_score"), 0);
            csv_json(f, json_object_get(row, "correct"), 0);
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.1f",
                     (double)json_integer_value(json_object_get(row, "duration_ms")) / 1000.0);
            csv_field(f, tmp, 0);
            int64_t at;
            const char *iso = json_string_value(json_object_get(row, "submitted_at"));
            if (iso && clock_parse(iso, 0, &at) == 0)
                clock_vn_human(at, tmp, sizeof tmp);
            else
                tmp[0] = '\0';
            csv_field(f, tmp, 0);
            csv_json(f, json_object_get(row, "prediction_error"), 1);
        }
    } else {
        static const char *const head[] = {"Đơn vị", "Khối", "Biên chế", "Số người dự thi",
                                           "Số bài đã nộp", "Điểm trung bình", "Tỷ lệ tham gia (%)"};
        for (int k = 0; k < 7; k++)
            csv_field(f, head[k], k == 6);
        json_array_foreach(json_object_get(board, "units"), i, row)
        {
            csv_json(f, json_object_get(row, "name"), 0);
            csv_json(f, json_object_get(row, "block"), 0);
            csv_json(f, json_object_get(row, "headcount"), 0);
            csv_json(f, json_object_get(row, "participants"), 0);
            csv_json(f, json_object_get(row, "finished_attempts"), 0);
            csv_json(f, json_object_get(row, "average_score"), 0);
            json_t *rate = json_object_get(row, "participation_rate");
            char tmp[32] = "";
            if (json_is_number(rate))
                snprintf(tmp, sizeof tmp, "%.2f", json_number_value(rate) * 100);
            csv_field(f, tmp, 1);
        }
    }
    if (out)
        fclose(f);
    json_decref(board);
    db_close(c);
    return 0;
}
