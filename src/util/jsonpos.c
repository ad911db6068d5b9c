/* util/jsonpos.c - JSON value positions by path; see jsonpos.h. */
#include "util/jsonpos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_NODE UINT32_MAX
#define INDEX_KEY UINT32_MAX /* key_len of an array element: key_off is its index */
#define MAX_INPUT ((size_t)1 << 31)

struct node {
    uint32_t parent;
    uint32_t key_off; /* offset of the decoded key in the arena, or the array index */
    uint32_t key_len; /* INDEX_KEY for array elements and the root */
    int line;
    int col;
    int key_line;
    int key_col;
};

struct jsonpos_index {
    struct node *nodes;
    uint32_t nnodes;
    uint32_t node_cap;
    char *arena; /* decoded keys, back to back */
    size_t arena_len;
    size_t arena_cap;
    uint32_t *slots; /* hash table of node id + 1; 0 = empty */
    uint32_t mask;
};

struct frame {
    uint32_t node;
    uint32_t count; /* elements seen so far (arrays) */
    char kind;      /* '{' or '[' */
};

struct scanner {
    const unsigned char *buf;
    size_t len;
    size_t pos;
    int line;
    int col; /* characters consumed on the current line */
};

static uint32_t hash_key(uint32_t parent, const char *key, uint32_t key_len, uint32_t index)
{
    uint32_t h = 2166136261u ^ (parent * 0x9E3779B1u);
    uint32_t i;

    if (key_len == INDEX_KEY) {
        h ^= index + 0x7F4A7C15u;
        h *= 16777619u;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        return h ^ (h >> 13);
    }
    for (i = 0; i < key_len; i++) {
        h ^= (unsigned char)key[i];
        h *= 16777619u;
    }
    h ^= h >> 15;
    return h;
}

static void advance(struct scanner *sc)
{
    unsigned char c = sc->buf[sc->pos++];

    if (c == '\n') {
        sc->line++;
        sc->col = 0;
    } else if ((c & 0xC0) != 0x80) {
        sc->col++;
    }
}

static int arena_put(jsonpos_index *ix, const void *data, size_t n)
{
    if (ix->arena_len + n > ix->arena_cap) {
        size_t cap = ix->arena_cap;
        char *a;

        while (cap < ix->arena_len + n)
            cap *= 2;
        a = realloc(ix->arena, cap);
        if (a == NULL)
            return -1;
        ix->arena = a;
        ix->arena_cap = cap;
    }
    memcpy(ix->arena + ix->arena_len, data, n);
    ix->arena_len += n;
    return 0;
}

static int put_utf8(jsonpos_index *ix, uint32_t cp)
{
    unsigned char b[4];
    size_t n;

    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return arena_put(ix, b, n);
}

/* Reads 4 hex digits at buf[pos..); returns -1 when they are not there. */
static long hex4(const struct scanner *sc, size_t pos)
{
    long v = 0;
    size_t i;

    if (sc->len - pos < 4)
        return -1;
    for (i = 0; i < 4; i++) {
        unsigned char c = sc->buf[pos + i];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* Skips the string starting at the opening quote. When ix is not NULL, appends its
 * decoded content to the arena. Returns 0, or -1 when it is unterminated / no memory. */
static int scan_string(struct scanner *sc, jsonpos_index *ix)
{
    advance(sc); /* opening quote */
    while (sc->pos < sc->len) {
        size_t start = sc->pos;
        unsigned char c;

        /* fast path: a run of plain bytes */
        while (sc->pos < sc->len) {
            c = sc->buf[sc->pos];
            if (c == '"' || c == '\\' || c == '\n')
                break;
            if ((c & 0xC0) != 0x80)
                sc->col++;
            sc->pos++;
        }
        if (ix != NULL && sc->pos > start &&
            arena_put(ix, sc->buf + start, sc->pos - start) != 0)
            return -1;
        if (sc->pos >= sc->len)
            return -1;
        c = sc->buf[sc->pos];
        if (c == '"') {
            advance(sc);
            return 0;
        }
        if (c == '\n') {
            if (ix != NULL && arena_put(ix, "\n", 1) != 0)
                return -1;
            advance(sc);
            continue;
        }
        /* backslash escape */
        advance(sc);
        if (sc->pos >= sc->len)
            return -1;
        c = sc->buf[sc->pos];
        if (c == 'u' && ix != NULL) {
            long cp = hex4(sc, sc->pos + 1);

            if (cp >= 0xD800 && cp <= 0xDBFF && sc->len - sc->pos >= 7 &&
                sc->buf[sc->pos + 5] == '\\' && sc->buf[sc->pos + 6] == 'u') {
                long lo = hex4(sc, sc->pos + 7);

                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    advance(sc); /* the 'u'; the rest is plain hex and "\u" */
                    sc->pos += 10;
                    sc->col += 10;
                    if (put_utf8(ix, (uint32_t)cp) != 0)
                        return -1;
                    continue;
                }
            }
            advance(sc); /* the 'u' */
            if (cp >= 0) {
                sc->pos += 4; /* the hex digits */
                sc->col += 4;
            }
            if (cp < 0 || (cp >= 0xD800 && cp <= 0xDFFF))
                cp = 0xFFFD;
            if (put_utf8(ix, (uint32_t)cp) != 0)
                return -1;
            continue;
        }
        if (ix != NULL) {
            char out = (char)c;

            switch (c) {
            case 'b': out = '\b'; break;
            case 'f': out = '\f'; break;
            case 'n': out = '\n'; break;
            case 'r': out = '\r'; break;
            case 't': out = '\t'; break;
            default: break;
            }
            if (arena_put(ix, &out, 1) != 0)
                return -1;
        }
        advance(sc);
    }
    return -1;
}

static int is_structural(unsigned char c)
{
    return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' ||
           c == '"' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static uint32_t add_node(jsonpos_index *ix, uint32_t parent, uint32_t key_off,
                         uint32_t key_len, int line, int col, int key_line, int key_col)
{
    struct node *n;

    if (ix->nnodes == ix->node_cap) {
        uint32_t cap = ix->node_cap ? ix->node_cap * 2 : 64;
        struct node *nodes = realloc(ix->nodes, (size_t)cap * sizeof(*nodes));

        if (nodes == NULL)
            return NO_NODE;
        ix->nodes = nodes;
        ix->node_cap = cap;
    }
    n = &ix->nodes[ix->nnodes];
    n->parent = parent;
    n->key_off = key_off;
    n->key_len = key_len;
    n->line = line;
    n->col = col;
    n->key_line = key_line;
    n->key_col = key_col;
    return ix->nnodes++;
}

static int node_matches(const jsonpos_index *ix, const struct node *n, uint32_t parent,
                        const char *key, uint32_t key_len, uint32_t index)
{
    if (n->parent != parent || n->key_len != key_len)
        return 0;
    if (key_len == INDEX_KEY)
        return n->key_off == index;
    return memcmp(ix->arena + n->key_off, key, key_len) == 0;
}

static int build_hash(jsonpos_index *ix)
{
    uint32_t size = 16;
    uint32_t i;

    while (size < ix->nnodes * 2u)
        size *= 2;
    ix->slots = calloc(size, sizeof(*ix->slots));
    if (ix->slots == NULL)
        return -1;
    ix->mask = size - 1;
    for (i = 1; i < ix->nnodes; i++) { /* node 0, the root, has no key */
        const struct node *n = &ix->nodes[i];
        const char *key = n->key_len == INDEX_KEY ? NULL : ix->arena + n->key_off;
        uint32_t h = hash_key(n->parent, key, n->key_len, n->key_off) & ix->mask;
        int dup = 0;

        while (ix->slots[h] != 0) {
            if (node_matches(ix, &ix->nodes[ix->slots[h] - 1], n->parent, key, n->key_len,
                             n->key_off)) {
                dup = 1; /* same key twice in one object: the first wins */
                break;
            }
            h = (h + 1) & ix->mask;
        }
        if (!dup)
            ix->slots[h] = i + 1;
    }
    return 0;
}

enum state { ST_VALUE, ST_KEY, ST_COLON, ST_AFTER };

jsonpos_index *jsonpos_build(const char *buf, size_t len)
{
    jsonpos_index *ix = NULL;
    struct frame *stack = NULL;
    size_t depth = 0;
    size_t stack_cap = 0;
    struct scanner sc;
    enum state st = ST_VALUE;
    int may_close = 0;
    int done = 0;
    uint32_t key_off = 0;
    uint32_t key_len = INDEX_KEY;
    int key_line = 0;
    int key_col = 0;

    if (len >= MAX_INPUT || (buf == NULL && len > 0))
        goto fail;
    ix = calloc(1, sizeof(*ix));
    if (ix == NULL)
        goto fail;
    ix->arena_cap = 256; /* never NULL, even when every key is "" */
    ix->arena = malloc(ix->arena_cap);
    if (ix->arena == NULL)
        goto fail;
    sc.buf = (const unsigned char *)buf;
    sc.len = len;
    sc.pos = 0;
    sc.line = 1;
    sc.col = 0;

    while (!done && sc.pos < sc.len) {
        unsigned char c = sc.buf[sc.pos];

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            advance(&sc);
            continue;
        }
        switch (st) {
        case ST_VALUE: {
            uint32_t parent = depth ? stack[depth - 1].node : NO_NODE;
            uint32_t id;

            if (may_close && c == ']') {
                depth--;
                advance(&sc);
                st = ST_AFTER;
                break;
            }
            if (depth > 0 && stack[depth - 1].kind == '[') {
                key_off = stack[depth - 1].count++;
                key_len = INDEX_KEY;
                key_line = sc.line;
                key_col = sc.col + 1;
            } else if (depth == 0) {
                key_off = 0;
                key_len = INDEX_KEY;
                key_line = sc.line;
                key_col = sc.col + 1;
            }
            id = add_node(ix, parent, key_off, key_len, sc.line, sc.col + 1, key_line,
                          key_col);
            if (id == NO_NODE)
                goto fail;
            may_close = 0;
            if (c == '{' || c == '[') {
                if (depth == stack_cap) {
                    size_t cap = stack_cap ? stack_cap * 2 : 32;
                    struct frame *s = realloc(stack, cap * sizeof(*s));

                    if (s == NULL)
                        goto fail;
                    stack = s;
                    stack_cap = cap;
                }
                stack[depth].node = id;
                stack[depth].count = 0;
                stack[depth].kind = (char)c;
                depth++;
                advance(&sc);
                st = c == '{' ? ST_KEY : ST_VALUE;
                may_close = 1;
            } else if (c == '"') {
                if (scan_string(&sc, NULL) != 0)
                    goto fail;
                st = ST_AFTER;
            } else if (!is_structural(c)) {
                while (sc.pos < sc.len && !is_structural(sc.buf[sc.pos]))
                    advance(&sc);
                st = ST_AFTER;
            } else {
                goto fail;
            }
            break;
        }
        case ST_KEY:
            if (may_close && c == '}') {
                depth--;
                advance(&sc);
                st = ST_AFTER;
                break;
            }
            if (c != '"')
                goto fail;
            key_line = sc.line;
            key_col = sc.col + 1;
            key_off = (uint32_t)ix->arena_len;
            if (scan_string(&sc, ix) != 0)
                goto fail;
            key_len = (uint32_t)(ix->arena_len - key_off);
            st = ST_COLON;
            may_close = 0;
            break;
        case ST_COLON:
            if (c != ':')
                goto fail;
            advance(&sc);
            st = ST_VALUE;
            break;
        case ST_AFTER:
            may_close = 0;
            if (c == ',') {
                st = stack[depth - 1].kind == '{' ? ST_KEY : ST_VALUE;
            } else if ((c == '}' && stack[depth - 1].kind == '{') ||
                       (c == ']' && stack[depth - 1].kind == '[')) {
                depth--;
            } else {
                goto fail;
            }
            advance(&sc);
            break;
        }
        if (st == ST_AFTER && depth == 0)
            done = 1;
    }
    if (!done)
        goto fail;
    if (build_hash(ix) != 0)
        goto fail;
    free(stack);
    return ix;
fail:
    free(stack);
    jsonpos_free(ix);
    return NULL;
}

void jsonpos_free(jsonpos_index *ix)
{
    if (ix == NULL)
        return;
    free(ix->nodes);
    free(ix->arena);
    free(ix->slots);
    free(ix);
}

size_t jsonpos_count(const jsonpos_index *ix)
{
    return ix == NULL ? 0 : ix->nnodes;
}

static uint32_t find_child(const jsonpos_index *ix, uint32_t parent, const char *key,
                           uint32_t key_len, uint32_t index)
{
    uint32_t h = hash_key(parent, key, key_len, index) & ix->mask;

    while (ix->slots[h] != 0) {
        uint32_t id = ix->slots[h] - 1;

        if (node_matches(ix, &ix->nodes[id], parent, key, key_len, index))
            return id;
        h = (h + 1) & ix->mask;
    }
    return NO_NODE;
}

static uint32_t find_path(const jsonpos_index *ix, const char *path)
{
    uint32_t cur = 0;
    const char *p = path;
    int first = 1;

    if (ix == NULL || ix->nnodes == 0 || path == NULL)
        return NO_NODE;
    while (*p != '\0') {
        if (*p == '[') {
            uint32_t index = 0;
            int digits = 0;

            p++;
            while (*p >= '0' && *p <= '9') {
                if (index > (UINT32_MAX - 10) / 10)
                    return NO_NODE;
                index = index * 10 + (uint32_t)(*p - '0');
                digits++;
                p++;
            }
            if (digits == 0 || *p != ']')
                return NO_NODE;
            p++;
            cur = find_child(ix, cur, NULL, INDEX_KEY, index);
        } else {
            const char *seg;

            if (!first) {
                if (*p != '.')
                    return NO_NODE;
                p++;
            }
            seg = p;
            while (*p != '\0' && *p != '.' && *p != '[')
                p++;
            if ((size_t)(p - seg) >= INDEX_KEY)
                return NO_NODE;
            cur = find_child(ix, cur, seg, (uint32_t)(p - seg), 0);
        }
        if (cur == NO_NODE)
            return NO_NODE;
        first = 0;
    }
    return cur;
}

int jsonpos_lookup(const jsonpos_index *ix, const char *path, int *line, int *col)
{
    uint32_t id = find_path(ix, path);

    if (id == NO_NODE)
        return -1;
    *line = ix->nodes[id].line;
    *col = ix->nodes[id].col;
    return 0;
}

int jsonpos_lookup_key(const jsonpos_index *ix, const char *path, int *line, int *col)
{
    uint32_t id = find_path(ix, path);

    if (id == NO_NODE)
        return -1;
    *line = ix->nodes[id].key_line;
    *col = ix->nodes[id].key_col;
    return 0;
}

void jsonpos_linecol(const char *buf, size_t len, size_t offset, int *line, int *col)
{
    size_t i;
    int l = 1;
    int c = 0;

    if (offset > len)
        offset = len;
    for (i = 0; i < offset; i++) {
        unsigned char b = (unsigned char)buf[i];

        if (b == '\n') {
            l++;
            c = 0;
        } else if ((b & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c + 1;
}
