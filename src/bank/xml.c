/* bank/xml.c - small XML reader; see xml.h. */
#include "bank/xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/markup.h"
#include "bank/report.h"

struct rd {
    const char *s;
    size_t len;
    size_t pos;
    /* position cursor: line and column of offset cur */
    size_t cur;
    int line;
    int col;
    const char *err;
    char *errbuf;
    size_t errn;
    size_t err_pos;
    int oom;
};

/* Line and column of offset pos (moves a cursor; restarts when asked for an earlier one). */
static void locate(struct rd *r, size_t pos, int *line, int *col)
{
    if (pos < r->cur) {
        r->cur = 0;
        r->line = 1;
        r->col = 1;
    }
    while (r->cur < pos && r->cur < r->len) {
        char c = r->s[r->cur];

        if (c == '\n' || (c == '\r' && !(r->cur + 1 < r->len && r->s[r->cur + 1] == '\n'))) {
            r->line++;
            r->col = 1;
        } else if (c != '\r' && ((unsigned char)c & 0xC0) != 0x80) {
            r->col++;
        }
        r->cur++;
    }
    *line = r->line;
    *col = r->col;
}

/* Drops a character cut short at the end of s (snprintf truncating a message into
 * errbuf), so that the message stays valid UTF-8. */
static void trim_utf8_tail(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    unsigned char lead;
    size_t need;

    while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    lead = (unsigned char)s[i - 1];
    if (lead < 0xC0)
        return;
    need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (n - (i - 1) < need)
        s[i - 1] = '\0';
}

static int fail(struct rd *r, size_t pos, const char *msg)
{
    if (r->err == NULL) {
        r->err = msg;
        r->err_pos = pos;
    }
    return -1;
}

static int name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           ((unsigned char)c >= 0x80);
}

static int name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int starts(const struct rd *r, const char *lit)
{
    size_t n = strlen(lit);

    return r->len - r->pos >= n && memcmp(r->s + r->pos, lit, n) == 0;
}

/* Appends s[from..to) with references decoded to out. */
static int decode(struct rd *r, size_t from, size_t to, buf *out)
{
    size_t run = from;
    size_t i = from;

    while (i < to) {
        char u[4];
        size_t ulen;
        size_t used;

        if (r->s[i] != '&') {
            i++;
            continue;
        }
        if (buf_append(out, r->s + run, i - run) != 0)
            goto oom;
        used = bank_entity_decode(r->s + i + 1, to - i - 1, 0, u, &ulen);
        if (used == 0)
            return fail(r, i, "tham chiếu thực thể không xác định hoặc sai cú pháp (dùng &amp; cho '&')");
        if (buf_append(out, u, ulen) != 0)
            goto oom;
        i += used + 1;
        run = i;
    }
    if (buf_append(out, r->s + run, to - run) != 0)
        goto oom;
    return 0;
oom:
    r->oom = 1;
    return fail(r, i, "hết bộ nhớ");
}

static char *read_name(struct rd *r)
{
    size_t start = r->pos;
    char *name;

    if (r->pos >= r->len || !name_start(r->s[r->pos])) {
        fail(r, r->pos, "cần một tên");
        return NULL;
    }
    while (r->pos < r->len && name_char(r->s[r->pos]))
        r->pos++;
    name = malloc(r->pos - start + 1);
    if (name == NULL) {
        r->oom = 1;
        fail(r, start, "hết bộ nhớ");
        return NULL;
    }
    memcpy(name, r->s + start, r->pos - start);
    name[r->pos - start] = '\0';
    return name;
}

static void skip_space(struct rd *r)
{
    while (r->pos < r->len && space(r->s[r->pos]))
        r->pos++;
}

void xml_free(xml_node *n)
{
    while (n != NULL) {
        xml_node *next = n->next;
        int i;

        xml_free(n->first);
        free(n->name);
        for (i = 0; i < n->nattrs * 2; i++)
            free(n->attrs[i]);
        free(n->attrs);
        buf_free(&n->text);
        free(n);
        n = next;
    }
}

/* Reads the attributes and the end of a start tag. Sets *empty for "/>". */
static int read_attrs(struct rd *r, xml_node *n, int *empty)
{
    for (;;) {
        char *name;
        char q;
        size_t start;
        buf v;
        char **a;
        int i;

        skip_space(r);
        if (r->pos >= r->len)
            return fail(r, r->pos, "tệp kết thúc giữa chừng một thẻ");
        if (r->s[r->pos] == '>') {
            r->pos++;
            *empty = 0;
            return 0;
        }
        if (starts(r, "/>")) {
            r->pos += 2;
            *empty = 1;
            return 0;
        }
        start = r->pos;
        name = read_name(r);
        if (name == NULL)
            return -1;
        for (i = 0; i < n->nattrs; i++) {
            if (strcmp(n->attrs[i * 2], name) == 0) {
                free(name);
                return fail(r, start, "thuộc tính bị khai báo hai lần");
            }
        }
        skip_space(r);
        if (r->pos >= r->len || r->s[r->pos] != '=') {
            free(name);
            return fail(r, r->pos, "cần '=' sau tên thuộc tính");
        }
        r->pos++;
        skip_space(r);
        if (r->pos >= r->len || (r->s[r->pos] != '"' && r->s[r->pos] != '\'')) {
            free(name);
            return fail(r, r->pos, "giá trị thuộc tính phải nằm trong dấu nháy");
        }
        q = r->s[r->pos++];
        start = r->pos;
        while (r->pos < r->len && r->s[r->pos] != q) {
            if (r->s[r->pos] == '<') {
                free(name);
                return fail(r, r->pos, "có '<' trong giá trị thuộc tính");
            }
            r->pos++;
        }
        if (r->pos >= r->len) {
            free(name);
            return fail(r, start - 1, "giá trị thuộc tính không được đóng");
        }
        buf_init(&v, 0);
        if (decode(r, start, r->pos, &v) != 0) {
            free(name);
            buf_free(&v);
            return -1;
        }
        r->pos++;
        a = realloc(n->attrs, (size_t)(n->nattrs + 1) * 2 * sizeof(*a));
        if (a == NULL) {
            free(name);
            buf_free(&v);
            r->oom = 1;
            return fail(r, start, "hết bộ nhớ");
        }
        n->attrs = a;
        a[n->nattrs * 2] = name;
        a[n->nattrs * 2 + 1] = v.data != NULL ? buf_steal(&v, NULL) : strdup("");
        n->nattrs++;
        if (a[n->nattrs * 2 - 1] == NULL) {
            r->oom = 1;
            return fail(r, start, "hết bộ nhớ");
        }
        if (r->pos < r->len && !space(r->s[r->pos]) && r->s[r->pos] != '>' &&
            r->s[r->pos] != '/')
            return fail(r, r->pos, "cần dấu cách giữa các thuộc tính");
    }
}

/* Skips "<!-- ... -->", "<?...?>", "<!DOCTYPE ...>". */
static int skip_markup(struct rd *r)
{
    size_t start = r->pos;
    const char *end;
    const char *close;

    if (starts(r, "<!--")) {
        close = "-->";
    } else if (starts(r, "<?")) {
        close = "?>";
    } else if (starts(r, "<!DOCTYPE")) {
        size_t i;

        for (i = r->pos; i < r->len && r->s[i] != '>'; i++) {
            if (r->s[i] == '[')
                return fail(r, i, "không hỗ trợ DOCTYPE có khai báo");
        }
        if (i >= r->len)
            return fail(r, start, "DOCTYPE không được đóng");
        r->pos = i + 1;
        return 0;
    } else {
        return fail(r, start, "'<!' không đúng chỗ");
    }
    end = memmem(r->s + r->pos + 2, r->len - r->pos - 2, close, strlen(close));
    if (end == NULL)
        return fail(r, start, close[0] == '-' ? "chú thích không được đóng bằng -->"
                                              : "chỉ thị xử lý không được đóng bằng ?>");
    r->pos = (size_t)(end - r->s) + strlen(close);
    return 0;
}

xml_node *xml_parse(const char *buf, size_t len, char *errbuf, size_t errn, int *line,
                    int *col)
{
    struct rd r;
    xml_node *stack[XML_MAX_DEPTH];
    int depth = 0;
    xml_node *root = NULL;

    memset(&r, 0, sizeof(r));
    r.s = buf;
    r.len = len;
    r.line = 1;
    r.col = 1;
    r.errbuf = errbuf;
    r.errn = errn;
    while (r.pos < r.len && r.err == NULL) {
        char c = r.s[r.pos];

        if (c != '<') {
            size_t start = r.pos;
            const char *lt = memchr(r.s + r.pos, '<', r.len - r.pos);
            size_t end = lt != NULL ? (size_t)(lt - r.s) : r.len;

            if (depth == 0) {
                size_t i;

                for (i = start; i < end; i++) {
                    if (!space(r.s[i])) {
                        fail(&r, i, root == NULL ? "có văn bản trước phần tử gốc"
                                                 : "có văn bản sau phần tử gốc");
                        break;
                    }
                }
            } else {
                decode(&r, start, end, &stack[depth - 1]->text);
            }
            r.pos = end;
            continue;
        }
        if (starts(&r, "<![CDATA[")) {
            size_t start = r.pos;
            const char *end = memmem(r.s + r.pos + 9, r.len - r.pos - 9, "]]>", 3);

            if (end == NULL) {
                fail(&r, start, "đoạn CDATA không được đóng bằng ]]>");
                break;
            }
            if (depth == 0) {
                fail(&r, start, "đoạn CDATA nằm ngoài phần tử gốc");
                break;
            }
            if (buf_append(&stack[depth - 1]->text, r.s + r.pos + 9,
                           (size_t)(end - (r.s + r.pos + 9))) != 0) {
                r.oom = 1;
                fail(&r, start, "hết bộ nhớ");
                break;
            }
            r.pos = (size_t)(end - r.s) + 3;
            continue;
        }
        if (starts(&r, "<!") || starts(&r, "<?")) {
            skip_markup(&r);
            continue;
        }
        if (starts(&r, "</")) {
            size_t start = r.pos;
            char *name;

            r.pos += 2;
            name = read_name(&r);
            if (name == NULL)
                break;
            skip_space(&r);
            if (r.pos >= r.len || r.s[r.pos] != '>') {
                free(name);
                fail(&r, r.pos, "cần '>' để kết thúc thẻ đóng");
                break;
            }
            r.pos++;
            if (depth == 0) {
                free(name);
                fail(&r, start, "thẻ đóng không có thẻ mở tương ứng");
                break;
            }
            if (strcmp(name, stack[depth - 1]->name) != 0) {
                if (r.errbuf != NULL)
                    snprintf(r.errbuf, r.errn, "</%.*s> không đóng <%.*s> (mở ở dòng %d)",
                             (int)bank_utf8_prefix(name, 40), name,
                             (int)bank_utf8_prefix(stack[depth - 1]->name, 40),
                             stack[depth - 1]->name, stack[depth - 1]->line);
                if (r.errbuf != NULL && r.errn > 0)
                    trim_utf8_tail(r.errbuf);
                free(name);
                fail(&r, start, r.errbuf != NULL ? r.errbuf : "thẻ đóng không khớp");
                break;
            }
            free(name);
            depth--;
            continue;
        }
        /* a start tag */
        {
            size_t start = r.pos;
            xml_node *n = calloc(1, sizeof(*n));
            int empty = 0;

            if (n == NULL) {
                r.oom = 1;
                fail(&r, start, "hết bộ nhớ");
                break;
            }
            buf_init(&n->text, 0);
            locate(&r, start, &n->line, &n->col);
            r.pos++;
            n->name = read_name(&r);
            if (n->name == NULL || read_attrs(&r, n, &empty) != 0) {
                xml_free(n);
                break;
            }
            if (depth == 0) {
                if (root != NULL) {
                    xml_free(n);
                    fail(&r, start, "có phần tử gốc thứ hai");
                    break;
                }
                root = n;
            } else {
                xml_node *p = stack[depth - 1];

                if (p->last != NULL)
                    p->last->next = n;
                else
                    p->first = n;
                p->last = n;
            }
            if (!empty) {
                if (depth == XML_MAX_DEPTH) {
                    fail(&r, start, "các phần tử lồng nhau quá sâu");
                    break;
                }
                stack[depth++] = n;
            }
        }
    }
    if (r.err == NULL && depth > 0) {
        if (r.errbuf != NULL) {
            snprintf(r.errbuf, r.errn, "<%.*s> không được đóng",
                     (int)bank_utf8_prefix(stack[depth - 1]->name, 40), stack[depth - 1]->name);
            if (r.errn > 0)
                trim_utf8_tail(r.errbuf);
        }
        r.err = r.errbuf != NULL ? r.errbuf : "phần tử không được đóng";
        r.err_pos = (size_t)-1;
        *line = stack[depth - 1]->line;
        *col = stack[depth - 1]->col;
        xml_free(root);
        return NULL;
    }
    if (r.err == NULL && root == NULL)
        fail(&r, 0, "không có phần tử gốc");
    if (r.err != NULL) {
        locate(&r, r.err_pos, line, col);
        if (r.errbuf != NULL && r.err != r.errbuf)
            snprintf(r.errbuf, r.errn, "%s", r.err);
        if (r.errbuf != NULL && r.errn > 0)
            trim_utf8_tail(r.errbuf);
        xml_free(root);
        return NULL;
    }
    return root;
}

const char *xml_attr(const xml_node *n, const char *name)
{
    int i;

    for (i = 0; i < n->nattrs; i++) {
        if (strcmp(n->attrs[i * 2], name) == 0)
            return n->attrs[i * 2 + 1];
    }
    return NULL;
}

xml_node *xml_child(const xml_node *n, const char *name)
{
    xml_node *c;

    for (c = n->first; c != NULL; c = c->next) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

const char *xml_text_of(const xml_node *n, const char *name)
{
    const xml_node *e = n;
    const xml_node *t;

    if (name != NULL) {
        e = xml_child(n, name);
        if (e == NULL)
            return NULL;
    }
    t = xml_child(e, "text");
    if (t == NULL)
        return NULL;
    return t->text.data != NULL ? t->text.data : "";
}
