/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-diag check: readers, cards, trust store, terminal credentials and the
 * running daemon, each problem with what to do.  Returns the exit code:
 * 0 all fine, 1 problem found, 2 could not run.
 */
#ifndef EID_DIAG_CHECK_H
#define EID_DIAG_CHECK_H

int diag_check_main(int argc, char **argv);

#endif
