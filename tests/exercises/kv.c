/*
 * Exercise kv (docs/exercises.md): a user-level key-value server, kvd,
 * that publishes the name "kv" through the name server and answers
 * requests of this form:
 *
 *   struct kv_request { struct drake_request req; char key[16];
 *                       uint32_t value; };
 *   KV_PUT (1): remember value under key (NUL-terminated); result 0
 *   KV_GET (2): result = the value stored under key; ENOENT if none
 *
 * As init it starts ns and kvd, then checks puts and gets from itself
 * and from a second client task ("kv client").
 */
#include "../check.h"
#include <drake/string.h>
#include <drake/svc.h>

#define KV_PUT 1
#define KV_GET 2

struct kv_request {
	struct drake_request req;
	char key[16];
	uint32_t value;
};

static struct drake_svcport kv;

static int kv_call(uint16_t cmd, const char *key, uint32_t value,
		   uint64_t *result)
{
	struct kv_request r = {.value = value};
	memcpy(r.key, key, strlen(key) + 1);
	int err = svc_call(&kv, &r, cmd, sizeof(r));
	*result = r.req.hdr.result;
	return err;
}

static bool find_kv(void)
{
	int id = -EPIPE;
	for (int i = 0; i < 100 && id < 0; i++) {
		id = svc_lookup("kv");
		if (id < 0)
			sys_sleep(10);
	}
	CHECK(id > 0);
	svc_port_init(&kv, (uint32_t)id);
	return true;
}

static bool put_then_get(void)
{
	uint64_t r;
	CHECK_EQ(kv_call(KV_PUT, "drake", 2003, &r), 0);
	CHECK_EQ(kv_call(KV_PUT, "dillon", 7, &r), 0);
	CHECK_EQ(kv_call(KV_GET, "drake", 0, &r), 0);
	CHECK_EQ(r, 2003);
	CHECK_EQ(kv_call(KV_GET, "nothing", 0, &r), ENOENT);
	CHECK_EQ(kv_call(KV_PUT, "drake", 2026, &r), 0);
	CHECK_EQ(kv_call(KV_GET, "drake", 0, &r), 0);
	CHECK_EQ(r, 2026);
	return true;
}

static bool another_client_sees_them(void)
{
	int status = -1, tid = sys_spawn("kv", "client");
	CHECK(tid > 0);
	CHECK_EQ(sys_wait(tid, &status), 0);
	CHECK_EQ(status, 0);
	return true;
}

int main(int argc, char **argv)
{
	uint64_t r;
	if (argc > 1 && !strcmp(argv[1], "client"))
		return find_kv() && kv_call(KV_GET, "dillon", 0, &r) == 0 &&
			       r == 7
			   ? 0
			   : 1;
	if (sys_spawn("ns", NULL) < 0 || sys_spawn("kvd", NULL) < 0) {
		printf("kv: cannot start ns and kvd: is user/kvd.c written?\n");
		return 1;
	}
	RUN(find_kv);
	RUN(put_then_get);
	RUN(another_client_sees_them);
	return check_summary();
}
