"""Errors of the benchmark stage: a result that breaks the schema, a measurement that failed."""

from __future__ import annotations

from models.errors import MobileViTDeployError


class BenchmarkError(MobileViTDeployError):
    """Base class for every error raised by ``benchmarks``."""


class MeasurementError(BenchmarkError, RuntimeError):
    """The measuring process failed; carries what it reported."""
