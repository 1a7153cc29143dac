#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk trace -k: the stack of every printed syscall after its line, in strace's layout
(" > FILE(SYMBOL+0xOFF) [0xFILE_OFFSET]"), compared with strace 6.1 on the same program;
with -f (after the "resumed" part of an interrupted line) and in --json."""
import json
import os
import re

from trace_util import lines, mix, ptrace, strace, trace_lines
from harness import check, eq, main, test

FRAME = re.compile(r' > (/[^()]+)\(([^()]*)\) \[0x([0-9a-f]+)\]$')


def blocks(out):
    """(syscall line, [frame lines]) for each syscall line of a trace."""
    got = []
    for ln in out:
        if ln.startswith(' > '):
            check(got, 'a frame before any syscall line: %r' % out)
            got[-1][1].append(ln)
        elif not ln.startswith(('+++', '---', 'ptk trace: ', 'strace: ')):
            got.append((ln, []))
    return got


def parse(frame):
    m = FRAME.match(frame)
    check(m, 'not a frame line: %r' % frame)
    return m.group(1), m.group(2), int(m.group(3), 16)


@test
def stack_like_strace():
    args = ['-k', '-e', 'trace=getppid,exit_group', mix(), 'calls', '1']
    p, s = ptrace(args), strace(args)
    eq(p.returncode, 0)
    pb, sb = blocks(trace_lines(p.stderr)), blocks(trace_lines(s.stderr))
    eq([b[0] for b in pb], ['getppid()                               = %d' % p.pid,
                            'exit_group(0)                           = ?'])
    getppid = pb[0][1]
    check(len(getppid) >= 4, getppid)
    # Every frame: the same file and offset in it as strace's.
    pf = [parse(x) for x in getppid]
    sf = [parse(x) for x in sb[0][1]]
    eq([(f, o) for f, _, o in pf], [(f, o) for f, _, o in sf], 'files and offsets')
    # The executable's frames word for word (libc's inner symbols may be better than
    # strace's: ptk reads the separate debug info when it is installed).
    exe = os.path.realpath(mix())
    eq([x for x in getppid if x.startswith(' > %s(' % exe)],
       [x for x in sb[0][1] if x.startswith(' > %s(' % exe)])
    eq([sym.split('+')[0] for f, sym, _ in pf if f == exe], ['main', '_start'])
    eq(pf[0][1].split('+')[0], 'syscall', 'frame 0 is libc\'s syscall()')
    # exit_group's frames come after its "= ?" line, before the exit.
    eq(parse(pb[1][1][0])[1].split('+')[0], '_exit')
    out = trace_lines(p.stderr)
    eq(out[-1], '+++ exited with 0 +++')
    check(out[-2].startswith(' > '), out[-3:])


@test
def stack_after_resumed_lines():
    """With -f, a line cut by another tracee's gets its frames after its "<... resumed>"
    part; never after "<unfinished ...>"."""
    r = ptrace(['-f', '-k', '-e', 'trace=wait4,getppid', mix(), 'fork', '2'])
    eq(r.returncode, 0)
    eq(r.stdout, b'child 0 exited 0\nchild 1 exited 1\n')
    out = [x for x in lines(r.stderr) if not x.startswith('ptk trace: ')]
    prev = ''
    for ln in out:
        if ln.startswith(' > '):
            check(' = ' in prev and not prev.endswith('<unfinished ...>'),
                  'frames after %r' % prev)
        prev = ln if not ln.startswith(' > ') else prev
    exe = os.path.realpath(mix())
    waits = [b for b in blocks(out) if re.search(r'wait4(\(| resumed>)', b[0]) and ' = ' in b[0]]
    eq(len(waits), 2, out)
    for line, frames in waits:
        check(any(parse(f)[0] == exe and parse(f)[1].startswith('main+') for f in frames),
              'main in the stack of %r: %r' % (line, frames))
    getppids = [b for b in blocks(out)
                if re.search(r'getppid(\(| resumed>)\)', b[0]) and ' = ' in b[0]]
    eq(len(getppids), 2, out)
    for _, frames in getppids:
        eq(parse(frames[0])[1].split('+')[0], 'syscall')


@test
def stack_in_json():
    r = ptrace(['--json', '-k', '-e', 'trace=getppid', mix(), 'calls', '1'])
    objs = [json.loads(x) for x in lines(r.stderr)]
    sc = [o for o in objs if o['type'] == 'syscall']
    eq(len(sc), 1, objs)
    text = ptrace(['-k', '-e', 'trace=getppid', mix(), 'calls', '1'])
    frames = [x[3:] for x in lines(text.stderr) if x.startswith(' > ')]
    check(len(frames) >= 4, frames)
    eq(sc[0]['stack'], frames)


if __name__ == '__main__':
    raise SystemExit(main())
