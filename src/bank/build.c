/* bank/build.c - bank assembly for the text formats and the encoding check; see build.h. */
#include "bank/build.h"
#include "util/strmap.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "util/text.h"

#define MAX_ENCODING_REPORTS 20
#define QUOTE_MAX 50
#define MISSING_LINES_SHOWN 12

/* ---- small helpers ------------------------------------------------------------------ */

/* Copies at most QUOTE_MAX characters of s for a message (control characters and '"'
 * become '?', an ellipsis marks a cut). */
static void quote(const char *s, char out[static QUOTE_MAX * 4 + 4])
{
    size_t chars = 0;
    size_t o = 0;

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c & 0xC0) != 0x80) {
            if (chars == QUOTE_MAX) {
                memcpy(out + o, "\xE2\x80\xA6", 3);
                o += 3;
                break;
            }
            chars++;
        }
        out[o++] = (c < 0x20 || c == 0x7F || c == '"') ? '?' : (char)c;
    }
    out[o] = '\0';
}

char *bank_category_path_last(const char *path)
{
    const char *last = path;
    const char *p;
    char *out;
    char *w;

    /* "$course$/top/Cải cách/Thể chế" -> "Thể chế"; "//" is an escaped '/' */
    for (p = path; *p != '\0'; p++) {
        if (*p == '/' && p[1] == '/') {
            p++;
            continue;
        }
        if (*p == '/' && p[1] != '\0')
            last = p + 1;
    }
    out = strdup(last);
    if (out == NULL)
        return NULL;
    w = out;
    for (p = out; *p != '\0'; p++) {
        *w++ = *p;
        if (p[0] == '/' && p[1] == '/')
            p++;
    }
    *w = '\0';
    return out;
}

int bank_valid_id(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++, n++) {
        char c = *s;

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return 0;
    }
    return n >= 1 && n <= BANK_ID_MAX;
}

char *bank_slug(const char *text)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n;
    utf8proc_ssize_t i = 0;
    char *out = NULL;
    size_t o = 0;
    int dash = 0;

    n = utf8proc_map((const utf8proc_uint8_t *)text, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                         UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    if (n < 0) {
        /* invalid UTF-8: keep the ASCII letters only */
        folded = NULL;
        n = (utf8proc_ssize_t)strlen(text);
    }
    out = malloc(BANK_ID_MAX + 1);
    if (out == NULL)
        goto done;
    while (i < n && o < BANK_ID_MAX) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k;

        if (folded != NULL) {
            k = utf8proc_iterate(folded + i, n - i, &c);
            if (k <= 0)
                break;
        } else {
            c = (unsigned char)text[i];
            k = 1;
        }
        i += k;
        if (c == 0x111 || c == 0x110)
            c = 'd';
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && o > 0 && o < BANK_ID_MAX)
                out[o++] = '-';
            dash = 0;
            if (o < BANK_ID_MAX)
                out[o++] = (char)c;
        } else {
            dash = 1;
        }
    }
    out[o] = '\0';
done:
    free(folded);
    return out;
}

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

int bank_lines_split(const char *buf, size_t len, bank_line **out)
{
    size_t cap = 64;
    size_t n = 0;
    size_t off = 0;
    bank_line *lines = malloc(cap * sizeof(*lines));

    *out = NULL;
    if (lines == NULL)
        return -1;
    while (off < len) {
        size_t end = off;

        while (end < len && buf[end] != '\n' && buf[end] != '\r')
            end++;
        if (n == cap) {
            bank_line *l;

            if (cap > (size_t)INT_MAX / 2)
                goto fail;
            l = realloc(lines, cap * 2 * sizeof(*lines));
            if (l == NULL)
                goto fail;
            lines = l;
            cap *= 2;
        }
        lines[n].s = buf + off;
        lines[n].n = end - off;
        n++;
        off = end;
        if (off < len)
            off += (buf[off] == '\r' && off + 1 < len && buf[off + 1] == '\n') ? 2 : 1;
    }
    *out = lines;
    return (int)n;
fail:
    free(lines);
    return -1;
}

/* ---- the encoding check ------------------------------------------------------------- */

/* Number of characters (UTF-8 lead bytes) in s[0..n). */
static int chars_in(const char *s, size_t n)
{
    int c = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    }
    return c;
}

/* The line s[0..n) read as Latin-1, as a new UTF-8 string (caller frees). */
static char *latin1_to_utf8(const char *s, size_t n)
{
    char *out = malloc(n * 2 + 1);
    size_t o = 0;
    size_t i;

    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x80) {
            out[o++] = (char)c;
        } else {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = '\0';
    return out;
}

size_t bank_text_check(const char *buf, size_t len, bank_report *rep, size_t *skip)
{
    size_t errors = 0;
    size_t reported = 0;
    size_t off;
    int line = 1;

    *skip = 0;
    if (len >= 2 && ((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE)) {
        bank_report_add(rep, 1, 1, BANK_SEV_ERROR,
                        "tệp được lưu dạng UTF-16 (Unicode); hãy lưu lại dạng UTF-8 (trong "
                        "Excel: \"CSV UTF-8\")");
        return 1;
    }
    if (len >= 2 && ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF)) {
        bank_report_add(rep, 1, 1, BANK_SEV_ERROR,
                        "tệp được lưu dạng UTF-16 (big-endian); hãy lưu lại dạng UTF-8");
        return 1;
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        *skip = 3;
    off = *skip;
    while (off < len) {
        size_t end = off;
        size_t next;
        size_t bad;
        const char *s = buf + off;
        size_t n;
        char *text = NULL;
        const char *nul;

        while (end < len && buf[end] != '\n' && buf[end] != '\r')
            end++;
        next = end;
        if (next < len)
            next += (buf[next] == '\r' && next + 1 < len && buf[next + 1] == '\n') ? 2 : 1;
        n = end - off;
        nul = memchr(s, '\0', n);
        if (nul != NULL) {
            bank_report_add(rep, line, chars_in(s, (size_t)(nul - s)) + 1, BANK_SEV_ERROR,
                            "có byte NUL: đây không phải tệp văn bản UTF-8 (tệp UTF-16 "
                            "hay tệp nhị phân như .xlsx, .docx?); hãy lưu dạng văn bản "
                            "UTF-8");
            return errors + 1;
        }
        if (text_utf8_validate(s, n, &bad) != 0) {
            int col = chars_in(s, bad) + 1;

            errors++;
            text = latin1_to_utf8(s, n);
            if (reported++ < MAX_ENCODING_REPORTS) {
                if (text != NULL && text_looks_legacy_vietnamese(text))
                    bank_report_add(rep, line, col, BANK_SEV_ERROR,
                                    "không phải UTF-8: dòng này có vẻ là tiếng Việt theo bảng "
                                    "mã cũ (TCVN3/ABC, VNI hoặc Windows-1258); hãy chuyển "
                                    "tệp sang Unicode và lưu dạng UTF-8");
                else
                    bank_report_add(rep, line, col, BANK_SEV_ERROR,
                                    "không phải UTF-8 hợp lệ (byte 0x%02X); hãy lưu tệp dạng "
                                    "UTF-8 (trong Excel: \"CSV UTF-8\"; văn bản gõ bằng "
                                    "phông TCVN3/VNI phải chuyển sang Unicode trước)",
                                    (unsigned char)s[bad]);
            }
        } else if (n > 0) {
            text = dup_range(s, n);
            if (text != NULL && text_looks_legacy_vietnamese(text)) {
                char q[QUOTE_MAX * 4 + 4];

                errors++;
                quote(text, q);
                if (reported++ < MAX_ENCODING_REPORTS)
                    bank_report_add(rep, line, 1, BANK_SEV_ERROR,
                                    "dòng này có vẻ là tiếng Việt gõ bằng phông cũ "
                                    "(TCVN3/ABC hoặc VNI) chưa chuyển mã: \"%s\"; hãy "
                                    "chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của "
                                    "UniKey)",
                                    q);
            }
        }
        free(text);
        off = next;
        line++;
    }
    if (reported > MAX_ENCODING_REPORTS)
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "còn %zu dòng khác bị lỗi bảng mã",
                        reported - MAX_ENCODING_REPORTS);
    return errors;
}

/* ---- the builder -------------------------------------------------------------------- */

struct bank_builder {
    bank_report *rep;
    size_t errors_before;
    bank *b;
    int qcap;
    int catcap;
    int current; /* index of the current category, -1: none */
    strmap cats;  /* category id -> index */
    strmap ids;   /* question id -> index */
    strmap texts; /* folded text -> index */
    int seen;            /* drafts offered so far (numbering of generated ids) */
    int too_many;
    int oom;
    const bank_import_opts *opts;
    char *meta_id;
    char *meta_title;
    int no_explanation[MISSING_LINES_SHOWN];
    int n_no_explanation;
    int no_source[MISSING_LINES_SHOWN];
    int n_no_source;
};

bank_builder *bank_builder_new(bank_report *rep, const bank_import_opts *opts)
{
    bank_builder *bb = calloc(1, sizeof(*bb));

    if (bb == NULL)
        return NULL;
    bb->b = calloc(1, sizeof(*bb->b));
    if (bb->b == NULL) {
        free(bb);
        return NULL;
    }
    bb->rep = rep;
    bb->errors_before = bank_report_errors(rep);
    bb->current = -1;
    bb->opts = opts;
    bb->b->version = 1;
    return bb;
}

void bank_builder_free(bank_builder *bb)
{
    if (bb == NULL)
        return;
    bank_free(bb->b);
    strmap_free(&bb->cats);
    strmap_free(&bb->ids);
    strmap_free(&bb->texts);
    free(bb->meta_id);
    free(bb->meta_title);
    free(bb);
}

void bank_builder_meta(bank_builder *bb, const char *id, const char *title)
{
    if (id != NULL && bb->meta_id == NULL)
        bb->meta_id = strdup(id);
    if (title != NULL && bb->meta_title == NULL)
        bb->meta_title = text_nfc(title, strlen(title), NULL);
}

int bank_builder_count(const bank_builder *bb)
{
    return bb->b->nquestions;
}

/* The Vietnamese for a reason text_nfc gives (its texts are English: other callers
 * show them elsewhere). */
static const char *text_error_vi(const char *why)
{
    if (why == NULL || strcmp(why, "out of memory") == 0)
        return "hết bộ nhớ";
    if (strcmp(why, "contains a NUL character") == 0)
        return "chứa ký tự NUL";
    if (strcmp(why, "invalid UTF-8") == 0)
        return "không phải UTF-8 hợp lệ";
    return why;
}

/* Returns a new NFC copy of s with white space trimmed at both ends, NULL when s is not
 * valid UTF-8 (err says why) or memory runs out. */
static char *clean(const char *s, const char **err)
{
    size_t n;
    char *out;
    char *start;
    size_t len;

    *err = "hết bộ nhớ";
    n = strlen(s);
    out = text_nfc(s, n, err);
    if (out == NULL)
        return NULL;
    text_lf(out);
    start = out;
    while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
        start++;
    len = strlen(start);
    while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t' ||
                       start[len - 1] == '\n' || start[len - 1] == '\r'))
        len--;
    memmove(out, start, len);
    out[len] = '\0';
    return out;
}

const char *bank_builder_category(bank_builder *bb, const char *id, const char *title,
                                  int line)
{
    char *tclean = NULL;
    char *idc = NULL;
    const char *err;
    bank_category *cat;
    int idx;

    if (title != NULL) {
        tclean = clean(title, &err);
        if (tclean == NULL) {
            bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "nhóm: %s", text_error_vi(err));
            goto fail;
        }
        if (text_is_blank(tclean) || strcmp(tclean, "top") == 0 ||
            strcmp(tclean, "$course$") == 0 || strcmp(tclean, "$system$") == 0) {
            free(tclean);
            tclean = NULL;
        }
    }
    if (id != NULL && *id != '\0') {
        idc = strdup(id);
        if (idc == NULL)
            goto oom;
        if (!bank_valid_id(idc)) {
            char q[QUOTE_MAX * 4 + 4];

            quote(idc, q);
            bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                            "mã nhóm \"%s\" không hợp lệ (từ 1 đến %d ký tự a-z, 0-9, "
                            "'-', '_', '.')",
                            q, BANK_ID_MAX);
            goto fail;
        }
    } else if (tclean != NULL) {
        idc = bank_valid_id(tclean) ? strdup(tclean) : bank_slug(tclean);
        if (idc == NULL)
            goto oom;
        if (*idc == '\0') {
            free(idc);
            idc = NULL;
            if (asprintf(&idc, "nhom-%d", bb->b->ncategories + 1) < 0) {
                idc = NULL;
                goto oom;
            }
        }
    } else {
        idc = strdup(BANK_DEFAULT_CATEGORY);
        if (idc == NULL)
            goto oom;
        tclean = strdup(BANK_DEFAULT_CATEGORY_TITLE);
        if (tclean == NULL)
            goto oom;
    }
    if (tclean != NULL && text_length_chars(tclean) > BANK_TITLE_MAX) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                        "tên nhóm quá dài (%zu ký tự, tối đa %d)",
                        text_length_chars(tclean), BANK_TITLE_MAX);
        goto fail;
    }
    idx = strmap_get(&bb->cats, idc);
    if (idx >= 0) {
        cat = &bb->b->categories[idx];
        if (tclean != NULL && strcmp(cat->title, cat->id) == 0 && strcmp(tclean, idc) != 0) {
            /* first named by its id alone: take the title now given */
            free(cat->title);
            cat->title = tclean;
            tclean = NULL;
        }
        bb->current = idx;
        free(idc);
        free(tclean);
        return cat->id;
    }
    if (bb->b->ncategories == bb->catcap) {
        int cap = bb->catcap ? bb->catcap * 2 : 8;
        bank_category *c = realloc(bb->b->categories, (size_t)cap * sizeof(*c));

        if (c == NULL)
            goto oom;
        bb->b->categories = c;
        bb->catcap = cap;
    }
    if (strmap_put(&bb->cats, idc, bb->b->ncategories) != 0)
        goto oom;
    cat = &bb->b->categories[bb->b->ncategories];
    cat->id = idc;
    cat->title = tclean != NULL ? tclean : strdup(idc);
    if (cat->title == NULL) {
        cat->title = NULL;
        bb->b->ncategories++;
        goto oom_kept;
    }
    bb->current = bb->b->ncategories++;
    return cat->id;
oom:
    free(idc);
    free(tclean);
oom_kept:
    bb->oom = 1;
    bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "hết bộ nhớ");
    return NULL;
fail:
    free(idc);
    free(tclean);
    return NULL;
}

/* Difficulty or track by name, in English or Vietnamese (accents and case ignored). */
static int difficulty_from(const char *s)
{
    static const struct {
        const char *name;
        int value;
    } names[] = {{"easy", BANK_EASY},     {"de", BANK_EASY},       {"1", BANK_EASY},
                 {"medium", BANK_MEDIUM}, {"trung-binh", BANK_MEDIUM},
                 {"tb", BANK_MEDIUM},     {"vua", BANK_MEDIUM},    {"2", BANK_MEDIUM},
                 {"hard", BANK_HARD},     {"kho", BANK_HARD},      {"3", BANK_HARD}};
    char *slug = bank_slug(s);
    size_t i;
    int v = -1;

    if (slug == NULL)
        return -1;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(slug, names[i].name) == 0)
            v = names[i].value;
    }
    free(slug);
    return v;
}

static int track_from(const char *s)
{
    static const struct {
        const char *name;
        int value;
    } names[] = {{"both", BANK_TRACK_BOTH},
                 {"all", BANK_TRACK_BOTH},
                 {"ca-hai", BANK_TRACK_BOTH},
                 {"tat-ca", BANK_TRACK_BOTH},
                 {"chung", BANK_TRACK_BOTH},
                 {"cbccvc", BANK_TRACK_CBCCVC},
                 {"cbcc", BANK_TRACK_CBCCVC},
                 {"can-bo", BANK_TRACK_CBCCVC},
                 {"cong-chuc", BANK_TRACK_CBCCVC},
                 {"can-bo-cong-chuc", BANK_TRACK_CBCCVC},
                 {"can-bo-cong-chuc-vien-chuc", BANK_TRACK_CBCCVC},
                 {"citizen", BANK_TRACK_CITIZEN},
                 {"nguoi-dan", BANK_TRACK_CITIZEN},
                 {"cong-dan", BANK_TRACK_CITIZEN},
                 {"dan", BANK_TRACK_CITIZEN}};
    char *slug = bank_slug(s);
    size_t i;
    int v = -1;

    if (slug == NULL)
        return -1;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(slug, names[i].name) == 0)
            v = names[i].value;
    }
    free(slug);
    return v;
}

/* Reads one text field of a draft: NFC, trimmed, at most max characters, not blank when
 * nonempty is set, not in a legacy encoding. NULL after reporting (or for an absent
 * field, with *bad left 0). */
static char *field(bank_builder *bb, const char *s, int line, const char *what, size_t max,
                   int nonempty, int *bad)
{
    const char *err;
    char *out;
    size_t n;

    if (s == NULL)
        return NULL;
    out = clean(s, &err);
    if (out == NULL) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "%s: %s", what, text_error_vi(err));
        *bad = 1;
        return NULL;
    }
    n = text_length_chars(out);
    if (n > max) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                        "%s quá dài (%zu ký tự, tối đa %zu)", what, n, max);
        goto fail;
    }
    if (text_is_blank(out)) {
        if (nonempty) {
            bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "%s để trống", what);
            goto fail;
        }
        free(out);
        return NULL;
    }
    if (text_looks_legacy_vietnamese(out)) {
        char q[QUOTE_MAX * 4 + 4];

        quote(out, q);
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                        "%s có vẻ là tiếng Việt theo bảng mã cũ (TCVN3/ABC hoặc VNI): "
                        "\"%s\"; hãy chuyển sang Unicode",
                        what, q);
        goto fail;
    }
    return out;
fail:
    free(out);
    *bad = 1;
    return NULL;
}

static void note_missing(int *lines, int *n, int line)
{
    if (*n < MISSING_LINES_SHOWN)
        lines[*n] = line;
    (*n)++;
}

static char *tags_json(bank_builder *bb, const char *tags, int line, int *bad)
{
    json_t *arr = json_array();
    const char *p = tags;
    char *out = NULL;

    if (arr == NULL)
        goto oom;
    while (*p != '\0') {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *raw = dup_range(p, n);
        char *tag;

        if (raw == NULL)
            goto oom;
        tag = field(bb, raw, line, "nhãn", BANK_TAG_MAX, 0, bad);
        free(raw);
        if (tag != NULL) {
            if (json_array_size(arr) == BANK_TAGS_MAX) {
                bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "quá %d nhãn",
                                BANK_TAGS_MAX);
                *bad = 1;
                free(tag);
                break;
            }
            if (json_array_append_new(arr, json_string(tag)) != 0) {
                free(tag);
                goto oom;
            }
            free(tag);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (json_array_size(arr) > 0) {
        out = json_dumps(arr, JSON_COMPACT);
        if (out == NULL)
            goto oom;
    }
    json_decref(arr);
    return out;
oom:
    json_decref(arr);
    bb->oom = 1;
    *bad = 1;
    return NULL;
}

static void free_question(bank_question *q)
{
    int j;

    free(q->id);
    free(q->category);
    free(q->text);
    free(q->explanation);
    free(q->source_document);
    free(q->source_article);
    free(q->source_url);
    for (j = 0; j < BANK_OPTIONS_MAX; j++)
        free(q->options[j]);
    free(q->tags_json);
    memset(q, 0, sizeof(*q));
}

int bank_builder_add(bank_builder *bb, const bank_draft *d)
{
    bank_question q;
    int line = d->line > 0 ? d->line : 0;
    int tline = d->text_line > 0 ? d->text_line : line;
    int mline = d->meta_line > 0 ? d->meta_line : line;
    char *keys[BANK_OPTIONS_MAX] = {NULL};
    char *tkey = NULL;
    int bad = 0;
    int i;
    int number;

    memset(&q, 0, sizeof(q));
    number = ++bb->seen;
    q.line = line;
    if (bb->too_many)
        return -1;
    if (bb->b->nquestions >= BANK_QUESTIONS_MAX) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                        "quá %d câu hỏi trong một ngân hàng; hãy tách tệp",
                        BANK_QUESTIONS_MAX);
        bb->too_many = 1;
        return -1;
    }

    /* text and options */
    if (d->text == NULL) {
        bank_report_add(bb->rep, tline, 0, BANK_SEV_ERROR, "câu hỏi không có nội dung");
        bad = 1;
    } else {
        q.text = field(bb, d->text, tline, "nội dung câu hỏi", BANK_TEXT_MAX, 1, &bad);
    }
    if (d->noptions < BANK_OPTIONS_MIN || d->noptions > BANK_OPTIONS_MAX) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                        "%d lựa chọn (mỗi câu hỏi có từ %d đến %d lựa chọn)", d->noptions,
                        BANK_OPTIONS_MIN, BANK_OPTIONS_MAX);
        bad = 1;
    }
    for (i = 0; i < d->noptions && i < BANK_OPTIONS_MAX; i++) {
        int oline = d->option_line[i] > 0 ? d->option_line[i] : line;
        char what[32];
        int j;

        snprintf(what, sizeof(what), "lựa chọn %c", 'A' + i);
        if (d->options[i] == NULL) {
            bank_report_add(bb->rep, oline, 0, BANK_SEV_ERROR, "%s để trống", what);
            bad = 1;
            continue;
        }
        q.options[i] = field(bb, d->options[i], oline, what, BANK_OPTION_MAX, 1, &bad);
        if (q.options[i] == NULL)
            continue;
        keys[i] = text_fold_key(q.options[i]);
        if (keys[i] == NULL) {
            bb->oom = 1;
            bad = 1;
            continue;
        }
        for (j = 0; j < i; j++) {
            if (keys[j] != NULL && strcmp(keys[i], keys[j]) == 0) {
                bank_report_add(bb->rep, oline, 0, BANK_SEV_ERROR,
                                "lựa chọn %c trùng với lựa chọn %c", 'A' + i, 'A' + j);
                bad = 1;
                break;
            }
        }
    }
    q.noptions = d->noptions < BANK_OPTIONS_MAX ? d->noptions : BANK_OPTIONS_MAX;
    for (i = 0; i < BANK_OPTIONS_MAX; i++)
        free(keys[i]);

    /* the key */
    if (d->correct == 0) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "chưa có đáp án đúng");
        bad = 1;
    } else if (d->noptions <= BANK_OPTIONS_MAX && (d->correct >> d->noptions) != 0) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                        "đáp án đúng không nằm trong %d lựa chọn", d->noptions);
        bad = 1;
    } else if (!d->multi && (d->correct & (d->correct - 1)) != 0) {
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                        "câu hỏi một đáp án nhưng có nhiều hơn một đáp án đúng");
        bad = 1;
    }
    q.correct_mask = (unsigned)(d->correct & ((1ul << BANK_OPTIONS_MAX) - 1));
    q.multi = d->multi ? 1 : 0;

    /* metadata */
    q.difficulty = BANK_MEDIUM;
    if (d->difficulty != NULL && !text_is_blank(d->difficulty)) {
        int v = difficulty_from(d->difficulty);
        char qt[QUOTE_MAX * 4 + 4];

        if (v < 0) {
            quote(d->difficulty, qt);
            bank_report_add(bb->rep, mline, 0, BANK_SEV_ERROR,
                            "độ khó \"%s\" không hợp lệ (dễ/easy, trung bình/medium hoặc "
                            "khó/hard)",
                            qt);
            bad = 1;
        } else {
            q.difficulty = (bank_difficulty)v;
        }
    }
    q.track = BANK_TRACK_BOTH;
    if (d->track != NULL && !text_is_blank(d->track)) {
        int v = track_from(d->track);
        char qt[QUOTE_MAX * 4 + 4];

        if (v < 0) {
            quote(d->track, qt);
            bank_report_add(bb->rep, mline, 0, BANK_SEV_ERROR,
                            "đối tượng \"%s\" không hợp lệ (cbccvc, người dân/citizen hoặc cả hai/both)",
                            qt);
            bad = 1;
        } else {
            q.track = (bank_track)v;
        }
    }
    q.explanation = field(bb, d->explanation, mline, "giải thích", BANK_EXPLANATION_MAX, 0,
                          &bad);
    q.source_document = field(bb, d->source_document, mline, "văn bản nguồn",
                              BANK_SOURCE_FIELD_MAX, 0, &bad);
    q.source_article = field(bb, d->source_article, mline, "điều khoản nguồn",
                             BANK_SOURCE_FIELD_MAX, 0, &bad);
    q.source_url = field(bb, d->source_url, mline, "địa chỉ nguồn (URL)", BANK_URL_MAX, 0, &bad);
    if (q.source_url != NULL &&
        ((strncmp(q.source_url, "https://", 8) != 0 &&
          strncmp(q.source_url, "http://", 7) != 0) ||
         strpbrk(q.source_url, " \t\r\n") != NULL)) {
        bank_report_add(bb->rep, mline, 0, BANK_SEV_ERROR,
                        "địa chỉ nguồn (URL) không phải địa chỉ http:// hoặc https://");
        bad = 1;
    }
    if (d->tags != NULL)
        q.tags_json = tags_json(bb, d->tags, mline, &bad);

    /* category */
    {
        const char *cat = d->category;

        if (cat == NULL) {
            if (bb->current < 0)
                bank_builder_category(bb, NULL, NULL, line);
            cat = bb->current >= 0 ? bb->b->categories[bb->current].id : NULL;
        }
        if (cat == NULL) {
            bad = 1;
        } else {
            q.category = strdup(cat);
            if (q.category == NULL) {
                bb->oom = 1;
                bad = 1;
            }
        }
    }

    /* id */
    if (d->id != NULL && !text_is_blank(d->id)) {
        const char *err;
        char *id = clean(d->id, &err);

        if (id != NULL && bank_valid_id(id)) {
            if (strmap_get(&bb->ids, id) >= 0) {
                int first = strmap_get(&bb->ids, id);

                bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR,
                                "mã câu hỏi \"%s\" bị trùng (đã dùng ở dòng %d)", id,
                                bb->b->questions[first].line);
                bad = 1;
                free(id);
            } else {
                q.id = id;
            }
        } else {
            free(id);
        }
    }
    if (q.id == NULL && !bad) {
        int k = 0;

        do {
            free(q.id);
            q.id = NULL;
            if ((k == 0 ? asprintf(&q.id, "q-%d", number)
                        : asprintf(&q.id, "q-%d-%d", number, k)) < 0) {
                q.id = NULL;
                bb->oom = 1;
                bad = 1;
                break;
            }
            k++;
        } while (strmap_get(&bb->ids, q.id) >= 0);
    }

    if (bad || bb->oom)
        goto fail;

    /* duplicates within the bank (a warning, as in the native format) */
    tkey = text_fold_key(q.text);
    if (tkey == NULL) {
        bb->oom = 1;
        goto fail;
    }
    {
        int first = strmap_get(&bb->texts, tkey);

        if (first >= 0) {
            bank_report_add(bb->rep, tline, 0, BANK_SEV_WARNING,
                            "trùng lặp: nội dung câu hỏi giống câu \"%s\" ở dòng %d",
                            bb->b->questions[first].id, bb->b->questions[first].line);
        } else if (strmap_put(&bb->texts, tkey, bb->b->nquestions) != 0) {
            bb->oom = 1;
            goto fail;
        }
    }
    free(tkey);
    tkey = NULL;
    if (q.explanation == NULL)
        note_missing(bb->no_explanation, &bb->n_no_explanation, line);
    if (q.source_document == NULL)
        note_missing(bb->no_source, &bb->n_no_source, line);

    if (bb->b->nquestions == bb->qcap) {
        int cap = bb->qcap ? bb->qcap * 2 : 64;
        bank_question *qs = realloc(bb->b->questions, (size_t)cap * sizeof(*qs));

        if (qs == NULL) {
            bb->oom = 1;
            goto fail;
        }
        bb->b->questions = qs;
        bb->qcap = cap;
    }
    if (strmap_put(&bb->ids, q.id, bb->b->nquestions) != 0) {
        bb->oom = 1;
        goto fail;
    }
    bb->b->questions[bb->b->nquestions++] = q;
    return 0;
fail:
    free(tkey);
    free_question(&q);
    if (bb->oom)
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "hết bộ nhớ");
    /* make sure a rejected draft always fails the bank */
    if (bank_report_errors(bb->rep) == bb->errors_before)
        bank_report_add(bb->rep, line, 0, BANK_SEV_ERROR, "câu hỏi không được chấp nhận");
    return -1;
}

static void report_missing(bank_builder *bb, const int *lines, int n, const char *what)
{
    char list[MISSING_LINES_SHOWN * 12 + 16];
    size_t o = 0;
    int i;

    if (n == 0)
        return;
    list[0] = '\0';
    for (i = 0; i < n && i < MISSING_LINES_SHOWN; i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%d", i ? ", " : "", lines[i]);
    if (n > MISSING_LINES_SHOWN)
        snprintf(list + o, sizeof(list) - o, ", ...");
    bank_report_add(bb->rep, lines[0], 0, BANK_SEV_WARNING, "%d câu hỏi chưa có %s (dòng %s)", n,
                    what, list);
}

/* The base name of path without its extension, or NULL. */
static char *base_name(const char *path)
{
    const char *slash;
    const char *dot;

    if (path == NULL)
        return NULL;
    slash = strrchr(path, '/');
    if (slash != NULL)
        path = slash + 1;
    slash = strrchr(path, '\\');
    if (slash != NULL)
        path = slash + 1;
    dot = strrchr(path, '.');
    return dup_range(path, dot && dot != path ? (size_t)(dot - path) : strlen(path));
}

bank *bank_builder_finish(bank_builder *bb)
{
    bank *b = bb->b;
    char *base = NULL;
    const char *id = NULL;
    bank *out = NULL;

    report_missing(bb, bb->no_explanation, bb->n_no_explanation, "giải thích");
    report_missing(bb, bb->no_source, bb->n_no_source, "văn bản nguồn");
    if (b->nquestions == 0 && !bb->too_many && bank_report_errors(bb->rep) == bb->errors_before)
        bank_report_add(bb->rep, 0, 0, BANK_SEV_ERROR, "không tìm thấy câu hỏi nào trong tệp");

    /* the bank's id and title: the upload's, the file's own, the file name's */
    if (bb->opts != NULL && bb->opts->id != NULL && *bb->opts->id != '\0') {
        id = bb->opts->id;
        if (!bank_valid_id(id)) {
            char q[QUOTE_MAX * 4 + 4];

            quote(id, q);
            bank_report_add(bb->rep, 0, 0, BANK_SEV_ERROR,
                            "mã ngân hàng \"%s\" không hợp lệ (từ 1 đến %d ký tự a-z, 0-9, "
                            "'-', '_', '.')",
                            q, BANK_ID_MAX);
            id = NULL;
        }
        b->id = id ? strdup(id) : NULL;
    } else if (bb->meta_id != NULL && bank_valid_id(bb->meta_id)) {
        b->id = strdup(bb->meta_id);
    } else {
        base = base_name(bb->opts ? bb->opts->filename : NULL);
        b->id = base != NULL ? bank_slug(base) : NULL;
        if (b->id == NULL || *b->id == '\0') {
            free(b->id);
            b->id = strdup("bank");
        }
    }
    if (bb->opts != NULL && bb->opts->title != NULL && !text_is_blank(bb->opts->title)) {
        const char *err;

        b->title = clean(bb->opts->title, &err);
        if (b->title == NULL)
            bank_report_add(bb->rep, 0, 0, BANK_SEV_ERROR, "tên ngân hàng: %s", text_error_vi(err));
    } else if (bb->meta_title != NULL && !text_is_blank(bb->meta_title)) {
        b->title = strdup(bb->meta_title);
    } else {
        b->title = strdup(base != NULL && *base != '\0' ? base : (b->id ? b->id : "bank"));
    }
    if (b->title != NULL && text_length_chars(b->title) > BANK_TITLE_MAX)
        bank_report_add(bb->rep, 0, 0, BANK_SEV_ERROR,
                        "tên ngân hàng quá dài (%zu ký tự, tối đa %d)",
                        text_length_chars(b->title), BANK_TITLE_MAX);
    free(base);
    if ((b->id == NULL || b->title == NULL) && !bb->oom) {
        bb->oom = 1;
        bank_report_add(bb->rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
    }
    if (!bb->oom && bank_report_errors(bb->rep) == bb->errors_before) {
        out = b;
        bb->b = NULL;
    }
    bank_builder_free(bb);
    return out;
}
