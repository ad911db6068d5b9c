/* err: what a service function tells its caller when it refuses: the HTTP
 * status to answer, a stable code, the field at fault and a message for the
 * person (Vietnamese). */
#ifndef CCHC_ERR_H
#define CCHC_ERR_H
#include <stdio.h>

typedef struct app_err {
    int status;
    const char *code;
    const char *field;
    char msg[400];
} app_err;

#define APP_ERR(e, st, cd, fld, ...)                                  \
    do {                                                              \
        (e)->status = (st);                                           \
        (e)->code = (cd);                                             \
        (e)->field = (fld);                                           \
        snprintf((e)->msg, sizeof (e)->msg, __VA_ARGS__);             \
    } while (0)

#endif
