# SPDX-License-Identifier: LGPL-2.1-or-later
# --- daemon/: eidd, the D-Bus daemon -------------------------------------------
# The daemon's modules without main(), shared by eidd and its unit tests.
noinst_LIBRARIES += daemon/libeidd.a
daemon_libeidd_a_SOURCES = \
	daemon/daemon.h daemon/log.h daemon/log.c daemon/conf.h daemon/conf.c \
	daemon/args.h daemon/args.c daemon/request.h daemon/request.c \
	daemon/errmap.h daemon/errmap.c daemon/audit.h daemon/audit.c \
	daemon/truststore.h daemon/truststore.c daemon/readers.c daemon/session.c \
	daemon/bus.h daemon/bus.c daemon/bus-options.c daemon/bus-result.c \
	daemon/bus-diag.c daemon/bus-polkit.c
nodist_daemon_libeidd_a_SOURCES = daemon/eidd-xml.c
daemon_libeidd_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/drivers -I$(top_srcdir)/daemon \
	-DEIDD_CONFIG_DEFAULT='"$(sysconfdir)/eidd/eidd.conf"'
daemon_libeidd_a_CFLAGS = $(AM_CFLAGS) $(DBUS_CFLAGS) $(INIH_CFLAGS)
LIBEIDD = daemon/libeidd.a $(LIBDRIVERS) $(LIBEID) $(DBUS_LIBS) $(INIH_LIBS) -lpthread

bin_PROGRAMS += daemon/eidd
daemon_eidd_SOURCES = daemon/eidd.c
daemon_eidd_CPPFLAGS = $(daemon_libeidd_a_CPPFLAGS)
daemon_eidd_CFLAGS = $(daemon_libeidd_a_CFLAGS)
daemon_eidd_LDADD = $(LIBEIDD)

# The introspection XML is the source of truth: installed, and compiled in.
dbusinterfacesdir = $(datadir)/dbus-1/interfaces
dist_dbusinterfaces_DATA = data/org.eidd.Eidd1.xml
eidconfdir = $(sysconfdir)/eidd
dist_eidconf_DATA = data/eidd.conf

daemon/eidd-xml.c: $(top_srcdir)/data/org.eidd.Eidd1.xml
	$(AM_V_GEN)$(MKDIR_P) daemon && { \
	  echo '/* Generated from data/org.eidd.Eidd1.xml: do not edit. */'; \
	  echo 'extern const char eidd_introspection_xml[];'; \
	  echo 'const char eidd_introspection_xml[] ='; \
	  $(SED) -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$$/\\n"/' \
	    $(top_srcdir)/data/org.eidd.Eidd1.xml; \
	  echo ';'; } >$@.tmp && mv $@.tmp $@
CLEANFILES += daemon/eidd-xml.c

# --- tests of the daemon ---------------------------------------------------------
if HAVE_CMOCKA
daemon_unit_tests = tests/test_daemon_config tests/test_daemon_bus
unit_tests += $(daemon_unit_tests)
DAEMONTESTCPPFLAGS = $(daemon_libeidd_a_CPPFLAGS)
DAEMONTESTCFLAGS = $(TESTCFLAGS) $(DBUS_CFLAGS) $(INIH_CFLAGS)
tests_test_daemon_config_SOURCES = tests/test_daemon_config.c
tests_test_daemon_config_CPPFLAGS = $(DAEMONTESTCPPFLAGS)
tests_test_daemon_config_CFLAGS = $(DAEMONTESTCFLAGS)
tests_test_daemon_config_LDADD = tests/libtestutil.a $(LIBEIDD) $(CMOCKA_LIBS)
tests_test_daemon_bus_SOURCES = tests/test_daemon_bus.c
tests_test_daemon_bus_CPPFLAGS = $(DAEMONTESTCPPFLAGS)
tests_test_daemon_bus_CFLAGS = $(DAEMONTESTCFLAGS)
tests_test_daemon_bus_LDADD = tests/libtestutil.a $(LIBEIDD) $(CMOCKA_LIBS)
endif

# One smoke test of the whole daemon (private bus, pcscd, vpcd, eid-sim).
daemon_integration_tests = tests/integration/daemon-smoke.test
TESTS += $(daemon_integration_tests)
EXTRA_DIST += $(daemon_integration_tests)

# Fuzz targets of the daemon's parsers (configuration file, StartRead options).
fuzz_targets += tests/fuzz/fuzz_daemon_config tests/fuzz/fuzz_daemon_options
tests_fuzz_fuzz_daemon_config_SOURCES = tests/fuzz/fuzz_daemon_config.c $(FUZZMAINSRC)
tests_fuzz_fuzz_daemon_config_CPPFLAGS = $(FUZZCPPFLAGS) -I$(top_srcdir)/drivers \
	-I$(top_srcdir)/daemon -DFUZZ_NAME='"daemon_config"'
tests_fuzz_fuzz_daemon_config_CFLAGS = $(AM_CFLAGS) $(DBUS_CFLAGS) $(INIH_CFLAGS)
tests_fuzz_fuzz_daemon_config_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_daemon_config_LDADD = $(LIBEIDD)
tests_fuzz_fuzz_daemon_options_SOURCES = tests/fuzz/fuzz_daemon_options.c $(FUZZMAINSRC)
tests_fuzz_fuzz_daemon_options_CPPFLAGS = $(FUZZCPPFLAGS) -I$(top_srcdir)/drivers \
	-I$(top_srcdir)/daemon -DFUZZ_NAME='"daemon_options"'
tests_fuzz_fuzz_daemon_options_CFLAGS = $(AM_CFLAGS) $(DBUS_CFLAGS) $(INIH_CFLAGS)
tests_fuzz_fuzz_daemon_options_LDFLAGS = $(FUZZLINKFLAGS)
tests_fuzz_fuzz_daemon_options_LDADD = $(LIBEIDD)
