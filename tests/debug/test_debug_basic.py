#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ptk debug -batch` sessions on dbg_prog (-O0 -g and -O2 -g) with exact expected
lines: breakpoints of every kind, conditions, ignore counts, tbreak, stepping,
finish, the seed examples of issue 4, x and print on live memory, registers, and
bad input (one clear line, the session goes on)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbglib import (breakpoint_addr, err_lines, line_of, norm, out_lines, prog,  # noqa: E402
                    session)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import check, eq, main, test, text  # noqa: E402


def src(tag):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tracees',
                           'dbg_prog.c'), encoding='utf-8') as f:
        return f.read().splitlines()[line_of(tag) - 1]


@test
def break_function_run_bt_finish():
    r = session(['break add', 'run', 'bt', 'finish', 'continue'], [prog('0')])
    o = [norm(l) for l in out_lines(r)]
    la, lm = line_of('add_body'), line_of('main_add')
    check(re.match(r'Breakpoint 1 at 0x[0-9a-f]+: file dbg_prog\.c, line %d\.$' % la, o[0]),
          'break line: %r' % o[0])
    eq(o[1:4], ['', 'Breakpoint 1, add (a=1, b=2) at dbg_prog.c:%d' % la,
                '%d\t%s' % (la, src('add_body'))])
    eq(o[4], '#0  add (a=1, b=2) at dbg_prog.c:%d' % la)
    check(re.match(r'#1  0x[0-9a-f]{16} in mode_default \(\) at dbg_prog\.c:%d$' % lm, o[5]),
          'caller frame: %r' % o[5])
    check(re.match(r'#2  0x[0-9a-f]{16} in main \(argc=1, argv=STACK\) at dbg_prog\.c:\d+$',
                   o[6]), 'outermost frame: %r' % o[6])
    check(re.match(r'0x[0-9a-f]{16} in mode_default \(\) at dbg_prog\.c:%d$' % lm, o[7]),
          'finish location: %r' % o[7])
    eq(o[8], '%d\t%s' % (lm, src('main_add')))
    eq(o[9], 'Value returned is $1 = 3')
    eq(o[10:], ['add=3 fact=120', 'poke=0x1234', 'done',
                '[Inferior 1 (process PID) exited with code 03]'])
    eq(r.returncode, 0)


@test
def tbreak_file_line_condition_ignore():
    lf = line_of('fact_body')
    r = session(['tbreak dbg_prog.c:%d' % lf, 'break fact if n == 2', 'run',
                 'info breakpoints', 'continue', 'p n', 'ignore 2 5', 'continue'],
                [prog('0')])
    o = [norm(l) for l in out_lines(r)]
    check(re.match(r'Temporary breakpoint 1 at 0x[0-9a-f]+: file dbg_prog\.c, line %d\.' % lf,
                   o[0]), o[0])
    check(re.match(r'Breakpoint 2 at 0x[0-9a-f]+: file dbg_prog\.c, line %d\.' % lf, o[1]), o[1])
    i = o.index('Temporary breakpoint 1, fact (n=5) at dbg_prog.c:%d' % lf)
    eq(o[i + 1], '%d\t%s' % (lf, src('fact_body')))
    # the temporary breakpoint is gone, the conditional one listed with its condition
    eq(o[i + 2], 'Num     Type           Disp Enb Address            What')
    check(re.match(r'2       breakpoint     keep y   0x[0-9a-f]{16} in fact at dbg_prog\.c:%d$' %
                   lf, o[i + 3]), o[i + 3])
    eq(o[i + 4], '\tstop only if n == 2')
    # the condition was false for n = 5, 4, 3 and true for 2
    eq(o[i + 5:i + 8], ['', 'Breakpoint 2, fact (n=2) at dbg_prog.c:%d' % lf,
                        '%d\t%s' % (lf, src('fact_body'))])
    eq(o[i + 8], '$1 = 2')
    # the condition is false for n = 1: the program runs to its end
    eq(o[-1], '[Inferior 1 (process PID) exited with code 03]')


@test
def ignore_count_and_hit_count():
    r = session(['break work', 'ignore 1 99', 'run', 'p i', 'info breakpoints', 'kill'],
                [prog('0'), 'loop', '150'])
    o = [norm(l) for l in out_lines(r)]
    check('Breakpoint 1, work (i=99) at dbg_prog.c:%d' % line_of('work_body') in o, o)
    eq(o[o.index('$1 = 99') + 3], '\tbreakpoint already hit 100 times')
    eq(o[-1], '[Inferior 1 (process PID) killed]')


@test
def breakpoint_by_address_and_symbol_then_removed():
    """Seed example: break by address and by symbol, continue to each, remove them."""
    r = session(['start', 'info line add'], [prog('0')])
    m = re.search(r'starts at address (0x[0-9a-f]+)', text(r.stdout))
    check(m, 'info line add: %r %r' % (r.stdout, r.stderr))
    entry = int(m.group(1), 16)
    r = session(['break *0x%x' % entry, 'break fact', 'run', 'p $pc', 'continue', 'delete 1',
                 'delete 2', 'info breakpoints', 'continue'], [prog('0')])
    o = [norm(l) for l in out_lines(r)]
    eq(breakpoint_addr(o), entry)
    check(re.match(r'Breakpoint 1 at 0x%x: file dbg_prog\.c, line \d+\.' % entry, o[0]), o[0])
    check(any(re.match(r'Breakpoint 1, add \(a=.*\) at dbg_prog\.c:\d+$', l) for l in o), o)
    eq([l for l in o if l.startswith('$1')], ['$1 = (void (*)()) 0x%x <add>' % entry])
    check(any(l.startswith('Breakpoint 2, fact (n=5) at dbg_prog.c:') for l in o), o)
    check('No breakpoints or watchpoints.' in o, o)
    eq(o[-1], '[Inferior 1 (process PID) exited with code 03]')


@test
def rip_rsp_at_exec_stop_and_later():
    """Seed example: RIP and RSP at the exec stop (starti) and at a later stop."""
    r = session(['starti', 'p $rip', 'p $rsp', 'info registers rip rsp', 'break add',
                 'continue', 'p $rip', 'p $rsp', 'info registers rip rsp'], [prog('0')])
    o = out_lines(r)
    eq(o[0:2], ['', 'Program stopped.'])
    m = re.match(r'0x([0-9a-f]{16}) in _start \(\) from (\S+)$', o[2])
    check(m and 'ld-linux' in m.group(2), o[2])
    rip0 = int(m.group(1), 16)
    eq(o[3], '$1 = (void (*)()) 0x%x <_start>' % rip0)
    m = re.match(r'\$2 = \(void \*\) (0x[0-9a-f]+)$', o[4])
    check(m, o[4])
    rsp0 = int(m.group(1), 16)
    eq(o[5], 'rip            %-20s0x%x <_start>' % (hex(rip0), rip0))
    eq(o[6], 'rsp            %-20s%s' % (hex(rsp0), hex(rsp0)))
    bp = breakpoint_addr(o[7:])
    eq(o[9].split(',')[0], 'Breakpoint 1')
    m = re.match(r'\$3 = \(void \(\*\)\(\)\) (0x[0-9a-f]+) <add\+\d+>$', o[11])
    check(m and int(m.group(1), 16) == bp, o[11])
    m = re.match(r'\$4 = \(void \*\) (0x[0-9a-f]+)$', o[12])
    check(m and int(m.group(1), 16) < rsp0, 'the stack grew down: %r' % o[12])
    eq(o[13].split()[:2], ['rip', hex(bp)])


@test
def poke_a_local_by_address():
    """Seed example: read a word of a local's memory by address, write 0x678910, read it."""
    lp = line_of('poke_use')
    r = session(['break %d' % lp, 'run', 'p &local', 'x/wx &local', 'p local'], [prog('0')])
    m = re.search(r'\$1 = \(volatile int \*\) (0x[0-9a-f]+)', text(r.stdout))
    check(m, text(r.stdout) + text(r.stderr))
    a = m.group(1)
    r = session(['break %d' % lp, 'run', 'x/wx %s' % a, 'set var *(int *)%s = 0x678910' % a,
                 'x/wx %s' % a, 'x/dw %s' % a, 'p local', 'continue'], [prog('0')])
    o = out_lines(r)
    eq(o[4:8], ['%s:\t0x00001234' % a, '%s:\t0x00678910' % a, '%s:\t6785296' % a,
                '$1 = 6785296'])
    check('poke=0x678910' in o, 'the program saw the new value: %r' % o)


@test
def stepi_prints_each_rip():
    """Seed example: single-step N instructions printing each RIP."""
    n = 6
    r = session(['break add', 'run', 'display/i $pc'] + ['stepi'] * n, [prog('0')])
    o = out_lines(r)
    rips = [int(m.group(1), 16) for m in
            (re.match(r'=> (0x[0-9a-f]+) <add\+\d+>:\t', l) for l in o) if m]
    eq(len(rips), n, 'one x/i line per stop after display: %r' % o)
    check(all(b > a for a, b in zip(rips, rips[1:])), 'straight-line code: %r' % rips)
    r2 = session(['break add', 'run', 'stepi %d' % n, 'p $pc'], [prog('0')])
    check(('$1 = (void (*)()) 0x%x' % rips[-1]) in text(r2.stdout),
          'stepi N lands where N stepi do: %r' % text(r2.stdout))


@test
def nexti_steps_over_calls():
    lm = line_of('main_add')
    r = session(['break %d' % lm, 'run', 'x/2i $pc', 'nexti 4', 'p $pc', 'info breakpoints'],
                [prog('0')])
    o = out_lines(r)
    check(not any(l.startswith('add (') for l in o), 'nexti must not enter add: %r' % o)
    m = re.search(r'\$1 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <mode_default\+\d+>|'
                  r'\$1 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <main\+\d+>', text(r.stdout))
    check(m, text(r.stdout))


@test
def step_next_until_advance():
    lm, la, lr = line_of('main_x'), line_of('add_body'), line_of('add_ret')
    lines = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tracees',
                              'dbg_prog.c'), encoding='utf-8').read().splitlines()

    def at(n):
        return '%d\t%s' % (n, lines[n - 1])

    r = session(['break %d' % lm, 'run', 'next', 'step', 'next', 'next', 'next', 'next',
                 'until', 'advance %d' % line_of('main_puts'), 'kill'], [prog('0')])
    prog_out = ('add=', 'poke=', 'done')
    o = [norm(l) for l in out_lines(r) if not l.startswith(prog_out)]
    i = o.index(at(lm))
    eq(o[i + 1:i + 12], [
        at(lm + 1),                                    # next
        'add (a=1, b=2) at dbg_prog.c:%d' % la, at(la),  # step into add
        at(la + 1),                                    # next
        at(lr),                                        # next
        at(lr + 1),                                    # next: the closing brace
        'mode_default () at dbg_prog.c:%d' % (lm + 2), at(lm + 2),  # next: back in the caller
        at(lm + 3),                                    # until steps over printf
        'mode_default () at dbg_prog.c:%d' % line_of('main_puts'), at(line_of('main_puts'))])


@test
def step_into_recursion_and_finish_value():
    lf = line_of('fact_body')
    r = session(['break fact', 'run', 'continue', 'continue', 'bt', 'finish', 'finish'],
                [prog('0')])
    o = [norm(l) for l in out_lines(r)]
    eq([l for l in o if l.startswith('#')][:4],
       ['#0  fact (n=3) at dbg_prog.c:%d' % lf,
        '#1  0x%s in fact (n=4) at dbg_prog.c:%d' % (o[[l.startswith('#1') for l in o].index(
            True)][6:22], line_of('fact_rec')),
        '#2  0x%s in fact (n=5) at dbg_prog.c:%d' % (o[[l.startswith('#2') for l in o].index(
            True)][6:22], line_of('fact_rec')),
        [l for l in o if l.startswith('#3')][0]])
    vals = [l for l in o if l.startswith('Value returned')]
    # breakpoint 1 is hit again by the recursive calls before fact(3) returns
    check(vals == [] or vals[0] in ('Value returned is $1 = 6', 'Value returned is $1 = 2',
                                    'Value returned is $1 = 1'), o)


@test
def print_and_x_formats_on_live_memory():
    r = session(['break add', 'run', 'p gint', 'p/x gint', 'p glong', 'p gbytes', 'p/x gbytes',
                 'p gdouble', 'p gstr', 'p gptr', 'p gpoint', 'p gcolor', 'p garr',
                 'p garr[2]@2', 'p/t gint', 'p/o gint', 'p/c gint', 'p &gint',
                 'x/4dw garr', 'x/s gstr', 'x/8xb gbytes', 'x/3c gstr',
                 'output gint', 'p sizeof(gpoint)', 'whatis gpoint', 'ptype struct point',
                 'p gint * 2 + 1', 'p gpoint.y < 0 && gint == 42', 'p (char)gint',
                 'set var gint = 7', 'p gint', 'p $1', 'p $'], [prog('0')])
    o = out_lines(r)
    i = next(k for k, l in enumerate(o) if l.startswith('$1 ='))
    got = o[i:]
    eq(got[:16], ['$1 = 42', '$2 = 0x2a', '$3 = -1234567890123',
                  '$4 = "\\001\\002\\003\\004\\376\\377A"',
                  '$5 = {0x1, 0x2, 0x3, 0x4, 0xfe, 0xff, 0x41, 0x0}', '$6 = 2.5',
                  '$7 = "hello\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000"',
                  got[7], '$9 = {x = 3, y = -4, name = "pt\\000\\000\\000\\000\\000"}',
                  '$10 = GREEN', '$11 = {10, 20, 30, 40, 50}', '$12 = {30, 40}',
                  '$13 = 101010', '$14 = 052', "$15 = 42 '*'", got[15]])
    check(re.match(r'\$8 = 0x[0-9a-f]+ "world"$', got[7]), got[7])
    check(re.match(r'\$16 = \(int \*\) 0x[0-9a-f]+ <gint>$', got[15]), got[15])
    check(re.match(r'0x[0-9a-f]+ <garr>:\t10\t20\t30\t40$', got[16]), got[16])
    check(re.match(r'0x[0-9a-f]+ <gstr>:\t"hello"$', got[17]), got[17])
    check(re.match(r'0x[0-9a-f]+ <gbytes>:\t0x01\t0x02\t0x03\t0x04\t0xfe\t0xff\t0x41\t0x00$',
                   got[18]), got[18])
    check(re.match(r"0x[0-9a-f]+ <gstr>:\t104 'h'\t101 'e'\t108 'l'$", got[19]), got[19])
    eq(got[20:], ['42$17 = 16', 'type = struct point', 'type = struct point {',
                  '    int x;', '    int y;', '    char name[8];', '}', '$18 = 85',
                  '$19 = 1', "$20 = 42 '*'", '$21 = 7', '$22 = 42', '$23 = 42'])


@test
def registers_layout():
    r = session(['break add', 'run', 'info registers', 'info registers eflags rip',
                 'p $eflags', 'p $eax == $rax', 'p $sp == $rsp', 'set $rax = 0x1234',
                 'p/x $rax', 'p $ax', 'info registers st0 mxcsr', 'p $xmm0.v4_int32'],
                [prog('0')])
    o = out_lines(r)
    names = [l.split()[0] for l in o if re.match(r'^[a-z0-9_]+ {2,}0x', l)]
    eq(names[:24], ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10',
                    'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'eflags', 'cs', 'ss', 'ds', 'es',
                    'fs', 'gs'])
    for l in o:
        if re.match(r'^(rax|rbx|rcx|rip|eflags|cs|rsp) ', l):
            check(re.match(r'^[a-z0-9]{2,6} {9,13}0x[0-9a-f]+ +\S', l) and len(l) > 35, l)
            check(l[15:17] == '0x' and (len(l[15:35].rstrip()) < 20), 'gdb columns: %r' % l)
    ef = [l for l in o if l.startswith('eflags ')][0]
    check(re.match(r'eflags         0x[0-9a-f]+ +\[ ([A-Z]+ )*\]$', ef), ef)
    check(any(re.match(r'\$1 = \[ ([A-Z]+ )*\]$', l) for l in o), o)
    check('$2 = 1' in o and '$3 = 1' in o and '$4 = 0x1234' in o and '$5 = 4660' in o, o)
    check(any(re.match(r'st0            0 +\(raw 0x0{20}\)$', l) for l in o) or
          any(l.startswith('st0 ') for l in o), o)
    check(any(re.match(r'mxcsr          0x1f80              \[ IM DM ZM OM UM PM \]$', l)
              for l in o), o)
    check(any(re.match(r'\$6 = \{-?\d+, -?\d+, -?\d+, -?\d+\}$', l) for l in o), o)


@test
def bad_input_one_line_and_go_on():
    r = session(['brek main', 'p 1 +', 'p nosuch', 'break nosuch', 'break *0x10',
                 'info registers', 'x/4x 0', 'frobnicate', 'p 2'], [prog('0')])
    e = err_lines(r)
    o = out_lines(r)
    eq(e[0], 'Undefined command: "brek".  Did you mean "break"?')
    eq(e[1], 'A syntax error in expression, near `\'.')
    eq(e[2], 'No symbol "nosuch" in current context.')
    eq(e[3], 'Function "nosuch" not defined.')
    check(any(l.startswith('Cannot insert breakpoint') and '0x10' in l for l in e) or
          'Breakpoint 1 at 0x10' in o, (o, e))
    eq(e[-3:], ['The program has no registers now.', 'Cannot access memory at address 0x0',
                'Undefined command: "frobnicate".  Try "help".'])
    # gdb leaves x's partial line "0x0:\t" unterminated on stdout
    eq(o[-1], '0x0:\t$1 = 2')
    eq(r.returncode, 0, 'the last command succeeded')
    r = session(['p nosuch'], [prog('0')])
    eq(r.returncode, 1, 'gdb -batch exits 1 when the last command failed')


@test
def unmapped_breakpoint_while_running():
    r = session(['break add', 'run', 'break *0x10', 'continue'], [prog('0')])
    e = err_lines(r)
    o = [norm(l) for l in out_lines(r)]
    eq([l for l in e if '0x10' in l],
       ['Cannot insert breakpoint 2: Cannot access memory at address 0x10'])
    eq(o[-1], '[Inferior 1 (process PID) exited with code 03]')


@test
def optimized_build_breaks_and_runs():
    r = session(['break add', 'break work', 'run', 'info args', 'continue'],
                [prog('2'), 'loop', '3'])
    o = [norm(l) for l in out_lines(r)]
    check(any(l.startswith('Breakpoint 2, work (i=') for l in o), o)
    check('i = 0' in o or 'i = <optimized out>' in o, o)


@test
def list_centres_like_gdb():
    la = line_of('add_body')
    r = session(['list add', 'list', 'list 10,12'], [prog('0')])
    o = out_lines(r)
    first = int(o[0].split('\t')[0])
    eq(first, max(1, la - 1 - 5), 'list FUNC centres on the function\'s first line')
    eq(len(o), 23)
    eq([l.split('\t')[0] for l in o[-3:]], ['10', '11', '12'])


if __name__ == '__main__':
    sys.exit(main())
