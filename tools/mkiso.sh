#!/usr/bin/env bash
# mkiso.sh ISO KERNEL CMDLINE PROGRAM_ELF... : a bootable GRUB ISO that
# boots KERNEL with CMDLINE and each program as a module named after its
# file. Small: xz-compressed, no fonts, locales or themes. A PROGRAM_ELF
# item may carry arguments after a space ("build/bin/fuzz seed=1"): they
# follow the module's name on its GRUB module line.
set -eu
iso=$1 kernel=$2 cmdline=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
names=()
for p in "$@"; do
	path=${p%% *}
	cp "$path" "$dir/boot/"
	names+=("$(basename "$path")${p#"$path"}")
done
"$(dirname "$0")/mkgrubcfg.sh" "$(dirname "$0")/../boot/grub.cfg" \
	"$cmdline" "${names[@]}" >"$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$iso" "$dir" --compress=xz --fonts= --locales= \
	--themes= --install-modules="multiboot normal serial terminal \
	configfile iso9660 biosdisk part_msdos" 2>/dev/null
grub-file --is-x86-multiboot "$kernel"
