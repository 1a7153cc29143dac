/* SPDX-License-Identifier: MIT */
/*
 * The process family: execve, clone, clone3, wait4, waitid, personality,
 * the sched_* calls, process_vm_readv/writev and ptrace as a tracee calls
 * it, in strace 6.1's text.  Layouts are the kernel UAPI's
 * (linux/sched.h, linux/resource.h, asm/ptrace.h, linux/sched/types.h).
 */
#include "dec_util.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* ---- execve ---- */

/*
 * The pointers of a NULL-terminated array in the tracee, read a block at a
 * time (one read for a whole argv, not one per element).  Returns how many
 * non-NULL entries precede the NULL, at most max, with the first
 * min(that, nout) of them in out; *fault says the array ran into memory
 * that could not be read before its NULL.
 */
static size_t ptr_array(struct dctx *d, uint64_t addr, uint64_t *out, size_t nout, size_t max,
                        bool *fault)
{
	size_t w = d->arch == PTK_ARCH_I386 ? 4 : 8, n = 0;
	*fault = false;
	while (n < max) {
		uint8_t blk[64 * 8];
		size_t want = (max - n < 64 ? max - n : 64) * w, got = 0;
		int r = ptk_mem_read(d->t->s, d->c->tid, addr + n * w, blk, want, &got);
		if (r < 0 && r != -EFAULT)
			got = 0;
		for (size_t k = 0; k + w <= got; k += w, n++) {
			uint64_t v = 0;
			memcpy(&v, blk + k, w);
			if (!v)
				return n;
			if (n < nout)
				out[n] = v;
		}
		if (got < want) {
			*fault = true;
			return n;
		}
	}
	return n;
}

/*
 * A NULL-terminated array of strings (argv, and envp with -v): each string
 * cut at -s bytes, and, without -v, at most -s strings followed by "...".
 */
static void p_strarray(struct dctx *d, uint64_t addr)
{
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	/* -v prints every entry; else -s of them and "..." if there are more */
	size_t lim = d->t->o.verbose ? SIZE_MAX / 8 : d->t->o.strsize + 1;
	uint64_t ptrs[256];
	bool fault;
	size_t n = ptr_array(d, addr, ptrs, sizeof ptrs / sizeof *ptrs, lim, &fault);
	if (n == 0 && fault) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		uint64_t p = 0;
		if (i < sizeof ptrs / sizeof *ptrs)
			p = ptrs[i];
		else /* (-v, a longer array than the block kept) */
			mem_get(d, addr + i * (d->arch == PTK_ARCH_I386 ? 4 : 8), &p,
			        d->arch == PTK_ARCH_I386 ? 4 : 8);
		p_str(d, p, d->t->o.strsize);
	}
	if (fault)
		db_puts(d->out, n ? ", ..." : "...");
	db_putc(d->out, ']');
}

/* envp: "0x7ffc... / * 41 vars * /", or the whole array with -v. */
static void p_env(struct dctx *d, uint64_t addr)
{
	if (d->t->o.verbose) {
		p_strarray(d, addr);
		return;
	}
	p_ptr(d, addr);
	if (!addr)
		return;
	bool fault;
	size_t n = ptr_array(d, addr, NULL, 0, SIZE_MAX / 8, &fault);
	db_printf(d->out, " /* %zu var%s */", n, n == 1 ? "" : "s");
}

/* execve(path, argv, envp), execveat(dirfd, path, argv, envp, flags). */
static int dec_execve(struct dctx *d)
{
	int i = 0;
	bool at = strcmp(d->ent->name, "execveat") == 0;
	if (at) {
		arg_next(d);
		p_dirfd(d, arg_i(d, i++));
	}
	arg_next(d);
	p_path(d, arg_u(d, i++));
	arg_next(d);
	p_strarray(d, arg_u(d, i++));
	arg_next(d);
	p_env(d, arg_u(d, i++));
	if (at) {
		arg_next(d);
		p_flags(d, &ptk_xlat_at, (uint32_t)arg_u(d, i));
	}
	return DEC_DONE;
}

/* ---- clone, clone3 ---- */

#define CLONE_PIDFD_          0x1000ull
#define CLONE_SETTLS_         0x80000ull
#define CLONE_PARENT_SETTID_  0x100000ull
#define CLONE_CHILD_CLEARTID_ 0x200000ull
#define CLONE_CHILD_SETTID_   0x1000000ull
#define CLONE_INTO_CGROUP_    0x200000000ull

/* clone's flags: the names, unnamed bits in hex, then the exit signal
 * (CSIGNAL, the low byte) by name, or in decimal when it names none. */
static void p_clone_flags(struct dctx *d, uint64_t flags)
{
	const struct ptk_xlat *x = &ptk_xlat_clone;
	uint64_t rest = flags & ~0xffull;
	bool first = true;
	for (size_t i = 0; i < x->count; i++) {
		uint64_t v = x->entries[i].value;
		if (v & 0xff || !v || (rest & v) != v)
			continue;
		db_printf(d->out, "%s%s", first ? "" : "|", x->entries[i].name);
		rest &= ~v;
		first = false;
	}
	if (rest) {
		db_printf(d->out, "%s%#llx", first ? "" : "|", (unsigned long long)rest);
		first = false;
	}
	unsigned sig = flags & 0xff;
	if (sig) {
		const char *n = ptk_signal_name((int)sig);
		if (!first)
			db_putc(d->out, '|');
		if (n)
			db_puts(d->out, n);
		else
			db_printf(d->out, "%u", sig);
	} else if (first) {
		db_putc(d->out, '0');
	}
}

/* "[N]" of an int the kernel wrote at addr, or the address. */
static void p_int_at(struct dctx *d, uint64_t addr)
{
	int32_t v;
	if (!addr || d->is_error || !GET(d, addr, v))
		p_ptr(d, addr);
	else
		db_printf(d->out, "[%d]", v);
}

/*
 * clone(flags, stack, parent_tid, child_tid, tls) on x86_64; i386 passes
 * tls before child_tid (CONFIG_CLONE_BACKWARDS).  strace prints the stack
 * and the flags at entry and the pointers the flags use at exit:
 * "clone(child_stack=NULL, flags=...|SIGCHLD, child_tidptr=0x7f...) = 42".
 */
static int dec_clone(struct dctx *d)
{
	uint64_t flags = arg_u(d, 0);
	int ichild = d->arch == PTK_ARCH_I386 ? 4 : 3, itls = d->arch == PTK_ARCH_I386 ? 3 : 4;
	bool more = flags & (CLONE_PARENT_SETTID_ | CLONE_PIDFD_ | CLONE_SETTLS_ |
	                     CLONE_CHILD_SETTID_ | CLONE_CHILD_CLEARTID_);
	if (!d->exiting) {
		arg_next(d);
		db_puts(d->out, "child_stack=");
		p_ptr(d, arg_u(d, 1));
		arg_next(d);
		db_puts(d->out, "flags=");
		p_clone_flags(d, flags);
		return more ? dec_more_none(d) : DEC_DONE;
	}
	if (flags & (CLONE_PARENT_SETTID_ | CLONE_PIDFD_)) {
		arg_next(d);
		db_puts(d->out, "parent_tid=");
		p_int_at(d, arg_u(d, 2));
	}
	if (flags & CLONE_SETTLS_) {
		arg_next(d);
		db_puts(d->out, "tls=");
		p_ptr(d, arg_u(d, itls));
	}
	if (flags & (CLONE_CHILD_SETTID_ | CLONE_CHILD_CLEARTID_)) {
		arg_next(d);
		db_puts(d->out, "child_tidptr=");
		p_ptr(d, arg_u(d, ichild));
	}
	return DEC_DONE;
}

struct clone_args_k {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

/* The struct clone_args clone3 was given (size bytes of it), or false. */
static bool get_clone_args(struct dctx *d, struct clone_args_k *ca, uint64_t addr, uint64_t size)
{
	memset(ca, 0, sizeof *ca);
	if (!addr || size < 64) /* CLONE_ARGS_SIZE_VER0 */
		return false;
	return mem_get(d, addr, ca, size < sizeof *ca ? (size_t)size : sizeof *ca);
}

static void p_clone_args(struct dctx *d, const struct clone_args_k *ca, uint64_t size)
{
	db_puts(d->out, "{flags=");
	p_flags(d, &ptk_xlat_clone3, ca->flags);
	if (ca->flags & CLONE_PIDFD_)
		db_printf(d->out, ", pidfd=%#llx", (unsigned long long)ca->pidfd);
	if (ca->flags & (CLONE_CHILD_SETTID_ | CLONE_CHILD_CLEARTID_)) {
		db_puts(d->out, ", child_tid=");
		p_ptr(d, ca->child_tid);
	}
	if (ca->flags & CLONE_PARENT_SETTID_) {
		db_puts(d->out, ", parent_tid=");
		p_ptr(d, ca->parent_tid);
	}
	db_puts(d->out, ", exit_signal=");
	p_signal(d, (int64_t)ca->exit_signal);
	db_puts(d->out, ", stack=");
	p_ptr(d, ca->stack);
	db_puts(d->out, ", stack_size=");
	p_hex(d, ca->stack_size);
	if (ca->flags & CLONE_SETTLS_) {
		db_puts(d->out, ", tls=");
		p_ptr(d, ca->tls);
	}
	if (size >= 80 && (ca->set_tid || ca->set_tid_size)) { /* CLONE_ARGS_SIZE_VER1 */
		db_puts(d->out, ", set_tid=");
		if (ca->set_tid && ca->set_tid_size && ca->set_tid_size <= 32) {
			int32_t tids[32];
			if (mem_get(d, ca->set_tid, tids, (size_t)ca->set_tid_size * 4)) {
				db_putc(d->out, '[');
				for (uint64_t i = 0; i < ca->set_tid_size; i++)
					db_printf(d->out, i ? ", %d" : "%d", tids[i]);
				db_putc(d->out, ']');
			} else {
				p_ptr(d, ca->set_tid);
			}
		} else {
			p_ptr(d, ca->set_tid);
		}
		db_printf(d->out, ", set_tid_size=%llu", (unsigned long long)ca->set_tid_size);
	}
	if (size >= 88 && (ca->flags & CLONE_INTO_CGROUP_)) /* CLONE_ARGS_SIZE_VER2 */
		db_printf(d->out, ", cgroup=%llu", (unsigned long long)ca->cgroup);
	db_putc(d->out, '}');
}

/*
 * clone3(args, size): the struct at entry, and after a successful call
 * what the kernel wrote: "} => {parent_tid=[42]}".
 */
static int dec_clone3(struct dctx *d)
{
	struct clone_args_k ca;
	uint64_t addr = arg_u(d, 0), size = arg_u(d, 1);
	if (!d->exiting) {
		arg_next(d);
		if (!get_clone_args(d, &ca, addr, size)) {
			p_ptr(d, addr);
			arg_next(d);
			p_uint(d, size);
			return DEC_DONE;
		}
		p_clone_args(d, &ca, size);
		return dec_more_none(d);
	}
	if (!d->is_error && get_clone_args(d, &ca, addr, size) &&
	    ca.flags & (CLONE_PIDFD_ | CLONE_PARENT_SETTID_)) {
		db_puts(d->out, " => {");
		if (ca.flags & CLONE_PIDFD_) {
			db_puts(d->out, "pidfd=");
			p_int_at(d, ca.pidfd);
		}
		if (ca.flags & CLONE_PARENT_SETTID_) {
			db_puts(d->out, ca.flags & CLONE_PIDFD_ ? ", parent_tid=" : "parent_tid=");
			p_int_at(d, ca.parent_tid);
		}
		db_putc(d->out, '}');
	}
	arg_next(d);
	p_uint(d, size);
	return DEC_DONE;
}

/* ---- wait4, waitid, rusage ---- */

/* A wait status as strace spells it: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
static void p_wait_status_val(struct dctx *d, uint32_t s)
{
	char b[32];
	db_puts(d->out, "[{");
	if ((s & 0x7f) == 0) {
		db_printf(d->out, "WIFEXITED(s) && WEXITSTATUS(s) == %u}", (s >> 8) & 0xff);
	} else if ((s & 0xff) == 0x7f) {
		unsigned sig = (s >> 8) & 0xff;
		db_puts(d->out, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
		if (sig & 0x80)
			db_printf(d->out, "%s | 0x80", sig_name(sig & 0x7f, b, sizeof b));
		else
			db_puts(d->out, sig_name((int)sig, b, sizeof b));
		db_putc(d->out, '}');
		unsigned ev = s >> 16;
		if (ev) {
			const char *n = ptk_xlat_name(&ptk_xlat_ptrace_event, ev);
			if (n)
				db_printf(d->out, "|%s<<16", n);
			else
				db_printf(d->out, "|%#x<<16", ev);
		}
		db_putc(d->out, ']');
		return;
	} else if (s == 0xffff) {
		db_puts(d->out, "WIFCONTINUED(s)}");
	} else {
		db_printf(d->out, "WIFSIGNALED(s) && WTERMSIG(s) == %s%s}",
		          sig_name((int)(s & 0x7f), b, sizeof b),
		          s & 0x80 ? " && WCOREDUMP(s)" : "");
	}
	db_putc(d->out, ']');
}

static void p_wait_status(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint32_t s;
	(void)size;
	if (!addr || !GET(d, addr, s))
		p_ptr(d, addr);
	else
		p_wait_status_val(d, s);
}

/* struct rusage: the two times, and with -v every counter; else "...". */
void p_rusage(struct dctx *d, uint64_t addr, uint64_t size)
{
	int64_t v[18];
	(void)size;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (d->arch == PTK_ARCH_I386) {
		int32_t w[18];
		if (!GET(d, addr, w)) {
			p_ptr(d, addr);
			return;
		}
		for (int i = 0; i < 18; i++)
			v[i] = w[i];
	} else if (!GET(d, addr, v)) {
		p_ptr(d, addr);
		return;
	}
	static const char *const names[] = {
	        "ru_maxrss", "ru_ixrss",    "ru_idrss",   "ru_isrss",   "ru_minflt",
	        "ru_majflt", "ru_nswap",    "ru_inblock", "ru_oublock", "ru_msgsnd",
	        "ru_msgrcv", "ru_nsignals", "ru_nvcsw",   "ru_nivcsw",
	};
	db_puts(d->out, "{ru_utime=");
	p_timeval_val(d, v[0], v[1]);
	db_puts(d->out, ", ru_stime=");
	p_timeval_val(d, v[2], v[3]);
	if (!d->t->o.verbose) {
		db_puts(d->out, ", ...}");
		return;
	}
	for (int i = 0; i < 14; i++)
		db_printf(d->out, ", %s=%lld", names[i], (long long)v[4 + i]);
	db_putc(d->out, '}');
}

static void p_wait_options(struct dctx *d, uint64_t v)
{
	p_flags_or(d, &ptk_xlat_wait, (uint32_t)v, "W???");
}

/* wait4(pid, status, options, rusage) = pid */
static int dec_wait4(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_int(d, arg_i(d, 0));
		return dec_more(d);
	}
	arg_next(d);
	/* Nothing was written when the call failed or (WNOHANG) found nobody. */
	if (d->is_error || d->rval == 0)
		p_ptr(d, arg_u(d, 1));
	else
		p_wait_status(d, arg_u(d, 1), 0);
	arg_next(d);
	p_wait_options(d, arg_u(d, 2));
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 3));
	else
		p_rusage(d, arg_u(d, 3), 0);
	return DEC_DONE;
}

/* waitid(idtype, id, infop, options, rusage) */
static int dec_waitid(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_xlat32(d, &ptk_xlat_waitid_which, arg_u(d, 0), "P_???");
		arg_next(d);
		p_int(d, arg_i(d, 1));
		return dec_more(d);
	}
	arg_next(d);
	uint64_t info = arg_u(d, 2);
	siginfo_t si;
	if (d->is_error || !info || !GET(d, info, si))
		p_ptr(d, info);
	else if (si.si_signo == 0)
		db_puts(d->out, "{}"); /* WNOHANG: no child had changed state */
	else
		p_siginfo(d, &si);
	arg_next(d);
	p_wait_options(d, arg_u(d, 3));
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 4));
	else
		p_rusage(d, arg_u(d, 4), 0);
	return DEC_DONE;
}

/* ---- personality ---- */

/*
 * strace 6.1 names a personality's execution domain (the low byte) only
 * for these whole values; PER_SVR4 and the others that carry flag bits
 * print as "0x1 / * PER_??? * /|MMAP_PAGE_ZERO|STICKY_TIMEOUTS".
 */
static const char *per_domain(unsigned v)
{
	switch (v) {
	case 0x00:
		return "PER_LINUX";
	case 0x06:
		return "PER_BSD";
	case 0x08:
		return "PER_LINUX32";
	case 0x0c:
		return "PER_RISCOS";
	case 0x0f:
		return "PER_OSF4";
	case 0x10:
		return "PER_HPUX";
	case 0xff:
		return "PER_MASK";
	default:
		return NULL;
	}
}

static void p_personality(struct dbuf *b, uint32_t v)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} fl[] = {
	        {0x0020000, "UNAME26"},
	        {0x0040000, "ADDR_NO_RANDOMIZE"},
	        {0x0080000, "FDPIC_FUNCPTRS"},
	        {0x0100000, "MMAP_PAGE_ZERO"},
	        {0x0200000, "ADDR_COMPAT_LAYOUT"},
	        {0x0400000, "READ_IMPLIES_EXEC"},
	        {0x0800000, "ADDR_LIMIT_32BIT"},
	        {0x1000000, "SHORT_INODE"},
	        {0x2000000, "WHOLE_SECONDS"},
	        {0x4000000, "STICKY_TIMEOUTS"},
	        {0x8000000, "ADDR_LIMIT_3GB"},
	};
	const char *dom = per_domain(v & 0xff);
	if (dom)
		db_puts(b, dom);
	else
		db_printf(b, "%#x /* PER_??? */", v & 0xff);
	uint32_t rest = v & ~0xffu;
	for (size_t i = 0; i < sizeof fl / sizeof *fl; i++)
		if (rest & fl[i].bit) {
			db_printf(b, "|%s", fl[i].name);
			rest &= ~fl[i].bit;
		}
	if (rest)
		db_printf(b, "|%#x", rest);
}

/* personality(persona) = 0x8 (PER_LINUX32); 0xffffffff only asks. */
static int dec_personality(struct dctx *d)
{
	if (!d->exiting) {
		uint32_t v = (uint32_t)arg_u(d, 0);
		arg_next(d);
		if (v == 0xffffffffu)
			db_puts(d->out, "0xffffffff");
		else
			p_personality(d->out, v);
		return dec_more_none(d); /* for the return value's name */
	}
	if (!d->is_error) {
		d->ret = RET_HEX;
		db_putc(d->aux, '(');
		p_personality(d->aux, (uint32_t)d->rval);
		db_putc(d->aux, ')');
	}
	return DEC_DONE;
}

/* ---- sched_* ---- */

/* A scheduling policy: SCHED_FIFO, or 0x40000003 / * SCHED_??? * /. */
static void p_policy(struct dbuf *b, uint32_t v)
{
	const char *n = v < 0x100 ? ptk_xlat_name(&ptk_xlat_sched_policy, v) : NULL;
	if (n)
		db_puts(b, n);
	else
		db_printf(b, "%#x /* SCHED_??? */", v);
}

static void p_sched_param(struct dctx *d, uint64_t addr, uint64_t size)
{
	int32_t prio;
	(void)size;
	if (!addr || !GET(d, addr, prio))
		p_ptr(d, addr);
	else
		db_printf(d->out, "[%d]", prio);
}

static void p_sched_attr(struct dctx *d, uint64_t addr, uint64_t size)
{
	struct {
		uint32_t size, policy;
		uint64_t flags;
		int32_t nice;
		uint32_t prio;
		uint64_t runtime, deadline, period;
		uint32_t umin, umax;
	} a;
	(void)size;
	memset(&a, 0, sizeof a);
	if (!addr || !mem_get(d, addr, &a, 48)) {
		p_ptr(d, addr);
		return;
	}
	if (a.size >= 56 && !mem_get(d, addr, &a, sizeof a))
		a.size = 48;
	db_printf(d->out, "{size=%u, sched_policy=", a.size);
	p_policy(d->out, a.policy);
	db_puts(d->out, ", sched_flags=");
	p_flags_or(d, &ptk_xlat_sched_attr, a.flags, "SCHED_FLAG_???");
	db_printf(d->out,
	          ", sched_nice=%d, sched_priority=%u, sched_runtime=%llu, sched_deadline=%llu, "
	          "sched_period=%llu",
	          a.nice, a.prio, (unsigned long long)a.runtime, (unsigned long long)a.deadline,
	          (unsigned long long)a.period);
	if (a.size >= 56)
		db_printf(d->out, ", sched_util_min=%u, sched_util_max=%u", a.umin, a.umax);
	db_putc(d->out, '}');
}

/* A CPU set of size bytes: [0 1]. */
static void p_cpuset(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint8_t buf[1024];
	if (!addr || size == 0 || size > sizeof buf || !mem_get(d, addr, buf, (size_t)size)) {
		p_ptr(d, addr);
		return;
	}
	p_bitlist(d, buf, (size_t)size);
}

static int dec_sched_setaffinity(struct dctx *d)
{
	arg_next(d);
	p_int(d, arg_i(d, 0));
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	arg_next(d);
	p_cpuset(d, arg_u(d, 2), arg_u(d, 1));
	return DEC_DONE;
}

static int dec_sched_getaffinity(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_int(d, arg_i(d, 0));
		arg_next(d);
		p_uint(d, arg_u(d, 1));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 2));
	else
		p_cpuset(d, arg_u(d, 2), (uint64_t)d->rval);
	return DEC_DONE;
}

static int dec_sched_setscheduler(struct dctx *d)
{
	arg_next(d);
	p_int(d, arg_i(d, 0));
	arg_next(d);
	p_policy(d->out, (uint32_t)arg_u(d, 1));
	arg_next(d);
	p_sched_param(d, arg_u(d, 2), 0);
	return DEC_DONE;
}

static int dec_sched_getscheduler(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_int(d, arg_i(d, 0));
		return dec_more_none(d); /* for the policy's name */
	}
	const char *n = !d->is_error && d->rval >= 0 && d->rval < 0x100
	                        ? ptk_xlat_name(&ptk_xlat_sched_policy, (uint64_t)d->rval)
	                        : NULL;
	if (n)
		db_printf(d->aux, "(%s)", n);
	return DEC_DONE;
}

/* sched_getparam(pid, out param), sched_setparam(pid, param). */
static int dec_sched_param(struct dctx *d)
{
	bool get = d->ent->name[6] == 'g';
	if (!d->exiting) {
		arg_next(d);
		p_int(d, arg_i(d, 0));
		if (get)
			return dec_more(d);
		arg_next(d);
		p_sched_param(d, arg_u(d, 1), 0);
		return DEC_DONE;
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 1));
	else
		p_sched_param(d, arg_u(d, 1), 0);
	return DEC_DONE;
}

static int dec_sched_setattr(struct dctx *d)
{
	arg_next(d);
	p_int(d, arg_i(d, 0));
	arg_next(d);
	p_sched_attr(d, arg_u(d, 1), 0);
	arg_next(d);
	p_uint(d, (uint32_t)arg_u(d, 2));
	return DEC_DONE;
}

static int dec_sched_getattr(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_int(d, arg_i(d, 0));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 1));
	else
		p_sched_attr(d, arg_u(d, 1), 0);
	arg_next(d);
	p_uint(d, (uint32_t)arg_u(d, 2));
	arg_next(d);
	p_uint(d, (uint32_t)arg_u(d, 3));
	return DEC_DONE;
}

static int dec_sched_rr_get_interval(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_int(d, arg_i(d, 0));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 1));
	else if (strstr(d->ent->name, "time64"))
		p_struct(d, "timespec64", arg_u(d, 1), 0);
	else
		p_timespec(d, arg_u(d, 1), 0);
	return DEC_DONE;
}

/* ---- process_vm_readv / writev ---- */

/*
 * An iovec array: with data (up to -s bytes of each buffer, len bytes in
 * all when len >= 0) or, for the remote side, as addresses.
 */
static void p_iovec(struct dctx *d, uint64_t addr, uint64_t n, bool data, int64_t len)
{
	size_t w = d->arch == PTK_ARCH_I386 ? 4 : 8;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (n > 1024) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	for (uint64_t i = 0; i < n; i++) {
		uint64_t e[2] = {0, 0};
		bool ok;
		if (w == 8) {
			ok = mem_get(d, addr + i * 16, e, 16);
		} else {
			uint32_t e32[2];
			ok = mem_get(d, addr + i * 8, e32, 8);
			e[0] = e32[0], e[1] = e32[1];
		}
		if (!ok) {
			if (i == 0) {
				d->out->len--;
				d->out->s[d->out->len] = 0;
				p_ptr(d, addr);
				return;
			}
			db_puts(d->out, ", ...");
			break;
		}
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		db_puts(d->out, "{iov_base=");
		if (data) {
			uint64_t m = e[1];
			if (len >= 0) {
				m = (uint64_t)len < m ? (uint64_t)len : m;
				len -= (int64_t)m;
			}
			p_buf(d, e[0], m);
		} else {
			p_ptr(d, e[0]);
		}
		db_printf(d->out, ", iov_len=%llu}", (unsigned long long)e[1]);
	}
	db_putc(d->out, ']');
}

static int dec_process_vm(struct dctx *d)
{
	bool rd = strcmp(d->ent->name, "process_vm_readv") == 0;
	if (!d->exiting) {
		arg_next(d);
		p_int(d, arg_i(d, 0));
		if (rd)
			return dec_more(d);
		arg_next(d);
		p_iovec(d, arg_u(d, 1), arg_u(d, 2), true, -1);
	} else {
		arg_next(d);
		if (d->is_error)
			p_ptr(d, arg_u(d, 1));
		else
			p_iovec(d, arg_u(d, 1), arg_u(d, 2), true, d->rval);
	}
	arg_next(d);
	p_uint(d, arg_u(d, 2));
	arg_next(d);
	p_iovec(d, arg_u(d, 3), arg_u(d, 4), false, -1);
	arg_next(d);
	p_uint(d, arg_u(d, 4));
	arg_next(d);
	p_uint(d, arg_u(d, 5));
	return DEC_DONE;
}

/* ---- ptrace (a tracee that is itself a tracer) ---- */

static const char *const user_regs[] = {
        "R15",    "R14", "R13", "R12",     "RBP",     "RBX", "R11",      "R10", "R9",
        "R8",     "RAX", "RCX", "RDX",     "RSI",     "RDI", "ORIG_RAX", "RIP", "CS",
        "EFLAGS", "RSP", "SS",  "FS_BASE", "GS_BASE", "DS",  "ES",       "FS",  "GS",
};

static void p_user_regs(struct dctx *d, uint64_t addr)
{
	static const char *const names[] = {
	        "r15",    "r14", "r13", "r12",     "rbp",     "rbx", "r11",      "r10", "r9",
	        "r8",     "rax", "rcx", "rdx",     "rsi",     "rdi", "orig_rax", "rip", "cs",
	        "eflags", "rsp", "ss",  "fs_base", "gs_base", "ds",  "es",       "fs",  "gs",
	};
	uint64_t r[27];
	if (!addr || !GET(d, addr, r)) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '{');
	for (int i = 0; i < 27; i++) {
		db_printf(d->out, "%s%s=", i ? ", " : "", names[i]);
		p_hex(d, r[i]);
	}
	db_putc(d->out, '}');
}

enum {
	PT_TRACEME = 0,
	PT_PEEKTEXT = 1,
	PT_PEEKDATA = 2,
	PT_PEEKUSER = 3,
	PT_POKETEXT = 4,
	PT_POKEDATA = 5,
	PT_POKEUSER = 6,
	PT_CONT = 7,
	PT_KILL = 8,
	PT_SINGLESTEP = 9,
	PT_GETREGS = 12,
	PT_SETREGS = 13,
	PT_ATTACH = 16,
	PT_DETACH = 17,
	PT_SYSCALL = 24,
	PT_SYSEMU = 31,
	PT_SYSEMU_SINGLESTEP = 32,
	PT_SINGLEBLOCK = 33,
	PT_SETOPTIONS = 0x4200,
	PT_GETEVENTMSG = 0x4201,
	PT_GETSIGINFO = 0x4202,
	PT_SETSIGINFO = 0x4203,
	PT_GETREGSET = 0x4204,
	PT_SETREGSET = 0x4205,
	PT_SEIZE = 0x4206,
	PT_INTERRUPT = 0x4207,
	PT_LISTEN = 0x4208,
};

static void p_peekuser_off(struct dctx *d, uint64_t off)
{
	if (off % 8 == 0 && off / 8 < sizeof user_regs / sizeof *user_regs)
		db_printf(d->out, "8*%s", user_regs[off / 8]);
	else
		p_hex(d, off);
}

/* ptrace(request, pid, addr, data): what each request's arguments mean. */
static int dec_ptrace(struct dctx *d)
{
	uint64_t req = arg_u(d, 0), addr = arg_u(d, 2), data = arg_u(d, 3);
	bool peek = req == PT_PEEKTEXT || req == PT_PEEKDATA || req == PT_PEEKUSER;
	if (d->exiting) {
		if (peek || req == PT_GETEVENTMSG) {
			uint64_t v;
			arg_next(d);
			if (d->is_error || !data || !GET(d, data, v))
				p_ptr(d, data);
			else if (req == PT_GETEVENTMSG)
				db_printf(d->out, "[%llu]", (unsigned long long)v);
			else {
				db_putc(d->out, '[');
				p_ptr(d, v);
				db_putc(d->out, ']');
			}
		} else if (req == PT_GETSIGINFO) {
			arg_next(d);
			if (d->is_error)
				p_ptr(d, data);
			else
				p_siginfo_at(d, data, 0);
		} else if (req == PT_GETREGS) {
			arg_next(d);
			if (d->is_error)
				p_ptr(d, data);
			else
				p_user_regs(d, data);
		} else if (req == PT_GETREGSET) {
			uint64_t iov[2];
			arg_next(d);
			if (d->is_error || !data || !GET(d, data, iov)) {
				p_ptr(d, data);
			} else {
				db_puts(d->out, "{iov_base=");
				if (addr == 1 && iov[1] >= 216) /* NT_PRSTATUS */
					p_user_regs(d, iov[0]);
				else
					p_ptr(d, iov[0]);
				db_printf(d->out, ", iov_len=%llu}", (unsigned long long)iov[1]);
			}
		}
		return DEC_DONE;
	}
	arg_next(d);
	p_xlat(d, &ptk_xlat_ptrace, req, "PTRACE_???");
	if (req == PT_TRACEME)
		return DEC_DONE;
	arg_next(d);
	p_int(d, arg_i(d, 1));
	if (req == PT_ATTACH || req == PT_INTERRUPT || req == PT_KILL)
		return DEC_DONE;
	arg_next(d);
	if (req == PT_PEEKUSER || req == PT_POKEUSER)
		p_peekuser_off(d, addr);
	else if (req == PT_GETREGSET || req == PT_SETREGSET)
		db_puts(d->out, addr == 1 ? "NT_PRSTATUS" : addr == 2 ? "NT_PRFPREG" : "");
	else
		p_ptr(d, addr);
	if ((req == PT_GETREGSET || req == PT_SETREGSET) && addr != 1 && addr != 2)
		p_hex(d, addr);
	switch (req) {
	case PT_PEEKTEXT:
	case PT_PEEKDATA:
	case PT_PEEKUSER:
	case PT_GETEVENTMSG:
	case PT_GETSIGINFO:
	case PT_GETREGS:
	case PT_GETREGSET:
		return dec_more(d);
	case PT_CONT:
	case PT_SYSCALL:
	case PT_SINGLESTEP:
	case PT_SINGLEBLOCK:
	case PT_SYSEMU:
	case PT_SYSEMU_SINGLESTEP:
	case PT_DETACH:
	case PT_LISTEN:
		arg_next(d);
		p_signal(d, (int64_t)data);
		break;
	case PT_SETOPTIONS:
	case PT_SEIZE:
		arg_next(d);
		p_flags(d, &ptk_xlat_ptrace_options, data);
		break;
	case PT_SETSIGINFO:
		arg_next(d);
		p_siginfo_at(d, data, 0);
		break;
	case PT_SETREGS:
		arg_next(d);
		p_user_regs(d, data);
		break;
	default:
		arg_next(d);
		p_hex(d, data);
	}
	return DEC_DONE;
}

const struct decoder dec_proc_syscalls[] = {
        {"clone", dec_clone},
        {"clone3", dec_clone3},
        {"execve", dec_execve},
        {"execveat", dec_execve},
        {"personality", dec_personality},
        {"process_vm_readv", dec_process_vm},
        {"process_vm_writev", dec_process_vm},
        {"ptrace", dec_ptrace},
        {"sched_getaffinity", dec_sched_getaffinity},
        {"sched_getattr", dec_sched_getattr},
        {"sched_getparam", dec_sched_param},
        {"sched_getscheduler", dec_sched_getscheduler},
        {"sched_rr_get_interval", dec_sched_rr_get_interval},
        {"sched_rr_get_interval_time64", dec_sched_rr_get_interval},
        {"sched_setaffinity", dec_sched_setaffinity},
        {"sched_setattr", dec_sched_setattr},
        {"sched_setparam", dec_sched_param},
        {"sched_setscheduler", dec_sched_setscheduler},
        {"wait4", dec_wait4},
        {"waitid", dec_waitid},
        {NULL, NULL},
};

const struct struct_decoder dec_proc_structs[] = {
        {"rusage", p_rusage, 144},
        {"sched_attr", p_sched_attr, 56},
        {"sched_param", p_sched_param, 4},
        {"wait_status", p_wait_status, 4},
        {NULL, NULL, 0},
};
