/* SPDX-License-Identifier: MIT */
/*
 * The C side of ptk's test harness.  A test binary holds several cases:
 *
 *	TEST(spawn_true) { ... CHECK(x == 1); CHECK_EQ_INT(a, b); ... }
 *
 * `binary --list` prints the case names; `binary NAME` runs one case and
 * exits 0 (pass), 1 (fail) or 77 (skip; the reason is the last line).
 * `binary` alone runs every case, each in a child process, and prints
 * PASS/SKIP/FAIL NAME for each; `binary --skip NAME...` does the same for
 * every case but those named.  tests/run drives all binaries and prints
 * the suite's summary line.
 */
#ifndef PTK_TEST_HARNESS_H
#define PTK_TEST_HARNESS_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*th_fn)(void);
void th_register(const char *name, th_fn fn);
int th_main(int argc, char **argv);

#define TEST(name)                                                   \
	static void test_##name(void);                               \
	__attribute__((constructor)) static void th_reg_##name(void) \
	{                                                            \
		th_register(#name, test_##name);                     \
	}                                                            \
	static void test_##name(void)

/* Fail the current case (prints file:line and the message, exits 1). */
__attribute__((noreturn, format(printf, 3, 4))) void th_fail(const char *file, int line,
                                                             const char *fmt, ...);
/* Skip the current case: the machine lacks a capability (exits 77). */
__attribute__((noreturn, format(printf, 1, 2))) void th_skip(const char *fmt, ...);
/* A note printed with the case's output (shown on failure or with -v). */
__attribute__((format(printf, 1, 2))) void th_note(const char *fmt, ...);

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond))                                             \
			th_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
	} while (0)
#define CHECK_MSG(cond, ...)                                      \
	do {                                                      \
		if (!(cond))                                      \
			th_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)
#define CHECK_EQ_INT(a, b)                                                                   \
	do {                                                                                 \
		long long th_a_ = (long long)(a), th_b_ = (long long)(b);                    \
		if (th_a_ != th_b_)                                                          \
			th_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, th_a_, \
			        th_b_);                                                      \
	} while (0)
#define CHECK_EQ_HEX(a, b)                                                                     \
	do {                                                                                   \
		unsigned long long th_a_ = (unsigned long long)(a),                            \
		                   th_b_ = (unsigned long long)(b);                            \
		if (th_a_ != th_b_)                                                            \
			th_fail(__FILE__, __LINE__, "%s == %s: %#llx != %#llx", #a, #b, th_a_, \
			        th_b_);                                                        \
	} while (0)
#define CHECK_EQ_STR(a, b)                                                                       \
	do {                                                                                     \
		const char *th_a_ = (a), *th_b_ = (b);                                           \
		if (!th_a_ || !th_b_ || strcmp(th_a_, th_b_) != 0)                               \
			th_fail(__FILE__, __LINE__, "%s == %s:\n  got:  \"%s\"\n  want: \"%s\"", \
			        #a, #b, th_a_ ? th_a_ : "(null)", th_b_ ? th_b_ : "(null)");     \
	} while (0)
/* A library call that must succeed (return >= 0). */
#define CHECK_OK(expr)                                                                   \
	do {                                                                             \
		long th_r_ = (long)(expr);                                               \
		if (th_r_ < 0)                                                           \
			th_fail(__FILE__, __LINE__, "%s failed: %ld (%s)", #expr, th_r_, \
			        strerror((int)-th_r_));                                  \
	} while (0)

/* Path of a test tracee program built from tests/tracees/NAME.c. */
const char *th_tracee(const char *name);

/*
 * Run argv untraced, capture its stdout (up to cap-1 bytes, NUL-terminated)
 * and return its raw wait status.  stdin is /dev/null.
 */
int th_run_untraced(char *const argv[], char *out, size_t cap);

#endif
