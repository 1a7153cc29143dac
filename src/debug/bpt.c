/* SPDX-License-Identifier: MIT */
/*
 * Breakpoints, watchpoints and catchpoints: the numbered objects of gdb's
 * breakpoint table, their locations in the process (ptk breakpoints,
 * shared by address with the debugger's own internal ones through a
 * reference count), and what a hit means: conditions and ignore counts are
 * evaluated here, in the event loop, so a false condition costs no trip
 * to the prompt.  The commands that make and list them are in bpt_cmds.c.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct bpt *bp_find(struct dbg *d, int num)
{
	for (struct bpt *b = d->bps; b; b = b->next)
		if (b->num == num)
			return b;
	return NULL;
}

/* ---- ptk breakpoints by address ---- */

static struct bpaddr *ba_find(struct dbg *d, uint64_t addr)
{
	for (size_t i = 0; i < d->nbpaddrs; i++)
		if (d->bpaddrs[i].addr == addr)
			return &d->bpaddrs[i];
	return NULL;
}

int bpaddr_ref(struct dbg *d, uint64_t addr)
{
	struct bpaddr *b = ba_find(d, addr);
	int id, r;

	if (b) {
		b->refs++;
		return 0;
	}
	if (d->inf.state == INF_NONE)
		return -ESRCH;
	if (d->inf.bps_lifted)
		id = -1; /* inserted at vfork-done */
	else if ((r = ptk_bp_insert(d->s, d->inf.pid, addr, &id)) < 0)
		return r;
	if (d->nbpaddrs == d->capbpaddrs) {
		size_t cap = d->capbpaddrs ? d->capbpaddrs * 2 : 16;
		struct bpaddr *n = realloc(d->bpaddrs, cap * sizeof(*n));

		if (!n) {
			if (id >= 0)
				ptk_bp_remove(d->s, d->inf.pid, id);
			return -ENOMEM;
		}
		d->bpaddrs = n;
		d->capbpaddrs = cap;
	}
	d->bpaddrs[d->nbpaddrs++] = (struct bpaddr){addr, id, 1};
	return 0;
}

void bpaddr_unref(struct dbg *d, uint64_t addr)
{
	struct bpaddr *b = ba_find(d, addr);

	if (!b || --b->refs > 0)
		return;
	if (d->inf.state != INF_NONE && b->id >= 0)
		ptk_bp_remove(d->s, d->inf.pid, b->id);
	*b = d->bpaddrs[--d->nbpaddrs];
}

void bp_vfork_lift(struct dbg *d)
{
	if (d->inf.bps_lifted || d->inf.state == INF_NONE)
		return;
	for (size_t i = 0; i < d->nbpaddrs; i++) {
		if (d->bpaddrs[i].id >= 0)
			ptk_bp_remove(d->s, d->inf.pid, d->bpaddrs[i].id);
		d->bpaddrs[i].id = -1;
	}
	d->inf.bps_lifted = true;
}

void bp_vfork_restore(struct dbg *d)
{
	if (!d->inf.bps_lifted)
		return;
	d->inf.bps_lifted = false;
	if (d->inf.state == INF_NONE)
		return;
	for (size_t i = 0; i < d->nbpaddrs; i++) {
		int id;

		if (d->bpaddrs[i].id < 0 &&
		    ptk_bp_insert(d->s, d->inf.pid, d->bpaddrs[i].addr, &id) == 0)
			d->bpaddrs[i].id = id;
	}
}

bool bpaddr_known(struct dbg *d, uint64_t addr)
{
	return ba_find(d, addr) != NULL;
}

/* Is there an enabled user breakpoint location at addr? */
bool bpaddr_user(struct dbg *d, uint64_t addr)
{
	for (struct bpt *b = d->bps; b; b = b->next) {
		if (b->type != BP_BREAK || !b->enabled)
			continue;
		for (size_t i = 0; i < b->nlocs; i++)
			if (b->locs[i].addr == addr && b->locs[i].enabled)
				return true;
	}
	return false;
}

/* Is spec a function ("f", "t.c:f") rather than a line or an address? */
static bool func_spec(const char *spec)
{
	const char *c = strrchr(spec, ':');
	const char *last = c ? c + 1 : spec;

	return *spec != '*' && *last && strspn(last, "0123456789") != strlen(last);
}

bool bp_user_func_at(struct dbg *d, uint64_t addr, const char *func)
{
	for (struct bpt *b = d->bps; b; b = b->next) {
		if (b->type != BP_BREAK || !b->enabled)
			continue;
		/* gdb: a breakpoint on a line or an address is in the innermost
		   function there; one on a function, in that function */
		for (size_t i = 0; i < b->nlocs; i++)
			if (b->locs[i].addr == addr &&
			    (!b->spec || !func_spec(b->spec) ||
			     (func && b->locs[i].func && strcmp(b->locs[i].func, func) == 0)))
				return true;
	}
	return false;
}

/* ---- placing locations ---- */

static void loc_insert(struct dbg *d, struct bpt *b, struct bp_loc *l)
{
	int r;

	if (l->inserted || !b->enabled || !l->enabled || d->inf.state == INF_NONE)
		return;
	r = bpaddr_ref(d, l->addr);
	if (r == 0) {
		l->inserted = true;
		l->failed = false;
	} else if (!l->failed) {
		l->failed = true;
		derr(d, "Cannot insert breakpoint %d: Cannot access memory at address 0x%llx",
		     b->num, (unsigned long long)l->addr);
	}
}

static void loc_remove(struct dbg *d, struct bp_loc *l)
{
	if (!l->inserted)
		return;
	bpaddr_unref(d, l->addr);
	l->inserted = false;
}

void bp_sync(struct dbg *d, struct bpt *b)
{
	for (size_t i = 0; i < b->nlocs; i++) {
		if (b->enabled && b->locs[i].enabled)
			loc_insert(d, b, &b->locs[i]);
		else
			loc_remove(d, &b->locs[i]);
	}
}

void bp_insert_all(struct dbg *d)
{
	for (struct bpt *b = d->bps; b; b = b->next)
		if (b->type == BP_BREAK)
			bp_sync(d, b);
	watch_insert_all(d);
}

void bp_mark_removed(struct dbg *d)
{
	for (struct bpt *b = d->bps; b; b = b->next) {
		for (size_t i = 0; i < b->nlocs; i++) {
			b->locs[i].inserted = false;
			b->locs[i].failed = false;
		}
		b->watch_id = 0;
	}
	d->nbpaddrs = 0;
	d->inf.bps_lifted = false;
}

void bp_free_locs(struct bpt *b)
{
	for (size_t i = 0; i < b->nlocs; i++) {
		free(b->locs[i].func);
		free(b->locs[i].file);
	}
	free(b->locs);
	b->locs = NULL;
	b->nlocs = 0;
}

/* Replace b's locations by those of r[0..n-1]. */
int bp_set_locs(struct dbg *d, struct bpt *b, const struct resolved *r, int n)
{
	struct bp_loc *l = calloc((size_t)(n ? n : 1), sizeof(*l));

	if (!l)
		return -ENOMEM;
	for (size_t i = 0; i < b->nlocs; i++)
		loc_remove(d, &b->locs[i]);
	bp_free_locs(b);
	for (int i = 0; i < n; i++) {
		l[i].addr = r[i].addr;
		l[i].enabled = true;
		l[i].func = r[i].func ? strdup(r[i].func) : NULL;
		l[i].file = r[i].file ? strdup(r[i].file) : NULL;
		l[i].line = r[i].line;
	}
	b->locs = l;
	b->nlocs = (size_t)n;
	return 0;
}

void bp_reresolve(struct dbg *d)
{
	struct resolved r[16];
	struct dbg_cmd c;
	char e[256], line[4200];

	for (struct bpt *b = d->bps; b; b = b->next) {
		if (b->type != BP_BREAK || !b->spec)
			continue;
		/* the spec is a location ("puts", "t.c:5", "*0x..."): parse it as break's */
		snprintf(line, sizeof(line), "break %s", b->spec);
		if (dbg_cmd_parse(line, &c, e, sizeof(e)) < 0)
			continue;
		if (c.kind == DBG_CMD_BREAK || c.kind == DBG_CMD_TBREAK) {
			bool quiet = d->quiet_errors;
			int n;

			d->quiet_errors = true;
			n = loc_resolve(d, &c.loc, r, 16);
			d->quiet_errors = quiet;
			if (n > 0 && !(b->pending_only_addr && c.loc.kind == DBG_LOC_ADDRESS))
				bp_set_locs(d, b, r, n > 16 ? 16 : n);
		}
		dbg_cmd_free(&c);
	}
}

/* ---- hits ---- */

/* Evaluate b's condition in thread tid: 1 true, 0 false, -1 error (reported). */
static int cond_true(struct dbg *d, struct bpt *b)
{
	struct dbg_value *v;
	int64_t x;
	long double f;
	int r;

	r = dbg_eval_string(d->ctx, b->cond, &v);
	if (r == 0 && dbg_value_fetch(d->ctx, v) == 0) {
		if (dbg_value_as_int(d->ctx, v, &x) == 0)
			r = x != 0;
		else if (dbg_value_as_float(d->ctx, v, &f) == 0)
			r = f != 0;
		else
			r = -1;
	} else {
		r = -1;
	}
	if (r < 0) {
		dout(d, "Error in testing condition for breakpoint %d:\n%s\n", b->num,
		     dbg_ctx_error(d->ctx));
	}
	dbg_ctx_reset_tmp(d->ctx);
	return r;
}

int bp_check_hit(struct dbg *d, pid_t tid, uint64_t addr, bool *ret_temp)
{
	pid_t saved = d->inf.cur_tid;
	int found = 0, sel_saved = d->sel_frame;
	bool any_cond_eval = false;

	*ret_temp = false;
	for (struct bpt *b = d->bps; b; b = b->next) {
		bool here = false;

		if (b->type != BP_BREAK || !b->enabled)
			continue;
		for (size_t i = 0; i < b->nlocs; i++)
			if (b->locs[i].addr == addr && b->locs[i].enabled)
				here = true;
		if (!here)
			continue;
		if (b->cond) {
			int c;

			if (!any_cond_eval) {
				d->inf.cur_tid = tid;
				inf_invalidate(d);
				any_cond_eval = true;
			}
			d->cond_eval = true;
			c = cond_true(d, b);
			d->cond_eval = false;
			if (c < 0) {
				b->hits++;
				if (!found) {
					found = -b->num;
					*ret_temp = b->disp == DISP_DEL;
				}
				continue;
			}
			if (!c)
				continue;
		}
		b->hits++;
		if (b->ignore > 0) {
			b->ignore--;
			continue;
		}
		if (!found) {
			found = b->num;
			*ret_temp = b->disp == DISP_DEL;
		}
		if (b->disp == DISP_DISABLE)
			b->disabled_after_hit = true;
	}
	if (any_cond_eval && !found) {
		d->inf.cur_tid = saved;
		d->sel_frame = sel_saved;
		inf_invalidate(d);
	}
	return found;
}

void bp_delete(struct dbg *d, struct bpt *b)
{
	for (struct bpt **pp = &d->bps; *pp; pp = &(*pp)->next) {
		if (*pp != b)
			continue;
		*pp = b->next;
		for (size_t i = 0; i < b->nlocs; i++)
			loc_remove(d, &b->locs[i]);
		watch_remove(d, b);
		bp_free_locs(b);
		free(b->spec);
		free(b->cond);
		free(b->expr);
		free(b->syscalls);
		free(b->exec_path);
		free(b);
		return;
	}
}

void bp_after_stop(struct dbg *d, int bpnum)
{
	for (struct bpt *b = d->bps, *next; b; b = next) {
		next = b->next;
		if (b->disabled_after_hit) {
			b->disabled_after_hit = false;
			b->enabled = false;
			bp_sync(d, b);
		}
		if (b->num == bpnum && b->disp == DISP_DEL)
			bp_delete(d, b);
	}
}

bool bp_any_syscall_catch(struct dbg *d)
{
	for (struct bpt *b = d->bps; b; b = b->next)
		if (b->type == BP_CATCH_SYSCALL && b->enabled)
			return true;
	return false;
}

struct bpt *bp_catch_match(struct dbg *d, enum bp_type type, long value)
{
	for (struct bpt *b = d->bps; b; b = b->next) {
		if (b->type != type || !b->enabled)
			continue;
		if (type == BP_CATCH_SYSCALL && b->syscalls &&
		    (value < 0 || value >= 1024 || !b->syscalls[value]))
			continue;
		if (type == BP_CATCH_SIGNAL) {
			if (value <= 0 || value > 64)
				continue;
			if (b->anysig) {
				if (!b->catch_all_signals && (value == SIGTRAP || value == SIGINT))
					continue;
			} else if (!b->sigs[value]) {
				continue;
			}
		}
		if (b->ignore > 0) {
			b->ignore--;
			b->hits++;
			continue;
		}
		return b;
	}
	return NULL;
}

void bp_free_all(struct dbg *d)
{
	while (d->bps)
		bp_delete(d, d->bps);
	free(d->bpaddrs);
	d->bpaddrs = NULL;
	d->nbpaddrs = d->capbpaddrs = 0;
}
