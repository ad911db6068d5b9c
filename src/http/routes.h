/* routes: the static route table (method, path pattern, roles, flags, body limit). */
#ifndef CCHC_ROUTES_H
#define CCHC_ROUTES_H
#include "http/http.h"

extern const route routes[];

/* Finds the route for method and path, filling r->params. Returns it, or NULL
 * with *allow set to the methods the path does take ("" when the path is unknown). */
const route *routes_match(const char *method, const char *path, req *r, char *allow, size_t n);

/* The body limit of a route in bytes: its table entry, or for RF_BANK_BODY routes the
 * serve option --bank-max-mb when given. 0 for NULL. */
size_t route_body_max(const route *rt);

#endif
