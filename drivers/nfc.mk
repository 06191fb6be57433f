# SPDX-License-Identifier: LGPL-2.1-or-later
# NFC readers through libnfc (drivers/nfc.c, ISO-DEP in drivers/isodep.c) and
# eid-sim as an emulated PN532 on a pseudo-terminal (tools/sim/pn532.c).
drivers_libdrivers_a_SOURCES += drivers/nfc.c drivers/isodep.h drivers/isodep.c
tools_sim_libsim_a_SOURCES += tools/sim/pn532.h tools/sim/pn532.c

if HAVE_CMOCKA
unit_tests += tests/test_nfc_isodep tests/test_nfc_pn532
tests_test_nfc_isodep_SOURCES = tests/test_nfc_isodep.c drivers/isodep.h drivers/isodep.c
tests_test_nfc_isodep_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/drivers
tests_test_nfc_isodep_CFLAGS = $(TESTCFLAGS)
tests_test_nfc_isodep_LDADD = $(TESTLIBS)
tests_test_nfc_pn532_SOURCES = tests/test_nfc_pn532.c drivers/isodep.h drivers/isodep.c
tests_test_nfc_pn532_CFLAGS = $(TESTCFLAGS)
tests_test_nfc_pn532_LDADD = $(LIBSIM) $(TESTLIBS)
endif

# Through the real libnfc and the emulated PN532 (no pcscd).
nfc_integration_tests = tests/integration/read-nfc.test
TESTS += $(nfc_integration_tests)
EXTRA_DIST += $(nfc_integration_tests)

# Fuzz: the emulator's frame decoder and command handlers; the driver's
# ISO-DEP block protocol and ATS/ATQB parsers against a hostile card.
fuzz_targets += tests/fuzz/fuzz_pn532 tests/fuzz/fuzz_isodep
tests_fuzz_fuzz_pn532_SOURCES = tests/fuzz/fuzz_pn532.c $(FUZZMAINSRC)
tests_fuzz_fuzz_pn532_CPPFLAGS = $(FUZZCPPFLAGS) -DFUZZ_NAME='"pn532"'
tests_fuzz_fuzz_pn532_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_pn532_LDADD = $(LIBSIM) $(LIBEID)
tests_fuzz_fuzz_isodep_SOURCES = tests/fuzz/fuzz_isodep.c drivers/isodep.h drivers/isodep.c \
	$(FUZZMAINSRC)
tests_fuzz_fuzz_isodep_CPPFLAGS = $(FUZZCPPFLAGS) -I$(top_srcdir)/drivers -DFUZZ_NAME='"isodep"'
tests_fuzz_fuzz_isodep_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_isodep_LDADD = $(LIBEID)
