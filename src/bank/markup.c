/* bank/markup.c - HTML to text, XML escaping; see markup.h. */
#include "bank/markup.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t put_utf8(char out[4], uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

size_t bank_entity_decode(const char *s, size_t n, int html, char out[4], size_t *outlen)
{
    static const struct {
        const char *name;
        uint32_t cp;
        int html_only;
    } names[] = {{"amp", '&', 0},      {"lt", '<', 0},        {"gt", '>', 0},
                 {"quot", '"', 0},     {"apos", '\'', 0},     {"nbsp", ' ', 1},
                 {"ndash", 0x2013, 1}, {"mdash", 0x2014, 1},  {"hellip", 0x2026, 1},
                 {"laquo", 0xAB, 1},   {"raquo", 0xBB, 1},    {"lsquo", 0x2018, 1},
                 {"rsquo", 0x2019, 1}, {"ldquo", 0x201C, 1},  {"rdquo", 0x201D, 1},
                 {"copy", 0xA9, 1},    {"deg", 0xB0, 1},      {"bull", 0x2022, 1}};
    size_t semi;
    size_t i;

    *outlen = 0;
    for (semi = 0; semi < n && semi < 12 && s[semi] != ';'; semi++)
        ;
    if (semi >= n || s[semi] != ';' || semi == 0)
        return 0;
    if (s[0] == '#') {
        uint32_t c = 0;
        int hex = semi > 1 && (s[1] == 'x' || s[1] == 'X');
        size_t k = hex ? 2 : 1;

        if (k >= semi)
            return 0;
        for (; k < semi; k++) {
            int d;

            if (s[k] >= '0' && s[k] <= '9')
                d = s[k] - '0';
            else if (hex && s[k] >= 'a' && s[k] <= 'f')
                d = s[k] - 'a' + 10;
            else if (hex && s[k] >= 'A' && s[k] <= 'F')
                d = s[k] - 'A' + 10;
            else
                return 0;
            c = c * (hex ? 16 : 10) + (uint32_t)d;
            if (c > 0x10FFFF)
                return 0;
        }
        if (c == 0 || (c >= 0xD800 && c <= 0xDFFF) || (c < 0x20 && c != '\t' && c != '\n' &&
                                                       c != '\r'))
            return 0;
        if (html && c == 0xA0)
            c = ' ';
        *outlen = put_utf8(out, c);
        return semi + 1;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if ((html || !names[i].html_only) && strlen(names[i].name) == semi &&
            memcmp(s, names[i].name, semi) == 0) {
            *outlen = put_utf8(out, names[i].cp);
            return semi + 1;
        }
    }
    return 0;
}

/* 1 when the tag starting at s ("<br", "</p" ...) ends a line. */
static int breaks_line(const char *s)
{
    static const char *const tags[] = {"br", "/p", "/div", "/li", "/tr", "p", "div", "li",
                                       "tr", "/h1", "/h2", "/h3", "/h4", NULL};
    size_t i;

    s++;
    for (i = 0; tags[i] != NULL; i++) {
        size_t n = strlen(tags[i]);

        if (strncasecmp(s, tags[i], n) == 0 &&
            (s[n] == '>' || s[n] == '/' || s[n] == ' ' || s[n] == '\t' || s[n] == '\n'))
            return 1;
    }
    return 0;
}

char *bank_html_to_text(const char *s)
{
    size_t len = strlen(s);
    char *tmp = malloc(len + 2);
    char *out = NULL;
    size_t o = 0;
    size_t i = 0;

    if (tmp == NULL)
        return NULL;
    /* pass 1: tags to nothing or '\n', entities decoded, white space runs to ' ' */
    while (i < len) {
        char c = s[i];

        if (c == '<') {
            const char *end = strchr(s + i, '>');

            if (end == NULL) {
                tmp[o++] = c; /* not a tag */
                i++;
                continue;
            }
            if (breaks_line(s + i))
                tmp[o++] = '\n';
            i = (size_t)(end - s) + 1;
            continue;
        }
        if (c == '&') {
            char u[4];
            size_t ulen;
            size_t used = bank_entity_decode(s + i + 1, len - i - 1, 1, u, &ulen);

            if (used > 0 && ulen <= used + 1) {
                memcpy(tmp + o, u, ulen);
                o += ulen;
                i += used + 1;
                continue;
            }
            tmp[o++] = c;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            tmp[o++] = ' ';
            i++;
            continue;
        }
        tmp[o++] = c;
        i++;
    }
    tmp[o] = '\0';
    /* pass 2: collapse spaces, trim lines, drop blank lines */
    out = malloc(o + 1);
    if (out == NULL) {
        free(tmp);
        return NULL;
    }
    {
        size_t w = 0;
        size_t r = 0;

        while (r < o) {
            size_t end = r;
            size_t a;
            size_t b;
            int space = 0;

            while (end < o && tmp[end] != '\n')
                end++;
            a = r;
            b = end;
            while (a < b && tmp[a] == ' ')
                a++;
            while (b > a && tmp[b - 1] == ' ')
                b--;
            if (b > a) {
                if (w > 0)
                    out[w++] = '\n';
                for (; a < b; a++) {
                    if (tmp[a] == ' ') {
                        space = 1;
                        continue;
                    }
                    if (space)
                        out[w++] = ' ';
                    space = 0;
                    out[w++] = tmp[a];
                }
            }
            r = end + 1;
        }
        out[w] = '\0';
    }
    free(tmp);
    return out;
}

int bank_xml_escape(buf *out, const char *s)
{
    const char *run = s;

    for (; *s != '\0'; s++) {
        const char *rep = NULL;

        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case '\r': rep = "&#13;"; break;
        default: break;
        }
        if (rep == NULL)
            continue;
        if (buf_append(out, run, (size_t)(s - run)) != 0 || buf_puts(out, rep) != 0)
            return -1;
        run = s + 1;
    }
    return buf_append(out, run, (size_t)(s - run));
}
