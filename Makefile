# MobileViT Deploy. Every target runs inside the project's virtual environment (.venv).
#   make setup                 create .venv and install the project (CPU torch, converters, runtimes);
#                              no system packages. The console scripts (mobilevit-info, ...) run the same modules.
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
#   make setup-devices         sshd, ssh and adb via apt (root or sudo): make test, test-fast, bench-ssh and
#                              bench-android run it first; nothing else installs system packages

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
# What setup-devices makes sure exists: the tests start a real sshd on loopback and run the real adb
# client. A harness target asks only for the client it runs (no server on a workstation for bench-ssh).
DEVICE_TOOLS    ?= /usr/sbin/sshd ssh adb
DEVICE_PACKAGES ?= openssh-server openssh-client adb
MODEL_ARGS   = --model $(MODEL) $(if $(RES),--res $(RES)) $(FACTORS)
EXPORT_ARGS  = $(MODEL_ARGS) --out $(OUT) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

.PHONY: setup setup-devices bench-ssh bench-android bench-ios bench-coreml report demo info list export-coreml export-tflite export-onnx export-all bench bench-all study test test-fast clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON_BOOT) -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 11), "Python 3.10 or 3.11 is needed (torch 2.13 CPU wheels)"'
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -e .
	touch $@

# The Python environment only: no system package is installed by setup or by the targets that
# only need it (demo, info, export-*, bench, study, report).
setup: $(VENV)/.installed

# The device harnesses' stand-ins and clients: an OpenSSH server the SSH tests start on loopback,
# and Debian's adb client. Installed with apt where there is apt (as root, or with sudo); elsewhere,
# say what is missing. Only the tests and the device targets depend on it.
setup-devices:
	@missing=; for tool in $(DEVICE_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ "$$(uname)" = Linux ] && [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null; then \
			echo "missing$$missing: installing $(DEVICE_PACKAGES) (apt)"; \
			$(SUDO) apt-get update -qq && \
			$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEVICE_PACKAGES) >/dev/null; \
		else \
			echo "warning: missing$$missing: install $(DEVICE_PACKAGES) (or your system's equivalents) with your package manager"; \
		fi; \
	fi

bench-ssh: DEVICE_TOOLS = ssh
bench-ssh: DEVICE_PACKAGES = openssh-client
bench-android: DEVICE_TOOLS = adb
bench-android: DEVICE_PACKAGES = adb

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

bench-ssh: setup setup-devices
	@test -n "$(HOST)" || { echo "error: give the board: make bench-ssh HOST=user@host [PORT=22] [IDENTITY=key]"; exit 2; }
	$(PY) -m devices.board --host $(HOST) $(if $(PORT),--port $(PORT)) $(if $(IDENTITY),--identity $(IDENTITY)) --python $(REMOTE_PYTHON) $(MODEL_ARGS) --runtime $(RUNTIME) --threads $(DEVICE_THREADS) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

bench-android: setup setup-devices
	$(PY) -m devices.android $(MODEL_ARGS) $(if $(SERIAL),--serial $(SERIAL)) $(if $(BENCHMARK_BIN),--benchmark-bin $(BENCHMARK_BIN)) --threads $(DEVICE_THREADS) $(if $(GPU),--gpu) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

bench-ios: setup
	$(PY) -m devices.ios $(MODEL_ARGS) $(if $(DEVICE),--device $(DEVICE)) $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

bench-coreml: setup
	$(PY) -m benchmarks.bench $(MODEL_ARGS) --runtime coreml --compute-units all $(if $(WEIGHTS),--weights $(WEIGHTS)) $(if $(PRECISION),--precision $(PRECISION))

report: setup
	$(PY) -m benchmarks.report

# The device tests run a real sshd and the real adb client, slow or not, so both suites need them.
test: setup setup-devices
	$(PY) -m pytest

test-fast: setup setup-devices
	$(PY) -m pytest -m "not slow"

clean:
	rm -rf $(VENV) artifacts results build *.egg-info
