"""The project's error family, and the errors of the model stage.

Every error the project raises on purpose derives from :class:`MobileViTDeployError`, so each
command catches one type and prints its message as one paragraph (``models.command_line``). Each
message names the input, the rule it broke and what to do. The base lives here because ``models``
is the bottom of the pipeline: every later stage may import it, and a board's runner (which has
no torch) can carry this module alone.
"""


class MobileViTDeployError(Exception):
    """Base class of every error this project raises for a user to read."""


class ModelError(MobileViTDeployError):
    """Base class for every error raised by ``models``."""


class UnknownModelError(ModelError, KeyError):
    """A model name that is neither a registered variant nor a known alias."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class InvalidFactorsError(ModelError, ValueError):
    """A resolution, width or depth the network cannot be built with."""


class CheckpointError(ModelError):
    """A checkpoint that cannot be read, or whose tensors do not fit the model."""
