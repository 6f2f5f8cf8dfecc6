/*
 * sh: Drake's shell, and the first program `make run` starts.
 *
 * It reads the console one key at a time with an asynchronous READ
 * message and waitsys, echoing and editing the line itself (the kernel
 * does neither): backspace, and up/down arrows through its history.
 * A command is a built-in or the name of a program, which it spawns,
 * makes the console's foreground task (so Ctrl-C reaches it through the
 * live signal path), and waits for; with a trailing "&" it does not wait,
 * and reports at a later prompt how the program ended. At the prompt,
 * Ctrl-C just discards the line: the shell catches SIGINT itself.
 *
 * At boot it starts the servers (docs/servers.md) in the background,
 * those whose modules exist: the name server ns first, then, once ns
 * answers, files and pingd, which publish their names through it.
 */
#include <drake/string.h>
#include <drake/sys.h>

#define LINE_MAX 128
#define HISTORY	 8
#define PROMPT	 "drake$ "
/* Every child can be a background one: SPAWN refuses more children. */
#define BACKGROUND_MAX TASK_CHILDREN_MAX
#define NS_WAIT_MS     1000 /* how long ns may take to answer at boot */

static char line[LINE_MAX];
static unsigned len;
static char history[HISTORY][LINE_MAX];
static unsigned history_count, history_at;
static volatile bool interrupted;
static int background[BACKGROUND_MAX]; /* task ids; 0: a free slot */

static void on_interrupt(uint32_t bits, uint32_t count, uint32_t addr,
			 uint32_t sender)
{
	(void)sender;
	(void)bits;
	(void)count;
	(void)addr;
	interrupted = true;
}

/*
 * One key: an asynchronous READ of one byte, waited for. An upcall
 * (Ctrl-C) interrupts the wait but not the read: it stays in flight, and
 * the next call waits for that same message instead of sending another.
 */
static char read_key(void)
{
	static char key;
	static struct msg_read r = {.buf = (drake_uaddr)&key, .len = 1};
	static bool in_flight;
	if (interrupted)
		return 0;
	if (!in_flight) {
		int err = sys_send_async(&r, CMD_READ, sizeof(r), NULL);
		if (err && err != EASYNC)
			return 0;
		in_flight = true;
	}
	while (waitsys(NULL, &r) == EINTR)
		if (interrupted)
			return 0;
	in_flight = false;
	return key;
}

static void line_replace(const char *text)
{
	while (len) {
		printf("\b \b");
		len--;
	}
	len = (unsigned)strlen(text);
	memcpy(line, text, len);
	sys_write(line, len);
}

/* ESC [ A and ESC [ B: walk the history. */
static void line_arrow(void)
{
	if (read_key() != '[')
		return;
	char dir = read_key();
	if (dir == 'A' && history_at > 0)
		line_replace(history[--history_at % HISTORY]);
	else if (dir == 'B' && history_at < history_count)
		line_replace(++history_at == history_count
				 ? ""
				 : history[history_at % HISTORY]);
}

/* Read a line with echo and editing; false if Ctrl-C threw it away. */
static bool line_read(void)
{
	len = 0;
	history_at = history_count;
	for (;;) {
		char c = read_key();
		if (interrupted) {
			interrupted = false;
			printf("^C\n");
			return false;
		}
		if (c == '\n') {
			printf("\n");
			line[len] = '\0';
			return true;
		} else if (c == '\b' || c == 0x7f) {
			if (len) {
				len--;
				printf("\b \b");
			}
		} else if (c == '\033') {
			line_arrow();
		} else if (c >= ' ' && len < LINE_MAX - 1) {
			line[len++] = c;
			sys_write(&c, 1);
		}
	}
}

static void history_add(void)
{
	if (len)
		memcpy(history[history_count++ % HISTORY], line, len + 1);
}

static void builtin_help(char **argv)
{
	(void)argv;
	printf("builtins: help, ps, kill TID [SIGNAL], uptime, mem, halt\n"
	       "anything else runs the program of that name, e.g. hello,\n"
	       "timers, signals, async, crit, pingpong, bench; files: ls,\n"
	       "cat NAME, write NAME TEXT; ping; a trailing & runs it in\n"
	       "the background\n");
}

static void builtin_ps(char **argv)
{
	static const char *const states[] = {"ready", "running", "blocked",
					     "zombie"};
	struct drake_taskinfo t;
	(void)argv;
	printf("  TID PARENT STATE    MSGS LIVE NAME\n");
	int next = 0;
	do {
		next = sys_taskinfo((uint32_t)next, &t);
		if (next < 0)
			break;
		printf("%5u %6u %-8s %4u %4u %s\n", t.tid, t.parent,
		       t.state < 4 ? states[t.state] : "?", t.inflight, t.live,
		       t.name);
	} while (next > 0);
}

static void builtin_kill(char **argv)
{
	uint32_t sig = argv[2] ? (uint32_t)atoi(argv[2]) : SIGTERM;
	int err = argv[1] ? sys_kill(atoi(argv[1]), (int)sig) : -EINVAL;
	if (err)
		printf("kill: %s\n", strerror(err));
}

static void builtin_uptime(char **argv)
{
	(void)argv;
	uint64_t ms = sys_uptime();
	printf("up %llu.%03llu s\n", ms / 1000, ms % 1000);
}

static void builtin_mem(char **argv)
{
	uint32_t free = 0, total = 0;
	(void)argv;
	sys_meminfo(&free, &total);
	printf("%u free pages of %u (%u KiB free)\n", free, total, free * 4);
}

static void builtin_halt(char **argv)
{
	(void)argv;
	printf("halt: %s\n", strerror(sys_halt()));
}

static const struct {
	const char *name;
	void (*run)(char **argv);
} builtins[] = {
    {"help", builtin_help},	{"ps", builtin_ps},   {"kill", builtin_kill},
    {"uptime", builtin_uptime}, {"mem", builtin_mem}, {"halt", builtin_halt},
};

/* How a program ended, unless it succeeded. */
static void report(const char *name, int status)
{
	if (status <= -2000)
		printf("[%s: terminated by signal %d]\n", name, -2000 - status);
	else if (status <= -1000)
		printf("[%s: killed by exception %d]\n", name, -1000 - status);
	else if (status)
		printf("[%s: exit %d]\n", name, status);
}

static int spawn(const char *name, const char *args)
{
	int tid = sys_spawn(name, args);
	if (tid < 0)
		printf("sh: %s: %s\n", name,
		       tid == -ENOENT ? "no such program" : strerror(tid));
	return tid;
}

/* Run a program in the foreground and report how it ended. */
static void run_program(const char *name, const char *args)
{
	int tid = spawn(name, args);
	if (tid < 0)
		return;
	int status = 0;
	sys_foreground(tid);
	sys_wait(tid, &status);
	sys_foreground(0);
	report(name, status);
}

/* Remember a started background task; it is a child, so there is a
 * free slot (see BACKGROUND_MAX). */
static void background_add(int tid)
{
	for (uint32_t i = 0; i < BACKGROUND_MAX; i++) {
		if (!background[i]) {
			background[i] = tid;
			return;
		}
	}
}

static void run_background(const char *name, const char *args)
{
	int tid = spawn(name, args);
	if (tid < 0)
		return;
	background_add(tid);
	printf("[%s: task %d]\n", name, tid);
}

/* Collect the background tasks that have exited, and say how. A task
 * that has not exited is not waited for: WAIT would block. */
static void background_reap(void)
{
	struct drake_taskinfo t;
	for (uint32_t i = 0; i < BACKGROUND_MAX; i++) {
		int status = 0;
		if (!background[i] || task_info(background[i], &t) ||
		    t.state != TASK_STATE_ZOMBIE)
			continue;
		sys_wait(background[i], &status);
		background[i] = 0;
		if (status)
			report(t.name, status);
		else
			printf("[%s: done]\n", t.name);
	}
}

static void execute(void)
{
	char *argv[8] = {0};
	int argc = 0;
	for (char *p = line; *p && argc < 7;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	if (!argc)
		return;
	bool bg = argc > 1 && !strcmp(argv[argc - 1], "&");
	if (bg)
		argv[--argc] = NULL;
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (!strcmp(argv[0], builtins[i].name)) {
			builtins[i].run(argv);
			return;
		}
	}
	/* The program gets the rest of the line, spacing kept, as its
	 * argument string. */
	char *args = argc > 1 ? argv[1] : "";
	for (char *p = args; argc > 2 && p < argv[argc - 1]; p++)
		if (!*p)
			*p = ' ';
	if (bg)
		run_background(argv[0], args);
	else
		run_program(argv[0], args);
}

/* Has ns answered a lookup? Any answer will do; EPIPE means its
 * service is not there yet (or ns exited). */
static bool ns_answers(void)
{
	for (uint32_t ms = 0; ms < NS_WAIT_MS; ms += 10) {
		if (svc_lookup("ns") != -EPIPE)
			return true;
		sys_sleep(10);
	}
	return false;
}

/* A server whose module is missing is skipped without a word, so a
 * boot with only some programs (a test's) works as before. */
static bool start_server(const char *name)
{
	int tid = sys_spawn(name, NULL);
	if (tid >= 0)
		background_add(tid);
	return tid >= 0;
}

static void start_servers(void)
{
	if (!start_server("ns"))
		return;
	if (!ns_answers()) {
		printf("sh: ns does not answer: not starting files, pingd\n");
		return;
	}
	start_server("files");
	start_server("pingd");
}

int main(void)
{
	signal_catch(SIGBIT(SIGINT), on_interrupt);
	sys_foreground(0);
	start_servers();
	printf("Drake shell. Type help.\n");
	for (;;) {
		background_reap();
		printf(PROMPT);
		if (!line_read())
			continue;
		history_add();
		execute();
	}
}
