/* SPDX-License-Identifier: MIT */
/*
 * Locations (FUNCTION, FILE:LINE, LINE, *ADDRESS, +OFFSET) resolved with
 * libptk's symbol tables as gdb 13 resolves them, and the commands of the
 * breakpoint table: break/tbreak, catch, delete/enable/disable, condition,
 * ignore and info breakpoints in gdb's layout.
 */
#include "dbg.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The address gdb would show: before the first run, PIE addresses are link-time ones. */
uint64_t addr_shown(struct dbg *d, uint64_t addr)
{
	struct ptk_symtab *st;
	struct ptk_module m;

	if (d->inf.state != INF_LOADED || d->ran_once || d->show_literal)
		return addr;
	st = inf_symtab(d);
	if (st && ptk_symtab_module_at(st, addr, &m) == 0 && m.is_exe)
		return addr - m.bias;
	return addr;
}

static struct ptk_symtab *need_symtab(struct dbg *d)
{
	struct ptk_symtab *st;

	if (d->inf.state == INF_NONE && inf_ensure_loaded(d) < 0) {
		if (!d->quiet_errors)
			derr(d, "No symbol table is loaded.  Use the \"file\" command.");
		return NULL;
	}
	st = inf_symtab(d);
	if (!st && !d->quiet_errors)
		derr(d, "No symbol table is loaded.  Use the \"file\" command.");
	return st;
}

static void describe_addr(struct dbg *d, uint64_t addr, struct resolved *r)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_line l;
	struct ptk_func f;

	r->addr = addr;
	r->func = NULL;
	r->file = NULL;
	r->line = 0;
	if (!st)
		return;
	if (ptk_func_at(st, addr, &f) == 0)
		r->func = f.name;
	if (ptk_line_at(st, addr, &l) == 0) {
		r->file = l.file;
		r->line = l.line;
	}
}

/* The file and line of the selected frame or of the listing default. */
static bool current_line(struct dbg *d, const char **ret_file, int *ret_line)
{
	struct frame *f;

	if (inf_live(d) && (f = frame_sel(d)) != NULL && f->has_loc && f->loc.file) {
		*ret_file = f->loc.file;
		*ret_line = f->loc.line;
		return true;
	}
	return src_default(d, ret_file, ret_line);
}

static int resolve_lines(struct dbg *d, struct ptk_symtab *st, const char *file, long line,
                         struct resolved *ret, size_t max, bool named)
{
	struct ptk_line_loc locs[16];
	int n = ptk_line_lookup(st, file, (int)line, locs, 16);

	if (n < 0)
		n = 0;
	if (n == 0) {
		if (d->quiet_errors)
			return -1;
		if (named && ptk_line_lookup(st, file, 1, locs, 1) <= 0)
			return derr(d, "No source file named %s.", file);
		if (named)
			return derr(d, "No line %ld in file \"%s\".", line, file);
		return derr(d, "No line %ld in the current file.", line);
	}
	for (int i = 0; i < n && (size_t)i < max && i < 16; i++) {
		ret[i].addr = locs[i].addr;
		ret[i].func = locs[i].func;
		ret[i].file = locs[i].file;
		ret[i].line = locs[i].line;
	}
	return n;
}

/*
 * Before the program runs, gdb knows the executable's symbols only: the
 * dynamic loader is mapped in ptk's loaded process, but `break _exit` must
 * not land in its copy (gdb puts it on _exit@plt, then on the libraries'
 * functions once they load).  Keeps the locations of locs[0..n-1] that lie
 * in the executable; returns how many.
 */
static int exe_only(struct ptk_symtab *st, struct ptk_line_loc *locs, int n)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		struct ptk_module m;

		if (ptk_symtab_module_at(st, locs[i].addr, &m) == 0 && m.is_exe)
			locs[k++] = locs[i];
	}
	return k;
}

int loc_resolve(struct dbg *d, const struct dbg_location *loc, struct resolved *ret, size_t max)
{
	struct ptk_symtab *st;
	struct ptk_line_loc locs[16];
	struct dbg_value *v;
	const char *file;
	uint64_t addr;
	int line, n, k = 0;

	if (loc->kind == DBG_LOC_ADDRESS) {
		if (d->inf.state == INF_NONE)
			inf_ensure_loaded(d);
		/*
		 * Re-resolving (quiet) may happen inside another evaluation (a
		 * symbol lookup loads the program): its temporaries must live on,
		 * the outer command frees them.
		 */
		if (dbg_eval_string(d->ctx, loc->expr, &v) < 0 ||
		    dbg_value_as_address(d->ctx, v, &addr) < 0) {
			if (!d->quiet_errors) {
				derr(d, "%s", dbg_ctx_error(d->ctx));
				dbg_ctx_reset_tmp(d->ctx);
			}
			return -1;
		}
		if (!d->quiet_errors)
			dbg_ctx_reset_tmp(d->ctx);
		describe_addr(d, addr, &ret[0]);
		return 1;
	}
	if (loc->kind == DBG_LOC_NONE) {
		struct frame *f;

		if (!inf_live(d) || !(f = frame_sel(d)))
			return d->quiet_errors
			               ? -1
			               : derr(d, "No default breakpoint location now selected.");
		describe_addr(d, f->pf.pc, &ret[0]);
		return 1;
	}
	st = need_symtab(d);
	if (!st)
		return -1;
	switch (loc->kind) {
	case DBG_LOC_FUNCTION:
	case DBG_LOC_FILE_FUNCTION:
		n = ptk_func_lookup(st, loc->function, false, locs, 16);
		if (n > 0 && d->inf.state == INF_LOADED) {
			n = exe_only(st, locs, n < 16 ? n : 16);
			if (n == 0 && loc->kind == DBG_LOC_FUNCTION &&
			    !strchr(loc->function, '@')) {
				/* the program's PLT entry for it, as gdb before `run` */
				char plt[512];

				snprintf(plt, sizeof(plt), "%s@plt", loc->function);
				n = ptk_func_lookup(st, plt, false, locs, 16);
			}
		}
		for (int i = 0; i < n && i < 16 && (size_t)k < max; i++) {
			if (loc->kind == DBG_LOC_FILE_FUNCTION && locs[i].file) {
				const char *b = strrchr(locs[i].file, '/');
				size_t fl = strlen(loc->file), ll = strlen(locs[i].file);

				if (strcmp(b ? b + 1 : locs[i].file, loc->file) != 0 &&
				    !(ll > fl && strcmp(locs[i].file + ll - fl, loc->file) == 0 &&
				      locs[i].file[ll - fl - 1] == '/'))
					continue;
			}
			ret[k].addr = locs[i].addr;
			ret[k].func = locs[i].func ? locs[i].func : loc->function;
			ret[k].file = locs[i].file;
			ret[k].line = locs[i].line;
			k++;
		}
		if (k == 0) {
			if (d->quiet_errors)
				return -1;
			if (loc->kind == DBG_LOC_FILE_FUNCTION)
				return derr(d, "Function \"%s\" not defined in \"%s\".",
				            loc->function, loc->file);
			return derr(d, "Function \"%s\" not defined.", loc->function);
		}
		return k;
	case DBG_LOC_FILE_LINE:
		return resolve_lines(d, st, loc->file, loc->line, ret, max, true);
	case DBG_LOC_LINE:
	case DBG_LOC_OFFSET:
		if (!current_line(d, &file, &line)) {
			/* gdb's default source file: the one with main. */
			n = ptk_func_lookup(st, "main", false, locs, 1);
			if (n <= 0 || !locs[0].file)
				return d->quiet_errors ? -1
				                       : derr(d, "No symbol table is loaded.  Use "
				                                 "the \"file\" command.");
			file = locs[0].file;
			line = locs[0].line;
		}
		return resolve_lines(d, st, file,
		                     loc->kind == DBG_LOC_LINE ? loc->line : line + loc->offset,
		                     ret, max, false);
	default:
		return d->quiet_errors ? -1 : derr(d, "Unsupported location.");
	}
}

/* A spec that names the same place again later (after exec, restart, solib loads). */
static char *make_spec(const struct dbg_location *loc, const struct resolved *r)
{
	char buf[4096];

	switch (loc->kind) {
	case DBG_LOC_FUNCTION:
		snprintf(buf, sizeof(buf), "%s", loc->function);
		break;
	case DBG_LOC_FILE_FUNCTION:
		snprintf(buf, sizeof(buf), "%s:%s", loc->file, loc->function);
		break;
	case DBG_LOC_FILE_LINE:
		snprintf(buf, sizeof(buf), "%s:%ld", loc->file, loc->line);
		break;
	case DBG_LOC_ADDRESS:
		snprintf(buf, sizeof(buf), "*%s", loc->expr);
		break;
	case DBG_LOC_LINE:
	case DBG_LOC_OFFSET:
		if (r->file) {
			snprintf(buf, sizeof(buf), "%s:%d", r->file, r->line);
			break;
		}
		/* fall through */
	default:
		snprintf(buf, sizeof(buf), "*0x%llx", (unsigned long long)r->addr);
		break;
	}
	return strdup(buf);
}

static struct bpt *bp_new(struct dbg *d, enum bp_type type)
{
	struct bpt *b = calloc(1, sizeof(*b)), **pp;

	if (!b)
		return NULL;
	b->num = ++d->next_bpnum;
	b->type = type;
	b->enabled = true;
	for (pp = &d->bps; *pp; pp = &(*pp)->next)
		;
	*pp = b;
	return b;
}

/* Check that a condition makes sense at addr (its symbols exist there). */
static int check_cond(struct dbg *d, const char *cond, uint64_t addr)
{
	struct dbg_expr *e;
	struct dbg_type *t;
	int r;

	d->scope_pc = addr;
	d->scope_pc_set = true;
	r = dbg_expr_parse(d->ctx, cond, &e);
	if (r == 0)
		r = dbg_eval_type(d->ctx, e, &t);
	d->scope_pc_set = false;
	if (r < 0)
		derr(d, "%s", dbg_ctx_error(d->ctx));
	dbg_ctx_reset_tmp(d->ctx);
	return r;
}

int cmd_break(struct dbg *d, const struct dbg_cmd *c)
{
	struct resolved r[16];
	struct bpt *b;
	const char *what = c->kind == DBG_CMD_TBREAK ? "Temporary breakpoint" : "Breakpoint";
	char disp[4096];
	int n = loc_resolve(d, &c->loc, r, 16);

	if (n < 0) {
		if (c->loc.kind == DBG_LOC_FUNCTION || c->loc.kind == DBG_LOC_FILE_LINE ||
		    c->loc.kind == DBG_LOC_FILE_FUNCTION)
			dout(d, "Make breakpoint pending on future shared library load? (y or [n]) "
			        "[answered N; input not from terminal]\n");
		return -1;
	}
	if (n > 16)
		n = 16;
	if (c->cond && check_cond(d, c->cond, r[0].addr) < 0)
		return -1;
	b = bp_new(d, BP_BREAK);
	if (!b)
		return derr(d, "out of memory");
	b->disp = c->kind == DBG_CMD_TBREAK ? DISP_DEL : DISP_KEEP;
	b->spec = make_spec(&c->loc, &r[0]);
	b->cond = c->cond ? strdup(c->cond) : NULL;
	if (bp_set_locs(d, b, r, n) < 0)
		return derr(d, "out of memory");
	/* gdb shows *0x... as given; a symbol's address before the run, unrelocated */
	d->show_literal = c->loc.kind == DBG_LOC_ADDRESS && c->loc.expr &&
	                  isdigit((unsigned char)c->loc.expr[0]) &&
	                  strspn(c->loc.expr, "0123456789abcdefxABCDEFX") == strlen(c->loc.expr);
	b->literal = d->show_literal;
	if (n == 1 && r[0].file) {
		file_display(d, r[0].addr, r[0].file, disp, sizeof(disp));
		dout(d, "%s %d at 0x%llx: file %s, line %d.\n", what, b->num,
		     (unsigned long long)addr_shown(d, r[0].addr), disp, r[0].line);
	} else if (n == 1) {
		dout(d, "%s %d at 0x%llx\n", what, b->num,
		     (unsigned long long)addr_shown(d, r[0].addr));
	} else {
		dout(d, "%s %d at 0x%llx: %s. (%d locations)\n", what, b->num,
		     (unsigned long long)addr_shown(d, r[0].addr), b->spec, n);
	}
	d->show_literal = false;
	bp_sync(d, b);
	return 0;
}

int cmd_catch(struct dbg *d, const struct dbg_cmd *c)
{
	struct bpt *b;
	enum bp_type type;
	struct dbg_buf msg = {0};

	switch (c->kind) {
	case DBG_CMD_CATCH_SYSCALL:
		type = BP_CATCH_SYSCALL;
		break;
	case DBG_CMD_CATCH_SIGNAL:
		type = BP_CATCH_SIGNAL;
		break;
	case DBG_CMD_CATCH_FORK:
		type = BP_CATCH_FORK;
		break;
	case DBG_CMD_CATCH_VFORK:
		type = BP_CATCH_VFORK;
		break;
	default:
		type = BP_CATCH_EXEC;
		break;
	}
	if (type == BP_CATCH_SYSCALL && c->nargs) {
		bool *set = calloc(1024, sizeof(bool));

		if (!set)
			return derr(d, "out of memory");
		dbg_buf_printf(&msg, "syscall%s", c->nargs > 1 ? "s" : "");
		for (size_t i = 0; i < c->nargs; i++) {
			char *end;
			long nr = strtol(c->args[i], &end, 10);
			const struct ptk_sysent *e;

			if (*end || end == c->args[i])
				nr = ptk_syscall_lookup(PTK_ARCH_X86_64, c->args[i]);
			e = nr >= 0 ? ptk_sysent_get(PTK_ARCH_X86_64, nr) : NULL;
			if (nr < 0 || nr >= 1024 || !e || !e->name) {
				free(set);
				dbg_buf_free(&msg);
				if (*end || end == c->args[i])
					return derr(d, "Unknown syscall name '%s'.", c->args[i]);
				return derr(d, "Unknown syscall number '%s'.", c->args[i]);
			}
			set[nr] = true;
			dbg_buf_printf(&msg, " '%s' [%ld]", e->name, nr);
		}
		b = bp_new(d, type);
		if (!b) {
			free(set);
			dbg_buf_free(&msg);
			return derr(d, "out of memory");
		}
		b->syscalls = set;
	} else if (type == BP_CATCH_SIGNAL && c->nargs) {
		bool all = false, sigs[65] = {false};

		for (size_t i = 0; i < c->nargs; i++) {
			int s;

			if (strcmp(c->args[i], "all") == 0) {
				all = true;
				continue;
			}
			s = dsig_parse(c->args[i]);
			if (!s)
				return derr(d, "Unknown signal name '%s'.", c->args[i]);
			sigs[s] = true;
		}
		b = bp_new(d, type);
		if (!b)
			return derr(d, "out of memory");
		if (all) {
			b->anysig = b->catch_all_signals = true;
			dbg_buf_puts(&msg, "any signal");
		} else {
			memcpy(b->sigs, sigs, sizeof(sigs));
			dbg_buf_printf(&msg, "signal%s", c->nargs > 1 ? "s" : "");
			for (size_t i = 0; i < c->nargs; i++)
				dbg_buf_printf(&msg, " %s", dsig_name(dsig_parse(c->args[i])));
		}
	} else {
		b = bp_new(d, type);
		if (!b)
			return derr(d, "out of memory");
		switch (type) {
		case BP_CATCH_SYSCALL:
			dbg_buf_puts(&msg, "any syscall");
			break;
		case BP_CATCH_SIGNAL:
			b->anysig = true;
			dbg_buf_puts(&msg, "standard signals");
			break;
		case BP_CATCH_FORK:
			dbg_buf_puts(&msg, "fork");
			break;
		case BP_CATCH_VFORK:
			dbg_buf_puts(&msg, "vfork");
			break;
		default:
			dbg_buf_puts(&msg, "exec");
			break;
		}
	}
	b->spec = strdup(dbg_buf_str(&msg));
	dout(d, "Catchpoint %d (%s)\n", b->num, dbg_buf_str(&msg));
	dbg_buf_free(&msg);
	return 0;
}

/* Call fn for every breakpoint named by c's ranges (all when none). */
static int for_ranges(struct dbg *d, const struct dbg_cmd *c,
                      void (*fn)(struct dbg *, struct bpt *, const struct dbg_cmd *))
{
	if (c->nranges == 0) {
		for (struct bpt *b = d->bps, *next; b; b = next) {
			next = b->next;
			fn(d, b, c);
		}
		return 0;
	}
	for (size_t i = 0; i < c->nranges; i++)
		for (long n = c->ranges[i].lo; n <= c->ranges[i].hi; n++) {
			struct bpt *b = bp_find(d, (int)n);

			if (!b)
				derr(d, "No breakpoint number %ld.", n);
			else
				fn(d, b, c);
		}
	return 0;
}

static void do_delete(struct dbg *d, struct bpt *b, const struct dbg_cmd *c)
{
	(void)c;
	bp_delete(d, b);
}

static void do_enable(struct dbg *d, struct bpt *b, const struct dbg_cmd *c)
{
	b->enabled = c->kind == DBG_CMD_ENABLE;
	if (c->kind == DBG_CMD_ENABLE) {
		if (c->once)
			b->disp = DISP_DISABLE;
		else if (c->del)
			b->disp = DISP_DEL;
	}
	if (b->type == BP_BREAK)
		bp_sync(d, b);
	else
		watch_sync(d, b);
}

int cmd_bp_modify(struct dbg *d, const struct dbg_cmd *c)
{
	if (c->display)
		return cmd_undisplay(d, c);
	if (c->kind == DBG_CMD_DELETE) {
		if (c->nranges == 0 && d->bps && d->from_tty &&
		    !dbg_confirm(d, "Delete all breakpoints? (y or n) "))
			return 0;
		return for_ranges(d, c, do_delete);
	}
	return for_ranges(d, c, do_enable);
}

int cmd_condition(struct dbg *d, const struct dbg_cmd *c)
{
	struct bpt *b = bp_find(d, (int)c->bpnum);

	if (!b)
		return derr(d, "No breakpoint number %ld.", c->bpnum);
	if (c->cond && b->nlocs && check_cond(d, c->cond, b->locs[0].addr) < 0)
		return -1;
	free(b->cond);
	b->cond = c->cond ? strdup(c->cond) : NULL;
	if (!c->cond && d->from_tty)
		dout(d, "Breakpoint %d now unconditional.\n", b->num);
	return 0;
}

int cmd_ignore(struct dbg *d, const struct dbg_cmd *c)
{
	struct bpt *b = bp_find(d, (int)c->bpnum);

	if (!b)
		return derr(d, "No breakpoint number %ld.", c->bpnum);
	b->ignore = c->count;
	if (!d->from_tty)
		return 0;
	if (c->count == 0)
		dout(d, "Will stop next time breakpoint %d is reached.\n", b->num);
	else if (c->count == 1)
		dout(d, "Will ignore next crossing of breakpoint %d.\n", b->num);
	else
		dout(d, "Will ignore next %ld crossings of breakpoint %d.\n", c->count, b->num);
	return 0;
}

/* ---- info breakpoints ---- */

static const char *type_name(const struct bpt *b)
{
	switch (b->type) {
	case BP_BREAK:
		return "breakpoint";
	case BP_WATCH:
		return b->hardware ? "hw watchpoint" : "watchpoint";
	case BP_RWATCH:
		return "read watchpoint";
	case BP_AWATCH:
		return "acc watchpoint";
	default:
		return "catchpoint";
	}
}

static void what_catch(struct dbg *d, const struct bpt *b, struct dbg_buf *w)
{
	(void)d;
	switch (b->type) {
	case BP_CATCH_SYSCALL:
		if (!b->syscalls) {
			dbg_buf_puts(w, "syscall \"<any syscall>\" ");
			break;
		}
		dbg_buf_puts(w, "syscall");
		{
			int n = 0;

			for (int i = 0; i < 1024; i++)
				if (b->syscalls[i])
					n++;
			dbg_buf_puts(w, n > 1 ? "s \"" : " \"");
			n = 0;
			for (int i = 0; i < 1024; i++)
				if (b->syscalls[i]) {
					const struct ptk_sysent *e =
					        ptk_sysent_get(PTK_ARCH_X86_64, i);

					dbg_buf_printf(w, "%s%s", n++ ? ", " : "",
					               e ? e->name : "?");
				}
			dbg_buf_puts(w, "\" ");
		}
		break;
	case BP_CATCH_SIGNAL:
		if (b->anysig) {
			dbg_buf_puts(w, b->catch_all_signals ? "signal \"<any signal>\" "
			                                     : "signal \"<standard signals>\" ");
			break;
		}
		dbg_buf_puts(w, "signal \"");
		{
			int n = 0;

			for (int s = 1; s <= 64; s++)
				if (b->sigs[s])
					dbg_buf_printf(w, "%s%s", n++ ? " " : "", dsig_name(s));
		}
		dbg_buf_puts(w, "\" ");
		break;
	case BP_CATCH_FORK:
	case BP_CATCH_VFORK:
		dbg_buf_puts(w, b->type == BP_CATCH_FORK ? "fork" : "vfork");
		if (b->last_child)
			dbg_buf_printf(w, ", process %d ", (int)b->last_child);
		break;
	default:
		dbg_buf_puts(w, "exec");
		if (b->exec_path)
			dbg_buf_printf(w, ", program \"%s\" ", b->exec_path);
		break;
	}
}

static void loc_what(struct dbg *d, const struct bp_loc *l, struct dbg_buf *w)
{
	char disp[4096], sym[512];

	if (l->func && l->file) {
		file_display(d, l->addr, l->file, disp, sizeof(disp));
		dbg_buf_printf(w, "in %s at %s:%d", l->func, disp, l->line);
	} else if (sym_describe(d, l->addr, sym, sizeof(sym))) {
		dbg_buf_printf(w, "<%s>", sym);
	}
}

static bool selected(const struct dbg_cmd *c, int num)
{
	if (c->nranges == 0)
		return true;
	for (size_t i = 0; i < c->nranges; i++)
		if (num >= c->ranges[i].lo && num <= c->ranges[i].hi)
			return true;
	return false;
}

int cmd_info_breakpoints(struct dbg *d, const struct dbg_cmd *c, bool watch_only)
{
	int tw = 14, aw = 10, shown = 0;
	struct dbg_buf w = {0};

	for (struct bpt *b = d->bps; b; b = b->next) {
		bool watch = b->type == BP_WATCH || b->type == BP_RWATCH || b->type == BP_AWATCH;

		if ((watch_only && !watch) || !selected(c, b->num))
			continue;
		if ((int)strlen(type_name(b)) > tw)
			tw = (int)strlen(type_name(b));
		if (b->type == BP_BREAK || watch)
			aw = 18;
		shown++;
	}
	if (!shown) {
		if (watch_only)
			dout(d, "No watchpoints.\n");
		else if (c->nranges)
			dout(d, "No breakpoint or watchpoint matching '%s'.\n",
			     c->expr ? c->expr : "");
		else
			dout(d, "No breakpoints or watchpoints.\n");
		return 0;
	}
	dout(d, "Num     %-*s Disp Enb %-*s What\n", tw, "Type", aw, "Address");
	for (struct bpt *b = d->bps; b; b = b->next) {
		bool watch = b->type == BP_WATCH || b->type == BP_RWATCH || b->type == BP_AWATCH;
		const char *disp = b->disp == DISP_DEL       ? "del"
		                   : b->disp == DISP_DISABLE ? "dis"
		                                             : "keep";

		if ((watch_only && !watch) || !selected(c, b->num))
			continue;
		dbg_buf_reset(&w);
		d->show_literal = b->literal;
		if (b->type == BP_BREAK && b->nlocs == 1) {
			loc_what(d, &b->locs[0], &w);
			dout(d, "%-7d %-*s %-4s %-3s 0x%016llx %s\n", b->num, tw, type_name(b),
			     disp, b->enabled ? "y" : "n",
			     (unsigned long long)addr_shown(d, b->locs[0].addr), dbg_buf_str(&w));
		} else if (b->type == BP_BREAK) {
			dout(d, "%-7d %-*s %-4s %-3s %-*s \n", b->num, tw, type_name(b), disp,
			     b->enabled ? "y" : "n", aw, b->nlocs ? "<MULTIPLE>" : "<PENDING>");
		} else if (watch) {
			dout(d, "%-7d %-*s %-4s %-3s %-*s %s\n", b->num, tw, type_name(b), disp,
			     b->enabled ? "y" : "n", aw, "", b->expr);
		} else {
			what_catch(d, b, &w);
			dout(d, "%-7d %-*s %-4s %-3s %-*s %s\n", b->num, tw, type_name(b), disp,
			     b->enabled ? "y" : "n", aw, "", dbg_buf_str(&w));
		}
		if (b->cond)
			dout(d, "\tstop only if %s\n", b->cond);
		if (b->hits)
			dout(d, "\t%s already hit %ld time%s\n",
			     /* gdb says "breakpoint" for watchpoints too */
			     b->type == BP_BREAK || watch ? "breakpoint" : "catchpoint", b->hits,
			     b->hits == 1 ? "" : "s");
		if (b->ignore)
			dout(d, "\tignore next %ld hits\n", b->ignore);
		if (watch && d->inf.state != INF_NONE)
			watch_info_line(d, b);
		if (b->type == BP_BREAK && b->nlocs > 1)
			for (size_t i = 0; i < b->nlocs; i++) {
				dbg_buf_reset(&w);
				loc_what(d, &b->locs[i], &w);
				dout(d, "%d.%-5zu %-*s      %-3s 0x%016llx %s\n", b->num, i + 1, tw,
				     "", b->locs[i].enabled ? "y" : "n",
				     (unsigned long long)addr_shown(d, b->locs[i].addr),
				     dbg_buf_str(&w));
			}
	}
	d->show_literal = false;
	dbg_buf_free(&w);
	return 0;
}
