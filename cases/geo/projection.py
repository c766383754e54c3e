"""The Natural Earth projection (Šavrič et al., 2015): longitude and latitude to map units."""

import math
from dataclasses import dataclass


def natural_earth(longitude, latitude):
    """Return the unscaled (x, y) of a point in degrees, y growing northwards."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


@dataclass(frozen=True)
class Frame:
    """Where the projected world sits in the SVG: scale and the position of longitude 0, latitude 0."""

    scale: float
    x: float
    y: float

    def place(self, longitude, latitude):
        """Return the SVG (x, y) of a point in degrees."""
        x, y = natural_earth(longitude, latitude)
        return self.x + self.scale * x, self.y - self.scale * y
