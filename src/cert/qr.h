/* cert/qr: a QR code (libqrencode, error correction M, 8-bit mode) drawn
 * with cairo as a one-pixel-per-module image scaled up without smoothing,
 * on a white square that includes the 4-module quiet zone. */
#ifndef CCHC_CERT_QR_H
#define CCHC_CERT_QR_H
#include <cairo.h>

#define CERT_QR_QUIET 4

/* Draws text as a QR code filling the square (x, y, size) with its quiet
 * zone. Returns the number of modules across (quiet zone included), or -1
 * if the text cannot be encoded (too long, out of memory). */
int cert_qr_draw(cairo_t *cr, const char *text, double x, double y, double size);

#endif
