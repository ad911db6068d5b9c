/* static: the web/ folder, loaded into memory at start-up and served from
 * there (no file-system access per request, so no path traversal). */
#ifndef CCHC_STATIC_H
#define CCHC_STATIC_H
#include <stddef.h>

typedef struct static_file {
    const char *path;   /* "/index.html" */
    const char *data;
    size_t len;
    const char *content_type;
    char etag[24];
} static_file;

/* Loads every regular file under dir (up to 4 MiB each). 0 or -1. */
int static_load(const char *dir);
/* The file for a URL path ("/" and "/x/" map to index.html), or NULL. */
const static_file *static_find(const char *path);
void static_free(void);

#endif
