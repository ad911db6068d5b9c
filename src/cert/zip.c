#include "cert/zip.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct entry {
    char name[64];
    uint32_t crc;
    uint32_t size;
    uint32_t offset;
} entry;

struct cert_zip {
    entry *e;
    size_t n, cap;
    uint64_t offset;
    uint16_t dos_time, dos_date;
};

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t cert_crc32(const void *data, size_t len)
{
    pthread_once(&crc_once, crc_init);
    uint32_t c = 0xFFFFFFFFu;
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

cert_zip *cert_zip_new(int64_t mtime)
{
    cert_zip *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    time_t t = (time_t)(mtime + 7 * 3600); /* Vietnam, UTC+7 */
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_year < 80)
        tm.tm_year = 80;
    z->dos_time = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    z->dos_date = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
    return z;
}

static void le16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xFFFF);
    le16(p + 2, v >> 16);
}

int cert_zip_add(cert_zip *z, const char *name, const void *data, size_t len, buf *out)
{
    size_t nl = strlen(name);
    if (nl >= sizeof z->e[0].name || z->n >= 65535 ||
        z->offset + 30 + nl + len > 0xFFFFFFFFull)
        return -1;
    if (z->n == z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 64;
        entry *e = realloc(z->e, cap * sizeof *e);
        if (!e)
            return -1;
        z->e = e;
        z->cap = cap;
    }
    entry *e = &z->e[z->n];
    memcpy(e->name, name, nl + 1);
    e->crc = cert_crc32(data, len);
    e->size = (uint32_t)len;
    e->offset = (uint32_t)z->offset;
    unsigned char h[30];
    le32(h, 0x04034b50);
    le16(h + 4, 20);          /* version needed */
    le16(h + 6, 0x0800);      /* names are UTF-8 */
    le16(h + 8, 0);           /* stored */
    le16(h + 10, z->dos_time);
    le16(h + 12, z->dos_date);
    le32(h + 14, e->crc);
    le32(h + 18, e->size);
    le32(h + 22, e->size);
    le16(h + 26, (uint32_t)nl);
    le16(h + 28, 0);
    size_t before = out->len;
    if (buf_append(out, h, sizeof h) != 0 || buf_append(out, name, nl) != 0 ||
        buf_append(out, data, len) != 0) {
        out->len = before;
        return -1;
    }
    z->offset += sizeof h + nl + len;
    z->n++;
    return 0;
}

int cert_zip_finish(cert_zip *z, buf *out)
{
    uint64_t cd_start = z->offset, cd_size = 0;
    for (size_t i = 0; i < z->n; i++) {
        const entry *e = &z->e[i];
        size_t nl = strlen(e->name);
        unsigned char h[46];
        le32(h, 0x02014b50);
        le16(h + 4, (3 << 8) | 20); /* made by: Unix, 2.0 */
        le16(h + 6, 20);
        le16(h + 8, 0x0800);
        le16(h + 10, 0);
        le16(h + 12, z->dos_time);
        le16(h + 14, z->dos_date);
        le32(h + 16, e->crc);
        le32(h + 20, e->size);
        le32(h + 24, e->size);
        le16(h + 28, (uint32_t)nl);
        le16(h + 30, 0);
        le16(h + 32, 0);
        le16(h + 34, 0);
        le16(h + 36, 0);
        le32(h + 38, 0100644u << 16); /* a regular file, rw-r--r-- */
        le32(h + 42, e->offset);
        if (buf_append(out, h, sizeof h) != 0 || buf_append(out, e->name, nl) != 0)
            return -1;
        cd_size += sizeof h + nl;
    }
    if (cd_start + cd_size > 0xFFFFFFFFull)
        return -1;
    unsigned char end[22];
    le32(end, 0x06054b50);
    le16(end + 4, 0);
    le16(end + 6, 0);
    le16(end + 8, (uint32_t)z->n);
    le16(end + 10, (uint32_t)z->n);
    le32(end + 12, (uint32_t)cd_size);
    le32(end + 16, (uint32_t)cd_start);
    le16(end + 20, 0);
    if (buf_append(out, end, sizeof end) != 0)
        return -1;
    z->offset += cd_size + sizeof end;
    return 0;
}

void cert_zip_free(cert_zip *z)
{
    if (!z)
        return;
    free(z->e);
    free(z);
}
