# rgbook: the two commands are `make book` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.rgbook-installed
BUILD  := _build
LOCK   := requirements.lock
# Chapters executed at once before the HTML build (each with cores / JOBS BLAS and torch threads).
JOBS   ?= 2
# uv installs the lock (pinned: its resolution and install are part of the reproducible build).
UV_VERSION := 0.13.8
# Let every Python process write the byte code of what it imports (see the install rule).
unexport PYTHONDONTWRITEBYTECODE

BROWSER_STAMP := $(VENV)/.rgbook-browser

.PHONY: help venv test test-slow lint audit check-mutation book check-book check-notebook check-cache pdf figures bench check-determinism lock clean

help:
	@echo "make book       create .venv, install, execute every chapter and build the HTML book"
	@echo "make test       create .venv if missing, lint (ruff) and run the (fast) test suite"
	@echo "make audit      list each claim's registration and every change after its data (git history)"
	@echo "make check-mutation  prove the committed record catches a deliberately wrong chapter measure"
	@echo "make test-slow  run the long numerical checks marked 'slow'"
	@echo "make check-book open every page of the built book in headless Chromium (needs /usr/bin/chromium)"
	@echo "make check-notebook run a chapter's downloadable executed notebook in an empty directory (installed package only)"
	@echo "make check-cache prove that editing one chapter module re-executes that chapter and no other"
	@echo "make pdf        the whole book as one PDF (_build/pdf/rgbook.pdf, printed offline by Debian's Chromium), text-checked"
	@echo "make figures    write every figure file (PDF, PNG, provenance) without building the book"
	@echo "make bench      print speed ratios, the cold build time and each chapter's execution time"
	@echo "make lock       re-resolve the dependencies in a scratch venv and rewrite requirements.lock"
	@echo "make check-determinism  build twice from cold and compare figure data and ledger hashes"
	@echo "make clean      remove the built book, its execution cache and the claims ledger"

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# torch is pinned and installed first, by pip from the local CPU wheel: an unpinned resolve pulls a
	@# multi-GB CUDA build. Then every other version from the lock (figure hashes are compared across
	@# builds, so versions must not drift) by uv (pinned; 4 s where pip takes 20 s), which finds
	@# torch==2.13.0 satisfied by the installed CPU build and keeps it (scripts/check_install.py checks), then rgbook
	@# itself without resolving anything again. Nothing is byte-compiled by the installers (16 s for
	@# every installed package): scripts/warm_imports.py imports, in two processes side by side, what
	@# the kernels, the chapter modules and the HTML build import (7 s), so that the first chapter
	@# kernels do not compile torch at once; make unexports PYTHONDONTWRITEBYTECODE, so anything else
	@# is compiled once, at its first import.
	$(BIN)/python -m pip install --quiet --no-compile torch==2.13.0 uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e '.[book,test]'
	$(BIN)/python scripts/check_install.py
	$(BIN)/python scripts/warm_imports.py
	@touch $@

venv: $(STAMP)

test: $(STAMP) lint
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Registration audit: every change of a claim's statement, tolerances or protocol after its data is in its log.
audit: $(STAMP)
	$(BIN)/python -m rgbook audit

# The committed record catches a wrong chapter measure: I.A2 mutated in a temporary copy must fail the comparison.
check-mutation: $(STAMP)
	$(BIN)/python scripts/check_mutation.py

test-slow: $(STAMP)
	@# pytest exits 5 when no test is selected; that is not a failure of the slow suite.
	$(BIN)/python -m pytest -m slow || { rc=$$?; [ $$rc -eq 5 ] && echo "no slow tests selected"; [ $$rc -eq 5 ]; }

book: $(STAMP)
	@mkdir -p $(BUILD)
	@# Per-chapter invalidation (rgbook/build.py): a chapter re-executes only if its code cells,
	@# an rgbook module it loaded, or a distribution version it loaded changed, or it has no
	@# deps record (never finished: failed or interrupted). Its cache record, claim records and
	@# figures are dropped with it, and nothing else. The stale chapters execute $(JOBS) at a
	@# time into the execution cache; Sphinx then renders every chapter from the cache.
	@# (No pipes: make's SIGTERM then reaches the commands themselves, which stop their kernels.)
	@rm -f $(BUILD)/execute.log
	$(BIN)/python -m rgbook.build execute --jobs $(JOBS) --log $(BUILD)/execute.log
	@# One process (the chapter modules imported once): the ledger (claims.json, with each claim's
	@# registration and log) first, since the HTML reads it; then `jupyter-book build . --builder html
	@# -W -n --keep-going`; then every verdict and row must equal the committed record (verdicts.json).
	@# An intended change is taken in only by `python -m rgbook accept CLAIM ...`, committed with its reason.
	$(BIN)/python -m rgbook publish
	@echo "Book built: $(CURDIR)/$(BUILD)/html/index.html"

$(BROWSER_STAMP): $(STAMP)
	@# The browser extra is not part of the lock (make book does not install it); the locked
	@# versions constrain whatever it shares with the book.
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[browser]'
	@touch $@

check-book: book $(BROWSER_STAMP)
	@test -x /usr/bin/chromium || { echo "check-book needs Debian's Chromium: apt-get install chromium" >&2; exit 2; }
	$(BIN)/python scripts/check_book.py $(BUILD)/html

# The executed notebook a reader downloads (_build/html/_sources/book/<chapter>.ipynb, written from
# the execution cache when the HTML is built) must run in plain Jupyter away from the repository:
# one of the fastest chapters is executed in an empty temporary directory with nbclient.
NOTEBOOK_CHAPTERS ?= fc_kernel
check-notebook: book
	$(BIN)/python scripts/check_notebook.py $(NOTEBOOK_CHAPTERS)

check-cache: book
	MAKE="$(MAKE)" $(BIN)/python scripts/check_cache.py

# The PDF edition: singlehtml build of the executed book, printed by headless Debian Chromium (MathJax is
# served by the book: offline), then its text (pdftotext) checked against the HTML: every figure number,
# every claim id with its verdict, every glued number. The HTML book then links it from each page.
pdf: book $(BROWSER_STAMP)
	@test -x /usr/bin/chromium || { echo "make pdf needs Debian's Chromium: apt-get install chromium" >&2; exit 2; }
	@command -v pdftotext >/dev/null || { echo "make pdf needs pdftotext: apt-get install poppler-utils" >&2; exit 2; }
	$(BIN)/python scripts/build_pdf.py

figures: $(STAMP)
	$(BIN)/python -m rgbook figures

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# Re-resolve from pyproject.toml in a scratch venv (torch pinned first, as for make book) and
# write every resolved version except rgbook itself; torch is written without its local label.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet torch==2.13.0
	.venv-lock/bin/python -m pip install --quiet -e '.[book,test]'
	{ echo "# Every version make installs (make lock rewrites this file; torch is installed first, pinned)."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v -i '^rgbook' | sed -E 's/^(torch==[^+]*)\+.*/\1/'; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	rm -rf .venv-lock
	@echo "wrote $(LOCK)"

check-determinism: $(STAMP)
	scripts/check_determinism.sh

clean:
	rm -rf $(BUILD)
