/* libFuzzer target: the contest file loader (JSON → validated rows), against
 * an in-memory database holding a small bank. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/store.h"
#include "contest/contest.h"
#include "db/db.h"

static const char BANK[] =
    "{\"format\":\"cchc-bank/1\",\"id\":\"b\",\"title\":\"T\",\"version\":1,"
    "\"categories\":[{\"id\":\"c\",\"title\":\"C\"}],\"questions\":["
    "{\"id\":\"q1\",\"category\":\"c\",\"difficulty\":\"easy\",\"track\":\"both\","
    "\"text\":\"Câu một?\",\"options\":[\"A\",\"B\"],\"correct\":0,\"explanation\":\"x\","
    "\"source\":{\"document\":\"d\"}},"
    "{\"id\":\"q2\",\"category\":\"c\",\"difficulty\":\"hard\",\"track\":\"cbccvc\","
    "\"text\":\"Câu hai?\",\"options\":[\"A\",\"B\",\"C\"],\"correct\":[0,2],\"explanation\":\"x\","
    "\"source\":{\"document\":\"d\"}}]}";

static db_conn *db;

static void setup(void)
{
    char err[256];
    db = db_open(":memory:", 0, err, sizeof err);
    if (!db)
        abort();
    bank_report *rep = bank_report_new();
    bank *b = bank_parse_json(BANK, strlen(BANK), "fuzz", rep);
    bank_store_result res;
    if (!b || bank_store(db, b, BANK, strlen(BANK), "fuzz", "fuzz", 0, &res, err, sizeof err))
        abort();
    bank_free(b);
    bank_report_free(rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!doc)
        return 0;
    char err[512];
    int64_t id;
    db_exec(db, "SAVEPOINT f");
    contest_load(db, doc, 1800000000000LL, &id, err, sizeof err);
    db_exec(db, "ROLLBACK TO f");
    db_exec(db, "RELEASE f");
    json_decref(doc);
    return 0;
}
