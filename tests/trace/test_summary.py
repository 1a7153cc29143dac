#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk trace -c / -C: strace's summary table (header, columns, -S order, -U columns,
calls and errors per syscall, the total line) compared with strace 6.1's on the same
program, and ptk's own cost under it: stops and ptrace requests per traced syscall."""
import os
import re

from trace_util import lines, mix, ptrace, stops_of, strace
from harness import check, eq, main, test

HEADER = '% time     seconds  usecs/call     calls    errors syscall'
RULE = '------ ----------- ----------- --------- --------- ----------------'
PROG = [mix(), 'open', '/etc/passwd', '/nonexistent', '/etc/hostname', '/nonexistent']


def table(b):
    """The summary's lines (without ptk's footer), and the rows as (name, calls, errors)."""
    return [x for x in lines(b) if not x.startswith(('ptk trace: ', 'strace: '))]


def rows(tab, ncols=6):
    got = []
    for x in tab[2:]:
        if x.startswith('-'):
            break
        f = x.split()
        if ncols == 6:
            got.append((f[-1], int(f[3]), int(f[4]) if len(f) == 6 else 0))
    return got


@test
def table_like_strace():
    args = ['-c', '-e', 'trace=openat,close,getppid,read,write'] + PROG
    p, s = ptrace(args), strace(args)
    eq(p.stdout, s.stdout)
    tp, ts = table(p.stderr), table(s.stderr)
    eq(tp[:2], [HEADER, RULE])
    eq(tp[:2], ts[:2])
    eq(sorted(rows(tp)), sorted(rows(ts)), 'the same syscalls, calls and errors as strace')
    eq(tp[-2], RULE)
    total = tp[-1].split()
    eq((total[0], total[-1]), ('100.00', 'total'))
    eq(int(total[3]), sum(r[1] for r in rows(tp)))
    eq(int(total[4]), sum(r[2] for r in rows(tp)))
    # The row layout: widths of strace's columns.
    for x in tp[2:-2]:
        check(re.match(r'[ \d]{2}\d\.\d\d [ \d]{3}\d\.\d{6} [ \d]{11} [ \d]{9} [ \d]{9} [a-z_0-9]+$',
                       x), repr(x))


@test
def order_like_strace():
    for sortby in ('calls', 'name', 'nothing', 'errors'):
        args = ['-c', '-S', sortby] + PROG
        eq([r[0] for r in rows(table(ptrace(args).stderr))],
           [r[0] for r in rows(table(strace(args).stderr))], '-S %s' % sortby)


@test
def columns_like_strace():
    for cols in ('calls,name,errors', 'time-percent,total-time,min-time,max-time,avg-time,calls,'
                 'errors,name', 'calls', 'name,calls'):
        args = ['-c', '-S', 'calls', '-U', cols, '-e', 'trace=openat,close'] + PROG
        tp, ts = table(ptrace(args).stderr), table(strace(args).stderr)
        eq(tp[:2], ts[:2], '-U %s: header and rule' % cols)
        eq(len(tp), len(ts))
        if cols in ('calls,name,errors', 'calls', 'name,calls'):
            eq(tp, ts, '-U %s: no times, the whole table' % cols)


@test
def summary_with_trace():
    r = ptrace(['-C', '-e', 'trace=getppid', mix(), 'calls', '3'])
    out = lines(r.stderr)
    eq(out[:4], ['getppid()                               = %d' % r.pid] * 3 +
       ['+++ exited with 0 +++'])
    eq(out[4:6], [HEADER, RULE])
    eq(rows(out[4:]), [('getppid', 3, 0)])
    eq(ptrace(['-c', '-e', 'trace=getppid', mix(), 'calls', '3']).stderr.count(b'getppid()'), 0)


@test
def wall_clock_and_overhead():
    r = ptrace(['-c', '-w', '-e', 'trace=getppid', '-e', 'inject=getppid:delay_enter=20ms:when=1',
                mix(), 'calls', '2'])
    row = table(r.stderr)[2].split()
    check(float(row[1]) >= 0.02, '-w counts the wall time of the delayed call: %r' % row)
    r = ptrace(['-c', '-O', '1s', '-e', 'trace=getppid', mix(), 'calls', '2'])
    eq(table(r.stderr)[2].split()[1], '0.000000', '-O subtracts (down to 0)')


@test
def system_time_is_measured():
    """Without -w a syscall's time is its thread's CPU time between the stops (read from
    /proc/TID/schedstat): never zero over 300 calls, for each of several threads too."""
    for args in (['calls', '300'], ['threads', '8']):
        r = ptrace(['-c', '-f', '-e', 'trace=getppid', mix()] + args)
        tab = table(r.stderr)
        eq([x[0] for x in rows(tab)], ['getppid'], tab)
        secs = float(tab[2].split()[1])
        check(secs > 0, 'getppid\'s system time with %r: %r' % (args, tab[2]))


@test
def empty_summary():
    r = ptrace(['-c', '-e', 'trace=none', 'true'])
    out = lines(r.stderr)
    eq(len(out), 1, 'no table, only the footer: %r' % out)
    check(out[0].startswith('ptk trace: '), out)


@test
def cost_footer():
    r = ptrace(['-c', mix(), 'calls', '500'])
    stops, reqs, n = stops_of(r.stderr)
    check(n >= 500, n)
    check(2 * n <= stops <= 2 * n + 20, 'two stops per traced syscall: %d for %d' % (stops, n))
    last = lines(r.stderr)[-1]
    m = re.search(r'([\d.]+) requests per stop besides the resume', last)
    check(m and float(m.group(1)) <= 1.1, last)
    # a lone thread: waits poll before they sleep, and the footer says how often that paid
    m = re.search(r'resume; (\d+)% of waits answered by polling, ([\d.]+) polls per wait$', last)
    check(m and (int(m.group(1)) > 0 or float(m.group(2)) > 0), 'no poll: %s' % last)
    # PTK_WAIT_SPIN=0: never a poll
    r = ptrace(['-c', mix(), 'calls', '500'], env=dict(os.environ, PTK_WAIT_SPIN='0'))
    last = lines(r.stderr)[-1]
    check(last.endswith('resume; 0% of waits answered by polling, 0.0 polls per wait'), last)


if __name__ == '__main__':
    raise SystemExit(main())
