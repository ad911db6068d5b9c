#include "http/static.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/log.h"

#define STATIC_MAX_FILES 512
#define STATIC_MAX_SIZE (4u << 20)

static static_file files[STATIC_MAX_FILES];
static int nfiles;

static const char *content_type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static int load_file(const char *full, const char *urlpath)
{
    if (nfiles >= STATIC_MAX_FILES) {
        log_warn("static: more than %d files, %s skipped", STATIC_MAX_FILES, full);
        return 0;
    }
    FILE *f = fopen(full, "rb");
    if (!f)
        return -1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size > (off_t)STATIC_MAX_SIZE) {
        fclose(f);
        log_warn("static: %s skipped (too large)", full);
        return 0;
    }
    char *data = malloc((size_t)st.st_size + 1);
    size_t n = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!data || n != (size_t)st.st_size) {
        free(data);
        return -1;
    }
    static_file *sf = &files[nfiles++];
    sf->path = strdup(urlpath);
    sf->data = data;
    sf->len = n;
    sf->content_type = content_type_of(urlpath);
    unsigned long long h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)data[i]) * 1099511628211ull;
    snprintf(sf->etag, sizeof sf->etag, "\"%016llx\"", h);
    return 0;
}

static int load_dir(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char full[1024], url[512];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        snprintf(url, sizeof url, "%s/%s", prefix, e->d_name);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc |= load_dir(full, url);
        else if (S_ISREG(st.st_mode))
            rc |= load_file(full, url);
    }
    closedir(d);
    return rc;
}

int static_load(const char *dir)
{
    static_free();
    if (load_dir(dir, "") != 0) {
        log_error("static: cannot read %s", dir);
        return -1;
    }
    log_info("static: %d files from %s", nfiles, dir);
    return 0;
}

const static_file *static_find(const char *path)
{
    char want[512];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof want - 16)
        return NULL;
    if (path[n - 1] == '/')
        snprintf(want, sizeof want, "%sindex.html", path);
    else
        snprintf(want, sizeof want, "%s", path);
    for (int i = 0; i < nfiles; i++)
        if (strcmp(files[i].path, want) == 0)
            return &files[i];
    return NULL;
}

void static_free(void)
{
    for (int i = 0; i < nfiles; i++) {
        free((void *)files[i].path);
        free((void *)files[i].data);
    }
    nfiles = 0;
}
