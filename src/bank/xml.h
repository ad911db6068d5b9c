/* bank/xml.h - a small, strict XML reader that builds an element tree, for Moodle XML.
 *
 * It takes what Moodle writes: an optional XML declaration, comments, processing
 * instructions, a DOCTYPE without an internal subset, elements with attributes in single
 * or double quotes, character data with the five predefined entities and numeric
 * character references, CDATA sections. It refuses (with line and column) everything
 * else: mismatched or unclosed tags, unknown entities, '<' in an attribute, text outside
 * the root element, nesting deeper than XML_MAX_DEPTH, non-UTF-8 input (checked by the
 * caller). Namespaces are not interpreted: "a:b" is just a name.
 *
 * Lines are counted by LF, CRLF and lone CR; columns in characters; both 1-based.
 */
#ifndef CCHC_BANK_XML_H
#define CCHC_BANK_XML_H

#include <stddef.h>

#include "util/buf.h"

#define XML_MAX_DEPTH 64

typedef struct xml_node xml_node;
struct xml_node {
    char *name;
    char **attrs;        /* name, value, name, value, ... (values decoded) */
    int nattrs;
    buf text;            /* the character data directly inside, CDATA included, decoded */
    xml_node *first;     /* first child element */
    xml_node *last;
    xml_node *next;      /* next sibling element */
    int line;            /* of the '<' of the start tag */
    int col;
};

/* Parses buf[0..len) (valid UTF-8, no BOM). Returns the root element (caller frees with
 * xml_free), or NULL with a message in errbuf (errn bytes) and its position in *line and
 * *col (also when memory runs out). */
xml_node *xml_parse(const char *buf, size_t len, char *errbuf, size_t errn, int *line,
                    int *col);

/* Frees a tree. NULL is allowed. */
void xml_free(xml_node *n);

/* The value of attribute name, or NULL. */
const char *xml_attr(const xml_node *n, const char *name);

/* The first child element called name, or NULL. */
xml_node *xml_child(const xml_node *n, const char *name);

/* The text of n's child "text" (Moodle's <questiontext><text>...</text>), or of the
 * element "name/text" of n when name is not NULL; NULL when there is none. */
const char *xml_text_of(const xml_node *n, const char *name);

#endif
