#include "cert/qr.h"

#include <qrencode.h>
#include <stdint.h>
#include <string.h>

int cert_qr_draw(cairo_t *cr, const char *text, double x, double y, double size)
{
    QRcode *q = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0,
                                  QR_ECLEVEL_M);
    if (!q)
        return -1;
    int w = q->width;
    int total = w + 2 * CERT_QR_QUIET;
    /* One pixel per module (quiet zone included), scaled up without
     * smoothing: a PDF gets a small image with /Interpolate false, which
     * prints sharp and costs far less than a rectangle per run. */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, total, total);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        QRcode_free(q);
        return -1;
    }
    cairo_surface_flush(img);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int row = 0; row < total; row++) {
        uint32_t *line = (uint32_t *)(void *)(px + (size_t)row * (size_t)stride);
        for (int col = 0; col < total; col++) {
            int r = row - CERT_QR_QUIET, c = col - CERT_QR_QUIET;
            int dark = r >= 0 && r < w && c >= 0 && c < w && (q->data[r * w + c] & 1);
            line[col] = dark ? 0xFF000000u : 0xFFFFFFFFu;
        }
    }
    cairo_surface_mark_dirty(img);
    QRcode_free(q);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, size / total, size / total);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, 0, 0, total, total);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return total;
}
