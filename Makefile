# Two commands: `make run` (set up, index corpus/, serve the app) and `make test` (set up, run the tests).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
export ASSISTANT_DATA_DIR ?= data

.PHONY: run test test-fast bench lint system-deps install install-test clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Installs are stamped so a second `make run` costs nothing; a changed pyproject.toml reinstalls.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PIP) install -e '.[model]'
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -e '.[test]'
	@touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# OCR (Tesseract + Vietnamese data), fonts for generated test PDFs, Chromium for the browser test.
# Installed from Debian when we are root and they are missing; without them those tests skip with a reason.
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-vie fonts-dejavu-core chromium
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; } || missing="$$missing tesseract-ocr-vie"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Cài gói hệ thống:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "Không cài được$$missing: các bài kiểm tra cần chúng sẽ bị bỏ qua."; \
	  else echo "Thiếu gói hệ thống:$$missing (cần quyền root để cài); các bài kiểm tra cần chúng sẽ bị bỏ qua."; fi; \
	fi

run: install
	$(PY) -m assistant serve --index corpus

# Everything, as CI runs it, on every core (pytest-xdist; the slowest tests listed at the end).
test: install-test system-deps
	$(PY) -m pytest -n auto --dist worksteal --durations=20

# The inner loop: without the local model, the browser and the slow tests.
test-fast: install-test
	$(PY) -m pytest -m "not llm and not slow and not browser"

bench: install-test
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

lint: install-test
	$(PY) -m ruff check assistant tests bench app.py ingest.py

clean:
	rm -rf $(VENV) data test-artifacts .pytest_cache
