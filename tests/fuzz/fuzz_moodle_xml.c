/* libFuzzer target: the Moodle XML (and the XML reader under it) bank reader on arbitrary bytes; see fuzz_common.h for what
 * is checked besides memory errors. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_format(data, size, BANK_FMT_XML);
}
