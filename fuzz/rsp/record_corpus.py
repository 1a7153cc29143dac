#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Record real GDB Remote Serial Protocol sessions as the rsp fuzzer's seed corpus.

    fuzz/rsp/record_corpus.py [OUTDIR]      (default: fuzz/rsp/corpus next to this file)

Each session runs a real client (gdb or lldb) against a real server (gdbserver or
lldb-server) through a small TCP relay that copies every byte both ways and keeps
them: NAME.c2s holds what the client sent, NAME.s2c what the server sent.  The
per-packet files pkt-*.bin are a few interesting frames cut out of those streams.
Needs gdb, gdbserver, lldb, lldb-server and gcc; runs a few seconds per session.
"""
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))

PROG = r'''
#include <stdio.h>
#include <string.h>
static int square(int x)
{
	return x * x;
}
int main(int argc, char **argv)
{
	char buf[64];
	int total = 0;
	memset(buf, '*', sizeof buf);
	for (int i = 0; i < 5; i++)
		total += square(i);
	printf("%d %c\n", total, buf[3]);
	return 0;
}
'''


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Relay(threading.Thread):
    """Accept one client on listen_port, connect it to server_port, copy and keep bytes."""

    def __init__(self, listen_port, server_port):
        super().__init__(daemon=True)
        self.lsock = socket.socket()
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(('127.0.0.1', listen_port))
        self.lsock.listen(1)
        self.server_port = server_port
        self.c2s = bytearray()
        self.s2c = bytearray()

    def run(self):
        cli, _ = self.lsock.accept()
        for _ in range(100):
            try:
                srv = socket.create_connection(('127.0.0.1', self.server_port))
                break
            except OSError:
                time.sleep(0.05)
        else:
            cli.close()
            return
        socks = [cli, srv]
        while socks:
            r, _, _ = select.select(socks, [], [], 30)
            if not r:
                break
            for s in r:
                data = s.recv(65536)
                if not data:
                    socks = []
                    break
                if s is cli:
                    self.c2s += data
                    srv.sendall(data)
                else:
                    self.s2c += data
                    cli.sendall(data)
        cli.close()
        srv.close()


def wait_listening(port, proc, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            return False
        with open('/proc/net/tcp') as f:
            if (':%04X' % port) in f.read():
                return True
        time.sleep(0.05)
    return False


def session(name, server_argv, client_argv, outdir, port):
    relay_port = free_port()
    argv = [a.replace('@PORT@', str(port)) for a in server_argv]
    srv = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           stdin=subprocess.DEVNULL)
    try:
        if not wait_listening(port, srv):
            sys.exit('%s: server did not start: %s' % (name, ' '.join(argv)))
        relay = Relay(relay_port, port)
        relay.start()
        argv = [a.replace('@PORT@', str(relay_port)) for a in client_argv]
        cli = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, timeout=120)
        relay.join(10)
    finally:
        if srv.poll() is None:
            srv.kill()
        srv.wait()
    with open(os.path.join(outdir, name + '.c2s'), 'wb') as f:
        f.write(relay.c2s)
    with open(os.path.join(outdir, name + '.s2c'), 'wb') as f:
        f.write(relay.s2c)
    print('%-28s client sent %6d bytes, server sent %6d bytes' %
          (name, len(relay.c2s), len(relay.s2c)))
    if os.environ.get('RECORD_VERBOSE'):
        print(cli.stdout.decode(errors='replace'))
    return relay


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'corpus')
    os.makedirs(outdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='rsp-rec-')
    src = os.path.join(tmp, 'hello.c')
    prog = os.path.join(tmp, 'hello')
    with open(src, 'w') as f:
        f.write(PROG)
    subprocess.run(['gcc', '-g', '-O0', '-o', prog, src], check=True)
    payload = os.path.join(tmp, 'payload.bin')
    with open(payload, 'wb') as f:
        f.write(bytes(range(256)) * 4 + b'$#}*' * 64)

    gdb = ['gdb', '-nx', '-batch', '-ex', 'set debug remote 1', '-ex', 'set pagination off',
           '-ex', 'set sysroot /']
    sessions = []
    port = free_port()
    # gdb 13 + gdbserver, target remote: breakpoints, stepping, registers, memory writes of
    # bytes that need escaping in X packets, then kill.
    sessions.append(('gdb-remote', ['gdbserver', '127.0.0.1:@PORT@', prog], gdb + [
        '-ex', 'target remote 127.0.0.1:@PORT@', '-ex', 'break main', '-ex', 'break square',
        '-ex', 'continue', '-ex', 'next', '-ex', 'next', '-ex', 'set var buf[0] = 0x23',
        '-ex', 'set var buf[1] = 0x24', '-ex', 'set var buf[2] = 0x7d',
        '-ex', 'set var buf[3] = 0x2a', '-ex', 'x/8xb buf', '-ex', 'info registers rip',
        '-ex', 'continue', '-ex', 'bt', '-ex', 'finish', '-ex', 'stepi', '-ex', 'info threads',
        '-ex', 'delete', '-ex', 'kill', prog]))
    # gdb 13 + gdbserver --multi, extended-remote: vRun, environment packets, file transfer
    # with vFile:pwrite (binary data) and vFile:pread, run to exit.
    sessions.append(('gdb-extended', ['gdbserver', '--multi', '127.0.0.1:@PORT@'], gdb + [
        '-ex', 'target extended-remote 127.0.0.1:@PORT@',
        '-ex', 'remote put %s %s.copy' % (payload, payload),
        '-ex', 'remote get %s.copy %s.back' % (payload, payload),
        '-ex', 'remote delete %s.copy' % payload,
        '-ex', 'set remote exec-file ' + prog, '-ex', 'file ' + prog, '-ex', 'break square',
        '-ex', 'run', '-ex', 'continue', '-ex', 'delete', '-ex', 'continue',
        '-ex', 'monitor exit']))
    # gdb 13 non-stop: %Stop notifications from the server, vStopped from the client.
    sessions.append(('gdb-nonstop', ['gdbserver', '127.0.0.1:@PORT@', prog], gdb + [
        '-ex', 'set non-stop on', '-ex', 'target remote 127.0.0.1:@PORT@',
        '-ex', 'break square', '-ex', 'continue', '-ex', 'info threads', '-ex', 'continue',
        '-ex', 'kill', prog]))
    lldb = ['lldb', '--no-lldbinit', '-b', '-o', 'log enable gdb-remote packets']
    # lldb 14 + gdbserver.
    sessions.append(('lldb-gdbserver', ['gdbserver', '127.0.0.1:@PORT@', prog], lldb + [
        '-o', 'gdb-remote 127.0.0.1:@PORT@', '-o', 'breakpoint set -n square',
        '-o', 'continue', '-o', 'register read rip', '-o', 'memory read -c 16 $rsp',
        '-o', 'expression buf[0] = 0x23', '-o', 'thread step-over', '-o', 'kill', prog]))
    # lldb 14 + lldb-server.
    sessions.append(('lldb-lldbserver',
                     ['lldb-server', 'gdbserver', '127.0.0.1:@PORT@', '--', prog], lldb + [
        '-o', 'gdb-remote 127.0.0.1:@PORT@', '-o', 'breakpoint set -n square',
        '-o', 'continue', '-o', 'register read rip', '-o', 'frame select 1',
        '-o', 'memory write -s 1 &buf 0x23 0x24 0x7d 0x2a', '-o', 'memory read -c 8 &buf',
        '-o', 'thread step-over', '-o', 'kill', prog]))

    streams = {}
    for name, srv, cli in sessions:
        r = session(name, srv, cli, outdir, free_port())
        streams[name] = (bytes(r.c2s), bytes(r.s2c))

    # A few single frames: the first qSupported of each client, X/vFile:pwrite with escapes,
    # a vCont, a T stop reply, an RLE reply and a notification.
    wanted = [
        ('gdb-qsupported', 'gdb-remote', 0, rb'\$qSupported:[^#]*#..'),
        ('lldb-qsupported', 'lldb-gdbserver', 0, rb'\$qSupported:[^#]*#..'),
        ('gdb-X-escaped', 'gdb-remote', 0, rb'\$X[0-9a-f]+,[0-9a-f]+:[^#]*\}[^#]*#..'),
        ('gdb-vfile-pwrite', 'gdb-extended', 0, rb'\$vFile:pwrite:[^#]*#..'),
        ('gdb-vcont', 'gdb-remote', 0, rb'\$vCont;[^#]*#..'),
        ('lldb-qmemoryregion', 'lldb-lldbserver', 0, rb'\$qMemoryRegionInfo:[^#]*#..'),
        ('server-T-stop', 'gdb-remote', 1, rb'\$T05[^#]*#..'),
        ('server-rle', 'gdb-remote', 1, rb'\$[^#$]*\*[^#$]*#..'),
        ('server-notification', 'gdb-nonstop', 1, rb'%Stop:[^#]*#..'),
    ]
    for fname, sess, direction, pat in wanted:
        m = re.search(pat, streams[sess][direction], re.S)
        if not m:
            print('note: no %s in %s' % (fname, sess))
            continue
        with open(os.path.join(outdir, 'pkt-%s.bin' % fname), 'wb') as f:
            f.write(m.group(0))


if __name__ == '__main__':
    main()
