/* SPDX-License-Identifier: MIT */
/*
 * Functions in DWARF: the scopes that contain an address, a function's
 * entry and post-prologue address (where gdb puts `break FUNC`), the
 * inlined calls at an address (gdb's inline frames), and functions by name
 * from an index of a module's DWARF.  The gdb rules are described at the
 * top of sym_dwarf.c.
 */
#include "internal.h"
#include "sym_internal.h"

#include <dwarf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Scopes and functions                                                */
/* ------------------------------------------------------------------ */

static bool is_scope_tag(int tag)
{
	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
	       tag == DW_TAG_lexical_block;
}

/*
 * The concrete scopes that contain DWARF address a, innermost first:
 * lexical blocks, inlined subroutines, subprograms (not the CU).  Where
 * several siblings contain a (assembler CUs describe each alias of a
 * function: __getppid, __GI_getppid, ...) the last one is taken, as gdb
 * does.  Returns their number (*ret malloc'd, NULL when 0) or -ENOMEM.
 */
int dw_scopes(Dwarf_Die *cu, Dwarf_Addr a, Dwarf_Die **ret)
{
	Dwarf_Die *v = NULL;
	int n = 0, cap = 0;
	Dwarf_Die cur = *cu, child;
	*ret = NULL;
	for (int depth = 0; depth < 256 && dwarf_child(&cur, &child) == 0; depth++) {
		Dwarf_Die hit, ns;
		bool found = false, in_ns = false;
		do {
			int tag = dwarf_tag(&child);
			if (tag == DW_TAG_namespace || tag == DW_TAG_module) {
				/* C++/Fortran: look inside, the namespace is no scope */
				if (!found && dwarf_child(&child, &hit) == 0) {
					ns = child;
					in_ns = true;
				}
				continue;
			}
			if (is_scope_tag(tag) && dwarf_haspc(&child, a) == 1) {
				hit = child;
				found = true;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
		if (!found) {
			if (!in_ns)
				break;
			cur = ns;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			Dwarf_Die *nv = realloc(v, (size_t)cap * sizeof *nv);
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = hit;
		cur = hit;
	}
	for (int i = 0; i < n / 2; i++) {
		Dwarf_Die t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	*ret = v;
	return n;
}

/* Entry of a function or inlined copy as gdb has it: its first non-empty range. */
bool dw_block_entry(Dwarf_Die *d, Dwarf_Addr *ret)
{
	Dwarf_Addr base, s, e;
	ptrdiff_t off = 0;
	while ((off = dwarf_ranges(d, off, &base, &s, &e)) > 0)
		if (s < e) {
			*ret = s;
			return true;
		}
	return false;
}

/* The range of d that contains a, and the span of all its ranges. */
bool dw_block_piece(Dwarf_Die *d, Dwarf_Addr a, Dwarf_Addr *lo, Dwarf_Addr *hi, Dwarf_Addr *span_lo,
                    Dwarf_Addr *span_hi)
{
	Dwarf_Addr base, s, e;
	ptrdiff_t off = 0;
	bool found = false;
	*span_lo = UINT64_MAX;
	*span_hi = 0;
	while ((off = dwarf_ranges(d, off, &base, &s, &e)) > 0) {
		if (s >= e)
			continue;
		if (s < *span_lo)
			*span_lo = s;
		if (e > *span_hi)
			*span_hi = e;
		if (a >= s && a < e) {
			*lo = s;
			*hi = e;
			found = true;
		}
	}
	return found;
}

/* A function's name as gdb prints it: DW_AT_linkage_name for C, else DW_AT_name. */
const char *dw_funcname(Dwarf_Die *d)
{
	Dwarf_Attribute at;
	const char *n = NULL;
	if (dwarf_attr_integrate(d, DW_AT_linkage_name, &at) ||
	    dwarf_attr_integrate(d, DW_AT_MIPS_linkage_name, &at))
		n = dwarf_formstring(&at);
	if (n && strncmp(n, "_Z", 2) != 0)
		return n;
	if (dwarf_attr_integrate(d, DW_AT_name, &at))
		return dwarf_formstring(&at);
	return n;
}

/* Whether DW_AT_location or DW_AT_frame_base of d is a location list. */
static bool has_loclist_attr(Dwarf_Die *d, int version)
{
	static const unsigned attrs[] = {DW_AT_location, DW_AT_frame_base};
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
		Dwarf_Attribute at;
		if (!dwarf_attr(d, attrs[i], &at))
			continue;
		unsigned f = dwarf_whatform(&at);
		if (f == DW_FORM_sec_offset || f == DW_FORM_loclistx ||
		    (version < 4 && (f == DW_FORM_data4 || f == DW_FORM_data8)))
			return true;
	}
	return false;
}

static bool tree_has_loclist(Dwarf_Die *d, int version, int depth)
{
	Dwarf_Die child;
	if (depth > 64 || dwarf_child(d, &child) != 0)
		return false;
	do {
		if (has_loclist_attr(&child, version) ||
		    tree_has_loclist(&child, version, depth + 1))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/*
 * Whether gdb puts `break FUNC` at the entry of the CU's functions: an
 * assembler CU, or GCC >= 4.5 code that has location lists (gdb's
 * "locations valid": it trusts optimized GCC code to describe variables
 * at every address, so skips no prologue).
 */
static bool starts_at_entry(struct cu_info *c)
{
	if (c->starts_at_entry >= 0)
		return c->starts_at_entry;
	bool yes = false;
	if (dwarf_srclang(&c->die) == DW_LANG_Mips_Assembler) {
		yes = true;
	} else {
		Dwarf_Attribute at;
		const char *p =
		        dwarf_attr(&c->die, DW_AT_producer, &at) ? dwarf_formstring(&at) : NULL;
		int maj = 0, min = 0;
		if (p && strncmp(p, "GNU ", 4) == 0) {
			const char *s = p + 4;
			/* one identifier ("C17", "C++") may precede the version */
			if (*s && *s != ' ' && (*s < '0' || *s > '9')) {
				s = strchr(s, ' ');
				s = s ? s + 1 : NULL;
			}
			if (s && sscanf(s, "%d.%d", &maj, &min) == 2 &&
			    (maj > 4 || (maj == 4 && min >= 5))) {
				Dwarf_Half version = 0;
				dwarf_cu_info(c->die.cu, &version, NULL, NULL, NULL, NULL, NULL,
				              NULL);
				yes = tree_has_loclist(&c->die, version, 0);
			}
		}
	}
	c->starts_at_entry = yes;
	return yes;
}

/*
 * The first instruction after an x86_64 frame setup at entry, as gdb's
 * prologue analysis finds it: [endbr64] push %rbp; mov %rsp,%rbp.  A
 * function that does not start so is "frameless" and keeps its entry.
 */
static uint64_t analyze_prologue(struct ptk_symtab *st, uint64_t entry)
{
	static const uint8_t endbr[4] = {0xf3, 0x0f, 0x1e, 0xfa};
	uint8_t b[12] = {0};
	size_t got = 0;
	if (st->s) /* NULL: a file without a process (sym_open_file) */
		ptk_mem_read(st->s, st->pid, entry, b, sizeof b, &got);
	size_t k = 0;
	if (got >= 4 && memcmp(b, endbr, 4) == 0)
		k = 4;
	if (got < k + 4 || b[k] != 0x55)
		return entry;
	const uint8_t *mv = b + k + 1;
	if ((mv[0] == 0x48 && mv[1] == 0x89 && mv[2] == 0xe5) ||
	    (mv[0] == 0x48 && mv[1] == 0x8b && mv[2] == 0xec))
		return entry + k + 4;
	if ((mv[0] == 0x89 && mv[1] == 0xe5) || (mv[0] == 0x8b && mv[1] == 0xec))
		return entry + k + 3;
	return entry;
}

/* The out-of-line function (DW_TAG_subprogram) among scopes, or -1. */
int dw_func_index(Dwarf_Die *scopes, int n)
{
	for (int i = 0; i < n; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			return i;
	return -1;
}

/*
 * gdb's post-prologue address of the function (or inlined copy) whose
 * entry is entry; func is its out-of-line function's DIE (NULL without
 * DWARF) and c its CU.  *ret_line: the line there (0 if unknown).
 */
uint64_t dw_post_prologue(struct ptk_symtab *st, struct mod *m, struct cu_info *c, Dwarf_Die *func,
                          uint64_t entry, int *ret_line)
{
	struct ptk_line row;
	uint64_t pc = entry;
	if (!c || !starts_at_entry(c)) {
		pc = analyze_prologue(st, entry);
		uint64_t lo = entry, hi = UINT64_MAX;
		if (func) {
			Dwarf_Addr l, h, sl, sh;
			if (dw_block_piece(func, entry - m->dwbias, &l, &h, &sl, &sh))
				hi = sh + m->dwbias;
		} else {
			struct ptk_sym s;
			if (sym_find(m, entry, &s) && s.size)
				hi = s.addr + s.size;
		}
		if (c && dw_line_at(m, c, pc, &row) && row.addr != pc && row.end >= lo &&
		    row.end < hi)
			pc = row.end;
	}
	*ret_line = c && dw_line_at(m, c, pc, &row) ? row.line : 0;
	return pc;
}

/* The out-of-line function containing run-time addr: its DIE in *ret. */
bool dw_func_die_at(struct mod *m, struct cu_info *c, uint64_t addr, Dwarf_Die *ret)
{
	Dwarf_Die *sc;
	int n = c ? dw_scopes(&c->die, addr - m->dwbias, &sc) : 0;
	if (n <= 0)
		return false;
	int f = dw_func_index(sc, n);
	if (f >= 0)
		*ret = sc[f];
	free(sc);
	return f >= 0;
}

int ptk_func_breakpoint(struct ptk_symtab *st, uint64_t entry, uint64_t *ret, int *ret_line)
{
	struct mod *m = sym_mod_at(st, entry);
	if (!m)
		return -ENOENT;
	struct cu_info *c = dw_cu_at(m, entry);
	Dwarf_Die fd;
	bool have = dw_func_die_at(m, c, entry, &fd);
	int line;
	*ret = dw_post_prologue(st, m, c, have ? &fd : NULL, entry, &line);
	if (ret_line)
		*ret_line = line;
	return 0;
}

int ptk_func_at(struct ptk_symtab *st, uint64_t addr, struct ptk_func *ret)
{
	struct mod *m = sym_mod_at(st, addr);
	if (!m)
		return -ENOENT;
	memset(ret, 0, sizeof *ret);
	struct cu_info *c = dw_cu_at(m, addr);
	Dwarf_Die fd;
	Dwarf_Addr lo, hi, sl, sh, e;
	if (dw_func_die_at(m, c, addr, &fd) &&
	    dw_block_piece(&fd, addr - m->dwbias, &lo, &hi, &sl, &sh) && dw_block_entry(&fd, &e)) {
		ret->name = dw_funcname(&fd);
		ret->entry = e + m->dwbias;
		ret->low = lo + m->dwbias;
		ret->high = hi + m->dwbias;
		if (ret->high < ret->low) /* a broken DW_AT_high_pc wraps the address space */
			ret->high = UINT64_MAX;
		Dwarf_Attribute at;
		Dwarf_Word w;
		if (dwarf_attr_integrate(&fd, DW_AT_decl_file, &at) &&
		    dwarf_formudata(&at, &w) == 0)
			ret->file = dw_cu_path(c, w);
		dwarf_decl_line(&fd, &ret->line);
		ret->has_dwarf = true;
		return 0;
	}
	struct ptk_sym s;
	if (!sym_find(m, addr, &s) || (s.type != PTK_SYM_FUNC && s.type != PTK_SYM_IFUNC &&
	                               s.type != PTK_SYM_PLT && s.type != PTK_SYM_OTHER))
		return -ENOENT;
	ret->name = s.name;
	ret->entry = s.addr;
	ret->low = s.addr;
	uint64_t size = s.size ? s.size : 1;
	/* a broken st_size must not wrap the range around */
	ret->high = s.addr + size < s.addr ? UINT64_MAX : s.addr + size;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Inlined calls                                                       */
/* ------------------------------------------------------------------ */

int ptk_addr_locate(struct ptk_symtab *st, uint64_t pc, struct ptk_location *ret, size_t max)
{
	struct mod *m = sym_mod_at(st, pc);
	if (!m)
		return -ENOENT;
	struct cu_info *c = dw_cu_at(m, pc);
	struct ptk_line row;
	bool have_row = c && dw_line_at(m, c, pc, &row);
	Dwarf_Die *sc = NULL;
	int nsc = c ? dw_scopes(&c->die, pc - m->dwbias, &sc) : 0;
	size_t n = 0;
	const char *file = have_row ? row.file : NULL;
	int line = have_row ? row.line : 0, col = have_row ? row.column : 0;
	bool have_func = false;
	for (int i = 0; i < nsc; i++) {
		int tag = dwarf_tag(&sc[i]);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		if (n < max) {
			struct ptk_location *l = &ret[n];
			Dwarf_Addr e = 0;
			l->func = dw_funcname(&sc[i]);
			l->func_addr = dw_block_entry(&sc[i], &e) ? e + m->dwbias : 0;
			l->func_off = l->func_addr ? pc - l->func_addr : 0;
			l->file = file;
			l->line = line;
			l->column = col;
			l->inlined = tag == DW_TAG_inlined_subroutine;
			l->module = m->path;
		}
		n++;
		if (tag == DW_TAG_subprogram) {
			have_func = true;
			break;
		}
		/* the caller's position: where this copy was inlined */
		Dwarf_Attribute at;
		Dwarf_Word w = 0;
		file = dwarf_attr(&sc[i], DW_AT_call_file, &at) && dwarf_formudata(&at, &w) == 0
		               ? dw_cu_path(c, w)
		               : NULL;
		w = 0;
		if (dwarf_attr(&sc[i], DW_AT_call_line, &at))
			dwarf_formudata(&at, &w);
		line = w <= INT_MAX ? (int)w : 0; /* a broken attribute is no line */
		w = 0;
		if (dwarf_attr(&sc[i], DW_AT_call_column, &at))
			dwarf_formudata(&at, &w);
		col = w <= INT_MAX ? (int)w : 0;
	}
	free(sc);
	if (!have_func) {
		/* no DWARF function: the ELF symbol, with the line if there is one */
		struct ptk_sym s;
		bool have_sym = sym_find(m, pc, &s);
		if (n < max) {
			struct ptk_location *l = &ret[n];
			l->func = have_sym ? s.name : NULL;
			l->func_addr = have_sym ? s.addr : 0;
			l->func_off = have_sym ? s.offset : 0;
			l->file = file;
			l->line = line;
			l->column = col;
			l->inlined = false;
			l->module = m->path;
		}
		n++;
	}
	return (int)n;
}

/* ------------------------------------------------------------------ */
/* break FUNC                                                          */
/* ------------------------------------------------------------------ */

/*
 * The module's functions and inlined copies by name, from one walk of all
 * its DWARF (only the DIEs that can hold code: subprograms, inlined
 * subroutines, lexical blocks, namespaces), built the first time a lookup
 * needs it.
 */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int fidx_add(struct mod *m, const char *name, bool inl, Dwarf_Addr entry, Dwarf_Off cu,
                    Dwarf_Off func)
{
	if (!name || !name[0])
		return 0;
	if (m->nfidx == m->fidx_cap) {
		size_t nc = m->fidx_cap ? m->fidx_cap * 2 : 1024;
		struct fidx_ent *nv = realloc(m->fidx, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		m->fidx = nv;
		m->fidx_cap = nc;
	}
	struct fidx_ent *e = &m->fidx[m->nfidx++];
	e->name = name;
	e->hash = name_hash(name);
	e->inlined = inl;
	e->entry = entry;
	e->cu = cu;
	e->func = func;
	return 0;
}

static int fidx_walk(struct mod *m, Dwarf_Off cu, Dwarf_Die *d, Dwarf_Off func, int depth)
{
	Dwarf_Die ch;
	if (depth > 64 || dwarf_child(d, &ch) != 0)
		return 0;
	do {
		int tag = dwarf_tag(&ch), r = 0;
		Dwarf_Off f = func;
		Dwarf_Addr e;
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) {
			bool inl = tag == DW_TAG_inlined_subroutine;
			if (!inl)
				f = dwarf_dieoffset(&ch);
			if (dw_block_entry(&ch, &e)) {
				Dwarf_Attribute at;
				const char *n = dwarf_attr_integrate(&ch, DW_AT_name, &at)
				                        ? dwarf_formstring(&at)
				                        : NULL;
				const char *ln = dwarf_attr_integrate(&ch, DW_AT_linkage_name, &at)
				                         ? dwarf_formstring(&at)
				                         : NULL;
				r = fidx_add(m, n, inl, e, cu, f);
				if (r == 0 && ln && (!n || strcmp(n, ln) != 0))
					r = fidx_add(m, ln, inl, e, cu, f);
			}
		}
		if (r == 0 && (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
		               tag == DW_TAG_lexical_block || tag == DW_TAG_namespace))
			r = fidx_walk(m, cu, &ch, f, depth + 1);
		if (r < 0)
			return r;
	} while (dwarf_siblingof(&ch, &ch) == 0);
	return 0;
}

static int fidx_build(struct mod *m)
{
	if (m->fidx_done)
		return 0;
	m->fidx_done = true;
	if (!dw_get(m))
		return 0;
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (dwarf_nextcu(m->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cudie;
		if (dwarf_offdie(m->dw, off + hsize, &cudie)) {
			int r = fidx_walk(m, off + hsize, &cudie, 0, 0);
			if (r < 0)
				return r;
		}
		off = next;
	}
	size_t nb = 64;
	while (nb < m->nfidx)
		nb *= 2;
	m->fbuckets = malloc(nb * sizeof *m->fbuckets);
	if (!m->fbuckets)
		return -ENOMEM;
	m->nfbuckets = nb;
	memset(m->fbuckets, 0xff, nb * sizeof *m->fbuckets);
	for (size_t i = 0; i < m->nfidx; i++) {
		struct fidx_ent *e = &m->fidx[i];
		e->next = m->fbuckets[e->hash & (nb - 1)];
		m->fbuckets[e->hash & (nb - 1)] = (uint32_t)i;
	}
	return 0;
}

struct locs {
	struct ptk_line_loc *ret;
	size_t max, n;
};

static void locs_add(struct locs *l, uint64_t addr, int line, const char *file, const char *func)
{
	for (size_t j = 0; j < l->n && j < l->max; j++)
		if (l->ret[j].addr == addr)
			return;
	if (l->n < l->max) {
		l->ret[l->n].addr = addr;
		l->ret[l->n].line = line;
		l->ret[l->n].file = file;
		l->ret[l->n].func = func;
	}
	l->n++;
}

/* Add the breakpoint location of DWARF function (or inlined copy) e. */
static void fidx_loc(struct ptk_symtab *st, struct mod *m, const struct fidx_ent *e, struct locs *l)
{
	Dwarf_Die cudie, fd;
	struct cu_info *c = dwarf_offdie(m->dw, e->cu, &cudie) ? dw_cu_get(m, &cudie) : NULL;
	bool have_f = e->func && dwarf_offdie(m->dw, e->func, &fd);
	int line;
	uint64_t a = dw_post_prologue(st, m, c, have_f ? &fd : NULL, e->entry + m->dwbias, &line);
	struct ptk_line row;
	/* the name gdb shows: an inlined function's, or the function's own */
	const char *name = !e->inlined && have_f ? dw_funcname(&fd) : e->name;
	locs_add(l, a, line, c && dw_line_at(m, c, a, &row) ? row.file : NULL, name);
}

int ptk_func_lookup(struct ptk_symtab *st, const char *name, unsigned flags,
                    struct ptk_line_loc *ret, size_t max)
{
	size_t cap = 16;
	struct ptk_sym *syms = NULL;
	int ns;
	for (;;) {
		struct ptk_sym *nv = realloc(syms, cap * sizeof *nv);
		if (!nv) {
			free(syms);
			return -ENOMEM;
		}
		syms = nv;
		ns = ptk_sym_lookup(st, name, syms, cap);
		if (ns < 0 || (size_t)ns <= cap)
			break;
		cap = (size_t)ns;
	}
	if (ns < 0) {
		free(syms);
		return ns;
	}
	bool any_func = false;
	for (int i = 0; i < ns; i++)
		any_func |= syms[i].type == PTK_SYM_FUNC || syms[i].type == PTK_SYM_IFUNC;
	struct locs l = {ret, max, 0};
	uint32_t h = name_hash(name);
	int r = 0;
	for (size_t mi = 0; mi < st->nmods && r == 0; mi++) {
		struct mod *m = st->mods[mi];
		Dwarf_Addr defs[64];
		size_t ndefs = 0;
		/* DWARF functions and inlined copies: every module in exact mode,
		   else the executable's when no module has an ELF function */
		if ((flags & PTK_FUNC_EXACT) || (!any_func && m->is_exe)) {
			r = fidx_build(m);
			for (uint32_t j = m->nfbuckets ? m->fbuckets[h & (m->nfbuckets - 1)] : NONE;
			     r == 0 && j != NONE; j = m->fidx[j].next) {
				const struct fidx_ent *e = &m->fidx[j];
				if (e->hash != h || strcmp(e->name, name) != 0)
					continue;
				if (!e->inlined && ndefs < 64)
					defs[ndefs++] = e->entry + m->dwbias;
				fidx_loc(st, m, e, &l);
			}
		}
		/* ELF functions not already found in the DWARF */
		for (int i = 0; i < ns; i++) {
			if (strcmp(syms[i].module, m->path) != 0 ||
			    (syms[i].type != PTK_SYM_FUNC && syms[i].type != PTK_SYM_IFUNC &&
			     syms[i].type != PTK_SYM_PLT))
				continue;
			bool covered = false;
			for (size_t k = 0; k < ndefs && !covered; k++)
				covered = defs[k] == syms[i].addr;
			if (covered)
				continue;
			uint64_t a = syms[i].addr;
			int line = 0;
			/* an ifunc's resolver is not entered like a function */
			if (syms[i].type == PTK_SYM_FUNC)
				ptk_func_breakpoint(st, syms[i].addr, &a, &line);
			struct ptk_line row;
			struct cu_info *c = dw_cu_at(m, a);
			Dwarf_Die fd;
			const char *fname = syms[i].name;
			if (dw_func_die_at(m, c, a, &fd))
				fname = dw_funcname(&fd);
			locs_add(&l, a, line, c && dw_line_at(m, c, a, &row) ? row.file : NULL,
			         fname);
		}
	}
	free(syms);
	return r < 0 ? r : (int)l.n;
}
