"""``devicectl_list_devices.json``: a sample of ``xcrun devicectl list devices --json-output FILE`` (Xcode 15+).

devicectl's JSON is not documented by Apple; its shape here (``result.devices[]`` with ``identifier``,
``hardwareProperties.{udid, marketingName, productType, platform, reality}``, ``deviceProperties.{name,
osVersionNumber, developerModeStatus}``, ``connectionProperties.{pairingState, tunnelState}``) follows the type
definitions that tools parsing it maintain: Expo CLI's ``packages/@expo/cli/src/start/platforms/ios/devicectl.ts``
and the sweetpad VS Code extension's ``src/common/xcode/devicectl.ts``. The values are invented: a connected
iPhone, a paired iPad that is away, and a watch.
"""

from __future__ import annotations

import json
from pathlib import Path

SAMPLE = Path(__file__).parent / "devicectl_list_devices.json"
IPHONE = "00008120-001A2B3C4D5E6F70"
IPAD = "00008103-000E1D2C3B4A5968"


def devicectl_payload() -> dict:
    """A fresh copy of the sample, for a test to change."""
    return json.loads(SAMPLE.read_text())
