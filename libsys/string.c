#include <drake/string.h>
#include <stdint.h>

/* A word that may alias anything, for copying four bytes at a time. */
typedef uint32_t __attribute__((may_alias)) word_t;

static int both_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (sizeof(word_t) - 1)) == 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (both_aligned(d, s)) {
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)d = *(const word_t *)s;
			d += sizeof(word_t);
			s += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	if (both_aligned(d, d)) {
		word_t w = 0x01010101u * (unsigned char)c;
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)d = w;
			d += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

int atoi(const char *s)
{
	int sign = *s == '-' ? -1 : 1;
	int v = 0;
	if (*s == '-')
		s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}
