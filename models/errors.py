"""Errors of the model stage. Each message names the input, the rule it broke and what to do."""


class ModelError(Exception):
    """Base class for every error raised by ``models``."""


class UnknownModelError(ModelError, KeyError):
    """A model name that is neither a registered variant nor a known alias."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class InvalidFactorsError(ModelError, ValueError):
    """A resolution, width or depth the network cannot be built with."""


class CheckpointError(ModelError):
    """A checkpoint that cannot be read, or whose tensors do not fit the model."""
