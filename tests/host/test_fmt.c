/* The shared printf formatter (libsys/fmt.c), as kernel and libsys use it. */
#include <string.h>

#include "../../libsys/fmt.c"
#include "../check.h"

static char out[128];

#define FMT(...) (fmt_snprintf(out, sizeof(out), __VA_ARGS__), out)

static bool fmt_signed_decimal(void)
{
	CHECK(!strcmp(FMT("%d %i", -42, 7), "-42 7"));
	CHECK(!strcmp(FMT("%d", -2147483647 - 1), "-2147483648"));
	CHECK(!strcmp(FMT("%ld", -5L), "-5"));
	CHECK(!strcmp(FMT("%lld", -9000000000LL), "-9000000000"));
	return true;
}

static bool fmt_unsigned_and_hex(void)
{
	CHECK(!strcmp(FMT("%u", 4294967295u), "4294967295"));
	CHECK(!strcmp(FMT("%x %X", 0xbeefu, 0xbeefu), "beef BEEF"));
	CHECK(!strcmp(FMT("%llx", 0x123456789abcdefULL), "123456789abcdef"));
	CHECK(!strcmp(FMT("%llu", 18446744073709551615ULL),
		      "18446744073709551615"));
	return true;
}

static bool fmt_width_and_padding(void)
{
	CHECK(!strcmp(FMT("%08x", 0x1234u), "00001234"));
	CHECK(!strcmp(FMT("%5d|", 42), "   42|"));
	CHECK(!strcmp(FMT("%-5d|", 42), "42   |"));
	CHECK(!strcmp(FMT("%05d", -42), "-0042"));
	CHECK(!strcmp(FMT("%3s|%-3s|", "a", "b"), "  a|b  |"));
	return true;
}

static bool fmt_strings_chars_pointers(void)
{
	CHECK(!strcmp(FMT("%s %c%c", "drake", 'o', 'k'), "drake ok"));
	const char *volatile none = NULL; /* hidden from -Wformat */
	CHECK(!strcmp(FMT("%s", none), "(null)"));
	CHECK(!strcmp(FMT("%p", (void *)0x1000), "0x1000"));
	CHECK(!strcmp(FMT("100%%"), "100%"));
	return true;
}

static bool fmt_truncates_and_counts(void)
{
	char small[6];
	int n = fmt_snprintf(small, sizeof(small), "%s", "truncated");
	CHECK(n == 9);
	CHECK(!strcmp(small, "trunc"));
	CHECK(fmt_snprintf(NULL, 0, "%d", 12345) == 5);
	return true;
}

int main(void)
{
	RUN(fmt_signed_decimal);
	RUN(fmt_unsigned_and_hex);
	RUN(fmt_width_and_padding);
	RUN(fmt_strings_chars_pointers);
	RUN(fmt_truncates_and_counts);
	return check_summary();
}
