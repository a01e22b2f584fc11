"""Where the iOS harness can run at all: macOS with Xcode's command-line tools.

Checked before anything is exported, so that a Linux or Windows run ends in one paragraph that says what is
needed (and what to use instead) rather than after minutes of conversion.
"""

from __future__ import annotations

import platform
import shutil

from devices.transports import DeviceError

MAC_ONLY = ("the iOS benchmark runs from a Mac: it builds the Swift harness in devices/ios with Xcode 15 or newer "
            "(xcodebuild, xcrun devicectl) and runs it on an iPhone or iPad connected to that Mac, with Developer "
            "Mode on (Settings > Privacy & Security > Developer Mode) and the Mac trusted")
MAC_WITHOUT_PHONE = "on a Mac without a phone, `make bench-coreml` times the same artifact in Core ML there"


def check_host() -> None:
    """Refuse clearly where the harness cannot run: anywhere but macOS with Xcode's command-line tools."""
    system = platform.system()
    if system != "Darwin":
        raise DeviceError(f"{MAC_ONLY}; this is {system or 'an unknown system'}. {MAC_WITHOUT_PHONE[0].upper()}"
                          f"{MAC_WITHOUT_PHONE[1:]}.")
    missing = [tool for tool in ("xcodebuild", "xcrun") if shutil.which(tool) is None]
    if missing:
        raise DeviceError(f"{' and '.join(missing)} not found: {MAC_ONLY}. Install Xcode from the App Store and "
                          "select it with `sudo xcode-select -s /Applications/Xcode.app`; "
                          f"{MAC_WITHOUT_PHONE}.")
