/* bank/formats.c - format names, detection, dispatch, the native writer; see formats.h. */
#include "bank/formats.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bank/aiken.h"
#include "bank/csv.h"
#include "bank/gift.h"
#include "bank/moodle_xml.h"
#include "util/text.h"

static const char *const NAMES[] = {"?", "native", "gift", "aiken", "csv", "xml"};

const char *bank_format_name(bank_format f)
{
    return f >= BANK_FMT_NATIVE && f <= BANK_FMT_XML ? NAMES[f] : "?";
}

bank_format bank_format_from_name(const char *name)
{
    if (name == NULL)
        return BANK_FMT_UNKNOWN;
    if (strcasecmp(name, "native") == 0 || strcasecmp(name, "json") == 0)
        return BANK_FMT_NATIVE;
    if (strcasecmp(name, "gift") == 0)
        return BANK_FMT_GIFT;
    if (strcasecmp(name, "aiken") == 0)
        return BANK_FMT_AIKEN;
    if (strcasecmp(name, "csv") == 0)
        return BANK_FMT_CSV;
    if (strcasecmp(name, "xml") == 0 || strcasecmp(name, "moodle") == 0 ||
        strcasecmp(name, "moodlexml") == 0 || strcasecmp(name, "moodle-xml") == 0)
        return BANK_FMT_XML;
    return BANK_FMT_UNKNOWN;
}

const char *bank_format_extension(bank_format f)
{
    switch (f) {
    case BANK_FMT_NATIVE: return "json";
    case BANK_FMT_GIFT: return "gift.txt";
    case BANK_FMT_AIKEN: return "aiken.txt";
    case BANK_FMT_CSV: return "csv";
    case BANK_FMT_XML: return "xml";
    default: return "txt";
    }
}

const char *bank_format_mime(bank_format f)
{
    switch (f) {
    case BANK_FMT_NATIVE: return "application/json; charset=utf-8";
    case BANK_FMT_CSV: return "text/csv; charset=utf-8";
    case BANK_FMT_XML: return "application/xml; charset=utf-8";
    default: return "text/plain; charset=utf-8";
    }
}

/* Slug of a header cell is one of the CSV question-text names. */
static int csv_header_line(const char *s, size_t n)
{
    char seps[3] = {';', ',', '\t'};
    int k;

    for (k = 0; k < 3; k++) {
        size_t start = 0;
        size_t i;
        int cells = 0;
        int text = 0;

        for (i = 0; i <= n; i++) {
            if (i < n && s[i] != seps[k])
                continue;
            cells++;
            {
                size_t a = start;
                size_t b = i;
                char *cell;
                char *slug;

                while (a < b && (s[a] == '"' || s[a] == ' '))
                    a++;
                while (b > a && (s[b - 1] == '"' || s[b - 1] == ' '))
                    b--;
                cell = malloc(b - a + 1);
                if (cell == NULL)
                    return 0;
                memcpy(cell, s + a, b - a);
                cell[b - a] = '\0';
                slug = text_utf8_validate(cell, b - a, NULL) == 0 ? bank_slug(cell) : NULL;
                if (slug != NULL &&
                    (strcmp(slug, "text") == 0 || strcmp(slug, "cau-hoi") == 0 ||
                     strcmp(slug, "question") == 0 || strcmp(slug, "noi-dung") == 0 ||
                     strcmp(slug, "noi-dung-cau-hoi") == 0))
                    text = 1;
                free(slug);
                free(cell);
            }
            start = i + 1;
        }
        if (cells >= 3 && text)
            return 1;
    }
    return 0;
}

static int starts_ci(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);

    return n >= l && strncasecmp(s, lit, l) == 0;
}

bank_format bank_format_detect(const char *buf, size_t len, const char *filename)
{
    size_t i = 0;
    int answers = 0;
    int options = 0;
    int gift = 0;
    int first = 1;
    size_t scanned = 0;
    const char *ext;

    if (buf == NULL)
        len = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    if (i < len && buf[i] == '{')
        return BANK_FMT_NATIVE;
    if (i < len && buf[i] == '<')
        return BANK_FMT_XML;
    /* look at the lines (the first 2,000 of them) */
    while (i < len && scanned < 2000) {
        size_t end = i;
        size_t a;

        while (end < len && buf[end] != '\n' && buf[end] != '\r')
            end++;
        a = i;
        while (a < end && (buf[a] == ' ' || buf[a] == '\t'))
            a++;
        if (a < end) {
            const char *s = buf + a;
            size_t n = end - a;

            if (first && (starts_ci(s, n, "sep=") || csv_header_line(s, n)))
                return BANK_FMT_CSV;
            first = 0;
            if (starts_ci(s, n, "ANSWER:") || starts_ci(s, n, "ANSWER :") ||
                starts_ci(s, n, "\xC4\x90\xC3\x81P \xC3\x81N") ||
                starts_ci(s, n, "\xC4\x90\xC3\xA1p \xC3\xA1n"))
                answers++;
            if (n >= 2 && s[0] >= 'A' && s[0] <= 'Z' && (s[1] == ')' || s[1] == '.'))
                options++;
            if (starts_ci(s, n, "$CATEGORY:") || (n >= 2 && s[0] == ':' && s[1] == ':') ||
                memchr(s, '{', n) != NULL)
                gift++;
        }
        i = end;
        if (i < len)
            i += (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n') ? 2 : 1;
        scanned++;
    }
    if (answers > 0 && options >= answers * 2)
        return BANK_FMT_AIKEN;
    if (gift > 0)
        return BANK_FMT_GIFT;
    if (answers > 0)
        return BANK_FMT_AIKEN;
    ext = filename != NULL ? strrchr(filename, '.') : NULL;
    if (ext != NULL) {
        if (strcasecmp(ext, ".json") == 0)
            return BANK_FMT_NATIVE;
        if (strcasecmp(ext, ".gift") == 0)
            return BANK_FMT_GIFT;
        if (strcasecmp(ext, ".csv") == 0)
            return BANK_FMT_CSV;
        if (strcasecmp(ext, ".xml") == 0)
            return BANK_FMT_XML;
        if (strcasecmp(ext, ".aiken") == 0)
            return BANK_FMT_AIKEN;
    }
    return BANK_FMT_UNKNOWN;
}

/* An explicit id/title replacing the native file's own. */
static bank *override(bank *b, const bank_import_opts *opts, bank_report *rep)
{
    if (b == NULL || opts == NULL)
        return b;
    if (opts->id != NULL && *opts->id != '\0' && strcmp(opts->id, b->id) != 0) {
        char *id;

        if (!bank_valid_id(opts->id)) {
            bank_report_add(rep, 0, 0, BANK_SEV_ERROR,
                            "mã ngân hàng gửi kèm khi tải lên không hợp lệ (từ 1 đến %d ký "
                            "tự a-z, 0-9, '-', '_', '.')",
                            BANK_ID_MAX);
            bank_free(b);
            return NULL;
        }
        id = strdup(opts->id);
        if (id == NULL) {
            bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
            bank_free(b);
            return NULL;
        }
        bank_report_add(rep, 0, 0, BANK_SEV_WARNING,
                        "mã ngân hàng \"%s\" gửi kèm khi tải lên thay cho mã \"%s\" trong tệp",
                        opts->id, b->id);
        free(b->id);
        b->id = id;
    }
    if (opts->title != NULL && !text_is_blank(opts->title)) {
        char *t = text_nfc(opts->title, strlen(opts->title), NULL);

        if (t == NULL || text_length_chars(t) > BANK_TITLE_MAX) {
            free(t);
            bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "tên ngân hàng không hợp lệ hoặc quá dài");
            bank_free(b);
            return NULL;
        }
        free(b->title);
        b->title = t;
    }
    return b;
}

bank *bank_parse_format(const char *buf, size_t len, bank_format fmt,
                        const bank_import_opts *opts, bank_report *rep,
                        bank_format *detected)
{
    const char *name = opts != NULL ? opts->filename : NULL;

    if (fmt == BANK_FMT_UNKNOWN)
        fmt = bank_format_detect(buf, len, name);
    if (detected != NULL)
        *detected = fmt;
    switch (fmt) {
    case BANK_FMT_NATIVE:
        return override(bank_parse_json(buf, len, name, rep), opts, rep);
    case BANK_FMT_GIFT:
        return bank_gift_parse(buf, len, opts, rep);
    case BANK_FMT_AIKEN:
        return bank_aiken_parse(buf, len, opts, rep);
    case BANK_FMT_CSV:
        return bank_csv_parse(buf, len, opts, rep);
    case BANK_FMT_XML:
        return bank_moodle_xml_parse(buf, len, opts, rep);
    default:
        bank_report_set_file(rep, name);
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR,
                        "không xác định được định dạng tệp: hãy chỉ rõ (native, gift, "
                        "aiken, csv hoặc xml)");
        return NULL;
    }
}

int bank_native_write(const bank *b, buf *out)
{
    json_t *root = json_object();
    json_t *cats = json_array();
    json_t *qs = json_array();
    char *s = NULL;
    int i;
    int rc = -1;

    if (root == NULL || cats == NULL || qs == NULL)
        goto done;
    json_object_set_new(root, "format", json_string(BANK_FORMAT));
    json_object_set_new(root, "id", json_string(b->id));
    json_object_set_new(root, "title", json_string(b->title));
    json_object_set_new(root, "version", json_integer(b->version > 0 ? b->version : 1));
    for (i = 0; i < b->ncategories; i++)
        json_array_append_new(cats, json_pack("{s:s, s:s}", "id", b->categories[i].id,
                                              "title", b->categories[i].title));
    for (i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];
        json_t *o = json_object();
        json_t *opts = json_array();
        json_t *correct;
        int k;

        if (o == NULL || opts == NULL) {
            json_decref(o);
            json_decref(opts);
            goto done;
        }
        for (k = 0; k < q->noptions; k++)
            json_array_append_new(opts, json_string(q->options[k]));
        if (q->multi) {
            correct = json_array();
            for (k = 0; k < q->noptions; k++) {
                if ((q->correct_mask >> k) & 1u)
                    json_array_append_new(correct, json_integer(k));
            }
        } else {
            k = 0;
            while (k < q->noptions && !((q->correct_mask >> k) & 1u))
                k++;
            correct = json_integer(k);
        }
        json_object_set_new(o, "id", json_string(q->id));
        json_object_set_new(o, "category", json_string(q->category));
        json_object_set_new(o, "difficulty", json_string(bank_difficulty_name(q->difficulty)));
        json_object_set_new(o, "track", json_string(bank_track_name(q->track)));
        json_object_set_new(o, "text", json_string(q->text));
        json_object_set_new(o, "options", opts);
        json_object_set_new(o, "correct", correct);
        if (q->explanation != NULL)
            json_object_set_new(o, "explanation", json_string(q->explanation));
        if (q->source_document != NULL || q->source_article != NULL || q->source_url != NULL) {
            json_t *src = json_object();

            if (q->source_document != NULL)
                json_object_set_new(src, "document", json_string(q->source_document));
            if (q->source_article != NULL)
                json_object_set_new(src, "article", json_string(q->source_article));
            if (q->source_url != NULL)
                json_object_set_new(src, "url", json_string(q->source_url));
            json_object_set_new(o, "source", src);
        }
        if (q->tags_json != NULL) {
            json_t *t = json_loads(q->tags_json, 0, NULL);

            if (t != NULL)
                json_object_set_new(o, "tags", t);
        }
        json_array_append_new(qs, o);
    }
    json_object_set_new(root, "categories", cats);
    json_object_set_new(root, "questions", qs);
    cats = NULL;
    qs = NULL;
    s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s == NULL)
        goto done;
    rc = buf_puts(out, s) == 0 && buf_puts(out, "\n") == 0 ? 0 : -1;
done:
    free(s);
    json_decref(cats);
    json_decref(qs);
    json_decref(root);
    return rc;
}

int bank_write_format(const bank *b, bank_format fmt, int plain, buf *out, int *skipped)
{
    if (skipped != NULL)
        *skipped = 0;
    switch (fmt) {
    case BANK_FMT_NATIVE: return bank_native_write(b, out);
    case BANK_FMT_GIFT: return bank_gift_write(b, out);
    case BANK_FMT_AIKEN: return bank_aiken_write(b, plain, out, skipped);
    case BANK_FMT_CSV: return bank_csv_write(b, out);
    case BANK_FMT_XML: return bank_moodle_xml_write(b, out);
    default: return -1;
    }
}
