# Drake: build, run and test. `make help` lists the targets.

# make DEBUG_TRAPS=1 plants a Bochs magic breakpoint (xchg %bx,%bx) at the
# int 0x81 entry; such a kernel is built apart from the normal one.
ifneq ($(DEBUG_TRAPS),)
BUILD ?= build-debugtraps
DEFS += -DDEBUG_TRAPS
endif
# make EXERCISE_STUB=1 builds an exercise test that does not build yet
# against tests/exercises/stub/ (tests/docs.sh), in a tree of its own.
ifneq ($(EXERCISE_STUB),)
BUILD ?= build-exstub
EXERCISE_STUB_OBJ := $(BUILD)/user/tests/exercises/stub/stub.c.o
$(BUILD)/user/tests/exercises/%.c.o: \
	USER_CFLAGS += -include tests/exercises/stub/stub.h
endif
BUILD ?= build
# Test-only programs live in tests/guest/ and are packed only for test boots.
PROGRAMS := $(sort $(basename $(notdir $(wildcard user/*.c))))
TEST_PROGRAMS := $(sort $(basename $(notdir $(wildcard tests/guest/*.c))))
INIT ?= sh
# make ENTRY=int|sysenter: how libsys enters the kernel (entry= on the
# kernel command line); empty: the kernel picks sysenter if the CPU has it.
ENTRY ?=
KERNEL_CMDLINE = init=$(INIT)$(if $(ENTRY), entry=$(ENTRY))

# Toolchain: a real i686-elf cross compiler when there is one, else
# Debian's i686-linux-gnu one; `make CC=clang` builds with clang + ld.lld.
CROSS ?= $(if $(shell command -v i686-elf-gcc 2>/dev/null),i686-elf-,i686-linux-gnu-)
ifeq ($(origin CC),default)
CC := $(CROSS)gcc
endif
ifneq ($(findstring clang,$(CC)),)
TARGET_FLAGS := --target=i686-elf -march=i686
LD := ld.lld
else
TARGET_FLAGS := -march=i686
LD := $(CROSS)ld
endif
LIBGCC := $(shell $(CROSS)gcc -print-libgcc-file-name 2>/dev/null)
HOSTCC ?= gcc

WARN := -Wall -Wextra -Werror
# A true i686-elf GCC (make cross) makes uint32_t an unsigned long, so
# every %u or %x of one is a -Wformat error there, though both are the
# same 32 bits on i386: such builds leave format checking to the Debian
# and clang ones, which make test runs.
ifneq ($(findstring long,$(shell echo __UINT32_TYPE__ | $(CC) -E -P -x c - 2>/dev/null)),)
WARN += -Wno-format
endif
BASE_CFLAGS := $(TARGET_FLAGS) -std=c11 -ffreestanding -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -O2 -g $(WARN) \
	-MMD -MP -Ilibsys/include $(DEFS)
KERNEL_CFLAGS := $(BASE_CFLAGS) -mno-sse -mno-mmx -mno-80387 \
	-Ikernel -Iarch/i386
USER_CFLAGS := $(BASE_CFLAGS) -mno-sse -mno-mmx
LDFLAGS := -m elf_i386 -static -nostdlib --build-id=none -z noexecstack

KERNEL_SRCS := boot/multiboot.S $(wildcard arch/i386/*.c arch/i386/*.S) \
	$(wildcard kernel/*.c) libsys/fmt.c libsys/string.c
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))
# crt0 is linked first into every program, outside the archive.
LIBSYS_SRCS := $(filter-out libsys/crt0.c,$(wildcard libsys/*.c libsys/*.S))
LIBSYS_OBJS := $(patsubst %,$(BUILD)/user/%.o,$(LIBSYS_SRCS))
CRT0 := $(BUILD)/user/libsys/crt0.c.o
USER_LINK = @echo "  LD      $@"; $(LD) $(LDFLAGS) -T libsys/user.ld -o $@ $(CRT0) $< \
	$(BUILD)/libsys.a $(LIBGCC)

KERNEL := $(BUILD)/kernel.elf
ISO := $(BUILD)/drake.iso
PROGRAM_ELFS := $(addprefix $(BUILD)/bin/,$(PROGRAMS))
TEST_ELFS := $(addprefix $(BUILD)/bin/,$(TEST_PROGRAMS))

QEMU := qemu-system-i386
QEMU_FLAGS := -m 128M -no-reboot -boot d
# make run, run-nox and debug boot two CPUs, in parallel (multi-threaded
# TCG); make run RUN_CPUS=1 boots one.
RUN_CPUS ?= 2
comma := ,
RUN_SMP := -smp $(RUN_CPUS) \
	$(if $(filter-out 1,$(RUN_CPUS)),-accel tcg$(comma)thread=multi)
DISPLAY_FLAGS := $(if $(DISPLAY),,-display none)
# One GDB port per user, as xv6 does, so that two people debugging on a
# shared machine do not collide; `make debug GDB_PORT=n` overrides it.
GDB_PORT ?= $(shell echo $$((25000 + $$(id -u) % 5000)))
# Bochs: ROMs where Debian and Ubuntu put them; a window when there is a
# display. Without one, `make bochs` from a terminal is `make bochs-nox`
# (tmux: COM1 in one pane, the debugger in the other); from a script
# (stdin not a terminal) it reads debugger commands from stdin and COM1
# goes to a file.
BXSHARE ?= /usr/share/bochs
VGABIOS ?= /usr/share/vgabios/vgabios.bin
BOCHS_DISPLAY ?= $(if $(DISPLAY),x,nox)

# make fuzz: the seeded system-call fuzzer (tests/fuzz.sh) under QEMU.
FUZZ_CALLS ?= 1000000
FUZZ_SEED ?= 1
FUZZ_ARGS ?=
FUZZ_TIMEOUT ?= 1800
# make fuzz SMP=2: the same under QEMU -smp 2 (multi-threaded TCG).
SMP ?=

.PHONY: all kernel programs iso run run-nox test host-test guest-test bench scale stress fuzz \
	exercise bochs bochs-nox bochs-stdin debug listing cross deps format clean help FORCE
all: $(ISO) $(TEST_ELFS)

help:
	@echo "Drake make targets:"
	@echo "  all         kernel, programs and the bootable ISO (default)"
	@echo "  run         boot the ISO in QEMU: serial on this terminal, a"
	@echo "              window too when a display exists"
	@echo "  run-nox     the same, terminal only"
	@echo "  test        every test layer, in this order (tests/run.sh LAYER runs"
	@echo "              one): host unit tests, guest boots (QEMU, entry=int),"
	@echo "              the same boots through sysenter, Bochs boots,"
	@echo "              tools (Bochs and GDB), keyboard, NMIs, the new-program"
	@echo "              fixture, the clang build, docs (tutorial, exercises"
	@echo "              build), bench (two runs agree), fuzz (a short Bochs run)"
	@echo "  host-test   host unit tests only (ASan/UBSan)"
	@echo "  guest-test  in-guest tests only (QEMU, entry=int; tests/run.sh"
	@echo "              sysenter: the same through sysenter)"
	@echo "  bench       instruction counts of the message path (QEMU icount)"
	@echo "  scale       user/scale under -smp 1, then -smp 2: the time of two"
	@echo "              cpu-bound tasks and a ping-pong rate, compared (issue 14)"
	@echo "  stress      the guest suite STRESS_RUNS (20) times under -smp 2, then"
	@echo "              its message-heavy boots as often under -smp 4; stops at"
	@echo "              the first failure (not in make test: about 30 minutes)"
	@echo "  fuzz        FUZZ_CALLS (1000000) random int 0x81 calls from seed"
	@echo "              FUZZ_SEED (1) under QEMU; FUZZ_ARGS=\"par=1 budget=N\";"
	@echo "              SMP=2: on two CPUs"
	@echo "  exercise    EX=NAME: boot the test of exercise NAME"
	@echo "              (docs/exercises.md); it passes once solved"
	@echo "  bochs       boot the ISO in Bochs with its debugger and the symbols"
	@echo "              of the kernel and of INIT (DEBUG_TRAPS=1: stop at every"
	@echo "              int 0x81); with no display, the same as bochs-nox"
	@echo "  bochs-nox   Bochs in a terminal, no window: tmux with COM1 (the shell)"
	@echo "              in the top pane, the debugger in the bottom one"
	@echo "  debug       QEMU waiting for GDB (port GDB_PORT, default 25000 + uid %"
	@echo "              5000: now $(GDB_PORT)), and GDB with .gdbinit"
	@echo "  listing     build/kernel.lst: the kernel's disassembly, source interleaved"
	@echo "  cross       build an i686-elf binutils + GCC (C) from Debian's source"
	@echo "              packages into ~/.cache/drake-cross (30-60 min, offline)"
	@echo "  format      apply .clang-format to all C sources"
	@echo "  deps        install missing Debian/Ubuntu packages"
	@echo "  clean       remove build output"
	@echo "Variables: CC=clang, CROSS=prefix-, INIT=program, BUILD=dir,"
	@echo "  ENTRY=int|sysenter (how libsys enters the kernel; default: by CPU),"
	@echo "  FUZZ_CALLS, FUZZ_SEED, FUZZ_ARGS, FUZZ_TIMEOUT (seconds),"
	@echo "  STRESS_RUNS, STRESS_SUBSET (guest.list names), SCALE_ARGS (\"N K\"),"
	@echo "  DEBUG_TRAPS=1, GDB_PORT, BXSHARE, VGABIOS, BOCHS_DISPLAY=x|term|nox"

kernel: $(KERNEL)
programs: $(PROGRAM_ELFS) $(TEST_ELFS)

# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)

$(BUILD)/kernel/%.c.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL): $(KERNEL_OBJS) linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -T linker.ld -o $@ $(KERNEL_OBJS) $(LIBGCC)
	$(Q)$(CROSS)nm -n $@ | awk '$$2 ~ /[TtDdBbRr]/ {print $$1, $$3}' > $(BUILD)/kernel.sym

$(BUILD)/user/%.c.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $< (user)"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/%.S.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $< (user)"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/libsys.a: $(LIBSYS_OBJS)
	rm -f $@
	$(CROSS)ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/user/user/%.c.o $(CRT0) $(BUILD)/libsys.a libsys/user.ld
	@mkdir -p $(@D)
	$(USER_LINK)

$(BUILD)/bin/%: $(BUILD)/user/tests/guest/%.c.o $(CRT0) $(BUILD)/libsys.a \
		libsys/user.ld
	@mkdir -p $(@D)
	$(USER_LINK)

# Exercise tests are built only on demand: they do not build until solved.
$(BUILD)/bin/%: $(BUILD)/user/tests/exercises/%.c.o $(EXERCISE_STUB_OBJ) \
		$(CRT0) $(BUILD)/libsys.a libsys/user.ld
	@mkdir -p $(@D)
	@echo "  LD      $@"; $(LD) $(LDFLAGS) -T libsys/user.ld -o $@ $(CRT0) $< \
		$(EXERCISE_STUB_OBJ) $(BUILD)/libsys.a $(LIBGCC)

# Rebuilt when the kernel command line changes, too.
$(BUILD)/cmdline: FORCE
	@mkdir -p $(@D)
	@echo "$(KERNEL_CMDLINE)" > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@
	@rm -f $@.tmp

$(ISO): $(KERNEL) $(PROGRAM_ELFS) $(BUILD)/cmdline tools/mkiso.sh boot/grub.cfg
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $@ $(KERNEL) "$$(cat $(BUILD)/cmdline)" $(PROGRAM_ELFS)

deps:
	@tools/deps.sh

run: deps
	$(MAKE) $(ISO)
	$(QEMU) $(QEMU_FLAGS) $(RUN_SMP) -cdrom $(ISO) -serial mon:stdio $(DISPLAY_FLAGS)

run-nox: deps
	$(MAKE) $(ISO)
	$(QEMU) $(QEMU_FLAGS) $(RUN_SMP) -cdrom $(ISO) -serial mon:stdio -display none

test: deps
	@tests/run.sh

host-test:
	@tests/run.sh host

guest-test:
	@tests/run.sh guest

bench: deps
	@tests/bench.sh

scale: deps
	@tests/scale.sh

stress: deps
	@tests/stress.sh

fuzz: deps
	@SMP=$(SMP) tests/fuzz.sh qemu $(FUZZ_CALLS) $(FUZZ_SEED) "$(FUZZ_ARGS)" $(FUZZ_TIMEOUT)
exercise: deps
	@tests/exercise.sh $(EX)

# Symbols for Bochs' ldsym: "address name" lines from nm. A user
# program's are at its link address (0x40000000 up, libsys/user.ld) and
# include libsys, which is linked into it.
$(BUILD)/sym/%.sym: $(BUILD)/bin/%
	@mkdir -p $(@D)
	$(Q)$(CROSS)nm -n $< | awk '$$2 ~ /[TtDdBbRr]/ {print $$1, $$3}' > $@

# Bochs' debugger runs this first: the kernel's symbols and INIT's (every
# program shares the same user addresses, so only one can be loaded), then
# boot. Symbols in commands take quotes: lb "trap_msg_entry".
$(BUILD)/bochs.rc: FORCE
	@printf 'ldsym global "%s"\nldsym global "%s"\nc\n' \
		$(BUILD)/kernel.sym $(BUILD)/sym/$(INIT).sym > $@

BOCHS_FILES := $(ISO) $(BUILD)/bochs.rc $(BUILD)/sym/$(INIT).sym

bochs: deps
	$(MAKE) $(BOCHS_FILES)
ifeq ($(BOCHS_DISPLAY),nox)
	@if [ -t 0 ]; then \
		BUILD=$(BUILD) BXSHARE=$(BXSHARE) VGABIOS=$(VGABIOS) \
		tools/bochs-nox.sh $(ISO) $(BUILD)/bochs.rc; \
	else \
		$(MAKE) --no-print-directory BOCHS_DISPLAY=term bochs-stdin; \
	fi
else
	$(MAKE) --no-print-directory bochs-stdin
endif

# The debugger on stdin and stdout, COM1 to a file (scripts, and a window).
bochs-stdin:
	@echo "Bochs: COM1 goes to $(BUILD)/bochs-serial.log; Ctrl-C enters the debugger."
	DRAKE_ISO=$(ISO) DRAKE_SERIAL=$(BUILD)/bochs-serial.log \
		DRAKE_DISPLAY=$(BOCHS_DISPLAY) BXSHARE=$(BXSHARE) VGABIOS=$(VGABIOS) \
		TERM=$${TERM:-dumb} bochs -q -f tools/bochsrc -rc $(BUILD)/bochs.rc

bochs-nox: deps
	$(MAKE) $(BOCHS_FILES)
	BUILD=$(BUILD) BXSHARE=$(BXSHARE) VGABIOS=$(VGABIOS) \
		tools/bochs-nox.sh $(ISO) $(BUILD)/bochs.rc

# xv6's kernel.asm: every instruction under the C line it came from (the
# kernel is built with -g, which adds debug sections and changes no code).
listing: $(BUILD)/kernel.lst
$(BUILD)/kernel.lst: $(KERNEL)
	@echo "  OBJDUMP $@"
	$(Q)$(CROSS)objdump -S -d --no-show-raw-insn $< > $@

# QEMU boots the kernel itself (not GRUB), so that breakpoints set before
# it starts stay in place; serial output goes to a file.
debug: deps
	$(MAKE) $(KERNEL) $(PROGRAM_ELFS)
	@echo "QEMU: serial output in $(BUILD)/debug-serial.log"
	$(QEMU) $(QEMU_FLAGS) $(RUN_SMP) $(DISPLAY_FLAGS) -serial file:$(BUILD)/debug-serial.log \
		-kernel $(KERNEL) -append "$(KERNEL_CMDLINE)" \
		-initrd "$$(echo $(PROGRAM_ELFS) | tr ' ' ',')" \
		-gdb tcp:127.0.0.1:$(GDB_PORT) -S & \
	qemu=$$!; gdb -q -nx -x .gdbinit -ex "target remote 127.0.0.1:$(GDB_PORT)"; \
	kill $$qemu 2>/dev/null; true

# A real i686-elf toolchain, from Debian's source packages, in a cache
# outside the tree; put its bin/ on PATH and the build prefers it.
cross:
	@tools/mkcross.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-*

FORCE:

-include $(KERNEL_OBJS:.o=.d) $(LIBSYS_OBJS:.o=.d) $(CRT0:.o=.d)
-include $(wildcard $(BUILD)/user/user/*.d $(BUILD)/user/tests/guest/*.d \
	$(BUILD)/user/tests/exercises/*.d $(BUILD)/user/tests/exercises/stub/*.d)
.SECONDARY:
