/* ratelimit: per-address token buckets for the routes that invite abuse. */
#ifndef CCHC_RATELIMIT_H
#define CCHC_RATELIMIT_H

typedef enum {
    RL_REGISTER = 0, /* per address */
    RL_LOGIN = 1,    /* per address */
    RL_START = 2,    /* per address */
    RL_START_ACCOUNT = 3, /* per participant */
    RL_VERIFY = 4,   /* per address: certificate verification */
    RL_CLASSES = 5
} rl_class;

#define RL_LOCKOUT_FAILURES 5
#define RL_LOCKOUT_SECONDS (15 * 60)

void ratelimit_enable(int on);
/* 0 if allowed; otherwise the number of seconds to wait. */
int ratelimit_check(rl_class cls, const char *ip);

/* Login lockout per account: after RL_LOCKOUT_FAILURES failed logins in a
 * row, the account is locked for RL_LOCKOUT_SECONDS. */
/* Seconds the account is still locked, or 0. */
int ratelimit_login_locked(const char *username);
void ratelimit_login_failed(const char *username);
void ratelimit_login_succeeded(const char *username);

#endif
