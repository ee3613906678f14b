#!/bin/sh
# SPDX-License-Identifier: MIT
# Make a private sysroot of a foreign Debian architecture's libraries for
# the static purgkit-load, without touching the machine's dpkg
# architectures: apt runs with its own lists, sources and cache under the
# sysroot, downloads the -dev packages, and dpkg -x unpacks them.
# Only the -dev packages: they hold the static archives and headers the
# static link needs (the runtime packages hold shared libraries only, and
# their names change between releases, e.g. Debian 13's libelf1t64).
# Usage: loader/sysroot.sh DEBIAN-ARCH DIR [SUITE]
#   e.g. ppc64el .cache/sysroot-ppc64el; riscv64 .cache/sysroot-riscv64 trixie
#   SUITE: the Debian release to take them from (SYSROOT_SUITE of the
#   target row, mk/targets.mk), default bookworm
set -eu

arch=$1
root=$2
suite=${3:-bookworm}
mirror=${PK_SYSROOT_MIRROR:-http://deb.debian.org/debian}
# libxxhash-dev: a later Debian's liblz4.a calls the system xxhash
# (bookworm's carries its own copy).
packages="libelf-dev zlib1g-dev libssl-dev libfdt-dev libzstd-dev liblzma-dev liblz4-dev libxxhash-dev"

rm -rf "$root.tmp"
mkdir -p "$root.tmp/apt/lists/partial" "$root.tmp/apt/cache/archives/partial" \
	"$root.tmp/debs" "$root.tmp/root"
state=$(cd "$root.tmp/apt" && pwd)
echo "deb [arch=$arch] $mirror $suite main" > "$state/sources.list"
: > "$state/status"	# an empty dpkg status: nothing is "installed"
apt_opts="-o APT::Architecture=$arch -o APT::Architectures=$arch \
	-o Dir::State=$state -o Dir::State::Lists=$state/lists \
	-o Dir::State::status=$state/status \
	-o Dir::Cache=$state/cache -o Dir::Etc::sourcelist=$state/sources.list \
	-o Dir::Etc::sourceparts=- -o Debug::NoLocking=1"
# shellcheck disable=SC2086
apt-get $apt_opts -q update >/dev/null
cd "$root.tmp/debs"
# shellcheck disable=SC2086
apt-get $apt_opts -q download $(for p in $packages; do echo "$p:$arch"; done)
cd - >/dev/null
for deb in "$root.tmp"/debs/*.deb; do
	dpkg -x "$deb" "$root.tmp/root"
done
rm -rf "$root"
mv "$root.tmp/root" "$root"
rm -rf "$root.tmp"
touch "$root/.complete"
echo "sysroot for $arch in $root"
