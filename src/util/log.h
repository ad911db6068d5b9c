/* log: leveled diagnostics to stderr and the access log (one line a request). */
#ifndef CCHC_LOG_H
#define CCHC_LOG_H
#include <stdio.h>

typedef enum { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 } log_level;

void log_set_level(log_level lvl);
/* Parses "error", "warn", "info", "debug"; -1 when unknown. */
int log_level_from_name(const char *name);
/* Sets the access-log stream (NULL turns it off). Not owned. */
void log_set_access(FILE *f);
void log_msg(log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_access(const char *ip, const char *method, const char *path, int status, double ms);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
