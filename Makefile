# Drake: build, run and test. `make help` lists the targets.

BUILD ?= build
# Test-only programs live in tests/guest/ and are packed only for test boots.
PROGRAMS := $(sort $(basename $(notdir $(wildcard user/*.c))))
TEST_PROGRAMS := $(sort $(basename $(notdir $(wildcard tests/guest/*.c))))
INIT ?= hello

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
BASE_CFLAGS := $(TARGET_FLAGS) -std=c11 -ffreestanding -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -O2 -g $(WARN) \
	-MMD -MP -Ilibsys/include $(DEFS)
KERNEL_CFLAGS := $(BASE_CFLAGS) -mno-sse -mno-mmx -mno-80387 \
	-Ikernel -Iarch/i386
USER_CFLAGS := $(BASE_CFLAGS) -mno-sse -mno-mmx
LDFLAGS := -m elf_i386 -static -nostdlib --build-id=none

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
DISPLAY_FLAGS := $(if $(DISPLAY),,-display none)

.PHONY: all kernel programs iso run run-nox test host-test guest-test bench \
	deps format clean help
all: $(ISO) $(TEST_ELFS)

help:
	@echo "Drake make targets:"
	@echo "  all         kernel, programs and the bootable ISO (default)"
	@echo "  run         boot the ISO in QEMU: serial on this terminal, a"
	@echo "              window too when a display exists"
	@echo "  run-nox     the same, terminal only"
	@echo "  test        every test: host unit tests, then guest boots"
	@echo "  host-test   host unit tests only (ASan/UBSan)"
	@echo "  guest-test  in-guest tests only (QEMU)"
	@echo "  bench       instruction counts of the message path (QEMU icount)"
	@echo "  format      apply .clang-format to all C sources"
	@echo "  deps        install missing Debian/Ubuntu packages"
	@echo "  clean       remove build output"
	@echo "Variables: CC=clang, CROSS=prefix-, INIT=program, BUILD=dir"

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

$(BUILD)/grub.cfg: boot/grub.cfg tools/mkgrubcfg.sh FORCE
	@mkdir -p $(@D)
	tools/mkgrubcfg.sh boot/grub.cfg "init=$(INIT)" $(PROGRAMS) > $@.tmp
	cmp -s $@.tmp $@ || mv $@.tmp $@
	rm -f $@.tmp

$(ISO): $(KERNEL) $(PROGRAM_ELFS) $(BUILD)/grub.cfg
	rm -rf $(BUILD)/iso
	mkdir -p $(BUILD)/iso/boot/grub
	cp $(KERNEL) $(PROGRAM_ELFS) $(BUILD)/iso/boot/
	cp $(BUILD)/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso --compress=xz --fonts= --locales= \
		--themes= --install-modules="multiboot normal serial terminal \
		configfile iso9660 biosdisk part_msdos" 2>/dev/null
	grub-file --is-x86-multiboot $(KERNEL)

deps:
	@tools/deps.sh

run: deps
	$(MAKE) $(ISO)
	$(QEMU) $(QEMU_FLAGS) -cdrom $(ISO) -serial mon:stdio $(DISPLAY_FLAGS)

run-nox: deps
	$(MAKE) $(ISO)
	$(QEMU) $(QEMU_FLAGS) -cdrom $(ISO) -serial mon:stdio -display none

test: deps
	@tests/run.sh

host-test:
	@tests/run.sh host

guest-test:
	@tests/run.sh guest

bench: deps
	@tests/bench.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-*

FORCE:

-include $(KERNEL_OBJS:.o=.d) $(LIBSYS_OBJS:.o=.d) $(CRT0:.o=.d)
-include $(wildcard $(BUILD)/user/user/*.d $(BUILD)/user/tests/guest/*.d)
.SECONDARY:
