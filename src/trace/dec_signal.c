/* SPDX-License-Identifier: MIT */
/*
 * Signals: the siginfo of a signal-delivery-stop as strace prints it
 * ({si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...}), and the
 * hand-written decoders of the signal family.
 */
#include "trace.h"

#include <string.h>

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
	db_printf(d->out, ", si_value={int=%d, ptr=", si->si_value.sival_int);
	p_ptr(d, (uint64_t)(uintptr_t)si->si_value.sival_ptr);
	db_putc(d->out, '}');
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
	if (code == SI_USER || code == SI_TKILL) {
		db_printf(d->out, ", si_pid=%d, si_uid=%u", si->si_pid, si->si_uid);
	} else if (code == SI_QUEUE || code == SI_MESGQ) {
		db_printf(d->out, ", si_pid=%d, si_uid=%u", si->si_pid, si->si_uid);
		value(d, si);
	} else if (code == SI_TIMER) {
		db_printf(d->out, ", si_timerid=%#x, si_overrun=%d", si->si_timerid,
		          si->si_overrun);
		value(d, si);
	} else if (code > 0 && code != SI_KERNEL) {
		switch (sig) {
		case SIGCHLD:
			db_printf(d->out, ", si_pid=%d, si_uid=%u, si_status=", si->si_pid,
			          si->si_uid);
			if (code == CLD_EXITED)
				db_printf(d->out, "%d", si->si_status);
			else
				p_signal(d, si->si_status);
			db_printf(d->out, ", si_utime=%lld, si_stime=%lld", (long long)si->si_utime,
			          (long long)si->si_stime);
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
			db_puts(d->out, ", si_call_addr=");
			p_ptr(d, (uint64_t)(uintptr_t)si->si_call_addr);
			db_printf(d->out, ", si_syscall=__NR_%s, si_arch=%s",
			          syscall_name(PTK_ARCH_X86_64, si->si_syscall, nb, sizeof nb),
			          si->si_arch == 0xc000003eu ? "AUDIT_ARCH_X86_64"
			                                     : "AUDIT_ARCH_I386");
			break;
		}
		default:
			break;
		}
	} else if (code == SI_KERNEL && (sig == SIGSEGV || sig == SIGBUS)) {
		db_puts(d->out, ", si_addr=");
		p_ptr(d, (uint64_t)(uintptr_t)si->si_addr);
	}
	db_putc(d->out, '}');
}

const struct decoder dec_signal_syscalls[] = {
        {NULL, NULL},
};

const struct struct_decoder dec_signal_structs[] = {
        {NULL, NULL, 0},
};
