#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden lines of the file family: tests/tracees/dec_file makes fixed calls
(open and its mode, stat/statx/statfs structs, access, links, xattrs,
directory entries, timestamps, mknod, mount, ...) and `ptk trace` must
print exactly these lines; where strace is installed, strace must print the
same ones (decode_golden.py).  Expected texts were observed with strace 6.1."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import main, test, tracee  # noqa: E402
import decode_golden as golden  # noqa: E402

ENOENT = '-1 ENOENT (No such file or directory)'


def case(section, want, masks=(), opts=(), keep=None):
    golden.section(lambda d: [tracee('dec_file'), d, section], want, masks=masks, opts=opts,
                   keep=keep)


@test
def file_open():
    case('open', [
        'openat(AT_FDCWD, "f1", O_WRONLY|O_CREAT|O_TRUNC, 0640) = 3',
        'close(3)                                = 0',
        'openat(AT_FDCWD, "f1", O_RDONLY)        = 3',
        'close(3)                                = 0',
        'openat(AT_FDCWD, "f1", O_RDONLY|O_NOFOLLOW|O_CLOEXEC) = 3',
        'close(3)                                = 0',
        'openat(AT_FDCWD, ".", O_RDWR|O_TMPFILE, 0600) = 3',
        'close(3)                                = 0',
        'openat(AT_FDCWD, "f1", O_RDWR|O_APPEND|O_NONBLOCK|O_SYNC|O_NOATIME) = 3',
        'close(3)                                = 0',
        'openat(AT_FDCWD, "f1", O_RDONLY|0x80000000) = 3',
        'close(3)                                = 0',
        'openat(AT_FDCWD, "missing", O_RDONLY)   = ' + ENOENT,
        'openat(AT_FDCWD, "newdir/x", O_WRONLY|O_CREAT|O_EXCL, 000) = ' + ENOENT,
        'openat2(AT_FDCWD, "f1", {flags=O_RDONLY|O_CLOEXEC, '
        'resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24) = 3',
        'close(3)                                = 0',
        'openat2(AT_FDCWD, "f2", {flags=O_WRONLY|O_CREAT, mode=0644, resolve=0}, 24) = 3',
        'close(3)                                = 0',
        'creat("f3", 0600)                       = 3',
    ])


@test
def file_stat():
    case('stat', [
        'newfstatat(AT_FDCWD, "s1", {st_mode=S_IFREG|0644, st_size=10, ...}, 0) = 0',
        'newfstatat(AT_FDCWD, "su", {st_mode=S_IFREG|S_ISUID|S_ISGID|S_ISVTX|0755, st_size=0, '
        '...}, AT_SYMLINK_NOFOLLOW) = 0',
        'newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=10, ...}, AT_EMPTY_PATH) = 0',
        'newfstatat(AT_FDCWD, "s1", {st_mode=S_IFREG|0644, st_size=10, ...}, '
        'AT_SYMLINK_NOFOLLOW) = 0',
        'newfstatat(AT_FDCWD, "missing", 0xADDR, 0) = ' + ENOENT,
        'newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), '
        '...}, 0) = 0',
        re.compile(r'newfstatat\(AT_FDCWD, "\.", \{st_mode=S_IFDIR\|0700, st_size=\d+, \.\.\.\}, '
                   r'0\) = 0'),
    ])


@test
def file_statx():
    case('statx', [
        'statx(AT_FDCWD, "x1", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT, '
        'STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_MTIME|STATX_SIZE, '
        '{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0600, '
        'stx_size=3, ...}) = 0',
        'statx(3, "", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH, STATX_TYPE|STATX_SIZE, '
        '{stx_mask=STATX_TYPE|STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_ATIME|STATX_INO|'
        'STATX_SIZE|STATX_BLOCKS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0600, '
        'stx_size=3, ...}) = 0',
        'statx(AT_FDCWD, "missing", AT_STATX_SYNC_AS_STAT, STATX_ALL, 0xADDR) = ' + ENOENT,
    ])


@test
def file_statfs():
    proc = ('{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, '
            'f_files=0, f_ffree=0, f_fsid={val=[FSID]}, f_namelen=255, f_frsize=4096, '
            'f_flags=ST_VALID|ST_RELATIME}')
    case('statfs', [
        'statfs("/proc", %s) = 0' % proc,
        'fstatfs(3, %s) = 0' % proc,
        'statfs("missing", 0xADDR) = ' + ENOENT,
    ], masks=[(re.compile(r'f_fsid=\{val=\[[^\]]*\]\}'), 'f_fsid={val=[FSID]}'),
              (re.compile(r'f_flags=[A-Z_|]+'), 'f_flags=ST_VALID|ST_RELATIME')])


@test
def file_access():
    case('access', [
        'access("a1", R_OK|W_OK)                 = 0',
        'access("a1", F_OK)                      = 0',
        'access("missing", X_OK)                 = ' + ENOENT,
        'faccessat2(AT_FDCWD, "a1", R_OK, AT_EACCESS) = 0',
        'faccessat2(AT_FDCWD, "a1", R_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS) = 0',
        'symlink("a1", "l1")                     = 0',
        'readlink("l1", "a1", 64)                = 2',
        'readlink("l1", "a", 1)                  = 1',
        'readlinkat(AT_FDCWD, "l1", "a1", 64)    = 2',
        'readlink("a1", 0xADDR, 64) = -1 EINVAL (Invalid argument)',
        'chmod("a1", 0600)                       = 0',
        'chmod("a1", 04755)                      = 0',
        'fchmodat(AT_FDCWD, "a1", 0644)          = 0',
        re.compile(r'chown\("a1", 0, 0\) += (0|-1 EPERM .*)'),
        re.compile(r'lchown\("l1", -1, -1\) += 0'),
        re.compile(r'fchownat\(AT_FDCWD, "a1", 1, 2, AT_SYMLINK_NOFOLLOW\) = (0|-1 EPERM .*)'),
        'truncate("a1", 3)                       = 0',
    ])


@test
def file_link():
    case('link', [
        'mkdir("d1", 0755)                       = 0',
        'mkdirat(AT_FDCWD, "d1/e", 0700)         = 0',
        'rmdir("d1/e")                           = 0',
        'rename("k1", "k2")                      = 0',
        'renameat(AT_FDCWD, "k2", 3, "k3")       = 0',
        'renameat2(3, "k3", AT_FDCWD, "k4", RENAME_NOREPLACE) = 0',
        'renameat2(3, "k4", AT_FDCWD, "k5", 0x10 /* RENAME_?? */) = -1 EINVAL (Invalid argument)',
        'link("k4", "h1")                        = 0',
        'linkat(AT_FDCWD, "h1", AT_FDCWD, "h2", 0) = 0',
        'unlink("h1")                            = 0',
        'unlinkat(AT_FDCWD, "h2", 0)             = 0',
        'unlinkat(AT_FDCWD, "d1", AT_REMOVEDIR)  = 0',
        'unlinkat(AT_FDCWD, "k4", 0x1 /* AT_??? */) = -1 EINVAL (Invalid argument)',
        'symlinkat("k4", AT_FDCWD, "l2")         = 0',
        'chdir(".")                              = 0',
        'fchdir(3)                               = 0',
        re.compile(r'chroot\("/nonexistent"\) += -1 (ENOENT|EPERM) .*'),
    ])


@test
def file_xattr():
    case('xattr', [
        'setxattr("x1", "user.k", "val", 3, XATTR_CREATE) = 0',
        'getxattr("x1", "user.k", "val", 64)     = 3',
        'getxattr("x1", "user.k", NULL, 0)       = 3',
        'getxattr("x1", "user.none", 0xADDR, 64) = -1 ENODATA (No data available)',
        'listxattr("x1", "user.k\\0", 64)         = 7',
        'listxattr("x1", NULL, 0)                = 7',
        'fsetxattr(3, "user.j", "\\1\\2", 2, 0)    = 0',
        'flistxattr(3, "user.k\\0user.j\\0", 64)   = 14',
        'removexattr("x1", "user.k")             = 0',
        'fremovexattr(3, "user.j")               = 0',
    ])


@test
def file_dirent():
    case('dirent', [
        re.compile(r'getdents64\(3, 0xADDR /\* 3 entries \*/, 4096\) = \d+'),
        'getdents64(3, 0xADDR /* 0 entries */, 4096) = 0',
        'lseek(3, 0, SEEK_SET)                   = 0',
        re.compile(r'getdents\(3, 0xADDR /\* 3 entries \*/, 4096\) = \d+'),
        'getdents64(12345, 0xADDR, 4096) = -1 EBADF (Bad file descriptor)',
    ])


@test
def file_times():
    os.environ['TZ'] = 'UTC0'
    case('times', [
        'utimensat(AT_FDCWD, "t1", [{tv_sec=1577934245, tv_nsec=0} '
        '/* 2020-01-02T03:04:05+0000 */, UTIME_NOW], 0) = 0',
        'utimensat(3, NULL, NULL, 0)             = 0',
        'utimensat(AT_FDCWD, "t1", [UTIME_OMIT, {tv_sec=1577934245, tv_nsec=123456789} '
        '/* 2020-01-02T03:04:05.123456789+0000 */], AT_SYMLINK_NOFOLLOW) = 0',
        'utimes("t1", [{tv_sec=1577934245, tv_usec=0} /* 2020-01-02T03:04:05+0000 */, '
        '{tv_sec=1577934245, tv_usec=500000} /* 2020-01-02T03:04:05.500000+0000 */]) = 0',
    ])


@test
def file_mknod():
    case('mknod', [
        'mknodat(AT_FDCWD, "/nonexistent/n", S_IFCHR|0600, makedev(0x1, 0x3)) = ' + ENOENT,
        'mknodat(AT_FDCWD, "/nonexistent/n", S_IFIFO|0644) = ' + ENOENT,
        'mknodat(AT_FDCWD, "/nonexistent/n", S_IFBLK|0660, makedev(0x8, 0x11)) = ' + ENOENT,
        'mknodat(AT_FDCWD, "/nonexistent/n", S_ISUID|S_ISGID|S_ISVTX|0644) = ' + ENOENT,
    ])


@test
def file_mount():
    fails = r'-1 (ENOENT|EPERM) .*'
    case('mount', [
        re.compile(r'mount\("none", "/nonexistent", "tmpfs", MS_NOSUID\|MS_NODEV, "size=1m"\) = '
                   + fails),
        re.compile(r'umount2\("/nonexistent", MNT_DETACH\) += ' + fails),
        re.compile(r'mount\(NULL, "/nonexistent", NULL, MS_RDONLY\|MS_REMOUNT\|MS_BIND, NULL\) = '
                   + fails),
        re.compile(r'mount\("src", "/nonexistent", "ext4", MS_MGC_VAL\|MS_NOATIME, NULL\) = '
                   + fails),
    ])


@test
def file_misc():
    case('misc', [
        'inotify_init1(IN_NONBLOCK|IN_CLOEXEC)   = 3',
        'inotify_add_watch(3, ".", IN_MODIFY|IN_CREATE|IN_DELETE) = 1',
        'inotify_rm_watch(3, 1)                  = 0',
        'close(3)                                = 0',
        'umask(022)                              = 022',
        'umask(077)                              = 022',
        'getcwd(0xADDR, 2) = -1 ERANGE (Numerical result out of range)',
        'sync()                                  = 0',
    ])


# -v: what changes with the file system or the run.
VERBOSE_MASKS = [
    (re.compile(r'st_dev=makedev\(0x[0-9a-f]+, 0x[0-9a-f]+\)|st_dev=makedev\([^)]*\)'),
     'st_dev=DEV'),
    (re.compile(r'(st_ino|d_ino|d_off)=\d+'), r'\1=N'),
    (re.compile(r'(st_[amc]time)=\d+ /\* [^*]* \*/, (st_[amc]time_nsec)=\d+'), r'\1=T, \2=N'),
    (re.compile(r'st_blocks=\d+'), 'st_blocks=B'),
    (re.compile(r'st_uid=\d+, st_gid=\d+'), 'st_uid=U, st_gid=G'),
]
TIMES = 'st_atime=T, st_atime_nsec=N, st_mtime=T, st_mtime_nsec=N, st_ctime=T, st_ctime_nsec=N'


@test
def file_stat_verbose():
    """-v: the whole struct stat, times with their dates."""
    s1 = ('{st_dev=DEV, st_ino=N, st_mode=S_IFREG|0644, st_nlink=1, st_uid=U, st_gid=G, '
          'st_blksize=4096, st_blocks=B, st_size=10, ' + TIMES + '}')
    case('stat', [
        'newfstatat(AT_FDCWD, "s1", %s, 0) = 0' % s1,
        'newfstatat(AT_FDCWD, "su", {st_dev=DEV, st_ino=N, '
        'st_mode=S_IFREG|S_ISUID|S_ISGID|S_ISVTX|0755, st_nlink=1, st_uid=U, st_gid=G, '
        'st_blksize=4096, st_blocks=B, st_size=0, ' + TIMES + '}, AT_SYMLINK_NOFOLLOW) = 0',
        'newfstatat(3, "", %s, AT_EMPTY_PATH) = 0' % s1,
        'newfstatat(AT_FDCWD, "s1", %s, AT_SYMLINK_NOFOLLOW) = 0' % s1,
        'newfstatat(AT_FDCWD, "missing", 0xADDR, 0) = ' + ENOENT,
        'newfstatat(AT_FDCWD, "/dev/null", {st_dev=DEV, st_ino=N, st_mode=S_IFCHR|0666, '
        'st_nlink=1, st_uid=U, st_gid=G, st_blksize=4096, st_blocks=B, '
        'st_rdev=makedev(0x1, 0x3), ' + TIMES + '}, 0) = 0',
        re.compile(r'newfstatat\(AT_FDCWD, "\.", \{st_dev=DEV, st_ino=N, st_mode=S_IFDIR\|0700, '
                   r'st_nlink=2, st_uid=U, st_gid=G, st_blksize=4096, st_blocks=B, st_size=\d+, '
                   + re.escape(TIMES) + r'\}, 0\) = 0'),
    ], masks=VERBOSE_MASKS, opts=['-v'])


@test
def file_dirent_verbose():
    """-v: every directory entry, in the order the file system returns them."""
    entry64 = r'\{d_ino=N, d_off=N, d_reclen=24, d_type=DT_(DIR|REG), d_name="(\.|\.\.|one)"\}'
    entry = r'\{d_ino=N, d_off=N, d_reclen=24, d_name="(\.|\.\.|one)", d_type=DT_(DIR|REG)\}'
    case('dirent', [
        re.compile(r'getdents64\(3, \[%s, %s, %s\], 4096\) = \d+' % (entry64, entry64, entry64)),
        'getdents64(3, [], 4096)                 = 0',
        'lseek(3, 0, SEEK_SET)                   = 0',
        re.compile(r'getdents\(3, \[%s, %s, %s\], 4096\) = \d+' % (entry, entry, entry)),
        'getdents64(12345, 0xADDR, 4096) = -1 EBADF (Bad file descriptor)',
    ], masks=VERBOSE_MASKS, opts=['-v'])


@test
def file_paths_and_s0():
    """-s 0: paths are never cut, other strings are, and small arrays too."""
    os.environ['TZ'] = 'UTC0'
    case('times', [
        'utimensat(AT_FDCWD, "t1", [...], 0)     = 0',
        'utimensat(3, NULL, NULL, 0)             = 0',
        'utimensat(AT_FDCWD, "t1", [...], AT_SYMLINK_NOFOLLOW) = 0',
        'utimes("t1", [...])                     = 0',
    ], opts=['-s', '0'])
    fails = r'-1 (ENOENT|EPERM) .*'
    case('mount', [
        re.compile(r'mount\("none", "/nonexistent", ""\.\.\., MS_NOSUID\|MS_NODEV, ""\.\.\.\) = '
                   + fails),
        re.compile(r'umount2\("/nonexistent", MNT_DETACH\) += ' + fails),
        re.compile(r'mount\(NULL, "/nonexistent", NULL, MS_RDONLY\|MS_REMOUNT\|MS_BIND, NULL\) = '
                   + fails),
        re.compile(r'mount\("src", "/nonexistent", ""\.\.\., MS_MGC_VAL\|MS_NOATIME, NULL\) = '
                   + fails),
    ], opts=['-s', '0'])


if __name__ == '__main__':
    sys.exit(main())
