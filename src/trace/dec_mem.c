/* SPDX-License-Identifier: MIT */
/*
 * The memory family: mmap's flags with the huge page size field
 * ("MAP_HUGETLB|21<<MAP_HUGE_SHIFT") and mremap's new address only with
 * MREMAP_FIXED, in strace 6.1's text (observed; see
 * tests/trace/test_decode_mem.py).  The other memory calls are rows of
 * data/syscalls_*.tbl.
 */
#include "trace.h"

/* asm-generic/mman-common.h: the page size log2 in bits 26..31. */
#define MAP_HUGE_SHIFT_ 26
#define MAP_HUGE_MASK_  0x3fULL
#define MREMAP_FIXED_   2

static void p_mmap_flags(struct dctx *d, uint64_t flags)
{
	uint64_t huge = (flags >> MAP_HUGE_SHIFT_) & MAP_HUGE_MASK_;
	uint64_t rest = flags & ~(MAP_HUGE_MASK_ << MAP_HUGE_SHIFT_);
	if (!huge) {
		p_flags(d, &ptk_xlat_mmap, rest);
		return;
	}
	if (rest) {
		p_flags(d, &ptk_xlat_mmap, rest);
		db_putc(d->out, '|');
	}
	db_printf(d->out, "%llu<<MAP_HUGE_SHIFT", (unsigned long long)huge);
}

/* mmap(addr, length, prot, flags, fd, offset); i386's mmap2 counts pages. */
static int dec_mmap(struct dctx *d)
{
	/* i386's old mmap passes one pointer to all six (its row says so). */
	if (d->arch == PTK_ARCH_I386 && d->ent && d->ent->nargs == 1)
		return decode_generic(d);
	arg_next(d);
	p_ptr(d, arg_u(d, 0));
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	arg_next(d);
	p_flags(d, &ptk_xlat_prot, (uint32_t)arg_u(d, 2));
	arg_next(d);
	p_mmap_flags(d, (uint32_t)arg_u(d, 3));
	arg_next(d);
	p_fd(d, arg_i(d, 4));
	arg_next(d);
	p_hex(d, arg_u(d, 5));
	return DEC_DONE;
}

static int dec_mremap(struct dctx *d)
{
	uint64_t flags = arg_u(d, 3);
	arg_next(d);
	p_ptr(d, arg_u(d, 0));
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	arg_next(d);
	p_uint(d, arg_u(d, 2));
	arg_next(d);
	p_flags(d, &ptk_xlat_mremap, flags);
	if (flags & MREMAP_FIXED_) {
		arg_next(d);
		p_ptr(d, arg_u(d, 4));
	}
	return DEC_DONE;
}

/* mincore(addr, length, vec): one byte a page, printed at exit: [1, 0, 0]. */
static int dec_mincore(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_ptr(d, arg_u(d, 0));
		arg_next(d);
		p_uint(d, arg_u(d, 1));
		d->next = NEXT_ARG;
		return DEC_MORE;
	}
	uint64_t vec = arg_u(d, 2), pages = (arg_u(d, 1) + 4095) / 4096;
	size_t n = pages > d->t->o.strsize ? d->t->o.strsize : (size_t)pages;
	uint8_t buf[256];
	arg_next(d);
	if (d->is_error || !vec || n > sizeof buf || !mem_get(d, vec, buf, n)) {
		p_ptr(d, vec);
		return DEC_DONE;
	}
	db_putc(d->out, '[');
	for (size_t i = 0; i < n; i++)
		db_printf(d->out, "%s%u", i ? ", " : "", buf[i]);
	if (pages > n)
		db_puts(d->out, n ? ", ..." : "...");
	db_putc(d->out, ']');
	return DEC_DONE;
}

/*
 * A NUMA node mask of maxnode bits (mbind, set_mempolicy, get_mempolicy,
 * migrate_pages): (maxnode + bits - 2) / bits longs of the ABI (the kernel
 * reads maxnode - 1 bits), each "%#0*lx" two digits a byte wide
 * ("0000000000000000", "0x00000000000001"), at most -s of them then
 * "...".  The address when that count overflowed, when maxnode is not 0
 * but rounds to no long, when the call failed, or when unreadable.
 */
static void p_nodemask(struct dctx *d, uint64_t addr, uint64_t maxnode)
{
	const unsigned bits = d->arch == PTK_ARCH_I386 ? 32 : 64;
	const size_t w = bits / 8;
	uint64_t n = (maxnode + bits - 2) / bits;
	if (n < maxnode / bits || (maxnode && !n)) {
		p_ptr(d, addr);
		return;
	}
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (!n) {
		db_puts(d->out, "[]");
		return;
	}
	uint64_t v = 0;
	if ((d->exiting && d->is_error) || !mem_get(d, addr, &v, w)) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	for (uint64_t i = 0; i < n; i++) {
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize || (i && !mem_get(d, addr + i * w, &v, w))) {
			db_puts(d->out, "...");
			break;
		}
		db_printf(d->out, "%#0*llx", (int)(2 * w), (unsigned long long)v);
	}
	db_putc(d->out, ']');
}

/* get_mempolicy(mode, nodemask, maxnode, addr, flags): all printed at exit. */
static int dec_get_mempolicy(struct dctx *d)
{
	if (!d->exiting)
		return DEC_MORE;
	uint64_t flags = arg_u(d, 4), mode = arg_u(d, 0);
	int32_t m;
	arg_next(d);
	if (d->is_error || !mode || !mem_get(d, mode, &m, sizeof m))
		p_ptr(d, mode);
	else {
		/* strace 6.1 names it as a policy even when it is a node number
		 * (MPOL_F_NODE): node 0 prints MPOL_DEFAULT. */
		db_putc(d->out, '[');
		p_flags(d, &ptk_xlat_mempolicy, (uint32_t)m);
		db_putc(d->out, ']');
	}
	arg_next(d);
	p_nodemask(d, arg_u(d, 1), arg_u(d, 2));
	arg_next(d);
	p_uint(d, arg_u(d, 2));
	arg_next(d);
	p_ptr(d, arg_u(d, 3));
	arg_next(d);
	p_flags(d, &ptk_xlat_get_mempolicy, flags);
	return DEC_DONE;
}

/* set_mempolicy(mode, nodemask, maxnode) */
static int dec_set_mempolicy(struct dctx *d)
{
	arg_next(d);
	p_flags(d, &ptk_xlat_mempolicy, (uint32_t)arg_u(d, 0));
	arg_next(d);
	p_nodemask(d, arg_u(d, 1), arg_u(d, 2));
	arg_next(d);
	p_uint(d, arg_u(d, 2));
	return DEC_DONE;
}

/* mbind(addr, len, mode, nodemask, maxnode, flags) */
static int dec_mbind(struct dctx *d)
{
	arg_next(d);
	p_ptr(d, arg_u(d, 0));
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	arg_next(d);
	p_flags(d, &ptk_xlat_mempolicy, (uint32_t)arg_u(d, 2));
	arg_next(d);
	p_nodemask(d, arg_u(d, 3), arg_u(d, 4));
	arg_next(d);
	p_uint(d, arg_u(d, 4));
	arg_next(d);
	p_flags(d, &ptk_xlat_mbind, (uint32_t)arg_u(d, 5));
	return DEC_DONE;
}

/* migrate_pages(pid, maxnode, old_nodes, new_nodes) */
static int dec_migrate_pages(struct dctx *d)
{
	arg_next(d);
	p_int(d, arg_i(d, 0));
	arg_next(d);
	p_uint(d, arg_u(d, 1));
	arg_next(d);
	p_nodemask(d, arg_u(d, 2), arg_u(d, 1));
	arg_next(d);
	p_nodemask(d, arg_u(d, 3), arg_u(d, 1));
	return DEC_DONE;
}

const struct decoder dec_mem_syscalls[] = {
        {"get_mempolicy", dec_get_mempolicy},
        {"mbind", dec_mbind},
        {"migrate_pages", dec_migrate_pages},
        {"set_mempolicy", dec_set_mempolicy},
        {"mincore", dec_mincore},
        {"mmap", dec_mmap},
        {"mmap2", dec_mmap},
        {"mremap", dec_mremap},
        {NULL, NULL},
};

const struct struct_decoder dec_mem_structs[] = {
        {NULL, NULL, 0},
};
