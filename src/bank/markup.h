/* bank/markup.h - the bits of HTML and XML text handling the import formats share:
 * HTML text (Moodle's format="html", GIFT's [html]) to plain text, and XML escaping for
 * the writers. */
#ifndef CCHC_BANK_MARKUP_H
#define CCHC_BANK_MARKUP_H

#include "util/buf.h"

/* Returns a new plain-text string for the HTML fragment s (caller frees), NULL when out of
 * memory: tags removed (<br>, </p>, </div>, </li> and </tr> become line breaks), character
 * references (&amp; &#233; &#xE9; &nbsp; ...) decoded, runs of white space in a line made
 * one space, lines trimmed, blank lines dropped. Unknown entities are kept as written. */
char *bank_html_to_text(const char *s);

/* Appends s to out with & < > " ' escaped for XML text and attributes. 0 or -1. */
int bank_xml_escape(buf *out, const char *s);

/* Decodes one character reference at s (just after '&', up to n bytes): "amp;" "#233;"
 * "#xE9;" and, with html set, the common HTML names. Writes the UTF-8 of the character
 * to out (at most 4 bytes) and returns the number of bytes of s used (the ';' included),
 * or 0 when s is not a reference this knows. *outlen receives the UTF-8 length. */
size_t bank_entity_decode(const char *s, size_t n, int html, char out[4], size_t *outlen);

#endif
