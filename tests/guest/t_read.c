/*
 * Console input over the serial line (the runner types
 * "hello\nabcdef\nlast\n"): synchronous and asynchronous reads complete
 * on a whole line or on the bytes asked for, in order.
 */
#include <drake/string.h>

#include "../check.h"

static bool read_a_line(void)
{
	char buf[32] = {0};
	long n = sys_read(buf, sizeof(buf) - 1);
	if (n != 6)
		printf("  read %ld bytes: '%s'\n", n, buf);
	CHECK_EQ(n, 6);
	CHECK(!memcmp(buf, "hello\n", 6));
	return true;
}

static bool read_fewer_bytes_than_the_line(void)
{
	char buf[8];
	CHECK_EQ(sys_read(buf, 3), 3);
	CHECK(!memcmp(buf, "abc", 3));
	CHECK_EQ(sys_read(buf, sizeof(buf)), 4);
	CHECK(!memcmp(buf, "def\n", 4));
	return true;
}

static bool read_asynchronously(void)
{
	static char buf[16];
	struct msg_read r = {.buf = (drake_uaddr)buf, .len = sizeof(buf)};
	int err = sys_send_async(&r, CMD_READ, sizeof(r), NULL);
	CHECK(err == EASYNC || err == 0);
	CHECK_EQ(waitsys(NULL, &r), 0);
	CHECK_EQ(r.hdr.error, 0);
	CHECK_EQ(r.hdr.result, 5);
	CHECK(!memcmp(buf, "last\n", 5));
	return true;
}

static bool read_bad_buffer(void)
{
	CHECK_EQ(sys_read((void *)0x100000, 4), -EFAULT);
	char c;
	CHECK_EQ(sys_read(&c, 0), 0);
	return true;
}

int main(void)
{
	RUN(read_a_line);
	RUN(read_fewer_bytes_than_the_line);
	RUN(read_asynchronously);
	RUN(read_bad_buffer);
	return check_summary();
}
