# SPDX-License-Identifier: LGPL-2.1-or-later
# The simulator plays a German eID card (profiles eid and eat): TA v2 through
# OpenPACE (chip_ta.c includes eac.h: libsimeac.a), the eID files, password
# management and CA v2 in libsim.a; its unit test drives the chip in process.
tools_sim_libsimeac_a_SOURCES += tools/sim/chip_ta.c
tools_sim_libsim_a_SOURCES += tools/sim/chip_eid.c tools/sim/eid_files.c tools/sim/chip_ri.c

if HAVE_CMOCKA
unit_tests += tests/test_sim_eid
tests_test_sim_eid_SOURCES = tests/test_sim_eid.c
tests_test_sim_eid_CFLAGS = $(TESTCFLAGS)
tests_test_sim_eid_LDADD = $(LIBSIM) $(TESTLIBS)
endif

# the chip's eID commands under fuzzing (seeds replayed in make check)
fuzz_targets += tests/fuzz/fuzz_sim_eid
tests_fuzz_fuzz_sim_eid_SOURCES = tests/fuzz/fuzz_sim_eid.c $(FUZZMAINSRC)
tests_fuzz_fuzz_sim_eid_CPPFLAGS = $(FUZZCPPFLAGS) -DFUZZ_NAME='"sim_eid"'
tests_fuzz_fuzz_sim_eid_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_sim_eid_LDADD = $(LIBSIM) $(LIBEID)

# Restricted Identification: the exchange, the chip side and a whole read
if HAVE_CMOCKA
unit_tests += tests/test_ri
tests_test_ri_SOURCES = tests/test_ri.c
tests_test_ri_CFLAGS = $(TESTCFLAGS)
tests_test_ri_LDADD = $(LIBSIM) $(TESTLIBS)
endif

# the RI response and sector key parsers under fuzzing
fuzz_targets += tests/fuzz/fuzz_ri
tests_fuzz_fuzz_ri_SOURCES = tests/fuzz/fuzz_ri.c $(FUZZMAINSRC)
tests_fuzz_fuzz_ri_CPPFLAGS = $(FUZZCPPFLAGS) -DFUZZ_NAME='"ri"'
tests_fuzz_fuzz_ri_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_ri_LDADD = $(LIBEID)
