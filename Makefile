# Council Improve. `make run` serves the St Helens demo; `make test` runs lint and the whole suite.
# The newest Python 3.11 or later on the machine that runs (a pyenv shim may not); CI sets PYTHON to the one it tests.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && command -v $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
GOVUK := node_modules/govuk-frontend/dist/govuk
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails start with this; set it to the address people reach the server on, if not this one.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install assets run test lint format bench clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: static/build/app.css static/build/govuk-frontend.js static/build/axe.min.js static/build/images static/build/fonts

# GOV.UK Frontend's CSS refers to its images (unused by our pages); collectstatic's manifest needs them.
static/build/images: node_modules/.installed
	mkdir -p static/build
	cp -r $(GOVUK)/assets/images $@

static/build/app.css: static/scss/app.scss node_modules/.installed
	mkdir -p static/build
	npx sass --load-path=node_modules --style=compressed --no-source-map $< $@

static/build/govuk-frontend.js: node_modules/.installed
	mkdir -p static/build
	sed "/sourceMappingURL/d" $(GOVUK)/all.bundle.js > $@

# The report PDF's typeface, Source Sans 3 (SIL Open Font License 1.1), embedded in every PDF so a report
# looks the same whichever machine renders it; its licence ships beside the fonts.
SOURCE_SANS := node_modules/source-sans
static/build/fonts: node_modules/.installed
	mkdir -p $@
	cp $(SOURCE_SANS)/TTF/SourceSans3-Regular.ttf $(SOURCE_SANS)/TTF/SourceSans3-It.ttf \
		$(SOURCE_SANS)/TTF/SourceSans3-Semibold.ttf $(SOURCE_SANS)/TTF/SourceSans3-Bold.ttf $@/
	cp $(SOURCE_SANS)/LICENSE.md $@/SourceSans3-LICENSE.md
	touch $@

# axe-core is used only by the browser tests; it is copied beside the build so they find it in one place.
static/build/axe.min.js: node_modules/.installed
	mkdir -p static/build
	cp node_modules/axe-core/axe.min.js $@

run: install assets
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) seed_demo
	DEBUG=true RUN_ADDRESS=$(HOST):$(PORT) SITE_URL=$(SITE_URL) $(BIN)/honcho --procfile Procfile start

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/lint_model_usage_in_views.py
	$(BIN)/python scripts/lint_govuk_components.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djlint templates --reformat

# The suite runs in two processes (pytest-xdist, a file to a process, each with its own test database), which
# pays on two cores (docs/PERFORMANCE.md, "Test suite"); PYTEST_WORKERS=0 runs it in one. The slowest twenty
# tests are printed at the end.
PYTEST_WORKERS ?= 2

test: install assets lint
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=20

bench: install assets
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static/build var
