# MobileViT Deploy. Every target runs inside the project's virtual environment (.venv).
#   make setup                 create .venv and install everything (CPU torch, converters, runtimes)
#   make demo                  the main job on the default model: info, then all three exports
#   make export-coreml  MODEL=mobilevit_v2_1.0 [WEIGHTS=ckpt] [RES=256] [PRECISION=fp16] [OUT=artifacts]
#   make export-tflite | export-onnx | export-all   (same variables)
#   make info  MODEL=mobilevit_v2_1.0 [RES=192] [FACTORS="--transformer-depth-delta -1"]
#   make bench  MODEL=mobilevit_v2_1.0 RUNTIME=onnxruntime [THREADS=1,2]   latency -> results/latency.json/.csv
#   make bench-all             every variant in every desktop runtime
#   make study                 v1 vs v2: attention blocks, matched pairs, roof, HF reference -> results/study/
#   make test                  the whole test suite (what CI runs); make test-fast skips slow cases

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV        ?= .venv
PY          := $(VENV)/bin/python
MODEL       ?= mobilevit_v2_1.0
RES         ?=
WEIGHTS     ?=
PRECISION   ?=
OUT         ?= artifacts
FACTORS     ?=
RUNTIME     ?= onnxruntime
THREADS     ?= 1,2
MODEL_ARGS   = --model $(MODEL) $(if $(RES),--res $(RES)) $(FACTORS)
EXPORT_ARGS  = $(MODEL_ARGS) --out $(OUT) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

.PHONY: setup demo info list export-coreml export-tflite export-onnx export-all bench bench-all study test test-fast clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON_BOOT) -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 11), "Python 3.10 or 3.11 is needed (torch 2.13 CPU wheels)"'
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -e .
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(PY) -m models.info $(MODEL_ARGS)
	$(PY) -m export --format all $(EXPORT_ARGS)

info: setup
	$(PY) -m models.info $(MODEL_ARGS)

list: setup
	$(PY) -m models.info --list

export-coreml export-tflite export-onnx: export-%: setup
	$(PY) -m export --format $* $(EXPORT_ARGS)

export-all: setup
	$(PY) -m export --format all $(EXPORT_ARGS)

bench: setup
	$(PY) -m benchmarks.bench $(MODEL_ARGS) --runtime $(RUNTIME) --threads $(THREADS) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

bench-all: setup
	for model in $$($(PY) -c 'from models import list_variants; print(" ".join(list_variants()))'); do \
		$(PY) -m benchmarks.bench --model $$model --runtime all --threads $(THREADS) || exit 1; \
	done

study: setup
	$(PY) -m benchmarks.study

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow"

clean:
	rm -rf $(VENV) artifacts results build *.egg-info
