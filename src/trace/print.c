/* SPDX-License-Identifier: MIT */
/*
 * The printing primitives of the syscall decoder: numbers, pointers, fds,
 * flags, strings and buffers, signal sets, in strace's exact text.
 */
#include "trace.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the line buffer ---- */

void db_reset(struct dbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

void db_free(struct dbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

static bool db_reserve(struct dbuf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s)
		return false;
	b->s = s;
	b->cap = cap;
	return true;
}

void db_putn(struct dbuf *b, const char *s, size_t n)
{
	if (!db_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void db_puts(struct dbuf *b, const char *s)
{
	db_putn(b, s, strlen(s));
}

void db_putc(struct dbuf *b, char c)
{
	db_putn(b, &c, 1);
}

void db_printf(struct dbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !db_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ---- arguments ---- */

void arg_next(struct dctx *d)
{
	if (d->arg > 0)
		db_puts(d->out, ", ");
	if (d->arg >= 0 && d->arg < 7)
		d->c->argoff[d->arg] = (uint32_t)d->out->len;
	d->arg++;
}

uint64_t arg_u(const struct dctx *d, int i)
{
	uint64_t v = d->args[i];
	return d->arch == PTK_ARCH_I386 ? (uint32_t)v : v;
}

int64_t arg_i(const struct dctx *d, int i)
{
	return (int32_t)(uint32_t)d->args[i];
}

bool mem_get(struct dctx *d, uint64_t addr, void *buf, size_t len)
{
	return ptk_mem_read(d->t->s, d->c->tid, addr, buf, len, NULL) == 0;
}

/* ---- numbers ---- */

void p_int(struct dctx *d, int64_t v)
{
	db_printf(d->out, "%lld", (long long)v);
}

void p_uint(struct dctx *d, uint64_t v)
{
	db_printf(d->out, "%llu", (unsigned long long)v);
}

void p_hex(struct dctx *d, uint64_t v)
{
	if (v)
		db_printf(d->out, "%#llx", (unsigned long long)v);
	else
		db_putc(d->out, '0');
}

void p_oct(struct dctx *d, uint64_t v)
{
	if (v)
		db_printf(d->out, "%#llo", (unsigned long long)v);
	else
		db_putc(d->out, '0');
}

void p_ptr(struct dctx *d, uint64_t addr)
{
	if (addr)
		db_printf(d->out, "%#llx", (unsigned long long)addr);
	else
		db_puts(d->out, "NULL");
}

void p_fd(struct dctx *d, int64_t fd)
{
	db_printf(d->out, "%lld", (long long)fd);
	if (!d->t->o.yflag || fd < 0)
		return;
	char path[64], target[PATH_MAX];
	snprintf(path, sizeof path, "/proc/%d/fd/%lld", d->c->pid, (long long)fd);
	ssize_t n = readlink(path, target, sizeof target - 1);
	if (n <= 0)
		return;
	target[n] = 0;
	db_putc(d->out, '<');
	/* strace escapes the path's non-printable bytes like a string's. */
	for (ssize_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)target[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '>' || ch == '\\')
			db_printf(d->out, "\\x%02x", ch);
		else
			db_putc(d->out, (char)ch);
	}
	db_putc(d->out, '>');
}

void p_dirfd(struct dctx *d, int64_t fd)
{
	if ((int32_t)fd == -100)
		db_puts(d->out, "AT_FDCWD");
	else
		p_fd(d, (int32_t)fd);
}

void p_signal(struct dctx *d, int64_t sig)
{
	const char *n = sig > 0 && sig < 65 ? ptk_signal_name((int)sig) : NULL;
	if (n)
		db_puts(d->out, n);
	else
		db_printf(d->out, "%lld", (long long)sig);
}

void p_mode(struct dctx *d, uint64_t mode)
{
	db_printf(d->out, "%#03llo", (unsigned long long)mode);
}

void p_fmode(struct dctx *d, uint64_t mode)
{
	uint64_t fmt = mode & 0170000;
	const char *n = fmt ? ptk_xlat_name(&ptk_xlat_ifmt, fmt) : NULL;
	if (n) {
		db_printf(d->out, "%s|", n);
		mode &= ~(uint64_t)0170000;
	}
	p_mode(d, mode);
}

void p_dev(struct dctx *d, uint64_t dev)
{
	/* glibc's gnu_dev_major/minor: 12 bits of major, 20 of minor, split. */
	unsigned maj = (unsigned)(((dev >> 32) & 0xfffff000) | ((dev >> 8) & 0xfff));
	unsigned min = (unsigned)(((dev >> 12) & 0xffffff00) | (dev & 0xff));
	db_printf(d->out, "makedev(%#x, %#x)", maj, min);
}

void p_flags(struct dctx *d, const struct ptk_xlat *x, uint64_t v)
{
	char buf[1024];
	int n = ptk_xlat_format(x, v, buf, sizeof buf);
	if (n >= 0 && (size_t)n < sizeof buf)
		db_puts(d->out, buf);
	else
		p_hex(d, v);
}

void p_xlat(struct dctx *d, const struct ptk_xlat *x, uint64_t v, const char *unknown)
{
	const char *n = ptk_xlat_name(x, v);
	if (n) {
		db_puts(d->out, n);
		return;
	}
	p_hex(d, v);
	if (unknown)
		db_printf(d->out, " /* %s */", unknown);
}

/* ---- strings ---- */

/*
 * strace's escaping: \t \n \v \f \r \" \\ by name, printable ASCII as is,
 * anything else in octal with the fewest digits unless a digit follows
 * (then three), or as \xNN with -x; -xx escapes every byte.
 */
void p_quoted(struct dctx *d, const uint8_t *s, size_t n, bool truncated, bool is_str)
{
	struct dbuf *b = d->out;
	int x = d->t->o.xflag;
	db_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		if (is_str && c == 0)
			break;
		if (x >= 2) {
			db_printf(b, "\\x%02x", c);
			continue;
		}
		switch (c) {
		case '"':
			db_puts(b, "\\\"");
			continue;
		case '\\':
			db_puts(b, "\\\\");
			continue;
		case '\f':
			db_puts(b, "\\f");
			continue;
		case '\n':
			db_puts(b, "\\n");
			continue;
		case '\r':
			db_puts(b, "\\r");
			continue;
		case '\t':
			db_puts(b, "\\t");
			continue;
		case '\v':
			db_puts(b, "\\v");
			continue;
		default:
			break;
		}
		if (c >= 0x20 && c < 0x7f) {
			db_putc(b, (char)c);
		} else if (x) {
			db_printf(b, "\\x%02x", c);
		} else if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
			db_printf(b, "\\%03o", c);
		} else {
			db_printf(b, "\\%o", c);
		}
	}
	db_putc(b, '"');
	if (truncated)
		db_puts(b, "...");
}

/* Read a NUL-terminated string of at most max bytes; -1 if unreadable. */
static int read_str(struct dctx *d, uint64_t addr, size_t max, char **ret, size_t *ret_len)
{
	char *buf = malloc(max + 1);
	if (!buf)
		return -1;
	size_t len = 0;
	int r = ptk_mem_read_str(d->t->s, d->c->tid, addr, buf, max, &len);
	if (r < 0 && len == 0) {
		free(buf);
		return -1;
	}
	*ret = buf;
	*ret_len = len;
	return r == 1 || r < 0; /* truncated (or cut short by a fault) */
}

static void print_str(struct dctx *d, uint64_t addr, size_t max)
{
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	char *s;
	size_t len;
	int r = read_str(d, addr, max, &s, &len);
	if (r < 0) {
		p_ptr(d, addr);
		return;
	}
	p_quoted(d, (const uint8_t *)s, len, r == 1, true);
	free(s);
}

void p_str(struct dctx *d, uint64_t addr, size_t max)
{
	print_str(d, addr, max);
}

void p_path(struct dctx *d, uint64_t addr)
{
	print_str(d, addr, PATH_MAX - 1);
}

void p_buf(struct dctx *d, uint64_t addr, uint64_t len)
{
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	size_t max = d->t->o.strsize;
	size_t n = len > max ? max : (size_t)len;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf || (n && !mem_get(d, addr, buf, n))) {
		free(buf);
		p_ptr(d, addr);
		return;
	}
	p_quoted(d, buf, n, len > max, false);
	free(buf);
}

/* ---- signal sets ---- */

/* "INT", "RTMIN", "RT_2": a signal's name as strace prints it in a set. */
static void set_member(struct dctx *d, int sig, bool first)
{
	const char *n = ptk_signal_name(sig);
	if (!first)
		db_putc(d->out, ' ');
	if (n && strncmp(n, "SIG", 3) == 0)
		db_puts(d->out, n + 3);
	else
		db_printf(d->out, "%d", sig);
}

void p_sigset(struct dctx *d, const uint64_t *words, size_t nbits)
{
	size_t set = 0;
	for (size_t i = 0; i < nbits; i++)
		set += (words[i / 64] >> (i % 64)) & 1;
	/* More than half the signals set: print the complement, "~[...]". */
	bool inv = set * 2 > nbits;
	db_puts(d->out, inv ? "~[" : "[");
	bool first = true;
	for (size_t i = 0; i < nbits; i++) {
		bool bit = (words[i / 64] >> (i % 64)) & 1;
		if (bit != inv) {
			set_member(d, (int)i + 1, first);
			first = false;
		}
	}
	db_putc(d->out, ']');
}

void p_sigset_addr(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint64_t words[2] = {0, 0};
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	/* The kernel's sigset_t is 8 bytes here; other sizes are EINVAL. */
	if (size == 0 || size > sizeof words || !mem_get(d, addr, words, (size_t)size)) {
		p_ptr(d, addr);
		return;
	}
	p_sigset(d, words, (size_t)size * 8);
}

/* ---- execve's arrays ---- */

void p_argv(struct dctx *d, uint64_t addr)
{
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	db_putc(d->out, '[');
	for (size_t i = 0;; i++) {
		uint64_t p = 0;
		size_t w = d->arch == PTK_ARCH_I386 ? 4 : 8;
		if (!mem_get(d, addr + i * w, &p, w)) {
			if (i == 0) {
				d->out->len--; /* drop "[" */
				p_ptr(d, addr);
				return;
			}
			db_puts(d->out, ", ...");
			break;
		}
		if (!p)
			break;
		if (i)
			db_puts(d->out, ", ");
		p_str(d, p, d->t->o.strsize);
	}
	db_putc(d->out, ']');
}

void p_envp(struct dctx *d, uint64_t addr)
{
	if (d->t->o.verbose) {
		p_argv(d, addr);
		return;
	}
	p_ptr(d, addr);
	if (!addr)
		return;
	size_t n = 0, w = d->arch == PTK_ARCH_I386 ? 4 : 8;
	for (;; n++) {
		uint64_t p = 0;
		if (!mem_get(d, addr + n * w, &p, w) || !p)
			break;
	}
	db_printf(d->out, " /* %zu var%s */", n, n == 1 ? "" : "s");
}
