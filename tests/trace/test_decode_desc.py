#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden lines of the descriptor family: tests/tracees/dec_desc makes fixed
calls (read/write and strace's quoting, dup, pipes, fcntl per command,
locks, poll/ppoll and pselect6 with their results, epoll, terminal and
unknown ioctls, copy_file_range, sendfile, ...) and `ptk trace` must print
exactly these lines; where strace is installed, strace must print the same
ones (decode_golden.py).  Expected texts were observed with strace 6.1."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import main, test, tracee  # noqa: E402
import decode_golden as golden  # noqa: E402


def case(section, want, masks=(), opts=()):
    golden.section(lambda d: [tracee('dec_desc'), d, section], want, masks=masks, opts=opts)

@test
def desc_rw():
    case('rw', [
        'read(3, "0123", 4)                      = 4',
        'read(3, "", 0)                          = 0',
        'lseek(3, -2, SEEK_END)                  = 14',
        'lseek(3, 0, SEEK_DATA)                  = 0',
        'lseek(3, 0, 0x7 /* SEEK_??? */)         = -1 EINVAL (Invalid argument)',
        'pread64(3, "2345", 4, 2)                = 4',
        'pwrite64(3, "xy", 2, 4)                 = 2',
        'lseek(3, 0, SEEK_SET)                   = 0',
        'readv(3, [{iov_base="012", iov_len=3}, {iov_base="3xy67", iov_len=5}], 2) = 8',
        'writev(3, [{iov_base="012", iov_len=3}, {iov_base="3xy67", iov_len=5}], 2) = 8',
        'preadv(3, [{iov_base="123", iov_len=3}, {iov_base="xy670", iov_len=5}], 2, 1) = 8',
        'pwritev(3, [{iov_base="123", iov_len=3}, {iov_base="xy670", iov_len=5}], 2, 100) = 8',
        'write(3, "\\0000\\08\\0017\\1779\\t\\n\\"\\\\\\200\\377", 14) = 14',
        'write(3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"..., 33) = 33',
        'write(3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 32) = 32',
        'read(12345, 0xADDR, 1) = -1 EBADF (Bad file descriptor)',
    ])

@test
def desc_dup():
    case('dup', [
        'dup(3)                                  = 4',
        'dup2(3, 10)                             = 10',
        'dup3(3, 11, O_CLOEXEC)                  = 11',
        'dup3(3, 12, 0x1 /* O_??? */)            = -1 EINVAL (Invalid argument)',
        'close(10)                               = 0',
        'close(11)                               = 0',
        'pipe2([5, 6], 0)                        = 0',
        'pipe2([7, 8], O_NONBLOCK|O_CLOEXEC)     = 0',
        'close_range(100, 4294967295, 0)         = 0',
    ])

@test
def desc_fcntl():
    case('fcntl', [
        'fcntl(3, F_GETFD)                       = 0',
        'fcntl(3, F_SETFD, FD_CLOEXEC)           = 0',
        'fcntl(3, F_GETFD)                       = 0x1 (flags FD_CLOEXEC)',
        'fcntl(3, F_GETFL)                       = 0x8002 (flags O_RDWR|O_LARGEFILE)',
        'fcntl(4, F_GETFL)                       = 0 (flags O_RDONLY)',
        'fcntl(3, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK) = 0',
        'fcntl(3, F_DUPFD, 20)                   = 20',
        'fcntl(3, F_DUPFD_CLOEXEC, 30)           = 30',
        'fcntl(3, F_SETOWN, 0)                   = 0',
        'fcntl(3, F_GETSIG)                      = 0',
        'fcntl(3, F_SETSIG, SIGUSR1)             = 0',
        'fcntl(4, F_SETPIPE_SZ, 65536)           = 65536',
        'fcntl(4, F_GETPIPE_SZ)                  = 65536',
        'fcntl(3, F_GETLEASE)                    = 0x2 (F_UNLCK)',
        'fcntl(3, F_NOTIFY, DN_MODIFY)           = -1 ENOTDIR (Not a directory)',
        'fcntl(6, F_ADD_SEALS, F_SEAL_SHRINK|F_SEAL_GROW) = 0',
        'fcntl(6, F_GET_SEALS)                   = 0x6 (seals F_SEAL_SHRINK|F_SEAL_GROW)',
        'fcntl(3, 0x4d2 /* F_??? */, 0x5)        = -1 EINVAL (Invalid argument)',
    ])

@test
def desc_lock():
    case('lock', [
        'fcntl(3, F_SETLK, {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0',
        'fcntl(3, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=0}) = 0',
        'fcntl(3, F_SETLKW, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0',
        'fcntl(3, F_OFD_SETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0',
        'flock(3, LOCK_SH)                       = 0',
        'flock(3, LOCK_UN)                       = 0',
        'flock(3, LOCK_EX|LOCK_NB)               = 0',
        'flock(3, 0x100 /* LOCK_??? */)          = -1 EINVAL (Invalid argument)',
    ])

@test
def desc_poll():
    case('poll', [
        'poll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}, {fd=-1}], 3, 0) = 1 ([{fd=4, revents=POLLOUT}])',
        'poll([{fd=3, events=POLLIN|POLLPRI}], 1, 0) = 0 (Timeout)',
        'poll(NULL, 0, 0)                        = 0 (Timeout)',
        'ppoll([{fd=3, events=POLLIN|POLLPRI}], 1, {tv_sec=0, tv_nsec=0}, [INT], 8) = 0 (Timeout)',
        'write(4, "x", 1)                        = 1',
        'poll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, -1) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])',
        'ppoll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, NULL, NULL, 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])',
        'close(4)                                = 0',
        'poll([{fd=3, events=0}], 1, 0)          = 1 ([{fd=3, revents=POLLHUP}])',
    ])

@test
def desc_select():
    case('select', [
        'pselect6(7, [5], NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=[INT], sigsetsize=8}) = 0 (Timeout)',
        'pselect6(7, [5], [6], [5], NULL, {sigmask=NULL, sigsetsize=8}) = 1 (out [6])',
        'write(6, "x", 1)                        = 1',
        'pselect6(7, [0 5], [6], NULL, NULL, {sigmask=NULL, sigsetsize=8}) = 3 (in [0 5], out [6])',
    ])

@test
def desc_epoll():
    case('epoll', [
        'epoll_create1(EPOLL_CLOEXEC)            = 5',
        'epoll_create(5)                         = 6',
        'epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLET, data={u32=4660, u64=4660}}) = 0',
        'epoll_ctl(5, EPOLL_CTL_MOD, 4, {events=EPOLLOUT, data={u32=4, u64=4}}) = 0',
        'epoll_wait(5, [{events=EPOLLOUT, data={u32=4, u64=4}}], 4, 0) = 1',
        'epoll_pwait(5, [{events=EPOLLOUT, data={u32=4, u64=4}}], 4, 0, [INT], 8) = 1',
        'epoll_ctl(5, EPOLL_CTL_DEL, 4, NULL)    = 0',
        'epoll_ctl(5, EPOLL_CTL_DEL, 3, 0xADDR) = -1 ENOENT (No such file or directory)',
        'epoll_wait(5, [], 4, 0)                 = 0',
        'eventfd2(3, EFD_CLOEXEC|EFD_NONBLOCK)   = 7',
        'read(7, "\\3\\0\\0\\0\\0\\0\\0\\0", 8)          = 8',
        'epoll_create1(0x1 /* EPOLL_??? */)      = -1 EINVAL (Invalid argument)',
    ])

@test
def desc_tty():
    case('tty', [
        'ioctl(4, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0',
        'ioctl(4, TIOCGWINSZ, {ws_row=0, ws_col=0, ws_xpixel=0, ws_ypixel=0}) = 0',
        'ioctl(4, TIOCSWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0',
        'ioctl(4, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0',
        'ioctl(4, SNDCTL_TMR_START or TCSETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0',
        'ioctl(4, SNDCTL_TMR_STOP or TCSETSW, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0',
        'ioctl(4, SNDCTL_TMR_CONTINUE or TCSETSF, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0',
        'ioctl(4, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B9600|CS8|CREAD, c_lflag=, ...}) = 0',
        'ioctl(4, TCFLSH, TCIFLUSH)              = 0',
        'ioctl(4, TCXONC, TCOON)                 = 0',
        'ioctl(4, TCFLSH, 0x7 /* TC??? */)       = -1 EINVAL (Invalid argument)',
        'ioctl(4, FIONREAD, [0])                 = 0',
    ])

@test
def desc_ioctl():
    case('ioctl', [
        'ioctl(3, FIONBIO, [1])                  = 0',
        'ioctl(3, FIOCLEX)                       = 0',
        'ioctl(3, FIONCLEX)                      = 0',
        'ioctl(4, FIONREAD, [0])                 = 0',
        'ioctl(3, TCGETS, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, TIOCGWINSZ, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, TIOCGPGRP, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, _IOC(_IOC_NONE, 0xab, 0xcd, 0x1234), 0) = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, _IOC(_IOC_READ, 0x78, 0x1, 0x4), 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, _IOC(_IOC_WRITE, 0x78, 0x2, 0x4), 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, _IOC(_IOC_READ|_IOC_WRITE, 0x78, 0x3, 0x8), 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, _IOC(_IOC_NONE, 0x78, 0x4, 0), 0x10) = -1 ENOTTY (Inappropriate ioctl for device)',
        re.compile(r'ioctl\(3, BTRFS_IOC_CLONE or FICLONE, 3\) = (0|-1 E[A-Z]+ .*)'),
        'ioctl(3, TCSBRK, 1)                     = -1 ENOTTY (Inappropriate ioctl for device)',
        'ioctl(3, TIOCEXCL)                      = -1 ENOTTY (Inappropriate ioctl for device)',
    ])

@test
def desc_copy():
    case('copy', [
        'copy_file_range(3, [0], 4, NULL, 8, 0)  = 8',
        'copy_file_range(3, NULL, 4, NULL, 8, 0) = 8',
        'sendfile(4, 3, [0] => [4], 4)           = 4',
        'sendfile(4, 3, NULL, 4)                 = 4',
        'fadvise64(3, 0, 0, POSIX_FADV_SEQUENTIAL) = 0',
        'fallocate(4, 0, 0, 4096)                = 0',
        'fallocate(4, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 10) = 0',
        'readahead(3, 0, 100)                    = 0',
        'ftruncate(4, 3)                         = 0',
        'fsync(4)                                = 0',
        'fdatasync(4)                            = 0',
        'syncfs(4)                               = 0',
    ])


RW_AFTER_READ = [
    'read(3, "", 0)                          = 0',
    'lseek(3, -2, SEEK_END)                  = 14',
    'lseek(3, 0, SEEK_DATA)                  = 0',
    'lseek(3, 0, 0x7 /* SEEK_??? */)         = -1 EINVAL (Invalid argument)',
]


@test
def desc_rw_x():
    """-x: a buffer goes all hex when one byte is neither printable nor \\t\\n\\v\\f\\r."""
    case('rw', [
        'read(3, "0123", 4)                      = 4',
    ] + RW_AFTER_READ + [
        'pread64(3, "2345", 4, 2)                = 4',
        'pwrite64(3, "xy", 2, 4)                 = 2',
        'lseek(3, 0, SEEK_SET)                   = 0',
        'readv(3, [{iov_base="012", iov_len=3}, {iov_base="3xy67", iov_len=5}], 2) = 8',
        'writev(3, [{iov_base="012", iov_len=3}, {iov_base="3xy67", iov_len=5}], 2) = 8',
        'preadv(3, [{iov_base="123", iov_len=3}, {iov_base="xy670", iov_len=5}], 2, 1) = 8',
        'pwritev(3, [{iov_base="123", iov_len=3}, {iov_base="xy670", iov_len=5}], 2, 100) = 8',
        'write(3, "\\x00\\x30\\x00\\x38\\x01\\x37\\x7f\\x39\\x09\\x0a\\x22\\x5c\\x80\\xff", 14) = 14',
        'write(3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"..., 33) = 33',
        'write(3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 32) = 32',
        'read(12345, 0xADDR, 1) = -1 EBADF (Bad file descriptor)',
    ], opts=['-x'])


@test
def desc_rw_xx_s4():
    """-xx: every byte in hex; -s 4: four bytes, then "..."."""
    case('rw', [
        'read(3, "\\x30\\x31\\x32\\x33", 4)          = 4',
    ] + RW_AFTER_READ + [
        'pread64(3, "\\x32\\x33\\x34\\x35", 4, 2)    = 4',
        'pwrite64(3, "\\x78\\x79", 2, 4)           = 2',
        'lseek(3, 0, SEEK_SET)                   = 0',
        'readv(3, [{iov_base="\\x30\\x31\\x32", iov_len=3}, {iov_base="\\x33\\x78\\x79\\x36"..., '
        'iov_len=5}], 2) = 8',
        'writev(3, [{iov_base="\\x30\\x31\\x32", iov_len=3}, {iov_base="\\x33\\x78\\x79\\x36"..., '
        'iov_len=5}], 2) = 8',
        'preadv(3, [{iov_base="\\x31\\x32\\x33", iov_len=3}, {iov_base="\\x78\\x79\\x36\\x37"..., '
        'iov_len=5}], 2, 1) = 8',
        'pwritev(3, [{iov_base="\\x31\\x32\\x33", iov_len=3}, {iov_base="\\x78\\x79\\x36\\x37"..., '
        'iov_len=5}], 2, 100) = 8',
        'write(3, "\\x00\\x30\\x00\\x38"..., 14)     = 14',
        'write(3, "\\x61\\x61\\x61\\x61"..., 33)     = 33',
        'write(3, "\\x61\\x61\\x61\\x61"..., 32)     = 32',
        'read(12345, 0xADDR, 1) = -1 EBADF (Bad file descriptor)',
    ], opts=['-xx', '-s', '4'])


@test
def desc_dup_s1():
    """-s 1 cuts arrays too: one element, then "..."."""
    case('dup', [
        'dup(3)                                  = 4',
        'dup2(3, 10)                             = 10',
        'dup3(3, 11, O_CLOEXEC)                  = 11',
        'dup3(3, 12, 0x1 /* O_??? */)            = -1 EINVAL (Invalid argument)',
        'close(10)                               = 0',
        'close(11)                               = 0',
        'pipe2([5, ...], 0)                      = 0',
        'pipe2([7, ...], O_NONBLOCK|O_CLOEXEC)   = 0',
        'close_range(100, 4294967295, 0)         = 0',
    ], opts=['-s', '1'])


@test
def desc_tty_verbose():
    """-v: struct termios with c_line and c_cc."""
    want = [
        'ioctl(4, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, '
        'c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, '
        'c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, '
        '[VTIME]=0, [VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, '
        '[VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, '
        '[18]=0]}) = 0',
    ]
    golden.section(lambda d: [tracee('dec_desc'), d, 'tty'], want, opts=['-v'],
                   keep=lambda line: line.startswith('ioctl(4, TCGETS, '))


if __name__ == '__main__':
    sys.exit(main())
