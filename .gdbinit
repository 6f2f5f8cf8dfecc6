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

# The registers of the message trap being served: live at the entry's
# first instruction, else the trap frame at the top of the kernel stack.
define drake-trap-regs
  if $pc == (unsigned) trap_msg_entry
    set $trap_eax = $eax
    set $trap_ecx = $ecx
    set $trap_edx = $edx
  else
    set $trap_tf = (struct trapframe *) (current->arch.kstack + 4096) - 1
    set $trap_eax = $trap_tf->eax
    set $trap_ecx = $trap_tf->ecx
    set $trap_edx = $trap_tf->edx
  end
end

define drake-trap
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
drake-trap: decode the int 0x81 being served by the current task: which
call (sendsys, waitsys, flushsys), its port, message and size, and the
message header read from user memory. Works at trap_msg_entry and
anywhere below it in the kernel.
end
