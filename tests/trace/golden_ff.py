# SPDX-License-Identifier: MIT
"""Helpers of the decoder golden tests (test_decode_*.py): run a tracee under
`ptk trace -ff` (and under strace where it is installed), mask what differs
between runs, and check lines against expected patterns.

A pattern is one expected line, literal except for these placeholders:
    <N>      an integer (-?digits)
    <X>      a hex number (0x...)
    <*>      anything (non-greedy)
    PIDk     the k-th traced process (in creation order), as the lines say it
Runs of spaces before " = " are collapsed in lines and patterns alike: the
return value column is the engine's business, tested elsewhere.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile

from harness import PTK, fail

STRACE = shutil.which('strace')


def _pid_masker(pids):
    names = {str(p): 'PID%d' % (i + 1) for i, p in enumerate(pids)}
    if not names:
        return lambda line: line
    pid_re = re.compile(r'\b(' + '|'.join(sorted(names, key=len, reverse=True)) + r')\b')
    return lambda line: pid_re.sub(lambda m: names[m.group(1)], line)


def _squeeze(line):
    return re.sub(r'\)  += ', ') = ', line)


def trace(argv, tracer='ptk', opts=(), subst=None, cwd=None, timeout=120, follow=True):
    """Run argv under ptk trace (or strace) with -ff (follow=False: only the
    program, no -f); return the processes' lines in creation order, pids
    masked (PIDk), the padding before " = " squeezed, and each (text,
    replacement) of subst applied."""
    cmd = [PTK, 'trace'] if tracer == 'ptk' else [STRACE]
    with tempfile.TemporaryDirectory() as d:
        prefix = os.path.join(d, 'out')
        r = subprocess.run(cmd + list(opts) + (['-ff'] if follow else []) +
                           ['-o', prefix, '--'] + list(argv),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout, cwd=cwd)
        procs = []
        if follow:
            files = sorted(glob.glob(prefix + '.*'), key=lambda f: int(f.rsplit('.', 1)[1]))
            for f in files:
                with open(f, encoding='utf-8', errors='replace') as fh:
                    procs.append((int(f.rsplit('.', 1)[1]), fh.read().splitlines()))
        elif os.path.exists(prefix):
            with open(prefix, encoding='utf-8', errors='replace') as fh:
                lines = fh.read().splitlines()
            procs.append((0, lines))
    mask = _pid_masker([p for p, _ in procs if p])
    out = []
    for _, lines in procs:
        fixed = []
        for line in lines:
            line = _squeeze(mask(line))
            for a, b in (subst or []):
                line = line.replace(a, b)
            fixed.append(line)
        out.append(fixed)
    if not out:
        fail('%s wrote no trace (status %d, stderr %r)' % (tracer, r.returncode, r.stderr[-400:]))
    return out


def pattern(p):
    """The regex of one expected line."""
    out = ''
    for tok in re.split(r'(<N>|<X>|<\*>)', _squeeze(p)):
        out += {'<N>': r'-?\d+', '<X>': r'0x[0-9a-f]+', '<*>': r'.*?'}.get(tok, re.escape(tok))
    return re.compile(out + r'\Z')


def expect(lines, expected, what=''):
    """Each expected line matches a line of lines, in order (a subsequence)."""
    i = 0
    for e in expected:
        rx = pattern(e)
        start = i
        while i < len(lines) and not rx.match(lines[i]):
            i += 1
        if i == len(lines):
            context = '\n    '.join(lines[start:start + 12])
            fail('%s: no line matches, in order,\n  want: %s\n  after line %d:\n    %s'
                 % (what or 'trace', e, start, context))
        i += 1


# A string as strace prints it: a quote or backslash inside is escaped.
CSTR = r'"(?:[^"\\]|\\.)*"'

# Values that differ between two runs of the same program: times and what
# the kernel counts, random bytes, addresses.
_VOLATILE = [
    (re.compile(r'0x[0-9a-f]{6,}'), '0xADDR'),
    (re.compile(r'(tv_sec|tv_nsec|tv_usec)=\d+'), r'\1=T'),
    (re.compile(r'(si_utime|si_stime)=\d+( /\* [\d.]+ s \*/)?'), r'\1=T'),
    (re.compile(r'\d{10} /\* [-\dT:+]+ \*/'), 'TIME'),
    (re.compile(r'= \d+ \([-\dT:+]+\)'), '= TIME'),
    (re.compile(r'^(times\(.*\)) = \d+'), r'\1 = T'),
    (re.compile(r'getrandom\(' + CSTR), 'getrandom("R"'),
]


def volatile(line):
    for rx, rep in _VOLATILE:
        line = rx.sub(rep, line)
    return line


def compare_strace(argv, select, opts=(), skip_lines=(), cwd=None, masks=(), follow=True):
    """Where strace is installed: the lines of each process whose syscall
    name matches select (a regex on the line's start) are the same under
    both tracers, volatile values masked; lines matching a regex of
    skip_lines are left out of both (strace 6.1 is wrong there: the caller
    says why).  argv is a list, or a function of the tracer's name ('ptk',
    'strace') that returns (argv, subst) for that run.  Returns False when
    strace is not installed.  masks: more (regex, replacement) of values
    that differ between runs."""
    if not STRACE:
        return False
    sel = re.compile(select)
    skips = [re.compile(s) for s in skip_lines]

    def mask(line):
        line = volatile(line)
        for rx, rep in masks:
            line = rx.sub(rep, line)
        return line

    def pick(procs):
        return [[mask(l) for l in lines if sel.match(l) and not any(s.search(l) for s in skips)]
                for lines in procs]

    def run_one(tracer):
        a, subst = argv(tracer) if callable(argv) else (argv, None)
        return pick(trace(a, tracer, opts, subst, cwd, follow=follow))
    p = run_one('ptk')
    s = run_one('strace')
    if len(p) != len(s):
        fail('ptk traced %d processes, strace %d' % (len(p), len(s)))
    for k, (a, b) in enumerate(zip(s, p)):
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else None
            y = b[i] if i < len(b) else None
            if x != y:
                fail('process %d, line %d differs from strace 6.1:\n  strace: %s\n  ptk:    %s'
                     % (k + 1, i + 1, x, y))
    return True


def trace_f(argv, tracer='ptk', opts=(), cwd=None, timeout=120):
    """Run argv under `-f -o FILE` (one file, "PID text" lines, syscalls of
    different threads interleaved); return (raw lines, merged), where merged
    maps each thread (PIDk, k in the order of the ids: creation order) to its lines with
    every "name(args <unfinished ...>" joined to its "<... name resumed>"
    line, as -ff would print them.  A resumed line without its unfinished
    one, or of another syscall, fails."""
    cmd = [PTK, 'trace'] if tracer == 'ptk' else [STRACE]
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'out')
        subprocess.run(cmd + list(opts) + ['-f', '-o', out, '--'] + list(argv),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=timeout, cwd=cwd)
        with open(out, encoding='utf-8', errors='replace') as f:
            raw = f.read().splitlines()
    order = []
    for line in raw:
        m = re.match(r'(\d+) +', line)
        if not m:
            fail('%s -f -o: a line without its pid: %r' % (tracer, line))
        if m.group(1) not in order:
            order.append(m.group(1))
    mask = _pid_masker(sorted(int(p) for p in order))
    merged = {}
    pending = {}
    for line in raw:
        m = re.match(r'(\d+) +(.*)', line)
        tid, text = mask(m.group(1)), mask(m.group(2))
        sup = re.match(r'\+\+\+ superseded by execve in pid (\w+) \+\+\+', text)
        if sup and sup.group(1) in pending:
            # execve from another thread: it resumes under this pid.
            pending[tid] = pending.pop(sup.group(1))
        r = re.match(r'<\.\.\. (\w+) resumed>(.*)', text)
        if r:
            head = pending.pop(tid, None)
            if head is None or not head.startswith(r.group(1) + '('):
                fail('%s: %s resumes %s, not the call it left: %r' % (tracer, tid, r.group(1), head))
            text = head + r.group(2)
        elif text.endswith(' <unfinished ...>'):
            if tid in pending:
                fail('%s: %s starts a call while %r is unfinished' % (tracer, tid, pending[tid]))
            pending[tid] = text[:-len(' <unfinished ...>')]
            continue
        merged.setdefault(tid, []).append(_squeeze(text))
    for tid, head in pending.items():
        merged.setdefault(tid, []).append(head + ' <unfinished ...>')
    return raw, merged
