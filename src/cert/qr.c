#include "cert/qr.h"

#include <qrencode.h>
#include <string.h>

int cert_qr_draw(cairo_t *cr, const char *text, double x, double y, double size)
{
    QRcode *q = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0,
                                  QR_ECLEVEL_M);
    if (!q)
        return -1;
    int w = q->width;
    int total = w + 2 * CERT_QR_QUIET;
    double m = size / total;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    /* One rectangle per horizontal run of dark modules, one fill for all. */
    for (int row = 0; row < w; row++) {
        const unsigned char *line = q->data + row * w;
        int col = 0;
        while (col < w) {
            if (!(line[col] & 1)) {
                col++;
                continue;
            }
            int start = col;
            while (col < w && (line[col] & 1))
                col++;
            cairo_rectangle(cr, x + (start + CERT_QR_QUIET) * m, y + (row + CERT_QR_QUIET) * m,
                            (col - start) * m, m);
        }
    }
    cairo_fill(cr);
    cairo_restore(cr);
    QRcode_free(q);
    return total;
}
