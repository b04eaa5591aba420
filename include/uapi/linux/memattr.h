/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * memattr: per-process and per-memory-cgroup memory attribution.
 *
 * Generic netlink family MEMATTR_GENL_NAME ("memattr"), version
 * MEMATTR_GENL_VERSION. All sizes are in KiB unless an attribute's name says
 * otherwise; times named _ms are CLOCK_MONOTONIC milliseconds, as
 * clock_gettime(CLOCK_MONOTONIC) gives them.
 *
 * This header is shared by the kernel module and the memattr(8) CLI. New
 * commands and attributes are only ever appended; a client must skip
 * attributes it does not know.
 *
 * Conventions
 * -----------
 * Attributes start at 1. Every 64-bit value is put with a PAD attribute of
 * its own set (nla_put_u64_64bit()), which a client skips. A list is a nest
 * holding one nested attribute of type MEMATTR_A_LIST_ITEM per element, in
 * order. The kernel validates requests strictly: an unknown attribute, an
 * attribute of the wrong type or length, a value out of range, a reserved
 * header field or flag set, all fail with an error and an extended ACK
 * message naming the attribute. Values out of a range the policy states
 * fail with -ERANGE (the netlink core's own code for it), every other
 * malformed request with -EINVAL.
 *
 * Privileges
 * ----------
 * A caller is privileged when it has CAP_NET_ADMIN in the initial user
 * namespace, both now and when it opened the socket (netlink_capable()).
 * - SET_CONFIG and GET_OOM need it and answer -EPERM without it. OOM reports
 *   name processes of every user, and their owners are gone with them.
 *   GET_OOM answers a caller outside the initial pid namespace with no
 *   report (a report's pids are of that namespace, and its processes are
 *   gone: they cannot be told in another one); in a cgroup namespace, only
 *   the reports of its cgroups, their paths from its root.
 * - Every caller, privileged or not, is answered in its own namespaces, as
 *   /proc and cgroupfs answer it: GET_PROC and GET_LEAKS show only the
 *   processes of the caller's pid namespace, and pids (MEMATTR_A_PROC_PID,
 *   MEMATTR_A_LEAK_PID, the pid GET_PROC takes) are pids of that namespace.
 *   GET_CGROUP, GET_PROC and GET_LEAKS show only the memory cgroups of the
 *   caller's cgroup namespace, their paths from its root ("/": the root of
 *   the namespace, as /proc/self/cgroup names it); a process's cgroup id
 *   and path are left out when its cgroup is outside. The namespaces are
 *   those of the task that sent the request.
 * - GET_PROC and GET_LEAKS show an unprivileged caller only the processes
 *   whose real, effective and saved uids all equal the caller's effective
 *   uid (a setuid program the caller started is not shown), and only while
 *   the process is alive. Any other process is answered as if it did not
 *   exist (-ENOENT). Memory cgroups are shown to everyone, as cgroupfs shows
 *   them.
 * - Dumps hold nothing of the process table between two reads; what a dump
 *   copies (the cgroups the caller may see) is charged to the caller's
 *   memory cgroup.
 * - Events ("events" group) name processes and cgroups as the initial pid
 *   and cgroup namespaces see them.
 * - GET_SYSTEM, GET_CGROUP, GET_CONFIG and GET_STATS are open to everyone.
 * - Joining the "events" multicast group needs CAP_NET_ADMIN: setsockopt
 *   (NETLINK_ADD_MEMBERSHIP) fails with EPERM without it. Kernels without
 *   the core's multicast permission check (before the December 2023 stable
 *   releases) multicast no events at all.
 *
 * Commands
 * --------
 * MEMATTR_CMD_GET_STATS (doit)
 *	Takes no attribute. Replies with MEMATTR_A_STATS_*: the module's own
 *	counters (tracked processes and cgroups, processes dropped because the
 *	table was full, sampler cost, memory it uses, kernel log lines
 *	printed and kept out by the rate limit) and
 *	MEMATTR_A_STATS_HOOKS, a list of MEMATTR_A_HOOK_* nests, one per hook:
 *	name, kind, target (absent when not attached), hits, misses.
 *
 * MEMATTR_CMD_GET_SYSTEM (doit)
 *	Takes no attribute. Replies with MEMATTR_A_SYSTEM_*: system memory as
 *	of the last sample.
 *
 * MEMATTR_CMD_GET_PROC (doit, dump)
 *	doit: takes MEMATTR_A_PROC_PID (required). Replies with one process,
 *	MEMATTR_A_PROC_*, including MEMATTR_A_PROC_HISTORY: a list of
 *	MEMATTR_A_POINT_* nests (t_ms, kb), oldest first, the floor of the
 *	process's unreclaimable footprint (anon + shmem + swap + page tables)
 *	over time, densest near now, and MEMATTR_A_PROC_EXHAUST_S (see Time
 *	to exhaustion).
 *	Errors: -EINVAL without a pid; -ENOENT when the process is not
 *	tracked (or not shown to this caller, see Privileges).
 *	dump: takes no attribute. One MEMATTR_CMD_GET_PROC message per tracked
 *	process, without history, by increasing pid. The dump walks the live
 *	table as /proc's readdir does: each process is in it at most once, one
 *	that lives through the dump always, one that forked or exited meanwhile
 *	may or may not be (each message is consistent in itself). It never sets
 *	NLM_F_DUMP_INTR.
 *
 * MEMATTR_CMD_GET_CGROUP (doit, dump)
 *	doit: takes MEMATTR_A_CGROUP_ID or MEMATTR_A_CGROUP_PATH (exactly one;
 *	the path as cgroupfs names it from the memory controller's root, "/"
 *	for the root; in a cgroup namespace, from the namespace's root).
 *	Replies with MEMATTR_A_CGROUP_* of that memory cgroup, as of the last
 *	sample.
 *	Errors: -EINVAL with neither or both; -ENOENT for an unknown one.
 *	dump: takes no attribute. One message per memory cgroup, by id.
 *
 * MEMATTR_CMD_GET_LEAKS (dump)
 *	Takes no attribute. One MEMATTR_CMD_GET_LEAKS message per process and
 *	per memory cgroup whose leak state is MEMATTR_LEAK_SUSPECT or
 *	MEMATTR_LEAK_LEAK, with MEMATTR_A_LEAK_*: entity kind, pid and comm
 *	(processes) or cgroup id and path, growth, state, since when and time
 *	to exhaustion (see Time to exhaustion).
 *	Processes first, by pid, walked as GET_PROC's dump walks them, then
 *	cgroups.
 *
 * MEMATTR_CMD_GET_OOM (dump, CAP_NET_ADMIN)
 *	Takes no attribute. One message per kept OOM report (the last 8),
 *	oldest first, with MEMATTR_A_OOM_*: the victim, its footprint history
 *	(MEMATTR_A_OOM_HISTORY, a list of MEMATTR_A_POINT_*) and the processes
 *	growing fastest at that moment (MEMATTR_A_OOM_TOP, a list of
 *	MEMATTR_A_GROWER_*).
 *
 * MEMATTR_CMD_GET_CONFIG (doit)
 *	Takes no attribute. Replies with every MEMATTR_A_CONFIG_*: the values
 *	the module parameters of the same names hold.
 *
 * MEMATTR_CMD_SET_CONFIG (doit, CAP_NET_ADMIN)
 *	Takes any non-empty subset of MEMATTR_A_CONFIG_*, with the ranges the
 *	module parameters accept: sample_ms 10..60000, max_procs 16..1048576,
 *	leak_window_s 10..604800, leak_min_kb_per_hour 1..4194304, watermarks
 *	1 to 8 strictly increasing percentages in [1, 99], comma separated
 *	("85,92,97"), log_events 0..1. Every attribute is validated before any is applied, so a
 *	request with one bad value changes nothing. Replies with an ACK only
 *	(ask for it with NLM_F_ACK).
 *	Errors: -EINVAL for an empty request or bad watermarks; -ERANGE for a
 *	number out of range; -EPERM without CAP_NET_ADMIN.
 *
 * MEMATTR_CMD_PROFILE_START (doit, CAP_NET_ADMIN)
 *	Starts a growth-site profile of one process (see Growth-site
 *	profiles). Takes MEMATTR_A_PROFILE_PID (required) and
 *	MEMATTR_A_PROFILE_SAMPLE_EVERY (optional, 1..65536; default the
 *	profile_every parameter). Replies with an ACK only.
 *	Errors: -EINVAL without a pid; -ENOENT when the process is not
 *	tracked (a kernel thread, a zombie or an exiting process) or not in
 *	the caller's pid namespace; -EEXIST when it is profiled already;
 *	-ENOSPC when profile_max processes are profiled already (0:
 *	profiling is off); -EPERM for init (pid 1 of the initial pid
 *	namespace: every page it faults would pay a stack walk, and its death
 *	panics the machine; a container's init may be profiled); -ENOMEM.
 *
 * MEMATTR_CMD_PROFILE_STOP (doit, CAP_NET_ADMIN)
 *	Takes MEMATTR_A_PROFILE_PID (required). Ends the profile and frees
 *	its table: dump it first. Replies with an ACK only.
 *	Errors: -EINVAL without a pid; -ENOENT when the process is not
 *	profiled.
 *
 * MEMATTR_CMD_GET_PROFILE (dump, CAP_NET_ADMIN)
 *	Takes MEMATTR_A_PROFILE_PID (required). The first message holds the
 *	profile's summary, MEMATTR_A_PROFILE_* (PID and the counters); each
 *	following message holds MEMATTR_A_PROFILE_PID and
 *	MEMATTR_A_PROFILE_STACKS, a list of MEMATTR_A_STACK_* nests, as many
 *	as fit. The counters are read after the stacks, so each is at least
 *	the sum over the stacks of the same weight. The "[throttled]" and
 *	"[other]" buckets are stacks of their own (MEMATTR_A_STACK_BUCKET).
 *	Errors: -EINVAL without a pid; -ENOENT when the process is not
 *	profiled (it exited, exec'ed or was stopped).
 *
 * MEMATTR_CMD_EVENT (multicast, "events" group; not a request)
 *	One message per event, as it happens, with MEMATTR_A_EV_KIND (enum
 *	memattr_event_kind), MEMATTR_A_EV_TIME_MS and the event's fields:
 *	- MEMATTR_EV_LEAK, MEMATTR_EV_LEAK_CLEARED: ENTITY; PID and COMM for a
 *	  process; CGROUP_ID and CGROUP (path) when known; GROWTH_KB_PER_HOUR;
 *	  SINCE_MS (when the state began); EXHAUST_S (see Time to exhaustion,
 *	  as of the sample that changed the state; -1: never).
 *	- MEMATTR_EV_WATERMARK: LEVEL (1-based index of the level crossed),
 *	  LEVEL_PCT, DIRECTION (enum memattr_wm_direction), USED_PCT.
 *	- MEMATTR_EV_OOM_KILL: the victim's PID, COMM, CGROUP (path), RSS_KB,
 *	  all read at the kill (COMM is the name of the thread the OOM killer
 *	  chose, as in the kernel's "Killed process" line), and TOP, a list of
 *	  MEMATTR_A_GROWER_* (fastest growers first, as of the last sample).
 *	  A kill of several processes at once (memory.oom.group) gives one
 *	  event per victim.
 *	A listener that falls behind gets ENOBUFS from recv() and has lost
 *	events.
 *
 * A command a kernel does not know answers -EOPNOTSUPP.
 *
 * Time to exhaustion
 * ------------------
 * The *_EXHAUST_S attributes (s64) are the seconds until memory runs out if
 * the entity keeps growing at its GROWTH_KB_PER_HOUR: headroom / growth,
 * recomputed at every sample, -1 (never) when the growth is not positive,
 * at most 100 years (3153600000). The headroom is, for
 * - the system (MEMATTR_A_SYSTEM_EXHAUST_S): MemAvailable;
 * - a memory cgroup (MEMATTR_A_CGROUP_EXHAUST_S, and MEMATTR_A_LEAK_EXHAUST_S
 *   and the events of a cgroup): its memory.max less its usage; -1 without
 *   a limit of its own;
 * - a process (MEMATTR_A_PROC_EXHAUST_S, and MEMATTR_A_LEAK_EXHAUST_S and
 *   the events of a process): the least of MemAvailable and, for its memory
 *   cgroup and each ancestor that has a memory.max, that limit less that
 *   cgroup's usage (0 when over it), whichever runs out first. The process's
 *   own growth is what is divided: other growers sharing the headroom make
 *   the real time shorter.
 *
 * Growth-site profiles
 * --------------------
 * For a profiled process, the page-allocator hook takes the user stack
 * that touches each new anonymous page (the zeroed, movable user pages of
 * an anonymous fault; a huge page weighs its number of pages), and the
 * mmap, brk and mremap hooks the stack of each call, weighted by the bytes
 * it maps. The stack is walked through frame pointers from the task's
 * saved user registers: at most MEMATTR_PROFILE_MAX_DEPTH frames, leaf
 * first (the faulting or calling instruction, then return addresses; on
 * arm64 pointer-authentication bits stripped). Code built without frame
 * pointers gives short stacks. A fault taken in the kernel (a read() into
 * a new buffer) is the stack of the system call. On arm64 the second frame
 * is the link register when it differs from the first frame record's
 * return address: the caller of a leaf function that sets up no record
 * (in a function that made a call already, it points into that function).
 * - Sampling: one page in SAMPLE_EVERY (Bernoulli), weighted by
 *   SAMPLE_EVERY so that totals estimate all pages; a process's samples
 *   are capped per second (the profile_rate parameter, a token bucket);
 *   pages over the cap go to the "[throttled]" bucket, so totals stay
 *   exact.
 * - Memory: each profile has a table of profile_stacks distinct stacks,
 *   allocated when it starts; stacks that do not fit go to "[other]". At
 *   most profile_max processes are profiled at once.
 * - In use: a sampled page's stack is remembered (a bounded table of
 *   sampled pages) until the page is freed, so MEMATTR_A_STACK_INUSE_PAGES
 *   is what of a stack's first touches is still allocated, including
 *   memory the process returned to the kernel (munmap, madvise).
 * - A profile ends with the process, at exec, or with PROFILE_STOP. With
 *   the profile_auto parameter set, a process entering LEAK is profiled.
 * Addresses defeat ASLR: every profile command needs CAP_NET_ADMIN.
 *
 * Kernel log lines
 * ----------------
 * Unless the log_events parameter (MEMATTR_A_CONFIG_LOG_EVENTS) is 0, every
 * event is also printed to the kernel log as one line, so that pstore, a
 * persistent journal or a serial console keeps it across a reboot. The line
 * is "memattr: " then fields "key=value" separated by one space, "event"
 * and "time_ms" (CLOCK_MONOTONIC ms) always first; no value holds a space
 * or an '='. By kind, with the log level and the fields in order:
 * - event=leak (KERN_WARNING), event=leak_cleared (KERN_INFO): entity
 *   (process, cgroup, system); pid and comm (processes); cgroup_id and
 *   cgroup (path), each when known; growth_kb_per_hour; since_ms;
 *   exhaust_s (MEMATTR_A_EV_EXHAUST_S, -1: never).
 * - event=watermark (KERN_WARNING up, KERN_NOTICE down): direction (up,
 *   down), level, level_pct, used_pct.
 * - event=oom_kill (KERN_ERR): pid, comm, cgroup (when known), rss_kb,
 *   top (how many growers follow, 0 to 3), then for each grower i from 1,
 *   fastest first: top<i>_pid, top<i>_comm, top<i>_growth_kb_per_hour,
 *   top<i>_rss_kb.
 * Strings (comm, cgroup) are escaped: every byte outside 0x21..0x7e, and
 * '\\', '"' and '=', is written "\xHH" (two lower-case hex digits), the
 * rest as it is; so no name can end a field or start a line. Decode "\xHH"
 * and nothing else. A string is cut at 252 bytes escaped, never inside an
 * escape; a line with a string cut, or fields left out for room (the
 * longest line is 925 bytes after the prefix, so none is today), ends with
 * "truncated=1". Numbers are decimal, signed where the netlink attribute
 * of the same name is. Fields are only ever added, at a kind's end: a
 * reader skips keys it does not know. /dev/kmsg shows a '\\' of the line
 * as "\x5c": undo its escaping first; journald, util-linux dmesg, pstore
 * and consoles give the line as printed. memattr last-boot reads it back.
 * Each kind of event prints at most 10 lines per 5 s; the lines kept out
 * are counted (MEMATTR_A_STATS_KLOG_SUPPRESSED), the others too
 * (MEMATTR_A_STATS_KLOG_LINES).
 *
 * Post-mortem report
 * ------------------
 * When the kernel panics (panic_on_oom, a hung-task or soft-lockup panic,
 * sysrq-c, an oops with panic_on_oops), and unless the panic_report
 * parameter is 0, memattr prints a report to the kernel log (KERN_ERR),
 * after the panic message and before the kmsg dumpers (pstore) save the
 * log's tail: 1 to 3 KiB with usual names, about 8.3 KiB at most. The
 * same lines, each with the "memattr: " prefix, are in debugfs `report` on
 * demand (reason=on_demand). The lines are the form of the kernel log lines
 * above (escaping, "truncated=1", fields only ever added at a line's end),
 * "report" first instead of "event", in this order:
 * - report=begin: reason (panic, on_demand), time_ms (when written),
 *   version (the module's), snapshot_ms (the sampler tick the numbers come
 *   from, at most one sample period old; 0: none yet, and no system, proc
 *   or cgroup lines follow), torn=1 when the panic path read the snapshot
 *   without its lock (a stopped CPU held it: numbers may be mixed).
 * - report=system: mem_total_kb, mem_available_kb, used_pct,
 *   watermark_level (levels crossed upwards, 0: none), growth_kb_per_hour,
 *   exhaust_s (seconds until nothing is available, or "none").
 * - report=proc, up to 5 with by=footprint (largest unreclaimable
 *   footprint first: what the leak detector judges, anon + swap + page
 *   tables + the mapped shmem it allocated itself) then up to 5 with
 *   by=growth (fastest growing first, growing only): rank (from 1), pid,
 *   comm, cgroup_id and cgroup (its memory cgroup, when known),
 *   footprint_kb, rss_kb, growth_kb_per_hour, leak (ok, suspect, leak),
 *   since_ms (CLOCK_MONOTONIC when that leak state began).
 * - report=cgroup, up to 3, largest usage first, the root left out: rank,
 *   cgroup_id, cgroup, nr_procs, usage_kb, limit_kb (when set),
 *   growth_kb_per_hour, leak, since_ms, exhaust_s (until the limit, or
 *   "none").
 * - report=oom, the last OOM report kept, if any: time_ms (of the kill),
 *   then the fields of an event=oom_kill line after its time_ms.
 * - report=end: lines (of the report, begin and end included). A report
 *   without its end line was cut (the dump's size, a second crash).
 */
#ifndef _UAPI_LINUX_MEMATTR_H
#define _UAPI_LINUX_MEMATTR_H

#define MEMATTR_GENL_NAME	"memattr"
#define MEMATTR_GENL_VERSION	1
#define MEMATTR_GENL_MCGRP_EVENTS "events"

/* A leak detector's verdict on a process or cgroup. */
enum memattr_leak_state {
	MEMATTR_LEAK_OK,
	MEMATTR_LEAK_SUSPECT,
	MEMATTR_LEAK_LEAK,
};

/* What a LEAK or LEAK_CLEARED event (or a GET_LEAKS entry) is about. */
enum memattr_entity_kind {
	MEMATTR_ENTITY_PROCESS = 1,
	MEMATTR_ENTITY_CGROUP,
	MEMATTR_ENTITY_SYSTEM,
};

/* Events on the "events" multicast group: MEMATTR_A_EV_KIND. */
enum memattr_event_kind {
	MEMATTR_EV_LEAK = 1,
	MEMATTR_EV_LEAK_CLEARED,
	MEMATTR_EV_WATERMARK,
	MEMATTR_EV_OOM_KILL,
};

/* Which way a watermark was crossed: MEMATTR_A_EV_DIRECTION. */
enum memattr_wm_direction {
	MEMATTR_WM_UP = 1,
	MEMATTR_WM_DOWN,
};

enum memattr_cmd {
	MEMATTR_CMD_UNSPEC,
	MEMATTR_CMD_GET_STATS,
	MEMATTR_CMD_GET_SYSTEM,
	MEMATTR_CMD_GET_PROC,
	MEMATTR_CMD_GET_CGROUP,
	MEMATTR_CMD_GET_LEAKS,
	MEMATTR_CMD_GET_OOM,
	MEMATTR_CMD_GET_CONFIG,
	MEMATTR_CMD_SET_CONFIG,
	MEMATTR_CMD_EVENT,
	MEMATTR_CMD_PROFILE_START,
	MEMATTR_CMD_PROFILE_STOP,
	MEMATTR_CMD_GET_PROFILE,
	__MEMATTR_CMD_MAX,
};

#define MEMATTR_CMD_MAX (__MEMATTR_CMD_MAX - 1)

/* The element of every list attribute. */
enum memattr_attr_list {
	MEMATTR_A_LIST_UNSPEC,
	MEMATTR_A_LIST_ITEM,		/* nest */
	__MEMATTR_A_LIST_MAX,
};

#define MEMATTR_A_LIST_MAX (__MEMATTR_A_LIST_MAX - 1)

enum memattr_attr_stats {
	MEMATTR_A_STATS_UNSPEC,
	MEMATTR_A_STATS_PAD,
	MEMATTR_A_STATS_MODULE_VERSION,	/* string */
	MEMATTR_A_STATS_SAMPLE_MS,	/* u32 */
	MEMATTR_A_STATS_OWN_MEM_BYTES,	/* u64 */
	MEMATTR_A_STATS_TRACKED_PROCS,	/* u32 */
	MEMATTR_A_STATS_MAX_PROCS,	/* u32 */
	MEMATTR_A_STATS_TRACKED_CGROUPS, /* u32 */
	MEMATTR_A_STATS_PROCS_CREATED,	/* u64 */
	MEMATTR_A_STATS_PROCS_REMOVED,	/* u64 */
	MEMATTR_A_STATS_PROCS_DROPPED,	/* u64: not tracked, table full */
	MEMATTR_A_STATS_PROCS_REAPED,	/* u64: found gone by the sampler */
	MEMATTR_A_STATS_EXITED_TOTAL,	/* u64 */
	MEMATTR_A_STATS_SAMPLES,	/* u64: sampler ticks */
	MEMATTR_A_STATS_SAMPLE_LAST_NS,	/* u64: cost of the last tick */
	MEMATTR_A_STATS_SAMPLE_MAX_NS,	/* u64 */
	MEMATTR_A_STATS_IRQ_PAGES,	/* u64: allocated in IRQ context */
	MEMATTR_A_STATS_KTHREAD_PAGES,	/* u64: allocated by kernel threads */
	MEMATTR_A_STATS_UNTRACKED_PAGES, /* u64: by untracked processes */
	MEMATTR_A_STATS_HOOKS,		/* list of MEMATTR_A_HOOK_* */
	MEMATTR_A_STATS_KLOG_LINES,	/* u64: event lines in the kernel log */
	MEMATTR_A_STATS_KLOG_SUPPRESSED, /* u64: kept out by the rate limit */
	MEMATTR_A_STATS_PROFILES,	/* u32: processes profiled now */
	MEMATTR_A_STATS_PROFILE_MEM_BYTES, /* u64: their tables */
	__MEMATTR_A_STATS_MAX,
};

#define MEMATTR_A_STATS_MAX (__MEMATTR_A_STATS_MAX - 1)

enum memattr_attr_hook {
	MEMATTR_A_HOOK_UNSPEC,
	MEMATTR_A_HOOK_PAD,
	MEMATTR_A_HOOK_NAME,		/* string: what it observes */
	MEMATTR_A_HOOK_KIND,		/* string: tracepoint, kprobe, ... */
	MEMATTR_A_HOOK_TARGET,		/* string; absent: not attached */
	MEMATTR_A_HOOK_HITS,		/* u64 */
	MEMATTR_A_HOOK_MISSES,		/* u64 */
	__MEMATTR_A_HOOK_MAX,
};

#define MEMATTR_A_HOOK_MAX (__MEMATTR_A_HOOK_MAX - 1)

enum memattr_attr_system {
	MEMATTR_A_SYSTEM_UNSPEC,
	MEMATTR_A_SYSTEM_PAD,
	MEMATTR_A_SYSTEM_MEM_TOTAL_KB,	/* u64: MemTotal */
	MEMATTR_A_SYSTEM_MEM_FREE_KB,	/* u64: MemFree */
	MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB, /* u64: MemAvailable */
	MEMATTR_A_SYSTEM_USED_PCT,	/* u32: (total - available) / total */
	MEMATTR_A_SYSTEM_SAMPLED_MS,	/* u64: when */
	MEMATTR_A_SYSTEM_GROWTH_KB_PER_HOUR, /* s64: of memory in use */
	MEMATTR_A_SYSTEM_EXHAUST_S,	/* s64: until none available; -1 never */
	MEMATTR_A_SYSTEM_WATERMARK_LEVEL, /* u8: levels crossed up, 0: none */
	__MEMATTR_A_SYSTEM_MAX,
};

#define MEMATTR_A_SYSTEM_MAX (__MEMATTR_A_SYSTEM_MAX - 1)

enum memattr_attr_proc {
	MEMATTR_A_PROC_UNSPEC,
	MEMATTR_A_PROC_PAD,
	MEMATTR_A_PROC_PID,		/* u32: tgid, initial pid namespace */
	MEMATTR_A_PROC_COMM,		/* string */
	MEMATTR_A_PROC_START_MS,	/* u64: when it started */
	MEMATTR_A_PROC_CGROUP_ID,	/* u64: memory cgroup; absent: unknown */
	MEMATTR_A_PROC_CGROUP_PATH,	/* string; absent: unknown */
	MEMATTR_A_PROC_RSS_KB,		/* u64: VmRSS at the last sample */
	MEMATTR_A_PROC_ANON_KB,		/* u64: RssAnon */
	MEMATTR_A_PROC_FILE_KB,		/* u64: RssFile */
	MEMATTR_A_PROC_SHMEM_KB,	/* u64: RssShmem */
	MEMATTR_A_PROC_SWAP_KB,		/* u64: VmSwap */
	MEMATTR_A_PROC_PEAK_RSS_KB,	/* u64: VmHWM */
	MEMATTR_A_PROC_VM_KB,		/* u64: VmSize */
	MEMATTR_A_PROC_PGTABLES_KB,	/* u64: VmPTE */
	MEMATTR_A_PROC_PAGE_ALLOCS,	/* u64: pages allocated in context */
	MEMATTR_A_PROC_PAGE_FREES,	/* u64: pages freed in context */
	MEMATTR_A_PROC_MMAP_CALLS,	/* u64 */
	MEMATTR_A_PROC_MUNMAP_CALLS,	/* u64 */
	MEMATTR_A_PROC_BRK_CALLS,	/* u64 */
	MEMATTR_A_PROC_MREMAP_CALLS,	/* u64 */
	MEMATTR_A_PROC_MAPPED_BYTES,	/* s64: VmSize growth since fork/exec */
	MEMATTR_A_PROC_LEAK_STATE,	/* u8: enum memattr_leak_state */
	MEMATTR_A_PROC_GROWTH_KB_PER_HOUR, /* s64: footprint floor's slope */
	MEMATTR_A_PROC_LEAK_SINCE_MS,	/* u64: state entered; absent: never */
	MEMATTR_A_PROC_HISTORY,		/* list of MEMATTR_A_POINT_* (doit) */
	MEMATTR_A_PROC_EXHAUST_S,	/* s64: until its memory runs out;
					 * -1: never
					 */
	__MEMATTR_A_PROC_MAX,
};

#define MEMATTR_A_PROC_MAX (__MEMATTR_A_PROC_MAX - 1)

/* One point of a footprint history. */
enum memattr_attr_point {
	MEMATTR_A_POINT_UNSPEC,
	MEMATTR_A_POINT_PAD,
	MEMATTR_A_POINT_T_MS,		/* u64: end of the point's slot */
	MEMATTR_A_POINT_KB,		/* u32: floor of the footprint */
	__MEMATTR_A_POINT_MAX,
};

#define MEMATTR_A_POINT_MAX (__MEMATTR_A_POINT_MAX - 1)

enum memattr_attr_cgroup {
	MEMATTR_A_CGROUP_UNSPEC,
	MEMATTR_A_CGROUP_PAD,
	MEMATTR_A_CGROUP_ID,		/* u64: cgroup id (kernfs inode) */
	MEMATTR_A_CGROUP_PATH,		/* string, "/" for the root */
	MEMATTR_A_CGROUP_NR_PROCS,	/* u32: tracked processes in it */
	MEMATTR_A_CGROUP_USAGE_KB,	/* u64: memcg's usage */
	MEMATTR_A_CGROUP_ANON_KB,	/* u64 */
	MEMATTR_A_CGROUP_FILE_KB,	/* u64: page cache, shmem included */
	MEMATTR_A_CGROUP_SHMEM_KB,	/* u64 */
	MEMATTR_A_CGROUP_KERNEL_KB,	/* u64: usage not anon or file */
	MEMATTR_A_CGROUP_LIMIT_KB,	/* u64: memory.max; absent: none */
	MEMATTR_A_CGROUP_PROCS_RSS_KB,	/* u64: sums over its processes */
	MEMATTR_A_CGROUP_PROCS_ANON_KB,	/* u64 */
	MEMATTR_A_CGROUP_PROCS_SHMEM_KB, /* u64 */
	MEMATTR_A_CGROUP_PROCS_SWAP_KB,	/* u64 */
	MEMATTR_A_CGROUP_PROCS_PAGE_ALLOCS, /* u64 */
	MEMATTR_A_CGROUP_PROCS_PAGE_FREES, /* u64 */
	MEMATTR_A_CGROUP_LEAK_STATE,	/* u8: enum memattr_leak_state */
	MEMATTR_A_CGROUP_GROWTH_KB_PER_HOUR, /* s64 */
	MEMATTR_A_CGROUP_LEAK_SINCE_MS,	/* u64; absent: never */
	MEMATTR_A_CGROUP_EXHAUST_S,	/* s64: until usage hits the limit;
					 * -1: never
					 */
	__MEMATTR_A_CGROUP_MAX,
};

#define MEMATTR_A_CGROUP_MAX (__MEMATTR_A_CGROUP_MAX - 1)

/* One entry of GET_LEAKS. */
enum memattr_attr_leak {
	MEMATTR_A_LEAK_UNSPEC,
	MEMATTR_A_LEAK_PAD,
	MEMATTR_A_LEAK_ENTITY,		/* u8: enum memattr_entity_kind */
	MEMATTR_A_LEAK_PID,		/* u32: processes only */
	MEMATTR_A_LEAK_COMM,		/* string: processes only */
	MEMATTR_A_LEAK_CGROUP_ID,	/* u64: the cgroup, or the process's */
	MEMATTR_A_LEAK_CGROUP_PATH,	/* string; absent: unknown */
	MEMATTR_A_LEAK_GROWTH_KB_PER_HOUR, /* s64 */
	MEMATTR_A_LEAK_STATE,		/* u8: enum memattr_leak_state */
	MEMATTR_A_LEAK_SINCE_MS,	/* u64: when the state began */
	MEMATTR_A_LEAK_EXHAUST_S,	/* s64: until its memory runs out;
					 * -1: never
					 */
	__MEMATTR_A_LEAK_MAX,
};

#define MEMATTR_A_LEAK_MAX (__MEMATTR_A_LEAK_MAX - 1)

/* One OOM report of GET_OOM. */
enum memattr_attr_oom {
	MEMATTR_A_OOM_UNSPEC,
	MEMATTR_A_OOM_PAD,
	MEMATTR_A_OOM_TIME_MS,		/* u64: when it was killed */
	MEMATTR_A_OOM_PID,		/* u32: the victim */
	MEMATTR_A_OOM_COMM,		/* string: read at the kill */
	MEMATTR_A_OOM_CGROUP_PATH,	/* string; absent: unknown */
	MEMATTR_A_OOM_RSS_KB,		/* u64: VmRSS read at the kill */
	MEMATTR_A_OOM_HISTORY,		/* list of MEMATTR_A_POINT_* */
	MEMATTR_A_OOM_TOP,		/* list of MEMATTR_A_GROWER_* */
	__MEMATTR_A_OOM_MAX,
};

#define MEMATTR_A_OOM_MAX (__MEMATTR_A_OOM_MAX - 1)

/* A process growing fast when an OOM kill happened. */
enum memattr_attr_grower {
	MEMATTR_A_GROWER_UNSPEC,
	MEMATTR_A_GROWER_PAD,
	MEMATTR_A_GROWER_PID,		/* u32 */
	MEMATTR_A_GROWER_COMM,		/* string */
	MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR, /* s64 */
	MEMATTR_A_GROWER_RSS_KB,	/* u64 */
	__MEMATTR_A_GROWER_MAX,
};

#define MEMATTR_A_GROWER_MAX (__MEMATTR_A_GROWER_MAX - 1)

/* GET_CONFIG replies, SET_CONFIG requests. */
enum memattr_attr_config {
	MEMATTR_A_CONFIG_UNSPEC,
	MEMATTR_A_CONFIG_SAMPLE_MS,	/* u32 */
	MEMATTR_A_CONFIG_MAX_PROCS,	/* u32 */
	MEMATTR_A_CONFIG_LEAK_WINDOW_S,	/* u32 */
	MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR, /* u32 */
	MEMATTR_A_CONFIG_WATERMARKS,	/* string, e.g. "85,92,97" */
	MEMATTR_A_CONFIG_LOG_EVENTS,	/* u32: 1 events to the kernel log */
	__MEMATTR_A_CONFIG_MAX,
};

#define MEMATTR_A_CONFIG_MAX (__MEMATTR_A_CONFIG_MAX - 1)

/* MEMATTR_CMD_EVENT messages. */
enum memattr_attr_ev {
	MEMATTR_A_EV_UNSPEC,
	MEMATTR_A_EV_PAD,
	MEMATTR_A_EV_KIND,		/* u32: enum memattr_event_kind */
	MEMATTR_A_EV_TIME_MS,		/* u64 */
	MEMATTR_A_EV_ENTITY,		/* u8: enum memattr_entity_kind */
	MEMATTR_A_EV_PID,		/* u32 */
	MEMATTR_A_EV_COMM,		/* string */
	MEMATTR_A_EV_CGROUP_ID,		/* u64 */
	MEMATTR_A_EV_CGROUP,		/* string: cgroup path */
	MEMATTR_A_EV_GROWTH_KB_PER_HOUR, /* s64 */
	MEMATTR_A_EV_SINCE_MS,		/* u64 */
	MEMATTR_A_EV_LEVEL,		/* u8: 1-based level index */
	MEMATTR_A_EV_LEVEL_PCT,		/* u8: the level, % of MemTotal */
	MEMATTR_A_EV_DIRECTION,		/* u8: enum memattr_wm_direction */
	MEMATTR_A_EV_USED_PCT,		/* u32 */
	MEMATTR_A_EV_RSS_KB,		/* u64: OOM victim's */
	MEMATTR_A_EV_TOP,		/* list of MEMATTR_A_GROWER_* */
	MEMATTR_A_EV_EXHAUST_S,		/* s64: until its memory runs out;
					 * -1: never
					 */
	__MEMATTR_A_EV_MAX,
};

#define MEMATTR_A_EV_MAX (__MEMATTR_A_EV_MAX - 1)

/* The deepest stack a growth-site profile keeps. */
#define MEMATTR_PROFILE_MAX_DEPTH	32

/* A growth-site profile: PROFILE_* requests, GET_PROFILE replies. */
enum memattr_attr_profile {
	MEMATTR_A_PROFILE_UNSPEC,
	MEMATTR_A_PROFILE_PAD,
	MEMATTR_A_PROFILE_PID,		/* u32 */
	MEMATTR_A_PROFILE_SAMPLE_EVERY,	/* u32: one page in N */
	MEMATTR_A_PROFILE_START_MS,	/* u64: when it started */
	MEMATTR_A_PROFILE_AUTO,		/* u8: 1 started by a LEAK verdict */
	MEMATTR_A_PROFILE_PAGE_SIZE,	/* u32: bytes */
	MEMATTR_A_PROFILE_PAGES,	/* u64: first-touch pages, weighted */
	MEMATTR_A_PROFILE_SAMPLES,	/* u64: pages sampled */
	MEMATTR_A_PROFILE_THROTTLED_PAGES, /* u64: over the rate cap */
	MEMATTR_A_PROFILE_OTHER_PAGES,	/* u64: stack table full */
	MEMATTR_A_PROFILE_MAP_CALLS,	/* u64: mmap/brk/mremap calls seen */
	MEMATTR_A_PROFILE_MAP_BYTES,	/* u64: the bytes they mapped */
	MEMATTR_A_PROFILE_INUSE_PAGES,	/* u64: sampled, not freed, weighted */
	MEMATTR_A_PROFILE_INUSE_LOST,	/* u64: samples the page table had
					 * no room to follow
					 */
	MEMATTR_A_PROFILE_WALK_ERRORS,	/* u64: stacks cut by a bad frame */
	MEMATTR_A_PROFILE_STACKS,	/* list of MEMATTR_A_STACK_* */
	MEMATTR_A_PROFILE_NR_STACKS,	/* u32: distinct stacks held */
	MEMATTR_A_PROFILE_MAX_STACKS,	/* u32: the table's size */
	MEMATTR_A_PROFILE_MEM_BYTES,	/* u64: the profile's own memory */
	__MEMATTR_A_PROFILE_MAX,
};

#define MEMATTR_A_PROFILE_MAX (__MEMATTR_A_PROFILE_MAX - 1)

/* The pseudo-stacks of a profile. */
enum memattr_stack_bucket {
	MEMATTR_STACK_FRAMES,		/* a real stack: FRAMES holds it */
	MEMATTR_STACK_THROTTLED,	/* "[throttled]": over the rate cap */
	MEMATTR_STACK_OTHER,		/* "[other]": the table was full */
};

/* One stack of a profile. */
enum memattr_attr_stack {
	MEMATTR_A_STACK_UNSPEC,
	MEMATTR_A_STACK_PAD,
	MEMATTR_A_STACK_BUCKET,		/* u8: enum memattr_stack_bucket */
	MEMATTR_A_STACK_FRAMES,		/* binary: u64 user addresses, host
					 * byte order, leaf first, 1 to
					 * MEMATTR_PROFILE_MAX_DEPTH
					 */
	MEMATTR_A_STACK_PAGES,		/* u64: first-touch pages, weighted */
	MEMATTR_A_STACK_SAMPLES,	/* u64: pages sampled */
	MEMATTR_A_STACK_MAP_CALLS,	/* u64: mmap/brk/mremap calls */
	MEMATTR_A_STACK_MAP_BYTES,	/* u64: bytes they mapped */
	MEMATTR_A_STACK_INUSE_PAGES,	/* u64: sampled, not freed, weighted */
	__MEMATTR_A_STACK_MAX,
};

#define MEMATTR_A_STACK_MAX (__MEMATTR_A_STACK_MAX - 1)

#endif /* _UAPI_LINUX_MEMATTR_H */
