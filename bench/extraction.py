"""Benchmark: document text extraction throughput, in pages per second, for text-layer PDFs and for OCR.

    python -m bench.extraction [--text-pages 300] [--ocr-pages 10] [--no-write]

It reads generated documents through cases.extraction.extract (the same limited child process the worker
uses), so the figures include starting that process. Needs tesseract-ocr and poppler-utils; needs no database.
It writes its results into docs/benchmarks.md unless --no-write.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMITS = {
    "max_pages": 100_000,
    "ocr_max_pages": 100_000,
    "ocr_seconds": 3600,
    "ocr_languages": "eng+rus",
    "ocr_dpi": 200,
    "seconds": 3600,
    "memory_mb": 2048,
}


def measure(data, extension):
    """Return (pages read, seconds) for one document."""
    from cases import extraction

    with tempfile.NamedTemporaryFile(suffix=f".{extension}") as upload:
        upload.write(data)
        upload.flush()
        started = time.perf_counter()
        result = extraction.extract(upload.name, extension, LIMITS)
        seconds = time.perf_counter() - started
    if result.get("error"):
        sys.exit(f"extraction failed: {result}")
    return result["pages_read"], seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text-pages", type=int, default=300)
    parser.add_argument("--ocr-pages", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench._report import write_section
    from cases.demo.documents import scanned_pdf, text_pdf

    line = "The court examined whether the data protection impact assessment covered live facial recognition."
    text = text_pdf([f"Page {number}.\n{line}\n{line}" for number in range(1, options.text_pages + 1)])
    scan = scanned_pdf(
        ["Решение районного суда о распознавании лиц", "Judgment on live facial recognition"], pages=options.ocr_pages
    )
    rows = []
    for label, data, extension in [("PDF with a text layer (pypdf)", text, "pdf"), ("scanned PDF (OCR)", scan, "pdf")]:
        pages, seconds = measure(data, extension)
        rows.append((label, pages, seconds))
        print(f"{label}: {pages} pages in {seconds:.1f} s = {pages / seconds:.1f} pages/s", flush=True)
    if options.no_write:
        return rows
    table = "\n".join(
        f"| {label} | {pages} | {seconds:.1f} | {pages / seconds:.2f} |" for label, pages, seconds in rows
    )
    write_section(
        "bench.extraction",
        f"""## Document text extraction (`python -m bench.extraction`)

One generated document of each kind read by `cases.extraction.extract` (a child process with the worker's
limits; OCR at 200 dpi, `eng+rus`, one Tesseract thread). Measured on {datetime.date.today()}, {os.cpu_count()}
CPU(s), load average {os.getloadavg()[0]:.1f} at the end. Command:
`python -m bench.extraction --text-pages {options.text_pages} --ocr-pages {options.ocr_pages}`.

| document | pages | seconds | pages/second |
|---|---:|---:|---:|
{table}

Search inside documents at 100,000 cases and 1,000,000 pages is not benchmarked yet.""",
    )
    return rows


if __name__ == "__main__":
    main()
