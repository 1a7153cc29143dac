#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk debug against gdb, side by side in one run, on the same scripts; prints the
times and the ratios (gdb / ptk: how many times faster ptk is).

    bench/debug_bench.py [--build-dir DIR | --ptk BIN] [--rounds N] [--hits N] [--steps N]
                         [--funcs N]

  cond    `break work if i == -1` (never true) on a function called --hits times
          (default 20000), then `run` to the end: every hit is a stop whose condition
          is evaluated by the debugger.  Target: ptk >= 8x gdb.
  stepi   `stepi N` (default 20000) from a breakpoint in a loop.  Target: ptk >= 5x gdb.
  large   `break main`, `run`, `bt` on a large program with debug information
          (generated: --funcs functions over 100 files, compiled -g -O0).
          Target: ptk <= gdb (a ratio >= 1).

cond and stepi subtract the time of the same session without the work (run to the
breakpoint and kill), so process start-up and symbol reading are not counted; large
is the whole session.  Each time is the best of --rounds runs (the machines are
shared: the best run is the least disturbed one), the base's too.  Both debuggers run with -batch -nx.

The "ptk-noemu" column is ptk with every instruction emulation turned off
(PTK_DEBUG_NOEMU=1): each stepi and each breakpoint hit runs the instruction for
real, which shows what emulation buys.  The ratio and the target are for "ptk".

Then, unless --no-counts, the cost of one hit and of one stepi in system calls:
each session runs under `strace -c` (the debugger process only) with --count-n and
twice as many hits or steps; the difference divided by --count-n is the cost of one
more (ptrace requests, wait4 calls, memory reads and writes: process_vm_readv/writev
or pread64/pwrite64 on /proc/PID/mem), and for ptk the ptrace-stops its session
counted (PTK_DEBUG_STATS=1).

The large program is generated here (C source written by large_program(), compiled
with the system's cc -g -O0): nothing to download, the same on a fresh Debian 12.
Not a test: it asserts nothing.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

PROG = r'''
#include <stdio.h>
#include <stdlib.h>
volatile long sink;
__attribute__((noinline)) void work(int i)
{
	sink += i;
}
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	for (int i = 0; i < n; i++)
		work(i);
	printf("sink=%ld\n", sink);
	return 0;
}
'''


def large_program(d, nfuncs):
    """A program of nfuncs functions in 100 files with structs, globals and locals."""
    per = max(1, nfuncs // 100)
    files = []
    for f in range(100):
        lines = ['#include <stdio.h>', '#include <string.h>',
                 'struct rec%d { int id; double w[4]; char name[16]; struct rec%d *next; };'
                 % (f, f), 'static struct rec%d table%d[64];' % (f, f),
                 'int counter%d;' % f]
        lines += ['int f%d_%d(int x);' % (f, k) for k in range(per)]
        for k in range(per):
            fn = 'f%d_%d' % (f, k)
            call = 'f%d_%d(x + 1)' % (f, k + 1) if k + 1 < per else 'x'
            lines += ['int %s(int x)' % fn, '{',
                      '\tstruct rec%d *r = &table%d[x & 63];' % (f, f),
                      '\tint loc[8];', '\tmemset(loc, 0, sizeof loc);',
                      '\tr->id = x; r->w[x & 3] = x * 0.5; counter%d += loc[x & 7];' % f,
                      '\tif (x > 1000000) return %s;' % call,
                      '\treturn r->id + counter%d;' % f, '}']
        path = os.path.join(d, 'm%d.c' % f)
        with open(path, 'w') as fh:
            fh.write('\n'.join(lines) + '\n')
        files.append(path)
    main = ['#include <stdio.h>']
    main += ['int f%d_0(int x);' % f for f in range(100)]
    main += ['int main(int argc, char **argv)', '{', '\tint s = argc;']
    main += ['\ts += f%d_0(s);' % f for f in range(100)]
    main += ['\tprintf("%d\\n", s);', '\treturn 0;', '}']
    path = os.path.join(d, 'main.c')
    with open(path, 'w') as fh:
        fh.write('\n'.join(main) + '\n')
    files.append(path)
    exe = os.path.join(d, 'large')
    objs = []
    procs = []
    for c in files:
        o = c[:-2] + '.o'
        objs.append(o)
        procs.append(subprocess.Popen(['cc', '-g', '-O0', '-c', '-o', o, c],
                                      stderr=subprocess.DEVNULL))
        if len(procs) >= 8:
            for p in procs:
                p.wait()
            procs = []
    for p in procs:
        p.wait()
    subprocess.run(['cc', '-o', exe] + objs, check=True)
    return exe


def timed(argv, want, env=None):
    """Run a session; its output must contain `want` (else the measurement is void)."""
    t0 = time.monotonic()
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, env=env)
    t = time.monotonic() - t0
    out = r.stdout.decode('utf-8', 'replace')
    if want not in out:
        sys.exit('%s: no %r in its output:\n%s' % (' '.join(argv), want, out[-2000:]))
    return t


TOOLS = ('gdb', 'ptk', 'ptk-noemu')


def tool_env(tool):
    env = dict(os.environ)
    env.pop('PTK_DEBUG_NOEMU', None)
    if tool == 'ptk-noemu':
        env['PTK_DEBUG_NOEMU'] = '1'
    return env


def session(tool, ptk, cmds, argv):
    a = ['gdb', '-nx', '-batch'] if tool == 'gdb' else [ptk, 'debug', '-batch']
    for c in cmds:
        a += ['-ex', c]
    return a + ['--args'] + argv


def best(tool, ptk, cmds, argv, rounds, want, base_cmds=None, base_want=None):
    """The best time of the session, minus the best time of the base session."""
    times, bases = [], [0.0]
    env = tool_env(tool)
    for _ in range(rounds):
        times.append(timed(session(tool, ptk, cmds, argv), want, env))
        if base_cmds is not None:
            bases.append(timed(session(tool, ptk, base_cmds, argv), base_want, env))
    return min(times) - min(bases[1:] or bases)


COUNTED = ('ptrace', 'wait4', 'process_vm_readv', 'process_vm_writev', 'pread64', 'pwrite64')


def syscounts(tool, ptk, cmds, argv, want, d):
    """System calls of one session (strace -c, the debugger process alone) and ptk's stops."""
    out = os.path.join(d, 'strace.out')
    env = tool_env(tool)
    env['PTK_DEBUG_STATS'] = '1'
    a = ['strace', '-c', '-o', out, '-e', 'trace=' + ','.join(COUNTED)]
    r = subprocess.run(a + session(tool, ptk, cmds, argv), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    text = r.stdout.decode('utf-8', 'replace')
    if want not in text:
        sys.exit('%s under strace: no %r in its output:\n%s' % (tool, want, text[-2000:]))
    c = dict.fromkeys(COUNTED, 0)
    with open(out) as f:
        for line in f:
            w = line.split()
            if len(w) >= 5 and w[-1] in c:
                c[w[-1]] = int(w[3])
    c['stops'] = None
    for line in text.splitlines():
        if line.startswith('[ptk stats: stops '):
            c['stops'] = int(line.split()[3])
    return c


def per_unit(tool, ptk, mk, n, d):
    """Cost of one unit: counts with 2n units minus counts with n, over n."""
    cmds1, argv1, want1 = mk(n)
    cmds2, argv2, want2 = mk(2 * n)
    c1 = syscounts(tool, ptk, cmds1, argv1, want1, d)
    c2 = syscounts(tool, ptk, cmds2, argv2, want2, d)
    res = {}
    for k in c1:
        if c1[k] is not None and c2[k] is not None:
            res[k] = (c2[k] - c1[k]) / n
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build-dir', default=os.path.join(SRC, 'build'))
    ap.add_argument('--ptk')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--hits', type=int, default=20000)
    ap.add_argument('--steps', type=int, default=20000)
    ap.add_argument('--funcs', type=int, default=20000)
    ap.add_argument('--no-counts', action='store_true')
    ap.add_argument('--count-n', type=int, default=500)
    ap.add_argument('--only', default='cond,stepi,large',
                    help='comma-separated subset of cond,stepi,large')
    a = ap.parse_args()
    if not shutil.which('gdb'):
        sys.exit('gdb is not installed')
    ptk = a.ptk
    if not ptk:
        subprocess.run(['meson', 'compile', '-C', a.build_dir], check=True,
                       stdout=subprocess.DEVNULL)
        ptk = os.path.join(a.build_dir, 'src', 'ptk')
    counts = not a.no_counts and shutil.which('strace')
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'work.c')
        with open(src, 'w') as f:
            f.write(PROG)
        prog = os.path.join(d, 'work')
        subprocess.run(['cc', '-g', '-O0', '-o', prog, src], check=True)
        rows = []
        costs = []

        def cond_cmds(n):
            return (['break work if i == -1', 'run'], [prog, str(n)],
                    'sink=%d' % (n * (n - 1) // 2))

        def step_cmds(n):
            # the breakpoint goes before stepping: a stepi that lands on it stops there
            return (['break work', 'run', 'delete', 'stepi %d' % n, 'p $pc', 'kill'],
                    [prog, '100000000'], '$1 = ')

        only = a.only.split(',')
        if 'cond' in only:
            cmds, args, done = cond_cmds(a.hits)
            base = ['break work if i == -1', 'break main', 'run', 'kill']
            t = [best(tool, ptk, cmds, args, a.rounds, done, base, 'Breakpoint 2, main')
                 for tool in TOOLS]
            rows.append(('cond', '%d hits' % a.hits, t, 8.0, a.hits))
        if 'stepi' in only:
            cmds, args, done = step_cmds(a.steps)
            base = ['break work', 'run', 'delete', 'p $pc', 'kill']
            t = [best(tool, ptk, cmds, args, a.rounds, done, base, '$1 = ') for tool in TOOLS]
            rows.append(('stepi', '%d steps' % a.steps, t, 5.0, a.steps))
        if 'large' in only:
            sys.stderr.write('building a program of %d functions...\n' % a.funcs)
            large = large_program(d, a.funcs)
            cmds = ['break main', 'run', 'bt', 'kill']
            t = [best(tool, ptk, cmds, [large], a.rounds, '#0  main (') for tool in TOOLS]
            rows.append(('large', '%d funcs, %d KiB' % (a.funcs,
                                                        os.path.getsize(large) // 1024), t,
                         1.0, 0))
        if counts:
            for name, mk in (('hit', cond_cmds), ('stepi', step_cmds)):
                if (name == 'hit' and 'cond' in only) or (name == 'stepi' and 'stepi' in only):
                    for tool in TOOLS:
                        costs.append((name, tool, per_unit(tool, ptk, mk, a.count_n, d)))
    print('%-6s %-22s %9s %9s %9s %8s %7s' % ('bench', 'work', 'gdb s', 'ptk s', 'noemu s',
                                              'ratio', 'target'))
    for name, work, t, target, n in rows:
        g, p, pn = t
        ratio = g / p if p > 0 else float('inf')
        print('%-6s %-22s %9.3f %9.3f %9.3f %7.1fx %6.1fx%s' % (
            name, work, g, p, pn, ratio, target, '' if ratio >= target else '  (below target)'))
    for name, work, t, target, n in rows:
        if n:
            print('per %s: gdb %.0f us, ptk %.0f us, ptk-noemu %.0f us' % (
                'hit' if name == 'cond' else name, *(x / n * 1e6 for x in t)))
    if costs:
        print('\nsystem calls per unit (strace -c; %d and %d units):' % (a.count_n,
                                                                       2 * a.count_n))
        print('%-6s %-10s %7s %7s %7s %7s' % ('unit', 'tool', 'stops', 'ptrace', 'wait4',
                                              'memory'))
        for name, tool, c in costs:
            mem = sum(c.get(k, 0) for k in COUNTED[2:])
            stops = '%7.2f' % c['stops'] if 'stops' in c else '%7s' % '-'
            print('%-6s %-10s %s %7.2f %7.2f %7.2f' % (name, tool, stops, c['ptrace'],
                                                       c['wait4'], mem))
    return 0


if __name__ == '__main__':
    sys.exit(main())
