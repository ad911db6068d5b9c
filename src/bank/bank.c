/* bank/bank.c - native JSON bank parser and validator; see bank.h and
 * docs/bank-format.md. */
#include "bank/bank.h"
#include "util/strmap.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/jsonpos.h"
#include "util/text.h"

#define MAX_UTF8_REPORTS 20 /* invalid UTF-8 sequences listed before giving up */
#define QUOTE_MAX 60        /* characters of a user value quoted in a message */

struct ctx {
    const char *buf;
    size_t len;
    jsonpos_index *pos;
    bank_report *rep;
    int oom;
};

static const char *const ROOT_KEYS[] = {"format", "id", "title", "version", "categories",
                                        "questions", NULL};
static const char *const CATEGORY_KEYS[] = {"id", "title", NULL};
static const char *const QUESTION_KEYS[] = {"id", "category", "difficulty", "track",
                                            "text", "options", "correct", "explanation",
                                            "source", "tags", NULL};
static const char *const SOURCE_KEYS[] = {"document", "article", "url", NULL};

static const char *const DIFFICULTY_NAMES[] = {NULL, "easy", "medium", "hard"};
static const char *const TRACK_NAMES[] = {"both", "cbccvc", "citizen"};

/* ---- small helpers ---------------------------------------------------------------- */

/* Copies at most QUOTE_MAX characters of the UTF-8 string s into out (for a message),
 * cutting at a character boundary and replacing control characters and '"' with '?'. */
static void quote(const char *s, char out[static QUOTE_MAX * 4 + 4])
{
    size_t chars = 0;
    size_t o = 0;

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c & 0xC0) != 0x80) {
            if (chars == QUOTE_MAX) {
                memcpy(out + o, "\xE2\x80\xA6", 3); /* ellipsis */
                o += 3;
                break;
            }
            chars++;
        }
        out[o++] = (c < 0x20 || c == 0x7F || c == '"') ? '?' : (char)c;
    }
    out[o] = '\0';
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

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "mảng";
    case JSON_STRING: return "chuỗi";
    case JSON_INTEGER: return "số nguyên";
    case JSON_REAL: return "số thập phân";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "giá trị khác";
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t row[32];
    size_t i;
    size_t j;

    if (la > 30 || lb > 30)
        return SIZE_MAX;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* ---- diagnostics ---------------------------------------------------------------- */

/* Finds a position for path: the value (or, with want_key, its key); when the path is
 * not in the text (a missing field), the nearest enclosing value that is. */
static void locate(const struct ctx *cx, const char *path, int want_key, int *line, int *col)
{
    char *p = strdup(path);

    *line = 0;
    *col = 0;
    if (p == NULL)
        return;
    for (;;) {
        char *cut;
        char *dot;
        int found = want_key ? jsonpos_lookup_key(cx->pos, p, line, col)
                             : jsonpos_lookup(cx->pos, p, line, col);

        if (found == 0 || p[0] == '\0')
            break;
        cut = strrchr(p, '[');
        dot = strrchr(p, '.');
        if (dot != NULL && (cut == NULL || dot > cut))
            cut = dot;
        if (cut == NULL)
            cut = p;
        *cut = '\0';
        want_key = 0;
    }
    free(p);
}

static void vdiag(struct ctx *cx, bank_severity sev, const char *path, const char *fmt,
                  va_list ap)
{
    char *msg = NULL;
    int line;
    int col;

    if (vasprintf(&msg, fmt, ap) < 0) {
        msg = NULL;
        cx->oom = 1;
        goto fail;
    }
    locate(cx, path, 0, &line, &col);
    if (path[0] != '\0')
        bank_report_add(cx->rep, line, col, sev, "%s: %s", path, msg);
    else
        bank_report_add(cx->rep, line, col, sev, "%s", msg);
fail:
    free(msg);
}

/* Reports an error about the value at path (positioned at the value). */
static void __attribute__((format(printf, 3, 4)))
error_at(struct ctx *cx, const char *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(cx, BANK_SEV_ERROR, path, fmt, ap);
    va_end(ap);
}

/* Reports a warning about the value at path (positioned at the value). */
static void __attribute__((format(printf, 3, 4)))
warning_at(struct ctx *cx, const char *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(cx, BANK_SEV_WARNING, path, fmt, ap);
    va_end(ap);
}

/* ---- field readers -------------------------------------------------------------- */

/* Reports every key of obj that is not in allowed, at the key's position. */
static void check_keys(struct ctx *cx, json_t *obj, const char *path,
                       const char *const allowed[])
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v) {
        char q[QUOTE_MAX * 4 + 4];
        char *kpath = NULL;
        const char *hint = NULL;
        size_t best = 3;
        size_t i;
        int line;
        int col;

        for (i = 0; allowed[i] != NULL; i++) {
            if (strcmp(key, allowed[i]) == 0)
                break;
        }
        if (allowed[i] != NULL)
            continue;
        for (i = 0; allowed[i] != NULL; i++) {
            size_t d = edit_distance(key, allowed[i]);

            if (d < best && d * 2 < strlen(key)) {
                best = d;
                hint = allowed[i];
            }
        }
        quote(key, q);
        if (asprintf(&kpath, "%s%s%s", path, path[0] ? "." : "", key) < 0) {
            kpath = NULL;
            cx->oom = 1;
            continue;
        }
        locate(cx, kpath, 1, &line, &col);
        free(kpath);
        bank_report_add(cx->rep, line, col, BANK_SEV_ERROR, "%s%strường \"%s\" không xác định%s%s%s",
                        path, path[0] ? ": " : "", q, hint ? " (có phải \"" : "",
                        hint ? hint : "", hint ? "\"?)" : "");
    }
}

/* Returns the member called name of obj, or NULL (reported as missing when required). */
static json_t *member(struct ctx *cx, json_t *obj, const char *path, const char *name,
                      int required)
{
    json_t *v = json_object_get(obj, name);

    if (v == NULL && required)
        error_at(cx, path, "thiếu trường \"%s\"", name);
    return v;
}

/* Path helpers. Paths built here are short; a cut one only loses its position. */
static void join(char *out, size_t size, const char *path, const char *name)
{
    if (snprintf(out, size, "%s%s%s", path, path[0] ? "." : "", name) < 0)
        out[0] = '\0';
}

static void join_index(char *out, size_t size, const char *path, size_t i)
{
    if (snprintf(out, size, "%s[%zu]", path, i) < 0)
        out[0] = '\0';
}

/* Reads a string value as a new NFC string (caller frees) of at most max characters;
 * with nonempty, blank strings are errors. Returns NULL after reporting a problem. */
static char *read_text(struct ctx *cx, json_t *v, const char *path, size_t max, int nonempty)
{
    const char *why = NULL;
    char *s = NULL;
    size_t n;

    if (!json_is_string(v)) {
        error_at(cx, path, "phải là chuỗi, không phải %s", type_name(v));
        goto fail;
    }
    s = text_nfc(json_string_value(v), json_string_length(v), &why);
    if (s == NULL) {
        error_at(cx, path, "%s", text_error_vi(why));
        goto fail;
    }
    text_lf(s); /* one kind of line break, whatever the file's */
    n = text_length_chars(s);
    if (n > max) {
        error_at(cx, path, "quá dài (%zu ký tự, tối đa %zu)", n, max);
        goto fail;
    }
    if (nonempty && text_is_blank(s)) {
        error_at(cx, path, "không được để trống");
        goto fail;
    }
    if (text_looks_legacy_vietnamese(s)) {
        /* never imported as mojibake */
        error_at(cx, path, "văn bản có vẻ dùng bảng mã cũ TCVN3/VNI, hãy chuyển "
                           "sang Unicode (UTF-8)");
        goto fail;
    }
    return s;
fail:
    free(s);
    return NULL;
}

static int valid_id(const char *s)
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

/* Reads an id (bank, category or question). Returns NULL after reporting a problem. */
static char *read_id(struct ctx *cx, json_t *v, const char *path)
{
    char q[QUOTE_MAX * 4 + 4];
    char *s = read_text(cx, v, path, SIZE_MAX, 0);

    if (s == NULL)
        goto fail;
    if (!valid_id(s)) {
        quote(s, q);
        error_at(cx, path,
                 "mã \"%s\" không hợp lệ (từ 1 đến %d ký tự a-z, 0-9, '-', '_', '.')", q,
                 BANK_ID_MAX);
        goto fail;
    }
    return s;
fail:
    free(s);
    return NULL;
}

/* ---- categories ----------------------------------------------------------------- */

static void parse_categories(struct ctx *cx, json_t *arr, bank *b, strmap *ids)
{
    size_t n;
    size_t i;

    if (!json_is_array(arr)) {
        error_at(cx, "categories", "phải là mảng, không phải %s", type_name(arr));
        return;
    }
    n = json_array_size(arr);
    if (n == 0) {
        error_at(cx, "categories", "phải có ít nhất một nhóm");
        return;
    }
    if (n > INT_MAX / 2) {
        error_at(cx, "categories", "quá nhiều nhóm");
        return;
    }
    b->categories = calloc(n, sizeof(*b->categories));
    if (b->categories == NULL) {
        cx->oom = 1;
        return;
    }
    b->ncategories = (int)n;
    for (i = 0; i < n; i++) {
        json_t *c = json_array_get(arr, i);
        bank_category *cat = &b->categories[i];
        char path[64];
        char fpath[96];
        json_t *v;
        int first;
        int rc;

        snprintf(path, sizeof(path), "categories[%zu]", i);
        if (!json_is_object(c)) {
            error_at(cx, path, "phải là object, không phải %s", type_name(c));
            continue;
        }
        check_keys(cx, c, path, CATEGORY_KEYS);
        v = member(cx, c, path, "id", 1);
        if (v != NULL) {
            join(fpath, sizeof(fpath), path, "id");
            cat->id = read_id(cx, v, fpath);
        }
        if (cat->id != NULL) {
            rc = strmap_add(ids, cat->id, (int)i, &first);
            if (rc < 0)
                cx->oom = 1;
            if (rc == 1) {
                int line = 0;
                int col = 0;
                char q[QUOTE_MAX * 4 + 4];
                char other[64];

                snprintf(other, sizeof(other), "categories[%d]", first);
                locate(cx, other, 0, &line, &col);
                quote(cat->id, q);
                error_at(cx, fpath, "mã nhóm \"%s\" bị trùng (đã dùng ở dòng %d)", q,
                         line);
            }
        }
        v = member(cx, c, path, "title", 1);
        if (v != NULL) {
            join(fpath, sizeof(fpath), path, "title");
            cat->title = read_text(cx, v, fpath, BANK_TITLE_MAX, 1);
        }
    }
}

/* ---- questions ------------------------------------------------------------------ */

static void parse_options(struct ctx *cx, json_t *arr, const char *path, bank_question *q,
                          size_t *count)
{
    char *keys[BANK_OPTIONS_MAX] = {NULL};
    size_t n;
    size_t i;

    *count = 0;
    if (!json_is_array(arr)) {
        error_at(cx, path, "phải là mảng các chuỗi, không phải %s", type_name(arr));
        return;
    }
    n = json_array_size(arr);
    *count = n;
    if (n < BANK_OPTIONS_MIN || n > BANK_OPTIONS_MAX)
        error_at(cx, path, "%zu lựa chọn (mỗi câu hỏi có từ %d đến %d lựa chọn)", n,
                 BANK_OPTIONS_MIN, BANK_OPTIONS_MAX);
    for (i = 0; i < n && i < BANK_OPTIONS_MAX; i++) {
        char opath[96];
        size_t j;

        join_index(opath, sizeof(opath), path, i);
        q->options[i] = read_text(cx, json_array_get(arr, i), opath, BANK_OPTION_MAX, 1);
        q->noptions = (int)i + 1;
        if (q->options[i] == NULL)
            continue;
        keys[i] = text_fold_key(q->options[i]);
        if (keys[i] == NULL) {
            cx->oom = 1;
            continue;
        }
        for (j = 0; j < i; j++) {
            if (keys[j] != NULL && strcmp(keys[i], keys[j]) == 0) {
                error_at(cx, opath, "trùng với options[%zu]", j);
                break;
            }
        }
    }
    for (i = 0; i < BANK_OPTIONS_MAX; i++)
        free(keys[i]);
}

/* Checks one option index; returns its bit, or 0 after reporting a problem. */
static unsigned read_index(struct ctx *cx, json_t *v, const char *path, size_t noptions,
                           int have_options)
{
    json_int_t k;

    if (!json_is_integer(v)) {
        error_at(cx, path, "phải là chỉ số của một lựa chọn (số nguyên), không phải %s", type_name(v));
        return 0;
    }
    k = json_integer_value(v);
    if (!have_options)
        return 0;
    if (k < 0 || (size_t)k >= noptions) {
        error_at(cx, path, "chỉ số %" JSON_INTEGER_FORMAT " vượt quá số lựa chọn (có %zu lựa chọn)",
                 k, noptions);
        return 0;
    }
    if (k >= BANK_OPTIONS_MAX)
        return 0; /* too many options: reported already */
    return 1u << k;
}

static void parse_correct(struct ctx *cx, json_t *v, const char *path, bank_question *q,
                          size_t noptions, int have_options)
{
    size_t i;

    if (json_is_integer(v)) {
        q->correct_mask = read_index(cx, v, path, noptions, have_options);
        return;
    }
    if (!json_is_array(v)) {
        error_at(cx, path, "phải là chỉ số của một lựa chọn hoặc mảng các chỉ số, không phải %s",
                 type_name(v));
        return;
    }
    q->multi = 1;
    if (json_array_size(v) == 0) {
        error_at(cx, path, "phải có ít nhất một đáp án đúng");
        return;
    }
    for (i = 0; i < json_array_size(v); i++) {
        char ipath[96];
        unsigned bit;

        join_index(ipath, sizeof(ipath), path, i);
        bit = read_index(cx, json_array_get(v, i), ipath, noptions, have_options);
        if (bit != 0 && (q->correct_mask & bit) != 0)
            error_at(cx, ipath, "chỉ số %" JSON_INTEGER_FORMAT " bị lặp lại",
                     json_integer_value(json_array_get(v, i)));
        q->correct_mask |= bit;
    }
}

static void parse_source(struct ctx *cx, json_t *src, const char *qpath, bank_question *q)
{
    char path[96];
    char fpath[128];
    json_t *v;

    join(path, sizeof(path), qpath, "source");
    if (!json_is_object(src)) {
        error_at(cx, path, "phải là object {document, article, url}, không phải %s",
                 type_name(src));
        return;
    }
    check_keys(cx, src, path, SOURCE_KEYS);
    v = member(cx, src, path, "document", 0);
    if (v == NULL) {
        warning_at(cx, path, "chưa ghi tên văn bản nguồn (document)");
    } else {
        join(fpath, sizeof(fpath), path, "document");
        q->source_document = read_text(cx, v, fpath, BANK_SOURCE_FIELD_MAX, 1);
    }
    v = member(cx, src, path, "article", 0);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "article");
        q->source_article = read_text(cx, v, fpath, BANK_SOURCE_FIELD_MAX, 1);
    }
    v = member(cx, src, path, "url", 0);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "url");
        q->source_url = read_text(cx, v, fpath, BANK_URL_MAX, 1);
        if (q->source_url != NULL &&
            ((strncmp(q->source_url, "https://", 8) != 0 &&
              strncmp(q->source_url, "http://", 7) != 0) ||
             strpbrk(q->source_url, " \t\r\n") != NULL)) {
            error_at(cx, fpath, "không phải địa chỉ http:// hoặc https://");
            free(q->source_url);
            q->source_url = NULL;
        }
    }
}

static void parse_tags(struct ctx *cx, json_t *arr, const char *qpath, bank_question *q)
{
    char path[96];
    json_t *out = NULL;
    size_t i;

    join(path, sizeof(path), qpath, "tags");
    if (!json_is_array(arr)) {
        error_at(cx, path, "phải là mảng các chuỗi, không phải %s", type_name(arr));
        goto fail;
    }
    if (json_array_size(arr) > BANK_TAGS_MAX) {
        error_at(cx, path, "%zu nhãn (tối đa %d)", json_array_size(arr), BANK_TAGS_MAX);
        goto fail;
    }
    if (json_array_size(arr) == 0)
        goto fail;
    out = json_array();
    if (out == NULL) {
        cx->oom = 1;
        goto fail;
    }
    for (i = 0; i < json_array_size(arr); i++) {
        char tpath[128];
        char *tag;

        join_index(tpath, sizeof(tpath), path, i);
        tag = read_text(cx, json_array_get(arr, i), tpath, BANK_TAG_MAX, 1);
        if (tag == NULL)
            continue;
        if (json_array_append_new(out, json_string(tag)) != 0)
            cx->oom = 1;
        free(tag);
    }
    q->tags_json = json_dumps(out, JSON_COMPACT);
    if (q->tags_json == NULL)
        cx->oom = 1;
fail:
    json_decref(out);
}

struct qsets {
    strmap ids;    /* question id -> index */
    strmap texts;  /* folded text -> index */
    char **text_keys;     /* owned folded texts, one per question */
};

static void parse_question(struct ctx *cx, json_t *qv, int index, bank *b,
                           const strmap *cats, struct qsets *sets)
{
    bank_question *q = &b->questions[index];
    char path[64];
    char fpath[96];
    char qt[QUOTE_MAX * 4 + 4];
    json_t *v;
    size_t noptions = 0;
    int have_options = 0;
    int col;
    int first;
    int rc;

    snprintf(path, sizeof(path), "questions[%d]", index);
    locate(cx, path, 0, &q->line, &col);
    if (!json_is_object(qv)) {
        error_at(cx, path, "phải là object, không phải %s", type_name(qv));
        return;
    }
    check_keys(cx, qv, path, QUESTION_KEYS);

    v = member(cx, qv, path, "id", 1);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "id");
        q->id = read_id(cx, v, fpath);
    }
    if (q->id != NULL) {
        rc = strmap_add(&sets->ids, q->id, index, &first);
        if (rc < 0)
            cx->oom = 1;
        if (rc == 1) {
            quote(q->id, qt);
            error_at(cx, fpath, "mã câu hỏi \"%s\" bị trùng (đã dùng ở questions[%d], "
                                "dòng %d)", qt, first, b->questions[first].line);
        }
    }

    v = member(cx, qv, path, "category", 1);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "category");
        q->category = read_text(cx, v, fpath, SIZE_MAX, 1);
        if (q->category != NULL && !(strmap_get(cats, q->category) >= 0)) {
            quote(q->category, qt);
            error_at(cx, fpath, "nhóm \"%s\" không có trong \"categories\"", qt);
        }
    }

    v = member(cx, qv, path, "difficulty", 1);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "difficulty");
        if (!json_is_string(v)) {
            error_at(cx, fpath, "phải là chuỗi, không phải %s", type_name(v));
        } else {
            int d = bank_difficulty_from_name(json_string_value(v));

            quote(json_string_value(v), qt);
            if (d < 0)
                error_at(cx, fpath, "độ khó \"%s\" không hợp lệ (phải là easy, medium "
                                    "hoặc hard)", qt);
            else
                q->difficulty = (bank_difficulty)d;
        }
    }

    v = member(cx, qv, path, "track", 1);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "track");
        if (!json_is_string(v)) {
            error_at(cx, fpath, "phải là chuỗi, không phải %s", type_name(v));
        } else {
            int t = bank_track_from_name(json_string_value(v));

            quote(json_string_value(v), qt);
            if (t < 0)
                error_at(cx, fpath, "đối tượng \"%s\" không hợp lệ (phải là cbccvc, "
                                    "citizen hoặc both)", qt);
            else
                q->track = (bank_track)t;
        }
    }

    v = member(cx, qv, path, "text", 1);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "text");
        q->text = read_text(cx, v, fpath, BANK_TEXT_MAX, 1);
    }
    if (q->text != NULL) {
        sets->text_keys[index] = text_fold_key(q->text);
        if (sets->text_keys[index] == NULL) {
            cx->oom = 1;
        } else {
            rc = strmap_add(&sets->texts, sets->text_keys[index], index, &first);
            if (rc < 0)
                cx->oom = 1;
            if (rc == 1) {
                char other[96];
                int line = 0;
                int ocol = 0;

                snprintf(other, sizeof(other), "questions[%d].text", first);
                locate(cx, other, 0, &line, &ocol);
                warning_at(cx, fpath, "trùng nội dung với questions[%d] (dòng %d)", first, line);
            }
        }
    }

    v = member(cx, qv, path, "options", 1);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "options");
        parse_options(cx, v, fpath, q, &noptions);
        have_options = json_is_array(v);
    }

    v = member(cx, qv, path, "correct", 1);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "correct");
        parse_correct(cx, v, fpath, q, noptions, have_options);
    }

    v = member(cx, qv, path, "explanation", 0);
    if (v != NULL) {
        join(fpath, sizeof(fpath), path, "explanation");
        q->explanation = read_text(cx, v, fpath, BANK_EXPLANATION_MAX, 0);
        if (q->explanation != NULL && text_is_blank(q->explanation)) {
            free(q->explanation);
            q->explanation = NULL;
            warning_at(cx, fpath, "phần giải thích để trống");
        }
    } else {
        warning_at(cx, path, "chưa có giải thích");
    }

    v = member(cx, qv, path, "source", 0);
    if (v != NULL)
        parse_source(cx, v, path, q);
    else
        warning_at(cx, path, "chưa có nguồn");

    v = member(cx, qv, path, "tags", 0);
    if (v != NULL)
        parse_tags(cx, v, path, q);
}

static void parse_questions(struct ctx *cx, json_t *arr, bank *b, const strmap *cats)
{
    struct qsets sets = {{0}, {0}, NULL};
    size_t n;
    size_t i;

    if (!json_is_array(arr)) {
        error_at(cx, "questions", "phải là mảng, không phải %s", type_name(arr));
        return;
    }
    n = json_array_size(arr);
    if (n == 0) {
        error_at(cx, "questions", "phải có ít nhất một câu hỏi");
        return;
    }
    if (n > BANK_QUESTIONS_MAX) {
        /* the rest is not checked: a bank this large is refused anyway */
        error_at(cx, "questions", "%zu câu hỏi (mỗi ngân hàng tối đa %d câu)", n,
                 BANK_QUESTIONS_MAX);
        return;
    }
    b->questions = calloc(n, sizeof(*b->questions));
    sets.text_keys = calloc(n, sizeof(*sets.text_keys));
    if (b->questions == NULL || sets.text_keys == NULL) {
        cx->oom = 1;
    } else {
        b->nquestions = (int)n;
        for (i = 0; i < n; i++)
            parse_question(cx, json_array_get(arr, i), (int)i, b, cats, &sets);
    }
    strmap_free(&sets.ids);
    strmap_free(&sets.texts);
    if (sets.text_keys != NULL) {
        for (i = 0; i < n; i++)
            free(sets.text_keys[i]);
    }
    free(sets.text_keys);
}

/* ---- the bank ------------------------------------------------------------------- */

static void parse_root(struct ctx *cx, json_t *root, bank *b)
{
    strmap cats = {0};
    json_t *v;

    if (!json_is_object(root)) {
        error_at(cx, "", "ngân hàng câu hỏi phải là một object JSON, không phải %s", type_name(root));
        return;
    }
    check_keys(cx, root, "", ROOT_KEYS);

    v = member(cx, root, "", "format", 1);
    if (v != NULL) {
        if (!json_is_string(v)) {
            error_at(cx, "format", "phải là chuỗi, không phải %s", type_name(v));
        } else if (strcmp(json_string_value(v), BANK_FORMAT) != 0) {
            char q[QUOTE_MAX * 4 + 4];

            quote(json_string_value(v), q);
            error_at(cx, "format", "định dạng \"%s\" không được hỗ trợ (cần \"%s\")", q,
                     BANK_FORMAT);
        }
    }

    v = member(cx, root, "", "id", 1);
    if (v != NULL)
        b->id = read_id(cx, v, "id");

    v = member(cx, root, "", "title", 1);
    if (v != NULL)
        b->title = read_text(cx, v, "title", BANK_TITLE_MAX, 1);

    v = member(cx, root, "", "version", 1);
    if (v != NULL) {
        if (!json_is_integer(v))
            error_at(cx, "version", "phải là số nguyên, không phải %s", type_name(v));
        else if (json_integer_value(v) < 1 || json_integer_value(v) > INT_MAX)
            error_at(cx, "version", "%" JSON_INTEGER_FORMAT " nằm ngoài phạm vi (từ 1 đến %d)",
                     json_integer_value(v), INT_MAX);
        else
            b->version = (int)json_integer_value(v);
    }

    v = member(cx, root, "", "categories", 1);
    if (v != NULL)
        parse_categories(cx, v, b, &cats);

    v = member(cx, root, "", "questions", 1);
    if (v != NULL)
        parse_questions(cx, v, b, &cats);
    strmap_free(&cats);
}

/* Reports each invalid UTF-8 sequence (up to a limit). Returns the number found. */
static size_t report_bad_utf8(struct ctx *cx)
{
    size_t off = 0;
    size_t found = 0;
    int line = 1;
    int col = 1;
    size_t at = 0; /* offset that line/col describe */

    while (off < cx->len) {
        size_t bad;
        int l;
        int c;

        if (text_utf8_validate(cx->buf + off, cx->len - off, &bad) == 0)
            break;
        bad += off;
        /* continue the line count from the previous report instead of from the start */
        jsonpos_linecol(cx->buf + at, cx->len - at, bad - at, &l, &c);
        if (l > 1) {
            line += l - 1;
            col = c;
        } else {
            col += c - 1;
        }
        at = bad;
        found++;
        if (found <= MAX_UTF8_REPORTS)
            bank_report_add(cx->rep, line, col, BANK_SEV_ERROR,
                            "không phải UTF-8 hợp lệ (byte 0x%02X); hãy lưu tệp dạng UTF-8",
                            (unsigned char)cx->buf[bad]);
        /* the continuation bytes of a bad sequence belong to the same error */
        off = bad + 1;
        while (off < cx->len && ((unsigned char)cx->buf[off] & 0xC0) == 0x80)
            off++;
    }
    if (found > MAX_UTF8_REPORTS)
        bank_report_add(cx->rep, 0, 0, BANK_SEV_ERROR,
                        "còn %zu chuỗi byte UTF-8 không hợp lệ khác chưa liệt kê",
                        found - MAX_UTF8_REPORTS);
    return found;
}

bank *bank_parse_json(const char *buf, size_t len, const char *filename, bank_report *rep)
{
    struct ctx cx = {0};
    size_t errors_before;
    size_t entries_before;
    json_error_t jerr;
    json_t *root = NULL;
    bank *b = NULL;

    if (buf == NULL) {
        buf = "";
        len = 0;
    }
    if (bank_report_set_file(rep, filename) != 0)
        cx.oom = 1;
    errors_before = bank_report_errors(rep);
    entries_before = bank_report_count(rep);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    cx.buf = buf;
    cx.len = len;
    cx.rep = rep;
    if (report_bad_utf8(&cx) > 0)
        goto fail;
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        bank_report_add(rep, jerr.line, jerr.column, BANK_SEV_ERROR, "JSON không hợp lệ: %s",
                        jerr.text);
        goto fail;
    }
    cx.pos = jsonpos_build(buf, len); /* NULL only when out of memory: no positions */
    b = calloc(1, sizeof(*b));
    if (b == NULL) {
        cx.oom = 1;
        goto fail;
    }
    parse_root(&cx, root, b);
    bank_report_sort(rep, entries_before);
    if (cx.oom)
        goto fail;
    if (bank_report_errors(rep) > errors_before)
        goto fail;
    json_decref(root);
    jsonpos_free(cx.pos);
    return b;
fail:
    if (cx.oom)
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
    bank_free(b);
    json_decref(root);
    jsonpos_free(cx.pos);
    return NULL;
}

void bank_free(bank *b)
{
    int i;
    int j;

    if (b == NULL)
        return;
    for (i = 0; i < b->ncategories; i++) {
        free(b->categories[i].id);
        free(b->categories[i].title);
    }
    for (i = 0; i < b->nquestions; i++) {
        bank_question *q = &b->questions[i];

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
    }
    free(b->categories);
    free(b->questions);
    free(b->id);
    free(b->title);
    free(b);
}

const char *bank_difficulty_name(bank_difficulty d)
{
    if (d < BANK_EASY || d > BANK_HARD)
        return "?";
    return DIFFICULTY_NAMES[d];
}

const char *bank_track_name(bank_track t)
{
    if (t < BANK_TRACK_BOTH || t > BANK_TRACK_CITIZEN)
        return "?";
    return TRACK_NAMES[t];
}

int bank_difficulty_from_name(const char *name)
{
    int i;

    for (i = BANK_EASY; i <= BANK_HARD; i++) {
        if (strcmp(name, DIFFICULTY_NAMES[i]) == 0)
            return i;
    }
    return -1;
}

int bank_track_from_name(const char *name)
{
    int i;

    for (i = BANK_TRACK_BOTH; i <= BANK_TRACK_CITIZEN; i++) {
        if (strcmp(name, TRACK_NAMES[i]) == 0)
            return i;
    }
    return -1;
}

const bank_category *bank_find_category(const bank *b, const char *id)
{
    for (int i = 0; i < b->ncategories; i++) {
        if (strcmp(b->categories[i].id, id) == 0)
            return &b->categories[i];
    }
    return NULL;
}

int bank_categories_need_declaring(const bank *b)
{
    int next = 0;
    for (int i = 0; i < b->nquestions; i++) {
        int seen = 0;
        for (int k = 0; k < next; k++) {
            if (strcmp(b->categories[k].id, b->questions[i].category) == 0)
                seen = 1;
        }
        if (seen)
            continue;
        if (next >= b->ncategories || strcmp(b->categories[next].id, b->questions[i].category))
            return 1;
        next++;
    }
    return next != b->ncategories;
}
