/*
 * Test helper for t_smp: one task's part in a test of running on more
 * than one CPU. Each mode's exit status says what it saw:
 *   spin MS      spin MS ms of uptime; status: the CPUs it ran on (a
 *                bit each) | the longest time it went unscheduled, in
 *                ms, << 8
 *   loop         spin until killed
 *   upcall       catch SIGUSR1 by upcall, spin until it came; status:
 *                the signals caught
 *   client SVC N send N requests to service SVC; status: the CPUs it
 *                ran on (a bit each) | the wrong answers << 8
 *   write C N    N lines of 200 Cs, each one WRITE; status: the
 *                WRITEs that fell short
 *   poll SVC N   N asynchronous requests to service SVC on a queue
 *                port, collected by polling the port in user mode,
 *                never in the kernel; status: 0, or what went wrong
 *                (each must come back once, rightly answered)
 */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>

static int spin(uint32_t ms)
{
	uint64_t start = sys_uptime(), last = start, now;
	uint32_t cpus = 0, gap = 0;
	while ((now = sys_uptime()) - start < ms) {
		if (now - last > gap)
			gap = (uint32_t)(now - last);
		last = now;
		cpus |= 1u << sys_cpuinfo(NULL);
	}
	return (int)(cpus | (gap > 0x7fffff ? 0x7fffff : gap) << 8);
}

static volatile uint32_t caught;

static void on_usr1(uint32_t bits, uint32_t count, uint32_t addr,
		    uint32_t sender)
{
	(void)bits;
	(void)addr;
	(void)sender;
	caught += count;
}

static int upcall(void)
{
	if (signal_catch(SIGBIT(SIGUSR1), on_usr1) < 0)
		return -1;
	while (!caught)
		;
	return (int)caught;
}

struct smp_req {
	struct drake_request req;
	uint32_t value;
};

static int client(uint32_t service, uint32_t n)
{
	struct drake_svcport port;
	uint32_t cpus = 0;
	int wrong = 0;
	svc_port_init(&port, service);
	for (uint32_t i = 0; i < n; i++) {
		struct smp_req r = {.value = i};
		int err = svc_call(&port, &r, 1, sizeof(r));
		wrong += err || r.req.hdr.result != 3 * i + 1;
		cpus |= 1u << sys_cpuinfo(NULL);
	}
	return (int)(cpus | (uint32_t)wrong << 8);
}

enum { POLL_MAX = 48 };
static struct smp_req polled[POLL_MAX];
static uint8_t returned[POLL_MAX];

static int poll(uint32_t service, uint32_t n)
{
	struct drake_svcport svc;
	struct drake_port port;
	svc_port_init(&svc, service);
	port_init(&port, PORT_QUEUE, NULL, 0);
	if (n > POLL_MAX)
		return 1;
	for (uint32_t i = 0; i < n; i++) {
		polled[i].value = i;
		if (svc_call_async(&svc, &polled[i], 1, sizeof(polled[i]),
				   &port) != EASYNC)
			return 2;
	}
	uint32_t got = 0;
	while (got < n) {
		for (struct drake_msg *m = port_take(&port); m;
		     m = port_next(m)) {
			struct smp_req *r = (struct smp_req *)m;
			uint32_t i = (uint32_t)(r - polled);
			if (i >= n || returned[i]++ ||
			    !(m->flags & MSGF_DONE) || m->result != 3 * i + 1)
				return 3;
			got++;
		}
	}
	return port.head ? 4 : 0;
}

static int write_lines(char c, uint32_t n)
{
	char line[201];
	int short_writes = 0;
	memset(line, c, 200);
	line[200] = '\n';
	for (uint32_t i = 0; i < n; i++)
		short_writes += sys_write(line, sizeof(line)) != sizeof(line);
	return short_writes;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	uint32_t a = argc > 2 ? (uint32_t)atoi(argv[2]) : 0;
	uint32_t b = argc > 3 ? (uint32_t)atoi(argv[3]) : 0;
	if (!strcmp(mode, "spin"))
		return spin(a);
	if (!strcmp(mode, "loop"))
		for (;;)
			;
	if (!strcmp(mode, "upcall"))
		return upcall();
	if (!strcmp(mode, "client"))
		return client(a, b);
	if (!strcmp(mode, "write"))
		return write_lines(argc > 2 ? argv[2][0] : '?', b ? b : 20);
	if (!strcmp(mode, "poll"))
		return poll(a, b);
	return -1;
}
