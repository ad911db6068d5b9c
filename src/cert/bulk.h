/* cert/bulk: a certificate file produced piece by piece, for streaming:
 * a PDF of one or many pages, one PNG, or a ZIP of PNGs. Each call renders at
 * most one certificate, so a server thread answering a download of a whole
 * round interleaves it with its other connections and memory stays small. */
#ifndef CCHC_CERT_BULK_H
#define CCHC_CERT_BULK_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

typedef enum { CERT_FMT_PDF = 0, CERT_FMT_PNG = 1, CERT_FMT_ZIP = 2 } cert_format;

typedef struct cert_bulk cert_bulk;

/* A producer for the certificates ids[0..n) (taken over, freed with the
 * producer) in format fmt (n must be 1 for CERT_FMT_PNG), with QR codes under
 * base_url; title names the PDF. NULL on failure (ids freed). */
cert_bulk *cert_bulk_new(int64_t *ids, size_t n, cert_format fmt, const char *base_url,
                         const char *title);
/* The next piece: 1 with data and len set (valid until the next call), 0 at
 * the end, -1 on failure (logged). c reads the certificates. */
int cert_bulk_next(cert_bulk *b, db_conn *c, const char **data, size_t *len);
void cert_bulk_free(cert_bulk *b);

#endif
