#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk trace against strace, the floor and the untraced run, side by side in one run.

    bench/trace_bench.py [--build DIR] [--runs N] [--only NAME]

The floor is bench/floor.c: PTRACE_SYSCALL + waitpid and nothing else; floor+info is the
same with one PTRACE_GET_SYSCALL_INFO per syscall stop (the least a tracer that prints
syscalls must ask).  Each command runs --runs times (default 5), the tools taking turns so
that a noisy moment hurts all of them; the median wall time counts, and the median CPU
time (user + system of the tool and its tracees, from wait4's rusage) is printed beside
it: on a shared machine the CPU time is the steadier figure.  Traces go to a file.  The
workloads and the issue's targets:

  getppid  200k getppid() fully traced:            ptk <= 0.75x strace, <= 1.1x floor
  find     find /usr/lib fully traced:              ptk <= 0.6x strace,  <= 1.2x floor
  openat   the getppid loop with -e trace=openat:   ptk <= 1.3x untraced (strace ~40x)
  true300  300 x /bin/true under sh, -f:            ptk <= 0.8x strace

ptk's own cost (stops and ptrace requests per traced syscall) comes from -c's footer.
This is a benchmark, not a test: it prints numbers and asserts nothing.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))


def timed(argv):
    """(wall seconds, CPU seconds of the command and everything it waited for)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit('bench: %s exited %d' % (' '.join(argv), p.returncode))
    return dt, ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build', default=os.environ.get('PTK_BUILD', os.path.join(SRC, 'build')))
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--only')
    a = ap.parse_args()
    ptk = os.path.join(a.build, 'src', 'ptk')
    floor = os.path.join(a.build, 'bench', 'floor')
    loop = os.path.join(a.build, 'bench', 'getppid_loop')
    strace = shutil.which('strace')
    for p in (ptk, floor, loop):
        if not os.access(p, os.X_OK):
            sys.exit('bench: %s is not built (meson compile -C %s)' % (p, a.build))
    tmp = tempfile.mkdtemp(prefix='ptk-bench-')
    out = os.path.join(tmp, 'trace.out')
    true300 = ['sh', '-c', 'i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i+1)); done']
    work = [
        ('getppid', [loop, '200000'], False, None, ('strace', 'floor')),
        ('find', ['find', '/usr/lib'], False, None, ('strace', 'floor')),
        ('openat', [loop, '200000'], False, 'openat', ('untraced', 'strace')),
        ('true300', true300, True, None, ('strace', 'floor')),
    ]
    cols = ('untraced', 'floor', 'floor+info', 'strace', 'strace-bpf', 'ptk')
    print('median of %d runs: wall seconds (CPU seconds)' % a.runs)
    print('%-8s' % 'workload' + ''.join('%17s' % c for c in cols))
    for name, cmd, follow, only, _targets in work:
        if a.only and a.only != name:
            continue
        f = ['-f'] if follow else []
        e = ['-e', 'trace=' + only] if only else []
        tools = {
            'untraced': cmd,
            'floor': [floor] + f + cmd,
            'floor+info': [floor] + f + ['-i'] + cmd,
            'ptk': [ptk, 'trace'] + f + e + ['-o', out] + cmd,
        }
        if only:
            del tools['floor'], tools['floor+info']
        if strace:
            tools['strace'] = [strace] + f + e + ['-o', out] + cmd
            if only:
                tools['strace-bpf'] = [strace, '-f', '--seccomp-bpf'] + e + ['-o', out] + cmd
        wall, cpu = {}, {}
        for _ in range(a.runs):
            for tool, argv in tools.items():
                w, c = timed(argv)
                wall.setdefault(tool, []).append(w)
                cpu.setdefault(tool, []).append(c)
        med = {k: statistics.median(v) for k, v in wall.items()}
        cmed = {k: statistics.median(v) for k, v in cpu.items()}
        print('%-8s' % name + ''.join('%17s' % ('%.3f (%.3f)' % (med[t], cmed[t]) if t in med
                                                else '-') for t in cols), flush=True)
        ratios = []
        for other in ('strace', 'floor', 'floor+info', 'untraced'):
            if other in med:
                ratios.append('ptk/%s %.2f (CPU %.2f)' % (other, med['ptk'] / med[other],
                                                          cmed['ptk'] / cmed[other]))
        if 'strace' in med:
            ratios.append('strace/untraced %.1f' % (med['strace'] / med['untraced']))
        print('%8s %s' % ('', ', '.join(ratios)), flush=True)
        # ptk's cost per traced syscall, from -c's footer.
        r = subprocess.run([ptk, 'trace', '-c'] + f + e + ['-o', out] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as fh:
            foot = [ln for ln in fh.read().splitlines() if ln.startswith('ptk trace: ')]
        if foot:
            print('%8s %s' % ('', re.sub(r'^ptk trace: ', 'cost: ', foot[-1])), flush=True)
        del r
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
