/* SPDX-License-Identifier: MIT */
/*
 * Commands that start, continue, signal, kill or let go of the inferior,
 * and the thread commands.
 */
#include "dbg.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool need_live(struct dbg *d)
{
	if (inf_live(d))
		return true;
	derr(d, "The program is not being run.");
	return false;
}

int cmd_count(struct dbg *d, const struct dbg_cmd *c, long *ret)
{
	struct dbg_value *v;
	int64_t x;

	*ret = 1;
	if (c->has_count) {
		*ret = c->count;
		return 0;
	}
	if (!c->expr)
		return 0;
	if (dbg_eval_string(d->ctx, c->expr, &v) < 0 || dbg_value_as_int(d->ctx, v, &x) < 0) {
		derr(d, "%s", dbg_ctx_error(d->ctx));
		dbg_ctx_reset_tmp(d->ctx);
		return -1;
	}
	dbg_ctx_reset_tmp(d->ctx);
	*ret = (long)x;
	return 0;
}

/* Split run's arguments as a shell would split plain words and quotes. */
int set_run_args(struct dbg *d, const char *text)
{
	char **v = NULL, *w;
	size_t n = 0, cap = 0;
	const char *p = text;

	while (*p) {
		size_t len = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w = malloc(strlen(p) + 1);
		if (!w)
			goto oom;
		while (*p && !isspace((unsigned char)*p)) {
			if (*p == '\'' || *p == '"') {
				char q = *p++;

				while (*p && *p != q) {
					if (q == '"' && *p == '\\' && p[1])
						p++;
					w[len++] = *p++;
				}
				if (*p)
					p++;
			} else if (*p == '\\' && p[1]) {
				w[len++] = p[1];
				p += 2;
			} else {
				w[len++] = *p++;
			}
		}
		w[len] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			char **nv = realloc(v, cap * sizeof(*nv));

			if (!nv) {
				free(w);
				goto oom;
			}
			v = nv;
		}
		v[n++] = w;
	}
	for (size_t i = 0; i < d->nargs; i++)
		free(d->args[i]);
	free(d->args);
	d->args = v;
	d->nargs = n;
	return 0;
oom:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return derr(d, "out of memory");
}

static int resume_and_report(struct dbg *d, int deliver)
{
	struct run_req rq = {.mode = PTK_RESUME_CONT, .deliver = deliver};
	struct stop st;
	int r = inf_run(d, &rq, &st);

	if (r < 0 && st.kind != STOP_ERROR)
		return derr(d, "Cannot resume the program: %s", strerror(-r));
	stop_report(d, &st);
	return 0;
}

int cmd_file(struct dbg *d, const struct dbg_cmd *c)
{
	const char *f = c->expr;
	char *path = NULL, *prog = NULL;

	if (inf_live(d) && !dbg_confirm(d, "A program is being debugged already.\n"
	                                   "Are you sure you want to change the file? (y or n) "))
		return derr(d, "File not changed.");
	if (f && access(f, F_OK) < 0 && strchr(f, '/')) {
		int e = errno;

		/* gdb lets go of the old program before it opens the new one */
		inf_discard(d, false);
		free(d->prog);
		free(d->prog_path);
		d->prog = d->prog_path = NULL;
		return derr(d, "%s: %s.", f, strerror(e));
	}
	if (f) {
		prog = strdup(f);
		/* a bare name that is not here is looked for in $PATH when it runs */
		path = access(f, F_OK) == 0 ? realpath(f, NULL) : NULL;
		if (!prog)
			return derr(d, "out of memory");
	}
	inf_discard(d, false);
	free(d->prog);
	free(d->prog_path);
	d->prog = prog;
	d->prog_path = path;
	d->ran_once = false;
	d->loader_known = false;
	/* gdb says this only to a terminal (not to -ex commands of -batch) */
	if (f && d->from_tty)
		dout(d, "Reading symbols from %s...\n", f);
	else if (!f && d->from_tty)
		dout(d, "No executable file now.\nNo symbol file now.\n");
	return 0;
}

int cmd_run(struct dbg *d, const struct dbg_cmd *c)
{
	struct dbg_buf line = {0};

	if (inf_live(d)) {
		if (!dbg_confirm(d, "The program being debugged has been started already.\n"
		                    "Start it from the beginning? (y or n) "))
			return derr(d, "Program not restarted.");
		inf_discard(d, false);
	}
	if (c->expr) {
		if (set_run_args(d, c->expr) < 0)
			return -1;
		/* A loaded process has the old arguments. */
		inf_discard(d, false);
	}
	if (c->kind == DBG_CMD_START) {
		struct dbg_cmd tb;
		char e[256];
		int r;

		if (dbg_cmd_parse("tbreak main", &tb, e, sizeof(e)) < 0)
			return derr(d, "%s", e);
		r = cmd_break(d, &tb);
		dbg_cmd_free(&tb);
		if (r < 0)
			return -1;
	}
	if (d->inf.state == INF_NONE && inf_spawn(d, true) < 0)
		return -1;
	d->inf.state = INF_LIVE;
	d->ran_once = true;
	if (d->from_tty) {
		dbg_buf_printf(&line, "Starting program: %s",
		               d->prog_path ? d->prog_path : d->prog);
		for (size_t i = 0; i < d->nargs; i++)
			dbg_buf_printf(&line, " %s", d->args[i]);
		dout(d, "%s%s\n", dbg_buf_str(&line), d->nargs ? "" : " ");
		dbg_buf_free(&line);
	}
	if (c->kind == DBG_CMD_STARTI) {
		struct stop st = {.kind = STOP_STARTI, .tid = d->inf.pid};

		stop_report(d, &st);
		return 0;
	}
	return resume_and_report(d, -1);
}

int cmd_continue(struct dbg *d, const struct dbg_cmd *c)
{
	struct dthread *t;
	long n;

	if (!need_live(d))
		return -1;
	if (cmd_count(d, c, &n) < 0)
		return -1;
	t = thr_cur(d);
	if ((c->has_count || c->expr) && t && t->last.kind == PTK_EV_BREAKPOINT) {
		struct ptk_regs r;

		/* continue N: ignore the breakpoint we stopped at N-1 more times. */
		if (cur_regs(d, &r) == 0)
			for (struct bpt *b = d->bps; b; b = b->next)
				for (size_t i = 0; i < b->nlocs; i++)
					if (b->type == BP_BREAK && b->locs[i].addr == r.rip) {
						b->ignore = n - 1;
						/* gdb says it only to a terminal */
						if (d->from_tty)
							dout(d,
							     "Will ignore next %ld crossings of "
							     "breakpoint "
							     "%d.  "
							     "Continuing.\n",
							     n - 1, b->num);
						goto go;
					}
	}
	if (d->from_tty)
		dout(d, "Continuing.\n");
go:
	d->sel_frame = 0;
	return resume_and_report(d, -1);
}

int cmd_kill(struct dbg *d, const struct dbg_cmd *c)
{
	pid_t pid = d->inf.pid;

	(void)c;
	if (!inf_live(d))
		return derr(d, "The program is not being run.");
	if (d->batch && d->confirm)
		/* unlike run's or delete's, gdb asks this one under -batch too */
		dout(d, "Kill the program being debugged? (y or n) [answered Y; input not from "
		        "terminal]\n");
	else if (!dbg_confirm(d, "Kill the program being debugged? (y or n) "))
		return derr(d, "Not confirmed.");
	inf_discard(d, false);
	dout(d, "[Inferior 1 (process %d) killed]\n", (int)pid);
	return 0;
}

int cmd_detach(struct dbg *d, const struct dbg_cmd *c)
{
	pid_t pid = d->inf.pid;

	(void)c;
	if (!inf_live(d))
		return derr(d, "The program is not being run.");
	if (d->from_tty)
		dout(d, "Detaching from program: %s, process %d\n",
		     d->prog_path ? d->prog_path : "", (int)pid);
	inf_discard(d, true);
	dout(d, "[Inferior 1 (process %d) detached]\n", (int)pid);
	return 0;
}

int cmd_signal(struct dbg *d, const struct dbg_cmd *c)
{
	struct dthread *t;
	int sig;

	if (!need_live(d))
		return -1;
	sig = dsig_parse(c->expr);
	if (!sig && strcmp(c->expr, "0") != 0)
		return derr(d, "Only signals 1-15 are valid as numeric signals.\n"
		               "Use \"info signals\" for a list of symbolic signals.");
	t = thr_cur(d);
	if (!t)
		return -1;
	if (d->from_tty) {
		if (sig)
			dout(d, "Continuing with signal %s.\n", dsig_name(sig));
		else
			dout(d, "Continuing with no signal.\n");
	}
	if (!sig)
		return resume_and_report(d, 0);
	if (t->last.kind == PTK_EV_SIGNAL || t->last.kind == PTK_EV_BREAKPOINT ||
	    t->last.kind == PTK_EV_STEP)
		return resume_and_report(d, sig);
	/*
	 * Not at a signal-delivery-stop, where the kernel would drop it
	 * (ptrace(2)): send it, and let it through when it reports.
	 */
	if (ptk_thread_signal(d->s, t->tid, sig) < 0)
		return derr(d, "Cannot send %s to thread %d.", dsig_name(sig), (int)t->tid);
	t->deliver_unseen = sig;
	return resume_and_report(d, -1);
}

int cmd_thread(struct dbg *d, const struct dbg_cmd *c)
{
	struct dthread *t;
	char id[96];

	if (!inf_live(d))
		return derr(d, "No thread selected.");
	if (!c->has_count) {
		t = thr_cur(d);
		if (!t)
			return derr(d, "No thread selected.");
		thr_target_id(d, t, id, sizeof(id));
		dout(d, "[Current thread is %d (%s)]\n", t->num, id);
		return 0;
	}
	t = thr_by_num(d, (int)c->count);
	if (!t)
		return derr(d, "Invalid thread ID: %ld", c->count);
	d->inf.cur_tid = t->tid;
	inf_invalidate(d);
	thr_target_id(d, t, id, sizeof(id));
	dout(d, "[Switching to thread %d (%s)]\n", t->num, id);
	{
		struct frame *f;

		if (frames_get_few(d, 1, &f) > 0)
			frame_print(d, 0, 0, true, 0);
	}
	return 0;
}

int cmd_info_threads(struct dbg *d, const struct dbg_cmd *c)
{
	pid_t saved = d->inf.cur_tid;
	struct dbg_buf *ids, fr = {0};
	size_t n = d->inf.nthreads;
	int w = 9;

	(void)c;
	if (!inf_live(d) || !n) {
		dout(d, "No threads.\n");
		return 0;
	}
	ids = calloc(n, sizeof(*ids));
	if (!ids)
		return derr(d, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct dthread *t = &d->inf.threads[i];
		char id[96], name[32];

		thr_target_id(d, t, id, sizeof(id));
		thr_name(d, t->tid, name, sizeof(name));
		dbg_buf_printf(&ids[i], "%s \"%s\"", id, name);
		if ((int)ids[i].len > w)
			w = (int)ids[i].len;
	}
	dout(d, "  Id   %-*s Frame \n", w, "Target Id");
	for (size_t i = 0; i < n; i++) {
		struct dthread *t = &d->inf.threads[i];
		struct frame *f;

		d->inf.cur_tid = t->tid;
		inf_invalidate(d);
		dbg_buf_reset(&fr);
		if (frames_get_few(d, 1, &f) > 0)
			frame_line(d, 0, -1, 0, &fr);
		dout(d, "%c %-4d %-*s %s\n", t->tid == saved ? '*' : ' ', t->num, w,
		     dbg_buf_str(&ids[i]), dbg_buf_str(&fr));
		dbg_buf_free(&ids[i]);
	}
	dbg_buf_free(&fr);
	free(ids);
	d->inf.cur_tid = saved;
	inf_invalidate(d);
	dbg_ctx_reset_tmp(d->ctx);
	return 0;
}
