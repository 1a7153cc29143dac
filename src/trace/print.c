/* SPDX-License-Identifier: MIT */
/*
 * The printing primitives of the syscall decoder: numbers, pointers, fds,
 * flags, strings and buffers, signal sets, in strace's exact text.
 */
#include "trace.h"

#include "fdinfo.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- arguments ---- */

void arg_next(struct dctx *d)
{
	if (d->arg > 0 && !d->sep_done)
		db_puts(d->out, ", ");
	d->sep_done = false;
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
	fmt_hex(d->out, v);
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

static unsigned xflags(const struct dctx *d);

/* "<target>" of a /proc link, escaped as strace escapes paths after -y. */
static void put_link(struct dctx *d, const char *link, bool fd)
{
	char target[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n <= 0)
		return;
	target[n] = 0;
	db_putc(d->out, '<');
	/* -yy: a socket's endpoints instead of "socket:[INODE]". */
	if (fd && d->t->o.yflag > 1 && fdinfo_socket(d->out, link, target, xflags(d))) {
		db_putc(d->out, '>');
		return;
	}
	/* Escaped like a string (-x, -xx too), without quotes, < and > in octal. */
	fmt_quote(d->out, (const uint8_t *)target, (size_t)n, xflags(d) | QF_FDPATH);
	/* -yy: a device's numbers, "</dev/null<char 1:3>>". */
	if (fd && d->t->o.yflag > 1)
		fdinfo_device(d->out, link);
	db_putc(d->out, '>');
}

void p_fd(struct dctx *d, int64_t fd)
{
	db_printf(d->out, "%lld", (long long)fd);
	/* No path in the text after the return value: strace prints
	 * "= 1 ([{fd=3, revents=POLLIN}])" and "(in [3])" plain. */
	if (!d->t->o.yflag || fd < 0 || d->out == d->aux)
		return;
	char link[64];
	snprintf(link, sizeof link, "/proc/%d/fd/%lld", d->c->pid, (long long)fd);
	put_link(d, link, true);
}

/* AT_FDCWD, with -y the directory it stands for: "AT_FDCWD</home/me>". */
void p_dirfd(struct dctx *d, int64_t fd)
{
	if ((int32_t)fd != -100) {
		p_fd(d, (int32_t)fd);
		return;
	}
	db_puts(d->out, "AT_FDCWD");
	if (!d->t->o.yflag)
		return;
	char link[64];
	snprintf(link, sizeof link, "/proc/%d/cwd", d->c->tid);
	put_link(d, link, false);
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
	fmt_mode(d->out, mode);
}

void p_fmode(struct dctx *d, uint64_t mode)
{
	fmt_fmode(d->out, mode);
}

void p_dev(struct dctx *d, uint64_t dev)
{
	fmt_dev(d->out, dev);
}

void p_flags(struct dctx *d, const struct ptk_xlat *x, uint64_t v)
{
	fmt_flags(d->out, x, v);
}

void p_xlat(struct dctx *d, const struct ptk_xlat *x, uint64_t v, const char *unknown)
{
	fmt_xlat(d->out, x, v, unknown);
}

/* ---- strings ---- */

/* The fmt_quote flags of -x / -xx. */
static unsigned xflags(const struct dctx *d)
{
	return d->t->o.xflag >= 2 ? QF_XX : d->t->o.xflag ? QF_X : 0;
}

void p_quoted(struct dctx *d, const uint8_t *s, size_t n, bool truncated, bool is_str)
{
	fmt_quote(d->out, s, n, xflags(d) | (is_str ? QF_STR : 0) | (truncated ? QF_ELLIPSIS : 0));
}

/*
 * Read a NUL-terminated string of at most max bytes into *ret; returns 1
 * when it is longer (cut), 0 when whole, -1 if unreadable.  One byte more
 * is read to tell a string of exactly max bytes from a longer one.
 */
static int read_str(struct dctx *d, uint64_t addr, size_t max, char **ret, size_t *ret_len)
{
	char *buf = malloc(max + 2);
	if (!buf)
		return -1;
	size_t len = 0;
	int r = ptk_mem_read_str(d->t->s, d->c->tid, addr, buf, max + 1, &len);
	if (r < 0 && len == 0) {
		free(buf);
		return -1;
	}
	*ret = buf;
	*ret_len = len > max ? max : len;
	return r == 1 || r < 0 || len > max; /* cut (or cut short by a fault) */
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

void p_buf_ex(struct dctx *d, uint64_t addr, uint64_t len, unsigned qflags)
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
	fmt_quote(d->out, buf, n, xflags(d) | qflags | (len > max ? QF_ELLIPSIS : 0));
	free(buf);
}

void p_buf(struct dctx *d, uint64_t addr, uint64_t len)
{
	p_buf_ex(d, addr, len, 0);
}

/* ---- times ---- */

static void time_pair(struct dctx *d, uint64_t addr, const char *frac)
{
	int64_t v[2];
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (d->arch == PTK_ARCH_I386) {
		int32_t w[2];
		if (!mem_get(d, addr, w, sizeof w)) {
			p_ptr(d, addr);
			return;
		}
		v[0] = w[0];
		v[1] = w[1];
	} else if (!mem_get(d, addr, v, sizeof v)) {
		p_ptr(d, addr);
		return;
	}
	db_printf(d->out, "{tv_sec=%lld, %s=%lld}", (long long)v[0], frac, (long long)v[1]);
}

void p_timespec_addr(struct dctx *d, uint64_t addr)
{
	time_pair(d, addr, "tv_nsec");
}

void p_timeval_addr(struct dctx *d, uint64_t addr)
{
	time_pair(d, addr, "tv_usec");
}

/* ---- signal sets ---- */

void p_sigset(struct dctx *d, const uint64_t *words, size_t nbits)
{
	fmt_sigset(d->out, words, nbits);
}

void p_sigset_addr(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint64_t words[2] = {0, 0};
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	/* The kernel's sigset_t is 8 bytes (x86_64 and i386); strace shows the
	 * address for any other size, which the kernel rejects. */
	if (size != 8 || !mem_get(d, addr, words, (size_t)size)) {
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
		/* strace shows at most -s elements (all with -v), then "...". */
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
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
