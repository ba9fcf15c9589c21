"""The 信息处理费 statement read in the wordings agencies use: split over lines, full-width
digits, Traditional script, fees charged or not."""
from decimal import Decimal

import pytest

from reportgen.editions import FEES
from reportgen.extract import _published_fees

NOTICES, AMOUNT = (c.key for c in FEES.children)


@pytest.mark.parametrize("text", [
    "本年度未收取信息处理费。",
    "本年度没有产生信息公开处理费。",
    "2023年，无收取信息处理费情况。",
    "本年度未发生收费情况。",
    "本年度未收取信息處理費。",
    "本年度没有产生信息公开\n处理费。",
])
def test_no_fee_wordings_read_as_zero(text):
    assert _published_fees(FEES, text) == {NOTICES: 0, AMOUNT: 0}


@pytest.mark.parametrize("text, notices, amount", [
    ("发出收费通知书 2 件，收费 120 元。", 2, 120),
    ("發出收費通知書2件，收費120元。", 2, 120),
    ("发出收费通知书２件，\n收取信息处理费 1.2 万元。", 2, Decimal(12000)),
    ("发出收费通知书 3 件，全年收取政府信息公开信息\n处理费３９４０元。", 3, 3940),
])
def test_charged_fee_wordings(text, notices, amount):
    assert _published_fees(FEES, text) == {NOTICES: notices, AMOUNT: amount}


@pytest.mark.parametrize("text", [
    "本年度行政事业性收费情况良好。",
    "全年收取政府信息公开信息处理费 3940 元。",  # charged, but the notices are not stated
])
def test_no_values_guessed(text):
    assert _published_fees(FEES, text) is None
