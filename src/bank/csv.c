/* bank/csv.c - CSV reader and writer; see csv.h. */
#include "bank/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/text.h"

enum {
    C_ID, C_CATEGORY, C_CATEGORY_TITLE, C_DIFFICULTY, C_TRACK, C_TEXT,
    C_A, C_B, C_C, C_D, C_E, C_F,
    C_CORRECT, C_MULTI, C_EXPLANATION, C_SOURCE, C_ARTICLE, C_URL, C_TAGS,
    C_COUNT
};

/* The template's header (what bank_csv_write writes), column by column. */
static const char *const HEADERS[C_COUNT] = {
    "Mã câu",   "Nhóm",         "Tên nhóm",     "Độ khó",    "Đối tượng", "Câu hỏi",
    "A",        "B",            "C",            "D",         "E",         "F",
    "Đáp án đúng", "Nhiều đáp án", "Giải thích", "Văn bản",   "Điều khoản", "Liên kết",
    "Nhãn"};

/* Header names (as bank_slug makes them) for each column. */
static const struct {
    const char *slug;
    int col;
} ALIASES[] = {
    {"id", C_ID}, {"ma", C_ID}, {"ma-cau", C_ID}, {"ma-cau-hoi", C_ID}, {"question-id", C_ID},
    {"category", C_CATEGORY}, {"category-id", C_CATEGORY}, {"nhom", C_CATEGORY},
    {"ma-nhom", C_CATEGORY}, {"linh-vuc", C_CATEGORY}, {"chu-de", C_CATEGORY},
    {"category-title", C_CATEGORY_TITLE}, {"ten-nhom", C_CATEGORY_TITLE},
    {"ten-linh-vuc", C_CATEGORY_TITLE},
    {"difficulty", C_DIFFICULTY}, {"do-kho", C_DIFFICULTY}, {"muc-do", C_DIFFICULTY},
    {"track", C_TRACK}, {"doi-tuong", C_TRACK},
    {"text", C_TEXT}, {"question", C_TEXT}, {"cau-hoi", C_TEXT}, {"noi-dung", C_TEXT},
    {"noi-dung-cau-hoi", C_TEXT},
    {"a", C_A}, {"b", C_B}, {"c", C_C}, {"d", C_D}, {"e", C_E}, {"f", C_F},
    {"option-a", C_A}, {"option-b", C_B}, {"option-c", C_C}, {"option-d", C_D},
    {"option-e", C_E}, {"option-f", C_F},
    {"phuong-an-a", C_A}, {"phuong-an-b", C_B}, {"phuong-an-c", C_C}, {"phuong-an-d", C_D},
    {"phuong-an-e", C_E}, {"phuong-an-f", C_F},
    {"dap-an-a", C_A}, {"dap-an-b", C_B}, {"dap-an-c", C_C}, {"dap-an-d", C_D},
    {"dap-an-e", C_E}, {"dap-an-f", C_F},
    {"correct", C_CORRECT}, {"answer", C_CORRECT}, {"key", C_CORRECT}, {"dap-an", C_CORRECT},
    {"dap-an-dung", C_CORRECT},
    {"multi", C_MULTI}, {"nhieu-dap-an", C_MULTI},
    {"explanation", C_EXPLANATION}, {"giai-thich", C_EXPLANATION},
    {"source", C_SOURCE}, {"source-document", C_SOURCE}, {"document", C_SOURCE},
    {"van-ban", C_SOURCE}, {"nguon", C_SOURCE}, {"can-cu", C_SOURCE},
    {"article", C_ARTICLE}, {"source-article", C_ARTICLE}, {"dieu", C_ARTICLE},
    {"dieu-khoan", C_ARTICLE},
    {"url", C_URL}, {"source-url", C_URL}, {"lien-ket", C_URL}, {"duong-dan", C_URL},
    {"tags", C_TAGS}, {"the", C_TAGS}, {"nhan", C_TAGS},
};

static int formula_like(const char *s);

struct cell {
    buf v;
    int line;
    int col;
};

struct rec {
    struct cell *cells;
    int n;
    int cap;
    int line;
};

struct reader {
    const char *s;
    size_t len;
    size_t pos;
    int line;
    size_t line_start;
    char delim;
    bank_report *rep;
};

static int column_of(const struct reader *r, size_t pos)
{
    int c = 1;
    size_t i;

    for (i = r->line_start; i < pos; i++) {
        if (((unsigned char)r->s[i] & 0xC0) != 0x80)
            c++;
    }
    return c;
}

/* Consumes a line break at pos (CRLF, LF or CR). */
static void newline(struct reader *r)
{
    if (r->s[r->pos] == '\r' && r->pos + 1 < r->len && r->s[r->pos + 1] == '\n')
        r->pos++;
    r->pos++;
    r->line++;
    r->line_start = r->pos;
}

static struct cell *next_cell(struct rec *rec)
{
    if (rec->n == rec->cap) {
        int cap = rec->cap ? rec->cap * 2 : 32;
        struct cell *c = realloc(rec->cells, (size_t)cap * sizeof(*c));
        int i;

        if (c == NULL)
            return NULL;
        for (i = rec->cap; i < cap; i++)
            buf_init(&c[i].v, 0);
        rec->cells = c;
        rec->cap = cap;
    }
    buf_reset(&rec->cells[rec->n].v);
    return &rec->cells[rec->n++];
}

/* Reads one record. Returns 1, 0 at the end of the text, -1 after reporting an error. */
static int read_record(struct reader *r, struct rec *rec)
{
    rec->n = 0;
    if (r->pos >= r->len)
        return 0;
    rec->line = r->line;
    for (;;) {
        struct cell *c = next_cell(rec);

        if (c == NULL)
            goto oom;
        c->line = r->line;
        c->col = column_of(r, r->pos);
        if (r->pos < r->len && r->s[r->pos] == '"') {
            int qline = r->line;
            int qcol = c->col;

            r->pos++;
            for (;;) {
                char ch;

                if (r->pos >= r->len) {
                    bank_report_add(r->rep, qline, qcol, BANK_SEV_ERROR,
                                    "dấu ngoặc kép mở ô này không được đóng");
                    return -1;
                }
                ch = r->s[r->pos];
                if (ch == '"') {
                    if (r->pos + 1 < r->len && r->s[r->pos + 1] == '"') {
                        if (buf_append(&c->v, "\"", 1) != 0)
                            goto oom;
                        r->pos += 2;
                        continue;
                    }
                    r->pos++;
                    break;
                }
                if (ch == '\r' || ch == '\n') {
                    newline(r);
                    if (buf_append(&c->v, "\n", 1) != 0)
                        goto oom;
                    continue;
                }
                if (buf_append(&c->v, &ch, 1) != 0)
                    goto oom;
                r->pos++;
            }
        }
        /* unquoted text (or what follows a closing quote) up to the separator */
        {
            size_t start = r->pos;

            while (r->pos < r->len && r->s[r->pos] != r->delim && r->s[r->pos] != '\r' &&
                   r->s[r->pos] != '\n')
                r->pos++;
            if (buf_append(&c->v, r->s + start, r->pos - start) != 0)
                goto oom;
        }
        if (r->pos < r->len && r->s[r->pos] == r->delim) {
            r->pos++;
            continue;
        }
        if (r->pos < r->len)
            newline(r);
        return 1;
    }
oom:
    bank_report_add(r->rep, r->line, 0, BANK_SEV_ERROR, "hết bộ nhớ");
    return -1;
}

static int rec_blank(const struct rec *rec)
{
    int i;

    for (i = 0; i < rec->n; i++) {
        const char *v = rec->cells[i].v.data;

        if (v != NULL && !text_is_blank(v))
            return 0;
    }
    return 1;
}

static void rec_free(struct rec *rec)
{
    int i;

    for (i = 0; i < rec->cap; i++)
        buf_free(&rec->cells[i].v);
    free(rec->cells);
}

/* The separator: from a "sep=X" line, else the most frequent of ; , TAB outside quotes
 * on the first line. */
static char detect_delim(const char *s, size_t len, size_t *skip)
{
    size_t counts[3] = {0, 0, 0};
    const char cand[3] = {';', ',', '\t'};
    int quoted = 0;
    size_t i;
    int best = 1;

    if (len >= 5 && strncasecmp(s, "sep=", 4) == 0 &&
        (len == 5 || s[5] == '\r' || s[5] == '\n')) {
        char d = s[4];

        *skip = 5;
        if (*skip < len && s[*skip] == '\r')
            (*skip)++;
        if (*skip < len && s[*skip] == '\n')
            (*skip)++;
        return d;
    }
    for (i = 0; i < len; i++) {
        char c = s[i];
        int k;

        if (c == '"') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && (c == '\n' || c == '\r'))
            break;
        if (quoted)
            continue;
        for (k = 0; k < 3; k++) {
            if (c == cand[k])
                counts[k]++;
        }
    }
    if (counts[0] >= counts[1] && counts[0] >= counts[2] && counts[0] > 0)
        best = 0;
    else if (counts[2] > counts[1])
        best = 2;
    return cand[best];
}

static const char *cell(const struct rec *rec, const int *map, int col)
{
    int k = map[col];
    const char *v;

    if (k < 0 || k >= rec->n || rec->cells[k].v.data == NULL)
        return NULL;
    v = rec->cells[k].v.data;
    /* "'=..." is how the writer keeps Excel from reading a formula */
    if (v[0] == '\'' && formula_like(v + 1))
        v++;
    return v;
}

static int cell_col(const struct rec *rec, const int *map, int col)
{
    int k = map[col];

    return k >= 0 && k < rec->n ? rec->cells[k].col : 0;
}

/* Letters "B", "a, c", "A;C", "A C" into bits; -1 after reporting a bad value. */
static long parse_letters(bank_report *rep, const char *s, int line, int col)
{
    long mask = 0;
    const char *p;

    for (p = s; *p != '\0'; p++) {
        char c = *p;

        if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == '\n' || c == '\r')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (c < 'A' || c > 'Z' || (p[1] != '\0' && p[1] != ' ' && p[1] != ',' &&
                                   p[1] != ';' && p[1] != '\t')) {
            char q[64];

            snprintf(q, sizeof(q), "%.40s", s);
            for (char *x = q; *x; x++) {
                if ((unsigned char)*x < 0x20 || *x == '"')
                    *x = '?';
            }
            bank_report_add(rep, line, col, BANK_SEV_ERROR,
                            "đáp án đúng \"%s\": hãy ghi chữ cái của lựa chọn (A đến F), "
                            "hoặc nhiều chữ cái như \"A, C\" nếu có nhiều đáp án",
                            q);
            return -1;
        }
        if (c > 'F') {
            bank_report_add(rep, line, col, BANK_SEV_ERROR,
                            "đáp án đúng %c: chỉ có các lựa chọn từ A đến F", c);
            return -1;
        }
        mask |= 1L << (c - 'A');
    }
    return mask;
}

static int yes(const char *s)
{
    char *slug;
    int v;

    if (s == NULL)
        return 0;
    slug = bank_slug(s);
    if (slug == NULL)
        return 0;
    v = strcmp(slug, "x") == 0 || strcmp(slug, "yes") == 0 || strcmp(slug, "co") == 0 ||
        strcmp(slug, "1") == 0 || strcmp(slug, "true") == 0 || strcmp(slug, "multi") == 0;
    free(slug);
    return v;
}

bank *bank_csv_parse(const char *buf, size_t len, const bank_import_opts *opts,
                     bank_report *rep)
{
    struct reader r;
    struct rec rec = {NULL, 0, 0, 0};
    bank_builder *bb = NULL;
    size_t entries = bank_report_count(rep);
    size_t skip;
    size_t sep_skip = 0;
    int map[C_COUNT];
    int header_line = 0;
    int header_cells = 0;
    int rc;
    int i;
    bank *b = NULL;

    if (buf == NULL) {
        buf = "";
        len = 0;
    }
    bank_report_set_file(rep, opts ? opts->filename : NULL);
    if (bank_text_check(buf, len, rep, &skip) > 0)
        goto out;
    memset(&r, 0, sizeof(r));
    r.delim = detect_delim(buf + skip, len - skip, &sep_skip);
    r.s = buf + skip;
    r.len = len - skip;
    r.pos = sep_skip;
    r.line = sep_skip > 0 ? 2 : 1;
    r.line_start = r.pos;
    r.rep = rep;
    bb = bank_builder_new(rep, opts);
    if (bb == NULL) {
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
        goto out;
    }

    /* the header */
    do {
        rc = read_record(&r, &rec);
    } while (rc == 1 && rec_blank(&rec));
    if (rc <= 0) {
        if (rc == 0)
            bank_report_add(rep, 0, 0, BANK_SEV_ERROR,
                            "tệp trống (cần một dòng tiêu đề, sau đó mỗi câu hỏi một "
                            "dòng)");
        goto out;
    }
    header_line = rec.line;
    header_cells = rec.n;
    for (i = 0; i < C_COUNT; i++)
        map[i] = -1;
    for (i = 0; i < rec.n; i++) {
        const char *h = rec.cells[i].v.data ? rec.cells[i].v.data : "";
        char *slug;
        size_t k;
        int found = -1;

        if (text_is_blank(h))
            continue;
        slug = bank_slug(h);
        if (slug == NULL) {
            bank_report_add(rep, header_line, 0, BANK_SEV_ERROR, "hết bộ nhớ");
            goto out;
        }
        for (k = 0; k < sizeof(ALIASES) / sizeof(ALIASES[0]); k++) {
            if (strcmp(slug, ALIASES[k].slug) == 0)
                found = ALIASES[k].col;
        }
        free(slug);
        if (found < 0) {
            char q[64];

            snprintf(q, sizeof(q), "%.40s", h);
            for (char *x = q; *x; x++) {
                if ((unsigned char)*x < 0x20 || *x == '"')
                    *x = '?';
            }
            bank_report_add(rep, header_line, rec.cells[i].col, BANK_SEV_WARNING,
                            "cột \"%s\" không xác định, đã bỏ qua", q);
            continue;
        }
        if (map[found] >= 0) {
            bank_report_add(rep, header_line, rec.cells[i].col, BANK_SEV_ERROR,
                            "cột \"%s\" xuất hiện hai lần", HEADERS[found]);
            continue;
        }
        map[found] = i;
    }
    {
        static const int required[] = {C_TEXT, C_A, C_B, C_CORRECT};
        size_t k;
        int missing = 0;

        for (k = 0; k < sizeof(required) / sizeof(required[0]); k++) {
            if (map[required[k]] < 0) {
                bank_report_add(rep, header_line, 0, BANK_SEV_ERROR,
                                "dòng tiêu đề thiếu cột \"%s\" (xem mẫu trong "
                                "question-banks/templates/)",
                                HEADERS[required[k]]);
                missing = 1;
            }
        }
        if (missing)
            goto out;
    }

    /* the questions */
    for (;;) {
        bank_draft d;
        const char *v;
        long mask;
        int last = -1;
        int k;

        rc = read_record(&r, &rec);
        if (rc <= 0)
            break;
        if (rec_blank(&rec))
            continue;
        memset(&d, 0, sizeof(d));
        d.line = rec.line;
        if (rec.n > header_cells) {
            for (k = header_cells; k < rec.n; k++) {
                const char *x = rec.cells[k].v.data;

                if (x != NULL && !text_is_blank(x)) {
                    bank_report_add(rep, rec.cells[k].line, rec.cells[k].col,
                                    BANK_SEV_WARNING,
                                    "ô nằm ngoài các cột của dòng tiêu đề, đã bỏ qua");
                    break;
                }
            }
        }
        d.id = cell(&rec, map, C_ID);
        d.text = cell(&rec, map, C_TEXT);
        if (d.text == NULL)
            d.text = "";
        for (k = 0; k < 6; k++) {
            v = cell(&rec, map, C_A + k);
            if (v != NULL && !text_is_blank(v))
                last = k;
        }
        for (k = 0; k <= last; k++) {
            v = cell(&rec, map, C_A + k);
            d.options[k] = (v != NULL && !text_is_blank(v)) ? v : NULL;
            d.option_line[k] = rec.line;
        }
        d.noptions = last + 1;
        v = cell(&rec, map, C_CORRECT);
        if (v == NULL || text_is_blank(v)) {
            bank_report_add(rep, rec.line, cell_col(&rec, map, C_CORRECT), BANK_SEV_ERROR,
                            "chưa có đáp án đúng trong cột \"%s\"", HEADERS[C_CORRECT]);
            continue;
        }
        mask = parse_letters(rep, v, rec.line, cell_col(&rec, map, C_CORRECT));
        if (mask < 0)
            continue;
        if (mask != 0 && (mask >> d.noptions) != 0 && d.noptions >= 2) {
            int bit = 0;

            while (!((mask >> bit) & 1) || bit < d.noptions)
                bit++;
            bank_report_add(rep, rec.line, cell_col(&rec, map, C_CORRECT), BANK_SEV_ERROR,
                            "đáp án đúng là %c nhưng lựa chọn %c để trống", 'A' + bit, 'A' + bit);
            continue;
        }
        d.correct = (unsigned long)mask;
        d.multi = yes(cell(&rec, map, C_MULTI)) || (mask & (mask - 1)) != 0;
        d.difficulty = cell(&rec, map, C_DIFFICULTY);
        d.track = cell(&rec, map, C_TRACK);
        d.explanation = cell(&rec, map, C_EXPLANATION);
        d.source_document = cell(&rec, map, C_SOURCE);
        d.source_article = cell(&rec, map, C_ARTICLE);
        d.source_url = cell(&rec, map, C_URL);
        d.tags = cell(&rec, map, C_TAGS);
        {
            const char *cat = cell(&rec, map, C_CATEGORY);
            const char *title = cell(&rec, map, C_CATEGORY_TITLE);

            if (cat != NULL && text_is_blank(cat))
                cat = NULL;
            if (title != NULL && text_is_blank(title))
                title = NULL;
            if (cat != NULL && !bank_valid_id(cat) && title == NULL) {
                title = cat; /* a name, not an id */
                cat = NULL;
            }
            if (bank_builder_category(bb, cat, title, rec.line) == NULL)
                continue;
        }
        bank_builder_add(bb, &d);
    }
    b = bank_builder_finish(bb);
    bb = NULL;
out:
    bank_report_sort(rep, entries);
    bank_builder_free(bb);
    rec_free(&rec);
    return b;
}

/* ---- writer ------------------------------------------------------------------------- */

/* 1 when Excel would read the cell as a formula ("=", "+", "@"), or when it starts with
 * the apostrophe this writer puts before such a cell. */
static int formula_like(const char *s)
{
    if (s[0] == '\'')
        s++;
    return s[0] == '=' || s[0] == '+' || s[0] == '@';
}

static int put_cell(buf *out, const char *s, int last)
{
    int quote = s != NULL && strpbrk(s, ",;\"\r\n\t") != NULL;

    if (s != NULL) {
        if (quote && buf_append(out, "\"", 1) != 0)
            return -1;
        /* never a formula in Excel: the reader takes the apostrophe off again */
        if (formula_like(s) && buf_append(out, "'", 1) != 0)
            return -1;
        for (; *s != '\0'; s++) {
            if (*s == '"' && buf_append(out, "\"", 1) != 0)
                return -1;
            if (*s == '\n' && buf_append(out, "\r", 1) != 0)
                return -1;
            if (buf_append(out, s, 1) != 0)
                return -1;
        }
        if (quote && buf_append(out, "\"", 1) != 0)
            return -1;
    }
    return buf_puts(out, last ? "\r\n" : ";");
}

int bank_csv_write(const bank *b, buf *out)
{
    int i;

    if (buf_puts(out, "\xEF\xBB\xBF") != 0)
        return -1;
    for (i = 0; i < C_COUNT; i++) {
        if (put_cell(out, HEADERS[i], i == C_COUNT - 1) != 0)
            return -1;
    }
    for (i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];
        const char *title = q->category;
        char letters[6 * 3 + 1] = "";
        char *tags = NULL;
        int k;
        int rc = 0;

        for (k = 0; k < b->ncategories; k++) {
            if (strcmp(b->categories[k].id, q->category) == 0)
                title = b->categories[k].title;
        }
        for (k = 0; k < q->noptions; k++) {
            if ((q->correct_mask >> k) & 1u) {
                size_t l = strlen(letters);

                snprintf(letters + l, sizeof(letters) - l, "%s%c", l ? ", " : "", 'A' + k);
            }
        }
        if (q->tags_json != NULL) {
            json_t *arr = json_loads(q->tags_json, 0, NULL);
            buf t;
            size_t j;

            buf_init(&t, 0);
            for (j = 0; j < json_array_size(arr); j++)
                buf_printf(&t, "%s%s", j ? ", " : "", json_string_value(json_array_get(arr, j)));
            tags = buf_steal(&t, NULL);
            buf_free(&t);
            json_decref(arr);
        }
        rc |= put_cell(out, q->id, 0);
        rc |= put_cell(out, q->category, 0);
        rc |= put_cell(out, title, 0);
        rc |= put_cell(out, bank_difficulty_name(q->difficulty), 0);
        rc |= put_cell(out, bank_track_name(q->track), 0);
        rc |= put_cell(out, q->text, 0);
        for (k = 0; k < 6; k++)
            rc |= put_cell(out, k < q->noptions ? q->options[k] : NULL, 0);
        rc |= put_cell(out, letters, 0);
        rc |= put_cell(out, q->multi ? "x" : NULL, 0);
        rc |= put_cell(out, q->explanation, 0);
        rc |= put_cell(out, q->source_document, 0);
        rc |= put_cell(out, q->source_article, 0);
        rc |= put_cell(out, q->source_url, 0);
        rc |= put_cell(out, tags, 1);
        free(tags);
        if (rc != 0)
            return -1;
    }
    return 0;
}
