/* SPDX-License-Identifier: MIT */
/*
 * Memory, registers and breakpoints: m M X, g G p P, Z z.
 *
 * Memory goes through ptk_mem_read/ptk_mem_write of the current thread (Hg), which see the
 * program's original bytes under breakpoints.  Registers are a register file (regs.h):
 * the general registers and the XSAVE area, read when asked and written back whole.
 * Breakpoints: Z0 and Z1 both become int3 breakpoints of libptk (debug registers never
 * fire on these machines, so a "hardware" breakpoint is a software one that reports
 * hwbreak:); one int3 serves both at one address.  Z2-Z4 (write, read, access
 * watchpoints) are libptk watchpoints of the process: debug registers where their traps
 * really fire, else single-stepping with the watched bytes compared after each
 * instruction (slow, but it never misses a change); the stop reply says watch:, rwatch:
 * or awatch: with the watched address, after the instruction, as x86 reports them.
 * Conditions (`;X len,bytecode` after
 * Z0/Z1) are agent expressions evaluated here at each hit (gs_bp_cond_true).
 */
#include "gs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One register file at a time: the server is single-threaded and it is 16 KiB. */
static struct gs_regfile regfile;
static char reply[RSP_PAYLOAD_MAX];

static pid_t mem_tid(struct gs *g)
{
	struct gs_thread *t = gs_cur_thread(g);

	return t ? t->tid : 0;
}

void gs_pkt_mem_read(struct gs *g, struct rsp_scan *sc)
{
	static uint8_t buf[RSP_PAYLOAD_MAX / 2];
	uint64_t addr, len;
	size_t n = 0;
	struct rsp_buf b;
	pid_t tid = mem_tid(g);
	int r;

	if (rsp_scan_addr_len(sc, &addr, &len) < 0 || !rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (!tid) {
		gs_send_error(g, ESRCH);
		return;
	}
	if (len > sizeof buf)
		len = sizeof buf;
	r = ptk_mem_read(g->s, tid, addr, buf, (size_t)len, &n);
	if (r < 0 && (r != -EFAULT || n == 0)) {
		gs_send_error(g, r == -EFAULT ? EFAULT : -r);
		return;
	}
	if (r == 0)
		n = (size_t)len;
	rsp_buf_init(&b, reply, sizeof reply);
	rsp_buf_put_hex(&b, buf, n);
	gs_send(g, b.data, b.len);
}

void gs_pkt_mem_write(struct gs *g, struct rsp_scan *sc, bool binary)
{
	static uint8_t buf[RSP_PAYLOAD_MAX];
	uint64_t addr, len;
	size_t n = 0;
	pid_t tid = mem_tid(g);
	int r;

	if (rsp_scan_addr_len(sc, &addr, &len) < 0 || !rsp_scan_lit(sc, ":")) {
		gs_send_error(g, EINVAL);
		return;
	}
	r = binary ? rsp_scan_binary(sc, buf, sizeof buf, &n)
	           : rsp_scan_hex_bytes(sc, buf, sizeof buf, &n);
	if (r < 0 || n != len || !rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (len == 0) {
		gs_send_str(g, "OK"); /* gdb probes X support this way */
		return;
	}
	if (!tid) {
		gs_send_error(g, ESRCH);
		return;
	}
	r = ptk_mem_write(g->s, tid, addr, buf, n, NULL);
	if (r < 0) {
		gs_send_error(g, -r);
		return;
	}
	gs_send_str(g, "OK");
}

int gs_regfile_read(struct gs *g, pid_t tid, struct gs_regfile *rf)
{
	size_t len = 0;
	int r = ptk_regs_get(g->s, tid, &rf->gpr);

	if (r < 0)
		return r;
	rf->have_fp = false;
	rf->xs_len = 0;
	if (ptk_xstate_get(g->s, tid, rf->xs, sizeof rf->xs, &len) == 0 && len >= 512) {
		rf->have_fp = true;
		rf->xs_len = len;
	} else if (ptk_fpregs_get(g->s, tid, (struct ptk_fpregs *)(void *)rf->xs) == 0) {
		rf->have_fp = true;
		rf->xs_len = 512;
	}
	return 0;
}

static int regfile_write(struct gs *g, pid_t tid, struct gs_regfile *rf, bool gpr, bool fp)
{
	int r = 0;

	if (gpr)
		r = ptk_regs_set(g->s, tid, &rf->gpr);
	if (r == 0 && fp)
		r = rf->xs_len > 512
		            ? ptk_xstate_set(g->s, tid, rf->xs, rf->xs_len)
		            : ptk_fpregs_set(g->s, tid,
		                             (const struct ptk_fpregs *)(const void *)rf->xs);
	return r;
}

/* Append register i of rf as hex, or "xx" per byte when it is not available. */
static void put_reg(struct gs *g, struct rsp_buf *b, const struct gs_regfile *rf, int i)
{
	uint8_t v[GS_REG_MAX_BYTES];
	int n = gs_reg_get(&g->layout, rf, i, v);

	if (n >= 0) {
		rsp_buf_put_hex(b, v, (size_t)n);
		return;
	}
	for (int k = gs_reg_size(&g->layout, i); k > 0; k--)
		rsp_buf_puts(b, "xx");
}

void gs_pkt_regs_read(struct gs *g, struct gs_thread *t)
{
	struct rsp_buf b;
	int r;

	if (!t) {
		gs_send_error(g, ESRCH);
		return;
	}
	r = gs_regfile_read(g, t->tid, &regfile);
	if (r < 0) {
		gs_send_error(g, -r);
		return;
	}
	rsp_buf_init(&b, reply, sizeof reply);
	for (int i = 0; i < g->layout.n; i++)
		put_reg(g, &b, &regfile, i);
	gs_send(g, b.data, b.len);
}

void gs_pkt_regs_write(struct gs *g, struct gs_thread *t, struct rsp_scan *sc)
{
	static uint8_t buf[RSP_PAYLOAD_MAX / 2];
	bool gpr = false, fp = false;
	size_t n = 0;
	int r;

	if (rsp_scan_hex_bytes(sc, buf, sizeof buf, &n) < 0) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (!t) {
		gs_send_error(g, ESRCH);
		return;
	}
	r = gs_regfile_read(g, t->tid, &regfile);
	if (r < 0) {
		gs_send_error(g, -r);
		return;
	}
	/* A shorter G sets the registers it covers completely. */
	for (int i = 0; i < g->layout.n; i++) {
		const struct gs_reg *reg = &g->layout.r[i];
		bool isfp = false;
		if (reg->goff + reg->bits / 8 > n)
			break;
		if (gs_reg_set(&g->layout, &regfile, i, buf + reg->goff, &isfp) < 0)
			continue;
		fp |= isfp;
		gpr |= !isfp;
	}
	r = regfile_write(g, t->tid, &regfile, gpr, fp);
	if (r < 0)
		gs_send_error(g, -r);
	else
		gs_send_str(g, "OK");
}

void gs_pkt_reg_read(struct gs *g, struct gs_thread *t, struct rsp_scan *sc)
{
	struct rsp_buf b;
	uint64_t regno;
	int r;

	if (rsp_scan_num(sc, &regno) < 0 || !rsp_scan_eof(sc) || regno >= (uint64_t)g->layout.n) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (!t) {
		gs_send_error(g, ESRCH);
		return;
	}
	r = gs_regfile_read(g, t->tid, &regfile);
	if (r < 0) {
		gs_send_error(g, -r);
		return;
	}
	rsp_buf_init(&b, reply, sizeof reply);
	put_reg(g, &b, &regfile, (int)regno);
	gs_send(g, b.data, b.len);
}

void gs_pkt_reg_write(struct gs *g, struct gs_thread *t, struct rsp_scan *sc)
{
	uint8_t v[GS_REG_MAX_BYTES];
	uint64_t regno;
	size_t n = 0;
	bool fp = false;
	int r;

	if (rsp_scan_num(sc, &regno) < 0 || !rsp_scan_lit(sc, "=") ||
	    regno >= (uint64_t)g->layout.n || rsp_scan_hex_bytes(sc, v, sizeof v, &n) < 0 ||
	    !rsp_scan_eof(sc) || n != (size_t)gs_reg_size(&g->layout, (int)regno)) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (!t) {
		gs_send_error(g, ESRCH);
		return;
	}
	r = gs_regfile_read(g, t->tid, &regfile);
	if (r == 0)
		r = gs_reg_set(&g->layout, &regfile, (int)regno, v, &fp);
	if (r == 0)
		r = regfile_write(g, t->tid, &regfile, !fp, fp);
	if (r < 0)
		gs_send_error(g, -r);
	else
		gs_send_str(g, "OK");
}

/* ------------------------------------------------------------------------------------- */
/* Breakpoints                                                                           */

static struct gs_bp *find_bp(struct gs_proc *mm, int type, uint64_t addr)
{
	for (struct gs_bp *b = mm->bps; b; b = b->next)
		if (b->type == type && b->addr == addr)
			return b;
	return NULL;
}

static void free_conds(struct ax_expr *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].code);
	free(v);
}

/* Parse the `;X len,bytecode` conditions after Z0/Z1; `;cmds:` is not offered. */
static int parse_conds(struct rsp_scan *sc, struct ax_expr **ret, int *ret_n)
{
	struct ax_expr *v = NULL;
	int n = 0;

	while (rsp_scan_lit(sc, ";")) {
		uint64_t len;
		size_t got = 0;
		struct ax_expr *nv;
		if (!rsp_scan_lit(sc, "X") || rsp_scan_num(sc, &len) < 0 ||
		    !rsp_scan_lit(sc, ",") || len == 0 || len > RSP_PAYLOAD_MAX / 2)
			goto bad;
		nv = realloc(v, (size_t)(n + 1) * sizeof *v);
		if (!nv)
			goto bad;
		v = nv;
		v[n].code = malloc((size_t)len);
		if (!v[n].code)
			goto bad;
		v[n].len = (size_t)len;
		n++;
		if (rsp_scan_hex_bytes(sc, v[n - 1].code, (size_t)len, &got) < 0 || got != len)
			goto bad;
	}
	if (!rsp_scan_eof(sc))
		goto bad;
	*ret = v;
	*ret_n = n;
	return 0;
bad:
	free_conds(v, n);
	return -EINVAL;
}

/*
 * Z2-Z4 / z2-z4: len bytes at addr; one libptk watchpoint per (type, addr, len).  In
 * all-stop mode gdb removes every watchpoint at each stop and inserts it again before
 * resuming: the libptk watchpoint is kept meanwhile (marked removed, dropped at the next
 * resume if it did not come back), so that it keeps its state (the value it last saw,
 * the read it last reported) and a stop is not reported twice.
 */
static void watch_packet(struct gs *g, int type, uint64_t addr, uint64_t len, bool insert)
{
	static const unsigned kinds[] = {
	        [2] = PTK_WATCH_WRITE, [3] = PTK_WATCH_READ, [4] = PTK_WATCH_ACCESS};
	struct gs_proc *p = gs_cur_proc(g);
	struct gs_wp *w, **pp;
	int r;

	if (!p) {
		gs_send_error(g, ESRCH);
		return;
	}
	for (pp = &p->wps; *pp; pp = &(*pp)->next)
		if ((*pp)->type == type && (*pp)->addr == addr && (*pp)->len == len)
			break;
	w = *pp;
	if (!insert) {
		/* Removing what is not there (a fork child's copy) is not an error. */
		if (w && g->non_stop) {
			*pp = w->next;
			ptk_watch_remove(g->s, p->pid, w->ptk_id);
			free(w);
		} else if (w) {
			w->removed = true;
		}
		gs_send_str(g, "OK");
		return;
	}
	if (w) {
		w->removed = false;
		gs_send_str(g, "OK");
		return;
	}
	if (len == 0 || len > PTK_WATCH_MAX_LEN) {
		gs_send_error(g, EINVAL);
		return;
	}
	w = calloc(1, sizeof *w);
	if (!w) {
		gs_send_error(g, ENOMEM);
		return;
	}
	r = ptk_watch_insert(g->s, p->pid, addr, (size_t)len, kinds[type], &w->ptk_id);
	if (r < 0) {
		free(w);
		gs_send_error(g, -r);
		return;
	}
	w->addr = addr;
	w->len = len;
	w->type = type;
	w->next = p->wps;
	p->wps = w;
	gs_send_str(g, "OK");
}

void gs_wps_purge(struct gs *g)
{
	for (struct gs_proc *p = g->procs; p; p = p->next)
		for (struct gs_wp **pp = &p->wps; *pp;) {
			struct gs_wp *w = *pp;
			if (!w->removed) {
				pp = &w->next;
				continue;
			}
			*pp = w->next;
			ptk_watch_remove(g->s, p->pid, w->ptk_id);
			free(w);
		}
}

/* The watchpoint of p that libptk's watchpoint id stands for, or NULL. */
struct gs_wp *gs_wp_by_id(struct gs_proc *p, int ptk_id)
{
	for (struct gs_wp *w = p->wps; w; w = w->next)
		if (w->ptk_id == ptk_id)
			return w;
	return NULL;
}

void gs_pkt_bp(struct gs *g, struct rsp_scan *sc, bool insert)
{
	uint64_t type, addr, kind;
	struct ax_expr *conds = NULL;
	int ncond = 0, r;
	struct gs_proc *p, *mm;
	struct gs_bp *b;

	if (rsp_scan_num(sc, &type) < 0 || !rsp_scan_lit(sc, ",") ||
	    rsp_scan_addr_len(sc, &addr, &kind) < 0) {
		gs_send_error(g, EINVAL);
		return;
	}
	if (type >= 2 && type <= 4) {
		if (!rsp_scan_eof(sc))
			gs_send_error(g, EINVAL);
		else
			watch_packet(g, (int)type, addr, kind, insert);
		return;
	}
	if (type > 4) {
		gs_send_str(g, "");
		return;
	}
	if (insert ? parse_conds(sc, &conds, &ncond) < 0 : !rsp_scan_eof(sc)) {
		gs_send_error(g, EINVAL);
		return;
	}
	p = gs_cur_proc(g);
	if (!p) {
		free_conds(conds, ncond);
		gs_send_error(g, ESRCH);
		return;
	}
	mm = gs_mm(p);
	b = find_bp(mm, (int)type, addr);
	if (!insert) {
		if (b) {
			bool shared = false;
			for (struct gs_bp **pp = &mm->bps; *pp; pp = &(*pp)->next)
				if (*pp == b) {
					*pp = b->next;
					break;
				}
			for (struct gs_bp *c = mm->bps; c; c = c->next)
				shared |= c->addr == addr;
			if (!shared && b->ptk_id >= 0)
				ptk_bp_remove(g->s, mm->pid, b->ptk_id);
			gs_bp_free(b);
		}
		/* Removing what is not there (a fork child's copy) is not an error. */
		gs_send_str(g, "OK");
		return;
	}
	if (b) {
		/* gdb sends Z0 again when the conditions change. */
		free_conds(b->conds, b->ncond);
		b->conds = conds;
		b->ncond = ncond;
		gs_send_str(g, "OK");
		return;
	}
	b = calloc(1, sizeof *b);
	if (!b) {
		free_conds(conds, ncond);
		gs_send_error(g, ENOMEM);
		return;
	}
	b->addr = addr;
	b->type = (int)type;
	b->conds = conds;
	b->ncond = ncond;
	b->ptk_id = -1;
	struct gs_bp *other = gs_bp_at(mm, addr);
	if (other) {
		b->ptk_id = other->ptk_id;
	} else if (!mm->bps_lifted) {
		r = ptk_bp_insert(g->s, mm->pid, addr, &b->ptk_id);
		if (r < 0) {
			gs_bp_free(b);
			gs_send_error(g, -r);
			return;
		}
	}
	b->next = mm->bps;
	mm->bps = b;
	gs_send_str(g, "OK");
}

/* ------------------------------------------------------------------------------------- */
/* Conditions                                                                            */

struct cond_ctx {
	struct gs *g;
	pid_t tid;
	bool loaded;
};

static int cond_reg(void *arg, int regno, uint64_t *ret)
{
	struct cond_ctx *c = arg;
	const struct gs_reg *r;

	if (regno < 0 || regno >= c->g->layout.n)
		return -EINVAL;
	r = &c->g->layout.r[regno];
	/* The general registers are cached by libptk for the stop: no XSAVE read for them. */
	if (r->feature == GS_F_CORE && regno <= 23) {
		if (ptk_regs_get(c->g->s, c->tid, &regfile.gpr) < 0)
			return -ESRCH;
		regfile.have_fp = false;
		return gs_reg_u64(&c->g->layout, &regfile, regno, ret);
	}
	if (r->feature == GS_F_LINUX || r->feature == GS_F_SEGMENTS) {
		if (ptk_regs_get(c->g->s, c->tid, &regfile.gpr) < 0)
			return -ESRCH;
		regfile.have_fp = false;
		return gs_reg_u64(&c->g->layout, &regfile, regno, ret);
	}
	if (gs_regfile_read(c->g, c->tid, &regfile) < 0)
		return -ESRCH;
	return gs_reg_u64(&c->g->layout, &regfile, regno, ret);
}

static int cond_mem(void *arg, uint64_t addr, void *buf, size_t n)
{
	struct cond_ctx *c = arg;

	return ptk_mem_read(c->g->s, c->tid, addr, buf, n, NULL) == 0 ? 0 : -EFAULT;
}

bool gs_bp_cond_true(struct gs *g, struct gs_thread *t, const struct gs_bp *b)
{
	struct cond_ctx c = {.g = g, .tid = t->tid};
	struct ax_ctx cx = {.reg = cond_reg, .mem = cond_mem, .arg = &c};
	bool any = false;

	/* Z0 and Z1 at one address: any of them without a condition stops. */
	for (const struct gs_bp *x = gs_mm(t->proc)->bps; x; x = x->next) {
		if (x->addr != b->addr)
			continue;
		if (x->ncond == 0)
			return true;
		for (int i = 0; i < x->ncond; i++) {
			int64_t v = 0;
			/* An expression that cannot be evaluated stops, so the user sees why. */
			if (gs_ax_eval(x->conds[i].code, x->conds[i].len, &cx, &v) < 0 || v != 0)
				any = true;
		}
		if (any)
			return true;
	}
	return false;
}
