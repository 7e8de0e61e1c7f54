#!/usr/bin/env bash
# Checks a Linux bundle made by `fyne package` against FyneApp.toml: the desktop entry is
# there with the app's Name, an Exec of the program and the Icon named by the app ID, and
# the icon and the program it names are in the bundle too. Usage: check-package.sh TARBALL
set -euo pipefail
cd "$(dirname "$0")/.."
tarball="$1"

# The two fields of FyneApp.toml's [Details] that the bundle is named from.
field() { sed -n "s/^$1 *= *\"\(.*\)\"\$/\1/p" FyneApp.toml | head -n 1; }
name="$(field Name)"
id="$(field ID)"
[ -n "$name" ] && [ -n "$id" ] || { echo "check-package: FyneApp.toml has no Name or ID" >&2; exit 1; }

listing="$(tar -tJf "$tarball")"
passed=0
failed=0
check() { # what, then a command that succeeds when it holds
  local what="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "check-package: FAIL $what" >&2; fi
}
has() { grep -qxF "$1" <<<"$listing"; }
desktop_path="enrollstation/usr/local/share/applications/$id.desktop"
check "the bundle holds $desktop_path" has "$desktop_path"
check "the bundle holds the icon $id.png" has "enrollstation/usr/local/share/pixmaps/$id.png"
check "the bundle holds the program" has "enrollstation/usr/local/bin/enrollstation"

entry="$(tar -xJOf "$tarball" "$desktop_path" 2>/dev/null || true)"
line() { grep -qxF "$1" <<<"$entry"; }
check "the desktop entry says Name=$name" line "Name=$name"
check "the desktop entry says Exec=enrollstation" line "Exec=enrollstation"
check "the desktop entry says Icon=$id" line "Icon=$id"
check "the desktop entry says Type=Application" line "Type=Application"

echo "check-package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
