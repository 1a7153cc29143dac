/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the syscall decoder's pure formatting
 * (src/trace/fmt.c) and the flag-set notation it builds on (data/xlat.c).
 *
 * Input: byte 0 chooses the quoting flags (-x, -xx, forced hex, string,
 * "..."), byte 1 a flag set, bytes 2..9 a 64-bit value; the rest is the
 * bytes to quote.  Invariants (abort() on a break):
 * - quoting: the text is "..." (then "..." when cut), only printable
 *   ASCII, at most 4 characters a byte, and unescaping it gives back the
 *   bytes (up to the first NUL for a string): the octal padding rule keeps
 *   every escape unambiguous; hex mode is \xNN for every byte, and -x
 *   leaves no byte other than printable ones and \t\n\v\f\r unescaped;
 * - flags: every '|'-separated part of a FLAGS set's text is a name of the
 *   set (or a signal for a signal field) or a hex number, and OR'd together
 *   they give back the value; "0x... / * X_??? * /" only when no bit has a
 *   name; an ENUM value prints its name or its number;
 * - devices, modes, limits and signal sets read back to the value they
 *   print (a set as "~[...]" from two thirds of the signals on).
 */
#include "fmt.h"

#include <ptk/tables.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "invariant broken: %s\n", what);
		abort();
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescape the quoted text of fmt_quote; returns the byte count. */
static size_t unquote(const char *s, size_t len, uint8_t *out, int *all_hex)
{
	check(len >= 2 && s[0] == '"', "opening quote");
	size_t end = len;
	if (len >= 5 && strcmp(s + len - 3, "...") == 0 && s[len - 4] == '"')
		end = len - 3;
	check(s[end - 1] == '"', "closing quote");
	size_t n = 0;
	*all_hex = 1;
	for (size_t i = 1; i < end - 1;) {
		unsigned char c = (unsigned char)s[i];
		check(c >= 0x20 && c < 0x7f, "printable output");
		if (c != '\\') {
			check(c != '"', "bare quote inside");
			out[n++] = c;
			*all_hex = 0;
			i++;
			continue;
		}
		check(i + 1 < end - 1, "escape at the end");
		char e = s[i + 1];
		const char *named = "\"\\tnvfr", *val = "\"\\\t\n\v\f\r";
		const char *p = strchr(named, e);
		if (p && e) {
			out[n++] = (uint8_t)val[p - named];
			*all_hex = 0;
			i += 2;
		} else if (e == 'x') {
			check(i + 3 < end - 1 + 1, "short \\x");
			int h = hexval(s[i + 2]), l = hexval(s[i + 3]);
			check(h >= 0 && l >= 0, "\\x digits");
			out[n++] = (uint8_t)(h * 16 + l);
			i += 4;
		} else {
			int v = 0, k = 0;
			while (k < 3 && i + 1 + k < end - 1 && s[i + 1 + k] >= '0' &&
			       s[i + 1 + k] <= '7')
				v = v * 8 + (s[i + 1 + k] - '0'), k++;
			check(k > 0, "escape kind");
			check(v < 256, "octal range");
			out[n++] = (uint8_t)v;
			*all_hex = 0;
			i += 1 + (size_t)k;
		}
	}
	return n;
}

static void fuzz_quote(const uint8_t *data, size_t size, unsigned sel)
{
	unsigned flags = sel & (QF_STR | QF_X | QF_XX | QF_HEX | QF_ELLIPSIS);
	struct dbuf b = {0};
	fmt_quote(&b, data, size, flags);
	check(b.s != NULL && b.len == strlen(b.s), "no NUL inside");
	size_t shown = size;
	if (flags & QF_STR) {
		const uint8_t *z = memchr(data, 0, size);
		if (z)
			shown = (size_t)(z - data);
	}
	check(b.len <= 4 * shown + 5, "length bound");
	uint8_t *back = malloc(shown + 1);
	int all_hex;
	size_t n = unquote(b.s, b.len, back, &all_hex);
	check(n == shown && memcmp(back, data, shown) == 0, "round trip");
	bool hex = fmt_quote_hex(data, shown, flags);
	if (shown)
		check(all_hex == (int)hex, "hex mode all or nothing");
	if ((flags & (QF_XX | QF_HEX)) && shown)
		check(hex, "forced hex");
	if ((flags & QF_X) && !hex)
		for (size_t i = 0; i < shown; i++)
			check((data[i] >= 0x20 && data[i] < 0x7f) ||
			              (data[i] >= 9 && data[i] <= 13),
			      "-x plain text has only printable bytes");
	check(((flags & QF_ELLIPSIS) != 0) ==
	              (b.len >= 5 && strcmp(b.s + b.len - 3, "...") == 0 && b.s[b.len - 4] == '"'),
	      "ellipsis iff cut");
	free(back);
	db_free(&b);
}

static void fuzz_flags(const struct ptk_xlat *x, uint64_t v)
{
	struct dbuf b = {0};
	fmt_flags(&b, x, v);
	check(b.s && b.len && b.len == strlen(b.s), "flags text");
	if (x->kind == PTK_XLAT_FLAGS && !x->rest_octal) {
		char *text = strdup(b.s), *comment = strstr(text, " /* ");
		if (comment) {
			check(strncmp(text, "0x", 2) == 0, "comment only without names");
			check(comment[strlen(comment) - 1] == '/', "comment closed");
			*comment = 0;
		}
		uint64_t acc = 0;
		char *save = NULL;
		for (char *t = strtok_r(text, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
			uint64_t tv;
			if (strncmp(t, "0x", 2) == 0 || strcmp(t, "0") == 0) {
				tv = strtoull(t, NULL, 16);
			} else if (ptk_xlat_value(x, t, &tv) < 0) {
				int sig = ptk_signal_lookup(t);
				check(x->fieldset && sig > 0, "a part is a name of the set");
				tv = (uint64_t)sig;
			}
			acc |= tv;
		}
		check(acc == v, "flags read back");
		free(text);
	} else if (x->kind == PTK_XLAT_ENUM) {
		const char *n = ptk_xlat_name(x, v);
		check(n ? strcmp(b.s, n) == 0 : (b.s[0] == '-' || (b.s[0] >= '0' && b.s[0] <= '9')),
		      "enum name or number");
	}
	db_reset(&b);
	fmt_xlat(&b, x, v, "X_???");
	const char *n = ptk_xlat_name(x, v);
	if (n)
		check(strcmp(b.s, n) == 0, "xlat name");
	else
		check(strstr(b.s, " /* X_??? */") != NULL && strtoull(b.s, NULL, 16) == v,
		      "xlat hex");
	char u[64];
	xlat_unknown(x, u, sizeof u);
	check(u[0] == 0 || strstr(u, "??") != NULL, "unknown name");
	db_free(&b);
}

static void fuzz_numbers(uint64_t v)
{
	struct dbuf b = {0};
	unsigned maj, min;
	fmt_dev(&b, v);
	check(sscanf(b.s, "makedev(%x, %x)", &maj, &min) == 2, "makedev text");
	uint64_t back = ((uint64_t)(maj & 0xfff) << 8) | ((uint64_t)(maj & ~0xfffu) << 32) |
	                (min & 0xff) | ((uint64_t)(min & ~0xffu) << 12);
	check(back == v, "makedev read back");
	db_reset(&b);
	fmt_mode(&b, v & 07777);
	check(strtoull(b.s, NULL, 8) == (v & 07777) && b.s[0] == '0' && b.len >= 3, "mode");
	db_reset(&b);
	fmt_rlim(&b, v, "INF");
	if (v == UINT64_MAX)
		check(strcmp(b.s, "INF") == 0, "infinity");
	else {
		char *star;
		uint64_t r = strtoull(b.s, &star, 10);
		if (*star)
			check(strcmp(star, "*1024") == 0 && r * 1024 == v && v > 1024, "N*1024");
		else
			check(r == v && (v <= 1024 || v % 1024), "plain limit");
	}
	db_reset(&b);
	fmt_fmode(&b, v & 0177777);
	check(b.len > 0, "fmode");
	/* A signal set: its members (or non-members after "~") read back. */
	db_reset(&b);
	fmt_sigset(&b, &v, 64);
	int inv = b.s[0] == '~';
	check(b.s[inv] == '[' && b.s[b.len - 1] == ']', "sigset brackets");
	uint64_t members = 0;
	char *list = strndup(b.s + inv + 1, b.len - (size_t)inv - 2), *save = NULL;
	for (char *t = strtok_r(list, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		int sig = ptk_signal_lookup(t);
		check(sig >= 1 && sig <= 64, "sigset member is a signal");
		members |= 1ULL << (sig - 1);
	}
	free(list);
	check((inv ? ~members : members) == v, "sigset read back");
	check(inv == (__builtin_popcountll(v) >= 42), "complement from two thirds");
	db_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 10)
		return 0;
	uint64_t v;
	memcpy(&v, data + 2, 8);
	fuzz_quote(data + 10, size - 10, data[0]);
	fuzz_flags(ptk_flagsets[data[1] % ptk_flagset_count], v);
	/* Small values too: most real flags are. */
	fuzz_flags(ptk_flagsets[data[1] % ptk_flagset_count], v & 0xffff);
	fuzz_numbers(v);
	return 0;
}
