#!/usr/bin/env bash
# Builds the Linux bundle of the GUI with the fyne tool: "Enroll Station.tar.xz" in
# bin/package/, holding the program, its desktop entry and its icon, all named from
# FyneApp.toml. The bundle is checked before this says it is done.
#
# `fyne package` rewrites FyneApp.toml (it raises Build by one on every run, whatever
# --app-build says); the file is put back as it was, so packaging leaves the tree clean.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
fyne="$(go env GOPATH)/bin/fyne"
out="$root/bin/package"
exe="$root/bin/enrollstation"

[ -x "$exe" ] || { echo "package: $exe is missing; run make build first" >&2; exit 1; }
mkdir -p "$out"
backup="$(mktemp)"
cp FyneApp.toml "$backup"
trap 'cp "$backup" FyneApp.toml; rm -f "$backup"' EXIT

rm -f "$out/Enroll Station.tar.xz"
# The tool writes into the folder it runs in; --src is where FyneApp.toml is.
(cd "$out" && "$fyne" package --target linux --src "$root" --executable "$exe")
scripts/check-package.sh "$out/Enroll Station.tar.xz"
echo "package: wrote $out/Enroll Station.tar.xz"
