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

#define MEMATTR_LEAK_WINDOW_S_MIN	10
#define MEMATTR_LEAK_WINDOW_S_MAX	604800
#define MEMATTR_LEAK_WINDOW_S_DEFAULT	3600
#define MEMATTR_LEAK_MIN_KBH_MIN	1
#define MEMATTR_LEAK_MIN_KBH_MAX	4194304
#define MEMATTR_LEAK_MIN_KBH_DEFAULT	4096
#define MEMATTR_WATERMARKS_DEFAULT	"85,92,97"
#define MEMATTR_LOG_EVENTS_MIN		0
#define MEMATTR_LOG_EVENTS_MAX		1
#define MEMATTR_LOG_EVENTS_DEFAULT	1
#define MEMATTR_PANIC_REPORT_MIN	0
#define MEMATTR_PANIC_REPORT_MAX	1
#define MEMATTR_PANIC_REPORT_DEFAULT	1

/* The u32 knobs, for memattr_params_set_u32() (netlink SET_CONFIG). */
enum memattr_param_id {
	MEMATTR_PARAM_SAMPLE_MS,
	MEMATTR_PARAM_MAX_PROCS,
	MEMATTR_PARAM_LEAK_WINDOW_S,
	MEMATTR_PARAM_LEAK_MIN_KB_PER_HOUR,
	MEMATTR_PARAM_LOG_EVENTS,
	MEMATTR_PARAM_PANIC_REPORT,	/* not in netlink's config */
	MEMATTR_PARAM_NR,
};

u32 memattr_params_sample_ms(void);
u32 memattr_params_max_procs(void);
u32 memattr_params_leak_window_s(void);
u32 memattr_params_leak_min_kb_per_hour(void);
bool memattr_params_log_events(void);
bool memattr_params_panic_report(void);
unsigned int memattr_params_watermarks(u8 *levels);

const char *memattr_params_name(enum memattr_param_id id);
u32 memattr_params_get_u32(enum memattr_param_id id);
void memattr_params_range(enum memattr_param_id id, u32 *min, u32 *max);
int memattr_params_set_u32(enum memattr_param_id id, u32 val);
void memattr_params_on_change(enum memattr_param_id id, void (*changed)(void));
int memattr_params_set_watermarks(const char *buf);

#endif /* _MEMATTR_PARAMS_H */
