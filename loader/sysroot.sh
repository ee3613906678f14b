#!/bin/sh
# SPDX-License-Identifier: MIT
# Make a private sysroot of a foreign Debian architecture's libraries for
# the static purgkit-load, without touching the machine's dpkg
# architectures: apt runs with its own lists, sources and cache under the
# sysroot, downloads the -dev packages, and dpkg -x unpacks them.
# Usage: loader/sysroot.sh DEBIAN-ARCH DIR    (e.g. ppc64el .cache/sysroot-ppc64el)
set -eu

arch=$1
root=$2
suite=${PK_SYSROOT_SUITE:-bookworm}
mirror=${PK_SYSROOT_MIRROR:-http://deb.debian.org/debian}
packages="libelf-dev libelf1 zlib1g-dev zlib1g libssl-dev libssl3 libfdt-dev libfdt1 libzstd-dev libzstd1 liblzma-dev liblzma5 liblz4-dev liblz4-1"

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
