/*
 * sh: Drake's shell, and the first program `make run` starts.
 *
 * It reads the console one key at a time with an asynchronous READ
 * message and waitsys, echoing and editing the line itself (the kernel
 * does neither): backspace, Ctrl-U, and up/down arrows through its
 * history. A command is a built-in or the name of a program, which it
 * spawns, makes the console's foreground task (so Ctrl-C reaches it
 * through the live signal path), and waits for; with a final '&' it
 * runs in the background instead, not waited for, and is reaped at the
 * next prompt. At the prompt, Ctrl-C just discards the line: the shell
 * catches SIGINT itself.
 *
 * At boot it starts the servers (docs/servers.md) in the background,
 * those whose modules exist: the name server ns first, then, once ns
 * answers, files and pingd, which publish their names through it.
 */
#include <drake/fmt.h>
#include <drake/string.h>
#include <drake/sys.h>

#define LINE_MAX   128
#define HISTORY	   8
#define JOBS	   8
#define PROMPT	   "drake$ "
#define CTRL_U	   0x15
#define NS_WAIT_MS 1000 /* how long ns may take to answer at boot */

static char line[LINE_MAX];
static unsigned len;
static char history[HISTORY][LINE_MAX];
static unsigned history_count, history_at;
static volatile bool interrupted;

/* Background jobs: spawned, not yet reaped. tid 0 is a free slot. */
static struct {
	int tid;
	char name[SPAWN_NAME_MAX + 1];
} jobs[JOBS];

static const struct {
	int signo;
	const char *name;
} signames[] = {
    {SIGINT, "SIGINT"},	  {SIGILL, "SIGILL"},	{SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"},
    {SIGUSR2, "SIGUSR2"}, {SIGTERM, "SIGTERM"},
};
#define NSIGNAMES (sizeof(signames) / sizeof(signames[0]))

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
		} else if (c == CTRL_U) {
			line_replace("");
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

/* "SIGTERM" for 15; a number for a signal without a name here. */
static const char *signal_name(int signo)
{
	static char num[12];
	for (size_t i = 0; i < NSIGNAMES; i++)
		if (signames[i].signo == signo)
			return signames[i].name;
	fmt_snprintf(num, sizeof(num), "signal %d", signo);
	return num;
}

/* "TERM", "SIGTERM" or "15"; 0 if it is none of these. */
static int signal_number(const char *text)
{
	if (*text >= '0' && *text <= '9')
		return atoi(text);
	for (size_t i = 0; i < NSIGNAMES; i++)
		if (!strcmp(text, signames[i].name) ||
		    !strcmp(text, signames[i].name + 3))
			return signames[i].signo;
	return 0;
}

/* How a program ended, in words (exit statuses: drake/msg.h). */
static const char *status_text(int status)
{
	static char text[48];
	if (status <= -2000)
		fmt_snprintf(text, sizeof(text), "terminated by %s",
			     signal_name(-2000 - status));
	else if (status <= -1000)
		fmt_snprintf(text, sizeof(text), "killed by exception %d",
			     -1000 - status);
	else
		fmt_snprintf(text, sizeof(text), "exit %d", status);
	return text;
}

static void builtin_help(char **argv)
{
	(void)argv;
	printf(
	    "builtins: help, ps, msgs, cpus, kill TID [SIGNAL], uptime, mem, "
	    "halt\n"
	    "  trace PROG ARGS  run PROG showing every message it sends and\n"
	    "                   gets back; msgs: messages in flight\n"
	    "anything else runs the program of that name, e.g. hello,\n"
	    "timers, signals, async, crit, pingpong, bench; files: ls,\n"
	    "cat NAME, write NAME TEXT; ping (docs/servers.md)\n"
	    "  PROG ARGS &   run it in the background: the shell prints\n"
	    "                [TID] PROG, and [TID] done (how) at a later "
	    "prompt\n"
	    "  kill TID [SIGNAL]  SIGNAL: a number or a name, TERM or "
	    "SIGTERM\n"
	    "                (default), INT, KILL, USR1, USR2...; only this\n"
	    "                shell's programs, never the shell itself\n"
	    "  ps columns: TID task id, PARENT the task that spawned it,\n"
	    "    STATE ready/running/blocked/zombie (exited, not yet "
	    "reaped),\n"
	    "    MSGS asynchronous messages in flight, LIVE live messages\n"
	    "    (signal handlers, timers), NAME the program\n"
	    "  cpus: each CPU's running task (0: idle), LOAD tasks to run\n"
	    "    there, and since boot its SWITCHES, IPIS taken, tasks\n"
	    "    MOVED away by its balancer, busy TICKS\n"
	    "editing: backspace, Ctrl-U erases the line, up/down arrows\n"
	    "  walk the last %d lines; Ctrl-C discards the line, or stops\n"
	    "  the program running in the foreground\n",
	    HISTORY);
}

static void builtin_ps(char **argv)
{
	static const char *const states[] = {"ready", "running", "blocked",
					     "zombie"};
	struct drake_taskinfo t;
	(void)argv;
	printf("(MSGS: async messages in flight; LIVE: signal handlers and "
	       "timers; see help)\n");
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

/* The shell (init, when it is task 1) cannot be a job to kill: `halt`
 * is how it stops the system. */
static void builtin_kill(char **argv)
{
	int tid = argv[1] ? atoi(argv[1]) : 0;
	int sig = argv[1] && argv[2] ? signal_number(argv[2]) : SIGTERM;
	if (tid && tid == sys_gettid()) {
		printf("kill: task %d is this shell; `halt` stops the system\n",
		       tid);
		return;
	}
	if (!sig) {
		printf("kill: %s: no such signal\n", argv[2]);
		return;
	}
	int err = tid ? sys_kill(tid, sig) : -EINVAL;
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

static void builtin_cpus(char **argv)
{
	struct drake_cpustat c;
	int next = 0;
	(void)argv;
	printf("CPU RUNNING LOAD SWITCHES    IPIS   MOVED   TICKS\n");
	do {
		next = sys_cpustat((uint32_t)next, &c);
		if (next < 0)
			break;
		printf("%3u %7u %4u %8u %7u %7u %7u\n", c.cpu, c.running,
		       c.load, c.switches, c.ipis, c.migrations, c.ticks);
	} while (next);
}

static void builtin_halt(char **argv)
{
	(void)argv;
	printf("halt: %s\n", strerror(sys_halt()));
}

#define SH_CMD_NAME(num, NAME, name, type, fields) [num] = #NAME,
static const char *const cmd_names[CMD_COUNT] = {DRAKE_COMMANDS(SH_CMD_NAME)};
#undef SH_CMD_NAME

static void msgs_of(const struct drake_taskinfo *t)
{
	static const char *const states[] = {"waiting", "held", "queued",
					     "open"};
	struct drake_msginfo m;
	for (int next = 0;;) {
		next = sys_msginfo((int)t->tid, (uint32_t)next, &m);
		if (next < 0)
			return;
		const char *cmd = m.cmd < CMD_COUNT && !m.service
				      ? cmd_names[m.cmd]
				      : "request";
		printf("%5u %-8s 0x%08x %-14s %-8s ", t->tid, t->name, m.msg,
		       cmd, m.state < 4 ? states[m.state] : "?");
		if (m.reply)
			printf("0x%08x", m.reply);
		else
			printf("-");
		printf(m.flags & MSGF_LIVE ? " live\n" : "\n");
		if (!next)
			return;
	}
}

/* msgs: every task's messages in flight (docs/trace.md). */
static void builtin_msgs(char **argv)
{
	struct drake_taskinfo t;
	(void)argv;
	printf(
	    "  TID NAME     MESSAGE    COMMAND        STATE    REPLY PORT\n");
	for (int next = 0;;) {
		next = sys_taskinfo((uint32_t)next, &t);
		if (next < 0)
			return;
		msgs_of(&t);
		if (!next)
			return;
	}
}

static const struct {
	const char *name;
	void (*run)(char **argv);
} builtins[] = {
    {"help", builtin_help},	{"ps", builtin_ps},	{"kill", builtin_kill},
    {"uptime", builtin_uptime}, {"mem", builtin_mem},	{"halt", builtin_halt},
    {"msgs", builtin_msgs},	{"cpus", builtin_cpus},
};

/* Remember a background job; false if the table is full. */
static bool job_add(int tid, const char *name)
{
	for (int i = 0; i < JOBS; i++) {
		if (!jobs[i].tid) {
			jobs[i].tid = tid;
			fmt_snprintf(jobs[i].name, sizeof(jobs[i].name), "%s",
				     name);
			return true;
		}
	}
	return false;
}

/* At each prompt: collect the background jobs that have exited. WAIT
 * would block on a running one, so only zombies are waited for. */
static void jobs_reap(void)
{
	struct drake_taskinfo t;
	for (int i = 0; i < JOBS; i++) {
		int status = 0;
		if (!jobs[i].tid || task_info(jobs[i].tid, &t) ||
		    t.state != TASK_STATE_ZOMBIE)
			continue;
		sys_wait(jobs[i].tid, &status);
		printf("[%d] done (%s)\n", jobs[i].tid, status_text(status));
		jobs[i].tid = 0;
	}
}

/* Run a program, in the foreground (waited for, and given Ctrl-C) or
 * in the background, and report how it ended. */
static void run_program(char *name, char *args, bool background, bool traced)
{
	/* traced: the child, and its own children, inherit the tracer */
	if (traced)
		sys_trace(0, TRACE_CHILDREN);
	int tid = sys_spawn(name, args);
	if (traced)
		sys_trace(0, 0);
	if (tid < 0) {
		printf("sh: %s: %s\n", name,
		       tid == -ENOENT ? "no such program" : strerror(tid));
		return;
	}
	if (background) {
		if (job_add(tid, name)) {
			printf("[%d] %s\n", tid, name);
			return;
		}
		printf("sh: %d jobs already: waiting for this one\n", JOBS);
	}
	int status = 0;
	sys_foreground(tid);
	sys_wait(tid, &status);
	sys_foreground(0);
	if (status)
		printf("[%s: %s]\n", name, status_text(status));
}

/* A final '&' (alone or ending the last word) asks for the background:
 * take it off the line. */
static bool line_background(void)
{
	while (len && line[len - 1] == ' ')
		line[--len] = '\0';
	if (!len || line[len - 1] != '&')
		return false;
	line[--len] = '\0';
	return true;
}

static void execute(void)
{
	char *argv[8] = {0};
	int argc = 0;
	bool background = line_background();
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
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (!strcmp(argv[0], builtins[i].name)) {
			builtins[i].run(argv);
			return;
		}
	}
	/* "trace PROG ARGS": PROG under the message tracer (docs/trace.md) */
	char **av = argv;
	bool traced = argc > 1 && !strcmp(argv[0], "trace");
	if (traced)
		av++, argc--;
	/* The program gets the rest of the line as its argument string. */
	char *args = argc > 1 ? av[1] : "";
	for (int i = 2; i < argc; i++)
		av[i][-1] = ' ';
	run_program(av[0], args, background, traced);
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
		job_add(tid, name);
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
		jobs_reap();
		printf(PROMPT);
		if (!line_read())
			continue;
		history_add();
		execute();
	}
}
