/*
 * Exercise shcmd (docs/exercises.md): `sh LINE` runs that one command
 * line, as if typed at the prompt, and exits with the program's status
 * (127 for no such program), without reading the console. Each case
 * gets two seconds; a shell still waiting for input fails it.
 */
#include "../check.h"

/* Run "sh ARGS"; its exit status, or -1 if it is still running. */
static int sh_status(const char *args)
{
	struct drake_taskinfo info;
	int status = -1, tid = sys_spawn("sh", args);
	if (tid < 0)
		return tid;
	for (int i = 0; i < 40; i++) {
		if (task_info(tid, &info) == 0 &&
		    info.state == TASK_STATE_ZOMBIE) {
			sys_wait(tid, &status);
			return status;
		}
		sys_sleep(50);
	}
	sys_kill(tid, SIGKILL);
	sys_wait(tid, NULL);
	return -1;
}

static bool runs_a_program(void)
{
	CHECK_EQ(sh_status("hello from a shell"), 0);
	return true;
}

static bool passes_the_exit_status_on(void)
{
	CHECK_EQ(sh_status("exitcode 7"), 7);
	CHECK_EQ(sh_status("exitcode 0"), 0);
	return true;
}

static bool no_such_program_is_127(void)
{
	CHECK_EQ(sh_status("nosuch"), 127);
	return true;
}

int main(void)
{
	RUN(runs_a_program);
	RUN(passes_the_exit_status_on);
	RUN(no_such_program_is_127);
	return check_summary();
}
