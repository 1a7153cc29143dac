#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden lines of the time family: tests/tracees/timecalls makes clock,
sleep and timer calls with fixed arguments and `ptk trace` must print these
lines; where strace is installed, strace 6.1 must print the same ones
(golden_ff.py), except the one place where strace 6.1 is wrong (restart_syscall
after a second interruption, PITFALLS #2).  Expected texts were observed
with strace 6.1 on this machine."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import main, test, tracee  # noqa: E402
import golden_ff as g  # noqa: E402

TIME = r'(clock_\w+|nanosleep|restart_syscall|gettimeofday|settimeofday|time|times|adjtimex|' \
       r'setitimer|getitimer|timer_\w+|timerfd_\w+|alarm|--- SIG|rt_sigreturn)\b'
TS = '{tv_sec=<N>, tv_nsec=<N>}'


# CPU ticks so far depend on load and on the tracer: each tms_* value
# (with its /* N s */ comment when non-zero) is masked in the comparison.
TICKS = (re.compile(r'(tms_\w+=)\d+(?: /\* [0-9.]+ s \*/)?'), r'\1T')


def run_case(name, expected, skip_lines=()):
    argv = [tracee('timecalls'), name]
    g.expect(g.trace(argv)[0], expected + ['write(1, "%s ok\\n", <N>) = <N>' % name],
             'timecalls ' + name)
    # The nudger child polls with usleep(100) until the parent sleeps: how
    # many polls depends on scheduling, so its sleeps are not compared.
    poll = r'^clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=0, tv_nsec=100000\}'
    g.compare_strace(argv, TIME, skip_lines=list(skip_lines) + [poll], masks=[TICKS])


@test
def time_clocks():
    run_case('clocks', [
        'clock_getres(CLOCK_MONOTONIC, {tv_sec=0, tv_nsec=1}) = 0',
        'clock_getres(CLOCK_REALTIME, NULL) = 0',
        'clock_gettime(CLOCK_BOOTTIME, %s) = 0' % TS,
        'clock_gettime(0x63 /* CLOCK_??? */, <X>) = -1 EINVAL (Invalid argument)',
        # A CPU-time clock (a negative id): strace 6.1 shows it in 32-bit hex.
        'clock_gettime(0xfffffffa /* CLOCK_??? */, %s) = 0' % TS,
        'clock_settime(CLOCK_REALTIME, 0x8) = -1 EFAULT (Bad address)',
        'gettimeofday({tv_sec=<N>, tv_usec=<N>}, NULL) = 0',
        'gettimeofday({tv_sec=<N>, tv_usec=<N>}, {tz_minuteswest=<N>, tz_dsttime=<N>}) = 0',
        'time(NULL) = <N> (<*>)',
        # a non-zero tick count is followed by /* 0.01 s */ (how many ticks depends on load)
        'times({tms_utime=<N><*>, tms_stime=<N><*>, tms_cutime=0, tms_cstime=0}) = <N>',
        'adjtimex({modes=0, offset=<N>, freq=<N>, maxerror=<N>, esterror=<N>, status=<*>, '
        'constant=<N>, precision=<N>, tolerance=<N>, time={tv_sec=<N>, tv_usec=<N>}, tick=<N>, '
        'ppsfreq=<N>, jitter=<N>, shift=<N>, stabil=<N>, jitcnt=<N>, calcnt=<N>, errcnt=<N>, '
        'stbcnt=<N>, tai=<N>}) = <N> (TIME_<*>)',
        'clock_adjtime(CLOCK_REALTIME, {modes=ADJ_OFFSET_SS_READ, offset=<*>}) = <N> (TIME_<*>)',
    ])


@test
def time_sleeps():
    run_case('sleeps', [
        'nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0',
        # rem is written only when a signal interrupts the sleep: a pointer.
        'nanosleep({tv_sec=0, tv_nsec=1000000}, <X>) = 0',
        # strace prints tv_nsec unsigned.
        'nanosleep({tv_sec=0, tv_nsec=18446744073709551615}, <X>) = -1 EINVAL (Invalid argument)',
        'nanosleep(0x8, <X>) = -1 EFAULT (Bad address)',
        'clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000000}, <X>) = 0',
        'clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=0, tv_nsec=0}, NULL) = 0',
        'clock_nanosleep(CLOCK_MONOTONIC, 0x2 /* TIMER_??? */, {tv_sec=0, tv_nsec=1000000}, NULL) = 0',
    ])


@test
def time_timers():
    run_case('timers', [
        'setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=5, '
        'tv_usec=500000}}, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0',
        'setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, '
        'tv_usec=0}}, NULL) = 0',
        'getitimer(ITIMER_PROF, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, '
        'tv_usec=0}}) = 0',
        'getitimer(0x5 /* ITIMER_??? */, <X>) = -1 EINVAL (Invalid argument)',
        # sigev_value only when not zero; the signal by name only for the
        # kinds of notification that send one.
        'timer_create(CLOCK_MONOTONIC, {sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, [0]) = 0',
        'timer_create(CLOCK_REALTIME, {sigev_value={sival_int=7, sival_ptr=0x7}, '
        'sigev_signo=SIGRT_2, sigev_notify=SIGEV_SIGNAL}, [1]) = 0',
        'timer_create(CLOCK_REALTIME, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=34, '
        'sigev_notify=SIGEV_NONE}, [2]) = 0',
        'timer_create(CLOCK_REALTIME, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=34, '
        'sigev_notify=0x9 /* SIGEV_??? */}, <X>) = -1 EINVAL (Invalid argument)',
        'timer_create(CLOCK_REALTIME, NULL, [4]) = 0',
        'timer_settime(0, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=30, tv_nsec=0}}, '
        '{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
        'timer_settime(0, TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, '
        'it_value={tv_sec=2000000000, tv_nsec=0}}, NULL) = 0',
        'timer_settime(77, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=30, tv_nsec=0}}, '
        'NULL) = -1 EINVAL (Invalid argument)',
        'timer_getoverrun(0) = 0',
        'timer_delete(0) = 0',
        'timer_delete(77) = -1 EINVAL (Invalid argument)',
        'timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 3',
        'timerfd_settime(3, 0, {it_interval={tv_sec=0, tv_nsec=5}, it_value={tv_sec=30, '
        'tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
        'timerfd_gettime(99, <X>) = -1 EBADF (Bad file descriptor)',
        'timerfd_create(0x63 /* CLOCK_??? */, 0x4 /* TFD_??? */) = -1 EINVAL (Invalid argument)',
    ])


@test
def time_eintr():
    """A handler interrupts the sleep: the remaining time is written and
    printed, and rt_sigreturn returns EINTR."""
    run_case('eintr', [
        'nanosleep({tv_sec=20, tv_nsec=0}, %s) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)'
        % TS,
        '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID2, si_uid=0} ---',
        'rt_sigreturn({mask=[]}) = -1 EINTR (Interrupted system call)',
    ])


@test
def time_restart():
    """An ignored signal interrupts the sleep twice; the kernel resumes the
    clock_nanosleep through restart_syscall both times.  strace 6.1 names
    the thread's previous syscall in the second line ("resuming interrupted
    restart_syscall"), but the call being resumed is still the
    clock_nanosleep: ptk follows the kernel, and that line is left out of
    the comparison with strace."""
    run_case('restart', [
        'clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=2, tv_nsec=0}, NULL) '
        '= ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
        '--- SIGWINCH {si_signo=SIGWINCH, si_code=SI_USER, si_pid=PID2, si_uid=0} ---',
        'restart_syscall(<... resuming interrupted clock_nanosleep ...>) '
        '= ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
        '--- SIGWINCH {si_signo=SIGWINCH, si_code=SI_USER, si_pid=PID2, si_uid=0} ---',
        'restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0',
    ], skip_lines=[r'^restart_syscall\(.*\) = 0'])


if __name__ == '__main__':
    sys.exit(main())
