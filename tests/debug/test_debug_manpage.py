#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The seed examples of issue 4 exactly as docs/ptk-debug.1 documents them (EXAMPLES),
run on dbg_prog with the man page's placeholders replaced: ./prog by the program,
t.c:12 by the line of a local, 0x401136 by the address of add.  Each asserts the
lines a user would look at."""
import os
import re
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbglib import line_of, norm, prog  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import PTK, SRCDIR, check, eq, fail, main, run, test, text  # noqa: E402

MAN = os.path.join(SRCDIR, 'docs', 'ptk-debug.1')


def examples():
    """The `ptk debug ...` command lines of the EXAMPLES section, as argv lists."""
    with open(MAN, encoding='utf-8') as f:
        lines = f.read().split('.SH EXAMPLES', 1)[1].split('\n.SH ', 1)[0].splitlines()
    out, cur = [], None
    for l in lines:
        if l.startswith('ptk debug '):
            cur = ''
        if cur is None:
            continue
        cont = l.endswith('\\e')
        cur += (l[:-2] if cont else l) + ' '
        if not cont:
            out.append(shlex.split(cur.replace('\\-', '-')))
            cur = None
    return out


def example(word):
    """The example whose commands mention word."""
    for a in examples():
        if any(word in x for x in a):
            return a
    fail('no example with %r in %s' % (word, MAN))


def run_example(argv, subst):
    a = []
    for x in argv:
        for k, v in subst.items():
            x = x.replace(k, v)
        a.append(x)
    eq(a[:3], ['ptk', 'debug', '-batch'])
    r = run([PTK] + a[1:], timeout=120)
    return [norm(l, keep_stack=True) for l in text(r.stdout).splitlines()], r


@test
def four_examples_documented():
    ex = examples()
    eq(len(ex), 5, 'four seed examples and a script: %r' % ex)


@test
def rip_and_rsp_at_exec_stop_and_later():
    o, r = run_example(example('p $rip'), {'./prog': prog('0')})
    eq(o[:2], ['', 'Program stopped.'])
    check(re.match(r'0x[0-9a-f]{16} in _start \(\) from \S+ld-linux', o[2]), o[2])
    check(re.match(r'\$1 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <_start>$', o[3]), o[3])
    check(re.match(r'\$2 = \(void \*\) 0x7ff[0-9a-f]+$', o[4]), o[4])
    check(any(l.startswith('Breakpoint 1, main (argc=1, argv=') for l in o), o)
    check(re.match(r'rip            0x[0-9a-f]+ +0x[0-9a-f]+ <main\+\d+>$', o[-2]), o[-2])
    check(re.match(r'rsp            0x7ff[0-9a-f]+ +0x7ff[0-9a-f]+$', o[-1]), o[-1])
    eq(r.returncode, 0)


@test
def write_a_local_by_address():
    lp = line_of('poke_use')
    o, r = run_example(example('0x678910'), {'./prog': prog('0'), 't.c:12': 'dbg_prog.c:%d' % lp})
    m = re.match(r'\$1 = \(volatile int \*\) (0x[0-9a-f]+)$', o[4])
    check(m, o)
    eq(o[5:], ['%s:\t0x00001234' % m.group(1), '%s:\t0x00678910' % m.group(1)])
    eq(r.returncode, 0)


@test
def breakpoints_by_address_and_symbol():
    o, _ = run_example(['ptk', 'debug', '-batch', '-ex', 'info line add', './prog'],
                       {'./prog': prog('0')})
    m = re.search(r'starts at address (0x[0-9a-f]+) <add>', '\n'.join(o))
    check(m, o)
    entry = int(m.group(1), 16)
    # before run, gdb shows link-time addresses: the loaded program's is what a user types
    o, _ = run_example(['ptk', 'debug', '-batch', '-ex', 'starti', '-ex', 'info line add',
                        './prog'], {'./prog': prog('0')})
    m = re.search(r'starts at address (0x[0-9a-f]+) <add>', '\n'.join(o))
    check(m, o)
    live = m.group(1)
    o, r = run_example(example('0x401136'), {'./prog': prog('0'), '0x401136': live})
    la = line_of('add_body')
    eq(o[0], 'Breakpoint 1 at %s: file dbg_prog.c, line %d.' % (live, la - 1))
    check(re.match(r'Breakpoint 2 at 0x[0-9a-f]+: file dbg_prog\.c, line %d\.$' % la, o[1]), o[1])
    # at the entry, before the prologue stored them, the arguments are not yet in place
    eq(o[2], '')
    check(re.match(r'Breakpoint 1, add \(a=-?\d+, b=-?\d+\) at dbg_prog\.c:%d$' % (la - 1), o[3]),
          o[3])
    eq(o[5:7], ['', 'Breakpoint 2, add (a=1, b=2) at dbg_prog.c:%d' % la])
    eq(o[-1], '[Inferior 1 (process PID) exited with code 03]')
    check(entry != 0 and r.returncode == 0, (entry, r.returncode))


@test
def stepi_prints_each_rip():
    o, r = run_example(example('display/i'), {'./prog': prog('0')})
    rips = [int(m.group(1), 16) for m in
            (re.match(r'=> (0x[0-9a-f]+) <main\+\d+>:\t', l) for l in o) if m]
    eq(len(rips), 4, 'one x/i line per stepi: %r' % o)
    eq(len(set(rips)), 4, 'each stepi moved: %r' % rips)
    eq(r.returncode, 0)


if __name__ == '__main__':
    sys.exit(main())
