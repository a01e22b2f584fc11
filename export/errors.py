"""Errors of the export stage. Each names the variant, the format, what broke and what to try."""

from models.errors import MobileViTDeployError


class ExportError(MobileViTDeployError):
    """Base class for every error raised by ``export``."""


class OutputDirectoryError(ExportError):
    """OUT cannot hold artifacts (not a directory, not writable)."""


class UnsupportedRequestError(ExportError):
    """A format/precision/option combination this exporter does not produce."""


class ConversionError(ExportError):
    """The converter itself failed; carries its message."""


class ParityError(ExportError):
    """The artifact runs but does not compute what PyTorch computes, within tolerance."""
