PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench score clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

PORT ?= 8000

demo: install
	rm -f sample.db sample.db-wal sample.db-shm
	$(BIN)/claimledger ingest examples/seeds --db sample.db --quiet
	$(BIN)/claimledger stats --db sample.db
	$(BIN)/claimledger serve --db sample.db --port $(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run_all.py

score: install
	rm -rf /tmp/claimledger-score && $(BIN)/claimledger ingest ../shared/seeds --db /tmp/claimledger-score.db --quiet; \
	$(BIN)/claimledger export --db /tmp/claimledger-score.db --out /tmp/claimledger-score && \
	$(BIN)/python ../shared/eval/score.py --gold ../shared/eval/dev --pred /tmp/claimledger-score; \
	rm -f /tmp/claimledger-score.db*

clean:
	rm -rf $(VENV) sample.db* test-artifacts .pytest_cache
