/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool buf_grow(struct dbg_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;
	char *s;

	if (b->oom)
		return false;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void dbg_buf_free(struct dbg_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void dbg_buf_reset(struct dbg_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
	b->oom = false;
}

void dbg_buf_truncate(struct dbg_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

void dbg_buf_putn(struct dbg_buf *b, const char *s, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void dbg_buf_putc(struct dbg_buf *b, char c)
{
	dbg_buf_putn(b, &c, 1);
}

void dbg_buf_puts(struct dbg_buf *b, const char *s)
{
	dbg_buf_putn(b, s, strlen(s));
}

void dbg_buf_vprintf(struct dbg_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void dbg_buf_printf(struct dbg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dbg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *dbg_buf_str(const struct dbg_buf *b)
{
	return b->s ? b->s : "";
}

struct dbg_arena_chunk {
	struct dbg_arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define CHUNK_BYTES 8192

void *dbg_arena_alloc(struct dbg_arena *a, size_t n)
{
	struct dbg_arena_chunk *c = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK_BYTES ? n : CHUNK_BYTES;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->cap = cap;
		c->used = 0;
		if (a->head && n > CHUNK_BYTES) {
			/* A big block: keep the current chunk at the head for small ones. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

void *dbg_arena_memdup(struct dbg_arena *a, const void *p, size_t n)
{
	void *q = dbg_arena_alloc(a, n);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

char *dbg_arena_strndup(struct dbg_arena *a, const char *s, size_t n)
{
	char *q = dbg_arena_alloc(a, n + 1);

	if (q) {
		memcpy(q, s, n);
		q[n] = '\0';
	}
	return q;
}

char *dbg_arena_strdup(struct dbg_arena *a, const char *s)
{
	return dbg_arena_strndup(a, s, strlen(s));
}

void dbg_arena_free(struct dbg_arena *a)
{
	struct dbg_arena_chunk *c = a->head;

	while (c) {
		struct dbg_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
}

int dbg_edit_distance(const char *a, const char *b)
{
	/* Optimal string alignment distance over the first 63 bytes of each, three rows. */
	enum { MAXN = 64 };
	int rows[3][MAXN];
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	size_t la = strlen(a), lb = strlen(b);

	if (la >= MAXN)
		la = MAXN - 1;
	if (lb >= MAXN)
		lb = MAXN - 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int *t;

		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] == b[j - 1] ? 0 : 1;
			int v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
		t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}
