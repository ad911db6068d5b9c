/* http: the request object handlers see, the route table's shape and the
 * replies. One req is allocated on the first access-handler call for a
 * connection's request and freed only in the completion callback; everything
 * hung on it (body, parsed JSON, reply) is freed with it. */
#ifndef CCHC_HTTP_H
#define CCHC_HTTP_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/writer.h"
#include "util/buf.h"

/* Who may call a route. A route with no role flag is public. */
enum {
    ROLE_PARTICIPANT = 1 << 0, /* Bearer token of a registered participant */
    ROLE_JUDGE = 1 << 1,
    ROLE_ORGANISER = 1 << 2,
    ROLE_ADMIN = 1 << 3,
    ROLE_REPORTER = 1 << 4, /* an agency's plan reporter: staff_user.agency is set */
};
#define ROLE_STAFF (ROLE_JUDGE | ROLE_ORGANISER | ROLE_ADMIN | ROLE_REPORTER)

/* Route preconditions, checked before the handler runs. */
enum {
    RF_JSON = 1 << 0,       /* the body must be a JSON object (empty body = {}) */
    RF_RAW = 1 << 1,        /* the body is kept raw (bank uploads) */
    RF_RL_REGISTER = 1 << 2,/* per-address rate limit classes */
    RF_RL_LOGIN = 1 << 3,
    RF_RL_START = 1 << 4,
    RF_RL_VERIFY = 1 << 5,  /* certificate verification (page and JSON) */
    RF_BANK_BODY = 1 << 6,  /* body limit from serve --bank-max-mb (bank uploads) */
};

#define ROUTE_MAX_PARAMS 3

typedef struct req req;
typedef void (*route_fn)(req *r);
/* Produces a streamed body: writes at most max bytes to out and returns how
 * many; 0 when nothing is ready (the function must then have suspended the
 * connection: see http/sse.c); REPLY_READ_END at the end, REPLY_READ_ERROR to
 * abort. The values are libmicrohttpd's. */
typedef long (*reply_read_fn)(void *cls, uint64_t pos, char *out, size_t max);
#define REPLY_READ_END (-1L)
#define REPLY_READ_ERROR (-2L)

typedef struct route {
    const char *method;
    const char *pattern;   /* "/api/rounds/{}/attempts": {} matches one segment */
    unsigned roles;        /* 0: public */
    unsigned flags;
    size_t body_max;       /* bytes; 0: no body accepted */
    route_fn handler;
} route;

typedef struct staff_user {
    int64_t id;
    char username[64];
    unsigned role;         /* one ROLE_* flag */
    char csrf[80];
    char agency[72];       /* ROLE_REPORTER: the plan agency it reports for */
} staff_user;

typedef struct participant_auth {
    int64_t id;
    int64_t contest_id;
    int track;
    int64_t unit_id;
} participant_auth;

struct req {
    /* request */
    const route *route;
    const char *method;
    const char *url;
    char params[ROUTE_MAX_PARAMS][96];
    int nparams;
    char ip[64];
    buf body;
    json_t *json;          /* parsed body for RF_JSON routes; owned */
    participant_auth who;  /* set for ROLE_PARTICIPANT routes */
    staff_user staff;      /* set when a staff session cookie is valid */
    void *conn;            /* struct MHD_Connection * */
    /* reply */
    int status;
    char *reply;           /* owned */
    size_t reply_len;
    const char *content_type;
    char set_cookie[256];
    char extra_header[2][160];
    /* streamed reply (reply_stream); the state is owned by the request until
     * the response takes it over */
    long (*stream_read)(void *cls, char *out, size_t max);
    void *stream_cls;
    void (*stream_free)(void *cls);
    /* a body produced as the client takes it that may pause (reply_callback) */
    reply_read_fn reply_read;
    void *reply_cls;
    void (*reply_cls_free)(void *cls);
    /* deferred work (writer) */
    writer_job job;
    int (*defer_run)(req *r, db_conn *c);
    void (*offload_run)(req *r, db_conn *c);
    int offload;
    void (*after_commit)(req *r); /* see req_after_commit */
    void *ctx;             /* handler's context for a deferred job */
    void (*ctx_free)(void *ctx);
    int state;
    int too_large;
    double t0;
};

/* Query-string argument of the request, or NULL. */
const char *req_arg(req *r, const char *name);
/* Cookie of the request, or NULL. */
const char *req_cookie(req *r, const char *name);
/* Request header, or NULL. */
const char *req_header(req *r, const char *name);
/* Path parameter i parsed as a positive integer; -1 if not one. */
int64_t req_param_id(req *r, int i);

/* Replies with a JSON value (reference stolen). */
void reply_json_new(req *r, int status, json_t *body);
/* Replies with a body built elsewhere (taken over, must be malloc'ed). */
void reply_take(req *r, int status, const char *content_type, char *body, size_t len);
/* Replies {"error": {code, message, field}}; field may be NULL. */
void reply_error(req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Replies with a body produced while it is sent (chunked): read(cls, out,
 * max) returns bytes written (> 0), 0 at the end, or -1 to abort the
 * connection. cls is taken over and released with free_cls (may be NULL),
 * also when the reply is replaced by another (reply_*) or never sent. */
void reply_stream(req *r, int status, const char *content_type,
                  long (*read)(void *cls, char *out, size_t max), void *cls,
                  void (*free_cls)(void *cls));
/* Adds a response header (at most two per request). */
void reply_header(req *r, const char *name, const char *value);

/* Like reply_stream, but read may also answer 0 for "nothing yet" after
 * suspending the connection (server-sent events, http/sse.c); cls is given
 * to cls_free (may be NULL) when the response is destroyed. */
void reply_callback(req *r, int status, const char *content_type, reply_read_fn read, void *cls,
                    void (*cls_free)(void *cls));
/* The libmicrohttpd connection of r (struct MHD_Connection *), for streams
 * that suspend and resume it. */
void *req_connection(req *r);

/* Runs run(r, c) on the background thread (http/offload.c) with that thread's
 * read-only connection c, for reads too long for an HTTP worker thread
 * (exports, question statistics); the connection is suspended meanwhile and
 * run must reply. ctx is freed with ctx_free when the request completes. */
void req_offload(req *r, void (*run)(req *r, db_conn *c), void *ctx, void (*ctx_free)(void *));

/* Hands work to the writer thread. The connection is suspended; run() executes
 * in the writer's batch transaction and must reply (reply_*) on success; if the
 * batch does not commit the client gets 503. ctx is freed with ctx_free (may be
 * NULL) when the request completes. */
void req_defer(req *r, int (*run)(req *r, db_conn *c), void *ctx, void (*ctx_free)(void *));
/* The same for a long write (an import, a regrade, a bulk issue): the writer
 * runs it in a transaction of its own (writer_job.alone). */
void req_defer_alone(req *r, int (*run)(req *r, db_conn *c), void *ctx,
                     void (*ctx_free)(void *));
/* From a deferred run(): instead of replying there, reply with fn(r) on the
 * HTTP thread once the batch has committed (work that needs no writer, kept
 * off it). Without a commit the client gets the 503 and fn is not called. */
void req_after_commit(req *r, void (*fn)(req *r));

#endif
