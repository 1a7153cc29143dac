/* SPDX-License-Identifier: MIT */
/*
 * Signals: the siginfo of a signal-delivery-stop as strace prints it
 * ({si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...}), and the
 * hand-written decoders of the signal family.
 */
#include "dec_util.h"

#include <string.h>
#include <unistd.h>

/* si_code values common to every signal (asm-generic/siginfo.h). */
static const char *common_code(int code)
{
	switch (code) {
	case SI_USER:
		return "SI_USER";
	case SI_KERNEL:
		return "SI_KERNEL";
	case SI_QUEUE:
		return "SI_QUEUE";
	case SI_TIMER:
		return "SI_TIMER";
	case SI_MESGQ:
		return "SI_MESGQ";
	case SI_ASYNCIO:
		return "SI_ASYNCIO";
	case SI_SIGIO:
		return "SI_SIGIO";
	case SI_TKILL:
		return "SI_TKILL";
	case SI_DETHREAD:
		return "SI_DETHREAD";
	case SI_ASYNCNL:
		return "SI_ASYNCNL";
	default:
		return NULL;
	}
}

/* Signal-specific si_code values (positive codes of kernel-sent signals). */
static const char *specific_code(int sig, int code)
{
	static const char *const chld[] = {NULL,           "CLD_EXITED",  "CLD_KILLED",
	                                   "CLD_DUMPED",   "CLD_TRAPPED", "CLD_STOPPED",
	                                   "CLD_CONTINUED"};
	static const char *const segv[] = {NULL,           "SEGV_MAPERR",  "SEGV_ACCERR",
	                                   "SEGV_BNDERR",  "SEGV_PKUERR",  "SEGV_ACCADI",
	                                   "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR",
	                                   "SEGV_MTESERR", "SEGV_CPERR"};
	static const char *const bus[] = {NULL,         "BUS_ADRALN",    "BUS_ADRERR",
	                                  "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"};
	static const char *const ill[] = {NULL,         "ILL_ILLOPC",  "ILL_ILLOPN", "ILL_ILLADR",
	                                  "ILL_ILLTRP", "ILL_PRVOPC",  "ILL_PRVREG", "ILL_COPROC",
	                                  "ILL_BADSTK", "ILL_BADIADDR"};
	static const char *const fpe[] = {NULL,         "FPE_INTDIV", "FPE_INTOVF",  "FPE_FLTDIV",
	                                  "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES",  "FPE_FLTINV",
	                                  "FPE_FLTSUB", "FPE_FLTUNK", "FPE_CONDTRAP"};
	static const char *const trap[] = {NULL,          "TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH",
	                                   "TRAP_HWBKPT", "TRAP_UNK",   "TRAP_PERF"};
	static const char *const poll[] = {NULL,       "POLL_IN",  "POLL_OUT", "POLL_MSG",
	                                   "POLL_ERR", "POLL_PRI", "POLL_HUP"};
#define PICK(a) return code > 0 && (size_t)code < sizeof a / sizeof *a ? a[code] : NULL
	switch (sig) {
	case SIGCHLD:
		PICK(chld);
	case SIGSEGV:
		PICK(segv);
	case SIGBUS:
		PICK(bus);
	case SIGILL:
		PICK(ill);
	case SIGFPE:
		PICK(fpe);
	case SIGTRAP:
		PICK(trap);
	case SIGPOLL:
		PICK(poll);
	case SIGSYS:
		return code == 1 ? "SYS_SECCOMP" : code == 2 ? "SYS_USER_DISPATCH" : NULL;
	default:
		return NULL;
	}
#undef PICK
}

static void value(struct dctx *d, const siginfo_t *si)
{
	db_printf(d->out, ", si_int=%d, si_ptr=", si->si_value.sival_int);
	p_ptr(d, (uint64_t)(uintptr_t)si->si_value.sival_ptr);
}

/* CPU time in clock ticks, with the seconds when not zero: 33 / * 0.33 s * / */
void p_clock_ticks(struct dctx *d, uint64_t v)
{
	static long hz;
	if (!hz)
		hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	db_printf(d->out, "%llu", (unsigned long long)v);
	if (v)
		db_printf(d->out, " /* %llu.%02llu s */", (unsigned long long)(v / (uint64_t)hz),
		          (unsigned long long)(v % (uint64_t)hz * 100 / (uint64_t)hz));
}

static bool fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

void p_siginfo(struct dctx *d, const siginfo_t *si)
{
	char b[32];
	int sig = si->si_signo, code = si->si_code;
	db_printf(d->out, "{si_signo=%s, si_code=", sig_name(sig, b, sizeof b));
	const char *cn = code > 0 && code != SI_KERNEL ? specific_code(sig, code) : NULL;
	if (!cn)
		cn = common_code(code);
	if (cn)
		db_puts(d->out, cn);
	else
		db_printf(d->out, "%d", code);
	if (si->si_errno) {
		const char *en = ptk_errno_name(si->si_errno);
		if (en)
			db_printf(d->out, ", si_errno=%s", en);
		else
			db_printf(d->out, ", si_errno=%d", si->si_errno);
	}
	if (code == SI_USER || code == SI_TKILL) {
		db_printf(d->out, ", si_pid=%d, si_uid=%u", si->si_pid, si->si_uid);
	} else if (code == SI_QUEUE || code == SI_MESGQ) {
		db_printf(d->out, ", si_pid=%d, si_uid=%u", si->si_pid, si->si_uid);
		value(d, si);
	} else if (code == SI_TIMER) {
		db_printf(d->out, ", si_timerid=%#x, si_overrun=%d", (unsigned)si->si_timerid,
		          si->si_overrun);
		value(d, si);
	} else if (code == SI_KERNEL) {
		if (fault_signal(sig)) {
			db_puts(d->out, ", si_addr=");
			p_ptr(d, (uint64_t)(uintptr_t)si->si_addr);
		}
	} else if (code > 0) {
		switch (sig) {
		case SIGCHLD:
			db_printf(d->out, ", si_pid=%d, si_uid=%u, si_status=", si->si_pid,
			          si->si_uid);
			if (code == CLD_EXITED)
				db_printf(d->out, "%d", si->si_status);
			else
				p_signal(d, si->si_status);
			db_puts(d->out, ", si_utime=");
			p_clock_ticks(d, (uint64_t)si->si_utime);
			db_puts(d->out, ", si_stime=");
			p_clock_ticks(d, (uint64_t)si->si_stime);
			break;
		case SIGSEGV:
		case SIGBUS:
		case SIGILL:
		case SIGFPE:
		case SIGTRAP:
			db_puts(d->out, ", si_addr=");
			p_ptr(d, (uint64_t)(uintptr_t)si->si_addr);
			break;
		case SIGPOLL:
			db_printf(d->out, ", si_band=%ld, si_fd=%d", si->si_band, si->si_fd);
			break;
		case SIGSYS: {
			char nb[32];
			int arch = si->si_arch == 0x40000003u ? PTK_ARCH_I386 : PTK_ARCH_X86_64;
			db_puts(d->out, ", si_call_addr=");
			p_ptr(d, (uint64_t)(uintptr_t)si->si_call_addr);
			db_printf(d->out, ", si_syscall=__NR_%s, si_arch=",
			          syscall_name(arch, si->si_syscall, nb, sizeof nb));
			if (si->si_arch == 0xc000003eu)
				db_puts(d->out, "AUDIT_ARCH_X86_64");
			else if (si->si_arch == 0x40000003u)
				db_puts(d->out, "AUDIT_ARCH_I386");
			else
				db_printf(d->out, "%#x /* AUDIT_ARCH_??? */", si->si_arch);
			break;
		}
		default:
			break;
		}
	}
	db_putc(d->out, '}');
}

/* A siginfo in the tracee's memory (waitid, rt_sigtimedwait, rt_sigqueueinfo). */
void p_siginfo_at(struct dctx *d, uint64_t addr, uint64_t size)
{
	siginfo_t si;
	(void)size;
	if (!addr)
		db_puts(d->out, "NULL");
	else if (!GET(d, addr, si))
		p_ptr(d, addr);
	else
		p_siginfo(d, &si);
}

/* ---- struct sigaction, stack_t, sigevent ---- */

static void p_handler(struct dctx *d, uint64_t h)
{
	if (h == 0)
		db_puts(d->out, "SIG_DFL");
	else if (h == 1)
		db_puts(d->out, "SIG_IGN");
	else
		p_ptr(d, h);
}

/*
 * The kernel's struct sigaction (asm/signal.h): handler, flags, restorer,
 * mask on x86_64; on i386 the same order with 32-bit words and a 64-bit
 * mask.  strace shows the restorer only when SA_RESTORER says it is used.
 */
static void p_sigaction(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint64_t h, flags, restorer, mask;
	(void)size;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (d->arch == PTK_ARCH_I386) {
		struct {
			uint32_t h, flags, restorer;
			uint32_t mask[2];
		} k;
		if (!GET(d, addr, k)) {
			p_ptr(d, addr);
			return;
		}
		h = k.h, flags = k.flags, restorer = k.restorer;
		mask = k.mask[0] | (uint64_t)k.mask[1] << 32;
	} else {
		uint64_t k[4];
		if (!GET(d, addr, k)) {
			p_ptr(d, addr);
			return;
		}
		h = k[0], flags = k[1], restorer = k[2], mask = k[3];
	}
	db_puts(d->out, "{sa_handler=");
	p_handler(d, h);
	db_puts(d->out, ", sa_mask=");
	p_sigset(d, &mask, 64);
	db_puts(d->out, ", sa_flags=");
	p_flags(d, &ptk_xlat_sa_flags, flags);
	if (flags & 0x4000000) { /* SA_RESTORER */
		db_puts(d->out, ", sa_restorer=");
		p_ptr(d, restorer);
	}
	db_putc(d->out, '}');
}

/* stack_t: {void *ss_sp; int ss_flags; size_t ss_size;} */
static void p_stack(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint64_t sp, sz;
	int32_t flags;
	(void)size;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (d->arch == PTK_ARCH_I386) {
		uint32_t k[3];
		if (!GET(d, addr, k)) {
			p_ptr(d, addr);
			return;
		}
		sp = k[0], flags = (int32_t)k[1], sz = k[2];
	} else {
		uint64_t k[3];
		if (!GET(d, addr, k)) {
			p_ptr(d, addr);
			return;
		}
		sp = k[0], flags = (int32_t)k[1], sz = k[2];
	}
	db_puts(d->out, "{ss_sp=");
	p_ptr(d, sp);
	db_puts(d->out, ", ss_flags=");
	p_flags(d, &ptk_xlat_ss_flags, (uint32_t)flags);
	db_printf(d->out, ", ss_size=%llu}", (unsigned long long)sz);
}

/*
 * struct sigevent (asm-generic/siginfo.h): sigev_value, sigev_signo,
 * sigev_notify, then the thread id or the SIGEV_THREAD function and
 * attributes.  strace shows sigev_value only when it is not zero and names
 * the signal only for the kinds of notification that send one.
 */
void p_sigevent(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint64_t value, fn, attr;
	int32_t signo, notify, tid;
	(void)size;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (d->arch == PTK_ARCH_I386) {
		uint32_t k[5];
		if (!GET(d, addr, k)) {
			p_ptr(d, addr);
			return;
		}
		value = k[0], signo = (int32_t)k[1], notify = (int32_t)k[2];
		tid = (int32_t)k[3], fn = k[3], attr = k[4];
	} else {
		struct {
			uint64_t value;
			int32_t signo, notify;
			uint64_t fn, attr;
		} k;
		if (!GET(d, addr, k)) {
			p_ptr(d, addr);
			return;
		}
		value = k.value, signo = k.signo, notify = k.notify;
		tid = (int32_t)k.fn, fn = k.fn, attr = k.attr;
	}
	db_putc(d->out, '{');
	if (value) {
		db_printf(d->out, "sigev_value={sival_int=%d, sival_ptr=", (int32_t)value);
		p_ptr(d, value);
		db_puts(d->out, "}, ");
	}
	db_puts(d->out, "sigev_signo=");
	if (notify == 0 || notify == 2 || notify == 4) /* SIGNAL, THREAD, THREAD_ID */
		p_signal(d, signo);
	else
		db_printf(d->out, "%d", signo);
	db_puts(d->out, ", sigev_notify=");
	p_xlat32(d, &ptk_xlat_sigev_notify, (uint32_t)notify, "SIGEV_???");
	if (notify == 4) {
		db_printf(d->out, ", sigev_notify_thread_id=%d", tid);
	} else if (notify == 2) {
		db_puts(d->out, ", sigev_notify_function=");
		p_ptr(d, fn);
		db_puts(d->out, ", sigev_notify_attributes=");
		p_ptr(d, attr);
	}
	db_putc(d->out, '}');
}

/* ---- syscalls ---- */

/* The kernel's sigset_t is 8 bytes on both ABIs; another size is EINVAL. */
static void sigset_arg(struct dctx *d, uint64_t addr, uint64_t size)
{
	if (addr && size != 8)
		p_ptr(d, addr);
	else
		p_sigset_addr(d, addr, size);
}

static int dec_rt_sigaction(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_signal(d, arg_i(d, 0));
		arg_next(d);
		p_sigaction(d, arg_u(d, 1), 0);
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 2));
	else
		p_sigaction(d, arg_u(d, 2), 0);
	arg_next(d);
	p_uint(d, arg_u(d, 3));
	return DEC_DONE;
}

static int dec_rt_sigprocmask(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_xlat32(d, &ptk_xlat_sigprocmask_how, arg_u(d, 0), "SIG_???");
		arg_next(d);
		sigset_arg(d, arg_u(d, 1), arg_u(d, 3));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 2));
	else
		sigset_arg(d, arg_u(d, 2), arg_u(d, 3));
	arg_next(d);
	p_uint(d, arg_u(d, 3));
	return DEC_DONE;
}

static int dec_rt_sigpending(struct dctx *d)
{
	if (!d->exiting)
		return dec_more(d);
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 0));
	else
		sigset_arg(d, arg_u(d, 0), arg_u(d, 1));
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	return DEC_DONE;
}

static int dec_rt_sigsuspend(struct dctx *d)
{
	arg_next(d);
	sigset_arg(d, arg_u(d, 0), arg_u(d, 1));
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	return DEC_DONE;
}

/*
 * rt_sigtimedwait(set, info, timeout, size) = SIG (SIGNAME).  The kernel
 * writes info, so strace prints it and the arguments after it at exit,
 * unless info is NULL: then everything is printed at entry.
 */
static int dec_rt_sigtimedwait(struct dctx *d)
{
	uint64_t info = arg_u(d, 1);
	if (!d->exiting) {
		arg_next(d);
		sigset_arg(d, arg_u(d, 0), arg_u(d, 3));
		if (info)
			return dec_more(d);
		arg_next(d);
		db_puts(d->out, "NULL");
		d->next = NEXT_NONE;
	} else if (!info) {
		return DEC_DONE; /* all printed at entry; the caller adds the signal */
	} else {
		arg_next(d);
		if (d->is_error)
			p_ptr(d, info);
		else
			p_siginfo_at(d, info, 0);
	}
	arg_next(d);
	if (strstr(d->ent->name, "time64"))
		p_struct(d, "timespec64", arg_u(d, 2), 0);
	else
		p_timespec(d, arg_u(d, 2), 0);
	arg_next(d);
	p_uint(d, arg_u(d, 3));
	/* Called again at exit for the signal's name after the return value. */
	return d->exiting ? DEC_DONE : DEC_MORE;
}

static int dec_sigtimedwait_wrap(struct dctx *d)
{
	int r = dec_rt_sigtimedwait(d);
	if (d->exiting && !d->is_error && d->rval > 0) {
		char b[32];
		db_printf(d->aux, "(%s)", sig_name((int)d->rval, b, sizeof b));
	}
	return r;
}

/* rt_sigqueueinfo(pid, sig, info), rt_tgsigqueueinfo(tgid, tid, sig, info). */
static int dec_rt_sigqueueinfo(struct dctx *d)
{
	int n = strcmp(d->ent->name, "rt_tgsigqueueinfo") == 0 ? 4 : 3;
	for (int i = 0; i < n - 2; i++) {
		arg_next(d);
		p_int(d, arg_i(d, i));
	}
	arg_next(d);
	p_signal(d, arg_i(d, n - 2));
	arg_next(d);
	p_siginfo_at(d, arg_u(d, n - 1), 0);
	return DEC_DONE;
}

static int dec_sigaltstack(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_stack(d, arg_u(d, 0), 0);
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 1));
	else
		p_stack(d, arg_u(d, 1), 0);
	return DEC_DONE;
}

/*
 * rt_sigreturn(): strace shows the signal mask the return restores,
 * {mask=[...]}, from the signal frame on the stack.  At the syscall the
 * handler has returned into the restorer, which popped the frame's return
 * address: the stack pointer is at the frame's struct ucontext on x86_64
 * (arch/x86/include/asm/sigframe.h, struct rt_sigframe), whose uc_sigmask
 * follows uc_flags, uc_link, uc_stack and uc_mcontext: 8 + 8 + 24 + 256
 * bytes in.  On i386 the frame starts with sig, pinfo, puc and the
 * 128-byte siginfo before the ucontext, whose uc_sigmask is 108 bytes in.
 */
static int dec_rt_sigreturn(struct dctx *d)
{
	struct ptk_regs r;
	uint64_t mask = 0;
	arg_next(d);
	if (ptk_regs_get(d->t->s, d->c->tid, &r) < 0) {
		db_puts(d->out, "{mask=?}");
		return DEC_DONE;
	}
	uint64_t at = d->arch == PTK_ARCH_I386 ? (uint32_t)r.rsp + 12 + 128 + 108 : r.rsp + 296;
	if (!GET(d, at, mask)) {
		p_ptr(d, at);
		return DEC_DONE;
	}
	db_puts(d->out, "{mask=");
	p_sigset(d, &mask, 64);
	db_putc(d->out, '}');
	return DEC_DONE;
}

const struct decoder dec_signal_syscalls[] = {
        {"rt_sigaction", dec_rt_sigaction},
        {"rt_sigpending", dec_rt_sigpending},
        {"rt_sigprocmask", dec_rt_sigprocmask},
        {"rt_sigqueueinfo", dec_rt_sigqueueinfo},
        {"rt_sigreturn", dec_rt_sigreturn},
        {"rt_sigsuspend", dec_rt_sigsuspend},
        {"rt_sigtimedwait", dec_sigtimedwait_wrap},
        {"rt_sigtimedwait_time64", dec_sigtimedwait_wrap},
        {"rt_tgsigqueueinfo", dec_rt_sigqueueinfo},
        {"sigaltstack", dec_sigaltstack},
        {NULL, NULL},
};

const struct struct_decoder dec_signal_structs[] = {
        {"sigaction", p_sigaction, 32},
        {"sigevent", p_sigevent, 64},
        {"siginfo", p_siginfo_at, 128},
        {"stack", p_stack, 24},
        {NULL, NULL, 0},
};
