"""Build countries.json from Natural Earth's 1:110m countries, as packaged in npm's world-atlas (TopoJSON).

    npm pack world-atlas@2.0.2
    .venv/bin/python -m cases.geo.build_shapes world-atlas-2.0.2.tgz

Run once when the shapes should change; the site reads only the committed countries.json. Shapes are
projected (Natural Earth projection), rounded to whole map units and written as SVG path data keyed by the
ISO 3166-1 alpha-2 code django-countries uses. Countries too small for the 1:110m file (Malta, Singapore,
Hong Kong, ...) come from the 1:50m file as a dot at their centre. Antarctica is left out.
"""

import json
import os
import sys
import tarfile
from pathlib import Path

from .projection import Frame, natural_earth

OUTPUT = Path(__file__).with_name("countries.json")
WIDTH = 1000
NORTH, SOUTH = 84.0, -57.0  # latitudes kept in the frame: northern Greenland to Cape Horn
ANTARCTICA = "010"
# Features Natural Earth gives no ISO code; they are shown with the country the ISO standard puts them in.
UNCODED = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "XK"}


def read_topology(archive, name):
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(f"package/{name}"))


def decode_arcs(topology):
    """Return the topology's arcs as lists of (longitude, latitude)."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their joining point
    return points


def polygons(geometry, arcs):
    """Return the geometry's polygons, each a list of rings of (longitude, latitude)."""
    shapes = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [[ring_points(ring, arcs) for ring in shape] for shape in shapes]


def clip(ring, keep):
    """Return the ring cut to the side of a meridian where keep(longitude) holds (Sutherland-Hodgman)."""
    edge = 180 if keep(0) and not keep(181) else -180
    points = []
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if keep(lon1) != keep(lon2):
            points.append((edge, lat1 + (lat2 - lat1) * (edge - lon1) / (lon2 - lon1)))
        if keep(lon2):
            points.append((lon2, lat2))
    return points


def split_at_antimeridian(ring):
    """Return the ring as parts within longitudes -180..180.

    Rings crossing the antimeridian (Russia's Chukotka, Fiji, the Aleutians) would otherwise be drawn across
    the whole map: their longitudes are made continuous, then each side of 180 is cut off and drawn on its own.
    """
    points = [ring[0]]
    for lon, lat in ring[1:]:
        lon += 360 * round((points[-1][0] - lon) / 360)
        points.append((lon, lat))
    lons = [lon for lon, _ in points]
    if max(lons) > 180:
        east = [(lon - 360, lat) for lon, lat in points]
        return [clip(points, lambda lon: lon <= 180), clip(east, lambda lon: lon >= -180)]
    if min(lons) < -180:
        west = [(lon + 360, lat) for lon, lat in points]
        return [clip(points, lambda lon: lon >= -180), clip(west, lambda lon: lon <= 180)]
    return [points]


def country_code(geometry, alpha2):
    name = geometry.get("properties", {}).get("name")
    if name in UNCODED:
        return UNCODED[name]
    return alpha2(geometry.get("id", "")) or None


def path_data(rings, frame):
    """Return SVG path data: each ring as an absolute move, then relative lines between whole-unit points."""
    parts = []
    for ring in rings:
        points = []
        for lon, lat in ring:
            point = tuple(round(value) for value in frame.place(lon, lat))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue  # an islet smaller than a map unit
        steps = " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:], strict=False))
        parts.append(f"M{points[0][0]} {points[0][1]}l{steps}z")
    return "".join(parts)


def centre(shapes):
    """Return the (longitude, latitude) of the middle of the largest ring's bounding box."""
    outer = max((shape[0] for shape in shapes), key=len)
    lons, lats = [lon for lon, _ in outer], [lat for _, lat in outer]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def make_frame():
    left, _ = natural_earth(-180, 0)
    right, _ = natural_earth(180, 0)
    _, top = natural_earth(0, NORTH)
    _, bottom = natural_earth(0, SOUTH)
    scale = WIDTH / (right - left)
    return Frame(scale=round(scale, 4), x=WIDTH / 2, y=round(top * scale, 2)), round((top - bottom) * scale)


def build(archive, alpha2):
    frame, height = make_frame()
    small = read_topology(archive, "countries-110m.json")
    arcs = decode_arcs(small)
    shapes = {}
    for geometry in small["objects"]["countries"]["geometries"]:
        code = country_code(geometry, alpha2)
        if geometry.get("id") == ANTARCTICA or not code:
            continue
        rings = [part for shape in polygons(geometry, arcs) for ring in shape for part in split_at_antimeridian(ring)]
        shapes[code] = shapes.get(code, "") + path_data(rings, frame)
    detailed = read_topology(archive, "countries-50m.json")
    arcs = decode_arcs(detailed)
    dots = {}
    for geometry in detailed["objects"]["countries"]["geometries"]:
        code = country_code(geometry, alpha2)
        if not code or code in shapes or geometry.get("id") == ANTARCTICA or "arcs" not in geometry:
            continue
        x, y = frame.place(*centre(polygons(geometry, arcs)))
        dots[code] = [round(x, 1), round(y, 1)]
    return {
        "source": "Natural Earth 1:110m and 1:50m admin-0 countries (public domain), via npm world-atlas 2.0.2",
        "projection": {"name": "natural-earth-1", "scale": frame.scale, "x": frame.x, "y": frame.y},
        "width": WIDTH,
        "height": height,
        "shapes": dict(sorted(shapes.items())),
        "dots": dict(sorted(dots.items())),
    }


def main(archive):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    import django

    django.setup()
    from django_countries import countries

    data = build(archive, countries.alpha2)
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUTPUT}: {len(data['shapes'])} shapes, {len(data['dots'])} dots, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
