"""The command line: ``budget report`` and ``budget validate`` (contract §2).

The library raises narrow exceptions; this module turns them into Swedish
messages and exit codes: 0 done, 1 errors in the inputs, 2 wrong usage.
"""

from __future__ import annotations

import gettext
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.table import Table as RichTable

if TYPE_CHECKING:
    from rich.table import Table

    from budget.app.pipeline import Validation
    from budget.app.samla import Collection, ReturnsRefused

from budget import __version__
from budget.core import fmt
from budget.core.names import printable, unshowable
from budget.core.period import Tertial
from budget.diagnostics import (
    BudgetError,
    Diagnostic,
    InputErrors,
    OutputError,
    errors,
    warnings,
)

SHOWN = 200

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _period(period: int | None, tertial: str | None) -> int | None:
    if period is not None and tertial is not None:
        raise click.UsageError("Ange antingen --period eller --tertial, inte båda.")
    if tertial is not None:
        parsed = Tertial.parse(tertial)
        if parsed is None:
            raise click.BadParameter(
                f"{tertial!r}; ange T1, T2 eller helar", param_hint="--tertial"
            )
        return parsed.month
    return period


def _clock(value: str | None) -> datetime:
    """The injected clock: --generated-at, else SOURCE_DATE_EPOCH, else now."""
    if value:
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError as exc:
            raise click.BadParameter(
                "ska vara en tidpunkt som 2017-09-12T10:00", param_hint="--generated-at"
            ) from exc
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isascii() and epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise click.UsageError(
                f"SOURCE_DATE_EPOCH={epoch} är ingen tidpunkt; ange sekunder sedan 1970"
            ) from exc
    return datetime.now(tz=UTC).replace(microsecond=0)


def _print_diagnostics(diags: list[Diagnostic]) -> None:
    errs, warns = errors(diags), warnings(diags)
    for d in (errs + warns)[:SHOWN]:
        style = "red" if d in errs else "yellow"
        err.print(d.text(), style=style, markup=False)
    rest = len(errs) + len(warns) - SHOWN
    if rest > 0:
        err.print(
            f"… och {rest} meddelanden till (budget validate --json visar alla).", markup=False
        )


class _Shown:
    """Progress on the terminal (stderr): the stage that runs and each file being read,
    with the time so far. Nothing when stderr is no terminal or under --quiet."""

    def __init__(self, quiet: bool) -> None:
        from budget.core.steps import Steps

        self.steps = Steps(time.perf_counter)
        self._progress: Any = None
        self._tasks: dict[tuple[str, str], Any] = {}
        if quiet or not err.is_terminal:
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.steps.listener = self._event

    def _event(self, event: str, what: str, key: str) -> None:
        from budget.core.steps import STAGES

        progress = self._progress
        if event == "start":
            text = f"{STAGES[key]} …" if what == "stage" else f"  läser {key}"
            self._tasks[(what, key)] = progress.add_task(text, total=None)
            progress.refresh()  # shown now, however short the step
        elif (what, key) in self._tasks:
            progress.remove_task(self._tasks.pop((what, key)))

    def __enter__(self) -> _Shown:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


quiet_option = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Visa inga förloppsrader medan filerna läses och skrivs.",
)


def _previous_file(path: Path | None) -> None:
    if path is not None:
        _existing_file(path, "--previous")


def _existing_file(path: Path, hint: str) -> None:
    """A file to read: a usable name, there, and no folder."""
    _showable(path, hint)
    if not path.is_file():
        what = "är en mapp, inte en fil" if path.is_dir() else "finns inte"
        raise click.BadParameter(f"{path} {what}", param_hint=hint)


def _existing_folder(path: Path, hint: str, missing: str = "") -> Path:
    """A folder to read: a usable name, and a folder (``missing``: what to do if not)."""
    _showable(path, hint)
    if not path.is_dir():
        what = "är en fil, inte en mapp" if path.exists() else "finns inte"
        raise click.BadParameter(f"{path} {what}{missing}", param_hint=hint)
    return path


def _showable(path: Path, hint: str) -> None:
    """A path to read must have a name the readers and messages can use: no bytes that
    are no UTF-8, no control characters (the readers cannot open such a path)."""
    text = str(path)
    if unshowable(text):
        raise click.BadParameter(
            f"{printable(text)} har styrtecken eller tecken som inte är UTF-8 i namnet; "
            "döp om mappen eller filen (de visas här som \\x…)",
            param_hint=hint,
        )


def _fail(exc: InputErrors, what: str, nothing_written: str) -> NoReturn:
    """Every diagnostic, then the count and what was not written; exit 1."""
    _print_diagnostics(exc.diagnostics)
    n = len(errors(exc.diagnostics))
    err.print(f"{what}: {n} fel. {nothing_written}", style="bold red", markup=False)
    sys.exit(1)


def _inputs_dir(path: Path) -> Path:
    return _existing_folder(path, "INDATAMAPP")


def _month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit() or not 1 <= int(value) <= 12:
        raise click.BadParameter(f"{value!r} är ingen månad; ange 1–12", param_hint="--period")
    return int(value)


def _year(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    if not value.strip().isascii() or not value.strip().isdigit():
        raise click.BadParameter(f"{value!r} är inget årtal; ange t.ex. 2027", param_hint="--ar")
    return int(value)


period_option = click.option(
    "--period",
    default=None,
    callback=_month,
    metavar="1-12",
    help="Rapportmånad 1–12 (standard: senaste månad med utfall).",
)
tertial_option = click.option(
    "--tertial",
    default=None,
    metavar="T1|T2|helar",
    help="T1 = jan–apr, T2 = jan–aug, helar = helår.",
)


F = TypeVar("F", bound=Callable[..., Any])


def period_options(fn: F) -> F:
    """--period and --tertial, the two ways to name the report month (``_period``)."""
    return period_option(tertial_option(fn))


def path_option(
    flag: str, dest: str, metavar: str, help: str, default: Path | None = None
) -> Callable[[F], F]:
    """An option naming a file or folder: checked by the command, never opened by click."""
    return click.option(
        flag,
        dest,
        type=click.Path(path_type=Path, readable=False),
        default=default,
        metavar=metavar,
        help=help,
    )


def path_argument(name: str, metavar: str, required: bool = True) -> Callable[[F], F]:
    """An argument naming a file or folder: checked by the command, never opened by click."""
    return click.argument(
        name,
        type=click.Path(path_type=Path, readable=False),
        metavar=metavar if required else f"[{metavar}]",
        required=required,
    )


def _out_folder(path: Path, hint: str = "--out") -> None:
    """A folder to write into may be missing (it is made), never a file."""
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"{path} är en fil, inte en mapp", param_hint=hint)


def generated_at_option(what: str) -> Callable[[F], F]:
    """--generated-at: the injected clock, written into ``what``."""
    return click.option(
        "--generated-at",
        default=None,
        metavar="TIDPUNKT",
        help=f"Tidpunkt som anges i {what} (ISO 8601); samma indata och tidpunkt "
        "ger byte-identiska filer.",
    )


class SwedishRange(click.IntRange):
    """A whole-number range as Swedish help and messages show it: 1–1 000 000, 1990–2100
    (grouped from five digits, as Swedish writes years and four-digit numbers; click's own
    is 1<=x<=1000000, in no language)."""

    def _describe_range(self) -> str:
        def shown(value: float | None) -> str:
            if value is None:
                return ""
            return fmt.number(value) if abs(value) >= 10_000 else str(value)

        return f"{shown(self.min)}–{shown(self.max)}"


class SwedishHelp:
    """click's help scaffolding (Usage, Options, Commands) in Swedish, like everything else."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Användning: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params = self.get_params(ctx)  # type: ignore[attr-defined]
        records = [
            r for p in params if isinstance(p, click.Option) and (r := p.get_help_record(ctx))
        ]
        if records:
            with formatter.section("Flaggor"):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            commands = [
                (name, cmd.get_short_help_str(formatter.width))
                for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden
            ]
            if commands:
                with formatter.section("Kommandon"):
                    formatter.write_dl(commands)


class SwedishCommand(SwedishHelp, click.Command):
    pass


class SwedishGroup(SwedishHelp, click.Group):
    command_class = SwedishCommand


HELP = {"help": "Visa den här hjälpen och avsluta."}


@click.group(
    cls=SwedishGroup,
    add_help_option=False,
    options_metavar="[FLAGGOR]",
    subcommand_metavar="KOMMANDO [ARGUMENT]...",
)
@click.help_option("-h", "--help", **HELP)
@click.version_option(
    __version__,
    prog_name="budget",
    message="%(prog)s %(version)s",
    help="Visa versionen och avsluta.",
)
def cli() -> None:
    """Budgetuppföljning och tertialrapporter för stadsdelsnämnder."""


def command(fn: Callable[..., None]) -> click.Command:
    """A subcommand with the Swedish -h/--help and the options shown as [FLAGGOR]."""
    with_help = click.help_option("-h", "--help", **HELP)(fn)
    return cli.command(add_help_option=False, options_metavar="[FLAGGOR]")(with_help)


def inputs_command(fn: Callable[..., None]) -> click.Command:
    """A subcommand on an inputs folder: its first argument INDATAMAPP."""
    return command(path_argument("inputs_dir", "INDATAMAPP")(fn))


@inputs_command
@period_options
@path_option(
    "--out",
    "out_dir",
    "MAPP",
    "Mapp för rapportfilerna (standard: reports).",
    default=Path("reports"),
)
@generated_at_option("rapporten")
@click.option("--cdn", is_flag=True, help="Länka plotly.js från nätet i stället för att bädda in.")
@path_option(
    "--previous",
    "previous_path",
    "FIL",
    "Föregående rapports JSON, för prognosförändringen (standard: senaste tidigare "
    "rapport i --out).",
)
@click.option(
    "--huvudbok",
    "ledgers",
    is_flag=True,
    help="Skriv också den kontrollerade huvudboken som Parquet för stadens sammanställning "
    "(--out/huvudbok/<nämnd>-<år>.parquet, bara när raderna har ändrats).",
)
@quiet_option
def report(
    inputs_dir: Path,
    period: int | None,
    tertial: str | None,
    out_dir: Path,
    generated_at: str | None,
    cdn: bool,
    previous_path: Path | None,
    ledgers: bool,
    quiet: bool,
) -> None:
    """Skapa rapporten (HTML, JSON, Excel, begäran och Word) för en indatamapp."""
    from budget.app.pipeline import make_report

    folder = _inputs_dir(inputs_dir)
    month = _period(period, tertial)
    stamp = _clock(generated_at)
    try:
        _previous_file(previous_path)
        _out_folder(out_dir)
        try:
            with _Shown(quiet) as shown:
                result = make_report(
                    folder,
                    month,
                    out_dir,
                    stamp,
                    cdn=cdn,
                    previous_path=previous_path,
                    steps=shown.steps,
                    ledgers=ledgers,
                )
        except OutputError as exc:
            raise click.BadParameter(str(exc), param_hint="--out") from exc
    except InputErrors as exc:
        _fail(exc, "Fel i indata", "Ingen rapport skrevs.")
    _print_diagnostics(list(result.report.warnings))
    for path in result.paths:
        out.print(f"Skrev {path}", markup=False)
    t = result.report.total
    from budget.core import fmt

    out.print(
        f"{result.report.title}: prognos {fmt.money_with_unit(t.forecast.net)}, "
        f"avvikelse {fmt.money_with_unit(t.variance.net, signed=True)} "
        "(+ = överskott).",
        markup=False,
    )


@inputs_command
@period_options
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@path_option(
    "--previous",
    "previous_path",
    "FIL",
    "Föregående rapports JSON, som också kontrolleras.",
)
@quiet_option
def validate(
    inputs_dir: Path,
    period: int | None,
    tertial: str | None,
    as_json: bool,
    previous_path: Path | None,
    quiet: bool,
) -> None:
    """Kontrollera indata och visa en sammanfattning per fil och avstämningen."""
    from budget.app.pipeline import validate_folder

    folder = _inputs_dir(inputs_dir)
    _previous_file(previous_path)
    month = _period(period, tertial)
    with _Shown(quiet) as shown:
        result = validate_folder(folder, month, previous_path, steps=shown.steps)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_validation(result, out)
        _print_diagnostics(result.diagnostics)
    sys.exit(1 if errors(result.diagnostics) else 0)


@inputs_command
@period_options
@path_option(
    "--out",
    "out_file",
    "FIL",
    "Mallens fil (standard: analys.docx i indatamappen; skrivs aldrig över).",
)
@quiet_option
def analysmall(
    inputs_dir: Path, period: int | None, tertial: str | None, out_file: Path | None, quiet: bool
) -> None:
    """Skriv en förifylld analys.docx: en rubrik per verksamhetsområde med rapportens siffror,
    enheternas kommentarer och åtgärderna som utgångstext."""
    from budget.app.analysmall import make_template

    folder = _inputs_dir(inputs_dir)
    month = _period(period, tertial)
    if out_file is not None:
        _showable(out_file, "--out")
    try:
        try:
            written = make_template(folder, month, out_file)
        except OutputError as exc:
            raise click.BadParameter(str(exc), param_hint="--out") from exc
    except InputErrors as exc:
        _fail(exc, "Fel", "Ingen mall skrevs.")
    if written.unchanged:
        out.print(f"{written.path} är redan den aktuella mallen.", markup=False)
    else:
        out.print(f"Skrev {written.path}", markup=False)
    if not quiet:
        out.print(
            "Skriv förvaltningens text under rubrikerna och spara filen som analys.docx i "
            "indatamappen; budget report läser den.",
            markup=False,
        )


@inputs_command
@period_options
@path_option(
    "--out",
    "out_dir",
    "MAPP",
    "Mapp för arbetsböckerna (standard: underlag/<indatamapp>-<period>).",
)
@generated_at_option("arbetsböckerna")
@quiet_option
def underlag(
    inputs_dir: Path,
    period: int | None,
    tertial: str | None,
    out_dir: Path | None,
    generated_at: str | None,
    quiet: bool,
) -> None:
    """Skriv prognosunderlag: en arbetsbok per ansvar att fylla i."""
    from budget.app.underlag import write_underlag

    folder = _inputs_dir(inputs_dir)
    month = _period(period, tertial)
    stamp = _clock(generated_at)
    if out_dir is not None:
        _out_folder(out_dir)
    try:
        try:
            with _Shown(quiet) as shown:
                written = write_underlag(folder, month, out_dir, stamp, shown.steps)
        except OutputError as exc:
            raise click.BadParameter(str(exc), param_hint="--out") from exc
    except InputErrors as exc:
        _fail(exc, "Fel i indata", "Inget underlag skrevs.")
    _print_diagnostics(warnings(written.diagnostics))
    out.print(
        f"Skrev {len(written.workbooks)} arbetsböcker i {written.folder}, med utskick.json: "
        "det som skickades, som budget samla kontrollerar de inlämnade mot (behåll mappen). "
        f"Lägg de ifyllda underlagen i {written.returns} och kör sedan "
        f"budget samla {inputs_dir} {written.returns} {written.period_option}.",
        markup=False,
    )


@inputs_command
@path_argument("returned_dir", "INLÄMNADE", required=False)
@period_options
@path_option(
    "--status",
    "status_file",
    "FIL",
    "Skriv också en statusarbetsbok: saknade enheter med chef, sedan största förändringar.",
)
@path_option(
    "--underlag",
    "sent_dir",
    "MAPP",
    "Mappen som budget underlag skrev till, med utskick.json: de inlämnade kontrolleras "
    "mot det som skickades (standard: underlag/<indatamapp>-<period>, annars INLÄMNADE).",
)
@click.option(
    "--delvis",
    "partial",
    is_flag=True,
    help="Samla in de underlag som är utan fel även om andra har fel; de med fel räknas "
    "som saknade och listas med sina fel (i terminalen, statuslistan och prognos.xlsx).",
)
@generated_at_option("prognos.xlsx")
@quiet_option
def samla(
    inputs_dir: Path,
    returned_dir: Path | None,
    period: int | None,
    tertial: str | None,
    status_file: Path | None,
    sent_dir: Path | None,
    partial: bool,
    generated_at: str | None,
    quiet: bool,
) -> None:
    """Samla in enheternas ifyllda underlag till prognos.xlsx i indatamappen.

    INLÄMNADE är mappen med de ifyllda underlagen; standard är mappen som budget underlag
    skapade bredvid underlagen (underlag/<indatamapp>-<period>-inlamnat, eller bredvid
    mappen som --underlag anger)."""
    from budget.app.samla import (
        REFUSED,
        NoReturnsFolder,
        NothingReturned,
        ReturnsRefused,
        StatusError,
        collect,
    )

    folder = _inputs_dir(inputs_dir)
    if sent_dir is not None:
        _showable(sent_dir, "--underlag")
    if returned_dir is not None:
        _existing_folder(
            returned_dir,
            "INLÄMNADE",
            "; budget underlag skapar den bredvid underlagen som skickas "
            "(underlag/<indatamapp>-<period>-inlamnat)",
        )
    if status_file is not None and status_file.is_dir():
        raise click.BadParameter(
            f"{status_file} är en mapp; ange en fil, t.ex. {status_file / 'status.xlsx'}",
            param_hint="--status",
        )
    month = _period(period, tertial)
    stamp = _clock(generated_at)
    try:
        try:
            with _Shown(quiet) as shown:
                found = collect(
                    folder, returned_dir, month, stamp, status_file, shown.steps, sent_dir, partial
                )
        except StatusError as exc:
            raise click.BadParameter(str(exc), param_hint="--status") from exc
        except (NothingReturned, NoReturnsFolder) as exc:
            raise click.BadParameter(str(exc), param_hint="INLÄMNADE") from exc
        except OutputError as exc:
            raise click.BadParameter(str(exc), param_hint="INDATAMAPP") from exc
    except ReturnsRefused as exc:
        _fail(exc, "Fel i underlagen", "prognos.xlsx skrevs inte." + _partial_hint(exc))
    except InputErrors as exc:
        _fail(exc, "Fel i underlagen", "prognos.xlsx skrevs inte.")
    _print_diagnostics(found.diagnostics if partial else warnings(found.diagnostics))
    out.print(_collection_table(found))
    refused = found.left_out()
    units_refused = [a for a in found.missing if found.status(a) == REFUSED]
    unknown = found.refusals(None)
    out.print(
        f"{len(found.returned)} av {len(found.units)} enheter har lämnat in; "
        f"{len(found.missing)} saknas"
        + (f", varav {len(units_refused)} med underlag som har fel" if units_refused else "")
        + (
            f"; {len(unknown)} {'fil' if len(unknown) == 1 else 'filer'} med fel hör inte "
            "till någon känd enhet"
            if unknown
            else ""
        )
        + f". Skrev {found.rows} rader till {folder / 'prognos.xlsx'}"
        + (" (bladet Utelämnade listar underlagen med fel)" if refused else "")
        + "."
        + (f" Status i {status_file}." if status_file is not None else ""),
        markup=False,
    )


def _partial_hint(exc: ReturnsRefused) -> str:
    """What --delvis would do, when some returned workbooks are without errors."""
    if exc.partial:
        return " Inget inlämnat underlag är utan fel, så det finns inget att samla in."
    if not exc.usable:
        return ""
    return (
        f" {exc.usable} underlag är utan fel: kör igen med --delvis för att samla in dem; "
        "de med fel räknas då som saknade och listas med sina fel."
    )


def _collection_table(found: Collection) -> Table:
    """The units, the missing (and refused) first, as a terminal table."""
    from rich.table import Table
    from rich.text import Text

    from budget.app.samla import REFUSED

    table = Table(title="Prognosunderlag", title_justify="left")
    for name in ("Ansvar", "Enhet", "Chef", "Status", "Fil"):
        table.add_column(name)
    table.add_column("Förändring sedan förra", justify="right")
    for ansvar in found.order():
        path = found.returned.get(ansvar)
        change = found.changes.get(ansvar)
        status = found.status(ansvar)
        files = path.name if path else ", ".join(r.path.name for r in found.refusals(ansvar))
        table.add_row(  # Text: names from the files are not rich markup
            Text(ansvar),
            Text(found.units.get(ansvar) or ""),
            Text(found.managers.get(ansvar) or ""),
            Text(status, style="" if path else "bold"),
            Text(files),
            Text("" if change is None else fmt.money_with_unit(change, "tkr", signed=True)),
        )
    for refusal in found.refusals(None):
        table.add_row("", "", "", Text(REFUSED, style="bold"), Text(refusal.path.name), "")
    return table


@command
@path_argument("sie_file", "FIL")
@path_option(
    "--out",
    "out_dir",
    "MAPP",
    "Mapp för arbetsboken (standard: aktuell mapp).",
    default=Path("."),
)
@click.option(
    "--ansvar",
    "ansvar_dim",
    type=SwedishRange(1, 10**6),
    default=1,
    metavar="DIM",
    help="SIE-dimensionen med ansvar/kostnadsställe (standard: 1).",
)
@click.option(
    "--verksamhet",
    "verksamhet_dim",
    type=SwedishRange(1, 10**6),
    default=None,
    metavar="DIM",
    help="SIE-dimensionen med verksamhet (standard: ingen).",
)
@quiet_option
def sie(
    sie_file: Path, out_dir: Path, ansvar_dim: int, verksamhet_dim: int | None, quiet: bool
) -> None:
    """Gör om en SIE 4-fil till en huvudboksarbetsbok (utfall) som går att öppna i Excel."""
    from budget.app.sie_convert import convert

    _showable(sie_file, "FIL")
    if not sie_file.is_file():
        raise click.BadParameter(f"{sie_file} finns inte", param_hint="FIL")
    _out_folder(out_dir)
    try:
        with _Shown(quiet) as shown:
            result = convert(sie_file, out_dir, ansvar_dim, verksamhet_dim, shown.steps)
    except OutputError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from exc
    _print_diagnostics(result.diagnostics)
    if errors(result.diagnostics):
        n = len(errors(result.diagnostics))
        err.print(
            f"Fel i SIE-filen: {n} fel. Ingen arbetsbok skrevs.", style="bold red", markup=False
        )
        sys.exit(1)
    for path, rows in zip(result.paths, result.rows, strict=True):
        out.print(f"Skrev {path} ({rows} rader)", markup=False)


@command
@click.argument("folder", type=click.Path(path_type=Path), metavar="MAPP")
@click.option("--namnd", required=True, metavar="NAMN", help="Nämndens namn, som i rapporten.")
@click.option("--ar", "year", required=True, callback=_year, metavar="ÅR", help="Rapportåret.")
@click.option(
    "--enhet", "unit", default="mnkr", metavar="mnkr|tkr", help="Enhet i rapporten (mnkr)."
)
@generated_at_option("arbetsböckerna")
def init(folder: Path, namnd: str, year: int, unit: str, generated_at: str | None) -> None:
    """Skapa en ny indatamapp: namnd.toml och arbetsböckerna med rubriker och instruktioner."""
    from budget.app.init import check
    from budget.app.init import init as start

    _showable(folder, "MAPP")
    problems = check(namnd, year, unit)
    if problems:
        raise click.UsageError("; ".join(problems))
    try:
        started = start(folder, namnd, year, unit, _clock(generated_at))
    except OutputError as exc:
        raise click.BadParameter(str(exc), param_hint="MAPP") from exc
    for path in started.paths:
        out.print(f"Skrev {path}", markup=False)
    out.print(
        f"Fyll i arbetsböckerna (se bladet Instruktioner i var och en) och kör sedan "
        f"budget validate {folder}.",
        markup=False,
    )


@command
@path_argument("reports_dir", "RAPPORTMAPP")
@click.option(
    "--ar",
    "year",
    type=SwedishRange(1990, 2100),
    default=None,
    metavar="ÅR",
    help="Rapportåret (standard: det senaste året bland rapporterna).",
)
@period_options
@path_option(
    "--out",
    "out_dir",
    "MAPP",
    "Mapp för stadens rapport (standard: reports).",
    default=Path("reports"),
)
@path_option(
    "--stallningstaganden",
    "positions_path",
    "FIL",
    "Stadsledningskontorets arbetsbok med ställningstaganden och kommentarer "
    "(standard: stadens-stallningstaganden-<år>-<period>.xlsx i RAPPORTMAPP, om den finns).",
)
@path_option(
    "--huvudbocker",
    "ledgers",
    "MAPP",
    "Mapp med nämndernas huvudböcker som Parquet (standard: RAPPORTMAPP/huvudbok).",
)
@generated_at_option("stadens rapport")
def stad(
    reports_dir: Path,
    year: int | None,
    period: int | None,
    tertial: str | None,
    out_dir: Path,
    positions_path: Path | None,
    ledgers: Path | None,
    generated_at: str | None,
) -> None:
    """Sammanställ nämndernas rapporter till stadens rapport (HTML, JSON och Excel)."""
    from budget.app.city import make_city

    _existing_folder(reports_dir, "RAPPORTMAPP")
    if positions_path is not None:
        _existing_file(positions_path, "--stallningstaganden")
    if ledgers is not None:
        _existing_folder(ledgers, "--huvudbocker")
    _out_folder(out_dir)
    month = _period(period, tertial)
    stamp = _clock(generated_at)
    try:
        try:
            result = make_city(reports_dir, year, month, out_dir, stamp, positions_path, ledgers)
        except OutputError as exc:
            raise click.BadParameter(str(exc), param_hint="--out") from exc
    except InputErrors as exc:
        _fail(exc, "Fel i nämndernas rapporter", "Ingen rapport för staden skrevs.")
    _print_diagnostics(warnings(result.diagnostics))
    for path in result.paths:
        out.print(f"Skrev {path}", markup=False)
    city = result.city
    out.print(
        f"{city.stad} {city.year}, period {city.period}: {len(city.rows)} nämnder, "
        f"prognos {fmt.money_with_unit(city.forecast.net)}, avvikelse "
        f"{fmt.money_with_unit(city.variance, signed=True)} (+ = överskott)"
        + (f"; saknas: {', '.join(city.missing)}" if city.missing else "")
        + ".",
        markup=False,
    )


LOCALE = Path(__file__).parent / "locale"


def speak_swedish() -> None:
    """Click's own messages in Swedish, from its gettext catalogue (budget/locale/sv).

    Click looks its texts up through the standard gettext functions of the current domain, in
    the languages the environment names; the toolkit speaks only Swedish, so both are set here,
    for this process, before click says anything.
    """
    os.environ["LANGUAGE"] = "sv"
    gettext.bindtextdomain("budget", LOCALE)
    gettext.textdomain("budget")


def _usage(exc: click.UsageError) -> str:
    """A usage error in Swedish, built from the error's parts where click's sentence reads
    badly in Swedish word order; click's own (translated) message otherwise."""
    if isinstance(exc, click.MissingParameter):
        hint = exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else ""
        return f"{hint.strip(chr(39))} saknas"
    if isinstance(exc, click.BadParameter):
        where = exc.param_hint or (
            exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else ""
        )
        return f"ogiltigt värde för {str(where).strip(chr(39))}: {exc.message}"
    if isinstance(exc, click.NoSuchOption):
        return f"okänd flagga {exc.option_name}"
    return exc.format_message()


def _help_hint(exc: click.UsageError, args: list[str]) -> str:
    """Where to read more: the help of the command that was given, else the command list.

    Click's parser errors (an option without its value) carry no context: the command is
    then the first argument that names one.
    """
    if exc.ctx is not None:
        path = exc.ctx.command_path
    else:
        given = next((arg for arg in args if arg in cli.commands), None)
        path = f"budget {given}" if given else "budget"
    return f"Se {path} --help." if path != "budget" else "Se budget --help för kommandona."


def main() -> None:
    """Entry point: no traceback reaches the user, whatever the input."""
    speak_swedish()
    try:
        cli.main(standalone_mode=False, prog_name="budget")
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare `budget`: the command list
        err.print(exc.format_message(), markup=False)
        sys.exit(2)
    except click.UsageError as exc:
        said = _usage(exc).rstrip(".")
        end = "" if said.endswith(("?", "!")) else "."
        err.print(f"Fel användning: {said}{end}", style="bold red", markup=False)
        err.print(_help_hint(exc, sys.argv[1:]), markup=False)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        err.print("Avbrutet.", markup=False)
        sys.exit(130)
    except BudgetError as exc:
        err.print(f"Fel: {exc}", style="bold red", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("Avbrutet.", markup=False)
        sys.exit(130)
    except Exception as exc:  # a bug in budget: say so in one line, keep the trace for debugging
        if os.environ.get("BUDGET_DEBUG"):
            raise
        err.print(
            f"Internt fel i budget ({type(exc).__name__}: {exc}). Detta är en bugg i "
            "verktyget, inte i indata; kör igen med BUDGET_DEBUG=1 för detaljer och "
            "rapportera det.",
            style="bold red",
            markup=False,
        )
        sys.exit(3)


SKIPPED_SHOWN = 20


def print_validation(result: Validation, console: Console) -> None:
    """What ``budget validate`` prints: a table of files, skipped total rows, the reconciliation."""
    table = RichTable(title=f"Indata i {result.folder}", title_justify="left")
    for col in ("Fil", "Rader", "Tomma rader", "Summarader", "Fel", "Varningar"):
        table.add_column(col, justify="left" if col == "Fil" else "right")
    for f in result.files:
        table.add_row(
            f.name,
            fmt.number(f.rows),
            fmt.number(f.blank_rows),
            str(f.total_rows),
            str(f.errors),
            str(f.warnings),
        )
    console.print(table)
    for f in result.files:
        if f.note:
            console.print(f"{f.name} lästes som {f.note}.", markup=False)
        if f.skipped:
            shown = ", ".join(
                f"{sheet}!{cell} ({label!r})" for sheet, cell, label in f.skipped[:SKIPPED_SHOWN]
            )
            more = len(f.skipped) - SKIPPED_SHOWN
            console.print(
                f"Summarader som hoppades över i {f.name}: {shown}"
                + (f" och {more} till" if more > 0 else "")
                + ".",
                markup=False,
            )
    rec = result.reconciliation
    if rec is not None:
        console.print(
            f"Avstämning t.o.m. period {result.period}: {fmt.number(rec.ledger_rows)} rader, "
            f"huvudbok "
            f"{fmt.exact(rec.ledger_sum)} = redovisat {fmt.exact(rec.reported_sum)} "
            f"+ exkluderat {fmt.exact(rec.excluded_sum)} "
            f"({'stämmer till öret' if rec.balanced else 'STÄMMER INTE'}).",
            markup=False,
        )
    n_err, n_warn = len(errors(result.diagnostics)), len(warnings(result.diagnostics))
    verdict = "Inga fel." if not n_err else f"{n_err} fel."
    console.print(f"{verdict} {n_warn} varningar.", markup=False)
