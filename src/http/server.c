#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "db/db.h"
#include "http/http.h"
#include "http/offload.h"
#include "http/ratelimit.h"
#include "http/sse.h"
#include "http/routes.h"
#include "http/static.h"
#include "util/clock.h"
#include "util/log.h"

enum { ST_NEW = 0, ST_BODY, ST_DEFERRED, ST_READY };

/* Requests whose connection is suspended while the writer or the offload
 * thread works for them. Stopping waits for these: libmicrohttpd must not be
 * stopped with a connection suspended. Once stopping is set no more are
 * suspended (the request is counted before the flag is read). */
static atomic_int g_in_flight;
static atomic_int g_stopping;

#define JSON_MAX_DEPTH 32

static server_config g_cfg;

const server_config *server_cfg(void)
{
    return &g_cfg;
}

/* ---- small request helpers used by the handlers ---- */

const char *req_arg(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int64_t req_param_id(req *r, int i)
{
    if (i >= r->nparams)
        return -1;
    const char *s = r->params[i];
    int64_t v = 0;
    if (!*s || strlen(s) > 15)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v > 0 ? v : -1;
}

static void drop_stream(req *r)
{
    if (r->stream_read && r->stream_free)
        r->stream_free(r->stream_cls);
    r->stream_read = NULL;
    r->stream_cls = NULL;
    r->stream_free = NULL;
}

void reply_stream(req *r, int status, const char *content_type,
                  long (*read)(void *cls, char *out, size_t max), void *cls,
                  void (*free_cls)(void *cls))
{
    free(r->reply);
    r->reply = NULL;
    r->reply_len = 0;
    drop_stream(r);
    r->status = status;
    r->content_type = content_type;
    r->stream_read = read;
    r->stream_cls = cls;
    r->stream_free = free_cls;
}

void reply_take(req *r, int status, const char *content_type, char *body, size_t len)
{
    drop_stream(r);
    free(r->reply);
    r->status = status;
    r->content_type = content_type;
    r->reply = body;
    r->reply_len = len;
}

void reply_json_new(req *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!s) {
        reply_error(r, 500, "internal", NULL, "Lỗi máy chủ");
        return;
    }
    reply_take(r, status, "application/json; charset=utf-8", s, strlen(s));
}

void reply_error(req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *err = json_pack("{s:s, s:s, s:o}", "code", code, "message", msg, "field",
                            field ? json_string(field) : json_null());
    json_t *body = json_pack("{s:o}", "error", err);
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    reply_take(r, status, "application/json; charset=utf-8", s, s ? strlen(s) : 0);
}

void reply_header(req *r, const char *name, const char *value)
{
    for (int i = 0; i < 2; i++) {
        if (!r->extra_header[i][0]) {
            snprintf(r->extra_header[i], sizeof r->extra_header[i], "%s: %s", name, value);
            return;
        }
    }
}

/* ---- deferred work ---- */

static int job_run(writer_job *job, db_conn *c)
{
    req *r = job->ctx;
    return r->defer_run(r, c);
}

static void job_done(writer_job *job, int committed)
{
    req *r = job->ctx;
    if (!committed) {
        r->after_commit = NULL;
        reply_error(r, 503, "unavailable", NULL,
                    "Máy chủ tạm thời không ghi được dữ liệu (bộ nhớ lưu trữ đầy hoặc đang bảo "
                    "trì); thao tác chưa được lưu, vui lòng thử lại sau ít phút");
    } else if (!r->reply && !r->stream_read && !r->after_commit)
        reply_error(r, 500, "internal", NULL, "Lỗi máy chủ");
    r->state = ST_READY;
    MHD_resume_connection(r->conn);
    atomic_fetch_sub(&g_in_flight, 1);
}

void req_after_commit(req *r, void (*fn)(req *r))
{
    r->after_commit = fn;
}

void req_defer_alone(req *r, int (*run)(req *r, db_conn *c), void *ctx,
                     void (*ctx_free)(void *))
{
    req_defer(r, run, ctx, ctx_free);
    r->job.alone = 1;
}

void req_defer(req *r, int (*run)(req *r, db_conn *c), void *ctx, void (*ctx_free)(void *))
{
    r->defer_run = run;
    r->ctx = ctx;
    r->ctx_free = ctx_free;
    r->job.run = job_run;
    r->job.done = job_done;
    r->job.ctx = r;
    r->state = ST_DEFERRED;
}

/* ---- pausing streams, and background work ---- */

void reply_callback(req *r, int status, const char *content_type, reply_read_fn read, void *cls,
                    void (*cls_free)(void *cls))
{
    r->status = status;
    r->content_type = content_type;
    r->reply_read = read;
    r->reply_cls = cls;
    r->reply_cls_free = cls_free;
}

void *req_connection(req *r)
{
    return r->conn;
}

typedef struct pause_stream {
    reply_read_fn read;
    void *cls;
    void (*cls_free)(void *cls);
} pause_stream;

static ssize_t pause_stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    pause_stream *h = cls;
    return (ssize_t)h->read(h->cls, pos, out, max);
}

static void pause_stream_free(void *cls)
{
    pause_stream *h = cls;
    if (h->cls_free)
        h->cls_free(h->cls);
    free(h);
}

static void offload_job(void *arg)
{
    req *r = arg;
    db_conn *c = db_reader();
    if (!c)
        reply_error(r, 503, "unavailable", NULL, "Cơ sở dữ liệu tạm thời không truy cập được");
    else
        r->offload_run(r, c);
    if (!r->reply && !r->stream_read && !r->reply_read)
        reply_error(r, 500, "internal", NULL, "Lỗi máy chủ");
    r->state = ST_READY;
    MHD_resume_connection(r->conn);
    atomic_fetch_sub(&g_in_flight, 1);
}

void req_offload(req *r, void (*run)(req *r, db_conn *c), void *ctx, void (*ctx_free)(void *))
{
    r->offload_run = run;
    r->ctx = ctx;
    r->ctx_free = ctx_free;
    r->offload = 1;
    r->state = ST_DEFERRED;
}

/* ---- sending ---- */

/* The response's own copy of a streamed reply's state. */
typedef struct stream_ctx {
    long (*read)(void *cls, char *out, size_t max);
    void *cls;
    void (*free)(void *cls);
} stream_ctx;

static ssize_t stream_reader(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    stream_ctx *s = cls;
    long n = s->read(s->cls, out, max);
    if (n > 0)
        return (ssize_t)n;
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_release(void *cls)
{
    stream_ctx *s = cls;
    if (s->free)
        s->free(s->cls);
    free(s);
}

/* The Date header (RFC 9110 5.6.7), formatted once a second per thread:
 * libmicrohttpd's own calls gmtime_r, which takes glibc's time-zone lock,
 * for every reply; it is told not to (MHD_USE_SUPPRESS_DATE_NO_CLOCK). */
static void add_date(struct MHD_Response *resp)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static _Thread_local time_t last = -1;
    static _Thread_local char value[64];
    time_t t = time(NULL);
    if (t != last) {
        struct tm tm;
        gmtime_r(&t, &tm);
        snprintf(value, sizeof value, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
                 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                 tm.tm_sec);
        last = t;
    }
    MHD_add_response_header(resp, "Date", value);
}

static enum MHD_Result send_reply(req *r)
{
    struct MHD_Response *resp;
    if (r->reply_read) {
        pause_stream *h = malloc(sizeof *h);
        if (!h)
            return MHD_NO;
        *h = (pause_stream){r->reply_read, r->reply_cls, r->reply_cls_free};
        r->reply_read = NULL;
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, pause_stream_read,
                                                 h, pause_stream_free);
        if (!resp) {
            pause_stream_free(h);
            return MHD_NO;
        }
    } else if (r->stream_read) {
        stream_ctx *s = malloc(sizeof *s);
        if (!s)
            return MHD_NO;
        s->read = r->stream_read;
        s->cls = r->stream_cls;
        s->free = r->stream_free;
        r->stream_read = NULL;
        r->stream_cls = NULL;
        r->stream_free = NULL;
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_reader, s,
                                                 stream_release);
        if (!resp) {
            stream_release(s);
            return MHD_NO;
        }
    } else if (!r->reply) {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_buffer(r->reply_len, r->reply, MHD_RESPMEM_MUST_FREE);
        r->reply = NULL;
    }
    if (!resp)
        return MHD_NO;
    add_date(resp);
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->set_cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    for (int i = 0; i < 2; i++) {
        char *colon = strchr(r->extra_header[i], ':');
        if (!colon)
            continue;
        *colon = '\0';
        MHD_add_response_header(resp, r->extra_header[i], colon + 2);
    }
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_static(req *r, const static_file *sf)
{
    const char *inm = req_header(r, "If-None-Match");
    int not_modified = inm && strcmp(inm, sf->etag) == 0;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        not_modified ? 0 : sf->len, (void *)sf->data, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    add_date(resp);
    MHD_add_response_header(resp, "Content-Type", sf->content_type);
    MHD_add_response_header(resp, "ETag", sf->etag);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (strncmp(sf->content_type, "text/html", 9) == 0) {
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; "
                                "frame-ancestors 'none'; base-uri 'none'");
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    }
    r->status = not_modified ? 304 : 200;
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- client address ---- */

static void client_ip(struct MHD_Connection *conn, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "-");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
                      (socklen_t)n);
    }
    if (!g_cfg.trusted_proxy || strcmp(out, g_cfg.trusted_proxy) != 0)
        return;
    /* Behind our proxy: the last address it appended is the client's. */
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s", last);
    tmp[strcspn(tmp, " ")] = '\0';
    unsigned char bin[16];
    if (inet_pton(AF_INET, tmp, bin) == 1 || inet_pton(AF_INET6, tmp, bin) == 1)
        snprintf(out, n, "%s", tmp);
}

/* Deepest nesting of arrays and objects in a JSON text (strings skipped),
 * stopping early past limit: the parser is not given deeply nested input. */
static int json_depth_over(const char *p, size_t n, int limit)
{
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            if (++depth > limit)
                return 1;
        } else if (ch == ']' || ch == '}') {
            depth--;
        }
    }
    return 0;
}

/* ---- preconditions: auth, role, CSRF, rate, body ---- */

static int check_preconditions(req *r)
{
    const route *rt = r->route;
    db_conn *c = db_reader();
    if (!c) {
        reply_error(r, 503, "unavailable", NULL, "Cơ sở dữ liệu tạm thời không truy cập được");
        return -1;
    }
    const char *cookie = req_cookie(r, "cchc_session");
    if (cookie && auth_staff(c, cookie, &r->staff) != 0)
        memset(&r->staff, 0, sizeof r->staff);
    if (rt->roles & ROLE_PARTICIPANT) {
        if (auth_participant(c, req_header(r, "Authorization"), &r->who) != 0) {
            reply_error(r, 401, "unauthorized", NULL,
                        "Phiên dự thi không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại");
            return -1;
        }
    } else if (rt->roles & ROLE_STAFF) {
        if (!r->staff.role) {
            reply_error(r, 401, "unauthorized", NULL, "Vui lòng đăng nhập");
            return -1;
        }
        unsigned have = r->staff.role;
        if (have == ROLE_ADMIN)
            have |= ROLE_ORGANISER; /* an admin can do what an organiser can */
        if (!(rt->roles & have)) {
            reply_error(r, 403, "forbidden", NULL, "Tài khoản không có quyền thực hiện thao tác này");
            return -1;
        }
        if (strcmp(r->method, "GET") != 0) {
            const char *tok = req_header(r, "X-CSRF-Token");
            size_t want = strlen(r->staff.csrf);
            if (!tok || want == 0 || strlen(tok) != want ||
                sodium_memcmp(tok, r->staff.csrf, want) != 0) {
                reply_error(r, 403, "forbidden", "X-CSRF-Token", "Thiếu hoặc sai mã chống giả mạo (CSRF)");
                return -1;
            }
        }
    }
    static const struct {
        unsigned flag;
        rl_class cls;
    } limits[] = {{RF_RL_REGISTER, RL_REGISTER},
                  {RF_RL_LOGIN, RL_LOGIN},
                  {RF_RL_START, RL_START},
                  {RF_RL_VERIFY, RL_VERIFY}};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        if (!(rt->flags & limits[i].flag))
            continue;
        int wait = ratelimit_check(limits[i].cls, r->ip);
        if (wait > 0) {
            char ra[16];
            snprintf(ra, sizeof ra, "%d", wait);
            reply_header(r, "Retry-After", ra);
            reply_error(r, 429, "rate_limited", NULL,
                        "Quá nhiều yêu cầu từ địa chỉ này, vui lòng thử lại sau %d giây", wait);
            return -1;
        }
    }
    if (rt->flags & RF_JSON) {
        if (r->body.len == 0) {
            r->json = json_object();
        } else if (json_depth_over(r->body.data, r->body.len, JSON_MAX_DEPTH)) {
            reply_error(r, 400, "bad_json", NULL,
                        "Dữ liệu JSON lồng nhau quá sâu (tối đa %d cấp)", JSON_MAX_DEPTH);
            return -1;
        } else {
            json_error_t e;
            r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &e);
            if (!r->json) {
                reply_error(r, 400, "bad_json", NULL,
                            "Dữ liệu JSON không hợp lệ (dòng %d, cột %d): %s", e.line, e.column,
                            e.text);
                return -1;
            }
            if (!json_is_object(r->json)) {
                reply_error(r, 400, "bad_json", NULL, "Dữ liệu gửi lên phải là một đối tượng JSON");
                return -1;
            }
        }
    }
    return 0;
}

/* ---- the access handler ---- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        r->t0 = clock_mono_ms();
        r->conn = conn;
        r->method = method;
        r->url = url;
        client_ip(conn, r->ip, sizeof r->ip);
        char allow[64];
        r->route = routes_match(method, url, r, allow, sizeof allow);
        size_t limit = route_body_max(r->route);
        buf_init(&r->body, limit ? limit : 1024);
        if (!r->route && strncmp(url, "/api/", 5) != 0 &&
            (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
            const static_file *sf = static_find(url);
            if (sf)
                return send_static(r, sf);
        }
        if (!r->route) {
            if (allow[0]) {
                reply_header(r, "Allow", allow);
                reply_error(r, 405, "method_not_allowed", NULL,
                            "Phương thức %s không được hỗ trợ ở địa chỉ này", method);
            } else {
                reply_error(r, 404, "not_found", NULL, "Không tìm thấy địa chỉ yêu cầu");
            }
            r->state = ST_READY;
            return MHD_YES;
        }
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > (limit ? limit : 1024)) {
            r->too_large = 1;
            reply_error(r, 413, "too_large", NULL,
                        "Dữ liệu gửi lên quá lớn (tối đa %zu byte)", limit);
            r->state = ST_READY;
            return send_reply(r);
        }
        r->state = ST_BODY;
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->state == ST_BODY && !r->too_large &&
            buf_append(&r->body, upload_data, *upload_size) != 0) {
            r->too_large = 1;
            reply_error(r, 413, "too_large", NULL, "Dữ liệu gửi lên quá lớn (tối đa %zu byte)",
                        route_body_max(r->route));
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->state == ST_READY && r->after_commit) {
        void (*fn)(req *r) = r->after_commit;
        r->after_commit = NULL;
        fn(r);
        if (!r->reply && !r->stream_read)
            reply_error(r, 500, "internal", NULL, "Lỗi máy chủ");
    }
    if (r->state == ST_READY || r->too_large)
        return send_reply(r);
    if (r->state == ST_DEFERRED)
        return MHD_YES; /* woken before the writer finished: keep waiting */
    /* what a request reads on this thread is one snapshot, one set of locks */
    db_conn *reader = db_reader();
    if (reader)
        db_read_begin(reader);
    if (check_preconditions(r) == 0)
        r->route->handler(r);
    if (reader)
        db_read_end(reader);
    if (r->state == ST_DEFERRED) {
        atomic_fetch_add(&g_in_flight, 1);
        if (atomic_load(&g_stopping)) {
            atomic_fetch_sub(&g_in_flight, 1);
            r->state = ST_READY;
            r->after_commit = NULL;
            reply_error(r, 503, "unavailable", NULL, "Máy chủ đang dừng, vui lòng thử lại sau");
            return send_reply(r);
        }
        MHD_suspend_connection(conn);
        if (r->offload)
            offload_submit(offload_job, r);
        else
            writer_submit(&r->job);
        return MHD_YES;
    }
    return send_reply(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    req *r = *con_cls;
    if (!r)
        return;
    log_access(r->ip, r->method, r->url, r->status, clock_mono_ms() - r->t0);
    if (r->ctx_free)
        r->ctx_free(r->ctx);
    drop_stream(r);
    if (r->reply_read && r->reply_cls_free)
        r->reply_cls_free(r->reply_cls);
    json_decref(r->json);
    buf_free(&r->body);
    free(r->reply);
    free(r);
    *con_cls = NULL;
}

/* ---- running ---- */

/* libmicrohttpd's own messages, into the log. A client that goes away from a
 * stream (an event stream viewer closing the page) is no error. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    if (strstr(msg, "socket is no longer available") || strstr(msg, "Socket disconnected"))
        log_debug("http: %s", msg);
    else
        log_warn("http: %s", msg);
}

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

int server_run(const server_config *cfg)
{
    g_cfg = *cfg;
    if (static_load(cfg->web_dir) != 0)
        return -1;
    db_set_reader_path(cfg->db_path);
    ratelimit_enable(cfg->rate_limits);
    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 2;
    }
    /* A pool of one is libmicrohttpd's single internal thread, which stops
     * answering API requests on keep-alive connections when exactly 256 are
     * busy (0.9.75, measured: 250 and 260 were served at 150,000/s, 256 at
     * under 100/s). A pool of two on one CPU costs nothing; always a pool. */
    if (threads < 2)
        threads = 2;
    if (cfg->per_ip_limit && cfg->trusted_proxy)
        log_warn("--per-ip-limit %u counts the connections of the proxy %s as one address: "
                 "all clients together get %u; cap each client at the proxy instead "
                 "(nginx limit_conn, scripts/deploy/nginx.conf)",
                 cfg->per_ip_limit, cfg->trusted_proxy, cfg->per_ip_limit);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)cfg->port);
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    if (cfg->bind && inet_pton(AF_INET, cfg->bind, &sin.sin_addr) != 1) {
        log_error("--bind %s: not an IPv4 address", cfg->bind);
        return -1;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_USE_SUPPRESS_DATE_NO_CLOCK;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit ? cfg->conn_limit : 20000u,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s ? cfg->timeout_s : 30u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        log_error("cannot listen on port %d", cfg->port);
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sse_start();
    log_info("serving on http://%s:%d/ (%u threads, database %s)",
             cfg->bind ? cfg->bind : "localhost", cfg->port, threads, cfg->db_path);
    while (!g_stop)
        pause();
    log_info("stopping");
    atomic_store(&g_stopping, 1);
    sse_stop();
    /* let the writer and the offload thread answer what they hold */
    for (int i = 0; atomic_load(&g_in_flight) > 0 && i < 600; i++)
        usleep(50 * 1000);
    if (atomic_load(&g_in_flight) > 0)
        log_warn("stopping with %d requests still in the writer's hands",
                 atomic_load(&g_in_flight));
    offload_stop();
    MHD_stop_daemon(d);
    static_free();
    return 0;
}
