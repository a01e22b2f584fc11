"""What comes back from the phone: the test's rows and failures in an ``xcodebuild test`` log, and advice
when the log shows none.

xcodebuild relays the on-device test's output into its own log, among compiler and signing lines; the test
prints each row as one ``MOBILEVIT_ROW {json}`` line and each failed compute-unit setting as
``MOBILEVIT_ERROR message`` so they can be told apart from everything else there.
"""

from __future__ import annotations

import json

from devices.ios.swift_package import ERROR_MARKER, ROW_MARKER

SIGNING_HELP = ("xcodebuild must sign the test runner for the phone: pass your Apple development team, e.g. "
                "`make bench-ios DEVELOPMENT_TEAM=ABCDE12345` (the Team ID in Xcode > Settings > Accounts; a free "
                "Apple ID works), and trust the certificate on the phone if asked (Settings > General > VPN & "
                "Device Management)")

#: What a failed ``xcodebuild test`` log says, and what to do about it.
_LOG_HINTS = (
    (("requires a development team", "No Account for Team", "No profiles for", "No signing certificate",
      "Signing for", "Code Signing Error", "signing certificate"), SIGNING_HELP),
    (("Developer Mode",), "turn on Developer Mode on the device (Settings > Privacy & Security > Developer Mode; "
                          "it restarts), then retry"),
    (("is locked", "passcode", "Unlock"), "unlock the device and keep it awake until the test has started"),
    (("not been trusted", "Untrusted Developer", "invalid code signature", "profile has not been explicitly trusted"),
     "trust your developer certificate on the device: Settings > General > VPN & Device Management"),
    (("Unable to find a destination", "Ineligible destinations", "is not available", "Failed to prepare device"),
     "xcodebuild cannot use the device: check it is connected, unlocked and trusted, and that this Xcode supports "
     "its iOS version (Xcode > Settings > Platforms)"),
)


def parse_xcodebuild_output(text: str) -> tuple[list[dict], list[str]]:
    """The rows (``MOBILEVIT_ROW {json}``) and the failures (``MOBILEVIT_ERROR message``) in an xcodebuild log.

    The marker may follow a prefix on its line; a marker followed by a quote is the Swift source quoted in a
    compiler message, not output. A line xcodebuild relays twice counts once.
    """
    rows: list[dict] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        if ROW_MARKER in line:
            payload = line.split(ROW_MARKER, 1)[1].strip()
            if not payload.startswith("{") or payload in seen:
                continue
            seen.add(payload)
            try:
                row = json.loads(payload)
            except json.JSONDecodeError as exc:
                errors.append(f"a row line could not be read ({exc.msg} at character {exc.pos} of {len(payload)}; "
                              "the log may have cut it)")
                continue
            if isinstance(row, dict):
                rows.append(row)
            else:
                errors.append("a row line held JSON that is not an object")
        elif ERROR_MARKER in line:
            message = line.split(ERROR_MARKER, 1)[1].strip()
            if message and not message.startswith('"') and message not in errors:
                errors.append(message)
    return rows, errors


def explain_failure(log: str) -> str:
    """Advice for what a failed xcodebuild log shows (signing, Developer Mode, a locked or missing device)."""
    advice = [hint for needles, hint in _LOG_HINTS if any(needle in log for needle in needles)]
    return "; ".join(dict.fromkeys(advice))
