/* bank/moodle_xml.c - Moodle XML reader and writer; see moodle_xml.h. */
#include "bank/moodle_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bank/markup.h"
#include "bank/report.h"
#include "bank/xml.h"
#include "util/text.h"

#define TRUE_TEXT "Đúng"
#define FALSE_TEXT "Sai"

struct pool {
    char *p[BANK_DRAFT_OPTIONS + 16];
    int n;
};

static const char *pool_add(struct pool *pl, char *s)
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

/* The text of element e (its <text> child), as plain text: HTML is reduced when the
 * element's format is html (or, for Moodle's auto format, when it looks like HTML). */
static const char *plain(struct pool *pl, const xml_node *e)
{
    const char *t;
    const char *fmt;

    if (e == NULL)
        return NULL;
    t = xml_text_of(e, NULL);
    if (t == NULL)
        return NULL;
    fmt = xml_attr(e, "format");
    if (fmt != NULL && (strcmp(fmt, "html") == 0 ||
                        (strcmp(fmt, "moodle_auto_format") == 0 && strchr(t, '<') != NULL)))
        return pool_add(pl, bank_html_to_text(t));
    return pool_add(pl, strdup(t));
}

static int truthy(const char *s)
{
    while (s != NULL && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
        s++;
    return s != NULL && (strncasecmp(s, "true", 4) == 0 || s[0] == '1');
}

/* Trimmed element text (for <single>, <idnumber>), or NULL. */
static const char *elem_text(struct pool *pl, const xml_node *q, const char *name)
{
    const xml_node *e = xml_child(q, name);
    const char *t;
    size_t a;
    size_t b;
    char *out;

    if (e == NULL || e->text.data == NULL)
        return NULL;
    t = e->text.data;
    a = 0;
    b = strlen(t);
    while (a < b && (t[a] == ' ' || t[a] == '\n' || t[a] == '\t' || t[a] == '\r'))
        a++;
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\n' || t[b - 1] == '\t' || t[b - 1] == '\r'))
        b--;
    out = malloc(b - a + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, t + a, b - a);
    out[b - a] = '\0';
    return pool_add(pl, out);
}

static void category(bank_builder *bb, const xml_node *q)
{
    struct pool pl = {{0}, 0};
    const char *path = xml_text_of(q, "category");
    const char *idn = elem_text(&pl, q, "idnumber");

    if (path == NULL) {
        bank_builder_category(bb, NULL, NULL, q->line);
    } else {
        char *last = bank_category_path_last(path);

        if (last != NULL)
            bank_builder_category(bb, idn != NULL && bank_valid_id(idn) ? idn : NULL, last,
                                  q->line);
        free(last);
    }
    pool_free(&pl);
}

static void tags(struct pool *pl, const xml_node *q, bank_draft *d)
{
    const xml_node *t = xml_child(q, "tags");
    const xml_node *tag;
    buf out;

    if (t == NULL)
        return;
    buf_init(&out, 0);
    for (tag = t->first; tag != NULL; tag = tag->next) {
        const char *s;

        if (strcmp(tag->name, "tag") != 0)
            continue;
        s = xml_text_of(tag, NULL);
        if (s == NULL || strchr(s, ',') != NULL || text_is_blank(s))
            continue;
        buf_printf(&out, "%s%s", out.len ? "," : "", s);
    }
    if (out.len > 0)
        d->tags = pool_add(pl, buf_steal(&out, NULL));
    buf_free(&out);
}

static void question(bank_report *rep, bank_builder *bb, const xml_node *q)
{
    struct pool pl = {{0}, 0};
    const char *type = xml_attr(q, "type");
    const xml_node *a;
    const xml_node *meta;
    bank_draft d;
    double best = 0;
    int single;
    int k = 0;

    memset(&d, 0, sizeof(d));
    d.line = q->line;
    if (type == NULL) {
        bank_report_add(rep, q->line, q->col, BANK_SEV_ERROR,
                        "<question> thiếu thuộc tính type");
        return;
    }
    if (strcmp(type, "category") == 0) {
        category(bb, q);
        return;
    }
    if (strcmp(type, "multichoice") != 0 && strcmp(type, "truefalse") != 0) {
        char t[48];

        snprintf(t, sizeof(t), "%.40s", type);
        for (char *x = t; *x; x++) {
            if ((unsigned char)*x < 0x20 || *x == '"')
                *x = '?';
        }
        bank_report_add(rep, q->line, q->col, BANK_SEV_WARNING,
                        "câu hỏi kiểu \"%s\" không được hỗ trợ, đã bỏ qua (chỉ nhận "
                        "multichoice và truefalse)",
                        t);
        return;
    }
    d.text = plain(&pl, xml_child(q, "questiontext"));
    if (xml_child(q, "questiontext") != NULL)
        d.text_line = xml_child(q, "questiontext")->line;
    d.explanation = plain(&pl, xml_child(q, "generalfeedback"));
    d.id = elem_text(&pl, q, "idnumber");
    if (d.id == NULL || !bank_valid_id(d.id)) {
        const char *name = xml_text_of(q, "name");

        d.id = name != NULL && bank_valid_id(name) ? name : NULL;
    }
    tags(&pl, q, &d);
    meta = xml_child(q, "cchc");
    if (meta != NULL) {
        d.difficulty = xml_attr(meta, "difficulty");
        d.track = xml_attr(meta, "track");
        d.source_document = xml_attr(meta, "document");
        d.source_article = xml_attr(meta, "article");
        d.source_url = xml_attr(meta, "url");
        d.meta_line = meta->line;
        if (truthy(xml_attr(meta, "multi")))
            d.multi = 1;
    }
    if (strcmp(type, "truefalse") == 0) {
        d.options[0] = TRUE_TEXT;
        d.options[1] = FALSE_TEXT;
        d.noptions = 2;
        for (a = q->first; a != NULL; a = a->next) {
            const char *t;
            const char *f;

            if (strcmp(a->name, "answer") != 0)
                continue;
            t = elem_text(&pl, a, "text");
            f = xml_attr(a, "fraction");
            if (t == NULL || f == NULL || strtod(f, NULL) <= 0)
                continue;
            if (strcasecmp(t, "true") == 0)
                d.correct = 1;
            else if (strcasecmp(t, "false") == 0)
                d.correct = 2;
        }
        if (d.correct == 0) {
            bank_report_add(rep, q->line, q->col, BANK_SEV_ERROR,
                            "câu hỏi đúng/sai không có đáp án \"true\" hoặc \"false\" "
                            "với fraction 100");
            goto done;
        }
        bank_builder_add(bb, &d);
        goto done;
    }
    {
        const char *s = elem_text(&pl, q, "single");

        single = s == NULL || truthy(s);
    }
    for (a = q->first; a != NULL; a = a->next) {
        const char *f;
        double w;

        if (strcmp(a->name, "answer") != 0)
            continue;
        f = xml_attr(a, "fraction");
        w = f != NULL ? strtod(f, NULL) : 0;
        if (w > best)
            best = w;
    }
    for (a = q->first; a != NULL; a = a->next) {
        const char *f;
        double w;

        if (strcmp(a->name, "answer") != 0)
            continue;
        f = xml_attr(a, "fraction");
        w = f != NULL ? strtod(f, NULL) : 0;
        if (k < BANK_DRAFT_OPTIONS) {
            d.options[k] = plain(&pl, a);
            if (d.options[k] == NULL)
                d.options[k] = "";
            d.option_line[k] = a->line;
            if (single ? (w > 0 && w >= best - 0.001) : w > 0)
                d.correct |= 1ul << k;
        }
        k++;
    }
    d.noptions = k;
    if (!single)
        d.multi = 1;
    if (single && best > 0 && best < 99.999)
        bank_report_add(rep, q->line, q->col, BANK_SEV_WARNING,
                        "không có đáp án nào với fraction 100: đáp án có fraction cao "
                        "nhất (%.5g) được lấy làm đáp án đúng",
                        best);
    if (single && (d.correct & (d.correct - 1)) != 0 && !d.multi) {
        d.multi = 1;
        bank_report_add(rep, q->line, q->col, BANK_SEV_WARNING,
                        "nhiều đáp án có fraction tối đa: nhập thành câu hỏi nhiều "
                        "đáp án");
    }
    bank_builder_add(bb, &d);
done:
    pool_free(&pl);
}

bank *bank_moodle_xml_parse(const char *buf, size_t len, const bank_import_opts *opts,
                            bank_report *rep)
{
    size_t entries = bank_report_count(rep);
    size_t skip;
    char err[512];
    int line = 0;
    int col = 0;
    xml_node *root = NULL;
    xml_node *q;
    bank_builder *bb = NULL;
    bank *b = NULL;

    if (buf == NULL) {
        buf = "";
        len = 0;
    }
    bank_report_set_file(rep, opts ? opts->filename : NULL);
    if (bank_text_check(buf, len, rep, &skip) > 0)
        goto out;
    root = xml_parse(buf + skip, len - skip, err, sizeof(err), &line, &col);
    if (root == NULL) {
        bank_report_add(rep, line, col, BANK_SEV_ERROR, "XML: %s", err);
        goto out;
    }
    if (strcmp(root->name, "quiz") != 0) {
        bank_report_add(rep, root->line, root->col, BANK_SEV_ERROR,
                        "phần tử gốc là <%.*s>, cần <quiz> (tệp câu hỏi Moodle "
                        "XML)",
                        (int)bank_utf8_prefix(root->name, 40), root->name);
        goto out;
    }
    bb = bank_builder_new(rep, opts);
    if (bb == NULL) {
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
        goto out;
    }
    for (q = root->first; q != NULL; q = q->next) {
        if (strcmp(q->name, "cchc_bank") == 0) {
            bank_builder_meta(bb, xml_attr(q, "id"), xml_attr(q, "title"));
            continue;
        }
        if (strcmp(q->name, "question") != 0) {
            bank_report_add(rep, q->line, q->col, BANK_SEV_WARNING,
                            "đã bỏ qua <%.*s> (cần <question>)",
                            (int)bank_utf8_prefix(q->name, 40), q->name);
            continue;
        }
        question(rep, bb, q);
    }
    b = bank_builder_finish(bb);
    bb = NULL;
out:
    bank_report_sort(rep, entries);
    bank_builder_free(bb);
    xml_free(root);
    return b;
}

/* ---- writer ------------------------------------------------------------------------- */

static int put_text(buf *out, const char *indent, const char *elem, const char *s)
{
    if (buf_printf(out, "%s<%s format=\"plain_text\"><text>", indent, elem) != 0 ||
        bank_xml_escape(out, s != NULL ? s : "") != 0 ||
        buf_printf(out, "</text></%s>\n", elem) != 0)
        return -1;
    return 0;
}

static int put_category(buf *out, const bank_category *c)
{
    const char *s;

    if (buf_puts(out, "  <question type=\"category\">\n    <category><text>$course$/top/") != 0)
        return -1;
    for (s = c->title; *s != '\0'; s++) {
        char one[2] = {*s, '\0'};

        if (bank_xml_escape(out, one) != 0 || (*s == '/' && buf_puts(out, "/") != 0))
            return -1;
    }
    if (buf_puts(out, "</text></category>\n    <idnumber>") != 0 ||
        bank_xml_escape(out, c->id) != 0 || buf_puts(out, "</idnumber>\n  </question>\n") != 0)
        return -1;
    return 0;
}

static int put_attr(buf *out, const char *name, const char *v)
{
    if (v == NULL)
        return 0;
    if (buf_printf(out, " %s=\"", name) != 0 || bank_xml_escape(out, v) != 0 ||
        buf_puts(out, "\"") != 0)
        return -1;
    return 0;
}

static const char *fraction(int k)
{
    static const char *const w[] = {"100", "100", "50", "33.33333", "25", "20", "16.66667"};

    return k >= 0 && k <= 6 ? w[k] : "100";
}

int bank_moodle_xml_write(const bank *b, buf *out)
{
    const char *current = NULL;
    int i;

    if (buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n  <cchc_bank") != 0 ||
        put_attr(out, "id", b->id) != 0 || put_attr(out, "title", b->title) != 0 ||
        buf_puts(out, "/>\n") != 0)
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
        for (k = 0; k < q->noptions; k++)
            ncorrect += (q->correct_mask >> k) & 1u;
        if (buf_puts(out, "  <question type=\"multichoice\">\n    <name><text>") != 0 ||
            bank_xml_escape(out, q->id) != 0 || buf_puts(out, "</text></name>\n") != 0 ||
            put_text(out, "    ", "questiontext", q->text) != 0 ||
            (q->explanation != NULL &&
             put_text(out, "    ", "generalfeedback", q->explanation) != 0) ||
            buf_puts(out, "    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n"
                          "    <hidden>0</hidden>\n    <idnumber>") != 0 ||
            bank_xml_escape(out, q->id) != 0 ||
            buf_printf(out, "</idnumber>\n    <single>%s</single>\n"
                            "    <shuffleanswers>true</shuffleanswers>\n"
                            "    <answernumbering>ABCD</answernumbering>\n",
                       q->multi ? "false" : "true") != 0)
            return -1;
        for (k = 0; k < q->noptions; k++) {
            int right = (q->correct_mask >> k) & 1u;
            const char *f = right ? (q->multi ? fraction(ncorrect) : "100")
                                  : (q->multi ? "-100" : "0");

            if (buf_printf(out, "    <answer fraction=\"%s\" format=\"plain_text\"><text>", f) != 0 ||
                bank_xml_escape(out, q->options[k]) != 0 ||
                buf_puts(out, "</text></answer>\n") != 0)
                return -1;
        }
        if (q->tags_json != NULL) {
            json_t *arr = json_loads(q->tags_json, 0, NULL);
            size_t j;

            if (buf_puts(out, "    <tags>\n") != 0) {
                json_decref(arr);
                return -1;
            }
            for (j = 0; j < json_array_size(arr); j++) {
                if (buf_puts(out, "      <tag><text>") != 0 ||
                    bank_xml_escape(out, json_string_value(json_array_get(arr, j))) != 0 ||
                    buf_puts(out, "</text></tag>\n") != 0) {
                    json_decref(arr);
                    return -1;
                }
            }
            json_decref(arr);
            if (buf_puts(out, "    </tags>\n") != 0)
                return -1;
        }
        if (buf_puts(out, "    <cchc") != 0 ||
            put_attr(out, "difficulty", bank_difficulty_name(q->difficulty)) != 0 ||
            put_attr(out, "track", bank_track_name(q->track)) != 0 ||
            put_attr(out, "document", q->source_document) != 0 ||
            put_attr(out, "article", q->source_article) != 0 ||
            put_attr(out, "url", q->source_url) != 0 ||
            ((q->multi && (q->correct_mask & (q->correct_mask - 1)) == 0) &&
             put_attr(out, "multi", "true") != 0) ||
            buf_puts(out, "/>\n  </question>\n") != 0)
            return -1;
    }
    return buf_puts(out, "</quiz>\n");
}
