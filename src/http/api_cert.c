/* Certificate routes: the public key, public verification (HTML page and
 * JSON), a participant's own certificate, organisers' single and bulk
 * downloads, revocation. Issuing is a write (req_defer); the files are
 * rendered while they are sent (reply_stream), on the HTTP thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert/bulk.h"
#include "cert/number.h"
#include "cert/payload.h"
#include "cert/sign.h"
#include "cert/store.h"
#include "db/db.h"
#include "http/handlers.h"
#include "http/server.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"

#define REASON_MAX_CHARS 500

/* ---- helpers ---- */

/* The public address for QR codes: --base-url, else the Host the client
 * used, else localhost and the port. */
static void base_url(req *r, char *out, size_t n)
{
    const server_config *cfg = server_cfg();
    if (cfg->base_url && *cfg->base_url) {
        snprintf(out, n, "%s", cfg->base_url);
    } else {
        const char *host = req_header(r, "Host");
        int ok = host && *host && strlen(host) < 200;
        for (const char *p = host; ok && *p; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                 (*p >= '0' && *p <= '9') || strchr(".-:[]", *p);
        if (ok)
            snprintf(out, n, "http://%s", host);
        else
            snprintf(out, n, "http://localhost:%d", cfg->port);
    }
    size_t len = strlen(out);
    while (len && out[len - 1] == '/')
        out[--len] = '\0';
}

/* The extension of the last path segment (".pdf"), or NULL. */
static const char *extension(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot && !strchr(dot, '/') ? dot : NULL;
}

/* Format from the path's extension or ?format=; -1 (and a 400) if bad. */
static int format_of(req *r, const char *ext, int allow_zip, int allow_png)
{
    const char *f = ext ? ext + 1 : req_arg(r, "format");
    if (!f || strcmp(f, "pdf") == 0)
        return CERT_FMT_PDF;
    if (allow_png && strcmp(f, "png") == 0)
        return CERT_FMT_PNG;
    if (allow_zip && strcmp(f, "zip") == 0)
        return CERT_FMT_ZIP;
    reply_error(r, 400, "validation", "format", "Định dạng phải là %s",
                allow_zip ? "pdf hoặc zip" : "pdf hoặc png");
    return -1;
}

static const char *content_type(int fmt)
{
    return fmt == CERT_FMT_PNG ? "image/png" : fmt == CERT_FMT_ZIP ? "application/zip"
                                                                    : "application/pdf";
}

static const char *ext_of(int fmt)
{
    return fmt == CERT_FMT_PNG ? "png" : fmt == CERT_FMT_ZIP ? "zip" : "pdf";
}

typedef struct download {
    cert_bulk *bulk;
    const char *data;
    size_t len, off;
    int done;
} download;

static long download_read(void *cls, char *out, size_t max)
{
    download *d = cls;
    while (d->off >= d->len) {
        if (d->done)
            return 0;
        int rc = cert_bulk_next(d->bulk, db_reader(), &d->data, &d->len);
        d->off = 0;
        if (rc < 0)
            return -1;
        if (rc == 0) {
            d->done = 1;
            d->len = 0;
        }
    }
    size_t n = d->len - d->off < max ? d->len - d->off : max;
    memcpy(out, d->data + d->off, n);
    d->off += n;
    return (long)n;
}

static void download_free(void *cls)
{
    download *d = cls;
    cert_bulk_free(d->bulk);
    free(d);
}

/* Replies with the certificates ids[0..n) (taken over) as a streamed file
 * named name.EXT. Safe on the writer thread: nothing is rendered here. */
static int start_download(req *r, int64_t *ids, size_t n, int fmt, const char *base,
                          const char *name)
{
    char title[128];
    snprintf(title, sizeof title, "Giấy chứng nhận (%zu)", n);
    download *d = calloc(1, sizeof *d);
    cert_bulk *b = d ? cert_bulk_new(ids, n, (cert_format)fmt, base, title) : NULL;
    if (!b) {
        if (!d)
            free(ids);
        free(d);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return -1;
    }
    d->bulk = b;
    reply_stream(r, 200, content_type(fmt), download_read, d, download_free);
    char disp[140];
    snprintf(disp, sizeof disp, "attachment; filename=\"%.80s.%s\"", name, ext_of(fmt));
    reply_header(r, "Content-Disposition", disp);
    return 0;
}

static int download_one(req *r, const cert_record *rec, int fmt, const char *base)
{
    int64_t *ids = malloc(sizeof *ids);
    if (!ids) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return -1;
    }
    ids[0] = rec->id;
    char grouped[CERT_NUMBER_GROUPED], name[64];
    cert_number_group(rec->f.number, grouped);
    snprintf(name, sizeof name, "giay-chung-nhan-%s", grouped);
    return start_download(r, ids, 1, fmt, base, name);
}

static const cert_key *key_or_503(req *r)
{
    const cert_key *k = cert_key_active();
    if (!k)
        reply_error(r, 503, "unavailable", NULL, "Chưa có khóa ký giấy chứng nhận");
    return k;
}

/* ---- public key ---- */

void h_cert_public_key(req *r)
{
    const cert_key *k = key_or_503(r);
    if (!k)
        return;
    char pk[CERT_PK_B64];
    cert_b64url_encode(k->pk, CERT_PK_BYTES, pk, sizeof pk);
    reply_json_new(r, 200,
                   json_pack("{s:s, s:s, s:s, s:s, s:s}", "algorithm", "Ed25519", "encoding",
                             "base64url", "public_key", pk, "key_id", k->id, "signed_text",
                             CERT_MAGIC "\nNUMBER\nNAME\nUNIT\nCONTEST\nROUND\nDATE\nSCORE"));
}

/* ---- verification ---- */

typedef enum { V_VALID, V_REVOKED, V_UNKNOWN, V_INVALID, V_ERROR } verdict;

/* Looks the path's number up and checks the link's d and s, if any, against
 * the stored certificate. */
static verdict verify(req *r, cert_record *rec, char typed[40], int *link_checked)
{
    snprintf(typed, 40, "%.39s", r->params[0]);
    *link_checked = 0;
    char number[CERT_NUMBER_BUF];
    if (cert_number_normalise(r->params[0], number) != 0)
        return V_UNKNOWN;
    int rc = cert_store_by_number(db_reader(), number, rec);
    if (rc < 0)
        return V_ERROR;
    if (rc == 1)
        return V_UNKNOWN;
    const char *d = req_arg(r, "d"), *s = req_arg(r, "s");
    if (d || s) {
        cert_payload p;
        memset(&p, 0, sizeof p);
        snprintf(p.f.number, sizeof p.f.number, "%s", number);
        char err[128];
        if (cert_payload_parse_args(d, s, &p, err, sizeof err) != 0)
            return V_INVALID;
        if (s && sodium_memcmp(p.sig, rec->sig, CERT_SIG_BYTES) != 0)
            return V_INVALID;
        if (d && (strcmp(p.f.name, rec->f.name) || strcmp(p.f.unit, rec->f.unit) ||
                  strcmp(p.f.contest, rec->f.contest) || strcmp(p.f.round, rec->f.round) ||
                  strcmp(p.f.date, rec->f.date) || strcmp(p.f.score, rec->f.score)))
            return V_INVALID;
        *link_checked = 1;
    }
    return rec->revoked_at ? V_REVOKED : V_VALID;
}

static const char *const verdict_names[] = {"valid", "revoked", "unknown", "invalid"};

void h_cert_verify(req *r)
{
    cert_record *rec = malloc(sizeof *rec);
    if (!rec) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    char typed[40];
    int checked;
    verdict v = verify(r, rec, typed, &checked);
    if (v == V_ERROR) {
        free(rec);
        reply_error(r, 503, "unavailable", NULL, "Không đọc được dữ liệu, vui lòng thử lại");
        return;
    }
    json_t *out = json_pack("{s:s}", "status", verdict_names[v]);
    char grouped[CERT_NUMBER_GROUPED], t[40];
    if (v == V_UNKNOWN || v == V_INVALID) {
        json_object_set_new(out, "number", json_string(v == V_INVALID ? rec->f.number : typed));
    } else {
        cert_number_group(rec->f.number, grouped);
        json_object_set_new(out, "number", json_string(rec->f.number));
        json_object_set_new(out, "number_display", json_string(grouped));
        json_object_set_new(out, "contest", json_string(rec->f.contest));
        json_object_set_new(out, "organiser", json_string(rec->organiser));
        json_object_set_new(out, "round", json_string(rec->f.round));
        json_object_set_new(out, "link_checked", json_boolean(checked));
    }
    if (v == V_VALID) {
        clock_iso_utc(rec->issued_at, t, sizeof t);
        json_object_set_new(out, "name", json_string(rec->f.name));
        json_object_set_new(out, "unit", json_string(rec->f.unit));
        json_object_set_new(out, "date", json_string(rec->f.date));
        json_object_set_new(out, "issued_at", json_string(t));
    } else if (v == V_REVOKED) {
        clock_iso_utc(rec->revoked_at, t, sizeof t);
        json_object_set_new(out, "revoked_at", json_string(t));
        json_object_set_new(out, "revoke_reason", json_string(rec->revoke_reason));
    }
    free(rec);
    reply_json_new(r, v == V_UNKNOWN ? 404 : 200, out);
}

static void html(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_append(b, s, 1);
        }
    }
}

static void row(buf *b, const char *label, const char *value)
{
    buf_printf(b, "<div><dt>%s: </dt><dd>", label);
    html(b, value);
    buf_puts(b, "</dd></div>\n");
}

void h_cert_page(req *r)
{
    cert_record *rec = malloc(sizeof *rec);
    if (!rec) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    char typed[40];
    int checked;
    verdict v = verify(r, rec, typed, &checked);
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"robots\" content=\"noindex\">\n"
                 "<title>Xác minh giấy chứng nhận — Thi tìm hiểu cải cách hành chính</title>\n"
                 "<link rel=\"icon\" href=\"data:,\">\n"
                 "<link rel=\"stylesheet\" href=\"/assets/app.css\">\n</head>\n<body>\n"
                 "<header class=\"site-header\"><nav aria-label=\"Điều hướng chính\">"
                 "<a class=\"brand\" href=\"/\">Thi tìm hiểu cải cách hành chính</a></nav>"
                 "</header>\n<main id=\"main\">\n<h1>Xác minh giấy chứng nhận</h1>\n");
    char grouped[CERT_NUMBER_GROUPED], date[32];
    int status = 200;
    switch (v) {
    case V_VALID:
        cert_number_group(rec->f.number, grouped);
        cert_fields_date_short(rec->f.date, date, sizeof date);
        buf_puts(&b, "<div id=\"verdict\" class=\"msg ok\" role=\"status\" data-status=\"valid\">"
                     "<strong>✓ Giấy chứng nhận hợp lệ.</strong> Đây là giấy chứng nhận do ");
        html(&b, rec->organiser);
        buf_puts(&b, " cấp qua hệ thống thi trực tuyến");
        buf_puts(&b, checked ? "; thông tin trong mã QR khớp với bản gốc.</div>\n" : ".</div>\n");
        buf_puts(&b, "<section class=\"card\"><dl class=\"meta\">\n");
        row(&b, "Số hiệu", grouped);
        row(&b, "Họ và tên", rec->f.name);
        if (rec->f.unit[0])
            row(&b, "Đơn vị", rec->f.unit);
        row(&b, "Cuộc thi", rec->f.contest);
        if (rec->f.round[0])
            row(&b, "Vòng thi", rec->f.round);
        row(&b, "Ngày cấp", date);
        buf_puts(&b, "</dl></section>\n");
        break;
    case V_REVOKED:
        cert_number_group(rec->f.number, grouped);
        cert_fields_date_short(rec->f.date, date, sizeof date);
        {
            char when[32];
            clock_vn_human(rec->revoked_at, when, sizeof when);
            buf_puts(&b, "<div id=\"verdict\" class=\"msg error\" role=\"alert\" "
                         "data-status=\"revoked\"><strong>✗ Giấy chứng nhận đã bị thu hồi"
                         "</strong> và không còn giá trị.</div>\n");
            buf_puts(&b, "<section class=\"card\"><dl class=\"meta\">\n");
            row(&b, "Số hiệu", grouped);
            row(&b, "Cuộc thi", rec->f.contest);
            row(&b, "Ngày cấp", date);
            row(&b, "Thu hồi lúc", when);
            row(&b, "Lý do", rec->revoke_reason[0] ? rec->revoke_reason : "không ghi");
            buf_puts(&b, "</dl></section>\n");
        }
        break;
    case V_INVALID:
        buf_puts(&b, "<div id=\"verdict\" class=\"msg error\" role=\"alert\" "
                     "data-status=\"invalid\"><strong>✗ Không hợp lệ.</strong> Thông tin hoặc "
                     "chữ ký trong mã QR không khớp với giấy chứng nhận gốc mang số hiệu này: "
                     "giấy có thể đã bị sửa đổi.</div>\n");
        break;
    case V_UNKNOWN:
        status = 404;
        buf_puts(&b, "<div id=\"verdict\" class=\"msg warn\" role=\"alert\" "
                     "data-status=\"unknown\"><strong>Không tìm thấy giấy chứng nhận</strong> "
                     "có số hiệu “");
        html(&b, typed);
        buf_puts(&b, "”. Hãy kiểm tra lại số hiệu (gồm 11 ký tự, không có chữ O, I, L và số "
                     "0, 1).</div>\n");
        break;
    default:
        status = 503;
        buf_puts(&b, "<div id=\"verdict\" class=\"msg error\" role=\"alert\">Hệ thống đang bận, "
                     "vui lòng thử lại sau.</div>\n");
    }
    buf_puts(&b, "<p class=\"muted small\">Mã QR trên giấy chứng nhận chứa chữ ký số Ed25519; "
                 "có thể kiểm tra cả khi không có mạng bằng khóa công khai tại "
                 "<a href=\"/api/cert/public-key\">/api/cert/public-key</a>.</p>\n"
                 "</main>\n<footer class=\"site-footer\"><a href=\"/\">Tất cả cuộc thi</a>"
                 "</footer>\n</body>\n</html>\n");
    free(rec);
    size_t len;
    char *body = buf_steal(&b, &len);
    if (!body) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    reply_take(r, status, "text/html; charset=utf-8", body, len);
    reply_header(r, "Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                 "base-uri 'none'");
    reply_header(r, "Referrer-Policy", "no-referrer");
}

/* ---- a participant's own certificate ---- */

typedef struct issue_ctx {
    int fmt;
    int64_t round_id;
    int64_t participant_id;
    char base[CERT_BASE_MAX];
    cert_record rec;
} issue_ctx;

static int issue_run(req *r, db_conn *c)
{
    issue_ctx *x = r->ctx;
    app_err e;
    const cert_key *k = cert_key_active();
    if (!k) {
        reply_error(r, 503, "unavailable", NULL, "Chưa có khóa ký giấy chứng nhận");
        return -1;
    }
    if (cert_store_issue(c, k, x->participant_id, x->round_id, clock_now_ms(), &x->rec, &e) !=
        0) {
        reply_app_err(r, &e);
        return -1;
    }
    return download_one(r, &x->rec, x->fmt, x->base);
}

void h_attempt_certificate(req *r)
{
    int64_t id = req_param_id(r, 0);
    if (id < 0) {
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy bài thi");
        return;
    }
    const char *ext = NULL;
    size_t ul = strlen(r->url);
    if (ul > 4 && r->url[ul - 4] == '.')
        ext = r->url + ul - 4;
    int fmt = format_of(r, ext, 0, 1);
    if (fmt < 0 || !key_or_503(r))
        return;
    issue_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->fmt = fmt;
    x->participant_id = r->who.id;
    base_url(r, x->base, sizeof x->base);
    app_err e;
    int rc = cert_store_for_attempt(db_reader(), &r->who, id, &x->rec, &x->round_id, &e);
    if (rc < 0) {
        reply_app_err(r, &e);
        free(x);
        return;
    }
    if (rc == 1) { /* issued before: no write */
        download_one(r, &x->rec, fmt, x->base);
        free(x);
        return;
    }
    req_defer(r, issue_run, x, free);
}

/* ---- organisers and judges ---- */

void h_admin_certificate(req *r)
{
    char param[96];
    snprintf(param, sizeof param, "%s", r->params[0]);
    const char *ext = extension(param);
    int fmt = -1;
    if (ext) {
        fmt = format_of(r, ext, 0, 1);
        if (fmt < 0)
            return;
        param[ext - param] = '\0';
    }
    char number[CERT_NUMBER_BUF];
    cert_record *rec = malloc(sizeof *rec);
    if (!rec) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    int rc = cert_number_normalise(param, number) == 0
                 ? cert_store_by_number(db_reader(), number, rec)
                 : 1;
    if (rc != 0) {
        free(rec);
        if (rc < 0)
            reply_error(r, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        else
            reply_error(r, 404, "not_found", NULL, "Không tìm thấy giấy chứng nhận số %.40s",
                        param);
        return;
    }
    char base[CERT_BASE_MAX];
    base_url(r, base, sizeof base);
    if (fmt >= 0) {
        download_one(r, rec, fmt, base);
        free(rec);
        return;
    }
    char grouped[CERT_NUMBER_GROUPED], issued[40], revoked[40], url[CERT_BASE_MAX + 32];
    cert_number_group(rec->f.number, grouped);
    clock_iso_utc(rec->issued_at, issued, sizeof issued);
    if (rec->revoked_at)
        clock_iso_utc(rec->revoked_at, revoked, sizeof revoked);
    snprintf(url, sizeof url, "%s/v/%s", base, rec->f.number);
    json_t *out = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s}", "status",
        rec->revoked_at ? "revoked" : "valid", "number", rec->f.number, "number_display",
        grouped, "name", rec->f.name, "unit", rec->f.unit, "contest", rec->f.contest, "round",
        rec->f.round, "date", rec->f.date, "score", rec->f.score, "participant_id",
        (json_int_t)rec->participant_id, "round_id", (json_int_t)rec->round_id, "attempt_id",
        (json_int_t)rec->attempt_id, "issued_at", issued, "verify_url", url, "key_id",
        rec->key_id);
    if (rec->revoked_at) {
        json_object_set_new(out, "revoked_at", json_string(revoked));
        json_object_set_new(out, "revoke_reason", json_string(rec->revoke_reason));
        json_object_set_new(out, "revoked_by", json_string(rec->revoked_by));
    }
    free(rec);
    reply_json_new(r, 200, out);
}

typedef struct revoke_ctx {
    char number[CERT_NUMBER_BUF];
    char *reason;
    cert_record rec;
} revoke_ctx;

static void revoke_free(void *p)
{
    revoke_ctx *x = p;
    if (x)
        free(x->reason);
    free(x);
}

static int revoke_run(req *r, db_conn *c)
{
    revoke_ctx *x = r->ctx;
    app_err e;
    int64_t now = clock_now_ms();
    if (cert_store_revoke(c, x->number, x->reason, r->staff.username, now, &x->rec, &e) != 0) {
        reply_app_err(r, &e);
        return -1;
    }
    json_t *detail = json_pack("{s:s, s:s}", "number", x->number, "reason", x->reason);
    char *dj = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    int rc = db_audit(c, r->staff.username, "cert.revoke", dj);
    free(dj);
    if (rc != 0) {
        reply_error(r, 503, "unavailable", NULL, "Không ghi được nhật ký thu hồi");
        return -1;
    }
    char t[40];
    clock_iso_utc(now, t, sizeof t);
    reply_json_new(r, 200,
                   json_pack("{s:s, s:s, s:s, s:s, s:s}", "number", x->number, "status",
                             "revoked", "revoked_at", t, "revoke_reason", x->reason,
                             "revoked_by", r->staff.username));
    return 0;
}

void h_admin_cert_revoke(req *r)
{
    const char *k;
    json_t *v;
    json_object_foreach(r->json, k, v)
    {
        if (strcmp(k, "reason") != 0) {
            reply_error(r, 400, "validation", k, "Trường \"%.40s\" không được hỗ trợ", k);
            return;
        }
    }
    v = json_object_get(r->json, "reason");
    char reason[CERT_TEXT_MAX * 4];
    if (!json_is_string(v) ||
        cert_fields_clean(json_string_value(v), reason, sizeof reason) != 0 ||
        strlen(reason) < 3 || text_length_chars(reason) > REASON_MAX_CHARS) {
        reply_error(r, 400, "validation", "reason", "Vui lòng ghi lý do thu hồi (3–%d ký tự)",
                    REASON_MAX_CHARS);
        return;
    }
    revoke_ctx *x = calloc(1, sizeof *x);
    if (!x || cert_number_normalise(r->params[0], x->number) != 0) {
        free(x);
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy giấy chứng nhận số %.40s",
                    r->params[0]);
        return;
    }
    x->reason = strdup(reason);
    if (!x->reason) {
        revoke_free(x);
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    req_defer(r, revoke_run, x, revoke_free);
}

typedef struct bulk_ctx {
    int fmt;
    int64_t round_id, contest_id;
    char base[CERT_BASE_MAX];
    char name[96];
} bulk_ctx;

static int bulk_run(req *r, db_conn *c)
{
    bulk_ctx *x = r->ctx;
    const cert_key *k = cert_key_active();
    app_err e;
    int issued;
    if (!k) {
        reply_error(r, 503, "unavailable", NULL, "Chưa có khóa ký giấy chứng nhận");
        return -1;
    }
    if (cert_store_issue_all(c, k, x->round_id, x->contest_id, clock_now_ms(), &issued, &e) !=
        0) {
        reply_app_err(r, &e);
        return -1;
    }
    size_t n;
    int64_t *ids = cert_store_list(c, x->round_id, x->contest_id, &n);
    if (!n) {
        free(ids);
        reply_error(r, 404, "not_found", NULL, "Chưa có giấy chứng nhận nào để tải");
        return 0; /* keep what was issued (nothing) */
    }
    if (issued)
        log_info("issued %d certificates for a bulk download", issued);
    return start_download(r, ids, n, x->fmt, x->base, x->name);
}

static void bulk_start(req *r, int64_t round_id, int64_t contest_id, const char *name)
{
    const char *ext = extension(r->url);
    int fmt = format_of(r, ext, 1, 0);
    if (fmt < 0 || !key_or_503(r))
        return;
    bulk_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        reply_error(r, 500, "internal", NULL, "Hết bộ nhớ");
        return;
    }
    x->fmt = fmt;
    x->round_id = round_id;
    x->contest_id = contest_id;
    snprintf(x->name, sizeof x->name, "%s", name);
    base_url(r, x->base, sizeof x->base);
    req_defer_alone(r, bulk_run, x, free);
}

void h_round_certificates(req *r)
{
    int64_t id = req_param_id(r, 0);
    if (id < 0) {
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy vòng thi");
        return;
    }
    char name[64];
    snprintf(name, sizeof name, "giay-chung-nhan-vong-%lld", (long long)id);
    bulk_start(r, id, 0, name);
}

void h_contest_certificates(req *r)
{
    sqlite3_stmt *st = db_stmt(db_reader(), Q_CONTEST_BY_KEY);
    if (!st) {
        reply_error(r, 503, "unavailable", NULL, "Không đọc được dữ liệu");
        return;
    }
    db_bind_text(st, 1, r->params[0]);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    if (!id) {
        reply_error(r, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
        return;
    }
    char name[96];
    snprintf(name, sizeof name, "giay-chung-nhan-%.64s", r->params[0]);
    bulk_start(r, 0, id, name);
}
