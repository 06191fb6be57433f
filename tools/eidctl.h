/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eidctl: the command-line client of eidd's D-Bus API (org.eidd.Eidd1).
 * Exit codes: 0 verified (or the command succeeded), 1 read but not
 * verified, 2 error.
 */
#ifndef EIDCTL_H
#define EIDCTL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <dbus/dbus.h>

#define EIDCTL_EXIT_OK    0
#define EIDCTL_EXIT_UNVERIFIED 1
#define EIDCTL_EXIT_ERROR 2

#define EIDD_BUS_NAME      "org.eidd.Eidd1"
#define EIDD_MANAGER_PATH  "/org/eidd/Eidd1"
#define EIDD_MANAGER_IFACE "org.eidd.Eidd1.Manager"
#define EIDD_READER_IFACE  "org.eidd.Eidd1.Reader"
#define EIDD_SESSION_IFACE "org.eidd.Eidd1.Session"
#define EIDD_READER_PREFIX "/org/eidd/Eidd1/Reader/"
#define EIDD_SESSION_PREFIX "/org/eidd/Eidd1/Session/"
#define DBUS_PROPS_IFACE   "org.freedesktop.DBus.Properties"
#define DBUS_OM_IFACE      "org.freedesktop.DBus.ObjectManager"

/* Set by SIGINT/SIGTERM. */
extern volatile sig_atomic_t eidctl_interrupted;

struct json_object;

/* Print "eidctl: <fmt>" to stderr. */
void eidctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a D-Bus error as "eidctl: NAME: message" (with an optional context). */
void eidctl_dbus_err(const char *what, const DBusError *e);

/* Call a method on eidd and wait for its reply (NULL on error, reported). */
DBusMessage *eidctl_call(DBusConnection *c, DBusMessage *m, const char *what);
/* A new method call to eidd. */
DBusMessage *eidctl_method(const char *path, const char *iface, const char *member);
/* Properties.GetAll(iface) of path as JSON (NULL on error, reported). */
struct json_object *eidctl_get_all(DBusConnection *c, const char *path, const char *iface);

/*
 * A D-Bus value as JSON: dictionaries with string keys become objects,
 * other arrays arrays, byte arrays base64 strings.  With omit_bytes, byte
 * arrays are left out (NULL is returned for them).
 */
struct json_object *eidctl_iter_json(DBusMessageIter *it, bool omit_bytes);

/* Base64 of n bytes (malloc'd string). */
char *eidctl_base64(const uint8_t *p, size_t n);

/* The reader object to use: --reader N (its number) or NAME; else the
 * first reader with a card, else the first reader.  0 or -1 (reported). */
int eidctl_pick_reader(DBusConnection *c, const char *want, char *path, size_t size);

/* Subcommands: each returns the exit code. */
int eidctl_read_main(DBusConnection *c, int argc, char **argv);

/* json helpers */
const char *eidctl_json_str(struct json_object *o, const char *key);

#endif
