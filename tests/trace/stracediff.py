#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare `ptk trace` with strace on the same command, line by line.

    tests/trace/stracediff.py [-v] [--opts "-s 64 -y"] -- COMMAND [ARGS...]

Both tracers run the command with -ff -o (one file per process, so that lines of
different processes do not interleave differently), the processes are paired in
the order of the process tree (the first process, then each one's children in the
order its fork/vfork/clone calls returned them, depth first: siblings created by
two processes at once are numbered the same in both runs), and each line is
normalized before comparing: process ids become PID1, PID2, ... (in that order),
addresses printed in hex become 0xADDR, times and timestamps are masked.  Prints the identical / total line counts (the
compatibility figure) and, with -v, every differing pair.  As a module, compare()
returns the same numbers for tests.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HEX = re.compile(r'0x[0-9a-f]{6,}')
TIMES = [
    (re.compile(r'(st_[amc]time(?:_nsec)?|stx_[abcm]time)=[^,}]*(\}[^,}]*)?'), r'\1=T'),
    (re.compile(r'\{tv_sec=\d+, tv_nsec=\d+\}'), '{tv_sec=S, tv_nsec=N}'),
    (re.compile(r'\{tv_sec=\d+, tv_usec=\d+\}'), '{tv_sec=S, tv_usec=U}'),
    (re.compile(r'si_utime=\d+, si_stime=\d+'), 'si_utime=U, si_stime=S'),
    (re.compile(r'<\d+\.\d+>$'), '<T>'),
]


CHILD = re.compile(r'^(?:<\.\.\. )?(?:fork|vfork|clone|clone3)\b.*\) += (\d+)(?: |$)')


def tree_order(procs):
    """procs [(pid, lines)] in creation order -> the same in process-tree order."""
    by_pid = dict(procs)
    kids = {pid: [int(m.group(1)) for m in map(CHILD.match, lines) if m]
            for pid, lines in procs}
    born = {k for ks in kids.values() for k in ks}
    out, seen = [], set()

    def walk(pid):
        if pid in seen or pid not in by_pid:
            return
        seen.add(pid)
        out.append((pid, by_pid[pid]))
        for k in kids[pid]:
            walk(k)
    for pid, _ in procs:
        if pid not in born:
            walk(pid)
    for pid, lines in procs:  # (whatever the walk did not reach, in creation order)
        if pid not in seen:
            seen.add(pid)
            out.append((pid, lines))
    return out


def run_tracer(argv, tracer, opts, workdir, env=None, timeout=300, stdin=None):
    prefix = os.path.join(workdir, 'out')
    cmd = tracer + opts + ['-ff', '-o', prefix, '--'] + argv
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       env=env, stdin=stdin if stdin is not None else subprocess.DEVNULL)
    files = sorted(glob.glob(prefix + '.*'), key=lambda f: int(f.rsplit('.', 1)[1]))
    procs = []
    for f in files:
        with open(f, encoding='utf-8', errors='replace') as fh:
            procs.append((int(f.rsplit('.', 1)[1]), fh.read().splitlines()))
    return r, tree_order(procs)


def normalizer(pids):
    """A function masking the pids (PID1, ... in the order given), addresses and times of a line."""
    names = {str(p): 'PID%d' % (i + 1) for i, p in enumerate(pids)}
    pid_re = re.compile(r'\b(' + '|'.join(sorted(names, key=len, reverse=True)) + r')\b') \
        if names else None

    def norm(line):
        if pid_re:
            line = pid_re.sub(lambda m: names[m.group(1)], line)
        line = HEX.sub('0xADDR', line)
        for pat, rep in TIMES:
            line = pat.sub(rep, line)
        return line
    return norm


def compare(argv, ptk, opts=(), strace='strace', cwd=None, env=None, setup=None):
    """Run both tracers; return (identical, total, diffs[(proc, strace_line, ptk_line)])."""
    results = []
    for tracer in ([strace], [ptk, 'trace']):
        with tempfile.TemporaryDirectory() as work:
            run_dir = cwd
            if setup:
                run_dir = setup(work)
            with tempfile.TemporaryDirectory() as outdir:
                old = os.getcwd()
                if run_dir:
                    os.chdir(run_dir)
                try:
                    r, procs = run_tracer(list(argv), tracer, list(opts), outdir, env=env)
                finally:
                    os.chdir(old)
        results.append((r, procs))
    (_, sprocs), (_, pprocs) = results
    snorm = normalizer([p for p, _ in sprocs])
    pnorm = normalizer([p for p, _ in pprocs])
    same = total = 0
    diffs = []
    for i in range(max(len(sprocs), len(pprocs))):
        sl = [snorm(l) for l in sprocs[i][1]] if i < len(sprocs) else []
        pl = [pnorm(l) for l in pprocs[i][1]] if i < len(pprocs) else []
        for k in range(max(len(sl), len(pl))):
            a = sl[k] if k < len(sl) else None
            b = pl[k] if k < len(pl) else None
            total += 1
            if a == b:
                same += 1
            else:
                diffs.append((i + 1, a, b))
    return same, total, diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('-v', action='store_true', help='print every differing pair')
    ap.add_argument('--opts', default='', help='options given to both tracers')
    ap.add_argument('--ptk', default=os.environ.get('PTK_BIN', os.path.join(
        os.path.dirname(__file__), '..', '..', 'build', 'src', 'ptk')))
    ap.add_argument('command', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ['--'] else a.command
    if not cmd:
        ap.error('no command')
    if not shutil.which('strace'):
        sys.exit('stracediff: strace is not installed')
    same, total, diffs = compare(cmd, a.ptk, a.opts.split())
    if a.v:
        for proc, s, p in diffs:
            print('process %d:\n  strace: %s\n  ptk:    %s' % (proc, s, p))
    pct = 100.0 * same / total if total else 100.0
    print('%d/%d lines identical (%.2f%%)' % (same, total, pct))
    return 0 if same == total else 1


if __name__ == '__main__':
    sys.exit(main())
