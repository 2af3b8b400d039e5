#!/usr/bin/env bash
# deps.sh PKG... — installs the Debian/Ubuntu packages among PKG that are missing.
#
# Quick and silent when everything is present (one dpkg-query, no apt). Otherwise runs
# `apt-get update` once and `apt-get install`, as root or through sudo. On a system
# without dpkg it only lists the packages and carries on, so that `make build` still
# works where someone installed the equivalents by hand.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: dpkg-query not found (not Debian/Ubuntu); make sure these are installed: $*" >&2
	exit 0
fi

missing=()
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
	case "$status" in
	ii*) ;;
	*) missing+=("$pkg") ;;
	esac
done

if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi

echo "deps: installing missing packages: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=(sudo)
	else
		echo "deps: not root and sudo not found; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
fi

# Wait for another apt (e.g. unattended-upgrades on a fresh desktop) instead of failing.
lock=(-o DPkg::Lock::Timeout=300)
"${sudo[@]}" apt-get "${lock[@]}" update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}"
