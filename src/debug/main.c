/* SPDX-License-Identifier: MIT */
/*
 * ptk debug: options, batch vs interactive, and every way out.
 *
 *	ptk debug [options] PROG [ARGS...]
 *	ptk debug [options] --args PROG [ARGS...]
 *	ptk debug [options] -p PID
 *
 * -ex CMD and -x FILE run in the order given; -batch runs them and leaves
 * (exit status 1 if the last command failed, as gdb); otherwise the
 * prompt follows.  Whatever the way out (quit, end of input, the end of a
 * batch, SIGTERM, SIGHUP, an error), what was spawned is killed and what
 * was attached is detached (ptk_session_end).
 */
#include "../frontends.h"
#include "dbg.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void debug_usage(FILE *f)
{
	fprintf(f, "usage: ptk debug [options] PROG [ARGS...]\n"
	           "       ptk debug [options] --args PROG [ARGS...]\n"
	           "       ptk debug [options] -p PID\n"
	           "\n"
	           "A debugger with gdb's commands (see ptk-debug(1); `help` at the prompt).\n"
	           "\n"
	           "options:\n"
	           "  -ex CMD, --eval-command=CMD   run CMD (repeatable; in order with -x)\n"
	           "  -x FILE, --command=FILE       run the commands in FILE\n"
	           "  -batch, --batch               run -ex/-x commands, then exit (status 1\n"
	           "                                if the last command failed)\n"
	           "  -p PID, --pid=PID             attach to process PID\n"
	           "  --args PROG ARGS...           PROG's arguments follow\n"
	           "  -q, -quiet, -silent           no banner\n"
	           "  -nx, -n                       accepted (ptk reads no init file)\n"
	           "  -h, --help                    this help\n");
}

struct action {
	bool is_file;
	const char *text;
};

/* The signal flags before dsig_init() installs the handlers. */
static volatile sig_atomic_t no_signal;

static void dbg_init(struct dbg *d)
{
	struct dbg_target t;

	memset(d, 0, sizeof(*d));
	d->o = stdout;
	d->confirm = true;
	d->listsize = 10;
	d->no_aslr = true;
	d->var_frame = -1;
	d->detach_on_fork = true;
	d->interrupted = &no_signal;
	d->terminate = &no_signal;
	d->int_from_tty = &no_signal;
	d->trace_events = getenv("PTK_DEBUG_EVENTS") != NULL;
	dsig_table_init(d);
	t = target_make(d);
	d->ctx = dbg_ctx_new(&t);
}

void dbg_teardown(struct dbg *d)
{
	if (d->s && getenv("PTK_DEBUG_STATS")) {
		/* a benchmark knob: what the session cost, before it ends */
		struct ptk_stats st;

		ptk_stats_get(d->s, &st);
		fprintf(stderr,
		        "[ptk stats: stops %llu ptrace %llu resumes %llu waits %llu vm_reads %llu "
		        "vm_writes %llu polled %llu]\n",
		        (unsigned long long)st.stops, (unsigned long long)st.ptrace_calls,
		        (unsigned long long)st.resumes, (unsigned long long)st.waits,
		        (unsigned long long)st.vm_reads, (unsigned long long)st.vm_writes,
		        (unsigned long long)st.spin_hits);
	}
	if (d->s) {
		/* ended by a signal: do not wait long for what cannot stop (vfork parents) */
		ptk_session_end(d->s, false, *d->terminate ? 200 : 1000);
		d->s = NULL;
	}
	d->inf.state = INF_NONE;
	ptk_symtab_free(d->inf.st);
	d->inf.st = NULL;
	free(d->inf.threads);
	free(d->inf.defer);
	memset(&d->inf, 0, sizeof(d->inf));
	bp_free_all(d);
	display_free(d);
	src_free(d);
	dw_free(d);
	dregs_free(d);
	disas_free(d);
	free(d->frames);
	d->frames = NULL;
	if (d->ctx)
		dbg_ctx_free(d->ctx);
	d->ctx = NULL;
	for (size_t i = 0; i < d->nargs; i++)
		free(d->args[i]);
	free(d->args);
	free(d->prog);
	free(d->prog_path);
	free(d->last_repeat);
}

static bool opt(const char *a, const char *name)
{
	/* gdb accepts -opt and --opt alike. */
	if (a[0] != '-')
		return false;
	if (a[1] == '-')
		a++;
	return strcmp(a + 1, name) == 0;
}

/* "--opt=value" / "-opt=value": the value, else NULL. */
static const char *opt_eq(const char *a, const char *name)
{
	size_t n = strlen(name);

	if (a[0] != '-')
		return NULL;
	if (a[1] == '-')
		a++;
	if (strncmp(a + 1, name, n) == 0 && a[1 + n] == '=')
		return a + 2 + n;
	return NULL;
}

int debug_main(int argc, char **argv)
{
	struct dbg d;
	struct action *acts = calloc((size_t)argc + 1, sizeof(*acts));
	size_t nacts = 0;
	const char *pidstr = NULL;
	int i, status = 0;
	bool args_mode = false;

	if (!acts) {
		fprintf(stderr, "ptk debug: out of memory\n");
		return 1;
	}
	dbg_init(&d);
	if (!d.ctx) {
		fprintf(stderr, "ptk debug: out of memory\n");
		free(acts);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if (a[0] != '-' || args_mode)
			break;
		if (opt(a, "ex") || opt(a, "eval-command")) {
			if (++i >= argc)
				goto missing;
			acts[nacts++] = (struct action){false, argv[i]};
		} else if ((v = opt_eq(a, "eval-command")) || (v = opt_eq(a, "ex"))) {
			acts[nacts++] = (struct action){false, v};
		} else if (opt(a, "x") || opt(a, "command")) {
			if (++i >= argc)
				goto missing;
			acts[nacts++] = (struct action){true, argv[i]};
		} else if ((v = opt_eq(a, "command"))) {
			acts[nacts++] = (struct action){true, v};
		} else if (opt(a, "batch")) {
			d.batch = true;
		} else if (opt(a, "q") || opt(a, "quiet") || opt(a, "silent")) {
			d.quiet = true;
		} else if (opt(a, "nx") || opt(a, "n") || opt(a, "nh")) {
			/* ptk reads no init files */
		} else if (opt(a, "p") || opt(a, "pid")) {
			if (++i >= argc)
				goto missing;
			pidstr = argv[i];
		} else if ((v = opt_eq(a, "pid"))) {
			pidstr = v;
		} else if (opt(a, "args")) {
			args_mode = true;
		} else if (opt(a, "h") || opt(a, "help")) {
			debug_usage(stdout);
			dbg_teardown(&d);
			free(acts);
			return 0;
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr,
			        "ptk debug: unrecognized option '%s'\n"
			        "Use `ptk debug --help' for a complete list of options.\n",
			        a);
			dbg_teardown(&d);
			free(acts);
			return 1;
		}
	}
	if (i < argc) {
		d.prog = strdup(argv[i]);
		d.args = calloc((size_t)(argc - i), sizeof(char *));
		for (int k = i + 1; k < argc && d.args; k++)
			d.args[d.nargs++] = strdup(argv[k]);
	}
	d.interactive = !d.batch && isatty(STDIN_FILENO);
	startup_ignored(&d.orig_ignored);
	dsig_init(&d);
	if (!d.quiet && !d.batch)
		printf("ptk debug %s: gdb's commands over libptk.  Type \"help\" for a list.\n",
		       ptk_version());
	if (d.prog && access(d.prog, F_OK) < 0 && !strchr(d.prog, '/')) {
		/* a bare name: found in $PATH at spawn time */
	} else if (d.prog && access(d.prog, F_OK) < 0) {
		derr(&d, "%s: No such file or directory.", d.prog);
		free(d.prog);
		d.prog = NULL;
	} else if (d.prog) {
		char *rp = realpath(d.prog, NULL);

		d.prog_path = rp ? rp : strdup(d.prog);
		if (!d.batch && !d.quiet)
			printf("Reading symbols from %s...\n", d.prog);
	}
	if (pidstr) {
		char *end;
		long pid = strtol(pidstr, &end, 10);

		d.from_tty = !d.batch;
		if (*end || pid <= 0)
			derr(&d, "Illegal process-id: %s.", pidstr);
		else if (inf_attach(&d, (pid_t)pid) == 0) {
			struct stop st = {.kind = STOP_LOCATION, .tid = (pid_t)pid};

			d.ran_once = true;
			stop_report(&d, &st);
		}
	}
	/* -batch with nothing after a failed load or attach fails too, as gdb */
	status = d.failed ? 1 : 0;
	for (size_t k = 0; k < nacts && !d.quit && !*d.terminate; k++) {
		if (acts[k].is_file)
			exec_file(&d, acts[k].text);
		else
			exec_line(&d, acts[k].text, !d.batch);
		status = d.failed ? 1 : 0;
	}
	if (!d.batch && !d.quit && !*d.terminate)
		status = repl_run(&d);
	if (d.quit)
		status = d.quit_code;
	if (*d.terminate) {
		int sig = *d.terminate;

		dbg_teardown(&d);
		free(acts);
		fflush(stdout);
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	if (!d.batch && d.inf.state == INF_LIVE && d.interactive) {
		/* gdb asks; the answer does not change what happens to the process. */
	}
	dbg_teardown(&d);
	free(acts);
	fflush(stdout);
	return status;
missing:
	fprintf(stderr, "ptk debug: option '%s' requires an argument\n", argv[i - 1]);
	dbg_teardown(&d);
	free(acts);
	return 1;
}
