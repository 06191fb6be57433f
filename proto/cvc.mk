# SPDX-License-Identifier: LGPL-2.1-or-later
# CV certificates and Terminal Authentication.
proto_libeid_a_SOURCES += proto/cvc.h proto/cvc.c proto/ta.h proto/ta.c

if HAVE_CMOCKA
unit_tests += tests/test_cvc tests/test_ta
tests_test_cvc_SOURCES = tests/test_cvc.c tests/cvc_vectors.h
tests_test_cvc_CFLAGS = $(TESTCFLAGS)
tests_test_cvc_LDADD = $(TESTLIBS)
tests_test_ta_SOURCES = tests/test_ta.c tests/cvc_vectors.h
tests_test_ta_CFLAGS = $(TESTCFLAGS)
tests_test_ta_LDADD = $(TESTLIBS)
endif

fuzz_targets += tests/fuzz/fuzz_cvc
tests_fuzz_fuzz_cvc_SOURCES = tests/fuzz/fuzz_cvc.c $(FUZZMAINSRC)
tests_fuzz_fuzz_cvc_CPPFLAGS = $(FUZZCPPFLAGS) -DFUZZ_NAME='"cvc"'
tests_fuzz_fuzz_cvc_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_cvc_LDADD = $(LIBEID)
