/* bank/moodle_xml.h - Moodle XML question files, read and written.
 *
 * Read: <quiz> with <question type="category"> (its path's last part is the category
 * title, its <idnumber> the id), type="multichoice" (<single>true</single>: the answers
 * with fraction 100 are the key; <single>false</single>: a multi-select question keyed
 * by the answers with a positive fraction) and type="truefalse" (options "Đúng" and
 * "Sai"). <questiontext>, <answer> and <generalfeedback> (the explanation) may be
 * format="html": the text is reduced to plain text. <idnumber>, else <name> when it is a
 * valid id, gives the question id; <tags> its tags. Other question types are reported
 * as warnings with their line and skipped. XML errors are reported with line and column.
 *
 * What Moodle has no field for is written in elements Moodle's importer ignores:
 *   <cchc_bank id="..." title="..."/>  (in <quiz>)
 *   <cchc difficulty="easy" track="both" document="..." article="..." url="..."/>
 * so that bank_moodle_xml_write then bank_moodle_xml_parse gives the same bank.
 */
#ifndef CCHC_BANK_MOODLE_XML_H
#define CCHC_BANK_MOODLE_XML_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/build.h"
#include "bank/report.h"
#include "util/buf.h"

/* Parses a Moodle XML file buf[0..len) into a new bank (caller frees with bank_free), or
 * NULL when an error was reported into rep. */
bank *bank_moodle_xml_parse(const char *buf, size_t len, const bank_import_opts *opts,
                            bank_report *rep);

/* Appends the bank as Moodle XML to out. 0, or -1 when out of memory. */
int bank_moodle_xml_write(const bank *b, buf *out);

#endif
