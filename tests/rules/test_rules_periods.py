from datetime import date

import pytest

from generator.rules.periods import (
    LEGAL_BOUNDS,
    PeriodPolicy,
    add_months,
    is_public_on,
    period_last_day,
    publication_end,
    regime_for,
)

D = date.fromisoformat


class TestAddMonths:
    @pytest.mark.parametrize(
        "start, n, expected",
        [
            ("2024-03-05", 1, "2024-04-05"),
            ("2024-03-05", 12, "2025-03-05"),
            ("2024-03-05", 36, "2027-03-05"),
            ("2024-11-15", 3, "2025-02-15"),  # year rollover
            ("2024-01-31", 1, "2024-02-29"),  # clamp, leap year
            ("2025-01-31", 1, "2025-02-28"),  # clamp
            ("2025-03-31", 1, "2025-04-30"),
            ("2024-02-29", 12, "2025-02-28"),
            ("2024-02-29", 48, "2028-02-29"),
            ("2025-03-31", -1, "2025-02-28"),
            ("2025-01-15", -1, "2024-12-15"),
            ("2025-05-05", 0, "2025-05-05"),
        ],
    )
    def test_add_months(self, start, n, expected):
        assert add_months(D(start), n) == D(expected)


class TestPeriodLastDay:
    @pytest.mark.parametrize(
        "start, months, expected",
        [
            # 民法典 art. 202: the corresponding day of the final month is the last day
            ("2026-04-01", 12, "2027-04-01"),
            ("2026-04-01", 3, "2026-07-01"),
            ("2026-04-15", 3, "2026-07-15"),
            ("2026-01-01", 36, "2029-01-01"),
            # no corresponding day: the month's last day
            ("2025-11-30", 3, "2026-02-28"),
            ("2026-01-31", 1, "2026-02-28"),
            ("2026-01-29", 1, "2026-02-28"),
            ("2026-01-28", 1, "2026-02-28"),
            ("2026-01-27", 1, "2026-02-27"),
            ("2024-02-29", 12, "2025-02-28"),
            ("2023-11-30", 3, "2024-02-29"),
            ("2026-05-05", 0, "2026-05-05"),
        ],
    )
    def test_last_day(self, start, months, expected):
        assert period_last_day(D(start), months) == D(expected)


class TestRegime:
    def test_switch(self):
        assert regime_for(D("2026-03-31")) == "2019"
        assert regime_for(D("2026-04-01")) == "2026"
        assert regime_for(D("2030-01-01")) == "2026"
        assert regime_for(D("2015-06-01")) == "2019"

    def test_legal_bounds_table(self):
        assert LEGAL_BOUNDS["2026"] == {"轻微": (0, 3), "一般": (3, 12), "严重": (12, 36)}
        assert LEGAL_BOUNDS["2019"]["一般"] == (3, 12)
        assert LEGAL_BOUNDS["2019"]["严重"] == (6, 36)


class TestPublicationEndDefaults:
    def test_ordinary_2026(self):
        r = publication_end(D("2026-04-01"), "一般", None)
        assert r.end == D("2027-04-01")
        assert r.regime == "2026" and r.published and r.problem is None
        assert "最长1年" in r.rule and "2026年4月1日" in r.rule and "一般" in r.rule
        assert (r.earliest_end, r.latest_end) == (D("2026-07-01"), D("2027-04-01"))

    def test_serious_2026(self):
        r = publication_end(D("2026-04-01"), "严重", None)
        assert r.end == D("2029-04-01")
        assert "最短1年" in r.rule and "最长3年" in r.rule
        assert r.earliest_end == D("2027-04-01")

    def test_serious_2019(self):
        r = publication_end(D("2026-03-31"), "严重", None)
        assert r.regime == "2019"
        assert r.end == D("2029-03-31")
        assert r.earliest_end == D("2026-09-30")
        assert "527号" in r.rule and "最短6个月" in r.rule

    def test_regime_switch_for_serious_minimum(self):
        # Same stated end (7 months): fine under 2019 (min 6 months), too short under 2026 (min 1 year).
        before = publication_end(D("2026-03-31"), "严重", D("2026-10-30"))
        after = publication_end(D("2026-04-01"), "严重", D("2026-10-31"))
        assert before.problem is None and before.end == D("2026-10-30")
        assert after.problem is not None and "短于最短公示期" in after.problem
        assert after.end == D("2027-04-01")

    def test_none_severity_uses_default(self):
        assert publication_end(D("2026-04-01"), None, None).end == D("2027-04-01")
        policy = PeriodPolicy(default_severity="严重")
        assert publication_end(D("2026-04-01"), None, None, policy).end == D("2029-04-01")

    def test_unknown_severity(self):
        with pytest.raises(ValueError, match="失信严重程度"):
            publication_end(D("2026-04-01"), "特别严重", None)

    def test_month_end_decision(self):
        r = publication_end(D("2026-05-31"), "一般", None)
        assert r.end == D("2027-05-31")
        assert r.earliest_end == D("2026-08-31")
        r = publication_end(D("2026-11-30"), "一般", None)
        assert r.earliest_end == D("2027-02-28")  # 3 months from 11-30: clamped


class TestMinor:
    def test_not_published_by_default_2026(self):
        r = publication_end(D("2026-04-01"), "轻微", None)
        assert r.published is False and r.end is None
        assert "原则上不予公示" in r.rule

    def test_published_when_configured(self):
        r = publication_end(D("2026-04-01"), "轻微", None, PeriodPolicy(publish_minor=True))
        assert r.published and r.end == D("2026-07-01")
        assert r.earliest_end == D("2026-04-01")

    def test_configured_stated_end_any_day_up_to_3_months(self):
        policy = PeriodPolicy(publish_minor=True)
        assert publication_end(D("2026-04-01"), "轻微", D("2026-04-01"), policy).problem is None
        assert publication_end(D("2026-04-01"), "轻微", D("2026-07-01"), policy).problem is None
        r = publication_end(D("2026-04-01"), "轻微", D("2026-07-02"), policy)
        assert "超过最长公示期" in r.problem and r.end == D("2026-07-01")
        r = publication_end(D("2026-04-01"), "轻微", D("2026-03-31"), policy)
        assert "短于最短公示期" in r.problem and r.end == D("2026-04-01")

    def test_minor_before_2026_treated_as_ordinary(self):
        r = publication_end(D("2026-03-31"), "轻微", None)
        assert r.published and r.regime == "2019"
        assert r.end == D("2027-03-31")


class TestStatedEnd:
    def test_edges_of_allowed_range(self):
        d = D("2026-04-15")
        assert publication_end(d, "一般", D("2026-07-15")).problem is None  # exactly 3 months
        assert publication_end(d, "一般", D("2027-04-15")).problem is None  # exactly 1 year
        too_short = publication_end(d, "一般", D("2026-07-14"))
        too_long = publication_end(d, "一般", D("2027-04-16"))
        assert too_short.end == D("2026-07-15") and too_long.end == D("2027-04-15")
        assert "2026-07-15 至 2027-04-15" in too_short.problem
        assert "实际为 2026-07-14" in too_short.problem
        assert "超过最长公示期" in too_long.problem and "实际为 2027-04-16" in too_long.problem

    def test_stated_end_kept_when_valid(self):
        r = publication_end(D("2026-04-15"), "一般", D("2026-12-31"))
        assert r.end == D("2026-12-31") and r.problem is None

    def test_stated_end_before_decision(self):
        r = publication_end(D("2026-04-15"), "一般", D("2026-01-01"))
        assert r.problem is not None


class TestLocalMinimum:
    def test_local_minimum_lengthens(self):
        policy = PeriodPolicy(minimum_months={"一般": 6})
        r = publication_end(D("2026-04-15"), "一般", D("2026-07-15"), policy)
        assert "短于最短公示期" in r.problem and "本地规定最短6个月" in r.problem
        assert r.end == D("2026-10-15")
        assert publication_end(D("2026-04-15"), "一般", D("2026-10-15"), policy).problem is None

    def test_local_minimum_below_legal_changes_nothing(self):
        policy = PeriodPolicy(minimum_months={"严重": 3})
        r = publication_end(D("2026-04-15"), "严重", None, policy)
        assert r.earliest_end == D("2027-04-15") and "本地" not in r.rule

    def test_default_end_stays_at_maximum(self):
        policy = PeriodPolicy(minimum_months={"一般": 6})
        assert publication_end(D("2026-04-15"), "一般", None, policy).end == D("2027-04-15")

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"minimum_months": {"特别": 3}},
            {"minimum_months": {"一般": -1}},
            {"minimum_months": {"一般": 13}},  # above the legal maximum
            {"minimum_months": {"一般": "6"}},
            {"minimum_months": {"一般": True}},
            {"default_severity": "中等"},
        ],
    )
    def test_bad_policy(self, kwargs):
        with pytest.raises(ValueError):
            PeriodPolicy(**kwargs)


class TestIsPublicOn:
    def test_edges(self):
        end = D("2027-03-31")
        assert is_public_on(D("2027-03-30"), end)
        assert is_public_on(D("2027-03-31"), end)
        assert not is_public_on(D("2027-04-01"), end)

    def test_combined_with_default_end(self):
        r = publication_end(D("2026-04-01"), "一般", None)
        assert is_public_on(D("2027-03-31"), r.end)  # day before the end
        assert is_public_on(D("2027-04-01"), r.end)  # the end day itself
        assert not is_public_on(D("2027-04-02"), r.end)  # day after
