/* SPDX-License-Identifier: MIT */
/*
 * Pure text formatting for the syscall decoder (fmt.c): the growing line
 * buffer and strace's string quoting and number notations.  decode.h
 * includes it; unit tests and fuzzing use it alone.
 */
#ifndef PTK_TRACE_FMT_H
#define PTK_TRACE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ptk_flagsets.h"

/* A growing string (the line being built). */
struct dbuf {
	char *s;
	size_t len, cap;
};

void db_reset(struct dbuf *b);
void db_free(struct dbuf *b);
void db_putn(struct dbuf *b, const char *s, size_t n);
void db_puts(struct dbuf *b, const char *s);
void db_putc(struct dbuf *b, char c);
void db_printf(struct dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* fmt_quote's flags. */
enum {
	QF_STR = 1,       /* a NUL-terminated string: stop at the first NUL */
	QF_X = 2,         /* -x: all in \xNN if one byte is not printable */
	QF_XX = 4,        /* -xx: every byte as \xNN */
	QF_HEX = 8,       /* the syscall's decoder forces \xNN (getrandom) */
	QF_ELLIPSIS = 16, /* cut at -s: "..." after the closing quote */
	QF_FDPATH = 32    /* -y's path of an fd: no quotes, < and > escaped too */
};

/*
 * Append s[0..n) quoted the way strace 6.1 prints strings and buffers:
 * "..." with \" \\ \t \n \v \f \r, other unprintable bytes in octal (three
 * digits only before an octal digit), or every byte as \xNN (see
 * fmt_quote_hex).
 */
void fmt_quote(struct dbuf *b, const uint8_t *s, size_t n, unsigned flags);
/* Would fmt_quote print these n bytes all in \xNN? */
bool fmt_quote_hex(const uint8_t *s, size_t n, unsigned flags);

/* 0x1f, and 0 as "0". */
void fmt_hex(struct dbuf *b, uint64_t v);
/* Permission bits in octal, at least three digits: 0644, 000. */
void fmt_mode(struct dbuf *b, uint64_t mode);
/* A mode with its file type and special bits: S_IFREG|S_ISUID|0755. */
void fmt_fmode(struct dbuf *b, uint64_t mode);
/* A device number as glibc splits it: makedev(0x1, 0x3). */
void fmt_dev(struct dbuf *b, uint64_t dev);
/*
 * A flags value: "O_RDONLY|O_CLOEXEC", unknown bits in hex after the names,
 * and strace's comment when no bit has a name: "0x100 / * LOCK_??? * /"
 * (without the spaces inside the comment markers).
 */
void fmt_flags(struct dbuf *b, const struct ptk_xlat *x, uint64_t v);
/* An enum value: its name, or hex followed by the comment naming the
 * unknown value ("0x7 / * SEEK_??? * /") when unknown is given. */
void fmt_xlat(struct dbuf *b, const struct ptk_xlat *x, uint64_t v, const char *unknown);
/* strace's name for an unknown value of set x, from the names' common
 * prefix up to its last '_' ("SEEK_???", "ARCH_???"), into buf ("" if the
 * names share none). */
void xlat_unknown(const struct ptk_xlat *x, char *buf, size_t len);

/* A resource limit: infinity's name for ~0, "N*1024" for a multiple of
 * 1024 above 1024, else decimal ({rlim_cur=8192*1024, ...}). */
void fmt_rlim(struct dbuf *b, uint64_t v, const char *infinity);

/* " / * 2020-01-02T03:04:05[.FRAC]+0000 * /" (without the spaces inside the
 * comment markers): the local time strace appends to a timestamp, with the
 * fraction (frac, in digits digits: 9 for nanoseconds, 6 for microseconds)
 * when it is not zero. */
void fmt_time_comment(struct dbuf *b, int64_t sec, uint64_t frac, int digits);

/* A signal set of nbits signals (bit i is signal i + 1): [INT TERM], or
 * the complement ~[RTMIN RT_1] when two thirds or more are set. */
void fmt_sigset(struct dbuf *b, const uint64_t *words, size_t nbits);

#endif
