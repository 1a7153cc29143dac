/* SPDX-License-Identifier: MIT */
/*
 * DWARF types into the pure core's type model: base, pointer, array
 * (several dimensions), struct, union (bitfields included), enum, typedef,
 * const/volatile and function types, converted once per DIE and cached by
 * DIE address (types of one symbol table live in one arena, dropped when
 * the symbol table changes).  Types are also found by name for casts and
 * sizeof (typedef, base type, struct/union/enum tags), the executable's
 * compilation units first, as gdb looks.
 */
#include "dwarf_impl.h"

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_BITS 12

struct tcache_ent {
	const void *key; /* the DIE's address in the mapped DWARF (die.addr) */
	struct dbg_type *t;
	struct tcache_ent *next;
};

struct dwarf_info *dw_state(struct dbg *d)
{
	if (!d->dw) {
		d->dw = calloc(1, sizeof(*d->dw));
		if (d->dw)
			d->dw->tcache = calloc(1u << CACHE_BITS, sizeof(struct tcache_ent *));
		if (d->dw && !d->dw->tcache) {
			free(d->dw);
			d->dw = NULL;
		}
	}
	return d->dw;
}

static unsigned hash_ptr(const void *p)
{
	uintptr_t x = (uintptr_t)p;

	x ^= x >> 17;
	x *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(x >> (64 - CACHE_BITS));
}

static struct dbg_type *cache_get(struct dwarf_info *w, const void *key)
{
	for (struct tcache_ent *e = w->tcache[hash_ptr(key)]; e; e = e->next)
		if (e->key == key)
			return e->t;
	return NULL;
}

static void cache_put(struct dwarf_info *w, const void *key, struct dbg_type *t)
{
	struct tcache_ent *e = dbg_arena_alloc(&w->arena, sizeof(*e));
	unsigned h = hash_ptr(key);

	if (!e)
		return;
	e->key = key;
	e->t = t;
	e->next = w->tcache[h];
	w->tcache[h] = e;
}

static uint64_t udata(Dwarf_Die *die, unsigned name, uint64_t dflt)
{
	Dwarf_Attribute at;
	Dwarf_Word w;

	if (!dwarf_attr_integrate(die, name, &at) || dwarf_formudata(&at, &w) != 0)
		return dflt;
	return w;
}

static int64_t sdata(Dwarf_Die *die, unsigned name, int64_t dflt)
{
	Dwarf_Attribute at;
	Dwarf_Sword w;

	if (!dwarf_attr_integrate(die, name, &at) || dwarf_formsdata(&at, &w) != 0)
		return dflt;
	return w;
}

static struct dbg_type *void_type(struct dwarf_info *w)
{
	if (!w->void_t)
		w->void_t = dbg_type_new(&w->arena, DBG_TYPE_VOID, "void", 1);
	return w->void_t;
}

/* The type DW_AT_type of die refers to; void when absent. */
struct dbg_type *dw_type_of(struct dbg *d, Dwarf_Die *die)
{
	struct dwarf_info *w = dw_state(d);
	Dwarf_Attribute at;
	Dwarf_Die td;

	if (!w)
		return NULL;
	if (!dwarf_attr_integrate(die, DW_AT_type, &at) || !dwarf_formref_die(&at, &td))
		return void_type(w);
	return dw_type(d, &td);
}

static struct dbg_type *base_type(struct dwarf_info *w, Dwarf_Die *die)
{
	const char *name = dwarf_diename(die);
	uint64_t size = udata(die, DW_AT_byte_size, 0);
	unsigned enc = (unsigned)udata(die, DW_AT_encoding, DW_ATE_signed);
	enum dbg_type_kind k = DBG_TYPE_INT;
	struct dbg_type *t;

	switch (enc) {
	case DW_ATE_boolean:
		k = DBG_TYPE_BOOL;
		break;
	case DW_ATE_float:
		k = DBG_TYPE_FLOAT;
		break;
	case DW_ATE_signed_char:
	case DW_ATE_unsigned_char:
		k = DBG_TYPE_CHAR;
		break;
	default:
		break;
	}
	t = dbg_type_new(&w->arena, k, name ? dbg_arena_strdup(&w->arena, name) : NULL, size);
	if (t)
		t->is_unsigned = enc == DW_ATE_unsigned || enc == DW_ATE_unsigned_char ||
		                 enc == DW_ATE_boolean || enc == DW_ATE_UTF;
	return t;
}

static struct dbg_type *array_type(struct dbg *d, struct dwarf_info *w, Dwarf_Die *die)
{
	struct dbg_type *elem = dw_type_of(d, die);
	Dwarf_Die dims[8], child;
	int n = 0;

	if (dwarf_child(die, &child) == 0) {
		do {
			if (dwarf_tag(&child) == DW_TAG_subrange_type && n < 8)
				dims[n++] = child;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (n == 0)
		n = 0;
	/* Innermost dimension first: int a[2][3] is an array of 2 arrays of 3. */
	for (int i = n - 1; i >= 0; i--) {
		Dwarf_Attribute at;
		struct dbg_type *t;

		if (dwarf_attr_integrate(&dims[i], DW_AT_count, &at)) {
			t = dbg_type_array(&w->arena, elem, udata(&dims[i], DW_AT_count, 0));
		} else if (dwarf_attr_integrate(&dims[i], DW_AT_upper_bound, &at) &&
		           dwarf_whatform(&at) != DW_FORM_exprloc) {
			int64_t ub = sdata(&dims[i], DW_AT_upper_bound, -1);
			int64_t lb = sdata(&dims[i], DW_AT_lower_bound, 0);

			t = dbg_type_array(&w->arena, elem, (uint64_t)(ub - lb + 1));
		} else {
			t = dbg_type_array(&w->arena, elem, 0);
			if (t)
				t->has_count = false;
		}
		if (!t)
			return NULL;
		elem = t;
	}
	if (n == 0) {
		elem = dbg_type_array(&w->arena, elem, 0);
		if (elem)
			elem->has_count = false;
	}
	return elem;
}

static struct dbg_type *record_type(struct dbg *d, struct dwarf_info *w, Dwarf_Die *die,
                                    enum dbg_type_kind k)
{
	const char *name = dwarf_diename(die);
	struct dbg_type *t =
	        dbg_type_new(&w->arena, k, name ? dbg_arena_strdup(&w->arena, name) : NULL,
	                     udata(die, DW_AT_byte_size, 0));
	Dwarf_Die child;
	size_t n = 0, cap = 0;
	struct dbg_member *m = NULL;

	if (!t)
		return NULL;
	t->is_declaration = dwarf_hasattr(die, DW_AT_declaration);
	cache_put(w, die->addr, t); /* before the members: they may point back */
	if (dwarf_child(die, &child) != 0)
		return t;
	do {
		const char *mn;
		uint64_t bits, off, bsize;

		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct dbg_member *nm = dbg_arena_alloc(&w->arena, nc * sizeof(*nm));

			if (!nm)
				break;
			if (n)
				memcpy(nm, m, n * sizeof(*nm));
			m = nm;
			cap = nc;
		}
		mn = dwarf_diename(&child);
		m[n].name = mn ? dbg_arena_strdup(&w->arena, mn) : NULL;
		m[n].type = dw_type_of(d, &child);
		off = udata(&child, DW_AT_data_member_location, 0);
		bsize = udata(&child, DW_AT_bit_size, 0);
		m[n].offset = off;
		m[n].bit_offset = 0;
		m[n].bit_size = (unsigned)bsize;
		if (bsize) {
			if (dwarf_hasattr(&child, DW_AT_data_bit_offset)) {
				bits = udata(&child, DW_AT_data_bit_offset, 0);
			} else {
				/* DWARF 2/3: bit offset from the MSB of a storage unit */
				uint64_t unit = udata(&child, DW_AT_byte_size, 0);

				if (!unit && m[n].type)
					unit = dbg_type_size(m[n].type);
				bits = off * 8 + unit * 8 - udata(&child, DW_AT_bit_offset, 0) -
				       bsize;
			}
			m[n].offset = bits / 8;
			m[n].bit_offset = (unsigned)(bits % 8);
		}
		n++;
	} while (dwarf_siblingof(&child, &child) == 0);
	t->members = m;
	t->nmembers = n;
	return t;
}

static struct dbg_type *enum_type(struct dbg *d, struct dwarf_info *w, Dwarf_Die *die)
{
	const char *name = dwarf_diename(die);
	struct dbg_type *t = dbg_type_new(&w->arena, DBG_TYPE_ENUM,
	                                  name ? dbg_arena_strdup(&w->arena, name) : NULL,
	                                  udata(die, DW_AT_byte_size, 4));
	struct dbg_type *under = dwarf_hasattr(die, DW_AT_type) ? dw_type_of(d, die) : NULL;
	Dwarf_Die child;
	size_t n = 0, cap = 0;
	struct dbg_enumerator *e = NULL;
	bool neg = false;

	if (!t)
		return NULL;
	t->is_declaration = dwarf_hasattr(die, DW_AT_declaration);
	if (dwarf_child(die, &child) == 0) {
		do {
			if (dwarf_tag(&child) != DW_TAG_enumerator)
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 8;
				struct dbg_enumerator *ne =
				        dbg_arena_alloc(&w->arena, nc * sizeof(*ne));

				if (!ne)
					break;
				if (n)
					memcpy(ne, e, n * sizeof(*ne));
				e = ne;
				cap = nc;
			}
			e[n].name = dbg_arena_strdup(&w->arena, dwarf_diename(&child));
			e[n].value = sdata(&child, DW_AT_const_value, 0);
			if (e[n].value < 0)
				neg = true;
			n++;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	t->enumerators = e;
	t->nenumerators = n;
	under = under ? dbg_type_strip(under) : NULL;
	t->is_unsigned = under ? under->is_unsigned : !neg;
	return t;
}

static struct dbg_type *func_type(struct dbg *d, struct dwarf_info *w, Dwarf_Die *die)
{
	struct dbg_type *ret = dw_type_of(d, die), *params[64];
	size_t n = 0;
	bool varargs = false;
	Dwarf_Die child;

	if (dwarf_child(die, &child) == 0) {
		do {
			int tag = dwarf_tag(&child);

			if (tag == DW_TAG_formal_parameter && n < 64)
				params[n++] = dw_type_of(d, &child);
			else if (tag == DW_TAG_unspecified_parameters)
				varargs = true;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	return dbg_type_func(&w->arena, ret, params, n, dwarf_hasattr(die, DW_AT_prototyped),
	                     varargs);
}

struct dbg_type *dw_type(struct dbg *d, Dwarf_Die *die)
{
	struct dwarf_info *w = dw_state(d);
	struct dbg_type *t, *target;
	const char *name;

	if (!w)
		return NULL;
	t = cache_get(w, die->addr);
	if (t)
		return t;
	switch (dwarf_tag(die)) {
	case DW_TAG_base_type:
		t = base_type(w, die);
		break;
	case DW_TAG_unspecified_type:
		t = void_type(w);
		break;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
		/* Cache a placeholder first: a struct's member may point to the struct. */
		t = dbg_type_new(&w->arena, DBG_TYPE_PTR, NULL, 8);
		if (!t)
			return NULL;
		cache_put(w, die->addr, t);
		t->target = dw_type_of(d, die);
		return t;
	case DW_TAG_array_type:
		t = array_type(d, w, die);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
		return record_type(d, w, die, DBG_TYPE_STRUCT);
	case DW_TAG_union_type:
		return record_type(d, w, die, DBG_TYPE_UNION);
	case DW_TAG_enumeration_type:
		t = enum_type(d, w, die);
		break;
	case DW_TAG_typedef:
		name = dwarf_diename(die);
		t = dbg_type_new(&w->arena, DBG_TYPE_TYPEDEF,
		                 name ? dbg_arena_strdup(&w->arena, name) : NULL, 0);
		if (!t)
			return NULL;
		cache_put(w, die->addr, t);
		target = dw_type_of(d, die);
		t->target = target;
		t->size = target ? dbg_type_size(target) : 0;
		return t;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
		target = dw_type_of(d, die);
		t = dbg_type_qualified(&w->arena, target,
		                       dwarf_tag(die) == DW_TAG_const_type ? DBG_Q_CONST
		                                                           : DBG_Q_VOLATILE);
		break;
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		t = dw_type_of(d, die);
		break;
	case DW_TAG_subroutine_type:
	case DW_TAG_subprogram:
		t = func_type(d, w, die);
		break;
	default:
		t = void_type(w);
		break;
	}
	if (t)
		cache_put(w, die->addr, t);
	return t;
}

/* ---- types by name ---- */

static bool type_matches(Dwarf_Die *die, const char *name, enum dbg_tag tag)
{
	int t = dwarf_tag(die);
	const char *n;

	switch (tag) {
	case DBG_TAG_STRUCT:
		if (t != DW_TAG_structure_type && t != DW_TAG_class_type)
			return false;
		break;
	case DBG_TAG_UNION:
		if (t != DW_TAG_union_type)
			return false;
		break;
	case DBG_TAG_ENUM:
		if (t != DW_TAG_enumeration_type)
			return false;
		break;
	default:
		if (t != DW_TAG_typedef && t != DW_TAG_base_type)
			return false;
		break;
	}
	n = dwarf_diename(die);
	return n && strcmp(n, name) == 0;
}

/* Search the top-level DIEs of one CU; a definition beats a declaration. */
static bool search_cu(Dwarf_Die *cu, const char *name, enum dbg_tag tag, Dwarf_Die *ret)
{
	Dwarf_Die child;
	bool found = false;

	if (dwarf_child(cu, &child) != 0)
		return false;
	do {
		if (!type_matches(&child, name, tag))
			continue;
		*ret = child;
		found = true;
		if (!dwarf_hasattr(&child, DW_AT_declaration))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return found;
}

struct dbg_type *dw_lookup_type(struct dbg *d, const char *name, enum dbg_tag tag)
{
	struct ptk_symtab *st = inf_symtab(d);
	const struct ptk_dwarf_scopes *scp;
	Dwarf_Die found;
	uint64_t pc;

	if (!st)
		return NULL;
	/* The CU of the current pc first. */
	if (dw_scope_pc(d, &pc) && (scp = dw_scopes(d, pc)) != NULL) {
		Dwarf_Die cu = scp->cu;
		bool ok = search_cu(&cu, name, tag, &found);

		if (ok)
			return dw_type(d, &found);
	}
	for (size_t m = 0; m < 64; m++) {
		Dwarf *dw;
		Dwarf_Addr bias;
		Dwarf_Off off = 0, next;
		size_t hs;
		int r = ptk_dwarf_module(st, m, &dw, &bias);

		if (r == -EINVAL)
			break;
		if (r < 0)
			continue;
		while (dwarf_nextcu(dw, off, &next, &hs, NULL, NULL, NULL) == 0) {
			Dwarf_Die cu;

			if (dwarf_offdie(dw, off + hs, &cu) && search_cu(&cu, name, tag, &found))
				return dw_type(d, &found);
			off = next;
		}
		/* gdb looks at the executable, then libraries; stop after the first module
		 * that has DWARF to keep lookups fast. */
		if (m == 0)
			break;
	}
	return NULL;
}
