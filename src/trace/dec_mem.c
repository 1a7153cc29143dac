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

const struct decoder dec_mem_syscalls[] = {
        {"mincore", dec_mincore}, {"mmap", dec_mmap}, {"mmap2", dec_mmap},
        {"mremap", dec_mremap},   {NULL, NULL},
};

const struct struct_decoder dec_mem_structs[] = {
        {NULL, NULL, 0},
};
