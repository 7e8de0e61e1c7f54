# The two commands of README.md: `make demo` and `make test`.
SHELL := /bin/bash
STATICCHECK_VERSION ?= v0.8.2
export STATICCHECK_VERSION
GOBIN := $(shell go env GOPATH)/bin
BIN := bin
FUZZTIME ?= 10s
BENCHTIME ?= 1s

.PHONY: demo test setup setup-test build vet fmt-check staticcheck unit fuzz bench screenshots clean

demo: setup build
	./$(BIN)/enrollstation --demo

test: setup-test fmt-check vet staticcheck unit fuzz

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

build:
	go build -o $(BIN)/ ./cmd/...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...

staticcheck:
	$(GOBIN)/staticcheck ./...

# The UI tests and the smoke test need a display: xvfb-run gives them one.
unit:
	mkdir -p "$${HOME:-/root}/.cache"
	xvfb-run -a -s "-screen 0 1280x1024x24" go test -race -count=1 -timeout 20m ./...

fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# One table of the figures the benchmarks report (benchmark, figure, unit). Packages run
# one at a time (-p 1): some figures (the CLUe pacing floor, throughputs) are about time.
# The start-up figure (enrollstation.FirstFrame) draws on an Xvfb of its own, skipped where
# none is installed (setup-test installs it).
bench:
	@set -o pipefail; go test -p 1 -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 30m ./... 2>&1 | awk -f scripts/benchtable.awk

# The README's pictures: one demo enrollment, the History detail, the Devices screen and the Firmware wizard,
# drawn under Xvfb (softpipe reads the window back as drawn; llvmpipe gives black).
screenshots: setup-test build
	GALLIUM_DRIVER=softpipe FYNE_SCALE=1 xvfb-run -a -s "-screen 0 1280x1024x24" ./$(BIN)/enrollstation --demo --screenshots docs/screenshots

clean:
	rm -rf $(BIN)
