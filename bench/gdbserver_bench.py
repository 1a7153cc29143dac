#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk gdbserver against the installed gdbserver, side by side in one run, driven by the
same gdb script; prints rates and ratios (ptk / gdbserver, higher is better).

    bench/gdbserver_bench.py [--build-dir DIR | --ptk BIN] [--rounds N] [--steps N] [--hits N]

  stepi     gdb `stepi N` (default 10000) from main of a small program: one vCont;s, one
            stop reply and the memory reads gdb makes per instruction.
            Target: ptk >= 1.0x gdbserver.
  cond      a breakpoint whose condition is always false (`if i < 0`), hit N times
            (default 20000), with `set breakpoint condition-evaluation target`: the
            condition travels as agent bytecode in Z0 and the server evaluates it.
            Target: ptk >= 1.5x gdbserver.

It builds ptk (meson compile in the build directory) and compiles its subject program
with cc -g -O0.  Each measurement is the gdb command alone (timed inside gdb with
Python), servers alternate, and the best of --rounds runs of each is kept (the machines
are shared: the best run is the one least disturbed).  Not a test: it asserts nothing.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

PROG = r'''
#include <stdio.h>
#include <stdlib.h>
__attribute__((noinline)) static int step_target(long i)
{
	return (int)(i & 1);
}
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000, odd = 0;
	for (long i = 0; i < n; i++)
		odd += step_target(i);
	printf("n=%ld odd=%ld\n", n, odd);
	return 0;
}
'''


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def measure(server, ptk, prog, args, setup, timed):
    """Seconds gdb spends in `timed`, against a fresh server (ptk or gdbserver)."""
    port = free_port()
    if server == 'ptk':
        argv = [ptk, 'gdbserver', '127.0.0.1:%d' % port, prog] + args
    else:
        argv = ['gdbserver', '--once', '127.0.0.1:%d' % port, prog] + args
    srv = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    line = b''
    while not re.search(rb'[Ll]istening on', line):
        line = srv.stderr.readline()
        if not line:
            sys.exit('%s did not start' % server)
    with tempfile.NamedTemporaryFile('w', suffix='.gdb', delete=False) as f:
        f.write('set confirm off\nset sysroot /\ntarget remote 127.0.0.1:%d\n' % port)
        f.write(''.join(c + '\n' for c in setup))
        f.write('python\nimport time\nt0 = time.monotonic()\n'
                'gdb.execute(%r, to_string=True)\n'
                'print("ELAPSED %%.6f" %% (time.monotonic() - t0))\nend\nkill\n' % timed)
        script = f.name
    try:
        r = subprocess.run(['gdb', '-batch', '-nx', '-x', script, prog], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200,
                           env=dict(os.environ, DEBUGINFOD_URLS=''))
    finally:
        os.unlink(script)
        try:
            srv.wait(timeout=30)
        except subprocess.TimeoutExpired:
            srv.kill()
            srv.wait()
    m = re.search(r'ELAPSED ([0-9.]+)', r.stdout.decode(errors='replace'))
    if not m:
        sys.exit('%s: no timing in gdb output:\n%s' % (server, r.stdout.decode()[-3000:]))
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--build-dir', default=os.path.join(SRC, 'build'))
    ap.add_argument('--ptk', help='a ptk binary to use as is (no build)')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--steps', type=int, default=10000)
    ap.add_argument('--hits', type=int, default=20000)
    a = ap.parse_args()
    for tool in ('gdb', 'gdbserver', 'cc'):
        if not shutil.which(tool):
            sys.exit('gdbserver_bench: %s is not installed' % tool)
    ptk = a.ptk
    if not ptk:
        if not os.path.exists(os.path.join(a.build_dir, 'build.ninja')):
            subprocess.run(['meson', 'setup', a.build_dir, SRC], check=True,
                           stdout=subprocess.DEVNULL)
        subprocess.run(['meson', 'compile', '-C', a.build_dir], check=True,
                       stdout=subprocess.DEVNULL)
        ptk = os.path.join(a.build_dir, 'src', 'ptk')
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'loop.c')
        prog = os.path.join(d, 'loop')
        with open(src, 'w') as f:
            f.write(PROG)
        subprocess.run(['cc', '-g', '-O0', '-o', prog, src], check=True)
        cases = [
            ('stepi', 'gdb stepi %d' % a.steps, 'steps/s', a.steps, [str(a.steps)],
             ['break main', 'continue'], 'stepi %d' % a.steps, 1.0),
            ('cond', 'false condition, %d hits, evaluated by the server' % a.hits, 'hits/s',
             a.hits, [str(a.hits)],
             ['break main', 'continue', 'set breakpoint condition-evaluation target',
              'break step_target if i < 0'], 'continue', 1.5),
        ]
        print('ptk gdbserver vs gdbserver (%s), best of %d runs each' %
              (subprocess.run(['gdbserver', '--version'], stdout=subprocess.PIPE).stdout.decode()
               .splitlines()[0], a.rounds))
        for name, what, unit, count, args, setup, timed, target in cases:
            best = {'ptk': None, 'gdbserver': None}
            for _ in range(a.rounds):
                for server in ('gdbserver', 'ptk'):
                    t = measure(server, ptk, prog, args, setup, timed)
                    best[server] = t if best[server] is None else min(best[server], t)
            rate = {s: count / t for s, t in best.items()}
            ratio = rate['ptk'] / rate['gdbserver']
            print('%-6s %-52s gdbserver %8.0f %s   ptk %8.0f %s   ratio %.2fx (target >= %.1fx)'
                  % (name, what, rate['gdbserver'], unit, rate['ptk'], unit, ratio, target))
    return 0


if __name__ == '__main__':
    sys.exit(main())
