# SPDX-License-Identifier: LGPL-2.1-or-later
# eid-diag check: readers, cards, trust store, terminal credentials, eidd.
tools_eid_diag_SOURCES += tools/diag_check.h tools/diag_check.c tools/diag_atr.h tools/diag_atr.c
tools_eid_diag_CFLAGS += $(DBUS_CFLAGS) $(PCSC_CFLAGS)
tools_eid_diag_LDADD += $(DBUS_LIBS)

# Command-line tests of check that need no pcscd.
TESTS += tests/tools/diag-check.test
EXTRA_DIST += tests/tools/diag-check.test

# Integration tests of check: a private pcscd with vpcd and eid-sim.
TESTS += tests/integration/check.test
EXTRA_DIST += tests/integration/check.test tests/integration/check-fake-eidd.py

# Fuzz target: ATR, ATS, historical bytes and PC/SC part 10 reader blobs.
fuzz_targets += tests/fuzz/fuzz_atr
tests_fuzz_fuzz_atr_SOURCES = tests/fuzz/fuzz_atr.c tools/diag_atr.h tools/diag_atr.c $(FUZZMAINSRC)
tests_fuzz_fuzz_atr_CPPFLAGS = $(FUZZCPPFLAGS) -I$(top_srcdir)/tools -DFUZZ_NAME='"atr"'
tests_fuzz_fuzz_atr_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_atr_LDADD = $(LIBEID)

# Manual pages (groff man), and a test that they render without warnings.
dist_man_MANS = doc/eid-diag.1 doc/eidctl.1 doc/eidd.8
TESTS += tests/tools/man-pages.test
EXTRA_DIST += tests/tools/man-pages.test

# Unit tests of the decoders.
if HAVE_CMOCKA
unit_tests += tests/test_diag_atr
tests_test_diag_atr_SOURCES = tests/test_diag_atr.c tools/diag_atr.h tools/diag_atr.c
tests_test_diag_atr_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools
tests_test_diag_atr_CFLAGS = $(TESTCFLAGS)
tests_test_diag_atr_LDADD = $(TESTLIBS)
endif
