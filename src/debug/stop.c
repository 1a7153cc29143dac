/* SPDX-License-Identifier: MIT */
/*
 * Reporting a stop in gdb's words: "Breakpoint 1, main () at t.c:5" and
 * the source line, "Program received signal SIGSEGV, Segmentation fault.",
 * "[Inferior 1 (process N) exited with code 03]", the thread that stopped
 * ("Thread 2 "prog" hit ...") once the program has had several threads,
 * and the displays after every stop.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "Thread 2 "name" hit " when the program has had threads, else "". */
static void thread_prefix(struct dbg *d, pid_t tid, const char *verb, struct dbg_buf *b)
{
	struct dthread *t = thr_find(d, tid);
	char name[32];

	if (!d->inf.had_threads || !t)
		return;
	thr_name(d, tid, name, sizeof(name));
	dbg_buf_printf(b, "Thread %d \"%s\" %s ", t->num, name, verb);
}

static void switching(struct dbg *d, pid_t tid)
{
	struct dthread *t = thr_find(d, tid);
	char id[96];

	if (t && d->inf.had_threads && tid != d->inf.prev_tid) {
		thr_target_id(d, t, id, sizeof(id));
		dout(d, "[Switching to %s]\n", id);
	}
	d->inf.prev_tid = tid;
}

/* Frame 0 with its source line; at a step, only the source line if wanted. */
static void print_location(struct dbg *d, bool src_line_only)
{
	struct frame *f;
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_line l;
	int n = frames_get_few(d, 1, &f);

	if (n <= 0) {
		struct ptk_regs r;

		if (cur_regs(d, &r) == 0)
			dout(d, "0x%016llx in ?? ()\n", (unsigned long long)r.rip);
		return;
	}
	if (src_line_only && f[0].has_loc && f[0].loc.file && f[0].loc.line > 0 && st &&
	    ptk_line_at(st, f[0].pf.pc, &l) == 0) {
		src_print_line(d, f[0].loc.file, f[0].loc.line, f[0].pf.lookup_pc,
		               l.addr != f[0].pf.pc || !l.is_stmt, f[0].pf.pc);
		return;
	}
	frame_print(d, 0, -1, true, 0);
}

static const char *catch_desc(struct dbg *d, const struct stop *st, char *buf, size_t len)
{
	switch (st->ev) {
	case PTK_EV_FORK:
		snprintf(buf, len, "forked process %d", (int)st->child);
		break;
	case PTK_EV_VFORK:
		snprintf(buf, len, "vforked process %d", (int)st->child);
		break;
	case PTK_EV_EXEC:
		snprintf(buf, len, "exec'd %s", d->prog_path ? d->prog_path : "");
		break;
	case PTK_EV_SYSCALL_ENTER:
	case PTK_EV_SYSCALL_EXIT: {
		const struct ptk_sysent *e = ptk_sysent_get(PTK_ARCH_X86_64, st->sysno);
		const char *name = e ? e->name : NULL;

		if (name)
			snprintf(buf, len, "%s syscall %s",
			         st->sc_return ? "returned from" : "call to", name);
		else
			snprintf(buf, len, "%s syscall %ld",
			         st->sc_return ? "returned from" : "call to", st->sysno);
		break;
	}
	default:
		snprintf(buf, len, "signal %s", dsig_name(st->sig));
		break;
	}
	return buf;
}

static void watch_report(struct dbg *d, const struct stop *st)
{
	struct bpt *b = bp_find(d, st->bpnum);
	struct dbg_buf ob = {0}, nb = {0};
	const char *kind;

	if (!b)
		return;
	kind = watch_kind_name(b);
	watch_values(d, b, st, &ob, &nb);
	dout(d, "\n%s %d: %s\n\n", kind, b->num, b->expr);
	if (st->watch.access == PTK_WATCH_READ && b->type != BP_WATCH)
		dout(d, "Value = %s\n", dbg_buf_str(&nb));
	else
		dout(d, "Old value = %s\nNew value = %s\n", dbg_buf_str(&ob), dbg_buf_str(&nb));
	dbg_buf_free(&ob);
	dbg_buf_free(&nb);
}

void stop_report(struct dbg *d, const struct stop *st)
{
	struct dbg_buf b = {0};
	char desc[256];
	struct bpt *bp;

	switch (st->kind) {
	case STOP_EXITED:
		if (st->code)
			dout(d, "[Inferior 1 (process %d) exited with code %02o]\n",
			     (int)d->inf.pid, st->code);
		else
			dout(d, "[Inferior 1 (process %d) exited normally]\n", (int)d->inf.pid);
		d->last_exit_code = st->code;
		d->has_exit_code = true;
		inf_gone(d);
		return;
	case STOP_KILLED:
		dout(d, "\nProgram terminated with signal %s, %s.\nThe program no longer exists.\n",
		     dsig_name(st->sig), dsig_desc(st->sig));
		inf_gone(d);
		return;
	case STOP_DETACHED:
	case STOP_NONE:
	case STOP_ERROR:
		return;
	default:
		break;
	}
	d->inf.cur_tid = st->tid;
	switching(d, st->tid);
	switch (st->kind) {
	case STOP_BREAKPOINT:
		bp = bp_find(d, st->bpnum);
		dbg_buf_putc(&b, '\n');
		thread_prefix(d, st->tid, "hit", &b);
		dbg_buf_printf(&b, "%s %d", st->temp ? "Temporary breakpoint" : "Breakpoint",
		               st->bpnum);
		/* gdb names the location of a breakpoint that has several: "1.2" */
		if (bp && bp->nlocs > 1) {
			struct ptk_regs r;

			if (cur_regs(d, &r) == 0)
				for (size_t i = 0; i < bp->nlocs; i++)
					if (bp->locs[i].addr == r.rip) {
						dbg_buf_printf(&b, ".%zu", i + 1);
						break;
					}
		}
		dbg_buf_puts(&b, ", ");
		dout(d, "%s", dbg_buf_str(&b));
		print_location(d, false);
		break;
	case STOP_CATCH:
		dbg_buf_putc(&b, '\n');
		thread_prefix(d, st->tid, "hit", &b);
		dbg_buf_printf(&b, "Catchpoint %d (%s), ", st->bpnum,
		               catch_desc(d, st, desc, sizeof(desc)));
		dout(d, "%s", dbg_buf_str(&b));
		print_location(d, false);
		break;
	case STOP_SIGNAL:
	case STOP_INTERRUPTED:
		dbg_buf_putc(&b, '\n');
		if (d->inf.had_threads)
			thread_prefix(d, st->tid, "received", &b);
		else
			dbg_buf_puts(&b, "Program received ");
		dbg_buf_printf(&b, "signal %s, %s.\n",
		               dsig_name(st->kind == STOP_INTERRUPTED ? SIGINT : st->sig),
		               dsig_desc(st->kind == STOP_INTERRUPTED ? SIGINT : st->sig));
		dout(d, "%s", dbg_buf_str(&b));
		print_location(d, false);
		break;
	case STOP_WATCH:
		watch_report(d, st);
		print_location(d, false);
		break;
	case STOP_STARTI:
		dout(d, "\nProgram stopped.\n");
		print_location(d, false);
		break;
	case STOP_STEP:
		print_location(d, !st->print_frame);
		break;
	case STOP_LOCATION:
	case STOP_FINISH:
		print_location(d, false);
		break;
	default:
		break;
	}
	dbg_buf_free(&b);
	display_all(d);
	if (st->kind == STOP_BREAKPOINT)
		bp_after_stop(d, st->bpnum);
}
