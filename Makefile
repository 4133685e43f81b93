# rgbook: the two commands are `make book` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.rgbook-installed
BUILD  := _build
# Hash of everything the chapters import from: when it changes the execution cache is stale.
SOURCES_HASH = $(shell cat rgbook/*.py pyproject.toml | sha256sum | cut -d' ' -f1)

BROWSER_STAMP := $(VENV)/.rgbook-browser

.PHONY: help venv test test-slow book check-book figures bench check-determinism clean

help:
	@echo "make book       create .venv, install, execute every chapter and build the HTML book"
	@echo "make test       create .venv if missing and run the (fast) test suite"
	@echo "make test-slow  run the long numerical checks marked 'slow'"
	@echo "make check-book open every page of the built book in headless Chromium (needs /usr/bin/chromium)"
	@echo "make figures    write every figure file (PDF, PNG, provenance) without building the book"
	@echo "make bench      print speed ratios (samplers, enumeration, training step, book build)"
	@echo "make check-determinism  build twice from cold and compare figure data and ledger hashes"
	@echo "make clean      remove the built book, its execution cache and the claims ledger"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# torch is pinned and installed first: an unpinned resolve pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[book,test]'
	@touch $@

venv: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP)
	@# pytest exits 5 when no test is selected; that is not a failure of the slow suite.
	$(BIN)/python -m pytest -m slow || { rc=$$?; [ $$rc -eq 5 ] && echo "no slow tests selected"; [ $$rc -eq 5 ]; }

book: $(STAMP)
	@mkdir -p $(BUILD)
	@if [ "$$(cat $(BUILD)/.rgbook-sources 2>/dev/null)" != "$(SOURCES_HASH)" ]; then \
	  echo "rgbook sources changed: clearing the execution cache so every chapter re-executes"; \
	  rm -rf $(BUILD)/.jupyter_cache $(BUILD)/jupyter_execute $(BUILD)/claims $(BUILD)/figures; \
	  echo "$(SOURCES_HASH)" > $(BUILD)/.rgbook-sources; \
	fi
	@# The hash is recorded as soon as the cache is cleared: whatever executes from now on runs
	@# the current sources, so a failing chapter does not force the others to re-execute.
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	$(BIN)/python -m rgbook ledger --require-all
	@echo "Book built: $(CURDIR)/$(BUILD)/html/index.html"

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[browser]'
	@touch $@

check-book: book $(BROWSER_STAMP)
	@test -x /usr/bin/chromium || { echo "check-book needs Debian's Chromium: apt-get install chromium" >&2; exit 2; }
	$(BIN)/python scripts/check_book.py $(BUILD)/html

figures: $(STAMP)
	$(BIN)/python -m rgbook figures

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

check-determinism: $(STAMP)
	scripts/check_determinism.sh

clean:
	rm -rf $(BUILD)
