"""Load one file into a `Document`: type sniffed from content, text split into blocks.

Anything that makes a file unusable raises `LoadError` with a one-line reason for the ingest
report; callers never see a parser's traceback.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zlib
from pathlib import Path

from .doctype import classify, detect_language, find_date
from .limits import Limits
from .records import Block, Document
from .textcodec import clean, decode, html_declared_charset

SUPPORTED = (".html", ".htm", ".pdf", ".txt")


class LoadError(Exception):
    """A file that cannot be used; the message is the reason shown to staff."""


def sniff(data: bytes) -> str:
    """Name the content type from the bytes themselves, not from the file name."""
    head = data[:2048].lstrip()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if data.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")):
        return "archive"
    low = head[:1024].lower()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        low = data[:2048].decode("utf-16", "ignore").lower().lstrip().encode()
    if (
        low.startswith((b"<!doctype html", b"<html", b"<?xml"))
        or b"<body" in low
        or b"<head" in low
    ):
        return "html"
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "text"
    if b"\x00" in sample:
        return "binary"
    bad = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return "binary" if sample and bad / len(sample) > 0.02 else "text"


_ELEMENT = re.compile(rb"<[A-Za-z]")


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything but a regular file and anything over `max_bytes`.

    A named pipe or a device would block or never end; the size is checked on what is actually
    read as well, because a file can grow between stat() and read().
    """
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise LoadError("not a regular file (a pipe, device or socket)")
    too_large = LoadError(
        f"file too large ({max(st.st_size, max_bytes + 1) / 2**20:.1f} MB > limit "
        f"{max_bytes / 2**20:g} MB, --max-mb)"
    )
    if st.st_size > max_bytes:
        raise too_large
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_id_for(path: str) -> str:
    """Stable id from the path, so re-ingesting a changed file replaces what it stated."""
    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:16]


def load(path: Path, limits: Limits = Limits(), source_key: str | None = None) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(
            f"unsupported file type '{suffix or '(none)'}' (use .html, .htm, .pdf or .txt)"
        )
    data = read_capped(path, limits.max_bytes)
    if not data:
        raise LoadError("empty file")
    kind = sniff(data)
    expected = {".html": "html", ".htm": "html", ".pdf": "pdf", ".txt": "text"}[suffix]
    if kind != expected and not (expected == "html" and kind == "text"):
        raise LoadError(f"content is {kind}, not {expected} as the name '{suffix}' says")
    if expected == "pdf":
        title, date, blocks = read_pdf(data, limits)
    elif expected == "html":
        elements = len(_ELEMENT.findall(data))
        if elements > limits.max_html_elements:
            raise LoadError(
                f"HTML page has {elements:,} elements (limit {limits.max_html_elements:,}, "
                "--max-html-elements): a data export rather than a page"
            )
        title, date, blocks = read_html(data)
    else:
        title, date, blocks = read_text(data)
    blocks = bounded([b for b in blocks if b.text.strip()])
    text = "\n".join(b.text for b in blocks)
    if len(re.findall(r"\w{2,}", text)) < 3:
        raise LoadError(
            "no usable text"
            + (" (image-only PDF? OCR is not supported)" if expected == "pdf" else "")
        )
    key = source_key or str(path)
    if not date:
        date = document_date(blocks)
    if not title:
        title = next(
            (
                b.text
                for b in blocks
                if b.role in ("title", "heading")
                and not re.search(r"@|\d{4}|www\.|^[\w-]+$", b.text)
            ),
            path.stem,
        )[:200]
    return Document(
        id=doc_id_for(key),
        path=key,
        kind=classify(expected, title, blocks),
        title=title.strip(),
        date=date,
        language=detect_language(text),
        content_hash=content_hash(data),
        blocks=blocks,
    )


MAX_BLOCK_CHARS = 5000
_CUT = re.compile(r"[.!?]\s|\s")


def bounded(blocks: list[Block], limit: int = MAX_BLOCK_CHARS) -> list[Block]:
    """Blocks of at most `limit` characters, cut at a sentence end or else at a space.

    Real paragraphs stay far below the limit (the longest in the seeds and corpus is about
    1,100 characters); a megabyte without a full stop — a minified export, a run of dots —
    would otherwise reach sentence splitting and name matching as one piece, and their cost
    grows faster than linearly with its length.
    """
    out: list[Block] = []
    for b in blocks:
        text = b.text
        while len(text) > limit:
            window = text[:limit]
            ends = [m.end() for m in _CUT.finditer(window, limit // 2)]
            sentence_ends = [e for e in ends if window[e - 2] in ".!?"]
            cut = (sentence_ends or ends or [limit])[-1]
            out.append(Block(text[:cut].strip(), b.role, b.page))
            text = text[cut:]
        if text.strip():
            out.append(Block(text.strip(), b.role, b.page))
    return out


def document_date(blocks: list[Block]) -> str | None:
    """A date printed near the top ('15.03.2017', 'März 2017') or a 'Stand: Juni 2000' anywhere.

    Dates inside the prose ('seit Januar 2013') say when something happened, not when the
    document was written, so they are not used.
    """
    head = "\n".join(b.text for b in blocks[:4])[:400]
    stands = [
        m.group(0) for m in re.finditer(r"\bStand\b[^\n]{0,60}", "\n".join(b.text for b in blocks))
    ]
    for candidate in (*stands, head):
        d = find_date(candidate)
        if d:
            return d
    return None


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "nav",
    "iframe",
    "svg",
    "form",
    "template",
    "button",
    "select",
]
_BLOCK_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "dt",
    "dd",
    "address",
    "blockquote",
    "td",
    "th",
    "figcaption",
    "pre",
    "caption",
    "title",
}
_NAV_HINT = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumb|cookie|skip|sidebar-nav|social|share)([\s_-]|$)", re.I
)
_CONTACT_HINT = re.compile(
    r"(\+?\d[\d /().-]{6,}\d|@|\bTel\b|\bTelefon\b|\bFax\b|\bE-Mail\b|\bImpressum\b)", re.I
)
_FOOTER_NOISE = re.compile(
    r"(?i)(impressum|datenschutz(erklärung)?|agb|cookies?(-einstellungen)?|sitemap|kontakt|nach oben|top|"
    r"©.*|\(c\).*|alle rechte vorbehalten|barrierefreiheit|newsletter|karriere|jobs|home|start(seite)?|[|·•/ ]+)"
)
_META_DATE_NAMES = {
    "date",
    "dc.date",
    "dcterms.date",
    "article:published_time",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "og:article:published_time",
    "last-modified",
}


_DATA_URI = re.compile(rb"data:[\w/+.-]{1,80};base64,[A-Za-z0-9+/=\s]{256,}")


def read_html(data: bytes) -> tuple[str, str | None, list[Block]]:
    from bs4 import BeautifulSoup

    # A page saved "complete" carries its images inline as base64: megabytes of attribute text
    # that hold no words but cost the parser seconds (libxml2 even splits them into junk).
    data = _DATA_URI.sub(b"data:,", data)
    text = decode(data, html_declared_charset(data))
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml gives up on some pathological input
        raise LoadError(f"HTML could not be parsed ({type(exc).__name__})") from None
    _flatten_deep(soup)
    date = None
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if name in _META_DATE_NAMES and meta.get("content"):
            date = find_date(meta["content"])
            if date:
                break
    if not date:
        t = soup.find("time")
        if t is not None:
            date = find_date(t.get("datetime") or t.get_text(" "))
    title = ""
    if soup.title and soup.title.string:
        title = clean(soup.title.string).strip()
    structured = _json_ld_contacts(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": "navigation"}):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        hint = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
        if (
            hint.strip()
            and _NAV_HINT.search(hint)
            and tag.name not in ("body", "html", "main", "article")
        ):
            tag.decompose()
    blocks: list[Block] = []
    if title:
        blocks.append(Block(title, "title"))
    # Footers usually carry only links, but often the firm's address and phone: keep those lines.
    footers = soup.find_all("footer")
    footer_blocks: list[Block] = []
    for f in footers:
        lines = [_flat(s) for s in f.get_text("\n").split("\n")]
        keep = [
            ln
            for ln in lines
            if ln and not _FOOTER_NOISE.fullmatch(ln) and (len(ln) > 3 or _CONTACT_HINT.search(ln))
        ]
        if keep:
            footer_blocks.append(Block("\n".join(keep), "contact"))
        f.decompose()
    body = soup.body or soup
    # a table row is one record ("Weber Drehteile GmbH | Annaberg-Buchholz | 2009"): keep it one line
    # (the row is turned into an <li> in place: replace_with() searches the parent's children,
    # which made a page with a 100,000-row table take minutes)
    for tr in body.find_all("tr"):
        cells = [_flat(td.get_text(" ")) for td in tr.find_all(["td", "th"], recursive=False)]
        tr.name, tr.attrs = "li", {}
        tr.string = " | ".join(c for c in cells if c)
    for br in body.find_all("br"):
        br.name, br.attrs = "span", {}
        br.string = _BR  # a line break the author made, unlike the source file's wrapping
    consumed: set[int] = set()
    for el in body.find_all(True):
        name = el.name
        if name in _BLOCK_TAGS:
            if el.find(_BLOCK_TAGS - {"title"}) is not None:
                own = _flat("".join(s for s in el.find_all(string=True, recursive=False)))
                if own:
                    blocks.append(Block(own, _role(name)))
                continue
            raw = el.get_text(" ")
            if _BR in raw and _CONTACT_HINT.search(raw):
                # "<strong>Ines Vogel</strong><br>Vertrieb<br>Tel. …": a contact card, line by line
                lines = [ln for ln in (_flat(x) for x in raw.split(_BR)) if ln]
                blocks.append(Block("\n".join(lines), "contact"))
                continue
            txt = _flat(raw)
            if txt:
                blocks.append(Block(txt, _role(name)))
        elif name in _CONTAINERS:
            if id(el) in consumed:
                continue
            if (
                el.find(_BLOCK_TAGS) is None
                and el.find(_CONTAINERS - _INLINE) is None
                and el.find_parent(_BLOCK_TAGS) is None
            ):
                # a leaf box of inline text ("<div><strong>Name</strong><br>Rolle<br>Tel. …</div>"):
                # read it whole, like a paragraph
                consumed.update(id(d) for d in el.find_all(True))
                raw = el.get_text(" ")
                if _BR in raw and _CONTACT_HINT.search(raw):
                    lines = [ln for ln in (_flat(x) for x in raw.split(_BR)) if ln]
                    blocks.append(Block("\n".join(lines), "contact"))
                elif _flat(raw) and len(_flat(raw)) > 1:
                    blocks.append(Block(_flat(raw), "para"))
                continue
            own = " ".join(
                s.strip() for s in el.find_all(string=True, recursive=False) if s.strip()
            )
            if own and len(own) > 1 and el.find_parent(_BLOCK_TAGS) is None:
                blocks.append(Block(_flat(own), "para"))
    blocks.extend(footer_blocks)
    blocks.extend(structured)
    return title, date, blocks


MAX_HTML_DEPTH = 256


def _flatten_deep(soup, max_depth: int = MAX_HTML_DEPTH) -> None:
    """Replace what lies deeper than `max_depth` by its text, as one string.

    Browsers cap the tree depth the same way. Real pages nest a few dozen levels; a page nested
    20,000 deep made every "is there a block inside this box?" look-up walk the whole chain below
    it (minutes), and bs4's own unwrap() walks it too, so the subtree is cut off in one piece.
    """
    depth: dict[int, int] = {}
    cut = []
    for el in soup.find_all(True):  # document order: every parent before its children
        d = depth.get(id(el.parent), 0) + 1
        depth[id(el)] = d
        if d == max_depth and el.find(True) is not None:
            cut.append(el)
    for el in cut:
        text = el.get_text(" ")
        el.clear()
        el.append(text)


_LD_TYPES = {
    "organization",
    "localbusiness",
    "corporation",
    "professionalservice",
    "store",
    "ngo",
    "educationalorganization",
    "governmentorganization",
}


def _json_ld_contacts(soup) -> list[Block]:
    """Company pages often state name, address, phone and e-mail as schema.org JSON-LD; read it
    as an address block so the contact facts get the same evidence as printed ones."""
    import json

    out: list[Block] = []
    for tag in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(tag.string or "")
        except (ValueError, TypeError, RecursionError):
            continue
        stack, seen = [data], 0
        while stack and seen < 200:
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
                continue
            if not isinstance(item, dict):
                continue
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
            types = item.get("@type")
            types = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
            if not types & _LD_TYPES or not isinstance(item.get("name"), str):
                continue
            lines = [item["name"]]
            addr = item.get("address")
            if isinstance(addr, dict):
                street = str(addr.get("streetAddress") or "")
                town = " ".join(
                    str(addr.get(k) or "") for k in ("postalCode", "addressLocality")
                ).strip()
                lines.append(", ".join(x for x in (street, town) if x))
            for key, label in (
                ("telephone", "Telefon"),
                ("faxNumber", "Fax"),
                ("email", "E-Mail"),
                ("url", ""),
            ):
                if isinstance(item.get(key), str):
                    lines.append(f"{label}: {item[key]}" if label else item[key])
            out.append(Block("\n".join(_flat(ln) for ln in lines if ln.strip()), "contact"))
    return out


_BR = "\u2028"
_INLINE = {"span", "strong", "b", "em", "i", "a", "small", "font", "u", "sup", "sub"}
_CONTAINERS = {"div", "section", "article", "main", "header", "body", "aside", "td"} | _INLINE


def _flat(text: str) -> str:
    """HTML source line breaks are not text structure: one block is one line."""
    return re.sub(r"\s+", " ", clean(text)).strip()


def _role(tag: str) -> str:
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "caption"):
        return "heading"
    if tag in ("li", "dt", "dd", "td", "th"):
        return "list"
    if tag == "address":
        return "contact"
    if tag == "title":
        return "title"
    return "para"


# --------------------------------------------------------------------------- text

_DUMP_HEAD = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\s+(.*)$")
_TITLE_SPLIT = re.compile(
    r"\s(?=(?:Der|Die|Das|Ein|Eine|Im|In|Am|An|Auf|Mit|Nach|Für|Seit|Bei|Vor|Wer|Wie|Was|Zum|Zur|Trotz|Nicht|Auch|Mehr|Neue|Neuer|Neues)\s)"
)


def split_dump_title(rest: str) -> tuple[str, str]:
    """Split ' date 2017-03 <title> <lead>' into title and lead.

    Titles carry no final full stop, and a capitalised article can only start a new sentence
    mid-line, so the first such article after the third word is where the lead begins.
    """
    words = rest.split()
    for m in _TITLE_SPLIT.finditer(rest):
        if len(rest[: m.start()].split()) >= 3:
            return rest[: m.start()].strip(), rest[m.start() :].strip()
    m = re.search(r"[.!?]\s", rest)
    if m and len(rest[: m.start()].split()) <= 20:
        return rest[: m.start()].strip(), rest[m.end() :].strip()
    return " ".join(words[:12]), " ".join(words[12:])


def read_text(data: bytes) -> tuple[str, str | None, list[Block]]:
    text = clean(decode(data))
    lines = text.split("\n")
    title, date = "", None
    blocks: list[Block] = []
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None:
        m = _DUMP_HEAD.match(lines[first])
        if m:
            y, mo, d, rest = m.groups()
            date = f"{y}-{mo}" + (f"-{d}" if d else "")
            title, lead = split_dump_title(rest)
            blocks.append(Block(title, "title"))
            if lead:
                blocks.append(Block(lead, "para"))
            lines = lines[first + 1 :]
    blocks.extend(_paragraphs(lines))
    return title, date, blocks


def _paragraphs(lines: list[str], page: int | None = None) -> list[Block]:
    """Group lines into blocks: blank lines separate paragraphs; short lines stay lines.

    Plain-text and PDF exports break prose at the page width, so long lines are joined back
    into one paragraph while short, label-like lines (headings, contact lines) stay separate.
    """
    blocks: list[Block] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            blocks.append(Block(_join_lines(buf), "para", page))
            buf.clear()

    for raw in lines:
        ln = raw.strip()
        if not ln:
            flush()
            continue
        bullet = re.match(r"^([•\-\*–·▪]|\d{1,2}[.)])\s+", ln)
        if bullet:
            flush()
            blocks.append(Block(ln[bullet.end() :].strip(), "list", page))
            continue
        short = len(ln) < 60 and not ln.endswith((",", "-")) and not (buf and buf[-1].endswith("-"))
        if short and (not buf or len(buf[-1]) < 60):
            flush()
            is_heading = (
                not re.search(r"[.:;,]$", ln)
                and len(ln.split()) <= 8
                and not re.search(r"\d{3}", ln)
            )
            blocks.append(Block(ln, "heading" if is_heading else "list", page))
            continue
        buf.append(ln)
        if re.search(r"[.!?:]$", ln) and len(ln) < 60:
            flush()
    flush()
    return blocks


def _join_lines(lines: list[str]) -> str:
    out = ""
    for ln in lines:
        if out.endswith("-") and ln[:1].islower():
            out = out[:-1] + ln  # hyphenated line break
        elif out:
            out += " " + ln
        else:
            out = ln
    return out


# --------------------------------------------------------------------------- PDF


def read_pdf(data: bytes, limits: Limits) -> tuple[str, str | None, list[Block]]:
    import pdfplumber

    check_inflation(data, limits.max_inflated_bytes)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        raise _pdf_error(exc) from None
    blocks: list[Block] = []
    title = ""
    try:
        with pdf:
            meta = pdf.metadata or {}
            title = str(meta.get("Title") or "").strip()
            if re.fullmatch(
                r"(?i)(untitled|unbenannt|\(anonymous\)|microsoft word - .*|dokument\d*|document\d*)?",
                title,
            ):
                title = ""  # a generator's placeholder, not the document's title
            if len(pdf.pages) > limits.max_pdf_pages:
                raise LoadError(
                    f"PDF has {len(pdf.pages)} pages (limit {limits.max_pdf_pages}, --max-pages)"
                )
            for number, page in enumerate(pdf.pages, start=1):
                for column in _columns(page):
                    blocks.extend(_pdf_blocks(column, number))
    except LoadError:
        raise
    except Exception as exc:
        raise _pdf_error(exc) from None
    date = None
    raw = str((meta or {}).get("CreationDate") or "")
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})", raw)
    if m:
        date = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    text_date = find_date("\n".join(b.text for b in blocks[:40]))
    return title, text_date or date, blocks


def _pdf_error(exc: Exception) -> LoadError:
    """A reason staff can act on; pdfplumber wraps pdfminer's error, so look inside it."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    text = f"{name} {inner}".lower()
    if "password" in text or "encrypt" in text:
        return LoadError("encrypted PDF (password protected): save it without a password")
    detail = str(inner).splitlines()[0][:80] if str(inner).strip() else name
    return LoadError(f"broken PDF ({detail})")


_STREAM = re.compile(rb">>\s*stream\r?\n")


def check_inflation(data: bytes, max_inflated: int) -> None:
    """Refuse a PDF whose compressed streams inflate beyond `max_inflated` bytes in total.

    pdfminer inflates a page's content stream in one piece, so a 200 KB PDF can claim gigabytes
    of memory and minutes of parsing (a decompression bomb). Streams are inflated here chunk by
    chunk with a running budget, without keeping the output. Images are left out: pdfminer
    never inflates them to read text, and scans would otherwise count.
    """
    budget = max_inflated
    for m in _STREAM.finditer(data):
        window = max(0, m.start() - 2000)
        head = data[max(window, data.rfind(b"obj", window, m.start())) : m.start()]
        if b"FlateDecode" not in head or b"/Image" in head:
            continue
        z = zlib.decompressobj()
        pos = m.end()
        end = data.find(b"endstream", pos)
        raw = data[pos : end if end >= 0 else len(data)]
        try:
            chunk = z.decompress(raw, 1 << 20)
            while chunk:
                budget -= len(chunk)
                if budget < 0:
                    raise LoadError(
                        f"PDF streams inflate to more than {max_inflated / 2**20:g} MB (--max-inflated-mb): "
                        "a decompression bomb?"
                    )
                chunk = z.decompress(z.unconsumed_tail, 1 << 20)
        except zlib.error:
            continue  # encrypted or damaged: pdfminer decides


def _columns(page) -> list[list[dict]]:
    """The page's words, column by column, when a vertical white gap splits it.

    A contacts block set beside the body text would otherwise be interleaved line by line with
    the prose. The gap is found from the words' horizontal extents; lines crossing the gap
    (titles over both columns) come first.
    """
    words = page.extract_words(
        keep_blank_chars=False, use_text_flow=False, extra_attrs=["size", "fontname"]
    )
    width = float(page.width)
    if len(words) < 20 or width <= 0:
        return [words]
    bins = [0] * (int(width) + 2)
    for w in words:
        for x in range(max(0, int(w["x0"])), min(len(bins), int(w["x1"]) + 1)):
            bins[x] += 1
    limit = max(1, len(words) // 200)
    best = None
    x = int(width * 0.25)
    while x < int(width * 0.8):
        if bins[x] <= limit:
            start = x
            while x < len(bins) and bins[x] <= limit:
                x += 1
            if x - start >= 12 and (best is None or x - start > best[1] - best[0]):
                best = (start, x)
        x += 1
    if best is None:
        return [words]
    cut = (best[0] + best[1]) / 2
    crossing = [w for w in words if w["x0"] < cut < w["x1"]]
    top = max((w["bottom"] for w in crossing), default=-1.0)
    head = [w for w in words if w["bottom"] <= top + 1]
    left = [w for w in words if w["x1"] <= cut and w["bottom"] > top + 1]
    right = [w for w in words if w["x0"] >= cut and w["bottom"] > top + 1]
    if len(left) < 8 or len(right) < 8:
        return [words]
    return [c for c in (head, left, right) if c]


def _pdf_blocks(words: list[dict], page: int) -> list[Block]:
    """Lines and paragraphs from word positions and font sizes.

    A line that reaches the column's right edge continues in the next line (prose); a short
    line ends its paragraph (headings, contact lines, list items). Larger or bold type is a
    heading. This keeps "Optik Rathenow / Peter Poschmann / Tel. …" as separate lines while
    narrow-column prose is joined back into sentences.
    """
    if not words:
        return []
    lines: list[dict] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(w["top"] - lines[-1]["top"]) <= 2.5:
            ln = lines[-1]
            ln["words"].append(w)
            ln["x1"] = max(ln["x1"], w["x1"])
            ln["size"] = max(ln["size"], w.get("size") or 0)
            ln["bold"] = ln["bold"] or "bold" in str(w.get("fontname", "")).lower()
        else:
            lines.append(
                {
                    "top": w["top"],
                    "bottom": w["bottom"],
                    "x0": w["x0"],
                    "x1": w["x1"],
                    "words": [w],
                    "size": w.get("size") or 0,
                    "bold": "bold" in str(w.get("fontname", "")).lower(),
                }
            )
    for ln in lines:
        ln["words"].sort(key=lambda w: w["x0"])
        ln["x0"] = min(w["x0"] for w in ln["words"])
        ln["text"] = clean(" ".join(w["text"] for w in ln["words"])).strip()
    sizes = sorted(ln["size"] for ln in lines)
    body = sizes[len(sizes) // 2] if sizes else 0
    right = max(ln["x1"] for ln in lines)
    left = min(ln["x0"] for ln in lines)
    span = max(1.0, right - left)
    del sizes
    gaps = sorted(
        b["top"] - a["top"] for a, b in zip(lines, lines[1:], strict=False) if b["top"] > a["top"]
    )
    step = gaps[len(gaps) // 2] if gaps else 12.0
    blocks: list[Block] = []
    buf: list[str] = []

    def flush(role: str = "para") -> None:
        if buf:
            blocks.append(Block(_join_lines(buf), role, page))
            buf.clear()

    prev = None
    for k, ln in enumerate(lines):
        text = ln["text"]
        if not text:
            continue
        heading = (ln["size"] > body * 1.15 or ln["bold"]) and len(text) < 120
        if prev is not None and (
            ln["top"] - prev["top"] > step * 1.6 or heading != prev["_heading"]
        ):
            flush("heading" if prev["_heading"] else "para")
        bullet = re.match(r"^([•\-\*–·▪]|\d{1,2}[.)])\s+", text)
        if bullet:
            flush()
            text = text[bullet.end() :]
        buf.append(text)
        ln["_heading"] = heading
        # ragged right: the line is full when the next line's first word would not have fit
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        room = right - ln["x1"]
        first_word = (nxt["words"][0]["x1"] - nxt["words"][0]["x0"]) if nxt else 0.0
        full = (room < first_word + 6 or ln["x1"] >= left + span * 0.92) and not text.endswith(":")
        if not heading and not full:
            flush("para" if len(buf) > 1 or len(text) > 60 else "list")
        prev = ln
    flush()
    return blocks
