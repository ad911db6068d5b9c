/* libFuzzer target: the certificate QR payload and everything an offline
 * verifier runs on untrusted text: the URL parser, number normalisation,
 * base64url, the signed fields' parser, the canonical text and the
 * signature check (against a fixed key, so it must fail unless the input
 * carries a real signature). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cert/fields.h"
#include "cert/number.h"
#include "cert/payload.h"
#include "cert/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char pk[CERT_PK_BYTES];
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            return 0;
        unsigned char sk[crypto_sign_SECRETKEYBYTES], seed[crypto_sign_SEEDBYTES] = {7};
        crypto_sign_seed_keypair(pk, sk, seed);
        ready = 1;
    }
    cert_payload *p = malloc(sizeof *p);
    if (!p)
        return 0;
    char err[160];
    if (cert_payload_parse((const char *)data, size, p, err, sizeof err) == 0) {
        if (!cert_number_valid(p->f.number))
            abort();
        if (p->has_fields) {
            /* what was parsed must survive canonical text and back */
            buf b;
            buf_init(&b, 0);
            cert_fields *g = calloc(1, sizeof *g);
            if (g && cert_fields_canonical(&p->f, &b) == 0) {
                if (cert_fields_parse(b.data, b.len, g, err, sizeof err) != 0 ||
                    strcmp(g->name, p->f.name) != 0 || strcmp(g->score, p->f.score) != 0)
                    abort();
            }
            free(g);
            buf_free(&b);
            if (p->has_sig)
                cert_verify(pk, &p->f, p->sig);
        }
    }
    /* the same bytes as a typed number, and as a canonical text */
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
        char n[CERT_NUMBER_BUF];
        if (cert_number_normalise(s, n) == 0 && !cert_number_valid(n))
            abort();
        cert_fields_parse(s, size, &p->f, err, sizeof err);
        free(s);
    }
    free(p);
    return 0;
}
