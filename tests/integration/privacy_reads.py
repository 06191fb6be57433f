#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared pieces of the privacy tests (tests/integration/privacy-*.test).

The specimens' personal data and the secrets used with them, the audit
file parser, and a check that a text holds none of the holder's data.
"""
import re

# The passport specimen (passport-pace) and the eID specimen (eid):
# names, document number, dates in every form a result or the chip has.
HOLDER = ['MUSTERMANN', 'ERIKA', 'GABLER', 'C11T002JM', '1996-08-12', '960812',
          '1984-08-12', '19840812', 'BERLIN', 'HEIDESTRA']
PASSPORT_CAN = '123456'
EID_CAN = '500540'
EID_PIN = '123456'
# The secrets as whole numbers (not inside a longer run of digits, so a
# table "0123456789" in a library is no hit).
SECRETS = [PASSPORT_CAN, EID_CAN, EID_PIN]


def secret_re(s):
    return re.compile(rb'(?<![0-9])' + re.escape(s.encode()) + rb'(?![0-9])')


def holder_hits(text):
    """The holder data and secrets found in text (str or bytes)."""
    if isinstance(text, str):
        text = text.encode('utf-8', 'replace')
    hits = [w for w in HOLDER if w.encode() in text]
    hits += [s for s in sorted(set(SECRETS)) if secret_re(s).search(text)]
    return hits


_FIELD = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')


def parse_audit_line(line):
    """One audit record as a dict (quoted values unquoted, \\xNN kept)."""
    rec = {}
    for k, v in _FIELD.findall(line):
        if v.startswith('"') and v.endswith('"') and len(v) >= 2:
            v = v[1:-1]
        rec[k] = v
    return rec


def read_audit(path):
    try:
        with open(path) as f:
            return [parse_audit_line(l) for l in f if l.strip()]
    except FileNotFoundError:
        return []
