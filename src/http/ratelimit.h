/* ratelimit: per-address token buckets for the routes that invite abuse. */
#ifndef CCHC_RATELIMIT_H
#define CCHC_RATELIMIT_H

typedef enum { RL_REGISTER = 0, RL_LOGIN = 1, RL_START = 2, RL_CLASSES = 3 } rl_class;

void ratelimit_enable(int on);
/* 0 if allowed; otherwise the number of seconds to wait. */
int ratelimit_check(rl_class cls, const char *ip);

#endif
