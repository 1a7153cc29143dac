#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""strace compatibility on real programs (issue 3): each case runs one
program of the issue's list under strace and under `ptk trace` (both with
-ff, through stracediff.compare()), in a scratch directory holding fixed
inputs, prints the figure `identical/total lines (P%)` and requires at
least 99% per program, listing the lines that still differ when it fails.

A case is skipped only when strace or the program is not installed.

What changes from one run to the next whatever the tracer does is masked
on both sides, as stracediff masks pids, addresses and times: the random
bytes getrandom(2) returns and the random names of gcc's temporary files.
File times are fixed (os.utime) so that what ls, tar and gzip write is the
same in both runs; the environment is fixed too.

The last cases run some of the programs again with the options that change
how arguments print (-y, -yy, -x, -xx, -s, -v), with inode numbers masked.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..'))
sys.path.insert(0, HERE)
from harness import PTK, fail, main, skip, test, tracee  # noqa: E402
import stracediff  # noqa: E402

MIN_PCT = 99.0
FIXED_TIME = 1577934245  # 2020-01-02 03:04:05 UTC

# Nondeterministic text, masked on both sides after stracediff's masks: random
# bytes and names, the system's state at the time of the call (sysinfo, free
# blocks, the tracer's own pid as getppid sees it), addresses the program reads
# from /proc/self/maps (ASLR), children's CPU times, and the padding before
# " = " of a line whose masked addresses had another length in the other run.
MASKS = [
    (re.compile(r'getrandom\("(?:[^"\\]|\\.)*"(?:\.\.\.)?'), 'getrandom("RANDOM"'),
    (re.compile(r'\bcc[A-Za-z0-9]{6}\.'), 'ccTEMP.'),
    (re.compile(r'^sysinfo\(\{.*\}\)'), 'sysinfo({...})'),
    (re.compile(r'f_(bfree|bavail|ffree)=\d+'), r'f_\1=N'),
    (re.compile(r'^(getppid\(\) +=) \d+$'), r'\1 PPID'),
    (re.compile(r'"[0-9a-f]{8,}-[0-9a-f]{8,} '), '"MAPS '),
    # CPU times of a child in SIGCHLD's siginfo, with strace's comment form.
    (re.compile(r'si_utime=(?:\d+|U)(?: /\* [^*]* \*/)?, si_stime=(?:\d+|S)(?: /\* [^*]* \*/)?'),
     'si_utime=U, si_stime=S'),
]
PADDING = re.compile(r'(0xADDR.*\)) +(= .*)$')

FILES = {
    'd/a.txt': 'hello world\nfoo bar\nzeta\nalpha\nfoo baz\n',
    'd/sub/b.txt': 'line two\nfoo\n',
    'd/sub/deeper/c.txt': 'no match here\n',
    'hello.c': '#include <stdio.h>\n\nint main(void)\n{\n\tputs("hello");\n\treturn 0;\n}\n',
    'Makefile': 'all: out.txt\n\nout.txt: d/a.txt\n\tcat d/a.txt > out.txt\n\n'
                'clean:\n\trm -f out.txt\n',
}


def env_for(home):
    return {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
            'HOME': home, 'LANG': 'C.UTF-8', 'TERM': 'dumb', 'PYTHONHASHSEED': '0',
            'GIT_CONFIG_NOSYSTEM': '1', 'PERL_HASH_SEED': '0', 'PERL_PERTURB_KEYS': '0',
            'PERL_INTERNAL_RAND_SEED': '0'}


def fix_times(root):
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for n in filenames + dirnames:
            p = os.path.join(dirpath, n)
            if not os.path.islink(p):
                os.utime(p, (FIXED_TIME, FIXED_TIME))
    os.utime(root, (FIXED_TIME, FIXED_TIME))


def make_tree(w):
    for rel, content in FILES.items():
        p = os.path.join(w, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w') as f:
            f.write(content)
        os.chmod(p, 0o644)


def git_template(base, env):
    """A repository whose index is clean and stays so (times fixed, ctime ignored)."""
    tpl = os.path.join(base, 'tpl')
    repo = os.path.join(tpl, 'repo')
    os.makedirs(repo)
    genv = dict(env, GIT_AUTHOR_DATE='2020-01-02T03:04:05Z',
                GIT_COMMITTER_DATE='2020-01-02T03:04:05Z', GIT_AUTHOR_NAME='a',
                GIT_AUTHOR_EMAIL='a@b', GIT_COMMITTER_NAME='a', GIT_COMMITTER_EMAIL='a@b')

    def git(*a):
        subprocess.run(['git'] + list(a), cwd=repo, env=genv, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    git('init', '-q', '-b', 'main')
    git('config', 'core.trustctime', 'false')
    git('config', 'core.checkStat', 'minimal')
    with open(os.path.join(repo, 'tracked.txt'), 'w') as f:
        f.write('one\n')
    with open(os.path.join(repo, 'changed.txt'), 'w') as f:
        f.write('two\n')
    git('add', '.')
    git('commit', '-qm', 'first')
    with open(os.path.join(repo, 'changed.txt'), 'w') as f:
        f.write('two, changed\n')
    with open(os.path.join(repo, 'untracked.txt'), 'w') as f:
        f.write('new\n')
    for n in ('tracked.txt', 'changed.txt', 'untracked.txt'):
        os.utime(os.path.join(repo, n), (FIXED_TIME, FIXED_TIME))
    git('update-index', '-q', '--refresh')
    git('status', '--porcelain')  # settles the index once, untraced
    return tpl


def mask(line, extra=()):
    for pat, rep in list(MASKS) + list(extra):
        line = pat.sub(rep, line)
    return PADDING.sub(r'\1 \2', line)


def collapse(lines, tempnames=False):
    """One line for each run of getrandom calls: glibc's mkstemp draws again
    when its random number falls in the biased range, so how many calls a run
    makes is itself random.  With tempnames (gcc), no line at all for those
    draws (getrandom of 8 bytes, GRND_NONBLOCK): whether a run of gcc makes
    one before a temporary file's name varies from run to run as well."""
    out = []
    for line in lines:
        if tempnames and line.startswith('getrandom("RANDOM", 8, GRND_NONBLOCK)'):
            continue
        if line.startswith('getrandom(') and out and out[-1].startswith('getrandom('):
            continue
        out.append(line)
    return out


def compare(argv, setup, env, masks=(), opts=(), tempnames=False):
    """stracediff.compare() with the masks above: both tracers run argv with
    -ff in the directory setup() returns, processes are paired in creation
    order and lines by position.  Returns (identical, total, differing pairs)."""
    results = []
    for tracer in (['strace'], [PTK, 'trace']):
        run_dir = setup(None)
        with tempfile.TemporaryDirectory() as outdir:
            old = os.getcwd()
            os.chdir(run_dir)
            try:
                _, procs = stracediff.run_tracer(list(argv), tracer, list(opts), outdir,
                                                env=env)
            finally:
                os.chdir(old)
        norm = stracediff.normalizer([p for p, _ in procs])
        results.append([collapse([mask(norm(line), masks) for line in lines], tempnames)
                        for _, lines in procs])
    sprocs, pprocs = results
    same = total = 0
    diffs = []
    for i in range(max(len(sprocs), len(pprocs))):
        sl = sprocs[i] if i < len(sprocs) else []
        pl = pprocs[i] if i < len(pprocs) else []
        for k in range(max(len(sl), len(pl))):
            a = sl[k] if k < len(sl) else None
            b = pl[k] if k < len(pl) else None
            total += 1
            if a == b:
                same += 1
            else:
                diffs.append((i + 1, a, b))
    return same, total, diffs


def compat(label, argv, prog=None, files=True, git=False, extra=None, masks=(), opts=(),
           tempnames=False):
    """Run argv under both tracers in a scratch dir; assert >= MIN_PCT identical."""
    if not shutil.which('strace'):
        skip('strace is not installed')
    prog = prog or argv[0]
    if not (os.path.isabs(prog) and os.access(prog, os.X_OK)) and not shutil.which(prog):
        skip('%s is not installed' % prog)
    base = tempfile.mkdtemp(prefix='ptk-compat-')
    try:
        w = os.path.join(base, 'w')
        env = env_for(w)
        tpl = git_template(base, env) if git else None

        def setup(_work):
            shutil.rmtree(w, ignore_errors=True)
            if tpl:
                shutil.copytree(tpl, w, symlinks=True)
            else:
                os.makedirs(w)
            if files:
                make_tree(w)
            if extra:
                extra(w)
            fix_times(w)
            return os.path.join(w, 'repo') if git else w
        same, total, left = compare(argv, setup, env, masks, opts, tempnames)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    pct = 100.0 * same / total if total else 0.0
    print('%s: %d/%d lines identical (%.2f%%)' % (label, same, total, pct))
    pairs = ['process %d:\n  strace: %s\n  ptk:    %s' % d for d in left]
    if pct < MIN_PCT or total == 0:
        fail('%s: %d/%d lines identical (%.2f%%), below %.0f%%; differing lines:\n%s'
             % (label, same, total, pct, MIN_PCT, '\n'.join(pairs)))
    if pairs:
        print('differing lines:\n' + '\n'.join(pairs))


@test
def compat_ls():
    compat('ls -l', ['ls', '-l', 'd', 'd/sub'])


@test
def compat_cat():
    compat('cat', ['cat', 'd/a.txt', 'd/sub/b.txt'])


@test
def compat_cp():
    compat('cp', ['cp', 'd/a.txt', 'copy.txt'])


@test
def compat_find():
    compat('find', ['find', 'd', '-name', '*.txt'])


@test
def compat_grep():
    compat('grep -r', ['grep', '-r', 'foo', 'd'])


@test
def compat_tar():
    compat('tar', ['tar', 'cf', 'out.tar', 'd'])


@test
def compat_gzip():
    compat('gzip', ['gzip', '-k', 'd/a.txt'])


@test
def compat_sort():
    compat('sort', ['sort', 'd/a.txt'])


@test
def compat_sh():
    # Pipes, redirections, subshells.  Every child outlives its shell's
    # entry into wait4 (the sleeps), so each SIGCHLD comes after the wait4
    # that reaps it in both runs, whatever the scheduling.
    compat('sh', ['sh', '-c', '{ sleep 0.1; cat d/a.txt; } | { sort; sleep 0.1; } > sorted.txt; '
                  'echo done 2>/dev/null >>log.txt; wc -l < sorted.txt'])


@test
def compat_python3():
    compat('python3 -c', ['/usr/bin/python3', '-c',
                          'import os\nfor n in sorted(os.listdir("d")): print(n)'])


@test
def compat_perl():
    compat('perl -e', ['perl', '-e', 'open(my $f, "<", "d/a.txt") or die; '
                       'my @l = grep { /foo/ } <$f>; print scalar(@l), "\\n";'])


@test
def compat_gcc():
    compat('gcc hello.c', ['gcc', '-o', 'hello', 'hello.c'], tempnames=True)


@test
def compat_make():
    compat('make', ['make'])


@test
def compat_git_status():
    compat('git status', ['git', 'status'], git=True, files=False)


@test
def compat_threads():
    compat('threaded program', [tracee('compat_threads')])


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@test
def compat_tcp():
    port = free_port()
    # The client's port is the kernel's choice (accept shows it): masked.
    ephemeral = (re.compile(r'sin_port=htons\((?!%d\))\d+\)' % port), 'sin_port=htons(EPHEMERAL)')
    compat('loopback TCP server and client', [tracee('compat_tcp'), str(port)],
           masks=[ephemeral])


@test
def compat_signals():
    compat('signals and timers', [tracee('compat_signals')])



# ---- the same programs with the output options that change decoding ----
# Inode numbers and -v's full times change from one run to the next: masked.
INODES = [
    # A pipe's inode under -xx, where the path is all \xNN.
    (re.compile(r'<\\x70\\x69\\x70\\x65\\x3a\\x5b(?:\\x3[0-9])+\\x5d>'), '<PIPE-XX>'),
    (re.compile(r'\b(pipe|socket|anon_inode):\[\d+\]'), r'\1:[INO]'),
    (re.compile(r'\b(UNIX(?:-STREAM)?|TCP|UDP|TCPv6|UDPv6|NETLINK):\[\d+'), r'\1:[INO'),
    (re.compile(r'->\d+([],])'), r'->INO\1'),
    (re.compile(r'\b(st_ino|stx_ino|d_ino)=\d+'), r'\1=INO'),
    # -v: statx's times in full, "stx_ctime={tv_sec=S, tv_nsec=N} /* date */".
    (re.compile(r'\b(stx_[abcm]time)=T, tv_nsec=\d+\}(?: /\* [^*]* \*/)?'), r'\1=T'),
]


@test
def compat_ls_v_yy():
    # -v: every field of stat and statx; -yy: AT_FDCWD's directory, fd paths.
    compat('ls -l -v -yy', ['ls', '-l', 'd', 'd/sub'], opts=['-v', '-yy'], masks=INODES)


@test
def compat_cat_xx_yy():
    # -xx: every byte in hex; -s: cut at 8 bytes; -yy: stdin is /dev/null,
    # a character device ("0</dev/null<char 1:3>>"), stdout a pipe.
    compat('cat -- -xx -s 8 -yy', ['cat', 'd/a.txt', '-'], opts=['-xx', '-s', '8', '-yy'],
           masks=INODES)


@test
def compat_sh_x_y():
    # -x: non-ASCII bytes in hex; -y: redirections as fd paths.  One child at
    # a time (no pipeline), so process order and SIGCHLD order are fixed.
    compat('sh -- -x -y', ['sh', '-c', 'printf "caf\\303\\251\\n" > out.txt; '
                           'cat out.txt d/sub/b.txt >> log.txt; exec 3< d/a.txt; read x <&3'],
           opts=['-x', '-y'], masks=INODES)


@test
def compat_python3_yy():
    # -yy inside and after structs: poll's and select's fds (plain after the
    # return value), pipes, a UDP socket's address, a UNIX socket pair.
    script = ('import os, select, socket\n'
              'fd = os.open("d/a.txt", os.O_RDONLY)\n'
              'p = select.poll(); p.register(fd); p.poll(0)\n'
              'select.select([fd], [], [], 0)\n'
              'r, w = os.pipe2(os.O_NONBLOCK); os.dup2(r, 10); os.write(w, b"ab")\n'
              's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n'
              's.bind(("127.0.0.1", 0)); s.sendto(b"x", s.getsockname()); s.recvfrom(9)\n'
              'a, b = socket.socketpair(); a.send(b"y"); b.recv(1); b.close(); a.close()\n')
    port = [(re.compile(r'127\.0\.0\.1:\d+'), '127.0.0.1:PORT'),
            (re.compile(r'sin_port=htons\([1-9]\d*\)'), 'sin_port=htons(PORT)')]
    compat('python3 -c -- -yy', ['/usr/bin/python3', '-c', script], opts=['-yy'],
           masks=port + INODES)


@test
def compat_tcp_yy():
    port = free_port()
    ephemeral = [(re.compile(r'sin_port=htons\((?!%d\))\d+\)' % port), 'sin_port=htons(EPHEMERAL)'),
                 (re.compile(r'127\.0\.0\.1:(?!%d\b)\d+' % port), '127.0.0.1:EPHEMERAL')]
    # -yy: sockets as TCP:[local->peer] from the kernel's sock_diag.
    compat('loopback TCP -- -yy', [tracee('compat_tcp'), str(port)], opts=['-yy'],
           masks=ephemeral + INODES)

if __name__ == '__main__':
    sys.exit(main())
