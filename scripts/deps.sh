#!/usr/bin/env bash
# Install the Debian packages hypsim needs; skips what is already present.
# Run as root on Debian 12.  Used by both README commands.
set -euo pipefail
pkgs=(build-essential cmake pkg-config git
      libunicorn-dev libcapstone-dev check libjansson-dev libxxhash-dev libfuzzer-14-dev libfdt-dev
      clang lld llvm binutils-s390x-linux-gnu
      qemu-system-misc qemu-system-arm gdb-multiarch
      linux-source-6.1 gcc-riscv64-linux-gnu gcc-aarch64-linux-gnu flex bison bc cpio xz-utils
      opensbi)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi
echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install packages (run as root, or install: ${missing[*]})" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
