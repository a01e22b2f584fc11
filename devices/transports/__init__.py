"""How a harness reaches a device: push a file, run a command with a timeout, describe.

Harnesses are written once against :class:`Transport`; ``local`` runs here, ``ssh`` reaches Linux
boards (and, in the tests, an OpenSSH server on loopback), ``adb`` reaches Android phones.
"""

from devices.transports.base import (
    CommandResult,
    CommandTimeout,
    DeviceError,
    DeviceNotFound,
    DeviceUnreachable,
    TransferError,
    Transport,
)

__all__ = ["CommandResult", "CommandTimeout", "DeviceError", "DeviceNotFound", "DeviceUnreachable",
           "TransferError", "Transport"]
