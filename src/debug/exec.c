/* SPDX-License-Identifier: MIT */
/*
 * One command line: parse it with the pure core, run its handler, report
 * errors as gdb does (one line on stderr; in a sourced file, the file and
 * line first and the rest of the file skipped), remember what an empty
 * line repeats, and source -x files.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void dout(struct dbg *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(d->o, fmt, ap);
	va_end(ap);
}

void dout_flush(struct dbg *d)
{
	fflush(d->o);
}

void derr_say(struct dbg *d, const char *fmt, ...)
{
	va_list ap;

	d->failed = true;
	fflush(d->o);
	if (d->src_file && !d->src_error_said) {
		fprintf(stderr, "%s:%d: Error in sourced command file:\n", d->src_file,
		        d->src_line);
		d->src_error_said = true;
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

bool dbg_confirm(struct dbg *d, const char *question)
{
	char *line;
	int r;

	if (!d->confirm || d->batch)
		return true;
	if (!d->interactive) {
		dout(d, "%s[answered Y; input not from terminal]\n", question);
		return true;
	}
	dout(d, "%s", question);
	dout_flush(d);
	r = input_line(d, &line);
	if (r < 0 && !*d->terminate && *d->interrupted) {
		/* Ctrl-C at the question: no */
		*d->interrupted = 0;
		dout(d, "Quit\n");
		return false;
	}
	if (r <= 0)
		return true;
	return line[0] == 'y' || line[0] == 'Y';
}

static int info_cmd(struct dbg *d, const struct dbg_cmd *c)
{
	switch (c->kind) {
	case DBG_CMD_INFO_BREAKPOINTS:
		return cmd_info_breakpoints(d, c, false);
	case DBG_CMD_INFO_WATCHPOINTS:
		return cmd_info_breakpoints(d, c, true);
	case DBG_CMD_INFO_REGISTERS:
		return cmd_info_registers(d, c, false);
	case DBG_CMD_INFO_ALL_REGISTERS:
		return cmd_info_registers(d, c, true);
	case DBG_CMD_INFO_FRAME:
		return cmd_info_frame(d, c);
	case DBG_CMD_INFO_LOCALS:
		return cmd_info_locals(d, c, false);
	case DBG_CMD_INFO_ARGS:
		return cmd_info_locals(d, c, true);
	case DBG_CMD_INFO_THREADS:
		return cmd_info_threads(d, c);
	case DBG_CMD_INFO_PROC:
	case DBG_CMD_INFO_PROC_MAPPINGS:
		return cmd_info_proc(d, c);
	case DBG_CMD_INFO_SHAREDLIBRARY:
		return cmd_info_sharedlibrary(d, c);
	case DBG_CMD_INFO_SIGNALS:
		return cmd_info_signals(d, c);
	case DBG_CMD_INFO_DISPLAY:
		return cmd_info_display(d);
	case DBG_CMD_INFO_LINE:
		return cmd_info_line(d, c);
	case DBG_CMD_INFO_SYMBOL:
		return cmd_info_symbol(d, c);
	default:
		return derr(d, "Undefined info command.");
	}
}

static int dispatch(struct dbg *d, const struct dbg_cmd *c)
{
	switch (c->kind) {
	case DBG_CMD_NONE:
		return 0;
	case DBG_CMD_RUN:
	case DBG_CMD_START:
	case DBG_CMD_STARTI:
		return cmd_run(d, c);
	case DBG_CMD_FILE:
		return cmd_file(d, c);
	case DBG_CMD_SOURCE:
		if (!d->from_tty && access(c->expr, F_OK) < 0) {
			/* gdb: an error at the terminal, a warning elsewhere */
			dout_flush(d);
			fprintf(stderr, "warning: %s: %s\n", c->expr, strerror(errno));
			return 0;
		}
		return exec_file(d, c->expr);
	case DBG_CMD_CONTINUE:
		return cmd_continue(d, c);
	case DBG_CMD_STEP:
	case DBG_CMD_NEXT:
		return cmd_step(d, c);
	case DBG_CMD_STEPI:
	case DBG_CMD_NEXTI:
		return cmd_stepi(d, c);
	case DBG_CMD_FINISH:
		return cmd_finish(d, c);
	case DBG_CMD_UNTIL:
	case DBG_CMD_ADVANCE:
		return cmd_until(d, c);
	case DBG_CMD_BREAK:
	case DBG_CMD_TBREAK:
		return cmd_break(d, c);
	case DBG_CMD_CONDITION:
		return cmd_condition(d, c);
	case DBG_CMD_IGNORE:
		return cmd_ignore(d, c);
	case DBG_CMD_DELETE:
	case DBG_CMD_DISABLE:
	case DBG_CMD_ENABLE:
		return cmd_bp_modify(d, c);
	case DBG_CMD_WATCH:
	case DBG_CMD_RWATCH:
	case DBG_CMD_AWATCH:
		return cmd_watch(d, c);
	case DBG_CMD_CATCH_SYSCALL:
	case DBG_CMD_CATCH_SIGNAL:
	case DBG_CMD_CATCH_FORK:
	case DBG_CMD_CATCH_VFORK:
	case DBG_CMD_CATCH_EXEC:
		return cmd_catch(d, c);
	case DBG_CMD_SET_VAR:
		return cmd_set_var(d, c);
	case DBG_CMD_SET_OPTION:
		return cmd_set_option(d, c);
	case DBG_CMD_SHOW:
		return cmd_show(d, c);
	case DBG_CMD_PRINT:
	case DBG_CMD_OUTPUT:
	case DBG_CMD_CALL:
	case DBG_CMD_PTYPE:
	case DBG_CMD_WHATIS:
		return cmd_print(d, c);
	case DBG_CMD_X:
		return cmd_x(d, c);
	case DBG_CMD_DISPLAY:
		return cmd_display(d, c);
	case DBG_CMD_UNDISPLAY:
		return cmd_undisplay(d, c);
	case DBG_CMD_BACKTRACE:
		return cmd_backtrace(d, c);
	case DBG_CMD_FRAME:
	case DBG_CMD_UP:
	case DBG_CMD_DOWN:
		return cmd_frame(d, c);
	case DBG_CMD_LIST:
		return cmd_list(d, c);
	case DBG_CMD_DISASSEMBLE:
		return cmd_disassemble(d, c);
	case DBG_CMD_THREAD:
		return cmd_thread(d, c);
	case DBG_CMD_HANDLE:
		return cmd_handle(d, c);
	case DBG_CMD_SIGNAL:
		return cmd_signal(d, c);
	case DBG_CMD_KILL:
		return cmd_kill(d, c);
	case DBG_CMD_DETACH:
		return cmd_detach(d, c);
	case DBG_CMD_QUIT:
		if (inf_live(d) && !d->batch) {
			char q[256];

			snprintf(q, sizeof(q),
			         "A debugging session is active.\n\n\tInferior 1 [process %d] will "
			         "be "
			         "%s.\n\nQuit anyway? (y or n) ",
			         (int)d->inf.pid, d->inf.attached ? "detached" : "killed");
			if (!dbg_confirm(d, q))
				return 0;
		}
		d->quit = true;
		if (c->expr) {
			struct dbg_value *v;
			int64_t x;

			if (dbg_eval_string(d->ctx, c->expr, &v) == 0 &&
			    dbg_value_as_int(d->ctx, v, &x) == 0)
				d->quit_code = (int)x;
			dbg_ctx_reset_tmp(d->ctx);
		}
		return 0;
	case DBG_CMD_HELP:
		return cmd_help(d, c);
	default:
		return info_cmd(d, c);
	}
}

/* What an empty line repeats after c (NULL: nothing), as gdb does. */
static const char *repeat_of(const struct dbg_cmd *c, const char *line)
{
	switch (c->kind) {
	case DBG_CMD_STEP:
	case DBG_CMD_NEXT:
	case DBG_CMD_STEPI:
	case DBG_CMD_NEXTI:
	case DBG_CMD_CONTINUE:
	case DBG_CMD_FINISH:
	case DBG_CMD_UNTIL:
	case DBG_CMD_UP:
	case DBG_CMD_DOWN:
	case DBG_CMD_BACKTRACE:
		return line;
	case DBG_CMD_X:
		return "x";
	case DBG_CMD_LIST:
		return "list";
	default:
		return NULL;
	}
}

int exec_line(struct dbg *d, const char *line, bool from_tty)
{
	struct dbg_cmd c;
	char e[512];
	const char *p = line;
	char *copy = NULL;
	int r;

	while (*p == ' ' || *p == '\t')
		p++;
	d->failed = false;
	if (*p == '#')
		return 0;
	if (!*p || *p == '\n') {
		if (!from_tty || !d->last_repeat)
			return 0;
		copy = strdup(d->last_repeat);
		if (!copy)
			return derr(d, "out of memory");
		p = copy;
	}
	d->from_tty = from_tty;
	r = dbg_cmd_parse(p, &c, e, sizeof(e));
	if (r < 0) {
		derr(d, "%s", e);
		dbg_cmd_free(&c);
		free(copy);
		return -1;
	}
	if (from_tty) {
		const char *rep = repeat_of(&c, p);
		char *n = rep ? strdup(rep) : NULL;

		free(d->last_repeat);
		d->last_repeat = n;
	}
	r = dispatch(d, &c);
	dbg_cmd_free(&c);
	dbg_ctx_reset_tmp(d->ctx);
	dout_flush(d);
	free(copy);
	if (r < 0)
		d->failed = true;
	return d->failed ? -1 : 0;
}

int exec_file(struct dbg *d, const char *path)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	const char *saved_file = d->src_file;
	int saved_line = d->src_line, r = 0;

	if (!f) {
		derr(d, "%s: %s.", path, strerror(errno));
		return -1;
	}
	d->src_file = path;
	d->src_line = 0;
	d->src_error_said = false;
	while ((n = getline(&line, &cap, f)) >= 0) {
		d->src_line++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (exec_line(d, line, false) < 0) {
			r = -1;
			break;
		}
		if (d->quit || *d->terminate)
			break;
	}
	free(line);
	fclose(f);
	d->src_file = saved_file;
	d->src_line = saved_line;
	d->src_error_said = false;
	return r;
}
