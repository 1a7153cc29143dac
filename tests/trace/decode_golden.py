# SPDX-License-Identifier: MIT
"""Golden-line checks of the file, descriptor, memory and miscellaneous
decoders (tests/trace/test_decode_{file,desc,mem,misc}.py).

A golden tracee (tests/tracees/dec_*.c) makes its calls between the markers
write(-1, "BEGIN", 5) and write(-1, "END", 3).  section() runs it under
`ptk trace` and, where strace is installed, under strace, takes the lines
between the markers, masks what changes from run to run (addresses of the
program, mappings and stack, the padding before " = " of such lines, and
the patterns a case names) and compares them with the expected lines:
strings must match exactly, compiled regexes must match the whole line.
"""
import os
import re
import shutil
import tempfile

from harness import PTK, eq, fail, run, text

# User-space addresses: 12 hex digits, 5... for the program, 7... for mappings and stack.
ADDR = re.compile(r'0x[57][0-9a-f]{11}\b')
PADDING = re.compile(r'^(.*\)) +(= .*)$')


def normalize(line, masks=()):
    masked = ADDR.sub('0xADDR', line)
    for pat, rep in masks:
        masked = pat.sub(rep, masked)
    # The padding to column 40 depends on the length of what was masked; it
    # is compared exactly on the lines that had nothing masked.
    if masked != line:
        masked = PADDING.sub(r'\1 \2', masked)
    return masked


def between_markers(lines, what):
    """The lines between the first and the last write to fd -1 (the markers,
    whatever -x or -s make of their text)."""
    marks = [i for i, l in enumerate(lines) if l.startswith('write(-1, ')]
    if len(marks) < 2:
        fail('%s: no BEGIN/END markers in the trace:\n%s' % (what, '\n'.join(lines[-30:])))
    return lines[marks[0] + 1:marks[-1]]


def trace(tracer, argv, opts=(), cwd=None):
    """Run argv under tracer with -o; return (its lines, the run's result)."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'trace')
        r = run(tracer + list(opts) + ['-o', out, '--'] + argv, cwd=cwd, timeout=60)
        if not os.path.exists(out):
            fail('%s wrote no trace (status %d): %s' % (tracer[0], r.returncode, text(r.stderr)))
        with open(out, encoding='utf-8', errors='replace') as f:
            return f.read().splitlines(), r


def check_lines(got, want, what):
    problems = []
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if isinstance(w, re.Pattern):
            ok = g is not None and w.fullmatch(g)
            wtext = 're:' + w.pattern
        else:
            ok = g == w
            wtext = w
        if not ok:
            problems.append('  line %d:\n    got:  %s\n    want: %s' % (i + 1, g, wtext))
    if problems:
        fail('%s: %d of %d lines differ\n%s' % (what, len(problems), max(len(got), len(want)),
                                                '\n'.join(problems)))


def scratch():
    """A fresh directory for a tracee's files."""
    return tempfile.TemporaryDirectory(prefix='ptk-golden-')


def section(argv, want, masks=(), opts=(), cwd=None, rc=0, keep=None):
    """Check ptk's lines (and strace's, where installed) between the markers.
    argv may be a function of a scratch directory, made afresh for each run;
    keep, a predicate choosing the lines to check."""
    def traced(tracer):
        if not callable(argv):
            return trace(tracer, argv, opts, cwd)
        with scratch() as d:
            return trace(tracer, argv(d), opts, cwd)
    lines, r = traced([PTK, 'trace'])
    eq(r.returncode, rc, 'status under ptk trace (stderr: %s)' % text(r.stderr))
    got = [normalize(l, masks) for l in between_markers(lines, 'ptk trace')
           if not keep or keep(l)]
    check_lines(got, want, 'ptk trace %s' % ' '.join(opts))
    if shutil.which('strace'):
        slines, _ = traced(['strace'])
        sgot = [normalize(l, masks) for l in between_markers(slines, 'strace')
                if not keep or keep(l)]
        check_lines(sgot, want, 'strace %s (the reference) on the same calls' % ' '.join(opts))
    else:
        print('strace not installed: only the golden lines were checked')
