/*
 * rsocket_peer: a C librdmacm rsocket peer for the native provider's interop tests (RsocketApiInteropTest).
 * Each mode exercises one part of the rsocket API (rsocket(7)) against a Java RdmaSocket/RdmaServerSocket;
 * the data in each direction is a running byte counter (0, 1, ... 255, 0, ...), as rstream's -T v, so
 * both sides check every byte. The Java test reads this program's stdout: lines in capitals are the
 * handshakes it waits for, the last line is "OK" or "FAIL ...", and the exit status says the same.
 *
 *   rsocket_peer peek      HOST PORT N  connect; the Java side sends N bytes: rrecv(MSG_PEEK) must show the
 *                                       bytes without consuming them, then echo all N back
 *   rsocket_peer halfclose HOST PORT N  connect; send N bytes, rshutdown(SHUT_WR); read the Java side's
 *                                       reply to EOF (N bytes), then rclose
 *   rsocket_peer serve     HOST PORT    listen (prints "LISTENING port"); accept one; read to EOF, echo
 *                                       every byte back, rshutdown(SHUT_WR), wait for the Java EOF, rclose
 *   rsocket_peer poll      HOST PORT N  nonblocking rconnect completed by rpoll(POLLOUT); rpoll(POLLIN) times
 *                                       out while the Java side is silent ("IDLE"), then reports its 100 bytes;
 *                                       send until EAGAIN while Java does not read ("FULL"), then
 *                                       rpoll(POLLOUT) reports the space Java's credits give; N bytes in all
 *   rsocket_peer flood     HOST PORT    connect; send forever (blocking) until an error: for the dead-peer
 *                                       tests, which kill this process or the Java side
 *   rsocket_peer sink      HOST PORT    connect; read (blocking) until EOF or an error, print which
 *
 * Build: gcc -O2 -Wall -Wextra -Werror -o rsocket_peer rsocket_peer.c -lrdmacm
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <rdma/rsocket.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
/* Longer than any step takes under emulation, shorter than the Java side waits for a line (120 s). */
#define WATCHDOG 100
#define WATCHDOG_TEXT "100"
/* What the Java side sends in the poll test once it hears IDLE. */
#define POLL_GREETING 100

/* What the program is doing: the watchdog names it when a call never returns. */
static const char *volatile step = "starting";
static unsigned char sent_pattern;
static unsigned char recv_pattern;
static long long recv_total;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno %d: %s)\n", errno, strerror(errno));
	fflush(stdout);
	exit(1);
}

static void watchdog(int sig)
{
	static const char prefix[] = "FAIL no progress for " WATCHDOG_TEXT " s, in: ";
	const char *what = step;

	(void) sig;
	if (write(STDOUT_FILENO, prefix, sizeof(prefix) - 1) < 0 ||
	    write(STDOUT_FILENO, what, strlen(what)) < 0 || write(STDOUT_FILENO, "\n", 1) < 0)
		_exit(1);
	_exit(1);
}

static void say(const char *line)
{
	printf("%s\n", line);
	fflush(stdout);
}

static void fill(unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = sent_pattern++;
}

static void check(const unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++, recv_total++) {
		if (buf[i] != recv_pattern++) {
			errno = 0;
			fail("byte %lld from Java is %u, expected %u", recv_total, buf[i],
			     (unsigned char) (recv_pattern - 1));
		}
	}
}

static struct sockaddr_in address(const char *host, const char *port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t) atoi(port));
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		errno = EINVAL;
		fail("not an IPv4 address: %s", host);
	}
	return sin;
}

static int connect_to(const char *host, const char *port)
{
	struct sockaddr_in sin = address(host, port);
	int fd = rsocket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		fail("rsocket");
	step = "rconnect";
	if (rconnect(fd, (struct sockaddr *) &sin, sizeof(sin)))
		fail("rconnect %s:%s", host, port);
	return fd;
}

static void send_all(int fd, size_t len)
{
	unsigned char buf[CHUNK];

	step = "rsend";
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		ssize_t ret;

		fill(buf, n);
		for (size_t off = 0; off < n; off += (size_t) ret) {
			ret = rsend(fd, buf + off, n - off, 0);
			if (ret <= 0)
				fail("rsend");
		}
		len -= n;
	}
}

/* Reads exactly len bytes; an early EOF fails. */
static void recv_exactly(int fd, size_t len)
{
	unsigned char buf[CHUNK];

	step = "rrecv";
	while (len) {
		ssize_t ret = rrecv(fd, buf, len < sizeof(buf) ? len : sizeof(buf), 0);

		if (ret < 0)
			fail("rrecv");
		if (ret == 0) {
			errno = 0;
			fail("EOF from Java after %lld bytes, %zu short", recv_total, len);
		}
		check(buf, (size_t) ret);
		len -= (size_t) ret;
	}
}

static void expect_eof(int fd)
{
	char c;
	ssize_t ret;

	step = "rrecv for the Java side's EOF";
	ret = rrecv(fd, &c, 1, 0);

	if (ret != 0)
		fail("rrecv after the Java side's shutdown returned %zd, not EOF", ret);
}

static int peek(const char *host, const char *port, size_t n)
{
	int fd = connect_to(host, port);
	unsigned char *seen = malloc(n), *again = malloc(n), *taken = malloc(n);
	size_t done = 0;
	ssize_t k, ret;

	/*
	 * A blocking peek returns what has arrived (at least one byte) and leaves it queued: a second peek sees
	 * the same bytes, and a read takes exactly them. C rsocket peeks only at messages it has already taken
	 * from the completion queue, so each round may see a part of the N bytes.
	 */
	while (done < n) {
		k = rrecv(fd, seen, n - done, MSG_PEEK);
		if (k <= 0)
			fail("rrecv(MSG_PEEK) after %zu bytes", done);
		ret = rrecv(fd, again, (size_t) k, MSG_PEEK);
		if (ret != k || memcmp(seen, again, (size_t) k))
			fail("a second MSG_PEEK saw %zd other bytes than the first's %zd", ret, k);
		for (ssize_t got = 0; got < k; got += ret) {
			ret = rrecv(fd, taken + done + got, (size_t) (k - got), 0);
			if (ret <= 0)
				fail("rrecv after MSG_PEEK");
		}
		if (memcmp(seen, taken + done, (size_t) k)) {
			errno = 0;
			fail("rrecv returned other bytes than MSG_PEEK showed");
		}
		done += (size_t) k;
	}
	check(taken, n);
	/* Echo: the Java side checks that what was peeked and read arrived whole and in order. */
	for (size_t off = 0; off < n; off += (size_t) ret) {
		ret = rsend(fd, taken + off, n - off, 0);
		if (ret <= 0)
			fail("rsend");
	}
	expect_eof(fd);
	rclose(fd);
	free(seen);
	free(again);
	free(taken);
	return 0;
}

static int halfclose(const char *host, const char *port, size_t n)
{
	int fd = connect_to(host, port);

	send_all(fd, n);
	if (rshutdown(fd, SHUT_WR))
		fail("rshutdown(SHUT_WR)");
	/* After our SHUT_WR the connection still carries the Java side's data, then its EOF. */
	recv_exactly(fd, n);
	/*
	 * Not checked: that rsend now fails. C rsocket's rsend tests rs_writable only when it has to wait for
	 * credits, so with credits it sends after SHUT_WR (librdmacm 44).
	 */
	expect_eof(fd);
	rclose(fd);
	return 0;
}

static int serve(const char *host, const char *port)
{
	struct sockaddr_in sin = address(host, port);
	socklen_t len = sizeof(sin);
	int lfd = rsocket(AF_INET, SOCK_STREAM, 0), fd;
	unsigned char buf[CHUNK];
	char line[64];
	ssize_t ret;

	if (lfd < 0)
		fail("rsocket");
	if (rbind(lfd, (struct sockaddr *) &sin, sizeof(sin)))
		fail("rbind");
	if (rlisten(lfd, 1))
		fail("rlisten");
	if (rgetsockname(lfd, (struct sockaddr *) &sin, &len))
		fail("rgetsockname");
	snprintf(line, sizeof(line), "LISTENING %u", ntohs(sin.sin_port));
	say(line);
	fd = raccept(lfd, NULL, NULL);
	if (fd < 0)
		fail("raccept");
	/* Echo the bytes as they come, until the Java side's shutdownOutput. */
	while ((ret = rrecv(fd, buf, sizeof(buf), 0)) > 0) {
		check(buf, (size_t) ret);
		for (ssize_t off = 0, w; off < ret; off += w) {
			w = rsend(fd, buf + off, (size_t) (ret - off), 0);
			if (w <= 0)
				fail("rsend");
		}
	}
	if (ret < 0)
		fail("rrecv");
	if (rshutdown(fd, SHUT_WR))
		fail("rshutdown(SHUT_WR)");
	rclose(fd);
	rclose(lfd);
	return 0;
}

static int poll_one(int fd, short events, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = events};
	int ret = rpoll(&p, 1, timeout_ms);

	if (ret < 0)
		fail("rpoll");
	if (ret && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) && !(p.revents & events)) {
		errno = 0;
		fail("rpoll revents 0x%x", p.revents);
	}
	return ret ? p.revents : 0;
}

static int poll_test(const char *host, const char *port, size_t n)
{
	struct sockaddr_in sin = address(host, port);
	unsigned char buf[CHUNK];
	size_t sent = 0;
	int fd = rsocket(AF_INET, SOCK_STREAM, 0), err = 0;
	socklen_t errlen = sizeof(err);
	ssize_t ret;

	if (fd < 0)
		fail("rsocket");
	if (rfcntl(fd, F_SETFL, O_NONBLOCK))
		fail("rfcntl(O_NONBLOCK)");
	if (rconnect(fd, (struct sockaddr *) &sin, sizeof(sin)) == 0)
		say("connected at once");
	else if (errno != EINPROGRESS)
		fail("nonblocking rconnect");
	step = "rpoll(POLLOUT) for the connection";
	if (!(poll_one(fd, POLLOUT, 60000) & POLLOUT)) {
		errno = ETIMEDOUT;
		fail("rpoll(POLLOUT) for the connection");
	}
	if (rgetsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) || err) {
		errno = err;
		fail("SO_ERROR after the connection");
	}

	/* Readability: nothing until the Java side hears IDLE. */
	step = "rpoll(POLLIN, 300 ms) while the Java side is silent";
	if (poll_one(fd, POLLIN, 300) & POLLIN) {
		errno = 0;
		fail("rpoll reported POLLIN before the Java side sent anything");
	}
	if (rrecv(fd, buf, 1, 0) != -1 || (errno != EAGAIN && errno != EWOULDBLOCK))
		fail("rrecv on an idle nonblocking rsocket did not fail with EAGAIN");
	say("IDLE");
	step = "rpoll(POLLIN) for the Java side's 100 bytes";
	if (!(poll_one(fd, POLLIN, 60000) & POLLIN)) {
		errno = ETIMEDOUT;
		fail("rpoll(POLLIN) after the Java side sent");
	}
	for (size_t got = 0; got < POLL_GREETING; got += (size_t) ret) {
		if (got && !(poll_one(fd, POLLIN, 60000) & POLLIN)) {
			errno = ETIMEDOUT;
			fail("rpoll(POLLIN) for the rest of the Java side's %d bytes", POLL_GREETING);
		}
		ret = rrecv(fd, buf, POLL_GREETING - got, 0);
		if (ret <= 0)
			fail("rrecv after POLLIN");
		check(buf, (size_t) ret);
	}

	/* Writability: fill the path until EAGAIN while the Java side does not read. */
	step = "rsend until EAGAIN";
	for (;;) {
		size_t want = n - sent < sizeof(buf) ? n - sent : sizeof(buf);

		if (!want) {
			errno = 0;
			fail("%zu bytes never filled the Java side's buffer", n);
		}
		fill(buf, want);
		ret = rsend(fd, buf, want, 0);
		if (ret < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			sent_pattern -= (unsigned char) want;
			break;
		}
		if (ret <= 0)
			fail("rsend");
		sent += (size_t) ret;
		sent_pattern -= (unsigned char) (want - (size_t) ret);
	}
	/*
	 * Not checked: that rpoll(POLLOUT, 300 ms) now times out. With librdmacm 44 on rxe it did not return
	 * at all (the watchdog fired after 100 s), so the test checks what matters for interop: that the Java
	 * side's credits wake an rpoll waiting for POLLOUT.
	 */
	say("FULL");
	step = "rpoll(POLLOUT) and rsend while the Java side reads";
	while (sent < n) {
		size_t want = n - sent < sizeof(buf) ? n - sent : sizeof(buf);

		if (!(poll_one(fd, POLLOUT, 60000) & POLLOUT)) {
			errno = ETIMEDOUT;
			fail("rpoll(POLLOUT) while the Java side reads, %zu bytes sent", sent);
		}
		fill(buf, want);
		ret = rsend(fd, buf, want, 0);
		if (ret < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			ret = 0;
		else if (ret <= 0)
			fail("rsend");
		sent += (size_t) ret;
		sent_pattern -= (unsigned char) (want - (size_t) ret);
	}
	step = "rshutdown and rpoll for the Java side's EOF";
	if (rshutdown(fd, SHUT_WR))
		fail("rshutdown(SHUT_WR)");
	/* EOF is readable too. */
	if (!(poll_one(fd, POLLIN, 60000) & (POLLIN | POLLHUP))) {
		errno = ETIMEDOUT;
		fail("rpoll for the Java side's EOF");
	}
	if (rrecv(fd, buf, 1, 0) != 0)
		fail("rrecv at the Java side's EOF");
	rclose(fd);
	return 0;
}

static int flood(const char *host, const char *port)
{
	int fd = connect_to(host, port);
	unsigned char buf[CHUNK];
	long long total = 0;

	say("CONNECTED");
	for (;;) {
		ssize_t ret;

		fill(buf, sizeof(buf));
		ret = rsend(fd, buf, sizeof(buf), 0);
		if (ret <= 0) {
			printf("ERROR rsend after %lld bytes: %s\n", total, strerror(errno));
			return 2;
		}
		total += ret;
		sent_pattern -= (unsigned char) (sizeof(buf) - (size_t) ret);
	}
}

static int sink(const char *host, const char *port)
{
	int fd = connect_to(host, port);
	unsigned char buf[CHUNK];
	ssize_t ret;

	say("CONNECTED");
	while ((ret = rrecv(fd, buf, sizeof(buf), 0)) > 0)
		;
	if (ret == 0) {
		printf("EOF\n");
		return 3;
	}
	printf("ERROR rrecv: %s\n", strerror(errno));
	return 2;
}

int main(int argc, char **argv)
{
	int ret = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The tests' modes end on their own; the dead-peer ones (flood, sink) are meant to wait for as long as it takes. */
	if (argc > 1 && strcmp(argv[1], "flood") && strcmp(argv[1], "sink")) {
		signal(SIGALRM, watchdog);
		alarm(WATCHDOG);
	}
	if (argc == 5 && !strcmp(argv[1], "peek"))
		ret = peek(argv[2], argv[3], (size_t) atol(argv[4]));
	else if (argc == 5 && !strcmp(argv[1], "halfclose"))
		ret = halfclose(argv[2], argv[3], (size_t) atol(argv[4]));
	else if (argc == 4 && !strcmp(argv[1], "serve"))
		ret = serve(argv[2], argv[3]);
	else if (argc == 5 && !strcmp(argv[1], "poll"))
		ret = poll_test(argv[2], argv[3], (size_t) atol(argv[4]));
	else if (argc == 4 && !strcmp(argv[1], "flood"))
		return flood(argv[2], argv[3]);
	else if (argc == 4 && !strcmp(argv[1], "sink"))
		return sink(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: %s peek|halfclose|poll HOST PORT BYTES | serve|flood|sink HOST PORT\n",
			argv[0]);
		return 2;
	}
	if (!ret)
		say("OK");
	return ret;
}
