"""Synthetic Vietnamese names by ethnic group and the ethnic mix of the demo provinces (demo data only).

Names are surname, middle name, given name. Lists are weighted: ``"Nguyễn 38, Trần 11, Lê"`` (weight 1 when
omitted). Every name is NFC with official tone placement. All draws take a ``random.Random`` so a seed gives
the same people every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from treem.core.text import canonical_tones, fold, nfc

__all__ = [
    "PersonName",
    "Pool",
    "is_exogamous",
    "make_name",
    "pick_ethnicity",
    "pick_surname",
    "spouse_ethnicity",
]

MODERN_BIRTH_YEAR = 2005  # children born since then get the newer naming fashions


class Pool:
    """A weighted list of names, drawn with a caller's ``random.Random``."""

    __slots__ = ("cum", "names")

    def __init__(self, spec: str) -> None:
        names: list[str] = []
        weights: list[float] = []
        for item in spec.split(","):
            if not item.strip():
                continue
            head, _, last = item.strip().rpartition(" ")
            try:
                weight = float(last)
            except ValueError:
                head, weight = item.strip(), 1.0
            names.append(canonical_tones(nfc(head)))
            weights.append(weight)
        self.names = tuple(names)
        self.cum = tuple(accumulate(weights))

    def pick(self, rng: random.Random, exclude: tuple[str, ...] | set[str] = ()) -> str:
        for _ in range(30):
            name = rng.choices(self.names, cum_weights=self.cum)[0]
            if name not in exclude:
                return name
        return next((n for n in self.names if n not in exclude), self.names[0])


# --- Kinh (and the groups that use Kinh-style middle and given names) ----------------------------------------

KINH_SURNAMES = Pool(
    "Nguyễn 38.4, Trần 11, Lê 9.5, Phạm 7.1, Hoàng 5.1, Phan 4.5, Vũ 3.9, Đặng 2.1, Bùi 2, Đỗ 1.4, Hồ 1.3, Ngô 1.3,"
    "Dương 1, Lý 0.5, Đinh 0.6, Trịnh 0.5, Đào 0.5, Mai 0.4, Lương 0.4, Cao 0.4, Hà 0.4, Đoàn 0.4, Trương 0.4,"
    "Lưu 0.3, Tạ 0.3, Lâm 0.3, Chu 0.2, Lại 0.2, Tô 0.2, Vương 0.2, Phùng 0.2, Kiều 0.1, Quách 0.1, Nghiêm 0.1"
)
SOUTHERN_FORMS = {"Hoàng": "Huỳnh", "Vũ": "Võ"}  # the same families, spelt the southern way
KINH_MIDDLE = {
    ("M", False): Pool(
        "Văn 45, Đức 8, Minh 6, Quang 5, Hữu 5, Công 4, Xuân 3, Thành 3, Đình 4, Ngọc 2, Mạnh 2, Tiến 2"
    ),
    ("F", False): Pool("Thị 70, Thu 4, Thanh 4, Ngọc 4, Hồng 3, Thúy 2, Minh 2, Phương 2, Kim 2, Bích 2, Hải 1, Mai 1"),
    ("M", True): Pool(
        "Văn 12, Minh 12, Đức 9, Gia 8, Quang 6, Bảo 6, Anh 5, Hoàng 4, Tuấn 4, Hải 4, Duy 4, Trung 3, Quốc 4, Tiến 3,"
        "Thành 3, Hữu 3, Đăng 3, Khánh 2, Nhật 2, Thiện 2"
    ),
    ("F", True): Pool(
        "Thị 14, Ngọc 10, Minh 7, Thu 6, Khánh 6, Bảo 5, Phương 5, Thanh 5, Hà 4, Gia 4, Thùy 4, Mai 3, Hoài 3,"
        "Diệu 3, Quỳnh 3, Tường 2, Kim 3, Hải 3, Bích 2, Hồng 2, Tuệ 2, An 2"
    ),
}
KINH_GIVEN = {
    ("M", False): Pool(
        "Hùng 5, Dũng 5, Tuấn 5, Thắng 4, Cường 4, Hải 4, Sơn 4, Nam 4, Long 4, Trung 3, Hiếu 3, Thành 3, Tiến 3,"
        "Hưng 3, Bình 3, Toàn 2, Quang 2, Mạnh 2, Hòa 2, Tâm 2, Phong 2, Khánh 2, Đức 2, Việt 2, Huy 2, Tú, Lực"
    ),
    ("F", False): Pool(
        "Hương 5, Lan 5, Mai 4, Hoa 4, Hà 4, Hạnh 3, Huyền 4, Nhung 3, Phương 3, Hằng 3, Loan 3, Thủy 3, Dung 3,"
        "Vân 3, Oanh 2, Nga 3, Hiền 3, Duyên 2, Thảo 3, Trang 4, Yến 3, Linh 3, Liên 2, Thơ, Xuân 2, Tuyết"
    ),
    ("M", True): Pool(
        "Minh 5, Khôi 4, Phúc 4, Khang 4, Bảo 3, Đạt 4, Huy 4, An 4, Nhật 3, Đăng 3, Khoa 4, Quân 4, Duy 3, Lâm 3,"
        "Phong 3, Thịnh 2, Kiên 3, Tùng 3, Vinh 2, Nam 4, Long 3, Anh 5, Hiếu 3, Hưng 3, Trí 2, Tuấn 3, Sơn 2, Vũ 2"
    ),
    ("F", True): Pool(
        "Linh 6, Anh 6, Vy 4, Nhi 4, Hân 4, Ngân 3, Chi 4, Thư 4, Như 3, Diệp 2, My 3, Quỳnh 3, Uyên 3, Trâm 2,"
        "Giang 3, Ngọc 3, Thảo 3, Trang 4, An 3, Châu 2, Khuê 1, Nhiên 2, Hà 3, Mai 3, Hương 2, Yến 2, Hoa 2, Lan 2"
    ),
}


@dataclass(frozen=True, slots=True)
class Style:
    """How one ethnic group names its children."""

    surnames: Pool
    male_middle: Pool | None = None  # None: Kinh-style middle names by generation
    female_middle: Pool | None = None
    male_given: Pool | None = None  # None: Kinh-style given names by generation
    female_given: Pool | None = None
    modern: float = 0.0  # share of children born since MODERN_BIRTH_YEAR with Kinh-style given names
    exogamous: bool = False  # spouses come from different clans (surnames)


VAN = Pool("Văn")
THI = Pool("Thị")
STYLES: dict[str, Style] = {
    "Kinh": Style(KINH_SURNAMES),
    "Thái": Style(
        Pool("Lò 25, Lường 12, Quàng 10, Cầm 8, Hoàng 8, Điêu 6, Tòng 6, Vì 6, Hà 3, Lù 3, Tao 2, Bạc 2, Mè 2, Sầm 2"),
        Pool("Văn 95, Đức 3, Minh 2"),
        Pool("Thị 95, Ngọc 3, Thu 2"),
        Pool(
            "Ương, Pánh, Xiêng, Chăn, Khăm, Phanh, Chiến, Thoan, Bun, Muôn, Hom, Inh, Tiên, Sương, Quân, Dũng,"
            "Hùng, Tuấn, Sơn, Thắng, Hải"
        ),  # fmt: skip
        Pool("Ón, Ún, Pọm, Xôm, Panh, Ngoan, Ơn, Xuân, Hương, Hạnh, Thoa, Lả, Yến, Hoa, Mai, Lan, Thu, Bình, Ánh"),
        modern=0.45,
    ),
    "Mông": Style(
        Pool("Giàng 22, Sùng 16, Vàng 16, Lý 12, Thào 10, Mùa 6, Hầu 5, Sình 4, Cứ 3, Hạng 3, Vừ 3, Chá 2, Tráng 2"),
        Pool("A 85, Văn 10, Seo 5"),
        Pool("Thị 80, Mỷ 20"),
        Pool(
            "Páo 5, Chư 4, Dế 3, Sủ 3, Tủa 3, Chứ 3, Sình 2, Lử 2, Pó 2, Dơ 2, Vừ 2, Cở 2, Sào 2, Phừ 2, Lầu 2,"
            "Của 2, Sử 2, Sếnh, Pháy, Nhà, Tếnh, Chinh, Lồng, Dính, Giống, Tú"
        ),  # fmt: skip
        Pool(
            "Mỷ 4, Sua 4, Chà 2, Dợ 2, Máy 2, Pàng 2, Mai 2, Xí, Sí, Vư, Say, Ly, Dua, Chía, Nhìa, Ký, Chở, Dung,"
            "Lan, Phương, Hoa, Sinh"
        ),  # fmt: skip
        modern=0.12,
        exogamous=True,
    ),
    "Dao": Style(
        Pool("Tẩn 25, Chảo 20, Phàn 15, Lý 15, Đặng 12, Triệu 10, Bàn 4"),
        Pool("Văn 60, Láo 40"),
        Pool("Thị 80, Mẩy 20"),
        Pool("Sử 4, Lở 3, Tả 3, Chẳn 2, Quẩy 2, Pẩu 2, Phủ 2, Chòi, Kiềm 2, Vảy, Sinh 2, Chiêu, Nhàn, Tiến, Lai"),
        Pool("Mẩy 4, Chang 3, Sai 2, Dín 2, Sành 2, Xoan 2, Nái 2, Lìu 2, Phin 2, Mây 2, Kiều, Chiêu, Hoa"),
        modern=0.2,
        exogamous=True,
    ),
    "Hà Nhì": Style(
        Pool("Lỳ 25, Chu 20, Pờ 15, Phìn 10, Lò 10, Sừng 8, Chang 5"),
        Pool("A 80, Văn 20"),
        Pool("Mì 60, Thị 40"),
        Pool("Xá 3, Phì 2, Giá 2, Chừ 2, Lừ 2, Hừ 2, Cà 2, Pá 2, Gió, Khừ, Chè, Hờ"),
        Pool("Xá 3, Me 2, Mơ 2, Pà 2, Phà 2, Chừ, Cứ, Hờ, Dỳ, Há, Lé, Sì, Chè"),
        modern=0.1,
        exogamous=True,
    ),
    "Giáy": Style(
        Pool("Vàng 25, Hoàng 20, Lù 15, Lò 15, Sin 8, Thào 5, Lồ 5"),
        VAN,
        THI,
        Pool("Chăn, Chính, Thìn, Khánh, Dũng, Phong, Sơn, Phúc, Cường, Thịnh"),
        Pool("Pẻng, Dỉn, Mai, Xuân, Hoa, Chiều, Liên, Hương, Nga, Diên"),
        modern=0.5,
    ),
    "Lự": Style(
        Pool("Lò 35, Tao 20, Chẩu 15, Vàng 10, Lường 10, Pha 5, Mào 5"),
        VAN,
        THI,
        Pool("Xiêng, Khăm, Pẩu, Ín, Phom, Ăn, Chơ, Tiến, Thanh"),
        Pool("Ón, Ún, Chăm, Pọm, Kim, Liên, Xuân, Khuyên"),
        modern=0.3,
    ),
    "Mảng": Style(
        Pool("Lò 30, Chìn 20, Pìn 15, Tao 10, Lý 10, Vàng 10, Giàng 5"),
        VAN,
        THI,
        Pool("Sanh, Thăm, Lả, Nghĩa, Xuân, Cà, Sênh, Pâu, Hùng, Phin"),
        Pool("Lanh, Mai, Sương, Lá, Tiên, Phin, Thoa, Vài, Xiêng"),
        modern=0.3,
    ),
    "Cống": Style(
        Pool("Chang 25, Lò 20, Pờ 15, Hù 10, Ly 10, Điêu 10, Vàng 5"),
        VAN,
        THI,
        Pool("Xá, Chiến, Lệnh, Sơn, Chương, Thuận, Phà, Dinh"),
        Pool("Nga, Phương, Thùy, Pà, Xua, Mơ, Dung"),
        modern=0.3,
        exogamous=True,
    ),
    "Si La": Style(
        Pool("Hù 40, Pờ 30, Lỳ 15, Vàng 15"),
        VAN,
        THI,
        Pool("Lả, Xá, Chà, Phù, Sơn, Chúng, Thanh"),
        Pool("Mơ, Xà, Phà, Chừ, Lan, Xuân"),
        modern=0.2,
        exogamous=True,
    ),
    "Khơ Mú": Style(
        Pool("Vì 25, Lò 20, Cà 15, Quàng 10, Lừ 10, Lù 10, Tòng 10"),
        VAN,
        THI,
        Pool("Pấn, Thoi, Sen, Nghiệp, Tuân, Chung, Hùng, Sơn, Kiên"),
        Pool("Xiên, Ín, Pọm, Phiêng, Dung, Thoan, Lả, Mai, Hương"),
        modern=0.4,
    ),
    "Tày": Style(Pool("Hoàng 20, Nông 15, Nguyễn 10, Hà 10, Lương 8, Triệu 6, Lục 6, Ma 6, Đàm 6, Bế 5, Ngân 4")),
    "Nùng": Style(Pool("Hoàng 20, Nông 15, Lục 10, Vi 10, Triệu 8, Lý 8, Lăng 6, Mã 5, Chu 5, Dương 5, Hà 4")),
    "Mường": Style(Pool("Bùi 30, Đinh 15, Quách 12, Hà 10, Phạm 8, Xa 5, Cao 5, Trương 5, Hoàng 5")),
    "Chơ Ro": Style(Pool("Điểu 70, Đào 10, Thổ 5, Lâm 5, Nguyễn 10")),
    "Hoa": Style(
        Pool("Lý 15, Trương 12, Lâm 12, Lưu 8, Quách 8, Hứa 8, Mã 6, Tạ 6, Dương 6, Huỳnh 6, Giang 5, Thái 4, Châu 4"),
        Pool("Quốc, Vĩnh, Gia, Kiến, Hồng, Tuấn, Văn"),
        Pool("Mỹ, Ngọc, Tú, Huệ, Bội, Thị, Kim"),
        Pool("Cường, Phát, Vinh, Hào, Kiệt, Tài, Lợi, Minh, Khang, Thành"),
        Pool("Linh, Mai, Anh, Trân, Quyên, Phụng, Hân, Ngân, Nghi, Di"),
    ),
    "Khmer": Style(
        Pool("Thạch 25, Danh 20, Sơn 15, Kim 15, Lâm 10, Chau 10, Lý 5"),
        Pool("Văn"),
        Pool("Thị"),
        Pool("Sóc, Phal, Sa Ran, Vanh, Pho, Sà Rinh, Chanh, Ny, Sơn, Khương"),
        Pool("Sa Ry, Sô Phia, Ly Na, Mơ Ni, Chanh Thy, Sa Vân, Kim Liên, Sóc Kha"),
        modern=0.3,
    ),
}

# --- ethnic mix -------------------------------------------------------------------------------------------------

PROVINCE_MIX: dict[str, Pool] = {
    "12": Pool(
        "Thái 32, Mông 25, Kinh 15, Dao 13, Hà Nhì 4, Giáy 3, Lự 2, Khơ Mú 2, Mảng 1, Cống 1, Si La 0.5, Tày 0.7,"
        "Nùng 0.5, Mường 0.3"
    ),
    "33": Pool("Kinh 99.3, Tày 0.2, Mường 0.2, Nùng 0.1, Hoa 0.1, Thái 0.1"),
    "38": Pool("Kinh 96.5, Mường 2.2, Thái 0.8, Tày 0.2, Hoa 0.2, Nùng 0.1"),
    "75": Pool("Kinh 95.2, Hoa 2.4, Chơ Ro 0.7, Khmer 0.6, Nùng 0.5, Tày 0.4, Mường 0.2"),
}
DEFAULT_MIX = Pool("Kinh 98, Tày 0.7, Mường 0.5, Nùng 0.5, Hoa 0.3")
# Former Mường Tè district: more Hà Nhì, Cống, Si La and Mảng (folded commune short names).
MUONG_TE_COMMUNES = frozenset(
    {"muong te", "mu ca", "pa u", "thu lum", "hua bum", "ta tong", "bum nua", "bum to", "ka lang", "kan ho"}
)
MUONG_TE_MIX = Pool(
    "Thái 28, Mông 22, Kinh 12, Hà Nhì 12, Dao 10, Khơ Mú 3, Mảng 3, Cống 3, Giáy 2, Lự 2, Si La 2, Tày 0.5, Nùng 0.5"
)
SOUTHERN_PROVINCES = frozenset({"75"})


def pick_ethnicity(rng: random.Random, province_code: str, commune_name: str = "") -> str:
    """The ethnicity of a household's father, from the province's (or the Mường Tè communes') mix."""
    if province_code == "12" and fold(commune_name) in MUONG_TE_COMMUNES:
        return MUONG_TE_MIX.pick(rng)
    return PROVINCE_MIX.get(province_code, DEFAULT_MIX).pick(rng)


def spouse_ethnicity(rng: random.Random, ethnicity: str, province_code: str) -> str:
    """Mostly the same group; about one marriage in twenty across groups."""
    if rng.random() < 0.95:
        return ethnicity
    return PROVINCE_MIX.get(province_code, DEFAULT_MIX).pick(rng)


def is_exogamous(ethnicity: str) -> bool:
    return STYLES.get(ethnicity, STYLES["Kinh"]).exogamous


def pick_surname(
    rng: random.Random, ethnicity: str, *, south: bool = False, exclude: tuple[str, ...] | set[str] = ()
) -> str:
    surname = STYLES.get(ethnicity, STYLES["Kinh"]).surnames.pick(rng, exclude)
    return SOUTHERN_FORMS.get(surname, surname) if south else surname


@dataclass(frozen=True, slots=True)
class PersonName:
    surname: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.surname, self.middle, self.given) if part)


def make_name(
    rng: random.Random,
    ethnicity: str,
    sex: str,
    *,
    born: int,
    surname: str | None = None,
    middle: str | None = None,
    south: bool = False,
    avoid_given: tuple[str, ...] | set[str] = (),
) -> PersonName:
    """A plausible name for someone of `ethnicity` and `sex` ("M"/"F") born in year `born`.

    `surname` (the father's, for children) and `middle` (a twin's) are kept when given; `avoid_given` keeps
    siblings apart.
    """
    style = STYLES.get(ethnicity, STYLES["Kinh"])
    young = born >= MODERN_BIRTH_YEAR
    if surname is None:
        surname = pick_surname(rng, ethnicity, south=south)
    middle_pool = style.male_middle if sex == "M" else style.female_middle
    given_pool = style.male_given if sex == "M" else style.female_given
    modern = given_pool is None or (young and rng.random() < style.modern)
    if given_pool is None or modern:
        given_pool = KINH_GIVEN[(sex, young)]
    if middle is None:
        middle = (middle_pool or KINH_MIDDLE[(sex, young)]).pick(rng, {surname})
    given = given_pool.pick(rng, {*avoid_given, middle, surname})
    return PersonName(surname, middle, given)
