"""readers/ocrtext.py: the OCR engine's misreadings of a blank marker and of a heading's 、 repaired,
and nothing else touched."""
from reportgen.readers.ocrtext import dash, fixed, heading


def test_a_dash_read_as_the_character_one_is_the_blank_marker():
    assert [dash(t) for t in ("一", "一一", "ー", "-", "—")] == ["—"] * 5
    assert dash("一是") == "一是" and dash("12") == "12" and dash("一一一一") == "一一一一"


def test_a_section_heading_gets_its_dropped_comma_back_in_either_script():
    assert heading("四政府信息公開行政複議行政訴訟情況") == "四、政府信息公開行政複議行政訴訟情況"
    assert heading("五存在的主要问题及改进情况") == "五、存在的主要问题及改进情况"
    assert heading("二主动公开政府信息情况") == "二、主动公开政府信息情况"


def test_other_lines_that_open_with_a_numeral_are_left_as_read():
    for text in ("三是加强队伍建设", "四、政府信息公开行政复议、行政诉讼情况", "二存在的主要问题及改进情况",
                 "一本年新收政府信息公开申请数量", "十分重视"):
        assert fixed(text) == text
