#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden lines of the net family: tests/tracees/netcalls makes socket calls
with fixed arguments (addresses of every family and length, socket options,
messages with control data, a loopback TCP connection, glibc's netlink
requests) and `ptk trace` must print these lines; where strace is installed,
strace 6.1 must print the same ones (golden_ff.py).  Expected texts were
observed with strace 6.1 on this machine."""
import os
import re
import socket
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import fail, main, test, tracee  # noqa: E402
import golden_ff as g  # noqa: E402

NET = r'(socket|socketpair|bind|connect|listen|accept4?|getsockname|getpeername|sendto|' \
      r'recvfrom|sendmsg|recvmsg|sendmmsg|recvmmsg|setsockopt|getsockopt|shutdown)\('


def free_ports():
    """A port p on 127.0.0.1 with p + 1 free too (TCP and UDP)."""
    for _ in range(50):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        p = s.getsockname()[1]
        s.close()
        ok = p < 65535
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            for q in (p, p + 1):
                t = socket.socket(socket.AF_INET, kind)
                try:
                    t.bind(('127.0.0.1', q))
                except OSError:
                    ok = False
                t.close()
        if ok:
            return p
    fail('no two free consecutive ports')


def run_case(name, expected):
    """netcalls DIR PORT name under ptk (expected lines, DIR and the ports
    masked) and, with another port, under strace (the same socket lines)."""
    with tempfile.TemporaryDirectory() as d:
        def argv(tracer):
            p = free_ports()
            return ([tracee('netcalls'), d, str(p), name],
                    [(d, 'DIR'), ('htons(%d)' % p, 'htons(PORT)'),
                     ('htons(%d)' % (p + 1), 'htons(PORT1)')])
        a, subst = argv('ptk')
        procs = g.trace(a, subst=subst)
        g.expect(procs[0], expected, 'netcalls ' + name)
        g.expect(procs[0], ['write(1, "%s ok\\n", <N>) = <N>' % name], 'netcalls ' + name)
        # The port's bytes in a short address (getpeername's 4 bytes), an escaped string:
        # a byte 0x22 prints as \" (one port in 128 has one).
        g.compare_strace(argv, NET, masks=[(re.compile(
            r'(AF_INET, sa_data=)' + g.CSTR + r'}, \[4 '), r'\1"P"}, [4 ')])


@test
def net_addr():
    run_case('addr', [
        'socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3',
        'bind(3, {sa_family=AF_UNIX, sun_path="DIR/sock"}, 110) = 0',
        'getsockname(3, {sa_family=AF_UNIX, sun_path="DIR/sock"}, [110 => <N>]) = 0',
        'socket(AF_UNIX, SOCK_DGRAM, 0) = 4',
        'bind(4, {sa_family=AF_UNIX, sun_path=@"ptk-abstract\\1x\\0"}, 18) = 0',
        'connect(3, {sa_family=AF_UNIX}, 2) = -1 EINVAL (Invalid argument)',
        'connect(3, {sa_family=AF_UNIX, sun_path=@""}, 3) = -1 ECONNREFUSED (Connection refused)',
        'socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 5',
        'connect(5, <X>, 0) = -1 EINVAL (Invalid argument)',
        'connect(5, <X>, 1) = -1 EINVAL (Invalid argument)',
        'connect(5, {sa_family=AF_INET}, 2) = -1 EINVAL (Invalid argument)',
        'connect(5, {sa_family=AF_INET, sa_data="\\0\\t\\177\\0\\0\\1"}, 8) = -1 EINVAL (Invalid argument)',
        'connect(5, <X>, -1) = -1 EINVAL (Invalid argument)',
        'connect(5, 0x8, 16) = -1 EFAULT (Bad address)',
        'connect(5, {sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        'socket(AF_INET6, SOCK_DGRAM|SOCK_NONBLOCK, IPPROTO_IP) = 6',
        'connect(6, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(7), '
        'inet_pton(AF_INET6, "fe80::1", &sin6_addr), sin6_scope_id=if_nametoindex("lo")}, 28) = <*>',
        'connect(6, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(7), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = <*>',
        'connect(6, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(7), '
        'inet_pton(AF_INET6, "::1", &sin6_addr)}, 24) = <*>',
        'connect(6, {sa_family=AF_UNSPEC, sa_data="\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"}, 16) = <*>',
        'socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 7',
        'bind(7, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=0x000005}, 12) = 0',
        'socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = <*>',
        'bind(<N>, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_IP), '
        'sll_ifindex=if_nametoindex("lo"), sll_hatype=ARPHRD_NETROM, sll_pkttype=PACKET_HOST, '
        'sll_halen=6, sll_addr=[0x1, 0x2, 0x3, 0x4, 0x5, 0x6]}, 20) = <*>',
        'connect(5, {sa_family=0x2e /* AF_??? */, sa_data="abc\\1\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"}, 16)'
        ' = -1 EAFNOSUPPORT (Address family not supported by protocol)',
        'connect(5, {sa_family=AF_APPLETALK, sa_data="\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"}, 16)'
        ' = -1 EAFNOSUPPORT (Address family not supported by protocol)',
    ])


@test
def net_sockopt():
    run_case('sockopt', [
        'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3',
        'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0',
        'setsockopt(3, SOL_SOCKET, SO_RCVBUF, [262144], 8) = 0',
        'setsockopt(3, SOL_SOCKET, SO_RCVBUF, <X>, 2) = -1 EINVAL (Invalid argument)',
        'setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0',
        'setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\\2\\0\\0\\0\\0\\0\\0\\0\\364\\1\\0\\0\\0\\0\\0\\0", 16) = 0',
        'setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0',
        'setsockopt(3, SOL_TCP, TCP_NODELAY, "\\0\\0\\4\\0\\0\\0\\0\\0", 8) = 0',
        'setsockopt(3, SOL_IP, IP_TOS, [1], 4) = 0',
        'setsockopt(3, SOL_SOCKET, SO_BINDTODEVICE, "lo\\0", 3) = <*>',
        'setsockopt(3, SOL_SOCKET, 0x3e7 /* SO_??? */, "\\0\\0\\4\\0\\0\\0\\0\\0", 8)'
        ' = -1 ENOPROTOOPT (Protocol not available)',
        'setsockopt(3, 0x4d /* SOL_?? */, 1, [1], 4) = -1 ENOPROTOOPT (Protocol not available)',
        'setsockopt(3, SOL_SOCKET, SO_KEEPALIVE, NULL, 4) = -1 EFAULT (Bad address)',
        'getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0',
        'getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0',
        'getsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], [8 => 4]) = 0',
        'getsockopt(3, SOL_SOCKET, SO_KEEPALIVE, "\\x00\\x00", [2]) = 0',
        'getsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, [8]) = 0',
        'getsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\\2\\0\\0\\0\\0\\0\\0\\0\\240\\17\\0\\0\\0\\0\\0\\0", [16]) = 0',
        'getsockopt(3, SOL_SOCKET, 0x3e7 /* SO_??? */, <X>, [4]) = -1 ENOPROTOOPT (Protocol not available)',
        'getsockopt(3, SOL_SOCKET, SO_ERROR, NULL, NULL) = -1 EFAULT (Bad address)',
        'socketpair(AF_UNIX, SOCK_STREAM, 0, [4, 5]) = 0',
        'getsockopt(4, SOL_SOCKET, SO_PEERCRED, {pid=PID1, uid=<N>, gid=<N>}, [12]) = 0',
        'shutdown(3, SHUT_RDWR) = -1 ENOTCONN (Transport endpoint is not connected)',
    ])


@test
def net_msg():
    run_case('msg', [
        'socketpair(AF_UNIX, SOCK_DGRAM, 0, [3, 4]) = 0',
        'setsockopt(4, SOL_SOCKET, SO_PASSCRED, [1], 4) = 0',
        'sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello ", iov_len=6}, '
        '{iov_base="world", iov_len=5}], msg_iovlen=2, msg_control=[{cmsg_len=24, '
        'cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}, {cmsg_len=28, '
        'cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=PID1, uid=<N>, '
        'gid=<N>}}], msg_controllen=56, msg_flags=0}, 0) = 11',
        'recvmsg(4, {msg_name=<X>, msg_namelen=110 => 0, msg_iov=[{iov_base="hell", iov_len=4}, '
        '{iov_base="o world", iov_len=100}], msg_iovlen=2, msg_control=[{cmsg_len=28, '
        'cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=PID1, uid=<N>, '
        'gid=<N>}}, {cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, '
        'cmsg_data=[5, 6]}], msg_controllen=56, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 11',
        'recvmsg(4, {msg_namelen=110}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)',
        'sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello ", '
        'iov_len=6}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=6}, '
        '{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="world", iov_len=5}], '
        'msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}], 2, 0) = 2',
        'recvmmsg(4, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello ", '
        'iov_len=10}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_CTRUNC}, msg_len=6}, '
        '{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="world", iov_len=10}], '
        'msg_iovlen=1, msg_controllen=0, msg_flags=MSG_CTRUNC}, msg_len=5}], 3, MSG_DONTWAIT, '
        'NULL) = 2',
        'recvmmsg(4, <X>, 3, MSG_DONTWAIT, NULL) = -1 EAGAIN (Resource temporarily unavailable)',
        'bind(7, {sa_family=AF_INET, sin_port=htons(PORT1), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        'sendto(7, "ping", 4, 0, {sa_family=AF_INET, sin_port=htons(PORT1), '
        'sin_addr=inet_addr("127.0.0.1")}, 16) = 4',
        'recvfrom(7, "ping", 16, 0, {sa_family=AF_INET, sin_port=htons(PORT1), '
        'sin_addr=inet_addr("127.0.0.1")}, [16]) = 4',
        'recvfrom(7, <X>, 16, MSG_DONTWAIT, <X>, [16]) = -1 EAGAIN (Resource temporarily unavailable)',
        'sendmsg(7, {msg_name={sa_family=AF_INET, sin_port=htons(PORT1), '
        'sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[{iov_base="hello ", '
        'iov_len=6}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 6',
        'recvmsg(7, {msg_name={sa_family=AF_INET, sin_port=htons(PORT1), '
        'sin_addr=inet_addr("127.0.0.1")}, msg_namelen=28 => 16, msg_iov=[{iov_base="hell", '
        'iov_len=4}, {iov_base="o ", iov_len=100}], msg_iovlen=2, msg_controllen=0, '
        'msg_flags=0}, 0) = 6',
    ])


@test
def net_tcp():
    run_case('tcp', [
        'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3',
        'bind(3, {sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        'listen(3, 8) = 0',
        'connect(4, {sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        'accept4(3, {sa_family=AF_INET, sin_port=htons(PORT1), sin_addr=inet_addr("127.0.0.1")}, '
        '[16], SOCK_CLOEXEC) = 5',
        'getsockname(5, {sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("127.0.0.1")}, '
        '[28 => 16]) = 0',
        'getpeername(5, {sa_family=AF_INET, sa_data="<*>"}, [4 => 16]) = 0',
        'getpeername(4, {sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("127.0.0.1")}, '
        '[16]) = 0',
        'shutdown(4, SHUT_WR) = 0',
        'recvfrom(5, "", 8, 0, NULL, NULL) = 0',
        'accept4(3, <X>, [16], SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable)',
        'accept4(3, NULL, NULL, 0) = -1 EAGAIN (Resource temporarily unavailable)',
    ])


@test
def net_netlink():
    """glibc's getaddrinfo(AI_ADDRCONFIG) asks the kernel for the addresses
    (RTM_GETADDR dump), if_nameindex for the links (RTM_GETLINK dump).  The
    requests and the address replies print as strace prints them; the link
    replies (RTM_NEWLINK) carry statistics and per-family configuration
    that strace decodes in depth and ptk prints as bytes, so only their
    headers are compared."""
    with tempfile.TemporaryDirectory() as d:
        argv = [tracee('netcalls'), d, '1', 'netlink']
        lines = g.trace(argv)[0]
        g.expect(lines, [
            'socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3',
            'bind(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0',
            'getsockname(3, {sa_family=AF_NETLINK, nl_pid=PID1, nl_groups=00000000}, [12]) = 0',
            'sendto(3, [{nlmsg_len=20, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, '
            'nlmsg_seq=<N>, nlmsg_pid=0}, {ifa_family=AF_UNSPEC, ...}], 20, 0, {sa_family=AF_NETLINK, '
            'nl_pid=0, nl_groups=00000000}, 12) = 20',
            'recvmsg(3, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, '
            'msg_namelen=12, msg_iov=[{iov_base=<*>{nlmsg_len=<N>, nlmsg_type=RTM_NEWADDR, '
            'nlmsg_flags=NLM_F_MULTI, nlmsg_seq=<N>, nlmsg_pid=PID1}, {ifa_family=AF_INET, '
            'ifa_prefixlen=8, ifa_flags=IFA_F_PERMANENT, ifa_scope=RT_SCOPE_HOST, '
            'ifa_index=if_nametoindex("lo")}, [[{nla_len=8, nla_type=IFA_ADDRESS}, '
            'inet_addr("127.0.0.1")], [{nla_len=8, nla_type=IFA_LOCAL}, inet_addr("127.0.0.1")], '
            '[{nla_len=7, nla_type=IFA_LABEL}, "lo"], <*>',
            'recvmsg(3, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, '
            'msg_namelen=12, msg_iov=[{iov_base=[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, '
            'nlmsg_flags=NLM_F_MULTI, nlmsg_seq=<N>, nlmsg_pid=PID1}, 0], iov_len=<N>}], '
            'msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 20',
            'sendto(3, [{nlmsg_len=20, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, '
            'nlmsg_seq=<N>, nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ...}], 20, 0, {sa_family=AF_NETLINK, '
            'nl_pid=0, nl_groups=00000000}, 12) = 20',
            'recvmsg(3, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, '
            'msg_namelen=12, msg_iov=[{iov_base=<*>{nlmsg_len=<N>, nlmsg_type=RTM_NEWLINK, '
            'nlmsg_flags=NLM_F_MULTI, nlmsg_seq=<N>, nlmsg_pid=PID1}, {ifi_family=AF_UNSPEC, '
            'ifi_type=ARPHRD_LOOPBACK, ifi_index=if_nametoindex("lo"), ifi_flags=IFF_UP|'
            'IFF_LOOPBACK|IFF_RUNNING|IFF_LOWER_UP, ifi_change=0}, [[{nla_len=7, '
            'nla_type=IFLA_IFNAME}, "lo"], <*>',
        ], 'netcalls netlink')
        # Everything but the link replies, as strace prints it (the sequence
        # numbers are times: masked).
        g.compare_strace(argv, NET, skip_lines=[r'RTM_NEWLINK'],
                         masks=[(re.compile(r'nlmsg_seq=\d+'), 'nlmsg_seq=S')])


if __name__ == '__main__':
    sys.exit(main())
