/* SPDX-License-Identifier: MIT */
/*
 * The pure text formatting of the syscall decoder: the growing line
 * buffer, strace's string quoting and a few of its number notations.  No
 * process is touched here: unit tests (tests/unit/trace) and the fuzz
 * target (fuzz/trace) link this file alone.
 */
#include "fmt.h"

#include <ptk/tables.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- strings ---- */

static bool printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

/* \t \n \v \f \r: the only control characters -x leaves unescaped. */
static bool space(uint8_t c)
{
	return c >= '\t' && c <= '\r';
}

bool fmt_quote_hex(const uint8_t *s, size_t n, unsigned flags)
{
	if (flags & (QF_XX | QF_HEX))
		return true;
	if (!(flags & QF_X))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!printable(s[i]) && !space(s[i]))
			return true;
	return false;
}

/*
 * strace's quoting, as observed on strace 6.1:
 * - the bytes shown are the n given (a NUL-terminated string stops at its
 *   NUL with QF_STR);
 * - all of them as \xNN when -xx, when the caller forces it (getrandom's
 *   random bytes), or with -x when one of them is neither printable ASCII
 *   nor one of \t\n\v\f\r;
 * - otherwise printable ASCII as is, except " and \ escaped; \t \n \v \f \r
 *   by name; every other byte in octal with the fewest digits, or three
 *   when the next byte shown is an octal digit (so that "\0" then "5"
 *   reads back as two bytes, "\0005"; a following 8 or 9 needs no padding).
 */
void fmt_quote(struct dbuf *b, const uint8_t *s, size_t n, unsigned flags)
{
	if (flags & QF_STR) {
		const uint8_t *z = memchr(s, 0, n);
		if (z)
			n = (size_t)(z - s);
	}
	bool hex = fmt_quote_hex(s, n, flags);
	bool bare = flags & QF_FDPATH;
	if (!bare)
		db_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		char esc[8];
		if (hex) {
			snprintf(esc, sizeof esc, "\\x%02x", c);
			db_puts(b, esc);
			continue;
		}
		const char *named = NULL;
		switch (c) {
		case '"':
			named = "\\\"";
			break;
		case '\\':
			named = "\\\\";
			break;
		case '\t':
			named = "\\t";
			break;
		case '\n':
			named = "\\n";
			break;
		case '\v':
			named = "\\v";
			break;
		case '\f':
			named = "\\f";
			break;
		case '\r':
			named = "\\r";
			break;
		default:
			break;
		}
		if (named) {
			db_puts(b, named);
		} else if (printable(c) && !(bare && (c == '<' || c == '>'))) {
			db_putc(b, (char)c);
		} else {
			bool pad = i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7';
			snprintf(esc, sizeof esc, pad ? "\\%03o" : "\\%o", c);
			db_puts(b, esc);
		}
	}
	if (!bare)
		db_putc(b, '"');
	if (flags & QF_ELLIPSIS)
		db_puts(b, "...");
}

/* ---- numbers ---- */

void fmt_hex(struct dbuf *b, uint64_t v)
{
	if (v)
		db_printf(b, "%#llx", (unsigned long long)v);
	else
		db_putc(b, '0');
}

void fmt_mode(struct dbuf *b, uint64_t mode)
{
	db_printf(b, "%#03llo", (unsigned long long)mode);
}

void fmt_fmode(struct dbuf *b, uint64_t mode)
{
	uint64_t fmt = mode & 0170000;
	const char *n = fmt ? ptk_xlat_name(&ptk_xlat_ifmt, fmt) : NULL;
	if (n) {
		db_printf(b, "%s|", n);
		mode &= ~(uint64_t)0170000;
	}
	static const struct {
		unsigned bit;
		const char *name;
	} special[] = {{04000, "S_ISUID"}, {02000, "S_ISGID"}, {01000, "S_ISVTX"}};
	for (size_t i = 0; i < sizeof special / sizeof *special; i++)
		if (mode & special[i].bit) {
			db_printf(b, "%s|", special[i].name);
			mode &= ~(uint64_t)special[i].bit;
		}
	fmt_mode(b, mode);
}

void fmt_dev(struct dbuf *b, uint64_t dev)
{
	/* glibc's gnu_dev_major/minor: 12 bits of major, 20 of minor, split. */
	unsigned maj = (unsigned)(((dev >> 32) & 0xfffff000) | ((dev >> 8) & 0xfff));
	unsigned min = (unsigned)(((dev >> 12) & 0xffffff00) | (dev & 0xff));
	db_printf(b, "makedev(%#x, %#x)", maj, min);
}

/* ---- flag and constant sets ---- */

void xlat_unknown(const struct ptk_xlat *x, char *buf, size_t len)
{
	/* strace's own spelling for a few sets. */
	static const struct {
		const char *set, *name;
	} quirks[] = {{"rename", "RENAME_??"}};
	if (!len)
		return;
	buf[0] = 0;
	if (!x || !x->count)
		return;
	for (size_t i = 0; i < sizeof quirks / sizeof *quirks; i++)
		if (strcmp(x->name, quirks[i].set) == 0) {
			snprintf(buf, len, "%s", quirks[i].name);
			return;
		}
	/* Among the names that begin like the first one up to its first '_'
	 * (FASYNC does not spoil the open flags' "O_"). */
	const char *n = x->entries[0].name, *u = strchr(n, '_');
	size_t head = u ? (size_t)(u - n) + 1 : strlen(n);
	size_t common = strlen(n);
	for (size_t i = 1; i < x->count; i++) {
		size_t k = 0;
		const char *m = x->entries[i].name;
		if (strncmp(m, n, head) != 0)
			continue;
		while (k < common && m[k] == n[k])
			k++;
		common = k;
	}
	while (common > 0 && n[common - 1] != '_')
		common--;
	if (common && common + 4 < len)
		snprintf(buf, len, "%.*s???", (int)common, n);
}

void fmt_flags(struct dbuf *b, const struct ptk_xlat *x, uint64_t v)
{
	char buf[1024];
	int n = ptk_xlat_format(x, v, buf, sizeof buf);
	if (n < 0 || (size_t)n >= sizeof buf) {
		fmt_hex(b, v);
		return;
	}
	db_puts(b, buf);
	if (v && x->kind == PTK_XLAT_FLAGS && strncmp(buf, "0x", 2) == 0) {
		char u[64];
		xlat_unknown(x, u, sizeof u);
		if (u[0])
			db_printf(b, " /* %s */", u);
	}
}

void fmt_xlat(struct dbuf *b, const struct ptk_xlat *x, uint64_t v, const char *unknown)
{
	const char *n = ptk_xlat_name(x, v);
	if (n) {
		db_puts(b, n);
		return;
	}
	fmt_hex(b, v);
	if (unknown)
		db_printf(b, " /* %s */", unknown);
}

void fmt_rlim(struct dbuf *b, uint64_t v, const char *infinity)
{
	if (v == UINT64_MAX)
		db_puts(b, infinity);
	else if (v > 1024 && v % 1024 == 0)
		db_printf(b, "%llu*1024", (unsigned long long)(v / 1024));
	else
		db_printf(b, "%llu", (unsigned long long)v);
}

void fmt_time_comment(struct dbuf *b, int64_t sec, uint64_t frac, int digits)
{
	struct tm tm;
	time_t t = (time_t)sec;
	char buf[64];
	if (!localtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm))
		return;
	db_printf(b, " /* %s", buf);
	if (frac)
		db_printf(b, ".%0*llu", digits, (unsigned long long)frac);
	if (strftime(buf, sizeof buf, "%z", &tm))
		db_printf(b, "%s */", buf);
	else
		db_puts(b, " */");
}

/* ---- signal sets ---- */

/* "INT", "RTMIN", "RT_2": a signal's name as strace prints it in a set. */
static void set_member(struct dbuf *b, int sig, bool first)
{
	const char *n = ptk_signal_name(sig);
	if (!first)
		db_putc(b, ' ');
	if (n && strncmp(n, "SIG", 3) == 0)
		db_puts(b, n + 3);
	else
		db_printf(b, "%d", sig);
}

void fmt_sigset(struct dbuf *b, const uint64_t *words, size_t nbits)
{
	size_t set = 0;
	for (size_t i = 0; i < nbits; i++)
		set += (words[i / 64] >> (i % 64)) & 1;
	/*
	 * strace prints the complement, "~[...]", from two thirds of the
	 * signals on (observed with rt_sigprocmask: 41 of 64 plain, 42 not).
	 */
	bool inv = set >= nbits * 2 / 3;
	db_puts(b, inv ? "~[" : "[");
	bool first = true;
	for (size_t i = 0; i < nbits; i++) {
		bool bit = (words[i / 64] >> (i % 64)) & 1;
		if (bit != inv) {
			set_member(b, (int)i + 1, first);
			first = false;
		}
	}
	db_putc(b, ']');
}
