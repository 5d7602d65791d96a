#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The main job, end to end: install missing dependencies, build libssm and its
# programs, and run the demo on the embedded default store.
set -eu
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
if [ -d build/meson-private ]; then
	meson setup --reconfigure build >/dev/null
else
	meson setup build >/dev/null
fi
meson compile -C build

SSM=./build/examples/ssm/ssm
state=$(mktemp -d /tmp/ssm-demo-XXXXXX)
trap 'rm -rf "$state"' EXIT
# the embedded default store: one SQLite file, kept between invocations
export SSM_STORE="sqlite://$state/state.db"

echo "== libssm demo (state: $SSM_STORE)"
$SSM --version
$SSM store put demo/hello world
$SSM store put demo/greeting "hello from libssm"
echo "== a later invocation reads back what the earlier ones wrote"
$SSM store get demo/hello
$SSM store list demo/
$SSM store revision
