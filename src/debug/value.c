/* SPDX-License-Identifier: MIT */
#include "value.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gdb's default max-value-size: larger values are refused, not read. */
#define MAX_VALUE_SIZE 65536

struct dbg_derived {
	struct dbg_derived *next;
	enum dbg_type_kind kind;
	struct dbg_type *target;
	uint64_t count;
	struct dbg_type *type;
};

struct dbg_conv {
	struct dbg_conv *next;
	char *name;
	struct dbg_value *v;
};

void dbg_error_say(struct dbg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
}

const char *dbg_ctx_error(const struct dbg_ctx *ctx)
{
	return ctx->err;
}

static struct dbg_type *mk(struct dbg_ctx *ctx, enum dbg_type_kind k, const char *name,
                           uint64_t size, bool is_unsigned)
{
	struct dbg_type *t = dbg_type_new(&ctx->perm, k, name, size);

	if (t)
		t->is_unsigned = is_unsigned;
	return t;
}

struct dbg_ctx *dbg_ctx_new(const struct dbg_target *target)
{
	static const struct {
		enum dbg_type_kind kind;
		const char *name;
		uint64_t size;
		bool is_unsigned;
	} bts[DBG_BT_COUNT] = {
	        [DBG_BT_VOID] = {DBG_TYPE_VOID, "void", 1, false},
	        [DBG_BT_CHAR] = {DBG_TYPE_CHAR, "char", 1, false},
	        [DBG_BT_SCHAR] = {DBG_TYPE_CHAR, "signed char", 1, false},
	        [DBG_BT_UCHAR] = {DBG_TYPE_CHAR, "unsigned char", 1, true},
	        [DBG_BT_SHORT] = {DBG_TYPE_INT, "short", 2, false},
	        [DBG_BT_USHORT] = {DBG_TYPE_INT, "unsigned short", 2, true},
	        [DBG_BT_INT] = {DBG_TYPE_INT, "int", 4, false},
	        [DBG_BT_UINT] = {DBG_TYPE_INT, "unsigned int", 4, true},
	        [DBG_BT_LONG] = {DBG_TYPE_INT, "long", 8, false},
	        [DBG_BT_ULONG] = {DBG_TYPE_INT, "unsigned long", 8, true},
	        [DBG_BT_LLONG] = {DBG_TYPE_INT, "long long", 8, false},
	        [DBG_BT_ULLONG] = {DBG_TYPE_INT, "unsigned long long", 8, true},
	        [DBG_BT_BOOL] = {DBG_TYPE_BOOL, "_Bool", 1, true},
	        [DBG_BT_FLOAT] = {DBG_TYPE_FLOAT, "float", 4, false},
	        [DBG_BT_DOUBLE] = {DBG_TYPE_FLOAT, "double", 8, false},
	        [DBG_BT_LDOUBLE] = {DBG_TYPE_FLOAT, "long double", 16, false},
	        [DBG_BT_INT8] = {DBG_TYPE_INT, "int8_t", 1, false},
	        [DBG_BT_INT16] = {DBG_TYPE_INT, "int16_t", 2, false},
	        [DBG_BT_INT32] = {DBG_TYPE_INT, "int32_t", 4, false},
	        [DBG_BT_INT64] = {DBG_TYPE_INT, "int64_t", 8, false},
	};
	struct dbg_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	for (int i = 0; i < DBG_BT_COUNT; i++) {
		ctx->bt[i] = mk(ctx, bts[i].kind, bts[i].name, bts[i].size, bts[i].is_unsigned);
		if (!ctx->bt[i]) {
			dbg_ctx_free(ctx);
			return NULL;
		}
	}
	if (target)
		ctx->target = *target;
	ctx->x_format = 0; /* x: hex without /FMT, natural with /SIZE or /COUNT alone */
	ctx->x_size = 'w';
	ctx->x_count = 1;
	ctx->print_elements = 200;
	ctx->repeat_threshold = 10;
	return ctx;
}

static void persisted_free(struct dbg_value *v)
{
	if (v) {
		free(v->bytes);
		free(v);
	}
}

void dbg_ctx_free(struct dbg_ctx *ctx)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < ctx->nhistory; i++)
		persisted_free(ctx->history[i]);
	free(ctx->history);
	while (ctx->conv) {
		struct dbg_conv *c = ctx->conv;

		ctx->conv = c->next;
		persisted_free(c->v);
		free(c->name);
		free(c);
	}
	dbg_arena_free(&ctx->tmp);
	dbg_arena_free(&ctx->perm);
	free(ctx);
}

void dbg_ctx_set_target(struct dbg_ctx *ctx, const struct dbg_target *target)
{
	memset(&ctx->target, 0, sizeof(ctx->target));
	if (target)
		ctx->target = *target;
}

void dbg_ctx_reset_tmp(struct dbg_ctx *ctx)
{
	dbg_arena_free(&ctx->tmp);
}

struct dbg_type *dbg_builtin(struct dbg_ctx *ctx, enum dbg_builtin id)
{
	return ctx->bt[id];
}

static struct dbg_type *derived(struct dbg_ctx *ctx, enum dbg_type_kind kind,
                                struct dbg_type *target, uint64_t count)
{
	struct dbg_derived *d;

	for (d = ctx->derived; d; d = d->next)
		if (d->kind == kind && d->target == target && d->count == count)
			return d->type;
	d = dbg_arena_alloc(&ctx->perm, sizeof(*d));
	if (!d)
		return NULL;
	d->kind = kind;
	d->target = target;
	d->count = count;
	d->type = kind == DBG_TYPE_PTR ? dbg_type_pointer(&ctx->perm, target)
	                               : dbg_type_array(&ctx->perm, target, count);
	if (!d->type)
		return NULL;
	d->next = ctx->derived;
	ctx->derived = d;
	return d->type;
}

struct dbg_type *dbg_ctx_pointer_to(struct dbg_ctx *ctx, struct dbg_type *t)
{
	return derived(ctx, DBG_TYPE_PTR, t, 0);
}

struct dbg_type *dbg_ctx_array_of(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t count)
{
	return derived(ctx, DBG_TYPE_ARRAY, t, count);
}

/* A heap copy of v, fetched, that no longer refers to the tmp arena. */
static struct dbg_value *persist(struct dbg_ctx *ctx, struct dbg_value *v)
{
	size_t n = dbg_type_size(v->type);
	struct dbg_value *p;
	int r = v->optimized_out ? 0 : dbg_value_fetch(ctx, v);

	if (r < 0)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		goto oom;
	p->type = v->type;
	p->optimized_out = v->optimized_out;
	p->bytes = malloc(n ? n : 1);
	if (!p->bytes)
		goto oom;
	if (v->bytes)
		memcpy(p->bytes, v->bytes, n);
	else
		memset(p->bytes, 0, n);
	if (v->lval == DBG_LV_MEMORY && !v->bitsize) {
		/* Keep the address so that &$1 and $1[2] still work. */
		p->lval = DBG_LV_MEMORY;
		p->addr = v->addr;
	}
	return p;
oom:
	persisted_free(p);
	dbg_error(ctx, ENOMEM, "Out of memory.");
	return NULL;
}

int dbg_history_add(struct dbg_ctx *ctx, struct dbg_value *v)
{
	struct dbg_value *p;

	if (ctx->nhistory == ctx->caphistory) {
		size_t cap = ctx->caphistory ? ctx->caphistory * 2 : 16;
		struct dbg_value **h = realloc(ctx->history, cap * sizeof(*h));

		if (!h)
			return dbg_error(ctx, ENOMEM, "Out of memory.");
		ctx->history = h;
		ctx->caphistory = cap;
	}
	p = persist(ctx, v);
	if (!p)
		return -EINVAL;
	ctx->history[ctx->nhistory++] = p;
	return (int)ctx->nhistory;
}

const struct dbg_value *dbg_history_get(const struct dbg_ctx *ctx, size_t n)
{
	if (n < 1 || n > ctx->nhistory)
		return NULL;
	return ctx->history[n - 1];
}

int dbg_conv_set(struct dbg_ctx *ctx, const char *name, struct dbg_value *v)
{
	struct dbg_conv *c;
	struct dbg_value *p = persist(ctx, v);

	if (!p)
		return -EINVAL;
	p->lval = DBG_LV_NONE;
	for (c = ctx->conv; c; c = c->next) {
		if (strcmp(c->name, name) == 0) {
			persisted_free(c->v);
			c->v = p;
			return 0;
		}
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->name = strdup(name);
	if (!c || !c->name) {
		free(c);
		persisted_free(p);
		return dbg_error(ctx, ENOMEM, "Out of memory.");
	}
	c->v = p;
	c->next = ctx->conv;
	ctx->conv = c;
	return 0;
}

const struct dbg_value *dbg_conv_get(const struct dbg_ctx *ctx, const char *name)
{
	for (struct dbg_conv *c = ctx->conv; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c->v;
	return NULL;
}

static int check_size(struct dbg_ctx *ctx, uint64_t n)
{
	if (n > MAX_VALUE_SIZE)
		return dbg_error(ctx, EFBIG,
		                 "value requires %llu bytes, which is more than max-value-size",
		                 (unsigned long long)n);
	return 0;
}

struct dbg_value *dbg_value_new(struct dbg_ctx *ctx, struct dbg_type *t)
{
	uint64_t n = dbg_type_size(t);
	struct dbg_value *v;

	if (check_size(ctx, n) < 0)
		return NULL;
	v = dbg_arena_alloc(&ctx->tmp, sizeof(*v));
	if (v)
		v->bytes = dbg_arena_alloc(&ctx->tmp, n ? n : 1);
	if (!v || !v->bytes) {
		dbg_error(ctx, ENOMEM, "Out of memory.");
		return NULL;
	}
	v->type = t;
	return v;
}

struct dbg_value *dbg_value_at(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t addr)
{
	struct dbg_value *v = dbg_arena_alloc(&ctx->tmp, sizeof(*v));

	if (!v) {
		dbg_error(ctx, ENOMEM, "Out of memory.");
		return NULL;
	}
	v->type = t;
	v->lval = DBG_LV_MEMORY;
	v->addr = addr;
	v->lazy = true;
	return v;
}

struct dbg_value *dbg_value_copy(struct dbg_ctx *ctx, const struct dbg_value *src)
{
	struct dbg_value *v = dbg_value_new(ctx, src->type);

	if (!v)
		return NULL;
	memcpy(v->bytes, src->bytes, dbg_type_size(src->type));
	v->optimized_out = src->optimized_out;
	v->lval = src->lval;
	v->addr = src->addr;
	return v;
}

uint64_t dbg_bytes_to_u64(const unsigned char *b, size_t size, bool is_signed)
{
	uint64_t v = 0;

	if (size > 8)
		size = 8;
	for (size_t i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	if (is_signed && size > 0 && size < 8 && (b[size - 1] & 0x80))
		v |= ~(uint64_t)0 << (8 * size);
	return v;
}

void dbg_u64_to_bytes(unsigned char *b, size_t size, uint64_t v)
{
	for (size_t i = 0; i < size; i++)
		b[i] = i < 8 ? (unsigned char)(v >> (8 * i)) : 0;
}

long double dbg_bytes_to_float(const unsigned char *b, size_t size)
{
	if (size == 4) {
		float f;

		memcpy(&f, b, 4);
		return f;
	}
	if (size == 8) {
		double d;

		memcpy(&d, b, 8);
		return d;
	}
	if (size == 10 || size == 16) {
		long double ld = 0;

		memcpy(&ld, b, 10);
		return ld;
	}
	return 0;
}

void dbg_float_to_bytes(unsigned char *b, size_t size, long double d)
{
	if (size == 4) {
		float f = (float)d;

		memcpy(b, &f, 4);
	} else if (size == 8) {
		double x = (double)d;

		memcpy(b, &x, 8);
	} else if (size == 10 || size == 16) {
		memset(b, 0, size);
		memcpy(b, &d, 10);
	}
}

struct dbg_value *dbg_value_from_int(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t x)
{
	struct dbg_value *v = dbg_value_new(ctx, t);
	struct dbg_type *s = dbg_type_strip(t);

	if (!v)
		return NULL;
	if (s && s->kind == DBG_TYPE_FLOAT)
		dbg_float_to_bytes(v->bytes, s->size, (long double)(int64_t)x);
	else if (s && s->kind == DBG_TYPE_BOOL)
		v->bytes[0] = x != 0;
	else
		dbg_u64_to_bytes(v->bytes, dbg_type_size(t), x);
	return v;
}

uint64_t dbg_float_to_u64(long double d)
{
	/* What x86 conversions give; out-of-range values become the "integer indefinite". */
	if (d != d)
		return 0;
	if (d >= 0 && d < 18446744073709551616.0L)
		return d < 9223372036854775808.0L ? (uint64_t)(int64_t)d : (uint64_t)d;
	if (d < 0 && d > -9223372036854775809.0L)
		return (uint64_t)(int64_t)d;
	return (uint64_t)1 << 63;
}

struct dbg_value *dbg_value_from_float(struct dbg_ctx *ctx, struct dbg_type *t, long double d)
{
	struct dbg_value *v = dbg_value_new(ctx, t);
	struct dbg_type *s = dbg_type_strip(t);

	if (!v)
		return NULL;
	if (s && s->kind == DBG_TYPE_FLOAT) {
		dbg_float_to_bytes(v->bytes, s->size, d);
	} else if (s && s->kind == DBG_TYPE_BOOL) {
		v->bytes[0] = d != 0;
	} else {
		uint64_t x = dbg_float_to_u64(d);

		dbg_u64_to_bytes(v->bytes, dbg_type_size(t), x);
	}
	return v;
}

int dbg_read_memory(struct dbg_ctx *ctx, uint64_t addr, void *buf, size_t len)
{
	int r = -EIO;

	if (len == 0)
		return 0;
	if (ctx->target.read_memory)
		r = ctx->target.read_memory(ctx->target.data, addr, buf, len);
	if (r < 0)
		return dbg_error(ctx, EFAULT, "Cannot access memory at address 0x%llx",
		                 (unsigned long long)addr);
	return 0;
}

int dbg_write_memory(struct dbg_ctx *ctx, uint64_t addr, const void *buf, size_t len)
{
	int r = -EIO;

	if (len == 0)
		return 0;
	if (ctx->target.write_memory)
		r = ctx->target.write_memory(ctx->target.data, addr, buf, len);
	if (r < 0)
		return dbg_error(ctx, EFAULT, "Cannot access memory at address 0x%llx",
		                 (unsigned long long)addr);
	return 0;
}

int dbg_value_fetch(struct dbg_ctx *ctx, struct dbg_value *v)
{
	uint64_t n = dbg_type_size(v->type);
	int r;

	if (v->optimized_out)
		return dbg_error(ctx, EINVAL, "value has been optimized out");
	if (!v->lazy)
		return 0;
	r = check_size(ctx, n);
	if (r < 0)
		return r;
	v->bytes = dbg_arena_alloc(&ctx->tmp, n ? n : 1);
	if (!v->bytes)
		return dbg_error(ctx, ENOMEM, "Out of memory.");
	if (ctx->noside || dbg_type_strip(v->type)->kind == DBG_TYPE_FUNC) {
		/* Only the type matters (or a function: its address is the value): read nothing. */
	} else if (v->bitsize) {
		unsigned char raw[9] = {0};
		size_t nb = (v->bitpos + v->bitsize + 7) / 8;
		uint64_t bits = 0;
		struct dbg_type *s = dbg_type_strip(v->type);

		r = dbg_read_memory(ctx, v->addr, raw, nb);
		if (r < 0)
			return r;
		for (size_t i = 0; i < nb; i++) {
			unsigned sh = 8 * (unsigned)i;

			if (sh >= v->bitpos)
				bits |= (uint64_t)raw[i] << (sh - v->bitpos);
			else
				bits |= (uint64_t)raw[i] >> (v->bitpos - sh);
		}
		if (v->bitsize < 64) {
			bits &= ((uint64_t)1 << v->bitsize) - 1;
			if (!s->is_unsigned && (bits >> (v->bitsize - 1)) & 1)
				bits |= ~(uint64_t)0 << v->bitsize;
		}
		dbg_u64_to_bytes(v->bytes, n, bits);
	} else {
		r = dbg_read_memory(ctx, v->addr, v->bytes, n);
		if (r < 0)
			return r;
	}
	v->lazy = false;
	return 0;
}

int dbg_value_as_int(struct dbg_ctx *ctx, struct dbg_value *v, int64_t *ret)
{
	struct dbg_type *s = dbg_type_strip(v->type);
	int r;

	if (!dbg_type_is_scalar(s) && !(s && s->kind == DBG_TYPE_FLAGS))
		return dbg_error(ctx, EINVAL, "Value can't be converted to integer.");
	r = dbg_value_fetch(ctx, v);
	if (r < 0)
		return r;
	if (s->kind == DBG_TYPE_FLOAT) {
		long double d = dbg_bytes_to_float(v->bytes, s->size);

		*ret = (int64_t)dbg_float_to_u64(d);
		return 0;
	}
	*ret = (int64_t)dbg_bytes_to_u64(v->bytes, s->size, !s->is_unsigned);
	return 0;
}

int dbg_value_as_float(struct dbg_ctx *ctx, struct dbg_value *v, long double *ret)
{
	struct dbg_type *s = dbg_type_strip(v->type);
	int64_t i;
	int r;

	if (s && s->kind == DBG_TYPE_FLOAT) {
		r = dbg_value_fetch(ctx, v);
		if (r < 0)
			return r;
		*ret = dbg_bytes_to_float(v->bytes, s->size);
		return 0;
	}
	r = dbg_value_as_int(ctx, v, &i);
	if (r < 0)
		return r;
	/* s is a scalar type here (dbg_value_as_int checked it) */
	*ret = s && s->is_unsigned ? (long double)(uint64_t)i : (long double)i;
	return 0;
}

int dbg_value_as_address(struct dbg_ctx *ctx, struct dbg_value *v, uint64_t *ret)
{
	struct dbg_type *s = dbg_type_strip(v->type);
	int64_t i;
	int r;

	if (s && (s->kind == DBG_TYPE_ARRAY || s->kind == DBG_TYPE_FUNC)) {
		if (v->lval != DBG_LV_MEMORY)
			return dbg_error(ctx, EINVAL,
			                 "Attempt to take address of value not located in memory.");
		*ret = v->addr;
		return 0;
	}
	r = dbg_value_as_int(ctx, v, &i);
	if (r < 0)
		return r;
	*ret = (uint64_t)i;
	return 0;
}
