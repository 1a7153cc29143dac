/* SPDX-License-Identifier: MIT */
/*
 * The smallest tracer on libptk: spawn a program, print every syscall's
 * number and return value, exit with the program's status.
 *
 *	cc sysnums.c $(pkg-config --cflags --libs ptk) -o sysnums
 *	./sysnums /bin/echo hi
 */
#include <ptk/ptk.h>

#include <stdio.h>
#include <errno.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PROGRAM [ARGS...]\n", argv[0]);
		return 2;
	}
	struct ptk_session *s;
	if (ptk_session_new(&s, 0) < 0)
		return 1;
	struct ptk_spawn_opts o = {.path = argv[1], .argv = argv + 1, .flags = PTK_SPAWN_PATH};
	pid_t pid;
	int r = ptk_spawn(s, &o, &pid);
	if (r < 0) {
		char msg[256];
		ptk_explain(PTK_OP_SPAWN, r, argv[1], msg, sizeof msg);
		fprintf(stderr, "sysnums: %s\n", msg);
		ptk_session_end(s, false, 1000);
		return 1;
	}
	int status = 0;
	long nr = -1;
	r = ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0);
	struct ptk_event ev;
	while (r >= 0 && ptk_wait(s, &ev, 0) == 0) {
		int sig = 0;
		switch (ev.kind) {
		case PTK_EV_SYSCALL_ENTER:
			nr = ev.sc.nr;
			break;
		case PTK_EV_SYSCALL_EXIT:
			fprintf(stderr, "syscall %ld = %lld\n", nr, (long long)ev.sc.rval);
			break;
		case PTK_EV_SIGNAL:
			sig = ev.sig;
			break;
		case PTK_EV_EXITED:
			status = ev.exit_code;
			continue;
		case PTK_EV_KILLED:
			status = 128 + ev.sig;
			continue;
		default:
			break;
		}
		r = ptk_resume(s, ev.tid, PTK_RESUME_SYSCALL, sig);
		if (r == -ESRCH)
			r = 0; /* gone: its death is the next event */
	}
	ptk_session_end(s, false, 1000);
	return status;
}
