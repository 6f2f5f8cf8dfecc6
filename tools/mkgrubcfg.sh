#!/usr/bin/env bash
# mkgrubcfg.sh BASE CMDLINE PROGRAM... : print a grub.cfg that boots the
# kernel with CMDLINE and loads each program as a module named after it.
set -eu
base=$1 cmdline=$2
shift 2
cat "$base"
echo 'menuentry "Drake" {'
echo "	multiboot /boot/kernel.elf $cmdline"
for p in "$@"; do
	echo "	module /boot/${p%% *} $p"
done
echo '	boot'
echo '}'
