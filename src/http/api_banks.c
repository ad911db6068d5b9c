/* Question-bank routes for organisers: upload in any format (raw body or multipart form)
 * with a report before anything is stored and a confirmation, the direct import kept
 * from the core engine, the list of versions, a searchable list of a bank's questions,
 * export, switching a contest to another version of a bank, and regrading (a question's
 * key, or the corrections a new version brings). docs/api.md "Question banks". */
#include <stdlib.h>
#include <string.h>

#include "bank/formats.h"
#include "bank/staging.h"
#include "bank/store.h"
#include "bank/summary.h"
#include "contest/contest.h"
#include "db/db.h"
#include "http/handlers.h"
#include "http/multipart.h"
#include "quiz/regrade.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"

/* ---- reading an upload ------------------------------------------------------------ */

typedef struct upload {
    const char *data;
    size_t len;
    char name[256];
    char id[72];
    char title[1200];
    bank_format format;
} upload;

/* Copies a form field or query argument into out; -1 (and a 400) when too long. */
static int field_copy(req *r, const mp_part *parts, int n, const char *name, char *out,
                      size_t outn)
{
    const mp_part *p = parts ? multipart_get(parts, n, name) : NULL;
    const char *v = NULL;
    size_t len = 0;
    if (p && !p->has_filename) {
        v = p->data;
        len = p->len;
    } else {
        v = req_arg(r, name);
        len = v ? strlen(v) : 0;
    }
    out[0] = '\0';
    if (!v)
        return 0;
    while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
        len--;
    if (len >= outn) {
        reply_error(r, 400, "validation", name, "Trường %s quá dài (tối đa %zu byte)", name,
                    outn - 1);
        return -1;
    }
    memcpy(out, v, len);
    out[len] = '\0';
    if (memchr(out, '\0', len) || text_utf8_validate(out, len, NULL) != 0) {
        reply_error(r, 400, "validation", name, "Trường %s không phải văn bản UTF-8", name);
        return -1;
    }
    return 0;
}

/* The file and the options of an upload: a multipart form (a "file" field, and fields
 * format, id, title) or the raw body (query arguments format, id, title, name). */
static int read_upload(req *r, upload *u)
{
    memset(u, 0, sizeof *u);
    mp_part parts[MULTIPART_MAX_PARTS];
    int n = 0;
    const mp_part *file = NULL;
    const char *ct = req_header(r, "Content-Type");
    if (multipart_is(ct)) {
        const char *why = NULL;
        n = multipart_parse(ct, r->body.data ? r->body.data : "", r->body.len, parts,
                            MULTIPART_MAX_PARTS, &why);
        if (n < 0) {
            reply_error(r, 400, "validation", "body", "Dữ liệu biểu mẫu không hợp lệ: %s", why);
            return -1;
        }
        file = multipart_get(parts, n, "file");
        for (int i = 0; !file && i < n; i++)
            if (parts[i].has_filename)
                file = &parts[i];
        if (!file) {
            reply_error(r, 400, "validation", "file", "Thiếu tệp ngân hàng câu hỏi (trường file)");
            return -1;
        }
        u->data = file->data;
        u->len = file->len;
        snprintf(u->name, sizeof u->name, "%s", file->filename);
    } else {
        u->data = r->body.data ? r->body.data : "";
        u->len = r->body.len;
    }
    char fmt[32];
    if (field_copy(r, n ? parts : NULL, n, "format", fmt, sizeof fmt) != 0 ||
        field_copy(r, n ? parts : NULL, n, "id", u->id, sizeof u->id) != 0 ||
        field_copy(r, n ? parts : NULL, n, "title", u->title, sizeof u->title) != 0)
        return -1;
    if (!u->name[0]) {
        const char *name = req_arg(r, "name");
        if (name)
            snprintf(u->name, sizeof u->name, "%s", name);
    }
    for (char *p = u->name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '/' || *p == '\\')
            *p = '_';
    if (text_utf8_validate(u->name, strlen(u->name), NULL) != 0)
        snprintf(u->name, sizeof u->name, "upload");
    if (fmt[0] && strcmp(fmt, "auto") != 0) {
        u->format = bank_format_from_name(fmt);
        if (u->format == BANK_FMT_UNKNOWN) {
            reply_error(r, 400, "validation", "format",
                        "Định dạng phải là native, gift, aiken, csv hoặc xml");
            return -1;
        }
    }
    if (u->len == 0) {
        reply_error(r, 400, "validation", "file", "Tệp rỗng: chưa có câu hỏi nào");
        return -1;
    }
    return 0;
}

static bank *parse_upload(const upload *u, bank_report *rep, bank_format *detected)
{
    bank_import_opts o = {u->id[0] ? u->id : NULL, u->title[0] ? u->title : NULL,
                          u->name[0] ? u->name : "upload"};
    return bank_parse_format(u->data, u->len, u->format, &o, rep, detected);
}

/* The report an organiser reads: problems, counts, duplicates, the previous version. */
static json_t *report_json(bank *b, bank_report *rep, bank_format fmt, const upload *u,
                           db_conn *c)
{
    json_t *dups = json_array();
    json_t *previous = json_null();
    if (b) {
        bank_duplicates_within(b, dups);
        if (c) {
            bank_store_duplicates(c, b, rep, dups);
            json_t *p = bank_store_compare(c, b);
            if (p) {
                json_decref(previous);
                previous = p;
            }
        }
        bank_report_sort(rep, 0);
    }
    json_t *problems = bank_report_to_json(rep);
    return json_pack("{s:b, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "ok", b != NULL, "format",
                     bank_format_name(fmt), "file", u->name[0] ? u->name : "upload", "errors",
                     (json_int_t)bank_report_errors(rep), "warnings",
                     (json_int_t)bank_report_warnings(rep), "problems",
                     problems ? problems : json_array(), "bank",
                     b ? bank_summary_json(b) : json_null(), "duplicates", dups, "previous",
                     previous);
}

static void reply_invalid(req *r, json_t *body)
{
    json_object_set_new(body, "error",
                        json_pack("{s:s, s:s, s:s}", "code", "validation", "message",
                                  "Ngân hàng câu hỏi có lỗi, chưa có gì được lưu; xem danh sách "
                                  "lỗi theo dòng",
                                  "field", "file"));
    reply_json_new(r, 400, body);
}

/* ---- list, preview, confirm, direct upload ---------------------------------------- */

void h_banks(req *r)
{
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_BANK_LIST);
    json_t *list = json_array();
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        char t[40];
        clock_iso_utc(sqlite3_column_int64(st, 4), t, sizeof t);
        json_array_append_new(list, json_pack("{s:I, s:s, s:i, s:s, s:s, s:I}", "row_id",
                                              (json_int_t)sqlite3_column_int64(st, 0), "bank_id",
                                              db_col_text(st, 1), "version",
                                              sqlite3_column_int(st, 2), "title",
                                              db_col_text(st, 3), "imported_at", t, "questions",
                                              (json_int_t)sqlite3_column_int64(st, 5)));
    }
    db_done(st);
    /* which contests use each version */
    size_t i;
    json_t *b;
    json_array_foreach(list, i, b)
    {
        json_t *used = json_array();
        st = db_stmt(c, Q_BANK_USED_BY);
        if (st) {
            sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(b, "row_id")));
            while (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(used, json_string(db_col_text(st, 0)));
            db_done(st);
        }
        json_object_set_new(b, "used_by", used);
        json_object_del(b, "row_id");
    }
    reply_json_new(r, 200, json_pack("{s:o}", "banks", list));
}

void h_bank_preview(req *r)
{
    upload u;
    if (read_upload(r, &u) != 0)
        return;
    bank_report *rep = bank_report_new();
    if (!rep) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    bank_format fmt = BANK_FMT_UNKNOWN;
    bank *b = parse_upload(&u, rep, &fmt);
    json_t *body = report_json(b, rep, fmt, &u, db_reader());
    bank_report_free(rep);
    if (!b) {
        reply_invalid(r, body);
        return;
    }
    char token[BANK_STAGING_TOKEN_HEX];
    int64_t expires;
    int64_t now = clock_now_ms();
    if (bank_staging_put(b, u.len, u.name[0] ? u.name : NULL, fmt, r->staff.id, now, token,
                         &expires) != 0) {
        json_decref(body);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    char t[40];
    clock_iso_utc(expires, t, sizeof t);
    json_object_set_new(body, "upload_token", json_string(token));
    json_object_set_new(body, "expires_at", json_string(t));
    json_object_set_new(body, "expires_at_ms", json_integer(expires));
    reply_json_new(r, 200, body);
}

typedef struct store_ctx {
    bank *bank;             /* owned unless staged */
    bank_staged *staged;    /* owned */
    char source[256];
    bank_format format;
    json_t *warnings;       /* owned */
} store_ctx;

static void store_ctx_free(void *p)
{
    store_ctx *x = p;
    if (!x)
        return;
    if (x->staged)
        bank_staged_free(x->staged);
    else
        bank_free(x->bank);
    json_decref(x->warnings);
    free(x);
}

static int store_run(req *r, db_conn *c)
{
    store_ctx *x = r->ctx;
    bank_store_result res;
    char err[300];
    if (bank_store(c, x->bank, NULL, 0, x->source[0] ? x->source : NULL, r->staff.username,
                   clock_now_ms(), &res, err, sizeof err) != 0) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được ngân hàng câu hỏi: %s", err);
        return -1;
    }
    json_t *body = json_pack("{s:s, s:i, s:i, s:b, s:s}", "bank_id", x->bank->id, "version",
                             res.version, "questions", res.questions, "unchanged", res.unchanged,
                             "format", bank_format_name(x->format));
    if (x->warnings)
        json_object_set(body, "warnings", x->warnings);
    reply_json_new(r, res.unchanged ? 200 : 201, body);
    return 0;
}

void h_bank_confirm(req *r)
{
    json_t *tok = json_object_get(r->json, "upload_token");
    const char *k;
    json_t *v;
    json_object_foreach(r->json, k, v)
    {
        if (strcmp(k, "upload_token") != 0) {
            reply_error(r, 400, "validation", k, "Trường \"%s\" không được hỗ trợ", k);
            return;
        }
    }
    if (!json_is_string(tok)) {
        reply_error(r, 400, "validation", "upload_token", "Thiếu upload_token");
        return;
    }
    bank_staged *s = bank_staging_take(json_string_value(tok), r->staff.id, clock_now_ms());
    if (!s) {
        reply_error(r, 404, "not_found", "upload_token",
                    "Không tìm thấy bản tải lên này (đã quá 30 phút, đã được nhập, hoặc do tài "
                    "khoản khác tải lên); vui lòng tải tệp lên lại");
        return;
    }
    store_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        bank_staged_free(s);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->staged = s;
    x->bank = s->bank;
    x->format = s->format;
    snprintf(x->source, sizeof x->source, "%s", s->source_name ? s->source_name : "");
    req_defer_alone(r, store_run, x, store_ctx_free);
}

void h_bank_upload(req *r)
{
    upload u;
    if (read_upload(r, &u) != 0)
        return;
    bank_report *rep = bank_report_new();
    if (!rep) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    bank_format fmt = BANK_FMT_UNKNOWN;
    bank *b = parse_upload(&u, rep, &fmt);
    if (!b) {
        json_t *problems = bank_report_to_json(rep);
        json_t *body = json_pack("{s:o, s:s}", "problems", problems ? problems : json_array(),
                                 "format", bank_format_name(fmt));
        bank_report_free(rep);
        reply_invalid(r, body);
        return;
    }
    store_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        bank_free(b);
        bank_report_free(rep);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->bank = b;
    x->format = fmt;
    x->warnings = bank_report_to_json(rep);
    bank_report_free(rep);
    snprintf(x->source, sizeof x->source, "%s", u.name);
    req_defer_alone(r, store_run, x, store_ctx_free);
}

/* ---- browsing and export ---------------------------------------------------------- */

static int bank_arg(req *r, const char **key, int *version)
{
    *key = r->params[0];
    *version = 0;
    if (!bank_valid_id(*key)) {
        reply_error(r, 404, "not_found", NULL, "Không có ngân hàng câu hỏi này");
        return -1;
    }
    const char *v = req_arg(r, "version");
    if (v && *v) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 1000000) {
            reply_error(r, 400, "validation", "version", "version phải là số phiên bản (từ 1)");
            return -1;
        }
        *version = (int)n;
    }
    return 0;
}

static json_t *key_array(unsigned mask)
{
    json_t *a = json_array();
    for (int k = 0; k < BANK_OPTIONS_MAX; k++)
        if (mask & (1u << k))
            json_array_append_new(a, json_integer(k));
    return a;
}

static json_t *col_or_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
                                                      : json_string(db_col_text(st, i));
}

/* 1 when s is all digits (a banks row id, as the console's question list takes it). */
static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

void h_bank_questions(req *r)
{
    const char *key;
    int version;
    int limit, offset;
    /* /api/admin/banks/{row id}/questions is the console's list (api_console.c): a path
     * of digits that names no bank id goes there */
    if (all_digits(r->params[0])) {
        sqlite3_stmt *st = db_stmt(db_reader(), Q_BANK_ROW);
        int known = 0;
        if (st) {
            db_bind_text(st, 1, r->params[0]);
            sqlite3_bind_int(st, 2, 0);
            known = sqlite3_step(st) == SQLITE_ROW;
            db_done(st);
        }
        if (!known) {
            h_console_bank_questions(r);
            return;
        }
    }
    if (bank_arg(r, &key, &version) != 0 || query_page(r, 200, &limit, &offset) != 0)
        return;
    const char *q = req_arg(r, "q");
    const char *cat = req_arg(r, "category");
    if (cat && !*cat)
        cat = NULL;
    char *like = NULL;
    char qkey[128] = "";
    if (q && *q) {
        if (strlen(q) > 500 || text_utf8_validate(q, strlen(q), NULL) != 0) {
            reply_error(r, 400, "validation", "q", "Từ khóa tìm kiếm không hợp lệ");
            return;
        }
        char *folded = text_fold_key(q);
        size_t n = folded ? strlen(folded) : 0;
        like = malloc(n * 2 + 3);
        if (!folded || !like) {
            free(folded);
            free(like);
            reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
            return;
        }
        size_t o = 0;
        like[o++] = '%';
        for (size_t i = 0; i < n; i++) {
            if (folded[i] == '%' || folded[i] == '_' || folded[i] == '\\')
                like[o++] = '\\';
            like[o++] = folded[i];
        }
        like[o++] = '%';
        like[o] = '\0';
        free(folded);
        snprintf(qkey, sizeof qkey, "%s", q);
    }
    db_conn *c = db_reader();
    sqlite3_stmt *st = db_stmt(c, Q_BANK_ROW);
    if (!st) {
        free(like);
        reply_error(r, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return;
    }
    db_bind_text(st, 1, key);
    sqlite3_bind_int(st, 2, version);
    int64_t row = 0;
    json_t *info = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        row = sqlite3_column_int64(st, 0);
        char t[40];
        clock_iso_utc(sqlite3_column_int64(st, 3), t, sizeof t);
        info = json_pack("{s:s, s:i, s:s, s:s, s:o, s:o}", "bank_id", key, "version",
                         sqlite3_column_int(st, 1), "title", db_col_text(st, 2), "imported_at",
                         t, "imported_by", col_or_null(st, 4), "source_name",
                         col_or_null(st, 5));
    }
    db_done(st);
    if (!row) {
        free(like);
        reply_error(r, 404, "not_found", NULL, "Không có ngân hàng câu hỏi \"%s\"%s", key,
                    version ? " ở phiên bản này" : "");
        return;
    }
    json_t *versions = json_array();
    st = db_stmt(c, Q_BANK_VERSIONS_OF);
    db_bind_text(st, 1, key);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(versions, json_integer(sqlite3_column_int(st, 1)));
    db_done(st);
    json_t *cats = json_array();
    st = db_stmt(c, Q_BANK_CATEGORIES_OF);
    sqlite3_bind_int64(st, 1, row);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(cats, json_pack("{s:s, s:s}", "id", db_col_text(st, 0), "title",
                                              db_col_text(st, 1)));
    db_done(st);
    st = db_stmt(c, Q_BANKQ_COUNT);
    sqlite3_bind_int64(st, 1, row);
    db_bind_text(st, 2, cat);
    db_bind_text(st, 3, like);
    db_bind_text(st, 4, like ? qkey : NULL);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    json_t *list = json_array();
    st = db_stmt(c, Q_BANKQ_SEARCH);
    sqlite3_bind_int64(st, 1, row);
    db_bind_text(st, 2, cat);
    db_bind_text(st, 3, like);
    db_bind_text(st, 4, like ? qkey : NULL);
    sqlite3_bind_int(st, 5, limit);
    sqlite3_bind_int(st, 6, offset);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *opts = json_loads(db_col_text(st, 6), 0, NULL);
        json_t *tags = sqlite3_column_type(st, 14) == SQLITE_NULL
                           ? json_array()
                           : json_loads(db_col_text(st, 14), 0, NULL);
        json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:b, s:o, s:{s:o, s:o, s:o}, "
                      "s:o}",
                      "id", (json_int_t)sqlite3_column_int64(st, 0), "qkey", db_col_text(st, 1),
                      "category", db_col_text(st, 2), "difficulty",
                      bank_difficulty_name((bank_difficulty)sqlite3_column_int(st, 3)), "track",
                      bank_track_name((bank_track)sqlite3_column_int(st, 4)), "text",
                      db_col_text(st, 5), "options", opts ? opts : json_array(), "key",
                      key_array((unsigned)sqlite3_column_int(st, 7)), "multi",
                      sqlite3_column_int(st, 8), "voided", sqlite3_column_int(st, 9),
                      "explanation", col_or_null(st, 10), "source", "document",
                      col_or_null(st, 11), "article", col_or_null(st, 12), "url",
                      col_or_null(st, 13), "tags", tags ? tags : json_array()));
    }
    db_done(st);
    free(like);
    json_object_set_new(info, "versions", versions);
    json_object_set_new(info, "categories", cats);
    json_object_set_new(info, "total", json_integer(total));
    json_object_set_new(info, "limit", json_integer(limit));
    json_object_set_new(info, "offset", json_integer(offset));
    json_object_set_new(info, "questions", list);
    reply_json_new(r, 200, info);
}

void h_bank_export(req *r)
{
    const char *key;
    int version;
    if (bank_arg(r, &key, &version) != 0)
        return;
    const char *f = req_arg(r, "format");
    bank_format fmt = f && *f ? bank_format_from_name(f) : BANK_FMT_NATIVE;
    if (fmt == BANK_FMT_UNKNOWN) {
        reply_error(r, 400, "validation", "format",
                    "Định dạng phải là native, gift, aiken, csv hoặc xml");
        return;
    }
    const char *plain = req_arg(r, "plain");
    char err[300];
    int v = 0;
    bank *b = bank_store_load(db_reader(), key, version, &v, err, sizeof err);
    if (!b) {
        if (strncmp(err, "not found", 9) == 0)
            reply_error(r, 404, "not_found", NULL, "Không có ngân hàng câu hỏi \"%s\"%s", key,
                        version ? " ở phiên bản này" : "");
        else
            reply_error(r, 503, "unavailable", NULL, "Không đọc được ngân hàng câu hỏi");
        return;
    }
    buf out;
    buf_init(&out, 0);
    int skipped = 0;
    int rc = bank_write_format(b, fmt, plain && strcmp(plain, "1") == 0, &out, &skipped);
    bank_free(b);
    if (rc != 0) {
        buf_free(&out);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    char cd[200];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s-v%d.%s\"", key, v,
             bank_format_extension(fmt));
    reply_header(r, "Content-Disposition", cd);
    size_t len;
    char *data = buf_steal(&out, &len);
    reply_take(r, 200, bank_format_mime(fmt), data ? data : strdup(""), data ? len : 0);
}

/* ---- switching a contest's bank version ------------------------------------------- */

typedef struct switch_ctx {
    char contest[72];
    char bank[72];
    int version;
} switch_ctx;

static int switch_run(req *r, db_conn *c)
{
    switch_ctx *x = r->ctx;
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BY_KEY);
    db_bind_text(st, 1, x->contest);
    int64_t cid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    if (!cid) {
        reply_error(r, 404, "not_found", NULL, "Không có cuộc thi \"%s\"", x->contest);
        return -1;
    }
    st = db_stmt(c, Q_CONTEST_BANK_OF_KEY);
    sqlite3_bind_int64(st, 1, cid);
    db_bind_text(st, 2, x->bank);
    int64_t from_row = 0;
    int from_version = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        from_row = sqlite3_column_int64(st, 0);
        from_version = sqlite3_column_int(st, 1);
    }
    db_done(st);
    if (!from_row) {
        reply_error(r, 409, "conflict", "bank_id", "Cuộc thi \"%s\" không dùng ngân hàng \"%s\"",
                    x->contest, x->bank);
        return -1;
    }
    st = db_stmt(c, Q_BANK_ROW);
    db_bind_text(st, 1, x->bank);
    sqlite3_bind_int(st, 2, x->version);
    int64_t to_row = 0;
    int to_version = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        to_row = sqlite3_column_int64(st, 0);
        to_version = sqlite3_column_int(st, 1);
    }
    db_done(st);
    if (!to_row) {
        reply_error(r, 404, "not_found", "version", "Ngân hàng \"%s\" không có phiên bản %d",
                    x->bank, x->version);
        return -1;
    }
    if (to_row != from_row) {
        st = db_stmt(c, Q_CONTEST_BANK_SWAP);
        sqlite3_bind_int64(st, 1, cid);
        sqlite3_bind_int64(st, 2, from_row);
        sqlite3_bind_int64(st, 3, to_row);
        int rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE) {
            reply_error(r, 503, "unavailable", NULL, "Không ghi được thay đổi");
            return -1;
        }
        /* every round must still be able to draw its papers */
        contest_settings s;
        if (contest_settings_load(c, cid, &s) != 0) {
            reply_error(r, 500, "internal", NULL, "Cài đặt cuộc thi bị hỏng");
            return -1;
        }
        st = db_stmt(c, Q_CONTEST_BLUEPRINTS);
        sqlite3_bind_int64(st, 1, cid);
        char problem[400] = "";
        while (!problem[0] && sqlite3_step(st) == SQLITE_ROW) {
            json_t *bp = json_loads(db_col_text(st, 1), 0, NULL);
            char rkey[72];
            snprintf(rkey, sizeof rkey, "%s", db_col_text(st, 0));
            size_t i;
            json_t *slot;
            json_array_foreach(bp, i, slot)
            {
                const char *cat = json_string_value(json_object_get(slot, "category"));
                int diff = (int)json_integer_value(json_object_get(slot, "difficulty"));
                int want = (int)json_integer_value(json_object_get(slot, "count"));
                for (int t = 1; t <= 2 && !problem[0]; t++) {
                    if (!(s.tracks & (1u << t)))
                        continue;
                    sqlite3_stmt *q = db_stmt(c, Q_CANDIDATES);
                    sqlite3_bind_int64(q, 1, cid);
                    db_bind_text(q, 2, cat);
                    sqlite3_bind_int(q, 3, diff);
                    sqlite3_bind_int(q, 4, t);
                    int have = 0;
                    while (sqlite3_step(q) == SQLITE_ROW)
                        have++;
                    db_done(q);
                    if (have < want)
                        snprintf(problem, sizeof problem,
                                 "vòng %s cần %d câu nhóm \"%s\" cho đối tượng %s nhưng phiên bản "
                                 "%d chỉ có %d",
                                 rkey, want, cat ? cat : "?", contest_track_name(t), to_version,
                                 have);
                }
            }
            json_decref(bp);
        }
        db_done(st);
        if (problem[0]) {
            reply_error(r, 409, "conflict", "version", "Không chuyển được: %s", problem);
            return -1;
        }
        char detail[300];
        snprintf(detail, sizeof detail,
                 "{\"contest\":\"%s\",\"bank\":\"%s\",\"from_version\":%d,\"to_version\":%d}",
                 x->contest, x->bank, from_version, to_version);
        if (db_audit(c, r->staff.username, "contest.bank_switch", detail) != 0) {
            reply_error(r, 503, "unavailable", NULL, "Không ghi được nhật ký");
            return -1;
        }
    }
    reply_json_new(r, 200, json_pack("{s:s, s:s, s:i, s:i, s:b}", "contest_id", x->contest,
                                     "bank_id", x->bank, "from_version", from_version,
                                     "to_version", to_version, "changed", to_row != from_row));
    return 0;
}

void h_contest_bank_switch(req *r)
{
    const char *k;
    json_t *v;
    json_object_foreach(r->json, k, v)
    {
        if (strcmp(k, "bank_id") != 0 && strcmp(k, "version") != 0) {
            reply_error(r, 400, "validation", k, "Trường \"%s\" không được hỗ trợ", k);
            return;
        }
    }
    json_t *b = json_object_get(r->json, "bank_id");
    json_t *ver = json_object_get(r->json, "version");
    if (!json_is_string(b) || !bank_valid_id(json_string_value(b))) {
        reply_error(r, 400, "validation", "bank_id", "Thiếu hoặc sai mã ngân hàng câu hỏi");
        return;
    }
    if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
        json_integer_value(ver) > 1000000) {
        reply_error(r, 400, "validation", "version", "version phải là số phiên bản (từ 1)");
        return;
    }
    if (strlen(r->params[0]) > 64) {
        reply_error(r, 404, "not_found", NULL, "Không có cuộc thi này");
        return;
    }
    switch_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    snprintf(x->contest, sizeof x->contest, "%.64s", r->params[0]);
    snprintf(x->bank, sizeof x->bank, "%.64s", json_string_value(b));
    x->version = (int)json_integer_value(ver);
    req_defer_alone(r, switch_run, x, free);
}

/* ---- regrade ---------------------------------------------------------------------- */

typedef struct regrade_ctx {
    regrade_change one;
    char bank[72];
    int version;
    int by_bank;
    int dry_run;
    char reason[500];
} regrade_ctx;

static int regrade_job(req *r, db_conn *c)
{
    regrade_ctx *x = r->ctx;
    app_err e;
    regrade_change *changes = &x->one;
    int n = 1;
    json_t *notes = NULL;
    if (x->by_bank) {
        if (regrade_changes_from_version(c, x->bank, x->version, &changes, &n, &notes, &e) !=
            0) {
            json_decref(notes);
            reply_app_err(r, &e);
            return -1;
        }
        if (n == 0) {
            free(changes);
            reply_json_new(r, 200,
                           json_pack("{s:b, s:[], s:i, s:i, s:i, s:[], s:o}", "dry_run",
                                     x->dry_run, "questions", "attempts_examined", 0,
                                     "attempts_changed", 0, "results_changed", 0, "rounds",
                                     "notes", notes ? notes : json_array()));
            return 0;
        }
    }
    json_t *rep = regrade_run(c, changes, n, r->staff.username, x->reason[0] ? x->reason : NULL,
                              x->dry_run, &e);
    if (changes != &x->one)
        free(changes);
    if (!rep) {
        json_decref(notes);
        reply_app_err(r, &e);
        return -1;
    }
    if (notes)
        json_object_set_new(rep, "notes", notes);
    reply_json_new(r, 200, rep);
    return 0;
}

/* Common body fields: dry_run (default true) and reason. */
static int regrade_common(req *r, regrade_ctx *x, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(r->json, k, v)
    {
        int ok = strcmp(k, "dry_run") == 0 || strcmp(k, "reason") == 0;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = strcmp(k, allowed[i]) == 0;
        if (!ok) {
            reply_error(r, 400, "validation", k, "Trường \"%s\" không được hỗ trợ", k);
            return -1;
        }
    }
    json_t *dry = json_object_get(r->json, "dry_run");
    if (dry && !json_is_boolean(dry)) {
        reply_error(r, 400, "validation", "dry_run", "dry_run phải là true hoặc false");
        return -1;
    }
    x->dry_run = dry ? json_is_true(dry) : 1;
    json_t *reason = json_object_get(r->json, "reason");
    if (reason && (!json_is_string(reason) || strlen(json_string_value(reason)) >= sizeof x->reason)) {
        reply_error(r, 400, "validation", "reason", "Lý do phải là văn bản (tối đa 400 ký tự)");
        return -1;
    }
    if (reason)
        snprintf(x->reason, sizeof x->reason, "%s", json_string_value(reason));
    return 0;
}

/* A regrade request's context with the parts every regrade takes parsed, or
 * NULL after the error reply. Caller frees. */
static regrade_ctx *regrade_ctx_new(req *r, const char *const *allowed)
{
    regrade_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return NULL;
    }
    if (regrade_common(r, x, allowed) != 0) {
        free(x);
        return NULL;
    }
    return x;
}

void h_question_regrade(req *r)
{
    static const char *const allowed[] = {"key", "void", NULL};
    int64_t qid = req_param_id(r, 0);
    if (qid < 0) {
        reply_error(r, 404, "not_found", NULL, "Không có câu hỏi này");
        return;
    }
    regrade_ctx *x = regrade_ctx_new(r, allowed);
    if (!x)
        return;
    json_t *key = json_object_get(r->json, "key");
    json_t *vo = json_object_get(r->json, "void");
    int void_it = json_is_true(vo);
    if (vo && !json_is_boolean(vo)) {
        free(x);
        reply_error(r, 400, "validation", "void", "void phải là true hoặc false");
        return;
    }
    if ((key != NULL) == void_it) {
        free(x);
        reply_error(r, 400, "validation", "key",
                    "Cần đúng một trong hai: key (đáp án đúng mới) hoặc void: true (hủy câu hỏi)");
        return;
    }
    unsigned mask = 0;
    if (json_is_integer(key)) {
        json_int_t k = json_integer_value(key);
        mask = k >= 0 && k < BANK_OPTIONS_MAX ? 1u << k : 0;
    } else if (json_is_array(key)) {
        size_t i;
        json_t *e;
        json_array_foreach(key, i, e)
        {
            json_int_t k = json_is_integer(e) ? json_integer_value(e) : -1;
            if (k < 0 || k >= BANK_OPTIONS_MAX) {
                mask = 0;
                break;
            }
            mask |= 1u << k;
        }
    } else if (json_is_string(key)) {
        mask = regrade_parse_key(json_string_value(key));
    }
    if (key && !mask) {
        free(x);
        reply_error(r, 400, "validation", "key",
                    "key là số thứ tự phương án (từ 0), danh sách số, hoặc chữ cái như \"B\"");
        return;
    }
    x->one = (regrade_change){qid, mask, void_it};
    req_defer_alone(r, regrade_job, x, free);
}

void h_bank_regrade(req *r)
{
    static const char *const allowed[] = {"version", NULL};
    if (!bank_valid_id(r->params[0])) {
        reply_error(r, 404, "not_found", NULL, "Không có ngân hàng câu hỏi này");
        return;
    }
    regrade_ctx *x = regrade_ctx_new(r, allowed);
    if (!x)
        return;
    json_t *ver = json_object_get(r->json, "version");
    if (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
                json_integer_value(ver) > 1000000)) {
        free(x);
        reply_error(r, 400, "validation", "version", "version phải là số phiên bản (từ 1)");
        return;
    }
    x->by_bank = 1;
    x->version = ver ? (int)json_integer_value(ver) : 0;
    snprintf(x->bank, sizeof x->bank, "%.64s", r->params[0]);
    req_defer_alone(r, regrade_job, x, free);
}
