"""Server-drawn SVG charts: no JavaScript, no external requests, colours from the stylesheet."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

ROW_HEIGHT = 28
LABEL_WIDTH = 220
BAR_WIDTH = 320
WIDTH = LABEL_WIDTH + BAR_WIDTH + 60
MAX_LABEL_CHARS = 30


def _short(label):
    label = str(label)
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _svg(title, height, body):
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false">{}</svg>',
        WIDTH,
        height,
        title,
        body,
    )


def bar_chart(title, rows):
    """Return a horizontal bar chart of rows [(label, value), ...] as safe SVG markup."""
    top = max((value for _, value in rows), default=0) or 1
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text class="chart-label" x="{}" y="18" text-anchor="end">{}</text>'
        '<rect class="chart-bar" x="{}" y="4" width="{}" height="18"></rect>'
        '<text class="chart-value" x="{}" y="18">{}</text></g>',
        (
            (
                index * ROW_HEIGHT,
                LABEL_WIDTH - 8,
                _short(label),
                LABEL_WIDTH,
                round(BAR_WIDTH * value / top, 1),
                LABEL_WIDTH + round(BAR_WIDTH * value / top, 1) + 6,
                value,
            )
            for index, (label, value) in enumerate(rows)
        ),
    )
    return _svg(title, max(len(rows), 1) * ROW_HEIGHT, bars)


def stacked_bar_chart(title, rows, series):
    """Return a horizontal stacked bar chart as safe SVG markup.

    `rows` is [(label, [value per series]), ...]; `series` is [label, ...]; each series gets
    the stylesheet class `series-<n>`, which the legend repeats.
    """
    top = max((sum(values) for _, values in rows), default=0) or 1
    groups = []
    for index, (label, values) in enumerate(rows):
        x = LABEL_WIDTH
        segments = []
        for number, value in enumerate(values):
            width = round(BAR_WIDTH * value / top, 1)
            if value:
                segments.append(
                    format_html('<rect class="series-{}" x="{}" y="4" width="{}" height="18"></rect>', number, x, width)
                )
            x += width
        groups.append(
            format_html(
                '<g transform="translate(0,{})"><text class="chart-label" x="{}" y="18" text-anchor="end">{}</text>'
                '{}<text class="chart-value" x="{}" y="18">{}</text></g>',
                index * ROW_HEIGHT,
                LABEL_WIDTH - 8,
                _short(label),
                mark_safe("".join(segments)),  # noqa: S308 - each segment was built by format_html
                x + 6,
                sum(values),
            )
        )
    legend_top = len(rows) * ROW_HEIGHT + 10
    legend = format_html_join(
        "",
        '<g transform="translate({},{})"><rect class="series-{}" width="14" height="14"></rect>'
        '<text class="chart-label" x="20" y="12">{}</text></g>',
        (
            (LABEL_WIDTH + (number % 2) * 190, legend_top + (number // 2) * 22, number, _short(name))
            for number, name in enumerate(series)
        ),
    )
    legend_rows = (len(series) + 1) // 2
    return _svg(title, legend_top + legend_rows * 22 + 4, mark_safe("".join(groups)) + legend)  # noqa: S308
