/*
 * scale [N [K]]: does Drake go faster with more CPUs? (issue 14: `make
 * scale` boots it under -smp 1 and -smp 2 and compares the two.) It
 * times, in wall-clock ms of sys_uptime():
 *   - one child spinning through N rounds of xorshift (integers only,
 *     no messages): the reference;
 *   - two such children at once: on one CPU they take twice as long,
 *     on two CPUs working in parallel about as long as one;
 *   - K request/reply round trips between this task (the server) and
 *     a child (the client): the message path between two tasks.
 * Every task samples sys_cpuinfo() as it goes, so each line says on
 * which CPUs the work ran ("0+1": a task seen on both). A child that
 * fails, or a wrong answer, makes scale exit 1.
 *
 * The children are this program again: "scale spin N" and "scale pong
 * SERVICE K". A spinner prints its sum, which depends on N alone, and
 * exits with part of it: every spinner must agree, for a task moved
 * between CPUs must not lose its registers on the way.
 */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/svc.h>
#include <drake/sys.h>
#include <stdbool.h>

#define SPIN_DEFAULT 450000000u /* about 0.7 s alone under QEMU TCG */
#define PONG_DEFAULT 60000u	/* about 0.7 s of round trips */
#define CHUNK	     65536u	/* spins between two CPU samples */

/* This CPU as a bit, for the set of CPUs a task was seen on (Drake
 * uses at most 8: MAX_CPUS, docs/smp.md). */
static uint32_t cpu_bit(void)
{
	int cpu = sys_cpuinfo(NULL);
	return cpu >= 0 && cpu < 8 ? 1u << cpu : 0;
}

/* A set of CPUs as "0", "1" or "0+1"; "?" for none. */
static const char *cpu_set(uint32_t mask, char *buf, uint32_t len)
{
	uint32_t at = 0;
	for (int cpu = 0; cpu < 8; cpu++)
		if (mask & 1u << cpu)
			at += (uint32_t)fmt_snprintf(buf + at, len - at, "%s%d",
						     at ? "+" : "", cpu);
	if (!at)
		fmt_snprintf(buf, len, "?");
	return buf;
}

/* "scale spin N": xorshift32, summed, so that no round can be skipped.
 * Exits with the sum's low 23 bits above the set of CPUs it ran on
 * (positive, as no killed task's status is). */
static int spin(uint32_t n)
{
	uint32_t x = 2463534242u, sum = 0, cpus = cpu_bit();
	for (uint32_t done = 0; done < n;) {
		uint32_t end = n - done < CHUNK ? n : done + CHUNK;
		for (; done < end; done++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			sum += x;
		}
		cpus |= cpu_bit();
	}
	printf("scale: spin %u: sum %08x\n", n, sum);
	return (int)((sum & 0x7fffff) << 8 | (cpus & 0xff));
}

/* n spinners at once, from their spawn to the last one's exit; each
 * one's CPU set goes in cpus[]. Answers the ms, or -1. */
static int64_t spinners(int n, uint32_t rounds, uint32_t cpus[])
{
	static int sum = -1; /* the first spinner's */
	char args[24];
	int tids[2];
	fmt_snprintf(args, sizeof(args), "spin %u", rounds);
	uint64_t start = sys_uptime();
	for (int i = 0; i < n; i++)
		tids[i] = sys_spawn("scale", args);
	int64_t ms = 0;
	for (int i = 0; i < n; i++) {
		int status = -1;
		if (tids[i] < 0 || sys_wait(tids[i], &status) != 0 ||
		    status <= 0 || !(status & 0xff)) {
			printf("scale: spinner %d failed (tid %d, status %d)\n",
			       i, tids[i], status);
			ms = -1;
		} else if (sum >= 0 && status >> 8 != sum) {
			printf("scale: spinner %d's sum differs: %06x, not "
			       "%06x\n",
			       i, status >> 8, sum);
			ms = -1;
		}
		if (sum < 0 && status > 0)
			sum = status >> 8;
		cpus[i] = (uint32_t)status & 0xff;
	}
	return ms < 0 ? ms : (int64_t)(sys_uptime() - start);
}

/* "scale pong SERVICE K": K checked round trips, then a request with
 * cmd 0 to end the server's loop. Exits with its CPU set, or -1. */
static int pong(uint32_t service, uint32_t k)
{
	struct drake_svcport port;
	uint32_t cpus = cpu_bit();
	svc_port_init(&port, service);
	for (uint32_t i = 0; i < k; i++) {
		struct ping_request r = {.value = i};
		if (svc_call(&port, &r, PING, sizeof(r)) ||
		    r.req.hdr.result != i + 1ull) {
			printf("scale: round trip %u failed\n", i);
			return -1;
		}
		if (i % 256 == 0)
			cpus |= cpu_bit();
	}
	struct ping_request end = {.value = 0};
	svc_call(&port, &end, 0, sizeof(end));
	return (int)cpus;
}

/* Serve a "scale pong" child's K round trips, timed from its first
 * request to its last. */
static int ping_pong(uint32_t k)
{
	char args[32], a[24], b[24];
	int id = svc_create(0), tid = -1, status = -1;
	uint32_t cpus = cpu_bit(), served = 0;
	uint64_t start = 0, ms = 0;
	if (id >= 0) {
		fmt_snprintf(args, sizeof(args), "pong %d %u", id, k);
		tid = sys_spawn("scale", args);
	}
	for (bool done = id < 0 || tid < 0; !done;) {
		struct ping_request r;
		uint32_t handle;
		if (svc_receive((uint32_t)id, &r, sizeof(r), &handle, NULL))
			break;
		if (!served++)
			start = sys_uptime();
		done = r.req.hdr.cmd == 0;
		if (done)
			ms = sys_uptime() - start;
		if (served % 256 == 0)
			cpus |= cpu_bit();
		svc_reply(handle, 0, r.value + 1ull, NULL, 0);
	}
	if (tid < 0 || sys_wait(tid, &status) != 0 || status <= 0 ||
	    status > 0xff || served != k + 1) {
		printf("scale: ping-pong failed (service %d, tid %d, status "
		       "%d, %u requests)\n",
		       id, tid, status, served);
		return 1;
	}
	printf("scale: ping-pong: %u round trips in %llu ms: %llu per s "
	       "(server cpus %s, client cpus %s)\n",
	       k, ms, ms ? k * 1000ull / ms : 0, cpu_set(cpus, a, sizeof(a)),
	       cpu_set((uint32_t)status, b, sizeof(b)));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "spin"))
		return spin((uint32_t)atoi(argv[2]));
	if (argc > 3 && !strcmp(argv[1], "pong"))
		return pong((uint32_t)atoi(argv[2]), (uint32_t)atoi(argv[3]));
	uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : SPIN_DEFAULT;
	uint32_t k = argc > 2 ? (uint32_t)atoi(argv[2]) : PONG_DEFAULT;
	uint32_t ncpus = 0, cpus[2];
	char a[24], b[24];
	int cpu = sys_cpuinfo(&ncpus);
	printf("scale: %u cpus run tasks; this is cpu %d; %u spins, %u "
	       "round trips\n",
	       ncpus, cpu, n, k);
	int64_t one = spinners(1, n, cpus);
	if (one < 0)
		return 1;
	printf("scale: 1 cpu-bound task: %lld ms (cpus %s)\n", one,
	       cpu_set(cpus[0], a, sizeof(a)));
	int64_t two = spinners(2, n, cpus);
	if (two < 0)
		return 1;
	printf("scale: 2 cpu-bound tasks: %lld ms (cpus %s %s)\n", two,
	       cpu_set(cpus[0], a, sizeof(a)), cpu_set(cpus[1], b, sizeof(b)));
	return ping_pong(k);
}
