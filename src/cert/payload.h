/* cert/payload: the text in a certificate's QR code, a URL that both opens
 * the public verification page and carries everything needed to check the
 * certificate offline:
 *
 *   {base_url}/v/{NUMBER}?d={base64url(fields after NUMBER)}&s={base64url(sig)}
 *
 * d holds the signed lines after the number (cert/fields.h); s is the 64-byte
 * Ed25519 signature of the canonical text. The parser accepts the URL or just
 * its path, a grouped or lower-case number, and surrounding white space. */
#ifndef CCHC_CERT_PAYLOAD_H
#define CCHC_CERT_PAYLOAD_H
#include <stddef.h>

#include "cert/fields.h"
#include "cert/sign.h"
#include "util/buf.h"

#define CERT_BASE_MAX 256

typedef struct cert_payload {
    char base[CERT_BASE_MAX];     /* what came before /v/ ("" if nothing) */
    cert_fields f;                /* number always; the rest when has_fields */
    int has_fields;               /* a d parameter was present and parsed */
    int has_sig;                  /* an s parameter was present and parsed */
    unsigned char sig[CERT_SIG_BYTES];
} cert_payload;

/* Appends the QR text to b. base_url has no trailing slash. 0 or -1. */
int cert_payload_build(buf *b, const char *base_url, const cert_fields *f,
                       const unsigned char sig[CERT_SIG_BYTES]);
/* Parses len bytes of QR text (not NUL-terminated). Only the number is
 * required; d and s are optional but, when present, must be well formed.
 * 0, or -1 with a reason in err. */
int cert_payload_parse(const char *text, size_t len, cert_payload *p, char *err, size_t errn);
/* Decodes the d and s query values alone (the online page's ?d=&s=) into p,
 * whose number is already set. Either may be NULL. 0, or -1 with err. */
int cert_payload_parse_args(const char *d, const char *s, cert_payload *p, char *err,
                            size_t errn);

#endif
