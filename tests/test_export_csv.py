"""CSV rows of exports are quoted exactly as the standard csv.writer quotes them."""

import csv
import io
import itertools

from cases.exports import csv_row

TRICKY = ["", "plain", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", "\r\n", " spaced ", "tab\t", "ж, ё", "'=1", ";"]


def written(cells):
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue()


def test_rows_are_quoted_as_csv_writer_quotes_them():
    rows = [[cell] for cell in TRICKY] + [list(pair) for pair in itertools.product(TRICKY, repeat=2)]
    for cells in rows:
        assert csv_row(cells) == written(cells), cells
