"""Hand-written hostile PDFs: a page-tree bomb, deeply nested objects, a truncated file."""

from __future__ import annotations

import zlib


def assemble(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file of `objects` (numbered from 1), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _text_page(parent: int, contents: int, font: int) -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (parent, contents, font)
    )


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page_tree_bomb(levels: int = 9, fanout: int = 10) -> bytes:
    """A few hundred bytes whose page tree claims fanout**levels pages: every node lists the
    same child `fanout` times (a reader that expands it naively never finishes)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        child = 3 + level
        kids = b" ".join([b"%d 0 R" % child] * fanout)
        objects.append(
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, fanout ** (levels - level))
        )
    leaf = 2 + levels
    objects.append(_text_page(leaf - 1, leaf + 1, leaf + 2))
    objects.append(_stream(b"BT /F1 12 Tf 72 720 Td (Bomb page) Tj ET"))
    objects.append(FONT)
    return assemble(objects)


def nested_bomb(depth: int = 200_000, text: str = "Nested") -> bytes:
    """One text page whose own dictionary holds `depth` nested arrays (a recursive parser
    overflows its stack), and the same nesting in the page's content stream."""
    nested = b"[" * depth + b"]" * depth
    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET\n" % text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _text_page(2, 4, 5).replace(b">> >> >>", b">> >> /Junk %s >>" % nested),
        _stream(content + nested + b" pop\n"),
        FONT,
    ]
    return assemble(objects)


def huge_stream_bomb(mib: int = 200, text: str = "Zeros") -> bytes:
    """A page whose content stream inflates from about 200 KB to `mib` MiB of spaces."""
    pack = zlib.compressobj(9)
    data = pack.compress(b"BT /F1 12 Tf 72 720 Td (%s) Tj ET\n" % text.encode("latin-1"))
    block = b" " * (1 << 20)
    data += b"".join(pack.compress(block) for _ in range(mib)) + pack.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _text_page(2, 4, 5),
        stream + data + b"\nendstream",
        FONT,
    ]
    return assemble(objects)
