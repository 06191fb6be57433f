# SPDX-License-Identifier: LGPL-2.1-or-later
# The eID application's data groups (proto/eidata.c): DG19/DG20 Text may be
# DEFLATE-compressed, so libeid's users link zlib.
proto_libeid_a_SOURCES += proto/eidata.h proto/eidata.c
AM_CPPFLAGS += $(ZLIB_CFLAGS)
LIBEID += $(ZLIB_LIBS)

if HAVE_CMOCKA
unit_tests += tests/test_eidata
tests_test_eidata_SOURCES = tests/test_eidata.c
tests_test_eidata_CFLAGS = $(TESTCFLAGS)
tests_test_eidata_LDADD = $(TESTLIBS)
endif

fuzz_targets += tests/fuzz/fuzz_eidata
tests_fuzz_fuzz_eidata_SOURCES = tests/fuzz/fuzz_eidata.c $(FUZZMAINSRC)
tests_fuzz_fuzz_eidata_CPPFLAGS = $(FUZZCPPFLAGS) -DFUZZ_NAME='"eidata"'
tests_fuzz_fuzz_eidata_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_eidata_LDADD = $(LIBEID)
