/* SPDX-License-Identifier: MIT */
/*
 * DWARF for the debugger, part one: the per-CU cache, line tables
 * (address -> line, FILE:LINE -> breakpoint addresses) and the DWARF
 * handles of include/ptk/dwarf.h.  Functions, scopes, inlined calls and
 * `break FUNC` are in sym_func.c, tail-call frames in sym_tail.c.
 *
 * A module's DWARF is opened (dwfl_module_getdwarf, which also finds a
 * separate debuginfo file by build-id or .gnu_debuglink) at the first
 * question about it; an address goes to its CU through .debug_aranges
 * (dwfl_module_addrdie) and only that CU's line table is decoded.
 *
 * Where gdb has a rule, the rule is gdb 13's, established by running gdb
 * on GCC 12 code (-O0 and -O2) and comparing (tests/lib/test-symbols.c
 * keeps doing so):
 *  - address -> line: the row with the greatest address <= pc; of several
 *    rows at that address the last statement row (addr2line takes the
 *    last row, statement or not); the range ends at the next row.
 *  - break FUNC: the function's entry when its CU comes from GCC with
 *    location lists (gdb trusts such code: "locations valid") or from
 *    assembler; otherwise past `push %rbp; mov %rsp,%rbp` (after an
 *    optional endbr64) when the function starts so, then on to the end of
 *    the line-table row if that lands inside one.  A function's entry is
 *    the start of its first non-empty address range (gdb ignores
 *    DW_AT_entry_pc).
 *  - FILE:LINE: the statement rows of that line in every line table whose
 *    file matches; if there are none, the rows of the smallest later line
 *    that has statement rows; one address per block (function, inlined
 *    copy, or lexical block that declares something); an address before
 *    its function's post-prologue address moves there.
 *  - the line table itself: gdb drops rows of line 0 and rows that repeat
 *    the line before when that line carries a discriminator (see
 *    cu_lines()), which lengthens the rows before them.
 *  - names: a function is called by its DW_AT_linkage_name when it has one
 *    (__GI___libc_read), else DW_AT_name; of several DIEs that cover an
 *    address (assembler aliases), the last.
 *  - `break NAME` (sym_func.c): DWARF functions and inlined copies of that
 *    name in every module, plus ELF functions not among them; an ifunc at
 *    its resolver; PLT entries only when nothing else has the name.
 */
#include "internal.h"
#include "sym_internal.h"

#include "ptk/dwarf.h"

#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Dwarf *dw_get(struct mod *m)
{
	if (!m->dw_done) {
		m->dw_done = true;
		m->dw = dwfl_module_getdwarf(m->dm, &m->dwbias);
	}
	return m->dw;
}

void dw_mod_free(struct mod *m)
{
	for (size_t i = 0; i < m->cuhash_cap; i++) {
		struct cu_info *c = m->cuhash[i];
		while (c) {
			struct cu_info *n = c->hnext;
			for (size_t j = 0; j < c->npaths; j++)
				free(c->paths[j]);
			free(c->paths);
			free(c->rows);
			free(c);
			c = n;
		}
	}
	free(m->cuhash);
	free(m->fidx);
	free(m->fbuckets);
}

/* The cached information of the CU whose DIE is cudie. */
struct cu_info *dw_cu_get(struct mod *m, Dwarf_Die *cudie)
{
	Dwarf_Off off = dwarf_dieoffset(cudie);
	if (m->cuhash_cap) {
		for (struct cu_info *c = m->cuhash[off % m->cuhash_cap]; c; c = c->hnext)
			if (c->off == off)
				return c;
	}
	if (m->ncu >= m->cuhash_cap) {
		size_t ncap = m->cuhash_cap ? m->cuhash_cap * 2 : 64;
		struct cu_info **nh = calloc(ncap, sizeof *nh);
		if (!nh)
			return NULL;
		for (size_t i = 0; i < m->cuhash_cap; i++) {
			struct cu_info *c = m->cuhash[i];
			while (c) {
				struct cu_info *n = c->hnext;
				c->hnext = nh[c->off % ncap];
				nh[c->off % ncap] = c;
				c = n;
			}
		}
		free(m->cuhash);
		m->cuhash = nh;
		m->cuhash_cap = ncap;
	}
	struct cu_info *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->off = off;
	c->die = *cudie;
	c->starts_at_entry = -1;
	c->hnext = m->cuhash[off % m->cuhash_cap];
	m->cuhash[off % m->cuhash_cap] = c;
	m->ncu++;
	return c;
}

/* The CU that contains run-time address addr, or NULL. */
struct cu_info *dw_cu_at(struct mod *m, uint64_t addr)
{
	if (!dw_get(m))
		return NULL;
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(m->dm, addr, &bias);
	return cu ? dw_cu_get(m, cu) : NULL;
}

/*
 * The CU's line table as gdb 13 records it from the line program (libdw
 * gives every row, sorted by address; end-of-sequence rows first at an
 * address): rows of line 0 are left out (the row before covers them); a
 * row that continues the same line of the same file is left out when that
 * line has had a non-zero discriminator since it began (GCC marks the
 * pieces of a `for` line so; a plain repeat is kept, it ends a prologue);
 * and at a switch to another file, a non-statement row at the address of
 * the row before is left out.
 */
static bool cu_lines(struct cu_info *c)
{
	if (c->lines_done)
		return c->nrows > 0;
	c->lines_done = true;
	Dwarf_Lines *lines;
	size_t n;
	if (dwarf_getsrclines(&c->die, &lines, &n) != 0 || n == 0)
		return false;
	c->rows = malloc(n * sizeof *c->rows);
	if (!c->rows)
		return false;
	int last_line = 0;
	size_t last_file = SIZE_MAX;
	Dwarf_Addr last_addr = 0;
	bool disc = false;
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		struct lrow r = {0};
		bool stmt = false, endseq = false;
		int line = 0, col = 0;
		unsigned d = 0;
		Dwarf_Files *files;
		size_t file = SIZE_MAX;
		dwarf_lineaddr(l, &r.addr);
		/* DWARF lines are unsigned: one past INT_MAX (a broken line program) is no line */
		if (dwarf_lineno(l, &line) != 0 || line < 0)
			line = 0;
		dwarf_linecol(l, &col);
		dwarf_linebeginstatement(l, &stmt);
		dwarf_lineendsequence(l, &endseq);
		dwarf_linediscriminator(l, &d);
		if (dwarf_line_file(l, &files, &file) != 0)
			file = SIZE_MAX;
		r.line = line;
		r.col = (uint16_t)(col > 0xffff ? 0xffff : col);
		r.file = (uint32_t)file;
		r.stmt = stmt;
		r.endseq = endseq;
		if (endseq) {
			c->rows[c->nrows++] = r;
			last_line = 0;
			last_file = SIZE_MAX;
			disc = false;
			continue;
		}
		disc = line != last_line ? d != 0 : disc || d != 0;
		bool file_changed = file != last_file;
		if ((file_changed && r.addr == last_addr && !stmt) || line == 0) {
			last_addr = r.addr;
			continue;
		}
		if (file_changed || line != last_line || !disc)
			c->rows[c->nrows++] = r;
		last_line = line;
		last_file = file;
		last_addr = r.addr;
	}
	return c->nrows > 0;
}

/* ------------------------------------------------------------------ */
/* File names                                                          */
/* ------------------------------------------------------------------ */

/* dir + "/" + name (name alone when absolute), "." and ".." resolved. */
static char *join_path(const char *dir, const char *name)
{
	if (name[0] == '/')
		dir = NULL;
	bool abs = name[0] == '/' || (dir && dir[0] == '/');
	size_t cap = (dir ? strlen(dir) : 0) + strlen(name) + 3, o = 0;
	char *p = malloc(cap);
	if (!p)
		return NULL;
	if (abs)
		p[o++] = '/';
	size_t root = o;
	const char *parts[2] = {dir ? dir : "", name};
	for (int k = 0; k < 2; k++) {
		for (const char *s = parts[k]; *s;) {
			const char *e = strchr(s, '/');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			size_t last = o;
			while (last > root && p[last - 1] != '/')
				last--;
			bool last_up = o - last == 2 && p[last] == '.' && p[last + 1] == '.';
			if (len == 0 || (len == 1 && s[0] == '.')) {
				/* "//" and "/./" */
			} else if (len == 2 && s[0] == '.' && s[1] == '.' && o > root && !last_up) {
				o = last > root ? last - 1 : root;
			} else if (!(len == 2 && s[0] == '.' && s[1] == '.' && abs)) {
				if (o > root)
					p[o++] = '/';
				memcpy(p + o, s, len);
				o += len;
			}
			s += len;
			while (*s == '/')
				s++;
		}
	}
	p[o] = 0;
	return p;
}

/* The full path of file idx of the CU's file table (cached), or NULL. */
const char *dw_cu_path(struct cu_info *c, size_t idx)
{
	Dwarf_Files *files;
	size_t n;
	if (dwarf_getsrcfiles(&c->die, &files, &n) != 0 || idx >= n)
		return NULL;
	if (!c->paths) {
		c->paths = calloc(n, sizeof *c->paths);
		if (!c->paths)
			return NULL;
		c->npaths = n;
	}
	if (!c->paths[idx]) {
		const char *name = dwarf_filesrc(files, idx, NULL, NULL);
		const char *const *dirs;
		size_t nd;
		if (!name)
			return NULL;
		const char *comp =
		        dwarf_getsrcdirs(files, &dirs, &nd) == 0 && nd > 0 ? dirs[0] : NULL;
		c->paths[idx] = join_path(comp, name);
	}
	return c->paths[idx];
}

/* ------------------------------------------------------------------ */
/* Line-table rows                                                     */
/* ------------------------------------------------------------------ */

/*
 * The rows [*g0, *g1) that share the address of row i, and the one that
 * stands for them (the last statement row, else the last row that does
 * not end a sequence): its index, or SIZE_MAX when all end sequences.
 */
static size_t group_best(const struct cu_info *c, size_t i, size_t *g0, size_t *g1)
{
	Dwarf_Addr a = c->rows[i].addr;
	size_t lo = i, hi = i + 1;
	while (lo > 0 && c->rows[lo - 1].addr == a)
		lo--;
	while (hi < c->nrows && c->rows[hi].addr == a)
		hi++;
	size_t best = SIZE_MAX, last = SIZE_MAX;
	for (size_t j = lo; j < hi; j++) {
		if (c->rows[j].endseq)
			continue;
		last = j;
		if (c->rows[j].stmt)
			best = j;
	}
	*g0 = lo;
	*g1 = hi;
	return best != SIZE_MAX ? best : last;
}

/* Fill ret from row i whose group ends at g1. */
static void row_fill(struct cu_info *c, size_t i, size_t g1, uint64_t bias, struct ptk_line *ret)
{
	const struct lrow *r = &c->rows[i];
	ret->file = dw_cu_path(c, r->file);
	ret->line = r->line;
	ret->column = r->col;
	ret->is_stmt = r->stmt;
	ret->addr = r->addr + bias;
	ret->end = (g1 < c->nrows ? c->rows[g1].addr : r->addr + 1) + bias;
}

/* The row for DWARF address a: its index (and group end), or SIZE_MAX. */
static size_t row_find(struct cu_info *c, Dwarf_Addr a, size_t *ret_g1)
{
	if (!cu_lines(c))
		return SIZE_MAX;
	size_t lo = 0, hi = c->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->rows[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return SIZE_MAX;
	size_t g0, g1;
	size_t best = group_best(c, lo - 1, &g0, &g1);
	if (best == SIZE_MAX)
		return SIZE_MAX;
	*ret_g1 = g1;
	return best;
}

bool dw_line_at(struct mod *m, struct cu_info *c, uint64_t addr, struct ptk_line *ret)
{
	size_t g1;
	size_t i = c ? row_find(c, addr - m->dwbias, &g1) : SIZE_MAX;
	if (i == SIZE_MAX)
		return false;
	row_fill(c, i, g1, m->dwbias, ret);
	return true;
}

int ptk_line_at(struct ptk_symtab *st, uint64_t addr, struct ptk_line *ret)
{
	struct mod *m = sym_mod_at(st, addr);
	struct cu_info *c = m ? dw_cu_at(m, addr) : NULL;
	return c && dw_line_at(m, c, addr, ret) ? 0 : -ENOENT;
}

int ptk_line_range(struct ptk_symtab *st, uint64_t addr, struct ptk_line *ret)
{
	struct mod *m = sym_mod_at(st, addr);
	struct cu_info *c = m ? dw_cu_at(m, addr) : NULL;
	size_t g1;
	size_t i = c ? row_find(c, addr - m->dwbias, &g1) : SIZE_MAX;
	if (i == SIZE_MAX)
		return -ENOENT;
	row_fill(c, i, g1, m->dwbias, ret);
	uint32_t file = c->rows[i].file;
	/* backwards over the groups just before, while they are the same line */
	size_t g0, h0, h1;
	group_best(c, i, &g0, &h1);
	while (g0 > 0) {
		size_t b = group_best(c, g0 - 1, &h0, &h1);
		if (b == SIZE_MAX || c->rows[b].line != ret->line || c->rows[b].file != file)
			break;
		ret->addr = c->rows[b].addr + m->dwbias;
		g0 = h0;
	}
	/* forwards */
	while (g1 < c->nrows) {
		size_t b = group_best(c, g1, &h0, &h1);
		if (b == SIZE_MAX || c->rows[b].line != ret->line || c->rows[b].file != file)
			break;
		g1 = h1;
		ret->end = (g1 < c->nrows ? c->rows[g1].addr : c->rows[b].addr + 1) + m->dwbias;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* FILE:LINE                                                           */
/* ------------------------------------------------------------------ */

/* Does the line table's file name full match what the user wrote? */
static bool path_match(const char *full, const char *spec)
{
	if (!full)
		return false;
	if (spec[0] == '/')
		return strcmp(full, spec) == 0;
	size_t fl = strlen(full), sl = strlen(spec);
	return fl >= sl && strcmp(full + fl - sl, spec) == 0 &&
	       (fl == sl || full[fl - sl - 1] == '/');
}

struct cand {
	struct mod *m;
	struct cu_info *c;
	uint64_t addr; /* run-time */
	const char *file;
};

struct cands {
	struct cand *v;
	size_t n, cap;
};

static int cands_push(struct cands *cs, const struct cand *c)
{
	if (cs->n == cs->cap) {
		size_t nc = cs->cap ? cs->cap * 2 : 16;
		struct cand *nv = realloc(cs->v, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		cs->v = nv;
		cs->cap = nc;
	}
	cs->v[cs->n++] = *c;
	return 0;
}

/*
 * One pass over the statement rows of matching files in every CU of every
 * module: with want > 0 collect the rows of line want; always track the
 * smallest line > line that has statement rows in *best.
 */
static int scan_lines(struct ptk_symtab *st, const char *file, int line, int want,
                      struct cands *out, int *best)
{
	for (size_t i = 0; i < st->nmods; i++) {
		struct mod *m = st->mods[i];
		Dwarf *dw = dw_get(m);
		if (!dw)
			continue;
		Dwarf_Off off = 0, next;
		size_t hsize;
		while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
			Dwarf_Die cudie;
			Dwarf_Off cuoff = off;
			off = next;
			if (!dwarf_offdie(dw, cuoff + hsize, &cudie))
				continue;
			struct cu_info *c = dw_cu_get(m, &cudie);
			if (!c)
				return -ENOMEM;
			if (!cu_lines(c))
				continue;
			Dwarf_Files *files;
			size_t nfiles;
			if (dwarf_getsrcfiles(&c->die, &files, &nfiles) != 0)
				continue;
			/* which file indexes match, decided once per CU */
			uint8_t small[256],
			        *match = nfiles <= sizeof small ? small : malloc(nfiles);
			if (!match)
				return -ENOMEM;
			bool any = false;
			for (size_t f = 0; f < nfiles; f++) {
				match[f] = path_match(dw_cu_path(c, f), file) ||
				           path_match(dwarf_filesrc(files, f, NULL, NULL), file);
				any |= match[f];
			}
			for (size_t r = 0; any && r < c->nrows; r++) {
				const struct lrow *lr = &c->rows[r];
				if (!lr->stmt || lr->endseq || lr->line <= 0 ||
				    lr->file >= nfiles || !match[lr->file])
					continue;
				if (lr->line > line && (*best == 0 || lr->line < *best))
					*best = lr->line;
				if (lr->line == want) {
					struct cand cd = {m, c, lr->addr + m->dwbias,
					                  dw_cu_path(c, lr->file)};
					if (cands_push(out, &cd) < 0) {
						if (match != small)
							free(match);
						return -ENOMEM;
					}
				}
			}
			if (match != small)
				free(match);
		}
	}
	return 0;
}

/*
 * The scope that stands for a gdb block at a: the innermost function,
 * inlined copy or lexical block that declares something (gdb makes no
 * block of a lexical block without declarations).  Its DIE offset, or 0.
 */
static Dwarf_Off block_key(struct mod *m, struct cu_info *c, uint64_t addr)
{
	Dwarf_Die *sc;
	int n = dw_scopes(&c->die, addr - m->dwbias, &sc);
	Dwarf_Off key = 0;
	for (int i = 0; i < n && !key; i++) {
		int tag = dwarf_tag(&sc[i]);
		if (tag != DW_TAG_lexical_block) {
			key = dwarf_dieoffset(&sc[i]);
			break;
		}
		Dwarf_Die ch;
		if (dwarf_child(&sc[i], &ch) != 0)
			continue;
		do {
			int t = dwarf_tag(&ch);
			if (t != DW_TAG_lexical_block && t != DW_TAG_inlined_subroutine &&
			    t != DW_TAG_call_site && t != DW_TAG_GNU_call_site) {
				key = dwarf_dieoffset(&sc[i]);
				break;
			}
		} while (dwarf_siblingof(&ch, &ch) == 0);
	}
	if (n > 0)
		free(sc);
	return key;
}

int ptk_line_lookup(struct ptk_symtab *st, const char *file, int line, struct ptk_line_loc *ret,
                    size_t max)
{
	struct cands cs = {0};
	int best = 0, want = line;
	int r = scan_lines(st, file, line, want, &cs, &best);
	if (r == 0 && cs.n == 0 && best > 0) {
		/* no code on that line: the next line that has some */
		want = best;
		r = scan_lines(st, file, line, want, &cs, &best);
	}
	Dwarf_Off *keys = r == 0 ? calloc(cs.n ? cs.n : 1, sizeof *keys) : NULL;
	if (!keys) {
		free(cs.v);
		return r < 0 ? r : -ENOMEM;
	}
	size_t n = 0;
	for (size_t i = 0; i < cs.n; i++) {
		struct cand *cd = &cs.v[i];
		/* one address per block, the first in line-table order */
		keys[i] = block_key(cd->m, cd->c, cd->addr);
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = keys[j] && keys[j] == keys[i] && cs.v[j].m == cd->m;
		if (dup)
			continue;
		uint64_t addr = cd->addr;
		int ln = want;
		const char *fname = NULL;
		Dwarf_Die fd;
		Dwarf_Addr e;
		if (dw_func_die_at(cd->m, cd->c, addr, &fd)) {
			fname = dw_funcname(&fd);
			int pl;
			uint64_t pp = dw_block_entry(&fd, &e)
			                      ? dw_post_prologue(st, cd->m, cd->c, &fd,
			                                         e + cd->m->dwbias, &pl)
			                      : 0;
			if (addr < pp) {
				addr = pp;
				ln = pl;
			}
		}
		bool again = false;
		for (size_t j = 0; j < n && j < max && !again; j++)
			again = ret[j].addr == addr;
		if (again)
			continue;
		if (n < max) {
			ret[n].addr = addr;
			ret[n].line = ln;
			ret[n].file = cd->file;
			ret[n].func = fname;
		}
		n++;
	}
	free(keys);
	free(cs.v);
	return (int)n;
}

/* ------------------------------------------------------------------ */
/* include/ptk/dwarf.h                                                 */
/* ------------------------------------------------------------------ */

int ptk_dwarf_scopes_at(struct ptk_symtab *st, uint64_t pc, struct ptk_dwarf_scopes *ret)
{
	memset(ret, 0, sizeof *ret);
	ret->func = -1;
	struct mod *m = sym_mod_at(st, pc);
	struct cu_info *c = m ? dw_cu_at(m, pc) : NULL;
	if (!c)
		return -ENOENT;
	int n = dw_scopes(&c->die, pc - m->dwbias, &ret->scopes);
	if (n < 0)
		return n;
	ret->dwarf = m->dw;
	ret->bias = m->dwbias;
	ret->cu = c->die;
	ret->nscopes = n;
	ret->func = dw_func_index(ret->scopes, n);
	return 0;
}

void ptk_dwarf_scopes_free(struct ptk_dwarf_scopes *sc)
{
	if (!sc)
		return;
	free(sc->scopes);
	sc->scopes = NULL;
	sc->nscopes = 0;
}

int ptk_dwarf_module(struct ptk_symtab *st, size_t idx, Dwarf **ret_dwarf, Dwarf_Addr *ret_bias)
{
	if (idx >= st->nmods)
		return -EINVAL;
	struct mod *m = st->mods[idx];
	if (!dw_get(m))
		return -ENOENT;
	*ret_dwarf = m->dw;
	*ret_bias = m->dwbias;
	return 0;
}

/* A CU-level variable DIE called name, at DWARF address want (0: any). */
static bool find_global(Dwarf *dw, const char *name, Dwarf_Addr want, Dwarf_Die *ret)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cudie, ch;
		bool ok = dwarf_offdie(dw, off + hsize, &cudie) && dwarf_child(&cudie, &ch) == 0;
		off = next;
		if (!ok)
			continue;
		do {
			if (dwarf_tag(&ch) != DW_TAG_variable)
				continue;
			const char *n = dwarf_diename(&ch);
			Dwarf_Attribute at;
			if (!n || strcmp(n, name) != 0 ||
			    (!dwarf_attr(&ch, DW_AT_location, &at) &&
			     !dwarf_attr(&ch, DW_AT_const_value, &at)))
				continue;
			if (want) {
				Dwarf_Op *ops;
				size_t nops;
				if (!dwarf_attr(&ch, DW_AT_location, &at) ||
				    dwarf_getlocation(&at, &ops, &nops) != 0 || nops < 1 ||
				    ops[0].atom != DW_OP_addr || ops[0].number != want)
					continue;
			}
			*ret = ch;
			return true;
		} while (dwarf_siblingof(&ch, &ch) == 0);
	}
	return false;
}

int ptk_dwarf_global(struct ptk_symtab *st, const char *name, Dwarf_Die *ret_die,
                     Dwarf_Addr *ret_bias)
{
	struct ptk_sym syms[16];
	int ns = ptk_sym_lookup(st, name, syms, 16);
	if (ns > 16)
		ns = 16;
	/* the ELF symbol's address picks the DIE (statics of several files) */
	for (int i = 0; i < ns; i++) {
		if (syms[i].type != PTK_SYM_OBJECT)
			continue;
		for (size_t j = 0; j < st->nmods; j++) {
			struct mod *m = st->mods[j];
			if (strcmp(m->path, syms[i].module) == 0 && dw_get(m) &&
			    find_global(m->dw, name, syms[i].addr - m->dwbias, ret_die)) {
				*ret_bias = m->dwbias;
				return 0;
			}
		}
	}
	for (size_t j = 0; j < st->nmods; j++) {
		struct mod *m = st->mods[j];
		if (dw_get(m) && find_global(m->dw, name, 0, ret_die)) {
			*ret_bias = m->dwbias;
			return 0;
		}
	}
	return -ENOENT;
}
