/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MEMATTR_PARAMS_H
#define _MEMATTR_PARAMS_H

#include <linux/types.h>

#define MEMATTR_SAMPLE_MS_MIN		10
#define MEMATTR_SAMPLE_MS_MAX		60000
#define MEMATTR_SAMPLE_MS_DEFAULT	1000
#define MEMATTR_MAX_PROCS_MIN		16
#define MEMATTR_MAX_PROCS_MAX		1048576
#define MEMATTR_MAX_PROCS_DEFAULT	4096

u32 memattr_params_sample_ms(void);
u32 memattr_params_max_procs(void);

#endif /* _MEMATTR_PARAMS_H */
