/* bank/gift.c - GIFT reader and writer; see gift.h. */
#include "bank/gift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bank/markup.h"

#define TRUE_TEXT "Đúng"
#define FALSE_TEXT "Sai"

/* A question block: its lines joined with '\n', and where each line starts. */
struct block {
    buf text;
    int *lines;   /* source line of block line k */
    size_t *offs; /* offset in text of block line k */
    int n;
    int cap;
};

/* Strings allocated for one draft, freed after it is added. */
struct pool {
    char *p[BANK_DRAFT_OPTIONS + 16];
    int n;
};

struct ctx {
    bank_report *rep;
    bank_builder *bb;
    json_t *meta;        /* "// @cchc {...}" waiting for the next question */
    int meta_line;
    json_t *cat_meta;    /* "// @cchc-category {...}" waiting for $CATEGORY */
    int oom;
};

static char *pool_add(struct pool *pl, char *s)
{
    if (s == NULL)
        return NULL;
    if (pl->n == (int)(sizeof(pl->p) / sizeof(pl->p[0]))) {
        free(s);
        return NULL;
    }
    pl->p[pl->n++] = s;
    return s;
}

static void pool_free(struct pool *pl)
{
    int i;

    for (i = 0; i < pl->n; i++)
        free(pl->p[i]);
    pl->n = 0;
}

static void block_reset(struct block *bl)
{
    buf_reset(&bl->text);
    bl->n = 0;
}

static int block_add(struct block *bl, const char *s, size_t n, int line)
{
    if (bl->n == bl->cap) {
        int cap = bl->cap ? bl->cap * 2 : 16;
        int *l = realloc(bl->lines, (size_t)cap * sizeof(*l));
        size_t *o;

        if (l == NULL)
            return -1;
        bl->lines = l;
        o = realloc(bl->offs, (size_t)cap * sizeof(*o));
        if (o == NULL)
            return -1;
        bl->offs = o;
        bl->cap = cap;
    }
    if (bl->n > 0 && buf_append(&bl->text, "\n", 1) != 0)
        return -1;
    bl->offs[bl->n] = bl->text.len;
    bl->lines[bl->n] = line;
    bl->n++;
    return buf_append(&bl->text, s, n);
}

/* Source line and column of offset off in the block. */
static void block_pos(const struct block *bl, size_t off, int *line, int *col)
{
    int k = 0;
    size_t i;

    while (k + 1 < bl->n && bl->offs[k + 1] <= off)
        k++;
    *line = bl->n > 0 ? bl->lines[k] : 0;
    *col = 1;
    for (i = bl->n > 0 ? bl->offs[k] : 0; i < off; i++) {
        if (((unsigned char)bl->text.data[i] & 0xC0) != 0x80)
            (*col)++;
    }
}

static int block_line(const struct block *bl, size_t off)
{
    int line;
    int col;

    block_pos(bl, off, &line, &col);
    return line;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Offset of the first unescaped ch in t[from..to), or to. */
static size_t find_unescaped(const char *t, size_t from, size_t to, char ch)
{
    size_t i;

    for (i = from; i < to; i++) {
        if (t[i] == '\\') {
            i++;
            continue;
        }
        if (t[i] == ch)
            return i;
    }
    return to;
}

/* Offset of the first unescaped "::" in t[from..to), or to. */
static size_t find_colons(const char *t, size_t from, size_t to)
{
    size_t i;

    for (i = from; i + 1 < to; i++) {
        if (t[i] == '\\') {
            i++;
            continue;
        }
        if (t[i] == ':' && t[i + 1] == ':')
            return i;
    }
    return to;
}

/* t[a..b) without GIFT escapes and trimmed, as a new string (caller frees). */
static char *unescape(const char *t, size_t a, size_t b)
{
    char *out = malloc(b - a + 1);
    size_t o = 0;
    size_t i;

    if (out == NULL)
        return NULL;
    while (a < b && is_space(t[a]))
        a++;
    while (b > a && is_space(t[b - 1]) && !(b - a >= 2 && t[b - 2] == '\\'))
        b--;
    for (i = a; i < b; i++) {
        if (t[i] == '\\' && i + 1 < b) {
            char n = t[i + 1];

            if (strchr("~=#{}:\\%[", n) != NULL) {
                out[o++] = n;
                i++;
                continue;
            }
            if (n == 'n') {
                out[o++] = '\n';
                i++;
                continue;
            }
        }
        out[o++] = t[i];
    }
    out[o] = '\0';
    return out;
}

static int all_space(const char *t, size_t a, size_t b)
{
    for (; a < b; a++) {
        if (!is_space(t[a]))
            return 0;
    }
    return 1;
}

static void skip_question(struct ctx *cx, int line, const char *type)
{
    bank_report_add(cx->rep, line, 0, BANK_SEV_WARNING,
                    "câu hỏi kiểu \"%s\" không được hỗ trợ, đã bỏ qua (chỉ nhận "
                    "trắc nghiệm và đúng/sai)",
                    type);
}

/* Applies "// @cchc {...}" metadata to a draft. */
static void apply_meta(struct ctx *cx, bank_draft *d, struct pool *pl)
{
    json_t *m = cx->meta;
    json_t *v;

    if (m == NULL)
        return;
    d->meta_line = cx->meta_line;
    if (json_is_string(v = json_object_get(m, "id")))
        d->id = pool_add(pl, strdup(json_string_value(v)));
    if (json_is_string(v = json_object_get(m, "difficulty")))
        d->difficulty = pool_add(pl, strdup(json_string_value(v)));
    if (json_is_string(v = json_object_get(m, "track")))
        d->track = pool_add(pl, strdup(json_string_value(v)));
    if (json_is_string(v = json_object_get(m, "explanation")) && d->explanation == NULL)
        d->explanation = pool_add(pl, strdup(json_string_value(v)));
    v = json_object_get(m, "source");
    if (json_is_object(v)) {
        json_t *f;

        if (json_is_string(f = json_object_get(v, "document")))
            d->source_document = pool_add(pl, strdup(json_string_value(f)));
        if (json_is_string(f = json_object_get(v, "article")))
            d->source_article = pool_add(pl, strdup(json_string_value(f)));
        if (json_is_string(f = json_object_get(v, "url")))
            d->source_url = pool_add(pl, strdup(json_string_value(f)));
    } else if (json_is_string(v)) {
        d->source_document = pool_add(pl, strdup(json_string_value(v)));
    }
    v = json_object_get(m, "tags");
    if (json_is_array(v)) {
        buf t;
        size_t i;

        buf_init(&t, 0);
        for (i = 0; i < json_array_size(v); i++) {
            const char *s = json_string_value(json_array_get(v, i));

            if (s == NULL || strchr(s, ',') != NULL)
                continue;
            buf_printf(&t, "%s%s", t.len ? "," : "", s);
        }
        if (t.len > 0)
            d->tags = pool_add(pl, buf_steal(&t, NULL));
        buf_free(&t);
    } else if (json_is_string(v)) {
        d->tags = pool_add(pl, strdup(json_string_value(v)));
    }
    if (json_is_true(json_object_get(m, "multi")))
        d->multi = 1;
}

/* Parses "%weight%" at t[*i]; returns 0 with the weight, -1 when malformed. */
static int read_weight(const char *t, size_t *i, size_t to, double *w)
{
    size_t end = *i + 1;
    char num[32];
    char *stop;

    while (end < to && t[end] != '%' && end - *i < sizeof(num))
        end++;
    if (end >= to || t[end] != '%' || end - *i - 1 == 0 || end - *i - 1 >= sizeof(num))
        return -1;
    memcpy(num, t + *i + 1, end - *i - 1);
    num[end - *i - 1] = '\0';
    *w = strtod(num, &stop);
    if (*stop != '\0' || *w < -100.0001 || *w > 100.0001)
        return -1;
    *i = end + 1;
    return 0;
}

/* The multiple-choice answers t[a..b) into d. Returns 0, or -1 after reporting. */
static int parse_choices(struct ctx *cx, const struct block *bl, size_t a, size_t b,
                         bank_draft *d, struct pool *pl, int qline)
{
    const char *t = bl->text.data;
    size_t i = a;
    int nweights = 0;
    int nequals = 0;
    double positive = 0;
    unsigned long equal_mask = 0;
    unsigned long weight_mask = 0;

    while (i < b && is_space(t[i]))
        i++;
    if (i < b && t[i] != '=' && t[i] != '~') {
        bank_report_add(cx->rep, block_line(bl, i), 0, BANK_SEV_ERROR,
                        "có văn bản trước đáp án đầu tiên; mỗi đáp án bắt đầu bằng '=' "
                        "(đúng) hoặc '~' (sai)");
        return -1;
    }
    while (i < b) {
        char mark = t[i];
        size_t start;
        size_t end;
        size_t fb;
        int line = block_line(bl, i);
        double w = 0;
        int has_weight = 0;
        int k = d->noptions;

        i++;
        while (i < b && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (i < b && t[i] == '%') {
            if (read_weight(t, &i, b, &w) != 0) {
                bank_report_add(cx->rep, line, 0, BANK_SEV_ERROR,
                                "trọng số đáp án sai cách viết: hãy viết dạng %%50%% (một số từ "
                                "-100 đến 100 giữa hai dấu %%)");
                return -1;
            }
            has_weight = 1;
        }
        start = i;
        /* the answer runs to the next unescaped '=' or '~' */
        end = start;
        while (end < b) {
            if (t[end] == '\\') {
                end += 2;
                continue;
            }
            if (t[end] == '=' || t[end] == '~')
                break;
            end++;
        }
        if (end > b)
            end = b;
        fb = find_unescaped(t, start, end, '#');
        if (k < BANK_DRAFT_OPTIONS) {
            d->options[k] = pool_add(pl, unescape(t, start, fb));
            d->option_line[k] = line;
            if (d->options[k] == NULL) {
                cx->oom = 1;
                return -1;
            }
            if (has_weight) {
                nweights++;
                if (w > 0) {
                    weight_mask |= 1ul << k;
                    positive += w;
                }
            } else if (mark == '=') {
                nequals++;
                equal_mask |= 1ul << k;
            }
        }
        d->noptions++;
        i = end;
    }
    if (nweights > 0) {
        d->multi = 1;
        d->correct = weight_mask | equal_mask;
        if (equal_mask == 0 && (positive < 99.0 || positive > 101.0) && weight_mask != 0)
            bank_report_add(cx->rep, qline, 0, BANK_SEV_WARNING,
                            "tổng các trọng số dương là %.5g%%, không phải 100%%; câu hỏi "
                            "được chấm đủ hoặc không trên các lựa chọn có trọng số dương",
                            positive);
    } else {
        d->correct = equal_mask;
        if (nequals > 1 && !d->multi) {
            d->multi = 1;
            bank_report_add(cx->rep, qline, 0, BANK_SEV_WARNING,
                            "%d đáp án được đánh dấu '=': nhập thành câu hỏi nhiều đáp án "
                            "(phải chọn tất cả)",
                            nequals);
        }
    }
    if (d->correct == 0) {
        bank_report_add(cx->rep, qline, 0, BANK_SEV_ERROR,
                        "chưa có đáp án đúng: hãy đánh dấu lựa chọn đúng bằng '=' (hoặc "
                        "ghi trọng số như ~%%50%%)");
        return -1;
    }
    return 0;
}

/* Is t[a..b) (trimmed, before any '#') T, TRUE, F or FALSE? 1 true, 0 false, -1 neither. */
static int true_false(const char *t, size_t a, size_t b)
{
    size_t end = find_unescaped(t, a, b, '#');

    while (a < end && is_space(t[a]))
        a++;
    while (end > a && is_space(t[end - 1]))
        end--;
    if ((end - a == 1 && (t[a] == 'T' || t[a] == 't')) ||
        (end - a == 4 && strncasecmp(t + a, "true", 4) == 0))
        return 1;
    if ((end - a == 1 && (t[a] == 'F' || t[a] == 'f')) ||
        (end - a == 5 && strncasecmp(t + a, "false", 5) == 0))
        return 0;
    return -1;
}

static int contains(const char *t, size_t a, size_t b, const char *what)
{
    size_t n = strlen(what);
    size_t i;

    for (i = a; i + n <= b; i++) {
        if (t[i] == '\\') {
            i++;
            continue;
        }
        if (memcmp(t + i, what, n) == 0)
            return 1;
    }
    return 0;
}

static void parse_block(struct ctx *cx, const struct block *bl)
{
    const char *t = bl->text.data;
    size_t len = bl->text.len;
    size_t i = 0;
    size_t open;
    size_t close;
    size_t ans_end;
    size_t general;
    int qline;
    int html = 0;
    char *title = NULL;
    bank_draft d;
    struct pool pl = {{0}, 0};
    int tf;

    memset(&d, 0, sizeof(d));
    while (i < len && is_space(t[i]))
        i++;
    if (i == len)
        goto done;
    qline = block_line(bl, i);
    d.line = qline;
    if (len - i >= 2 && t[i] == ':' && t[i + 1] == ':') {
        size_t end = find_colons(t, i + 2, len);

        if (end == len) {
            bank_report_add(cx->rep, qline, 0, BANK_SEV_ERROR,
                            "tiêu đề mở bằng '::' không được đóng bằng '::'");
            goto done;
        }
        title = unescape(t, i + 2, end);
        i = end + 2;
        while (i < len && is_space(t[i]))
            i++;
    }
    if (i < len && t[i] == '[') {
        size_t end = find_unescaped(t, i, len, ']');

        if (end < len && end - i < 20) {
            html = strncasecmp(t + i, "[html]", 6) == 0;
            i = end + 1;
        }
    }
    open = find_unescaped(t, i, len, '{');
    if (open == len) {
        if (find_unescaped(t, i, len, '}') < len) {
            int l;
            int c;

            block_pos(bl, find_unescaped(t, i, len, '}'), &l, &c);
            bank_report_add(cx->rep, l, c, BANK_SEV_ERROR, "có '}' mà không có '{' ở trước");
        } else {
            bank_report_add(cx->rep, qline, 0, BANK_SEV_WARNING,
                            "không có đáp án trong cặp ngoặc { }: đây là đoạn mô tả, không "
                            "phải câu hỏi; đã bỏ qua");
        }
        goto done;
    }
    close = find_unescaped(t, open + 1, len, '}');
    if (close == len) {
        int l;
        int c;

        block_pos(bl, open, &l, &c);
        bank_report_add(cx->rep, l, c, BANK_SEV_ERROR,
                        "'{' không được đóng bằng '}' trước khi hết câu hỏi (một dòng "
                        "trống kết thúc câu hỏi)");
        goto done;
    }
    if (!all_space(t, close + 1, len)) {
        skip_question(cx, qline, "missing word");
        goto done;
    }
    d.text_line = block_line(bl, i);
    {
        char *raw = unescape(t, i, open);

        if (raw != NULL && html) {
            char *plain = bank_html_to_text(raw);

            free(raw);
            raw = plain;
        }
        d.text = pool_add(&pl, raw);
        if (d.text == NULL) {
            cx->oom = 1;
            goto done;
        }
    }
    /* general feedback: "####..." at the end of the answers */
    general = close;
    {
        size_t k;

        for (k = open + 1; k + 4 <= close; k++) {
            if (t[k] == '\\') {
                k++;
                continue;
            }
            if (memcmp(t + k, "####", 4) == 0) {
                general = k;
                break;
            }
        }
        if (general < close) {
            char *raw = unescape(t, general + 4, close);

            if (raw != NULL && html) {
                char *plain = bank_html_to_text(raw);

                free(raw);
                raw = plain;
            }
            d.explanation = pool_add(&pl, raw);
        }
    }
    ans_end = general;
    if (all_space(t, open + 1, ans_end)) {
        skip_question(cx, qline, "essay");
        goto done;
    }
    {
        size_t k = open + 1;

        while (k < ans_end && is_space(t[k]))
            k++;
        if (t[k] == '#') {
            skip_question(cx, qline, "numerical");
            goto done;
        }
    }
    if (title != NULL && bank_valid_id(title))
        d.id = title;
    apply_meta(cx, &d, &pl);
    tf = true_false(t, open + 1, ans_end);
    if (contains(t, open + 1, ans_end, "~")) {
        if (parse_choices(cx, bl, open + 1, ans_end, &d, &pl, qline) != 0)
            goto done;
    } else if (contains(t, open + 1, ans_end, "=") && contains(t, open + 1, ans_end, "->")) {
        skip_question(cx, qline, "matching");
        goto done;
    } else if (tf >= 0) {
        d.options[0] = TRUE_TEXT;
        d.options[1] = FALSE_TEXT;
        d.noptions = 2;
        d.correct = tf ? 1ul : 2ul;
        d.option_line[0] = d.option_line[1] = block_line(bl, open);
    } else {
        skip_question(cx, qline, "short answer");
        goto done;
    }
    bank_builder_add(cx->bb, &d);
done:
    json_decref(cx->meta);
    cx->meta = NULL;
    free(title);
    pool_free(&pl);
}

/* Handles a "// ..." comment line: metadata or nothing. */
static void comment(struct ctx *cx, const char *s, size_t n, int line)
{
    static const struct {
        const char *tag;
        int kind;
    } tags[] = {{"@cchc-bank ", 1}, {"@cchc-category ", 2}, {"@cchc ", 3}};
    size_t i = 2;
    size_t k;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
        size_t tl = strlen(tags[k].tag);
        json_error_t err;
        json_t *j;

        if (n - i < tl || memcmp(s + i, tags[k].tag, tl) != 0)
            continue;
        j = json_loadb(s + i + tl, n - i - tl, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(j)) {
            bank_report_add(cx->rep, line, 0, BANK_SEV_WARNING,
                            "đã bỏ qua chú thích siêu dữ liệu: không phải object JSON (%s)",
                            j == NULL ? err.text : "sai kiểu");
            json_decref(j);
            return;
        }
        if (tags[k].kind == 1) {
            bank_builder_meta(cx->bb, json_string_value(json_object_get(j, "id")),
                              json_string_value(json_object_get(j, "title")));
            json_decref(j);
        } else if (tags[k].kind == 2) {
            json_decref(cx->cat_meta);
            cx->cat_meta = j;
        } else {
            json_decref(cx->meta);
            cx->meta = j;
            cx->meta_line = line;
        }
        return;
    }
}

static void category_line(struct ctx *cx, const char *s, size_t n, int line)
{
    char *path = NULL;
    const char *id = NULL;
    const char *title = NULL;
    size_t i = strlen("$CATEGORY:");

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    path = malloc(n - i + 1);
    if (path == NULL) {
        cx->oom = 1;
        return;
    }
    memcpy(path, s + i, n - i);
    path[n - i] = '\0';
    while (n - i > 0 && is_space(path[strlen(path) - 1]))
        path[strlen(path) - 1] = '\0';
    if (cx->cat_meta != NULL) {
        id = json_string_value(json_object_get(cx->cat_meta, "id"));
        title = json_string_value(json_object_get(cx->cat_meta, "title"));
    }
    if (title != NULL) {
        bank_builder_category(cx->bb, id, title, line);
    } else {
        char *last = bank_category_path_last(path);

        if (last == NULL)
            cx->oom = 1;
        else
            bank_builder_category(cx->bb, id, last, line);
        free(last);
    }
    json_decref(cx->cat_meta);
    cx->cat_meta = NULL;
    free(path);
}

bank *bank_gift_parse(const char *buf, size_t len, const bank_import_opts *opts,
                      bank_report *rep)
{
    struct ctx cx;
    struct block bl;
    bank_line *lines = NULL;
    size_t skip;
    size_t entries = bank_report_count(rep);
    int nlines;
    int k;
    bank *b = NULL;

    memset(&cx, 0, sizeof(cx));
    memset(&bl, 0, sizeof(bl));
    buf_init(&bl.text, 0);
    if (buf == NULL) {
        buf = "";
        len = 0;
    }
    bank_report_set_file(rep, opts ? opts->filename : NULL);
    cx.rep = rep;
    if (bank_text_check(buf, len, rep, &skip) > 0)
        goto out;
    cx.bb = bank_builder_new(rep, opts);
    nlines = bank_lines_split(buf + skip, len - skip, &lines);
    if (cx.bb == NULL || nlines < 0) {
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
        goto out;
    }
    for (k = 0; k <= nlines && !cx.oom; k++) {
        const char *s = k < nlines ? lines[k].s : "";
        size_t n = k < nlines ? lines[k].n : 0;
        size_t i = 0;

        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (k < nlines && n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
            comment(&cx, s + i, n - i, k + 1);
            continue;
        }
        if (k == nlines || i == n) {
            if (bl.n > 0)
                parse_block(&cx, &bl);
            block_reset(&bl);
            continue;
        }
        if (n - i >= 10 && strncmp(s + i, "$CATEGORY:", 10) == 0) {
            if (bl.n > 0)
                parse_block(&cx, &bl);
            block_reset(&bl);
            category_line(&cx, s + i, n - i, k + 1);
            continue;
        }
        if (block_add(&bl, s, n, k + 1) != 0)
            cx.oom = 1;
    }
    if (cx.oom)
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
    b = bank_builder_finish(cx.bb);
    cx.bb = NULL;
out:
    bank_report_sort(rep, entries);
    bank_builder_free(cx.bb);
    json_decref(cx.meta);
    json_decref(cx.cat_meta);
    free(lines);
    free(bl.lines);
    free(bl.offs);
    buf_free(&bl.text);
    return b;
}

/* ---- writer ------------------------------------------------------------------------- */

static int put_escaped(buf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        int rc;

        if (strchr("~=#{}:\\", *s) != NULL) {
            char e[2] = {'\\', *s};

            rc = buf_append(out, e, 2);
        } else if (*s == '\n') {
            rc = buf_puts(out, "\\n");
        } else if (*s == '\r') {
            rc = 0;
        } else {
            rc = buf_append(out, s, 1);
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int put_json_comment(buf *out, const char *tag, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int rc;

    json_decref(j);
    if (s == NULL)
        return -1;
    rc = buf_printf(out, "// %s %s\n", tag, s);
    free(s);
    return rc;
}

static int put_category(buf *out, const bank_category *c)
{
    const char *s;

    if (put_json_comment(out, "@cchc-category",
                         json_pack("{s:s, s:s}", "id", c->id, "title", c->title)) != 0)
        return -1;
    if (buf_puts(out, "$CATEGORY: $course$/top/") != 0)
        return -1;
    for (s = c->title; *s != '\0'; s++) {
        if (*s == '\n' || *s == '\r')
            continue;
        if (buf_append(out, s, 1) != 0 || (*s == '/' && buf_append(out, "/", 1) != 0))
            return -1;
    }
    return buf_puts(out, "\n\n");
}

static json_t *question_meta(const bank_question *q)
{
    json_t *m = json_pack("{s:s, s:s, s:s}", "id", q->id, "difficulty",
                          bank_difficulty_name(q->difficulty), "track",
                          bank_track_name(q->track));

    if (m == NULL)
        return NULL;
    if (q->source_document != NULL || q->source_article != NULL || q->source_url != NULL) {
        json_t *src = json_object();

        if (q->source_document != NULL)
            json_object_set_new(src, "document", json_string(q->source_document));
        if (q->source_article != NULL)
            json_object_set_new(src, "article", json_string(q->source_article));
        if (q->source_url != NULL)
            json_object_set_new(src, "url", json_string(q->source_url));
        json_object_set_new(m, "source", src);
    }
    if (q->tags_json != NULL)
        json_object_set_new(m, "tags", json_loads(q->tags_json, 0, NULL));
    if (q->multi && (q->correct_mask & (q->correct_mask - 1)) == 0)
        json_object_set_new(m, "multi", json_true());
    return m;
}

/* Moodle's accepted weights for k correct answers out of 1..6. */
static const char *weight_for(int k)
{
    static const char *const w[] = {"100", "100", "50", "33.33333", "25", "20", "16.66667"};

    return k >= 0 && k <= 6 ? w[k] : "100";
}

int bank_gift_write(const bank *b, buf *out)
{
    const char *current = NULL;
    int i;

    if (put_json_comment(out, "@cchc-bank",
                         json_pack("{s:s, s:s}", "id", b->id, "title", b->title)) != 0 ||
        buf_puts(out, "\n") != 0)
        return -1;
    if (bank_categories_need_declaring(b)) {
        for (i = 0; i < b->ncategories; i++) {
            if (put_category(out, &b->categories[i]) != 0)
                return -1;
        }
    }
    for (i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];
        int ncorrect = 0;
        int k;

        if (current == NULL || strcmp(current, q->category) != 0) {
            const bank_category *c = bank_find_category(b, q->category);
            bank_category tmp = {q->category, q->category};

            if (put_category(out, c != NULL ? c : &tmp) != 0)
                return -1;
            current = q->category;
        }
        if (put_json_comment(out, "@cchc", question_meta(q)) != 0)
            return -1;
        /* a text that starts with '[' would read as a format marker such as [html] */
        if (buf_puts(out, "::") != 0 || put_escaped(out, q->id) != 0 ||
            buf_puts(out, "::") != 0 || (q->text[0] == '[' && buf_puts(out, "\\") != 0) ||
            put_escaped(out, q->text) != 0 || buf_puts(out, " {\n") != 0)
            return -1;
        for (k = 0; k < q->noptions; k++)
            ncorrect += (q->correct_mask >> k) & 1u;
        for (k = 0; k < q->noptions; k++) {
            int right = (q->correct_mask >> k) & 1u;
            int rc;

            if (q->multi)
                rc = buf_printf(out, "\t~%%%s%%", right ? weight_for(ncorrect) : "-100");
            else
                rc = buf_puts(out, right ? "\t=" : "\t~");
            /* an option that starts with '%' would read as a weight */
            if (rc != 0 || (q->options[k][0] == '%' && buf_puts(out, "\\") != 0) ||
                put_escaped(out, q->options[k]) != 0 || buf_puts(out, "\n") != 0)
                return -1;
        }
        if (q->explanation != NULL &&
            (buf_puts(out, "\t####") != 0 || put_escaped(out, q->explanation) != 0 ||
             buf_puts(out, "\n") != 0))
            return -1;
        if (buf_puts(out, "}\n\n") != 0)
            return -1;
    }
    return 0;
}
