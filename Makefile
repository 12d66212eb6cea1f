# SPDX-License-Identifier: Apache-2.0
# ecs-tasks: the user-facing targets. CMake holds the build graph; this file
# keeps the commands people type (the original project's Makefile had
# build/publish/clean too).
#
#   make deps     install everything the build and the tests need (Debian + python3 check)
#   make demo     build, then show the main job against local emulators (under a minute)
#   make test     build (normal + ASan/UBSan variants) and run every test with ctest
#   make build    build/$(FUNCTION_NAME).zip: a static bootstrap at its root (ARCH=arm64: -arm64.zip)
#   make publish  upload the zip to s3://$(S3_BUCKET)/$(FUNCTION_NAME).zip, print URL and version
#   make dist     the CLI downloads: build/ecs-tasks-VERSION-linux-{x86_64,arm64}.tar.gz + SHA256SUMS
#   make install  the CLI and its man page under $(PREFIX) (default /usr/local)
#   make fuzz     every libFuzzer target for FUZZ_SECONDS each (clang)
#   make bench    every benchmark beside its anchor: bench/results/results.md
#   make clean    remove build outputs

FUNCTION_NAME ?= ecsTasks
ARCH ?= x86_64
S3_BUCKET ?=
S3_KEY ?= $(notdir $(ZIP))
PYTHON ?= python3
PREFIX ?= /usr/local
ECS_DEPS_DIR ?= $(HOME)/.cache/ecs-tasks
export ECS_DEPS_DIR
STRIP = $(if $(filter arm64,$(ARCH)),aarch64-linux-gnu-strip,strip)
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Twice the cores for ctest: the integration tests spend most of their time
# waiting on their servers and on the product's poll intervals (measured on 2
# cores: 754 s at -j 2, 413 s at -j 4).
# Warnings are errors in make test (and so in CI); a user's make build with
# another compiler version is not broken by a warning that version adds.
WERROR ?= OFF
TEST_JOBS ?= $(shell echo $$(( $(JOBS) * 2 )))
CTEST_ARGS ?=

.PHONY: all deps configure compile test build publish publish-only dist dist-only install fuzz clean format bench demo

all: compile

deps:
	./scripts/setup.sh

# clang when there is one: it also builds the libFuzzer targets.
CC_DEV ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo cc)

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=$(CC_DEV) -DECS_WERROR=ON

configure: $(BUILD_DIR)/CMakeCache.txt

compile: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: compile
	$(MAKE) build WERROR=ON
	$(MAKE) build ARCH=arm64 WERROR=ON
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(TEST_JOBS) $(CTEST_ARGS)

# The release build: a static bootstrap (OpenSSL and libcurl from Debian's
# source packages, built once per architecture by scripts/build-deps.sh into
# $(ECS_DEPS_DIR)), zipped at the zip's root.
RELEASE_DIR = build/release-$(ARCH)
ZIP = build/$(FUNCTION_NAME)$(if $(filter arm64,$(ARCH)),-arm64,).zip

build:
	./scripts/build-deps.sh $(ARCH)
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=MinSizeRel -DECS_STATIC=ON -DECS_WERROR=$(WERROR) \
	  -DECS_DEPS_PREFIX=$$(./scripts/build-deps.sh --prefix $(ARCH)) $(if $(filter arm64,$(ARCH)),-DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/scripts/aarch64.cmake,) >/dev/null
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target ecs-tasks
	rm -rf $(RELEASE_DIR)/zip && mkdir -p $(RELEASE_DIR)/zip
	cp $(RELEASE_DIR)/ecs-tasks $(RELEASE_DIR)/zip/bootstrap
	$(STRIP) $(RELEASE_DIR)/zip/bootstrap
	rm -f $(ZIP)
	cd $(RELEASE_DIR)/zip && zip -q -X -9 $(CURDIR)/$(ZIP) bootstrap
	@echo "built $(ZIP) ($$(stat -c %s $(ZIP)) bytes, $(ARCH))"

# The zip just built doing its main job on loopback, against the emulators
# the integration tests use (scripts/demo.py); it stops all it started.
demo: build
	$(PYTHON) scripts/demo.py $(ZIP)

publish: build publish-only

# publish-only uploads the zip already built (tests use it against moto's S3).
publish-only:
	$(PYTHON) scripts/publish.py $(ZIP) "$(S3_BUCKET)" $(S3_KEY)

# The command-line downloads: the static release binary of each architecture
# (what `make build` zips as bootstrap), its man page, README and LICENSE, one
# tarball per architecture, and a sha256sum -c file (scripts/dist.sh).
VERSION := $(shell sed -n 's/^project.ecs_tasks VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
DIST_DIR ?= build

dist:
	$(MAKE) build ARCH=x86_64
	$(MAKE) build ARCH=arm64
	$(MAKE) dist-only

# dist-only packages the binaries already built (tests use it).
dist-only:
	./scripts/dist.sh $(VERSION) $(DIST_DIR)

install: compile
	install -D -m 755 $(BUILD_DIR)/ecs-tasks $(DESTDIR)$(PREFIX)/bin/ecs-tasks
	install -D -m 644 doc/ecs-tasks.1 $(DESTDIR)$(PREFIX)/share/man/man1/ecs-tasks.1

# Every fuzz target for FUZZ_SECONDS (default 60) each.
FUZZ_SECONDS ?= 60
fuzz: compile
	cd $(BUILD_DIR) && cmake -DECS_FUZZ_SECONDS=$(FUZZ_SECONDS) . >/dev/null && \
	  ctest -R '^fuzz/' --output-on-failure; rc=$$?; cmake -DECS_FUZZ_SECONDS=5 . >/dev/null; exit $$rc

# Every benchmark beside its anchor, one results table: bench/results/results.md.
# Its anchors: the floor program (bench/floor.c, static) and the development
# build's binary; the arm64 zip for its size.
bench: build configure
	$(MAKE) build ARCH=arm64
	cmake --build $(BUILD_DIR) -j $(JOBS) --target ecs-tasks
	mkdir -p $(BUILD_DIR)/bench
	$(CC) -O2 -static-pie -fPIE -o $(BUILD_DIR)/bench/floor bench/floor.c
	./bench/run.sh $(CURDIR)/$(RELEASE_DIR)/zip/bootstrap $(CURDIR)/$(BUILD_DIR)/bench/floor \
	  $(CURDIR)/$(BUILD_DIR)/ecs-tasks

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD_DIR)
