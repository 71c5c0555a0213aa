# Backfile: `make demo` serves an archive on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/corpus
DEMO_DB ?= var/demo.sqlite3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-sqlite test-postgres lint format bench clean openseadragon screenshots

setup: $(VENV)/.installed node_modules/.installed

# setup.py builds the PDF reader's words and layout in C (_pdf_words.c, _pdf_layout.c) where a C
# compiler is at hand; without one pip warns and the reader runs its Python path, which reads the
# same words and lines more slowly.
NATIVE_SOURCES := setup.py backfile/ingest/readers/_pdf_words.c backfile/ingest/readers/_pdf_layout.c

$(VENV)/.installed: pyproject.toml constraints.txt $(NATIVE_SOURCES)
	@echo "make setup: a virtual environment in $(VENV), Backfile and its pinned dependencies (pip)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@$(BIN)/python -c "import backfile.ingest.readers._pdf_words, backfile.ingest.readers._pdf_layout" 2>/dev/null \
		&& echo "make setup: the PDF reader's words and layout built in C" \
		|| echo "make setup: no C compiler (gcc) or Python headers: the PDF reader runs in Python only"
	touch $@

# axe-core for the browser tests' accessibility check, at the version package-lock.json pins.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "make setup: npm not found. The browser tests check pages with axe-core, installed" >&2; \
		echo "with npm from package-lock.json: install Node.js and npm (apt-get install nodejs npm)." >&2; \
		exit 1; }
	@echo "npm ci: installing axe-core and OpenSeadragon (package-lock.json) into node_modules/"
	@npm ci --include=dev --silent --no-audit --no-fund
	@touch $@

# The page viewer's script, served from the site's own static files (never a CDN): copied from
# node_modules at the version package-lock.json pins, with its licence, and committed, so an
# installed Backfile needs no npm. tests/facsimiles/test_viewer_files.py checks the copy.
OSD_BUILD := node_modules/openseadragon/build/openseadragon
OSD_STATIC := backfile/facsimiles/static/facsimiles/openseadragon
openseadragon: node_modules/.installed
	cp $(OSD_BUILD)/openseadragon.min.js $(OSD_BUILD)/openseadragon.min.js.map $(OSD_STATIC)/
	cp node_modules/openseadragon/LICENSE.txt $(OSD_STATIC)/LICENSE.txt

# The README's screenshots (docs/screenshots/): a demo archive of backfile/sample, served and
# taken in Chromium at 1280 px (scripts/screenshots.py).
screenshots: setup
	$(BIN)/python scripts/screenshots.py

demo: setup
	mkdir -p var
	BACKFILE_DB=$(DEMO_DB) $(BIN)/python scripts/demo.py --corpus $(SHARED)
	BACKFILE_DB=$(DEMO_DB) $(BIN)/backfile serve --host $(HOST) --port $(PORT)

test: setup lint test-sqlite test-postgres

lint: setup
	$(BIN)/ruff check backfile tests bench scripts
	$(BIN)/ruff format --check backfile tests bench scripts

format: setup
	$(BIN)/ruff check --fix backfile tests bench scripts
	$(BIN)/ruff format backfile tests bench scripts

# Tests never see the static files `make demo` or `backfile serve` collected into staticfiles/.
TEST_ENV := BACKFILE_STATIC_ROOT=$$(mktemp -d)

test-sqlite: setup
	$(TEST_ENV) $(BIN)/pytest || [ $$? -eq 5 ]

# The same suite on PostgreSQL, where BACKFILE_TEST_POSTGRES names a server (.ci/run sets it).
test-postgres: setup
	@if [ -n "$$BACKFILE_TEST_POSTGRES" ]; then \
		$(TEST_ENV) BACKFILE_DB="$$BACKFILE_TEST_POSTGRES" $(BIN)/pytest -m "not browser and not slow" || [ $$? -eq 5 ]; \
	else \
		echo "test-postgres: BACKFILE_TEST_POSTGRES is not set; PostgreSQL run skipped (.ci/run sets it)"; \
	fi

bench: setup
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/known_items.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/facsimile.py
	$(BIN)/python bench/ocr.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache node_modules
