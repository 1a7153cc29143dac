/* SPDX-License-Identifier: MIT */
/*
 * Lookups and strace-style formatting over the flag sets that data/gen.py
 * generates from data/flags/ (ptk_flagsets.h).  Pure code for the
 * trace front end: no process is touched.
 */
#include "ptk_flagsets.h"
#include "ptk/tables.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t len;
	size_t n; /* characters the whole text needs */
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(o->n < o->len ? o->buf + o->n : NULL, o->n < o->len ? o->len - o->n : 0, fmt,
	              ap);
	va_end(ap);
	if (r > 0)
		o->n += (size_t)r;
}

static void part(struct out *o, const char *s)
{
	put(o, "%s%s", o->n ? "|" : "", s);
}

const char *ptk_xlat_name(const struct ptk_xlat *x, uint64_t value)
{
	for (size_t i = 0; i < x->count; i++)
		if (x->entries[i].value == value)
			return x->entries[i].name;
	return NULL;
}

int ptk_xlat_value(const struct ptk_xlat *x, const char *name, uint64_t *ret_value)
{
	for (size_t i = 0; i < x->count; i++) {
		if (strcmp(x->entries[i].name, name) == 0) {
			*ret_value = x->entries[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

/* Is entry e a value of x's field (rather than a flag bit)? */
static int in_field(const struct ptk_xlat *x, const struct ptk_xlat_entry *e)
{
	return x->field && (e->value & ~x->field) == 0;
}

int ptk_xlat_format(const struct ptk_xlat *x, uint64_t value, char *buf, size_t len)
{
	struct out o = {buf, len, 0};
	const char *fname = NULL, *zero = NULL;
	uint64_t rest = value, fv = 0;

	if (len)
		buf[0] = 0;
	if (x->kind == PTK_XLAT_ENUM) {
		const char *s = ptk_xlat_name(x, value);

		if (s)
			put(&o, "%s", s);
		else if ((int64_t)value < 0)
			put(&o, "%lld", (long long)value);
		else
			put(&o, "%llu", (unsigned long long)value);
		return (int)o.n;
	}
	if (x->field) {
		fv = value & x->field;
		rest = value & ~x->field;
		if (x->fieldset && strcmp(x->fieldset, "signal") == 0)
			fname = fv ? ptk_signal_name((int)fv) : NULL;
		else
			for (size_t i = 0; i < x->count && !fname; i++)
				if (in_field(x, &x->entries[i]) && x->entries[i].value == fv)
					fname = x->entries[i].name;
		if (fname)
			fv = 0;
		/* The field's name leads ("O_RDONLY|..."), except a signal, which ends. */
		if (fname && !x->fieldset)
			part(&o, fname);
	}
	for (size_t i = 0; i < x->count; i++) {
		const struct ptk_xlat_entry *e = &x->entries[i];

		if (in_field(x, e))
			continue;
		if (e->value == 0) {
			zero = zero ? zero : e->name;
			continue;
		}
		if ((rest & e->value) == e->value) {
			part(&o, e->name);
			rest &= ~e->value;
		}
	}
	if (fname && x->fieldset)
		part(&o, fname);
	rest |= fv;
	if (x->rest_octal) /* permission bits always show: "IPC_CREAT|0600", "000" */
		put(&o, "%s%#03llo", o.n ? "|" : "", (unsigned long long)rest);
	else if (rest)
		put(&o, "%s%#llx", o.n ? "|" : "", (unsigned long long)rest);
	if (!o.n)
		put(&o, "%s", zero ? zero : "0");
	return (int)o.n;
}
