/* SPDX-License-Identifier: MIT */
/*
 * Tracee memory: process_vm_readv/writev (one call for any range), then
 * /proc/PID/mem (which also writes read-only text, through FOLL_FORCE),
 * then PTRACE_PEEKDATA/POKEDATA a word at a time.
 *
 * process_vm_readv honours page protections as the tracee would, so a
 * read that runs into an unmapped or PROT_NONE page returns the readable
 * prefix: that is what a string argument at the edge of a mapping holds.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096u

void mem_close(struct proc *p)
{
	if (p->memfd >= 0)
		close(p->memfd);
	p->memfd = -1;
}

/*
 * The /proc/PID/mem of the process tid belongs to, kept open per process
 * (and reopened after exec, see mem_close()).  *owned tells the caller to
 * close a one-off descriptor (tid is not a tracee).
 */
static int memfd(struct ptk_session *s, pid_t tid, bool *owned)
{
	struct tracee *t = tracee_find(s, tid);
	char path[64];
	*owned = !t;
	if (!t) {
		snprintf(path, sizeof path, "/proc/%d/mem", tid);
		return open(path, O_RDWR | O_CLOEXEC);
	}
	struct proc *p = t->proc;
	if (p->memfd < 0) {
		snprintf(path, sizeof path, "/proc/%d/mem", p->pid);
		p->memfd = open(path, O_RDWR | O_CLOEXEC);
		if (p->memfd < 0) {
			snprintf(path, sizeof path, "/proc/%d/mem", tid);
			p->memfd = open(path, O_RDWR | O_CLOEXEC);
		}
	}
	return p->memfd;
}

static int peek_read(struct ptk_session *s, pid_t tid, uint64_t addr, uint8_t *buf, size_t len,
                     size_t *ret_n)
{
	size_t n = 0;
	while (n < len) {
		uint64_t a = (addr + n) & ~7ull, w;
		int r = pt_peek(s, PTRACE_PEEKDATA, tid, a, &w);
		if (r < 0) {
			*ret_n = n;
			return n ? -EFAULT : (r == -EIO ? -EFAULT : r);
		}
		size_t off = (addr + n) - a, k = 8 - off;
		if (k > len - n)
			k = len - n;
		memcpy(buf + n, (uint8_t *)&w + off, k);
		n += k;
	}
	*ret_n = n;
	return 0;
}

static int proc_mem_read(struct ptk_session *s, pid_t tid, uint64_t addr, void *buf, size_t len,
                         size_t *ret_n)
{
	bool owned;
	int fd = s->flags & PTK_MEM_VIA_PEEK ? -1 : memfd(s, tid, &owned);
	if (fd < 0)
		return peek_read(s, tid, addr, buf, len, ret_n);
	size_t n = 0;
	int err = 0;
	while (n < len) {
		ssize_t r = pread(fd, (uint8_t *)buf + n, len - n, (off_t)(addr + n));
		if (r > 0) {
			n += (size_t)r;
			continue;
		}
		err = r == 0 ? EIO : errno;
		if (err == EINTR)
			continue;
		break;
	}
	if (owned)
		close(fd);
	s->st.proc_reads++;
	*ret_n = n;
	if (n == len)
		return 0;
	return (err == EIO || err == EFAULT) ? -EFAULT : -err;
}

static int mem_read(struct ptk_session *s, pid_t tid, uint64_t addr, void *buf, size_t len,
                    size_t *ret_n);

int ptk_mem_read(struct ptk_session *s, pid_t tid, uint64_t addr, void *buf, size_t len,
                 size_t *ret_n)
{
	size_t dummy;
	if (!ret_n)
		ret_n = &dummy;
	int r = mem_read(s, tid, addr, buf, len, ret_n);
	struct tracee *t = tracee_find(s, tid);
	if (t && mm_of(t->proc)->bps)
		bp_hide(t->proc, addr, buf, *ret_n);
	return r;
}

static int mem_read(struct ptk_session *s, pid_t tid, uint64_t addr, void *buf, size_t len,
                    size_t *ret_n)
{
	*ret_n = 0;
	if (len == 0)
		return 0;
	if (!s->vm_rw_broken) {
		struct iovec l = {buf, len}, r = {(void *)(uintptr_t)addr, len};
		ssize_t n = process_vm_readv(tid, &l, 1, &r, 1, 0);
		s->st.vm_reads++;
		if (n == (ssize_t)len) {
			*ret_n = len;
			return 0;
		}
		if (n >= 0) {
			*ret_n = (size_t)n;
			return -EFAULT;
		}
		if (errno == EFAULT)
			return -EFAULT;
		if (errno == ESRCH)
			return -ESRCH;
		if (errno == ENOSYS || errno == EPERM)
			s->vm_rw_broken = true;
	}
	return proc_mem_read(s, tid, addr, buf, len, ret_n);
}

int ptk_mem_read_str(struct ptk_session *s, pid_t tid, uint64_t addr, char *buf, size_t max,
                     size_t *ret_len)
{
	size_t n = 0, dummy;
	if (!ret_len)
		ret_len = &dummy;
	buf[0] = 0;
	*ret_len = 0;
	while (n < max) {
		/* Never cross a page in one read: the next page may not exist. */
		uint64_t a = addr + n;
		size_t chunk = PAGE - (size_t)(a % PAGE);
		if (chunk > max - n)
			chunk = max - n;
		size_t got = 0;
		int r = ptk_mem_read(s, tid, a, buf + n, chunk, &got);
		void *nul = memchr(buf + n, 0, got);
		if (nul) {
			*ret_len = (size_t)((char *)nul - buf);
			return 0;
		}
		n += got;
		buf[n] = 0;
		*ret_len = n;
		if (r < 0)
			return r;
	}
	buf[n] = 0;
	*ret_len = n;
	return 1;
}

static int poke_write(struct ptk_session *s, pid_t tid, uint64_t addr, const uint8_t *buf,
                      size_t len, size_t *ret_n)
{
	size_t n = 0;
	while (n < len) {
		uint64_t a = (addr + n) & ~7ull, w;
		size_t off = (addr + n) - a, k = 8 - off;
		if (k > len - n)
			k = len - n;
		int r = 0;
		if (off || k < 8)
			r = pt_peek(s, PTRACE_PEEKDATA, tid, a, &w);
		if (r == 0) {
			memcpy((uint8_t *)&w + off, buf + n, k);
			long pr = pt(s, PTRACE_POKEDATA, tid, a, w);
			r = pr < 0 ? (int)pr : 0;
		}
		if (r < 0) {
			*ret_n = n;
			return r == -EIO ? -EFAULT : r;
		}
		n += k;
	}
	*ret_n = n;
	return 0;
}

static int proc_mem_write(struct ptk_session *s, pid_t tid, uint64_t addr, const void *buf,
                          size_t len, size_t *ret_n)
{
	bool owned;
	int fd = s->flags & PTK_MEM_VIA_PEEK ? -1 : memfd(s, tid, &owned);
	if (fd < 0)
		return poke_write(s, tid, addr, buf, len, ret_n);
	size_t n = 0;
	int err = 0;
	while (n < len) {
		ssize_t r = pwrite(fd, (const uint8_t *)buf + n, len - n, (off_t)(addr + n));
		if (r > 0) {
			n += (size_t)r;
			continue;
		}
		err = r == 0 ? EIO : errno;
		if (err == EINTR)
			continue;
		break;
	}
	if (owned)
		close(fd);
	s->st.vm_writes++;
	*ret_n = n;
	if (n == len)
		return 0;
	if (err == EPERM || err == EACCES) {
		/* /proc/pid/mem writes refused: try the ptrace way. */
		size_t m = 0;
		int r = poke_write(s, tid, addr + n, (const uint8_t *)buf + n, len - n, &m);
		*ret_n = n + m;
		return r;
	}
	return (err == EIO || err == EFAULT) ? -EFAULT : -err;
}

int mem_poke_text(struct ptk_session *s, struct proc *p, uint64_t addr, const void *buf, size_t len)
{
	size_t n;
	pid_t tid = p->threads ? p->threads->tid : p->pid;
	return proc_mem_write(s, tid, addr, buf, len, &n);
}

static int mem_write(struct ptk_session *s, pid_t tid, uint64_t addr, const void *buf, size_t len,
                     size_t *ret_n);

int ptk_mem_write(struct ptk_session *s, pid_t tid, uint64_t addr, const void *buf, size_t len,
                  size_t *ret_n)
{
	size_t dummy;
	if (!ret_n)
		ret_n = &dummy;
	int r = mem_write(s, tid, addr, buf, len, ret_n);
	struct tracee *t = tracee_find(s, tid);
	if (t && mm_of(t->proc)->bps)
		bp_rewrite(s, t->proc, addr, buf, *ret_n);
	return r;
}

static int mem_write(struct ptk_session *s, pid_t tid, uint64_t addr, const void *buf, size_t len,
                     size_t *ret_n)
{
	size_t n = 0;
	*ret_n = 0;
	if (len == 0)
		return 0;
	if (!s->vm_rw_broken) {
		struct iovec l = {(void *)buf, len}, r = {(void *)(uintptr_t)addr, len};
		ssize_t w = process_vm_writev(tid, &l, 1, &r, 1, 0);
		s->st.vm_writes++;
		if (w == (ssize_t)len) {
			*ret_n = len;
			return 0;
		}
		if (w < 0 && errno == ESRCH)
			return -ESRCH;
		if (w < 0 && (errno == ENOSYS || errno == EPERM))
			s->vm_rw_broken = true;
		if (w > 0)
			n = (size_t)w;
	}
	/* Read-only pages (text) and the rest of a partial write. */
	size_t m = 0;
	int r = proc_mem_write(s, tid, addr + n, (const uint8_t *)buf + n, len - n, &m);
	*ret_n = n + m;
	return r;
}
