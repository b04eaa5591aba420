// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-stack walker of growth-site profiles.
 *
 * The kernel's own (stack_trace_save_user(), perf_callchain_user()) are
 * not exported to modules, so memattr walks frame pointers itself, from
 * the user registers the task saved when it entered the kernel
 * (task_pt_regs(current)): on amd64 rbp, whose record is {saved rbp,
 * return address}; on arm64 x29, whose record is {saved x29, saved x30}.
 *
 * What a walk trusts of user memory: nothing. It stops at a null frame
 * pointer (the end of the chain), and is cut (@cut) at a frame pointer
 * that is not 8-byte aligned (Go's arm64 records are only 8-byte aligned,
 * so 16 is not required), one not strictly above the previous (a loop, or
 * a chain going down), or a record it cannot read without a fault. The
 * copy never faults pages in (copy_from_user_nofault(): it runs in the
 * page-fault path with the mmap lock held, and in tracepoint probes with
 * preemption off). At most @max frames, leaf first.
 *
 * arm64 leaf functions: a function that makes no call may set up no frame
 * record, so x29 is still its caller's and the caller would be skipped.
 * The walk adds x30 (the return address into the caller) as the second
 * frame whenever it differs from the return address of the first record;
 * in a function with a record of its own that already made a call, x30 is
 * a return point inside the function itself, which shows as the function
 * once more. Return addresses are stripped of pointer-authentication and
 * tag bits by masking them to the user VA size.
 */
#include <linux/compiler.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>

#include "ustack.h"

/**
 * memattr_ustack_walk() - walk a stack of frame records
 * @st: where to start
 * @read: reads one record
 * @ctx: for @read
 * @frames: where the addresses go, leaf first
 * @max: room in @frames, at least 1
 * @cut: set when a bad frame ended the walk, else cleared
 *
 * Context: any that @read allows.
 * Return: the frames written, at least 1 (the pc).
 */
unsigned int memattr_ustack_walk(const struct memattr_ustack_start *st,
				 memattr_ustack_read_t read, void *ctx,
				 u64 *frames, unsigned int max, bool *cut)
{
	unsigned long lr = st->lr & st->addr_mask;
	unsigned long fp = st->fp, prev = 0, rec[2];
	unsigned int n = 0;

	*cut = false;
	if (!max)
		return 0;
	frames[n++] = st->pc & st->addr_mask;
	while (n < max && fp) {
		if ((fp & 7) || fp <= prev || read(ctx, fp, rec)) {
			*cut = true;
			break;
		}
		if (lr) {
			/* arm64: the caller of a leaf without a record */
			if (lr != (rec[1] & st->addr_mask))
				frames[n++] = lr;
			lr = 0;
			if (n == max)
				break;
		}
		if (!(rec[1] & st->addr_mask))
			break;		/* the outermost frame */
		frames[n++] = rec[1] & st->addr_mask;
		prev = fp;
		fp = rec[0];
	}
	if (lr && n < max)
		frames[n++] = lr;	/* no record read at all */
	return n;
}

/* Reads a record of current's user stack, never faulting a page in. */
static int memattr_ustack_read_user(void *ctx, unsigned long addr,
				    unsigned long rec[2])
{
	if (copy_from_user_nofault(rec, (const void __user *)addr,
				   2 * sizeof(*rec)))
		return -EFAULT;
	return 0;
}

/**
 * memattr_ustack_current() - the user stack of current
 * @frames: where the addresses go, leaf first
 * @max: room in @frames, at least 1
 * @cut: set when a bad frame ended the walk
 *
 * 32-bit tasks give their pc alone.
 * Context: task, not a kernel thread; any preemption state.
 * Return: the frames written.
 */
unsigned int memattr_ustack_current(u64 *frames, unsigned int max, bool *cut)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct memattr_ustack_start st = {
		.pc = instruction_pointer(regs),
		.addr_mask = ~0UL,
	};

#if defined(CONFIG_X86_64)
	if (user_64bit_mode(regs))
		st.fp = regs->bp;
#elif defined(CONFIG_ARM64)
	st.addr_mask = MEMATTR_ARM64_USER_VA_MASK;
	if (!compat_user_mode(regs)) {
		st.fp = regs->regs[29];
		st.lr = regs->regs[30];
	}
#endif
	return memattr_ustack_walk(&st, memattr_ustack_read_user, NULL,
				   frames, max, cut);
}
