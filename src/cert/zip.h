/* cert/zip: a minimal ZIP writer (stored entries, no compression: PNGs are
 * compressed already), producing the archive piece by piece so it can be
 * streamed. Limits: 65535 entries and 4 GiB (no ZIP64); going past them
 * fails. */
#ifndef CCHC_CERT_ZIP_H
#define CCHC_CERT_ZIP_H
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct cert_zip cert_zip;

/* A new archive; entries get the time mtime (seconds since the epoch, written
 * in Vietnam's local time as ZIP keeps local times). NULL on no memory. */
cert_zip *cert_zip_new(int64_t mtime);
/* Appends one entry's local header and data to out. 0 or -1. */
int cert_zip_add(cert_zip *z, const char *name, const void *data, size_t len, buf *out);
/* Appends the central directory and the end record to out. 0 or -1. */
int cert_zip_finish(cert_zip *z, buf *out);
void cert_zip_free(cert_zip *z);
/* CRC-32 (ISO 3309, as ZIP and PNG use it). */
uint32_t cert_crc32(const void *data, size_t len);

#endif
