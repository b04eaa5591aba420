/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Events: what memattr pushes to listeners. Each goes into a bounded ring
 * (debugfs `events`) and out on the "events" generic netlink multicast
 * group.
 */
#ifndef _MEMATTR_EVENTS_H
#define _MEMATTR_EVENTS_H

#include <linux/build_bug.h>
#include <linux/sched.h>
#include <linux/types.h>

#include <uapi/linux/memattr.h>

#include "oom.h"

#define MEMATTR_EVENTS_MAX	128

/*
 * An event: the kind and time, then the fields of that kind only. The
 * kinds share the room of the largest (an OOM kill): every reader
 * switches on @kind and reads its kind's fields, nothing else.
 */
struct memattr_event {
	u32 kind;		/* enum memattr_event_kind (UAPI) */
	u8 entity;		/* enum memattr_entity_kind (UAPI): LEAK,
				 * LEAK_CLEARED; WATERMARK: the system
				 */
	u64 time_ms;		/* CLOCK_MONOTONIC */
	union {
		/* LEAK, LEAK_CLEARED */
		struct {
			pid_t pid;	/* process: its pid */
			char comm[TASK_COMM_LEN];
			u64 cgroup_id;
			char cgroup[MEMATTR_CGROUP_PATH_LEN];
			s64 growth_kb_per_hour;
			u64 since_ms;	/* CLOCK_MONOTONIC when the state began */
			s64 exhaust_s;	/* until its memory runs out; -1: never */
		};
		/* WATERMARK */
		struct {
			u8 level;	/* 1-based index of the level crossed */
			u8 level_pct;	/* that level, percent of MemTotal */
			bool up;	/* crossed upwards */
			u32 used_pct;
		};
		/* OOM_KILL: the report without its history */
		struct memattr_oom_kill oom;
	};
};

/*
 * The ring holds MEMATTR_EVENTS_MAX of them: 16 bytes of kind, entity and
 * time, then the largest kind's fields, never the sum of all kinds'.
 */
static_assert(sizeof(struct memattr_event) <=
	      16 + sizeof(struct memattr_oom_kill));

/* The name of event kind @kind (UAPI enum), or NULL for one unknown here. */
static inline const char *memattr_event_kind_name(u32 kind)
{
	switch (kind) {
	case MEMATTR_EV_LEAK:
		return "leak";
	case MEMATTR_EV_LEAK_CLEARED:
		return "leak_cleared";
	case MEMATTR_EV_WATERMARK:
		return "watermark";
	case MEMATTR_EV_OOM_KILL:
		return "oom_kill";
	}
	return NULL;
}

/* The name of entity kind @entity (UAPI enum), or NULL for one unknown. */
static inline const char *memattr_event_entity_name(u8 entity)
{
	switch (entity) {
	case MEMATTR_ENTITY_PROCESS:
		return "process";
	case MEMATTR_ENTITY_CGROUP:
		return "cgroup";
	case MEMATTR_ENTITY_SYSTEM:
		return "system";
	}
	return NULL;
}

int memattr_events_init(void);
void memattr_events_exit(void);
void memattr_events_emit(const struct memattr_event *ev);
int memattr_events_snapshot(struct memattr_event **evs, u32 *nr);

#endif /* _MEMATTR_EVENTS_H */
