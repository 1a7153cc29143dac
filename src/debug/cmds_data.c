/* SPDX-License-Identifier: MIT */
/*
 * Data commands on the live process: print/output/call, x, display,
 * set var, ptype/whatis, disassemble, info symbol, info line, info
 * locals/args, and finish's returned value.
 */
#include "dbg.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Print the core's buffer and error the way gdb does; reset temporaries. */
static int finish_cmd(struct dbg *d, int r, struct dbg_buf *b, bool newline)
{
	if (b->len)
		dout(d, "%s%s", dbg_buf_str(b), newline && r == 0 ? "\n" : "");
	if (r < 0) {
		/* gdb leaves a partial line ("0x0:\t") as it is; on a terminal the
		   error reads better on a line of its own */
		if (d->from_tty && b->len && b->s[b->len - 1] != '\n')
			dout(d, "\n");
		derr(d, "%s", dbg_ctx_error(d->ctx));
	}
	dbg_buf_free(b);
	dbg_ctx_reset_tmp(d->ctx);
	return r < 0 ? -1 : 0;
}

static void set_pc(struct dbg *d)
{
	struct frame *f;

	d->ctx->has_pc = false;
	if (inf_live(d) && (f = frame_sel(d)) != NULL) {
		d->ctx->has_pc = true;
		d->ctx->pc = f->pf.pc;
	}
}

int cmd_print(struct dbg *d, const struct dbg_cmd *c)
{
	struct dbg_buf b = {0};
	int r;

	set_pc(d);
	switch (c->kind) {
	case DBG_CMD_OUTPUT:
		r = dbg_output_command(d->ctx, c->expr, c->has_fmt ? &c->fmt : NULL, &b);
		return finish_cmd(d, r, &b, false);
	case DBG_CMD_CALL:
		if (c->expr && strchr(c->expr, '('))
			return derr(d, "Calling functions in the program is not supported by ptk.");
		/* fall through */
	case DBG_CMD_PRINT:
		r = dbg_print_command(d->ctx, c->expr, c->has_fmt ? &c->fmt : NULL, &b);
		return finish_cmd(d, r, &b, true);
	case DBG_CMD_PTYPE:
		r = dbg_ptype_command(d->ctx, c->expr ? c->expr : "$", &b);
		return finish_cmd(d, r, &b, true);
	case DBG_CMD_WHATIS:
		r = dbg_whatis_command(d->ctx, c->expr ? c->expr : "$", &b);
		return finish_cmd(d, r, &b, true);
	default:
		return derr(d, "not a data command");
	}
}

int cmd_x(struct dbg *d, const struct dbg_cmd *c)
{
	struct dbg_buf b = {0};
	int r;

	set_pc(d);
	r = dbg_examine_expr(d->ctx, c->has_fmt ? &c->fmt : NULL, c->expr, &b);
	return finish_cmd(d, r, &b, false);
}

int cmd_set_var(struct dbg *d, const struct dbg_cmd *c)
{
	struct dbg_value *v;
	int r;

	if (!c->expr)
		return derr(d, "Argument required (expression to compute).");
	r = dbg_eval_string(d->ctx, c->expr, &v);
	if (r == 0)
		r = dbg_value_fetch(d->ctx, v);
	if (r < 0)
		derr(d, "%s", dbg_ctx_error(d->ctx));
	dbg_ctx_reset_tmp(d->ctx);
	inf_invalidate_keep_frame(d);
	return r < 0 ? -1 : 0;
}

/* ---- displays ---- */

static int show_display(struct dbg *d, struct display *x)
{
	struct dbg_buf b = {0};
	int r;

	set_pc(d);
	r = dbg_display_command(d->ctx, x->num, x->has_fmt ? &x->fmt : NULL, x->expr, &b);
	dout(d, "%s", dbg_buf_str(&b));
	dbg_buf_free(&b);
	dbg_ctx_reset_tmp(d->ctx);
	return r;
}

void display_all(struct dbg *d)
{
	for (struct display *x = d->displays; x; x = x->next)
		if (x->enabled)
			show_display(d, x);
}

int cmd_display(struct dbg *d, const struct dbg_cmd *c)
{
	struct display *x, **pp;

	if (!c->expr) {
		display_all(d);
		return 0;
	}
	x = calloc(1, sizeof(*x));
	if (!x)
		return derr(d, "out of memory");
	x->num = ++d->next_display;
	x->enabled = true;
	x->expr = strdup(c->expr);
	x->has_fmt = c->has_fmt;
	x->fmt = c->fmt;
	for (pp = &d->displays; *pp; pp = &(*pp)->next)
		;
	*pp = x;
	if (d->from_tty && inf_live(d))
		show_display(d, x);
	return 0;
}

int cmd_info_display(struct dbg *d)
{
	if (!d->displays) {
		dout(d, "There are no auto-display expressions now.\n");
		return 0;
	}
	dout(d, "Auto-display expressions now in effect:\nNum Enb Expression\n");
	for (struct display *x = d->displays; x; x = x->next) {
		char fmt[32] = "";

		if (x->has_fmt) {
			size_t k = 0;

			fmt[k++] = '/';
			if (x->fmt.format == 'i' || x->fmt.format == 's' || x->fmt.size)
				k += (size_t)snprintf(fmt + k, sizeof(fmt) - k, "%ld",
				                      x->fmt.count);
			if (x->fmt.size)
				fmt[k++] = x->fmt.size;
			else if (x->fmt.format == 'i' || x->fmt.format == 's')
				fmt[k++] = 'b';
			if (x->fmt.format)
				fmt[k++] = x->fmt.format;
			fmt[k++] = ' ';
			fmt[k] = '\0';
		}
		dout(d, "%d:   %c  %s%s\n", x->num, x->enabled ? 'y' : 'n', fmt, x->expr);
	}
	return 0;
}

int cmd_undisplay(struct dbg *d, const struct dbg_cmd *c)
{
	if (c->nranges == 0) {
		if (c->kind == DBG_CMD_UNDISPLAY || c->kind == DBG_CMD_DELETE)
			display_free(d);
		else
			for (struct display *x = d->displays; x; x = x->next)
				x->enabled = c->kind == DBG_CMD_ENABLE;
		return 0;
	}
	for (size_t i = 0; i < c->nranges; i++)
		for (long n = c->ranges[i].lo; n <= c->ranges[i].hi; n++) {
			struct display **pp;
			bool found = false;

			for (pp = &d->displays; *pp; pp = &(*pp)->next) {
				if ((*pp)->num != n)
					continue;
				found = true;
				if (c->kind == DBG_CMD_UNDISPLAY || c->kind == DBG_CMD_DELETE) {
					struct display *x = *pp;

					*pp = x->next;
					free(x->expr);
					free(x);
				} else {
					(*pp)->enabled = c->kind == DBG_CMD_ENABLE;
				}
				break;
			}
			if (!found)
				derr(d, "No display number %ld.", n);
		}
	return 0;
}

void display_free(struct dbg *d)
{
	while (d->displays) {
		struct display *x = d->displays;

		d->displays = x->next;
		free(x->expr);
		free(x);
	}
}

/* ---- symbols, lines, disassembly ---- */

static int eval_addr(struct dbg *d, const char *expr, uint64_t *ret)
{
	struct dbg_value *v;
	int r = dbg_eval_string(d->ctx, expr, &v);

	if (r >= 0)
		r = dbg_value_as_address(d->ctx, v, ret);
	if (r < 0)
		derr(d, "%s", dbg_ctx_error(d->ctx));
	dbg_ctx_reset_tmp(d->ctx);
	return r;
}

/* The name of the allocated section of the ELF file path that holds link-time address a. */
static bool section_of(const char *path, uint64_t a, char *buf, size_t len)
{
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	bool found = false;

	if (fd < 0)
		return false;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (e && elf_getshdrstrndx(e, &shstrndx) == 0)
		while (!found && (scn = elf_nextscn(e, scn)) != NULL) {
			GElf_Shdr sh;
			const char *n;

			if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
			    a < sh.sh_addr || a - sh.sh_addr >= sh.sh_size ||
			    !(n = elf_strptr(e, shstrndx, sh.sh_name)))
				continue;
			snprintf(buf, len, "%s", n);
			found = true;
		}
	if (e)
		elf_end(e);
	close(fd);
	return found;
}

int cmd_info_symbol(struct dbg *d, const struct dbg_cmd *c)
{
	struct ptk_symtab *st;
	struct ptk_sym s;
	struct ptk_module m;
	char name[512];
	uint64_t addr;

	if (eval_addr(d, c->expr, &addr) < 0)
		return -1;
	st = inf_symtab(d);
	if (!st || ptk_sym_at(st, addr, &s) < 0 || (s.size && s.offset >= s.size) ||
	    !sym_describe(d, addr, name, sizeof(name))) {
		dout(d, "No symbol matches %s.\n", c->expr);
		return 0;
	}
	{
		char *plus = strchr(name, '+');
		char secbuf[64];
		const char *sec = s.type == PTK_SYM_FUNC || s.type == PTK_SYM_IFUNC ? ".text"
		                  : s.type == PTK_SYM_PLT                           ? ".plt"
		                                                                    : ".data";

		if (ptk_symtab_module_at(st, addr, &m) == 0 &&
		    section_of(m.path, addr - m.bias, secbuf, sizeof(secbuf)))
			sec = secbuf;

		if (plus)
			*plus = ' ', memmove(plus + 3, plus + 1, strlen(plus + 1) + 1),
			plus[1] = '+', plus[2] = ' ';
		if (ptk_symtab_module_at(st, addr, &m) == 0 && m.path)
			dout(d, "%s in section %s of %s\n", name, sec, m.path);
		else
			dout(d, "%s in section %s\n", name, sec);
	}
	return 0;
}

static void line_sentence(struct dbg *d, const struct ptk_line *l)
{
	char disp[4096], s1[512], s2[512];
	struct ptk_line r;
	struct ptk_symtab *st = inf_symtab(d);

	file_display(d, l->addr, l->file, disp, sizeof(disp));
	if (!st || ptk_line_range(st, l->addr, &r) < 0)
		r = *l;
	if (!sym_describe(d, r.addr, s1, sizeof(s1)))
		s1[0] = '\0';
	if (!sym_describe(d, r.end, s2, sizeof(s2)))
		s2[0] = '\0';
	dout(d, "Line %d of \"%s\" starts at address 0x%llx%s%s%s and ends at 0x%llx%s%s%s.\n",
	     l->line, disp, (unsigned long long)addr_shown(d, r.addr), s1[0] ? " <" : "", s1,
	     s1[0] ? ">" : "", (unsigned long long)addr_shown(d, r.end), s2[0] ? " <" : "", s2,
	     s2[0] ? ">" : "");
}

int cmd_info_line(struct dbg *d, const struct dbg_cmd *c)
{
	struct ptk_symtab *st;
	struct ptk_line l;
	struct resolved r[4];
	struct dbg_location loc;
	struct dbg_arena a = {0};
	char e[256];
	uint64_t addr;
	int n;

	if (!c->expr) {
		struct frame *f;

		if (!inf_live(d) || !(f = frame_sel(d)))
			return derr(d, "No line number information available.");
		addr = f->pf.lookup_pc;
	} else {
		if (dbg_location_parse(c->expr, &a, &loc, e, sizeof(e)) < 0) {
			dbg_arena_free(&a);
			return derr(d, "%s", e);
		}
		n = loc_resolve(d, &loc, r, 4);
		dbg_arena_free(&a);
		if (n <= 0)
			return -1;
		addr = r[0].addr;
		if (loc.kind == DBG_LOC_FUNCTION || loc.kind == DBG_LOC_FILE_FUNCTION) {
			struct ptk_func fn;

			st = inf_symtab(d);
			if (st && ptk_func_at(st, addr, &fn) == 0)
				addr = fn.entry;
		}
	}
	st = inf_symtab(d);
	if (!st || ptk_line_at(st, addr, &l) < 0) {
		char s[512];

		if (sym_describe(d, addr, s, sizeof(s)))
			dout(d, "No line number information available for address 0x%llx <%s>\n",
			     (unsigned long long)addr, s);
		else
			dout(d, "No line number information available for address 0x%llx\n",
			     (unsigned long long)addr);
		return 0;
	}
	line_sentence(d, &l);
	return 0;
}

static void disas_range(struct dbg *d, uint64_t lo, uint64_t hi, uint64_t func, bool raw)
{
	struct frame *f;
	uint64_t pc = 0;
	char text[512], sym[512];

	if (inf_live(d) && (f = frame_sel(d)) != NULL)
		pc = f->pf.pc;
	for (uint64_t a = lo; a < hi;) {
		size_t len = 1;
		struct dbg_buf b = {0};

		if (disas_one(d, a, text, sizeof(text), &len) < 0) {
			derr(d, "Cannot access memory at address 0x%llx", (unsigned long long)a);
			return;
		}
		dbg_buf_printf(&b, "%s0x%016llx", a == pc ? "=> " : "   ", (unsigned long long)a);
		if (func)
			dbg_buf_printf(&b, " <+%llu>", (unsigned long long)(a - func));
		else if (sym_describe(d, a, sym, sizeof(sym)))
			/* a range names each address as <func+off>, +0 too */
			dbg_buf_printf(&b, " <%s%s>", sym, strchr(sym, '+') ? "" : "+0");
		dbg_buf_putc(&b, ':');
		dbg_buf_putc(&b, '\t');
		if (raw) {
			uint8_t bytes[16];
			struct dbg_buf hx = {0};

			if (d->ctx->target.read_memory(d, a, bytes, len) == 0)
				for (size_t i = 0; i < len; i++)
					dbg_buf_printf(&hx, "%s%02x", i ? " " : "", bytes[i]);
			dbg_buf_printf(&b, "%-19s\t", dbg_buf_str(&hx));
			dbg_buf_free(&hx);
		}
		dout(d, "%s%s\n", dbg_buf_str(&b), text);
		dbg_buf_free(&b);
		a += len;
	}
}

int cmd_disassemble(struct dbg *d, const struct dbg_cmd *c)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_func fn;
	uint64_t a, e;

	if (c->expr2) {
		if (eval_addr(d, c->expr, &a) < 0 || eval_addr(d, c->expr2, &e) < 0)
			return -1;
		if (c->plus_len)
			e += a;
		dout(d, "Dump of assembler code from 0x%llx to 0x%llx:\n", (unsigned long long)a,
		     (unsigned long long)e);
		disas_range(d, a, e, 0, c->raw);
		dout(d, "End of assembler dump.\n");
		return 0;
	}
	if (c->expr) {
		if (eval_addr(d, c->expr, &a) < 0)
			return -1;
	} else {
		struct frame *f;

		if (!inf_live(d) || !(f = frame_sel(d)))
			return derr(d, "No frame selected.");
		a = f->pf.lookup_pc;
	}
	if (!st || ptk_func_at(st, a, &fn) < 0 || fn.high <= fn.low)
		return derr(d, "No function contains specified address.");
	dout(d, "Dump of assembler code for function %s:\n", fn.name ? fn.name : "??");
	disas_range(d, fn.low, fn.high, fn.entry, c->raw);
	dout(d, "End of assembler dump.\n");
	return 0;
}

int cmd_info_locals(struct dbg *d, const struct dbg_cmd *c, bool args)
{
	struct dbg_buf b = {0};
	struct frame *f;

	(void)c;
	if (!inf_live(d) || !(f = frame_sel(d)))
		return derr(d, "No frame selected.");
	if (!f->has_loc || !f->loc.file) {
		dout(d, "No symbol table info available.\n");
		return 0;
	}
	dw_frame_vars(d, d->sel_frame, args, &b, false, 0);
	if (b.len == 0)
		dout(d, args ? "No arguments.\n" : "No locals.\n");
	else
		dout(d, "%s", dbg_buf_str(&b));
	dbg_buf_free(&b);
	dbg_ctx_reset_tmp(d->ctx);
	return 0;
}

/* finish: the value in rax/rdx or xmm0/xmm1 (System V AMD64 ABI), as $N. */
void print_return_value(struct dbg *d, struct dbg_type *rt)
{
	struct dbg_type *s = dbg_type_strip(rt);
	struct dbg_value *v;
	struct dbg_buf b = {0};
	struct ptk_regs r;
	struct ptk_fpregs fp;
	uint64_t size;
	int n;

	if (!s || s->kind == DBG_TYPE_VOID || cur_regs(d, &r) < 0)
		return;
	size = dbg_type_size(rt);
	v = dbg_value_new(d->ctx, rt);
	if (!v)
		return;
	if (s->kind == DBG_TYPE_FLOAT && size <= 8) {
		if (ptk_fpregs_get(d->s, d->inf.cur_tid, &fp) < 0)
			return;
		memcpy(v->bytes, fp.xmm[0], size);
	} else if (s->kind == DBG_TYPE_FLOAT) {
		if (ptk_fpregs_get(d->s, d->inf.cur_tid, &fp) < 0)
			return;
		memcpy(v->bytes, fp.st[0], 10);
	} else if ((s->kind == DBG_TYPE_STRUCT || s->kind == DBG_TYPE_UNION) && size > 16) {
		/* Returned in memory: rax holds its address. */
		v = dbg_value_at(d->ctx, rt, r.rax);
	} else if (size <= 16) {
		uint8_t regs[16];

		memcpy(regs, &r.rax, 8);
		memcpy(regs + 8, &r.rdx, 8);
		memcpy(v->bytes, regs, size);
	}
	n = dbg_history_add(d->ctx, v);
	if (n > 0 && dbg_print_value(d->ctx, v, 0, &b) == 0)
		dout(d, "Value returned is $%d = %s\n", n, dbg_buf_str(&b));
	dbg_buf_free(&b);
	dbg_ctx_reset_tmp(d->ctx);
}
