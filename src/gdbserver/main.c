/* SPDX-License-Identifier: MIT */
/*
 * ptk gdbserver: the command line, the program's start, and the life of connections.
 *
 *   ptk gdbserver [--once] [--multi] COMM PROG [ARGS...]   start PROG, serve it
 *   ptk gdbserver [--once] COMM --attach PID               attach to PID, serve it
 *   ptk gdbserver --multi COMM                             extended-remote, no program yet
 *
 * When a client goes away, what was spawned is killed and what was attached is detached
 * (it runs on); nothing is left stopped.  Without --multi the server then exits; with
 * --multi it waits for the next client unless --once.  SIGINT, SIGTERM and SIGHUP end it
 * the same way.
 */
#include "../frontends.h"
#include "conn.h"
#include "gs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

void gdbserver_usage(FILE *f)
{
	fprintf(f, "usage: ptk gdbserver [--once] [--multi] COMM PROG [ARGS...]\n"
	           "       ptk gdbserver [--once] COMM --attach PID\n"
	           "       ptk gdbserver --multi COMM\n"
	           "\n"
	           "Serve a program to gdb or lldb over the GDB Remote Serial Protocol.\n"
	           "\n"
	           "COMM is where the client connects:\n"
	           "  HOST:PORT   listen on HOST (a non-loopback one needs --allow-remote)\n"
	           "  :PORT       listen on 127.0.0.1 (PORT 0 picks a free port)\n"
	           "  unix:PATH   listen on a Unix socket\n"
	           "  -           talk over stdin/stdout (target remote | ptk gdbserver - PROG)\n"
	           "\n"
	           "  --attach PID    serve the running process PID (detached again at the end)\n"
	           "  --multi         extended-remote: the client may run and attach programs\n"
	           "  --once          with --multi: exit when the first client goes away\n"
	           "  --allow-remote  listen on a non-loopback HOST (no authentication!)\n"
	           "  --no-disable-randomization  run PROG with address-space randomization\n"
	           "  --debug         log every packet to stderr\n"
	           "  -h, --help      this help\n"
	           "\n"
	           "gdb:  target remote HOST:PORT   (or target extended-remote with --multi)\n"
	           "lldb: gdb-remote HOST:PORT\n"
	           "See ptk-gdbserver(1).\n");
}

struct opts {
	bool once, multi, attach, debug, aslr, remote;
	const char *comm;
	char **prog; /* PROG ARGS..., NULL-terminated (points into argv) */
	pid_t pid;
};

/* A usage error: what is wrong (msg, with arg if it has %s), then the usage. */
static int bad_usage(const char *msg, const char *arg)
{
	const char *at = strstr(msg, "%s");

	if (at)
		fprintf(stderr, "ptk gdbserver: %.*s%s%s\n", (int)(at - msg), msg, arg, at + 2);
	else
		fprintf(stderr, "ptk gdbserver: %s\n", msg);
	gdbserver_usage(stderr);
	return 2;
}

static int parse(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--once") == 0) {
			o->once = true;
		} else if (strcmp(a, "--multi") == 0) {
			o->multi = true;
		} else if (strcmp(a, "--attach") == 0) {
			o->attach = true;
		} else if (strcmp(a, "--debug") == 0) {
			o->debug = true;
		} else if (strcmp(a, "--allow-remote") == 0) {
			o->remote = true;
		} else if (strcmp(a, "--no-disable-randomization") == 0) {
			o->aslr = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			gdbserver_usage(stdout);
			return 1;
		} else if (a[0] == '-' && a[1] == '-') {
			return bad_usage("unknown option '%s'", a);
		} else if (!o->comm) {
			o->comm = a;
		} else {
			break; /* PROG, or the PID of --attach */
		}
	}
	if (!o->comm)
		return bad_usage("COMM is missing", NULL);
	if (o->attach) {
		char *end;
		long pid;
		if (i >= argc)
			return bad_usage("--attach needs a PID", NULL);
		pid = strtol(argv[i], &end, 10);
		if (*end || pid <= 0 || pid > 0x7fffffff)
			return bad_usage("'%s' is not a process id", argv[i]);
		if (i + 1 < argc)
			return bad_usage("unexpected '%s' after the PID", argv[i + 1]);
		o->pid = (pid_t)pid;
		return 0;
	}
	if (i < argc)
		o->prog = argv + i;
	else if (!o->multi)
		return bad_usage("no program: give PROG [ARGS...], --attach PID or --multi", NULL);
	return 0;
}

static int copy_argv(struct gs *g, char **prog)
{
	size_t n = 0;

	while (prog[n])
		n++;
	g->argv = calloc(n + 1, sizeof *g->argv);
	if (!g->argv)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(g->argv[i] = strdup(prog[i])))
			return -ENOMEM;
	return 0;
}

/* Start what the command line names; 0 or an exit status. */
static int start_target(struct gs *g, const struct opts *o)
{
	char why[512];
	int r;

	if (o->attach) {
		char pid[24];
		snprintf(pid, sizeof pid, "%d", (int)o->pid);
		r = gs_attach(g, o->pid);
		if (r < 0) {
			ptk_explain(PTK_OP_ATTACH, r, pid, why, sizeof why);
			fprintf(stderr, "ptk gdbserver: %s\n", why);
			return 1;
		}
		struct gs_proc *p = gs_proc_find(g, o->pid);
		if (p && p->threads)
			p->threads->last.sig = SIGTRAP; /* gdb takes it as the start of a session */
		fprintf(stderr, "ptk gdbserver: attached to process %d\n", (int)o->pid);
		return 0;
	}
	if (!o->prog)
		return 0;
	struct gs_stop ex = {.kind = GS_STOP_NONE}; /* read below even when copy_argv() fails */
	r = copy_argv(g, o->prog);
	if (r == 0)
		r = gs_spawn(g, g->argv, &ex);
	if (r < 0 && ex.kind != GS_STOP_NONE) {
		fprintf(stderr, "ptk gdbserver: %s %s during startup (%s %d)\n", o->prog[0],
		        ex.kind == GS_STOP_EXITED ? "exited" : "was killed",
		        ex.kind == GS_STOP_EXITED ? "code" : "signal",
		        ex.kind == GS_STOP_EXITED ? ex.code : ex.sig);
		return 1;
	}
	if (r < 0) {
		ptk_explain(PTK_OP_SPAWN, r, o->prog[0], why, sizeof why);
		fprintf(stderr, "ptk gdbserver: %s\n", why);
		return 1;
	}
	fprintf(stderr, "ptk gdbserver: process %s created; pid = %d\n", o->prog[0], r);
	return 0;
}

/* End what is left: kill what was spawned, detach what was attached. */
static void release_all(struct gs *g)
{
	for (struct gs_proc *p = g->procs, *next; p; p = next) {
		next = p->next;
		if (p->attached)
			gs_detach(g, p->pid);
	}
	if (g->procs)
		gs_kill(g, 0);
}

/* The client is stdin/stdout; the program must not share them. */
static int stdio_setup(int *ret_in, int *ret_out)
{
	int in = fcntl(0, F_DUPFD_CLOEXEC, 3), out = fcntl(1, F_DUPFD_CLOEXEC, 3), null;

	if (in < 0 || out < 0)
		return -errno;
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(2, 1) < 0)
		return -errno;
	close(null);
	*ret_in = in;
	*ret_out = out;
	return 0;
}

int gdbserver_main(int argc, char **argv)
{
	struct opts o;
	struct gs_listener l;
	struct ptk_session *s = NULL;
	static struct gs g;
	sigset_t block, orig, ignored;
	int chld_fd = -1, term_fd = -1, status = 0, r;
	char msg[256];

	r = parse(argc, argv, &o);
	if (r)
		return r == 1 ? 0 : r;

	r = gs_listen(o.comm, &l, msg, sizeof msg);
	if (r == -EINVAL) {
		fprintf(stderr,
		        "ptk gdbserver: bad COMM '%s': %s; use HOST:PORT, :PORT, unix:PATH or -\n",
		        o.comm, msg);
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "ptk gdbserver: cannot listen on %s: %s; %s\n", o.comm,
		        strerror(-r),
		        r == -EADDRINUSE ? "choose another port (or :0 for any free one) or stop "
		                           "the program that uses it"
		                         : "check the address and your permissions");
		return 1;
	}
	if (!l.loopback && !o.remote) {
		fprintf(stderr,
		        "ptk gdbserver: refusing to listen on %s, which is not a loopback address: "
		        "the protocol has no authentication, so anyone who can reach it could run "
		        "code as you; give --allow-remote to do it anyway, or listen on :PORT\n",
		        o.comm);
		gs_listener_close(&l);
		return 2;
	}
	if (!l.loopback)
		fprintf(stderr,
		        "ptk gdbserver: warning: listening on %s, which is not a loopback address: "
		        "the protocol has no authentication, so anyone who can reach it can run "
		        "code as you\n",
		        l.where);

	/*
	 * Children we no longer trace (a program the client detached from) must not stay
	 * zombies: with SA_NOCLDWAIT the kernel reaps them, and it never does so for a
	 * ptraced child, whose exit status libptk still collects (kernel/signal.c,
	 * do_notify_parent() autoreaps only when !tsk->ptrace).  execve clears the flag.
	 */
	startup_ignored(&ignored);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);

	/* Signals arrive through descriptors; programs start with the mask we had. */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	chld_fd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	term_fd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	r = ptk_session_new(&s, PTK_FOLLOW | PTK_TRACE_VFORK_DONE | PTK_MEM_VIA_PROC);
	if (chld_fd < 0 || term_fd < 0 || r < 0 || gs_init(&g, s) < 0) {
		fprintf(stderr, "ptk gdbserver: cannot set up: %s\n", strerror(ENOMEM));
		status = 1;
		goto out;
	}
	g.sigfd = chld_fd;
	g.spawn_mask = orig;
	g.spawn_ignored = ignored;
	g.debug = o.debug;
	g.no_aslr = !o.aslr;
	g.multi = o.multi;

	int in_fd = -1, out_fd = -1;
	if (l.stdio && stdio_setup(&in_fd, &out_fd) < 0) {
		fprintf(stderr, "ptk gdbserver: cannot use stdin/stdout: %s\n", strerror(errno));
		status = 1;
		goto out;
	}
	status = start_target(&g, &o);
	if (status)
		goto out;
	fprintf(stderr, "ptk gdbserver: listening on %s\n", l.where);

	for (;;) {
		int sig = 0;
		bool sock = !l.stdio;
		if (sock) {
			char peer[160];
			int fd = gs_accept(&g, &l, peer, sizeof peer, term_fd, &sig);
			if (fd == -EINTR) {
				g.terminating = true;
				fprintf(stderr, "ptk gdbserver: %s: ended what it served\n",
				        strsignal(sig));
				status = 128 + sig;
				break;
			}
			if (fd < 0) {
				fprintf(stderr, "ptk gdbserver: accept: %s\n", strerror(-fd));
				status = 1;
				break;
			}
			fprintf(stderr, "ptk gdbserver: remote debugging from %s\n", peer);
			in_fd = out_fd = fd;
		}
		/* A client starts in the protocol's initial state. */
		rsp_conn_init(g.conn, RSP_PAYLOAD_MAX);
		g.extended = false;
		sig = gs_serve(&g, in_fd, out_fd, sock, term_fd);
		if (sock)
			close(in_fd);
		g.terminating = sig != 0;
		release_all(&g);
		gs_vfile_close_all(&g);
		gs_notif_clear(&g);
		if (sig) {
			fprintf(stderr, "ptk gdbserver: %s: ended what it served\n",
			        strsignal(sig));
			status = 128 + sig;
			break;
		}
		if (!o.multi || o.once || l.stdio)
			break;
		fprintf(stderr, "ptk gdbserver: client gone; listening on %s\n", l.where);
	}
out:
	if (g.conn) {
		release_all(&g);
		gs_fini(&g);
	}
	ptk_session_end(s, false, 2000);
	gs_listener_close(&l);
	if (chld_fd >= 0)
		close(chld_fd);
	if (term_fd >= 0)
		close(term_fd);
	return status;
}
