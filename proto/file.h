/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading elementary files with the fewest APDUs.
 *
 * A file is read by short file identifier (no SELECT); its size comes from
 * the first TLV header, so the first READ BINARY asks for as much as a
 * response can carry and small files take one APDU.  Extended-length reads
 * are used when card->extended_length is set.  When the chip refuses a size
 * (6700, or a shorter answer than asked) the next request steps down an Le
 * ladder and the working size is remembered in card->read_le.  Offsets
 * above 32767 use the odd-INS READ BINARY (B1) with DO'54'.
 *
 * With eid_file_read(), a chip that answers "not found" to a read by SFI
 * gets a SELECT by FID
 * (0100 | SFI) and a read of the selected file that never asks for more
 * than the file holds; when that finds the file, card->no_sfi is set and
 * later files are selected by FID straight away.
 */
#ifndef EID_FILE_H
#define EID_FILE_H

#include "apdu.h"

/* Largest file accepted (a defence against absurd TLV lengths). */
#define EID_FILE_SIZE_MAX (1u << 20)

/* SELECT a file by FID under the current DF (P2 = 0C: no FCI). */
int eid_file_select(struct eid_card *card, uint16_t fid);
/* SELECT an application by AID. */
int eid_file_select_aid(struct eid_card *card, const uint8_t *aid, size_t n);

/*
 * Read a whole TLV-structured EF by short file identifier (1..30) into out
 * (appended; exactly the bytes of the first TLV).
 * Errors: -EID_ENOTFOUND (6A82), -EID_EACCESS (6982), -EID_EPARSE (not a
 * TLV, or shorter than its header says), -EID_ETOOBIG, -EID_ESW, transport.
 */
int eid_file_read_sfi(struct eid_card *card, uint8_t sfi, eid_buf *out);
/*
 * The same, but a "not found" to the read by SFI is followed by a SELECT by
 * FID (0100 | SFI) for chips without short file identifiers; -EID_ENOTFOUND
 * only when that fails too.
 */
int eid_file_read(struct eid_card *card, uint8_t sfi, eid_buf *out);

/* The Le ladder's next smaller step below le (0 when none is left). */
size_t eid_file_next_le(size_t le, bool secure);

#endif
