/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary text through the command parser of `ptk
 * debug` (and the /FMT, location and help parsers it uses).  Invariants: a
 * success yields a known command kind with a name and well-formed ranges;
 * a failure yields one non-empty line of error; parsing is deterministic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cmd(const struct dbg_cmd *c)
{
	if (c->kind >= DBG_CMD_COUNT)
		abort();
	if (c->kind != DBG_CMD_NONE && (!c->name || !*c->name))
		abort();
	for (size_t i = 0; i < c->nranges; i++)
		if (c->ranges[i].lo <= 0 || c->ranges[i].hi < c->ranges[i].lo)
			abort();
	for (size_t i = 0; i < c->nargs; i++)
		if (!c->args[i] || !*c->args[i] || strpbrk(c->args[i], " \t\n"))
			abort();
	if (c->loc.kind == DBG_LOC_ADDRESS && (!c->loc.expr || !*c->loc.expr))
		abort();
	if ((c->loc.kind == DBG_LOC_FUNCTION || c->loc.kind == DBG_LOC_FILE_FUNCTION) &&
	    (!c->loc.function || !*c->loc.function))
		abort();
	if (c->has_fmt && c->fmt.format && !strchr("xduotacfsiz", c->fmt.format))
		abort();
}

static void check_err(int r, const char *err)
{
	if (r >= 0)
		return;
	if (!err[0] || strchr(err, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	char err[256], err2[256];
	struct dbg_cmd c, c2;
	struct dbg_buf b = {0};
	struct dbg_arena a = {0};
	struct dbg_location loc;
	struct dbg_fmt f;
	size_t n;
	int r, r2;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	/* The parsers take one line (an embedded NUL ends it too). */
	line[strcspn(line, "\r\n")] = '\0';

	r = dbg_cmd_parse(line, &c, err, sizeof(err));
	check_err(r, err);
	r2 = dbg_cmd_parse(line, &c2, err2, sizeof(err2));
	if (r != r2)
		abort();
	if (r == 0) {
		check_cmd(&c);
		if (c.kind != c2.kind ||
		    strcmp(c.name ? c.name : "", c2.name ? c2.name : "") != 0 ||
		    c.nranges != c2.nranges || c.nargs != c2.nargs)
			abort();
		if ((c.expr == NULL) != (c2.expr == NULL) || (c.expr && strcmp(c.expr, c2.expr)))
			abort();
		dbg_cmd_free(&c);
		dbg_cmd_free(&c2);
	} else if (strcmp(err, err2) != 0) {
		abort();
	}

	r = dbg_cmd_help(line, &b, err, sizeof(err));
	check_err(r, err);
	dbg_buf_free(&b);

	r = dbg_location_parse(line, &a, &loc, err, sizeof(err));
	check_err(r, err);
	dbg_arena_free(&a);

	r = dbg_fmt_parse(line, &n, &f, err, sizeof(err));
	check_err(r, err);
	if (r == 0 && n > size)
		abort();
	free(line);
	return 0;
}
