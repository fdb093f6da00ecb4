PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench score fit clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,postgres,ray]'
	touch $(STAMP)

PORT ?= 8000

demo: install
	rm -f sample.db sample.db-wal sample.db-shm
	$(BIN)/claimledger ingest examples/seeds --manifest examples/manifest.jsonl --db sample.db --quiet
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

# Refit the fitted models on the annotated sets (needs ../shared). First the extraction models,
# from the texts of the seeds and the English corpus, each in its own process so that it runs
# with the ones fitted before it: claim detection (data/claim_model.json), claim types
# (data/type_model.json), continuation (data/continuation.json). Then, with them, the event linker: exports the seeds
# and the English corpus and fits the English models; then exports the English corpus with the
# Russian/Ukrainian articles and fits the cross-script model on it (both gold folders), the
# English models fixed. Prints cross-validated scores, writes claimledger/data/linker.json.
FIT := /tmp/claimledger-fit
fit: install
	rm -rf $(FIT) && mkdir -p $(FIT)
	$(BIN)/claimledger ingest ../shared/seeds --db $(FIT)/dev-text.db --quiet --no-link
	$(BIN)/claimledger export --db $(FIT)/dev-text.db --out $(FIT)/dev-text
	$(BIN)/claimledger ingest ../shared/corpus/articles --manifest ../shared/corpus/manifest.jsonl --db $(FIT)/corpus-text.db --quiet --no-link
	$(BIN)/claimledger export --db $(FIT)/corpus-text.db --out $(FIT)/corpus-text
	$(BIN)/python -m claimledger.extract.fit_claims --set $(FIT)/dev-text ../shared/eval/dev \
		--set $(FIT)/corpus-text ../shared/eval/corpus-dev --out claimledger/data/claim_model.json
	$(BIN)/python -m claimledger.extract.fit_types --set $(FIT)/dev-text ../shared/eval/dev \
		--set $(FIT)/corpus-text ../shared/eval/corpus-dev --out claimledger/data/type_model.json
	$(BIN)/python -m claimledger.extract.fit_continuation --set $(FIT)/dev-text ../shared/eval/dev \
		--set $(FIT)/corpus-text ../shared/eval/corpus-dev --out claimledger/data/continuation.json
	$(BIN)/claimledger ingest ../shared/seeds --db $(FIT)/dev.db --quiet --no-link
	$(BIN)/claimledger export --db $(FIT)/dev.db --out $(FIT)/dev
	$(BIN)/claimledger ingest ../shared/corpus/articles --manifest ../shared/corpus/manifest.jsonl --db $(FIT)/corpus.db --quiet --no-link
	$(BIN)/claimledger export --db $(FIT)/corpus.db --out $(FIT)/corpus
	$(BIN)/claimledger ingest ../shared/corpus/articles ../shared/corpus/other_lang.jsonl \
		--manifest ../shared/corpus/manifest.jsonl --db $(FIT)/joint.db --quiet --no-link
	$(BIN)/claimledger export --db $(FIT)/joint.db --out $(FIT)/joint
	$(BIN)/python -m claimledger.reconcile.fit --set $(FIT)/dev ../shared/eval/dev \
		--set $(FIT)/corpus ../shared/eval/corpus-dev \
		--scripts-set $(FIT)/joint ../shared/eval/corpus-dev:../shared/eval/other-lang-dev --out claimledger/data/linker.json
	rm -rf $(FIT)

clean:
	rm -rf $(VENV) sample.db* test-artifacts .pytest_cache
