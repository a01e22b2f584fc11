"""Stage 5: take artifacts to phones, Macs and boards (adb, SSH, Xcode) and bring back latency rows."""
