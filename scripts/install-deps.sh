#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Install libssm's build and test dependencies (DESIGN.md §2) with apt-get.
# Idempotent: packages already installed are left alone, and apt-get is only
# called when something is missing. Needs root (or sudo) when it installs.
set -eu

PACKAGES="
build-essential meson ninja-build pkg-config
libyajl-dev libyaml-dev libmbedtls-dev libcurl4-openssl-dev libsqlite3-dev sqlite3
libmicrohttpd-dev libwslay-dev libuv1-dev libpcre2-dev libcmocka-dev
swig python3-dev python3-pytest golang-go
etcd-server etcd-client awscli wrk
valgrind clang-format clang libclang-rt-14-dev
dpkg-dev libdpkg-dev rpm librpm-dev python3-rpm
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all dependencies present"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-deps: missing packages:$missing" >&2
		echo "install-deps: run as root or install sudo" >&2
		exit 1
	fi
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
