/*
 * Test helper: keep VALUE (first argument, thousandths) in x87 st(0)
 * while spinning across many preemptions; exit 0 if it is still there.
 */
#include <drake/string.h>
#include <drake/sys.h>

int main(int argc, char **argv)
{
	int milli = atoi(argc > 1 ? argv[1] : "1500");
	double v = milli / 1000.0, out;
	uint64_t start = sys_uptime();
	__asm__ volatile("fldl %0" : : "m"(v));
	while (sys_uptime() < start + 60)
		;
	__asm__ volatile("fstpl %0" : "=m"(out));
	return out == v ? 0 : 1;
}
