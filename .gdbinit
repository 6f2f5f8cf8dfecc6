# Drake's GDB commands. `make debug` starts QEMU waiting for GDB and runs
# `gdb -x .gdbinit`, then connects; see docs/debugging.md.
set confirm off
set pagination off
file build/kernel.elf

define drake-user
  add-symbol-file build/bin/$arg0
end
document drake-user
drake-user NAME: load the symbols of user program NAME (build/bin/NAME),
so that breakpoints like `break main` or `hbreak debug_trap_site` work.
end

# The task running on the CPU GDB looks at: GDB shows each CPU as a
# thread (QEMU numbers them from 1, Drake from 0), and `current` is
# per-CPU data behind %fs (kernel/cpu.h), which GDB cannot follow.
define drake-current
  set $current = cpus[$_thread - 1].running
end
document drake-current
drake-current: set $current to the task running on this CPU (the
selected thread): print *$current, print $current->name.
end

# The registers of the message trap being served: live at either entry's
# first instruction, else the trap frame at the top of the kernel stack.
define drake-trap-regs
  if $pc == (unsigned) trap_msg_entry || $pc == (unsigned) trap_sysenter_entry
    set $trap_eax = $eax
    set $trap_ecx = $ecx
    set $trap_edx = $edx
  else
    drake-current
    set $trap_tf = (struct trapframe *) ($current->arch.kstack + 4096) - 1
    set $trap_eax = $trap_tf->eax
    set $trap_ecx = $trap_tf->ecx
    set $trap_edx = $trap_tf->edx
  end
end

# Where the CPU is, for drake-trap: 0 inside the message trap path, else
# (after saying why) 1. The trap path is trap_msg_entry or
# trap_sysenter_entry itself, or kernel code running on a task's kernel
# stack whose top frame is a message trap (vector 0x81 either way; err
# is 1 when it came by sysenter).
define drake-trap-where
  set $trap_where = 0
  if ($cs & 3) != 0
    printf "drake-trap: not in the kernel: the CPU is in user mode (cs=%#x) at %#x.\n", $cs, $pc
    printf "  Stop in the trap path first, e.g. `break trap_msg_entry` or `break msg_sendsys`, then `continue`.\n"
    set $trap_where = 1
  else
    if $pc != (unsigned) trap_msg_entry && $pc != (unsigned) trap_sysenter_entry
      drake-current
      if $current == 0 || $current->arch.kstack == 0
        printf "drake-trap: no task is running (the CPU is at %#x, before the first task or idle): no message is being served.\n", $pc
        set $trap_where = 1
      else
        set $trap_tf = (struct trapframe *) ($current->arch.kstack + 4096) - 1
        if $trap_tf->trapno != 0x81
          printf "drake-trap: in the kernel at %#x, but not serving a message: task %d's last trap is vector %#x, not int 0x81.\n", $pc, $current->id, $trap_tf->trapno
          set $trap_where = 1
        end
      end
    end
  end
end

define drake-trap
  drake-trap-where
  if $trap_where == 0
    drake-trap-decode
  end
end

define drake-trap-decode
  drake-trap-regs
  if $trap_edx != 0
    printf "sendsys(port=%#x, msg=%#x, size=%u)\n", $trap_eax, $trap_ecx, $trap_edx
  else
    if $trap_eax == 0 && $trap_ecx == 0
      printf "flushsys()\n"
    else
      printf "waitsys(port=%#x, msg=%#x)\n", $trap_eax, $trap_ecx
    end
  end
  if $trap_ecx != 0
    set $trap_msg = (struct drake_msg *) $trap_ecx
    printf "command: "
    output (enum drake_cmd) $trap_msg->cmd
    printf "\n"
    print *$trap_msg
  end
end
document drake-trap
drake-trap: decode the message trap (int 0x81 or sysenter) being served
by the current task: which call (sendsys, waitsys, flushsys), its port,
message and size, and the message header read from user memory. Works
at trap_msg_entry, at trap_sysenter_entry, and anywhere below them in
the kernel; elsewhere (user mode, the idle loop,
another trap) it says where the CPU is instead.
end
