/* buf: a growable byte buffer with a size ceiling (after curl's dynbuf).
 * The buffer owns its memory; buf_free releases it. Appends fail (return -1)
 * when memory runs out or the ceiling would be passed; the content is then
 * left as it was before the failed call. */
#ifndef CCHC_BUF_H
#define CCHC_BUF_H
#include <stddef.h>
#include <stdarg.h>

typedef struct buf {
    char *data;    /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t max;    /* 0: no ceiling */
} buf;

void buf_init(buf *b, size_t max);
void buf_free(buf *b);
void buf_reset(buf *b);
/* Makes room for extra more bytes now, so that later appends do not move
 * the data; -1 past the ceiling or out of memory. */
int buf_grow(buf *b, size_t extra);
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
int buf_json_str(buf *b, const char *s);
/* Hands the data over to the caller (who frees it) and resets the buffer. */
char *buf_steal(buf *b, size_t *len);

#endif
