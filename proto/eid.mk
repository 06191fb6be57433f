# SPDX-License-Identifier: LGPL-2.1-or-later
# The German eID read flow (shares the flow state with read.c).
proto_libeid_a_SOURCES += proto/read_priv.h
EXTRA_DIST += proto/read_eid.c
