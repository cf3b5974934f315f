import re
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.receipts import (
    MAX_RECEIPT_BYTES,
    ReceiptProblem,
    ReceiptType,
    check_receipt,
    safe_download_name,
)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(extra_chunks: bytes = b"") -> bytes:
    """A real 1×1 greyscale PNG: signature, IHDR, IDAT, IEND, each with its CRC."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))  # filter byte 0, one black pixel
    return b"\x89PNG\r\n\x1a\n" + header + extra_chunks + pixels + png_chunk(b"IEND", b"")


# Start of image, a JFIF APP0 segment, end of image: enough for content sniffing.
JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
JPEG = b"\xff\xd8" + JFIF + b"\xff\xd9"
PNG = make_png()


def make_pdf(body: bytes = b"", before: bytes = b"", after: bytes = b"") -> bytes:
    return (
        before
        + b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        + b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        + body
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
        + after
    )


PDF = make_pdf()


def test_the_test_png_is_a_real_png():
    assert zlib.crc32(b"IEND") == 0xAE426082


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (JPEG, ReceiptType.JPEG),
        (PNG, ReceiptType.PNG),
        (PDF, ReceiptType.PDF),
        (JPEG + b"\x00" * 5000 + b"camera maker notes", ReceiptType.JPEG),  # trailing data after FF D9
        (b"\xff\xd8\xff\xe1" + b"\x00" * 3000 + b"\xff\xd9", ReceiptType.JPEG),  # an EXIF JPEG
        (make_png(png_chunk(b"tEXt", b"Comment\x00Tesco")), ReceiptType.PNG),
        (PNG + b"trailing bytes", ReceiptType.PNG),
        (make_pdf(before=b"\x00" * 1000), ReceiptType.PDF),  # the header may be anywhere in the first 1024 bytes
        (make_pdf(after=b"\n" * 2000), ReceiptType.PDF),  # %%EOF within the last 2 KB
        (make_pdf(body=b"3 0 obj\n<< /Length 4 >>\nstream\n/JS(\nendstream\nendobj\n"), ReceiptType.PDF),
        (make_pdf(body=b"3 0 obj\n<< /Filter /DCTDecode >>\nstream\n\x00/JS /XFA\xff\nendstream\n"), ReceiptType.PDF),
        (make_pdf(body=b"4 0 obj\n<< /Title (JSON and JSX) /JSON 1 >>\nendobj\n"), ReceiptType.PDF),
        (JPEG + b"\x00" * 4096 + b"<script>", ReceiptType.JPEG),  # markup is looked for in the first 4 KB only
    ],
)
def test_receipts_of_the_allowed_types_are_recognised(content, expected):
    assert check_receipt(content) is expected


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",  # a web page renamed receipt.jpg
        b"<html><body>Receipt</body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # a ZIP (and so a .docx)
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100,  # a Windows program
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100,
        b"#!/bin/sh\nrm -rf ~\n",
        b"Tesco, 12 March, \xc2\xa312.50\n",
        b"BM\x3a\x00\x00\x00",  # a bitmap
        b"RIFF\x24\x00\x00\x00WEBPVP8 ",
        b"\x00" * 100,
        b"\xff\xd8",  # too short to be a JPEG
        b"\x89PNG",  # not the whole PNG signature
        b"\x00" * 1024 + PDF,  # the PDF header too far in
        # Polyglots: an allowed type's signature on something that is also a web page
        b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>\xff\xd9",
        b"\xff\xd8\xff\xfe\x00\x20<SCRIPT SRC=//evil.example>\xff\xd9",  # in a JPEG comment, in capitals
        JPEG[:-2] + b"<HtMl>" + JPEG[-2:],
        make_png(png_chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>")),
        make_pdf(before=b"<html><body>"),  # a web page with a PDF header inside its first 1024 bytes
        # PDFs with active content
        make_pdf(body=b"3 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"),
        make_pdf(body=b"3 0 obj\n<< /JS (app.alert(1)) >>\nendobj\n"),
        make_pdf(body=b"3 0 obj\n<< /JS<6170702e616c657274283129> >>\nendobj\n"),
        make_pdf(body=b"3 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n"),
        make_pdf(body=b"3 0 obj\n<< /Type /EmbeddedFile /Length 3 >>\nstream\nabc\nendstream\nendobj\n"),
        make_pdf(body=b"3 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n"),  # escaped names
        make_pdf(body=b"3 0 obj\n<< /XFA 4 0 R >>\nendobj\n"),
        make_pdf(body=b"3 0 obj\n<< /Subtype /RichMedia >>\nendobj\n"),
        make_pdf(body=b"3 0 obj\n<< /Type /ObjStm >>\nstream\n<< /S /JavaScript >>\nendstream\n"),
    ],
)
def test_anything_else_is_not_allowed_whatever_it_is_called(content):
    assert check_receipt(content) is ReceiptProblem.NOT_ALLOWED_TYPE


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff",
        JPEG[:-2],  # no end-of-image marker
        b"\xff\xd8\xff\xd9",  # the marker must come after the start, not overlap it
        PNG[: PNG.index(b"IEND") - 4],  # cut off before IEND
        PNG[:-1],  # IEND without its whole CRC
        b"\x89PNG\r\n\x1a\n",
        PNG[:8] + png_chunk(b"IDAT", b"") + PNG[8:],  # IHDR must come first
        PNG.replace(b"\x00\x00\x00\x0dIHDR", b"\x00\x00\x00\x0cIHDR"),  # IHDR is 13 bytes long
        PDF.replace(b"%%EOF", b""),
        PDF[:20],
        make_pdf(after=b"\n" * 2049),  # %%EOF too far from the end
        b"%PDF-1.7\n",
    ],
)
def test_truncated_or_broken_files_are_damaged(content):
    assert check_receipt(content) is ReceiptProblem.DAMAGED


def test_an_empty_file_is_empty():
    assert check_receipt(b"") is ReceiptProblem.EMPTY


def test_size_is_checked_before_anything_else():
    assert check_receipt(b"MZ" + b"\x00" * MAX_RECEIPT_BYTES) is ReceiptProblem.TOO_LARGE
    assert check_receipt(JPEG, max_bytes=len(JPEG) - 1) is ReceiptProblem.TOO_LARGE
    assert check_receipt(JPEG, max_bytes=len(JPEG)) is ReceiptType.JPEG


def test_a_receipt_may_be_up_to_ten_megabytes():
    assert MAX_RECEIPT_BYTES == 10 * 1024 * 1024
    big_jpeg = JPEG[:-2] + b"\x00" * (MAX_RECEIPT_BYTES - len(JPEG)) + JPEG[-2:]
    assert check_receipt(big_jpeg) is ReceiptType.JPEG
    assert check_receipt(big_jpeg + b"\x00") is ReceiptProblem.TOO_LARGE


def test_a_pdf_made_of_stream_keywords_is_checked_quickly():
    # Linear time however the stream keywords are arranged (a regex could backtrack for minutes here).
    content = b"%PDF-1.4\n" + b"stream\n" * 1_000_000 + b"%%EOF\n"
    assert check_receipt(content) is ReceiptType.PDF


def test_receipt_types_and_problems():
    assert [(t.value, t.extension) for t in ReceiptType] == [
        ("image/jpeg", "jpg"),
        ("image/png", "png"),
        ("application/pdf", "pdf"),
    ]
    assert [p.value for p in ReceiptProblem] == ["empty", "too_large", "not_allowed_type", "damaged"]


@pytest.mark.parametrize(
    ("original", "receipt_type", "name"),
    [
        ("evil.html", ReceiptType.PNG, "evil.png"),  # the detected type decides the extension
        ("receipt.jpg", ReceiptType.PDF, "receipt.pdf"),
        ("IMG_2041.JPEG", ReceiptType.JPEG, "IMG_2041.jpg"),
        ("Tesco receipt 12 March.png", ReceiptType.PNG, "Tesco-receipt-12-March.png"),
        ("a  b - c.pdf", ReceiptType.PDF, "a-b-c.pdf"),
        ("Café bill.pdf", ReceiptType.PDF, "Cafe-bill.pdf"),
        ("£12.50 taxi.jpg", ReceiptType.JPEG, "12.50-taxi.jpg"),
        ("report.tar.gz", ReceiptType.PDF, "report.tar.pdf"),
        ("noextension", ReceiptType.PNG, "noextension.png"),
        ("../../etc/passwd", ReceiptType.PDF, "passwd.pdf"),
        ("C:\\Users\\me\\Desktop\\till.jpg", ReceiptType.JPEG, "till.jpg"),
        (".hidden.jpg", ReceiptType.JPEG, "hidden.jpg"),
        ("..", ReceiptType.PNG, "receipt.png"),
        ("-rf.png", ReceiptType.PNG, "rf.png"),
        ("CON.pdf", ReceiptType.PDF, "CON_.pdf"),
        ("<script>alert(1)</script>.jpg", ReceiptType.JPEG, "script.jpg"),  # "/" ends a path: only "script>" is left
        ('bill"; filename="evil.exe.pdf', ReceiptType.PDF, "bill-filenameevil.exe.pdf"),
        ("name\r\nContent-Type: text/html.pdf", ReceiptType.PDF, "html.pdf"),
        ("x" * 100 + ".png", ReceiptType.PNG, "x" * 60 + ".png"),
        ("a" * 59 + " b.png", ReceiptType.PNG, "a" * 59 + ".png"),  # no hyphen left dangling by the cut
        ("", ReceiptType.PDF, "receipt.pdf"),
        ("收据.jpg", ReceiptType.JPEG, "receipt.jpg"),
    ],
)
def test_safe_download_name(original, receipt_type, name):
    assert safe_download_name(original, receipt_type) == name


def test_safe_download_name_uses_the_fallback_when_nothing_is_left():
    assert safe_download_name("£££.png", ReceiptType.PNG, fallback="derbynneb") == "derbynneb.png"
    assert safe_download_name("...", ReceiptType.PNG, fallback="£") == "receipt.png"


@given(original=st.text(max_size=200), receipt_type=st.sampled_from(ReceiptType), fallback=st.text(max_size=20))
def test_safe_download_names_are_always_tidy(original, receipt_type, fallback):
    name = safe_download_name(original, receipt_type, fallback)
    stem, extension = name.rsplit(".", 1)
    assert extension == receipt_type.extension
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,61}", stem)
    assert not stem.startswith((".", "-"))
    assert " " not in name


@given(content=st.binary(max_size=2000), start=st.sampled_from([b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-"]))
def test_check_receipt_always_answers(content, start):
    result = check_receipt(start + content, max_bytes=1500)
    assert isinstance(result, ReceiptType | ReceiptProblem)
    if len(start + content) > 1500:
        assert result is ReceiptProblem.TOO_LARGE
