import pytest

from generator.rules.identifiers import make_credit_code
from generator.rules.privacy import (
    MASK_STYLES,
    Finding,
    find_personal_data,
    mask_person_name,
    split_surname,
)

ID18 = "11010519491231002X"  # the GB 11643 example: valid check character
ID15 = "110105491231002"
CARD = "6222021234567890128"  # 19 digits, Luhn-valid
CARD16 = "4111111111111111"
MOBILE = "13912345678"

FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def kinds(text, **kw):
    return [(f.kind, f.text) for f in find_personal_data(text, **kw)]


class TestIdNumbers:
    def test_plain_18(self):
        text = f"身份证号{ID18}，"
        assert find_personal_data(text) == [Finding("id-number", 4, 22, ID18)]

    def test_lowercase_x(self):
        assert kinds(f"证件号码：{ID18.lower()}") == [("id-number", ID18.lower())]

    def test_full_width_digits_report_original_offsets(self):
        wide = ID18.translate(FULLWIDTH)
        text = f"号码{wide}。"
        [f] = find_personal_data(text)
        assert f.kind == "id-number"
        assert (f.start, f.end) == (2, 20)
        assert text[f.start : f.end] == wide == f.text

    def test_other_script_digits(self):
        # Mathematical bold digits are Unicode decimal digits too.
        bold = "".join(chr(0x1D7CE + int(c)) if c.isdigit() else c for c in ID18)
        assert kinds(f"号{bold}号")[0][0] == "id-number"

    def test_grouped_6_8_4(self):
        assert kinds("身份证 110105 19491231 002X 。") == [("id-number", "110105 19491231 002X")]

    @pytest.mark.parametrize("sep", [".", "/", "\t"])
    def test_grouped_with_dots_slashes_or_tabs(self, sep):
        """Found by adversarial testing: 110105.19491231.002X passed the check."""
        written = sep.join(["110105", "19491231", "002X"])
        assert kinds(f"身份证号码：{written}。") == [("id-number", written)]

    def test_a_mistyped_check_digit_is_still_an_id(self):
        """One digit typed wrong leaves somebody's area and birth date readable: still personal data."""
        assert kinds("身份证号110105194912310021") == [("id-number", "110105194912310021")]

    def test_an_eighteen_digit_number_of_no_province_is_not_an_id(self):
        assert kinds("编号990105194912310021") == []
        assert kinds("编号000105194912310021") == []

    def test_invalid_birth_date_is_not_an_id(self):
        assert kinds("编号11010519491331002X") == []

    def test_embedded_in_longer_run_is_not_reported(self):
        assert kinds(f"1{ID18}") == []
        assert kinds(f"{ID18}9") == []
        assert kinds(f"AB{ID18}") == []

    def test_fifteen_digit_old_form(self):
        assert kinds(f"原身份证号{ID15}。") == [("id-number", ID15)]

    def test_fifteen_digit_registration_number_labelled_as_such(self):
        assert kinds(f"工商注册号：{ID15}") == []
        assert kinds(f"注册号{ID15}") == []

    def test_masked_id_is_not_personal_data(self):
        assert kinds("身份证号110105********002X") == []
        assert kinds("身份证号110105××××××××002X") == []

    def test_two_ids(self):
        other = "440307198501011234"
        assert [k for k, _ in kinds(f"{ID18}、{other}")] == ["id-number", "id-number"]


class TestMobile:
    def test_amounts_and_dates_with_dots_are_not_mobiles(self):
        assert kinds("罚款 1380.12 元，2024.03.05 作出，共 13812345678.5 元，版本 13.5.1234") == []

    @pytest.mark.parametrize(
        "written",
        [
            MOBILE,
            "139 1234 5678",
            "139-1234-5678",
            "+8613912345678",
            "+86 139 1234 5678",
            "+86-139-1234-5678",
            "8613912345678",
            "(+86)13912345678",
            "0086 13912345678",
            "139.1234.5678",
            "139/1234/5678",
            "139\t1234\t5678",
        ],
    )
    def test_forms(self, written):
        assert kinds(f"联系电话：{written}。") == [("mobile", written)]

    def test_full_width(self):
        wide = MOBILE.translate(FULLWIDTH)
        [f] = find_personal_data(f"手机{wide}")
        assert (f.kind, f.start, f.end, f.text) == ("mobile", 2, 13, wide)

    def test_full_width_dashes_and_ideographic_space(self):
        assert kinds("手机１３９－１２３４－５６７８")[0][0] == "mobile"
        assert kinds("手机139\u30001234\u30005678")[0][0] == "mobile"

    @pytest.mark.parametrize("prefix", ["10", "11", "12"])
    def test_second_digit_must_be_3_to_9(self, prefix):
        assert kinds(f"号码{prefix}912345678") == []

    def test_inside_longer_digit_run(self):
        assert kinds("编号139123456789") == []
        assert kinds("编号213912345678") == []

    def test_mixed_grouping_is_not_a_mobile(self):
        assert kinds("139 1234-5678") == []

    def test_masked_mobile(self):
        assert kinds("电话139****5678") == []
        assert kinds("电话139××××5678") == []

    def test_decimal_amount_is_not_a_mobile(self):
        assert kinds("金额13912345678.50元") == []
        assert kinds("系数0.13912345678") == []
        assert kinds(f"比例0.{CARD16}") == []

    def test_office_landline_is_public(self):
        assert kinds("监督电话：0871-65123456") == []

    def test_sentence_end_full_stop(self):
        assert kinds(f"电话{MOBILE}.") == [("mobile", MOBILE)]


class TestBankCard:
    def test_19_digits(self):
        assert kinds(f"账号{CARD}") == [("bank-card", CARD)]

    def test_16_digits(self):
        assert kinds(f"卡号：{CARD16}") == [("bank-card", CARD16)]

    def test_grouped_by_four(self):
        assert kinds("卡号 4111 1111 1111 1111。") == [("bank-card", "4111 1111 1111 1111")]
        assert kinds("卡号6222 0212 3456 7890 128") == [("bank-card", "6222 0212 3456 7890 128")]

    def test_full_width(self):
        wide = CARD.translate(FULLWIDTH)
        assert kinds(f"卡号{wide}") == [("bank-card", wide)]

    def test_luhn_failure_is_not_a_card(self):
        assert kinds("卡号4111111111111112") == []

    def test_inside_longer_run(self):
        assert kinds(f"{CARD}0") == []
        assert kinds(f"1{CARD16}") == []
        assert kinds("4111 1111 1111 1111 1111 1111") == []

    def test_valid_id_number_is_an_id_not_a_card(self):
        # 18-digit IDs that also pass Luhn are still ID numbers.
        from generator.rules.identifiers import id_check_char, luhn_ok

        for seq in range(100, 400):
            body = f"44030719850101{seq}"
            number = body + id_check_char(body)
            if number[-1].isdigit() and luhn_ok(number):
                break
        else:
            pytest.fail("no Luhn-valid ID found")
        assert kinds(f"号码{number}") == [("id-number", number)]

    def test_all_digit_credit_code_passing_luhn_is_not_a_card(self):
        from generator.rules.identifiers import luhn_ok

        for n in range(1000):
            # 51…: 社会团体, an all-digit code that could otherwise look like a card.
            code = make_credit_code(f"5153010000000{n:04d}")
            if code.isdigit() and luhn_ok(code):
                break
        else:
            pytest.fail("no Luhn-valid all-digit credit code found")
        assert kinds(f"统一社会信用代码：{code}") == []

    def test_year_led_case_number_is_not_a_card(self):
        # Luhn-valid 16 digits starting with a year: a case number, not a card.
        from generator.rules.identifiers import luhn_ok

        number = next(f"2024053000000{n:03d}" for n in range(1000) if luhn_ok(f"2024053000000{n:03d}"))
        assert kinds(f"案件编号{number}") == []


class TestEmail:
    def test_private_address(self):
        assert kinds("邮箱zhangsan@qq.com。") == [("email", "zhangsan@qq.com")]

    def test_official_domain_and_subdomain_allowed(self):
        assert kinds("投诉邮箱：yjj@km.gov.cn，jubao@gov.cn") == []

    def test_lookalike_domain_not_allowed(self):
        assert kinds("a@notgov.cn") == [("email", "a@notgov.cn")]
        assert kinds("a@gov.cn.evil.com") == [("email", "a@gov.cn.evil.com")]

    def test_allowed_domains_configurable(self):
        assert kinds("x@yjglj.example.org", allowed_email_domains=("example.org",)) == []
        assert kinds("x@km.gov.cn", allowed_email_domains=()) == [("email", "x@km.gov.cn")]

    def test_case_insensitive_domain(self):
        assert kinds("X@KM.GOV.CN") == []

    def test_full_width_at_sign(self):
        text = "邮箱ｚｈａｎｇ＠１６３．ｃｏｍ"
        [f] = find_personal_data(text)
        assert f.kind == "email" and f.text == "ｚｈａｎｇ＠１６３．ｃｏｍ"

    def test_masked_address(self):
        assert kinds("邮箱z***g@qq.com") == []
        assert kinds("邮箱***@qq.com") == []

    def test_dotted_local_part(self):
        assert kinds("wang.xiao-ming+1@163.com") == [("email", "wang.xiao-ming+1@163.com")]


class TestFalsePositives:
    @pytest.mark.parametrize(
        "text",
        [
            "罚款12.5万元",
            "处罚决定日期20240305",
            "2024年3月5日",
            "云应急罚〔2024〕17号",
            "统一社会信用代码91530100MA6K123456",
            "统一社会信用代码91350100M000100Y43",
            "违法所得1234567.89元",
            "事故造成直接经济损失1200万元",
            "监督电话0871-12345",
            "",
        ],
    )
    def test_nothing_found(self, text):
        assert find_personal_data(text) == []

    def test_findings_sorted_with_original_offsets(self):
        text = f"甲{MOBILE}乙{ID18}丙a@b.com"
        found = find_personal_data(text)
        assert [f.kind for f in found] == ["mobile", "id-number", "email"]
        for f in found:
            assert text[f.start : f.end] == f.text


class TestMaskName:
    @pytest.mark.parametrize(
        "name, style, expected",
        [
            ("张三", "张某某", "张某某"),
            ("张三丰", "张某某", "张某某"),
            ("张三", "张某", "张某"),
            ("张三丰", "张某", "张某某"),
            ("张三丰", "张*", "张**"),
            ("张三", "张*", "张*"),
            ("张三丰", "某某", "某某"),
            ("欧阳修", "张某某", "欧阳某某"),
            ("欧阳修", "张某", "欧阳某"),
            ("欧阳娜娜", "张*", "欧阳**"),
            ("司马光", "张某", "司马某"),
            ("诸葛亮", "张*", "诸葛*"),
            ("上官婉儿", "张某", "上官某某"),
            ("歐陽修", "张某", "歐陽某"),
            ("张", "张某", "张某"),
            ("  李四 ", "张某某", "李某某"),
        ],
    )
    def test_styles(self, name, style, expected):
        assert mask_person_name(name, style) == expected

    def test_default_style(self):
        assert mask_person_name("王小明") == "王某某"

    def test_two_character_name_with_compound_prefix_is_single_surname(self):
        # 欧阳 alone is 欧 + 阳: nobody has a compound surname and no given name.
        assert split_surname("欧阳") == ("欧", "阳")
        assert mask_person_name("欧阳", "张*") == "欧*"

    @pytest.mark.parametrize("masked", ["张某某", "张某", "张*", "欧阳**", "某某", "李×"])
    def test_already_masked_unchanged(self, masked):
        for style in MASK_STYLES:
            assert mask_person_name(masked, style) == masked

    def test_unknown_style(self):
        with pytest.raises(ValueError, match="脱敏方式"):
            mask_person_name("张三", "张XX")

    def test_empty_name(self):
        with pytest.raises(ValueError):
            mask_person_name("  ")

    def test_styles_tuple(self):
        assert MASK_STYLES == ("张某某", "张某", "张*", "某某")


class TestHiddenAndGroupedNumbers:
    """Numbers written so that a simple pattern misses them (found by adversarial testing)."""

    ID = "11010519491231002X"

    @pytest.mark.parametrize(
        "written",
        [
            "110105 1949 1231 002X",  # 6-4-4-4
            "110 105 1949 1231 002X",
            "110105-19491231-002X",
            "110105194\u200b91231002X",  # zero-width space
            "1101051949\u00ad1231002X",  # soft hyphen
            "110105194912\n31002X",  # a line break inside a multi-line cell
            "\ufeff11010519491231002X",
            "110105-\n19491231-002X",  # wrapped after a separator
            "110105 \n1949 1231 002X",
        ],
    )
    def test_id_numbers(self, written: str) -> None:
        text = f"身份证号{written}，"
        [f] = find_personal_data(text)
        assert f.kind == "id-number"
        assert f.text.replace(" ", "").replace("-", "").replace("\n", "").strip("\ufeff\u200b\u00ad").startswith("110105")
        assert text[f.start : f.end] == f.text and f.text.endswith("002X")

    @pytest.mark.parametrize("written", ["一一〇一〇五一九四九一二三一〇〇二X", "壹壹零壹零伍壹玖肆玖壹贰叁壹零零贰X"])
    def test_id_numbers_in_chinese_numerals(self, written: str) -> None:
        assert kinds(f"身份证号{written}，") == [("id-number", written)]

    @pytest.mark.parametrize(
        "written",
        [
            "138 001 38000", "1380013 8000", "138-001-38000", "138\u200b0013\u200b8000",
            "1 3 8 0 0 1 3 8 0 0 0", "1-3-8-0-0-1-3-8-0-0-0", "138-\n0013-8000", "138 \n0013 8000", "一三八〇〇一三八〇〇〇", "一 三 八 〇 〇 一 三 八 〇 〇 〇",
        ],
    )
    def test_mobiles(self, written: str) -> None:
        [f] = find_personal_data(f"联系电话{written}。")
        assert (f.kind, f.text) == ("mobile", written)

    @pytest.mark.parametrize(
        "text",
        [
            "二〇二四年一月一日至二〇二四年十二月三十一日",
            "罚款壹拾贰万叁仟肆佰伍拾陆元整",
            "第一三八条",
            "1 3 8 0 0 1 3 8 0 0 0 0",  # twelve spaced digits: a list, not a phone number
            "1 3 8 0 0 1 3 8 0 0 0.5",
            "1 3 8 0 0 1-3-8-0-0-0",  # mixed separators
        ],
    )
    def test_numerals_and_digit_lists_that_are_not_numbers(self, text: str) -> None:
        assert find_personal_data(text) == []

    @pytest.mark.parametrize(
        ("text", "kind", "number"),
        [
            ("1.现场负责人王某，联系电话13800138000\n2.伤者身份证号110105198506151236", "mobile", "13800138000"),
            ("1.现场负责人王某，联系电话13800138000\n2.伤者身份证号110105198506151236", "id-number", "110105198506151236"),
            ("手机13800138000\r\n2.其他", "mobile", "13800138000"),
            ("身份证号11010519491231002X\u20282.其他", "id-number", "11010519491231002X"),
        ],
    )
    def test_a_number_at_the_end_of_a_line_is_found(self, text: str, kind: str, number: str) -> None:
        assert (kind, number) in kinds(text)

    @pytest.mark.parametrize(
        ("written", "kind"),
        [
            ("110105 491231 002", "id-number"), ("110105-491231-002", "id-number"),
            ("ID11010519491231002X", "id-number"), ("TEL13800138000", "mobile"), ("tel13800138000", "mobile"),
            ("110105_19491231_002X", "id-number"), ("138_0013_8000", "mobile"),
        ],
    )
    def test_separated_and_labelled_forms(self, written: str, kind: str) -> None:
        assert [f.kind for f in find_personal_data(f"当事人{written}，")] == [kind]

    def test_runs_of_small_numbers_are_not_an_old_id(self) -> None:
        """SVG path data in a theme's CSS (found by the privacy gate): 10 0 0 0 10 10 10 10 0 0."""
        assert find_personal_data("M12 2A10 10 0 0 0 2 12a10 10 0 0 0 10 10 10 10 0 0 0 10-10") == []

    def test_codes_with_letters_stay_codes(self) -> None:
        assert find_personal_data("统一社会信用代码91530100MA6K8XY01W，批号AB13800138000CD") == []

    def test_amounts_and_dates_glued_by_line_breaks_are_not_reported(self) -> None:
        assert find_personal_data("罚款 3 万元\n2024年3月5日\n第 2 项") == []


def test_the_quick_invisible_check_covers_every_format_character() -> None:
    """_visible skips its per-character pass when this pattern finds nothing: it must know every
    format (Cf) character of the running Python's Unicode version."""
    import sys
    import unicodedata

    from generator.rules.privacy import _INVISIBLE

    format_chars = (chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf")
    assert [hex(ord(c)) for c in format_chars if not _INVISIBLE.match(c)] == []
