"""Administrative documents (Nghị định 30/2020/NĐ-CP) rendered as PDF and DOCX: parts, order, fonts, text."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from docx import Document
from docx.oxml.ns import qn

from treem.core.documents import (
    AdminDocument,
    Row,
    RowKind,
    Section,
    Signature,
    Table,
    date_words,
    place_date_line,
    recipient_lines,
    render_docx,
    render_html,
    render_pdf,
)
from treem.core.documents.model import section_number
from treem.core.documents.testing import (
    document_parts,
    first_out_of_order,
    pdf_page_count,
    text_of_docx,
    text_of_pdf,
)


def make_doc(**changes: object) -> AdminDocument:
    fields: dict[str, object] = {
        "governing_body": "Ủy ban nhân dân tỉnh Lai Châu",
        "issuing_body": "Ủy ban nhân dân xã Mường Tè",
        "number": "15/BC-UBND",
        "place": "Mường Tè",
        "date": dt.date(2025, 11, 10),
        "kind_title": "Báo cáo",
        "summary": "Kết quả thực hiện công tác bảo vệ, chăm sóc trẻ em 6 tháng đầu năm 2025",
        "sections": (
            Section(
                "KẾT QUẢ THỰC HIỆN",
                paragraphs=("Ủy ban nhân dân xã đã chỉ đạo các thôn, bản rà soát trẻ em có hoàn cảnh đặc biệt.",),
                tables=(
                    Table(
                        "Biểu 1. Trẻ em có hoàn cảnh đặc biệt",
                        ("Nhóm", "Số trẻ", "Tỷ lệ"),
                        rows=(
                            Row(("Trẻ em mồ côi",), RowKind.HEADING),
                            Row(("Mồ côi cả cha và mẹ", "3", "0,4%")),
                            Row(("Mồ côi cha hoặc mẹ", "17", "2,1%")),
                            Row(("Tổng cộng", "20", "2,5%"), RowKind.TOTAL),
                        ),
                        notes=("Số liệu tính đến ngày 30/6/2025.",),
                    ),
                ),
                subsections=(Section("Công tác truyền thông", paragraphs=("Tổ chức 12 buổi truyền thông tại thôn.",)),),
            ),
            Section("KHÓ KHĂN, VƯỚNG MẮC", paragraphs=("Đội ngũ cộng tác viên thường xuyên thay đổi.",)),
            Section("ĐỀ XUẤT, KIẾN NGHỊ", paragraphs=("Đề nghị tỉnh hỗ trợ kinh phí tập huấn.",)),
        ),
        "recipients": ("Như trên", "UBND tỉnh (b/c)", "Lưu: VT"),
        "signature": Signature("KT. Chủ tịch", "Phó Chủ tịch", "Lò Văn Hùng"),
    }
    return AdminDocument(**{**fields, **changes})  # type: ignore[arg-type]


EXPECTED_ORDER = [
    "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
    "ỦY BAN NHÂN DÂN XÃ MƯỜNG TÈ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 15/BC-UBND",
    "Mường Tè, ngày 10 tháng 11 năm 2025",
    "BÁO CÁO",
    "Kết quả thực hiện công tác bảo vệ, chăm sóc trẻ em 6 tháng đầu năm 2025",
    "I. KẾT QUẢ THỰC HIỆN",
    "Ủy ban nhân dân xã đã chỉ đạo",
    "Biểu 1. Trẻ em có hoàn cảnh đặc biệt",
    "Trẻ em mồ côi",
    "Mồ côi cả cha và mẹ",
    "0,4%",
    "Tổng cộng",
    "Số liệu tính đến ngày 30/6/2025.",
    "1. Công tác truyền thông",
    "II. KHÓ KHĂN, VƯỚNG MẮC",
    "III. ĐỀ XUẤT, KIẾN NGHỊ",
    "Nơi nhận:",
    "- Như trên;",
    "- UBND tỉnh (b/c);",
    "- Lưu: VT.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Lò Văn Hùng",
]


@pytest.fixture(scope="module")
def doc() -> AdminDocument:
    return make_doc()


@pytest.fixture(scope="module")
def pdf(doc: AdminDocument) -> bytes:
    return render_pdf(doc)


@pytest.fixture(scope="module")
def docx(doc: AdminDocument) -> bytes:
    return render_docx(doc)


# --- the parts ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 11, 10), "ngày 10 tháng 11 năm 2025"),
        (dt.date(2025, 1, 5), "ngày 05 tháng 01 năm 2025"),
        (dt.date(2025, 2, 28), "ngày 28 tháng 02 năm 2025"),
        (dt.date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
        (None, "ngày …… tháng …… năm ……"),
    ],
)
def test_date_words_pad_days_below_10_and_january_february(day: dt.date | None, expected: str) -> None:
    assert date_words(day) == expected


def test_place_date_line() -> None:
    assert place_date_line("Mường Tè", dt.date(2025, 11, 10)) == "Mường Tè, ngày 10 tháng 11 năm 2025"
    assert place_date_line("", dt.date(2025, 7, 1)) == "ngày 01 tháng 7 năm 2025"


def test_recipient_lines_dash_semicolons_and_final_full_stop() -> None:
    assert recipient_lines(["Như trên", " - UBND tỉnh;", "", "Lưu: VT."]) == [
        "- Như trên;",
        "- UBND tỉnh;",
        "- Lưu: VT.",
    ]
    assert recipient_lines([]) == []


def test_section_numbers_by_depth() -> None:
    assert [section_number(0, i) for i in (1, 4, 9, 14)] == ["I.", "IV.", "IX.", "XIV."]
    assert [section_number(1, 2), section_number(2, 1), section_number(2, 27), section_number(3, 1)] == [
        "2.",
        "a)",
        "aa)",
        "-",
    ]


def test_upper_case_where_the_decree_wants_it(doc: AdminDocument) -> None:
    assert doc.issuing_body == "ỦY BAN NHÂN DÂN XÃ MƯỜNG TÈ"
    assert doc.kind_title == "BÁO CÁO"
    assert (doc.signature.authority_line, doc.signature.position) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert doc.signature.full_name == "Lò Văn Hùng"


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        Table("Biểu", ("A", "B", "C"), rows=(Row(("x", "1")),))


def test_document_parts_follow_the_layout(doc: AdminDocument) -> None:
    assert first_out_of_order("\n".join(document_parts(doc)), EXPECTED_ORDER) is None


# --- PDF ---------------------------------------------------------------------------------------------------------


def test_pdf_shows_the_parts_in_order(doc: AdminDocument, pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    text = text_of_pdf(pdf)
    assert first_out_of_order(text, EXPECTED_ORDER) is None
    assert first_out_of_order(text, document_parts(doc)) is None


def test_the_order_check_notices_a_swap(pdf: bytes) -> None:
    assert first_out_of_order(text_of_pdf(pdf), ["PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"]) == "KT. CHỦ TỊCH"


def test_pdf_is_a4(pdf: bytes) -> None:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_pdf_embeds_a_times_compatible_serif(pdf: bytes) -> None:
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts, "no font in the PDF"
    serif = ("Times", "LiberationSerif", "Liberation-Serif", "Tinos", "NotoSerif", "DejaVuSerif")
    assert all(any(name in font.replace(" ", "") for name in serif) for font in fonts), fonts


def test_html_in_user_text_is_printed_as_text() -> None:
    doc = make_doc(
        sections=(Section("Tường thuật", paragraphs=("Trẻ em <script>alert('x')</script> & <b>an toàn</b>",)),)
    )
    html = render_html(doc)
    assert "<script>alert" not in html and "<b>an toàn" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;an toàn&lt;/b&gt;" in html
    expected = "Trẻ em <script>alert('x')</script> & <b>an toàn</b>"
    assert expected in " ".join(text_of_pdf(render_pdf(doc)).split())
    assert expected in text_of_docx(render_docx(doc))


def test_a_long_table_breaks_across_pages_without_losing_rows() -> None:
    rows = tuple(Row((f"Thôn Nậm Củm {i:03d}", f"{i}", f"{i * 7 % 100},{i % 10}%")) for i in range(1, 151))
    table = Table("Biểu 2. Trẻ em theo thôn", ("Thôn, bản", "Số trẻ", "Tỷ lệ"), rows=rows)
    doc = make_doc(sections=(Section("SỐ LIỆU", tables=(table,)),))
    pdf = render_pdf(doc)
    pages = text_of_pdf(pdf).split("\f")
    assert pdf_page_count(pdf) == len(pages) >= 3
    everything = "\f".join(pages)
    assert first_out_of_order(everything, [f"Thôn Nậm Củm {i:03d}" for i in range(1, 151)]) is None
    assert all(everything.count(f"Thôn Nậm Củm {i:03d}") == 1 for i in range(1, 151))
    spanned = [page for page in pages if "Thôn Nậm Củm" in page]
    assert len(spanned) >= 3
    assert all("Thôn, bản" in page for page in spanned)  # the column headings again on every page
    assert first_out_of_order(everything, ["Thôn Nậm Củm 150", "Nơi nhận:", "Lò Văn Hùng"]) is None

    word = Document(io.BytesIO(render_docx(doc)))
    grid = word.tables[1]  # after the header
    assert len(grid.rows) == 151
    assert [row.cells[0].text for row in grid.rows[1:]] == [f"Thôn Nậm Củm {i:03d}" for i in range(1, 151)]
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the column headings repeat on every page


def test_page_numbers_from_the_second_page_only() -> None:
    rows = tuple(Row((f"Dòng {i}", "1", "1")) for i in range(120))
    pdf = render_pdf(make_doc(sections=(Section("SỐ LIỆU", tables=(Table("", ("A", "B", "C"), rows=rows),)),)))
    pages = text_of_pdf(pdf).split("\f")
    assert len(pages) >= 2
    first_lines = [page.split("\n") for page in pages]
    assert "1" not in [line.strip() for line in first_lines[0]]
    for number, lines in enumerate(first_lines[1:], start=2):
        assert str(number) in [line.strip() for line in lines], lines[:3]


# --- DOCX --------------------------------------------------------------------------------------------------------


def test_docx_shows_the_parts_in_order(doc: AdminDocument, docx: bytes) -> None:
    text = text_of_docx(docx)
    assert first_out_of_order(text, EXPECTED_ORDER) is None
    assert first_out_of_order(text, document_parts(doc)) is None


def test_docx_is_times_new_roman_on_a4_with_the_decree_margins(docx: bytes) -> None:
    word = Document(io.BytesIO(docx))
    assert word.styles["Normal"].font.name == "Times New Roman"
    runs = [run for p in word.paragraphs for run in p.runs]
    runs += [
        run for t in word.tables for row in t.rows for cell in row.cells for p in cell.paragraphs for run in p.runs
    ]
    assert runs and {run.font.name for run in runs} == {"Times New Roman"}
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    top, bottom, left, right = (
        round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    )  # Word stores twips: 15 mm is 14.99 mm
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    assert section.different_first_page_header_footer  # no page number on the first page
    assert "PAGE" in section.header._element.xml


def test_docx_header_and_footer_are_borderless_and_body_tables_ruled(docx: bytes) -> None:
    word = Document(io.BytesIO(docx))
    head, grid, foot = word.tables
    assert head.style.name == foot.style.name == "Normal Table"
    assert grid.style.name == "Table Grid"
    assert [c.text for c in head.rows[1].cells] == ["Số: 15/BC-UBND", "Mường Tè, ngày 10 tháng 11 năm 2025"]
    assert foot.rows[0].cells[0].paragraphs[0].runs[0].bold and foot.rows[0].cells[0].paragraphs[0].runs[0].italic
    heading_row, total_row = grid.rows[1], grid.rows[4]
    assert heading_row.cells[0].text == heading_row.cells[2].text == "Trẻ em mồ côi"  # merged across
    assert all(run.bold for cell in total_row.cells for p in cell.paragraphs for run in p.runs)


# --- text ---------------------------------------------------------------------------------------------------------


def test_vietnamese_diacritics_survive_as_nfc_in_both_formats() -> None:
    name = "Hoàng Thị Thủy Tiên, Nguyễn Đức Trưởng, Lường Văn Ước"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    doc = make_doc(
        sections=(Section("Danh sách", paragraphs=(decomposed,)),),
        signature=Signature("", "Chủ tịch", unicodedata.normalize("NFD", "Lò Thị Ưởng")),
    )
    for text in (text_of_pdf(render_pdf(doc)), text_of_docx(render_docx(doc))):
        flat = " ".join(text.split())
        assert name in flat and "Lò Thị Ưởng" in flat and "CHỦ TỊCH" in flat
        assert unicodedata.normalize("NFC", flat) == flat


def test_control_characters_from_spreadsheets_do_not_break_word() -> None:
    doc = make_doc(sections=(Section("Ghi chú\x0b", paragraphs=("Dòng một\x0bnối\r\nDòng hai\x00",)),))
    text = text_of_docx(render_docx(doc))
    assert "Dòng mộtnối" in text and "Dòng hai" in text
    assert "Dòng mộtnối Dòng hai" in " ".join(text_of_pdf(render_pdf(doc)).split())


def test_draft_without_a_date_or_head_signing_in_own_name() -> None:
    doc = make_doc(date=None, number="     /BC-UBND", signature=Signature("", "Chủ tịch", "Lò Văn Hùng"))
    for text in (text_of_pdf(render_pdf(doc)), text_of_docx(render_docx(doc))):
        assert first_out_of_order(text, ["Số: /BC-UBND", "Mường Tè, ngày …… tháng …… năm ……", "CHỦ TỊCH"]) is None
        assert "KT." not in text
