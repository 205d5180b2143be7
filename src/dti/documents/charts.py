"""The radar chart of a unit report: its geometry and its look, drawn by two hands — ReportLab in the PDF
(vector, its labels the page's own searchable text) and cairo here as a PNG for Word, which takes no vector
chart it could draw.

The chart is a few lines of geometry; a plotting library would cost a tenth of a second per chart, and a period
has a report for every unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from .fonts import FAMILY_NAME, register_with_fontconfig

UNIT_COLOUR = "#1f5fa8"
AVERAGE_COLOUR = "#d9822b"
RING_COLOUR = "#bbbbbb"
SPOKE_COLOUR = "#cccccc"
RINGS = (0.25, 0.5, 0.75, 1.0)
LABEL_SIZE = 12  # in the chart's units; the PDF draws the chart 14 cm wide, where this is 9.2 pt
PNG_FONT = FAMILY_NAME  # the documents' shipped serif (documents/fonts.py)


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float  # in the chart's coordinates
    y: float
    anchor: str  # start, middle or end: which end of the text is at (x, y)


@dataclass(frozen=True)
class Series:
    """One polygon of the chart and how it is drawn."""

    shares: tuple[Decimal | None, ...]
    colour: str
    fill_opacity: float
    stroke_width: float
    dashes: tuple[float, ...] | None  # on, off … in the chart's units; None: a solid line


def rgb(colour: str) -> tuple[float, float, float]:
    """'#1f5fa8' → (0.12, 0.37, 0.66)."""
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


@dataclass(frozen=True)
class RadarChart:
    """One axis per pillar, the share of the pillar's maximum from 0 to 100 % (rings at 25, 50, 75 and 100 %),
    the unit's polygon over the group average's. The legend is the document's, in its own text. Coordinates
    are the chart's own, ``width`` × ``height`` with y downwards."""

    axes: tuple[str, ...]
    unit: tuple[Decimal | None, ...]  # shares 0..1; None for a pillar without a maximum
    average: tuple[Decimal | None, ...]
    width: int = 520
    height: int = 300

    @property
    def centre(self) -> tuple[float, float]:
        return self.width / 2, self.height / 2

    def point(self, i: int, share: float) -> tuple[float, float]:
        """Where ``share`` (0..1) lies on axis ``i``."""
        cx, cy = self.centre
        radius = min(self.width, self.height) * 0.36
        angle = -math.pi / 2 + 2 * math.pi * i / len(self.axes)
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    def polygon(self, shares) -> list[tuple[float, float]]:
        """The corners of a polygon through ``shares``, one per axis; a missing share is at the centre."""
        return [self.point(i, float(s or 0)) for i, s in enumerate(shares)]

    @property
    def series(self) -> tuple[Series, Series]:
        """The group average (dashed, under) and the unit (solid, over)."""
        return (Series(self.average, AVERAGE_COLOUR, 0.12, 1.5, (5, 3)),
                Series(self.unit, UNIT_COLOUR, 0.22, 2, None))

    @property
    def labels(self) -> tuple[AxisLabel, ...]:
        labels = []
        for i, name in enumerate(self.axes):
            x, y = self.point(i, 1.1)
            anchor = "middle" if abs(x - self.width / 2) < 5 else ("start" if x > self.width / 2 else "end")
            labels.append(AxisLabel(name, x, y, anchor))
        return tuple(labels)

    def png(self, *, scale: float = 1.5) -> bytes:
        """The chart as a PNG on white, ``scale`` pixels per unit. Pillow writes it with light compression, five
        times faster than cairo's own writer for a file a third larger."""
        import cairocffi as cairo  # imported on use: only Word documents need a raster image
        from PIL import Image

        width, height = round(self.width * scale), round(self.height * scale)
        surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
        context = cairo.Context(surface)
        context.set_source_rgb(1, 1, 1)
        context.paint()
        context.scale(scale, scale)

        def trace(shares) -> None:
            first, *rest = self.polygon(shares)
            context.move_to(*first)
            for corner in rest:
                context.line_to(*corner)
            context.close_path()

        for ring in RINGS:
            trace([ring] * len(self.axes))
            context.set_source_rgb(*rgb(RING_COLOUR))
            context.set_line_width(1 if ring == 1 else 0.5)
            context.stroke()
        for i in range(len(self.axes)):
            context.move_to(*self.centre)
            context.line_to(*self.point(i, 1))
        context.set_source_rgb(*rgb(SPOKE_COLOUR))
        context.set_line_width(0.5)
        context.stroke()
        register_with_fontconfig()
        context.select_font_face(PNG_FONT)
        # Rendering settings of its own, not the machine's fontconfig defaults: the same pixels everywhere.
        options = cairo.FontOptions()
        options.set_antialias(cairo.ANTIALIAS_GRAY)
        options.set_hint_style(cairo.HINT_STYLE_NONE)
        options.set_hint_metrics(cairo.HINT_METRICS_OFF)
        options.set_subpixel_order(cairo.SUBPIXEL_ORDER_DEFAULT)
        context.set_font_options(options)
        context.set_font_size(LABEL_SIZE)
        context.set_source_rgb(0, 0, 0)
        for label in self.labels:
            text_width = context.text_extents(label.text)[4]  # the advance
            shift = {"start": 0, "middle": text_width / 2, "end": text_width}[label.anchor]
            context.move_to(label.x - shift, label.y + LABEL_SIZE / 3)
            context.show_text(label.text)
        for series in self.series:
            trace(series.shares)
            context.set_source_rgba(*rgb(series.colour), series.fill_opacity)
            context.fill_preserve()
            context.set_source_rgb(*rgb(series.colour))
            context.set_line_width(series.stroke_width)
            context.set_dash(list(series.dashes or ()))
            context.stroke()
        surface.flush()
        image = Image.frombuffer("RGBX", (width, height), bytes(surface.get_data()), "raw", "BGRX",
                                 surface.get_stride(), 1)
        out = BytesIO()
        image.convert("RGB").save(out, "PNG", compress_level=1)
        return out.getvalue()
