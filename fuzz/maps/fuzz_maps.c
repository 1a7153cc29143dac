/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: ptk_maps_parse() on arbitrary text.  Invariants: every
 * parsed map has start <= end, a NUL-terminated path inside the strings
 * buffer, and ptk_maps_find() agrees with a linear search.
 */
#include <ptk/ptk.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptk_maps m;
	size_t bad = 0;
	if (ptk_maps_parse((const char *)data, size, &m, &bad) < 0)
		return 0;
	for (size_t i = 0; i < m.n; i++) {
		const struct ptk_map *p = &m.v[i];
		if (p->start > p->end)
			abort();
		if (strlen(p->path) > size)
			abort();
		const struct ptk_map *f = ptk_maps_find(&m, p->start);
		if (p->start < p->end && (!f || p->start < f->start || p->start >= f->end))
			abort();
	}
	ptk_maps_free(&m);
	return 0;
}
