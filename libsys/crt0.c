/*
 * Program start. The kernel enters _start(cmdline) with "name args" on
 * the stack; we split it into argv on spaces and make main's return
 * value the exit status.
 */
#include <drake/sys.h>

#define ARGV_MAX 16

int main(int argc, char **argv);

__attribute__((noreturn, section(".text.start"))) void _start(char *cmdline)
{
	static char *argv[ARGV_MAX + 1];
	int argc = 0;
	char *p = cmdline;
	while (*p && argc < ARGV_MAX) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = 0;
	sys_exit(main(argc, argv));
}
