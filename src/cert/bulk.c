#include "cert/bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert/render.h"
#include "cert/store.h"
#include "cert/zip.h"
#include "util/clock.h"
#include "util/log.h"

struct cert_bulk {
    int64_t *ids;
    size_t n, next;
    cert_format fmt;
    char base[CERT_BASE_MAX];
    char title[256];
    buf out;
    cert_pdf *pdf;
    cert_zip *zip;
    int finished;
    cert_record rec;
    cert_doc doc;
    buf png;
};

cert_bulk *cert_bulk_new(int64_t *ids, size_t n, cert_format fmt, const char *base_url,
                         const char *title)
{
    cert_bulk *b = calloc(1, sizeof *b);
    if (!b || (fmt == CERT_FMT_PNG && n != 1)) {
        free(b);
        free(ids);
        return NULL;
    }
    b->ids = ids;
    b->n = n;
    b->fmt = fmt;
    snprintf(b->base, sizeof b->base, "%s", base_url);
    snprintf(b->title, sizeof b->title, "%s", title ? title : "");
    buf_init(&b->out, 0);
    buf_init(&b->png, 0);
    return b;
}

/* Loads certificate i into b->doc. */
static int load(cert_bulk *b, db_conn *c, size_t i)
{
    if (cert_store_by_id(c, b->ids[i], &b->rec) != 0) {
        log_error("certificate %lld vanished while rendering", (long long)b->ids[i]);
        return -1;
    }
    return cert_store_doc(c, &b->rec, b->base, &b->doc);
}

static int next_piece(cert_bulk *b, db_conn *c)
{
    if (b->fmt == CERT_FMT_PDF) {
        if (!b->pdf) {
            b->pdf = cert_pdf_new(&b->out, b->title, NULL);
            if (!b->pdf)
                return -1;
        }
        if (b->next < b->n) {
            if (load(b, c, b->next) != 0 || cert_pdf_page(b->pdf, &b->doc) != 0)
                return -1;
            b->next++;
            return 1;
        }
        if (cert_pdf_finish(b->pdf) != 0)
            return -1;
        b->finished = 1;
        return 1;
    }
    if (b->fmt == CERT_FMT_PNG) {
        if (load(b, c, 0) != 0 || cert_render_png(&b->doc, CERT_PNG_DPI, &b->out) != 0)
            return -1;
        b->next = 1;
        b->finished = 1;
        return 1;
    }
    if (!b->zip) {
        b->zip = cert_zip_new(clock_now_ms() / 1000);
        if (!b->zip)
            return -1;
    }
    if (b->next < b->n) {
        buf_reset(&b->png);
        if (load(b, c, b->next) != 0 || cert_render_png(&b->doc, CERT_PNG_DPI, &b->png) != 0)
            return -1;
        char name[64], grouped[CERT_NUMBER_GROUPED];
        cert_number_group(b->rec.f.number, grouped);
        snprintf(name, sizeof name, "%04zu-%s.png", b->next + 1, grouped);
        if (cert_zip_add(b->zip, name, b->png.data, b->png.len, &b->out) != 0)
            return -1;
        b->next++;
        return 1;
    }
    if (cert_zip_finish(b->zip, &b->out) != 0)
        return -1;
    b->finished = 1;
    return 1;
}

int cert_bulk_next(cert_bulk *b, db_conn *c, const char **data, size_t *len)
{
    buf_reset(&b->out);
    /* A PDF page may write nothing yet (cairo buffers): go on until there
     * are bytes or the file is complete. */
    while (b->out.len == 0) {
        if (b->finished)
            return 0;
        if (next_piece(b, c) < 0)
            return -1;
    }
    *data = b->out.data;
    *len = b->out.len;
    return 1;
}

void cert_bulk_free(cert_bulk *b)
{
    if (!b)
        return;
    cert_pdf_free(b->pdf);
    cert_zip_free(b->zip);
    buf_free(&b->out);
    buf_free(&b->png);
    free(b->ids);
    free(b);
}
