# SPDX-License-Identifier: LGPL-2.1-or-later
# The German eID read flow (shares the flow state with read.c).
proto_libeid_a_SOURCES += proto/read_priv.h proto/read_eid.c
TESTS += tests/integration/read-eid.test
EXTRA_DIST += tests/integration/read-eid.test
proto_libeid_a_SOURCES += proto/ri.h proto/ri.c
TESTS += tests/integration/daemon-eid.test
EXTRA_DIST += tests/integration/daemon-eid.test
TESTS += tests/integration/daemon-lifecycle.test
EXTRA_DIST += tests/integration/daemon-lifecycle.test
