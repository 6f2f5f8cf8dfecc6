#!/usr/bin/env bash
# make cross: build a real i686-elf cross toolchain (binutils, and GCC for
# C only) from Debian's source packages, offline, into a cache outside the
# tree. The Makefile prefers i686-elf- whenever it is on PATH:
#
#   export PATH=$HOME/.cache/drake-cross/bin:$PATH
#
# Takes 30-60 minutes on two cores; run it once, in the background if you
# like. Never part of make test.
#
# On i686-elf, uint32_t is `unsigned long` (on i686-linux-gnu it is
# `unsigned int`), so kprintf("%x", a_uint32) would trip -Wformat: the
# Makefile sees that and leaves format checking to the other builds.
# Environment: CROSS_PREFIX (default ~/.cache/drake-cross), JOBS.
set -eu
prefix=${CROSS_PREFIX:-$HOME/.cache/drake-cross}
target=i686-elf
jobs=${JOBS:-$(nproc)}
work=$prefix/src

if [ -x "$prefix/bin/$target-gcc" ]; then
	echo "cross: $prefix/bin/$target-gcc is already built"
	exit 0
fi

# The sources come as Debian packages (tarballs under /usr/src), so no
# network access beyond the package mirror is needed.
pkgs="binutils-source gcc-12-source libmpfr-dev libmpc-dev libgmp-dev texinfo
bison flex xz-utils"
missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "cross: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$work"
cd "$work"
binutils_tar=$(ls /usr/src/binutils/binutils-*.tar.* | head -1)
gcc_tar=$(ls /usr/src/gcc-12/gcc-*.tar.* | head -1)
[ -d binutils ] || { mkdir binutils && tar -xf "$binutils_tar" -C binutils --strip-components=1; }
if [ ! -d gcc ]; then
	mkdir gcc && tar -xf "$gcc_tar" -C gcc --strip-components=1
	# Debian's tarball leaves out the GFDL manuals, which GCC's build
	# regenerates tm.texi against; Debian's own patch skips that step.
	patch -d gcc -p2 </usr/src/gcc-12/patches/gcc-gfdl-build.diff
fi

echo "cross: binutils -> $prefix"
mkdir -p build-binutils
(cd build-binutils &&
	../binutils/configure --target=$target --prefix="$prefix" \
		--with-sysroot --disable-nls --disable-werror --disable-gdb \
		--disable-sim &&
	make -j"$jobs" && make install)

# GCC: C only, no libc (-ffreestanding kernels), libgcc for __udivdi3.
echo "cross: gcc -> $prefix"
export PATH=$prefix/bin:$PATH
mkdir -p build-gcc
(cd build-gcc &&
	../gcc/configure --target=$target --prefix="$prefix" --disable-nls \
		--enable-languages=c --without-headers --disable-multilib \
		--disable-libssp --disable-libquadmath --disable-shared &&
	make -j"$jobs" all-gcc all-target-libgcc &&
	make install-gcc install-target-libgcc)
echo "cross: done: export PATH=$prefix/bin:\$PATH"
