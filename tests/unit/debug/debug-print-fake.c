/* SPDX-License-Identifier: MIT */
/*
 * debug-print-fake CMD...: run data commands (print, output, whatis, ptype,
 * x) of `ptk debug`'s pure parts against the fake target, printing what gdb
 * would print, one command after the other in one session.  Errors print as
 * their message line.  test_debug_gdb.py compares this with gdb itself on
 * gdb-program.c.
 */
#include <stdio.h>

#include "cmd.h"
#include "fake_target.h"
#include "print.h"

static int run(struct dbg_ctx *ctx, const char *line)
{
	struct dbg_cmd cmd;
	struct dbg_buf out = {0};
	char err[256];
	int r = dbg_cmd_parse(line, &cmd, err, sizeof(err));

	if (r < 0) {
		printf("%s\n", err);
		return 0;
	}
	switch (cmd.kind) {
	case DBG_CMD_PRINT:
		r = dbg_print_command(ctx, cmd.expr, cmd.has_fmt ? &cmd.fmt : NULL, &out);
		break;
	case DBG_CMD_OUTPUT:
		r = dbg_output_command(ctx, cmd.expr, cmd.has_fmt ? &cmd.fmt : NULL, &out);
		break;
	case DBG_CMD_WHATIS:
		r = dbg_whatis_command(ctx, cmd.expr ? cmd.expr : "$", &out);
		break;
	case DBG_CMD_PTYPE:
		r = dbg_ptype_command(ctx, cmd.expr ? cmd.expr : "$", &out);
		break;
	case DBG_CMD_X:
		r = dbg_examine_expr(ctx, cmd.has_fmt ? &cmd.fmt : NULL, cmd.expr, &out);
		break;
	default:
		printf("(not a data command: %s)\n", cmd.name ? cmd.name : "");
		dbg_cmd_free(&cmd);
		return 1;
	}
	fputs(dbg_buf_str(&out), stdout);
	if (r < 0)
		printf("%s\n", dbg_ctx_error(ctx));
	else if (cmd.kind != DBG_CMD_X && cmd.kind != DBG_CMD_OUTPUT)
		putchar('\n');
	dbg_buf_free(&out);
	dbg_cmd_free(&cmd);
	dbg_ctx_reset_tmp(ctx);
	return 0;
}

int main(int argc, char **argv)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	int bad = 0;

	if (!ctx)
		return 2;
	for (int i = 1; i < argc; i++) {
		printf("+%s\n", argv[i]);
		bad |= run(ctx, argv[i]);
	}
	fake_ctx_free(ctx, f);
	return bad;
}
