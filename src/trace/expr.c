/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's qualifying expressions (-e QUALIFIER=[!]VALUE,...): syscall
 * sets (names, numbers, %classes, /regex, ?, @64/@32/@x32), signal sets,
 * status sets, quiet sets and the tampering specifications of -e inject=
 * and -e fault=, with strace's meaning.  A bad expression gets one line
 * that names the offending token and, for an unknown syscall, the closest
 * names.  Pure code: unit-tested and fuzzed.
 */
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

static const int abi_arch[ABI_N] = {PTK_ARCH_X86_64, PTK_ARCH_I386, PTK_ARCH_X32};

/* ---- suggestions: the closest syscall names ---- */

/* Optimal string alignment distance (Levenshtein with transpositions), capped. */
static int distance(const char *a, const char *b, int cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > (size_t)cap)
		return cap + 1;
	int d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	int prevmin = 0;
	for (size_t i = 1; i <= la; i++) {
		int rowmin = d[i][0];
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		/* A cell depends on the two rows above it only: once two rows in a row
		 * exceed the cap, every later one does, and so does the result. */
		if (rowmin > cap && prevmin > cap)
			return cap + 1;
		prevmin = rowmin;
	}
	return d[la][lb];
}

/* Every syscall name of both tables once, grouped by length, so that a
 * suggestion only measures the names whose length is within the cap. */
enum { SUGG_MAXLEN = 64 };
static struct {
	bool ready;
	const char **names;            /* sorted by length, then name */
	size_t first[SUGG_MAXLEN + 2]; /* names of length L: [first[L], first[L+1]) */
} bylen;

static int by_len_name(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	size_t la = strlen(a), lb = strlen(b);
	return la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
}

static bool sugg_init(void)
{
	if (bylen.ready)
		return bylen.names != NULL;
	bylen.ready = true; /* ptk trace is single-threaded */
	long total = ptk_syscall_count(PTK_ARCH_X86_64) + ptk_syscall_count(PTK_ARCH_I386);
	const char **v = calloc((size_t)(total > 0 ? total : 1), sizeof *v);
	if (!v)
		return false;
	size_t n = 0;
	for (int a = 0; a < 2; a++) {
		int arch = a ? PTK_ARCH_I386 : PTK_ARCH_X86_64;
		long cnt = ptk_syscall_count(arch);
		for (long nr = 0; nr < cnt; nr++) {
			const struct ptk_sysent *e = ptk_sysent_get(arch, nr);
			if (e && e->name && strlen(e->name) <= SUGG_MAXLEN)
				v[n++] = e->name;
		}
	}
	qsort(v, n, sizeof *v, by_len_name);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
			v[u++] = v[i];
	size_t i = 0;
	for (size_t len = 0; len <= SUGG_MAXLEN + 1; len++) {
		while (i < u && strlen(v[i]) < len)
			i++;
		bylen.first[len] = i;
	}
	bylen.names = v;
	return true;
}

void expr_suggest(const char *name, char *buf, size_t len)
{
	enum { K = 3 };
	const char *best[K] = {NULL};
	int bestd[K] = {0};
	int n = 0;
	size_t ln = strlen(name);
	int cap = (int)ln / 3;
	if (cap < 2)
		cap = 2;
	if (cap > 4)
		cap = 4;
	buf[0] = 0;
	if (len == 0 || !sugg_init() || ln > SUGG_MAXLEN + (size_t)cap)
		return;
	size_t lo = ln > (size_t)cap ? ln - (size_t)cap : 0;
	size_t hi = ln + (size_t)cap > SUGG_MAXLEN ? SUGG_MAXLEN : ln + (size_t)cap;
	for (size_t k = bylen.first[lo]; k < bylen.first[hi + 1]; k++) {
		const char *cand = bylen.names[k];
		int d = distance(name, cand, cap);
		if (d > cap)
			continue;
		/* Keep the K closest, in order of distance, then name. */
		int pos = n;
		while (pos > 0 && (bestd[pos - 1] > d ||
		                   (bestd[pos - 1] == d && strcmp(best[pos - 1], cand) > 0)))
			pos--;
		if (pos >= K)
			continue;
		if (n < K)
			n++;
		for (int i = n - 1; i > pos; i--) {
			best[i] = best[i - 1];
			bestd[i] = bestd[i - 1];
		}
		best[pos] = cand;
		bestd[pos] = d;
	}
	size_t off = 0;
	for (int i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", best[i]);
}

/* ---- regular expressions ---- */

/* glibc's regcomp copies the tree under a repetition ('a+' becomes 'aa*',
 * 'a{3}' becomes 'aaa'), so nested or stacked repetitions grow the compiled
 * pattern exponentially: "/a+++++++++++++++++++++++++" takes gigabytes.
 * Estimate the compiled size from the ERE's structure and refuse a pattern
 * far bigger than any syscall-name pattern needs. */
enum { RE_COST_MAX = 100000 };

static unsigned long re_sat(unsigned long v)
{
	return v > RE_COST_MAX ? RE_COST_MAX + 1 : v;
}

/* The cost of the alternation starting at *pp, up to an unmatched ')' or
 * the end; *pp is left on that ')' or the terminating NUL.  *stacked is
 * set to the first of two adjacent repetitions ("a+?", "a{2}*"). */
static unsigned long re_cost_alt(const char **pp, int depth, const char **stacked)
{
	const char *p = *pp;
	unsigned long total = 0, piece = 0;
	const char *dup = NULL; /* the repetition just read, if the last token was one */
	while (*p && *p != ')') {
		char c = *p;
		const char *tok = p;
		if (c == '|') {
			dup = NULL;
			total = re_sat(total + piece + 1);
			piece = 0;
			p++;
			continue;
		}
		if (c == '*' || c == '?' || c == '+' || c == '{') {
			unsigned long times = 2;
			if (c == '{') {
				/* {n}, {n,} and {n,m}: as many copies as the largest bound */
				unsigned long n = 0, most = 0;
				const char *q = p + 1;
				while (*q && *q != '}') {
					if (*q >= '0' && *q <= '9') {
						n = re_sat(n * 10 + (unsigned long)(*q - '0'));
						most = n > most ? n : most;
					} else if (*q == ',') {
						n = 0;
					} else {
						break;
					}
					q++;
				}
				if (*q == '}') {
					times = most + 1;
					p = q;
				} else {
					times = 1; /* a literal '{' */
					tok = NULL;
				}
			} else if (c != '+') {
				times = 1;
			}
			if (tok && dup && !*stacked)
				*stacked = dup;
			dup = tok;
			total = re_sat(total + re_sat(piece * times + 1) - piece);
			piece = re_sat(piece * times + 1);
			p++;
			continue;
		}
		dup = NULL;
		total = re_sat(total + piece);
		if (c == '(') {
			p++;
			piece = depth < 64 ? re_cost_alt(&p, depth + 1, stacked) : RE_COST_MAX + 1;
			piece = re_sat(piece + 1);
			if (*p == ')')
				p++;
		} else if (c == '[') {
			/* a bracket expression is one node: skip to its closing ']' */
			const char *q = p + 1;
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']') {
				if (q[0] == '[' && (q[1] == ':' || q[1] == '.' || q[1] == '=')) {
					const char *e = strchr(q + 2, q[1]);
					while (e && e[1] != ']')
						e = strchr(e + 1, q[1]);
					q = e ? e + 2 : q + 1;
				} else {
					q++;
				}
			}
			p = *q ? q + 1 : q;
			piece = 1;
		} else {
			p += c == '\\' && p[1] ? 2 : 1;
			piece = 1;
		}
	}
	*pp = p;
	return re_sat(total + piece);
}

/*
 * Is the ERE re one ptk refuses before regcomp sees it?  Two adjacent
 * repetitions ("a++", "a?*", "a{2}+") are undefined in POSIX (regex(7)) and
 * glibc compiles them slowly; a pattern that compiles to too many nodes
 * takes gigabytes.  Returns false, or true with the reason in err.
 */
static bool re_refused(const char *re, char *err, size_t errlen)
{
	unsigned long cost = 0;
	const char *p = re, *stacked = NULL;
	while (*p) {
		cost = re_sat(cost + re_cost_alt(&p, 0, &stacked));
		if (*p == ')')
			p++; /* an unmatched ')' is an ordinary character in ERE */
	}
	if (stacked) {
		/* the two repetitions: each one character, or an interval {..} */
		const char *e1 = *stacked == '{' ? strchr(stacked, '}') : stacked;
		const char *e2 = e1[1] == '{' ? strchr(e1 + 1, '}') : e1 + 1;
		int n1 = (int)(e1 - stacked) + 1, n2 = (int)(e2 - e1);
		snprintf(err, errlen,
		         "regular expression '%s' repeats a repetition ('%.*s' then '%.*s'), which "
		         "POSIX leaves undefined; group the first, as in (x%.*s)%.*s",
		         re, n1, stacked, n2, e1 + 1, n1, stacked, n2, e1 + 1);
		return true;
	}
	if (cost > RE_COST_MAX) {
		snprintf(err, errlen,
		         "regular expression '%s' is too complex (its repetitions multiply); "
		         "simplify it",
		         re);
		return true;
	}
	return false;
}

/* ---- syscall sets ---- */

static void set_all(struct sc_set *s, const bool abis[ABI_N])
{
	for (int a = 0; a < ABI_N; a++)
		if (abis[a])
			memset(s->w[a], 0xff, sizeof s->w[a]);
}

static void set_negate(struct sc_set *s)
{
	for (int a = 0; a < ABI_N; a++)
		for (int i = 0; i < SC_BITS / 64; i++)
			s->w[a][i] = ~s->w[a][i];
	s->rest = !s->rest;
}

/* The legacy class names strace still takes without '%'. */
static bool legacy_class(const char *v)
{
	static const char *const names[] = {"desc",   "file", "memory", "process",
	                                    "signal", "ipc",  "network"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(v, names[i]) == 0)
			return true;
	return false;
}

/* Add the syscalls value names to s; returns how many matched, or -1 (err set). */
static int add_value(struct sc_set *s, const char *v, const bool abis[ABI_N], char *err,
                     size_t errlen)
{
	int matched = 0;
	if (strcmp(v, "all") == 0) {
		set_all(s, abis);
		s->rest = true;
		return 1;
	}
	if (isdigit((unsigned char)v[0])) {
		char *end;
		errno = 0;
		long nr = strtol(v, &end, 10);
		if (errno || *end || nr < 0 || nr >= SC_BITS)
			return 0;
		for (int a = 0; a < ABI_N; a++)
			if (abis[a] && nr < ptk_syscall_count(abi_arch[a])) {
				sc_set_add(s, a, nr);
				matched++;
			}
		return matched;
	}
	if (v[0] == '/') {
		regex_t re;
		if (re_refused(v + 1, err, errlen))
			return -1;
		int rc = regcomp(&re, v + 1, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[128];
			regerror(rc, &re, msg, sizeof msg);
			snprintf(err, errlen, "invalid regular expression '%s': %s", v + 1, msg);
			return -1;
		}
		for (int a = 0; a < ABI_N; a++) {
			if (!abis[a])
				continue;
			long cnt = ptk_syscall_count(abi_arch[a]);
			for (long nr = 0; nr < cnt && nr < SC_BITS; nr++) {
				const struct ptk_sysent *e = ptk_sysent_get(abi_arch[a], nr);
				if (e && e->name && regexec(&re, e->name, 0, NULL, 0) == 0) {
					sc_set_add(s, a, nr);
					matched++;
				}
			}
		}
		regfree(&re);
		return matched;
	}
	uint32_t cls = 0;
	if (v[0] == '%' || legacy_class(v)) {
		cls = ptk_syscall_class_lookup(v);
		if (!cls) {
			snprintf(err, errlen,
			         "unknown syscall class '%s' (the classes are %%file, "
			         "%%desc, %%network, %%process, %%signal, %%memory, "
			         "%%ipc, %%creds, %%clock, %%pure, %%stat, %%lstat, "
			         "%%fstat, %%%%stat, %%statfs, %%fstatfs, %%%%statfs)",
			         v);
			return -1;
		}
	}
	for (int a = 0; a < ABI_N; a++) {
		if (!abis[a])
			continue;
		if (cls) {
			long cnt = ptk_syscall_count(abi_arch[a]);
			for (long nr = 0; nr < cnt && nr < SC_BITS; nr++) {
				const struct ptk_sysent *e = ptk_sysent_get(abi_arch[a], nr);
				if (e && e->name && (e->classes & cls)) {
					sc_set_add(s, a, nr);
					matched++;
				}
			}
			continue;
		}
		long nr = ptk_syscall_lookup(abi_arch[a], v);
		if (nr >= 0) {
			sc_set_add(s, a, nr);
			matched++;
		}
	}
	return matched;
}

static void unknown_syscall(const char *tok, const char *v, char *err, size_t errlen)
{
	char sugg[128];
	expr_suggest(v, sugg, sizeof sugg);
	if (v[0] == '/')
		snprintf(err, errlen, "no system call matches '%s'", tok);
	else if (isdigit((unsigned char)v[0]))
		snprintf(err, errlen, "invalid system call number '%s'", tok);
	else if (sugg[0])
		snprintf(err, errlen, "invalid system call '%s' (did you mean %s?)", tok, sugg);
	else
		snprintf(err, errlen, "invalid system call '%s'", tok);
}

int expr_syscall_set(const char *spec, struct sc_set *set, char *err, size_t errlen)
{
	memset(set, 0, sizeof *set);
	bool neg = spec[0] == '!';
	const char *p = spec + neg;
	if (strcmp(p, "none") == 0) {
		if (neg)
			set_negate(set);
		return 0;
	}
	char buf[1024];
	if (strlen(p) >= sizeof buf) {
		snprintf(err, errlen, "syscall set too long");
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", p);
	int ntok = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		ntok++;
		const char *orig = tok;
		bool optional = tok[0] == '?';
		char *v = tok + optional;
		bool abis[ABI_N] = {true, true, true};
		char *at = strrchr(v, '@');
		if (at && v[0] != '/') {
			*at = 0;
			const char *pers = at + 1;
			if (strcmp(pers, "64") == 0)
				abis[ABI_32] = abis[ABI_X32] = false;
			else if (strcmp(pers, "32") == 0)
				abis[ABI_64] = abis[ABI_X32] = false;
			else if (strcmp(pers, "x32") == 0)
				abis[ABI_64] = abis[ABI_32] = false;
			else {
				snprintf(err, errlen,
				         "incorrect personality designator '%s' in '%s@%s' (use "
				         "@64, @32 or @x32)",
				         pers, v, pers);
				return -1;
			}
		}
		if (!v[0]) {
			snprintf(err, errlen, "empty syscall name in '%s'", spec);
			return -1;
		}
		if (strcmp(v, "none") == 0) {
			snprintf(err, errlen, "'none' must stand alone (-e trace=none)");
			return -1;
		}
		int m = add_value(set, v, abis, err, errlen);
		if (m < 0)
			return -1;
		if (m == 0 && !optional) {
			char whole[1100];
			snprintf(whole, sizeof whole, "%s", orig);
			unknown_syscall(whole, v, err, errlen);
			return -1;
		}
	}
	if (ntok == 0) {
		snprintf(err, errlen, "empty syscall set (use none to trace nothing)");
		return -1;
	}
	if (neg)
		set_negate(set);
	return 0;
}

/* ---- signal, status and quiet sets ---- */

int expr_signal_set(const char *spec, uint64_t set[2], char *err, size_t errlen)
{
	set[0] = set[1] = 0;
	bool neg = spec[0] == '!';
	const char *p = spec + neg;
	if (strcmp(p, "all") == 0) {
		set[0] = set[1] = ~0ull;
	} else if (strcmp(p, "none") != 0) {
		char buf[512];
		if (!p[0] || strlen(p) >= sizeof buf) {
			snprintf(err, errlen, "invalid signal set '%s'", spec);
			return -1;
		}
		snprintf(buf, sizeof buf, "%s", p);
		char *save = NULL;
		int n = 0;
		for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int sig = ptk_signal_lookup(tok);
			if (sig <= 0 || sig > 64) {
				snprintf(err, errlen, "invalid signal '%s'", tok);
				return -1;
			}
			set[sig / 64] |= 1ull << (sig % 64);
			n++;
		}
		if (!n) {
			snprintf(err, errlen, "invalid signal set '%s'", spec);
			return -1;
		}
	}
	if (neg) {
		set[0] = ~set[0];
		set[1] = ~set[1];
	}
	return 0;
}

struct named_bit {
	const char *name;
	unsigned bit;
};

static int bit_set(const char *what, const struct named_bit *names, unsigned all, const char *spec,
                   unsigned *ret, char *err, size_t errlen)
{
	bool neg = spec[0] == '!';
	const char *p = spec + neg;
	unsigned v = 0;
	if (strcmp(p, "all") == 0) {
		v = all;
	} else if (strcmp(p, "none") != 0) {
		char buf[512];
		if (!p[0] || strlen(p) >= sizeof buf) {
			snprintf(err, errlen, "invalid %s '%s'", what, spec);
			return -1;
		}
		snprintf(buf, sizeof buf, "%s", p);
		char *save = NULL;
		for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			const struct named_bit *n = names;
			while (n->name && strcmp(n->name, tok) != 0)
				n++;
			if (!n->name) {
				char list[256];
				size_t off = 0;
				for (n = names; n->name && off < sizeof list; n++)
					off += (size_t)snprintf(list + off, sizeof list - off,
					                        "%s%s", off ? ", " : "", n->name);
				snprintf(err, errlen, "invalid %s '%s' (one of %s)", what, tok,
				         list);
				return -1;
			}
			v |= n->bit;
		}
	}
	*ret = neg ? all & ~v : v;
	return 0;
}

int expr_status_set(const char *spec, unsigned *ret, char *err, size_t errlen)
{
	static const struct named_bit names[] = {
	        {"successful", ST_SUCCESSFUL}, {"failed", ST_FAILED},
	        {"unfinished", ST_UNFINISHED}, {"unavailable", ST_UNAVAILABLE},
	        {"detached", ST_DETACHED},     {NULL, 0},
	};
	return bit_set("status", names, ST_ALL, spec, ret, err, errlen);
}

int expr_quiet_set(const char *spec, unsigned *ret, char *err, size_t errlen)
{
	static const struct named_bit names[] = {
	        {"attach", Q_ATTACH},
	        {"exit", Q_EXIT},
	        {"path-resolution", Q_PATH},
	        {"personality", Q_PERSONALITY},
	        {"thread-execve", Q_SUPERSEDED},
	        {"superseded", Q_SUPERSEDED},
	        {NULL, 0},
	};
	return bit_set("quiet", names, Q_ALL, spec, ret, err, errlen);
}

/* ---- times ---- */

int64_t expr_time_ns(const char *s)
{
	if (!s[0] || isspace((unsigned char)s[0]) || s[0] == '-' || s[0] == '+')
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -1;
	double mult = 1e3; /* microseconds by default */
	if (strcmp(end, "s") == 0)
		mult = 1e9;
	else if (strcmp(end, "ms") == 0)
		mult = 1e6;
	else if (strcmp(end, "us") == 0)
		mult = 1e3;
	else if (strcmp(end, "ns") == 0)
		mult = 1;
	else if (*end)
		return -1;
	double ns = v * mult;
	if (ns > 9.2e18)
		return -1;
	return (int64_t)ns;
}

int expr_precision(const char *s)
{
	if (strcmp(s, "s") == 0)
		return 0;
	if (strcmp(s, "ms") == 0)
		return 3;
	if (strcmp(s, "us") == 0)
		return 6;
	if (strcmp(s, "ns") == 0)
		return 9;
	return -1;
}

/* ---- the qualifiers ---- */

static bool is(const char *q, const char *a, const char *b, const char *c)
{
	return strcmp(q, a) == 0 || (b && strcmp(q, b) == 0) || (c && strcmp(q, c) == 0);
}

static int syscall_qual(struct trace_opts *o, const char *val, char *err, size_t errlen)
{
	char e2[400];
	if (expr_syscall_set(val, &o->trace, e2, sizeof e2) < 0) {
		snprintf(err, errlen, "-e trace=%s: %s", val, e2);
		return -1;
	}
	o->trace_all = false;
	return 0;
}

/* abbrev=, verbose=, raw=: only the settings ptk's decoders implement. */
static int all_or_none(const char *qual, const char *val, bool *ret_all, char *err, size_t errlen)
{
	if (strcmp(val, "all") == 0 || strcmp(val, "!none") == 0) {
		*ret_all = true;
		return 0;
	}
	if (strcmp(val, "none") == 0 || strcmp(val, "!all") == 0) {
		*ret_all = false;
		return 0;
	}
	snprintf(err, errlen, "-e %s=%s: ptk trace takes only %s=all or %s=none", qual, val, qual,
	         qual);
	return -1;
}

int expr_qualifier(struct trace_opts *o, const char *q, const char *val, char *err, size_t errlen)
{
	char e2[400];
	bool all;
	if (is(q, "trace", "t", NULL))
		return syscall_qual(o, val, err, errlen);
	if (is(q, "signal", "signals", "s")) {
		if (expr_signal_set(val, o->signals, e2, sizeof e2) < 0) {
			snprintf(err, errlen, "-e signal=%s: %s", val, e2);
			return -1;
		}
		return 0;
	}
	if (is(q, "status", NULL, NULL)) {
		if (expr_status_set(val, &o->status, e2, sizeof e2) < 0) {
			snprintf(err, errlen, "-e status=%s: %s", val, e2);
			return -1;
		}
		return 0;
	}
	if (is(q, "quiet", "silent", "silence") || is(q, "q", NULL, NULL)) {
		if (expr_quiet_set(val, &o->quiet_set, e2, sizeof e2) < 0) {
			snprintf(err, errlen, "-e quiet=%s: %s", val, e2);
			return -1;
		}
		o->quiet_given = true;
		return 0;
	}
	if (is(q, "inject", NULL, NULL))
		return expr_inject(o, val, false, err, errlen);
	if (is(q, "fault", NULL, NULL))
		return expr_inject(o, val, true, err, errlen);
	if (is(q, "abbrev", "a", NULL)) {
		if (all_or_none("abbrev", val, &all, err, errlen) < 0)
			return -1;
		o->verbose = !all;
		return 0;
	}
	if (is(q, "verbose", "v", NULL)) {
		if (all_or_none("verbose", val, &all, err, errlen) < 0)
			return -1;
		if (!all) {
			snprintf(err, errlen, "-e verbose=none is not supported by ptk trace");
			return -1;
		}
		return 0;
	}
	if (is(q, "raw", "x", NULL)) {
		if (all_or_none("raw", val, &all, err, errlen) < 0)
			return -1;
		if (all) {
			snprintf(err, errlen,
			         "-e raw=%s (undecoded arguments) is not supported by "
			         "ptk trace",
			         val);
			return -1;
		}
		return 0;
	}
	if (is(q, "decode-fds", "decode-fd", NULL)) {
		static const struct named_bit names[] = {
		        {"path", 1}, {"socket", 2}, {"dev", 4}, {"pidfd", 8}, {NULL, 0}};
		unsigned v;
		if (bit_set("decode-fds", names, 15, val, &v, e2, sizeof e2) < 0) {
			snprintf(err, errlen, "-e decode-fds=%s: %s", val, e2);
			return -1;
		}
		o->yflag = v == 0 ? 0 : v == 1 ? 1 : 2;
		return 0;
	}
	if (is(q, "read", "reads", "r") || is(q, "write", "writes", "w")) {
		snprintf(err, errlen,
		         "-e %s=%s (hex dumps of the data) is not supported by ptk trace", q, val);
		return -1;
	}
	if (is(q, "decode-pids", "decode-pid", NULL)) {
		if (strcmp(val, "none") == 0)
			return 0;
		snprintf(err, errlen, "-e decode-pids=%s is not supported by ptk trace", val);
		return -1;
	}
	if (is(q, "kvm", NULL, NULL)) {
		snprintf(err, errlen, "-e kvm=%s is not supported by ptk trace", val);
		return -1;
	}
	snprintf(err, errlen,
	         "-e %s=%s: unknown qualifier '%s' (trace, signal, status, quiet, inject, fault, "
	         "abbrev, verbose, raw, decode-fds)",
	         q, val, q);
	return -1;
}

int expr_parse(struct trace_opts *o, const char *expr, char *err, size_t errlen)
{
	const char *eq = strchr(expr, '=');
	if (!eq)
		return syscall_qual(o, expr, err, errlen);
	char q[32];
	size_t ql = (size_t)(eq - expr);
	if (ql == 0 || ql >= sizeof q) {
		snprintf(err, errlen, "-e %s: expected QUALIFIER=VALUE", expr);
		return -1;
	}
	memcpy(q, expr, ql);
	q[ql] = 0;
	return expr_qualifier(o, q, eq + 1, err, errlen);
}
