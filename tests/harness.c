/* SPDX-License-Identifier: MIT */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define TH_MAX 256

static struct {
	const char *name;
	th_fn fn;
} cases[TH_MAX];
static int ncases;

void th_register(const char *name, th_fn fn)
{
	if (ncases == TH_MAX) {
		fprintf(stderr, "harness: too many cases\n");
		abort();
	}
	cases[ncases].name = name;
	cases[ncases].fn = fn;
	ncases++;
}

void th_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void th_skip(const char *fmt, ...)
{
	va_list ap;
	fflush(stderr);
	printf("SKIP: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(77);
}

void th_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

const char *th_tracee(const char *name)
{
	static char buf[4][4096];
	static int k;
	const char *dir = getenv("PTK_TRACEES");
	char *b = buf[k++ % 4];
	if (!dir)
		dir = PTK_TRACEES_DIR;
	snprintf(b, sizeof buf[0], "%s/%s", dir, name);
	if (access(b, X_OK) != 0)
		th_fail(__FILE__, __LINE__, "tracee %s not built", b);
	return b;
}

int th_run_untraced(char *const argv[], char *out, size_t cap)
{
	int p[2], st = -1;
	size_t n = 0;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);
		dup2(nul, 0);
		dup2(p[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t r = read(p[0], out + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap - 1) {
			char sink[4096];
			while (read(p[0], sink, sizeof sink) > 0)
				;
			break;
		}
	}
	out[n] = 0;
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static int run_one(int i)
{
	cases[i].fn();
	fflush(stdout);
	return 0;
}

int th_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (int i = 0; i < ncases; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	bool skip_mode = argc > 1 && strcmp(argv[1], "--skip") == 0;
	if (argc > 1 && !skip_mode) {
		for (int i = 0; i < ncases; i++)
			if (strcmp(cases[i].name, argv[1]) == 0)
				return run_one(i);
		fprintf(stderr, "no such case: %s\n", argv[1]);
		return 2;
	}
	int failed = 0;
	for (int i = 0; i < ncases; i++) {
		bool skipped = false;
		for (int a = 2; skip_mode && a < argc; a++)
			skipped = skipped || strcmp(cases[i].name, argv[a]) == 0;
		if (skipped)
			continue;
		pid_t pid = fork();
		if (pid == 0)
			exit(run_one(i));
		int st;
		waitpid(pid, &st, 0);
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		printf("%s %s\n", code == 0 ? "PASS" : code == 77 ? "SKIP" : "FAIL", cases[i].name);
		failed += code != 0 && code != 77;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return th_main(argc, argv);
}
