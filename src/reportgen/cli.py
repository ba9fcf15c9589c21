"""The ``reportgen`` command: argument parsing, calls into the library, messages and exit codes.

No logic lives here. Heavy imports (pydantic, python-docx, jinja2) happen inside the
commands so ``reportgen --help`` stays fast. Every ``ReportgenError`` becomes its message on
stderr and its exit code; anything else is an internal error (traceback only with ``--debug``).
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from . import __version__, clitext
from .errors import Interrupted, display_name

clitext.install()  # click's own words in Chinese

READ_FORMATS = "txt、docx、html、md、pdf、doc、wps、rtf、odt"  # readers.READERS, named without importing them
FORMATS_HELP = ("输出格式，逗号分隔：docx,txt,html,md,pdf,json，以及图解 png,svg（默认 docx,txt，或配置文件的“输出格式”）")
SCRIPT_CHOICES = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")  # script.SCRIPTS, without importing it for --help
EDITION_HELP = "版式：2021、2019 或 freeform（自由格式）；默认按报告年度"


class _State:
    debug = False


def _fail(error: Exception) -> None:
    from .errors import ReportgenError

    if _State.debug:
        raise error
    if isinstance(error, ReportgenError):
        click.echo(str(error), err=True)
        sys.exit(error.exit_code)
    click.echo(f"内部错误（internal error）：{type(error).__name__}: {error}\n"
               "请用 reportgen --debug … 重新运行以查看详细信息，并报告此问题。", err=True)
    sys.exit(3)


def _call(func, *args, **kwargs):
    """Run library code: a ReportgenError propagates (a batch reports it and goes on), Ctrl-C
    exits 130, anything else is an internal error."""
    from .errors import ReportgenError

    try:
        return func(*args, **kwargs)
    except ReportgenError:
        raise
    except KeyboardInterrupt as e:
        _interrupted(e)
    except Exception as e:  # noqa: BLE001 - every other error is ours
        _fail(e)


def _run(func, *args, **kwargs):
    """Run a single-shot command body: any error ends the command."""
    try:
        return _call(func, *args, **kwargs)
    except Exception as e:  # noqa: BLE001
        _fail(e)


def _handle_termination() -> None:
    """SIGINT, SIGTERM and SIGHUP unwind alike, so workers are stopped and nothing is left half
    done; the handler also records the signal (``Interrupted.received``)."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), Interrupted.handle)


_ARGUMENT_METAVARS = {"data_files": "数据文件...", "reports": "报告...", "inputs": "文件...", "units": "数据文件...",
                      "directory": "目录", "source": "源文件"}


class _Subcommand(click.Command):
    """A subcommand whose usage line is in Chinese too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", clitext.OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, click.Argument) and param.metavar is None and param.name in _ARGUMENT_METAVARS:
                param.metavar = _ARGUMENT_METAVARS[param.name]
            elif isinstance(param, click.Option) and param.metavar is None and not param.is_flag \
                    and not isinstance(param.type, click.Choice):
                param.metavar = clitext.OPTION_METAVARS.get(param.name) or clitext.TYPE_METAVARS.get(param.type.name)


class _Command(click.Group):
    """The top-level command: SIGTERM and SIGHUP handled like Ctrl-C from the first moment, and
    an interruption always ends with its own exit code (130, 143, 129) and a Chinese message,
    wherever it strikes (click alone would print "Aborted!" and exit 1). ``--debug`` may stand
    anywhere on the command line."""

    command_class = _Subcommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", clitext.OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", clitext.SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        _handle_termination()
        args = list(sys.argv[1:] if args is None else args)
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:  # wherever it is given, before the subcommand or after
            args = ["--debug"] + [a for a in args[:end] if a != "--debug"] + args[end:]
        try:
            try:
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click.exceptions.Abort as e:
                _interrupted(e.__cause__ if isinstance(e.__cause__, KeyboardInterrupt) else KeyboardInterrupt())
            except KeyboardInterrupt as e:
                _interrupted(e)
            except click.exceptions.ClickException as e:
                e.show()
                sys.exit(e.exit_code)
            except BrokenPipeError:  # the reader of our output went away (| head)
                sys.stderr = open(os.devnull, "w")  # noqa: SIM115
                sys.exit(1)
            sys.exit(code if isinstance(code, int) else 0)
        except (SystemExit, Exception) as e:
            # A signal whose exception Python swallowed (or turned into another error, as an
            # import interrupted half-way does) still ends the command as an interruption.
            missed = Interrupted.received()
            if missed is not None and getattr(e, "code", None) != missed.exit_code:
                _interrupted(missed)
            raise


@click.group(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 回溯信息")
def main(debug: bool) -> None:
    """reportgen：政府信息公开工作年度报告的生成与校验工具。

    \b
    常用流程：
      reportgen init -o data.yaml      生成待填写的数据文件
      reportgen validate data.yaml     检查数据与勾稽关系
      reportgen render data.yaml       生成 Word（.docx）和纯文本（.txt）报告
      reportgen parse 报告.docx -o data.yaml   把已发布的报告读回为数据文件
    """
    _State.debug = debug


def _interrupted(error: KeyboardInterrupt) -> None:
    click.echo("已中断（interrupted）：已完成的文件都已完整写出，未完成的没有写出任何内容", err=True)
    sys.exit(getattr(error, "exit_code", 130))


def _each(files, work) -> None:
    """Run ``work`` on every file; a file that fails is reported and the rest go on. Exits
    with the worst exit code at the end."""
    from .errors import ReportgenError

    failed = 0
    for path in files:
        try:
            _call(work, path)
        except ReportgenError as e:
            if _State.debug:
                raise
            click.echo(str(e), err=True)
            failed = max(failed, e.exit_code)
    if failed:
        sys.exit(failed)


def _formats(value: str) -> list[str]:
    return [f.strip().lower() for f in value.split(",") if f.strip()]


def _print_warnings(loaded) -> None:
    for w in loaded.warnings:
        click.echo(str(w), err=True)


JOBS_HELP = "并行进程数（默认：全部 CPU 核）"


def _batch(inputs, suffixes, make_job, worker, label, jobs, on_outcome=None, targets=None, force=False,
           finish=None, scheduler=None) -> None:
    """Expand ``inputs``, check every output before anything runs (``targets``: a job's output
    paths), run ``worker`` on each (in parallel), print each file's messages as it finishes,
    ``finish(files)`` once all are done (the batch's own output), a summary on a terminal or for
    more than one file, and exit with the worst code."""
    from .batch import expand, plan, run, summary, timed

    def work():
        files = expand(inputs, suffixes)
        if not files:
            from .errors import UsageError
            raise UsageError("没有找到要处理的文件")
        clock = timed()
        done = failed = 0
        worst = 0
        batch = [make_job(path, root) for path, root in files]
        for job in batch:
            job.options = {**job.options, "debug": _State.debug, "force": force}
        if targets is not None:
            for notice in plan(batch, targets, [path for path, _ in files], force):
                click.echo(notice, err=True)
        findings = 0
        for outcome in run(batch, worker, 1 if _State.debug else jobs, label, scheduler=scheduler):
            for message in outcome.messages:
                click.echo(message, err=True)
            if on_outcome is not None:
                on_outcome(outcome)
            done += outcome.ok or outcome.findings
            findings += not outcome.ok and outcome.findings
            failed += not outcome.ok and not outcome.findings
            worst = max(worst, outcome.exit_code)
        if finish is not None:
            finish([path for path, _ in files])
        if len(files) > 1 or sys.stderr.isatty():
            click.echo(summary(done, findings, failed, clock()), err=True)
        return worst

    try:
        code = _call(work)
    except KeyboardInterrupt as e:  # pragma: no cover - interactive
        _interrupted(e)
    except Exception as e:  # noqa: BLE001
        if _State.debug:
            raise
        _fail(e)
    if code:
        sys.exit(code)


@main.command()
@click.argument("data_files", nargs=-1, required=True)
@click.option("-o", "--output-dir", help="输出目录（默认与数据文件同一目录；目录输入时按原目录结构输出）；"
                                        "“-”表示输出到屏幕（txt、html、md、json）")
@click.option("-f", "--format", "formats", default=None, help=FORMATS_HELP)
@click.option("--template-dir", "template_dirs", multiple=True, help="自定义模板目录，优先于内置模板（可重复）")
@click.option("--reference-doc", help="提供样式的参考 Word 文件")
@click.option("--script", type=click.Choice(SCRIPT_CHOICES), default=None,
              help="输出文字：zh-Hans 简体、zh-Hant 繁体、zh-TW 台湾繁体、zh-HK 香港繁体（默认：数据文件的“文字”，否则简体）")
@click.option("--config", help="机关配置文件（默认使用数据文件旁的 reportgen.yaml）")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help=JOBS_HELP)
@click.option("--force", is_flag=True, help="覆盖已存在的、不是由同一数据文件生成（或生成后被修改过）的输出文件")
@click.option("--strict", is_flag=True, help="有任何警告（包括仍有“【请填写】”占位文字）即视为错误，不生成")
@click.option("--fonts", type=click.Choice(("gb2312", "windows")), default=None,
              help="Word/PDF 的字体：gb2312 用仿宋_GB2312、楷体_GB2312、方正小标宋简体（默认）；windows 用 Windows 10/11 "
                   "自带的仿宋、楷体、宋体、黑体（也可在配置文件中写“字体: windows”）")
@click.option("--pdfa", is_flag=True, help="PDF 按 PDF/A-2b 归档格式生成（嵌入全部字体，带标题、作者等元数据）")
@click.option("--previous", metavar="路径", help="上一年度的数据文件或报告：图解（png、svg 及 HTML 中所附）显示与上年相比的变化")
def render(data_files, output_dir, formats, template_dirs, reference_doc, script, config, jobs, force, strict,
           fonts, pdfa, previous) -> None:
    """根据数据文件生成年度报告。可以给出多个文件、目录或通配符。"""
    from .batch import Job, mirrored
    from .reading import DATA_SUFFIXES
    from .render import render_targets, render_worker

    _existing(template_dirs, reference_doc, config)
    if pdfa and "pdf" not in (_formats(formats) if formats else ()):
        from .errors import UsageError
        sys.exit(_usage(UsageError("--pdfa 只用于 PDF 输出：请同时给出 -f pdf（或 -f docx,pdf 等）")))
    if output_dir == "-":  # the report itself on standard output
        from .render import render_to_stdout

        if len(data_files) != 1 or os.path.isdir(data_files[0]):
            from .errors import UsageError
            sys.exit(_usage(UsageError("输出到屏幕（-o -）时只能给一个数据文件")))
        text, loaded = _run(render_to_stdout, data_files[0], _formats(formats) if formats else None,
                            tuple(template_dirs), script, config, strict, _previous(previous, 2))
        _print_warnings(loaded)
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
        return
    options = {"formats": _formats(formats) if formats else None, "template_dirs": tuple(template_dirs),
               "script": script, "config": config, "reference_doc": reference_doc, "strict": strict, "fonts": fonts,
               "pdfa": pdfa, "previous": previous}
    if previous:  # read once here (an unreadable one stops before any work); workers find it cached
        from .reading import previous_report
        _previous(previous, 2, previous_report)

    def show(outcome):
        for path in outcome.written:
            click.echo(f"已生成：{display_name(path)}")

    def targets(job):
        try:
            return list(render_targets(job.path, job.out_dir, options["formats"], config).values())
        except Exception:  # noqa: BLE001 - a file that cannot be planned fails in its worker, with its message
            return []

    _batch(data_files, DATA_SUFFIXES, lambda path, root: Job(path, mirrored(path, root, output_dir), options),
           render_worker, "生成报告", jobs, show, targets, force)


def _existing(template_dirs=(), *files) -> None:
    """Options naming files reportgen reads: there, and of the right kind (a Chinese message)."""
    from .errors import UsageError

    for d in template_dirs:
        if not os.path.isdir(d):
            raise SystemExit(_usage(UsageError(f"找不到模板目录：{d}")))
    for f in files:
        if f and not os.path.isfile(f):
            raise SystemExit(_usage(UsageError(f"找不到文件：{f}")))


def _usage(error) -> int:
    click.echo(str(error), err=True)
    return error.exit_code


@main.command()
@click.argument("reports", nargs=-1, required=True)
@click.option("-o", "--output", help="数据文件（单个报告时），或输出目录（多个报告时）；单个报告省略时输出到屏幕")
@click.option("--from", "fmt", default=None, help=f"输入格式：{READ_FORMATS}（默认按扩展名和内容判断）")
@click.option("--table", "table", default=None,
              help="把所有报告的每个单元格写成一张长表（.csv、.xlsx，装有 pyarrow 时也可 .parquet），另附每份报告一行的关键数字；"
                   "不给 -o 时不写数据文件")
@click.option("--json", "as_json", is_flag=True,
              help="以 JSON 输出到屏幕：读出的数据、每个单元格如何读出（read/blank/decoded/inferred/not found）、关键数字和警告；"
                   "不给 -o 时不写数据文件")
@click.option("--keep-script/--simplified", default=True,
              help="繁体报告读出的数据保留原文的繁体（默认，再生成时仍为繁体），或转为简体（--simplified；--table 总是简体）")
@click.option("--strict", is_flag=True, help="有任何未能读出的部分（警告）即以退出码 1 结束")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help=JOBS_HELP)
@click.option("--force", is_flag=True, help="覆盖已存在的、不是由同一报告读出（或读出后被修改过）的数据文件")
@click.option("--cache", default=None,
              help="--table 的缓存目录（默认为表旁的“表名.cache”）：按文件内容（sha256）保存已读出的行，"
                   "再次运行只读新增或改动的文件；换了 reportgen 版本则重新读取")
@click.option("--scheduler", default=None,
              help="在 Dask distributed 上读取（需 pip install 'reportgen[dask]'）：调度器地址如 tcp://host:8786，"
                   "或 local（本机启动 LocalCluster）")
def parse(reports, output, fmt, table, as_json, keep_script, strict, jobs, force, cache, scheduler) -> None:
    """把已发布的报告（txt、docx、html、md、pdf、doc、wps、rtf、odt）读回为数据文件。可以给出多个文件、目录或通配符。"""
    from .batch import Job, mirrored
    from .parse import output_target, parse_worker
    from .readers import EXTENSIONS, reader_for

    if fmt:
        _run(reader_for, fmt)
    if table:
        from .dataset import check_target
        _run(check_target, table)
        if as_json:
            from .errors import UsageError
            sys.exit(_usage(UsageError("--json 与 --table 不能同时使用")))
    single = len(reports) == 1 and os.path.lexists(reports[0]) and not os.path.isdir(reports[0])
    no_data_files = bool(table or as_json) and not output
    to_stdout = single and not output and not table and not as_json
    single_file = single and output and not Path(output).is_dir() and Path(output).suffix.lower() in (".yaml", ".yml")
    options = {"fmt": fmt, "keep_script": keep_script and not table, "strict": strict, "stdout": to_stdout,
               "single_file": output if single_file else None, "table": table, "no_data_files": no_data_files,
               "json": as_json}
    if table:
        from .table_cache import cache_dir
        options["cache"] = str(cache_dir(table, cache))
    outcomes = []

    def show(outcome):
        if table or as_json:
            outcomes.append(outcome)
        elif outcome.payload is not None:
            click.echo(outcome.payload, nl=False)
        for path in outcome.written:
            click.echo(f"已读出：{display_name(path)}", err=True)

    def targets(job):
        return [] if to_stdout or no_data_files else [output_target(job.path, job.out_dir, options["single_file"])]

    def write_table(files):
        from .outputs import commit, source_key
        from .parse import dataset_outputs

        reused = sum(1 for o in outcomes if o.reused)
        for path in commit(dataset_outputs(table, outcomes), source_key(files), [Path(f) for f in files], force):
            click.echo(f"已写出：{display_name(str(path))}（{len(outcomes)} 份报告"
                       f"{f'，其中 {reused} 份取自缓存' if reused else ''}）", err=True)

    def print_json(files):
        import json

        records = [o.payload if o.ok else {"file": o.path, "error": o.messages[0] if o.messages else "无法读取"}
                   for o in sorted(outcomes, key=lambda o: o.path) if o.payload is not None or not o.ok]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))

    _batch(reports, tuple(EXTENSIONS), lambda path, root: Job(path, None if single_file else mirrored(path, root, output), options),
           parse_worker, "读取报告", jobs, show, targets, force,
           write_table if table else print_json if as_json else None, scheduler)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--previous", help="上一年度的数据文件或报告：检查“上年结转”是否等于上年“结转下年度继续办理”")
@click.option("--unit", type=click.Choice(("department", "government")), default=None,
              help="单位类别，决定公布期限：department 部门（1月31日）、government 本级政府（3月31日）；默认按机关名称推断")
@click.option("--from", "fmt", default=None, help=f"输入格式：{READ_FORMATS}，或 data（数据文件）；默认按扩展名和内容判断")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供程序处理）")
@click.option("--fail-on", type=click.Choice(("error", "warning", "info")), default="error", show_default=True,
              help="有此级别及以上的问题时退出码为 1")
@click.option("--strict", is_flag=True, help="读取说明（未能读出、按 0 读取、OCR 等）也按其级别计入退出码")
@click.option("-v", "--verbose", is_flag=True, help="读取说明显示全文（默认每条一行）")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help=JOBS_HELP)
def check(inputs, previous, unit, fmt, as_json, fail_on, strict, verbose, jobs) -> None:
    """审核报告：法定部分和表格是否齐全、勾稽关系和合计、空白单元格、年度和公布期限、与上年的衔接。

    读取说明（文件怎样读出的：未能读出的单元格、按 0 读取的空白、OCR 等）单列，不计入报告的问题和退出码
    （--strict 时计入）。

    退出码：0 未发现问题；1 有 --fail-on 级别及以上的问题；2 有无法读取的输入。
    """
    import json

    from .batch import Job
    from .check import check_worker, format_result
    from .reading import DATA_SUFFIXES
    from .readers import EXTENSIONS, reader_for

    if fmt and fmt != "data":
        _run(reader_for, fmt)
    if previous:  # read once here (unreadable: exit 2, as for the inputs); workers find it cached
        from .reading import previous_report
        _previous(previous, 2, previous_report)
    options = {"previous": previous, "unit": unit, "fmt": fmt, "fail_on": fail_on, "strict": strict}
    results = []

    def show(outcome):
        if outcome.payload is None:
            return
        if as_json:
            results.append(outcome.payload.to_dict())
        else:
            click.echo(format_result(outcome.payload, verbose))

    try:
        _batch(inputs, DATA_SUFFIXES + tuple(EXTENSIONS), lambda path, root: Job(path, None, options),
               check_worker, "审核报告", jobs, show)
    finally:
        if as_json:
            click.echo(json.dumps(results, ensure_ascii=False, indent=2))


def _previous(path, exit_code: int, loader=None):
    """Last year's report for --previous (None when not given), read by ``loader`` (default
    ``reading.load_previous``); unreadable: its message, then ``exit_code``."""
    from .errors import ReportgenError

    if not path:
        return None
    from .reading import load_previous

    try:
        return _call(loader or load_previous, path)
    except ReportgenError as e:
        if _State.debug:
            raise
        click.echo(f"上一年度报告无法使用：{e}", err=True)
        sys.exit(exit_code)


@main.command()
@click.argument("data_files", nargs=-1, required=True)
@click.option("--previous", help="上一年度的数据文件或报告：检查本年“上年结转”是否等于上年“结转下年度继续办理”")
@click.option("--config", help="机关配置文件（默认使用数据文件旁的 reportgen.yaml）")
@click.option("--strict", is_flag=True, help="有任何警告（包括仍有“【请填写】”占位文字）即视为错误，退出码 1")
def validate(data_files, previous, config, strict) -> None:
    """校验数据文件：类型、非负整数、勾稽关系与合计。全部问题一次列出。可以给出多个文件、目录或通配符。"""
    from .batch import expand
    from .config import profile_for
    from .errors import ValidationFailed
    from .loader import strict_errors, validate_file
    from .reading import DATA_SUFFIXES

    _existing((), config)
    last = _previous(previous, 1)
    files = _run(expand, data_files, DATA_SUFFIXES)
    if not files:
        from .errors import UsageError
        sys.exit(_usage(UsageError("没有找到要校验的数据文件（.yaml、.xlsx）")))

    def one(data_file):
        loaded = validate_file(data_file, profile_for(data_file, config), last)
        if strict and loaded.warnings:
            raise ValidationFailed(strict_errors(loaded.warnings), data_file)
        _print_warnings(loaded)
        suffix = f"（{len(loaded.warnings)} 条警告）" if loaded.warnings else ""
        click.echo(f"{display_name(data_file)}：校验通过{suffix}")

    _each([path for path, _ in files], one)


@main.command()
@click.option("-o", "--output", default="data.yaml", show_default=True,
              help="要生成的数据文件：.yaml（或 .yml）为 YAML 数据文件，.xlsx 为 Excel 填报工作簿")
@click.option("--agency", help="机关名称")
@click.option("--year", type=int, help="报告年度（默认为上一年）")
@click.option("--edition", default=None, help=EDITION_HELP)
@click.option("--from", "previous",
              help="从上一年度的数据文件或已发布的报告开始：沿用机关信息和各部分结构，数字清零，“上年结转”取上年“结转下年度”")
@click.option("--xlsx", is_flag=True, help="生成 Excel 填报工作簿（.xlsx）而不是 YAML 数据文件")
@click.option("--force", is_flag=True, help="覆盖已存在的文件")
def init(output, agency, year, edition, previous, xlsx, force) -> None:
    """生成一个待填写的数据文件（每个表格行为 0，并注明官方名称），同时写出 JSON Schema 供编辑器补全；
    或用 --xlsx（或 -o 数据.xlsx）生成 Excel 填报工作簿。"""
    from .errors import OutputError
    from .nextyear import next_year_files
    from .outputs import commit
    from .scaffold import new_data_file, scaffold_files

    def work():
        target, workbook = new_data_file(output, xlsx)
        if os.path.lexists(target) and not force:  # a data file is the clerk's own: never replaced unasked
            raise OutputError("文件已存在；如要覆盖请加 --force", str(target))
        plan = target.with_suffix(".yaml") if workbook else target
        told: list[str] = []
        files = next_year_files(previous, plan, year, agency, told) if previous else \
            scaffold_files(plan, _edition(edition), agency, year)
        if workbook:
            from .convert import workbook_of_yaml
            files = {target: workbook_of_yaml(files[plan].decode("utf-8"), str(target))}
            commit(files, "init", [Path(previous)] if previous else [], force)
            for line in told:
                click.echo(line, err=True)
            click.echo(f"已生成：{display_name(target)}（Excel 填报工作簿：填写后运行 reportgen validate {display_name(target)}）")
            return
        commit(files, "init", [Path(previous)] if previous else [], force)
        for line in told:
            click.echo(line, err=True)
        schema = next(p for p in files if p != plan)
        click.echo(f"已生成：{display_name(plan)}（及 {display_name(schema)}）")
        click.echo(f"填写后运行：reportgen validate {display_name(target)}")

    _run(work)


def _edition(name: str | None) -> str | None:
    """The edition id an --edition option names (None: by the year)."""
    if not name:
        return None
    from .editions import EDITION_NAMES
    from .errors import UsageError

    if name not in EDITION_NAMES:
        raise UsageError(f"未知的版式“{name}”；可用：{'、'.join(EDITION_NAMES)}")
    return EDITION_NAMES[name]


@main.command()
@click.argument("source")
@click.option("-o", "--output", required=True, help="目标文件：.xlsx（Excel 填报工作簿）或 .yaml（数据文件）；"
              "源文件可以是 .yaml、.yml、.xlsx 或 .xlsm（宏不会运行）")
@click.option("--force", is_flag=True, help="覆盖已存在的、不是由同一文件转换（或转换后被修改过）的目标文件")
def convert(source, output, force) -> None:
    """在 YAML 数据文件和 Excel 填报工作簿之间转换（如 reportgen convert 2024.yaml -o 2024.xlsx）。"""
    from .convert import convert_file

    _existing((), source)
    written, loaded = _run(convert_file, source, output, force)
    _print_warnings(loaded)
    click.echo(f"已生成：{display_name(str(written))}")


@main.command()
@click.option("--data", "data_dir", default="年报数据", show_default=True, help="数据目录（存放数据库；首次启动时创建）")
@click.option("--database", default=None, help="数据库地址，如 postgresql://用户@主机/库名（默认：数据目录中的 SQLite）")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；局域网内使用时写 0.0.0.0")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--backup", "backup_file", default=None, help="不启动服务，把数据库的一致快照写入此文件后退出")
@click.option("--restore", "restore_file", default=None, help="不启动服务，把备份文件恢复到（空的）数据目录后退出")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="工作进程数（默认：CPU 核数，最多 4）")
@click.option("--timezone", "zone", default="Asia/Shanghai", show_default=True, help="页面上显示时间所用的时区")
@click.option("--smtp", default=None, help="发送通知邮件的服务器（不设置则不发邮件），例如 smtp://用户:密码@主机:587")
@click.option("--mail-from", default=None, help="通知邮件的发件地址")
@click.option("--trusted-proxy", "proxies", multiple=True,
              help="前置反向代理的地址（可重复）：只有来自它的 X-Forwarded-For 才用于登录限流")
def serve(data_dir, database, host, port, backup_file, restore_file, workers, zone, smtp, mail_from, proxies) -> None:
    """启动年报填报系统（网页）：各单位在线填报，政务公开办审核、退回、汇总。需要 pip install 'reportgen[server]'。"""
    try:
        import uvicorn

        from .server import app as _app  # noqa: F401  (the web stack: starlette, jinja2)
        from .server import store
        from .server.db import open_database
    except ImportError:
        from .errors import UsageError
        sys.exit(_usage(UsageError("需要安装服务端组件：pip install 'reportgen[server]'")))
    if not database:
        try:
            Path(data_dir).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            from .errors import InputError
            _fail(InputError(f"无法创建数据目录：{e.strerror}", data_dir))
    engine = _run(open_database, data_dir, database)
    if backup_file:
        from .outputs import commit
        _run(commit, {Path(backup_file): store.backup(engine)}, "serve-backup", [], False)
        click.echo(f"已备份：{backup_file}")
        return
    if restore_file:
        from .errors import InputError, os_reason
        try:
            store.restore(engine, Path(restore_file).read_bytes())
        except OSError as e:
            _fail(InputError(f"无法读取备份文件：{os_reason(e)}", restore_file))
        except ValueError as e:
            _fail(InputError(f"无法恢复：{e}", restore_file))
        click.echo(f"已恢复到 {data_dir}（登录会话不随备份恢复，请各用户重新登录）")
        broken = store.unreadable_versions(engine)
        if broken:  # the office hears of it now, not from a clerk's page
            click.echo(f"注意：备份中有 {len(broken)} 个报告版本无法读取（可能被改动过），打开报告时可恢复较早的版本：", err=True)
            for line in broken[:20]:
                click.echo(f"  {line}", err=True)
            if len(broken) > 20:
                click.echo(f"  ……另有 {len(broken) - 20} 个", err=True)
        return
    with engine.begin() as conn:
        password = store.ensure_admin(conn)
    if password:
        click.echo(f"已创建管理员账号 admin，初始密码：{password}（只显示这一次，请妥善保管）")
    from .server.app import DATABASE_ENV
    from .server.views.base import ZONE_ENV
    try:
        from zoneinfo import ZoneInfo
        ZoneInfo(zone)
    except (ValueError, LookupError, OSError):  # ZoneInfoNotFoundError is a LookupError
        from .errors import UsageError
        sys.exit(_usage(UsageError(f"不认识的时区：{zone}（例如 Asia/Shanghai）")))
    os.environ[ZONE_ENV] = zone
    from .server.views.base import PROXIES_ENV
    os.environ[PROXIES_ENV] = ",".join(p.strip() for p in proxies if p.strip())
    if smtp:
        from .server.mail import FROM_ENV, SMTP_ENV, Mailer
        try:
            Mailer.parse(smtp, mail_from or "")
        except ValueError as e:
            from .errors import UsageError
            sys.exit(_usage(UsageError(str(e))))
        os.environ[SMTP_ENV], os.environ[FROM_ENV] = smtp, mail_from
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = workers or min(4, usable)  # the cores this process may use (taskset, a container's CPU set)
    os.environ[DATABASE_ENV] = engine.url.render_as_string(hide_password=False)  # the URL opened above
    click.echo(f"年报填报系统：http://{host}:{port}/  （{workers} 个工作进程；按 Ctrl-C 停止）")
    # X-Forwarded-For/-Proto believed only from the proxies named (uvicorn would trust loopback's by
    # default, and anyone on the machine could get around the login throttle with the header)
    trusted = [p.strip() for p in proxies if p.strip()]
    uvicorn.run("reportgen.server.app:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning", proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None)


@main.command()
@click.option("-o", "--output", help="写入文件（默认输出到屏幕）")
@click.option("--edition", default=None, help="版式：2021、2019 或 freeform（默认最新版式）")
def schema(output, edition) -> None:
    """输出数据文件的 JSON Schema。"""
    from .outputs import write_new
    from .schema import schema_text

    def work():
        text = schema_text(_edition(edition))
        if output:
            write_new(Path(output), text.encode("utf-8"), "schema")
        else:
            click.echo(text, nl=False)

    _run(work)


@main.command()
@click.argument("units", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="汇总数据文件")
@click.option("--agency", help="本级政府的名称（汇总报告的机关名称）")
@click.option("--force", is_flag=True, help="覆盖已存在的文件")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help=JOBS_HELP)
def aggregate(units, output, agency, force, jobs) -> None:
    """把下级单位的数据文件汇总为本级政府的汇总数据（统计表逐格相加，合计重新计算并校验）。可以给出目录或通配符。
    所有单位都会检查：有单位不能汇总时逐一列出，不写出汇总数据。"""
    from .aggregate import aggregate as roll_up, unit_figures, write_summary
    from .batch import expand
    from .errors import OutputError
    from .reading import DATA_SUFFIXES

    def work():
        files = [path for path, _ in expand(units, DATA_SUFFIXES)]
        if os.path.lexists(output) and not force:  # the summary is a data file to edit: never replaced unasked
            raise OutputError("文件已存在；如要覆盖请加 --force", output)
        data, summary = roll_up(files, agency, jobs, _State.debug)
        write_summary(data, output, files, force, summary.edition)
        figures = unit_figures(summary)
        shown = "，".join(f"{k} {v} 件" for k, v in list(figures.items())[1:4])
        click.echo(f"已汇总 {len(files)} 个单位（{summary.report.year} 年度，{summary.edition.short_name()}）到 "
                   f"{display_name(output)}：{shown}")

    _run(work)


@main.group()
def templates() -> None:
    """内置模板：导出后按本机关的需要修改。"""


@templates.command("export")
@click.argument("directory")
@click.option("--force", is_flag=True, help="覆盖目录中已有的同名文件")
def templates_export(directory, force) -> None:
    """把内置模板、默认参考样式文件 reference.docx 和说明 GUIDE.md 导出到 DIRECTORY。"""
    from .export import export_templates

    def work():
        written = export_templates(directory, force)
        click.echo(f"已导出 {len(written)} 个文件到 {directory}（说明见 {Path(directory) / 'GUIDE.md'}）")
        click.echo(f"修改后使用：reportgen render data.yaml --template-dir {directory} "
                   f"--reference-doc {Path(directory) / 'reference.docx'}")

    _run(work)


if __name__ == "__main__":  # pragma: no cover
    main()
