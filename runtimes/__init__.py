"""Stage 3 of the pipeline: load an exported artifact and run it in its real runtime.

Every runtime takes what the artifact's manifest entry says it takes (``io.layout``) and returns
the artifact's primary output as a float32 array ``[batch, classes]``. ``export`` uses them to
validate artifacts; ``benchmarks`` (a later stage) times them. ``runtimes.registry`` is the one
table of which runtime runs what.
"""

from runtimes.base import Runtime, RuntimeUnavailable
from runtimes.registry import RUNTIMES, get_runtime, load_runtime

__all__ = ["RUNTIMES", "Runtime", "RuntimeUnavailable", "get_runtime", "load_runtime"]
