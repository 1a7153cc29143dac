/* SPDX-License-Identifier: MIT */
/*
 * --stops: the ptrace conversation itself, for people learning ptrace.
 * Every wait result libptk collects is printed with its status decoded in
 * the macros of wait(2) and ptrace(2), every ptrace request with its
 * arguments and result, and every event libptk makes of them in the words
 * of ptrace(2) ("syscall-enter-stop", "group-stop", "PTRACE_EVENT_FORK
 * stop").  The lines start with "| " and go to the trace output, between
 * the syscall lines they lead to (which are then printed whole, at exit).
 */
#include "trace.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

static const char *const event_names[] = {
        [1] = "PTRACE_EVENT_FORK",    [2] = "PTRACE_EVENT_VFORK",      [3] = "PTRACE_EVENT_CLONE",
        [4] = "PTRACE_EVENT_EXEC",    [5] = "PTRACE_EVENT_VFORK_DONE", [6] = "PTRACE_EVENT_EXIT",
        [7] = "PTRACE_EVENT_SECCOMP",
};

static void put(struct trace *t, struct dbuf *b)
{
	db_putc(b, '\n');
	out_raw_line(t, t->out, b->s, b->len);
	db_free(b);
}

/* A wait status as strace decodes wait4's: [{WIFSTOPPED(s) && ...}]. */
static void status_text(struct dbuf *b, int st)
{
	char sb[32];
	if (WIFEXITED(st)) {
		db_printf(b, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		db_printf(b, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}]",
		          sig_name(WTERMSIG(st), sb, sizeof sb),
		          WCOREDUMP(st) ? " && WCOREDUMP(s)" : "");
	} else if (WIFSTOPPED(st)) {
		int sig = WSTOPSIG(st), ev = (unsigned)st >> 16;
		if (sig == (SIGTRAP | 0x80))
			db_puts(b, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP|0x80");
		else
			db_printf(b, "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s",
			          sig_name(sig, sb, sizeof sb));
		if (ev == 0x80)
			db_puts(b, " && s >> 16 == PTRACE_EVENT_STOP");
		else if (ev > 0 && ev < (int)(sizeof event_names / sizeof *event_names) &&
		         event_names[ev])
			db_printf(b, " && s >> 16 == %s", event_names[ev]);
		else if (ev)
			db_printf(b, " && s >> 16 == %d", ev);
		db_puts(b, "}]");
	} else {
		db_printf(b, "[%#x]", (unsigned)st);
	}
}

static void observe(void *arg, const struct ptk_obs *o)
{
	struct trace *t = arg;
	struct dbuf b = {0};
	if (o->kind == PTK_OBS_WAIT) {
		db_puts(&b, "| wait4(-1, ");
		status_text(&b, o->status);
		db_printf(&b, ", __WALL, NULL) = %d", o->pid);
	} else {
		const char *rn = ptk_request_name(o->request);
		if (rn)
			db_printf(&b, "| ptrace(%s, %d, ", rn, o->pid);
		else
			db_printf(&b, "| ptrace(%ld, %d, ", o->request, o->pid);
		db_printf(&b, o->addr ? "%#lx, " : "%lu, ", o->addr);
		db_printf(&b, o->data > 0xffff ? "%#lx)" : "%lu)", o->data);
		if (o->result < 0 && o->result >= -4095) {
			const char *en = ptk_errno_name((int)-o->result);
			db_printf(&b, " = -1 %s (%s)", en ? en : "?", strerror((int)-o->result));
		} else {
			db_printf(&b, " = %ld", o->result);
		}
	}
	put(t, &b);
}

void stops_install(struct trace *t)
{
	ptk_set_observer(t->s, observe, t);
}

/* What libptk made of a stop, in ptrace(2)'s words. */
void stops_event(struct trace *t, const struct ptk_event *ev)
{
	struct dbuf b = {0};
	char nb[32], sb[32];
	db_printf(&b, "| %d: %s", ev->tid, ptk_event_name(ev->kind));
	switch (ev->kind) {
	case PTK_EV_SYSCALL_ENTER:
	case PTK_EV_SECCOMP:
		db_printf(&b, " (%s)", syscall_name(ev->sc.arch, ev->sc.nr, nb, sizeof nb));
		if (ev->kind == PTK_EV_SECCOMP)
			db_puts(&b,
			        ev->own_seccomp ? ", ptk's filter" : ", the tracee's own filter");
		break;
	case PTK_EV_SYSCALL_EXIT:
		db_printf(&b, " (return %lld)", (long long)ev->sc.rval);
		break;
	case PTK_EV_SIGNAL:
	case PTK_EV_GROUP_STOP:
	case PTK_EV_KILLED:
		db_printf(&b, " (%s)", sig_name(ev->sig, sb, sizeof sb));
		break;
	case PTK_EV_FORK:
	case PTK_EV_VFORK:
	case PTK_EV_CLONE:
	case PTK_EV_VFORK_DONE:
		db_printf(&b, " (child %d)", ev->new_tid);
		break;
	case PTK_EV_EXEC:
		if (ev->former_tid != ev->tid)
			db_printf(&b, " (by thread %d)", ev->former_tid);
		break;
	case PTK_EV_EXITED:
		db_printf(&b, " (status %d)", ev->exit_code);
		break;
	case PTK_EV_STOP:
		if (ev->new_tracee)
			db_puts(&b, " (new tracee)");
		else if (ev->attach_stop)
			db_puts(&b, " (attach)");
		break;
	default:
		break;
	}
	put(t, &b);
}
