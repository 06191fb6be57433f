# SPDX-License-Identifier: LGPL-2.1-or-later
# eidctl (the D-Bus client), the system integration files of eidd (bus
# policy, polkit actions, systemd unit, D-Bus activation), the daemon demo
# and the daemon's D-Bus integration tests.

# --- eidctl ----------------------------------------------------------------------
# The face image conversion (JPEG 2000 -> PNG) is eid-diag's tools/diag_image.c,
# compiled in again: it needs only libeid's types, OpenJPEG and libpng.
bin_PROGRAMS += tools/eidctl
tools_eidctl_SOURCES = tools/eidctl.h tools/eidctl.c tools/eidctl_read.c tools/diag_image.c
tools_eidctl_CFLAGS = $(AM_CFLAGS) $(DBUS_CFLAGS) $(JSONC_CFLAGS) $(IMAGE_CFLAGS)
tools_eidctl_LDADD = $(LIBEID) $(DBUS_LIBS) $(JSONC_LIBS) $(IMAGE_LIBS)

# --- system integration files ----------------------------------------------------------
# Installed where Debian looks for them, whatever the prefix: the bus policy
# and activation file where dbus-daemon reads them, the polkit actions where
# polkitd reads them, the unit in systemd's unit folder.  Each folder can be
# overridden on the make command line (make install dbuspolicydir=...).
eidd_system_files = data/org.eidd.Eidd1.conf data/org.eidd.policy data/eidd.service \
	data/org.eidd.Eidd1.service data/eidd.sysusers.conf
EXTRA_DIST += $(eidd_system_files)
dbuspolicydir =
dbusactivationdir =
polkitactiondir =
systemdsystemunitdir =
sysusersdir =
# (data/eidd.conf is installed by daemon/daemon.mk)

# The path of eidd in the unit and the activation file follows where it is
# installed (sbin or bin).
EIDD_SYSTEM_DIRS = \
	pc() { $(PKG_CONFIG) --variable="$$2" "$$1" 2>/dev/null; }; \
	policydir='$(dbuspolicydir)'; actdir='$(dbusactivationdir)'; \
	polkitdir='$(polkitactiondir)'; unitdir='$(systemdsystemunitdir)'; \
	usersdir='$(sysusersdir)'; \
	dbusdata=$$(pc dbus-1 datadir); test -n "$$dbusdata" || dbusdata=/usr/share; \
	test -n "$$policydir" || policydir=$$dbusdata/dbus-1/system.d; \
	test -n "$$actdir" || actdir=$$(pc dbus-1 system_bus_services_dir); \
	test -n "$$actdir" || actdir=/usr/share/dbus-1/system-services; \
	test -n "$$polkitdir" || polkitdir=$$(pc polkit-gobject-1 policydir); \
	test -n "$$polkitdir" || polkitdir=/usr/share/polkit-1/actions; \
	test -n "$$unitdir" || unitdir=$$(pc systemd systemdsystemunitdir); \
	test -n "$$unitdir" || unitdir=/lib/systemd/system; \
	test -n "$$usersdir" || usersdir=$$(pc systemd sysusersdir); \
	test -n "$$usersdir" || usersdir=/usr/lib/sysusers.d; \
	case " $(sbin_PROGRAMS) " in \
	*" daemon/eidd$(EXEEXT) "*) eidd='$(sbindir)/eidd$(EXEEXT)';; \
	*) eidd='$(bindir)/eidd$(EXEEXT)';; \
	esac

install-eidd-system-files:
	@$(EIDD_SYSTEM_DIRS); set -e; \
	$(MKDIR_P) "$(DESTDIR)$$policydir" "$(DESTDIR)$$actdir" "$(DESTDIR)$$polkitdir" \
		"$(DESTDIR)$$unitdir" "$(DESTDIR)$$usersdir"; \
	$(INSTALL_DATA) $(srcdir)/data/org.eidd.Eidd1.conf "$(DESTDIR)$$policydir/"; \
	$(INSTALL_DATA) $(srcdir)/data/org.eidd.policy "$(DESTDIR)$$polkitdir/"; \
	$(SED) "s|/usr/sbin/eidd|$$eidd|" $(srcdir)/data/eidd.service >eidd.service.tmp; \
	$(INSTALL_DATA) eidd.service.tmp "$(DESTDIR)$$unitdir/eidd.service"; \
	$(SED) "s|/usr/sbin/eidd|$$eidd|" $(srcdir)/data/org.eidd.Eidd1.service \
		>org.eidd.Eidd1.service.tmp; \
	$(INSTALL_DATA) org.eidd.Eidd1.service.tmp "$(DESTDIR)$$actdir/org.eidd.Eidd1.service"; \
	rm -f eidd.service.tmp org.eidd.Eidd1.service.tmp; \
	$(INSTALL_DATA) $(srcdir)/data/eidd.sysusers.conf "$(DESTDIR)$$usersdir/eidd.conf"

uninstall-eidd-system-files:
	@$(EIDD_SYSTEM_DIRS); \
	rm -f "$(DESTDIR)$$policydir/org.eidd.Eidd1.conf" "$(DESTDIR)$$polkitdir/org.eidd.policy" \
		"$(DESTDIR)$$unitdir/eidd.service" "$(DESTDIR)$$actdir/org.eidd.Eidd1.service" \
		"$(DESTDIR)$$usersdir/eidd.conf"

install-data-local: install-eidd-system-files
uninstall-local: uninstall-eidd-system-files
.PHONY: install-eidd-system-files uninstall-eidd-system-files

# --- the daemon demo ---------------------------------------------------------------------
EXTRA_DIST += tools/demo-eidd.sh
demo-daemon: daemon/eidd$(EXEEXT) tools/eidctl$(EXEEXT) tools/eid-sim$(EXEEXT)
	bash $(top_srcdir)/tools/demo-eidd.sh $(abs_top_builddir)
demo-passport: daemon/eidd$(EXEEXT) tools/eidctl$(EXEEXT) tools/eid-sim$(EXEEXT)
	bash $(top_srcdir)/tools/demo-eidd.sh $(abs_top_builddir) --passport
.PHONY: demo-daemon demo-passport

# --- integration tests of the daemon over D-Bus -----------------------------------------
# Each runs a private dbus-daemon, a private pcscd with vpcd, eid-sim and eidd.
daemon_bus_tests = tests/integration/daemon-files.test tests/integration/daemon-api.test \
	tests/integration/daemon-errors.test tests/integration/daemon-parallel.test \
	tests/integration/daemon-polkit.test tests/integration/daemon-eidctl.test
TESTS += $(daemon_bus_tests)
EXTRA_DIST += $(daemon_bus_tests) tests/integration/bus-lib.sh \
	tests/integration/dbus_client.py
# Privacy: nothing of the holder in eidd's memory, files, records or signals.
privacy_tests = tests/integration/privacy-core.test tests/integration/privacy-audit.test \
	tests/integration/privacy-polkit.test
TESTS += $(privacy_tests)
EXTRA_DIST += $(privacy_tests) tests/integration/privacy_reads.py \
	tests/integration/privacy_client.py
