/* SPDX-License-Identifier: MIT */
/*
 * Watchpoints on libptk's ptk_watch_insert(): hardware debug registers
 * where they really fire (libptk probes), a software watchpoint that
 * single-steps and compares otherwise; never a silent miss.  watch,
 * rwatch and awatch take an lvalue; a hit reports the old and new value
 * in the expression's type.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * The watchpoint API is being added to libptk; referenced weakly so that
 * a libptk without it answers "not available" instead of failing to link.
 */
#pragma weak ptk_watch_insert
#pragma weak ptk_watch_remove
#pragma weak ptk_watch_info
#pragma weak ptk_hw_watch_works

static bool available(void)
{
	return ptk_watch_insert && ptk_watch_remove && ptk_watch_info;
}

const char *watch_kind_name(const struct bpt *b)
{
	if (b->type == BP_RWATCH)
		return b->hardware ? "Hardware read watchpoint" : "Read watchpoint";
	if (b->type == BP_AWATCH)
		return b->hardware ? "Hardware access (read/write) watchpoint"
		                   : "Access (read/write) watchpoint";
	return b->hardware ? "Hardware watchpoint" : "Watchpoint";
}

static unsigned kind_of(const struct bpt *b)
{
	return b->type == BP_RWATCH   ? PTK_WATCH_READ
	       : b->type == BP_AWATCH ? PTK_WATCH_ACCESS
	                              : PTK_WATCH_WRITE;
}

static int insert(struct dbg *d, struct bpt *b)
{
	struct ptk_watch_info wi;
	int id, r;

	if (b->watch_id || !b->enabled || d->inf.state == INF_NONE || !available())
		return 0;
	r = ptk_watch_insert(d->s, d->inf.pid, b->waddr, b->wlen, kind_of(b), &id);
	if (r < 0)
		return r;
	b->watch_id = id;
	if (ptk_watch_info(d->s, d->inf.pid, id, &wi) == 0)
		b->hardware = wi.hardware;
	return 0;
}

void watch_sync(struct dbg *d, struct bpt *b)
{
	if (b->type != BP_WATCH && b->type != BP_RWATCH && b->type != BP_AWATCH)
		return;
	if (b->enabled)
		insert(d, b);
	else
		watch_remove(d, b);
}

void watch_remove(struct dbg *d, struct bpt *b)
{
	if (!b->watch_id)
		return;
	if (d->inf.state != INF_NONE && available())
		ptk_watch_remove(d->s, d->inf.pid, b->watch_id);
	b->watch_id = 0;
}

void watch_insert_all(struct dbg *d)
{
	for (struct bpt *b = d->bps; b; b = b->next)
		watch_sync(d, b);
}

int bp_watch_hit(struct dbg *d, const struct ptk_event *ev)
{
	for (struct bpt *b = d->bps; b; b = b->next) {
		if (!b->watch_id || b->watch_id != ev->watch.id)
			continue;
		if (b->cond) {
			struct dbg_value *v;
			int64_t x = 1;

			d->inf.cur_tid = ev->tid;
			inf_invalidate(d);
			if (dbg_eval_string(d->ctx, b->cond, &v) == 0)
				dbg_value_as_int(d->ctx, v, &x);
			dbg_ctx_reset_tmp(d->ctx);
			if (!x)
				return 0;
		}
		b->hits++;
		if (b->ignore > 0) {
			b->ignore--;
			return 0;
		}
		return b->num;
	}
	return 0;
}

static void value_text(struct dbg *d, struct bpt *b, const uint8_t *bytes, struct dbg_buf *out)
{
	struct dbg_value *v;

	if (dbg_eval_string(d->ctx, b->expr, &v) < 0) {
		dbg_buf_puts(out, "<unreadable>");
		return;
	}
	v = dbg_value_new(d->ctx, v->type);
	if (!v)
		return;
	memcpy(v->bytes, bytes,
	       b->wlen < dbg_type_size(v->type) ? b->wlen : dbg_type_size(v->type));
	dbg_print_value(d->ctx, v, 0, out);
}

void watch_values(struct dbg *d, struct bpt *b, const struct stop *st, struct dbg_buf *ob,
                  struct dbg_buf *nb)
{
	value_text(d, b, st->watch.old_bytes, ob);
	value_text(d, b, st->watch.new_bytes, nb);
	dbg_ctx_reset_tmp(d->ctx);
}

void watch_info_line(struct dbg *d, struct bpt *b)
{
	/* gdb's table cannot tell why a watchpoint is not in a debug register: say it. */
	if (!b->watch_id || b->hardware)
		return;
	if (ptk_hw_watch_works && !ptk_hw_watch_works(d->s))
		dout(d, "\tsoftware watchpoint (single-stepping): this machine's debug registers "
		        "do not fire\n");
	else
		dout(d, "\tsoftware watchpoint (single-stepping): no debug register fits it\n");
}

int cmd_watch(struct dbg *d, const struct dbg_cmd *c)
{
	struct dbg_value *v;
	struct bpt *b, **pp;
	const char *kind;
	int r;

	if (!available())
		return derr(d, "Watchpoints are not available yet in this build of ptk "
		               "(libptk has no ptk_watch_insert).");
	if (!inf_live(d))
		return derr(d, "Cannot watch before the program runs: use `start` first.");
	r = dbg_eval_string(d->ctx, c->expr, &v);
	if (r < 0) {
		derr(d, "%s", dbg_ctx_error(d->ctx));
		dbg_ctx_reset_tmp(d->ctx);
		return -1;
	}
	if (v->lval != DBG_LV_MEMORY) {
		dbg_ctx_reset_tmp(d->ctx);
		if (v->lval == DBG_LV_NONE)
			return derr(d, "Cannot watch constant value `%s'.", c->expr);
		return derr(d, "Cannot watch `%s': only memory can be watched.", c->expr);
	}
	if (dbg_type_size(v->type) == 0 || dbg_type_size(v->type) > PTK_WATCH_MAX_LEN) {
		dbg_ctx_reset_tmp(d->ctx);
		return derr(d, "Cannot watch `%s': %llu bytes is more than ptk watches (%d).",
		            c->expr, (unsigned long long)dbg_type_size(v->type), PTK_WATCH_MAX_LEN);
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return derr(d, "out of memory");
	b->type = c->kind == DBG_CMD_RWATCH   ? BP_RWATCH
	          : c->kind == DBG_CMD_AWATCH ? BP_AWATCH
	                                      : BP_WATCH;
	b->enabled = true;
	b->expr = strdup(c->expr);
	b->waddr = v->addr;
	b->wlen = (size_t)dbg_type_size(v->type);
	dbg_ctx_reset_tmp(d->ctx);
	r = insert(d, b);
	if (r < 0) {
		free(b->expr);
		free(b);
		return derr(d, "Cannot watch `%s': %s", c->expr, strerror(-r));
	}
	b->num = ++d->next_bpnum;
	for (pp = &d->bps; *pp; pp = &(*pp)->next)
		;
	*pp = b;
	kind = watch_kind_name(b);
	dout(d, "%s %d: %s\n", kind, b->num, b->expr);
	return 0;
}
