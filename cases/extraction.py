"""Reading the text out of an uploaded document, in a child process with time and memory limits.

`extract()` runs this module as `python -m cases.extraction`. The child imports no Django: it lowers its own
memory and CPU limits, reads one file, and prints one JSON result. PDF pages without a text layer, and images,
are read by Tesseract (pages rasterised by poppler's `pdftoppm`). A document that cannot be read gives a
failure code (one of `cases.models.DocumentText.Reason`), never an exception in the caller.
"""

import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL.Image import DecompressionBombError
from pypdf.errors import FileNotDecryptedError, LimitReachedError

PART_CHARS = 4000  # formats without pages are cut into parts of about this size
MAX_PAGE_CHARS = 100_000  # keeps one page well inside PostgreSQL's tsvector limit
MIN_TEXT_LAYER_CHARS = 20  # a PDF page with less text than this is treated as a scan
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ROOT = Path(__file__).resolve().parent.parent


class Failure(Exception):
    """The document cannot be read; args[0] is a DocumentText.Reason code, args[1] a technical detail."""


def extract(path, extension, limits):
    """Return the extraction result for the file at path, run in a limited child process.

    limits: {"max_pages", "ocr_max_pages", "ocr_seconds", "ocr_languages", "ocr_dpi", "seconds", "memory_mb"}.
    """
    request = json.dumps({"path": str(path), "extension": extension, "limits": limits})
    process = subprocess.Popen(
        [sys.executable, "-m", "cases.extraction"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # one process group, so a timeout also ends pdftoppm and tesseract
    )
    try:
        out, err = process.communicate(request.encode(), timeout=limits["seconds"])
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return failed("time_limit", f"killed after {limits['seconds']} s")
    if process.returncode == 0:
        return json.loads(out)
    err = err.decode(errors="replace")
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return failed("time_limit", f"CPU limit reached (signal {-process.returncode})")
    if "MemoryError" in err or "std::bad_alloc" in err:
        return failed("memory_limit", f"memory limit of {limits['memory_mb']} MB reached")
    return failed("crashed", err[-500:] or f"exit status {process.returncode}")


def failed(code, detail=""):
    """Return the result of a reading that failed with code."""
    return {"error": code, "detail": detail, "pages": [], "page_count": None, "pages_read": 0, "method": "none"}


def main():
    """Child process: read the request from stdin, print the result."""
    request = json.load(sys.stdin)
    limits = request["limits"]
    memory = limits["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["seconds"], limits["seconds"] + 5))
    try:
        result = read_file(Path(request["path"]), request["extension"], limits)
    except Failure as failure:
        result = failed(*failure.args)
    except MemoryError:
        result = failed("memory_limit", f"memory limit of {limits['memory_mb']} MB reached")
    json.dump(result, sys.stdout)


def read_file(path, extension, limits):
    """Return {pages, page_count, pages_read, method, language} for one file, or raise Failure."""
    reader = READERS[extension]
    try:
        result = reader(path, limits)
    except (Failure, MemoryError):
        raise
    except (LimitReachedError, DecompressionBombError) as error:
        raise Failure("too_large", str(error)) from error
    except FileNotDecryptedError as error:
        raise Failure("encrypted", str(error)) from error
    except Exception as error:  # any other parser error on hostile input means the same to staff: unreadable
        raise Failure("damaged", f"{type(error).__name__}: {error}"[:500]) from error
    result["pages"] = [_clean(text) for text in result["pages"]]
    result["language"] = detect_language(" ".join(result["pages"]))
    if not any(result["pages"]):
        result["method"] = "none"
    return result


def _clean(text):
    return CONTROL_CHARS.sub(" ", text)[:MAX_PAGE_CHARS].strip()


def detect_language(text):
    """Return "ru" or "en" by which alphabet dominates, or "" when there are no letters."""
    cyrillic = len(re.findall(r"[а-яё]", text, re.IGNORECASE))
    latin = len(re.findall(r"[a-z]", text, re.IGNORECASE))
    if not cyrillic and not latin:
        return ""
    return "ru" if cyrillic >= latin else "en"


def _read_pdf(path, limits):
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise Failure("encrypted", "a password is needed to open it")
    # A page tree may claim far more pages than it holds (poppler would believe it): check the claim too.
    claimed = reader.root_object["/Pages"].get("/Count", 0)
    page_count = len(reader.pages)
    if page_count == 0:
        raise Failure("damaged", "no pages")
    if max(page_count, claimed) > limits["max_pages"]:
        raise Failure("too_many_pages", f"{max(page_count, claimed)} pages, limit {limits['max_pages']}")
    pages = [_page_text(page) for page in reader.pages]
    read = sum(1 for text in pages if _has_text_layer(text))
    # OCR comes second, so every page's text layer is read before the OCR budget is spent.
    started, ocr_pages = time.monotonic(), 0
    for index, text in enumerate(pages):
        if _has_text_layer(text):
            continue
        if ocr_pages >= limits["ocr_max_pages"] or _seconds_left(started, limits) <= 0:
            break
        pages[index] = _ocr_pdf_page(path, index + 1, limits, started)
        ocr_pages += 1
    method = "ocr" if ocr_pages else "text_layer"
    return {"pages": pages, "page_count": page_count, "pages_read": read + ocr_pages, "method": method}


def _page_text(page):
    contents = page.get_contents()
    if contents is not None:
        # extract_text() logs and skips a stream past pypdf's decompression limit; decoding it here raises instead.
        contents.get_data()
    return page.extract_text() or ""


def _has_text_layer(text):
    return len(text.strip()) >= MIN_TEXT_LAYER_CHARS


def _seconds_left(started, limits):
    return limits["ocr_seconds"] - (time.monotonic() - started)


def _ocr_pdf_page(path, number, limits, started):
    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "page"
        _run(
            ["pdftoppm", "-r", str(limits["ocr_dpi"]), "-gray", "-png", "-singlefile"]
            + ["-f", str(number), "-l", str(number), str(path), str(image)],
            started,
            limits,
        )
        return _tesseract(image.with_suffix(".png"), limits, started)


def _tesseract(image, limits, started):
    return _run(["tesseract", str(image), "stdout", "-l", limits["ocr_languages"]], started, limits)


def _run(command, started, limits):
    # One thread: the machine's cores are shared with the web and the other workers.
    env = os.environ | {"OMP_THREAD_LIMIT": "1"}
    timeout = max(_seconds_left(started, limits), 1)
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired as error:
        raise Failure("time_limit", f"{command[0]} ran past the OCR time limit") from error
    except FileNotFoundError as error:
        raise Failure("crashed", f"{command[0]} is not installed") from error
    if done.returncode != 0:
        raise Failure("damaged", f"{command[0]}: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout.decode(errors="replace")


def _read_image(path, limits):
    from PIL import Image

    # Opening checks the declared size against Pillow's decompression-bomb limit before decoding anything.
    with Image.open(path) as image:
        image.verify()
    text = _tesseract(path, limits, time.monotonic())
    return {"pages": [text], "page_count": 1, "pages_read": 1, "method": "ocr"}


def _read_docx(path, limits):
    import docx

    document = docx.Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return _parts("\n".join(lines))


def _read_odt(path, limits):
    from odf import teletype
    from odf.opendocument import load

    lines = []

    def walk(node):
        for child in node.childNodes:
            if getattr(child, "qname", (None, None))[1] in ("p", "h"):
                lines.append(teletype.extractText(child))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(load(str(path)).text)
    return _parts("\n".join(lines))


def _read_rtf(path, limits):
    from striprtf.striprtf import rtf_to_text

    raw = path.read_bytes().decode("latin-1")
    codepage = re.search(r"\\ansicpg(\d+)", raw[:2000])
    return _parts(rtf_to_text(raw, encoding=f"cp{codepage.group(1)}" if codepage else "cp1252", errors="replace"))


def _read_txt(path, limits):
    from charset_normalizer import from_bytes

    data = path.read_bytes()
    try:
        return _parts(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise Failure("unknown_encoding", "no character encoding fits the bytes")
    # Short Russian texts fit several Cyrillic code pages equally well; Windows-1251 is by far the commonest.
    best = next((match for match in matches if match.encoding == "cp1251" and match.chaos <= best.chaos), best)
    return _parts(str(best))


def _parts(text):
    """Cut text without pages into parts of about PART_CHARS, at paragraph ends where possible."""
    parts, current = [], ""
    for line in text.splitlines(keepends=True):
        # A paragraph longer than a part (text with no line breaks) is cut where it must be.
        for piece in [line[start : start + PART_CHARS] for start in range(0, len(line), PART_CHARS)]:
            if current and len(current) + len(piece) > PART_CHARS:
                parts.append(current)
                current = ""
            current += piece
    if current.strip():
        parts.append(current)
    return {"pages": parts, "page_count": None, "pages_read": None, "method": "text_layer"}


READERS = {
    "pdf": _read_pdf,
    "png": _read_image,
    "jpg": _read_image,
    "jpeg": _read_image,
    "docx": _read_docx,
    "odt": _read_odt,
    "rtf": _read_rtf,
    "txt": _read_txt,
}

if __name__ == "__main__":
    main()
