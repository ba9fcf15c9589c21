"""Validation: types, counts, unknown keys, the 勾稽 rule and the derived sums — each error in
Chinese, naming file, key path, line, and for arithmetic the row, column, expected and found."""
from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.errors import InputError, ValidationFailed
from reportgen.loader import load_report

T3 = "收到和处理政府信息公开申请情况"
T4 = "政府信息公开行政复议、行政诉讼情况"
T2 = "主动公开政府信息情况"


def problems(path) -> list:
    with pytest.raises(ValidationFailed) as info:
        load_report(str(path))
    return info.value.problems


def only_error(path):
    found = [p for p in problems(path) if p.severity == "error"]
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_example_is_valid_and_totals_are_computed(loaded):
    cells = loaded.cells("applications")
    assert cells[("办理结果.总计", "自然人")] == 124
    assert cells[("办理结果.总计", "总计")] == 152
    assert cells[("办理结果.不予公开.属于国家秘密", "总计")] == 0
    assert loaded.cells("proactive")[("行政事业性收费", "本年收费金额")] == Decimal("356.40")
    assert loaded.warnings == []


def test_official_balance_rule_names_column_and_values(data, write_yaml):
    data[T3]["结转下年度"]["自然人"] = 10
    data[T3]["结转下年度"]["总计"] = 12  # the row stays consistent: the balance breaks in two columns
    found = problems(write_yaml(data))
    assert [p.place for p in found] == ["表三 自然人", "表三 总计"]
    err = found[0]
    text = str(err)
    assert "勾稽关系不符" in text and "表三 自然人：" in text
    assert "一、本年新收政府信息公开申请数量（126）" in text and "二、上年结转政府信息公开申请数量（7）" in text
    assert "= 133" in text and "四、结转下年度继续办理（10）" in text and "= 134" in text
    assert err.path == (T3, "本年新收", "自然人")
    assert err.file.endswith("data.yaml") and err.line is not None
    assert text.startswith(f"{err.file}:{err.line}: 错误: ")


def test_total_column_rule_names_row_and_values(data, write_yaml):
    data[T3]["本年新收"]["总计"] = 150
    err = only_error(write_yaml(data))
    assert "表三 “一、本年新收政府信息公开申请数量” 总计：填写为 150" in str(err) and "之和为 155" in str(err)
    assert len(str(err).split(": ", 1)[1]) <= 200  # one short line
    assert err.path == (T3, "本年新收", "总计")


def test_result_total_row_rule(data, write_yaml):
    data[T3]["办理结果"]["总计"] = {"自然人": 120}
    err = only_error(write_yaml(data))
    assert "表三 “（七）总计” 自然人：填写为 120，但（一）予以公开至（六）其他处理 3.其他共 21 项之和为 124" in str(err)
    assert len(str(err).split(": ", 1)[1]) <= 200  # one short line with the two sums, not 21 row names
    assert err.path == (T3, "办理结果", "总计", "自然人")


@pytest.mark.parametrize("group", ["行政复议", "未经复议直接起诉", "复议后起诉"])
def test_reviews_group_totals(data, write_yaml, group):
    data[T4][group]["总计"] += 1
    err = only_error(write_yaml(data))
    assert f"表四 {group}·总计：" in str(err)
    assert err.path == (T4, group, "总计")


def test_all_errors_at_once(data, write_yaml):
    data[T3]["本年新收"]["总计"] = 1
    data[T4]["行政复议"]["总计"] = 99
    data[T2]["行政许可"] = -1
    data[T2]["行政处罚"] = 1.5
    data["机关名称2"] = "x"
    found = problems(write_yaml(data))
    # type errors are reported together (arithmetic runs once the types are right)
    messages = "\n".join(map(str, found))
    assert "不能为负数" in messages and "不能有小数" in messages and "未知的键" in messages


def test_arithmetic_errors_all_reported(data, write_yaml):
    data[T3]["本年新收"]["总计"] = 1
    data[T4]["行政复议"]["总计"] = 99
    found = problems(write_yaml(data))
    assert len(found) >= 2


def test_negative_count(data, write_yaml):
    data[T3]["办理结果"]["予以公开"]["自然人"] = -3
    err = only_error(write_yaml(data))
    assert "不能为负数，实际为 -3" in str(err)
    assert err.path == (T3, "办理结果", "予以公开", "自然人")
    assert err.line is not None


def test_fractional_count(write_yaml, data):
    text = write_yaml(data).read_text("utf-8").replace("行政许可: 12876", "行政许可: 12876.5")
    err = only_error(write_yaml(text))
    assert "应为整数（件数不能有小数），实际为 12876.5" in str(err)


def test_wrong_type(data, write_yaml):
    data[T3]["本年新收"]["自然人"] = "很多"
    err = only_error(write_yaml(data))
    assert "应为整数" in str(err) and "很多" in str(err)


def test_boolean_is_not_a_count(data, write_yaml):
    data[T2]["行政许可"] = True
    assert "应为整数" in str(only_error(write_yaml(data)))


def test_unknown_key_lists_the_allowed_keys(data, write_yaml):
    data[T3]["本年新收"]["自然人士"] = data[T3]["本年新收"].pop("自然人")
    found = problems(write_yaml(data))
    text = "\n".join(map(str, found))
    assert "自然人士：未知的键" in text and "此处可用的键：自然人、商业企业" in text


def test_missing_required_fields(data, write_yaml):
    del data["机关名称"]
    del data[T4]
    text = "\n".join(map(str, problems(write_yaml(data))))
    assert "机关名称：缺少必填项" in text and f"{T4}：缺少必填项" in text


def test_control_characters_are_rejected(data, write_yaml):
    data["总体情况"]["主动公开"] = "第一段\x07响铃"
    err = only_error(write_yaml(data))
    assert "控制字符 U+0007" in str(err)
    assert err.path[:2] == ("总体情况", "主动公开")


def test_row_shortcuts(data, write_yaml):
    data[T3]["本年新收"] = [126, 18, 1, 2, 5, 3]
    data[T3]["办理结果"]["不予公开"]["属于国家秘密"] = 0
    loaded = load_report(str(write_yaml(data)))
    assert loaded.cells("applications")[("本年新收", "总计")] == 155
    data[T3]["本年新收"] = [1, 2]
    assert "应有 6 或 7 个数" in str(only_error(write_yaml(data)))


def test_english_aliases_are_accepted(data, write_yaml):
    data["agency"] = data.pop("机关名称")
    data["year"] = data.pop("报告年度")
    assert load_report(str(write_yaml(data))).report.agency == "云溪市市场监督管理局"


def test_money_keeps_the_decimals_given(data, write_yaml):
    text = write_yaml(data).read_text("utf-8").replace("行政事业性收费: 356.40", "行政事业性收费: 12.300")
    loaded = load_report(str(write_yaml(text)))
    assert str(loaded.cells("proactive")[("行政事业性收费", "本年收费金额")]) == "12.300"


def test_malformed_yaml_names_the_line(write_yaml):
    with pytest.raises(InputError) as info:
        load_report(str(write_yaml("机关名称: x\n报告年度: [2023\n")))
    assert str(info.value).endswith(":2: 第 2 行：方括号“[ ]”没有闭合")  # where the bracket opened


def test_duplicate_keys_are_an_error(write_yaml):
    with pytest.raises(InputError) as info:
        load_report(str(write_yaml("机关名称: a\n机关名称: b\n")))
    assert "重复" in str(info.value) and ":2" in str(info.value)


def test_alias_bomb_is_refused(write_yaml):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    with pytest.raises(InputError) as info:
        load_report(str(write_yaml(bomb)))
    assert "别名炸弹" in str(info.value)


def test_gbk_is_read_with_a_notice_and_undecodable_bytes_are_refused(tmp_path, data, write_yaml):
    text = write_yaml(data).read_text("utf-8")
    path = tmp_path / "gbk.yaml"
    path.write_bytes(text.encode("gbk"))  # Notepad's "ANSI" on a Chinese Windows
    loaded = load_report(str(path))
    assert any(w.code == "encoding" and "GBK" in w.message for w in loaded.warnings)
    path.write_bytes("机关名称: ".encode("utf-8") + b"\xff\xfe\x80\n")
    with pytest.raises(InputError) as info:
        load_report(str(path))
    assert "UTF-8 或 GBK" in str(info.value)


def test_tables_of_another_edition_say_which(data, write_yaml):
    # 2021 tables in a report on 2020, edition inferred from the year: one error naming both editions
    data["报告年度"] = 2020
    del data["版式"]
    err = only_error(write_yaml(data))
    text = str(err)
    assert "属于2021 年版格式（国办公开办函〔2021〕30号）" in text
    assert "按报告年度推断为2019 年版格式" in text
    assert "本年制发件数" in text and "逾期不补正" in text
    assert err.path[0] == T2 and err.line


def test_stated_edition_that_disagrees_with_the_year_warns(data, write_yaml):
    data["报告年度"] = 2020  # 2021 tables, 版式 2021 stated: valid, with a warning
    loaded = load_report(str(write_yaml(data)))
    assert any("与报告年度 2020 不符" in str(w) for w in loaded.warnings)


def test_unknown_edition_name(data, write_yaml):
    data["版式"] = "2017"
    err = only_error(write_yaml(data))
    assert "未知的版式“2017”" in str(err)


def test_placeholders_warn(write_yaml):
    from reportgen.scaffold import scaffold

    loaded = load_report(str(write_yaml(scaffold(year=2023))))
    assert any("占位文字" in str(w) for w in loaded.warnings)


def test_edition_may_be_written_as_a_number(data, write_yaml):
    text = write_yaml(data).read_text("utf-8")
    assert "版式: '2021'" in text
    loaded = load_report(str(write_yaml(text.replace("版式: '2021'", "版式: 2021"))))
    assert loaded.report.edition == "2021" and loaded.edition.id == "2021"


@pytest.mark.parametrize("title,message", [
    ("某局\n报告", "应为一行文字，不能换行"),
    (["某局", "报告\u2029x"], "应为一行文字，不能换行"),
    (2023, "应为文字或列表，实际为 2023"),
    (True, "应为文字或列表，实际为 true（是/否）"),
    ({"a": 1}, "应为文字或列表，实际为 一组键值"),
    (["一", "二", "三", "四", "五"], "项目过多：最多 4 项，实际为 5 项"),
    ("长" * 600, "文字过长：600 个字符，最多 500 个"),
])
def test_a_title_of_either_kind_gets_one_message_at_its_key(data, write_yaml, title, message):
    """标题 is a line or a list of lines: an error says what is wrong with the kind written (or
    names both kinds), once, at 标题 itself (or its line), never pydantic's branch names."""
    data["标题"] = title
    found = [p for p in problems(write_yaml(data)) if p.severity == "error"]
    assert len(found) == 1 and message in found[0].message, [str(p) for p in found]
    assert found[0].path[0] == "标题" and all(isinstance(k, int) for k in found[0].path[1:]), found[0].path
    assert "function" not in str(found[0]) and "list[" not in str(found[0])


def test_values_are_shown_as_written_not_as_python_reprs(data, write_yaml):
    data["发布日期"] = "2024-13-45"
    data["报告年度"] = "二〇二三"
    text = "\n".join(str(p) for p in problems(write_yaml(data)))
    assert "实际为 “2024-13-45”" in text and "'" not in text
    assert "应为整数（用阿拉伯数字填写，不加引号），实际为 “二〇二三”" in text
