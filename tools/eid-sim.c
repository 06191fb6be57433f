/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eid-sim: a simulated ICAO eMRTD chip served to pcscd through vsmartcard's
 * vpcd reader driver, so readers' software can be tested without a card.
 *
 *   eid-sim --profile NAME [--vpcd PORT] [--host H] [options]
 *   eid-sim --list-profiles
 *   eid-sim --export-pki DIR
 *
 * It prints nothing about the document: --verbose reports events (card
 * inserted, pulled) and never data.  Nothing at all in a normal run: the
 * chip checks what the terminal sends before OpenPACE (which prints its own
 * errors to stderr) sees it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/pn532.h"
#include "sim/sim.h"

static volatile bool stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = true;
}

static void usage(FILE *f)
{
	fputs(
"Usage: eid-sim --profile NAME [--vpcd PORT] [--host HOST] [options]\n"
"       eid-sim --list-profiles\n"
"       eid-sim --export-pki DIR [--data-dir DIR]\n"
"\n"
"Plays an ICAO eMRTD chip (e-passport) or a German eID card (profiles eid,\n"
"eat) for pcscd's vpcd reader driver\n"
"(vsmartcard-vpcd): the card connects to vpcd over TCP and answers its APDUs.\n"
"\n"
"Card and transport:\n"
"  --profile NAME          the chip to play (--list-profiles); default passport-bac\n"
"  --vpcd PORT             vpcd port to connect to (reader.conf DEVICENAME\n"
"                          /dev/null:PORT); default 35963\n"
"  --host HOST             host where vpcd listens; default localhost\n"
"  --connect-timeout-ms N  keep trying to reach vpcd this long; default 10000\n"
"  --pn532 LINK            instead of vpcd: be a PN532 reader on a pseudo-terminal\n"
"                          (symlink LINK) for libnfc: LIBNFC_DEVICE=pn532_uart:LINK\n"
"  --pn532-type a|b        the card as an ISO 14443-A or -B target; default a\n"
"  --reinsert-after-ms N   after the card is pulled (--remove-after), insert it\n"
"                          again after N ms; without it eid-sim exits\n"
"  --data-dir DIR          test data (face images, pki/); default: the source\n"
"                          tree's tests/data, or $EID_SIM_DATA\n"
"\n"
"Access and chip authentication:\n"
"  --can DIGITS            card access number for PACE (4..10 digits); default\n"
"                          123456, eid and eat 500540 (the MRZ password comes\n"
"                          from the holder data)\n"
"  --aa rsa|rsa-sha256|ecdsa|none\n"
"                          Active Authentication key (DG15): RSA-1024 with ISO\n"
"                          9796-2 and SHA-1 or SHA-256, ECDSA brainpoolP256r1,\n"
"                          or none; default: the profile's (passport-bac none,\n"
"                          passport-pace and -dh rsa, passport-cam ecdsa)\n"
"\n"
"German eID card (profiles eid and eat; specimen ERIKA MUSTERMANN of\n"
"AusweisApp, CAN 500540, PIN 123456, PUK 9876543210):\n"
"  --pin DIGITS            eID PIN (5..6 digits); default 123456\n"
"  --puk DIGITS            PUK (10 digits); default 9876543210\n"
"  --pin-retries N         the PIN's retry counter at start (0..3): 1 suspended\n"
"                          (PACE with the CAN first), 0 blocked (PUK); default 3.\n"
"                          The counter lives as long as eid-sim runs (a pulled\n"
"                          and reinserted card keeps it)\n"
"  --eid-deactivated       the eID function is off: PACE with the PIN is refused\n"
"                          (6283), the CAN still works (on-site reading)\n"
"  --cvca FILE             trust this CVCA certificate for Terminal\n"
"                          Authentication (e.g. made with cvc-create); default\n"
"                          the test CVCA DETESTeIDEI001 (tests/data/ta)\n"
"  --date YYYY-MM-DD       the chip's date for certificate validity; default today\n"
"  --given-names, --surname, --place-of-birth S (UTF-8) replace DG4, DG5, DG9;\n"
"  --dob, --doe YYYYMMDD replace DG8, DG3 (unknown month/day as spaces)\n"
"\n"
"Holder data (defaults: BSI specimen passport MUSTERMANN ERIKA, C11T002JM):\n"
"  --doc-number X          document number, up to 9 characters A-Z 0-9\n"
"  --dob YYMMDD            date of birth\n"
"  --doe YYMMDD            date of expiry\n"
"  --surname S             primary identifier (A-Z, spaces, hyphens)\n"
"  --given-names S         secondary identifier\n"
"  --nationality C         nationality, 1..3 letters (D, UTO, ...)\n"
"  --issuing-state C       issuing state; default: the nationality\n"
"  --sex F|M|X|<           sex\n"
"  --place-of-birth S      DG11 place of birth; default BERLIN\n"
"  --authority S           DG12 issuing authority; default STADT KOELN\n"
"  --face FILE             face image for DG2 (JPEG or JPEG 2000, type from the\n"
"                          file's bytes); default: the built-in test portrait\n"
"  --face-format jpeg|jp2  built-in portrait as JPEG or JPEG 2000; default jpeg\n"
"  --face-encoding 19794|39794\n"
"                          DG2 record: ISO/IEC 19794-5:2005 or 39794-5; default\n"
"                          19794\n"
"\n"
"Passive authentication (EF.SOD is signed at startup):\n"
"  --ds ok|expired|revoked|unknown-csca|link\n"
"                          Document Signer: valid; expired; revoked (on the\n"
"                          CSCA's CRL); issued by a CSCA exported nowhere;\n"
"                          issued by the new CSCA (reached via the link\n"
"                          certificate); default ok\n"
"  --ds-alg ecdsa|rsa-pss  DS signature: ECDSA brainpoolP256r1 or RSASSA-PSS\n"
"                          (RSA-PSS only with --ds ok); default ecdsa\n"
"  --export-pki DIR        write the CSCA certificates, the link certificate, the\n"
"                          CRLs and the CSCA master list to DIR and exit\n"
"\n"
"Realism knobs:\n"
"  --max-le N              return at most N data bytes per READ BINARY\n"
"                          (e.g. 223); default: no cap\n"
"  --no-extended           no extended-length APDUs (answered 6700)\n"
"  --bitrate BPS           simulated air interface: sleep 10 bits a byte of\n"
"                          command and response; default 0 (instant)\n"
"  --turnaround-us N       and N microseconds per APDU; default 0\n"
"\n"
"Faults (APDUs count from 1 since the card was inserted):\n"
"  --remove-after N        pull the card after N APDUs (vpcd connection closed)\n"
"  --corrupt-mac N         flip a MAC byte in the response to APDU N (when it\n"
"                          is protected by secure messaging)\n"
"  --wrong-dg-hash N       EF.SOD holds a wrong hash of DG N\n"
"  --oversized-tlv[=N]     DG N's outer length claims ~2 GiB (default DG 11)\n"
"\n"
"Other:\n"
"  --verbose               report events on stderr (never document data)\n"
"  --list-profiles         list the profiles and exit\n"
"  --help                  this text\n", f);
}

enum {
	OPT_PROFILE = 256, OPT_VPCD, OPT_HOST, OPT_CONNECT_TIMEOUT, OPT_REINSERT, OPT_DATA_DIR,
	OPT_DOC, OPT_DOB, OPT_DOE, OPT_SURNAME, OPT_GIVEN, OPT_NAT, OPT_STATE, OPT_SEX,
	OPT_POB, OPT_AUTH, OPT_FACE, OPT_FACE_FORMAT, OPT_FACE_ENCODING, OPT_DS, OPT_DS_ALG,
	OPT_EXPORT, OPT_MAX_LE, OPT_NO_EXT, OPT_BITRATE, OPT_TURNAROUND, OPT_REMOVE,
	OPT_CORRUPT, OPT_WRONG_HASH, OPT_OVERSIZED, OPT_VERBOSE, OPT_LIST, OPT_HELP, OPT_CAN,
	OPT_AA, OPT_PN532, OPT_PN532_TYPE,
	OPT_PIN, OPT_PUK, OPT_PIN_RETRIES, OPT_EID_DEACTIVATED, OPT_CVCA, OPT_DATE,
};

static const struct option long_opts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "vpcd", required_argument, NULL, OPT_VPCD },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "connect-timeout-ms", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "reinsert-after-ms", required_argument, NULL, OPT_REINSERT },
	{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
	{ "can", required_argument, NULL, OPT_CAN },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "puk", required_argument, NULL, OPT_PUK },
	{ "pin-retries", required_argument, NULL, OPT_PIN_RETRIES },
	{ "eid-deactivated", no_argument, NULL, OPT_EID_DEACTIVATED },
	{ "cvca", required_argument, NULL, OPT_CVCA },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "aa", required_argument, NULL, OPT_AA },
	{ "pn532", required_argument, NULL, OPT_PN532 },
	{ "pn532-type", required_argument, NULL, OPT_PN532_TYPE },
	{ "doc-number", required_argument, NULL, OPT_DOC },
	{ "dob", required_argument, NULL, OPT_DOB },
	{ "doe", required_argument, NULL, OPT_DOE },
	{ "surname", required_argument, NULL, OPT_SURNAME },
	{ "given-names", required_argument, NULL, OPT_GIVEN },
	{ "nationality", required_argument, NULL, OPT_NAT },
	{ "issuing-state", required_argument, NULL, OPT_STATE },
	{ "sex", required_argument, NULL, OPT_SEX },
	{ "place-of-birth", required_argument, NULL, OPT_POB },
	{ "authority", required_argument, NULL, OPT_AUTH },
	{ "face", required_argument, NULL, OPT_FACE },
	{ "face-format", required_argument, NULL, OPT_FACE_FORMAT },
	{ "face-encoding", required_argument, NULL, OPT_FACE_ENCODING },
	{ "ds", required_argument, NULL, OPT_DS },
	{ "ds-alg", required_argument, NULL, OPT_DS_ALG },
	{ "export-pki", required_argument, NULL, OPT_EXPORT },
	{ "max-le", required_argument, NULL, OPT_MAX_LE },
	{ "no-extended", no_argument, NULL, OPT_NO_EXT },
	{ "bitrate", required_argument, NULL, OPT_BITRATE },
	{ "turnaround-us", required_argument, NULL, OPT_TURNAROUND },
	{ "remove-after", required_argument, NULL, OPT_REMOVE },
	{ "corrupt-mac", required_argument, NULL, OPT_CORRUPT },
	{ "wrong-dg-hash", required_argument, NULL, OPT_WRONG_HASH },
	{ "oversized-tlv", optional_argument, NULL, OPT_OVERSIZED },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "list-profiles", no_argument, NULL, OPT_LIST },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	struct sim_options opt;
	const char *host;
	int port;
	long connect_timeout_ms;
	long reinsert_ms;
	const char *export_dir;
	bool verbose;
	const char *pn532_link;    /* --pn532: emulated PN532 instead of vpcd */
	enum pn532_target pn532_type;
};

/* Unsigned decimal in [min, max]; exits with a message otherwise. */
static unsigned long num(const char *opt, const char *s, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		fprintf(stderr, "eid-sim: --%s: expected a number %lu..%lu\n", opt, min, max);
		exit(2);
	}
	return v;
}

/* Copy an upper-cased holder field; exits when it does not fit. */
static void field(const char *opt, char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size) {
		fprintf(stderr, "eid-sim: --%s: at most %zu characters\n", opt, size - 1);
		exit(2);
	}
	for (size_t i = 0; i <= n; i++)
		dst[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
}

static int choice(const char *opt, const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	fprintf(stderr, "eid-sim: --%s: unknown value (see --help)\n", opt);
	exit(2);
}

/* One line a profile: "NAME description" (scripts take the first word). */
static void list_profiles(void)
{
	for (size_t i = 0; i < sim_n_profiles; i++)
		printf("%-18s %s%s\n", sim_profiles[i].name, sim_profiles[i].summary,
		       sim_profiles[i].setup ? "" : " [not built in yet]");
}

/* A CAN: 4..10 digits. */
static void can_arg(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n < 4 || n >= size || strspn(s, "0123456789") != n) {
		fprintf(stderr, "eid-sim: --can: 4..%zu digits\n", size - 1);
		exit(2);
	}
	memcpy(dst, s, n + 1);
}

/* A password of min..size-1 digits. */
static void digits_arg(const char *opt, char *dst, size_t size, size_t min, const char *s)
{
	size_t n = strlen(s);

	if (n < min || n >= size || strspn(s, "0123456789") != n) {
		fprintf(stderr, "eid-sim: --%s: %zu..%zu digits\n", opt, min, size - 1);
		exit(2);
	}
	memcpy(dst, s, n + 1);
}

/* YYYY-MM-DD as noon UTC of that day. */
static time_t date_arg(const char *s)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || tm.tm_year < 100) {
		fprintf(stderr, "eid-sim: --date: expected YYYY-MM-DD (2000 or later)\n");
		exit(2);
	}
	tm.tm_hour = 12;
	return timegm(&tm);
}

static void parse_args(int argc, char **argv, struct cli *c)
{
	static const char *const ds_names[] = { "ok", "expired", "revoked", "unknown-csca",
						"link" };
	static const char *const alg_names[] = { "ecdsa", "rsa-pss" };
	static const char *const fmt_names[] = { "jpeg", "jp2" };
	static const char *const enc_names[] = { "19794", "39794" };
	/* in the order of enum sim_aa, after SIM_AA_PROFILE */
	static const char *const aa_names[] = { "none", "rsa", "rsa-sha256", "ecdsa" };
	struct sim_holder *h = &c->opt.holder;
	int o;

	while ((o = getopt_long(argc, argv, "hv", long_opts, NULL)) != -1) {
		switch (o) {
		case OPT_PROFILE: c->opt.profile = optarg; break;
		case OPT_VPCD: c->port = (int)num("vpcd", optarg, 1, 65534); break;
		case OPT_HOST: c->host = optarg; break;
		case OPT_CONNECT_TIMEOUT:
			c->connect_timeout_ms = (long)num("connect-timeout-ms", optarg, 0, 86400000);
			break;
		case OPT_REINSERT:
			c->reinsert_ms = (long)num("reinsert-after-ms", optarg, 0, 86400000);
			break;
		case OPT_DATA_DIR: c->opt.data_dir = optarg; break;
		case OPT_PN532: c->pn532_link = optarg; break;
		case OPT_PN532_TYPE: {
			static const char *const types[] = { "a", "b" };

			c->pn532_type = (enum pn532_target)choice("pn532-type", optarg, types, 2);
			break;
		}
		case OPT_CAN: can_arg(c->opt.can, sizeof(c->opt.can), optarg); break;
		case OPT_PIN: digits_arg("pin", c->opt.pin, sizeof(c->opt.pin), 5, optarg); break;
		case OPT_PUK: digits_arg("puk", c->opt.puk, sizeof(c->opt.puk), 10, optarg); break;
		case OPT_PIN_RETRIES:
			c->opt.pin_tries_used = 3 - (int)num("pin-retries", optarg, 0, 3);
			break;
		case OPT_EID_DEACTIVATED: c->opt.eid_deactivated = true; break;
		case OPT_CVCA: c->opt.cvca_file = optarg; break;
		case OPT_DATE: c->opt.date = date_arg(optarg); break;
		case OPT_AA:
			c->opt.aa = (enum sim_aa)(SIM_AA_NONE + choice("aa", optarg, aa_names, 4));
			break;
		case OPT_DOC: field("doc-number", h->doc_number, sizeof(h->doc_number), optarg); break;
		case OPT_DOB:
			if (strlen(optarg) == 8)
				c->opt.eid_birth_date = optarg;         /* eID DG8 */
			else
				field("dob", h->date_of_birth, sizeof(h->date_of_birth), optarg);
			break;
		case OPT_DOE:
			if (strlen(optarg) == 8)
				c->opt.eid_expiry_date = optarg;        /* eID DG3 */
			else
				field("doe", h->date_of_expiry, sizeof(h->date_of_expiry), optarg);
			break;
		case OPT_SURNAME:
			c->opt.eid_family_names = optarg;
			field("surname", h->surname, sizeof(h->surname), optarg);
			break;
		case OPT_GIVEN:
			c->opt.eid_given_names = optarg;
			field("given-names", h->given_names, sizeof(h->given_names), optarg);
			break;
		case OPT_NAT: field("nationality", h->nationality, sizeof(h->nationality), optarg); break;
		case OPT_STATE: field("issuing-state", h->issuing_state, sizeof(h->issuing_state), optarg); break;
		case OPT_SEX: field("sex", h->sex, sizeof(h->sex), optarg); break;
		case OPT_POB:
			c->opt.eid_place_of_birth = optarg;
			field("place-of-birth", h->place_of_birth, sizeof(h->place_of_birth), optarg);
			break;
		case OPT_AUTH: field("authority", h->issuing_authority, sizeof(h->issuing_authority), optarg); break;
		case OPT_FACE: c->opt.face_file = optarg; break;
		case OPT_FACE_FORMAT:
			c->opt.face_format = (enum sim_face_format)choice("face-format", optarg, fmt_names, 2);
			break;
		case OPT_FACE_ENCODING:
			c->opt.face_encoding = (enum sim_face_encoding)choice("face-encoding", optarg, enc_names, 2);
			break;
		case OPT_DS: c->opt.ds = (enum sim_ds)choice("ds", optarg, ds_names, 5); break;
		case OPT_DS_ALG: c->opt.ds_alg = (enum sim_ds_alg)choice("ds-alg", optarg, alg_names, 2); break;
		case OPT_EXPORT: c->export_dir = optarg; break;
		case OPT_MAX_LE: c->opt.max_le = num("max-le", optarg, 1, 65536); break;
		case OPT_NO_EXT: c->opt.no_extended = true; break;
		case OPT_BITRATE: c->opt.bitrate = num("bitrate", optarg, 1, 100000000); break;
		case OPT_TURNAROUND: c->opt.turnaround_us = num("turnaround-us", optarg, 0, 10000000); break;
		case OPT_REMOVE: c->opt.remove_after = num("remove-after", optarg, 1, ULONG_MAX); break;
		case OPT_CORRUPT: c->opt.corrupt_mac = num("corrupt-mac", optarg, 1, ULONG_MAX); break;
		case OPT_WRONG_HASH: c->opt.wrong_dg_hash = (int)num("wrong-dg-hash", optarg, 1, 16); break;
		case OPT_OVERSIZED:
			c->opt.oversized_tlv = optarg ? (int)num("oversized-tlv", optarg, 1, 16) : 11;
			break;
		case OPT_VERBOSE: case 'v': c->verbose = true; break;
		case OPT_LIST: list_profiles(); exit(0);
		case OPT_HELP: case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "eid-sim: unexpected argument (see --help)\n");
		exit(2);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (!stop_flag && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Serve the card; reinsert it after a removal when asked. */
static int serve(struct cli *c, struct sim_chip *chip)
{
	for (;;) {
		int r;

		if (c->verbose)
			fprintf(stderr, "eid-sim: card inserted into vpcd at %s:%d\n", c->host,
				c->port);
		r = vpcd_serve(c->host, c->port, (int)c->connect_timeout_ms, &sim_vpcd_ops, chip,
			       &stop_flag);
		if (stop_flag)
			return 0;
		if (r < 0) {
			fprintf(stderr, "eid-sim: no connection to vpcd at %s:%d\n", c->host, c->port);
			return 1;
		}
		if (!chip->removed) {
			if (c->verbose)
				fprintf(stderr, "eid-sim: vpcd closed the connection\n");
			return 0;
		}
		if (c->verbose)
			fprintf(stderr, "eid-sim: card pulled after %lu APDUs\n", chip->apdus);
		if (c->reinsert_ms < 0)
			return 0;
		sleep_ms(c->reinsert_ms);
		if (stop_flag)
			return 0;
		sim_chip_insert(chip);
	}
}

static void pn532_insert(void *card)
{
	sim_chip_insert(card);
}

/* The chip as the target of an emulated PN532 on a pty (libnfc). */
static int serve_pn532(struct cli *c, struct sim_chip *chip)
{
	struct pn532_run run = {
		.link = c->pn532_link,
		.type = c->pn532_type,
		.reinsert_ms = c->reinsert_ms,
		.insert = pn532_insert,
		.verbose = c->verbose,
	};

	return pn532_run(&run, &sim_vpcd_ops, chip, &stop_flag);
}

int main(int argc, char **argv)
{
	const struct sim_profile *prof;
	struct sim_chip *chip = NULL;
	struct sigaction sa;
	const char *why = NULL;
	char data_dir[512];
	struct cli c;
	int r;

	memset(&c, 0, sizeof(c));
	sim_options_init(&c.opt);
	c.host = "localhost";
	c.port = 35963;
	c.connect_timeout_ms = 10000;
	c.reinsert_ms = -1;
	parse_args(argc, argv, &c);

	if (!c.opt.data_dir && !(c.opt.data_dir = sim_default_data_dir(data_dir, sizeof(data_dir)))) {
		fprintf(stderr, "eid-sim: test data not found: use --data-dir or EID_SIM_DATA\n");
		return 2;
	}
	if (c.export_dir) {
		if ((r = sim_export_pki(c.opt.data_dir, c.export_dir)) < 0) {
			fprintf(stderr, "eid-sim: --export-pki: %s\n", eid_strerror(r));
			return 1;
		}
		return 0;
	}
	prof = sim_profile_find(c.opt.profile);
	if (!prof || !prof->setup) {
		fprintf(stderr, "eid-sim: profile %s %s (see --list-profiles)\n", c.opt.profile,
			prof ? "is not built in yet" : "is unknown");
		return 2;
	}
	if (c.opt.ds_alg == SIM_DS_RSA_PSS && c.opt.ds != SIM_DS_OK) {
		fprintf(stderr, "eid-sim: --ds-alg rsa-pss goes only with --ds ok\n");
		return 2;
	}
	if (!prof->eid && sim_holder_check(&c.opt.holder, &why) < 0) {
		fprintf(stderr, "eid-sim: holder data: %s\n", why);
		return 2;
	}
	if ((r = sim_chip_new(&c.opt, &chip)) < 0) {
		if (r == -EID_ENOTFOUND)
			fprintf(stderr, "eid-sim: missing test data, face file or CVCA, or no "
				"such data group for a fault\n");
		else if (r == -EID_EPARSE || r == -EID_ETOOBIG)
			fprintf(stderr, "eid-sim: the face image is not a JPEG or JPEG 2000 "
				"of at most 1 MiB with a readable size\n");
		else
			fprintf(stderr, "eid-sim: cannot build the chip: %s\n", eid_strerror(r));
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (c.verbose)
		fprintf(stderr, "eid-sim: profile %s ready\n", c.opt.profile);
	r = c.pn532_link ? serve_pn532(&c, chip) : serve(&c, chip);
	sim_chip_free(chip);
	return r;
}
