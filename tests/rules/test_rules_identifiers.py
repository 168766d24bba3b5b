import pytest

from generator.rules.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    credit_code_problem,
    id_check_char,
    is_valid_credit_code,
    is_valid_id_number,
    luhn_ok,
    make_credit_code,
)

# Weights written out by hand (3^i mod 31), independent of the implementation.
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def hand_check_char(first17: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return alphabet[(31 - total % 31) % 31]


def flip(code: str) -> str:
    """Same code with a different (wrong) last character."""
    last = code[-1]
    other = "0" if last != "0" else "1"
    return code[:-1] + other


class TestCreditCode:
    def test_alphabet_leaves_out_misreadable_letters(self):
        assert len(CREDIT_CODE_ALPHABET) == 31
        for letter in "IOZSV":
            assert letter not in CREDIT_CODE_ALPHABET

    @pytest.mark.parametrize(
        "code",
        [
            "91350100M000100Y43",  # the example printed in many GB 32100 guides
            "91440300708461136T",  # a real enterprise
        ],
    )
    def test_known_valid_codes(self, code):
        assert is_valid_credit_code(code)
        assert credit_code_check_char(code[:17]) == code[17]
        assert credit_code_problem(code) is None

    @pytest.mark.parametrize(
        "first17", ["91350100M000100Y4", "12530100000000000", "5153010MA6K0A1B2C", "Y1110000000000000"]
    )
    def test_check_char_matches_hand_computation(self, first17):
        assert credit_code_check_char(first17) == hand_check_char(first17)

    def test_remainder_zero_gives_check_char_zero(self):
        # 31 - 0 = 31 → 0: an all-zero body sums to 0.
        assert credit_code_check_char("0" * 17) == "0"
        assert is_valid_credit_code("0" * 18)

    def test_make_credit_code_round_trip(self):
        code = make_credit_code("91530100MA6K12345")
        assert len(code) == 18 and is_valid_credit_code(code)

    def test_flipped_check_char_is_invalid(self):
        code = make_credit_code("91530100MA6K12345")
        assert not is_valid_credit_code(flip(code))
        assert "校验位应为" in credit_code_problem(flip(code))

    def test_flipped_body_char_is_invalid(self):
        code = "91350100M000100Y43"
        assert not is_valid_credit_code("91350100M000101Y43")
        assert is_valid_credit_code(code)

    @pytest.mark.parametrize(
        "code, fragment",
        [
            ("91350100M000100Y4", "应为18位"),
            ("91350100M000100Y433", "应为18位"),
            ("", "应为18位"),
            ("91350100m000100y43", "大写"),
            ("91350100I000100Y43", "不允许的字符"),
            ("91350100M000100Y4Z", "不允许的字符"),
            ("9135010０M000100Y43", "不允许的字符"),  # a full-width digit
        ],
    )
    def test_malformed(self, code, fragment):
        assert not is_valid_credit_code(code)
        assert fragment in credit_code_problem(code)

    def test_check_char_needs_17_valid_chars(self):
        with pytest.raises(ValueError):
            credit_code_check_char("123")
        with pytest.raises(ValueError):
            credit_code_check_char("91350100O000100Y4")


class TestIdNumber:
    def test_standard_example_with_x(self):
        assert is_valid_id_number("11010519491231002X")
        assert is_valid_id_number("11010519491231002x")  # case-insensitive
        assert id_check_char("11010519491231002") == "X"

    def test_hand_computed_check_digit(self):
        body = "44030719850101123"
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        s = sum(int(c) * w for c, w in zip(body, weights, strict=True))
        check = "10X98765432"[s % 11]
        assert id_check_char(body) == check == "4"
        assert is_valid_id_number(body + check)

    def test_every_wrong_check_char_is_invalid(self):
        body = "44030719850101123"
        for c in "0123456789X":
            assert is_valid_id_number(body + c) == (c == "4")

    @pytest.mark.parametrize(
        "body",
        [
            "44030719850230123",  # 02-30
            "44030719851301123",  # month 13
            "44030719850100123",  # day 00
            "44030718990101123",  # year 1899: too early
            "44030719010229123",  # 1901 not a leap year
        ],
    )
    def test_invalid_birth_date_even_with_right_check_char(self, body):
        assert not is_valid_id_number(body + id_check_char(body))

    def test_leap_day_is_a_valid_birth_date(self):
        body = "44030720000229123"
        assert is_valid_id_number(body + id_check_char(body))

    def test_area_must_not_start_with_zero(self):
        body = "04030719850101123"
        assert not is_valid_id_number(body + id_check_char(body))

    @pytest.mark.parametrize("s", ["110105491231002", "440307850101123"])
    def test_fifteen_digit_form(self, s):
        assert is_valid_id_number(s)

    @pytest.mark.parametrize(
        "s", ["110105491331002", "440307850230123", "11010549123100X", "010105491231002"]
    )
    def test_fifteen_digit_form_invalid(self, s):
        assert not is_valid_id_number(s)

    @pytest.mark.parametrize(
        "s", ["", "1101051949123100", "11010519491231002XX", "１１０１０５１９４９１２３１００２Ｘ"]
    )
    def test_other_lengths_and_non_ascii(self, s):
        assert not is_valid_id_number(s)


class TestLuhn:
    @pytest.mark.parametrize("digits", ["79927398713", "4111111111111111", "6222021234567890128", "0"])
    def test_valid(self, digits):
        assert luhn_ok(digits)

    @pytest.mark.parametrize(
        "digits", ["79927398710", "4111111111111112", "6222021234567890127", "", "4111 1111", "１２"]
    )
    def test_invalid(self, digits):
        assert not luhn_ok(digits)

    def test_single_digit_change_breaks_it(self):
        good = "4111111111111111"
        for i in range(len(good)):
            for d in "0123456789":
                if d != good[i]:
                    assert not luhn_ok(good[:i] + d + good[i + 1 :])
