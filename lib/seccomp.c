/* SPDX-License-Identifier: MIT */
/*
 * The seccomp-bpf filter that makes only traced syscalls stop the tracee:
 * SECCOMP_RET_TRACE with ptk's data for the syscalls in the set (and for
 * every syscall of another ABI: int 0x80, x32), SECCOMP_RET_ALLOW for the
 * rest.  The filter is built in the parent with libseccomp and exported as
 * raw BPF, so the forked child only has to call prctl().
 */
#include "internal.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

int seccomp_prog_build(const uint8_t *set, size_t nr, struct sock_fprog *ret)
{
	int r, fd = -1;
	memset(ret, 0, sizeof *ret);
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	uint32_t trace = SCMP_ACT_TRACE(PTK_SECCOMP_DATA);
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, trace);
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; r == 0 && i < nr; i++)
		if (set[i / 8] & (1u << (i % 8))) {
			r = seccomp_rule_add(ctx, trace, (int)i, 0);
			if (r == -EINVAL || r == -EDOM || r == -EFAULT)
				r = 0; /* a number this libseccomp does not know: never stops */
		}
	if (r < 0)
		goto out;
	fd = memfd_create("ptk-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		goto out;
	off_t len = lseek(fd, 0, SEEK_END);
	if (len <= 0 || len % (off_t)sizeof(struct sock_filter) || len > 65536 * 8) {
		r = -EINVAL;
		goto out;
	}
	struct sock_filter *f = malloc((size_t)len);
	if (!f) {
		r = -ENOMEM;
		goto out;
	}
	if (pread(fd, f, (size_t)len, 0) != len) {
		free(f);
		r = -EIO;
		goto out;
	}
	ret->filter = f;
	ret->len = (unsigned short)(len / (off_t)sizeof *f);
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return r;
}

void seccomp_prog_free(struct sock_fprog *p)
{
	free(p->filter);
	p->filter = NULL;
	p->len = 0;
}

bool ptk_seccomp_supported(void)
{
	uint32_t action = SECCOMP_RET_TRACE;
	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}
