/* SPDX-License-Identifier: MIT */
/*
 * Variables from DWARF for the evaluator: locals and arguments of the
 * selected frame (the lexical blocks around its pc, an inlined call's own
 * variables in its own frame), then the compilation unit's statics, then
 * globals of every module, functions and enumerators; ELF symbols for code
 * without debug information.  Locations are DWARF expressions (location
 * lists chosen by pc) evaluated against the frame: registers (the thread's
 * for the innermost physical frame, the unwinder's for callers), the frame
 * base (DW_OP_call_frame_cfa is the frame's CFA), memory, implicit values
 * and pieces; what cannot be known is <optimized out>.
 */
#include "dwarf_impl.h"

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool dw_scope_pc(struct dbg *d, uint64_t *ret)
{
	struct frame *f;
	int n;

	if (d->scope_pc_set) {
		*ret = d->scope_pc;
		return true;
	}
	if (!inf_live(d))
		return false;
	n = d->var_frame >= 0 ? d->var_frame : d->sel_frame;
	if (frames_get_few(d, n + 1, &f) <= n)
		return false;
	*ret = f[n].pf.lookup_pc;
	return true;
}

/*
 * The DWARF scopes at pc, from a small cache (conditions evaluated at every
 * hit of a breakpoint look at the same pc again and again).  The result
 * belongs to the cache: do not free it.  NULL when there is no DWARF.
 */
const struct ptk_dwarf_scopes *dw_scopes(struct dbg *d, uint64_t pc)
{
	struct dwarf_info *w = dw_state(d);
	struct ptk_symtab *st = inf_symtab(d);
	unsigned k;

	if (!w || !st)
		return NULL;
	for (k = 0; k < DW_SCOPE_CACHE; k++)
		if (w->sc_valid[k] && w->sc_pc[k] == pc)
			return &w->sc[k];
	/* evict the next entry that no caller holds */
	for (unsigned tries = 0;; tries++) {
		if (tries == DW_SCOPE_CACHE)
			return NULL;
		k = w->sc_next++ % DW_SCOPE_CACHE;
		if (!w->sc_held[k])
			break;
	}
	if (w->sc_valid[k])
		ptk_dwarf_scopes_free(&w->sc[k]);
	w->sc_valid[k] = false;
	if (ptk_dwarf_scopes_at(st, pc, &w->sc[k]) < 0)
		return NULL;
	w->sc_valid[k] = true;
	w->sc_pc[k] = pc;
	return &w->sc[k];
}

const struct ptk_dwarf_scopes *dw_scopes_hold(struct dbg *d, uint64_t pc)
{
	const struct ptk_dwarf_scopes *scp = dw_scopes(d, pc);

	if (scp)
		d->dw->sc_held[scp - d->dw->sc]++;
	return scp;
}

void dw_scopes_release(struct dbg *d, const struct ptk_dwarf_scopes *scp)
{
	if (scp && d->dw && d->dw->sc_held[scp - d->dw->sc])
		d->dw->sc_held[scp - d->dw->sc]--;
}

void dw_scopes_flush(struct dbg *d)
{
	struct dwarf_info *w = d->dw;

	if (!w)
		return;
	for (unsigned k = 0; k < DW_SCOPE_CACHE; k++)
		if (w->sc_valid[k])
			ptk_dwarf_scopes_free(&w->sc[k]);
	memset(w->sc_valid, 0, sizeof(w->sc_valid));
	memset(w->sc_held, 0, sizeof(w->sc_held));
}

/* The frame variables are read in (NULL: none, e.g. a breakpoint's scope check). */
static struct frame *var_frame(struct dbg *d)
{
	struct frame *f;
	int n;

	if (d->scope_pc_set || !inf_live(d))
		return NULL;
	n = d->var_frame >= 0 ? d->var_frame : d->sel_frame;
	if (frames_get_few(d, n + 1, &f) <= n)
		return NULL;
	return &f[n];
}

/* ---- scopes of a frame ---- */

/*
 * The scopes (indexes into sc->scopes) that hold frame f's variables:
 * segment `seg` of the chain, counted from the innermost inlined call.
 */
static void segment(const struct ptk_dwarf_scopes *sc, int seg, int *first, int *last)
{
	int s = 0, start = 0;

	for (int i = 0; i < sc->nscopes; i++) {
		int tag = dwarf_tag(&sc->scopes[i]);

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		if (s == seg) {
			*first = start;
			*last = i;
			return;
		}
		s++;
		start = i + 1;
	}
	*first = start < sc->nscopes ? start : 0;
	*last = sc->nscopes - 1;
}

static int frame_seg(struct dbg *d, int n)
{
	struct frame *f = &d->frames[n];
	int seg = 0;

	for (int k = n - 1; k >= 0 && d->frames[k].phys == f->phys; k--)
		seg++;
	return seg;
}

/* The subprogram that holds the frame base for scope chain sc. */
static Dwarf_Die *func_die(struct ptk_dwarf_scopes *sc)
{
	return sc->func >= 0 ? &sc->scopes[sc->func] : NULL;
}

static bool find_child(Dwarf_Die *scope, const char *name, Dwarf_Die *ret)
{
	Dwarf_Die child;

	if (dwarf_child(scope, &child) != 0)
		return false;
	do {
		int tag = dwarf_tag(&child);
		const char *n;

		if (tag != DW_TAG_variable && tag != DW_TAG_formal_parameter)
			continue;
		n = dwarf_diename(&child);
		if (n && strcmp(n, name) == 0) {
			*ret = child;
			return true;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

static bool find_enumerator(struct dbg *d, Dwarf_Die *cu, const char *name, struct dbg_symbol *ret)
{
	Dwarf_Die child, e;

	if (dwarf_child(cu, &child) != 0)
		return false;
	do {
		Dwarf_Die td = child;

		if (dwarf_tag(&td) == DW_TAG_typedef) {
			Dwarf_Attribute at;

			if (!dwarf_attr(&td, DW_AT_type, &at) || !dwarf_formref_die(&at, &td))
				continue;
		}
		if (dwarf_tag(&td) != DW_TAG_enumeration_type || dwarf_child(&td, &e) != 0)
			continue;
		do {
			const char *n = dwarf_diename(&e);

			if (n && strcmp(n, name) == 0) {
				struct dbg_type *t = dw_type(d, &td);

				if (!t)
					return false;
				for (size_t i = 0; i < t->nenumerators; i++)
					if (strcmp(t->enumerators[i].name, name) == 0) {
						ret->type = t;
						ret->loc = DBG_SYM_CONST;
						ret->bytes = &t->enumerators[i].value;
						ret->len = (size_t)t->size;
						return true;
					}
			}
		} while (dwarf_siblingof(&e, &e) == 0);
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/* A function by name: its DWARF type when known, else an ELF symbol. */
static int function_symbol(struct dbg *d, struct ptk_symtab *st, const char *name,
                           struct dbg_symbol *ret)
{
	struct dwarf_info *w = dw_state(d);
	struct ptk_sym s[4];
	int n = ptk_sym_lookup(st, name, s, 4);

	for (int i = 0; i < n && i < 4; i++) {
		const struct ptk_dwarf_scopes *scp;

		if (s[i].type != PTK_SYM_FUNC && s[i].type != PTK_SYM_IFUNC &&
		    s[i].type != PTK_SYM_PLT && s[i].type != PTK_SYM_OBJECT)
			continue;
		memset(ret, 0, sizeof(*ret));
		ret->loc = DBG_SYM_ADDR;
		ret->addr = s[i].addr;
		if (s[i].type != PTK_SYM_OBJECT && (scp = dw_scopes(d, s[i].addr)) != NULL) {
			struct ptk_dwarf_scopes sc = *scp;
			Dwarf_Die *fd = func_die(&sc);

			if (fd)
				ret->type = dw_type(d, fd);
			if (ret->type)
				return 0;
		}
		if (!w)
			return -ENOMEM;
		/* No debug information: gdb's placeholder types. */
		if (s[i].type == PTK_SYM_OBJECT) {
			struct dbg_type *it = dbg_type_new(&w->arena, DBG_TYPE_INT, "int", 4);

			ret->type =
			        dbg_type_typedef(&w->arena, "<data variable, no debug info>", it);
		} else {
			struct dbg_type *it = dbg_type_new(&w->arena, DBG_TYPE_INT, "int", 4);
			struct dbg_type *ft = dbg_type_func(&w->arena, it, NULL, 0, false, false);

			ret->type =
			        dbg_type_typedef(&w->arena, "<text variable, no debug info>", ft);
		}
		return ret->type ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

int dw_lookup_symbol(struct dbg *d, const char *name, struct dbg_symbol *ret)
{
	struct ptk_symtab *st = inf_symtab(d);
	const struct ptk_dwarf_scopes *scp;
	struct ptk_dwarf_scopes sc;
	struct frame *f = var_frame(d);
	Dwarf_Die var;
	Dwarf_Addr bias;
	uint64_t pc;
	int r = -ENOENT;

	if (!st)
		return -ENOENT;
	if (dw_scope_pc(d, &pc) && (scp = dw_scopes_hold(d, pc)) != NULL) {
		int first = 0, last;

		sc = *scp;
		last = sc.nscopes - 1;

		if (f)
			segment(&sc, frame_seg(d, (int)(f - d->frames)), &first, &last);
		for (int i = first; i >= 0 && i <= last && r == -ENOENT; i++)
			if (find_child(&sc.scopes[i], name, &var))
				r = dw_var_symbol(d, f, &var, func_die(&sc), sc.bias, pc, ret);
		/* The compilation unit's statics and globals. */
		if (r == -ENOENT && find_child(&sc.cu, name, &var))
			r = dw_var_symbol(d, f, &var, NULL, sc.bias, pc, ret);
		if (r == -ENOENT && find_enumerator(d, &sc.cu, name, ret))
			r = 0;
		dw_scopes_release(d, scp);
		if (r != -ENOENT)
			return r;
	}
	if (ptk_dwarf_global(st, name, &var, &bias) == 0)
		return dw_var_symbol(d, f, &var, NULL, bias, 0, ret);
	r = function_symbol(d, st, name, ret);
	if (r != -ENOENT)
		return r;
	{
		Dwarf *dw;
		Dwarf_Off off = 0, next;
		size_t hs;

		if (ptk_dwarf_module(st, 0, &dw, &bias) == 0)
			while (dwarf_nextcu(dw, off, &next, &hs, NULL, NULL, NULL) == 0) {
				Dwarf_Die cu;

				if (dwarf_offdie(dw, off + hs, &cu) &&
				    find_enumerator(d, &cu, name, ret))
					return 0;
				off = next;
			}
	}
	return -ENOENT;
}

/* ---- frame variables ---- */

static void print_var(struct dbg *d, struct frame *f, Dwarf_Die *var, Dwarf_Die *func,
                      Dwarf_Addr bias, uint64_t pc, bool brief, const char *name,
                      struct dbg_buf *out)
{
	struct dbg_symbol s;
	struct dbg_value *v = NULL;
	struct dbg_type *t;

	if (dw_var_symbol(d, f, var, func, bias, pc, &s) < 0) {
		dbg_buf_puts(out, "<error>");
		return;
	}
	t = dbg_type_strip(s.type);
	if (brief && t &&
	    (t->kind == DBG_TYPE_STRUCT || t->kind == DBG_TYPE_UNION ||
	     t->kind == DBG_TYPE_ARRAY)) {
		dbg_buf_puts(out, "...");
		return;
	}
	if (brief && name && dwarf_tag(var) == DW_TAG_formal_parameter) {
		/*
		 * gdb's default entry values: "x=x@entry=5" when the value the
		 * caller passed is known and equal, "x@entry=5" when only it is.
		 */
		uint8_t ev[8], cur[8];
		size_t size = (size_t)dbg_type_size(s.type);
		bool have_cur = false;

		if (dw_param_entry_value(d, f, var, func, bias, ev, size) == 0) {
			if (s.loc == DBG_SYM_CONST && s.len >= size) {
				memcpy(cur, s.bytes, size);
				have_cur = true;
			} else if (s.loc == DBG_SYM_ADDR &&
			           ptk_mem_read(d->s, d->inf.cur_tid, s.addr, cur, size, NULL) ==
			                   0) {
				have_cur = true;
			}
			if (!have_cur || memcmp(cur, ev, size) == 0) {
				struct dbg_value *e = dbg_value_new(d->ctx, s.type);

				if (e) {
					memcpy(e->bytes, ev, size);
					/* "name=" is already written: drop it for "name@entry="
					 * alone */
					if (!have_cur)
						dbg_buf_truncate(out, out->len - strlen(name) - 1);
					dbg_buf_printf(out, "%s%s@entry=", have_cur ? name : "",
					               have_cur ? "" : name);
					if (dbg_print_value_plain(d->ctx, e, 0, out) < 0)
						dbg_buf_puts(out, "<error>");
					return;
				}
			}
		}
	}
	switch (s.loc) {
	case DBG_SYM_ADDR:
		v = dbg_value_at(d->ctx, s.type, s.addr);
		break;
	case DBG_SYM_CONST:
		v = dbg_value_new(d->ctx, s.type);
		if (v)
			memcpy(v->bytes, s.bytes,
			       s.len < dbg_type_size(s.type) ? s.len : dbg_type_size(s.type));
		break;
	default:
		v = dbg_value_new(d->ctx, s.type);
		if (v)
			v->optimized_out = true;
		break;
	}
	if (!v || dbg_print_value_plain(d->ctx, v, 0, out) < 0)
		dbg_buf_printf(out, "<error: %s>", dbg_ctx_error(d->ctx));
}

int dw_frame_vars(struct dbg *d, int n, bool args, struct dbg_buf *out, bool one_line, int indent)
{
	struct ptk_symtab *st = inf_symtab(d);
	const struct ptk_dwarf_scopes *scp;
	struct ptk_dwarf_scopes sc;
	struct frame *f;
	int first, last, count = 0, saved = d->var_frame;
	uint64_t pc;

	if (!st || !d->frames || n >= d->nframes)
		return 0;
	f = &d->frames[n];
	pc = f->pf.lookup_pc;
	if (!(scp = dw_scopes_hold(d, pc)))
		return 0;
	sc = *scp;
	d->var_frame = n;
	segment(&sc, frame_seg(d, n), &first, &last);
	for (int i = args ? last : first; i >= 0 && i <= last; i++) {
		Dwarf_Die child;
		int want = args ? DW_TAG_formal_parameter : DW_TAG_variable;

		if (dwarf_child(&sc.scopes[i], &child) != 0)
			continue;
		do {
			const char *name;

			if (dwarf_tag(&child) != want)
				continue;
			name = dwarf_diename(&child);
			if (!name)
				continue;
			if (one_line) {
				dbg_buf_printf(out, "%s%s=", count ? ", " : "", name);
				print_var(d, f, &child, func_die(&sc), sc.bias, pc, true, name,
				          out);
			} else {
				dbg_buf_printf(out, "%*s%s = ", indent, "", name);
				print_var(d, f, &child, func_die(&sc), sc.bias, pc, false, name,
				          out);
				dbg_buf_putc(out, '\n');
			}
			count++;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	dw_scopes_release(d, scp);
	d->var_frame = saved;
	return count;
}

struct dbg_type *dw_return_type(struct dbg *d, uint64_t pc)
{
	const struct ptk_dwarf_scopes *scp = dw_scopes(d, pc);
	struct ptk_dwarf_scopes sc;
	struct dbg_type *t = NULL;
	Dwarf_Die *fd;

	if (!scp)
		return NULL;
	sc = *scp;
	fd = func_die(&sc);
	if (fd && dwarf_hasattr_integrate(fd, DW_AT_type))
		t = dw_type_of(d, fd);
	return t;
}

void dw_reset(struct dbg *d)
{
	struct dwarf_info *w = d->dw;

	/*
	 * The symbol table changed: DIE addresses may be reused.  Forget the
	 * cache but keep the types themselves, which values in the history
	 * ($1, $2) may still use.
	 */
	if (w)
		memset(w->tcache, 0, (1u << 12) * sizeof(*w->tcache));
	dw_scopes_flush(d);
}

void dw_free(struct dbg *d)
{
	struct dwarf_info *w = d->dw;

	if (!w)
		return;
	dw_scopes_flush(d);
	dbg_arena_free(&w->arena);
	free(w->tcache);
	free(w->big);
	free(w);
	d->dw = NULL;
}
