#!/usr/bin/env bash
# Installs what building and testing Enroll Station needs on Debian/Ubuntu, and only what is
# missing: the C toolchain (clang: see the Makefile) and headers of Fyne's cgo build,
# libjpeg-turbo for the preview, Xvfb for the UI tests,
# PostgreSQL for the tests of shared journals, and staticcheck. --windows adds the mingw-w64 cross compiler of `make windows`; --package adds
# xz and the fyne tool of `make package`. Says what it installs.
set -euo pipefail

# fonts-ipafont-gothic: a font with Japanese glyphs, for the Japanese translation. Without
# one, Fyne adds a fallback font for every glyph it cannot find and searches them all at
# each glyph after, so each redraw in Japanese is slower than the one before.
packages=(gcc clang pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev libturbojpeg0-dev fonts-ipafont-gothic)
case "${1:-}" in
  --test) packages+=(xvfb xauth postgresql) ;;
  --windows) packages+=(gcc-mingw-w64-x86-64) ;;
  --package) packages+=(xz-utils) ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: system packages present"
fi

if ! command -v go >/dev/null 2>&1; then
  echo "setup: Go is not installed; install Go 1.26 or newer first" >&2
  exit 1
fi

# Fyne writes a cache below $HOME/.cache and logs an error when it cannot create it.
mkdir -p "${HOME:-/root}/.cache"

gobin="$(go env GOPATH)/bin"
if [ "${1:-}" = "--test" ] && [ ! -x "$gobin/staticcheck" ]; then
  echo "setup: installing staticcheck $STATICCHECK_VERSION"
  go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi

FYNE_TOOLS_VERSION="${FYNE_TOOLS_VERSION:-v1.7.4}"
if [ "${1:-}" = "--package" ] && [ ! -x "$gobin/fyne" ]; then
  echo "setup: installing the fyne tool $FYNE_TOOLS_VERSION"
  go install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
fi
