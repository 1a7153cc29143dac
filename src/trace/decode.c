/* SPDX-License-Identifier: MIT */
/*
 * Syscall and signal lines.  This first version prints every argument raw
 * (strace's fallback for syscalls it does not decode: hex, 0 as "0");
 * per-syscall decoding from data/'s argument types comes next.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#define RET_COLUMN 40

const char *sig_name(int sig, char *buf, size_t len)
{
	const char *n = ptk_signal_name(sig);
	if (n)
		return n;
	snprintf(buf, len, "%d", sig);
	return buf;
}

static const char *sc_name(const struct tcb *c, char *buf, size_t len)
{
	const struct ptk_sysent *e = ptk_sysent_get(c->arch, c->nr);
	if (e && e->name)
		return e->name;
	snprintf(buf, len, "syscall_%#lx", (unsigned long)c->nr);
	return buf;
}

static int sc_nargs(const struct tcb *c)
{
	const struct ptk_sysent *e = ptk_sysent_get(c->arch, c->nr);
	return e && e->name ? e->nargs : 6;
}

static void print_raw_args(struct trace *t, struct tcb *c)
{
	int n = sc_nargs(c);
	for (int i = 0; i < n; i++) {
		uint64_t a = c->args[i];
		if (c->arch == PTK_ARCH_I386)
			a &= 0xffffffffu;
		out_printf(t, c, a ? "%s%#llx" : "%s0", i ? ", " : "", (unsigned long long)a);
	}
}

void decode_enter(struct trace *t, struct tcb *c)
{
	char nb[32];
	out_begin(t, c);
	out_printf(t, c, "%s(", sc_name(c, nb, sizeof nb));
	print_raw_args(t, c);
}

static void pad_to_column(struct trace *t, struct tcb *c)
{
	if (c->col < RET_COLUMN)
		out_printf(t, c, "%*s", RET_COLUMN - c->col, "");
}

void decode_exit(struct trace *t, struct tcb *c, const struct ptk_syscall *sc)
{
	char nb[32];
	if (!c->in_syscall && sc->op == PTK_SC_EXIT) {
		/* The first stop after attach can be an exit: print it resumed. */
		struct ptk_regs r;
		if (ptk_regs_get(t->s, c->tid, &r) == 0)
			c->nr = (long)r.orig_rax;
		c->arch = PTK_ARCH_X86_64;
	}
	if (t->line_owner != c) {
		out_begin(t, c);
		out_printf(t, c, "<... %s resumed>", sc_name(c, nb, sizeof nb));
	}
	out_printf(t, c, ") ");
	pad_to_column(t, c);
	if (sc->op != PTK_SC_EXIT) {
		out_printf(t, c, "= ?");
	} else if (sc->is_error) {
		int e = (int)-sc->rval;
		const char *name = ptk_errno_name(e), *msg = ptk_errno_message(e);
		if (name)
			out_printf(t, c, "= -1 %s (%s)", name, msg ? msg : "Unknown error");
		else
			out_printf(t, c, "= -1 E??? (errno %d)", e);
	} else {
		const struct ptk_sysent *e = ptk_sysent_get(c->arch, c->nr);
		if (e && (e->flags & PTK_SYF_HEXRET))
			out_printf(t, c, "= %#llx", (unsigned long long)sc->rval);
		else
			out_printf(t, c, "= %lld", (long long)sc->rval);
	}
	out_end_line(t, c);
	c->in_syscall = false;
}

void decode_signal(struct trace *t, struct tcb *c, const siginfo_t *si)
{
	char b[32];
	out_begin(t, c);
	out_printf(t, c, "--- %s {si_signo=%s, si_code=%d} ---",
	           sig_name(si->si_signo, b, sizeof b), sig_name(si->si_signo, b, sizeof b),
	           si->si_code);
	out_end_line(t, c);
}
