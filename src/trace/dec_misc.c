/* SPDX-License-Identifier: MIT */
/*
 * Miscellaneous calls: resource limits, utsname, sysinfo, getrandom's
 * bytes, CPU sets, prctl per option, capabilities, arch_prctl, futex per
 * operation, io_uring_setup and membarrier, in strace 6.1's text
 * (observed; see tests/trace/test_decode_misc.py).  Layouts are the
 * x86_64 UAPI's (linux/resource.h, linux/utsname.h, linux/sysinfo.h,
 * linux/capability.h, linux/futex.h, linux/io_uring.h).
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

/* ---- struct rlimit, struct rlimit64 ---- */

static void rlim_pair(struct dctx *d, uint64_t cur, uint64_t max, const char *inf)
{
	db_puts(d->out, "{rlim_cur=");
	fmt_rlim(d->out, cur, inf);
	db_puts(d->out, ", rlim_max=");
	fmt_rlim(d->out, max, inf);
	db_putc(d->out, '}');
}

static void pr_rlimit64(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint64_t r[2];
	if (!mem_get(d, addr, r, sizeof r))
		p_ptr(d, addr);
	else
		rlim_pair(d, r[0], r[1], "RLIM64_INFINITY");
}

/* The ABI's struct rlimit: two unsigned longs (i386: 32-bit, RLIM_INFINITY). */
static void pr_rlimit(struct dctx *d, uint64_t addr, uint64_t size)
{
	if (d->arch != PTK_ARCH_I386) {
		pr_rlimit64(d, addr, size);
		return;
	}
	uint32_t r[2];
	if (!mem_get(d, addr, r, sizeof r))
		p_ptr(d, addr);
	else
		rlim_pair(d, r[0] == UINT32_MAX ? UINT64_MAX : r[0],
		          r[1] == UINT32_MAX ? UINT64_MAX : r[1], "RLIM_INFINITY");
}

/* ---- struct utsname (6 fields of 65 bytes) ---- */

static void uts_field(struct dctx *d, const char *name, const char *v, bool first)
{
	db_printf(d->out, "%s%s=", first ? "" : ", ", name);
	p_quoted(d, (const uint8_t *)v, strnlen(v, 65), false, true);
}

static void pr_utsname(struct dctx *d, uint64_t addr, uint64_t size)
{
	char u[6][65];
	if (!mem_get(d, addr, u, sizeof u)) {
		p_ptr(d, addr);
		return;
	}
	static const char *const names[] = {"sysname", "nodename", "release",
	                                    "version", "machine",  "domainname"};
	db_putc(d->out, '{');
	for (int i = 0; i < 6; i++) {
		u[i][64] = 0;
		if (i == 2 && !d->t->o.verbose) {
			db_puts(d->out, ", ...");
			break;
		}
		uts_field(d, names[i], u[i], i == 0);
	}
	db_putc(d->out, '}');
}

/* ---- struct sysinfo (x86_64: 112 bytes) ---- */

static void pr_sysinfo(struct dctx *d, uint64_t addr, uint64_t size)
{
	struct {
		int64_t uptime;
		uint64_t loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
		uint16_t procs, pad;
		uint32_t pad2;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char f[4];
	} si;
	if (d->arch == PTK_ARCH_I386 || !mem_get(d, addr, &si, sizeof si)) {
		p_ptr(d, addr);
		return;
	}
	db_printf(d->out,
	          "{uptime=%lld, loads=[%llu, %llu, %llu], totalram=%llu, freeram=%llu, "
	          "sharedram=%llu, bufferram=%llu, totalswap=%llu, freeswap=%llu, procs=%u, "
	          "totalhigh=%llu, freehigh=%llu, mem_unit=%u}",
	          (long long)si.uptime, (unsigned long long)si.loads[0],
	          (unsigned long long)si.loads[1], (unsigned long long)si.loads[2],
	          (unsigned long long)si.totalram, (unsigned long long)si.freeram,
	          (unsigned long long)si.sharedram, (unsigned long long)si.bufferram,
	          (unsigned long long)si.totalswap, (unsigned long long)si.freeswap, si.procs,
	          (unsigned long long)si.totalhigh, (unsigned long long)si.freehigh, si.mem_unit);
}

/* ---- getrandom: strace shows the random bytes all in \xNN ---- */

static int dec_getrandom(struct dctx *d)
{
	if (!d->exiting)
		return DEC_MORE;
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 0));
	else
		p_buf_ex(d, arg_u(d, 0), (uint64_t)d->rval, QF_HEX);
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	arg_next(d);
	p_flags(d, &ptk_xlat_getrandom, (uint32_t)arg_u(d, 2));
	return DEC_DONE;
}

/* ---- CPU sets: [0 1] ---- */

static void pr_cpuset(struct dctx *d, uint64_t addr, uint64_t size)
{
	/* sched_getaffinity writes as many bytes as it returns. */
	if (d->exiting && !d->is_error && d->rval > 0 && (uint64_t)d->rval < size)
		size = (uint64_t)d->rval;
	if (size == 0 || size > 1 << 16) {
		p_ptr(d, addr);
		return;
	}
	uint8_t *bits = malloc(size);
	if (!bits || !mem_get(d, addr, bits, size)) {
		free(bits);
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	bool first = true;
	for (uint64_t i = 0; i < size * 8; i++)
		if (bits[i / 8] >> (i % 8) & 1) {
			db_printf(d->out, "%s%llu", first ? "" : " ", (unsigned long long)i);
			first = false;
		}
	db_putc(d->out, ']');
	free(bits);
}

/* ---- capabilities ---- */

static void cap_mask(struct dctx *d, uint64_t m)
{
	if (!m) {
		db_putc(d->out, '0');
		return;
	}
	bool first = true;
	for (unsigned i = 0; i < 64; i++)
		if (m >> i & 1) {
			const char *n = ptk_xlat_name(&ptk_xlat_capability, i);
			if (!first)
				db_putc(d->out, '|');
			if (n)
				db_printf(d->out, "1<<%s", n);
			else
				db_printf(d->out, "1<<%u", i);
			first = false;
		}
}

#define CAP_V1 0x19980330u

static void pr_cap_header(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint32_t h[2];
	if (!mem_get(d, addr, h, sizeof h)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{version=");
	p_xlat(d, &ptk_xlat_cap_version, h[0], "_LINUX_CAPABILITY_VERSION_???");
	db_printf(d->out, ", pid=%d}", (int32_t)h[1]);
}

/* One (version 1) or two (versions 2, 3: the high 32 bits) data structs. */
static void pr_cap_data(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint32_t h[2] = {0, 0}, c[6] = {0};
	uint64_t hdr = arg_u(d, 0);
	if (!hdr || !mem_get(d, hdr, h, sizeof h)) {
		p_ptr(d, addr);
		return;
	}
	size_t n = h[0] == CAP_V1 ? 1 : 2;
	if (!mem_get(d, addr, c, n * 12)) {
		p_ptr(d, addr);
		return;
	}
	/* struct __user_cap_data_struct: effective, permitted, inheritable. */
	db_puts(d->out, "{effective=");
	cap_mask(d, c[0] | (uint64_t)c[3] << 32);
	db_puts(d->out, ", permitted=");
	cap_mask(d, c[1] | (uint64_t)c[4] << 32);
	db_puts(d->out, ", inheritable=");
	cap_mask(d, c[2] | (uint64_t)c[5] << 32);
	db_putc(d->out, '}');
}

/* ---- prctl ---- */

enum {
	PR_SET_PDEATHSIG_ = 1,
	PR_GET_PDEATHSIG_ = 2,
	PR_GET_DUMPABLE_ = 3,
	PR_SET_DUMPABLE_ = 4,
	PR_GET_KEEPCAPS_ = 7,
	PR_SET_KEEPCAPS_ = 8,
	PR_SET_NAME_ = 15,
	PR_GET_NAME_ = 16,
	PR_GET_SECCOMP_ = 21,
	PR_SET_SECCOMP_ = 22,
	PR_CAPBSET_READ_ = 23,
	PR_CAPBSET_DROP_ = 24,
	PR_GET_SECUREBITS_ = 27,
	PR_SET_SECUREBITS_ = 28,
	PR_SET_TIMERSLACK_ = 29,
	PR_GET_TIMERSLACK_ = 30,
	PR_TASK_PERF_EVENTS_DISABLE_ = 31,
	PR_TASK_PERF_EVENTS_ENABLE_ = 32,
	PR_MCE_KILL_ = 33,
	PR_MCE_KILL_GET_ = 34,
	PR_SET_MM_ = 35,
	PR_SET_CHILD_SUBREAPER_ = 36,
	PR_GET_CHILD_SUBREAPER_ = 37,
	PR_SET_NO_NEW_PRIVS_ = 38,
	PR_GET_NO_NEW_PRIVS_ = 39,
	PR_GET_TID_ADDRESS_ = 40,
	PR_SET_THP_DISABLE_ = 41,
	PR_GET_THP_DISABLE_ = 42,
	PR_GET_FP_MODE_ = 46,
	PR_CAP_AMBIENT_ = 47,
	PR_SET_IO_FLUSHER_ = 57,
	PR_GET_IO_FLUSHER_ = 58,
	PR_SET_VMA_ = 0x53564d41,
	PR_SET_PTRACER_ = 0x59616d61,
};

#define SECCOMP_MODE_FILTER_ 2

/* Arguments i..4 as unsigned decimals ("1, 0, 0, 0"). */
static void udec_from(struct dctx *d, int i)
{
	for (; i < 5; i++) {
		arg_next(d);
		p_uint(d, arg_u(d, i));
	}
}

static void hex_from(struct dctx *d, int i)
{
	for (; i < 5; i++) {
		arg_next(d);
		p_hex(d, arg_u(d, i));
	}
}

/* struct sock_fprog: {len=1, filter=0x...}. */
static void p_sock_fprog(struct dctx *d, uint64_t addr)
{
	struct {
		uint16_t len, pad[3];
		uint64_t filter;
	} f;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (d->arch == PTK_ARCH_I386 || !mem_get(d, addr, &f, sizeof f)) {
		p_ptr(d, addr);
		return;
	}
	db_printf(d->out, "{len=%u, filter=", f.len);
	p_ptr(d, f.filter);
	db_putc(d->out, '}');
}

/* A task name: at most TASK_COMM_LEN - 1 bytes, and -s. */
static size_t comm_max(const struct dctx *d)
{
	return d->t->o.strsize < 15 ? d->t->o.strsize : 15;
}

/* What prctl prints after the option at the enter stop; DEC_MORE when an
 * argument is the kernel's output or the return value has a meaning. */
static int prctl_enter(struct dctx *d, uint64_t opt)
{
	uint64_t a2 = arg_u(d, 1);
	switch (opt) {
	case PR_GET_DUMPABLE_:
		d->next = NEXT_NONE;
		return DEC_MORE;
	case PR_GET_KEEPCAPS_:
	case PR_GET_SECCOMP_:
	case PR_GET_SECUREBITS_:
	case PR_GET_TIMERSLACK_:
	case PR_TASK_PERF_EVENTS_DISABLE_:
	case PR_TASK_PERF_EVENTS_ENABLE_:
	case PR_GET_FP_MODE_:
	case PR_MCE_KILL_GET_:
		return DEC_DONE;
	case PR_GET_PDEATHSIG_:
	case PR_GET_NAME_:
	case PR_GET_CHILD_SUBREAPER_:
	case PR_GET_TID_ADDRESS_:
		d->next = NEXT_ARG;
		return DEC_MORE;
	case PR_SET_PDEATHSIG_:
		arg_next(d);
		p_signal(d, (int64_t)a2);
		return DEC_DONE;
	case PR_SET_DUMPABLE_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_pr_dumpable, a2, "SUID_DUMP_???");
		return DEC_DONE;
	case PR_SET_NAME_:
		arg_next(d);
		p_str(d, a2, comm_max(d));
		return DEC_DONE;
	case PR_SET_KEEPCAPS_:
	case PR_SET_CHILD_SUBREAPER_:
	case PR_SET_TIMERSLACK_:
		arg_next(d);
		p_uint(d, a2);
		return DEC_DONE;
	case PR_CAPBSET_READ_:
	case PR_CAPBSET_DROP_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_capability, a2, "CAP_???");
		return DEC_DONE;
	case PR_SET_SECUREBITS_:
		arg_next(d);
		p_flags(d, &ptk_xlat_securebits, a2);
		return DEC_DONE;
	case PR_SET_SECCOMP_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_seccomp_mode, a2, "SECCOMP_MODE_???");
		if (a2 == SECCOMP_MODE_FILTER_) {
			arg_next(d);
			p_sock_fprog(d, arg_u(d, 2));
		}
		return DEC_DONE;
	case PR_SET_NO_NEW_PRIVS_:
	case PR_GET_NO_NEW_PRIVS_:
	case PR_SET_THP_DISABLE_:
	case PR_GET_THP_DISABLE_:
	case PR_SET_IO_FLUSHER_:
	case PR_GET_IO_FLUSHER_:
		udec_from(d, 1);
		return DEC_DONE;
	case PR_CAP_AMBIENT_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_pr_cap_ambient, a2, "PR_CAP_AMBIENT_???");
		arg_next(d);
		if (a2 == 1 || a2 == 2 || a2 == 3)
			p_xlat(d, &ptk_xlat_capability, arg_u(d, 2), "CAP_???");
		else
			p_uint(d, arg_u(d, 2));
		udec_from(d, 3);
		return DEC_DONE;
	case PR_MCE_KILL_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_pr_mce_kill, a2, "PR_MCE_KILL_???");
		arg_next(d);
		if (a2 == 1)
			p_xlat(d, &ptk_xlat_pr_mce_kill_policy, arg_u(d, 2), "PR_MCE_KILL_???");
		else
			p_uint(d, arg_u(d, 2));
		udec_from(d, 3);
		return DEC_DONE;
	case PR_SET_MM_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_pr_set_mm, a2, "PR_SET_MM_???");
		hex_from(d, 2);
		return DEC_DONE;
	case PR_SET_VMA_:
		arg_next(d);
		p_xlat(d, &ptk_xlat_pr_set_vma, a2, "PR_SET_VMA_???");
		arg_next(d);
		p_ptr(d, arg_u(d, 2));
		arg_next(d);
		p_uint(d, arg_u(d, 3));
		arg_next(d);
		p_str(d, arg_u(d, 4), d->t->o.strsize);
		return DEC_DONE;
	case PR_SET_PTRACER_:
		arg_next(d);
		if (a2 == (uint64_t)-1 || (d->arch == PTK_ARCH_I386 && a2 == UINT32_MAX))
			db_puts(d->out, "PR_SET_PTRACER_ANY");
		else
			p_int(d, (int64_t)a2);
		return DEC_DONE;
	default:
		hex_from(d, 1);
		return DEC_DONE;
	}
}

static int dec_prctl(struct dctx *d)
{
	uint64_t opt = (uint32_t)arg_u(d, 0);
	if (!d->exiting) {
		arg_next(d);
		p_xlat(d, &ptk_xlat_prctl, opt, "PR_???");
		return prctl_enter(d, opt);
	}
	uint64_t a2 = arg_u(d, 1);
	switch (opt) {
	case PR_GET_DUMPABLE_:
		if (!d->is_error) {
			struct dbuf *saved = d->out;
			d->out = d->aux;
			db_putc(d->aux, '(');
			p_xlat(d, &ptk_xlat_pr_dumpable, (uint64_t)d->rval, "SUID_DUMP_???");
			db_putc(d->aux, ')');
			d->out = saved;
		}
		break;
	case PR_GET_NAME_:
		arg_next(d);
		if (d->is_error)
			p_ptr(d, a2);
		else
			p_str(d, a2, comm_max(d));
		break;
	case PR_GET_PDEATHSIG_: {
		int32_t sig;
		arg_next(d);
		if (d->is_error || !mem_get(d, a2, &sig, sizeof sig)) {
			p_ptr(d, a2);
		} else {
			db_putc(d->out, '[');
			p_signal(d, sig);
			db_putc(d->out, ']');
		}
		break;
	}
	case PR_GET_CHILD_SUBREAPER_:
		arg_next(d);
		if (d->is_error)
			p_ptr(d, a2);
		else
			p_struct(d, "int", a2, 0);
		break;
	case PR_GET_TID_ADDRESS_:
		arg_next(d);
		if (d->is_error)
			p_ptr(d, a2);
		else
			p_struct(d, "ptr", a2, 0);
		break;
	default:
		break;
	}
	return DEC_DONE;
}

/* ---- arch_prctl ---- */

#define ARCH_SET_GS_    0x1001
#define ARCH_SET_FS_    0x1002
#define ARCH_GET_FS_    0x1003
#define ARCH_GET_GS_    0x1004
#define ARCH_GET_CPUID_ 0x1011
#define ARCH_SET_CPUID_ 0x1012

static int dec_arch_prctl(struct dctx *d)
{
	uint64_t code = (uint32_t)arg_u(d, 0), addr = arg_u(d, 1);
	if (d->exiting) {
		arg_next(d);
		if (d->is_error)
			p_ptr(d, addr);
		else
			p_struct(d, "ptr", addr, 0);
		return DEC_DONE;
	}
	arg_next(d);
	p_xlat(d, &ptk_xlat_arch_prctl, code, "ARCH_???");
	switch (code) {
	case ARCH_GET_CPUID_:
		return DEC_DONE;
	case ARCH_GET_FS_:
	case ARCH_GET_GS_:
		d->next = NEXT_ARG;
		return DEC_MORE;
	case ARCH_SET_CPUID_:
		arg_next(d);
		p_uint(d, addr);
		return DEC_DONE;
	default:
		arg_next(d);
		p_hex(d, addr);
		return DEC_DONE;
	}
}

/* ---- futex ---- */

enum {
	FUTEX_WAIT_ = 0,
	FUTEX_WAKE_ = 1,
	FUTEX_FD_ = 2,
	FUTEX_REQUEUE_ = 3,
	FUTEX_CMP_REQUEUE_ = 4,
	FUTEX_WAKE_OP_ = 5,
	FUTEX_LOCK_PI_ = 6,
	FUTEX_UNLOCK_PI_ = 7,
	FUTEX_TRYLOCK_PI_ = 8,
	FUTEX_WAIT_BITSET_ = 9,
	FUTEX_WAKE_BITSET_ = 10,
	FUTEX_WAIT_REQUEUE_PI_ = 11,
	FUTEX_CMP_REQUEUE_PI_ = 12,
	FUTEX_LOCK_PI2_ = 13,
};

/* FUTEX_WAKE_OP's val3: FUTEX_OP_SET<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0. */
static void futex_wake_op(struct dctx *d, uint32_t v)
{
	uint32_t op = v >> 28, cmp = (v >> 24) & 0xf, oparg = (v >> 12) & 0xfff, cmparg = v & 0xfff;
	if (op & 8)
		db_puts(d->out, "FUTEX_OP_OPARG_SHIFT<<28|");
	const char *n = ptk_xlat_name(&ptk_xlat_futex_wake_op, op & 7);
	if (n)
		db_printf(d->out, "%s<<28", n);
	else
		db_printf(d->out, "%#x<<28 /* FUTEX_OP_??? */", op & 7);
	db_putc(d->out, '|');
	p_hex(d, oparg);
	db_puts(d->out, "<<12|");
	n = ptk_xlat_name(&ptk_xlat_futex_wake_cmp, cmp);
	if (n)
		db_printf(d->out, "%s<<24", n);
	else
		db_printf(d->out, "%#x<<24 /* FUTEX_OP_CMP_??? */", cmp);
	db_putc(d->out, '|');
	p_hex(d, cmparg);
}

static int dec_futex(struct dctx *d)
{
	uint64_t opw = (uint32_t)arg_u(d, 1);
	unsigned cmd = opw & 0x7f; /* without FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME */
	arg_next(d);
	p_ptr(d, arg_u(d, 0));
	arg_next(d);
	if (cmd > FUTEX_LOCK_PI2_) {
		/* An unknown command: its number and every argument. */
		db_printf(d->out, "%#llx /* FUTEX_??? */", (unsigned long long)opw);
		arg_next(d);
		p_int(d, arg_i(d, 2));
		arg_next(d);
		p_ptr(d, arg_u(d, 3));
		arg_next(d);
		p_ptr(d, arg_u(d, 4));
		arg_next(d);
		p_int(d, arg_i(d, 5));
		return DEC_DONE;
	}
	p_flags(d, &ptk_xlat_futex_op, opw);
	switch (cmd) {
	case FUTEX_WAIT_:
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 2));
		arg_next(d);
		p_timespec_addr(d, arg_u(d, 3));
		break;
	case FUTEX_WAKE_:
		arg_next(d);
		p_int(d, arg_i(d, 2));
		break;
	case FUTEX_FD_:
		arg_next(d);
		p_signal(d, arg_i(d, 2));
		break;
	case FUTEX_REQUEUE_:
		arg_next(d);
		p_int(d, arg_i(d, 2));
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 3));
		arg_next(d);
		p_ptr(d, arg_u(d, 4));
		break;
	case FUTEX_CMP_REQUEUE_:
	case FUTEX_CMP_REQUEUE_PI_:
		arg_next(d);
		p_int(d, arg_i(d, 2));
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 3));
		arg_next(d);
		p_ptr(d, arg_u(d, 4));
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 5));
		break;
	case FUTEX_WAKE_OP_:
		arg_next(d);
		p_int(d, arg_i(d, 2));
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 3));
		arg_next(d);
		p_ptr(d, arg_u(d, 4));
		arg_next(d);
		futex_wake_op(d, (uint32_t)arg_u(d, 5));
		break;
	case FUTEX_LOCK_PI_:
	case FUTEX_LOCK_PI2_:
		arg_next(d);
		p_timespec_addr(d, arg_u(d, 3));
		break;
	case FUTEX_UNLOCK_PI_:
	case FUTEX_TRYLOCK_PI_:
		break;
	case FUTEX_WAIT_BITSET_:
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 2));
		arg_next(d);
		p_timespec_addr(d, arg_u(d, 3));
		arg_next(d);
		if ((uint32_t)arg_u(d, 5) == UINT32_MAX)
			db_puts(d->out, "FUTEX_BITSET_MATCH_ANY");
		else
			p_hex(d, (uint32_t)arg_u(d, 5));
		break;
	case FUTEX_WAKE_BITSET_:
		arg_next(d);
		p_int(d, arg_i(d, 2));
		arg_next(d);
		if ((uint32_t)arg_u(d, 5) == UINT32_MAX)
			db_puts(d->out, "FUTEX_BITSET_MATCH_ANY");
		else
			p_hex(d, (uint32_t)arg_u(d, 5));
		break;
	case FUTEX_WAIT_REQUEUE_PI_:
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 2));
		arg_next(d);
		p_timespec_addr(d, arg_u(d, 3));
		arg_next(d);
		p_ptr(d, arg_u(d, 4));
		break;
	default:
		arg_next(d);
		p_int(d, arg_i(d, 2));
		arg_next(d);
		p_ptr(d, arg_u(d, 3));
		arg_next(d);
		p_ptr(d, arg_u(d, 4));
		arg_next(d);
		p_int(d, arg_i(d, 5));
		break;
	}
	return DEC_DONE;
}

/* ---- io_uring_setup's struct io_uring_params (120 bytes) ---- */

struct uring_params {
	uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd;
	uint32_t resv[3];
	uint32_t sq_off[10];
	uint32_t cq_off[10];
};

#define IORING_SETUP_ATTACH_WQ_ 0x20u

static int dec_io_uring_setup(struct dctx *d)
{
	uint64_t addr = arg_u(d, 1);
	struct uring_params p;
	if (!d->exiting) {
		arg_next(d);
		p_uint(d, (uint32_t)arg_u(d, 0));
		arg_next(d);
		if (!addr || !mem_get(d, addr, &p, sizeof p)) {
			p_ptr(d, addr);
			return DEC_DONE;
		}
		db_puts(d->out, "{flags=");
		p_flags(d, &ptk_xlat_io_uring_setup, p.flags);
		db_printf(d->out, ", sq_thread_cpu=%u, sq_thread_idle=%u", p.sq_thread_cpu,
		          p.sq_thread_idle);
		if (p.flags & IORING_SETUP_ATTACH_WQ_)
			db_printf(d->out, ", wq_fd=%d", (int32_t)p.wq_fd);
		d->next = NEXT_NONE; /* the struct goes on at exit */
		return DEC_MORE;
	}
	if (!d->is_error && mem_get(d, addr, &p, sizeof p)) {
		db_printf(d->out, ", sq_entries=%u, cq_entries=%u, features=", p.sq_entries,
		          p.cq_entries);
		p_flags(d, &ptk_xlat_io_uring_features, p.features);
		db_printf(d->out,
		          ", sq_off={head=%u, tail=%u, ring_mask=%u, ring_entries=%u, flags=%u, "
		          "dropped=%u, array=%u}, cq_off={head=%u, tail=%u, ring_mask=%u, "
		          "ring_entries=%u, overflow=%u, cqes=%u, flags=%u}",
		          p.sq_off[0], p.sq_off[1], p.sq_off[2], p.sq_off[3], p.sq_off[4],
		          p.sq_off[5], p.sq_off[6], p.cq_off[0], p.cq_off[1], p.cq_off[2],
		          p.cq_off[3], p.cq_off[4], p.cq_off[5], p.cq_off[6]);
	}
	db_putc(d->out, '}');
	return DEC_DONE;
}

/* ---- membarrier: MEMBARRIER_CMD_QUERY returns the supported commands ---- */

#define MEMBARRIER_CMD_FLAG_CPU_ 1u

static int dec_membarrier(struct dctx *d)
{
	uint64_t cmd = (uint32_t)arg_u(d, 0);
	if (d->exiting) {
		if (!d->is_error && cmd == 0 && d->rval > 0) {
			/* The supported commands: bits named by the enum's values. */
			uint64_t r = (uint64_t)d->rval, left = r;
			d->ret = RET_HEX;
			db_putc(d->aux, '(');
			bool first = true;
			for (size_t i = 0; i < ptk_xlat_membarrier_cmd.count; i++) {
				uint64_t v = ptk_xlat_membarrier_cmd.entries[i].value;
				if (v && (left & v) == v) {
					db_printf(d->aux, "%s%s", first ? "" : "|",
					          ptk_xlat_membarrier_cmd.entries[i].name);
					left &= ~v;
					first = false;
				}
			}
			if (left)
				db_printf(d->aux, "%s%#llx", first ? "" : "|",
				          (unsigned long long)left);
			db_putc(d->aux, ')');
		}
		return DEC_DONE;
	}
	arg_next(d);
	p_xlat(d, &ptk_xlat_membarrier_cmd, cmd, "MEMBARRIER_CMD_???");
	arg_next(d);
	uint64_t flags = (uint32_t)arg_u(d, 1);
	p_flags(d, &ptk_xlat_membarrier_flags, flags);
	if (flags & MEMBARRIER_CMD_FLAG_CPU_) {
		arg_next(d);
		p_int(d, arg_i(d, 2));
	}
	d->next = NEXT_NONE;
	return cmd == 0 ? DEC_MORE : DEC_DONE;
}

const struct decoder dec_misc_syscalls[] = {
        {"getrandom", dec_getrandom},
        {"prctl", dec_prctl},
        {"arch_prctl", dec_arch_prctl},
        {"futex", dec_futex},
        {"io_uring_setup", dec_io_uring_setup},
        {"membarrier", dec_membarrier},
        {NULL, NULL},
};

const struct struct_decoder dec_misc_structs[] = {
        {"rlimit", pr_rlimit, 16},     {"rlimit64", pr_rlimit64, 16},
        {"utsname", pr_utsname, 390},  {"sysinfo", pr_sysinfo, 112},
        {"cpuset", pr_cpuset, 0},      {"cap_header", pr_cap_header, 8},
        {"cap_data", pr_cap_data, 12}, {NULL, NULL, 0},
};
