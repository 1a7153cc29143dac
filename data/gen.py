#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Validate ptk's text tables and generate C from them (see data/README.md).

    gen.py --data DIR --lib-c F --lib-h F         syscall, errno and signal tables (libptk)
    gen.py --data DIR --flags-c F --flags-h F     flag and constant sets (the trace front end)
    gen.py --data DIR --host-c F                  the host headers' values (unit test)
    gen.py --data DIR --check                     validate only

Any table error stops the build with "gen.py: FILE:LINE: what is wrong".
"""
import argparse
import glob
import os
import re
import sys

CLASSES = [
    ('%file', 'PTK_SCC_FILE'), ('%desc', 'PTK_SCC_DESC'), ('%network', 'PTK_SCC_NETWORK'),
    ('%process', 'PTK_SCC_PROCESS'), ('%signal', 'PTK_SCC_SIGNAL'),
    ('%memory', 'PTK_SCC_MEMORY'), ('%ipc', 'PTK_SCC_IPC'), ('%creds', 'PTK_SCC_CREDS'),
    ('%clock', 'PTK_SCC_CLOCK'), ('%pure', 'PTK_SCC_PURE'), ('%stat', 'PTK_SCC_STAT'),
    ('%lstat', 'PTK_SCC_LSTAT'), ('%fstat', 'PTK_SCC_FSTAT'), ('%%stat', 'PTK_SCC_STAT_LIKE'),
    ('%statfs', 'PTK_SCC_STATFS'), ('%fstatfs', 'PTK_SCC_FSTATFS'),
    ('%%statfs', 'PTK_SCC_STATFS_LIKE'),
]
CLASS_ALIASES = [('%net', 'PTK_SCC_NETWORK')]
FLAGS = {'noreturn': 'PTK_SYF_NORETURN', 'hexret': 'PTK_SYF_HEXRET',
         'neverfails': 'PTK_SYF_NEVER_FAILS', 'custom': 'PTK_SYF_CUSTOM',
         'octret': 'PTK_SYF_OCTRET', 'fdret': 'PTK_SYF_FDRET'}

# Argument base types.  The value says what follows the base: None (nothing),
# 'n' (an argument index), 'set' (a flag set name), 'struct' (a struct name and an
# optional index or #count), 'array' (a struct name and an index or #count).
BASES = {
    'int': None, 'uint': None, 'long': None, 'ulong': None, 'hex': None, 'ptr': None,
    'size': None, 'off': None, 'octal': None, 'fd': None, 'dirfd': None, 'pid': None,
    'uid': None, 'gid': None, 'uid16': None, 'gid16': None, 'mode': None, 'fmode': None,
    'dev': None, 'signal': None, 'sigmask': None, 'sighandler': None, 'path': None,
    'str': None, 'argv': None, 'envp': None, 'fdpair': None,
    'buf': 'n', 'iov': 'n', 'strlist': 'n', 'sigset': 'n', 'fdset': 'n',
    'flags': 'set', 'xlat': 'set', 'struct': 'struct', 'array': 'array',
}
# Bases that may be split in two 32-bit halves (lo:/hi:).
SPLITTABLE = {'off', 'hex', 'flags', 'ulong', 'long'}
STRUCTS = set('''
    stat stat64 oldstat statfs statfs64 statx timespec timespec64 timeval timezone
    itimerval itimerspec itimerspec64 timex timex64 utimbuf time tms rusage rlimit rlimit64
    sigaction old_sigaction stack siginfo sigevent old_sigset utsname old_utsname
    oldold_utsname sysinfo sockaddr socklen msghdr mmsghdr iovec pollfd epoll_event
    cap_header cap_data sched_param sched_attr cpuset rseq clone_args open_how mount_attr
    mnt_id_req statmount landlock_ruleset_attr io_uring_params perf_event_attr bpf_attr
    user_desc sembuf msgbuf mq_attr file_handle kexec_segment iocb iocb_ptr io_event
    aio_context aio_sigset dirent dirent64 old_dirent ustat loff int uint long u32 u64 ptr
    size uid gid uid16 gid16 wait_status sel_arg_struct mmap_arg_struct pselect6_sigmask
    futex_waitv cachestat_range cachestat lsm_ctx xattr_args file_attr
'''.split())


class TableError(Exception):
    pass


def fail(where, msg):
    raise TableError('%s: %s' % (where, msg))


def rows(path):
    """(where, fields) for each non-comment line, split on tabs."""
    rel = os.path.relpath(path)
    with open(path, encoding='utf-8') as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            yield '%s:%d' % (rel, i), line


def parse_int(where, s):
    try:
        return int(s, 0)
    except ValueError:
        fail(where, 'bad number %r' % s)


# ---------------------------------------------------------------- flag sets

def load_flagsets(data):
    sets = {}
    order = []
    for path in sorted(glob.glob(os.path.join(data, 'flags', '*.tbl'))):
        cur = None
        for where, line in rows(path):
            if line.startswith('@set'):
                f = line.split()
                if len(f) < 3 or f[2] not in ('flags', 'enum'):
                    fail(where, '"@set NAME flags|enum [field=MASK] [fieldset=NAME] '
                         '[rest=octal]" expected')
                name = f[1]
                if not re.fullmatch(r'[a-z][a-z0-9_]*', name):
                    fail(where, 'bad set name %r' % name)
                if name in sets:
                    fail(where, 'set %r already defined at %s' % (name, sets[name]['where']))
                cur = {'name': name, 'kind': f[2], 'field': 0, 'fieldset': None,
                       'rest_octal': False, 'entries': [], 'where': where}
                for opt in f[3:]:
                    k, _, v = opt.partition('=')
                    if k == 'field' and f[2] == 'flags':
                        cur['field'] = parse_int(where, v)
                    elif k == 'fieldset' and f[2] == 'flags':
                        cur['fieldset'] = v
                    elif k == 'rest' and v == 'octal':
                        cur['rest_octal'] = True
                    else:
                        fail(where, 'unknown set option %r' % opt)
                sets[name] = cur
                order.append(name)
                continue
            if cur is None:
                fail(where, 'entry before any @set line')
            f = line.split('\t')
            if len(f) != 2:
                fail(where, '"NAME<TAB>VALUE" expected')
            ename, v = f[0].strip(), parse_int(where, f[1].strip())
            if not re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', ename):
                fail(where, 'bad constant name %r' % ename)
            if v < -(1 << 63) or v >= (1 << 64):
                fail(where, 'value out of 64-bit range')
            for e in cur['entries']:
                if e[0] == ename:
                    fail(where, 'duplicate name %s in set %s' % (ename, cur['name']))
                if cur['kind'] == 'enum' and e[1] == v:
                    fail(where, 'duplicate value %s in enum set %s (%s)' % (v, cur['name'], e[0]))
            if cur['kind'] == 'flags' and cur['field']:
                u = v & ((1 << 64) - 1)
                if u & cur['field'] and u & ~cur['field']:
                    fail(where, '%s straddles the field mask %#x' % (ename, cur['field']))
            cur['entries'].append((ename, v, where))
    for name in order:
        s = sets[name]
        if not s['entries']:
            fail(s['where'], 'set %s is empty' % name)
        if s['fieldset'] and s['fieldset'] != 'signal' and s['fieldset'] not in sets:
            fail(s['where'], 'fieldset %s is not defined' % s['fieldset'])
    return sets, order


# ---------------------------------------------------------------- syscalls

def check_arg(where, tok, i, nargs, sets):
    parts = tok.split(':')
    if parts[0] in ('out', 'inout'):
        parts = parts[1:]
    half = None
    if parts and parts[0] in ('lo', 'hi'):
        half = parts[0]
        parts = parts[1:]
    if not parts or parts[0] not in BASES:
        fail(where, 'argument %d: unknown type %r' % (i, tok))
    base, rest = parts[0], parts[1:]
    if half and base not in SPLITTABLE:
        fail(where, 'argument %d: %s cannot be split in lo/hi halves' % (i, base))
    kind = BASES[base]

    def index(s, allow_count):
        if allow_count and s.startswith('#'):
            if not s[1:].isdigit() or int(s[1:]) < 1:
                fail(where, 'argument %d: bad count %r' % (i, s))
            return
        if not s.isdigit() or int(s) >= nargs or int(s) == i:
            fail(where, 'argument %d: %r does not name another argument (0..%d)' %
                 (i, s, nargs - 1))

    if kind is None:
        if rest:
            fail(where, 'argument %d: %s takes no parameter' % (i, base))
    elif kind == 'n':
        if len(rest) != 1:
            fail(where, 'argument %d: %s:N expected' % (i, base))
        index(rest[0], False)
    elif kind == 'set':
        if len(rest) != 1:
            fail(where, 'argument %d: %s:SET expected' % (i, base))
        s = sets.get(rest[0])
        if s is None:
            fail(where, 'argument %d: unknown flag set %r' % (i, rest[0]))
        want = 'flags' if base == 'flags' else 'enum'
        if s['kind'] != want:
            fail(where, 'argument %d: set %s is %s, %s: wants a %s set' %
                 (i, rest[0], s['kind'], base, want))
    else:
        if not rest or rest[0] not in STRUCTS:
            fail(where, 'argument %d: unknown struct %r' % (i, ':'.join(rest)))
        if kind == 'array' and len(rest) != 2:
            fail(where, 'argument %d: array:NAME:COUNT expected' % i)
        if len(rest) > 2:
            fail(where, 'argument %d: too many parameters' % i)
        if len(rest) == 2:
            index(rest[1], True)
    return half


def load_syscalls(path, sets):
    ents = {}
    names = {}
    for where, line in rows(path):
        f = line.split('\t')
        if len(f) != 6:
            fail(where, '6 tab-separated columns expected (nr name nargs classes flags args)')
        nr, name, nargs, classes, flags, args = [x.strip() for x in f]
        if not nr.isdigit():
            fail(where, 'bad syscall number %r' % nr)
        nr = int(nr)
        if not re.fullmatch(r'[a-z_][a-z0-9_]*', name):
            fail(where, 'bad syscall name %r' % name)
        if nr in ents:
            fail(where, 'number %d already used by %s (%s)' % (nr, ents[nr]['name'],
                                                               ents[nr]['where']))
        if name in names:
            fail(where, 'name %s already used by number %d (%s)' % (name, names[name]['nr'],
                                                                   names[name]['where']))
        if not nargs.isdigit() or int(nargs) > 6:
            fail(where, 'nargs must be 0..6')
        nargs = int(nargs)
        cls = []
        if classes != '-':
            for c in classes.split(','):
                if c not in dict(CLASSES):
                    fail(where, 'unknown class %r' % c)
                if c in cls:
                    fail(where, 'class %s listed twice' % c)
                cls.append(c)
        fl = []
        if flags != '-':
            for x in flags.split(','):
                if x not in FLAGS:
                    fail(where, 'unknown flag %r' % x)
                fl.append(x)
        toks = [] if args == '-' else args.split(',')
        if len(toks) != nargs:
            fail(where, 'nargs is %d but %d argument types are listed' % (nargs, len(toks)))
        halves = [check_arg(where, t, i, nargs, sets) for i, t in enumerate(toks)]
        for i, h in enumerate(halves):
            if h is None:
                continue
            mate = [j for j in (i - 1, i + 1) if 0 <= j < nargs and halves[j] and
                    halves[j] != h]
            if not mate:
                fail(where, 'argument %d: %s: half has no adjacent other half' % (i, h))
        e = {'nr': nr, 'name': name, 'nargs': nargs, 'classes': cls, 'flags': fl,
             'args': ','.join(toks), 'where': where}
        ents[nr] = e
        names[name] = e
    if not ents:
        fail(os.path.relpath(path), 'no syscalls')
    return ents


# ---------------------------------------------------------------- errno, signals

def load_numbered(path, want_msg):
    """errno.tbl / signals.tbl: (primary {num: (name, msg)}, all [(name, num)])."""
    prim = {}
    allnames = {}
    aliases = []
    for where, line in rows(path):
        f = line.split('\t')
        if len(f) != (3 if want_msg else 2) and not (len(f) == 3 and f[2] == '@alias'):
            fail(where, 'NUMBER<TAB>NAME%s expected' % ('<TAB>MESSAGE' if want_msg else ''))
        num = parse_int(where, f[0])
        name = f[1]
        if not re.fullmatch(r'[A-Z][A-Z0-9_]*', name):
            fail(where, 'bad name %r' % name)
        if name in allnames:
            fail(where, 'duplicate name %s' % name)
        if num <= 0:
            fail(where, 'numbers start at 1')
        allnames[name] = num
        if len(f) == 3 and f[2] == '@alias':
            aliases.append((where, num))
            continue
        if num in prim:
            fail(where, 'number %d already named %s' % (num, prim[num][0]))
        msg = f[2] if want_msg else None
        if want_msg and not msg.strip():
            fail(where, 'empty message')
        prim[num] = (name, msg)
    for where, num in aliases:
        if num not in prim:
            fail(where, 'alias of undefined number %d' % num)
    return prim, sorted(allnames.items())


# ---------------------------------------------------------------- C output

def cstr(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


HEAD = '/* SPDX-License-Identifier: MIT */\n/* Generated by data/gen.py from the tables in data/: do not edit. */\n'


def gen_lib(data, sets, out_c, out_h):
    abis = [('x86_64', 'syscalls_x86_64.tbl'), ('i386', 'syscalls_i386.tbl')]
    tabs = [(abi, load_syscalls(os.path.join(data, f), sets)) for abi, f in abis]
    errs, errnames = load_numbered(os.path.join(data, 'errno.tbl'), True)
    sigs, signames = load_numbered(os.path.join(data, 'signals.tbl'), False)

    h = [HEAD, '#ifndef PTK_TABLES_GEN_H', '#define PTK_TABLES_GEN_H', '',
         '#include "ptk/tables.h"', '', '#include <stddef.h>', '',
         'struct tab_name {', '\tconst char *name;', '\tint value;', '};', '',
         'struct tab_abi {',
         '\tconst struct ptk_sysent *ents; /* indexed by number */',
         '\tlong count;                   /* one past the largest number */',
         '\tconst struct tab_name *names; /* sorted by name (strcmp) */',
         '\tsize_t nnames;', '};', '']
    for abi, _ in tabs:
        h.append('extern const struct tab_abi tab_abi_%s;' % abi)
    h += ['', '#define TAB_ERRNO_MAX %d' % max(errs), '#define TAB_SIGNAL_MAX %d' % max(sigs),
          'extern const char *const tab_errno_name[TAB_ERRNO_MAX + 1];',
          'extern const char *const tab_errno_msg[TAB_ERRNO_MAX + 1];',
          'extern const struct tab_name tab_errno_index[]; /* sorted, aliases included */',
          'extern const size_t tab_errno_nindex;',
          'extern const char *const tab_signal_name[TAB_SIGNAL_MAX + 1];',
          'extern const struct tab_name tab_signal_index[]; /* sorted, aliases included */',
          'extern const size_t tab_signal_nindex;',
          'extern const struct tab_name tab_class_index[]; /* "%file" -> mask, sorted */',
          'extern const size_t tab_class_nindex;',
          '', '#endif', '']

    c = [HEAD, '#include "tables_gen.h"', '']
    for abi, ents in tabs:
        c.append('static const struct ptk_sysent ents_%s[%d] = {' % (abi, max(ents) + 1))
        for nr in sorted(ents):
            e = ents[nr]
            cls = '|'.join(dict(CLASSES)[x] for x in e['classes']) or '0'
            fl = '|'.join(FLAGS[x] for x in e['flags']) or '0'
            c.append('\t[%d] = {%s, %d, %s, %s, %s},' % (nr, cstr(e['name']), e['nargs'], cls,
                                                          fl, cstr(e['args'])))
        c.append('};')
        c.append('static const struct tab_name names_%s[] = {' % abi)
        for name, nr in sorted((e['name'], e['nr']) for e in ents.values()):
            c.append('\t{%s, %d},' % (cstr(name), nr))
        c.append('};')
        c.append('const struct tab_abi tab_abi_%s = {ents_%s, %d, names_%s, %d};' %
                 (abi, abi, max(ents) + 1, abi, len(ents)))
        c.append('')
    for what, tab, idx in (('errno', errs, errnames), ('signal', sigs, signames)):
        c.append('const char *const tab_%s_name[%d] = {' % (what, max(tab) + 1))
        c += ['\t[%d] = %s,' % (n, cstr(tab[n][0])) for n in sorted(tab)]
        c.append('};')
        if what == 'errno':
            c.append('const char *const tab_errno_msg[%d] = {' % (max(tab) + 1))
            c += ['\t[%d] = %s,' % (n, cstr(tab[n][1])) for n in sorted(tab)]
            c.append('};')
        c.append('const struct tab_name tab_%s_index[] = {' % what)
        c += ['\t{%s, %d},' % (cstr(n), v) for n, v in idx]
        c.append('};')
        c.append('const size_t tab_%s_nindex = %d;' % (what, len(idx)))
        c.append('')
    cls = sorted(CLASSES + CLASS_ALIASES)
    c.append('const struct tab_name tab_class_index[] = {')
    c += ['\t{%s, %s},' % (cstr(n), v) for n, v in cls]
    c.append('};')
    c.append('const size_t tab_class_nindex = %d;' % len(cls))
    write(out_h, '\n'.join(h))
    write(out_c, '\n'.join(c) + '\n')


def gen_flags(sets, order, out_c, out_h):
    base = os.path.basename(out_h)
    guard = 'PTK_' + re.sub(r'\W', '_', base).upper()
    h = [HEAD, '/*', ' * Flag and constant sets for the trace front end; see data/README.md.', ' */',
         '#ifndef ' + guard, '#define ' + guard, '',
         '#include <stdbool.h>', '#include <stddef.h>', '#include <stdint.h>', '',
         '/* FLAGS: bits OR\'d together (plus an enumerated field); ENUM: one value. */',
         'enum ptk_xlat_kind { PTK_XLAT_FLAGS = 1, PTK_XLAT_ENUM = 2 };', '',
         'struct ptk_xlat_entry {', '\tconst char *name;',
         '\tuint64_t value; /* negative values are stored sign-extended to 64 bits */',
         '};', '',
         'struct ptk_xlat {',
         '\tconst char *name;       /* "open", as an argument type says flags:open */',
         '\tenum ptk_xlat_kind kind;',
         '\tuint64_t field;         /* FLAGS: bits that hold one enumerated value, or 0 */',
         '\tconst char *fieldset;   /* names the field\'s values elsewhere ("signal"), or NULL */',
         '\tbool rest_octal;        /* print unnamed bits in octal (permission bits) */',
         '\tsize_t count;',
         '\tconst struct ptk_xlat_entry *entries; /* in match order */',
         '};', '']
    for n in order:
        h.append('extern const struct ptk_xlat ptk_xlat_%s;' % n)
    h += ['', '/* Every set, sorted by name. */',
          'extern const struct ptk_xlat *const ptk_flagsets[];',
          'extern const size_t ptk_flagset_count;', '',
          '/* The set called name ("open"), or NULL. */',
          'const struct ptk_xlat *ptk_flagset_find(const char *name);', '',
          '/* The name of the entry whose value is exactly value (an ENUM value, a field',
          ' * value or a single flag), or NULL. */',
          'const char *ptk_xlat_name(const struct ptk_xlat *x, uint64_t value);', '',
          '/* The value of a constant name in x; -ENOENT if x has no such name. */',
          'int ptk_xlat_value(const struct ptk_xlat *x, const char *name, uint64_t *ret_value);',
          '',
          '/*',
          ' * Format value the way strace prints it into buf (NUL-terminated when len > 0):',
          ' * FLAGS as "O_RDWR|O_CREAT|0x40000000" (unnamed bits in hex, or in octal with',
          ' * rest_octal, where they always show: "IPC_CREAT|0600", "000"; 0 as the set\'s',
          ' * zero-valued name, else "0"), ENUM as the name or, when unnamed, the decimal',
          ' * number.  Returns the length the whole text needs, like snprintf.',
          ' */',
          'int ptk_xlat_format(const struct ptk_xlat *x, uint64_t value, char *buf, size_t len);',
          '', '#endif', '']
    c = [HEAD, '#include "%s"' % base, '', '#include <string.h>', '']
    for n in order:
        s = sets[n]
        c.append('static const struct ptk_xlat_entry ent_%s[] = {' % n)
        for ename, v, _ in s['entries']:
            c.append('\t{%s, 0x%xULL},' % (cstr(ename), v & ((1 << 64) - 1)))
        c.append('};')
        c.append('const struct ptk_xlat ptk_xlat_%s = {%s, %s, 0x%xULL, %s, %s, %d, ent_%s};' %
                 (n, cstr(n), 'PTK_XLAT_FLAGS' if s['kind'] == 'flags' else 'PTK_XLAT_ENUM',
                  s['field'], cstr(s['fieldset']) if s['fieldset'] else 'NULL',
                  'true' if s['rest_octal'] else 'false', len(s['entries']), n))
        c.append('')
    c.append('const struct ptk_xlat *const ptk_flagsets[] = {')
    c += ['\t&ptk_xlat_%s,' % n for n in sorted(order)]
    c.append('};')
    c.append('const size_t ptk_flagset_count = %d;' % len(order))
    c += ['', 'const struct ptk_xlat *ptk_flagset_find(const char *name)', '{',
          '\tsize_t lo = 0, hi = ptk_flagset_count;', '',
          '\twhile (lo < hi) {', '\t\tsize_t mid = lo + (hi - lo) / 2;',
          '\t\tint d = strcmp(name, ptk_flagsets[mid]->name);', '',
          '\t\tif (d == 0)', '\t\t\treturn ptk_flagsets[mid];', '\t\tif (d < 0)',
          '\t\t\thi = mid;', '\t\telse', '\t\t\tlo = mid + 1;', '\t}', '\treturn NULL;', '}']
    write(out_h, '\n'.join(h))
    write(out_c, '\n'.join(c) + '\n')


# Host headers the unit test compares the sets with (glibc's, which carry most UAPI values).
HOST_HEADERS = [
    'fcntl.h', 'poll.h', 'sched.h', 'signal.h', 'time.h', 'sys/epoll.h', 'sys/eventfd.h',
    'sys/file.h', 'sys/inotify.h', 'sys/ioctl.h', 'sys/ipc.h', 'sys/mman.h', 'sys/mount.h',
    'sys/msg.h', 'sys/personality.h', 'sys/prctl.h', 'sys/random.h', 'sys/resource.h',
    'sys/sem.h', 'sys/shm.h', 'sys/signalfd.h', 'sys/socket.h', 'sys/stat.h',
    'sys/timerfd.h', 'sys/wait.h', 'sys/xattr.h', 'netinet/in.h', 'netinet/tcp.h',
]
# Sets whose constants the host defines as something other than an integer.
HOST_SKIP = {'sighandler'}
# ioctl numbers the host spells with a struct it does not declare in these headers.
HOST_SKIP_NAMES = {'TCGETS2', 'TCSETS2', 'TCSETSW2', 'TCSETSF2', 'TIOCGISO7816', 'TIOCSISO7816'}


def gen_host(sets, order, out_c):
    """A table of (set, name, host value) for every constant the host headers define."""
    c = [HEAD] + ['#include <%s>' % x for x in HOST_HEADERS]
    c += ['', 'struct host_value {', '\tconst char *set;', '\tconst char *name;',
          '\tlong long value;', '};', '', 'extern const struct host_value host_values[];',
          'const struct host_value host_values[] = {']
    for n in order:
        if n in HOST_SKIP:
            continue
        for ename, _, _ in sets[n]['entries']:
            if ename in HOST_SKIP_NAMES:
                continue
            c += ['#ifdef %s' % ename,
                  '\t{%s, %s, (long long)(%s)},' % (cstr(n), cstr(ename), ename), '#endif']
    c += ['\t{0, 0, 0},', '};', '']
    write(out_c, '\n'.join(c))


def write(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument('--lib-c')
    ap.add_argument('--lib-h')
    ap.add_argument('--flags-c')
    ap.add_argument('--flags-h')
    ap.add_argument('--host-c', help="the host headers' values of the sets (unit test)")
    ap.add_argument('--check', action='store_true')
    a = ap.parse_args()
    try:
        sets, order = load_flagsets(a.data)
        if a.lib_c or a.lib_h or a.check:
            if a.check:
                for f in ('syscalls_x86_64.tbl', 'syscalls_i386.tbl'):
                    load_syscalls(os.path.join(a.data, f), sets)
                load_numbered(os.path.join(a.data, 'errno.tbl'), True)
                load_numbered(os.path.join(a.data, 'signals.tbl'), False)
            else:
                if not (a.lib_c and a.lib_h):
                    ap.error('--lib-c and --lib-h go together')
                gen_lib(a.data, sets, a.lib_c, a.lib_h)
        if a.flags_c or a.flags_h:
            if not (a.flags_c and a.flags_h):
                ap.error('--flags-c and --flags-h go together')
            gen_flags(sets, order, a.flags_c, a.flags_h)
        if a.host_c:
            gen_host(sets, order, a.host_c)
    except TableError as e:
        sys.stderr.write('gen.py: %s\n' % e)
        return 1
    except OSError as e:
        sys.stderr.write('gen.py: %s\n' % e)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
