#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""An outside client of eidd's D-Bus API (python3-dbus), for the integration
tests: a TAP writer that continues the shell's numbering, and a Client that
starts reads and follows sessions through their signals.

As a program:
    dbus_client.py wait-name ADDRESS [SECONDS]       until org.eidd.Eidd1 is owned
    dbus_client.py wait-card ADDRESS INDEX yes|no [SECONDS]
                                                     until reader INDEX has (no) card
    dbus_client.py start-read ADDRESS INDEX CAN      StartRead, print the session,
                                                     wait for 'reading', then exit
                                                     (the owner leaves the bus)
"""
import os
import sys
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)

NAME = 'org.eidd.Eidd1'
MANAGER = '/org/eidd/Eidd1'
IF_MANAGER = 'org.eidd.Eidd1.Manager'
IF_READER = 'org.eidd.Eidd1.Reader'
IF_SESSION = 'org.eidd.Eidd1.Session'
IF_PROPS = 'org.freedesktop.DBus.Properties'
IF_OM = 'org.freedesktop.DBus.ObjectManager'
ERR = 'org.eidd.Eidd1.Error.'

# The passport specimen's personal data: never in a log, a property, a
# signal or an error.
SPECIMEN = ['MUSTERMANN', 'ERIKA', 'C11T002JM', '960812', '1996-08-12', '231031',
            '2023-10-31', 'P<D<<', 'BERLIN']


class Tap:
    """TAP lines numbered on from $TAP_N; the count and failures go to
    $TAP_STATE at the end so the shell test can go on counting."""

    def __init__(self):
        self.n = int(os.environ.get('TAP_N', '0'))
        self.failed = 0

    def ok(self, name, cond, diag=None):
        self.n += 1
        if cond:
            print('ok %d - %s' % (self.n, name))
        else:
            print('not ok %d - %s' % (self.n, name))
            self.failed += 1
            if diag is not None:
                for line in str(diag).splitlines():
                    print('# ' + line)
        sys.stdout.flush()
        return bool(cond)

    def is_(self, name, got, want):
        return self.ok(name, got == want, 'got:  %r\nwant: %r' % (got, want))

    def error(self, name, exc, want):
        """exc is a DBusException or None; want an error name (short or full)."""
        full = want if '.' in want else ERR + want
        got = exc.get_dbus_name() if exc is not None else None
        return self.ok(name, got == full,
                       'got:  %r (%s)\nwant: %r' % (got, exc.get_dbus_message() if exc else
                                                    'no error', full))

    def finish(self):
        state = os.environ.get('TAP_STATE')
        if state:
            with open(state, 'w') as f:
                f.write('%d %d\n' % (self.n, self.failed))
        else:
            print('1..%d' % self.n)
        return 1 if self.failed else 0


def pump(seconds=0.0, until=None):
    """Run the main loop for up to `seconds`, or until until() is true."""
    ctx = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while True:
        while ctx.pending():
            ctx.iteration(False)
        if until is not None and until():
            return True
        if time.monotonic() >= end:
            return until() if until is not None else True
        ctx.iteration(False) or time.sleep(0.005)


def call(fn, *args, **kw):
    """(result, None) or (None, DBusException)."""
    try:
        return fn(*args, **kw), None
    except dbus.exceptions.DBusException as e:
        return None, e


def options(**kw):
    """StartRead options a{sv}; wait_for_card_ms as u, data_groups as as."""
    d = {}
    for k, v in kw.items():
        if k == 'wait_for_card_ms' and isinstance(v, int):
            v = dbus.UInt32(v)
        elif isinstance(v, (list, tuple)) and not isinstance(v, dbus.Array):
            v = dbus.Array(v, signature='s')
        d[k] = v
    return dbus.Dictionary(d, signature='sv')


def plain(v):
    """dbus-python values as plain Python values."""
    if isinstance(v, dbus.Boolean):
        return bool(v)
    if isinstance(v, (dbus.Array, list)):
        if getattr(v, 'signature', None) == 'y':
            return bytes(v)
        return [plain(x) for x in v]
    if isinstance(v, (dbus.Dictionary, dict)):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, dbus.ByteArray):
        return bytes(v)
    if isinstance(v, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(v)
    if isinstance(v, dbus.Double):
        return float(v)
    if isinstance(v, (dbus.Byte, dbus.Int16, dbus.UInt16, dbus.Int32, dbus.UInt32,
                      dbus.Int64, dbus.UInt64)):
        return int(v)
    return v


class Session:
    def __init__(self, path):
        self.path = str(path)
        self.states = []        # every State seen, in order
        self.steps = []
        self.progress = []
        self.props = {}
        self.completed = None   # (outcome, error_name, message)
        self.initial = None


class Client:
    """One connection to the private bus; follows its sessions' signals."""

    def __init__(self, address):
        self.bus = dbus.bus.BusConnection(address)
        self.sessions = {}
        self.signals = []       # (path, iface, member, args) of every eidd signal seen
        self.bus.add_signal_receiver(self._signal, bus_name=NAME, path_keyword='path',
                                     interface_keyword='iface', member_keyword='member')

    def close(self):
        self.bus.close()

    def _signal(self, *args, path=None, iface=None, member=None):
        self.signals.append((str(path), str(iface), str(member), [plain(a) for a in args]))
        s = self.sessions.get(str(path))
        if s is None:
            return
        if iface == IF_PROPS and member == 'PropertiesChanged' and args[0] == IF_SESSION:
            self._apply(s, args[1])
        elif iface == IF_SESSION and member == 'Completed':
            s.completed = tuple(str(a) for a in args)

    @staticmethod
    def _apply(s, changed):
        for k, v in changed.items():
            v = plain(v)
            s.props[str(k)] = v
            if k == 'State' and (not s.states or s.states[-1] != v):
                s.states.append(v)
            elif k == 'Step' and v and (not s.steps or s.steps[-1] != v):
                s.steps.append(v)
            elif k == 'Progress':
                s.progress.append(v)

    def obj(self, path):
        return self.bus.get_object(NAME, path, introspect=False)

    def manager(self):
        return dbus.Interface(self.obj(MANAGER), IF_MANAGER)

    def get_readers(self):
        return [str(p) for p in self.manager().GetReaders()]

    def props(self, path, iface):
        return plain(dbus.Interface(self.obj(path), IF_PROPS).GetAll(iface))

    def prop(self, path, iface, name):
        return plain(dbus.Interface(self.obj(path), IF_PROPS).Get(iface, name))

    def reader(self, path):
        return dbus.Interface(self.obj(path), IF_READER)

    def session_iface(self, path):
        return dbus.Interface(self.obj(path), IF_SESSION)

    def start_read(self, reader, opts):
        """StartRead; the signals were subscribed before it (in __init__)."""
        path = str(self.reader(reader).StartRead(opts))
        s = self.sessions.setdefault(path, Session(path))
        pump(0)
        # the signals were subscribed before StartRead, so they tell every
        # state; State as read now only fills in what no signal said yet
        cur, _ = call(self.props, path, IF_SESSION)
        pump(0)
        for k, v in (cur or {}).items():
            s.props.setdefault(k, v)
        s.initial = cur
        return s

    def wait(self, s, seconds=30, until=None):
        """Until Completed (or until(s)); True if it came."""
        cond = until or (lambda: s.completed is not None)
        return pump(seconds, lambda: cond(s) if until else cond())

    def wait_state(self, s, state, seconds=20):
        return pump(seconds, lambda: s.props.get('State') == state)

    def result(self, s):
        return plain(self.session_iface(s.path).GetResult())

    def close_session(self, s):
        return call(self.session_iface(s.path).Close)

    def read(self, reader, opts, timeout=60):
        return plain(self.reader(reader).Read(opts, timeout=timeout))


def first_reader(c, index=0, seconds=10):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        r, _ = call(c.get_readers)
        if r and len(r) > index:
            return sorted(r, key=lambda p: int(p.rsplit('/', 1)[1]))[index]
        time.sleep(0.05)
    return None


def main(argv):
    if len(argv) >= 2 and argv[0] == 'wait-name':
        secs = float(argv[2]) if len(argv) > 2 else 10
        end = time.monotonic() + secs
        bus = dbus.bus.BusConnection(argv[1])
        while time.monotonic() < end:
            if bus.name_has_owner(NAME):
                return 0
            time.sleep(0.05)
        return 1
    if len(argv) >= 4 and argv[0] == 'wait-card':
        want = argv[3] == 'yes'
        secs = float(argv[4]) if len(argv) > 4 else 10
        c = Client(argv[1])
        end = time.monotonic() + secs
        while time.monotonic() < end:
            r = first_reader(c, int(argv[2]), 0.5)
            if r:
                p, _ = call(c.prop, r, IF_READER, 'CardPresent')
                if p is not None and bool(p) == want:
                    return 0
            time.sleep(0.05)
        return 1
    if len(argv) == 4 and argv[0] == 'start-read':
        c = Client(argv[1])
        r = first_reader(c, int(argv[2]))
        s = c.start_read(r, options(can=argv[3]))
        print(s.path)
        sys.stdout.flush()
        c.wait(s, 20, until=lambda s: s.props.get('State') in ('reading', 'verifying', 'done',
                                                                'failed'))
        os._exit(0)  # leave the bus without closing the session
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
