#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The simulator's face images: a synthetic 120x160 grey "portrait" (an oval
# head, eyes, nose, mouth and shoulders on a light background: no real
# person) drawn into a PGM by python3, then encoded with Debian's
# libjpeg-turbo-progs (cjpeg) and libopenjp2-tools (opj_compress).  The
# outputs face.jpg and face.jp2 are committed; the tools are needed only to
# run this script again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

python3 - "$work/face.pgm" <<'PY'
import sys
W, H = 120, 160
def inside(x, y, cx, cy, rx, ry):
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0
px = bytearray()
for y in range(H):
    for x in range(W):
        v = 225 - y // 8                                   # background
        if inside(x, y, 60, 175, 58, 45):                  # shoulders
            v = 70
        if inside(x, y, 60, 68, 34, 44):                   # head
            v = 185 - abs(x - 60) // 3
            if inside(x, y, 60, 30, 36, 18) and y < 36:    # hair
                v = 50
            if inside(x, y, 46, 62, 6, 3) or inside(x, y, 74, 62, 6, 3):
                v = 40                                     # eyes
            if inside(x, y, 60, 78, 3, 8):                 # nose
                v = 150
            if inside(x, y, 60, 94, 11, 3):                # mouth
                v = 110
        px.append(max(0, min(255, v)))
with open(sys.argv[1], "wb") as f:
    f.write(b"P5\n%d %d\n255\n" % (W, H))
    f.write(bytes(px))
PY
cjpeg -quality 60 -optimize -outfile "$here/face.jpg" "$work/face.pgm"
opj_compress -i "$work/face.pgm" -o "$here/face.jp2" -r 20 >/dev/null
ls -l "$here/face.jpg" "$here/face.jp2"
