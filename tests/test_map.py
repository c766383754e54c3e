"""The world map: shipped shapes, the SVG renderer and the /map/ page."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_countries import countries

from cases.geo.svg import SHAPES, MapPoint, breaks, legend_entries, shade, shapes, world_map
from cases.models import Case, Challenge, Deployment, System, Technology
from cases.summary import rebuild_case_facets

from . import factories as f


def by_code(code):
    return f"/cases/?country={code}"


def test_shapes_are_small_and_keyed_by_django_countries_codes():
    assert SHAPES.stat().st_size < 300_000
    data = json.loads(SHAPES.read_text())
    known = dict(countries)
    # Kosovo has no code in django-countries: it is drawn, never counted.
    assert set(data["shapes"]) - set(known) == {"XK"}
    assert set(data["dots"]) <= set(known)
    # Natural Earth's "-99" and uncoded features come out under their ISO codes.
    assert {"FR", "NO", "RU", "GB", "US", "CY", "SO", "DE", "UA"} <= set(data["shapes"])
    assert {"MT", "SG", "HK", "LI"} <= set(data["dots"])
    assert "AQ" not in data["shapes"]


def test_every_shape_fits_the_frame():
    data = shapes()
    for code, d in data["shapes"].items():
        for start_x, start_y in re.findall(r"M(-?\d+) (-?\d+)", d):
            assert 0 <= int(start_x) <= data["width"] and 0 <= int(start_y) <= data["height"], code


def test_colour_scale_covers_every_count():
    assert breaks(0) == []
    assert breaks(1) == [1]
    assert breaks(3) == [1, 2, 3]
    for top in (1, 2, 7, 40, 1000, 123_456):
        bounds = breaks(top)
        assert len(bounds) <= 5 and bounds == sorted(set(bounds)) and bounds[-1] == top
        shades = [shade(n, bounds) for n in range(1, min(top, 300) + 1)]
        assert shades == sorted(shades) and shades[0] >= 1 and shade(top, bounds) == 5
    assert shade(0, [1, 2]) == 0
    # Fewer ranges than shades spread over the scale: the top range is always the darkest.
    assert legend_entries([2, 5, 9]) == [(0, "No cases"), (2, "1–2"), (4, "3–5"), (5, "6–9")]
    assert shade(1, [1]) == 5


def test_map_is_accessible_svg_with_linked_countries_and_points():
    with translation.override("en"):
        svg = world_map(
            {"RU": 12, "GB": 1, "MT": 2},
            points=[
                MapPoint("Moscow <Safe City>", 55.75, 37.62, url="/deployments/moscow/", kind="deployment"),
                MapPoint("London", 51.5, -0.13),
            ],
            country_url=by_code,
        )
    assert svg.startswith('<svg class="world-map"') and 'role="group"' in svg
    assert '<title id="world-map-title">Map of cases by country</title>' in svg
    assert 'aria-labelledby="world-map-title world-map-desc"' in svg and '<desc id="world-map-desc">' in svg
    assert '<a href="/cases/?country=RU"><title>Russia: 12 cases</title><path class="map-5"' in svg
    assert '<a href="/cases/?country=GB"><title>United Kingdom: 1 case</title><path class="map-1"' in svg
    # Malta is too small for the 1:110m shapes: a dot stands in for it.
    assert '<a href="/cases/?country=MT"><title>Malta: 2 cases</title><circle class="map-1 map-dot"' in svg
    assert svg.count("<a ") == 4  # three countries with cases and the linked point; no link to empty countries
    assert '<a href="/deployments/moscow/"><circle class="map-point map-point-deployment"' in svg
    assert "<title>Moscow &lt;Safe City&gt;</title>" in svg and "<Safe" not in svg
    assert '<circle class="map-point map-point-place"' in svg and "<title>London</title>" in svg
    assert "Cases per country" in svg and "No cases" in svg and "8–12" in svg


def test_a_country_without_a_shape_is_left_to_the_table():
    # Bouvet Island is in neither Natural Earth file; Kosovo is drawn but has no django-countries code.
    svg = world_map({"BV": 3}, country_url=by_code)
    assert "<a " not in svg and "3 cases" not in svg and "3</text>" in svg  # the legend still spans the count


def test_points_are_placed_by_the_shipped_projection():
    svg = world_map({}, points=[MapPoint("Null Island", 0, 0), MapPoint("Moscow", 55.75, 37.62)], country_url=by_code)
    (null_x, null_y), (moscow_x, moscow_y) = [
        (float(x), float(y)) for x, y in re.findall(r'class="map-point[^"]*" cx="([\d.]+)" cy="([\d.]+)"', svg)
    ]
    projection = shapes()["projection"]
    assert (null_x, null_y) == (projection["x"], round(projection["y"], 1))
    assert moscow_x > null_x and moscow_y < null_y  # east and north


@pytest.mark.django_db
class TestMapPage:
    @pytest.fixture
    def cases(self):
        face = Technology.objects.create(name="Face recognition", slug="face-recognition")
        popova = f.case(published=True, title="Popova", country="RU", status="decided")
        popova.technologies.add(face)
        f.case(published=True, title="Glukhin", country="RU")
        f.case(published=True, title="Bridges", country="GB", status="decided")
        draft = f.case(title="Draft", country="DE")
        draft.technologies.add(face)
        rebuild_case_facets()
        return face

    @pytest.fixture
    def deployments(self, cases):
        """Deployments: challenged by Popova, by Bridges, published on their own, or without a city or coordinates."""
        police = f.party(name="Moscow DIT", kind="agency")
        findface = System.objects.create(name="FindFace", slug="findface")

        def deployment(slug, city, country="RU", latitude="55.75583", longitude="37.61730", **fields):
            return Deployment.objects.create(
                slug=slug,
                system=findface,
                operator=police,
                country=country,
                city=city,
                latitude=latitude,
                longitude=longitude,
                **fields,
            )

        Challenge.objects.create(case=Case.objects.get(title="Popova"), deployment=deployment("moscow", "Moscow"))
        london = deployment("london", "London", country="GB", latitude="51.50735", longitude="-0.12776")
        Challenge.objects.create(case=Case.objects.get(title="Bridges"), deployment=london)
        deployment("kazan", "Kazan", latitude="55.79639", longitude="49.10889", is_published=True)
        # Public, but no city or no coordinates: nothing to place.
        deployment("russia-wide", "", latitude=None, longitude=None, is_published=True)
        deployment("tver", "Tver", latitude=None, longitude=None, is_published=True)
        rebuild_case_facets()

    @staticmethod
    def points(body):
        return re.findall(r'<a href="(/deployments/[^"]+/)"><circle class="map-point map-point-deployment"', body)

    @staticmethod
    def deployment_rows(body):
        table = body.split("Deployments on the map", 1)[1] if "Deployments on the map" in body else ""
        return re.findall(r'<tr><th scope="row"><a href="(/deployments/[^"]+/)">', table)

    def test_shows_every_public_deployment_with_a_city_and_coordinates(self, client, deployments):
        body = client.get("/map/").content.decode()
        assert self.points(body) == ["/deployments/london/", "/deployments/kazan/", "/deployments/moscow/"]
        assert self.deployment_rows(body) == self.points(body)
        assert "<title>FindFace — Moscow, Russia</title>" in body
        row = body[body.index('<a href="/deployments/moscow/">FindFace — Moscow, Russia</a>') :].split("</tr>")[0]
        assert re.findall(r"<td>(.*?)</td>", row) == [
            '<a href="/systems/findface/">FindFace</a>',
            "Moscow DIT",
            "Moscow",
            "Russia",
        ]
        assert "dots mark deployments" in body

    def test_points_follow_the_list_filters(self, client, deployments):
        body = client.get("/map/?technology=face-recognition").content.decode()
        assert self.points(body) == self.deployment_rows(body) == ["/deployments/moscow/"]
        body = client.get("/map/?country=GB").content.decode()
        assert self.points(body) == self.deployment_rows(body) == ["/deployments/london/"]
        # A deployment published on its own is challenged by no case, so no filtered map shows it.
        body = client.get("/map/?q=zzzunmatched").content.decode()
        assert self.points(body) == [] and "Deployments on the map" not in body and "dots mark" not in body

    def test_counts_public_cases_by_country_with_a_table(self, client, cases):
        body = client.get("/map/").content.decode()
        assert "<svg" in body and "<script" not in body and "style=" not in body
        assert "<title>Russia: 2 cases</title>" in body and "<title>United Kingdom: 1 case</title>" in body
        table = body[body.index("<table") :]
        assert re.search(r'<a href="/cases/\?country=RU">Russia</a></th><td>2</td>', table)
        assert re.search(r'<a href="/cases/\?country=GB">United Kingdom</a></th><td>1</td>', table)
        # Germany has only a draft.
        assert "Germany" not in body and "country=DE" not in body
        assert "3 cases" in body

    def test_follows_the_list_filters_and_links_to_the_filtered_list(self, client, cases):
        body = html.unescape(client.get("/map/?technology=face-recognition&status=decided&page=3").content.decode())
        assert "<title>Russia: 1 case</title>" in body and "United Kingdom" not in body and "Germany" not in body
        assert '<a href="/cases/?country=RU&status=decided&technology=face-recognition">' in body
        assert "Technology: Face recognition" in body  # the active filters, removable
        assert '<a href="/cases/?status=decided&technology=face-recognition&page=3">' not in body
        body = client.get("/map/?country=GB").content.decode()
        assert "United Kingdom: 1 case" in body and "Russia" not in body.split("<table")[1]

    def test_search_and_unknown_filters(self, client, cases):
        body = client.get("/map/?technology=no-such-thing").content.decode()
        assert "not recognised" in body and "Russia: 2 cases" in body
        body = client.get("/map/?q=zzzunmatched").content.decode()
        assert "No cases match these filters." in body and "0 cases" in body

    def test_in_russian(self, client, cases):
        body = client.get("/ru/map/").content.decode()
        assert 'lang="ru"' in body and 'href="/ru/cases/?country=RU"' in body

    def test_linked_from_the_navigation_and_the_list(self, client, cases):
        assert '<a href="/map/">' in client.get("/").content.decode()
        assert (
            'href="/map/?technology=face-recognition"'
            in client.get("/cases/?technology=face-recognition").content.decode()
        )

    @pytest.mark.parametrize("query", ["", "?technology=face-recognition&status=decided", "?q=popova"])
    def test_query_count_does_not_grow(self, client, cases, deployments, query):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/map/" + query).status_code == 200
            return len(queries)

        few = count()
        system = System.objects.get(slug="findface")
        for n in range(20):
            case = f.case(
                published=True, title=f"Popova {n}", country=["FR", "US", "BR", "RU"][n % 4], status="decided"
            )
            case.technologies.add(cases)
            operator = f.party(name=f"Police {n}", kind="agency")
            deployment = Deployment.objects.create(
                system=system, operator=operator, country="FR", city=f"Town {n}", latitude=n, longitude=n
            )
            Challenge.objects.create(case=case, deployment=deployment)
        rebuild_case_facets()
        if "q=" not in query:  # search reads vectors these cases do not have yet
            body = client.get("/map/" + query).content.decode()
            assert len(self.points(body)) >= 20  # the new deployments are drawn, with their systems and operators
        assert count() == few
        # A filter's own lookup (technologies), or a search's matches, read once: its query, then the cases and
        # pages matched under the search's planner settings (set and reset in a savepoint) and the pages' cases;
        # then one count, and the deployments with their systems and operators. No ranking: the map has no order.
        assert few <= 3 if "q=" not in query else few <= 10
