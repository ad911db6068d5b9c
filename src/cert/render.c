#include "cert/render.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "cert/qr.h"

#define FONT_FAMILY "DejaVu Serif"
#define ELLIPSIS "\xE2\x80\xA6"

/* The frame and the columns, in points. */
#define FRAME_OUT 20.0
#define FRAME_IN 28.0
#define MID_X (CERT_PAGE_W / 2)
#define MID_W 680.0
#define LEFT_X 225.0
#define LEFT_W 320.0
#define RIGHT_X 610.0
#define RIGHT_W 350.0
#define SIGN_X 630.0
#define SIGN_W 300.0
#define QR_SIZE 138.0
#define BOTTOM_TOP 398.0 /* the middle blocks end above this line */

static const double RED[3] = {0.70, 0.11, 0.11};
static const double BLUE[3] = {0.05, 0.16, 0.42};
static const double INK[3] = {0.10, 0.10, 0.10};
static const double GREY[3] = {0.30, 0.30, 0.30};

/* At exit, cairo's and fontconfig's caches are given back, so that leak
 * checkers see only real leaks. */
static void release_fonts(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}

static void at_exit_release(void)
{
    atexit(release_fonts);
}

static void set_font(cairo_t *cr, int style, double size)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, at_exit_release);
    cairo_select_font_face(cr, FONT_FAMILY,
                           style & CERT_FONT_ITALIC ? CAIRO_FONT_SLANT_ITALIC
                                                    : CAIRO_FONT_SLANT_NORMAL,
                           style & CERT_FONT_BOLD ? CAIRO_FONT_WEIGHT_BOLD
                                                  : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Width of s in the current font: the larger of the advance and the ink. */
static double measure(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    double ink = e.x_bearing + e.width;
    return e.x_advance > ink ? e.x_advance : ink;
}

/* Length in bytes of the UTF-8 sequence starting at s (1 for a bad byte). */
static size_t u8len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

typedef struct wrap {
    int n;
    char line[CERT_FIT_LINES + 1][CERT_TEXT_MAX + 8];
} wrap;

/* Ends the current line; 0, or -1 when there are more lines than room. */
static int push_line(wrap *w, const char *s, size_t len, int max_lines)
{
    if (w->n >= max_lines)
        return -1;
    if (len >= sizeof w->line[0])
        len = sizeof w->line[0] - 1;
    memcpy(w->line[w->n], s, len);
    w->line[w->n][len] = '\0';
    w->n++;
    return 0;
}

/* Greedy word wrap in the current font. 0 if it fits in max_lines. */
static int wrap_text(cairo_t *cr, const char *text, double max_width, int max_lines, wrap *w)
{
    char cur[CERT_TEXT_MAX + 8] = "";
    size_t cl = 0;
    w->n = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (*p == '\n') { /* a line break asked for */
            if (cl && push_line(w, cur, cl, max_lines) != 0)
                return -1;
            cur[0] = '\0';
            cl = 0;
            p++;
            continue;
        }
        if (!*p)
            break;
        const char *we = strpbrk(p, " \n");
        size_t wl = we ? (size_t)(we - p) : strlen(p);
        char cand[2 * CERT_TEXT_MAX + 16];
        snprintf(cand, sizeof cand, "%s%s%.*s", cur, cl ? " " : "", (int)wl, p);
        if (strlen(cand) < sizeof cur && measure(cr, cand) <= max_width) {
            memcpy(cur, cand, strlen(cand) + 1);
            cl = strlen(cur);
            p += wl;
            continue;
        }
        if (cl) {
            if (push_line(w, cur, cl, max_lines) != 0)
                return -1;
            cur[0] = '\0';
            cl = 0;
        }
        /* the word alone; broken between characters when it is too wide */
        char word[CERT_TEXT_MAX + 8];
        snprintf(word, sizeof word, "%.*s", (int)wl, p);
        p += wl;
        if (measure(cr, word) <= max_width) {
            memcpy(cur, word, strlen(word) + 1);
            cl = strlen(cur);
            continue;
        }
        const char *q = word;
        while (*q) {
            size_t take = 0;
            char piece[CERT_TEXT_MAX + 8];
            for (;;) {
                size_t step = u8len(q + take);
                if (!q[take])
                    break;
                memcpy(piece, q, take + step);
                piece[take + step] = '\0';
                if (take > 0 && measure(cr, piece) > max_width)
                    break;
                take += step;
            }
            if (!q[take]) {
                memcpy(cur, q, take);
                cur[take] = '\0';
                cl = take;
                break;
            }
            if (push_line(w, q, take, max_lines) != 0)
                return -1;
            q += take;
        }
    }
    if (cl && push_line(w, cur, cl, max_lines) != 0)
        return -1;
    return 0;
}

int cert_render_fit(cairo_t *cr, const char *text, int style, double max_width,
                    double max_size, double min_size, int max_lines, cert_fit *out)
{
    if (max_lines < 1 || max_lines > CERT_FIT_LINES || min_size > max_size || min_size <= 0)
        return -1;
    memset(out, 0, sizeof *out);
    wrap *w = malloc(sizeof *w);
    if (!w)
        return -1;
    cairo_save(cr);
    double size = max_size;
    int ok = 0;
    for (; size >= min_size - 1e-9; size -= 0.5) {
        set_font(cr, style, size);
        if (wrap_text(cr, text, max_width, max_lines, w) == 0) {
            ok = 1;
            break;
        }
    }
    if (!ok) {
        /* Even the smallest size needs more lines: keep what fits, cut the
         * last line and end it with an ellipsis. */
        size = min_size;
        set_font(cr, style, size);
        wrap_text(cr, text, max_width, max_lines, w);
        if (w->n == 0)
            w->n = 1;
        char *last = w->line[w->n - 1];
        size_t len = strlen(last);
        char tmp[CERT_TEXT_MAX + 16];
        for (;;) {
            snprintf(tmp, sizeof tmp, "%.*s" ELLIPSIS, (int)len, last);
            if (len == 0 || (strlen(tmp) < sizeof w->line[0] && measure(cr, tmp) <= max_width))
                break;
            do
                len--;
            while (len > 0 && ((unsigned char)last[len] & 0xC0) == 0x80);
        }
        memcpy(last, tmp, strlen(tmp) + 1);
        out->truncated = 1;
    }
    out->size = size;
    out->nlines = w->n;
    for (int i = 0; i < w->n; i++) {
        memcpy(out->line[i], w->line[i], sizeof out->line[i]);
        out->width[i] = measure(cr, w->line[i]);
    }
    cairo_restore(cr);
    free(w);
    return 0;
}

/* Upper-cases UTF-8 text (Vietnamese included) into out. */
static void upper(const char *s, char *out, size_t n)
{
    size_t j = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    for (;;) {
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0 || cp == 0)
            break;
        p += k;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t e = utf8proc_encode_char(utf8proc_toupper(cp), enc);
        if (j + (size_t)e + 1 > n)
            break;
        memcpy(out + j, enc, (size_t)e);
        j += (size_t)e;
    }
    out[j] = '\0';
}

/* Fits one block and computes its box; y is its first baseline. Returns the
 * y of the block's last baseline. */
static double place(cairo_t *cr, cert_block *b, const char *text, int style, int align,
                    double x, double y, double max_width, double max_size, double min_size,
                    int max_lines, const double rgb[3])
{
    b->used = 1;
    b->style = style;
    b->align = align;
    b->x = x;
    b->y = y;
    b->max_width = max_width;
    memcpy(b->rgb, rgb, sizeof b->rgb);
    cert_render_fit(cr, text, style, max_width, max_size, min_size, max_lines, &b->fit);
    cairo_save(cr);
    set_font(cr, style, b->fit.size);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    cairo_restore(cr);
    b->leading = b->fit.size * 1.22;
    double wmax = 0;
    for (int i = 0; i < b->fit.nlines; i++)
        if (b->fit.width[i] > wmax)
            wmax = b->fit.width[i];
    double last = y + (b->fit.nlines - 1) * b->leading;
    b->box[0] = align ? x : x - wmax / 2;
    b->box[2] = align ? x + wmax : x + wmax / 2;
    b->box[1] = y - fe.ascent;
    b->box[3] = last + fe.descent;
    return last;
}

/* The middle blocks with every size scaled by k; returns the bottom. */
static double layout_middle(cairo_t *cr, const cert_doc *d, double k, double top,
                            cert_layout *L)
{
    char line[CERT_TEXT_MAX + 64];
    double y = top + 44 * k;
    y = place(cr, &L->b[CERT_B_TITLE], "GIẤY CHỨNG NHẬN", CERT_FONT_BOLD, 0, MID_X, y, MID_W,
              38 * k, 24 * k, 1, RED);
    y = place(cr, &L->b[CERT_B_CONTEST], d->f.contest, CERT_FONT_BOLD, 0, MID_X, y + 30 * k,
              MID_W, 16 * k, 8, 2, BLUE);
    y = place(cr, &L->b[CERT_B_LEAD], "Chứng nhận Ông (Bà):", CERT_FONT_ITALIC, 0, MID_X,
              y + 32 * k, MID_W, 15 * k, 8, 1, INK);
    y = place(cr, &L->b[CERT_B_NAME], d->f.name, CERT_FONT_BOLD, 0, MID_X, y + 38 * k, MID_W,
              28 * k, 9, 2, BLUE);
    if (d->f.unit[0]) {
        snprintf(line, sizeof line, "Đơn vị: %s", d->f.unit);
        y = place(cr, &L->b[CERT_B_UNIT], line, 0, 0, MID_X, y + 30 * k, MID_W, 16 * k, 8, 2,
                  INK);
    } else {
        L->b[CERT_B_UNIT].used = 0;
    }
    if (d->f.round[0])
        snprintf(line, sizeof line, "Đã tham gia %s của cuộc thi.", d->f.round);
    else
        snprintf(line, sizeof line, "Đã tham gia cuộc thi.");
    y = place(cr, &L->b[CERT_B_TOOK], line, 0, 0, MID_X, y + 27 * k, MID_W, 16 * k, 8, 2, INK);
    if (d->f.score[0]) {
        snprintf(line, sizeof line, "Kết quả: %s điểm", d->f.score);
        y = place(cr, &L->b[CERT_B_SCORE], line, CERT_FONT_BOLD, 0, MID_X, y + 27 * k, MID_W,
                  15 * k, 8, 1, INK);
    } else {
        L->b[CERT_B_SCORE].used = 0;
    }
    double bottom = 0;
    for (int i = CERT_B_TITLE; i <= CERT_B_SCORE; i++)
        if (L->b[i].used && L->b[i].box[3] > bottom)
            bottom = L->b[i].box[3];
    return bottom;
}

int cert_render_layout(cairo_t *cr, const cert_doc *d, cert_layout *L)
{
    memset(L, 0, sizeof *L);
    L->inner[0] = FRAME_IN;
    L->inner[1] = FRAME_IN;
    L->inner[2] = CERT_PAGE_W - FRAME_IN;
    L->inner[3] = CERT_PAGE_H - FRAME_IN;
    char tmp[CERT_TEXT_MAX * 4];

    /* header: the organiser on the left, the national motto on the right */
    upper(d->organiser[0] ? d->organiser : "BAN TỔ CHỨC CUỘC THI", tmp, sizeof tmp);
    double yl = place(cr, &L->b[CERT_B_ORGANISER], tmp, CERT_FONT_BOLD, 0, LEFT_X, 70, LEFT_W,
                      12.5, 7, 3, INK);
    place(cr, &L->b[CERT_B_NATION], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", CERT_FONT_BOLD, 0,
          RIGHT_X, 70, RIGHT_W, 12.5, 8, 1, INK);
    double yr = place(cr, &L->b[CERT_B_MOTTO], "Độc lập - Tự do - Hạnh phúc", CERT_FONT_BOLD,
                      0, RIGHT_X, 88, RIGHT_W, 13, 8, 1, INK);
    double top = (yl > yr ? yl : yr) + 10;

    /* the middle, scaled down until it ends above the bottom zone */
    double k = 1.0, bottom = 0;
    for (int i = 0; i < 12; i++) {
        bottom = layout_middle(cr, d, k, top, L);
        if (bottom <= BOTTOM_TOP)
            break;
        k *= 0.92;
    }
    /* and moved down by part of the room left, to balance the page */
    double shift = bottom < BOTTOM_TOP ? (BOTTOM_TOP - bottom) * 0.4 : 0;
    for (int i = CERT_B_TITLE; i <= CERT_B_SCORE; i++) {
        L->b[i].y += shift;
        L->b[i].box[1] += shift;
        L->b[i].box[3] += shift;
    }

    /* bottom left: the QR code, the number and where to verify */
    L->qr[2] = QR_SIZE;
    L->qr[0] = FRAME_IN + 16;
    L->qr[1] = L->inner[3] - 12 - QR_SIZE;
    double tx = L->qr[0] + QR_SIZE + 10;
    double tw = SIGN_X - SIGN_W / 2 - 14 - tx;
    char grouped[CERT_NUMBER_GROUPED];
    cert_number_group(d->f.number, grouped);
    snprintf(tmp, sizeof tmp, "Số: %s", grouped);
    double y = place(cr, &L->b[CERT_B_NUMBER], tmp, CERT_FONT_BOLD, 1, tx, L->qr[1] + 50, tw,
                     13, 8, 1, INK);
    snprintf(tmp, sizeof tmp, "Xác minh tại: %s", d->verify_url);
    y = place(cr, &L->b[CERT_B_VERIFY], tmp, 0, 1, tx, y + 17, tw, 8.5, 5.5, 3, GREY);
    place(cr, &L->b[CERT_B_SCAN], "Quét mã QR để kiểm tra giấy chứng nhận", CERT_FONT_ITALIC, 1,
          tx, y + 15, tw, 9, 6, 2, GREY);

    /* bottom right: date, signer's title, room to sign, signer's name */
    cert_fields_date_vn(d->f.date, tmp, sizeof tmp);
    y = place(cr, &L->b[CERT_B_DATE], tmp, CERT_FONT_ITALIC, 0, SIGN_X, BOTTOM_TOP + 18, SIGN_W,
              14, 8, 1, INK);
    upper(d->signer_title[0] ? d->signer_title : "TM. BAN TỔ CHỨC", tmp, sizeof tmp);
    place(cr, &L->b[CERT_B_SIGNER_TITLE], tmp, CERT_FONT_BOLD, 0, SIGN_X, y + 22, SIGN_W, 13, 7,
          3, INK);
    if (d->signer_name[0])
        place(cr, &L->b[CERT_B_SIGNER_NAME], d->signer_name, CERT_FONT_BOLD, 0, SIGN_X,
              L->inner[3] - 18, SIGN_W, 15, 8, 1, INK);
    return 0;
}

static void draw_block(cairo_t *cr, const cert_block *b)
{
    if (!b->used)
        return;
    set_font(cr, b->style, b->fit.size);
    cairo_set_source_rgb(cr, b->rgb[0], b->rgb[1], b->rgb[2]);
    for (int i = 0; i < b->fit.nlines; i++) {
        double x = b->align ? b->x : b->x - b->fit.width[i] / 2;
        cairo_move_to(cr, x, b->y + i * b->leading);
        cairo_show_text(cr, b->fit.line[i]);
    }
}

static void rule(cairo_t *cr, double cx, double y, double w)
{
    cairo_set_line_width(cr, 0.8);
    cairo_set_source_rgb(cr, INK[0], INK[1], INK[2]);
    cairo_move_to(cr, cx - w / 2, y);
    cairo_line_to(cr, cx + w / 2, y);
    cairo_stroke(cr);
}

static void frame(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, RED[0], RED[1], RED[2]);
    cairo_set_line_width(cr, 3.2);
    cairo_rectangle(cr, FRAME_OUT, FRAME_OUT, CERT_PAGE_W - 2 * FRAME_OUT,
                    CERT_PAGE_H - 2 * FRAME_OUT);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.78, 0.60, 0.20);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, FRAME_IN, FRAME_IN, CERT_PAGE_W - 2 * FRAME_IN,
                    CERT_PAGE_H - 2 * FRAME_IN);
    cairo_stroke(cr);
    /* a small diamond in each corner, between the two frames */
    double c[4][2] = {{FRAME_IN, FRAME_IN},
                      {CERT_PAGE_W - FRAME_IN, FRAME_IN},
                      {FRAME_IN, CERT_PAGE_H - FRAME_IN},
                      {CERT_PAGE_W - FRAME_IN, CERT_PAGE_H - FRAME_IN}};
    cairo_set_source_rgb(cr, RED[0], RED[1], RED[2]);
    for (int i = 0; i < 4; i++) {
        cairo_move_to(cr, c[i][0], c[i][1] - 7);
        cairo_line_to(cr, c[i][0] + 7, c[i][1]);
        cairo_line_to(cr, c[i][0], c[i][1] + 7);
        cairo_line_to(cr, c[i][0] - 7, c[i][1]);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
}

static void stamp_revoked(cairo_t *cr)
{
    cairo_save(cr);
    cairo_translate(cr, CERT_PAGE_W / 2, CERT_PAGE_H / 2);
    cairo_rotate(cr, -0.35);
    set_font(cr, CERT_FONT_BOLD, 72);
    const char *s = "ĐÃ THU HỒI";
    double w = measure(cr, s);
    cairo_set_source_rgba(cr, 0.85, 0.05, 0.05, 0.35);
    cairo_move_to(cr, -w / 2, 24);
    cairo_show_text(cr, s);
    cairo_restore(cr);
}

int cert_render_page(cairo_t *cr, const cert_doc *d)
{
    cert_layout *L = malloc(sizeof *L);
    if (!L)
        return -1;
    cairo_save(cr);
    cert_render_layout(cr, d, L);
    frame(cr);
    for (int i = 0; i < CERT_B_COUNT; i++)
        draw_block(cr, &L->b[i]);
    const cert_block *org = &L->b[CERT_B_ORGANISER], *motto = &L->b[CERT_B_MOTTO];
    rule(cr, LEFT_X, org->box[3] + 5, 90);
    rule(cr, RIGHT_X, motto->box[3] + 5, motto->fit.width[0]);
    int rc = cert_qr_draw(cr, d->qr, L->qr[0], L->qr[1], L->qr[2]) > 0 ? 0 : -1;
    if (d->revoked)
        stamp_revoked(cr);
    cairo_restore(cr);
    free(L);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        rc = -1;
    return rc;
}

/* ---- outputs ---- */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
                                               : CAIRO_STATUS_WRITE_ERROR;
}

struct cert_pdf {
    cairo_surface_t *s;
    cairo_t *cr;
    int finished;
};

cert_pdf *cert_pdf_new(buf *sink, const char *title, const char *author)
{
    cert_pdf *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->s = cairo_pdf_surface_create_for_stream(to_buf, sink, CERT_PAGE_W, CERT_PAGE_H);
    if (cairo_surface_status(p->s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(p->s);
        free(p);
        return NULL;
    }
    cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_TITLE, title ? title : "");
    if (author)
        cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_AUTHOR, author);
    cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATOR, "cchc-quiz");
    p->cr = cairo_create(p->s);
    return p;
}

int cert_pdf_page(cert_pdf *p, const cert_doc *d)
{
    if (p->finished || cert_render_page(p->cr, d) != 0)
        return -1;
    cairo_show_page(p->cr);
    return cairo_status(p->cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

int cert_pdf_finish(cert_pdf *p)
{
    if (p->finished)
        return 0;
    p->finished = 1;
    cairo_destroy(p->cr);
    p->cr = NULL;
    cairo_surface_finish(p->s);
    return cairo_surface_status(p->s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

void cert_pdf_free(cert_pdf *p)
{
    if (!p)
        return;
    if (p->cr)
        cairo_destroy(p->cr);
    cairo_surface_destroy(p->s);
    free(p);
}

int cert_render_pdf(const cert_doc *d, buf *out)
{
    char title[64], grouped[CERT_NUMBER_GROUPED];
    cert_number_group(d->f.number, grouped);
    snprintf(title, sizeof title, "Giấy chứng nhận %s", grouped);
    cert_pdf *p = cert_pdf_new(out, title, d->organiser);
    if (!p)
        return -1;
    int rc = cert_pdf_page(p, d);
    if (cert_pdf_finish(p) != 0)
        rc = -1;
    cert_pdf_free(p);
    return rc;
}

int cert_render_png(const cert_doc *d, double dpi, buf *out)
{
    double scale = dpi / 72.0;
    cairo_surface_t *s = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, (int)(CERT_PAGE_W * scale + 0.5), (int)(CERT_PAGE_H * scale + 0.5));
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    int rc = cert_render_page(cr, d);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (rc == 0 && cairo_surface_write_to_png_stream(s, to_buf, out) != CAIRO_STATUS_SUCCESS)
        rc = -1;
    cairo_surface_destroy(s);
    return rc;
}
