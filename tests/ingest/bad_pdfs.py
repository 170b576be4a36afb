"""Hostile and broken PDFs, built byte by byte, for the sandbox tests."""

from __future__ import annotations

import io
import random
import zlib

from reportlab.pdfgen import canvas

MIB = 1024 * 1024


def raw_pdf(content: bytes, stream_dict: bytes = b"") -> bytes:
    """A one-page PDF whose page content stream is ``content`` (already encoded)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s >>\nstream\n" % (len(content), stream_dict) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def flate_of_spaces(size: int) -> bytes:
    """A valid zlib stream that inflates to ``size`` spaces, built from one repeated block so it
    costs milliseconds to make (about 1 KB of output per MiB)."""
    compressor = zlib.compressobj(9)
    block = b" " * MIB
    # After a full flush the compressor forgets its history, so the next MiB compresses to the
    # same self-contained bytes every time and can simply be repeated.
    head = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks = size // MIB
    final_empty_block = zlib.compressobj(9, wbits=-15).flush()
    checksum = 1
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    return head + body * (blocks - 1) + final_empty_block + checksum.to_bytes(4, "big")


def decompression_bomb(size: int = 1024 * MIB) -> bytes:
    """About 1 MB on disk, ``size`` bytes once pdfminer inflates the page content."""
    return raw_pdf(flate_of_spaces(size), b"/Filter /FlateDecode")


def stacked_bomb(size: int = 1024 * MIB) -> bytes:
    """Two stacked FlateDecode filters: a few kilobytes on disk."""
    return raw_pdf(zlib.compress(flate_of_spaces(size), 9), b"/Filter [/FlateDecode /FlateDecode]")


def scattered_words(count: int = 20_000, seed: int = 5) -> bytes:
    """One page of words at random places: pdfminer's layout analysis cost grows faster than
    linearly with it, so reading it would run for minutes."""
    rng = random.Random(seed)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=1)
    page.setFont("Helvetica", 4)
    for _ in range(count):
        page.drawString(rng.uniform(0, 590), rng.uniform(0, 830), f"w{rng.randrange(1000)}")
    page.save()
    return buffer.getvalue()


def encrypted_rc4(text: str = "Amount Billed $185.00") -> bytes:
    from reportlab.lib import pdfencrypt

    buffer = io.BytesIO()
    encryption = pdfencrypt.StandardEncryption("open-sesame", "owner-secret", strength=128)
    page = canvas.Canvas(buffer, encrypt=encryption)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def encrypted_aes256(plain: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password="open-sesame", owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_pages(count: int) -> bytes:
    buffer = io.BytesIO()
    pages = canvas.Canvas(buffer)
    for number in range(count):
        pages.drawString(72, 720, f"Page {number + 1}")
        pages.showPage()
    pages.save()
    return buffer.getvalue()
