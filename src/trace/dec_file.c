/* SPDX-License-Identifier: MIT */
/*
 * The file family: open and its mode, the stat, statx and statfs structs,
 * directory entries, timestamps of utimensat, mknod's device and mount, in
 * strace 6.1's text (observed, see tests/trace/test_decode_file.py).
 * Struct layouts are the x86_64 UAPI's (asm/stat.h, linux/stat.h,
 * asm-generic/statfs.h, linux/dirent.h, linux/openat2.h); an i386 tracee
 * gets the address where its layout differs.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#define O_CREAT_   0100
#define O_TMPFILE_ 020200000
#define S_IFMT_    0170000
#define S_IFCHR_   0020000
#define S_IFBLK_   0060000

static bool x86_64(const struct dctx *d)
{
	return d->arch != PTK_ARCH_I386;
}

/* ---- open, openat, openat2, creat ---- */

/* The mode argument exists only when the flags create a file. */
static bool creates(uint64_t flags)
{
	return (flags & O_CREAT_) || (flags & O_TMPFILE_) == O_TMPFILE_;
}

static int open_rest(struct dctx *d, int path)
{
	uint64_t flags = (uint32_t)arg_u(d, path + 1);
	arg_next(d);
	p_path(d, arg_u(d, path));
	arg_next(d);
	p_flags(d, &ptk_xlat_open, flags);
	if (creates(flags)) {
		arg_next(d);
		p_mode(d, arg_u(d, path + 2) & 07777);
	}
	return DEC_DONE;
}

static int dec_open(struct dctx *d)
{
	return open_rest(d, 0);
}

static int dec_openat(struct dctx *d)
{
	arg_next(d);
	p_dirfd(d, arg_i(d, 0));
	return open_rest(d, 1);
}

/* struct open_how (linux/openat2.h): {flags=O_..., [mode=0644, ]resolve=...}. */
static void pr_open_how(struct dctx *d, uint64_t addr, uint64_t size)
{
	uint64_t how[3];
	if (size < sizeof how || !mem_get(d, addr, how, sizeof how)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{flags=");
	p_flags(d, &ptk_xlat_open, how[0]);
	if (creates(how[0]) || how[1]) {
		db_puts(d->out, ", mode=");
		p_mode(d, how[1]);
	}
	db_puts(d->out, ", resolve=");
	p_flags(d, &ptk_xlat_resolve, how[2]);
	db_putc(d->out, '}');
}

/* ---- mknod: the device only for character and block devices ---- */

static int mknod_rest(struct dctx *d, int path)
{
	uint64_t mode = (uint32_t)arg_u(d, path + 1);
	arg_next(d);
	p_path(d, arg_u(d, path));
	arg_next(d);
	p_fmode(d, mode);
	if ((mode & S_IFMT_) == S_IFCHR_ || (mode & S_IFMT_) == S_IFBLK_) {
		arg_next(d);
		p_dev(d, (uint32_t)arg_u(d, path + 2));
	}
	return DEC_DONE;
}

static int dec_mknod(struct dctx *d)
{
	return mknod_rest(d, 0);
}

static int dec_mknodat(struct dctx *d)
{
	arg_next(d);
	p_dirfd(d, arg_i(d, 0));
	return mknod_rest(d, 1);
}

/* ---- mount(source, target, fstype, flags, data) ---- */

#define MS_MGC_MSK_ 0xffff0000u
#define MS_MGC_VAL_ 0xc0ed0000u

static int dec_mount(struct dctx *d)
{
	uint64_t flags = arg_u(d, 3);
	/* The source is a path (not cut at -s), the type a string. */
	arg_next(d);
	p_path(d, arg_u(d, 0));
	arg_next(d);
	p_path(d, arg_u(d, 1));
	arg_next(d);
	p_str(d, arg_u(d, 2), d->t->o.strsize);
	arg_next(d);
	/* The magic number old programs put in the high half. */
	if ((flags & MS_MGC_MSK_) == MS_MGC_VAL_) {
		db_puts(d->out, "MS_MGC_VAL");
		flags &= ~(uint64_t)MS_MGC_MSK_;
		if (flags) {
			db_putc(d->out, '|');
			p_flags(d, &ptk_xlat_mount, flags);
		}
	} else {
		p_flags(d, &ptk_xlat_mount, flags);
	}
	arg_next(d);
	p_str(d, arg_u(d, 4), d->t->o.strsize);
	return DEC_DONE;
}

/* ---- struct stat (asm/stat.h, x86_64: 144 bytes) ---- */

struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
	int64_t unused[3];
};

static bool is_dev(uint64_t mode)
{
	return (mode & S_IFMT_) == S_IFCHR_ || (mode & S_IFMT_) == S_IFBLK_;
}

/* "st_atime=1577934245 / * 2020-...+0000 * /, st_atime_nsec=0" */
static void stat_time(struct dctx *d, const char *name, uint64_t sec, uint64_t nsec)
{
	db_printf(d->out, ", %s=%lld", name, (long long)sec);
	fmt_time_comment(d->out, (int64_t)sec, nsec, 9);
	db_printf(d->out, ", %s_nsec=%llu", name, (unsigned long long)nsec);
}

static void pr_stat(struct dctx *d, uint64_t addr, uint64_t size)
{
	struct kstat st;
	if (!x86_64(d) || !mem_get(d, addr, &st, sizeof st)) {
		p_ptr(d, addr);
		return;
	}
	if (!d->t->o.verbose) {
		db_puts(d->out, "{st_mode=");
		p_fmode(d, st.mode);
		if (is_dev(st.mode)) {
			db_puts(d->out, ", st_rdev=");
			p_dev(d, st.rdev);
		} else {
			db_printf(d->out, ", st_size=%lld", (long long)st.size);
		}
		db_puts(d->out, ", ...}");
		return;
	}
	db_puts(d->out, "{st_dev=");
	p_dev(d, st.dev);
	db_printf(d->out, ", st_ino=%llu, st_mode=", (unsigned long long)st.ino);
	p_fmode(d, st.mode);
	db_printf(d->out, ", st_nlink=%llu, st_uid=%u, st_gid=%u, st_blksize=%lld, st_blocks=%lld",
	          (unsigned long long)st.nlink, st.uid, st.gid, (long long)st.blksize,
	          (long long)st.blocks);
	if (is_dev(st.mode)) {
		db_puts(d->out, ", st_rdev=");
		p_dev(d, st.rdev);
	} else {
		db_printf(d->out, ", st_size=%lld", (long long)st.size);
	}
	stat_time(d, "st_atime", st.atime, st.atime_nsec);
	stat_time(d, "st_mtime", st.mtime, st.mtime_nsec);
	stat_time(d, "st_ctime", st.ctime, st.ctime_nsec);
	db_putc(d->out, '}');
}

/* ---- struct statx (linux/stat.h: 256 bytes) ---- */

struct kstatx_ts {
	int64_t sec;
	uint32_t nsec;
	int32_t pad;
};

struct kstatx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct kstatx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint32_t dio_mem_align, dio_offset_align;
	uint64_t spare[12];
};

#define STATX_ATIME_  0x20u
#define STATX_MTIME_  0x40u
#define STATX_CTIME_  0x80u
#define STATX_BTIME_  0x800u
#define STATX_MNT_ID_ 0x1000u

static void statx_time(struct dctx *d, const char *name, const struct kstatx_ts *ts)
{
	db_printf(d->out, ", %s={tv_sec=%lld, tv_nsec=%u}", name, (long long)ts->sec, ts->nsec);
	fmt_time_comment(d->out, ts->sec, ts->nsec, 9);
}

static void pr_statx(struct dctx *d, uint64_t addr, uint64_t size)
{
	struct kstatx sx;
	_Static_assert(sizeof sx == 256, "struct statx is 256 bytes");
	if (!mem_get(d, addr, &sx, sizeof sx)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{stx_mask=");
	p_flags(d, &ptk_xlat_statx_mask, sx.mask);
	if (!d->t->o.verbose) {
		db_puts(d->out, ", stx_attributes=");
		p_flags(d, &ptk_xlat_statx_attrs, sx.attributes);
		db_puts(d->out, ", stx_mode=");
		p_fmode(d, sx.mode);
		db_printf(d->out, ", stx_size=%llu, ...}", (unsigned long long)sx.size);
		return;
	}
	db_printf(d->out, ", stx_blksize=%u, stx_attributes=", sx.blksize);
	p_flags(d, &ptk_xlat_statx_attrs, sx.attributes);
	db_printf(d->out, ", stx_nlink=%u, stx_uid=%u, stx_gid=%u, stx_mode=", sx.nlink, sx.uid,
	          sx.gid);
	p_fmode(d, sx.mode);
	db_printf(d->out, ", stx_ino=%llu, stx_size=%llu, stx_blocks=%llu, stx_attributes_mask=",
	          (unsigned long long)sx.ino, (unsigned long long)sx.size,
	          (unsigned long long)sx.blocks);
	p_flags(d, &ptk_xlat_statx_attrs, sx.attributes_mask);
	if (sx.mask & STATX_ATIME_)
		statx_time(d, "stx_atime", &sx.atime);
	if (sx.mask & STATX_BTIME_)
		statx_time(d, "stx_btime", &sx.btime);
	if (sx.mask & STATX_CTIME_)
		statx_time(d, "stx_ctime", &sx.ctime);
	if (sx.mask & STATX_MTIME_)
		statx_time(d, "stx_mtime", &sx.mtime);
	db_printf(d->out,
	          ", stx_rdev_major=%u, stx_rdev_minor=%u, stx_dev_major=%u, stx_dev_minor=%u",
	          sx.rdev_major, sx.rdev_minor, sx.dev_major, sx.dev_minor);
	if (sx.mask & STATX_MNT_ID_) {
		db_puts(d->out, ", stx_mnt_id=");
		p_hex(d, sx.mnt_id);
	}
	db_putc(d->out, '}');
}

/* ---- struct statfs (asm-generic/statfs.h, x86_64: 120 bytes) ---- */

struct kstatfs {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};

static void pr_statfs(struct dctx *d, uint64_t addr, uint64_t size)
{
	struct kstatfs sf;
	if (!x86_64(d) || !mem_get(d, addr, &sf, sizeof sf)) {
		p_ptr(d, addr);
		return;
	}
	db_puts(d->out, "{f_type=");
	const char *magic = ptk_xlat_name(&ptk_xlat_fs_magic, (uint64_t)sf.type);
	if (magic)
		db_puts(d->out, magic);
	else
		p_hex(d, (uint64_t)sf.type);
	db_printf(d->out,
	          ", f_bsize=%lld, f_blocks=%llu, f_bfree=%llu, f_bavail=%llu, f_files=%llu, "
	          "f_ffree=%llu, f_fsid={val=[",
	          (long long)sf.bsize, (unsigned long long)sf.blocks, (unsigned long long)sf.bfree,
	          (unsigned long long)sf.bavail, (unsigned long long)sf.files,
	          (unsigned long long)sf.ffree);
	for (unsigned i = 0; i < 2; i++) {
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		p_hex(d, (uint32_t)sf.fsid[i]);
	}
	db_printf(d->out, "]}, f_namelen=%lld, f_frsize=%lld", (long long)sf.namelen,
	          (long long)sf.frsize);
	if (sf.flags) {
		db_puts(d->out, ", f_flags=");
		p_flags(d, &ptk_xlat_statfs_flags, (uint64_t)sf.flags);
	}
	db_putc(d->out, '}');
}

/* ---- directory entries: getdents64 and getdents ---- */

/*
 * The buffer the kernel filled (the return value's bytes), or the
 * address with a count of its entries: "0x... / * 3 entries * /".  With
 * -v, every entry, at most -s of them.
 */
static void dirents(struct dctx *d, uint64_t addr, bool is64)
{
	uint64_t len = d->exiting && !d->is_error && d->rval > 0 ? (uint64_t)d->rval : 0;
	if (len > 1 << 20) {
		p_ptr(d, addr);
		return;
	}
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf || (len && !mem_get(d, addr, buf, len))) {
		free(buf);
		p_ptr(d, addr);
		return;
	}
	bool verbose = d->t->o.verbose;
	size_t n = 0;
	if (verbose)
		db_putc(d->out, '[');
	for (uint64_t off = 0; off + (is64 ? 19 : 18) <= len;) {
		uint64_t ino, doff;
		uint16_t reclen;
		memcpy(&ino, buf + off, 8);
		memcpy(&doff, buf + off + 8, 8);
		memcpy(&reclen, buf + off + 16, 2);
		if (reclen == 0 || off + reclen > len)
			break;
		if (verbose) {
			if (n)
				db_puts(d->out, ", ");

			size_t name_at = is64 ? 19 : 18;
			size_t name_max = reclen > name_at ? reclen - name_at : 0;
			uint8_t type = is64 ? buf[off + 18] : buf[off + reclen - 1];
			db_printf(d->out, "{d_ino=%llu, d_off=%lld, d_reclen=%u, ",
			          (unsigned long long)ino, (long long)doff, reclen);
			if (is64) {
				db_puts(d->out, "d_type=");
				p_xlat(d, &ptk_xlat_dirent_type, type, NULL);
				db_puts(d->out, ", d_name=");
				p_quoted(d, buf + off + name_at, name_max, false, true);
			} else {
				db_puts(d->out, "d_name=");
				p_quoted(d, buf + off + name_at, name_max, false, true);
				db_puts(d->out, ", d_type=");
				p_xlat(d, &ptk_xlat_dirent_type, type, NULL);
			}
			db_putc(d->out, '}');
		}
		n++;
		off += reclen;
	}
	if (verbose)
		db_putc(d->out, ']');
	else {
		p_ptr(d, addr);
		db_printf(d->out, " /* %zu entries */", n);
	}
	free(buf);
}

static void pr_dirent64(struct dctx *d, uint64_t addr, uint64_t size)
{
	dirents(d, addr, true);
}

static void pr_dirent(struct dctx *d, uint64_t addr, uint64_t size)
{
	if (!x86_64(d)) {
		p_ptr(d, addr);
		return;
	}
	dirents(d, addr, false);
}

/* ---- utimensat, utimes, futimesat: [time, time] ---- */

#define UTIME_NOW_  ((1l << 30) - 1l)
#define UTIME_OMIT_ ((1l << 30) - 2l)

/* Two timespecs (or timevals): each with its date, or UTIME_NOW / UTIME_OMIT. */
static void utimes_pair(struct dctx *d, uint64_t addr, bool timeval)
{
	int64_t t[4];
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (!x86_64(d) || !mem_get(d, addr, t, sizeof t)) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	for (int i = 0; i < 2; i++) {
		int64_t sec = t[2 * i], frac = t[2 * i + 1];
		if (i)
			db_puts(d->out, ", ");
		if ((unsigned)i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		if (!timeval && frac == UTIME_NOW_) {
			db_puts(d->out, "UTIME_NOW");
			continue;
		}
		if (!timeval && frac == UTIME_OMIT_) {
			db_puts(d->out, "UTIME_OMIT");
			continue;
		}
		db_printf(d->out, "{tv_sec=%lld, %s=%lld}", (long long)sec,
		          timeval ? "tv_usec" : "tv_nsec", (long long)frac);
		if (frac >= 0 && frac < (timeval ? 1000000 : 1000000000))
			fmt_time_comment(d->out, sec, (uint64_t)frac, timeval ? 6 : 9);
	}
	db_putc(d->out, ']');
}

static int dec_utimensat(struct dctx *d)
{
	arg_next(d);
	p_dirfd(d, arg_i(d, 0));
	arg_next(d);
	p_path(d, arg_u(d, 1));
	arg_next(d);
	utimes_pair(d, arg_u(d, 2), false);
	arg_next(d);
	p_flags(d, &ptk_xlat_at, (uint32_t)arg_u(d, 3));
	return DEC_DONE;
}

static int dec_utimes(struct dctx *d)
{
	arg_next(d);
	p_path(d, arg_u(d, 0));
	arg_next(d);
	utimes_pair(d, arg_u(d, 1), true);
	return DEC_DONE;
}

static int dec_futimesat(struct dctx *d)
{
	arg_next(d);
	p_dirfd(d, arg_i(d, 0));
	arg_next(d);
	p_path(d, arg_u(d, 1));
	arg_next(d);
	utimes_pair(d, arg_u(d, 2), true);
	return DEC_DONE;
}

const struct decoder dec_file_syscalls[] = {
        {"open", dec_open},       {"openat", dec_openat},       {"mknod", dec_mknod},
        {"mknodat", dec_mknodat}, {"mount", dec_mount},         {"utimensat", dec_utimensat},
        {"utimes", dec_utimes},   {"futimesat", dec_futimesat}, {NULL, NULL},
};

const struct struct_decoder dec_file_structs[] = {
        {"open_how", pr_open_how, 24},
        {"stat", pr_stat, sizeof(struct kstat)},
        {"statx", pr_statx, sizeof(struct kstatx)},
        {"statfs", pr_statfs, sizeof(struct kstatfs)},
        {"dirent64", pr_dirent64, 0},
        {"dirent", pr_dirent, 0},
        {NULL, NULL, 0},
};
