/* SPDX-License-Identifier: MIT */
/* Helpers of the net, process, signal and time decoders (see dec_util.h). */
#include "dec_util.h"

#include <string.h>

int dec_more(struct dctx *d)
{
	d->next = NEXT_ARG;
	return DEC_MORE;
}

int dec_more_none(struct dctx *d)
{
	d->next = NEXT_NONE;
	return DEC_MORE;
}

/*
 * The stash: one slot per thread id modulo its size.  A slot belongs to a
 * (tid, syscall) pair from the entry to the exit of that syscall; a thread
 * that dies inside the syscall leaves its slot to the next one that needs
 * it.  Two threads whose ids collide in the same syscall at once lose the
 * older values: the decoder then prints what strace prints without them
 * (a pointer), never another thread's values.
 */
#define STASH_SLOTS 4096
#define STASH_VALS  4

static struct stash {
	pid_t tid;
	long nr;
	uint64_t v[STASH_VALS];
} stash[STASH_SLOTS];

void stash_put(struct dctx *d, const uint64_t *v, int n)
{
	struct stash *s = &stash[(uint32_t)d->c->tid % STASH_SLOTS];
	s->tid = d->c->tid;
	s->nr = d->nr;
	memset(s->v, 0, sizeof s->v);
	memcpy(s->v, v, (size_t)(n < STASH_VALS ? n : STASH_VALS) * sizeof *v);
}

bool stash_get(struct dctx *d, uint64_t *v, int n)
{
	struct stash *s = &stash[(uint32_t)d->c->tid % STASH_SLOTS];
	if (s->tid != d->c->tid || s->nr != d->nr)
		return false;
	memcpy(v, s->v, (size_t)(n < STASH_VALS ? n : STASH_VALS) * sizeof *v);
	s->tid = 0;
	return true;
}

void p_flags_or(struct dctx *d, const struct ptk_xlat *x, uint64_t v, const char *unknown)
{
	uint64_t known = 0;
	for (size_t i = 0; i < x->count; i++)
		if (x->entries[i].value && (v & x->entries[i].value) == x->entries[i].value)
			known |= x->entries[i].value;
	if (v && !known && !x->field) {
		db_printf(d->out, "%#llx /* %s */", (unsigned long long)v, unknown);
		return;
	}
	p_flags(d, x, v);
}

void p_xlat32(struct dctx *d, const struct ptk_xlat *x, uint64_t v, const char *unknown)
{
	const char *n = ptk_xlat_name(x, (uint64_t)(int64_t)(int32_t)v);
	if (n)
		db_puts(d->out, n);
	else
		db_printf(d->out, "%#x /* %s */", (uint32_t)v, unknown);
}

void p_hexbytes(struct dctx *d, const uint8_t *s, size_t n)
{
	db_putc(d->out, '"');
	for (size_t i = 0; i < n; i++)
		db_printf(d->out, "\\x%02x", s[i]);
	db_putc(d->out, '"');
}

void p_bitlist(struct dctx *d, const uint8_t *bits, size_t nbytes)
{
	bool first = true;
	db_putc(d->out, '[');
	for (size_t i = 0; i < nbytes * 8; i++)
		if (bits[i / 8] >> (i % 8) & 1) {
			db_printf(d->out, first ? "%zu" : " %zu", i);
			first = false;
		}
	db_putc(d->out, ']');
}
