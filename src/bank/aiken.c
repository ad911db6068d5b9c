/* bank/aiken.c - Aiken reader and writer; see aiken.h. */
#include "bank/aiken.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

enum { S_IDLE, S_QUESTION, S_OPTIONS, S_AFTER };

/* Extension lines after ANSWER. */
enum { X_ID, X_CATEGORY, X_DIFFICULTY, X_TRACK, X_EXPLANATION, X_SOURCE, X_ARTICLE, X_URL,
       X_TAGS, X_MULTI, X_COUNT };
static const char *const XNAMES[X_COUNT] = {"ID",     "CATEGORY", "DIFFICULTY", "TRACK",
                                            "EXPLANATION", "SOURCE", "ARTICLE", "URL",
                                            "TAGS",   "MULTI"};

struct q {
    int line;
    int answer_line;
    buf text;
    buf options[BANK_DRAFT_OPTIONS];
    int option_line[BANK_DRAFT_OPTIONS];
    int noptions;
    unsigned long correct;
    int multi;
    int has_answer;
    int answer_bad;       /* the ANSWER line was reported as wrong */
    int blank_after_text; /* a blank line followed the text before any option */
    int last_was_blank;
    char *ext[X_COUNT];
    int ext_line;
};

struct ctx {
    bank_report *rep;
    bank_builder *bb;
    struct q q;
    int state;
    int oom;
};

static void q_reset(struct q *q)
{
    int i;

    buf_reset(&q->text);
    for (i = 0; i < BANK_DRAFT_OPTIONS; i++)
        buf_reset(&q->options[i]);
    for (i = 0; i < X_COUNT; i++) {
        free(q->ext[i]);
        q->ext[i] = NULL;
    }
    q->line = 0;
    q->answer_line = 0;
    q->noptions = 0;
    q->correct = 0;
    q->multi = 0;
    q->has_answer = 0;
    q->answer_bad = 0;
    q->blank_after_text = 0;
    q->last_was_blank = 0;
    q->ext_line = 0;
}

static void q_free(struct q *q)
{
    int i;

    q_reset(q);
    buf_free(&q->text);
    for (i = 0; i < BANK_DRAFT_OPTIONS; i++)
        buf_free(&q->options[i]);
}

static int is_blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    }
    return 1;
}

/* An option line "A) text", "B. text", "C)text": returns the letter's index and the text's
 * offset, or -1. */
static int option_letter(const char *s, size_t n, size_t *text_at)
{
    size_t i = 0;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i + 1 >= n)
        return -1;
    if (s[i] < 'A' || s[i] > 'Z' || (s[i + 1] != ')' && s[i + 1] != '.'))
        return -1;
    *text_at = i + 2;
    while (*text_at < n && (s[*text_at] == ' ' || s[*text_at] == '\t'))
        (*text_at)++;
    return s[i] - 'A';
}

/* An "ANSWER:" line (also "ĐÁP ÁN:", any case): returns the offset after the colon, or 0. */
static size_t answer_prefix(const char *s, size_t n)
{
    static const char *const prefixes[] = {"ANSWER", "\xC4\x90\xC3\x81P \xC3\x81N",
                                           "\xC4\x90\xC3\xA1p \xC3\xA1n",
                                           "\xC4\x91\xC3\xA1p \xC3\xA1n"};
    size_t i = 0;
    size_t k;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
        size_t pl = strlen(prefixes[k]);
        size_t j;

        if (n - i < pl || strncasecmp(s + i, prefixes[k], pl) != 0)
            continue;
        j = i + pl;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j < n && s[j] == ':')
            return j + 1;
    }
    return 0;
}

/* An extension line "KEY: value" (after ANSWER): its index and the value's offset, or -1. */
static int extension(const char *s, size_t n, size_t *value_at)
{
    int k;

    for (k = 0; k < X_COUNT; k++) {
        size_t kl = strlen(XNAMES[k]);

        if (n > kl && memcmp(s, XNAMES[k], kl) == 0 && s[kl] == ':') {
            *value_at = kl + 1;
            while (*value_at < n && (s[*value_at] == ' ' || s[*value_at] == '\t'))
                (*value_at)++;
            return k;
        }
    }
    return -1;
}

/* s[0..n) with "\n" and "\\" decoded, as a new string. */
static char *decode_value(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    size_t i;

    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == 'n' || s[i + 1] == '\\')) {
            out[o++] = s[i + 1] == 'n' ? '\n' : '\\';
            i++;
            continue;
        }
        out[o++] = s[i];
    }
    while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
        o--;
    out[o] = '\0';
    return out;
}

/* Hands the finished question to the builder. */
static void flush(struct ctx *cx)
{
    struct q *q = &cx->q;
    bank_draft d;
    int i;

    if (cx->state == S_IDLE)
        return;
    if (!q->has_answer) {
        if (q->noptions == 0)
            bank_report_add(cx->rep, q->line, 0, BANK_SEV_ERROR,
                            "câu hỏi không có lựa chọn và thiếu dòng ANSWER:");
        else
            bank_report_add(cx->rep, q->line, 0, BANK_SEV_ERROR,
                            "thiếu dòng ANSWER: (viết \"ANSWER: X\" sau các lựa chọn "
                            "của câu hỏi)");
        goto done;
    }
    if (q->answer_bad)
        goto done;
    memset(&d, 0, sizeof(d));
    d.line = q->line;
    d.text = q->text.data != NULL ? q->text.data : "";
    for (i = 0; i < q->noptions && i < BANK_DRAFT_OPTIONS; i++) {
        d.options[i] = q->options[i].data != NULL ? q->options[i].data : "";
        d.option_line[i] = q->option_line[i];
    }
    d.noptions = q->noptions;
    d.correct = q->correct;
    d.multi = q->multi;
    d.meta_line = q->ext_line;
    d.id = q->ext[X_ID];
    d.difficulty = q->ext[X_DIFFICULTY];
    d.track = q->ext[X_TRACK];
    d.explanation = q->ext[X_EXPLANATION];
    d.source_document = q->ext[X_SOURCE];
    d.source_article = q->ext[X_ARTICLE];
    d.source_url = q->ext[X_URL];
    d.tags = q->ext[X_TAGS];
    if (q->ext[X_MULTI] != NULL &&
        (strcasecmp(q->ext[X_MULTI], "yes") == 0 || strcmp(q->ext[X_MULTI], "1") == 0 ||
         strcasecmp(q->ext[X_MULTI], "true") == 0 || strcasecmp(q->ext[X_MULTI], "c\xC3\xB3") == 0))
        d.multi = 1;
    if (q->ext[X_CATEGORY] != NULL) {
        char *v = q->ext[X_CATEGORY];
        char *bar = strstr(v, " | ");

        if (bar != NULL) {
            *bar = '\0';
            bank_builder_category(cx->bb, v, bar + 3, q->ext_line);
        } else {
            bank_builder_category(cx->bb, bank_valid_id(v) ? v : NULL, v, q->ext_line);
        }
    }
    bank_builder_add(cx->bb, &d);
done:
    q_reset(q);
    cx->state = S_IDLE;
}

static void answer_line(struct ctx *cx, const char *s, size_t n, size_t at, int line)
{
    struct q *q = &cx->q;
    int letters = 0;
    size_t i;

    q->answer_line = line;
    for (i = at; i < n; i++) {
        char c = s[i];

        if (c == ' ' || c == '\t' || c == ',' || c == ';')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (c < 'A' || c > 'Z' ||
            (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t' && s[i + 1] != ',' &&
             s[i + 1] != ';')) {
            bank_report_add(cx->rep, line, (int)i + 1, BANK_SEV_ERROR,
                            "ANSWER phải là chữ cái của một lựa chọn, ví dụ \"ANSWER: B\"");
            q->has_answer = 1;
            q->answer_bad = 1;
            return;
        }
        if (c - 'A' >= q->noptions) {
            bank_report_add(cx->rep, line, (int)i + 1, BANK_SEV_ERROR,
                            "ANSWER %c không phải một lựa chọn (từ A đến %c)", c,
                            q->noptions > 0 ? 'A' + q->noptions - 1 : 'A');
            q->has_answer = 1;
            q->answer_bad = 1;
            return;
        }
        q->correct |= 1ul << (c - 'A');
        letters++;
    }
    q->has_answer = 1;
    if (letters == 0) {
        bank_report_add(cx->rep, line, 0, BANK_SEV_ERROR,
                        "ANSWER thiếu chữ cái của đáp án đúng (viết \"ANSWER: B\")");
        q->answer_bad = 1;
    }
    if (letters > 1)
        q->multi = 1;
}

static void line_in(struct ctx *cx, const char *s, size_t n, int line)
{
    struct q *q = &cx->q;
    size_t text_at = 0;
    size_t ans;
    int letter;

    if (is_blank(s, n)) {
        if (cx->state == S_QUESTION && q->noptions == 0)
            q->blank_after_text = 1;
        if (cx->state == S_AFTER)
            flush(cx);
        q->last_was_blank = 1;
        return;
    }
    if (cx->state == S_AFTER) {
        size_t at;
        int k = extension(s, n, &at);

        if (k >= 0) {
            free(q->ext[k]);
            q->ext[k] = decode_value(s + at, n - at);
            if (q->ext[k] == NULL)
                cx->oom = 1;
            if (q->ext_line == 0)
                q->ext_line = line;
            return;
        }
        flush(cx);
    }
    ans = answer_prefix(s, n);
    letter = option_letter(s, n, &text_at);
    if (ans > 0) {
        if (cx->state == S_IDLE) {
            bank_report_add(cx->rep, line, 0, BANK_SEV_ERROR,
                            "dòng ANSWER không có câu hỏi nào ở trước");
            return;
        }
        if (q->noptions == 0) {
            bank_report_add(cx->rep, q->line, 0, BANK_SEV_ERROR,
                            "câu hỏi không có lựa chọn nào trước dòng ANSWER (dòng %d)", line);
            q_reset(q);
            cx->state = S_IDLE;
            return;
        }
        answer_line(cx, s, n, ans, line);
        cx->state = S_AFTER;
        q->last_was_blank = 0;
        return;
    }
    if (letter >= 0) {
        if (cx->state == S_IDLE) {
            bank_report_add(cx->rep, line, 0, BANK_SEV_ERROR,
                            "lựa chọn %c không có câu hỏi nào ở trước", 'A' + letter);
            q->last_was_blank = 0;
            return;
        }
        if (letter != q->noptions) {
            bank_report_add(cx->rep, line, 0, BANK_SEV_ERROR,
                            "lựa chọn %c sai thứ tự (cần %c)", 'A' + letter,
                            'A' + (q->noptions < 26 ? q->noptions : 25));
        }
        if (q->noptions < BANK_DRAFT_OPTIONS) {
            if (buf_append(&q->options[q->noptions], s + text_at, n - text_at) != 0)
                cx->oom = 1;
            q->option_line[q->noptions] = line;
        }
        q->noptions++;
        cx->state = S_OPTIONS;
        q->last_was_blank = 0;
        return;
    }
    /* a line of text */
    if (cx->state == S_OPTIONS && !q->last_was_blank) {
        /* a wrapped option: continues the last one */
        int k = q->noptions - 1;

        if (k < BANK_DRAFT_OPTIONS &&
            (buf_append(&q->options[k], " ", 1) != 0 || buf_append(&q->options[k], s, n) != 0))
            cx->oom = 1;
        return;
    }
    if (cx->state == S_QUESTION && !q->blank_after_text) {
        if (buf_append(&q->text, "\n", 1) != 0 || buf_append(&q->text, s, n) != 0)
            cx->oom = 1;
        return;
    }
    if (cx->state != S_IDLE)
        flush(cx); /* reports the missing ANSWER line */
    q->line = line;
    if (buf_append(&q->text, s, n) != 0)
        cx->oom = 1;
    cx->state = S_QUESTION;
    q->last_was_blank = 0;
}

bank *bank_aiken_parse(const char *buf, size_t len, const bank_import_opts *opts,
                       bank_report *rep)
{
    struct ctx cx;
    bank_line *lines = NULL;
    size_t entries = bank_report_count(rep);
    size_t skip;
    int nlines;
    int k;
    bank *b = NULL;

    memset(&cx, 0, sizeof(cx));
    buf_init(&cx.q.text, 0);
    for (k = 0; k < BANK_DRAFT_OPTIONS; k++)
        buf_init(&cx.q.options[k], 0);
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
    for (k = 0; k < nlines && !cx.oom; k++)
        line_in(&cx, lines[k].s, lines[k].n, k + 1);
    flush(&cx);
    if (cx.oom)
        bank_report_add(rep, 0, 0, BANK_SEV_ERROR, "hết bộ nhớ");
    b = bank_builder_finish(cx.bb);
    cx.bb = NULL;
out:
    bank_report_sort(rep, entries);
    bank_builder_free(cx.bb);
    q_free(&cx.q);
    free(lines);
    return b;
}

/* ---- writer ------------------------------------------------------------------------- */

/* Writes s on one line (line breaks become spaces). */
static int put_line(buf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        char c = (*s == '\n' || *s == '\r') ? ' ' : *s;

        if (buf_append(out, &c, 1) != 0)
            return -1;
    }
    return buf_puts(out, "\n");
}

/* Writes an extension value: line breaks as "\n", backslashes doubled. */
static int put_value(buf *out, const char *key, const char *s)
{
    if (s == NULL)
        return 0;
    if (buf_printf(out, "%s: ", key) != 0)
        return -1;
    for (; *s != '\0'; s++) {
        int rc;

        if (*s == '\n')
            rc = buf_puts(out, "\\n");
        else if (*s == '\\')
            rc = buf_puts(out, "\\\\");
        else if (*s == '\r')
            rc = 0;
        else
            rc = buf_append(out, s, 1);
        if (rc != 0)
            return -1;
    }
    return buf_puts(out, "\n");
}

static const char *category_title(const bank *b, const char *id)
{
    int i;

    for (i = 0; i < b->ncategories; i++) {
        if (strcmp(b->categories[i].id, id) == 0)
            return b->categories[i].title;
    }
    return id;
}

int bank_aiken_write(const bank *b, int plain, buf *out, int *skipped)
{
    int i;

    if (skipped != NULL)
        *skipped = 0;
    for (i = 0; i < b->nquestions; i++) {
        const bank_question *q = &b->questions[i];
        int k;
        int first = 1;

        if (plain && q->multi) {
            if (skipped != NULL)
                (*skipped)++;
            continue;
        }
        /* the text: its lines as they are (the reader joins them back) */
        {
            const char *s = q->text;

            for (; *s != '\0'; s++) {
                if (*s == '\r')
                    continue;
                if (*s == '\n' && plain) {
                    if (buf_append(out, " ", 1) != 0)
                        return -1;
                    continue;
                }
                if (buf_append(out, s, 1) != 0)
                    return -1;
            }
            if (buf_puts(out, "\n") != 0)
                return -1;
        }
        for (k = 0; k < q->noptions; k++) {
            if (buf_printf(out, "%c. ", 'A' + k) != 0 || put_line(out, q->options[k]) != 0)
                return -1;
        }
        if (buf_puts(out, "ANSWER: ") != 0)
            return -1;
        for (k = 0; k < q->noptions; k++) {
            if ((q->correct_mask >> k) & 1u) {
                if (buf_printf(out, "%s%c", first ? "" : ", ", 'A' + k) != 0)
                    return -1;
                first = 0;
            }
        }
        if (buf_puts(out, "\n") != 0)
            return -1;
        if (!plain) {
            char cat[BANK_ID_MAX + BANK_TITLE_MAX * 4 + 8];
            char *tags = NULL;

            snprintf(cat, sizeof(cat), "%s | %s", q->category, category_title(b, q->category));
            if (q->tags_json != NULL) {
                json_t *arr = json_loads(q->tags_json, 0, NULL);
                buf t;
                size_t j;

                buf_init(&t, 0);
                for (j = 0; j < json_array_size(arr); j++)
                    buf_printf(&t, "%s%s", j ? ", " : "",
                               json_string_value(json_array_get(arr, j)));
                json_decref(arr);
                tags = buf_steal(&t, NULL);
                buf_free(&t);
            }
            if (put_value(out, "ID", q->id) != 0 || put_value(out, "CATEGORY", cat) != 0 ||
                put_value(out, "DIFFICULTY", bank_difficulty_name(q->difficulty)) != 0 ||
                put_value(out, "TRACK", bank_track_name(q->track)) != 0 ||
                (q->multi && (q->correct_mask & (q->correct_mask - 1)) == 0 &&
                 put_value(out, "MULTI", "yes") != 0) ||
                put_value(out, "EXPLANATION", q->explanation) != 0 ||
                put_value(out, "SOURCE", q->source_document) != 0 ||
                put_value(out, "ARTICLE", q->source_article) != 0 ||
                put_value(out, "URL", q->source_url) != 0 ||
                put_value(out, "TAGS", tags) != 0) {
                free(tags);
                return -1;
            }
            free(tags);
        }
        if (buf_puts(out, "\n") != 0)
            return -1;
    }
    return 0;
}
