"""The decision and its appendices as DOCX (python-docx), laid out as the PDF: Decree 30/2020/NĐ-CP.

A portrait A4 section for the decision (two-column header, number and date line, title, legal bases, articles,
recipients and signature), then one landscape A4 section per appendix table with its two-level header repeated
on every page. Times New Roman is named; Word and LibreOffice substitute Liberation Serif where it is missing.
Without settings only the appendices are written.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dti.engine import format_points

from .appendix import Appendix
from .decision import DecisionSettings

FONT = "Times New Roman"
BODY_SIZE = Pt(13)
TABLE_STYLE = "Bảng kết quả"  # paragraph style of the appendix cells
TABLE_STYLE_ID = "BangKetQua"


def decision_docx(settings: DecisionSettings | None, appendices: Sequence[Appendix], *, draft: bool = False) -> bytes:
    document = new_document()
    section = document.sections[0]
    page_setup(section, landscape=False)
    if settings is not None:
        _page_numbers(section)
        if draft:
            _paragraph(document, "DỰ THẢO", bold=True, size=12, after=6)
        _decision_body(document, settings)
    for position, appendix in enumerate(appendices):
        if position or settings is not None:
            section = document.add_section(WD_SECTION.NEW_PAGE)
        page_setup(section, landscape=True)
        _appendix(document, appendix)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- layout -----------------------------------------------------------------------------------------------------

# The styles the documents use (by id). python-docx's template defines 164 styles and the latent styles of
# Word's whole gallery, twice (styles.xml and stylesWithEffects.xml, 0.9 MB): reading and writing them cost
# 36 ms per document, more than a unit report's own content.
KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "ListBullet", "Header",
               "Footer"}
DROPPED_PARTS = ("stylesWithEffects", "thumbnail", "customXml")  # relationship types, by their last word


def new_document():
    """An empty A4 document in the documents' styles (Times New Roman 13 pt, the table cells' style)."""
    return Document(BytesIO(_base_document()))


@cache
def _base_document() -> bytes:
    document = Document()
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            styles.remove(style)
    styles.remove(styles.find(qn("w:latentStyles")))
    for part_rels in (document.part.package.rels, document.part.rels):
        for rel_id, rel in list(part_rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in DROPPED_PARTS:
                del part_rels[rel_id]
    _base_style(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _base_style(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = 1.1
    table_text = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)  # cells of every table
    table_text.style_id = TABLE_STYLE_ID
    table_text.base_style = style
    table_text.font.size = Pt(10)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    document.core_properties.author = "dti"


def page_setup(section, *, landscape: bool, margins_mm: tuple[int, int, int, int] | None = None) -> None:
    """A4 portrait or landscape; margins (top, right, bottom, left) in mm, by default Decree 30's for portrait
    pages (top and bottom 20–25, left 30–35, right 15–20) and narrower ones for the wide appendix tables."""
    short, long_ = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    top, right, bottom, left = margins_mm or ((15, 13, 15, 13) if landscape else (20, 15, 20, 30))
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Mm(top), Mm(right), Mm(bottom), Mm(left))


def _page_numbers(section) -> None:
    """Page numbers centred in the header, from the second page (Decree 30)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _paragraph(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=False,
               after=None, before=None):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    if before is not None:
        paragraph.paragraph_format.space_before = Pt(before)
    return paragraph


def _short_rule(container, width, share: float) -> None:
    """The short line under the issuer, the motto and the title: a bottom border on an empty, indented
    paragraph, ``share`` of ``width`` long."""
    paragraph = _paragraph(container, after=4)
    margin = int(width * (1 - share) / 2)
    paragraph.paragraph_format.left_indent = margin
    paragraph.paragraph_format.right_indent = margin
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _first_paragraph(cell, text: str, **kwargs):
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = kwargs.get("bold", False)
    run.italic = kwargs.get("italic", False)
    if kwargs.get("size"):
        run.font.size = Pt(kwargs["size"])
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _decision_body(document, settings: DecisionSettings) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    masthead = document.add_table(rows=1, cols=2)
    masthead.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = masthead.rows[0].cells
    issuer_width, motto_width = Cm(6.5), Cm(10)
    # On the grid as on the cells: LibreOffice lays out by the grid, which python-docx makes of equal halves, and
    # the national motto (8.8 cm in 12 pt bold) wrapped in a half of 16.5 cm.
    column_widths(masthead, [issuer_width, motto_width])
    _first_paragraph(left, settings.issuer_parent, size=13)
    _paragraph(left, settings.issuer, bold=True, size=13, align=center, after=0)
    _short_rule(left, issuer_width, 0.35)
    _paragraph(left, settings.number_line, size=13, align=center, after=0)
    _first_paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=center, after=0)
    _short_rule(right, motto_width, 0.55)
    _paragraph(right, settings.date_line, italic=True, size=13, align=center, after=0)

    _paragraph(document, "QUYẾT ĐỊNH", bold=True, size=14, align=center, before=12, after=0)
    subject = _paragraph(document, settings.title, bold=True, size=14, align=center, after=0)
    subject.paragraph_format.left_indent = subject.paragraph_format.right_indent = Cm(1)
    _short_rule(document, Mm(165), 0.25)
    _paragraph(document, settings.authority, bold=True, align=center, before=6, after=12)
    for basis in settings.legal_bases:
        _paragraph(document, basis, italic=True, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, "QUYẾT ĐỊNH:", bold=True, align=center, before=6, after=12)
    for number, article in enumerate(settings.articles, start=1):
        for position, text in enumerate(article):
            paragraph = _paragraph(document, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            if position == 0:
                paragraph.add_run(f"Điều {number}. ").bold = True
            paragraph.add_run(text)

    closing = document.add_table(rows=1, cols=2)
    recipients, signature = closing.rows[0].cells
    column_widths(closing, [Cm(8.5), Cm(8)])
    _keep_on_one_page(closing.rows[0])  # the signer's name never alone on the next page
    label = recipients.paragraphs[0].add_run("Nơi nhận:")
    label.bold = label.italic = True
    label.font.size = Pt(12)
    recipients.paragraphs[0].paragraph_format.space_after = Pt(0)
    for recipient in settings.recipients:
        _paragraph(recipients, f"- {recipient}", size=11, after=0)
    lines = settings.signing_capacity or ("",)
    _first_paragraph(signature, lines[0], bold=True, size=13)
    for line in lines[1:]:
        _paragraph(signature, line, bold=True, size=13, align=center, after=0)
    for _ in range(4):  # room for the signature and the seal
        _paragraph(signature, after=0)
    _paragraph(signature, settings.signer, bold=True, size=13, align=center, after=0)


def _appendix(document, appendix: Appendix) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, appendix.heading, bold=True, size=13, align=center, after=0)
    _paragraph(document, appendix.title, bold=True, size=13, align=center, after=0)
    if appendix.note:
        _paragraph(document, appendix.note, italic=True, size=12, align=center, after=6)
    table = appendix.table
    width = table.column_count
    stage_columns = len(table.pillars) + 1
    # STT, Đơn vị, Xếp hạng and Xếp loại fixed; the points columns share what is left of the 27 cm line, and the
    # table's text takes the largest size at which every number and every header word fits its column whole.
    fixed = [Cm(1.0), Cm(4.4), Cm(1.3), Cm(1.9)]
    number = int((Cm(27) - sum(fixed)) / (2 * stage_columns))
    style_id = _table_style(document, _fitting_size(table, number, fixed[3]))
    rows = 2 + 1 + len(table.rows) + (1 if table.average_row is not None else 0)
    grid = document.add_table(rows=rows, cols=width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    top, second = grid.rows[0], grid.rows[1]
    spans = [(0, 0, "STT"), (1, 1, "Đơn vị"), (2, 1 + stage_columns, "Điểm tính qua khai báo"),
             (2 + stage_columns, 1 + 2 * stage_columns, "Điểm sau khi rà soát"),
             (width - 2, width - 2, "Xếp hạng"), (width - 1, width - 1, "Xếp loại")]
    for first, last, label in spans:
        cell = top.cells[first].merge(second.cells[last]) if first == last else \
            top.cells[first].merge(top.cells[last])
        table_cell(cell, label, bold=True, align=center, middle=True, style_id=style_id)
    for stage in range(2):
        for offset, label in enumerate((*table.pillars, "Tổng điểm")):
            table_cell(second.cells[2 + stage * stage_columns + offset], label, bold=True, align=center, middle=True,
                       style_id=style_id)
    for row in (top, second):
        _repeat_as_header(row)
    label_row = grid.rows[2]
    table_cell(label_row.cells[0].merge(label_row.cells[width - 1]), table.label, bold=True, style_id=style_id)
    for entry, row in zip(table.rows, grid.rows[3:], strict=False):
        unit = entry.unit + ("" if entry.ranked else " (không xếp hạng)")
        values = [str(entry.number), unit, *map(format_points, (*entry.declared, *entry.reviewed)),
                  str(entry.rank or ""), entry.grade or ""]
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            table_cell(cell, value, align=_alignment(column, width), style_id=style_id)
    if table.average_row is not None:
        cells = grid.rows[-1].cells
        values = ["", "Điểm trung bình", *map(format_points, table.average_row),
                  "", ""]
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            table_cell(cell, value, bold=True, align=_alignment(column, width), style_id=style_id)
    column_widths(grid, [fixed[0], fixed[1], *[number] * (2 * stage_columns), fixed[2], fixed[3]])
    # Narrow margins: with Word's default ones (0.19 cm a side) a 1 cm column holds little more than "100".
    cell_margins(grid, CELL_MARGIN)


CELL_MARGIN = Cm(0.08)
LARGEST, SMALLEST = 10.0, 6.5  # points: the appendix text's size, and the least it is made to fit


def _fitting_size(table, number_width, grade_width) -> float:
    """The largest size, in half points from 10 down, at which every figure of ``table`` (bold in the average
    row), every word of its headers and every grade fits its column on one line, measured on the shipped Liberation
    Serif (metrically Times New Roman, which Word uses)."""
    room_number = (number_width - 2 * CELL_MARGIN) / 360000  # EMU → cm
    room_grade = (grade_width - 2 * CELL_MARGIN) / 360000
    figures = [format_points(v) for row in table.rows for v in (*row.declared, *row.reviewed)]
    bold_figures = [format_points(v) for v in (table.average_row or ())]
    words = [w for label in (*table.pillars, "Tổng điểm") for w in label.split()]
    grades = [row.grade for row in table.rows if row.grade]
    size = LARGEST
    while size > SMALLEST and not (
            all(text_width_cm(f, size) <= room_number for f in figures)
            and all(text_width_cm(f, size, bold=True) <= room_number for f in (*bold_figures, *words))
            and all(text_width_cm(g, size) <= room_grade for g in grades)):
        size -= 0.5
    return size


def text_width_cm(text: str, size: float, *, bold: bool = False) -> float:
    return _face(bold).getlength(text) / 1000 * size * 2.54 / 72


@cache
def _face(bold: bool):
    from PIL import ImageFont

    from .fonts import FONT_DIR

    return ImageFont.truetype(str(FONT_DIR / ("LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf")),
                              1000)


def _table_style(document, size: float) -> str:
    """The id of the appendix cells' paragraph style at ``size`` points (made once per size)."""
    if size == LARGEST:
        return TABLE_STYLE_ID
    style_id = f"{TABLE_STYLE_ID}{int(size * 10)}"
    if not any(s.style_id == style_id for s in document.styles):
        style = document.styles.add_style(f"{TABLE_STYLE} {size:g} pt", WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.base_style = document.styles[TABLE_STYLE]
        style.font.size = Pt(size)
    return style_id


def _alignment(column: int, width: int):
    if column == 1:
        return WD_ALIGN_PARAGRAPH.LEFT
    if column == 0 or column >= width - 2:
        return WD_ALIGN_PARAGRAPH.CENTER
    return WD_ALIGN_PARAGRAPH.RIGHT


def table_cell(cell, text: str, *, bold=False, align=None, middle=False, style_id: str = TABLE_STYLE_ID) -> None:
    """Write one table cell. Each property set costs python-docx an XML search, and a big table has thousands of
    cells: size and spacing come from a paragraph style, and only what differs from it is set."""
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id  # by id: assigning by name searches every style for each cell
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if align is not None and align != WD_ALIGN_PARAGRAPH.LEFT:
        paragraph.alignment = align
    if middle:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def column_widths(table, widths) -> None:
    """Fixed column widths: on the grid, which LibreOffice reads, and on every cell, which Word reads."""
    table.autofit = False
    for column, size in zip(table.columns, widths, strict=True):
        column.width = size
    for row in table.rows:
        for cell, size in zip(row.cells, widths, strict=True):
            cell.width = size


def cell_margins(table, size) -> None:
    """The left and right margins of every cell of ``table``."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(size.twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                           "w:tblPrChange")  # the schema's order


def _keep_on_one_page(row) -> None:
    """The row is never split across two pages (Word's and LibreOffice's "allow row to break across pages" off)."""
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)
