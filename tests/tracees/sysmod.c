/* SPDX-License-Identifier: MIT */
/*
 * Hard case: system calls a tracer changes or skips (raw syscalls, so
 * the numbers are exact).
 *
 *	sysmod [DIR]	(default /tmp/ptk-sysmod-PID)
 *
 *	write(/dev/null, "hello", 5)	printed as write1=RET
 *	write(/dev/null, "hello", 5)	printed as write2=RET
 *	mkdir(DIR, 0700) (nr 83)	printed as mkdir=RET ERRNO, then
 *					whether DIR exists; DIR is removed
 * Untraced output:
 *	write1=5
 *	write2=5
 *	mkdir=0 0 exists=1
 * A tracer that sets the return of the first write at its exit stop, the
 * count argument of the second at its enter stop, or skips mkdir with
 * nr -1 and a return value of -EPERM changes those lines ("write1=2",
 * "write2=3", "mkdir=-1 EPERM exists=0").
 */
#include "tracee.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	char dflt[64];
	snprintf(dflt, sizeof dflt, "/tmp/ptk-sysmod-%d", getpid());
	const char *dir = argc > 1 ? argv[1] : dflt;
	int null = open("/dev/null", O_WRONLY);
	if (null < 0)
		die("open");
	say("write1=%ld\n", syscall(SYS_write, null, "hello", 5));
	say("write2=%ld\n", syscall(SYS_write, null, "hello", 5));
	long r = syscall(SYS_mkdir, dir, 0700);
	int err = r < 0 ? errno : 0;
	struct stat st;
	int exists = stat(dir, &st) == 0;
	say("mkdir=%ld %s exists=%d\n", r, errname(err), exists);
	if (exists)
		rmdir(dir);
	return 0;
}
