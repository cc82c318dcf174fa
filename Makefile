# Every target sets itself up: a fresh machine needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench fixtures expected clean

# The HTML brief's tests drive Debian's Chromium (Playwright with executable_path; it never
# downloads a browser of its own). Installed once; a no-op when it is already there.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

demo: $(VENV)/.installed-local
	$(BIN)/summarizer summarize fixtures/articles/mqm-birds-in-wings.txt --format md

# The whole suite, the real-model test included (it needs the embedded model).
test: $(VENV)/.installed-dev $(CHROMIUM) lint
	$(BIN)/python -m pytest

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends \
		chromium fonts-liberation

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check summarizer tests bench
	$(BIN)/ruff format --check summarizer tests bench
	$(BIN)/mypy summarizer

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/seeds.py
	$(BIN)/python bench/replay.py
	$(BIN)/python bench/brief.py
	$(BIN)/python bench/batch.py

# Re-record the model answers the offline tests replay, from the embedded model, for every
# gold article (the seed articles included); run after changing prompts or the schema.
# `summarizer fixtures check fixtures/exchanges` says when that is due. About 10 minutes.
fixtures: $(VENV)/.installed-local
	rm -rf fixtures/exchanges
	$(BIN)/summarizer eval fixtures/gold --record fixtures/exchanges --format json > /dev/null
	$(MAKE) expected

# What replaying the recorded answers must give: records, the eval report, and the
# Markdown briefs (one per article, and the digest of all). Rebuilt from the recordings
# alone (no model), e.g. after a change to grounding, scoring or the briefs' templates.
expected: $(VENV)/.installed-local
	mkdir -p fixtures/expected/briefs
	$(BIN)/summarizer eval fixtures/gold --replay fixtures/exchanges --format json \
		-o fixtures/expected/records.jsonl > fixtures/expected/eval.json
	rm -f fixtures/expected/briefs/*.md
	$(BIN)/python -c "import json; [print(r['article_id'], r['source']) for r in \
		map(json.loads, open('fixtures/expected/records.jsonl', encoding='utf-8'))]" | \
	while read -r id source; do \
		$(BIN)/summarizer summarize "$$source" --replay fixtures/exchanges -f md \
			-o "fixtures/expected/briefs/$$id.md" || exit 1; \
	done
	$(BIN)/summarizer brief fixtures/expected/records.jsonl -o fixtures/expected/briefs/digest.md

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# llama-cpp-python compiles from source the first time (about 6 minutes on 2 cores);
# pip caches the wheel after that. It is built for the instruction sets this CPU reports
# (AVX2; AVX-512 and VNNI where present, which read prompts about 1.5 times faster here)
# but never with -march=native: on CPUs with Intel AMX (Sapphire Rapids and later) that
# switches on llama.cpp's AMX matrix kernels, which crash the first decode with a
# segmentation fault (ggml-org/llama.cpp issue 20824, seen here). A wheel pip cached
# from a native build is dropped and rebuilt.
CPU_FLAGS := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
cpu_has = $(if $(filter $(1),$(CPU_FLAGS)),$(2))
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
	-DGGML_F16C=ON -DGGML_BMI2=ON $(call cpu_has,avx_vnni,-DGGML_AVX_VNNI=ON) \
	$(if $(filter avx512f,$(CPU_FLAGS)),$(if $(filter avx512bw,$(CPU_FLAGS)),$(if \
	$(filter avx512vl,$(CPU_FLAGS)),-DGGML_AVX512=ON \
	$(call cpu_has,avx512vbmi,-DGGML_AVX512_VBMI=ON) \
	$(call cpu_has,avx512_vnni,-DGGML_AVX512_VNNI=ON) \
	$(call cpu_has,avx512_bf16,-DGGML_AVX512_BF16=ON))))
LLAMA_HAS_AMX := $(BIN)/python -c "import sys, llama_cpp; \
	sys.exit(b'AMX_INT8 = 1' not in llama_cpp.llama_print_system_info())"

$(VENV)/.installed-local: pyproject.toml | $(BIN)/python
	@echo "building llama-cpp-python (if pip has not cached it) with: $(LLAMA_CMAKE_ARGS)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e ".[local]"
	if $(LLAMA_HAS_AMX); then \
		$(BIN)/python -m pip cache remove llama_cpp_python; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet --force-reinstall \
			--no-deps "$$(grep -o 'llama-cpp-python==[0-9.]*' pyproject.toml)"; \
	fi
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed-local
	$(BIN)/python -m pip install --quiet -e ".[local,dev]"
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
