"""Turning the bytes of a text file into text, whichever common encoding wrote it.

Address books come out of Excel, Outlook and phones as UTF-8 with or without a BOM,
UTF-16 (Excel's "Unicode text", Outlook on Windows) or cp1252 (older Windows tools).
Those are told apart by rule, not by statistical guessing: a BOM is definitive, UTF-16
without one shows NUL in every other byte, and strict UTF-8 almost never accepts
cp1252 text by accident.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from followthrough.exchange.errors import FileFormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 4096
# Below these, a control character is a sign of a binary file, not of text.
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f", "\x1a"}


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_SAMPLE]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.4 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > half * 0.4 and odd_nuls == 0:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE]
    controls = sum(1 for ch in sample if ch < " " and ch not in _TEXT_CONTROLS)
    return controls > 0


def decode_text(data: bytes, what: str) -> DecodedText:
    """Decode ``data``; ``what`` names the file for messages ("This CSV file")."""
    if not data.strip():
        raise FileFormatError(f"{what} is empty.")
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _utf16_without_bom(data)
    candidates = [encoding] if encoding else ["utf-8", "cp1252"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        if not text.strip():
            raise FileFormatError(f"{what} is empty.")
        return DecodedText(text.lstrip("\ufeff"), candidate)
    raise FileFormatError(
        f"{what} is not a text file (it holds binary data); choose the file your "
        "address book exported."
    )
