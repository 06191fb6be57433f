/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ini.h>

#include "eid.h"
#include "read.h"
#include "conf.h"
#include "log.h"

#define MAX_VALUE 4096

void eidd_config_init(struct eidd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->allow_bac = true;
	c->log_level = LOG_INFO;
	c->log_target = EIDD_LOG_AUTO;
	c->expiry_seconds = 600;
}

static void free_list(char **list, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free(list[i]);
		list[i] = NULL;
	}
	*n = 0;
}

void eidd_config_clear(struct eidd_config *c)
{
	free_list(c->trust, &c->n_trust);
	free_list(c->terminal_certs, &c->n_terminal_certs);
	free_list(c->drivers, &c->n_drivers);
	free(c->terminal_key);
	free(c->audit_file);
	eidd_config_init(c);
}

int eidd_config_add(char **list, size_t *n, size_t max, const char *value)
{
	if (*n >= max)
		return -EID_ETOOBIG;
	if (!(list[*n] = strdup(value)))
		return -EID_ENOMEM;
	(*n)++;
	return 0;
}

static int set_str(char **dst, const char *value)
{
	char *s = strdup(value);

	if (!s)
		return -EID_ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

int eidd_config_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; s && i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EID_EINVAL;
}

int eidd_config_parse_dgs(const char *s, uint32_t *mask)
{
	char buf[256], *save = NULL, *tok;
	uint32_t m = 0;

	if (!s || strlen(s) >= sizeof(buf))
		return -EID_EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		int dg;

		if (eid_read_parse_dg(tok, &dg) < 0 || dg < 1 || dg > 22)
			return -EID_EINVAL;
		m |= 1u << dg;
	}
	*mask = m;
	return 0;
}

static int parse_drivers(struct eidd_config *c, const char *s)
{
	char buf[256], *save = NULL, *tok;
	int r;

	if (strlen(s) >= sizeof(buf))
		return -EID_EINVAL;
	strcpy(buf, s);
	free_list(c->drivers, &c->n_drivers);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (strcmp(tok, "pcsc") && strcmp(tok, "nfc"))
			return -EID_EINVAL;
		if ((r = eidd_config_add(c->drivers, &c->n_drivers, EIDD_MAX_DRIVERS, tok)) < 0)
			return r;
	}
	return 0;
}

struct load_ctx {
	struct eidd_config *c;
	const char *name;
	int err;
	int err_line;         /* line of the first handler error */
	char why[160];
	/* the input, read line by line so errors name their line */
	FILE *f;
	const char *text;
	int line;
};

static char *read_line(char *buf, int size, void *stream)
{
	struct load_ctx *l = stream;

	if (size < 2)
		return NULL;
	if (l->f) {
		if (!fgets(buf, size, l->f))
			return NULL;
	} else {
		size_t n = 0;

		if (!*l->text)
			return NULL;
		while (l->text[n] && l->text[n] != '\n' && n + 1 < (size_t)size)
			n++;
		if (l->text[n] == '\n' && n + 1 < (size_t)size)
			n++;
		memcpy(buf, l->text, n);
		buf[n] = '\0';
		l->text += n;
	}
	l->line++;
	return buf;
}

/* inih handler: 1 to go on, 0 to stop with an error at this line. */
static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct load_ctx *l = user;
	struct eidd_config *c = l->c;
	char ckey[48], csec[48];
	int r = 0;

	if (l->err)
		return 0; /* keep the first error */
	l->err_line = l->line;
	eidd_log_clean(key, ckey, sizeof(ckey));
	eidd_log_clean(section, csec, sizeof(csec));
	key = ckey;
	section = csec;
#define IS(s, k) (!strcmp(section, s) && !strcmp(key, k))
	if (strlen(value) > MAX_VALUE) {
		snprintf(l->why, sizeof(l->why), "value of '%s' too long", key);
		l->err = -EID_ETOOBIG;
		return 0;
	}
	if (IS("trust", "path")) {
		r = eidd_config_add(c->trust, &c->n_trust, EIDD_MAX_PATHS, value);
	} else if (IS("terminal", "certificate")) {
		r = eidd_config_add(c->terminal_certs, &c->n_terminal_certs, EIDD_MAX_PATHS, value);
	} else if (IS("terminal", "key")) {
		r = set_str(&c->terminal_key, value);
	} else if (IS("drivers", "use")) {
		r = parse_drivers(c, value);
	} else if (IS("read", "data_groups")) {
		r = eidd_config_parse_dgs(value, &c->data_groups);
	} else if (IS("read", "allow_bac")) {
		r = eidd_config_parse_bool(value, &c->allow_bac);
	} else if (IS("log", "level")) {
		int lv = eidd_log_parse_level(value);

		r = lv < 0 ? -EID_EINVAL : 0;
		if (!r)
			c->log_level = lv;
	} else if (IS("log", "target")) {
		int t = eidd_log_parse_target(value);

		r = t < 0 ? -EID_EINVAL : 0;
		if (!r)
			c->log_target = t;
	} else if (IS("audit", "file")) {
		r = *value ? set_str(&c->audit_file, value) : 0;
	} else if (IS("session", "expiry")) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(value, &end, 10);
		r = errno || end == value || *end || v < 1 || v > 86400 || value[0] == '-' ?
			    -EID_EINVAL : 0;
		if (!r)
			c->expiry_seconds = (unsigned)v;
	} else {
		snprintf(l->why, sizeof(l->why), "unknown key '%.40s' in section [%.40s]", key,
			 section);
		l->err = -EID_EPARSE;
		return 0;
	}
#undef IS
	if (r < 0) {
		if (r == -EID_ETOOBIG)
			snprintf(l->why, sizeof(l->why), "too many values for '%.40s'", key);
		else if (r == -EID_ENOMEM)
			snprintf(l->why, sizeof(l->why), "out of memory");
		else
			snprintf(l->why, sizeof(l->why), "bad value for '%.40s' in [%.40s]", key,
				 section);
		l->err = r == -EID_ENOMEM ? r : -EID_EPARSE;
		return 0;
	}
	return 1;
}

static int finish(struct load_ctx *l, int line)
{
	char clean[256];

	if (line == 0)
		return 0;
	eidd_log_clean(l->name, clean, sizeof(clean));
	if (line == -2) {
		snprintf(l->c->error, sizeof(l->c->error), "%s: out of memory", clean);
		return -EID_ENOMEM;
	}
	if (!l->err || line < l->err_line) {
		snprintf(l->why, sizeof(l->why), "syntax error");
		l->err = -EID_EPARSE;
	} else {
		line = l->err_line;
	}
	snprintf(l->c->error, sizeof(l->c->error), "%s:%d: %s", clean, line, l->why);
	return l->err ? l->err : -EID_EPARSE;
}

int eidd_config_load(struct eidd_config *c, const char *path, bool missing_ok)
{
	struct load_ctx l = { .c = c, .name = path };
	char clean[256];
	FILE *f;
	int r;

	c->error[0] = '\0';
	f = fopen(path, "re");
	if (!f) {
		if (missing_ok && errno == ENOENT)
			return 0;
		snprintf(c->error, sizeof(c->error), "%s: %s",
			 eidd_log_clean(path, clean, sizeof(clean)), strerror(errno));
		return -EID_ENOTFOUND;
	}
	l.f = f;
	r = ini_parse_stream(read_line, &l, handler, &l);
	fclose(f);
	return finish(&l, r);
}

int eidd_config_load_string(struct eidd_config *c, const char *text, const char *name)
{
	struct load_ctx l = { .c = c, .name = name, .text = text };

	c->error[0] = '\0';
	return finish(&l, ini_parse_stream(read_line, &l, handler, &l));
}
