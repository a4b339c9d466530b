"""Reading documents: encodings, HTML, PDF, directories, stdin, bad inputs and publication dates."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from targettrack import sources
from targettrack.errors import InputError
from targettrack.sources import Document, find_published, iter_documents, iter_paths, read_document, read_text

FIXTURES = Path(__file__).parent / "fixtures"

TITLE = "Offshore wind plan for the coast"
PARAGRAPHS = [
    "The provincial energy bureau expects offshore wind capacity to pass 12 million kilowatts by 2025.",
    "Coal consumption is to fall to 48 percent of the energy mix, and grid firms will invest 30 billion yuan.",
    "Last year the province added 2.6 GW of solar power.",
]
CHINESE = "到2025年，全省海上风电装机容量达到1200万千瓦以上。"


# ---------------------------------------------------------------------------
# Helpers


def make_pdf(pages: list[list[str]], *, text: bool = True) -> bytes:
    """A minimal PDF whose pages show the given lines.

    The font is a Type0 font with a ToUnicode map and no glyphs: enough for a
    text layer in any script. With `text=False` the pages only draw a line, like
    a scanned page without OCR.
    """
    chars = sorted({char for page in pages for line in page for char in line} | {" "})
    pairs = [f"<{ord(char):04X}> <{ord(char):04X}>" for char in chars]
    blocks = [f"{len(pairs[i:i + 100])} beginbfchar\n" + "\n".join(pairs[i:i + 100]) + "\nendbfchar"
              for i in range(0, len(pairs), 100)]
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            + "\n".join(blocks) + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
    objects = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        3: ("<< /Type /Font /Subtype /Type0 /BaseFont /Plain /Encoding /Identity-H "
            "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"),
        4: ("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Plain "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"),
        5: cmap,
    }
    kids = []
    number = 6
    for page in pages:
        if text:
            shown = ["<" + "".join(f"{ord(char):04X}" for char in line) + "> Tj T*" for line in page]
            content = "\n".join(["BT", "/F1 10 Tf", "14 TL", "50 780 Td", *shown, "ET"])
        else:
            content = "0 0 m 500 700 l S"
        objects[number] = ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                           f"/Resources << /Font << /F1 3 0 R >> >> /Contents {number + 1} 0 R >>")
        objects[number + 1] = content
        kids.append(f"{number} 0 R")
        number += 2
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for key in sorted(objects):
        offsets[key] = len(out)
        body = objects[key]
        if body.startswith("<<"):
            out += f"{key} 0 obj\n{body}\nendobj\n".encode()
        else:
            stream = body.encode("latin-1")
            out += f"{key} 0 obj\n<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream\nendobj\n"
    start = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offsets[key]:010d} 00000 n \n".encode() for key in range(1, size))
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def encrypt_pdf(pdf: bytes, user_password: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_page(title: str, paragraphs: list[str], head: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>{head}</head>\n"
            f"<body><nav><a href=\"/\">Home</a> <a href=\"/contact\">Contact</a></nav>\n"
            f"<article><h1>{title}</h1>\n{body}</article>\n<footer>All rights reserved</footer></body></html>\n")


def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[.,]\w+)*", text)


class Errors(list):
    """An on_error callback that keeps what it is given."""

    def __call__(self, error: InputError) -> None:
        self.append(error)

    @property
    def messages(self) -> list[str]:
        return [str(error) for error in self]


@pytest.fixture
def deadline():
    """Fail instead of hanging: a read that blocks (on a FIFO, say) is interrupted after 20 seconds."""

    def expired(signum, frame):
        raise TimeoutError("reading blocked")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------
# Decoding


ENGLISH = "Wind and solar capacity reached 758 GW — about 30 percent of the total — in 2022.\n"
MIXED = (f"{CHINESE}\nThe province plans 12 million kilowatts of offshore wind by 2025.\n"
         "去年全省单位地区生产总值能耗下降3.5%。Energy use per unit of GDP fell 3.5% last year.\n")
TRADITIONAL = ("根據規劃，到2025年，全省可再生能源發電裝機容量達到5000萬千瓦以上，"
               "非化石能源消費比重提高到20%左右。\n")


@pytest.mark.parametrize("text, raw, encoding", [
    (ENGLISH, ENGLISH.encode("utf-8"), "utf-8"),
    (ENGLISH, b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"), "utf-8"),
    (MIXED, MIXED.encode("utf-8"), "utf-8"),
    (MIXED, b"\xff\xfe" + MIXED.encode("utf-16-le"), "utf-16-le"),
    (MIXED, b"\xfe\xff" + MIXED.encode("utf-16-be"), "utf-16-be"),
    (MIXED, MIXED.encode("gb18030"), "gb18030"),
    (MIXED, MIXED.encode("gbk"), "gb18030"),
    (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
    ("Énergie éolienne: 40 % à Genève en 2030, déjà décidé.\n",
     "Énergie éolienne: 40 % à Genève en 2030, déjà décidé.\n".encode("cp1252"), "cp1252"),
], ids=["utf-8", "utf-8-bom", "utf-8-chinese", "utf-16-le-bom", "utf-16-be-bom", "gb18030", "gbk", "big5",
        "cp1252"])
def test_text_is_decoded_whatever_the_encoding(text, raw, encoding):
    document = read_text(raw, "note.txt")
    assert document.text == text
    assert document.encoding == encoding
    assert document.kind == "text"


def test_a_short_chinese_text_in_gb18030_is_not_taken_for_korean():
    assert read_text("碳达峰目标 2030\n".encode("gb18030"), "short.txt").text == "碳达峰目标 2030\n"


@pytest.mark.parametrize("fixture, expected, encoding", [
    ("forestry_gb18030.txt", "全县森林覆盖率将达到70%以上。By 2025 forest coverage", "gb18030"),
    ("grid_notes_utf16.txt", "Grid notes\n\nStorage capacity reached 3.1 GW in 2022 — up 40 %.\n", "utf-16-le"),
])
def test_fixture_files_decode(fixture, expected, encoding):
    document = read_document(FIXTURES / fixture)
    assert expected in document.text
    assert document.encoding == encoding


@pytest.mark.parametrize("raw, expected", [
    (b"first line\r\nsecond line\r\n", "first line\nsecond line\n"),
    (b"old mac\rline\r", "old mac\nline\n"),
    (b"mixed\r\nends\nhere\r", "mixed\nends\nhere\n"),
])
def test_newlines_become_line_feeds(raw, expected):
    assert read_text(raw, "notes.txt").text == expected


def test_offsets_into_the_text_find_the_words_after_newline_normalisation():
    document = read_text("Title\r\n\r\nCapacity reached 5 GW.\r\n".encode(), "a.txt")
    start = document.text.index("5 GW")
    assert document.text[start:start + 4] == "5 GW"
    assert start == len("Title\n\nCapacity reached ")


@pytest.mark.parametrize("raw", [
    b"\x00\x01\x02binary\x00data",
    FIXTURES.joinpath("logo.bin").read_bytes(),
    bytes(range(1, 32)) * 40,
], ids=["nul-bytes", "png-header", "control-bytes"])
def test_binary_files_are_refused(raw):
    with pytest.raises(InputError, match="looks like a binary file, not text") as caught:
        read_text(raw, "blob.dat")
    assert caught.value.where == "blob.dat"
    assert caught.value.hint


@pytest.mark.parametrize("raw, message", [
    (b"", "empty file"),
    (b"  \n\t\r\n ", "empty file"),
    (b"\xef\xbb\xbf", "empty file"),
])
def test_empty_files_are_refused(raw, message):
    with pytest.raises(InputError, match=message) as caught:
        read_text(raw, "blank.txt")
    assert str(caught.value).startswith("blank.txt: empty file")


def test_damaged_utf8_names_the_bad_byte():
    good = "Emissions fell by 4.2% — Ürümqi, Zürich, São Paulo, Kraków, Genève. " * 3
    raw = good.encode() + b"\xff" + b" and more text."
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte 0xff at offset %d" % len(good.encode())):
        read_text(raw, "damaged.txt")


def test_utf16_with_a_truncated_character_is_refused():
    with pytest.raises(InputError, match="not valid UTF-16"):
        read_text(b"\xff\xfe" + "carbon".encode("utf-16-le") + b"\x00", "broken.txt")


# ---------------------------------------------------------------------------
# Kinds


@pytest.mark.parametrize("name, raw, kind", [
    ("notes.md", b"# Plan\n\nSolar capacity: 5 GW.\n", "markdown"),
    ("notes.markdown", b"# Plan\n", "markdown"),
    ("NOTES", b"Solar capacity: 5 GW.\n", "text"),
    ("notes.log", b"Solar capacity: 5 GW.\n", "text"),
    ("page.txt", b"<!DOCTYPE html><html><body><p>Solar capacity: 5 GW.</p></body></html>", "html"),
    ("page", b"  <html><body><p>Solar capacity: 5 GW.</p></body></html>", "html"),
    ("page.html", b"<p>Solar capacity: 5 GW.</p>", "html"),
])
def test_kind_is_known_by_extension_and_by_content(name, raw, kind):
    assert read_text(raw, name).kind == kind


def test_a_pdf_is_recognised_by_its_content_whatever_its_name():
    document = read_text(make_pdf([["Solar capacity: 5 GW."]]), "download")
    assert document.kind == "pdf"
    assert document.text == "Solar capacity: 5 GW."


# ---------------------------------------------------------------------------
# HTML


def test_html_keeps_the_article_and_drops_menus_scripts_styles_and_footer():
    document = read_document(FIXTURES / "energy_page.html")
    assert document.kind == "html"
    assert document.text.startswith("Coastal province sets offshore wind goal\n\n")
    assert "offshore wind capacity should pass 12 million kilowatts by 2025" in document.text
    assert "about 30 billion yuan" in document.text
    for boilerplate in ("Home", "About us", "pageViews", "999 tonnes", "font-family", "Most read",
                        "Copyright", "010-1234", "injected advert"):
        assert boilerplate not in document.text


def test_html_keeps_paragraph_breaks():
    document = read_text(html_page(TITLE, PARAGRAPHS).encode(), "page.html")
    assert document.text == "\n\n".join([TITLE, *PARAGRAPHS])


def test_html_title_is_the_first_line_when_the_body_lacks_it():
    page = f"<html><head><title>{TITLE}</title></head><body><p>{PARAGRAPHS[0]}</p></body></html>"
    assert read_text(page.encode(), "page.html").text == f"{TITLE}\n\n{PARAGRAPHS[0]}"


@pytest.mark.parametrize("head, body, published", [
    ('<meta property="article:published_time" content="2022-09-14T08:30:00+08:00">', "", "2022-09-14"),
    ('<meta name="date" content="2021-07-05">', "", "2021-07-05"),
    ("", "<p>Release Time 2022/07/29</p>", "2022-07-29"),
    ("", "", None),
])
def test_html_publication_date_from_metadata_else_from_the_text(head, body, published):
    page = html_page(TITLE, PARAGRAPHS, head=head).replace("<article>", f"<article>{body}")
    assert read_text(page.encode(), "page.html").published == published


def test_html_declared_legacy_charset_is_used():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>'
            f"<body><p>{CHINESE}</p></body></html>")
    document = read_text(page.encode("gbk"), "page.htm")
    assert CHINESE in document.text
    assert document.encoding == "gbk"


def test_html_that_says_utf8_wrongly_is_still_decoded():
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{CHINESE}</p></body></html>'
    assert CHINESE in read_text(page.encode("utf-8"), "page.html").text


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_deeply_nested_html_gives_its_text_quickly(depth, deadline):
    page = "<html><body>" + "<div>" * depth + "<p>Hydro output: 111.8 billion kWh.</p>" + "</div>" * depth
    started = time.monotonic()
    document = read_text((page + "</body></html>").encode(), "deep.html")
    assert "Hydro output: 111.8 billion kWh." in document.text
    assert time.monotonic() - started < 10


def test_html_falls_back_to_a_tag_stripper_when_trafilatura_fails(monkeypatch):
    import trafilatura

    def recursion(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(trafilatura, "bare_extraction", recursion)
    page = html_page(TITLE, PARAGRAPHS, head="<script>var x = 'script text';</script><style>p {}</style>")
    document = read_text(page.encode(), "page.html")
    assert document.text == "\n\n".join([TITLE, *PARAGRAPHS])


def test_html_with_tags_only_is_refused():
    with pytest.raises(InputError, match="no text found in the HTML page"):
        read_text(b"<html><body><script>var a = 1;</script><div></div></body></html>", "blank.html")


# ---------------------------------------------------------------------------
# PDF


def test_pdf_pages_are_joined_with_blank_lines():
    pdf = make_pdf([[TITLE, PARAGRAPHS[0]], [PARAGRAPHS[1]], [PARAGRAPHS[2]]])
    document = read_text(pdf, "plan.pdf")
    assert document.kind == "pdf"
    assert document.encoding is None
    assert document.text == f"{TITLE}\n{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}\n\n{PARAGRAPHS[2]}"


def test_pdf_text_keeps_chinese_and_its_publication_date():
    document = read_text(make_pdf([["Post time: Jul-05-2021", CHINESE]]), "plan.pdf")
    assert CHINESE in document.text
    assert document.published == "2021-07-05"


def test_committed_pdf_fixture_reads():
    document = read_document(FIXTURES / "wind_plan.pdf")
    assert words(document.text) == words("\n".join([TITLE, *PARAGRAPHS]))


def test_pdf_encrypted_for_editing_only_is_read():
    pdf = encrypt_pdf(make_pdf([[PARAGRAPHS[0]]]), user_password="")
    assert read_text(pdf, "locked.pdf").text == PARAGRAPHS[0]


@pytest.mark.parametrize("pdf, message", [
    (lambda: encrypt_pdf(make_pdf([[PARAGRAPHS[0]]]), user_password="secret"), "encrypted PDF, no text layer"),
    (lambda: make_pdf([["scanned page"]], text=False), "PDF has no text layer"),
    (lambda: b"Solar capacity: 5 GW.\n", r"not a valid PDF \("),
    (lambda: make_pdf([[PARAGRAPHS[0]]])[:200], r"not a valid PDF \("),
], ids=["password", "image-only", "text-named-pdf", "truncated"])
def test_unreadable_pdfs_are_refused_with_a_reason(pdf, message):
    with pytest.raises(InputError, match=message) as caught:
        read_text(pdf(), "report.pdf")
    assert caught.value.where == "report.pdf"
    assert caught.value.hint


# ---------------------------------------------------------------------------
# The same document in every format


def test_the_same_document_gives_the_same_words_in_every_format(tmp_path):
    plain = "\n\n".join([TITLE, CHINESE, *PARAGRAPHS]) + "\n"
    (tmp_path / "a.txt").write_bytes(plain.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(plain.encode("gb18030"))
    (tmp_path / "c.html").write_text(html_page(TITLE, [CHINESE, *PARAGRAPHS]), encoding="utf-8")
    (tmp_path / "d.pdf").write_bytes(make_pdf([[TITLE, CHINESE, PARAGRAPHS[0]], PARAGRAPHS[1:]]))

    documents = list(iter_documents([str(tmp_path)]))

    assert [d.kind for d in documents] == ["text", "text", "html", "pdf"]
    utf8, gb18030, html, pdf = documents
    assert gb18030.text == utf8.text
    # HTML keeps paragraphs apart with blank lines but drops the final newline;
    # PDF keeps lines, and blank lines only between pages.
    assert html.text == utf8.text.rstrip("\n")
    assert words(pdf.text) == words(utf8.text)


# ---------------------------------------------------------------------------
# Files, directories and stdin


def make_tree(root: Path) -> None:
    for relative, content in {
        "b.txt": "b", "a/z.html": "<p>z</p>", "a/c/d.md": "d", "a/README": "readme",
        "a/.hidden.txt": "hidden", ".git/config.txt": "git", "a/image.png": "png", "a/notes.log": "log",
        "C.TXT": "upper", "e.pdf": None, "10.txt": "ten", "9.txt": "nine",
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.write_bytes(make_pdf([["pdf page"]]))
        else:
            path.write_text(content, encoding="utf-8")


def test_directories_are_walked_recursively_in_sorted_order(tmp_path):
    make_tree(tmp_path)
    relative = [os.path.relpath(path, tmp_path) for path in iter_paths([str(tmp_path)])]
    assert relative == ["10.txt", "9.txt", "C.TXT", "a/README", "a/c/d.md", "a/z.html", "b.txt", "e.pdf"]


def test_documents_keep_the_path_as_given(tmp_path, monkeypatch):
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert [d.path for d in iter_documents(["a", "b.txt"])] == ["a/README", "a/c/d.md", "a/z.html", "b.txt"]


def test_a_file_named_explicitly_is_read_whatever_its_extension(tmp_path):
    make_tree(tmp_path)
    documents = list(iter_documents([str(tmp_path / "a" / "notes.log"), str(tmp_path / "a" / ".hidden.txt")]))
    assert [d.text for d in documents] == ["log", "hidden"]


@pytest.mark.parametrize("names", [[], ["image.png", "data.csv"], [".hidden.txt"]])
def test_a_directory_without_text_files_is_reported(tmp_path, names):
    for name in names:
        (tmp_path / name).write_text("x")
    errors = Errors()
    assert list(iter_documents([str(tmp_path)], on_error=errors)) == []
    assert errors.messages == [f"no text files in {tmp_path} (targettrack reads .txt, .md, .html and .pdf files "
                               "and files without an extension)"]


def test_a_missing_path_is_reported_and_the_rest_goes_on(tmp_path):
    (tmp_path / "ok.txt").write_text("Solar: 5 GW.")
    missing = str(tmp_path / "missing.txt")
    errors = Errors()
    documents = list(iter_documents([missing, str(tmp_path / "ok.txt")], on_error=errors))
    assert [d.text for d in documents] == ["Solar: 5 GW."]
    assert len(errors) == 1
    assert errors[0].message == f"no such file or directory: {missing}"


def test_without_on_error_the_first_bad_input_raises(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        list(iter_documents([str(tmp_path / "missing.txt")]))
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        list(iter_documents([str(tmp_path / "empty.txt")]))


def test_errors_inside_a_directory_name_the_file_and_the_rest_is_read(tmp_path):
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    (tmp_path / "d.pdf").write_text("not a pdf")
    (tmp_path / "e.md").write_text("last")
    errors = Errors()
    documents = list(iter_documents([str(tmp_path)], on_error=errors))
    assert [d.text for d in documents] == ["first", "last"]
    assert [error.where for error in errors] == [str(tmp_path / name) for name in ("b.txt", "c", "d.pdf")]


def test_read_document_refuses_a_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


@pytest.mark.parametrize("raw, kind, text", [
    ("碳中和 2060\n".encode("gb18030") * 20, "text", "碳中和 2060\n" * 20),
    (b"<!doctype html><html><body><p>Solar: 5 GW.</p></body></html>", "html", "Solar: 5 GW."),
    (b"date 2023-04-05\nSolar: 5 GW.\n", "text", "date 2023-04-05\nSolar: 5 GW.\n"),
])
def test_stdin_is_read_as_bytes_and_decoded_like_a_file(raw, kind, text):
    [document] = list(iter_documents(["-"], stdin=io.BytesIO(raw)))
    assert (document.path, document.kind, document.text) == ("<stdin>", kind, text)


def test_stdin_text_stream_is_read_through_its_buffer():
    stream = io.TextIOWrapper(io.BytesIO("Wind: 9 GW.\n".encode()), encoding="utf-8")
    assert sources.read_stdin(stream).text == "Wind: 9 GW.\n"


def test_stdin_from_a_terminal_is_refused_instead_of_waiting():
    class Terminal(io.BytesIO):
        def isatty(self):
            return True

    errors = Errors()
    assert list(iter_documents(["-"], on_error=errors, stdin=Terminal(b""))) == []
    assert "standard input is a terminal" in errors.messages[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_reported_not_waited_on(tmp_path, deadline):
    os.mkfifo(tmp_path / "pipe")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "real.txt").write_text("Wind: 9 GW.")
    errors = Errors()
    documents = list(iter_documents([str(tmp_path), str(tmp_path / "pipe")], on_error=errors))
    assert [d.text for d in documents] == ["Wind: 9 GW."]
    assert [error.where for error in errors] == [str(tmp_path / n) for n in ("pipe", "pipe.txt", "pipe")]
    assert all("named pipe (FIFO)" in error.message for error in errors)


def test_symlink_loops_are_reported_and_the_rest_goes_on(tmp_path, deadline):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path)
    (tmp_path / "sub" / "text.txt").write_text("Wind: 9 GW.")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    errors = Errors()
    documents = list(iter_documents([str(tmp_path), str(tmp_path / "loop")], on_error=errors))
    assert [d.text for d in documents] == ["Wind: 9 GW."]
    assert [(error.where, error.message) for error in errors] == [
        (str(tmp_path / "dangling.txt"), "broken symbolic link"),
        (str(tmp_path / "loop"), "symbolic link loop"),
        (str(tmp_path / "sub" / "back"), "symbolic link loop: the directory contains itself"),
        (str(tmp_path / "loop"), "symbolic link loop"),
    ]


def test_a_symlink_to_a_file_is_followed(tmp_path):
    (tmp_path / "real.txt").write_text("Wind: 9 GW.")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    assert [d.path for d in iter_documents([str(tmp_path)])] == [str(tmp_path / "link.txt"),
                                                                 str(tmp_path / "real.txt")]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_and_directory_are_reported(tmp_path):
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / "secret.txt").chmod(0)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inside.txt").write_text("x")
    (tmp_path / "closed").chmod(0)
    (tmp_path / "open.txt").write_text("Wind: 9 GW.")
    errors = Errors()
    try:
        documents = list(iter_documents([str(tmp_path)], on_error=errors))
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert [d.text for d in documents] == ["Wind: 9 GW."]
    assert {error.where for error in errors} >= {str(tmp_path / "secret.txt"), str(tmp_path / "closed")}


def test_permission_errors_are_reported_with_the_path(tmp_path, monkeypatch):
    # The same paths as the test above, without needing an unprivileged user.
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / "closed").mkdir()
    (tmp_path / "open.txt").write_text("Wind: 9 GW.")
    real_open, real_listdir = os.open, os.listdir

    def guarded_open(path, *args, **kwargs):
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def guarded_listdir(path="."):
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "listdir", guarded_listdir)
    errors = Errors()
    documents = list(iter_documents([str(tmp_path)], on_error=errors))
    assert [d.text for d in documents] == ["Wind: 9 GW."]
    assert [(error.where, error.message) for error in errors] == [
        (str(tmp_path / "closed"), "cannot read directory: Permission denied"),
        (str(tmp_path / "secret.txt"), "permission denied"),
    ]


def test_files_over_the_size_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_DOCUMENT_BYTES", 1000)
    (tmp_path / "big.txt").write_text("x" * 1001)
    with pytest.raises(InputError, match="larger than"):
        read_document(tmp_path / "big.txt")
    with pytest.raises(InputError, match="larger than"):
        sources.read_stdin(io.BytesIO(b"x" * 1001))


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_20_mb_single_line_is_read_in_bounded_time(tmp_path, encoding, deadline):
    sentence = "Installed wind capacity reached 365 GW, 风电装机 by the end of 2022 and kept growing. "
    line = (sentence * (20_000_000 // len(sentence) + 1))[:20_000_000]
    path = tmp_path / "huge.txt"
    path.write_bytes(line.encode(encoding))
    started = time.monotonic()
    document = read_document(path)
    elapsed = time.monotonic() - started
    assert len(document.text) == 20_000_000
    assert document.encoding == encoding
    assert elapsed < 15, f"took {elapsed:.1f} s"


def test_importing_sources_loads_no_heavy_library():
    code = ("import sys, targettrack.sources; "
            "print(sorted(m for m in ('trafilatura', 'pypdf', 'charset_normalizer', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_document_is_frozen():
    document = Document(path="a.txt", text="x", encoding="utf-8", published=None, kind="text")
    with pytest.raises(AttributeError):
        document.text = "y"


# ---------------------------------------------------------------------------
# Publication dates


@pytest.mark.parametrize("text, published", [
    ("date 2023-04-05\nThe city held a meeting.", "2023-04-05"),
    (" date 2023-04-05 On April 3, the province held a meeting.", "2023-04-05"),
    ("Headline\n\nPost time: Jul-05-2021\n\nBody.", "2021-07-05"),
    ("Headline\n\nUpdated: Jul 11,2023 10:52 AM english.example.gov.cn\n\nBody.", "2023-07-11"),
    ("Release Time 2022/07/29\nHeadline", "2022-07-29"),
    ("Published: 2021-07-05\nHeadline", "2021-07-05"),
    ("2023-04-05 10:20\nHeadline", "2023-04-05"),
    ("July 5, 2021\nHeadline", "2021-07-05"),
    ("Headline\nMonday, 5 July 2021\nBody", "2021-07-05"),
    ("Posted on 5th July 2021 by the editors\nBody", "2021-07-05"),
    ("Source: news agency | Updated: 2021-07-05 09:00\nBody", "2021-07-05"),
    ("发布时间：2023年4月5日 来源：新华社\n正文", "2023-04-05"),
    ("Updated: 2021-08-01\nPublished: 2021-07-05\nBody", "2021-07-05"),
    ("Time: Sept. 3, 2020\nBody", "2020-09-03"),
], ids=lambda value: value if isinstance(value, str) and len(value) == 10 else None)
def test_publication_date_forms(text, published):
    assert find_published(text) == published


def test_a_post_time_at_the_foot_of_a_long_text_is_found():
    body = "Headline\n\n" + "The plan covers wind and solar. " * 100
    assert find_published(body + "\n\nPost time: Jul-05-2021\n") == "2021-07-05"


@pytest.mark.parametrize("text", [
    "On September 22, 2020, the president announced the goal.",
    "Headline\n\nData released on July 5, 2021 showed the rise.",
    "Headline\nSubtitle\nJuly 5, 2021\nBody",
    "Release Time3 months ago\nHeadline",
    "date 2023-02-30\nHeadline",
    "Headline\n\nThe 2021 expo runs July 30 to August 1.",
    "Phone 2023-0405-10\nHeadline",
    "",
])
def test_no_publication_date_from_event_dates_or_non_dates(text):
    assert find_published(text) is None


def test_a_labelled_date_deep_in_the_body_is_not_taken():
    text = "Headline\n\n" + "The plan covers wind and solar. " * 40 + "\ndate 2019-01-01\n" + "More body. " * 40
    assert find_published(text) is None


def test_text_documents_carry_their_publication_date():
    assert read_text(b"Post time: Dec-27-2023\nNew energy capacity 90 GW.\n", "n.txt").published == "2023-12-27"
