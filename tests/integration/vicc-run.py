#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run Debian's vicc (python3-virtualsmartcard 3.3) as an ICAO ePass with BAC,
connected to a vpcd reader, as an independent peer card for integration tests.

    vicc-run.py [--hostname H] [--port P] [--mrz MRZ] [-v]

Debian ships vicc's modules but no working entry point under python3.  This
wrapper makes them run WITHOUT modifying the installed files: it adds the
module directory to sys.path, serves pycryptodome's `Cryptodome` package under
the name `Crypto` that vicc imports, and replaces the few functions that are
broken under python3 (py2 str/bytes idioms, raw_input) with bytes-clean ports.
Each replacement keeps vicc's behaviour otherwise, including its quirks that a
terminal must tolerate: secure messaging responses without DO'99', no MAC on
responses whose status is not 9000, a wrong BAC key answered with 6988, no
short EF identifiers, an EF.COM whose tag list 5C has a wrong length, an
empty EF.DG2, and an empty "EF.SOD" under FID 010D (ICAO's is 011D).

The passport's data is its MRZ alone (vicc's ePass prompts for it; here it is
an option).  The default is the ICAO 9303 specimen that vicc's source quotes
in CardGenerator.__generate_ePass.

Debian packages: python3-virtualsmartcard python3-pycryptodome.
"""
import argparse
import glob
import importlib
import importlib.abc
import importlib.util
import logging
import os
import socket
import struct
import sys

# vicc's own example MRZ (commented out in CardGenerator.__generate_ePass), the
# ICAO 9303 specimen with vicc's typo MARIX for MARIA: ERIKSSON, ANNA MARIX,
# document L898902C, born 690806, expires 940623, all check digits valid.
DEFAULT_MRZ = ("P<UTOERIKSSON<<ANNA<MARIX<<<<<<<<<<<<<<<<<<<"
               "L898902C<3UTO6908061F9406236ZE184226B<<<<<14")


# --- 1. find the modules ---------------------------------------------------------
# Debian installs the package as /usr/lib/python3/site-packages/virtualsmartcard/
# virtualsmartcard/, a directory python3 never searches (Debian's python3 uses
# dist-packages).  Add the directory that holds the `virtualsmartcard` package.
def add_vicc_path():
    # run as root, python would write __pycache__ into the package directory
    sys.dont_write_bytecode = True
    for parent in sorted(glob.glob("/usr/lib/python3*/*-packages/virtualsmartcard")):
        if os.path.isfile(os.path.join(parent, "virtualsmartcard",
                                       "VirtualSmartcard.py")):
            sys.path.insert(0, parent)
            return
    raise SystemExit("vicc-run: python3-virtualsmartcard is not installed")


# --- 2. Crypto -> Cryptodome -----------------------------------------------------
# vicc imports PyCrypto's `Crypto` package (Crypto.Cipher.DES3, Crypto.Hash.SHA,
# ...); Debian's python3-pycryptodome provides the same API as `Cryptodome`.
# Without `Crypto`, CryptoUtils falls back to python2's `sha` module and fails.
# This finder imports `Crypto.X` as the already loaded `Cryptodome.X` module.
class CryptoAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname == "Crypto" or fullname.startswith("Crypto."):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("Cryptodome" + spec.name[len("Crypto"):])

    def exec_module(self, module):
        pass


# --- 3. bytes-clean ports of the functions broken under python3 -------------------
def patch_vicc(mrz):
    from virtualsmartcard import (CardGenerator, CryptoUtils, SEutils, TLVutils,
                                  VirtualSmartcard)
    from virtualsmartcard.ConstantDefinitions import SM_Class, MAX_EXTENDED_LE
    from virtualsmartcard.SWutils import SwError, SW
    from virtualsmartcard.SmartcardFilesystem import (MF, DF,
                                                      TransparentStructureEF)
    from virtualsmartcard.cards import ePass
    from virtualsmartcard.utils import C_APDU, inttostring, stringtoint

    # TLVutils.pack builds `result` as bytes and returns b"".join(result),
    # which under python3 joins ints and raises TypeError: every TLV vicc
    # writes (EF.COM, DG1, SM responses, FCI) failed.  Same code, returns
    # the bytes.  Rebound in every module that imported the name.
    orig_pack = TLVutils.pack

    def pack(tlv_data, recalculate_length=False):
        result = b""
        for data in tlv_data:
            tag, length, value = data[:3]
            if tag in (0xff, 0x00):
                result = result + inttostring(tag)
                continue
            if not isinstance(value, bytes):
                value = pack(value, recalculate_length)
            if recalculate_length:
                length = len(value)
            t = b""
            while tag > 0:
                t = inttostring(tag & 0xff) + t
                tag = tag >> 8
            if length < 0x7F:
                ln = inttostring(length)
            else:
                ln = b""
                while length > 0:
                    ln = inttostring(length & 0xff) + ln
                    length = length >> 8
                ln = inttostring(0x80 | len(ln)) + ln
            result = result + t + ln + value
        return result

    for mod in list(sys.modules.values()):
        if (getattr(mod, "__name__", "").startswith("virtualsmartcard")
                and getattr(mod, "pack", None) is orig_pack):
            mod.pack = pack

    # CryptoUtils.operation_on_string XORs two keys with chr(op(ord(a), ord(b)))
    # and "".join: py2 strings.  Used for the BAC session key seed
    # Kicc xor Kifd; under python3 ord() of an int raised TypeError and
    # MUTUAL AUTHENTICATE crashed vicc.
    def operation_on_string(string1, string2, op):
        if len(string1) != len(string2):
            raise ValueError("string1 and string2 must be of equal length")
        return bytes(op(a, b) for a, b in zip(string1, string2))

    CryptoUtils.operation_on_string = operation_on_string

    # ePass_SE.compute_cryptographic_checksum lets crypto_checksum prepend
    # inttostring(ssc), which drops leading zero bytes: whenever the SSC
    # (RND.ICC[4:8] || RND.IFD[4:8]) starts with 00 (1 session in 256) every
    # MAC was computed over a 7-byte counter and the read failed at random.
    # The counter is 8 bytes, one DES block; prepend it here.
    def compute_cryptographic_checksum(self, p1, p2, data):
        if p1 != 0x8E or p2 != 0x80:
            raise SwError(SW["ERR_INCORRECTP1P2"])
        self.ssc += 1
        return CryptoUtils.crypto_checksum(self.cct.algorithm, self.cct.key,
                                           inttostring(self.ssc, 8) + data,
                                           self.cct.iv)

    ePass.ePass_SE.compute_cryptographic_checksum = compute_cryptographic_checksum

    # Security_Environment.parse_SM_CAPDU collects the plain data in
    # ["", ...] and "".join()s it, starts the MAC input as "" and reads the
    # padding indicator with stringtoint(value[0]): py2 strings.  Under
    # python3 each raised TypeError, which SAM.parse_SM_CAPDU turns into
    # 6988, so every command under secure messaging failed.  Same logic on
    # bytes.
    def parse_SM_CAPDU(self, CAPDU, authenticate_header):
        structure = TLVutils.unpack(CAPDU.data)
        return_data = [b""]
        cla = ins = p1 = p2 = le = None

        if authenticate_header:
            to_authenticate = bytes([CAPDU.cla, CAPDU.ins, CAPDU.p1, CAPDU.p2])
            to_authenticate = CryptoUtils.append_padding(self.cct.blocklength,
                                                         to_authenticate)
        else:
            to_authenticate = b""

        for tag, length, value in structure:
            if tag % 2 == 1:  # include object in the checksum
                to_authenticate += TLVutils.bertlv_pack([[tag, length, value]])

            if tag in (SM_Class["PLAIN_VALUE_NO_TLV"],
                       SM_Class["PLAIN_VALUE_NO_TLV_ODD"],
                       SM_Class["PLAIN_VALUE_TLV_NO_SM"],
                       SM_Class["PLAIN_VALUE_TLV_NO_SM_ODD"]):
                return_data.append(value)
            elif tag in (SM_Class["PLAIN_VALUE_TLV_INCULDING_SM"],
                         SM_Class["PLAIN_VALUE_TLV_INCULDING_SM_ODD"]):
                return_data.append(self.parse_SM_CAPDU(value,
                                                       authenticate_header))
            elif tag in (SM_Class["Ne"], SM_Class["Ne_ODD"]):
                le = value
            elif tag == SM_Class["PLAIN_COMMAND_HEADER"]:
                if len(value) != 8:
                    raise SwError(SW["ERR_SECMESSOBJECTSINCORRECT"])
                cla, ins, p1, p2 = value[:2], value[2:4], value[4:6], value[6:8]

            if tag in (SM_Class["CRYPTOGRAM_PLAIN_TLV_INCLUDING_SM"],
                       SM_Class["CRYPTOGRAM_PLAIN_TLV_INCLUDING_SM_ODD"]):
                plain = self.decipher(tag, 0x80, value)
                return_data.append(self.parse_SM_CAPDU(plain,
                                                       authenticate_header))
            elif tag in (SM_Class["CRYPTOGRAM_PLAIN_TLV_NO_SM"],
                         SM_Class["CRYPTOGRAM_PLAIN_TLV_NO_SM_ODD"]):
                return_data.append(self.decipher(tag, 0x80, value))
            elif tag in (SM_Class["CRYPTOGRAM_PADDING_INDICATOR"],
                         SM_Class["CRYPTOGRAM_PADDING_INDICATOR_ODD"]):
                padding_indicator = value[0]
                plain = self.decipher(tag, 0x80, value[1:])
                plain = CryptoUtils.strip_padding(self.ct.blocklength, plain,
                                                  padding_indicator)
                return_data.append(plain)

            if tag == SM_Class["CHECKSUM"]:
                auth = CryptoUtils.append_padding(self.cct.blocklength,
                                                  to_authenticate)
                checksum = self.compute_cryptographic_checksum(0x8E, 0x80, auth)
                if checksum != value:
                    raise SwError(SW["ERR_SECMESSOBJECTSINCORRECT"])
            elif tag == SM_Class["DIGITAL_SIGNATURE"]:
                signature = self.compute_digital_signature(0x9E, 0x9A,
                                                           to_authenticate)
                if signature != value:
                    raise SwError(SW["ERR_SECMESSOBJECTSINCORRECT"])
            elif tag in (SM_Class["HASH_CODE"], SM_Class["HASH_CODE_ODD"]):
                if self.hash(p1, p2, to_authenticate) != value:
                    raise SwError(SW["ERR_SECMESSOBJECTSINCORRECT"])

        if cla is None:
            cla = CAPDU.cla
        if ins is None:
            ins = CAPDU.ins
        if p1 is None:
            p1 = CAPDU.p1
        if p2 is None:
            p2 = CAPDU.p2
        if isinstance(le, bytes):
            le_int = stringtoint(le)
            if le_int == 0 and len(le) > 1:
                le_int = MAX_EXTENDED_LE
            le = le_int
        return C_APDU(cla=cla, ins=ins, p1=p1, p2=p2, le=le,
                      data=b"".join(return_data))

    SEutils.Security_Environment.parse_SM_CAPDU = parse_SM_CAPDU

    # Security_Environment.protect_response starts from "" and prepends
    # "\x01" to the cryptogram: a TypeError nothing catches, so vicc died on
    # its first protected response.  It also tests `result != ""`, always
    # true for bytes, which would wrap even an empty response in a DO'87'.
    # Same logic on bytes.  vicc's own behaviour is kept: no DO'99', and the
    # MAC only on responses with status 9000.
    def protect_response(self, sw, result):
        return_data = b""
        if result:
            encrypted = b"\x01" + self.encipher(0x82, 0x80, result)
            return_data += pack([(SM_Class["CRYPTOGRAM_PADDING_INDICATOR_ODD"],
                                  len(encrypted), encrypted)])
        if sw == SW["NORMAL"]:
            if self.cct.algorithm is None:
                raise SwError(SW["CONDITIONSNOTSATISFIED"])
            elif self.cct.algorithm == "CC":
                padded = CryptoUtils.append_padding(self.cct.blocklength,
                                                    return_data)
                auth = self.compute_cryptographic_checksum(0x8E, 0x80, padded)
                return_data += pack([(SM_Class["CHECKSUM"], len(auth), auth)])
            elif self.cct.algorithm == "SIGNATURE":
                digest = self.hash(0x90, 0x80, return_data)
                auth = self.compute_digital_signature(0x9E, 0x9A, digest)
                return_data += pack([(SM_Class["DIGITAL_SIGNATURE"], len(auth),
                                      auth)])
        return sw, return_data

    SEutils.Security_Environment.protect_response = protect_response

    # CardGenerator.__generate_ePass prompts with py2's raw_input for the MRZ
    # and a photo path, imports PIL for the photo, and builds the application
    # DF name and the empty EF.DG2 / EF.SOD as str.  Under python3 raw_input
    # does not exist, a str MRZ breaks pack(), and a str DF name makes
    # SELECT by AID raise TypeError (bytes.startswith(str)), which kills
    # vicc.  Same file system, MRZ from the command line, no photo (vicc's
    # result when the photo cannot be opened, so PIL is not needed), every
    # value bytes.
    def generate_ePass(self):
        MRZ = mrz.encode("ascii")
        mf = MF()
        df = DF(parent=mf, fid=4, dfname=b"\xa0\x00\x00\x02G\x10\x01",
                bertlv_data=[])
        # EF.COM, as vicc writes it: 5C says 2 bytes but holds the 4 ASCII
        # characters "6175" (a vicc bug kept on purpose)
        COM = pack([(0x5F01, 4, b"0107"), (0x5F36, 6, b"040000"),
                    (0x5C, 2, b"6175")])
        COM = pack(((0x60, len(COM), COM),))
        df.append(TransparentStructureEF(parent=df, fid=0x011E,
                                         filedescriptor=0, data=COM))
        DG1 = pack([(0x5F1F, len(MRZ), MRZ)])
        DG1 = pack([(0x61, len(DG1), DG1)])
        df.append(TransparentStructureEF(parent=df, fid=0x0101,
                                         filedescriptor=0, data=DG1))
        df.append(TransparentStructureEF(parent=df, fid=0x0102,
                                         filedescriptor=0, data=b""))
        # vicc's EF.SOD: empty, and under DG13's FID 010D, not 011D
        df.append(TransparentStructureEF(parent=df, fid=0x010D,
                                         filedescriptor=0, data=b""))
        mf.append(df)
        self.mf = mf
        self.sam = ePass.PassportSAM(self.mf)

    CardGenerator.CardGenerator._CardGenerator__generate_ePass = generate_ePass

    # VirtualICC.__recvFromVPICC reads the payload with one recv(size), which
    # may return a part of it (vpcd writes the length and the payload
    # separately).  Read until complete.  Also set TCP_QUICKACK before every
    # read: vpcd's two writes otherwise wait for a delayed ACK (~40 ms an
    # APDU, see testing.md).
    def recv_exact(sock, n):
        buf = b""
        while len(buf) < n:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            except (AttributeError, OSError):
                pass
            chunk = sock.recv(n - len(buf))
            if not chunk:
                logging.info("Virtual PCD shut down")
                raise socket.error
            buf += chunk
        return buf

    def recvFromVPICC(self):
        size = struct.unpack("!H", recv_exact(self.sock, 2))[0]
        msg = recv_exact(self.sock, size) if size else None
        return size, msg

    VirtualSmartcard.VirtualICC._VirtualICC__recvFromVPICC = recvFromVPICC


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hostname", default="127.0.0.1",
                        help="vpcd host (default %(default)s)")
    parser.add_argument("--port", type=int, default=35963,
                        help="vpcd port (default %(default)s)")
    parser.add_argument("--mrz", default=DEFAULT_MRZ,
                        help="the 88-character TD3 MRZ (default: ICAO specimen)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log every APDU (INFO); default WARNING")
    args = parser.parse_args()
    if len(args.mrz) != 88:
        parser.error("--mrz must be the two 44-character lines of a TD3 MRZ")

    add_vicc_path()
    sys.meta_path.insert(0, CryptoAlias())
    patch_vicc(args.mrz)

    from virtualsmartcard.VirtualSmartcard import VirtualICC
    level = logging.INFO if args.verbose else logging.WARNING
    try:
        vicc = VirtualICC(None, "ePass", args.hostname, args.port,
                          logginglevel=level)
    except SystemExit:
        # VirtualICC logs why it could not connect and exits with status 0
        sys.exit(1)
    vicc.run()


if __name__ == "__main__":
    main()
