/* bank/summary.h - what an organiser sees about a bank before importing it: counts per
 * category, difficulty and track, and the questions that say the same thing. */
#ifndef CCHC_BANK_SUMMARY_H
#define CCHC_BANK_SUMMARY_H

#include <jansson.h>

#include "bank/bank.h"

/* A new JSON object (caller owns; NULL when out of memory):
 * {"id", "title", "questions", "multi", "categories": [{"id", "title", "questions"}],
 *  "difficulty": {"easy", "medium", "hard"}, "track": {"both", "cbccvc", "citizen"}}. */
json_t *bank_summary_json(const bank *b);

/* Appends to out one {"line", "question_id", "kind": "within", "other_question",
 * "other_line"} per question whose text (after NFC and white-space and case folding)
 * equals an earlier one's. Returns the number found, -1 when out of memory. */
int bank_duplicates_within(const bank *b, json_t *out);

#endif
