#include "http/ratelimit.h"

#include <pthread.h>
#include <string.h>

#include "util/clock.h"

#define RL_SLOTS 4096

/* Burst and refill per class: register 20 then 1 every 3 s, login 10 then
 * 1 every 6 s, start 30 then 1 a second per address (many people share an
 * office address), and 10 then 1 every 2 s per participant; certificate
 * verification 60 then 2 a second per address. */
static const struct {
    double burst;
    double per_sec;
} rl_conf[RL_CLASSES] = {{20, 1.0 / 3}, {10, 1.0 / 6}, {30, 1.0}, {10, 0.5}, {60, 2.0}};

typedef struct {
    char ip[48];
    int cls;
    double tokens;
    double at_ms;
} rl_slot;

static rl_slot slots[RL_SLOTS];
static pthread_mutex_t locks[64] = {[0 ... 63] = PTHREAD_MUTEX_INITIALIZER};
static int enabled = 1;

void ratelimit_enable(int on)
{
    enabled = on;
}

static unsigned hash(const char *s, int cls)
{
    unsigned h = 2166136261u ^ (unsigned)cls;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int ratelimit_check(rl_class cls, const char *ip)
{
    if (!enabled)
        return 0;
    unsigned h = hash(ip, (int)cls);
    rl_slot *s = &slots[h % RL_SLOTS];
    pthread_mutex_t *mu = &locks[h % 64];
    double now = clock_mono_ms();
    int wait = 0;
    pthread_mutex_lock(mu);
    if (s->cls != (int)cls || strncmp(s->ip, ip, sizeof s->ip) != 0) {
        /* A new address takes the slot over (a collision only forgives). */
        strncpy(s->ip, ip, sizeof s->ip - 1);
        s->ip[sizeof s->ip - 1] = '\0';
        s->cls = (int)cls;
        s->tokens = rl_conf[cls].burst;
        s->at_ms = now;
    }
    s->tokens += (now - s->at_ms) / 1000.0 * rl_conf[cls].per_sec;
    if (s->tokens > rl_conf[cls].burst)
        s->tokens = rl_conf[cls].burst;
    s->at_ms = now;
    if (s->tokens >= 1.0) {
        s->tokens -= 1.0;
    } else {
        wait = (int)((1.0 - s->tokens) / rl_conf[cls].per_sec) + 1;
    }
    pthread_mutex_unlock(mu);
    return wait;
}

/* ---- login lockout ---- */

#define LOCK_SLOTS 1024

typedef struct {
    char user[64];
    int failures;
    double locked_until_ms;
} lock_slot;

static lock_slot lock_slots[LOCK_SLOTS];
static pthread_mutex_t lock_mu = PTHREAD_MUTEX_INITIALIZER;

static lock_slot *lock_find(const char *user, int create)
{
    lock_slot *s = &lock_slots[hash(user, 99) % LOCK_SLOTS];
    if (strncmp(s->user, user, sizeof s->user) == 0)
        return s;
    if (!create)
        return NULL;
    memset(s, 0, sizeof *s);
    strncpy(s->user, user, sizeof s->user - 1);
    return s;
}

int ratelimit_login_locked(const char *username)
{
    pthread_mutex_lock(&lock_mu);
    lock_slot *s = lock_find(username, 0);
    double now = clock_mono_ms();
    int wait = s && s->locked_until_ms > now ? (int)((s->locked_until_ms - now) / 1000) + 1 : 0;
    pthread_mutex_unlock(&lock_mu);
    return wait;
}

void ratelimit_login_failed(const char *username)
{
    pthread_mutex_lock(&lock_mu);
    lock_slot *s = lock_find(username, 1);
    if (++s->failures >= RL_LOCKOUT_FAILURES) {
        s->locked_until_ms = clock_mono_ms() + RL_LOCKOUT_SECONDS * 1000.0;
        s->failures = 0;
    }
    pthread_mutex_unlock(&lock_mu);
}

void ratelimit_login_succeeded(const char *username)
{
    pthread_mutex_lock(&lock_mu);
    lock_slot *s = lock_find(username, 0);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&lock_mu);
}
