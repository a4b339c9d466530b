"""Reading documents: files, directories and stdin to decoded text with its kind, encoding and publication date."""

from __future__ import annotations

import errno
import io
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from targettrack.errors import InputError

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_EXTENSIONS = frozenset({".htm", ".html", ".xhtml"})
PDF_EXTENSIONS = frozenset({".pdf"})
DOCUMENT_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | PDF_EXTENSIONS
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown"})

# Far above any policy text or report; a guard against reading a disk image by mistake.
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024

STDIN_NAME = "<stdin>"

ErrorHandler = Callable[[InputError], None]


@dataclass(frozen=True)
class Document:
    """A decoded document; extraction offsets refer to `text`."""

    path: str
    text: str
    encoding: str | None
    published: str | None
    kind: str  # "text", "markdown", "html" or "pdf"


# ---------------------------------------------------------------------------
# Paths


def iter_paths(paths: Sequence[str], on_error: ErrorHandler | None = None) -> Iterator[str]:
    """Expand directories (recursive, sorted, hidden entries skipped) and pass files and `-` through.

    A file named explicitly is yielded whatever its extension; inside a
    directory only document extensions and extension-less names are taken.
    Problems (missing paths, symlink loops, unreadable or empty directories)
    go to `on_error`, or are raised when it is None.
    """
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            yield path
            continue
        try:
            info = _stat(path)
        except InputError as error:
            _report(error, on_error)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_directory(path, info, on_error)
        else:
            yield path


def _walk_directory(top: str, top_info: os.stat_result, on_error: ErrorHandler | None) -> Iterator[str]:
    # An explicit stack instead of recursion: deep trees cannot hit the recursion limit,
    # and the chain of (device, inode) pairs above each directory detects symlink loops.
    found = 0
    stack = [(top, _sorted_entries(top, on_error), ((top_info.st_dev, top_info.st_ino),))]
    while stack:
        directory, names, ancestry = stack[-1]
        if not names:
            stack.pop()
            continue
        name = names.pop()
        path = os.path.join(directory, name)
        try:
            info = os.stat(path)
        except OSError as error:
            if _is_document_name(name):
                _report(_stat_error(path, error), on_error)
            continue
        if stat.S_ISDIR(info.st_mode):
            identity = (info.st_dev, info.st_ino)
            if identity in ancestry:
                _report(InputError("symbolic link loop: the directory contains itself", where=path,
                                   hint="remove the link or name the files you want"), on_error)
                continue
            stack.append((path, _sorted_entries(path, on_error), ancestry + (identity,)))
        elif _is_document_name(name):
            found += 1
            yield path
    if not found:
        _report(InputError(f"no text files in {top}",
                           hint="targettrack reads .txt, .md, .html and .pdf files and files without an extension"),
                on_error)


def _sorted_entries(directory: str, on_error: ErrorHandler | None) -> list[str]:
    """Visible names in `directory`, sorted in reverse so that pop() gives them in order."""
    try:
        names = os.listdir(directory)
    except OSError as error:
        _report(InputError(f"cannot read directory: {error.strerror or error}", where=directory,
                           hint="check its permissions"), on_error)
        return []
    return sorted((name for name in names if not name.startswith(".")), reverse=True)


def _is_document_name(name: str) -> bool:
    suffix = os.path.splitext(name)[1].lower()
    return suffix == "" or suffix in DOCUMENT_EXTENSIONS


def _stat(path: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as error:
        raise _stat_error(path, error) from None


def _stat_error(path: str, error: OSError) -> InputError:
    if error.errno == errno.ELOOP:
        return InputError("symbolic link loop", where=path, hint="point the link at a real file")
    if error.errno == errno.ENOENT:
        if os.path.islink(path):
            return InputError("broken symbolic link", where=path, hint="point the link at an existing file")
        return InputError(f"no such file or directory: {path}", hint="check the path")
    if error.errno == errno.EACCES:
        return InputError("permission denied", where=path, hint="check the file's permissions")
    return InputError(f"cannot open: {error.strerror or error}", where=path)


def _report(error: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise error
    on_error(error)


# ---------------------------------------------------------------------------
# Documents


def iter_documents(paths: Sequence[str], on_error: ErrorHandler | None = None,
                   stdin: BinaryIO | None = None) -> Iterator[Document]:
    """Read every document named by `paths` (files, directories, `-` for stdin), in order.

    A bad input goes to `on_error` and the rest goes on; without `on_error`
    the first bad input raises InputError.
    """
    for path in iter_paths(paths, on_error):
        try:
            document = read_stdin(stdin) if path == "-" else read_document(path)
        except InputError as error:
            _report(error, on_error)
            continue
        yield document


def read_document(path: str | Path) -> Document:
    """Read one file (or `-` for stdin) and decode it by content and extension."""
    path = os.fspath(path)
    if path == "-":
        return read_stdin()
    info = _stat(path)
    _require_regular(path, info)
    if info.st_size > MAX_DOCUMENT_BYTES:
        raise _too_large(path)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the stat, opening still cannot hang.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise _stat_error(path, error) from None
    with os.fdopen(descriptor, "rb") as handle:
        _require_regular(path, os.fstat(descriptor))
        try:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}", where=path) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large(path)
    return read_text(data, path)


def read_stdin(stream: BinaryIO | None = None) -> Document:
    """Read a document from standard input (or `stream`), decoded like a file."""
    stream = stream if stream is not None else sys.stdin
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        raise InputError("standard input is a terminal, not a document", where=STDIN_NAME,
                         hint="pipe a document in, e.g. `cat report.txt | targettrack extract -`")
    stream = getattr(stream, "buffer", stream)
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large(STDIN_NAME)
    return read_text(data, STDIN_NAME)


def _require_regular(path: str, info: os.stat_result) -> None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError("is a directory", where=path,
                         hint="pass the directory to `targettrack extract`, which reads the files inside")
    if stat.S_ISFIFO(mode):
        raise InputError("is a named pipe (FIFO), not a file", where=path,
                         hint=f"send it to standard input instead: `targettrack extract - < {path}`")
    raise InputError("is not a regular file", where=path, hint="name a text, HTML or PDF file")


def _too_large(path: str) -> InputError:
    return InputError(f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB", where=path,
                      hint="split the document into smaller files")


def read_text(data: bytes, name: str) -> Document:
    """Decode the bytes of a document named `name`, sniffing PDF and HTML by content and extension."""
    path = STDIN_NAME if name == "-" else name
    if not data.strip():
        raise InputError("empty file" if not data else "empty file (only whitespace)", where=path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix in PDF_EXTENSIONS or data[:1024].lstrip().startswith(b"%PDF-"):
        return _read_pdf(data, path)
    is_html = suffix in HTML_EXTENSIONS
    text, encoding = _decode(data, path, declared=_declared_charset(data) if is_html else None)
    if not is_html and _looks_like_html(text):
        is_html = True
    if is_html:
        return _read_html(text, path, encoding)
    text = _normalize_newlines(text)
    if not text.strip():
        raise InputError("empty file (only whitespace)", where=path)
    kind = "markdown" if suffix in MARKDOWN_EXTENSIONS else "text"
    return Document(path=path, text=text, encoding=encoding, published=find_published(text), kind=kind)


# ---------------------------------------------------------------------------
# Decoding

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
)

# Short texts often fit several legacy encodings equally well; the project's
# documents are mostly Chinese or Western, so ties go to these, in this order.
_PREFERRED_LEGACY = ("gb18030", "big5", "cp1252", "latin_1")

# C0 controls that never appear in text (tab, newlines, form feed and escape do).
_CONTROL_BYTES = bytes(range(0x01, 0x09)) + b"\x0e\x0f" + bytes(range(0x10, 0x1b)) + b"\x1c\x1d\x1e\x1f"

_BINARY_HINT = "targettrack reads plain text, Markdown, HTML and PDF; convert other formats to text first"


def _decode(data: bytes, path: str, declared: str | None = None) -> tuple[str, str]:
    """Decode `data` to text and name the encoding used."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError as error:
                raise InputError(f"not valid {label} despite its byte order mark ({_describe(error)})",
                                 where=path, hint="re-save the file as UTF-8") from None
    if b"\x00" in data or _mostly_control(data):
        raise InputError("looks like a binary file, not text", where=path, hint=_BINARY_HINT)
    try:
        # Strict UTF-8 first: fast, and by far the most common encoding.
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if _mostly_utf8(data):
        raise InputError(f"not valid UTF-8 ({_describe(utf8_error)})", where=path,
                         hint="the file is UTF-8 with damaged bytes; repair it or re-save it as UTF-8")
    if declared:
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detection below decides
    detected = _detect(data)
    if detected is None:
        raise InputError(f"cannot decode: not UTF-8 ({_describe(utf8_error)}) and no other encoding fits",
                         where=path, hint="convert it to UTF-8, e.g. `iconv -f GB18030 -t UTF-8 FILE`")
    return detected


_DETECTION_SAMPLE = 1 << 20


def _detect(data: bytes) -> tuple[str, str] | None:
    """Guess a legacy encoding from a sample, then decode everything with it."""
    sample = _sample(data)
    found = _detect_in(sample, data)
    if found is None and len(sample) < len(data):
        found = _detect_in(data, data)
    return found


def _sample(data: bytes) -> bytes:
    if len(data) <= _DETECTION_SAMPLE:
        return data
    # Cut after a space or newline: in GB18030, Big5 and Shift-JIS neither is ever
    # the second byte of a character, so the sample ends on a whole character.
    cut = max(data.rfind(b" ", 0, _DETECTION_SAMPLE), data.rfind(b"\n", 0, _DETECTION_SAMPLE))
    return data[:cut + 1] if cut > 0 else data


def _detect_in(sample: bytes, data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        return None
    best = matches[0]
    tied = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    encoding = next((name for name in _PREFERRED_LEGACY if name in tied), best.encoding)
    try:
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError):
        return None


def _mostly_control(data: bytes) -> bool:
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 10


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 apart from a few damaged sequences (legacy text is not)."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    intact = len(text) - len(text.encode("ascii", errors="ignore")) - damaged
    return intact >= 10 and damaged * 10 <= intact


def _describe(error: UnicodeDecodeError) -> str:
    byte = error.object[error.start:error.start + 1].hex()
    return f"byte 0x{byte} at offset {error.start}: {error.reason}"


def _normalize_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return head.startswith("<?xml") and "<html" in head


# ---------------------------------------------------------------------------
# HTML


def _read_html(html: str, path: str, encoding: str | None) -> Document:
    text, title, published = _html_main_text(html)
    if not text:
        text, title = _strip_tags(html)
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}" if text else title
    if not text.strip():
        raise InputError("no text found in the HTML page", where=path,
                         hint="the page may build its text with scripts; save the rendered text instead")
    return Document(path=path, text=text, encoding=encoding,
                    published=published or find_published(text), kind="html")


def _html_main_text(html: str) -> tuple[str, str | None, str | None]:
    """Main text by trafilatura (menus, boilerplate, scripts dropped), its title and metadata date."""
    try:
        import trafilatura

        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            # Only dates from the page's markup and metadata: the body is full of event dates.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - any failure inside trafilatura (deep nesting, odd markup) means: use the fallback
        return "", None, None
    if result is None:
        return "", None, _html_metadata_date(html)
    text = _paragraphs(_normalize_newlines(result.text or "").split("\n"))
    return text, _clean_title(result.title), _iso_date(result.date)


def _html_metadata_date(html: str) -> str | None:
    try:
        import trafilatura

        metadata = trafilatura.extract_metadata(html, date_config={"extensive_search": False, "original_date": True},
                                                extensive=False)
    except Exception:  # noqa: BLE001 - the date is optional; the text fallback still runs
        return None
    return _iso_date(metadata.date) if metadata is not None else None


def _iso_date(value: str | None) -> str | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    return None


def _clean_title(title: str | None) -> str | None:
    title = " ".join((title or "").split())
    return title or None


def _paragraphs(lines: Sequence[str]) -> str:
    """One paragraph per non-blank line, separated by blank lines (as in the plain-text inputs)."""
    return "\n\n".join(line.strip() for line in lines if line.strip())


# Paragraph and line markers inside the collected text; control characters never
# survive decoding (binary check), so they cannot clash with the page's own text.
_PARAGRAPH = "\x02"
_LINE = "\x03"
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td", "th",
    "title", "tr", "ul",
})
_SKIPPED_TAGS = frozenset({
    "aside", "button", "canvas", "footer", "form", "iframe", "math", "nav", "noscript", "object", "script",
    "select", "style", "svg", "template", "textarea",
})


class _TagStripper(HTMLParser):
    """Plain text of a page without trafilatura: scripts, styles, menus and footers dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skipping = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "br":
            self.parts.append(_LINE)
        elif tag in _BLOCK_TAGS:
            self.parts.append(_PARAGRAPH)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCK_TAGS:
            self.parts.append(_PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)


def _strip_tags(html: str) -> tuple[str, str | None]:
    stripper = _TagStripper()
    stripper.feed(html)
    stripper.close()
    paragraphs = []
    for block in "".join(stripper.parts).split(_PARAGRAPH):
        lines = (" ".join(line.split()) for line in block.split(_LINE))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs), _clean_title("".join(stripper.title))


# ---------------------------------------------------------------------------
# PDF


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    # pypdf logs every repaired defect as a warning; on the command line they would bury the results.
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(data: bytes, path: str) -> Document:
    from pypdf import PdfReader

    with _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                _decrypt(reader, path)
            pages = list(reader.pages)
        except InputError:
            raise
        except Exception as error:  # noqa: BLE001 - pypdf signals a broken file with many exception types
            raise InputError(f"not a valid PDF ({_first_line(error)})", where=path,
                             hint="check that the file is a complete PDF; rename a text file that ends in .pdf") from None
        texts = []
        for page in pages:
            try:
                texts.append(page.extract_text() or "")
            except Exception:  # noqa: BLE001 - one unreadable page should not lose the others
                texts.append("")
    text = "\n\n".join(_normalize_newlines(t).strip() for t in texts if t.strip())
    if not text:
        raise InputError("PDF has no text layer (scanned or image-only pages)", where=path,
                         hint="run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`")
    return Document(path=path, text=text, encoding=None, published=find_published(text), kind="pdf")


def _decrypt(reader, path: str) -> None:
    # Many PDFs are encrypted only against editing and open with an empty password.
    try:
        opened = reader.decrypt("")
    except Exception as error:  # noqa: BLE001 - e.g. AES without a crypto library installed
        raise InputError(f"encrypted PDF, no text layer readable ({_first_line(error)})", where=path,
                         hint="save an unencrypted copy of it first") from None
    if not opened:
        raise InputError("encrypted PDF, no text layer readable without its password", where=path,
                         hint="save an unencrypted copy of it first")


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


# ---------------------------------------------------------------------------
# Publication dates

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
_DATE = (
    rf"(?:(?<!\d)(?P<y1>{_YEAR})\s*[-/.年]\s*(?P<m1>\d{{1,2}})\s*[-/.月]\s*(?P<d1>\d{{1,2}})(?!\d)日?"
    rf"|(?P<m2>{_MONTH})[\s-]*(?P<d2>{_DAY})\s*[,-]?\s*(?P<y2>{_YEAR})"
    rf"|(?<!\d)(?P<d3>{_DAY})[\s-]+(?:of\s+)?(?P<m3>{_MONTH}),?[\s-]*(?P<y3>{_YEAR}))"
)
# "Updated" is a weaker label than "Published": when both stand at the head, the other wins.
_LABEL = (
    r"(?:(?P<update>(?:last[ \t]+)?update[ds]?(?:[ \t]+(?:time|date|on|at))?|更新时间|更新日期)"
    r"|(?:post(?:ed)?|publish(?:ed)?|release[d]?)(?:[ \t]+(?:time|date|on|at))?"
    r"|publication[ \t]+date|date[d]?|time|发布时间|发布日期|发表时间|日期|时间)"
)
# A label counts when it opens a line (or a "Source: X | Updated: ..." segment) or has a colon;
# "data released on July 5, 2021" inside a sentence is an event, not the publication.
_LABELLED_DATE = re.compile(
    rf"(?P<lead>^[ \t]*|(?<=[|｜丨·])[ \t]*)?(?<![\w-]){_LABEL}[ \t]*(?P<colon>[:：])?[ \t]*(?:on[ \t]+)?{_DATE}",
    re.IGNORECASE | re.MULTILINE,
)
_TIME = r"(?:[ \tT]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[ap]\.?m\.?)?)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]+)?"
_DATE_LINE = re.compile(rf"[ \t]*{_WEEKDAY}{_DATE}{_TIME}[ \t]*", re.IGNORECASE)

_HEAD_CHARS = 600
_TAIL_CHARS = 300


def find_published(text: str) -> str | None:
    """The publication date at the head or foot of a text, as YYYY-MM-DD, or None.

    Labelled dates ("date 2023-04-05", "Post time: Jul-05-2021", "Updated: Jul
    11,2023 10:52 AM", "Release Time 2022/07/29", "Published: July 5, 2021") in
    the first 600 characters come first, then a line holding nothing but a
    date among the first two lines, then a labelled date in the last 300
    characters. Dates inside sentences are event dates and are never taken.
    """
    head = text[:_HEAD_CHARS]
    found = _best_labelled(_LABELLED_DATE.finditer(head))
    if found:
        return found
    for line in [line for line in head.split("\n") if line.strip()][:2]:
        match = _DATE_LINE.fullmatch(line)
        if match and (found := _match_date(match)):
            return found
    tail = text[-_TAIL_CHARS:] if len(text) > _HEAD_CHARS else ""
    matches = [m for m in _LABELLED_DATE.finditer(tail) if _is_label(m) and _match_date(m)]
    return _match_date(matches[-1]) if matches else None


def _best_labelled(matches: Iterator[re.Match]) -> str | None:
    updated = None
    for match in matches:
        found = _match_date(match) if _is_label(match) else None
        if not found:
            continue
        if not match.group("update"):
            return found
        updated = updated or found
    return updated


def _is_label(match: re.Match) -> bool:
    return match.group("lead") is not None or match.group("colon") is not None


def _match_date(match: re.Match) -> str | None:
    for suffix in "123":
        year = match.group("y" + suffix)
        if year is None:
            continue
        month = match.group("m" + suffix)
        month_number = int(month) if month.isdigit() else _MONTHS[month.rstrip(".").lower()]
        day = int(re.match(r"\d+", match.group("d" + suffix)).group())
        try:
            return date(int(year), month_number, day).isoformat()
        except ValueError:
            return None
    return None
