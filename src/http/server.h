/* server: libmicrohttpd daemon, request life cycle, route dispatch with role,
 * size and rate checks, static files, access log. */
#ifndef CCHC_SERVER_H
#define CCHC_SERVER_H
#include <stddef.h>
#include <stdint.h>

typedef struct server_config {
    int port;
    const char *bind;          /* NULL: all addresses */
    const char *db_path;
    const char *web_dir;
    const char *base_url;      /* public base URL for links and QR codes */
    const char *trusted_proxy; /* X-Forwarded-For is believed only from this peer */
    unsigned threads;          /* 0: number of CPUs */
    unsigned conn_limit;
    unsigned per_ip_limit;     /* 0: no per-address cap */
    unsigned timeout_s;
    int rate_limits;           /* 0 turns the per-address rate limits off (benchmarks) */
    size_t bank_body_max;      /* bank uploads, bytes; 0: the route table's 10 MiB */
} server_config;

/* Serves until SIGINT or SIGTERM. Returns 0 on a clean stop, -1 if it could
 * not start (reason logged). */
int server_run(const server_config *cfg);
/* The running configuration (for handlers). */
const server_config *server_cfg(void);

#endif
