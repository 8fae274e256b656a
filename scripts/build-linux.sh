#!/usr/bin/env bash
# Build (or find in the cache) a Linux kernel Image for hypsim's Linux guests,
# from Debian's linux-source-6.1 with Debian's cross compiler, and link it
# into a guest directory as linux/ARCH/Image.
#
# usage: scripts/build-linux.sh riscv64|arm64 [--guest-dir DIR]
#
#   DIR defaults to build/guest.  The inputs are scenarios/guest/linux/ARCH/
#   linux.config (a Kconfig fragment merged over `make tinyconfig`) and, shared
#   by both architectures, scenarios/guest/linux/initramfs.list (gen_init_cpio)
#   and init.c (the /init, built with the kernel's own tools/include/nolibc).  The Image is cached outside the source
#   tree in ${HYPSIM_CACHE:-${XDG_CACHE_HOME:-~/.cache}/hypsim}/linux-ARCH-KEY,
#   KEY a hash of those inputs, the recipe version below, the linux-source-6.1
#   package version and the cross compiler's version: only the first build on a machine
#   pays (about 4-5 minutes on 2 cores).  The build is reproducible (fixed
#   KBUILD_BUILD_* and timestamps, no host path in the Image): the same inputs
#   give the same Image on any machine and from any checkout path.
set -euo pipefail
recipe=2 # bump when the build steps below change what they produce
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "build-linux.sh: $*" >&2; exit 2; }

arch=${1:-}
case "$arch" in
riscv64) karch=riscv cross=riscv64-linux-gnu-
	 need="64BIT MMU SMP PRINTK TTY RISCV_SBI_V01 HVC_RISCV_SBI SERIAL_EARLYCON_RISCV_SBI BLK_DEV_INITRD"
	 need="$need BINFMT_ELF NONPORTABLE RISCV_ISA_C FPU RISCV_TIMER PROC_FS" ;;
arm64)	 karch=arm64 cross=aarch64-linux-gnu-
	 need="ARM64_4K_PAGES SMP PRINTK TTY SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE SERIAL_EARLYCON ARM_GIC_V3"
	 need="$need ARM_ARCH_TIMER ARM_PSCI_FW BLK_DEV_INITRD BINFMT_ELF PROC_FS" ;;
*) die "usage: build-linux.sh riscv64|arm64 [--guest-dir DIR]" ;;
esac
shift
guest_dir=$here/build/guest
while [ $# -gt 0 ]; do
	case "$1" in
	--guest-dir) [ $# -ge 2 ] || die "--guest-dir needs a directory"; guest_dir=$2; shift 2 ;;
	*) die "unexpected '$1'" ;;
	esac
done

inputs=$here/scenarios/guest/linux/$arch
shared=$here/scenarios/guest/linux
src_tar=/usr/src/linux-source-6.1.tar.xz
for t in ${cross}gcc ${cross}ld gcc make flex bison bc cpio xz perl sha256sum flock; do
	command -v "$t" >/dev/null || die "missing tool '$t' (bash scripts/deps.sh installs it)"
done
[ -r "$src_tar" ] || die "missing $src_tar (bash scripts/deps.sh installs linux-source-6.1)"

key=$( { cat "$inputs/linux.config" "$shared/initramfs.list" "$shared/init.c"; echo "recipe $recipe"
	 dpkg-query -W -f='${Version}\n' linux-source-6.1
	 ${cross}gcc --version | head -1; } | sha256sum | cut -c1-16)
cache_root=${HYPSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hypsim}
cache=$cache_root/linux-$arch-$key
mkdir -p "$cache_root"

build() {
	local work=$cache.tmp k start
	rm -rf "$work"
	mkdir -p "$work"
	echo "build-linux.sh: building Linux for $arch into $cache (a few minutes, once per machine)"
	tar -C "$work" -xf "$src_tar"
	k=$work/linux-source-6.1
	mkdir -p "$k/hypsim"
	cp "$shared/init.c" "$shared/initramfs.list" "$k/hypsim/"
	if ! (
		cd "$k"
		export ARCH=$karch CROSS_COMPILE=$cross KBUILD_BUILD_TIMESTAMP=1970-01-01 KBUILD_BUILD_USER=hypsim
		export KBUILD_BUILD_HOST=hypsim KBUILD_BUILD_VERSION=1 TZ=UTC LC_ALL=C LANG=C SOURCE_DATE_EPOCH=0
		unset KCONFIG_CONFIG KBUILD_OUTPUT O CFLAGS LDFLAGS
		umask 022
		make -s tinyconfig
		scripts/kconfig/merge_config.sh -m .config "$inputs/linux.config" >/dev/null
		make -s olddefconfig
		for o in $need; do
			grep -qx "CONFIG_$o=y" .config || { echo "build-linux.sh: CONFIG_$o is not set" >&2; exit 1; }
		done
		make -s headers
		# /init against this tree's UAPI headers; gen_init_cpio stores the file's mtime
		${cross}gcc -Os -Wall -static -nostdlib -nostdinc -isystem "$(${cross}gcc -print-file-name=include)" \
			-I usr/include -I tools/include/nolibc -include nolibc.h -fno-asynchronous-unwind-tables \
			-fno-ident -fno-stack-protector -fno-pie -no-pie -Wl,--build-id=none -s \
			-o hypsim/init hypsim/init.c -lgcc
		touch -h -d @0 hypsim/init
		start=$(date +%s)
		make -s -j"$(nproc)" Image
		echo "make Image: $(( $(date +%s) - start )) s on $(nproc) cores" >"$work/build-time.txt"
		cp arch/$karch/boot/Image System.map .config hypsim/init "$work/"
	) >"$cache_root/build-linux-$arch.log" 2>&1; then
		tail -30 "$cache_root/build-linux-$arch.log" >&2
		die "the kernel build failed (log: $cache_root/build-linux-$arch.log)"
	fi
	cat "$work/build-time.txt"
	if strings "$work/Image" | grep -q -e "$work" -e "$here"; then
		die "the Image holds a host path: not reproducible"
	fi
	rm -rf "$k"
	mv "$work/.config" "$work/config"
	sha256sum "$work/Image" | cut -d' ' -f1 >"$work/Image.sha256"
	mv "$work" "$cache"
}

(
	flock 9
	[ -s "$cache/Image" ] || build
) 9>"$cache_root/.lock-linux-$arch"

mkdir -p "$guest_dir/linux/$arch"
ln -sfn "$cache/Image" "$guest_dir/linux/$arch/Image"
ln -sfn "$cache/System.map" "$guest_dir/linux/$arch/System.map" # to name the PCs of a trace
echo "build-linux.sh: $guest_dir/linux/$arch/Image -> $cache/Image ($(cat "$cache/Image.sha256" | cut -c1-16))"
