# The two commands of README.md: `make demo` and `make test`; then `make windows` and `make package`.
SHELL := /bin/bash
STATICCHECK_VERSION ?= v0.8.2
FYNE_TOOLS_VERSION ?= v1.7.4
export STATICCHECK_VERSION FYNE_TOOLS_VERSION
GOBIN := $(shell go env GOPATH)/bin
BIN := bin
FUZZTIME ?= 5s
BENCHTIME ?= 1s
# cgo compiles C with clang. To learn what each C name is, cgo compiles a file that uses
# every name in five wrong ways; GCC looks for a spelling suggestion at each error among all
# the names declared so far, so its pass over go-gl's 5,700 OpenGL names takes four minutes
# on each build flavour (plain, -race; nine for Windows), and clang's, which stops
# suggesting after 50, takes two seconds. `make CC=gcc ...` builds with GCC.
CC := clang
export CC
WINDOWS_CC ?= clang --target=x86_64-w64-mingw32

.PHONY: demo test windows package setup setup-test setup-windows setup-package build vet fmt-check staticcheck unit unit-both fuzz bench screenshots clean

demo: setup build
	./$(BIN)/enrollstation --demo

test: setup-test fmt-check vet staticcheck unit fuzz

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

setup-windows:
	@scripts/setup.sh --windows

setup-package:
	@scripts/setup.sh --package

build:
	go build -o $(BIN)/ ./cmd/...

# The two programs for 64-bit Windows, cross-compiled with mingw-w64: the GUI needs cgo for
# its OpenGL window (and is linked as a GUI program, so no console opens with it); enrollctl
# is pure Go. Both decode JPEG with Go's image/jpeg (noturbo): libjpeg-turbo is not there.
# No -race: it is a release build, and the tests run on Linux. clang compiles the C code for
# the mingw-w64 target against its headers (GCC's name pass, above, took nine of the build's
# eleven minutes here); mingw-w64's GCC links, with its runtime and Windows libraries.
windows: setup-windows
	mkdir -p $(BIN)/windows
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC="$(WINDOWS_CC)" \
		go build -tags noturbo -ldflags "-H=windowsgui -extld=x86_64-w64-mingw32-gcc" -o $(BIN)/windows/ ./cmd/enrollstation
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -tags noturbo -o $(BIN)/windows/ ./cmd/enrollctl
	@for f in $(BIN)/windows/enrollstation.exe $(BIN)/windows/enrollctl.exe; do \
		[ "$$(head -c 2 "$$f")" = MZ ] || { echo "$$f is not a Windows program"; exit 1; }; \
	done; echo "windows: wrote $(BIN)/windows/enrollstation.exe and $(BIN)/windows/enrollctl.exe"

# The Linux bundle (program, desktop entry, icon from FyneApp.toml) in $(BIN)/package/.
package: setup-package
	go build -o $(BIN)/ ./cmd/enrollstation
	scripts/package.sh

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...

staticcheck:
	$(GOBIN)/staticcheck ./...

# The UI tests and the smoke test need a display: xvfb-run gives them one. A throwaway
# PostgreSQL server serves the tests of sites with several stations, and the store's whole
# suite runs a second time on it. The 10,000-person migration, file to PostgreSQL, is the
# same test in both passes: it runs once, without the race detector, which multiplied its
# time by ten (200 s) and finds nothing the small copies under it do not: the same code
# with the same goroutines.
BIG_COPY := ^TestCopyToPostgresTenThousandPeople$$
unit:
	mkdir -p "$${HOME:-/root}/.cache"
	scripts/with-postgres.sh $(MAKE) --no-print-directory unit-both

unit-both:
	xvfb-run -a -s "-screen 0 1280x1024x24" go test -race -count=1 -timeout 20m -skip '$(BIG_COPY)' ./...
	go test -count=1 -timeout 10m -run '$(BIG_COPY)' ./store
	ENROLLSTATION_STORE_BACKEND=postgres go test -race -count=1 -timeout 10m -skip '$(BIG_COPY)' ./store

fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# One table of the figures the benchmarks report (benchmark, figure, unit). Packages run
# one at a time (-p 1): some figures (the CLUe pacing floor, throughputs) are about time.
# The start-up figure (enrollstation.FirstFrame) draws on an Xvfb of its own, skipped where
# none is installed (setup-test installs it).
bench:
	@set -o pipefail; scripts/with-postgres.sh go test -p 1 -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 30m ./... 2>&1 | awk -f scripts/benchtable.awk

# The README's pictures: one demo enrollment, the History detail, the Devices screen and the Firmware wizard,
# drawn under Xvfb (softpipe reads the window back as drawn; llvmpipe gives black).
screenshots: setup-test build
	GALLIUM_DRIVER=softpipe FYNE_SCALE=1 xvfb-run -a -s "-screen 0 1280x1024x24" ./$(BIN)/enrollstation --demo --screenshots docs/screenshots

clean:
	rm -rf $(BIN)
