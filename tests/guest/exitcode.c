/* Test helper: exit with the status given as the first argument. */
#include <drake/sys.h>

static int parse_int(const char *s)
{
	int sign = 1, v = 0;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}

int main(int argc, char **argv)
{
	return argc > 1 ? parse_int(argv[1]) : 0;
}
