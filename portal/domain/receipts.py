"""Receipt uploads: JPEG, PNG or PDF, decided from the content, never the name (OWASP File Upload Cheat Sheet)."""

import enum
import re
import unicodedata

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
MAX_STEM_LENGTH = 60

JPEG_START = b"\xff\xd8\xff"
JPEG_END = b"\xff\xd9"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IHDR = b"\x00\x00\x00\x0dIHDR"  # the first chunk: 13 bytes long, type IHDR
PNG_IEND = b"\x00\x00\x00\x00IEND\xae\x42\x60\x82"  # IEND is always empty, so its CRC is always the same
PNG_AFTER_IHDR = len(PNG_SIGNATURE) + 8 + 13 + 4  # signature, length + type, IHDR data, CRC
PDF_START = b"%PDF-"
PDF_END = b"%%EOF"
PDF_HEADER_WINDOW = 1024  # the PDF spec lets readers find the header anywhere in the first 1024 bytes
PDF_TRAILER_WINDOW = 2048
POLYGLOT_WINDOW = 4096
# Markup a browser would act on: a file that is also a web page is refused whatever it starts like.
MARKUP = (b"<script", b"<html", b"<!doctype html", b"<body", b"<svg", b"<iframe", b"javascript:")
# Active content: a receipt never needs script, launched programs, attached files, XFA forms or media.
PDF_ACTIVE = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
# Short names are matched as whole names outside stream data: "/JS" turns up by chance in a big scanned image.
_PDF_ACTIVE_SHORT = re.compile(rb"/(?:JS|XFA)(?:[\s()<>\[\]{}/%]|$)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}


class ReceiptType(enum.StrEnum):
    JPEG = "image/jpeg"
    PNG = "image/png"
    PDF = "application/pdf"

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[self.value]


class ReceiptProblem(enum.StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_ALLOWED_TYPE = "not_allowed_type"
    DAMAGED = "damaged"


def _looks_like_markup(content: bytes) -> bool:
    return any(marker in content[:POLYGLOT_WINDOW].lower() for marker in MARKUP)


def _check_jpeg(content: bytes) -> ReceiptType | ReceiptProblem:
    # Some cameras write data after the end-of-image marker, so it need not be the last two bytes.
    return ReceiptType.JPEG if content.find(JPEG_END, len(JPEG_START)) != -1 else ReceiptProblem.DAMAGED


def _check_png(content: bytes) -> ReceiptType | ReceiptProblem:
    if content[len(PNG_SIGNATURE) : len(PNG_SIGNATURE) + len(PNG_IHDR)] != PNG_IHDR:
        return ReceiptProblem.DAMAGED
    return ReceiptType.PNG if content.find(PNG_IEND, PNG_AFTER_IHDR) != -1 else ReceiptProblem.DAMAGED


def _outside_streams(content: bytes) -> bytes:
    # A loop of finds, not a regex: linear time even for a file made of "stream" with no "endstream".
    parts = []
    position = 0
    while (start := content.find(b"stream", position)) != -1:
        parts.append(content[position:start])
        end = content.find(b"endstream", start)
        if end == -1:
            return b"".join(parts)
        position = end + len(b"endstream")
    parts.append(content[position:])
    return b"".join(parts)


def _decode_names(content: bytes) -> bytes:
    # PDF names may spell letters as #xx ("/J#61vaScript"), so look at them decoded too.
    return _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), content)


def _has_active_content(content: bytes) -> bool:
    texts = (content, _decode_names(content))
    if any(name in text for name in PDF_ACTIVE for text in texts):
        return True
    outside = _outside_streams(content)
    return any(_PDF_ACTIVE_SHORT.search(text) for text in (outside, _decode_names(outside)))


def _check_pdf(content: bytes) -> ReceiptType | ReceiptProblem:
    if _has_active_content(content):
        return ReceiptProblem.NOT_ALLOWED_TYPE
    return ReceiptType.PDF if PDF_END in content[-PDF_TRAILER_WINDOW:] else ReceiptProblem.DAMAGED


def check_receipt(content: bytes, max_bytes: int = MAX_RECEIPT_BYTES) -> ReceiptType | ReceiptProblem:
    """What the uploaded file really is, from its bytes alone, or why it is refused.

    Only JPEG, PNG and PDF are allowed; anything else (HTML, SVG, GIF, ZIP, programs, text) is NOT_ALLOWED_TYPE,
    as is an allowed type that also carries web-page markup in its first 4 KB (a polyglot) or a PDF with
    active content. This is a screen, not a guarantee (compressed PDF streams are not opened): serve receipts
    only as downloads with the detected type and X-Content-Type-Options: nosniff.
    """
    if not content:
        return ReceiptProblem.EMPTY
    if len(content) > max_bytes:
        return ReceiptProblem.TOO_LARGE
    if content.startswith(JPEG_START):
        check = _check_jpeg
    elif content.startswith(PNG_SIGNATURE):
        check = _check_png
    elif PDF_START in content[:PDF_HEADER_WINDOW]:
        check = _check_pdf
    else:
        return ReceiptProblem.NOT_ALLOWED_TYPE
    return ReceiptProblem.NOT_ALLOWED_TYPE if _looks_like_markup(content) else check(content)


def _clean_stem(name: str) -> str:
    # Browsers may send a whole path ("C:\\Users\\me\\till.jpg"); only the last part is the name.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    # "Café" becomes "Cafe" rather than "Caf": accents are dropped, other non-ASCII letters removed.
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    kept = re.sub(r"[^A-Za-z0-9 ._-]", "", ascii_stem)
    hyphenated = re.sub(r"-{2,}", "-", re.sub(r" +", "-", kept.strip()))
    short = hyphenated[:MAX_STEM_LENGTH].strip(".-")
    # Windows will not open a file called CON.png or NUL.pdf, whatever the extension.
    return f"{short}_" if short.upper() in _WINDOWS_RESERVED else short


def safe_download_name(original: str, receipt_type: ReceiptType, fallback: str = "receipt") -> str:
    """A filename to offer on download: a tidy ASCII stem of the uploaded name and the detected type's extension.

    "evil.html" detected as PNG downloads as "evil.png". A stem with nothing left uses `fallback` (tidied too).
    """
    stem = _clean_stem(original) or _clean_stem(fallback) or "receipt"
    return f"{stem}.{receipt_type.extension}"
