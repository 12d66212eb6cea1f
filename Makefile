# ecs-tasks: the user-facing targets. CMake holds the build graph; this file
# keeps the commands people type (the original project's Makefile had
# build/publish/clean too).
#
#   make deps     install everything the build and the tests need (Debian + python3 check)
#   make test     build (normal + ASan/UBSan variants) and run every test with ctest
#   make build    build/$(FUNCTION_NAME).zip with bootstrap at its root
#   make clean    remove build outputs

FUNCTION_NAME ?= ecsTasks
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?=

.PHONY: all deps configure compile test build clean format bench

all: compile

deps:
	./scripts/setup.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD_DIR)/CMakeCache.txt

compile: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: compile
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

build: compile
	rm -rf $(BUILD_DIR)/zip && mkdir -p $(BUILD_DIR)/zip
	cp $(BUILD_DIR)/ecs-tasks $(BUILD_DIR)/zip/bootstrap
	strip $(BUILD_DIR)/zip/bootstrap
	rm -f $(BUILD_DIR)/$(FUNCTION_NAME).zip
	cd $(BUILD_DIR)/zip && zip -q -X ../$(FUNCTION_NAME).zip bootstrap
	@echo "built $(BUILD_DIR)/$(FUNCTION_NAME).zip"

bench: compile
	./bench/coldstart.sh $(BUILD_DIR)/ecs-tasks

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD_DIR)
