"""Just enough of Swift's syntax to read the harness's schema out of its sources.

The Swift package cannot be compiled on Linux, so the tests read what the compiler would: the
``CodingKeys`` enums (the JSON names), stored properties, the keys ``encode(to:)`` writes, enum raw
values, default arguments. The sources are written plainly (one declaration per line) for this.
"""

from __future__ import annotations

import re
from pathlib import Path

from devices.ios.swift_package import PACKAGE_DIR

SOURCES = PACKAGE_DIR / "Sources" / "MobileViTBench"
TESTS = PACKAGE_DIR / "Tests" / "MobileViTBenchTests"


def read(path: Path) -> str:
    return Path(path).read_text()


def library_text() -> str:
    return "\n".join(read(path) for path in sorted(SOURCES.glob("*.swift")))


def _strip_strings_and_comments(line: str) -> str:
    line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
    return line.split("//", 1)[0]


def block(text: str, kind: str, name: str) -> str:
    """The body of ``struct Name`` (or enum, class) up to its matching brace."""
    match = re.search(rf"^\s*(?:public |final |private |internal )*{kind} {re.escape(name)}\b[^{{]*\{{", text,
                      re.MULTILINE)
    if match is None:
        raise AssertionError(f"no {kind} {name} in the Swift sources")
    depth, opened, lines = 0, False, []
    for line in text[match.start():].splitlines():
        lines.append(line)
        code = _strip_strings_and_comments(line)
        depth += code.count("{") - code.count("}")
        opened = opened or depth > 0
        if opened and depth <= 0:
            break
    return "\n".join(lines)


def coding_keys(struct: str) -> list[str]:
    """JSON names from ``enum CodingKeys``: the raw value, or the case name where there is none."""
    keys_block = block(struct, "enum", "CodingKeys")
    keys = []
    for line in keys_block.splitlines()[1:]:
        match = re.match(r'\s*case\s+(\w+)(?:\s*=\s*"([^"]+)")?\s*$', line)
        if match:
            keys.append(match.group(2) or match.group(1))
    return keys


def coding_cases(struct: str) -> dict[str, str]:
    """Swift case name -> JSON name."""
    keys_block = block(struct, "enum", "CodingKeys")
    return {m.group(1): m.group(2) or m.group(1)
            for m in re.finditer(r'^\s*case\s+(\w+)(?:\s*=\s*"([^"]+)")?\s*$', keys_block, re.MULTILINE)}


def stored_properties(struct: str) -> list[str]:
    """``public var name: Type`` / ``public let`` declarations at the struct's own level (not static)."""
    return re.findall(r"^    public (?:var|let) (\w+)\s*:", struct, re.MULTILINE)


def encoded_cases(struct: str) -> list[str]:
    """The CodingKeys cases ``encode(to:)`` writes (``forKey: .case``)."""
    encode = block(struct, "func", "encode")
    return re.findall(r"forKey:\s*\.(\w+)", encode)


def enum_raw_values(text: str, name: str) -> dict[str, str]:
    body = block(text, "enum", name)
    return {m.group(1): m.group(2) for m in re.finditer(r'^\s*case\s+(\w+)\s*=\s*"([^"]+)"', body, re.MULTILINE)}


def string_constant(text: str, name: str) -> str:
    """A ``let name = "..."`` string, or one continued on ``+ "..."`` lines, its literals joined."""
    match = re.search(rf"\blet {re.escape(name)}\s*(?::\s*String\s*)?=\s*", text)
    if match is None:
        raise AssertionError(f"no constant {name} in the Swift sources")
    literals: list[str] = []
    for line in text[match.end():].splitlines():
        stripped = line.strip()
        if literals and not stripped.startswith("+"):
            break
        found = re.findall(r'"((?:[^"\\]|\\.)*)"', stripped)
        if not found:
            break
        literals += found
    return "".join(literals)


def number(text: str) -> float:
    return float(text.replace("_", ""))
