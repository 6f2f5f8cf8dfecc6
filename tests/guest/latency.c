/*
 * Test helper: N one-tick synchronous TICKS in a row; each must complete
 * exactly one tick after it was sent, whatever else the kernel is doing
 * (its timers fire in the same tick handler). Exit 0 if all did.
 */
#include <drake/string.h>
#include <drake/sys.h>

int main(int argc, char **argv)
{
	int n = 0, late = 0;
	n = atoi(argc > 1 ? argv[1] : "20");
	for (int i = 0; i < n; i++) {
		struct msg_ticks now = {.ticks = 0}, one = {.ticks = 1};
		sys_send(&now, CMD_TICKS, sizeof(now));
		sys_send(&one, CMD_TICKS, sizeof(one));
		late += one.hdr.result != now.hdr.result + 1;
	}
	return late;
}
