/* SPDX-License-Identifier: MIT */
/*
 * Golden tracee of the file family (tests/trace/test_decode_file.py):
 * each section makes a fixed set of file system calls with fixed
 * arguments, between two markers the test finds in the trace:
 *
 *	dec_file DIR SECTION
 *
 * writes "BEGIN" and "END" to fd -1 (write(-1, "BEGIN", 5) = -1 EBADF)
 * around the section's calls, after chdir(DIR) and creating the files the
 * section needs.  Sections: open stat statx statfs access link xattr
 * dirent times mknod mount misc.  Exits 0, or 99 if the setup failed.
 */
#include "tracee.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#define FIXED_TIME 1577934245

static void marker(const char *m)
{
	if (write(-1, m, strlen(m)) != -1)
		die("marker");
}

static void make(const char *path, const char *content, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		die("make");
	fchmod(fd, mode);
	close(fd);
}

static void sec_open(void)
{
	marker("BEGIN");
	int fd = open("f1", O_WRONLY | O_CREAT | O_TRUNC, 0640);
	close(fd);
	fd = openat(AT_FDCWD, "f1", O_RDONLY);
	close(fd);
	fd = openat(AT_FDCWD, "f1", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	close(fd);
	fd = openat(AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0600);
	close(fd);
	fd = open("f1", O_RDWR | O_APPEND | O_NONBLOCK | O_NOATIME | O_SYNC);
	close(fd);
	fd = open("f1", 0x80000000 | O_RDONLY);
	close(fd);
	openat(AT_FDCWD, "missing", O_RDONLY);
	openat(AT_FDCWD, "newdir/x", O_WRONLY | O_CREAT | O_EXCL, 0);
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC,
	                       .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
	fd = (int)syscall(SYS_openat2, AT_FDCWD, "f1", &how, sizeof how);
	close(fd);
	struct open_how how2 = {.flags = O_CREAT | O_WRONLY, .mode = 0644};
	fd = (int)syscall(SYS_openat2, AT_FDCWD, "f2", &how2, sizeof how2);
	close(fd);
	syscall(SYS_creat, "f3", 0600);
	marker("END");
}

static void sec_stat(void)
{
	make("s1", "0123456789", 0644);
	make("su", "", 07755);
	struct stat st;
	int fd = open("s1", O_RDONLY);
	marker("BEGIN");
	stat("s1", &st);
	lstat("su", &st);
	fstat(fd, &st);
	fstatat(AT_FDCWD, "s1", &st, AT_SYMLINK_NOFOLLOW);
	stat("missing", &st);
	stat("/dev/null", &st);
	syscall(SYS_newfstatat, AT_FDCWD, ".", &st, 0);
	marker("END");
	close(fd);
}

static void sec_statx(void)
{
	make("x1", "abc", 0600);
	int fd = open("x1", O_RDONLY);
	struct statx sx;
	marker("BEGIN");
	statx(AT_FDCWD, "x1", AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
	      STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID | STATX_MTIME | STATX_SIZE, &sx);
	statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, &sx);
	statx(AT_FDCWD, "missing", 0, STATX_ALL, &sx);
	marker("END");
	close(fd);
}

static void sec_statfs(void)
{
	struct statfs sf;
	int fd = open("/proc", O_RDONLY | O_DIRECTORY);
	marker("BEGIN");
	statfs("/proc", &sf);
	fstatfs(fd, &sf);
	statfs("missing", &sf);
	marker("END");
	close(fd);
}

static void sec_access(void)
{
	make("a1", "", 0644);
	char buf[64];
	marker("BEGIN");
	access("a1", R_OK | W_OK);
	access("a1", F_OK);
	access("missing", X_OK);
	faccessat(AT_FDCWD, "a1", R_OK, AT_EACCESS);
	syscall(SYS_faccessat2, AT_FDCWD, "a1", R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW);
	symlink("a1", "l1");
	readlink("l1", buf, sizeof buf);
	readlink("l1", buf, 1);
	readlinkat(AT_FDCWD, "l1", buf, sizeof buf);
	readlink("a1", buf, sizeof buf);
	chmod("a1", 0600);
	chmod("a1", 04755);
	fchmodat(AT_FDCWD, "a1", 0644, 0);
	chown("a1", 0, 0);
	lchown("l1", -1, -1);
	fchownat(AT_FDCWD, "a1", 1, 2, AT_SYMLINK_NOFOLLOW);
	truncate("a1", 3);
	marker("END");
}

static void sec_link(void)
{
	make("k1", "x", 0644);
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	marker("BEGIN");
	mkdir("d1", 0755);
	mkdirat(AT_FDCWD, "d1/e", 0700);
	rmdir("d1/e");
	rename("k1", "k2");
	renameat(AT_FDCWD, "k2", dfd, "k3");
	syscall(SYS_renameat2, dfd, "k3", AT_FDCWD, "k4", RENAME_NOREPLACE);
	syscall(SYS_renameat2, dfd, "k4", AT_FDCWD, "k5", 0x10);
	link("k4", "h1");
	linkat(AT_FDCWD, "h1", AT_FDCWD, "h2", 0);
	unlink("h1");
	unlinkat(AT_FDCWD, "h2", 0);
	unlinkat(AT_FDCWD, "d1", AT_REMOVEDIR);
	unlinkat(AT_FDCWD, "k4", 0x1);
	symlinkat("k4", AT_FDCWD, "l2");
	chdir(".");
	fchdir(dfd);
	chroot("/nonexistent");
	marker("END");
	close(dfd);
}

static void sec_xattr(void)
{
	make("x1", "", 0644);
	int fd = open("x1", O_RDONLY);
	char buf[64];
	marker("BEGIN");
	setxattr("x1", "user.k", "val", 3, XATTR_CREATE);
	getxattr("x1", "user.k", buf, sizeof buf);
	getxattr("x1", "user.k", NULL, 0);
	getxattr("x1", "user.none", buf, sizeof buf);
	listxattr("x1", buf, sizeof buf);
	listxattr("x1", NULL, 0);
	fsetxattr(fd, "user.j", "\1\2", 2, 0);
	flistxattr(fd, buf, sizeof buf);
	removexattr("x1", "user.k");
	fremovexattr(fd, "user.j");
	marker("END");
	close(fd);
}

static void sec_dirent(void)
{
	if (mkdir("dd", 0755) < 0)
		die("mkdir");
	make("dd/one", "", 0644);
	int dfd = open("dd", O_RDONLY | O_DIRECTORY);
	char buf[4096];
	marker("BEGIN");
	syscall(SYS_getdents64, dfd, buf, sizeof buf);
	syscall(SYS_getdents64, dfd, buf, sizeof buf);
	lseek(dfd, 0, SEEK_SET);
	syscall(SYS_getdents, dfd, buf, sizeof buf);
	syscall(SYS_getdents64, 12345, buf, sizeof buf);
	marker("END");
	close(dfd);
}

static void sec_times(void)
{
	make("t1", "", 0644);
	int fd = open("t1", O_RDONLY);
	struct timespec ts[2] = {{FIXED_TIME, 0}, {0, UTIME_NOW}};
	struct timespec ts2[2] = {{0, UTIME_OMIT}, {FIXED_TIME, 123456789}};
	struct timeval tv[2] = {{FIXED_TIME, 0}, {FIXED_TIME, 500000}};
	marker("BEGIN");
	utimensat(AT_FDCWD, "t1", ts, 0);
	futimens(fd, NULL);
	utimensat(AT_FDCWD, "t1", ts2, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_utimes, "t1", tv);
	marker("END");
	close(fd);
}

static void sec_mknod(void)
{
	marker("BEGIN");
	mknod("/nonexistent/n", S_IFCHR | 0600, makedev(1, 3));
	mknodat(AT_FDCWD, "/nonexistent/n", S_IFIFO | 0644, 0);
	mknodat(AT_FDCWD, "/nonexistent/n", S_IFBLK | 0660, makedev(8, 17));
	mknod("/nonexistent/n", 07644, 0);
	marker("END");
}

static void sec_mount(void)
{
	marker("BEGIN");
	mount("none", "/nonexistent", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m");
	umount2("/nonexistent", MNT_DETACH);
	mount(NULL, "/nonexistent", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
	mount("src", "/nonexistent", "ext4", 0xc0ed0000 | MS_NOATIME, NULL);
	marker("END");
}

static void sec_misc(void)
{
	char buf[256];
	marker("BEGIN");
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	int wd = inotify_add_watch(in, ".", IN_MODIFY | IN_CREATE | IN_DELETE);
	inotify_rm_watch(in, wd);
	close(in);
	umask(022);
	umask(077);
	if (getcwd(buf, 2))
		die("getcwd");
	sync();
	marker("END");
}

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
        {"open", sec_open},     {"stat", sec_stat},   {"statx", sec_statx}, {"statfs", sec_statfs},
        {"access", sec_access}, {"link", sec_link},   {"xattr", sec_xattr}, {"dirent", sec_dirent},
        {"times", sec_times},   {"mknod", sec_mknod}, {"mount", sec_mount}, {"misc", sec_misc},
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
