/* SPDX-License-Identifier: MIT */
/*
 * The demo program of the README's quick start: a few file, process and
 * signal syscalls worth seeing in a trace.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	const char msg[] = "hello from the ptk demo\n";
	char buf[64] = {0};
	char path[] = "/tmp/ptk-demo-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	if (write(fd, msg, strlen(msg)) < 0 || lseek(fd, 0, SEEK_SET) < 0 ||
	    read(fd, buf, sizeof buf - 1) < 0)
		return 1;
	close(fd);
	unlink(path);
	signal(SIGUSR1, on_usr1);
	kill(getpid(), SIGUSR1);
	pid_t child = fork();
	if (child == 0)
		_exit(3);
	int st;
	waitpid(child, &st, 0);
	printf("%s", buf);
	printf("child exited with %d\n", WEXITSTATUS(st));
	return 0;
}
