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
is the whole session.  Each is the best of --rounds runs (the machines are shared:
the best run is the least disturbed one).  Both debuggers run with -batch -nx.
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


def timed(argv, want):
    """Run a session; its output must contain `want` (else the measurement is void)."""
    t0 = time.monotonic()
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL)
    t = time.monotonic() - t0
    out = r.stdout.decode('utf-8', 'replace')
    if want not in out:
        sys.exit('%s: no %r in its output:\n%s' % (' '.join(argv), want, out[-2000:]))
    return t


def session(tool, ptk, cmds, argv):
    a = [ptk, 'debug', '-batch'] if tool == 'ptk' else ['gdb', '-nx', '-batch']
    for c in cmds:
        a += ['-ex', c]
    return a + ['--args'] + argv


def best(tool, ptk, cmds, argv, rounds, want, base_cmds=None, base_want=None):
    times = []
    for _ in range(rounds):
        t = timed(session(tool, ptk, cmds, argv), want)
        if base_cmds is not None:
            t -= timed(session(tool, ptk, base_cmds, argv), base_want)
        times.append(t)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build-dir', default=os.path.join(SRC, 'build'))
    ap.add_argument('--ptk')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--hits', type=int, default=20000)
    ap.add_argument('--steps', type=int, default=20000)
    ap.add_argument('--funcs', type=int, default=20000)
    a = ap.parse_args()
    if not shutil.which('gdb'):
        sys.exit('gdb is not installed')
    ptk = a.ptk
    if not ptk:
        subprocess.run(['meson', 'compile', '-C', a.build_dir], check=True,
                       stdout=subprocess.DEVNULL)
        ptk = os.path.join(a.build_dir, 'src', 'ptk')
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'work.c')
        with open(src, 'w') as f:
            f.write(PROG)
        prog = os.path.join(d, 'work')
        subprocess.run(['cc', '-g', '-O0', '-o', prog, src], check=True)
        rows = []
        base = ['break work if i == -1', 'break main', 'run', 'kill']
        cmds = ['break work if i == -1', 'run']
        done = 'sink=%d' % (a.hits * (a.hits - 1) // 2)
        args = [prog, str(a.hits)]
        g = best('gdb', ptk, cmds, args, a.rounds, done, base, 'Breakpoint 2, main')
        p = best('ptk', ptk, cmds, args, a.rounds, done, base, 'Breakpoint 2, main')
        rows.append(('cond', '%d hits' % a.hits, g, p, 8.0))
        cmds = ['break work', 'run', 'stepi %d' % a.steps, 'p $pc', 'kill']
        base = ['break work', 'run', 'p $pc', 'kill']
        args = [prog, '100000000']
        g = best('gdb', ptk, cmds, args, a.rounds, '$1 = ', base, '$1 = ')
        p = best('ptk', ptk, cmds, args, a.rounds, '$1 = ', base, '$1 = ')
        rows.append(('stepi', '%d steps' % a.steps, g, p, 5.0))
        sys.stderr.write('building a program of %d functions...\n' % a.funcs)
        large = large_program(d, a.funcs)
        cmds = ['break main', 'run', 'bt', 'kill']
        g = best('gdb', ptk, cmds, [large], a.rounds, '#0  main (')
        p = best('ptk', ptk, cmds, [large], a.rounds, '#0  main (')
        rows.append(('large', '%d funcs, %d KiB' % (a.funcs, os.path.getsize(large) // 1024), g,
                     p, 1.0))
    print('%-6s %-24s %10s %10s %8s %8s' % ('bench', 'work', 'gdb s', 'ptk s', 'ratio',
                                            'target'))
    for name, work, g, p, target in rows:
        ratio = g / p if p > 0 else float('inf')
        print('%-6s %-24s %10.3f %10.3f %7.1fx %7.1fx%s' % (
            name, work, g, p, ratio, target, '' if ratio >= target else '  (below target)'))
    if 'cond' == rows[0][0]:
        print('per hit: gdb %.0f us, ptk %.0f us; per stepi: gdb %.0f us, ptk %.0f us' % (
            rows[0][2] / a.hits * 1e6, rows[0][3] / a.hits * 1e6,
            rows[1][2] / a.steps * 1e6, rows[1][3] / a.steps * 1e6))
    return 0


if __name__ == '__main__':
    sys.exit(main())
