#!/usr/bin/env bash
# Builds, once, a minimal Debian bookworm root with systemd for the systemd-nspawn test of deploy/lrdoctor.service,
# and prints its path. The root is cached in $LRDOCTOR_NSPAWN_CACHE (default /var/cache/lrdoctor-nspawn) under a name
# that changes with the package list, so a new list builds a new root; the test boots it with --volatile=overlay and
# never writes to it. The mirror is the one apt uses here (override: LRDOCTOR_DEBIAN_MIRROR).
set -euo pipefail

suite=bookworm
# systemd boots the container (nspawn starts its /lib/systemd/systemd), dbus is the system bus its logind wants.
# minbase brings what the daemon needs besides: libc, libstdc++, zlib (it runs with invariant globalization, so no
# ICU) and passwd for the README's useradd.
packages=systemd,dbus
cache=${LRDOCTOR_NSPAWN_CACHE:-/var/cache/lrdoctor-nspawn}
root="$cache/$suite-$(printf '%s %s' "$suite" "$packages" | sha256sum | cut -c1-12)"

for tool in debootstrap systemd-nspawn; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: bash .ci/install-deps debootstrap systemd-container" >&2; exit 1; }
done

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -e "$root/.complete" ]; then
  echo "$root"
  exit 0
fi

mirror=${LRDOCTOR_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  # deb822 (URIs: line of the stanza whose Suites: has the suite) or one-line (deb URI SUITE ...) sources.
  mirror=$(awk -v s="$suite" '
    /^URIs:/ { uri = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s && uri != "") { print uri; exit } }
    /^deb / && $3 == s { print $2; exit }' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

rm -rf "$cache"/.build.*
build=$(mktemp -d "$cache/.build.XXXXXX")
start=$(date +%s)
echo "bookworm-root: debootstrap --variant=minbase --include=$packages $suite from $mirror" >&2
if ! nice -n 10 debootstrap --variant=minbase --include="$packages" "$suite" "$build" "$mirror" >"$build.log" 2>&1; then
  tail -n 30 "$build.log" >&2
  echo "bookworm-root: debootstrap failed (full log: $build.log)" >&2
  exit 1
fi
# The package files and lists are not needed to boot: keep the cache small.
rm -rf "$build"/var/cache/apt/archives/*.deb "$build"/var/lib/apt/lists/*
# nspawn gives the container a transient machine id when this file is empty.
: >"$build/etc/machine-id"
touch "$build/.complete"
rm -rf "$root"
mv "$build" "$root"
# Roots of older package lists are not used any more.
find "$cache" -mindepth 1 -maxdepth 1 -name "$suite-*" ! -path "$root" -exec rm -rf {} +
rm -f "$build.log"
echo "bookworm-root: built $root in $(( $(date +%s) - start )) s ($(du -sh "$root" | cut -f1))" >&2
echo "$root"
