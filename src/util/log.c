#include "util/log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"

static log_level g_level = LOG_INFO;
static FILE *g_access = NULL;

void log_set_level(log_level lvl)
{
    g_level = lvl;
}

int log_level_from_name(const char *name)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

void log_set_access(FILE *f)
{
    g_access = f;
}

void log_msg(log_level lvl, const char *fmt, ...)
{
    static const char *tags[] = {"error", "warn", "info", "debug"};
    if (lvl > g_level)
        return;
    char ts[40];
    clock_iso_utc(clock_now_ms(), ts, sizeof ts);
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %s: %s\n", ts, tags[lvl], line);
}

void log_access(const char *ip, const char *method, const char *path, int status, double ms)
{
    if (!g_access)
        return;
    char ts[40];
    clock_iso_utc(clock_now_ms(), ts, sizeof ts);
    fprintf(g_access, "%s %s %s %s %d %.2fms\n", ts, ip ? ip : "-", method, path, status, ms);
}
