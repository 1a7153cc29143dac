#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk trace --json: one JSON object per line for every syscall, signal and exit event,
valid JSON (and UTF-8) whatever bytes the tracee passes, with the same decoded arguments
the text trace prints."""
import json
import os
import re
import tempfile

from trace_util import mix, ptrace, trace_lines
from harness import check, eq, main, test


def objects(b):
    """Every line of b as JSON; fails on the first that is not (or is not UTF-8)."""
    out = []
    for i, ln in enumerate(b.decode('utf-8').splitlines()):
        if ln.startswith('ptk trace: '):
            continue
        try:
            out.append(json.loads(ln))
        except ValueError as e:
            raise AssertionError('line %d is not JSON (%s): %r' % (i + 1, e, ln))
    return out


SYSCALL_KEYS = {'type', 'time', 'pid', 'tid', 'syscall', 'nr', 'arch', 'args', 'raw_args',
                'return'}


@test
def every_event_is_an_object():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'j')
        ptrace(['--json', '-o', f, '-f', 'sh', '-c', '%s fork 1; %s sig 11' % (mix(), mix())])
        with open(f, 'rb') as fh:
            objs = objects(fh.read())
    kinds = {o['type'] for o in objs}
    eq(kinds, {'syscall', 'signal', 'exit', 'killed'})
    for o in objs:
        check(isinstance(o['time'], float) and isinstance(o['pid'], int) and
              isinstance(o['tid'], int), o)
        if o['type'] == 'syscall':
            check(SYSCALL_KEYS <= set(o), 'keys of %r' % o)
            eq(o['arch'], 'x86_64')
            check(all(re.match(r'0x[0-9a-f]+$|0$', a) for a in o['raw_args']), o['raw_args'])
            if o['return'] is not None:
                check(isinstance(o['duration'], float) and o['duration'] >= 0, o)
            else:
                eq(o.get('unfinished'), True, o)
            if isinstance(o['return'], int) and -4095 <= o['return'] < 0:
                check('errno' in o and 'error' in o, o)
    killed = [o for o in objs if o['type'] == 'killed']
    eq(len(killed), 1)
    eq((killed[0]['signal'], killed[0]['signo']), ('SIGSEGV', 11))
    exits = [o for o in objs if o['type'] == 'exit']
    check(any(o['exit_code'] == 0 and o['process_gone'] for o in exits), exits)
    sigs = [o for o in objs if o['type'] == 'signal']
    check(any(o['signal'] == 'SIGCHLD' and o['siginfo'].startswith('{si_signo=SIGCHLD, ')
              for o in sigs), sigs)


@test
def errors_and_numbers():
    r = ptrace(['--json', '-e', 'trace=openat,getppid,exit_group', mix(), 'open', '/nonexistent'])
    objs = [o for o in objects(r.stderr) if o['type'] == 'syscall']
    bad = [o for o in objs if o['syscall'] == 'openat' and o['args'][1] == '"/nonexistent"']
    eq(len(bad), 1, objs)
    o = bad[0]
    eq((o['nr'], o['return'], o['errno'], o['error']), (257, -2, 'ENOENT', 'No such file or directory'))
    eq(o['args'], ['AT_FDCWD', '"/nonexistent"', 'O_RDONLY'])
    eq(len(o['raw_args']), 4)
    eq(int(o['raw_args'][0], 16) & 0xffffffff, 0xffffff9c)
    last = objs[-1]
    eq((last['syscall'], last['return'], last['unfinished'], last['args']),
       ('exit_group', None, True, ['0']))


@test
def args_match_the_text_trace():
    """The decoded arguments are the text trace's, argument by argument."""
    prog = ['-e', 'trace=openat,read,write,close,newfstatat', mix(), 'open', '/etc/passwd']
    addr = re.compile(r'0x[0-9a-f]{6,}')
    text_lines = [addr.sub('ADDR', x) for x in trace_lines(ptrace(prog).stderr) if '(' in x and
                  not x.startswith('+++')]
    objs = [o for o in objects(ptrace(['--json'] + prog).stderr) if o['type'] == 'syscall']
    eq(len(objs), len(text_lines))
    for o, t in zip(objs, text_lines):
        call = '%s(%s)' % (o['syscall'], ', '.join(o['args']))
        check(t.startswith(addr.sub('ADDR', call) + ' '), 'json %r vs text %r' % (call, t))
        ret = t.rsplit('= ', 1)[1].split(' ')[0]
        if o['return'] >= 0:
            check(ret in (str(o['return']), hex(o['return'])), (ret, o['return']))


@test
def any_bytes_make_valid_json():
    r = ptrace(['--json', '-s', '4096', '-xx', '-e', 'trace=write,openat', mix(), 'bytes'])
    objs = [o for o in objects(r.stderr) if o['type'] == 'syscall']
    writes = [o for o in objs if o['syscall'] == 'write' and o['args'][0] == '3']
    eq(len(writes), 2)
    eq(writes[0]['args'][1], '"' + ''.join('\\x%02x' % i for i in range(256)) + '"')
    r = ptrace(['--json', '-s', '4096', '-e', 'trace=write,openat', mix(), 'bytes'])
    objs = [o for o in objects(r.stderr) if o['type'] == 'syscall']
    quoted = [o for o in objs if o['syscall'] == 'write' and o['args'][0] == '3'][1]
    eq(quoted['args'][1], '"\\"quoted\\" \\\\back\\\\ \\342\\202\\254 \\303("')
    paths = [o['args'][1] for o in objs if o['syscall'] == 'openat' and 'nonexistent' in
             o['args'][1]]
    eq(paths, ['"/nonexistent/\\377\\376\\1\\"x"'])


@test
def json_to_files_per_process():
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'j')
        r = ptrace(['--json', '-ff', '-o', f, '-e', 'trace=getppid', mix(), 'fork', '2'])
        eq(r.returncode, 0)
        files = os.listdir(d)
        eq(len(files), 3)
        for name in files:
            with open(os.path.join(d, name), 'rb') as fh:
                objs = objects(fh.read())
            pid = int(name.split('.')[1])
            check(all(o['tid'] == pid for o in objs), 'each file is one tracee\'s')
            eq(objs[-1]['type'], 'exit')


@test
def injected_and_delayed_are_marked():
    r = ptrace(['--json', '-e', 'trace=getppid', '-e',
                'inject=getppid:error=EPERM:delay_exit=1ms:when=2', mix(), 'calls', '2'])
    objs = [o for o in objects(r.stderr) if o['type'] == 'syscall']
    eq([o.get('injected', False) for o in objs], [False, True])
    eq([o.get('delayed', False) for o in objs], [False, True])
    eq(objs[1]['errno'], 'EPERM')


@test
def status_filter_applies():
    r = ptrace(['--json', '-Z', '-e', 'trace=openat', mix(), 'open', '/etc/passwd', '/nonexistent'])
    objs = [o for o in objects(r.stderr) if o['type'] == 'syscall']
    check(objs and all(o['return'] < 0 for o in objs), objs)


if __name__ == '__main__':
    raise SystemExit(main())
