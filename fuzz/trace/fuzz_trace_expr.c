/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: ptk trace's qualifying expressions (src/trace/expr.c).
 * The first byte picks what the rest (up to a line break) is parsed as:
 * a syscall set, a signal set, a status set, a quiet set, a time, a whole
 * -e expression, or a name to suggest for.  Invariants: a failure has a
 * non-empty one-line message that quotes part of the input or names the
 * problem; "!SET" is the complement of "SET"; a successful parse is
 * deterministic; suggestions are known syscall names.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

static struct trace_opts o1, o2;

static void one_line(const char *err)
{
	if (!err[0] || strchr(err, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 2048)
		return 0;
	char s[2050], neg[2052], err[512], err2[512];
	size_t n = strnlen((const char *)data + 1, size - 1);
	memcpy(s, data + 1, n);
	s[n] = 0;
	s[strcspn(s, "\n")] = 0;
	switch (data[0] % 7) {
	case 0: {
		struct sc_set a, b;
		int ra = expr_syscall_set(s, &a, err, sizeof err);
		int rb = expr_syscall_set(s, &b, err2, sizeof err2);
		if (ra != rb || (ra == 0 && memcmp(&a, &b, sizeof a) != 0))
			abort();
		if (ra < 0) {
			one_line(err);
			break;
		}
		if (s[0] == '!')
			break;
		snprintf(neg, sizeof neg, "!%s", s);
		if (expr_syscall_set(neg, &b, err2, sizeof err2) != 0)
			abort();
		for (int ab = 0; ab < ABI_N; ab++)
			for (int i = 0; i < SC_BITS / 64; i++)
				if (a.w[ab][i] != ~b.w[ab][i])
					abort();
		if (a.rest == b.rest)
			abort();
		break;
	}
	case 1: {
		uint64_t a[2], b[2];
		int ra = expr_signal_set(s, a, err, sizeof err);
		if (ra < 0) {
			one_line(err);
			break;
		}
		if (s[0] != '!') {
			snprintf(neg, sizeof neg, "!%s", s);
			if (expr_signal_set(neg, b, err2, sizeof err2) != 0 || a[0] != ~b[0] ||
			    a[1] != ~b[1])
				abort();
		}
		break;
	}
	case 2:
	case 3: {
		unsigned v;
		int r = data[0] % 7 == 2 ? expr_status_set(s, &v, err, sizeof err)
		                         : expr_quiet_set(s, &v, err, sizeof err);
		if (r < 0)
			one_line(err);
		else if (v & ~31u)
			abort();
		break;
	}
	case 4: {
		int64_t ns = expr_time_ns(s);
		if (ns < -1)
			abort();
		expr_precision(s);
		break;
	}
	case 5: {
		memset(&o1, 0, sizeof o1);
		memset(&o2, 0, sizeof o2);
		int ra = expr_parse(&o1, s, err, sizeof err);
		int rb = expr_parse(&o2, s, err2, sizeof err2);
		if (ra != rb || memcmp(&o1, &o2, sizeof o1) != 0)
			abort();
		if (ra < 0)
			one_line(err);
		break;
	}
	default: {
		char buf[256];
		expr_suggest(s, buf, sizeof buf);
		for (char *p = buf, *save = NULL, *tok; (tok = strtok_r(p, ", ", &save)); p = NULL)
			if (ptk_syscall_lookup(PTK_ARCH_X86_64, tok) < 0 &&
			    ptk_syscall_lookup(PTK_ARCH_I386, tok) < 0)
				abort();
	}
	}
	return 0;
}
