/*
 * riomap_peer: the C side of the native provider's direct-placement interop test (RiomapInteropTest):
 * librdmacm's riomap/riowrite/riounmap (rsocket(7), wire-protocol doc section 3) against a Java RdmaSocket.
 * Mapped data is rstream's -T v pattern from the start of each mapping (byte i is i mod 256), as the Java
 * side's BytePattern. Guard bytes around each mapped buffer show a write that lands outside it.
 *
 * The handshake runs over the rsocket itself: the side that maps sends, with rsend, one big-endian u64
 * pair (offset, size) per mapping; that rsend also publishes the mappings (C publishes pending iomaps at
 * the start of its next send). Single bytes then pace the steps: 'W' written, 'U' unmapped, and so on.
 * The Java test reads this program's stdout: lines in capitals are steps it waits for or asserts on, the
 * last line is "OK" or "FAIL ...", and the exit status says the same.
 *
 *   riomap_peer receive HOST PORT SIZE OFFSET
 *       connect; riomap two SIZE-byte buffers, A at OFFSET and B at -1 (its address); send both
 *       (offset, size) pairs; wait for 'W', check both byte-exact and their guards ("CHECKED"); riounmap A
 *       ("UNMAPPED"), send 'U'. Then the stale entry C leaves at the peer: the Java side writes at A's old
 *       offset and sends 'X'; report what arrived ("STALE ...") and that A was not written.
 *   riomap_peer write HOST PORT
 *       RDMA_IOMAPSIZE 1, connect; read the Java mapping's (offset, size); riowrite the pattern into it in
 *       three pieces, then one wholly past its end ("PAST n": C returns a short count, no error); send 'W'.
 *       Wait for 'U' (Java unmapped); riowrite at the old offset ("AFTER-UNMAP n"); send 'D'. Wait for a
 *       new mapping's (offset, size); riowrite 16 bytes across its end ("STRADDLE n", or "STRADDLE-SPINS"
 *       when it does not return within STRADDLE_SECONDS: section 3's `>` re-lookup test), then end.
 *
 * Build: gcc -O2 -Wall -Wextra -Werror -o riomap_peer riomap_peer.c -lrdmacm
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <rdma/rsocket.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* Longer than any step takes under emulation, shorter than the Java side waits for a line (120 s). */
#define WATCHDOG 100
#define WATCHDOG_TEXT "100"
#define STRADDLE_SECONDS 20
#define STRADDLE_TEXT "20"
#define GUARD 4096
#define GUARD_BYTE 0xA5

static const char *volatile step = "starting";

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

static void write_line(const char *a, const char *b)
{
	if (write(STDOUT_FILENO, a, strlen(a)) < 0 || write(STDOUT_FILENO, b, strlen(b)) < 0 ||
	    write(STDOUT_FILENO, "\n", 1) < 0)
		_exit(1);
}

static void watchdog(int sig)
{
	(void) sig;
	write_line("FAIL no progress for " WATCHDOG_TEXT " s, in: ", step);
	_exit(1);
}

/* The riowrite across the end of a mapping never returned: report it, then end as planned. */
static void straddle_spins(int sig)
{
	(void) sig;
	write_line("STRADDLE-SPINS riowrite across the end of a mapping still running after " STRADDLE_TEXT " s", "");
	write_line("OK", "");
	_exit(0);
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

static int connect_to(const char *host, const char *port, int iomap_size)
{
	struct sockaddr_in sin = address(host, port);
	int fd = rsocket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		fail("rsocket");
	/* How many mappings the peer may publish to us; set before connecting, as the man page says. */
	if (iomap_size && rsetsockopt(fd, SOL_RDMA, RDMA_IOMAPSIZE, &iomap_size, sizeof(iomap_size)))
		fail("rsetsockopt(RDMA_IOMAPSIZE)");
	step = "rconnect";
	if (rconnect(fd, (struct sockaddr *) &sin, sizeof(sin)))
		fail("rconnect %s:%s", host, port);
	return fd;
}

static void send_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		ssize_t ret = rsend(fd, p, len, 0);

		if (ret <= 0)
			fail("rsend");
		p += ret;
		len -= (size_t) ret;
	}
}

static void recv_all(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t ret = rrecv(fd, p, len, 0);

		if (ret < 0)
			fail("rrecv");
		if (ret == 0) {
			errno = 0;
			fail("EOF from Java, %zu bytes short", len);
		}
		p += ret;
		len -= (size_t) ret;
	}
}

static void send_byte(int fd, char c)
{
	send_all(fd, &c, 1);
}

static void expect_byte(int fd, char want, const char *what)
{
	char c;

	step = what;
	recv_all(fd, &c, 1);
	if (c != want) {
		errno = 0;
		fail("%s: got byte 0x%02x, expected '%c'", what, (unsigned char) c, want);
	}
}

/* A buffer with GUARD bytes of GUARD_BYTE on each side; returns the start of the usable part. */
static unsigned char *guarded(size_t size)
{
	unsigned char *raw = malloc(size + 2 * GUARD);

	if (!raw)
		fail("malloc");
	memset(raw, GUARD_BYTE, size + 2 * GUARD);
	return raw + GUARD;
}

static void check_guards(const unsigned char *buf, size_t size, const char *name)
{
	for (size_t i = 0; i < GUARD; i++) {
		if (buf[-1 - (long) i] != GUARD_BYTE || buf[size + i] != GUARD_BYTE) {
			errno = 0;
			fail("a write landed outside mapping %s: guard byte %zu before or after it changed", name, i);
		}
	}
}

static void check_pattern(const unsigned char *buf, size_t size, const char *name)
{
	for (size_t i = 0; i < size; i++) {
		if (buf[i] != (unsigned char) i) {
			errno = 0;
			fail("mapping %s: byte %zu is %u, expected %u", name, i, buf[i], (unsigned char) i);
		}
	}
	check_guards(buf, size, name);
}

static void put_pair(unsigned char *out, uint64_t a, uint64_t b)
{
	a = htobe64(a);
	b = htobe64(b);
	memcpy(out, &a, 8);
	memcpy(out + 8, &b, 8);
}

static void get_pair(int fd, uint64_t *a, uint64_t *b)
{
	unsigned char in[16];

	recv_all(fd, in, sizeof(in));
	memcpy(a, in, 8);
	memcpy(b, in + 8, 8);
	*a = be64toh(*a);
	*b = be64toh(*b);
}

static int receive(const char *host, const char *port, size_t size, off_t offset)
{
	int fd = connect_to(host, port, 0);
	unsigned char *a = guarded(size), *b = guarded(size), hello[32];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	off_t off_a, off_b;
	char line[160], c;
	ssize_t ret;

	step = "riomap";
	off_a = riomap(fd, a, size, PROT_WRITE, 0, offset);
	if (off_a == -1)
		fail("riomap A at %lld", (long long) offset);
	off_b = riomap(fd, b, size, PROT_WRITE, 0, -1);
	if (off_b == -1)
		fail("riomap B at -1");
	if (off_a != offset || off_b != (off_t) (uintptr_t) b) {
		errno = 0;
		fail("riomap returned offsets %lld and %lld", (long long) off_a, (long long) off_b);
	}
	put_pair(hello, (uint64_t) off_a, size);
	put_pair(hello + 16, (uint64_t) off_b, size);
	step = "rsend of the mappings";
	send_all(fd, hello, sizeof(hello));
	printf("MAPPED %lld %lld %zu\n", (long long) off_a, (long long) off_b, size);

	/* RC ordering: the 'W' arrives after every byte the Java side wrote before it. */
	expect_byte(fd, 'W', "rrecv of 'W' (the Java side wrote)");
	check_pattern(a, size, "A");
	check_pattern(b, size, "B");
	printf("CHECKED %zu bytes in A and B, guards intact\n", size);

	step = "riounmap";
	if (riounmap(fd, a, size))
		fail("riounmap A");
	printf("UNMAPPED\n");
	send_byte(fd, 'U');

	/*
	 * C tells the peer nothing about riounmap: its entry for A stays. Whatever the Java side's write at A's
	 * old offset does, A (still allocated here) must not change: its memory region is deregistered.
	 */
	step = "rpoll for 'X' or the end of the connection";
	ret = rpoll(&p, 1, 30000);
	if (ret < 0)
		fail("rpoll");
	if (ret == 0) {
		snprintf(line, sizeof(line), "nothing within 30 s");
	} else {
		ret = rrecv(fd, &c, 1, 0);
		if (ret == 1)
			snprintf(line, sizeof(line), "connection intact, got '%c'", c);
		else if (ret == 0)
			snprintf(line, sizeof(line), "EOF");
		else
			snprintf(line, sizeof(line), "rrecv error %s", strerror(errno));
	}
	step = "checking A after the stale write";
	check_pattern(a, size, "A (unmapped)");
	printf("STALE %s; A unchanged\n", line);
	/*
	 * No rclose: when the stale write broke the Java side's queue pair, rclose's disconnect message is never
	 * acknowledged and rxe retries it for ever (retry_count 7), so rclose does not return. Exiting frees all.
	 */
	return 0;
}

/* riowrite of the pattern bytes [from, from + len) of a mapping that starts at offset; returns its count. */
static size_t write_pattern(int fd, off_t offset, size_t from, size_t len)
{
	unsigned char *buf = malloc(len ? len : 1);
	size_t n;

	if (!buf)
		fail("malloc");
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char) (from + i);
	errno = 0;
	n = riowrite(fd, buf, len, offset + (off_t) from, 0);
	free(buf);
	return n;
}

static int write_mode(const char *host, const char *port)
{
	int fd = connect_to(host, port, 1);
	uint64_t offset, size;
	size_t n, cuts[4];

	step = "rrecv of the Java mapping";
	get_pair(fd, &offset, &size);
	printf("PEER-MAPPED %llu %llu\n", (unsigned long long) offset, (unsigned long long) size);
	if (size < 4096) {
		errno = 0;
		fail("a mapping of %llu bytes is too small for this test", (unsigned long long) size);
	}
	/* Three pieces, neither a multiple of riowrite's 2 KiB..64 KiB chunks nor aligned. */
	cuts[0] = 0;
	cuts[1] = 1000;
	cuts[2] = size - 1;
	cuts[3] = size;
	step = "riowrite into the Java mapping";
	for (int i = 0; i < 3; i++) {
		n = write_pattern(fd, (off_t) offset, cuts[i], cuts[i + 1] - cuts[i]);
		if (n != cuts[i + 1] - cuts[i])
			fail("riowrite of [%zu, %zu) returned %zu", cuts[i], cuts[i + 1], n);
	}
	/* Wholly past the end: C finds no mapping and returns what it wrote, 0, without an error. */
	step = "riowrite past the end of the Java mapping";
	n = write_pattern(fd, (off_t) offset, size, 64);
	printf("PAST %zu errno %d\n", n, errno);
	send_byte(fd, 'W');

	expect_byte(fd, 'U', "rrecv of 'U' (the Java side unmapped)");
	/* Java's riounmap published an empty entry before the 'U': C's lookup no longer matches the offset. */
	step = "riowrite at the unmapped offset";
	n = write_pattern(fd, (off_t) offset, 0, 64);
	printf("AFTER-UNMAP %zu errno %d\n", n, errno);
	send_byte(fd, 'D');

	step = "rrecv of the second Java mapping";
	get_pair(fd, &offset, &size);
	printf("PEER-MAPPED %llu %llu\n", (unsigned long long) offset, (unsigned long long) size);
	/*
	 * 16 bytes across the end: 8 fit. C's loop re-looks up the mapping only when offset > its end, so at
	 * offset == end it may compute a transfer of 0 bytes for ever (section 3, untested until here).
	 */
	step = "riowrite across the end of the Java mapping";
	signal(SIGALRM, straddle_spins);
	alarm(STRADDLE_SECONDS);
	n = write_pattern(fd, (off_t) offset, size - 8, 16);
	alarm(0);
	signal(SIGALRM, watchdog);
	alarm(WATCHDOG);
	printf("STRADDLE %zu errno %d\n", n, errno);
	send_byte(fd, 'S');
	rclose(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, watchdog);
	alarm(WATCHDOG);
	if (argc == 6 && !strcmp(argv[1], "receive"))
		ret = receive(argv[2], argv[3], (size_t) atol(argv[4]), (off_t) atoll(argv[5]));
	else if (argc == 4 && !strcmp(argv[1], "write"))
		ret = write_mode(argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: %s receive HOST PORT SIZE OFFSET | write HOST PORT\n", argv[0]);
		return 2;
	}
	if (!ret)
		printf("OK\n");
	return ret;
}
