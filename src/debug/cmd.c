/* SPDX-License-Identifier: MIT */
/* Command-line parsing: gdb's command names, abbreviations and prefix rules. */
#include "cmd_table.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 64

int cmdp_error(struct cmd_parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err && p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int oom(struct cmd_parser *p)
{
	cmdp_error(p, "Out of memory.");
	return -ENOMEM;
}

const char *cmdp_strndup(struct cmd_parser *p, const char *s, size_t n)
{
	char *q = dbg_arena_strndup(&p->cmd->arena, s, n);

	if (!q)
		oom(p);
	return q;
}

bool cmdp_number(const char *s, size_t n, long *ret)
{
	char buf[32], *end;
	long v;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isdigit((unsigned char)buf[0]) && !(buf[0] == '-' && isdigit((unsigned char)buf[1])))
		return false;
	errno = 0;
	v = strtol(buf, &end, 0);
	if (*end || errno)
		return false;
	*ret = v;
	return true;
}

int cmdp_words(struct cmd_parser *p, const char *args)
{
	struct dbg_cmd *c = p->cmd;
	size_t n = 0, k = 0;
	const char *s;

	for (s = args; *s;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		n++;
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	c->args = dbg_arena_alloc(&c->arena, sizeof(*c->args) * (n ? n : 1));
	if (!c->args)
		return oom(p);
	for (s = args; *s;) {
		const char *w;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		w = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		c->args[k] = cmdp_strndup(p, w, (size_t)(s - w));
		if (!c->args[k])
			return -ENOMEM;
		k++;
	}
	c->nargs = k;
	return 0;
}

int cmdp_ranges(struct cmd_parser *p, const char *args)
{
	struct dbg_cmd *c = p->cmd;
	size_t n = 0;
	int r = cmdp_words(p, args);

	if (r < 0)
		return r;
	c->ranges = dbg_arena_alloc(&c->arena, sizeof(*c->ranges) * (c->nargs ? c->nargs : 1));
	if (!c->ranges)
		return oom(p);
	for (size_t i = 0; i < c->nargs; i++) {
		const char *w = c->args[i];
		const char *dash = strchr(w + 1, '-');
		long lo, hi;

		if (dash) {
			if (!cmdp_number(w, (size_t)(dash - w), &lo) ||
			    !cmdp_number(dash + 1, strlen(dash + 1), &hi) || lo <= 0)
				return cmdp_error(p, "Bad breakpoint number '%s'", w);
			if (hi < lo)
				return cmdp_error(p, "inverted range");
		} else {
			if (!cmdp_number(w, strlen(w), &lo))
				return cmdp_error(p, "Bad breakpoint number '%s'", w);
			if (lo <= 0)
				return cmdp_error(p, "bad breakpoint number at or near '%s'", w);
			hi = lo;
		}
		c->ranges[n].lo = lo;
		c->ranges[n].hi = hi;
		n++;
	}
	c->nranges = n;
	c->args = NULL;
	c->nargs = 0;
	return 0;
}

static bool cmd_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Call fn for the name and each alias of e. */
static void each_name(const struct cmd_entry *e, void (*fn)(const char *name, size_t n, void *arg),
                      void *arg)
{
	const char *a = e->aliases;

	fn(e->name, strlen(e->name), arg);
	while (a && *a) {
		size_t n = strcspn(a, " ");

		fn(a, n, arg);
		a += n;
		while (*a == ' ')
			a++;
	}
}

struct match_state {
	const char *word;
	bool exact;
	bool prefix;
};

static void match_fn(const char *name, size_t n, void *arg)
{
	struct match_state *m = arg;
	size_t wl = strlen(m->word);

	if (n == wl && strncmp(name, m->word, n) == 0)
		m->exact = true;
	if (wl <= n && strncmp(name, m->word, wl) == 0)
		m->prefix = true;
}

struct names {
	const char *v[128];
	size_t n;
	const char *word;
	int best;
	bool prefix_mode;
};

static void add_name(struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return;
	if (ns->n < sizeof(ns->v) / sizeof(ns->v[0]))
		ns->v[ns->n++] = name;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* NUL-terminated copies of names and aliases (aliases are spans of one string). */
struct scratch {
	char buf[128][MAX_WORD];
	size_t used;
};

static const char *scratch_name(struct scratch *s, const char *name, size_t n)
{
	char *b;

	if (s->used == 128 || n >= MAX_WORD)
		return NULL;
	b = s->buf[s->used++];
	memcpy(b, name, n);
	b[n] = '\0';
	return b;
}

struct collect {
	struct names *ns;
	struct scratch *sc;
	const char *word;
	int maxdist;
};

static void collect_prefix(const char *name, size_t n, void *arg)
{
	struct collect *c = arg;
	size_t wl = strlen(c->word);
	const char *s;

	if (wl <= n && strncmp(name, c->word, wl) == 0) {
		s = scratch_name(c->sc, name, n);
		if (s)
			add_name(c->ns, s);
	}
}

static void consider(struct collect *c, const char *name, size_t n, const char **best, int *bestd)
{
	const char *s;
	int d;

	if (n < 3)
		return;
	s = scratch_name(c->sc, name, n);
	if (!s)
		return;
	d = dbg_edit_distance(c->word, s);
	if (d < *bestd) {
		*bestd = d;
		*best = s;
	}
}

/* Per command: its closest spelling (the name wins ties with its aliases). */
static void collect_close(const struct cmd_entry *e, struct collect *c)
{
	const char *best = NULL, *a = e->aliases;
	int bestd = 1000;

	consider(c, e->name, strlen(e->name), &best, &bestd);
	while (a && *a) {
		size_t n = strcspn(a, " ");

		consider(c, a, n, &best, &bestd);
		a += n;
		while (*a == ' ')
			a++;
	}
	if (!best || bestd > c->maxdist)
		return;
	if (bestd < c->ns->best) {
		c->ns->best = bestd;
		c->ns->n = 0;
	}
	if (bestd == c->ns->best)
		add_name(c->ns, best);
}

static void list_names(const struct names *ns, char *out, size_t cap, const char *sep_last,
                       bool quote)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ns->n && len < cap; i++) {
		const char *sep = i == 0 ? "" : (i + 1 == ns->n && sep_last) ? sep_last : ", ";

		len += (size_t)snprintf(out + len, cap - len, quote ? "%s\"%s\"" : "%s%s", sep,
		                        ns->v[i]);
	}
}

/*
 * Resolve `word` in tab: an exact name or alias, else a unique prefix.
 * Errors as gdb words them, with a "Did you mean" for near misses.
 */
static int resolve(struct cmd_parser *p, const struct cmd_table *tab, const char *word,
                   const struct cmd_entry **ret)
{
	const struct cmd_entry *found = NULL;
	size_t nfound = 0, wl = strlen(word);
	char what[32];

	/* "info " -> "info" for messages. */
	snprintf(what, sizeof(what), "%s", tab->prefix);
	if (what[0])
		what[strlen(what) - 1] = '\0';
	for (size_t i = 0; i < tab->n; i++) {
		struct match_state m = {.word = word};

		each_name(&tab->entries[i], match_fn, &m);
		if (m.exact) {
			*ret = &tab->entries[i];
			return 0;
		}
	}
	for (size_t i = 0; wl > 0 && i < tab->n; i++) {
		struct match_state m = {.word = word};

		each_name(&tab->entries[i], match_fn, &m);
		if (m.prefix) {
			found = &tab->entries[i];
			nfound++;
		}
	}
	if (nfound == 1) {
		*ret = found;
		return 0;
	}
	if (nfound > 1) {
		struct names ns = {.n = 0};
		struct scratch *sc = malloc(sizeof(*sc));
		struct collect c = {.ns = &ns, .sc = sc, .word = word};
		char list[1024];

		if (!sc)
			return oom(p);
		sc->used = 0;
		for (size_t i = 0; i < tab->n; i++)
			each_name(&tab->entries[i], collect_prefix, &c);
		qsort(ns.v, ns.n, sizeof(ns.v[0]), cmp_str);
		list_names(&ns, list, sizeof(list), NULL, false);
		cmdp_error(p, "Ambiguous %s%scommand \"%s\": %s.", what, what[0] ? " " : "", word,
		           list);
		free(sc);
		return -EINVAL;
	}
	{
		struct names ns = {.n = 0, .best = 1000};
		struct scratch *sc = malloc(sizeof(*sc));
		struct collect c = {.ns = &ns, .sc = sc, .word = word, .maxdist = wl <= 4 ? 1 : 2};
		char list[1024];

		if (!sc)
			return oom(p);
		sc->used = 0;
		if (wl > 1 && wl < MAX_WORD)
			for (size_t i = 0; i < tab->n; i++)
				collect_close(&tab->entries[i], &c);
		if (ns.n > 3)
			ns.n = 0; /* too many near misses to be a useful hint */
		if (ns.n) {
			qsort(ns.v, ns.n, sizeof(ns.v[0]), cmp_str);
			list_names(&ns, list, sizeof(list), " or ", true);
			cmdp_error(p, "Undefined %s%scommand: \"%s\".  Did you mean %s?", what,
			           what[0] ? " " : "", word, list);
		} else if (what[0]) {
			cmdp_error(p, "Undefined %s command: \"%s\".  Try \"help %s\".", what, word,
			           what);
		} else {
			cmdp_error(p, "Undefined command: \"%s\".  Try \"help\".", word);
		}
		free(sc);
		return -EINVAL;
	}
}

static const char *skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Copy the command word at s (letters, digits, '-', '_') into buf. */
static size_t take_word(const char *s, char *buf, size_t cap)
{
	size_t n = 0;

	while (cmd_char(s[n]))
		n++;
	if (n == 0)
		while (s[n] && !isspace((unsigned char)s[n]))
			n++;
	snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
	return n;
}

int dbg_cmd_parse(const char *line, struct dbg_cmd *out, char *err, size_t errlen)
{
	struct cmd_parser p = {.cmd = out, .err = err, .errlen = errlen};
	const struct cmd_entry *e;
	char word[MAX_WORD];
	const char *s = line, *rest;
	size_t n, len;
	char *args;
	int r;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	/* One line: anything after a line break is not part of this command. */
	if (s[strcspn(s, "\r\n")]) {
		s = dbg_arena_strndup(&out->arena, s, strcspn(s, "\r\n"));
		if (!s) {
			r = oom(&p);
			goto fail;
		}
	}
	s = skip_ws(s);
	if (!*s || *s == '#')
		return 0;
	n = take_word(s, word, sizeof(word));
	r = resolve(&p, &dbg_cmd_top, word, &e);
	if (r < 0)
		goto fail;
	rest = s + n;
	out->name = e->name;
	if (e->sub) {
		const struct cmd_entry *sub;
		char *full;

		rest = skip_ws(rest);
		if (!*rest) {
			/* A bare prefix command lists its subcommands: help for it. */
			out->kind = DBG_CMD_HELP;
			out->name = "help";
			r = cmdp_words(&p, e->name);
			if (r < 0)
				goto fail;
			return 0;
		}
		n = take_word(rest, word, sizeof(word));
		r = resolve(&p, e->sub, word, &sub);
		if (r < 0)
			goto fail;
		full = dbg_arena_alloc(&out->arena, strlen(e->name) + strlen(sub->name) + 2);
		if (!full) {
			r = oom(&p);
			goto fail;
		}
		sprintf(full, "%s %s", e->name, sub->name);
		out->name = full;
		e = sub;
		rest += n;
	}
	out->kind = e->kind;
	p.entry = e;
	if (e->takes_fmt) {
		const char *f = *rest == '/' ? rest : NULL;

		/* "print /x v" too: an expression never starts with '/'. */
		if (!f && isspace((unsigned char)*rest) && *skip_ws(rest) == '/')
			f = skip_ws(rest);
		if (f) {
			size_t fl;

			r = dbg_fmt_parse(f + 1, &fl, &out->fmt, err, errlen);
			if (r < 0)
				goto fail;
			out->has_fmt = true;
			rest = f + 1 + fl;
		}
	}
	rest = skip_ws(rest);
	len = strlen(rest);
	while (len > 0 && isspace((unsigned char)rest[len - 1]))
		len--;
	args = dbg_arena_strndup(&out->arena, rest, len);
	if (!args) {
		r = oom(&p);
		goto fail;
	}
	r = e->parse(&p, args);
	if (r < 0)
		goto fail;
	return 0;
fail:
	dbg_cmd_free(out);
	return r;
}

void dbg_cmd_free(struct dbg_cmd *cmd)
{
	dbg_arena_free(&cmd->arena);
	memset(cmd, 0, sizeof(*cmd));
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool symbol_chars(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '$' &&
		    s[i] != '@')
			return false;
	return true;
}

static int loc_error(char *err, size_t errlen, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int loc_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int dbg_location_parse(const char *text, struct dbg_arena *a, struct dbg_location *out, char *err,
                       size_t errlen)
{
	const char *s = skip_ws(text);
	size_t n = strlen(s), tok;
	const char *colon;
	long v;

	memset(out, 0, sizeof(*out));
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return 0;
	if (s[0] == '*') {
		const char *e = skip_ws(s + 1);
		size_t en = (size_t)(e - s) < n ? n - (size_t)(e - s) : 0;

		if (en == 0)
			return loc_error(err, errlen, "Argument required (expression to compute).");
		out->kind = DBG_LOC_ADDRESS;
		out->expr = dbg_arena_strndup(a, e, en);
		return out->expr ? 0 : -ENOMEM;
	}
	tok = 0;
	while (tok < n && !isspace((unsigned char)s[tok]))
		tok++;
	if (tok < n) {
		const char *extra = skip_ws(s + tok);
		size_t en = strcspn(extra, " \t");

		/* As gdb's linespec: after a line number, a stray word; else a name with spaces. */
		if (all_digits(s, tok) ||
		    ((s[0] == '+' || s[0] == '-') && all_digits(s + 1, tok - 1)))
			return loc_error(err, errlen,
			                 "malformed linespec error: unexpected %s, \"%.*s\"",
			                 isdigit((unsigned char)extra[0]) ? "number" : "string",
			                 (int)en, extra);
		return loc_error(err, errlen, "Function \"%.*s\" not defined.", (int)n, s);
	}
	if ((s[0] == '+' || s[0] == '-') && all_digits(s + 1, n - 1) &&
	    cmdp_number(s + 1, n - 1, &v)) {
		out->kind = DBG_LOC_OFFSET;
		out->offset = s[0] == '-' ? -v : v;
		return 0;
	}
	if (all_digits(s, n)) {
		if (!cmdp_number(s, n, &v))
			return loc_error(err, errlen, "Line number %.*s out of range.", (int)n, s);
		out->kind = DBG_LOC_LINE;
		out->line = v;
		return 0;
	}
	colon = memchr(s, ':', n);
	if (colon) {
		const char *after = colon + 1;
		size_t fl = (size_t)(colon - s), al = n - fl - 1;

		if (al > 0 && after[0] == ':')
			return loc_error(err, errlen,
			                 "Scoped names (\"%.*s\") are not supported in locations.",
			                 (int)n, s);
		if (fl == 0 || al == 0)
			return loc_error(err, errlen, "malformed linespec error: unexpected colon");
		out->file = dbg_arena_strndup(a, s, fl);
		if (!out->file)
			return -ENOMEM;
		if (all_digits(after, al)) {
			if (!cmdp_number(after, al, &v))
				return loc_error(err, errlen, "Line number %.*s out of range.",
				                 (int)al, after);
			out->kind = DBG_LOC_FILE_LINE;
			out->line = v;
			return 0;
		}
		if (!symbol_chars(after, al))
			return loc_error(err, errlen, "Function \"%.*s\" not defined in \"%.*s\".",
			                 (int)al, after, (int)fl, s);
		out->kind = DBG_LOC_FILE_FUNCTION;
		out->function = dbg_arena_strndup(a, after, al);
		return out->function ? 0 : -ENOMEM;
	}
	if (!symbol_chars(s, n))
		return loc_error(err, errlen, "Function \"%.*s\" not defined.", (int)n, s);
	out->kind = DBG_LOC_FUNCTION;
	out->function = dbg_arena_strndup(a, s, n);
	return out->function ? 0 : -ENOMEM;
}

static void help_entry(const char *prefix, const struct cmd_entry *e, struct dbg_buf *out)
{
	dbg_buf_printf(out, "%s%s", prefix, e->name);
	if (e->aliases) {
		const char *a = e->aliases;

		while (*a) {
			size_t n = strcspn(a, " ");

			dbg_buf_printf(out, ", %.*s", (int)n, a);
			a += n;
			while (*a == ' ')
				a++;
		}
	}
	dbg_buf_printf(out, " -- %s\n", e->help);
}

int dbg_cmd_help(const char *topic, struct dbg_buf *out, char *err, size_t errlen)
{
	struct cmd_parser p = {.err = err, .errlen = errlen};
	struct dbg_cmd scratch;
	const struct cmd_table *tab = &dbg_cmd_top;
	const struct cmd_entry *e = NULL;
	const char *s = topic ? skip_ws(topic) : "";
	char word[MAX_WORD];
	int r;

	memset(&scratch, 0, sizeof(scratch));
	p.cmd = &scratch;
	if (!*s) {
		dbg_buf_puts(out, "List of commands:\n\n");
		for (size_t i = 0; i < tab->n; i++)
			help_entry("", &tab->entries[i], out);
		dbg_buf_puts(out,
		             "\nType \"help\" followed by a command name for its description.\n");
		return 0;
	}
	while (*s) {
		s += take_word(s, word, sizeof(word));
		r = resolve(&p, tab, word, &e);
		if (r < 0)
			return r;
		s = skip_ws(s);
		if (!e->sub || !*s)
			break;
		tab = e->sub;
	}
	help_entry(tab->prefix, e, out);
	if (e->sub) {
		dbg_buf_printf(out, "\nList of %s subcommands:\n\n", e->name);
		for (size_t i = 0; i < e->sub->n; i++)
			help_entry(e->sub->prefix, &e->sub->entries[i], out);
	}
	return 0;
}

enum dbg_cmd_kind dbg_cmd_lookup(const char *word)
{
	struct dbg_cmd scratch;
	struct cmd_parser p = {.cmd = &scratch};
	const struct cmd_entry *e;
	char w[MAX_WORD];

	memset(&scratch, 0, sizeof(scratch));
	take_word(word, w, sizeof(w));
	if (!w[0] || resolve(&p, &dbg_cmd_top, w, &e) < 0 || e->sub)
		return DBG_CMD_NONE;
	return e->kind;
}

const char *dbg_cmd_kind_name(enum dbg_cmd_kind kind)
{
	const struct cmd_table *tabs[] = {&dbg_cmd_top, &dbg_cmd_info, &dbg_cmd_catch};

	if (kind == DBG_CMD_NONE)
		return "";
	if (kind == DBG_CMD_SET_OPTION)
		return "set";
	if (kind == DBG_CMD_INFO_PROC_MAPPINGS)
		return "info proc mappings";
	for (size_t t = 0; t < 3; t++)
		for (size_t i = 0; i < tabs[t]->n; i++)
			if (tabs[t]->entries[i].kind == kind && !tabs[t]->entries[i].sub)
				return tabs[t]->entries[i].name;
	return "?";
}
