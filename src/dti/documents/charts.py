"""Charts of the documents, as SVG: inline in the PDF (vector, its labels the page's own searchable text), and
as PNG for Word, which cannot take SVG, rendered from the same SVG by CairoSVG.

The radar chart is a few lines of geometry; a plotting library would cost a tenth of a second per chart, and a
period has a report for every unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from io import BytesIO

UNIT_COLOUR = "#1f5fa8"
AVERAGE_COLOUR = "#d9822b"
FONT = "Liberation Serif, Times New Roman, DejaVu Serif, serif"


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float  # percent of the chart's width
    y: float  # percent of the chart's height
    anchor: str  # start, middle or end: which end of the text is at (x, y)


@dataclass(frozen=True)
class RadarChart:
    """One axis per pillar, the share of the pillar's maximum from 0 to 100 % (rings at 25, 50, 75 and 100 %),
    the unit's polygon over the group average's. The legend is the document's, in its own text."""

    axes: tuple[str, ...]
    unit: tuple[Decimal | None, ...]  # shares 0..1; None for a pillar without a maximum
    average: tuple[Decimal | None, ...]
    width: int = 520
    height: int = 300

    def _point(self, i: int, share: float) -> tuple[float, float]:
        cx, cy, radius = self.width / 2, self.height / 2, min(self.width, self.height) * 0.36
        angle = -math.pi / 2 + 2 * math.pi * i / len(self.axes)
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    def _polygon(self, shares) -> str:
        return " ".join("{:.1f},{:.1f}".format(*self._point(i, float(s or 0))) for i, s in enumerate(shares))

    @property
    def labels(self) -> tuple[AxisLabel, ...]:
        labels = []
        for i, name in enumerate(self.axes):
            x, y = self._point(i, 1.1)
            anchor = "middle" if abs(x - self.width / 2) < 5 else ("start" if x > self.width / 2 else "end")
            labels.append(AxisLabel(name, 100 * x / self.width, 100 * y / self.height, anchor))
        return tuple(labels)

    def svg(self, *, with_labels: bool = True) -> str:
        """The chart as SVG. Without labels, for a page that sets ``labels`` over it as its own text: WeasyPrint
        draws text in SVG several times slower than text in the page."""
        cx, cy = self.width / 2, self.height / 2
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                 f'width="{self.width}" height="{self.height}" font-family="{FONT}" font-size="12">']
        for ring in (0.25, 0.5, 0.75, 1.0):
            parts.append(f'<polygon points="{self._polygon([ring] * len(self.axes))}" fill="none" stroke="#bbb" '
                         f'stroke-width="{1 if ring == 1 else 0.5}"/>')
        for i in range(len(self.axes)):
            x, y = self._point(i, 1)
            parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccc" '
                         f'stroke-width="0.5"/>')
        if with_labels:
            for label in self.labels:
                x, y = label.x * self.width / 100, label.y * self.height / 100
                parts.append(f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="{label.anchor}">'
                             f'{escape(label.text)}</text>')
        parts.append(f'<polygon points="{self._polygon(self.average)}" fill="{AVERAGE_COLOUR}" fill-opacity="0.12" '
                     f'stroke="{AVERAGE_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3"/>')
        parts.append(f'<polygon points="{self._polygon(self.unit)}" fill="{UNIT_COLOUR}" fill-opacity="0.22" '
                     f'stroke="{UNIT_COLOUR}" stroke-width="2"/>')
        parts.append("</svg>")
        return "".join(parts)


def svg_to_png(svg: str, *, scale: float = 1.5) -> bytes:
    """The chart as a PNG on white. CairoSVG draws it; Pillow writes the PNG with light compression, five
    times faster than Cairo's own writer for a file a third larger."""
    from cairosvg.parser import Tree  # imported on use: only Word documents need a raster image
    from cairosvg.surface import PNGSurface
    from PIL import Image

    surface = PNGSurface(Tree(bytestring=svg.encode("utf-8"), unsafe=False), None, 96, scale=scale,
                         background_color="white")
    canvas = surface.cairo
    canvas.flush()
    image = Image.frombuffer("RGBA", (canvas.get_width(), canvas.get_height()), bytes(canvas.get_data()),
                             "raw", "BGRA", canvas.get_stride(), 1)
    out = BytesIO()
    image.convert("RGB").save(out, "PNG", compress_level=1)
    return out.getvalue()
