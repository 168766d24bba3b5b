from decimal import Decimal

import pytest

from generator.rules.levels import LEVELS, LevelResult, accident_level, check_stated_level, normalize_level

W = Decimal


class TestThresholds:
    @pytest.mark.parametrize(
        "deaths, level",
        [
            (0, "一般"),
            (2, "一般"),
            (3, "较大"),
            (9, "较大"),
            (10, "重大"),
            (29, "重大"),
            (30, "特别重大"),
            (300, "特别重大"),
        ],
    )
    def test_deaths(self, deaths, level):
        assert accident_level(deaths, None, None).level == level

    @pytest.mark.parametrize(
        "serious, level",
        [(9, "一般"), (10, "较大"), (49, "较大"), (50, "重大"), (99, "重大"), (100, "特别重大")],
    )
    def test_serious_injuries(self, serious, level):
        assert accident_level(None, serious, None).level == level

    @pytest.mark.parametrize(
        "loss, level",
        [
            ("0", "一般"),
            ("999.99", "一般"),
            ("1000", "较大"),
            ("1000.00", "较大"),
            ("4999.99", "较大"),
            ("5000", "重大"),
            ("9999.99", "重大"),
            ("10000", "特别重大"),
            ("10000.01", "特别重大"),
        ],
    )
    def test_loss(self, loss, level):
        assert accident_level(None, None, W(loss)).level == level

    def test_int_loss_accepted(self):
        assert accident_level(None, None, 5000).level == "重大"


class TestCriterion:
    def test_texts(self):
        assert accident_level(3, None, None).criterion == "死亡3人（3人以上10人以下为较大事故）"
        assert accident_level(2, None, None).criterion == "死亡2人（3人以下为一般事故）"
        assert accident_level(30, None, None).criterion == "死亡30人（30人以上为特别重大事故）"
        assert (
            accident_level(None, 50, None).criterion
            == "重伤（含急性工业中毒）50人（50人以上100人以下为重大事故）"
        )
        assert accident_level(None, None, W("4999.99")).criterion == (
            "直接经济损失4999.99万元（1000万元以上5000万元以下为较大事故）"
        )
        assert (
            accident_level(None, None, W("10000.00")).criterion
            == "直接经济损失1亿元（1亿元以上为特别重大事故）"
        )
        assert accident_level(None, None, W("9999.99")).criterion == (
            "直接经济损失9999.99万元（5000万元以上1亿元以下为重大事故）"
        )

    def test_highest_level_wins(self):
        r = accident_level(2, 12, W("6000"))
        assert r.level == "重大" and r.criterion.startswith("直接经济损失6000万元")
        r = accident_level(10, 100, W("0"))
        assert r.level == "特别重大" and r.criterion.startswith("重伤")

    def test_tie_decided_by_deaths_first(self):
        r = accident_level(4, 20, W("2000"))
        assert r.level == "较大" and r.criterion.startswith("死亡4人")
        r = accident_level(None, 20, W("2000"))
        assert r.criterion.startswith("重伤")

    def test_unknown_criteria_ignored(self):
        assert accident_level(None, None, None) is None
        assert accident_level(None, None, W("1500")).level == "较大"

    @pytest.mark.parametrize(
        "args",
        [
            (-1, None, None),
            (None, -2, None),
            (None, None, W("-1")),
            (1.5, None, None),
            (None, None, W("NaN")),
            (None, None, 12.5),
            (True, None, None),
        ],
    )
    def test_bad_input(self, args):
        with pytest.raises(ValueError):
            accident_level(*args)


class TestCheckStatedLevel:
    def test_consistent(self):
        assert check_stated_level("较大事故", 3, 0, W("100")) is None
        assert check_stated_level("较大", 3, None, None) is None

    def test_stated_too_low(self):
        msg = check_stated_level("一般事故", 3, None, None)
        assert msg == "事故等级填写为一般事故，但死亡3人（3人以上10人以下为较大事故），应为较大事故"

    def test_stated_too_low_by_loss(self):
        msg = check_stated_level("较大", 1, 0, W("5000"))
        assert "直接经济损失5000万元" in msg and "应为重大事故" in msg

    def test_stated_too_high_all_known(self):
        msg = check_stated_level("重大", 2, 5, W("300"))
        assert msg is not None
        assert "死亡2人" in msg and "重伤（含急性工业中毒）5人" in msg and "直接经济损失300万元" in msg
        assert "应为一般事故" in msg

    def test_stated_too_high_with_unknown_loss_not_flagged(self):
        # An unpublished loss of ≥ 1000万元 would make it 较大.
        assert check_stated_level("较大", 2, 5, None) is None

    def test_nothing_known(self):
        assert check_stated_level("特别重大", None, None, None) is None

    def test_unknown_stated_level(self):
        msg = check_stated_level("特大事故", 2, None, None)
        assert "事故等级应为" in msg and "特大事故" in msg

    def test_normalize(self):
        assert normalize_level(" 重大事故 ") == "重大"
        assert normalize_level("特别重大") == "特别重大"
        assert normalize_level("特大") is None
        assert LEVELS == ("一般", "较大", "重大", "特别重大")


def test_the_effective_level_keeps_a_stated_level_unpublished_figures_may_justify() -> None:
    from generator.rules.levels import effective_level

    assert effective_level("重大", 2, None, None) == LevelResult("重大", "部分伤亡或损失数字未公布，采用报告认定的等级")
    assert effective_level("较大事故", 0, 0, None).level == "较大"
    assert effective_level(None, 2, None, None).level == "一般"
    assert effective_level("一般", 30, None, None).level == "特别重大"  # figures that reach higher decide
    assert effective_level("重大", None, None, None) == LevelResult("重大", "伤亡和损失未公布，采用报告认定的等级")
    assert effective_level(None, None, None, None) is None


def test_a_stated_major_level_with_partial_figures_keeps_its_longer_approval_window() -> None:
    import datetime as dt

    from generator.publication import _accident_status
    from generator.schema.models import Accident

    accident = Accident.model_validate(
        {"事故名称": "某公司“1·1”火灾事故", "发生时间": "2026-01-01", "事故等级": "特别重大", "死亡人数": "12"}
    )
    status = _accident_status(accident, dt.date(2026, 11, 22))
    assert status.level == "特别重大"
    assert status.approval_due == dt.date(2026, 1, 1) + dt.timedelta(days=60 + 30)
