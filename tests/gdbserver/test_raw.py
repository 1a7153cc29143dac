#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ptk gdbserver` at the packet level, over a raw socket: malformed packets get an E
reply, unknown ones the empty reply, acks and retransmission, ^C while running, the
register layout against target.xml, target-side conditions, qXfer chunking, vFile,
non-stop notifications, lldb's queries, and clients that vanish mid-packet (the server
ends cleanly and leaves no tracee stopped)."""
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gslib import (Raw, Server, Spinner, check, eq, fail, proc_state, read_xfer,  # noqa: E402
                   tracee, unescape, wait_gone)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from harness import main, test  # noqa: E402


def is_error(r):
    return re.fullmatch(r'E[0-9a-f]{2}', r) is not None


def with_server(args, fn, opts=()):
    srv = Server(args, opts=opts)
    try:
        raw = Raw(srv.port)
        try:
            fn(srv, raw)
        finally:
            raw.close()
        return srv.finish()
    finally:
        srv.kill()


def stop_fields(reply):
    """A T stop reply as (signal, {name: value})."""
    check(reply.startswith('T'), 'not a T stop reply: %r' % reply)
    fields = dict(f.split(':', 1) for f in reply[3:].split(';') if f)
    return int(reply[1:3], 16), fields


@test
def raw_malformed_get_errors_unknown_get_empty():
    def fn(srv, raw):
        for bad in ['m', 'mzz,4', 'm0,zz', 'M0,2:zz', 'Z0,xyz', 'vCont;q', 'vCont;c:zz',
                    'Hgzz', 'Hx1', 'pzz', 'p9999', 'P0=zz', 'P0=00', 'Tzz', 'qXfer:auxv:read::zz',
                    'QNonStop:7', 'vKill;zz', 'vAttach;0', 'D;zz', 'X0,1:', 'qThreadExtraInfo,zz',
                    'Z2,1000,4', 'Z2,1000,4;X3,220027', 'Z3,1000,0']:
            r = raw.cmd(bad)
            check(is_error(r), '%r answered %r, not an E reply' % (bad, r))
        for unknown in ['qFooBar', 'vFooBar', 'QFooBar', 'x0,0', 'jFoo', '_M1000,rwx', 'y',
                        'Z5,1000,4', 'z5,1000,4', 'vMustReplyEmpty', 'qOffsets', 'qTStatus',
                        'qXfer:foo:read::0,10', 'qXfer:auxv:write::0:00']:
            eq(raw.cmd(unknown), '', 'reply to %r' % unknown)
        eq(raw.cmd(''), '', 'reply to an empty packet')
        eq(raw.cmd('X0,0:'), 'OK', 'X probe')
        # ... and the server still answers properly.
        sig, f = stop_fields(raw.cmd('?'))
        eq(sig, 5, 'signal of the initial stop')
        eq(raw.cmd('vKill;%x' % srv.pid), 'OK', 'vKill')
    with_server([tracee('gs_basic')], fn)


@test
def raw_acks_naks_and_too_long():
    def fn(srv, raw):
        s = raw.s
        # Acks are on until QStartNoAckMode: a good packet gets '+', a bad checksum '-'.
        s.sendall(b'$qC#00')
        eq(s.recv(1), b'-', 'nak for a bad checksum')
        raw.send('qC')
        eq(s.recv(1), b'+', 'ack for a good packet')
        first = raw.reply()
        check(first.startswith('QC'), 'qC reply %r' % first)
        # '-' from the client: the last reply comes again.
        s.sendall(b'-')
        eq(raw.reply(), first, 'retransmitted reply')
        # A packet longer than PacketSize is refused with an E reply.
        raw.send('m' + '0' * 0x5000)
        check(is_error(raw.reply()), 'too long packet not refused')
        eq(raw.cmd('vKill;%x' % srv.pid), 'OK', 'vKill')
    srv = Server([tracee('gs_basic')])
    try:
        raw = Raw(srv.port, noack=False)
        try:
            fn(srv, raw)
        finally:
            raw.close()
        srv.finish()
    finally:
        srv.kill()


@test
def raw_qsupported_echoes_what_the_client_offers():
    def fn(srv, raw):
        r = raw.cmd('qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386')
        feats = r.split(';')
        for f in ['PacketSize=4000', 'multiprocess+', 'swbreak+', 'hwbreak+',
                  'qXfer:features:read+', 'qXfer:auxv:read+', 'qXfer:libraries-svr4:read+',
                  'qXfer:threads:read+', 'qXfer:exec-file:read+', 'QStartNoAckMode+',
                  'ConditionalBreakpoints+', 'QNonStop+', 'QPassSignals+']:
            check(f in feats, '%s missing from %r' % (f, r))
        for f in ['fork-events+', 'exec-events+', 'no-resumed+']:
            check(f not in feats, '%s offered though the client did not ask' % f)
        eq(raw.cmd('vCont?'), 'vCont;c;C;s;S;t;r', 'vCont?')
        eq(raw.cmd('qAttached:%x' % srv.pid), '0', 'qAttached of a spawned program')
        eq(raw.cmd('qC'), 'QCp%x.%x' % (srv.pid, srv.pid), 'qC')
        eq(raw.cmd('qfThreadInfo'), 'mp%x.%x' % (srv.pid, srv.pid), 'qfThreadInfo')
        eq(raw.cmd('qsThreadInfo'), 'l', 'qsThreadInfo')
        eq(raw.cmd('T%x' % srv.pid), 'OK', 'thread alive')
        check(is_error(raw.cmd('T7fffffff')), 'a thread that does not exist is alive')
        eq(raw.cmd('vKill;%x' % srv.pid), 'OK', 'vKill')
    with_server([tracee('gs_basic')], fn)


def target_xml_regs(raw):
    doc = read_xfer(raw, 'features', 'target.xml')
    root = ET.fromstring(doc)
    regs = []
    for feat in root.findall('feature'):
        for r in feat.findall('reg'):
            regs.append((feat.get('name'), r.get('name'), int(r.get('bitsize')),
                         int(r.get('regnum'))))
    return root, regs, doc


@test
def raw_target_xml_and_register_layout():
    def fn(srv, raw):
        raw.cmd('qSupported:multiprocess+;swbreak+;xmlRegisters=i386')
        root, regs, doc = target_xml_regs(raw)
        eq(root.find('architecture').text, 'i386:x86-64', 'architecture')
        feats = [f.get('name') for f in root.findall('feature')]
        eq(feats[:4], ['org.gnu.gdb.i386.core', 'org.gnu.gdb.i386.sse',
                       'org.gnu.gdb.i386.linux', 'org.gnu.gdb.i386.segments'], 'features')
        with open('/proc/cpuinfo') as f:
            if ' avx ' in f.read():
                check('org.gnu.gdb.i386.avx' in feats, 'no AVX feature on an AVX CPU')
        eq([r[3] for r in regs], list(range(len(regs))), 'regnums in order')
        names = [r[1] for r in regs]
        eq(names[:18], ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9',
                        'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'eflags'], 'core')
        eq(names[24], 'st0', 'x87')
        eq(names[40], 'xmm0', 'sse')
        eq(names[57:60], ['orig_rax', 'fs_base', 'gs_base'], 'linux and segments')
        # The same document in small chunks.
        eq(read_xfer(raw, 'features', 'target.xml', chunk=0x7f), doc, 'chunked target.xml')
        # g carries every register, in order, at its size.
        g = raw.cmd('g')
        eq(len(g), sum(r[2] for r in regs) // 4, 'g length vs target.xml')
        sig, f = stop_fields(raw.cmd('?'))
        off = sum(r[2] for r in regs[:16]) // 4
        eq(g[off:off + 16], f['10'], 'rip in g vs expedited rip')
        eq(raw.cmd('p10'), f['10'], 'p of rip')
        eq(raw.cmd('p%x' % names.index('eflags')), g[off + 16:off + 24], 'p of eflags')
        # Writes: P of rax, read back; G of what g gave leaves everything as it was.
        eq(raw.cmd('P0=8877665544332211'), 'OK', 'P rax')
        eq(raw.cmd('p0'), '8877665544332211', 'rax after P')
        g2 = raw.cmd('g')
        eq(raw.cmd('G' + g2), 'OK', 'G')
        eq(raw.cmd('g'), g2, 'g after G')
        xmm = names.index('xmm3')
        eq(raw.cmd('P%x=%s' % (xmm, '11' * 16)), 'OK', 'P xmm3')
        eq(raw.cmd('p%x' % xmm), '11' * 16, 'xmm3 after P')
        if 'ymm3h' in names:
            y = names.index('ymm3h')
            eq(raw.cmd('P%x=%s' % (y, '22' * 16)), 'OK', 'P ymm3h')
            eq(raw.cmd('p%x' % y), '22' * 16, 'ymm3h after P')
        eq(raw.cmd('vKill;%x' % srv.pid), 'OK', 'vKill')
    with_server([tracee('gs_basic')], fn)


@test
def raw_interrupt_while_running():
    def fn(srv, raw):
        raw.cmd('qSupported:multiprocess+;swbreak+')
        raw.send('vCont;c')
        line = srv.p.stdout.readline()
        check(line.startswith(b'spinning'), 'program output %r' % line)
        raw.send_raw(b'\x03')
        sig, f = stop_fields(raw.reply())
        eq(sig, 2, 'stop signal after ^C (SIGINT)')
        eq(f['thread'], 'p%x.%x' % (srv.pid, srv.pid), 'thread of the stop')
        check('core' in f, 'no core: in %r' % f)
        eq(raw.cmd('vKill;%x' % srv.pid), 'OK', 'vKill')
    with_server([tracee('gs_basic'), 'spin'], fn)


def exe_base(pid, name):
    with open('/proc/%d/maps' % pid) as f:
        for l in f:
            if l.rstrip().endswith('/' + name):
                return int(l.split('-')[0], 16)
    fail('no mapping of %s in %d' % (name, pid))


def symbol(path, name):
    out = subprocess.run(['nm', path], stdout=subprocess.PIPE, check=True).stdout.decode()
    m = re.search(r'^([0-9a-f]+) [tT] %s$' % name, out, re.M)
    check(m, 'no symbol %s in %s' % (name, path))
    return int(m.group(1), 16)


@test
def raw_target_side_conditions():
    prog = tracee('gs_basic')

    def fn(srv, raw):
        raw.cmd('qSupported:multiprocess+;swbreak+')
        raw.cmd('?')
        # At the exec stop the kernel has mapped the executable already.
        addr = exe_base(srv.pid, 'gs_basic') + symbol(prog, 'step_target')
        # reg 5 (rdi, the argument i) == 50: reg 0x26 0005, const8 0x22 32, equal, end
        eq(raw.cmd('Z0,%x,1;X7,26000522321327' % addr), 'OK', 'conditional Z0')
        sig, f = stop_fields(raw.cmd('vCont;c'))
        eq((sig, 'swbreak' in f), (5, True), 'breakpoint stop')
        eq(raw.cmd('p5'), '3200000000000000', 'rdi at the only stop')
        # A condition that is never true: the program runs to its end without a stop.
        eq(raw.cmd('Z0,%x,1;X3,220027' % addr), 'OK', 'Z0 with new conditions')
        eq(raw.cmd('vCont;c'), 'W00;process:%x' % srv.pid, 'runs to the end')
    out, err, rc = with_server([prog, 'loop', '200'], fn)
    eq(out, 'loops=200 odd=100\n', 'program output')


@test
def raw_watchpoints():
    """Z2 (write) reports watch:ADDR after the instruction that changed the value; Z4
    (access) awatch:ADDR; a second Z2 of the same range is one watchpoint; a length of
    0 or beyond 64 bytes is refused."""
    prog = tracee('gs_basic')
    out_syms = subprocess.run(['nm', prog], stdout=subprocess.PIPE, check=True).stdout.decode()

    def data_symbol(name):
        m = re.search(r'^([0-9a-f]+) [bBdD] %s$' % name, out_syms, re.M)
        check(m, 'no data symbol %s' % name)
        return int(m.group(1), 16)

    def fn(srv, raw):
        raw.cmd('qSupported:multiprocess+;swbreak+')
        raw.cmd('?')
        base = exe_base(srv.pid, 'gs_basic')
        main_pc = base + symbol(prog, 'main')
        spins = base + data_symbol('spins')
        release = base + data_symbol('release')
        eq(raw.cmd('Z0,%x,1' % main_pc), 'OK', 'Z0 main')
        sig, f = stop_fields(raw.cmd('vCont;c'))
        eq((sig, 'swbreak' in f), (5, True), 'stop at main')
        eq(raw.cmd('z0,%x,1' % main_pc), 'OK', 'z0 main')
        check(is_error(raw.cmd('Z2,%x,0' % spins)), 'a watchpoint of 0 bytes accepted')
        check(is_error(raw.cmd('Z2,%x,41' % spins)), 'a watchpoint of 65 bytes accepted')
        eq(raw.cmd('Z2,%x,8' % spins), 'OK', 'Z2 spins')
        eq(raw.cmd('Z2,%x,8' % spins), 'OK', 'Z2 spins again')
        sig, f = stop_fields(raw.cmd('vCont;c'))
        eq((sig, f.get('watch'), f['thread']), (5, '%x' % spins, 'p%x.%x' % (srv.pid, srv.pid)),
           'write watchpoint stop')
        eq(raw.cmd('m%x,8' % spins), '0100000000000000', 'spins after its first change')
        eq(raw.cmd('z2,%x,8' % spins), 'OK', 'z2 spins')
        eq(raw.cmd('z2,%x,8' % spins), 'OK', 'z2 of a watchpoint already removed')
        eq(raw.cmd('Z4,%x,4' % release), 'OK', 'Z4 release')
        sig, f = stop_fields(raw.cmd('vCont;c'))
        eq((sig, f.get('awatch')), (5, '%x' % release), 'access watchpoint stop')
        eq(raw.cmd('m%x,8' % spins), '0100000000000000', 'spins when release is read')
        eq(raw.cmd('z4,%x,4' % release), 'OK', 'z4 release')
        eq(raw.cmd('M%x,4:01000000' % release), 'OK', 'release = 1')
        eq(raw.cmd('vCont;c'), 'W00;process:%x' % srv.pid, 'runs to the end')
    out, err, rc = with_server([prog, 'spin'], fn)
    eq(out, 'spinning %d\nreleased\n' % int(out.split()[1]), 'program output')


@test
def raw_vfile():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'data')
        body = bytes(range(256)) * 40
        with open(path, 'wb') as f:
            f.write(body)

        def fn(srv, raw):
            hexpath = path.encode().hex()
            r = raw.cmd('vFile:open:%s,0,0' % hexpath)
            m = re.fullmatch(r'F([0-9a-f]+)', r)
            check(m, 'open: %r' % r)
            fd = int(m.group(1), 16)
            got = b''
            while True:
                r = raw.cmd('vFile:pread:%x,%x,%x' % (fd, 0x1000, len(got)))
                n, _, data = r.partition(';')
                n = int(n[1:], 16)
                part = unescape(data)
                eq(len(part), n, 'pread count')
                if n == 0:
                    break
                got += part
            eq(got, body, 'file through vFile:pread')
            r = raw.cmd('vFile:fstat:%x' % fd)
            n, _, st = r.partition(';')
            st = unescape(st)
            eq(n, 'F40', 'fstat size')
            eq(struct.unpack('>Q', st[28:36])[0], len(body), 'st_size')
            eq(raw.cmd('vFile:close:%x' % fd), 'F0', 'close')
            eq(raw.cmd('vFile:close:%x' % fd), 'F-1,9', 'close of a closed handle: EBADF')
            eq(raw.cmd('vFile:open:%s,0,0' % (path + '.none').encode().hex()), 'F-1,2',
               'open of a missing file: ENOENT')
            os.symlink(path, path + '.lnk')
            r = raw.cmd('vFile:readlink:%s' % (path + '.lnk').encode().hex())
            eq(r, 'F%x;%s' % (len(path), path), 'readlink')
            eq(raw.cmd('vKill;%x' % srv.pid), 'OK', 'vKill')
        with_server([tracee('gs_basic')], fn)


@test
def raw_non_stop_notifications():
    def fn(srv, raw):
        raw.cmd('qSupported:multiprocess+;swbreak+')
        eq(raw.cmd('QNonStop:1'), 'OK', 'QNonStop:1')
        r = raw.cmd('?')
        sig, f = stop_fields(r)
        eq(f['thread'], 'p%x.%x' % (srv.pid, srv.pid), 'stopped thread')
        eq(raw.cmd('vStopped'), 'OK', 'no other stopped thread')
        eq(raw.cmd('vCont;c'), 'OK', 'vCont in non-stop mode')
        lead, data = raw.read_frame()
        eq((lead, data), ('%', 'Stop:W03;process:%x' % srv.pid), 'exit notification')
        eq(raw.cmd('vStopped'), 'OK', 'queue drained')
    out, err, rc = with_server([tracee('gs_basic')], fn)
    eq(out, 'hello, gdb: sum=30 p=3,4\n', 'program output')


@test
def raw_thread_events():
    """QThreadEvents:1: each new thread is a create: stop, each thread exit a w reply."""
    def fn(srv, raw):
        raw.cmd('qSupported:multiprocess+;QThreadEvents+;swbreak+')
        eq(raw.cmd('QThreadEvents:1'), 'OK', 'QThreadEvents:1')
        created, exited = set(), set()
        for _ in range(8):
            r = raw.cmd('vCont;c')
            if r.startswith('W'):
                eq(r, 'W00;process:%x' % srv.pid, 'exit')
                break
            if r.startswith('w'):
                m = re.fullmatch(r'w00;p%x\.([0-9a-f]+)' % srv.pid, r)
                check(m, 'thread exit reply %r' % r)
                exited.add(m.group(1))
                continue
            sig, f = stop_fields(r)
            check('create' in f, 'not a create: stop: %r' % r)
            created.add(f['thread'].split('.')[1])
        eq(len(created), 2, 'threads created')
        eq(exited, created, 'threads that exited')
    out, err, rc = with_server([tracee('gs_threads'), '2', '1'], fn)
    eq(out, 'calls=2\n', 'program output')


@test
def raw_lldb_queries():
    def fn(srv, raw):
        eq(raw.cmd('QThreadSuffixSupported'), 'OK', 'QThreadSuffixSupported')
        eq(raw.cmd('QListThreadsInStopReply'), 'OK', 'QListThreadsInStopReply')
        host = dict(f.split(':', 1) for f in raw.cmd('qHostInfo').split(';') if f)
        eq(bytes.fromhex(host['triple']).decode(), 'x86_64-pc-linux-gnu', 'triple')
        eq(host['ptrsize'], '8', 'ptrsize')
        pi = dict(f.split(':', 1) for f in raw.cmd('qProcessInfo').split(';') if f)
        eq(int(pi['pid'], 16), srv.pid, 'qProcessInfo pid')
        eq(int(pi['parent-pid'], 16), srv.p.pid, 'its parent is the server')
        sig, f = stop_fields(raw.cmd('?'))
        eq(f['threads'], '%x' % srv.pid, 'threads: in the stop reply')
        rip = int.from_bytes(bytes.fromhex(f['10']), 'little')
        eq(f['thread-pcs'], '%x' % rip, 'thread-pcs:')
        eq(raw.cmd('p10;thread:%x;' % srv.pid), f['10'], 'p with a thread suffix')
        mr = dict(x.split(':', 1) for x in raw.cmd('qMemoryRegionInfo:%x' % rip).split(';') if x)
        start, size = int(mr['start'], 16), int(mr['size'], 16)
        check(start <= rip < start + size, 'region %r holds rip %x' % (mr, rip))
        eq(mr['permissions'], 'rx', 'permissions of code')
        check(bytes.fromhex(mr['name']).decode().endswith('ld-linux-x86-64.so.2'),
              'name of the region %r' % mr)
        gap = dict(x.split(':', 1) for x in raw.cmd('qMemoryRegionInfo:0').split(';') if x)
        check('permissions' not in gap and int(gap['size'], 16) > 0, 'unmapped %r' % gap)
        threads = json.loads(unescape(raw.cmd('jThreadsInfo')))
        eq([t['tid'] for t in threads], [srv.pid], 'jThreadsInfo tids')
        eq(threads[0]['registers']['16'], f['10'], 'jThreadsInfo rip')
        eq(raw.cmd('k'), 'X09', 'reply to k')
    with_server([tracee('gs_basic')], fn)


@test
def raw_disconnect_mid_packet_kills_spawned_program():
    srv = Server([tracee('gs_basic'), 'spin'])
    try:
        raw = Raw(srv.port)
        raw.send('vCont;c')
        check(srv.p.stdout.readline().startswith(b'spinning'), 'program not running')
        raw.send_raw(b'$m4000,1')  # no end: the client goes away in the middle
        raw.close()
        out, err, rc = srv.finish()
    finally:
        srv.kill()
    eq(rc, 0, 'server status')
    check(wait_gone(srv.pid), 'the spawned program was not killed')


@test
def raw_disconnect_leaves_attached_program_running_untraced():
    sp = Spinner()
    try:
        srv = Server(['--attach', str(sp.pid)])
        try:
            raw = Raw(srv.port)
            sig, f = stop_fields(raw.cmd('?'))
            eq(proc_state(sp.pid), ('t', srv.p.pid), 'stopped under the server')
            raw.send_raw(b'$qXfer:threads:re')
            raw.close()
            out, err, rc = srv.finish()
        finally:
            srv.kill()
        eq(rc, 0, 'server status')
        state, tracer = proc_state(sp.pid)
        eq(tracer, 0, 'TracerPid after the server ended')
        check(state in ('R', 'S'), 'state %r: left stopped' % state)
    finally:
        sp.close()


@test
def raw_multi_outlives_its_clients():
    """--multi without --once: a client that goes away takes its program with it (killed),
    the server waits for the next client, which finds no process (`?` is W00) and can run
    another; SIGTERM then ends the server and that program too."""
    prog = tracee('gs_basic')
    srv = Server([], opts=['--multi'])
    pids = []
    try:
        for n in range(2):
            raw = Raw(srv.port)
            eq(raw.cmd('!'), 'OK', 'extended mode')
            eq(raw.cmd('?'), 'W00', 'no process yet (client %d)' % n)
            sig, f = stop_fields(raw.cmd('vRun;%s;%s' % (prog.encode().hex(), b'spin'.hex())))
            eq(sig, 5, 'vRun stop')
            m = None
            while not m:
                line = srv.p.stderr.readline().decode()
                check(line, 'the server said nothing of the program it started')
                m = re.search(r'created; pid = (\d+)', line)
            pids.append(int(m.group(1)))
            raw.send('vCont;c')
            eq(srv.p.stdout.readline(), b'spinning %d\n' % pids[-1], 'program running')
            if n == 0:
                raw.close()
                check(wait_gone(pids[0]), 'the first client\'s program was not killed')
                check(srv.p.poll() is None, 'the server ended with its first client')
        srv.p.send_signal(signal.SIGTERM)
        out, err, rc = srv.finish()
        raw.close()
    finally:
        srv.kill()
    eq(rc, 128 + signal.SIGTERM, 'status after SIGTERM')
    check(wait_gone(pids[1]), 'the second program was not killed')


if __name__ == '__main__':
    sys.exit(main())
