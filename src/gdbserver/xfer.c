/* SPDX-License-Identifier: MIT */
/*
 * qXfer objects and vFile (the GDB manual, "qXfer" and "Host I/O Packets").
 *
 *   qXfer:features:read:target.xml   the register description (tdesc.c)
 *   qXfer:auxv:read                  /proc/PID/auxv as it is
 *   qXfer:threads:read               <threads> with id, core and name
 *   qXfer:libraries-svr4:read        the dynamic loader's link_map list (ptk_solibs_read)
 *   qXfer:exec-file:read:PID         the /proc/PID/exe link
 *   qXfer:siginfo:read               the siginfo of the current thread's signal stop
 *
 * A document is read in chunks (`m` more, `l` last, binary-escaped); it is built when
 * offset 0 is asked for and kept for the following chunks of the same object.
 *
 * vFile gives the client the server's files (gdb reads the program and its libraries
 * this way unless `set sysroot` says otherwise).  The handles it sees are indexes into a
 * small table, never the server's own descriptors.  Flags, modes, errno values and the
 * stat layout are the protocol's ("File-I/O Remote Protocol Extension"); the values of
 * errno that differ from Linux's are mapped.  setfs is accepted and paths are opened in
 * the server's own mount namespace, which is the program's unless it was started in a
 * container.
 */
#include "gs.h"
#include "tdesc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char out[RSP_PAYLOAD_MAX];

/* ------------------------------------------------------------------------------------- */
/* Building documents                                                                    */

struct doc {
	char *p;
	size_t len, cap;
	bool failed;
};

static void doc_put(struct doc *d, const void *s, size_t n)
{
	if (d->failed)
		return;
	/* Room for n bytes and a NUL (len < cap once allocated; both 0 before). */
	if (n >= d->cap - d->len) {
		size_t ncap = (d->cap + n + 1) * 2;
		char *np = realloc(d->p, ncap);
		if (!np) {
			d->failed = true;
			return;
		}
		d->p = np;
		d->cap = ncap;
	}
	memcpy(d->p + d->len, s, n);
	d->len += n;
	d->p[d->len] = 0;
}

static void doc_puts(struct doc *d, const char *s)
{
	doc_put(d, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void doc_printf(struct doc *d, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		d->failed = true;
		return;
	}
	doc_put(d, tmp, (size_t)n);
}

/* Text as XML attribute content. */
static void doc_xml(struct doc *d, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			doc_puts(d, "&amp;");
			break;
		case '<':
			doc_puts(d, "&lt;");
			break;
		case '>':
			doc_puts(d, "&gt;");
			break;
		case '"':
			doc_puts(d, "&quot;");
			break;
		case '\'':
			doc_puts(d, "&apos;");
			break;
		default:
			if ((unsigned char)*s >= 0x20)
				doc_put(d, s, 1);
		}
	}
}

static void doc_tid(struct gs *g, struct doc *d, pid_t pid, pid_t tid)
{
	char mem[48];
	struct rsp_buf b;

	rsp_buf_init(&b, mem, sizeof mem);
	gs_put_tid(g, &b, pid, tid);
	doc_put(d, b.data, b.len);
}

static int threads_doc(struct gs *g, struct doc *d)
{
	char name[64];

	doc_puts(d, "<?xml version=\"1.0\"?>\n<threads>\n");
	for (struct gs_proc *p = g->procs; p; p = p->next) {
		if (p->hidden)
			continue;
		for (struct gs_thread *t = p->threads; t; t = t->next) {
			int core = gs_thread_core(t);
			doc_puts(d, "<thread id=\"");
			doc_tid(g, d, p->pid, t->tid);
			doc_puts(d, "\"");
			if (core >= 0)
				doc_printf(d, " core=\"%d\"", core);
			gs_thread_name(p->pid, t->tid, name, sizeof name);
			if (*name) {
				doc_puts(d, " name=\"");
				doc_xml(d, name);
				doc_puts(d, "\"");
			}
			doc_puts(d, "/>\n");
		}
	}
	doc_puts(d, "</threads>\n");
	return 0;
}

static int libraries_doc(struct gs *g, struct doc *d)
{
	struct gs_proc *p = gs_cur_proc(g);
	struct ptk_solibs l;
	int r;

	if (!p)
		return -ESRCH;
	r = ptk_solibs_read(g->s, p->pid, &l);
	if (r < 0)
		return r;
	doc_puts(d, "<library-list-svr4 version=\"1.0\"");
	if (l.n > 0)
		doc_printf(d, " main-lm=\"0x%llx\"", (unsigned long long)l.v[0].lm);
	doc_puts(d, ">\n");
	/* The first entry is the executable itself (main-lm). */
	for (size_t i = 1; i < l.n; i++) {
		if (!l.v[i].name || !*l.v[i].name)
			continue;
		doc_puts(d, "<library name=\"");
		doc_xml(d, l.v[i].name);
		doc_printf(d, "\" lm=\"0x%llx\" l_addr=\"0x%llx\" l_ld=\"0x%llx\" lmid=\"0x0\"/>\n",
		           (unsigned long long)l.v[i].lm, (unsigned long long)l.v[i].l_addr,
		           (unsigned long long)l.v[i].l_ld);
	}
	doc_puts(d, "</library-list-svr4>\n");
	ptk_solibs_free(&l);
	return 0;
}

static int file_doc(struct doc *d, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int r = gs_host_read_file(path, &data, &len);

	if (r < 0)
		return r;
	doc_put(d, data, len);
	free(data);
	return 0;
}

static int pid_of_annex(struct gs *g, struct rsp_str annex, pid_t *ret)
{
	uint64_t v;
	struct gs_proc *p;

	if (annex.len == 0) {
		p = gs_cur_proc(g);
		if (!p)
			return -ESRCH;
		*ret = p->pid;
		return 0;
	}
	if (rsp_str_num(annex, &v) < 0 || v == 0 || v > INT32_MAX)
		return -EINVAL;
	*ret = (pid_t)v;
	return 0;
}

/* Build the document of object:annex into d; -ENOENT for an object we do not offer. */
static int build(struct gs *g, struct rsp_str obj, struct rsp_str annex, struct doc *d)
{
	char path[64];
	pid_t pid = 0;
	int r;

	if (rsp_str_eq(obj, "features")) {
		size_t len = 0;
		char *x;
		if (!rsp_str_eq(annex, "target.xml"))
			return -ENOENT;
		x = gs_tdesc_xml(&g->layout, &len);
		if (!x)
			return -ENOMEM;
		doc_put(d, x, len);
		free(x);
		return 0;
	}
	if (rsp_str_eq(obj, "threads"))
		return threads_doc(g, d);
	if (rsp_str_eq(obj, "libraries-svr4"))
		return libraries_doc(g, d);
	if (rsp_str_eq(obj, "auxv") || rsp_str_eq(obj, "exec-file")) {
		bool auxv = rsp_str_eq(obj, "auxv");
		r = pid_of_annex(g, auxv ? (struct rsp_str){annex.p, 0} : annex, &pid);
		if (r < 0)
			return r;
		snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, auxv ? "auxv" : "exe");
		if (auxv)
			return file_doc(d, path);
		char target[4096];
		r = gs_host_readlink(path, target, sizeof target);
		if (r < 0)
			return r;
		doc_put(d, target, (size_t)r);
		return 0;
	}
	if (rsp_str_eq(obj, "siginfo")) {
		struct gs_thread *t = gs_cur_thread(g);
		if (!t || t->running || !t->have_si)
			return -ENODATA;
		doc_put(d, &t->si, sizeof t->si);
		return 0;
	}
	return -ENOENT;
}

void gs_pkt_qxfer(struct gs *g, struct rsp_scan *sc)
{
	struct rsp_str obj, op, annex, rest;
	struct rsp_scan s2;
	uint64_t off, len;
	char key[sizeof g->xdoc_key];
	struct rsp_buf b;
	int r;

	if (!rsp_scan_item(sc, ':', &obj) || !rsp_scan_item(sc, ':', &op) ||
	    !rsp_scan_item(sc, ':', &annex)) {
		gs_send_error(g, EINVAL);
		return;
	}
	rest = rsp_scan_rest(sc);
	rsp_scan_init_str(&s2, rest);
	if (!rsp_str_eq(op, "read")) {
		gs_send_str(g, ""); /* no writable objects */
		return;
	}
	if (rsp_scan_addr_len(&s2, &off, &len) < 0 || !rsp_scan_eof(&s2)) {
		gs_send_error(g, EINVAL);
		return;
	}
	snprintf(key, sizeof key, "%.*s:%.*s", (int)(obj.len > 40 ? 40 : obj.len), obj.p,
	         (int)(annex.len > 40 ? 40 : annex.len), annex.p);
	if (off == 0 || !g->xdoc || strcmp(key, g->xdoc_key) != 0) {
		struct doc d = {0};
		r = build(g, obj, annex, &d);
		if (r == 0 && d.failed)
			r = -ENOMEM;
		if (r < 0) {
			free(d.p);
			if (r == -ENOENT && !rsp_str_eq(obj, "features"))
				gs_send_str(g, "");
			else
				gs_send_error(g, -r);
			return;
		}
		free(g->xdoc);
		g->xdoc = d.p;
		g->xdoc_len = d.len;
		snprintf(g->xdoc_key, sizeof g->xdoc_key, "%s", key);
	}
	if (off >= g->xdoc_len) {
		gs_send_str(g, "l");
		return;
	}
	size_t left = g->xdoc_len - (size_t)off;
	size_t want = len < left ? (size_t)len : left;
	rsp_buf_init(&b, out, sizeof out);
	rsp_buf_putc(&b, 'm');
	size_t put = rsp_buf_put_binary_some(&b, g->xdoc + off, want);
	if (put == left)
		b.data[0] = 'l';
	gs_send(g, b.data, b.len);
}

/* ------------------------------------------------------------------------------------- */
/* vFile                                                                                 */

static int fileio_errno(int e)
{
	switch (e) {
	case EPERM:
	case ENOENT:
	case EINTR:
	case EBADF:
	case EACCES:
	case EFAULT:
	case EBUSY:
	case EEXIST:
	case ENODEV:
	case ENOTDIR:
	case EISDIR:
	case EINVAL:
	case ENFILE:
	case EMFILE:
	case EFBIG:
	case ENOSPC:
	case ESPIPE:
	case EROFS:
		return e; /* the same numbers as Linux */
	case ENAMETOOLONG:
		return 91;
	default:
		return 9999;
	}
}

static void vfile_error(struct gs *g, int err)
{
	char m[32];

	snprintf(m, sizeof m, "F-1,%x", fileio_errno(err < 0 ? -err : err));
	gs_send_str(g, m);
}

static void vfile_result(struct gs *g, long v)
{
	char m[32];

	snprintf(m, sizeof m, "F%lx", v);
	gs_send_str(g, m);
}

/* A hex-encoded path argument into buf (NUL-terminated). */
static int scan_path(struct rsp_scan *sc, char *buf, size_t cap)
{
	size_t n = 0;

	if (rsp_scan_hex_bytes(sc, buf, cap - 1, &n) < 0 || n == 0)
		return -EINVAL;
	buf[n] = 0;
	if (strlen(buf) != n)
		return -EINVAL;
	return 0;
}

static int vfd_get(struct gs *g, uint64_t h)
{
	return h < GS_MAX_VFD && g->vfd[h] >= 0 ? g->vfd[h] : -1;
}

static void vfile_open(struct gs *g, struct rsp_scan *sc)
{
	char path[4096];
	uint64_t fl, mode;
	int flags = 0, fd, h;

	if (scan_path(sc, path, sizeof path) < 0 || !rsp_scan_lit(sc, ",") ||
	    rsp_scan_num(sc, &fl) < 0 || !rsp_scan_lit(sc, ",") || rsp_scan_num(sc, &mode) < 0) {
		vfile_error(g, EINVAL);
		return;
	}
	switch (fl & 3) {
	case 0:
		flags = O_RDONLY;
		break;
	case 1:
		flags = O_WRONLY;
		break;
	case 2:
		flags = O_RDWR;
		break;
	default:
		vfile_error(g, EINVAL);
		return;
	}
	flags |= (fl & 0x8 ? O_APPEND : 0) | (fl & 0x200 ? O_CREAT : 0) |
	         (fl & 0x400 ? O_TRUNC : 0) | (fl & 0x800 ? O_EXCL : 0);
	for (h = 0; h < GS_MAX_VFD && g->vfd[h] >= 0; h++)
		;
	if (h == GS_MAX_VFD) {
		vfile_error(g, EMFILE);
		return;
	}
	fd = gs_host_open(path, flags | O_CLOEXEC, (int)(mode & 0777));
	if (fd < 0) {
		vfile_error(g, fd);
		return;
	}
	g->vfd[h] = fd;
	vfile_result(g, h);
}

/* F<n>;<escaped bytes> with as many of the n bytes as fit in one packet. */
static void vfile_data(struct gs *g, const void *p, size_t n)
{
	enum { HEAD_MAX = 20 }; /* "F" + 16 hex digits + ";" */
	struct rsp_buf b;
	char head[32];
	size_t put;
	int hl;

	rsp_buf_init(&b, out + HEAD_MAX, sizeof out - HEAD_MAX);
	put = rsp_buf_put_binary_some(&b, p, n);
	hl = snprintf(head, sizeof head, "F%zx;", put);
	memmove(out + hl, out + HEAD_MAX, b.len);
	memcpy(out, head, (size_t)hl);
	gs_send(g, out, (size_t)hl + b.len);
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

void gs_pkt_vfile(struct gs *g, struct rsp_scan *sc)
{
	static uint8_t buf[RSP_PAYLOAD_MAX];
	uint64_t h, a, b2;
	long n;
	int fd;

	if (rsp_scan_lit(sc, "setfs:")) {
		if (rsp_scan_num(sc, &a) < 0) {
			vfile_error(g, EINVAL);
			return;
		}
		g->fs_pid = (pid_t)a;
		vfile_result(g, 0);
	} else if (rsp_scan_lit(sc, "open:")) {
		vfile_open(g, sc);
	} else if (rsp_scan_lit(sc, "close:")) {
		if (rsp_scan_num(sc, &h) < 0 || (fd = vfd_get(g, h)) < 0) {
			vfile_error(g, EBADF);
			return;
		}
		gs_host_close(fd);
		g->vfd[h] = -1;
		vfile_result(g, 0);
	} else if (rsp_scan_lit(sc, "pread:")) {
		if (rsp_scan_num(sc, &h) < 0 || !rsp_scan_lit(sc, ",") ||
		    rsp_scan_num(sc, &a) < 0 || !rsp_scan_lit(sc, ",") ||
		    rsp_scan_num(sc, &b2) < 0) {
			vfile_error(g, EINVAL);
			return;
		}
		if ((fd = vfd_get(g, h)) < 0) {
			vfile_error(g, EBADF);
			return;
		}
		n = gs_host_pread(fd, buf, a < sizeof buf ? (size_t)a : sizeof buf, b2);
		if (n < 0)
			vfile_error(g, (int)n);
		else
			vfile_data(g, buf, (size_t)n);
	} else if (rsp_scan_lit(sc, "pwrite:")) {
		size_t len = 0;
		if (rsp_scan_num(sc, &h) < 0 || !rsp_scan_lit(sc, ",") ||
		    rsp_scan_num(sc, &a) < 0 || !rsp_scan_lit(sc, ",") ||
		    rsp_scan_binary(sc, buf, sizeof buf, &len) < 0) {
			vfile_error(g, EINVAL);
			return;
		}
		if ((fd = vfd_get(g, h)) < 0) {
			vfile_error(g, EBADF);
			return;
		}
		n = gs_host_pwrite(fd, buf, len, a);
		if (n < 0)
			vfile_error(g, (int)n);
		else
			vfile_result(g, n);
	} else if (rsp_scan_lit(sc, "fstat:")) {
		struct stat st;
		uint8_t s[64];
		if (rsp_scan_num(sc, &h) < 0 || (fd = vfd_get(g, h)) < 0) {
			vfile_error(g, EBADF);
			return;
		}
		int r = gs_host_fstat(fd, &st);
		if (r < 0) {
			vfile_error(g, r);
			return;
		}
		put_be(s + 0, st.st_dev, 4);
		put_be(s + 4, st.st_ino, 4);
		put_be(s + 8, st.st_mode, 4);
		put_be(s + 12, st.st_nlink, 4);
		put_be(s + 16, st.st_uid, 4);
		put_be(s + 20, st.st_gid, 4);
		put_be(s + 24, st.st_rdev, 4);
		put_be(s + 28, (uint64_t)st.st_size, 8);
		put_be(s + 36, (uint64_t)st.st_blksize, 8);
		put_be(s + 44, (uint64_t)st.st_blocks, 8);
		put_be(s + 52, (uint64_t)st.st_atime, 4);
		put_be(s + 56, (uint64_t)st.st_mtime, 4);
		put_be(s + 60, (uint64_t)st.st_ctime, 4);
		char head[32];
		struct rsp_buf rb;
		snprintf(head, sizeof head, "F%zx;", sizeof s);
		rsp_buf_init(&rb, out, sizeof out);
		rsp_buf_puts(&rb, head);
		rsp_buf_put_binary(&rb, s, sizeof s);
		gs_send(g, rb.data, rb.len);
	} else if (rsp_scan_lit(sc, "unlink:")) {
		char path[4096];
		if (scan_path(sc, path, sizeof path) < 0) {
			vfile_error(g, EINVAL);
			return;
		}
		int r = gs_host_unlink(path);
		if (r < 0)
			vfile_error(g, r);
		else
			vfile_result(g, 0);
	} else if (rsp_scan_lit(sc, "readlink:")) {
		char path[4096], target[4096];
		if (scan_path(sc, path, sizeof path) < 0) {
			vfile_error(g, EINVAL);
			return;
		}
		int r = gs_host_readlink(path, target, sizeof target);
		if (r < 0)
			vfile_error(g, r);
		else
			vfile_data(g, target, (size_t)r);
	} else {
		gs_send_str(g, "");
	}
}

void gs_vfile_close_all(struct gs *g)
{
	for (int i = 0; i < GS_MAX_VFD; i++)
		if (g->vfd[i] >= 0) {
			gs_host_close(g->vfd[i]);
			g->vfd[i] = -1;
		}
}
