#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden lines of the miscellaneous calls: tests/tracees/dec_misc makes
fixed calls (resource limits, uname, CPU sets, getrandom's hex bytes, prctl
per option, capabilities, arch_prctl, futex per operation, io_uring_setup,
rseq, membarrier) and `ptk trace` must print exactly these lines; where
strace is installed, strace must print the same ones (decode_golden.py).
Expected texts were observed with strace 6.1; results that depend on the
machine or the privileges (a capability check, a CPU feature) are
patterns."""
import glob
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PTK, eq, main, run, test, tracee  # noqa: E402
import decode_golden as golden  # noqa: E402


def case(section, want, masks=(), opts=(), keep=None):
    golden.section([tracee('dec_misc'), section], want, masks=masks, opts=opts, keep=keep)

@test
def misc_rlimit():
    case('rlimit', [
        re.compile('prlimit64\\(0, RLIMIT_STACK, \\{rlim_cur=8192\\*1024, rlim_max=RLIM64_INFINITY\\}, \\{rlim_cur=(\\d+(\\*1024)?|RLIM64_INFINITY), rlim_max=(\\d+(\\*1024)?|RLIM64_INFINITY)\\}\\) = 0|prlimit64\\(0, RLIMIT_STACK, \\{rlim_cur=8192\\*1024, rlim_max=RLIM64_INFINITY\\}, 0xADDR\\) = -1 EPERM .*'),
        re.compile('prlimit64\\(0, RLIMIT_STACK, NULL, \\{rlim_cur=(\\d+(\\*1024)?|RLIM64_INFINITY), rlim_max=(\\d+(\\*1024)?|RLIM64_INFINITY)\\}\\) += 0'),
        'prlimit64(0, RLIMIT_CORE, {rlim_cur=1024, rlim_max=1536}, NULL) = 0',
        re.compile('prlimit64\\(0, RLIMIT_CORE, \\{rlim_cur=2\\*1024, rlim_max=1024\\*1024\\}, NULL\\) = (0|-1 EPERM .*)'),
        re.compile('prlimit64\\(0, RLIMIT_CORE, NULL, \\{rlim_cur=(1024|2\\*1024), rlim_max=(1536|1024\\*1024)\\}\\) = 0'),
        'prlimit64(0, 0x63 /* RLIMIT_??? */, NULL, 0xADDR) = -1 EINVAL (Invalid argument)',
        re.compile('getrlimit\\(RLIMIT_CORE, \\{rlim_cur=(1024|2\\*1024), rlim_max=(1536|1024\\*1024)\\}\\) = 0'),
        re.compile('setrlimit\\(RLIMIT_CORE, \\{rlim_cur=2\\*1024, rlim_max=1024\\*1024\\}\\) = (0|-1 EPERM .*)'),
    ])

@test
def misc_uname():
    case('uname', [
        'uname({sysname="Linux", nodename="%s", ...}) = 0' % os.uname().nodename,
        'uname(NULL)                             = -1 EFAULT (Bad address)',
        'sched_setaffinity(0, 128, [0])          = 0',
        re.compile('sched_getaffinity\\(0, 128, \\[0\\]\\) += \\d+'),
        'getrandom("", 0, 0)                     = 0',
        'getrandom(NULL, 0, 0x80 /* GRND_??? */) = -1 EINVAL (Invalid argument)',
        re.compile('getrandom\\("(\\\\x[0-9a-f]{2}){16}", 16, GRND_NONBLOCK\\) = 16'),
    ])

@test
def misc_prctl():
    case('prctl', [
        'prctl(PR_SET_NAME, "dec_misc_name")     = 0',
        'prctl(PR_GET_NAME, "dec_misc_name")     = 0',
        'prctl(PR_SET_PDEATHSIG, SIGKILL)        = 0',
        'prctl(PR_GET_PDEATHSIG, [SIGKILL])      = 0',
        'prctl(PR_SET_DUMPABLE, SUID_DUMP_USER)  = 0',
        'prctl(PR_GET_DUMPABLE)                  = 1 (SUID_DUMP_USER)',
        'prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  = 0',
        'prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)  = 1',
        re.compile('prctl\\(PR_CAPBSET_READ, CAP_SYS_ADMIN\\) += [01]'),
        'prctl(PR_SET_CHILD_SUBREAPER, 1)        = 0',
        'prctl(PR_GET_CHILD_SUBREAPER, [1])      = 0',
        'prctl(PR_SET_TIMERSLACK, 50000)         = 0',
        'prctl(PR_GET_TIMERSLACK)                = 50000',
        'prctl(PR_SET_KEEPCAPS, 0)               = 0',
        re.compile('prctl\\(PR_SET_SECUREBITS, SECBIT_NOROOT\\|SECBIT_NOROOT_LOCKED\\|SECBIT_NO_SETUID_FIXUP\\|SECBIT_NO_SETUID_FIXUP_LOCKED\\|SECBIT_KEEP_CAPS_LOCKED\\) = (0|-1 EPERM .*)'),
        re.compile('prctl\\(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0\\) = [01]'),
        'prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, NULL, 4096, "nm") = -1 EINVAL (Invalid argument)',
        'prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) = -1 EINVAL (Invalid argument)',
        'prctl(0x270f /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)',
    ])

@test
def misc_caps():
    case('caps', [
        'capget({version=0 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, NULL) = 0',
        re.compile('capset\\(\\{version=_LINUX_CAPABILITY_VERSION_3, pid=0\\}, \\{effective=1<<CAP_CHOWN\\|1<<CAP_KILL\\|1<<CAP_MAC_OVERRIDE, permitted=1<<CAP_CHOWN\\|1<<CAP_KILL\\|1<<CAP_MAC_OVERRIDE, inheritable=1<<CAP_CHOWN\\}\\) = (0|-1 EPERM .*)'),
        'arch_prctl(ARCH_GET_FS, [0xADDR]) = 0',
        'arch_prctl(0x3001 /* ARCH_??? */, 0)    = -1 EINVAL (Invalid argument)',
        re.compile('arch_prctl\\(ARCH_GET_CPUID\\) += [01]'),
    ])

@test
def misc_futex():
    case('futex', [
        'futex(0xADDR, FUTEX_WAIT_PRIVATE, 0, {tv_sec=0, tv_nsec=1000}) = -1 ETIMEDOUT (Connection timed out)',
        'futex(0xADDR, FUTEX_WAKE, 1) = 0',
        'futex(0xADDR, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 1, NULL, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)',
        'futex(0xADDR, FUTEX_WAKE_BITSET_PRIVATE, 1, 0xff) = 0',
        'futex(0xADDR, FUTEX_REQUEUE, 1, 2, 0xADDR) = 0',
        'futex(0xADDR, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, 0xADDR, 0) = 0',
        'futex(0xADDR, FUTEX_WAKE_OP, 1, 2, 0xADDR, FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x3<<12|FUTEX_OP_CMP_EQ<<24|0x7) = 0',
        'futex(0xADDR, FUTEX_WAKE_OP_PRIVATE, 1, 0, 0xADDR, FUTEX_OP_OPARG_SHIFT<<28|0x7<<28 /* FUTEX_OP_??? */|0<<12|FUTEX_OP_CMP_EQ<<24|0) = -1 ENOSYS (Function not implemented)',
        re.compile('futex\\(0xADDR, FUTEX_TRYLOCK_PI\\) += (0|-1 E[A-Z]+ .*)'),
        re.compile('futex\\(0xADDR, FUTEX_UNLOCK_PI\\) += (0|-1 E[A-Z]+ .*)'),
        'futex(0xADDR, 0x63 /* FUTEX_??? */, 0, NULL, NULL, 0) = -1 ENOSYS (Function not implemented)',
    ])

@test
def misc_misc():
    case('misc', [
        'io_uring_setup(4, {flags=0x80000000 /* IORING_SETUP_??? */, sq_thread_cpu=0, sq_thread_idle=0}) = -1 EINVAL (Invalid argument)',
        'set_robust_list(NULL, 24)               = 0',
        'rseq(0, 0x20, 0, 0x53053053)            = -1 EINVAL (Invalid argument)',
        'membarrier(0x3039 /* MEMBARRIER_CMD_??? */, 0) = -1 EINVAL (Invalid argument)',
    ])


@test
def misc_uname_verbose():
    """-v: all of struct utsname."""
    u = os.uname()
    try:
        with open('/proc/sys/kernel/domainname') as f:
            domain = f.read().strip()
    except OSError:
        domain = '(none)'
    case('uname', [
        'uname({sysname="%s", nodename="%s", release="%s", version="%s", machine="%s", '
        'domainname="%s"}) = 0' % (u.sysname, u.nodename, u.release, u.version, u.machine, domain),
    ], opts=['-v'], keep=lambda line: line.startswith('uname({'))


@test
def misc_unknown_numbers():
    """Numbers no table has: strace's syscall_0x... name, every argument in hex."""
    case('unknown', [
        'syscall_0x190(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)',
        'syscall_0x3e8(0, 0, 0, 0, 0, 0)         = -1 ENOSYS (Function not implemented)',
    ])


def last_lines_ff(tracer, argv):
    """-ff: the last two lines of each process's file, in creation order."""
    with tempfile.TemporaryDirectory() as d:
        prefix = os.path.join(d, 'out')
        r = run(tracer + ['-ff', '-o', prefix, '--'] + argv, timeout=60)
        eq(r.returncode, 0, 'status under %s' % tracer[0])
        files = sorted(glob.glob(prefix + '.*'), key=lambda f: int(f.rsplit('.', 1)[1]))
        out = []
        for f in files:
            with open(f) as fh:
                out.append([golden.normalize(l) for l in fh.read().splitlines()[-2:]])
        return out


@test
def misc_unfinished_at_exit():
    """A thread blocked in read when exit_group ends the process: its entry's
    ", " stays, then " <unfinished ...>) = ?"; exit_group's own line ends at
    once with "= ?"."""
    want = [
        ['exit_group(0)                           = ?', '+++ exited with 0 +++'],
        ['read(3,  <unfinished ...>)              = ?', '+++ exited with 0 +++'],
    ]
    argv = [tracee('dec_misc'), 'unfinished']
    eq(last_lines_ff([PTK, 'trace'], argv), want, 'ptk trace -ff')
    if shutil.which('strace'):
        eq(last_lines_ff(['strace'], argv), want, 'strace -ff (the reference)')


if __name__ == '__main__':
    sys.exit(main())
