#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Drake's build and tests need, but only
# the ones that are missing, so a prepared machine pays nothing. tmux is
# the terminal of make bochs-nox (and of its test).
set -eu
pkgs="qemu-system-x86 grub-pc-bin grub-common xorriso mtools bochs bochsbios
vgabios bochs-term gcc-i686-linux-gnu binutils-i686-linux-gnu clang lld gdb
gcc make tmux"
missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
