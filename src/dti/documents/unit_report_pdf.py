"""A unit report as PDF, drawn with ReportLab.

A period has a report for every unit, so the report is drawn with ReportLab rather than laid out from HTML by
WeasyPrint as the decision is: a one-page report takes about 25 ms instead of 130 ms (BENCHMARKS.md), and its
layout is fixed — a few tables, a chart and lists — where HTML and CSS bring nothing. The look follows the
documents' stylesheet (templates/document.css): Times New Roman (or Liberation Serif) 11 pt, headings of
12.5 pt over a thin rule, tables of 10 pt with a grey header. Every text goes through ``_paragraph``, which
escapes it: ReportLab reads markup in paragraphs, and a unit's name is shown as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from .charts import LABEL_SIZE, RING_COLOUR, RINGS, SPOKE_COLOUR, RadarChart, rgb
from .fonts import serif_family
from .unit_report import (
    CHART_NOTE,
    INDICATOR_HEADER,
    NO_INDICATORS,
    PILLAR_HEADER,
    IndicatorLine,
    UnitReport,
    indicator_row,
    pillar_rows,
    report_lists,
    summary_cells,
)

MARGIN = 20 * mm
CHART_WIDTH = 14 * cm
GREY = colors.HexColor("#444444")


def unit_report_pdf(report: UnitReport) -> bytes:
    """The report as an A4 PDF: margins of 20 mm, the unit's name and the period at the foot of every page."""
    family = serif_family()
    out = BytesIO()

    face, size = f"{family}-Italic", 9
    # The unit left, the heading right; the unit a line higher when the two would meet.
    meet = stringWidth(report.unit, face, size) + stringWidth(report.heading, face, size) + 12 > A4[0] - 2 * MARGIN

    def foot(canvas, _document) -> None:
        canvas.saveState()
        canvas.setFont(face, size)
        canvas.drawString(MARGIN, 12 * mm + (size + 2 if meet else 0), report.unit)
        canvas.drawRightString(A4[0] - MARGIN, 12 * mm, report.heading)
        canvas.restoreState()

    width, height = A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN
    page = PageTemplate("report", [Frame(MARGIN, MARGIN, width, height, leftPadding=0, rightPadding=0,
                                         topPadding=0, bottomPadding=0)], onPage=foot)
    document = BaseDocTemplate(out, pagesize=A4, pageTemplates=[page], title=report.title, creator="dti",
                               producer="dti", lang="vi", initialFontName=family)
    document.build(_Story(family, width).flowables(report))
    return out.getvalue()


class _Story:
    """The report's flowables, top to bottom."""

    def __init__(self, family: str, width: float):
        self.family, self.bold, self.width = family, f"{family}-Bold", width

        def style(name, **options):
            return ParagraphStyle(name, **{"fontName": family, "fontSize": 11, "leading": 13.2, **options})

        self.body = style("body", alignment=TA_JUSTIFY)
        self.item = style("item")
        self.kicker = style("kicker", fontSize=9.5, leading=11.5, textColor=colors.HexColor("#555555"))
        self.unit = style("unit", fontName=self.bold, fontSize=18, leading=22, spaceBefore=2)
        self.group = style("group", textColor=GREY, spaceAfter=8)
        self.figure = style("figure", fontName=self.bold, fontSize=16, leading=19, alignment=TA_CENTER)
        self.caption = style("caption", fontSize=9, leading=11, alignment=TA_CENTER, textColor=GREY)
        self.sentence = style("sentence", fontName=f"{family}-Italic", spaceBefore=6, spaceAfter=6)
        self.heading = style("heading", fontName=self.bold, fontSize=12.5, leading=15, spaceBefore=10,
                             spaceAfter=4)
        self.cell = style("cell", fontSize=10, leading=11.5)
        self.small_cell = style("small cell", fontSize=9.5, leading=11)
        self.header = style("header", fontName=self.bold, fontSize=10, leading=11.5, alignment=TA_CENTER)
        self.note = style("note", fontSize=9, leading=11, alignment=TA_CENTER, textColor=GREY)

    def flowables(self, report: UnitReport) -> list[Flowable]:
        story = [_paragraph(report.heading, self.kicker), _paragraph(report.unit, self.unit),
                 _paragraph(report.group, self.group)]
        summary = Table([[[_paragraph(figure, self.figure), _paragraph(caption, self.caption)]
                          for figure, caption in summary_cells(report)]], colWidths=[self.width / 4] * 4)
        summary.setStyle(self._grid("#bbbbbb", background="#f4f7fa", padding=4))
        story += [summary, _paragraph(report.next_grade_sentence, self.sentence)]

        story += self._heading("Điểm theo chỉ số chính")
        story.append(self._table(PILLAR_HEADER, pillar_rows(report), [0.34, *[0.132] * 5], self.cell,
                                 wrapped={0}, numbers=range(1, 6), bold_last=True))
        if report.indicators is None:  # a sentence under the table it explains, never a page of its own
            story.append(_paragraph(NO_INDICATORS, self.note))
        if report.chart:
            story.append(KeepTogether([_Radar(report.chart, self.family), _Legend(report, self.family),
                                       _paragraph(CHART_NOTE, self.note)]))

        strengths, weaknesses, furthest = report_lists(report)
        columns = Table([[self._list(*strengths, in_cell=True), self._list(*weaknesses, in_cell=True)]],
                        colWidths=[self.width / 2] * 2)
        columns.setStyle(self._plain())
        story += [Spacer(1, 6), columns]
        if furthest[1]:
            story += self._list(*furthest)

        if report.indicators is not None:
            story += self._heading("Điểm từng chỉ số thành phần")
            story.append(self._indicators(report.indicators))
        return story

    def _heading(self, text: str, *, in_cell: bool = False) -> list[Flowable]:
        """A section heading over a thin rule; on a new page when fewer than 3 cm are left, so that a heading
        never ends a page."""
        return [*([] if in_cell else [CondPageBreak(3 * cm)]), _paragraph(text, self.heading),
                HRFlowable(width="100%", thickness=0.5, color=colors.HexColor("#999999"), spaceBefore=-3,
                           spaceAfter=4)]

    def _grid(self, colour: str, *, background: str | None = None, padding: float = 2) -> TableStyle:
        commands = [("FONT", (0, 0), (-1, -1), self.family),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(colour)),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 1),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
        if background:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(background)))
        return TableStyle(commands)

    def _plain(self) -> TableStyle:
        """A table only for placing things side by side: no lines, no padding but a gap on the right."""
        return TableStyle([("FONT", (0, 0), (-1, -1), self.family), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                           ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])

    def _table(self, header, rows, shares, style, *, wrapped: set[int], numbers: range, bold_last: bool = False,
               commands=()) -> Table:
        """A results table: a grey bold header repeated on every page, the ``wrapped`` columns' text wrapped,
        the ``numbers`` columns aligned right; ``bold_last``: the last row (a total) in bold."""
        cells = [[_paragraph(text, self.header) for text in header]]
        for position, row in enumerate(rows):
            plain = bold_last and position == len(rows) - 1
            cells.append([_paragraph(value, style) if column in wrapped and value and not plain else value
                          for column, value in enumerate(row)])
        table = Table(cells, colWidths=[self.width * share for share in shares], repeatRows=1)
        table.setStyle(self._grid("#444444"))
        table.setStyle([("FONT", (0, 1), (-1, -1), self.family, style.fontSize),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
                        ("ALIGN", (numbers.start, 1), (numbers.stop - 1, -1), "RIGHT"),
                        *([("FONT", (0, -1), (-1, -1), self.bold, style.fontSize)] if bold_last else []),
                        *commands])
        return table

    def _indicators(self, indicators: Sequence[IndicatorLine]) -> Table:
        """Every indicator under its pillar's label row; rows the reviewer changed on a light orange ground."""
        rows: list[list[str]] = []
        commands: list[tuple] = []
        pillar = None
        for line in indicators:
            if line.pillar != pillar:
                pillar, row = line.pillar, 1 + len(rows)
                rows.append([line.pillar, "", "", "", "", ""])
                commands += [("SPAN", (0, row), (-1, row)), ("FONT", (0, row), (-1, row), self.bold,
                                                              self.small_cell.fontSize)]
            if line.declared != line.reviewed:
                commands.append(("BACKGROUND", (0, 1 + len(rows)), (-1, 1 + len(rows)), colors.HexColor("#fff6e5")))
            rows.append(indicator_row(line))
        return self._table(INDICATOR_HEADER, rows, [0.07, 0.33, 0.105, 0.11, 0.115, 0.27], self.small_cell,
                           wrapped={1, 5}, numbers=range(2, 5), commands=commands)

    def _list(self, heading: str, items: Sequence[str], empty: str | None, *, in_cell: bool = False) -> list:
        flowables = self._heading(heading, in_cell=in_cell)
        if not items:
            return [*flowables, _paragraph(empty or "", self.item)]
        return [*flowables, ListFlowable([ListItem(_paragraph(text, self.item)) for text in items],
                                         bulletType="bullet", start="•", leftIndent=14, bulletFontName=self.family,
                                         bulletFontSize=11)]


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text, quote=False), style)


def _colour(hex_colour: str, alpha: float = 1) -> colors.Color:
    return colors.Color(*rgb(hex_colour), alpha)


class _Radar(Flowable):
    """The radar chart, 14 cm wide and centred: rings, spokes, the axes' names, the average's polygon under the
    unit's — the look of charts.RadarChart, drawn on the page (its labels are the page's own text)."""

    def __init__(self, chart: RadarChart, family: str):
        super().__init__()
        self.chart, self.family = chart, family
        self.scale = CHART_WIDTH / chart.width
        self.width, self.height = CHART_WIDTH, chart.height * self.scale
        self.hAlign = "CENTER"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def _place(self, x: float, y: float) -> tuple[float, float]:
        """The chart's coordinates (y downwards) → the flowable's (points, y upwards)."""
        return x * self.scale, self.height - y * self.scale

    def _polygon(self, shares, *, stroke: str, width: float, fill: colors.Color | None = None,
                 dashes: Sequence[float] | None = None) -> None:
        canvas = self.canv
        path = canvas.beginPath()
        first, *rest = (self._place(x, y) for x, y in self.chart.polygon(shares))
        path.moveTo(*first)
        for corner in rest:
            path.lineTo(*corner)
        path.close()
        canvas.setStrokeColor(colors.HexColor(stroke))
        canvas.setLineWidth(width * self.scale)
        canvas.setDash([d * self.scale for d in dashes] if dashes else [])
        if fill is not None:
            canvas.setFillColor(fill)
        canvas.drawPath(path, stroke=1, fill=int(fill is not None))

    def draw(self) -> None:
        chart, canvas = self.chart, self.canv
        canvas.saveState()
        for ring in RINGS:
            self._polygon([ring] * len(chart.axes), stroke=RING_COLOUR, width=1 if ring == 1 else 0.5)
        canvas.setStrokeColor(colors.HexColor(SPOKE_COLOUR))
        canvas.setLineWidth(0.5 * self.scale)
        for i in range(len(chart.axes)):
            canvas.line(*self._place(*chart.centre), *self._place(*chart.point(i, 1)))
        size = LABEL_SIZE * self.scale
        canvas.setFont(self.family, size)
        canvas.setFillColor(colors.black)
        draw = {"start": canvas.drawString, "middle": canvas.drawCentredString, "end": canvas.drawRightString}
        for label in chart.labels:
            x, y = self._place(label.x, label.y)
            draw[label.anchor](x, y - size / 3, label.text)
        for series in chart.series:
            self._polygon(series.shares, stroke=series.colour, width=series.stroke_width,
                          fill=_colour(series.colour, series.fill_opacity), dashes=series.dashes)
        canvas.restoreState()


class _Legend(Flowable):
    """Under the chart, for each polygon a key in its colour (dashed for the average) and its name: on one line,
    or one under the other when the names are too long for one."""

    KEY_WIDTH, KEY_HEIGHT, SPACE, GAP, SIZE, LINE = 12, 8, 4, 14, 10, 16

    def __init__(self, report: UnitReport, family: str):
        super().__init__()
        self.entries, self.family = report.chart_legend, family
        self.widths = [self.KEY_WIDTH + self.SPACE + stringWidth(label, family, self.SIZE)
                       for _, _, label in self.entries]
        self.hAlign = "CENTER"

    def wrap(self, available_width, available_height):
        line = sum(self.widths) + self.GAP * (len(self.widths) - 1)
        self.stacked = line > available_width
        self.width = max(self.widths) if self.stacked else line
        self.height = self.LINE * (len(self.widths) if self.stacked else 1)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(self.family, self.SIZE)
        x, y = 0.0, self.height - self.LINE
        for (colour, dashed, label), width in zip(self.entries, self.widths, strict=True):
            canvas.setStrokeColor(colors.HexColor(colour))
            canvas.setFillColor(_colour(colour, 0.25))
            canvas.setLineWidth(1.2)
            canvas.setDash([2, 1.5] if dashed else [])
            canvas.rect(x, y + 4, self.KEY_WIDTH, self.KEY_HEIGHT, stroke=1, fill=1)
            canvas.setFillColor(colors.black)
            canvas.drawString(x + self.KEY_WIDTH + self.SPACE, y + 5, label)
            if self.stacked:
                y -= self.LINE
            else:
                x += width + self.GAP
        canvas.restoreState()
