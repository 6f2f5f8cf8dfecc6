/*
 * Exercise getppid (docs/exercises.md): a GETPPID command and its
 * wrapper sys_getppid(), answering the caller's parent's task id (0 for
 * a task without a parent, such as init). As init it checks its own
 * answer, then starts itself as "getppid child TID" twice: the child
 * exits 0 when sys_getppid() is TID, its parent.
 */
#include "../check.h"
#include <drake/fmt.h>
#include <drake/string.h>

static bool init_has_no_parent(void)
{
	CHECK_EQ(sys_getppid(), 0);
	return true;
}

static bool children_see_their_parent(void)
{
	char args[32];
	fmt_snprintf(args, sizeof(args), "child %d", sys_gettid());
	for (int i = 0; i < 2; i++) {
		int status = -1, tid = sys_spawn("getppid", args);
		CHECK(tid > 0);
		CHECK_EQ(sys_wait(tid, &status), 0);
		CHECK_EQ(status, 0);
	}
	return true;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "child"))
		return sys_getppid() == atoi(argv[2]) ? 0 : 1;
	RUN(init_has_no_parent);
	RUN(children_see_their_parent);
	return check_summary();
}
