/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vpcd.h"

#define VPCD_MAX 65538

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int connect_once(const char *host, int port)
{
	struct addrinfo hints, *res = NULL, *ai;
	char service[16];
	int fd = -1, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%d", port);
	if (getaddrinfo(host, service, &hints, &res) != 0)
		return -1;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Read exactly n bytes; 0 on success, 1 on a clean EOF before any byte, -1 on error. */
static int read_full(int fd, uint8_t *buf, size_t n, volatile bool *stop)
{
	size_t got = 0;
	int one = 1;

	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (stop && *stop)
			return -1;
		/* vpcd writes length and payload separately: without QUICKACK
		 * every APDU waits for a delayed ACK.  It does not stick. */
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		r = poll(&p, 1, 200);
		if (r == 0)
			continue;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		r = read(fd, buf + got, n - got);
		if (r == 0)
			return got == 0 ? 1 : -1;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

static int write_msg(int fd, const uint8_t *data, size_t n)
{
	uint8_t *buf = malloc(n + 2);
	size_t off = 0;

	if (!buf)
		return -1;
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, data, n);
	while (off < n + 2) {
		ssize_t w = write(fd, buf + off, n + 2 - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		off += (size_t)w;
	}
	free(buf);
	return 0;
}

int vpcd_serve(const char *host, int port, int connect_timeout_ms,
	       const struct vpcd_card_ops *ops, void *ctx, volatile bool *stop)
{
	long deadline = now_ms() + connect_timeout_ms;
	uint8_t *in = NULL, *out = NULL;
	int fd, ret = -1;

	while ((fd = connect_once(host, port)) < 0) {
		if (now_ms() >= deadline || (stop && *stop))
			return -1;
		usleep(50 * 1000);
	}
	in = malloc(VPCD_MAX);
	out = malloc(VPCD_MAX);
	if (!in || !out)
		goto out;
	for (;;) {
		uint8_t hdr[2];
		size_t len, rlen;
		int r = read_full(fd, hdr, 2, stop);

		if (r == 1) {
			ret = 0; /* vpcd closed the connection */
			break;
		}
		if (r < 0)
			break;
		len = (size_t)hdr[0] << 8 | hdr[1];
		if (len == 0 || read_full(fd, in, len, stop) != 0)
			break;
		if (len == 1) {
			switch (in[0]) {
			case 0x00: /* power off */
			case 0x01: /* power on */
			case 0x02: /* reset */
				ops->reset(ctx);
				continue;
			case 0x04: /* get ATR */
				rlen = ops->atr(ctx, out, 33);
				if (write_msg(fd, out, rlen) < 0)
					goto out;
				continue;
			default:
				continue;
			}
		}
		rlen = ops->apdu(ctx, in, len, out, VPCD_MAX);
		if (write_msg(fd, out, rlen) < 0)
			break;
		if (ops->removed && ops->removed(ctx)) {
			ret = 0;
			break;
		}
	}
out:
	free(in);
	free(out);
	close(fd);
	return ret;
}
