/* SPDX-License-Identifier: MIT */
/*
 * Tampering (-e inject=, -e fault=): at the enter stop of a syscall of an
 * inject set whose invocation number (counted per tracee and per syscall,
 * from 1) falls in when=FIRST..LAST+STEP, the syscall is skipped
 * (ptk_syscall_set_nr(-1)) with the return value set, or replaced by a
 * %pure syscall whose result is overwritten at the exit stop; a signal is
 * sent to the thread (delivered when the syscall returns); and the tracee
 * can be held back before or after the syscall while the others run.
 */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct delay {
	pid_t tid;
	int64_t until;
	int mode;
	struct delay *next;
};

static const struct inject_spec *spec_for(const struct trace *t, const struct tcb *c)
{
	if (!t->o.ninj || c->nr < 0 || c->nr >= SC_BITS)
		return NULL;
	int i = t->o.inj_of[abi_of_arch(c->arch)][c->nr];
	return i ? &t->o.inj[i - 1] : NULL;
}

/* The invocation number of c's current syscall (1 for the first). */
static uint32_t invocation(struct trace *t, struct tcb *c)
{
	if (!t->inj_slot) {
		t->inj_slot = calloc(ABI_N * SC_BITS, sizeof *t->inj_slot);
		if (!t->inj_slot)
			return 1;
		for (int a = 0; a < ABI_N; a++)
			for (long nr = 0; nr < SC_BITS; nr++)
				if (sc_set_has(&t->o.inj_set, a, nr))
					t->inj_slot[a * SC_BITS + nr] = (uint16_t)++t->ninj_slots;
	}
	unsigned slot = t->inj_slot[abi_of_arch(c->arch) * SC_BITS + c->nr];
	if (!slot)
		return 1;
	if (!c->inj_count) {
		c->inj_count = calloc(t->ninj_slots + 1, sizeof *c->inj_count);
		if (!c->inj_count)
			return 1;
	}
	if (c->inj_count[slot] < UINT32_MAX)
		c->inj_count[slot]++;
	return c->inj_count[slot];
}

static bool fires(const struct inject_spec *sp, uint32_t n)
{
	return n >= sp->first && n <= sp->last && (n - sp->first) % sp->step == 0;
}

/*
 * At a syscall's enter (or seccomp) stop.  Sets c->tamper, c->inj_ret (a
 * return value to set at the exit stop) and c->delay_ns (how long to hold
 * the tracee before resuming it).
 */
void inject_enter(struct trace *t, struct tcb *c)
{
	c->tamper = 0;
	c->inj_ret_pending = false;
	c->delay_ns = 0;
	c->delay_exit_ns = 0;
	const struct inject_spec *sp = spec_for(t, c);
	if (!sp || !fires(sp, invocation(t, c)))
		return;
	if (sp->what & (INJ_ERROR | INJ_RETVAL)) {
		int64_t rv = (sp->what & INJ_ERROR) ? -(int64_t)sp->error : sp->retval;
		if (sp->what & INJ_SYSCALL) {
			/* Run the harmless syscall instead; its result is replaced at exit. */
			if (ptk_syscall_set_nr(t->s, c->tid, sp->syscall) == 0) {
				c->inj_ret_pending = true;
				c->inj_ret = rv;
				c->tamper |= TAMPER_INJECTED;
			}
		} else if (ptk_syscall_set_nr(t->s, c->tid, -1) == 0 &&
		           ptk_syscall_set_return(t->s, c->tid, rv) == 0) {
			c->tamper |= TAMPER_INJECTED;
		}
	}
	if (sp->what & INJ_SIGNAL)
		ptk_thread_signal(t->s, c->tid, sp->signo);
	if (sp->what & INJ_DELAY_ENTER) {
		c->delay_ns = (int64_t)sp->delay_enter_ns;
		c->tamper |= TAMPER_DELAYED;
	}
	if (sp->what & INJ_DELAY_EXIT) {
		c->delay_exit_ns = (int64_t)sp->delay_exit_ns;
		c->tamper |= TAMPER_DELAYED;
	}
}

/* Does c's current syscall need its exit stop for tampering? */
bool inject_needs_exit(const struct tcb *c)
{
	return c->inj_ret_pending || c->delay_exit_ns;
}

/* At the exit stop: the replaced syscall's return value, the exit delay. */
void inject_exit(struct trace *t, struct tcb *c, struct ptk_syscall *sc)
{
	if (c->inj_ret_pending) {
		if (ptk_syscall_set_return(t->s, c->tid, c->inj_ret) == 0) {
			sc->rval = c->inj_ret;
			sc->is_error = c->inj_ret < 0 && c->inj_ret >= -4095;
		}
		c->inj_ret_pending = false;
	}
	c->delay_ns = c->delay_exit_ns;
	c->delay_exit_ns = 0;
}

/* ---- tracees held back ---- */

void delay_add(struct trace *t, pid_t tid, int64_t until_ns, int mode)
{
	struct delay *d = malloc(sizeof *d);
	if (!d) {
		ptk_resume(t->s, tid, mode, 0);
		return;
	}
	d->tid = tid;
	d->until = until_ns;
	d->mode = mode;
	struct delay **pp = &t->delays;
	while (*pp && (*pp)->until <= until_ns)
		pp = &(*pp)->next;
	d->next = *pp;
	*pp = d;
}

int64_t delay_run(struct trace *t, int64_t now)
{
	while (t->delays && t->delays->until <= now) {
		struct delay *d = t->delays;
		t->delays = d->next;
		ptk_resume(t->s, d->tid, d->mode, 0);
		free(d);
	}
	return t->delays ? t->delays->until : 0;
}

void delay_forget(struct trace *t, pid_t tid)
{
	for (struct delay **pp = &t->delays; *pp;) {
		if ((*pp)->tid == tid) {
			struct delay *d = *pp;
			*pp = d->next;
			free(d);
		} else {
			pp = &(*pp)->next;
		}
	}
}

void delay_free(struct trace *t)
{
	while (t->delays) {
		struct delay *d = t->delays;
		t->delays = d->next;
		free(d);
	}
	free(t->inj_slot);
	t->inj_slot = NULL;
}
