# MobileViT Deploy. Every target runs inside the project's virtual environment (.venv).
#   make setup            create .venv and install everything (CPU torch, converters, runtimes)
#   make demo             the main job on the default model
#   make info  MODEL=mobilevit_v2_1.0 [RES=192] [FACTORS="--transformer-depth-delta -1"]
#   make test             the whole test suite (what CI runs)
#   make test-fast        skip the slow full-size cases

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV        ?= .venv
PY          := $(VENV)/bin/python
MODEL       ?= mobilevit_v2_1.0
RES         ?=
FACTORS     ?=
MODEL_ARGS   = --model $(MODEL) $(if $(RES),--res $(RES)) $(FACTORS)

.PHONY: setup demo info list test test-fast clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON_BOOT) -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 11), "Python 3.10 or 3.11 is needed (torch 2.13 CPU wheels)"'
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -e .
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(PY) -m models.info $(MODEL_ARGS)

info: setup
	$(PY) -m models.info $(MODEL_ARGS)

list: setup
	$(PY) -m models.info --list

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow"

clean:
	rm -rf $(VENV) artifacts build *.egg-info
