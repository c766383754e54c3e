import datetime

import pytest

from cases.charts import bar_chart, stacked_bar_chart
from cases.models import Technology
from cases.summary import rebuild_case_facets

from . import factories as f

pytestmark = pytest.mark.django_db


def test_bar_chart_escapes_labels_and_scales_bars():
    svg = bar_chart("Cases", [("<b>Face</b>", 4), ("CCTV", 2)])
    assert "<b>" not in svg and "&lt;b&gt;Face" in svg
    assert 'width="320.0"' in svg and 'width="160.0"' in svg
    assert 'role="img"' in svg


def test_stacked_chart_has_a_legend_per_series():
    svg = stacked_bar_chart("By year", [(2019, [1, 2]), (2020, [0, 3])], ["Dismissed", "Violation found"])
    assert svg.count('class="series-0"') == 2  # one bar segment (the zero is skipped) and one legend key
    assert "Violation found" in svg


def test_stats_count_public_cases_only(client):
    face = Technology.objects.create(name="Face recognition", slug="face")
    for outcome in ["dismissed", "violation", ""]:
        f.case(published=True, filed_on=datetime.date(2019, 1, 1), outcome=outcome).technologies.add(face)
    f.case(filed_on=datetime.date(2019, 1, 1), country="DE").technologies.add(face)
    rebuild_case_facets()
    html = client.get("/stats/").content.decode()
    assert "Germany" not in html
    assert '<a href="/technologies/face/">Face recognition</a></th><td>3</td>' in html
    assert '<a href="/cases/?country=RU">Russia</a></th><td>3</td>' in html
    assert "No outcome yet" in html


def test_empty_stats_page(client):
    assert client.get("/stats/").status_code == 200
