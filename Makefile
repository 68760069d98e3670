# Kechuang: `make demo` sets up and serves the demo region; `make test` sets up and runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist): one per core by default.
TEST_WORKERS ?= auto

.PHONY: demo test screens install system-deps lint format check vendor messages clean bench-quick

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/kechuang demo

# Chromium and CJK fonts for the browser tests: installed as root, otherwise the exact command.
system-deps:
	@scripts/system-deps

test: system-deps install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy
	$(BIN)/pytest -q -n $(TEST_WORKERS)

# The browser tests again, keeping a full-page screenshot of every page they visit (the page
# sweep's under sweep/), for reviewing the pages by eye; `make test` takes none.
SCREENS := $(CURDIR)/test-artifacts/screens
BROWSER_TESTS = $(shell grep -rl --include='test_*.py' -e browser_session -e open_session kechuang tests)
screens: system-deps install
	rm -rf $(SCREENS)
	KECHUANG_SHOTS_DIR=$(SCREENS) $(BIN)/pytest -q -n $(TEST_WORKERS) $(sort $(BROWSER_TESTS))
	@echo "Screenshots: $(SCREENS)"

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Update the catalogues after changing strings, then compile them; the compiled .mo files are
# committed so a fresh machine needs no gettext tools.
messages: install
	$(BIN)/kechuang makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*'
	$(BIN)/kechuang compilemessages --ignore '.venv/*'

# Re-copy the vendored front-end libraries from the npm registry (developers only; the server
# never needs Node.js).
vendor:
	npm install --no-save
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx-2.0.11.min.js
	cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts-5.6.0.min.js
	cp node_modules/@tabler/core/dist/css/tabler.min.css static/vendor/tabler-1.6.1.min.css
	cp node_modules/@tabler/core/dist/js/tabler.min.js static/vendor/tabler-1.6.1.min.js
	cp node_modules/axe-core/axe.min.js tests/vendor/axe-4.14.1.min.js  # browser tests only
	# Source maps are not vendored: drop the references so collectstatic's manifest stays valid.
	sed -i 's|/\*# sourceMappingURL=[^*]*\*/||g' static/vendor/*.css
	sed -i 's|^//# sourceMappingURL=.*$$||' static/vendor/*.js tests/vendor/*.js

bench-quick: install
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) var staticfiles
