#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Start a private pcscd: bind a UNIX socket to fd 3 and exec pcscd with
systemd socket activation (LISTEN_FDS=1), so it neither uses nor disturbs
/run/pcscd/pcscd.comm.  As root, pcscd runs as nobody (it would otherwise
overwrite the system pcscd's pid file).  Clients set PCSCLITE_CSOCK_NAME.

    pcscd-launch.py SOCKET CONFDIR [pcscd options...]
"""
import os
import pwd
import socket
import sys


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    path, confdir = sys.argv[1], sys.argv[2]
    os.makedirs('/run/pcscd', exist_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sock.bind(path)
    os.chmod(path, 0o777)
    sock.listen(64)
    if sock.fileno() != 3:
        os.dup2(sock.fileno(), 3)
    os.set_inheritable(3, True)
    if os.getuid() == 0:
        nobody = pwd.getpwnam('nobody')
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
    os.environ['LISTEN_FDS'] = '1'
    os.environ['LISTEN_PID'] = str(os.getpid())
    os.execvp('pcscd', ['pcscd', '-f', '-c', confdir] + sys.argv[3:])


if __name__ == '__main__':
    sys.exit(main())
