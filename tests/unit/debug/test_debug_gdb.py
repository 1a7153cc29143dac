#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk debug's printing against gdb itself, on this machine.

gdb-program.c is compiled with gcc -g -O0 -no-pie and stopped at main under
gdb; the same data commands run through debug-print-fake (the pure parts on
the fake target, whose memory mirrors that stop). Every output line must be
identical. Skipped when gdb or gcc is missing, or when the compiler laid the
program out differently from the fake target (addresses are part of the output).
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..'))
from harness import BUILD, SRCDIR, eq, main, skip, test  # noqa: E402

HERE = os.path.join(SRCDIR, 'tests', 'unit', 'debug')

# Data commands whose output does not depend on the process's registers or stack.
COMMANDS = [
    'p gi', 'p neg', 'p gu', 'p gc', 'p gsc', 'p guc', 'p gs', 'p gus', 'p gl', 'p gul',
    'p gll', 'p gb', 'p gbf', 'p gf', 'p gf2', 'p gd', 'p gd2', 'p gd3', 'p gld',
    'p arr', 'p zeros', 'p rep', 'p big', 'p str', 'p full', 'p msg', 'p nullp', 'p ip',
    'p vp', 'p gs_', 'p sp', 'p *sp', 'p gun', 'p col', 'p colbad', 'p fl', 'p flbad', 'p tu',
    'p m2', 'p esc', 'p ubytes', 'p fp', 'p func', 'p main', 'p &func', 'p *func', 'p inarr',
    'p &arr', 'p &arr[1]', 'p *arr@3', 'p arr[1]@2', 'p/x arr', 'p/x gs_', 'p/x -1', 'p/t 5',
    'p/c 65', 'p/o 8', 'p/x gd', 'p/f gi', 'p/d gc', 'p/u gsc', 'p/a 0x401136', 'p/s str',
    'p/z 5', 'p/x gsc', 'p/c 300', 'p/c -1', 'p/t -1', 'p/o -1', 'p/x 1.5', 'p/d 1.5',
    'p/f 3', 'p/c gi', 'p/x gb', 'p sizeof(struct s)', 'p 10/0', 'p 10.0/0', 'p 0.0/0',
    'p 1.0/3', 'p 100.0/3', 'p 1e16', 'p 2.5e-5', "p '\\377'", 'p "hi"', 'p 1u - 2',
    'p -5 % 2', 'p ip + 1', 'p &arr[3] - &arr[0]', 'p *gi', 'p &1', 'p nosuch', 'p *nullp',
    'p gs_.nosuch', 'p gi.a', 'p gi->a', 'p arr + 1', 'p $', 'p $$', 'p $1', 'p $$2',
    'p $foo', 'p $foo = 5', 'p $foo * 2', 'p (struct inner *)sp', 'p *(struct inner *)sp',
    'p {int} &gi', 'p (enum color)1', 'p (enum flags)3', 'p (enum flags)0', 'p RED',
    'p BLUE + 1', 'p 1 +', 'p )', 'p 1 2', 'p *ip@0', 'p gs_.bf1', 'p gs_.bf2',
    'p &gs_.bf1', 'p &gs_.name', 'p msg[0]', 'p msg + 1', 'p &msg', 'p str + 1',
    'p (char *)&gi', 'p (void (*)(void))0', 'p main + 1', 'p gun.b', 'p 1.5 & 1',
    'p ip * 2', 'p gs_ + 1', 'p ~1.5', 'p 1[arr]', 'p (struct s)1', 'p *vp', 'p vp + 1',
    'p "ab"[1]', 'p $999', 'p sizeof(struct nosuch)', 'p (short)70000', "p 'ab'", 'p 08',
    'p 99999999999999999999', 'p (int)-1.9', 'p -gu', 'p gi = 7', 'p gi += 3', 'p gi',
    'p arr[1] = 9', 'p arr', 'p gs_.bf1 = 2', 'p gs_', 'output gi', 'output/x 255',
    'whatis gi', 'whatis sp->in', 'whatis &arr', 'whatis *arr@2', 'whatis fp',
    'whatis func', 'whatis 1u + 1l', 'whatis gu + gl', 'whatis col + 1', 'whatis msg',
    'whatis 0x80000000', 'whatis 1ll + 1', 'whatis char (*)[4]', 'whatis struct s',
    'ptype struct s', 'ptype sp', 'ptype inarr', 'ptype enum color', 'ptype fp',
    'x/4xw arr', 'x', 'x/2xg arr', 'x/8xb arr', 'x/3dw arr', 'x/3tw arr', 'x/2xh arr',
    'x/s msg', 'x/2c msg', 'x/2a &ip', 'x/3uw arr', 'x/x', 'x/2fg &gd',
]


def gdb_output(prog):
    args = ['gdb', '-nx', '-q', '-batch', '-ex', 'set trace-commands on', '-ex',
            'set confirm off', '-ex', 'break main', '-ex', 'run']
    for c in COMMANDS:
        args += ['-ex', c]
    r = subprocess.run(args + [prog], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=120, env=dict(os.environ, LC_ALL='C'))
    text = r.stdout.decode('utf-8', 'replace')
    # Keep what follows the first of our commands.
    start = text.find('\n+' + COMMANDS[0] + '\n')
    if start < 0:
        skip('gdb did not reach main: ' + text[-300:])
    return text[start + 1:]


def split(text):
    """The output of each command, cut at gdb's '+COMMAND' trace lines (which may follow
    output without a newline, as after `output`)."""
    marks = []
    pos = 0
    for c in COMMANDS:
        k = text.find('+' + c + '\n', pos)
        if k < 0:
            break
        marks.append((k, k + len(c) + 2))
        pos = k + len(c) + 2
    out = []
    for n, (k, body) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(text)
        out.append(text[body:end])
    return out


@test
def print_matches_gdb():
    for tool in ('gdb', 'gcc', 'nm'):
        if not shutil.which(tool):
            skip('%s is not installed' % tool)
    helper = os.path.join(BUILD, 'tests', 'unit', 'debug', 'debug-print-fake')
    if not os.access(helper, os.X_OK):
        skip('debug-print-fake not built in %s' % BUILD)
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, 'gdb-program')
        subprocess.run(['gcc', '-g', '-O0', '-no-pie', '-o', prog,
                        os.path.join(HERE, 'gdb-program.c')], check=True)
        syms = subprocess.run(['nm', prog], stdout=subprocess.PIPE, check=True).stdout.decode()
        want = {'gi': '404020', 'gs_': '404180', 'main': '401115', 'big': '404240',
                'fp': '4046f8'}
        for name, addr in want.items():
            if ('%016x' % int(addr, 16)) + ' ' not in syms or \
                    not any(l.startswith('%016x' % int(addr, 16)) and l.endswith(' ' + name)
                            for l in syms.splitlines()):
                skip('this compiler placed %s elsewhere than the fake target assumes' % name)
        g = split(gdb_output(prog))
        r = subprocess.run([helper] + COMMANDS, stdout=subprocess.PIPE, timeout=60)
        ours = split(r.stdout.decode('utf-8', 'replace'))
    eq(len(ours), len(COMMANDS), 'commands run by debug-print-fake')
    eq(len(g), len(COMMANDS), 'commands run by gdb')
    diffs = ['%s\n  gdb:  %r\n  ptk:  %r' % (COMMANDS[i], g[i], ours[i])
             for i in range(len(COMMANDS)) if g[i] != ours[i]]
    eq('\n'.join(diffs), '', '%d of %d commands differ from gdb' % (len(diffs), len(COMMANDS)))


if __name__ == '__main__':
    sys.exit(main())
