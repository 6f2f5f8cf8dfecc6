/*
 * The fuzzer's bystander (tests/guest/fuzz.c): `fuzzby beat GAP_MS`
 * sleeps 10 ms in a loop and counts its beats until a SIGTERM arrives
 * on its signal message, then prints what it saw and exits with the
 * number of beats, or with -1 - (longest gap, at most 998 ms) when two
 * beats were ever more than GAP_MS apart. Started any other way (a fuzz
 * child spawning it with garbage arguments) it exits at once.
 *
 * The SIGTERM is caught with a raw live SIGNAL message on a queue port
 * that the loop polls: no upcalls, nothing that depends on the layout
 * of libsys' signal callback.
 */
#include <drake/string.h>
#include <drake/sys.h>

static struct msg_signal stop_msg;
static struct drake_port stop_port;

int main(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "beat"))
		return 0;
	uint32_t gap_limit = (uint32_t)atoi(argv[2]);
	port_init(&stop_port, PORT_QUEUE, NULL, 0);
	stop_msg.mask = SIGBIT(SIGTERM);
	stop_msg.hdr.flags = MSGF_LIVE;
	int err =
	    sys_send_async(&stop_msg, CMD_SIGNAL, sizeof(stop_msg), &stop_port);
	if (err != EASYNC) {
		printf("fuzzby: cannot catch SIGTERM: %s\n", strerror(err));
		return -1000;
	}
	uint64_t start = sys_uptime(), last = start;
	uint32_t beats = 0, max_gap = 0;
	while (!stop_port.head) {
		sys_sleep(10);
		beats++;
		uint64_t now = sys_uptime();
		if (now - last > max_gap)
			max_gap = (uint32_t)(now - last);
		last = now;
	}
	printf("fuzzby: %u beats in %u ms, longest gap %u ms\n", beats,
	       (uint32_t)(last - start), max_gap);
	if (max_gap > gap_limit)
		return -1 - (int)(max_gap > 998 ? 998 : max_gap);
	return (int)beats;
}
