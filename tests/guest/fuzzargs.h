/* The fuzzer's driver and children read their numbers the same way:
 * decimal, or hex after 0x, up to the first other character. */
#ifndef DRAKE_FUZZARGS_H
#define DRAKE_FUZZARGS_H

#include <stdint.h>

static inline uint32_t parse_u32(const char *s)
{
	uint32_t v = 0, base = 10;
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		uint32_t d;
		if (*s >= '0' && *s <= '9')
			d = (uint32_t)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (uint32_t)(*s - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	return v;
}

#endif
