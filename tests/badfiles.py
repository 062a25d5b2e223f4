"""A generated corpus of bad inputs next to good ones, written into a temporary folder.

Nothing here is committed as a file: every test that needs the corpus builds it, so the
repository carries no binary fixtures and the bad files are exactly what the code says they are.
Each file is described by a `Case` saying what a member of staff should see after an ingest:
either the file is indexed (its firm becomes searchable) or it is skipped with a one-line reason
that contains one of the expected words.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Case:
    """One file of the generated corpus and the outcome staff should see for it."""

    name: str  # path relative to the corpus folder
    indexed: bool  # True: ingested and searchable; False: skipped with a reason
    reason_words: tuple[str, ...] = ()  # any of these (case-insensitive) must be in the reason
    firm: str = ""  # the firm the file states (searchable iff indexed)
    probe: str = ""  # what the file probes, for SECURITY.md and failure messages


@dataclass
class BadCorpus:
    root: Path  # the folder that is ingested
    outside: Path  # a folder next to it that must never be read
    cases: list[Case] = field(default_factory=list)

    def path(self, case: Case) -> str:
        return str(self.root / case.name)

    @property
    def bad(self) -> list[Case]:
        return [c for c in self.cases if not c.indexed]

    @property
    def good(self) -> list[Case]:
        return [c for c in self.cases if c.indexed]


# ------------------------------------------------------------------ good German supplier text

_PLACES = ["Freiberg", "Plauen", "Zwickau", "Chemnitz", "Pirna", "Meißen", "Riesa", "Bautzen"]
_WORK = [
    "Präzisionsdrehteile und Frästeile für den Maschinenbau",
    "Kabelkonfektion und Baugruppen für die Medizintechnik",
    "Schweißbaugruppen und Blechteile für den Fahrzeugbau",
    "Getriebe und Zahnräder für die Luft- und Raumfahrt",
]


def supplier_text(firm: str, n: int = 0) -> str:
    """A few sentences of a member page stating what one firm makes and where."""
    place = _PLACES[n % len(_PLACES)]
    work = _WORK[n % len(_WORK)]
    return (
        f"{firm}\n\n"
        f"Die {firm} aus {place} fertigt {work}.\n"
        f"Die {firm} ist nach ISO 9001 zertifiziert und beschäftigt 40 Mitarbeiter.\n"
    )


def supplier_html(firm: str, n: int = 0, charset: str = "utf-8", extra: str = "") -> str:
    body = "".join(f"<p>{line}</p>\n" for line in supplier_text(firm, n).split("\n")[1:] if line)
    return (
        f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="{charset}">'
        f"<title>{firm}</title></head>\n<body><h1>{firm}</h1>\n{body}{extra}</body></html>\n"
    )


def supplier_pdf(firm: str, n: int = 0, pages: int = 1, encrypt: str | None = None) -> bytes:
    """A real PDF written by reportlab; extra pages repeat a short paragraph."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)
    c.setTitle(firm)
    for page in range(pages):
        y = 780
        lines = supplier_text(firm, n).split("\n") if page == 0 else [f"Seite {page + 1}", ""]
        for line in lines:
            c.drawString(60, y, line)
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' page: a picture of text, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(img).text((20, 80), "Muster GmbH fertigt Drehteile", fill=0)
    png = io.BytesIO()
    img.save(png, "PNG")
    png.seek(0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(png), 50, 500, width=500, height=160)
    c.showPage()
    c.save()
    return buf.getvalue()


def flate_bomb_pdf(inflated_mb: int = 200) -> bytes:
    """A one-page PDF whose content stream inflates from a few hundred KB to `inflated_mb` MB."""
    chunk = b"q Q " * (256 * 1024)  # 1 MB of harmless operators
    z = zlib.compressobj(9)
    packed = b"".join(z.compress(chunk) for _ in range(inflated_mb)) + z.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    )
    return out.getvalue()


def inline_image_html(target_bytes: int, firm: str, rng: random.Random) -> bytes:
    """A page saved 'complete': the firm's text plus one photo inlined as a base64 data URI."""
    import base64

    photo = base64.b64encode(rng.randbytes(target_bytes * 3 // 4))
    img = b'<p><img alt="Werkhalle" src="data:image/jpeg;base64,' + photo + b'"></p>'
    return supplier_html(firm, 1, extra=img.decode("ascii")).encode("utf-8")


def big_html(target_bytes: int, firm: str) -> bytes:
    """A real-looking page grown to `target_bytes` with table rows, the firm stated at the top."""
    head = supplier_html(firm, 1).split("</body>")[0].encode()
    row = b"<tr><td>Artikel 000000</td><td>Drehteil aus Edelstahl</td><td>12,50 EUR</td></tr>\n"
    n = max(0, (target_bytes - len(head)) // len(row))
    return head + b"<table>\n" + row * n + b"</table></body></html>\n"


def deep_html(depth: int, firm: str) -> bytes:
    return (
        b"<!DOCTYPE html><html><head><title>tief</title></head><body>"
        + b"<div>" * depth
        + supplier_text(firm, 2).encode()
        + b"</div>" * depth
        + b"</body></html>"
    )


def _office_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# ------------------------------------------------------------------ the corpus


def build(root: Path, outside: Path, big_mb: int = 30) -> BadCorpus:
    """Write the bad-input corpus under `root` and a never-to-be-read folder at `outside`."""
    root.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    corpus = BadCorpus(root, outside)
    rng = random.Random(6)

    def put(case: Case, data: bytes | str | Callable[[Path], None]) -> None:
        p = root / case.name
        p.parent.mkdir(parents=True, exist_ok=True)
        if callable(data):
            data(p)
        else:
            p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        corpus.cases.append(case)

    # --- good files: they must be indexed whatever sits beside them
    put(
        Case("gut/drehteile.html", True, firm="Elstertal Drehteile GmbH", probe="plain UTF-8 page"),
        supplier_html("Elstertal Drehteile GmbH", 0),
    )
    put(
        Case("gut/broschuere.pdf", True, firm="Muldental Kabeltechnik GmbH", probe="one-page PDF"),
        supplier_pdf("Muldental Kabeltechnik GmbH", 1),
    )
    put(
        Case("gut/meldung.txt", True, firm="Zschopau Blechbau GmbH", probe="plain text"),
        supplier_text("Zschopau Blechbau GmbH", 2),
    )
    put(
        Case(
            "gut/Firma Müller & Söhne (Kopie) #2.html",
            True,
            firm="Göltzschtal Getriebebau GmbH",
            probe="file name with spaces, umlauts, '&', '#' and parentheses",
        ),
        supplier_html("Göltzschtal Getriebebau GmbH", 3),
    )
    put(
        Case(
            "gut/utf16.txt",
            True,
            firm="Wesenitz Präzisionsteile GmbH",
            probe="UTF-16 text with BOM (Windows 'Unicode')",
        ),
        supplier_text("Wesenitz Präzisionsteile GmbH", 0).encode("utf-16"),
    )
    put(
        Case(
            "gut/windows1252.txt",
            True,
            firm="Röder Gerätebau GmbH",
            probe="Windows-1252 text with umlauts, € and „quotes“",
        ),
        (supplier_text("Röder Gerätebau GmbH", 1) + "Preise in € – „ab Werk“.\n").encode("cp1252"),
    )
    put(
        Case(
            "gut/latin1-declared.html",
            True,
            firm="Flöha Frästechnik GmbH",
            probe="HTML declaring and using ISO-8859-1",
        ),
        supplier_html("Flöha Frästechnik GmbH", 2, charset="iso-8859-1").encode("latin-1"),
    )
    nul_html = supplier_html("Priessnitz Schleiftechnik GmbH", 3).replace("<h1>", "\x00\x00<h1>", 1)
    put(
        Case(
            "gut/nul-im-html.html",
            True,
            firm="Priessnitz Schleiftechnik GmbH",
            probe="HTML page with NUL bytes in it",
        ),
        nul_html,
    )
    put(
        Case(
            "gut/tief-verschachtelt.html",
            True,
            firm="Lockwitz Zerspanung GmbH",
            probe="HTML nested 20,000 elements deep",
        ),
        deep_html(20_000, "Lockwitz Zerspanung GmbH"),
    )
    put(
        Case(
            "gut/riesig-mit-bildern.html",
            True,
            firm="Triebisch Drehtechnik GmbH",
            probe=f"{big_mb} MB HTML page saved with its images inline (base64)",
        ),
        inline_image_html(big_mb * 1024 * 1024, "Triebisch Drehtechnik GmbH", rng),
    )
    put(
        Case(
            "gut/punkte.txt",
            True,
            firm="Kirnitzsch Stanztechnik GmbH",
            probe="text with a 200,000-character run of dots (table-of-contents leaders)",
        ),
        supplier_text("Kirnitzsch Stanztechnik GmbH", 0) + "Inhalt " + "." * 200_000 + " 5\n",
    )
    put(
        Case(
            "gut/GROSS.HTM",
            True,
            firm="Bobritzsch Lasertechnik GmbH",
            probe="upper-case .HTM suffix",
        ),
        supplier_html("Bobritzsch Lasertechnik GmbH", 1),
    )
    put(
        Case(
            "gut/sehr-lang.pdf",
            True,
            firm="Rödertal Feinmechanik GmbH",
            probe="150-page PDF",
        ),
        supplier_pdf("Rödertal Feinmechanik GmbH", 3, pages=150),
    )

    # --- bad files: each must be skipped with a reason naming it
    put(
        Case(
            "riesig-tabelle.html",
            False,
            ("elements",),
            firm="Weisseritz Drehtechnik GmbH",
            probe=f"{big_mb} MB HTML table export (1.5 million elements)",
        ),
        big_html(big_mb * 1024 * 1024, "Weisseritz Drehtechnik GmbH"),
    )
    put(Case("leer.txt", False, ("empty",), probe="empty file"), b"")
    put(Case("leer.html", False, ("empty",), probe="empty HTML file"), b"")
    put(
        Case("nur-leerzeichen.txt", False, ("no usable text",), probe="whitespace only"),
        " \n\t\n" * 100,
    )
    pdf = supplier_pdf("Abgeschnitten Metall GmbH", 0)
    put(
        Case(
            "abgeschnitten.pdf",
            False,
            ("broken",),
            firm="Abgeschnitten Metall GmbH",
            probe="PDF truncated after its header",
        ),
        pdf[:200],
    )
    put(
        Case(
            "verschluesselt.pdf",
            False,
            ("encrypted",),
            firm="Geheim Metallbau GmbH",
            probe="password-protected PDF",
        ),
        supplier_pdf("Geheim Metallbau GmbH", 0, encrypt="geheim"),
    )
    put(
        Case("scan.pdf", False, ("no usable text", "image-only"), probe="image-only PDF"),
        image_only_pdf(),
    )
    put(
        Case(
            "html-als.pdf",
            False,
            ("html", "not pdf"),
            firm="Falschname Technik GmbH",
            probe="HTML saved as .pdf",
        ),
        supplier_html("Falschname Technik GmbH", 0),
    )
    put(
        Case("pdf-als.html", False, ("pdf", "not html"), probe="PDF saved as .html"),
        supplier_pdf("Verkleidet Stahlbau GmbH", 0),
    )
    put(
        Case("zufall.txt", False, ("binary",), probe="random bytes as .txt"),
        rng.randbytes(64 * 1024),
    )
    put(
        Case("zufall.pdf", False, ("not pdf", "binary"), probe="random bytes as .pdf"),
        rng.randbytes(4096),
    )
    put(
        Case("zufall.html", False, ("binary", "not html"), probe="random bytes as .html"),
        rng.randbytes(4096),
    )
    put(
        Case("nullbytes.txt", False, ("binary",), probe="NUL bytes only"),
        b"\x00" * 10_000,
    )
    put(
        Case("tabelle.xlsx", False, ("unsupported",), probe="Excel workbook"),
        _office_zip({"xl/workbook.xml": b"<workbook/>"}),
    )
    put(
        Case("brief.docx", False, ("unsupported",), probe="Word document"),
        _office_zip({"word/document.xml": b"<document/>"}),
    )
    put(
        Case("archiv.zip", False, ("unsupported",), probe="zip archive"),
        _office_zip({"innen.html": supplier_html("Gezippt Werkzeugbau GmbH").encode()}),
    )
    put(
        Case("bombe.txt", False, ("archive", "not text"), probe="gzip bomb named .txt"),
        _gzip_bomb(),
    )
    put(
        Case(
            "flate-bombe.pdf",
            False,
            ("inflate",),
            probe="PDF whose content stream inflates to 200 MB",
        ),
        flate_bomb_pdf(200),
    )
    put(
        Case("ohne-endung", False, ("unsupported",), probe="file without a suffix"),
        supplier_text("Endungslos GmbH"),
    )

    # --- the same content under two names: indexed once, the second is named as a duplicate
    same = supplier_html("Doppelt Umformtechnik GmbH", 1)
    put(Case("a-doppelt.html", True, firm="Doppelt Umformtechnik GmbH", probe="original"), same)
    put(Case("b-doppelt.html", False, ("same content", "duplicate"), probe="same bytes"), same)

    # --- symlinks: followed inside the folder, never outside it
    secret = outside / "geheim.html"
    secret.write_text(supplier_html("Draussen Sondermaschinen GmbH", 2), encoding="utf-8")
    (outside / "ordner").mkdir(exist_ok=True)
    (outside / "ordner" / "auch-geheim.html").write_text(
        supplier_html("Draussen Zwei Apparatebau GmbH", 3), encoding="utf-8"
    )

    def link(target: Path | str) -> Callable[[Path], None]:
        return lambda p: os.symlink(target, p)

    put(
        Case(
            "link-nach-draussen.html",
            False,
            ("outside",),
            firm="Draussen Sondermaschinen GmbH",
            probe="symlink to a file outside the folder",
        ),
        link(secret),
    )
    put(
        Case(
            "link-relativ.html",
            False,
            ("outside",),
            firm="Draussen Sondermaschinen GmbH",
            probe="relative symlink ../ out of the folder",
        ),
        link(os.path.relpath(secret, root)),
    )
    put(
        Case(
            "ordner-link",
            False,
            ("symbolic link", "not followed"),
            firm="Draussen Zwei Apparatebau GmbH",
            probe="symlink to a folder outside",
        ),
        link(outside / "ordner"),
    )
    put(Case("kaputt-link.html", False, ("broken",), probe="dangling symlink"), link(root / "nix"))
    put(
        Case("schleife.html", False, ("broken",), probe="symlink loop"),
        link(root / "schleife.html"),
    )
    put(
        Case("geraet.txt", False, ("outside",), probe="symlink to /dev/zero (never ends)"),
        link("/dev/zero"),
    )
    put(
        Case("link-innen.html", False, ("same content", "duplicate"), probe="symlink inside"),
        link(root / "gut" / "drehteile.html"),
    )
    put(Case("rohr.txt", False, ("regular file",), probe="named pipe (FIFO)"), os.mkfifo)

    # --- file names that break naive reports
    put(
        Case(
            "zeilen\numbruch.html",
            True,
            firm="Sebnitz Federntechnik GmbH",
            probe="file name with a line break",
        ),
        supplier_html("Sebnitz Federntechnik GmbH", 2),
    )
    latin1 = os.fsdecode(b"caf\xe9-latin1.html")
    put(
        Case(latin1, False, ("utf-8",), probe="file name in Latin-1 bytes, not UTF-8"),
        supplier_html("Kaffee Drehteile GmbH", 0),
    )
    return corpus


def _gzip_bomb() -> bytes:
    """50 KB of gzip that inflates to 50 MB of zeros."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1024 * 1024)
    return b"".join(z.compress(zeros) for _ in range(50)) + z.flush()
