"""Stage 4: take artifacts to phones and boards (adb, SSH, Xcode) and bring back latency rows."""
