/* SPDX-License-Identifier: MIT */
/*
 * Golden tracee of the descriptor family (tests/trace/test_decode_desc.py):
 * each section makes a fixed set of descriptor calls between the markers
 * write(-1, "BEGIN", 5) and write(-1, "END", 3):
 *
 *	dec_desc DIR SECTION
 *
 * Sections: rw dup fcntl lock poll select epoll tty ioctl copy.  The tty
 * section opens a pseudo-terminal pair; the others work on files in DIR
 * and pipes.  Exits 0, or 99 if the setup failed.
 */
#include "tracee.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>

static void marker(const char *m)
{
	if (write(-1, m, strlen(m)) != -1)
		die("marker");
}

static int file(const char *name)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "0123456789abcdef", 16) != 16 || lseek(fd, 0, SEEK_SET) != 0)
		die("file");
	return fd;
}

static void sec_rw(void)
{
	int fd = file("f1");
	char buf[64];
	static const char bin[] = "\0"
	                          "0"
	                          "\0"
	                          "8"
	                          "\1"
	                          "7"
	                          "\x7f"
	                          "9"
	                          "\t\n\"\\\x80\xff";
	marker("BEGIN");
	read(fd, buf, 4);
	read(fd, buf, 0);
	lseek(fd, -2, SEEK_END);
	lseek(fd, 0, SEEK_DATA);
	lseek(fd, 0, 7);
	pread(fd, buf, 4, 2);
	pwrite(fd, "xy", 2, 4);
	struct iovec iov[2] = {{buf, 3}, {buf + 10, 5}};
	lseek(fd, 0, SEEK_SET);
	readv(fd, iov, 2);
	writev(fd, iov, 2);
	preadv(fd, iov, 2, 1);
	pwritev(fd, iov, 2, 100);
	write(fd, bin, sizeof bin - 1);
	write(fd, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 33);
	write(fd, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 32);
	read(12345, buf, 1);
	marker("END");
	close(fd);
}

static void sec_dup(void)
{
	int fd = file("f1"), p[2];
	marker("BEGIN");
	dup(fd);
	dup2(fd, 10);
	dup3(fd, 11, O_CLOEXEC);
	dup3(fd, 12, 0x1);
	close(10);
	close(11);
	pipe(p);
	pipe2(p, O_CLOEXEC | O_NONBLOCK);
	syscall(SYS_close_range, 100, ~0U, 0);
	marker("END");
}

static void sec_fcntl(void)
{
	int fd = file("f1"), p[2];
	if (pipe(p) < 0)
		die("pipe");
	int m = memfd_create("mfd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m < 0)
		die("memfd_create");
	marker("BEGIN");
	fcntl(fd, F_GETFD);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_GETFL);
	fcntl(p[0], F_GETFL);
	fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND);
	fcntl(fd, F_DUPFD, 20);
	fcntl(fd, F_DUPFD_CLOEXEC, 30);
	fcntl(fd, F_SETOWN, 0);
	fcntl(fd, F_GETSIG);
	fcntl(fd, F_SETSIG, SIGUSR1);
	fcntl(p[0], F_SETPIPE_SZ, 65536);
	fcntl(p[0], F_GETPIPE_SZ);
	fcntl(fd, F_GETLEASE);
	fcntl(fd, F_NOTIFY, DN_MODIFY);
	fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	fcntl(m, F_GET_SEALS);
	fcntl(fd, 1234, 5);
	marker("END");
}

static void sec_lock(void)
{
	int fd = file("f1");
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	marker("BEGIN");
	fcntl(fd, F_SETLK, &fl);
	fcntl(fd, F_GETLK, &fl);
	fcntl(fd, F_SETLKW, &fl);
	fl.l_type = F_UNLCK;
	fcntl(fd, F_OFD_SETLK, &fl);
	flock(fd, LOCK_SH);
	flock(fd, LOCK_UN);
	flock(fd, LOCK_EX | LOCK_NB);
	flock(fd, 0x100);
	marker("END");
}

static void sec_poll(void)
{
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	struct pollfd pf[3] = {{p[0], POLLIN | POLLPRI, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
	struct timespec ts = {0, 0};
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	marker("BEGIN");
	poll(pf, 3, 0);
	poll(pf, 1, 0);
	poll(NULL, 0, 0);
	ppoll(pf, 1, &ts, &ss);
	if (write(p[1], "x", 1) != 1)
		die("write");
	poll(pf, 2, -1);
	ppoll(pf, 2, NULL, NULL);
	close(p[1]);
	struct pollfd q = {p[0], 0, 0};
	poll(&q, 1, 0);
	marker("END");
}

static void sec_select(void)
{
	int p[2];
	if (pipe(p) < 0 || dup2(p[0], 5) < 0 || dup2(p[1], 6) < 0)
		die("pipe");
	fd_set r, w, e;
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	marker("BEGIN");
	FD_ZERO(&r);
	FD_SET(5, &r);
	struct timespec ts = {0, 0};
	pselect(7, &r, NULL, NULL, &ts, &ss);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(5, &r);
	FD_SET(6, &w);
	FD_SET(5, &e);
	pselect(7, &r, &w, &e, NULL, NULL);
	if (write(6, "x", 1) != 1)
		die("write");
	FD_ZERO(&r);
	FD_SET(5, &r);
	FD_SET(0, &r);
	FD_ZERO(&w);
	FD_SET(6, &w);
	pselect(7, &r, &w, NULL, NULL, NULL);
	marker("END");
}

static void sec_epoll(void)
{
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	marker("BEGIN");
	int ep = epoll_create1(EPOLL_CLOEXEC);
	epoll_create(5);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0x1234};
	epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
	ev.events = EPOLLOUT;
	ev.data.fd = p[1];
	epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev);
	struct epoll_event out[4];
	epoll_wait(ep, out, 4, 0);
	epoll_pwait(ep, out, 4, 0, &ss);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev); /* not read: printed as an address */
	epoll_wait(ep, out, 4, 0);
	int e = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);
	uint64_t v;
	read(e, &v, 8);
	epoll_create1(0x1);
	marker("END");
}

static void sec_tty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		die("posix_openpt");
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	if (s < 0)
		die("open pts");
	struct termios t;
	struct winsize ws;
	marker("BEGIN");
	ioctl(s, TCGETS, &t);
	ioctl(s, TIOCGWINSZ, &ws);
	ws.ws_row = 24;
	ws.ws_col = 80;
	ioctl(s, TIOCSWINSZ, &ws);
	ioctl(s, TIOCGWINSZ, &ws);
	ioctl(s, TCSETS, &t);
	ioctl(s, TCSETSW, &t);
	ioctl(s, TCSETSF, &t);
	t.c_lflag = 0;
	t.c_iflag = 0;
	t.c_oflag = 0;
	t.c_cflag = CS8 | CREAD | B9600;
	ioctl(s, TCSETS, &t);
	ioctl(s, TCFLSH, TCIFLUSH);
	ioctl(s, TCXONC, TCOON);
	ioctl(s, TCFLSH, 7);
	int n;
	ioctl(s, FIONREAD, &n);
	marker("END");
}

static void sec_ioctl(void)
{
	int fd = file("f1"), one = 1, p[2];
	if (pipe(p) < 0)
		die("pipe");
	struct termios t;
	struct winsize ws;
	pid_t pg;
	marker("BEGIN");
	ioctl(fd, FIONBIO, &one);
	ioctl(fd, FIOCLEX);
	ioctl(fd, FIONCLEX);
	ioctl(p[0], FIONREAD, &one);
	ioctl(fd, TCGETS, &t);
	ioctl(fd, TIOCGWINSZ, &ws);
	ioctl(fd, TIOCGPGRP, &pg);
	ioctl(fd, 0x1234abcd, 0);
	ioctl(fd, _IOR('x', 1, int), &one);
	ioctl(fd, _IOW('x', 2, int), &one);
	ioctl(fd, _IOWR('x', 3, long), &one);
	ioctl(fd, _IO('x', 4), 0x10);
	ioctl(fd, FICLONE, 3);
	ioctl(fd, TCSBRK, 1);
	ioctl(fd, TIOCEXCL);
	marker("END");
}

static void sec_copy(void)
{
	int fd = file("f1");
	int o = open("f2", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (o < 0)
		die("open");
	loff_t off = 0;
	off_t of = 0;
	marker("BEGIN");
	copy_file_range(fd, &off, o, NULL, 8, 0);
	copy_file_range(fd, NULL, o, NULL, 8, 0);
	sendfile(o, fd, &of, 4);
	sendfile(o, fd, NULL, 4);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	fallocate(o, 0, 0, 4096);
	fallocate(o, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 10);
	readahead(fd, 0, 100);
	ftruncate(o, 3);
	fsync(o);
	fdatasync(o);
	syncfs(o);
	marker("END");
}

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
        {"rw", sec_rw},       {"dup", sec_dup},       {"fcntl", sec_fcntl}, {"lock", sec_lock},
        {"poll", sec_poll},   {"select", sec_select}, {"epoll", sec_epoll}, {"tty", sec_tty},
        {"ioctl", sec_ioctl}, {"copy", sec_copy},
};

int main(int argc, char **argv)
{
	if (argc < 3 || chdir(argv[1]) < 0)
		return 2;
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
		if (strcmp(argv[2], sections[i].name) == 0) {
			sections[i].fn();
			return 0;
		}
	return 2;
}
