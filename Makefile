# 职业健康工作站 — build, test and packaging.
#
#   make run     install missing system packages, build, open the GUI on the default archive
#   make test    go vet, the window check under Xvfb, go test -race (what .ci/run calls)
#   make dist    Linux binary, Windows .exe and NSIS installer in dist/
#
# System packages are installed by scripts/deps.sh (Debian/Ubuntu, apt, as root or with sudo);
# it does nothing when they are all present.

SHELL := /bin/bash
.DEFAULT_GOAL := build

GO      ?= go
BIN     := bin/occhealth
PKG     := .
TAGS    :=
RACE_BIN := bin/occhealth-race

# ---- system packages (Debian/Ubuntu names) -------------------------------------------------
# Building the GUI (cgo GLFW).
BUILD_PKGS := gcc libc6-dev libgl1-mesa-dev xorg-dev
# The window check (Xvfb, screenshot, OCR) and PDF checks in tests.
TEST_PKGS  := xvfb xauth xdotool imagemagick tesseract-ocr tesseract-ocr-chi-sim poppler-utils
# Services the tests start themselves:
#   postgresql   internal/pgtest starts a throwaway cluster (initdb/pg_ctl in a temp dir, Unix
#                socket) for store/pg and the service tests on PostgreSQL
# CUPS with Debian's virtual PDF printer: scripts/cups-check.sh starts cupsd and adds the
# queue OCC-PDF; reports/printer's test prints to it (N pages in, N x copies out).
SERVICE_PKGS := postgresql cups cups-client printer-driver-cups-pdf
# Windows cross-build and installer.
DIST_PKGS  := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis imagemagick p7zip-full

# ---- version -------------------------------------------------------------------------------
# APP_VERSION (x.y.z) comes from FyneApp.toml; VERSION, for humans, from git describe
# (a tag, or APP_VERSION-g<commit> before the first tag); NUMVER (x.y.z.commits) for
# Windows resources, which want four numbers.
APP_VERSION := $(shell sed -n 's/^Version *= *"\([0-9.]*\)".*/\1/p' FyneApp.toml)
VERSION     := $(shell git describe --tags --dirty 2>/dev/null || \
		echo $(APP_VERSION)-g$$(git describe --always --dirty 2>/dev/null || echo unknown))
COMMITS     := $(shell git rev-list --count HEAD 2>/dev/null || echo 0)
NUMVER      := $(APP_VERSION).$(COMMITS)
LDFLAGS     := -X main.version=$(VERSION)

TEST_ENV := LANG=C.UTF-8 LC_ALL=C.UTF-8

.PHONY: deps deps-build deps-test deps-dist build run test test-modes vet test-go window-check bench \
	dist dist-linux dist-windows check-windows clean

deps: deps-build

deps-build:
	@scripts/deps.sh $(BUILD_PKGS)

deps-test:
	@scripts/deps.sh $(BUILD_PKGS) $(TEST_PKGS) $(SERVICE_PKGS)

deps-dist:
	@scripts/deps.sh $(BUILD_PKGS) $(DIST_PKGS)

build: deps-build
	CGO_ENABLED=1 $(GO) build $(if $(TAGS),-tags $(TAGS)) -ldflags "$(LDFLAGS)" -o $(BIN) $(PKG)

run: build
	$(BIN)

# The window check runs on a -race build of the real program: it shares the compiled
# packages with go test -race (one cold cgo build instead of two) and fails on a data race
# at start-up. It runs before the unit tests so that go test's lines close the output (CI
# reads them), and fails fast when the program does not start.
test: deps-test
	$(TEST_ENV) $(GO) vet ./...
	CGO_ENABLED=1 $(GO) build -race $(if $(TAGS),-tags $(TAGS)) -ldflags "$(LDFLAGS)" -o $(RACE_BIN) $(PKG)
	scripts/window-check.sh $(RACE_BIN)
	cups_env="$$(scripts/cups-check.sh)" && $(TEST_ENV) env $$cups_env $(GO) test -race ./...
	$(MAKE) --no-print-directory test-modes

# The service tests (store/bolt) again in the other storage modes: the archive in a throwaway
# PostgreSQL cluster (internal/pgtest), and behind the application server (OCCHEALTH_TEST_MODE=
# server) with bbolt and with PostgreSQL. A behaviour that differs between modes is a bug.
TEST_MODES := postgres
test-modes:
	@for m in $(TEST_MODES); do \
		echo "store/bolt service tests, engine $$m"; \
		$(TEST_ENV) OCCHEALTH_TEST_ENGINE=$$m OCCHEALTH_REQUIRE_PG=1 $(GO) test -count=1 ./store/bolt || exit 1; \
	done
	@echo "store/bolt service tests through the application server on loopback, bbolt behind it"
	$(TEST_ENV) OCCHEALTH_TEST_MODE=server $(GO) test -count=1 ./store/bolt
	@echo "store/bolt service tests and the remote tests through the server, PostgreSQL behind it"
	$(TEST_ENV) OCCHEALTH_TEST_MODE=server OCCHEALTH_TEST_ENGINE=postgres OCCHEALTH_REQUIRE_PG=1 $(GO) test -count=1 ./store/bolt ./store/remote

vet: deps-build
	$(TEST_ENV) $(GO) vet ./...

test-go: deps-build
	$(TEST_ENV) $(GO) test -race ./...

window-check: deps-test
	CGO_ENABLED=1 $(GO) build -race $(if $(TAGS),-tags $(TAGS)) -ldflags "$(LDFLAGS)" -o $(RACE_BIN) $(PKG)
	scripts/window-check.sh $(RACE_BIN)

BENCH ?= .
bench: deps-build
	$(TEST_ENV) $(GO) test -run '^$$' -bench '$(BENCH)' -benchmem ./...

# ---- packaging -----------------------------------------------------------------------------
dist: deps-dist
	rm -rf dist
	$(MAKE) --no-print-directory dist-linux dist-windows

dist-linux:
	VERSION=$(VERSION) TAGS=$(TAGS) scripts/dist-linux.sh

dist-windows:
	VERSION=$(VERSION) NUMVER=$(NUMVER) TAGS=$(TAGS) scripts/dist-windows.sh

check-windows: deps-dist
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) vet $(if $(TAGS),-tags $(TAGS)) ./...

clean:
	rm -rf bin dist rsrc_windows_amd64.syso
