/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary text through the expression parser and the
 * evaluator against the unit tests' fake target (memory, registers,
 * variables of every type kind), then through the printers: print, print/FMT,
 * output, whatis, ptype, display/FMT, info registers and x/FMT.  The first byte picks the format
 * letter and the x unit.  Invariants: every failure has a one-line message; printed text has no NUL
 * and no newline (x output lines end in one); a value the evaluator returns has a type; evaluation
 * for the type only never writes memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "fake_target.h"
#include "format.h"
#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_err(struct dbg_ctx *ctx, int r)
{
	if (r >= 0)
		return;
	if (!ctx->err[0] || strchr(ctx->err, '\n'))
		abort();
}

static void check_text(const struct dbg_buf *b, bool lines)
{
	const char *s = dbg_buf_str(b);

	if (strlen(s) != b->len && !b->oom)
		abort();
	if (!lines && strchr(s, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char formats[] = "\0xduotacfsz";
	static const char sizes[] = "\0bhwg";
	static struct fake *f;
	struct dbg_target target;
	struct dbg_ctx *ctx;
	struct dbg_expr *e;
	struct dbg_value *v;
	struct dbg_type *t;
	struct dbg_buf b = {0};
	struct dbg_fmt fmt = {.count = 1};
	char *text;
	uint8_t sel = size ? data[0] : 0;
	int r;

	if (size > 4096)
		return 0;
	/* One fake target for the process, reset for every input; a fresh context each time. */
	if (!f)
		f = fake_new();
	if (!f)
		return 0;
	fake_reset(f);
	target = fake_target(f);
	ctx = dbg_ctx_new(&target);
	if (!ctx)
		return 0;
	text = malloc(size + 1);
	if (!text)
		goto out;
	if (size)
		memcpy(text, data + 1, size - 1);
	text[size ? size - 1 : 0] = '\0';
	/* Expressions come from one command line (an embedded NUL ends it too). */
	text[strcspn(text, "\r\n")] = '\0';
	fmt.format = formats[sel % (sizeof(formats) - 1)];
	fmt.size = sizes[(sel >> 4) % (sizeof(sizes) - 1)];
	fmt.count = 1 + (sel >> 6);
	fmt.has_count = true;

	r = dbg_expr_parse(ctx, text, &e);
	check_err(ctx, r);
	if (r == 0) {
		static unsigned char before[4096], after[4096];

		/* Type-only evaluation must leave memory alone. */
		fake_peek(f, 0x404000, before, sizeof(before));
		r = dbg_eval_type(ctx, e, &t);
		check_err(ctx, r);
		if (r == 0 && !t)
			abort();
		fake_peek(f, 0x404000, after, sizeof(after));
		if (memcmp(before, after, sizeof(before)) != 0)
			abort();

		r = dbg_eval(ctx, e, &v);
		check_err(ctx, r);
		if (r == 0) {
			if (!v || !v->type)
				abort();
			r = dbg_print_value(ctx, v, fmt.format == 's' ? 0 : fmt.format, &b);
			check_err(ctx, r);
			check_text(&b, false);
			dbg_buf_reset(&b);
		}
	}
	dbg_ctx_reset_tmp(ctx);

	{
		struct dbg_fmt pf = {.count = 1, .format = fmt.format};

		r = dbg_print_command(ctx, text, &pf, &b);
		check_err(ctx, r);
		check_text(&b, false);
		dbg_buf_reset(&b);
		dbg_ctx_reset_tmp(ctx);
	}
	r = dbg_whatis_command(ctx, text, &b);
	check_err(ctx, r);
	check_text(&b, false);
	dbg_buf_reset(&b);
	dbg_ctx_reset_tmp(ctx);

	r = dbg_ptype_command(ctx, text, &b);
	check_err(ctx, r);
	check_text(&b, true);
	dbg_buf_reset(&b);
	dbg_ctx_reset_tmp(ctx);

	r = dbg_display_command(ctx, 1, &fmt, text, &b);
	check_err(ctx, r);
	check_text(&b, true);
	dbg_buf_reset(&b);
	dbg_ctx_reset_tmp(ctx);

	r = dbg_info_register_line(ctx, text, &b);
	check_err(ctx, r);
	check_text(&b, false);
	dbg_buf_reset(&b);
	dbg_ctx_reset_tmp(ctx);

	ctx->has_pc = true;
	ctx->pc = 0x401115;
	r = dbg_examine_expr(ctx, &fmt, text, &b);
	check_err(ctx, r);
	check_text(&b, true);
	dbg_buf_reset(&b);
	dbg_ctx_reset_tmp(ctx);

	dbg_buf_free(&b);
	free(text);
out:
	dbg_ctx_free(ctx);
	return 0;
}
