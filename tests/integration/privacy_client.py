#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""One caller of eidd for the privacy tests: a Read on reader 0 with the
options given as JSON, in its own process (own pid, own bus name).

    privacy_client.py ADDRESS OPTIONS-JSON

Prints one JSON line: sender, pid, error (D-Bus name or null), message,
and of the result only what names no holder: document_kind, data_groups,
verification, has_face, has_address.
"""
import json
import os
import sys

from dbus_client import Client, call, first_reader, options


def main(argv):
    c = Client(argv[0])
    opts = json.loads(argv[1])
    r0 = first_reader(c, 0)
    res, e = call(c.read, r0, options(**opts))
    out = {'sender': str(c.bus.get_unique_name()), 'pid': os.getpid(),
           'error': e.get_dbus_name() if e is not None else None,
           'message': e.get_dbus_message() if e is not None else None}
    if res is not None:
        out.update(document_kind=res.get('document_kind'),
                   data_groups=res.get('data_groups', []),
                   verification=res.get('verification', {}),
                   has_face='face' in res, has_address='address' in res)
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
