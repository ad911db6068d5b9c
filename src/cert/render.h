/* cert/render: the certificate's one layout (A4 landscape, in points) and
 * its two outputs, PDF (fonts embedded, text extractable) and PNG, with
 * cairo. Text is set in DejaVu Serif through cairo's font selection
 * (fontconfig); every block is measured with cairo's text extents and
 * wraps or shrinks to its box, never overflowing it. */
#ifndef CCHC_CERT_RENDER_H
#define CCHC_CERT_RENDER_H
#include <cairo.h>

#include "cert/fields.h"
#include "cert/payload.h"
#include "util/buf.h"

#define CERT_PAGE_W 841.89  /* A4 landscape, points */
#define CERT_PAGE_H 595.28
#define CERT_QR_MAX 8192
#define CERT_PNG_DPI 150.0

/* What a page shows: the signed fields and what comes from the contest's
 * current settings (organiser, signer) and the server (addresses). */
typedef struct cert_doc {
    cert_fields f;
    char organiser[CERT_TEXT_MAX];
    char signer_title[CERT_TEXT_MAX];
    char signer_name[CERT_TEXT_MAX];
    char verify_url[CERT_BASE_MAX + 32]; /* printed: {base}/v/{number} */
    char qr[CERT_QR_MAX];                /* the QR text (cert/payload.h) */
    int revoked;                         /* draws a "revoked" stamp */
} cert_doc;

enum { CERT_FONT_BOLD = 1, CERT_FONT_ITALIC = 2 };
#define CERT_FIT_LINES 3

/* A block of text fitted to a width: its size, lines and their widths. */
typedef struct cert_fit {
    double size;
    int nlines;
    int truncated;   /* did not fit even at the minimum size: cut with "…" */
    char line[CERT_FIT_LINES][CERT_TEXT_MAX + 8];
    double width[CERT_FIT_LINES];
} cert_fit;

/* Fits text (UTF-8) in at most max_lines lines of max_width points, in the
 * largest size from max_size down to min_size (steps of 0.5 pt) that needs
 * no cut; words are wrapped at spaces, a word wider than the box is broken
 * between characters. cr is only used for measuring. 0, or -1 (max_lines out
 * of 1..CERT_FIT_LINES). */
int cert_render_fit(cairo_t *cr, const char *text, int style, double max_width,
                    double max_size, double min_size, int max_lines, cert_fit *out);

/* The blocks of the layout, for drawing and for checking it. */
enum {
    CERT_B_ORGANISER, CERT_B_NATION, CERT_B_MOTTO, CERT_B_TITLE, CERT_B_CONTEST,
    CERT_B_LEAD, CERT_B_NAME, CERT_B_UNIT, CERT_B_TOOK, CERT_B_SCORE, CERT_B_DATE,
    CERT_B_SIGNER_TITLE, CERT_B_SIGNER_NAME, CERT_B_NUMBER, CERT_B_VERIFY, CERT_B_SCAN,
    CERT_B_COUNT
};

typedef struct cert_block {
    int used;
    int style;
    int align;         /* 0 centred on x, 1 left at x */
    double x, y;       /* x: centre or left edge; y: first baseline */
    double max_width;
    double leading;    /* baseline to baseline */
    double box[4];     /* x0, y0, x1, y1 of the ink, from the font's extents */
    double rgb[3];
    cert_fit fit;
} cert_block;

typedef struct cert_layout {
    cert_block b[CERT_B_COUNT];
    double qr[3];      /* x, y, size */
    double inner[4];   /* the inner frame: x0, y0, x1, y1 */
} cert_layout;

/* Lays d out (measuring with cr) without drawing. 0 or -1. */
int cert_render_layout(cairo_t *cr, const cert_doc *d, cert_layout *out);
/* Draws d on cr, in points from the top-left corner of the page. 0 or -1. */
int cert_render_page(cairo_t *cr, const cert_doc *d);

/* A PDF of one or more pages written into sink as pages are finished
 * (the fonts and the trailer come with cert_pdf_finish). */
typedef struct cert_pdf cert_pdf;
/* sink is not owned and must outlive the cert_pdf. NULL on failure. */
cert_pdf *cert_pdf_new(buf *sink, const char *title, const char *author);
int cert_pdf_page(cert_pdf *p, const cert_doc *d);
int cert_pdf_finish(cert_pdf *p);
void cert_pdf_free(cert_pdf *p);

/* One certificate as a whole PDF / PNG (dpi pixels per inch) appended to out. */
int cert_render_pdf(const cert_doc *d, buf *out);
int cert_render_png(const cert_doc *d, double dpi, buf *out);

#endif
