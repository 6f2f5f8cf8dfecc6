#!/usr/bin/env bash
# mkiso.sh ISO KERNEL CMDLINE PROGRAM... : a bootable GRUB ISO that
# boots KERNEL with CMDLINE and each program as a module named after its
# file. A PROGRAM is an ELF path, optionally followed (in the same word,
# after a space) by the module's arguments: "build/bin/busy 100 loud".
# Small: xz-compressed, no fonts, locales or themes.
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
	args=""
	[ "$path" = "$p" ] || args=${p#* }
	cp "$path" "$dir/boot/"
	names+=("$(basename "$path")${args:+ $args}")
done
"$(dirname "$0")/mkgrubcfg.sh" "$(dirname "$0")/../boot/grub.cfg" \
	"$cmdline" "${names[@]}" >"$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$iso" "$dir" --compress=xz --fonts= --locales= \
	--themes= --install-modules="multiboot normal serial terminal \
	configfile iso9660 biosdisk part_msdos" 2>/dev/null
grub-file --is-x86-multiboot "$kernel"
