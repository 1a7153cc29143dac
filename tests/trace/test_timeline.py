#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ptk trace --timeline FILE: Chrome/Perfetto trace-event JSON.  The file parses as JSON
in the shape ui.perfetto.dev's JSON importer reads (traceEvents of complete "X" slices,
instant "i" events and "M" metadata naming the tracks), and its slices match the trace
printed in the same run: one per syscall, per thread, in order, with the same names."""
import json
import os
import re
import tempfile

from trace_util import lines, mix, ptrace
from harness import check, eq, main, test


def run_both(args):
    with tempfile.TemporaryDirectory() as d:
        tl, txt = os.path.join(d, 'tl.json'), os.path.join(d, 'out')
        r = ptrace(['--timeline', tl, '-o', txt] + args)
        with open(tl) as f:
            doc = json.load(f)
        with open(txt) as f:
            text = f.read().splitlines()
    return r, doc, text


def check_shape(doc):
    check(isinstance(doc, dict) and isinstance(doc.get('traceEvents'), list), 'traceEvents')
    for e in doc['traceEvents']:
        check(e['ph'] in ('X', 'i', 'M'), e)
        check(isinstance(e['pid'], int) and isinstance(e['tid'], int), e)
        check(isinstance(e['name'], str) and e['name'], e)
        if e['ph'] == 'X':
            check(isinstance(e['ts'], (int, float)) and e['ts'] >= 0, e)
            check(isinstance(e['dur'], (int, float)) and e['dur'] >= 0, e)
        elif e['ph'] == 'i':
            check(e['s'] in ('t', 'p', 'g') and isinstance(e['ts'], (int, float)), e)
        else:
            check(e['name'] in ('process_name', 'thread_name') and
                  isinstance(e['args']['name'], str), e)


@test
def slices_match_the_trace():
    r, doc, text = run_both(['-f', '-e', 'trace=getppid,openat,close,exit_group', mix(), 'fork',
                             '2'])
    eq(r.returncode, 0)
    check_shape(doc)
    # The text trace per thread: "PID  name(" lines, -f -o FILE layout.
    per_tid = {}
    for ln in text:
        m = re.match(r'(\d+) +([a-z_0-9]+)\(', ln)
        if m:
            per_tid.setdefault(int(m.group(1)), []).append(m.group(2))
        m = re.match(r'(\d+) +<\.\.\. ([a-z_0-9]+) resumed>', ln)
        check(not m, 'no interleaving expected: %r' % ln)
    slices = {}
    for e in doc['traceEvents']:
        if e['ph'] == 'X':
            slices.setdefault(e['tid'], []).append(e)
    eq({t: [e['name'] for e in v] for t, v in slices.items()}, per_tid)
    for t, v in slices.items():
        ts = [e['ts'] for e in v]
        eq(ts, sorted(ts), 'slices of %d in time order' % t)
        for a, b in zip(v, v[1:]):
            check(a['ts'] + a['dur'] <= b['ts'] + 1e-3, 'slices of one thread do not overlap')
    eq(len(per_tid), 3, 'the program and its two children')


@test
def tracks_are_named_and_ends_are_instants():
    r, doc, text = run_both(['-f', '-e', 'trace=getppid', mix(), 'fork', '1'])
    names = {(e['pid'], e['tid']): e['args']['name'] for e in doc['traceEvents']
             if e['ph'] == 'M' and e['name'] == 'thread_name'}
    tids = {e['tid'] for e in doc['traceEvents'] if e['ph'] == 'X'}
    check(tids and all(any(t == k[1] for k in names) for t in tids), (names, tids))
    check(all(v.startswith('trace_mix ') for v in names.values()), names)
    procs = [e['args']['name'] for e in doc['traceEvents']
             if e['ph'] == 'M' and e['name'] == 'process_name']
    check(procs and all(p.startswith('trace_mix ') for p in procs), procs)
    ends = [e['name'] for e in doc['traceEvents'] if e['ph'] == 'i']
    eq(sorted(n for n in ends if n.startswith('exited')), ['exited with 0', 'exited with 0'])
    check('SIGCHLD' in ends, ends)


@test
def slices_carry_arguments_and_returns():
    r, doc, text = run_both(['-e', 'trace=openat', mix(), 'open', '/nonexistent'])
    sl = [e for e in doc['traceEvents'] if e['ph'] == 'X' and
          '"/nonexistent"' in e['args']['args']]
    eq(len(sl), 1)
    eq(sl[0]['args']['return'], -2)
    eq(sl[0]['args']['errno'], 'ENOENT')
    eq(sl[0]['args']['args'], 'AT_FDCWD, "/nonexistent", O_RDONLY')


@test
def unfinished_syscalls_are_slices_too():
    r, doc, text = run_both(['-e', 'trace=exit_group', mix(), 'calls', '0'])
    sl = [e for e in doc['traceEvents'] if e['ph'] == 'X']
    eq([(e['name'], e['args']['return']) for e in sl], [('exit_group', None)])
    eq(lines(r.stderr), [])


if __name__ == '__main__':
    raise SystemExit(main())
