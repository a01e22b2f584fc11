# MobileViT Deploy. Every target runs inside the project's virtual environment (.venv).
#   make setup                 create .venv and install everything (CPU torch, converters, runtimes)
#   make demo                  the main job on the default model: info, then all three exports
#   make export-coreml  MODEL=mobilevit_v2_1.0 [WEIGHTS=ckpt] [RES=256] [PRECISION=fp16] [OUT=artifacts]
#   make export-tflite | export-onnx | export-all   (same variables)
#   make info  MODEL=mobilevit_v2_1.0 [RES=192] [FACTORS="--transformer-depth-delta -1"]
#   make bench  MODEL=mobilevit_v2_1.0 RUNTIME=onnxruntime [THREADS=1,2]   latency -> results/latency.json/.csv
#   make bench-all             every variant in every desktop runtime
#   make study                 v1 vs v2: attention blocks, matched pairs, roof, HF reference -> results/study/
#   make bench-ssh HOST=pi@board [PORT=22] [IDENTITY=key] [REMOTE_PYTHON=python3] [RUNTIME=litert] [THREADS=1,4]
#   make bench-android [SERIAL=…] BENCHMARK_BIN=path/to/benchmark_model [GPU=1] [THREADS=1,4]
#   make bench-ios [DEVICE=udid] [DEVELOPMENT_TEAM=team id]  (macOS + Xcode, a connected iPhone)
#   make bench-coreml          Core ML on this Mac through coremltools, each compute unit
#   make report                desktop + device rows -> results/report.md and plots
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
DEVICE_THREADS ?= 1,4
HOST        ?=
PORT        ?=
IDENTITY    ?=
REMOTE_PYTHON ?= python3
SERIAL      ?=
BENCHMARK_BIN ?=
GPU         ?=
DEVICE      ?=
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MODEL_ARGS   = --model $(MODEL) $(if $(RES),--res $(RES)) $(FACTORS)
EXPORT_ARGS  = $(MODEL_ARGS) --out $(OUT) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

.PHONY: setup setup-devices bench-ssh bench-android bench-ios bench-coreml report demo info list export-coreml export-tflite export-onnx export-all bench bench-all study test test-fast clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON_BOOT) -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 11), "Python 3.10 or 3.11 is needed (torch 2.13 CPU wheels)"'
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -e .
	touch $@

setup: $(VENV)/.installed setup-devices

# The device harnesses' stand-ins and clients: an OpenSSH server the SSH tests start on loopback,
# and Debian's adb client. Installed with apt where there is apt; elsewhere, say what is missing.
setup-devices:
	@if [ "$$(uname)" = Linux ] && ! { [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null && command -v adb >/dev/null; }; then \
		if command -v apt-get >/dev/null; then \
			echo "installing openssh-server, openssh-client and adb (apt)"; \
			$(SUDO) apt-get update -qq && \
			$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server openssh-client adb >/dev/null; \
		else \
			echo "warning: install an OpenSSH server (sshd) and adb with your package manager; the device tests need them"; \
		fi; \
	fi

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

bench-ssh: setup
	@test -n "$(HOST)" || { echo "error: give the board: make bench-ssh HOST=user@host [PORT=22] [IDENTITY=key]"; exit 2; }
	$(PY) -m devices.board --host $(HOST) $(if $(PORT),--port $(PORT)) $(if $(IDENTITY),--identity $(IDENTITY)) --python $(REMOTE_PYTHON) $(MODEL_ARGS) --runtime $(RUNTIME) --threads $(DEVICE_THREADS) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

bench-android: setup
	$(PY) -m devices.android $(MODEL_ARGS) $(if $(SERIAL),--serial $(SERIAL)) $(if $(BENCHMARK_BIN),--benchmark-bin $(BENCHMARK_BIN)) --threads $(DEVICE_THREADS) $(if $(GPU),--gpu) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

bench-ios: setup
	$(PY) -m devices.ios $(MODEL_ARGS) $(if $(DEVICE),--device $(DEVICE)) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

bench-coreml: setup
	$(PY) -m benchmarks.bench $(MODEL_ARGS) --runtime coreml --compute-units all $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

report: setup
	$(PY) -m benchmarks.report

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow"

clean:
	rm -rf $(VENV) artifacts results build *.egg-info
