#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A stand-in for eidd on a private bus, for eid-diag check --daemon: owns
org.eidd.Eidd1 and answers Manager.GetReaders, Manager.GetDiagnostics and
the Name/Driver properties of its Reader objects.

    check-fake-eidd.py BUS_ADDRESS DRIVER:NAME...
"""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

MANAGER = 'org.eidd.Eidd1.Manager'
READER = 'org.eidd.Eidd1.Reader'


class Reader(dbus.service.Object):
    def __init__(self, bus, path, driver, name):
        super().__init__(bus, path)
        self.props = {'Name': name, 'Driver': driver, 'CardPresent': False}

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='ss', out_signature='v')
    def Get(self, iface, prop):
        if iface != READER or prop not in self.props:
            raise dbus.exceptions.DBusException('no such property',
                                                name='org.freedesktop.DBus.Error.InvalidArgs')
        return self.props[prop]


class Manager(dbus.service.Object):
    def __init__(self, bus, readers):
        super().__init__(bus, '/org/eidd/Eidd1')
        self.readers = readers

    @dbus.service.method(MANAGER, in_signature='', out_signature='ao')
    def GetReaders(self):
        return dbus.Array([dbus.ObjectPath(p) for p, _, _ in self.readers], signature='o')

    @dbus.service.method(MANAGER, in_signature='', out_signature='a{sv}')
    def GetDiagnostics(self):
        rs = [dbus.Dictionary({'name': n, 'driver': d}, signature='sv')
              for _, d, n in self.readers]
        return dbus.Dictionary({
            'version': '0-test',
            'pcscd_reachable': True,
            'readers': dbus.Array(rs, signature='a{sv}'),
        }, signature='sv')


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(sys.argv[1])
    readers = []
    objs = []
    for i, spec in enumerate(sys.argv[2:]):
        driver, name = spec.split(':', 1)
        path = '/org/eidd/Eidd1/Reader/%d' % i
        readers.append((path, driver, name))
        objs.append(Reader(bus, path, driver, name))
    manager = Manager(bus, readers)
    bus.request_name('org.eidd.Eidd1')
    GLib.MainLoop().run()
    del manager, objs
    return 0


if __name__ == '__main__':
    sys.exit(main())
