"""The city's desk (contract §10): the nämnder's reports consolidated, as values.

Every figure here is a sum of figures the nämnder's report JSONs give, in öre and the
report's signs (revenues +, costs −, variance = forecast net − budget net). Each carries
the report file it came from, so the city's report can say where any figure was read.
Nothing here reads a file: ``edge.city`` reads, this module adds up and compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from budget.core.money import Sides, total
from budget.core.names import normalize_header

# The office's positions on a requested change, as the office writes them (the workbook's
# choices) -> the code the JSON carries.
POSITIONS = {
    "Tillstyrks": "tillstyrks",
    "Tillstyrks delvis": "tillstyrks-delvis",
    "Avstyrks": "avstyrks",
    "Bereds vidare": "bereds",
}
POSITION_LABELS = {code: label for label, code in POSITIONS.items()}
KINDS = ("Budgetjustering", "Omslutningsförändring")


def fold(name: str) -> str:
    """How nämnd names are matched between stad.toml, the reports and the office's workbook."""
    return normalize_header(name)


@dataclass(frozen=True)
class Requested:
    """A change a nämnd requests in its report (``budget_changes.items[]``, status Begärd)."""

    namnd: str
    number: int  # 1, 2, … in the order of the nämnd's report: the change's id with the nämnd
    kind: str
    area: str
    subarea: str | None
    costs: int  # öre, positive = the cost budget rises
    revenues: int
    net_effect: int  # report signs
    description: str
    financier: str | None
    diarienummer: str | None
    file: str  # the report JSON
    json_path: str  # $.budget_changes.items[3]
    origin: str  # where the nämnd read it: forandringar.xlsx › Förändringar › rad 4

    @property
    def key(self) -> tuple[str, int]:
        return (fold(self.namnd), self.number)


@dataclass(frozen=True)
class NamndReport:
    """One nämnd's report as the city reads it."""

    namnd: str
    year: int
    period: int
    file: str
    sha256: str
    generated_at: str
    budget: Sides  # the revised budget: decided + requested in this report
    decided: Sides
    actual: Sides
    forecast: Sides
    requested: tuple[Requested, ...] = ()
    inputs: tuple[tuple[str, str], ...] = ()  # the nämnd's input files and their sha256

    @property
    def variance(self) -> int:
        return self.forecast.net - self.budget.net

    def same_figures(self, other: NamndReport) -> bool:
        return (
            self.budget,
            self.decided,
            self.actual,
            self.forecast,
            [(r.kind, r.area, r.costs, r.revenues, r.description) for r in self.requested],
        ) == (
            other.budget,
            other.decided,
            other.actual,
            other.forecast,
            [(r.kind, r.area, r.costs, r.revenues, r.description) for r in other.requested],
        )


@dataclass(frozen=True)
class Position:
    """The office's position on one requested change (stadens-stallningstaganden.xlsx)."""

    namnd: str
    number: int
    position: str | None  # a code of POSITIONS, None = not yet taken
    comment: str
    cell: str  # Ställningstaganden!E5


@dataclass(frozen=True)
class Excluded:
    """A report in the folder that is not summed, and why (Swedish)."""

    file: str
    namnd: str
    year: int
    period: int
    reason: str


@dataclass(frozen=True)
class Indicator:
    """One nämnd's finance indicators for one earlier year.

    Prognossäkerhet: (the T2 forecast net − the year's outcome net) in per cent of the
    base's absolute value (the outcome, or the budget, as stad.toml says); positive = the
    forecast was better than the outcome. Budgetföljsamhet: outcome net / budget net in
    per cent (100 = on budget; above 100 = a deficit when the net is a cost).
    """

    namnd: str
    year: int
    forecast: int | None  # the T2 report's forecast net, öre
    outcome: int | None  # the year-end report's actual net
    budget: int | None  # the year-end report's budget net
    t2_file: str | None
    year_file: str | None
    base: str

    @property
    def forecast_error(self) -> int | None:
        if self.forecast is None or self.outcome is None:
            return None
        return self.forecast - self.outcome

    @property
    def accuracy(self) -> Fraction | None:
        """Prognossäkerhet in per cent (exact), None without both reports or a zero base."""
        error = self.forecast_error
        base = self.outcome if self.base == "utfall" else self.budget
        if error is None or not base:
            return None
        return Fraction(error * 100, abs(base))

    @property
    def adherence(self) -> Fraction | None:
        """Budgetföljsamhet in per cent (exact)."""
        if self.outcome is None or not self.budget:
            return None
        return Fraction(self.outcome * 100, self.budget)


@dataclass(frozen=True)
class TradeRow:
    """A ledger row behind an unmatched pair: which side, the nämnd's workbook and row."""

    side: str  # "sales" or "purchases"
    namnd: str
    source: str  # the nämnd's ledger workbook (utfall-2017.xlsx)
    row: int
    period: int
    konto: str
    amount: int  # öre, positive (a sale's revenue, a purchase's cost)
    parquet: str  # huvudbok/<nämnd>-<år>.parquet


@dataclass(frozen=True)
class TradeFlow:
    """One direction of internal trade: what ``seller`` booked as sales to ``buyer`` and
    what ``buyer`` booked as purchases from ``seller`` (both positive öre), with the
    ledger files and rows each side came from."""

    seller: str
    buyer: str
    sales: int
    purchases: int
    sales_rows: int
    purchase_rows: int
    sales_files: tuple[str, ...]
    purchase_files: tuple[str, ...]
    rows: tuple[TradeRow, ...] = ()  # for an unmatched pair: the rows of both sides

    @property
    def difference(self) -> int:
        return self.sales - self.purchases


@dataclass(frozen=True)
class Trade:
    """Internal trade between the nämnder in the report year up to the period."""

    flows: tuple[TradeFlow, ...]
    tolerance: int  # öre: a flow whose sides differ by more does not match
    files: tuple[str, ...]  # the ledger Parquet files read
    no_ledger: tuple[str, ...]  # reporting nämnder with no ledger file for the year

    @property
    def matched(self) -> tuple[TradeFlow, ...]:
        return tuple(f for f in self.flows if abs(f.difference) <= self.tolerance)

    @property
    def unmatched(self) -> tuple[TradeFlow, ...]:
        return tuple(f for f in self.flows if abs(f.difference) > self.tolerance)

    @property
    def eliminated(self) -> int:
        """What the city eliminates: the smaller side of each matched flow."""
        return sum(min(f.sales, f.purchases) for f in self.matched)


@dataclass(frozen=True)
class CityRow:
    report: NamndReport
    comment: str  # the office's comment on the nämnd

    @property
    def adherence(self) -> Fraction | None:
        """Forecast budgetföljsamhet: forecast net / budget net, per cent."""
        if not self.report.budget.net:
            return None
        return Fraction(self.report.forecast.net * 100, self.report.budget.net)


@dataclass(frozen=True)
class City:
    stad: str
    year: int
    period: int
    rows: tuple[CityRow, ...]  # one per reporting nämnd, in stad.toml's order then by name
    missing: tuple[str, ...]  # expected by stad.toml, no report
    unexpected: tuple[str, ...]  # reported, not in stad.toml (summed, and named)
    excluded: tuple[Excluded, ...]
    requested: tuple[Requested, ...]
    positions: dict[tuple[str, int], Position]
    indicators: tuple[Indicator, ...]
    base: str
    limit: Fraction  # prognossäkerhet's target, ± per cent
    trade: Trade | None
    generated_at: str
    version: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def budget(self) -> Sides:
        return total([r.report.budget for r in self.rows])

    @property
    def decided(self) -> Sides:
        return total([r.report.decided for r in self.rows])

    @property
    def actual(self) -> Sides:
        return total([r.report.actual for r in self.rows])

    @property
    def forecast(self) -> Sides:
        return total([r.report.forecast for r in self.rows])

    @property
    def variance(self) -> int:
        return self.forecast.net - self.budget.net

    @property
    def adherence(self) -> Fraction | None:
        budget = self.budget.net
        return None if not budget else Fraction(self.forecast.net * 100, budget)

    @property
    def actual_eliminated(self) -> Sides | None:
        """The outcome to date with the matched internal trade netted out: the sales leave
        the revenues and the purchases the costs (the net is the same)."""
        if self.trade is None:
            return None
        gone = self.trade.eliminated
        return Sides(self.actual.costs + gone, self.actual.revenues - gone)

    def requested_sum(self, kind: str) -> Sides:
        return total([Sides(-r.costs, r.revenues) for r in self.requested if r.kind == kind])

    def position_of(self, change: Requested) -> Position | None:
        return self.positions.get(change.key)

    def city_indicators(self) -> tuple[Indicator, ...]:
        """The city's indicators per earlier year: the sums over the nämnder that have
        both reports (prognossäkerhet) or a year-end report (budgetföljsamhet)."""
        years = sorted({i.year for i in self.indicators})
        out = []
        for year in years:
            of_year = [i for i in self.indicators if i.year == year]
            both = [i for i in of_year if i.forecast is not None and i.outcome is not None]
            ended = [i for i in of_year if i.outcome is not None and i.budget is not None]
            out.append(
                _CityIndicator(
                    namnd=self.stad,
                    year=year,
                    forecast=sum(i.forecast or 0 for i in both) if both else None,
                    outcome=sum(i.outcome or 0 for i in both) if both else None,
                    budget=sum(i.budget or 0 for i in both) if both else None,
                    t2_file=None,
                    year_file=None,
                    base=self.base,
                    adherence_outcome=sum(i.outcome or 0 for i in ended) if ended else None,
                    adherence_budget=sum(i.budget or 0 for i in ended) if ended else None,
                    counted=len(both),
                    counted_adherence=len(ended),
                )
            )
        return tuple(out)


@dataclass(frozen=True)
class _CityIndicator(Indicator):
    """The city's sum: prognossäkerhet over the nämnder with both reports, budgetföljsamhet
    over those with a year-end report (which may be more)."""

    adherence_outcome: int | None = None
    adherence_budget: int | None = None
    counted: int = 0
    counted_adherence: int = 0

    @property
    def adherence(self) -> Fraction | None:
        if self.adherence_outcome is None or not self.adherence_budget:
            return None
        return Fraction(self.adherence_outcome * 100, self.adherence_budget)


def within(value: Fraction | None, limit: Fraction) -> bool | None:
    return None if value is None else abs(value) <= limit


def indicators(
    history: Iterable[NamndReport], namnder: Iterable[str], year: int, base: str
) -> tuple[Indicator, ...]:
    """Per nämnd and earlier year (before ``year``): the T2 report's forecast against the
    year-end report's outcome. ``history`` holds one report per nämnd, year and period."""
    by: dict[tuple[str, int, int], NamndReport] = {
        (fold(r.namnd), r.year, r.period): r for r in history if r.year < year
    }
    names = {fold(n): n for n in namnder}
    for r in history:
        names.setdefault(fold(r.namnd), r.namnd)
    years = sorted({y for _, y, _ in by})
    out = []
    for key, name in names.items():
        for y in years:
            t2, end = by.get((key, y, 8)), by.get((key, y, 12))
            if t2 is None and end is None:
                continue
            out.append(
                Indicator(
                    namnd=name,
                    year=y,
                    forecast=None if t2 is None else t2.forecast.net,
                    outcome=None if end is None else end.actual.net,
                    budget=None if end is None else end.budget.net,
                    t2_file=None if t2 is None else t2.file,
                    year_file=None if end is None else end.file,
                    base=base,
                )
            )
    return tuple(out)


def match_trade(
    sums: Iterable[tuple[str, str, str, int, int, str]],
    codes: dict[str, str],
    tolerance: int,
    files: tuple[str, ...],
    no_ledger: tuple[str, ...],
) -> Trade:
    """Pair each nämnd's sales to and purchases from the others.

    ``sums`` holds (nämnd, motpart code, side, amount öre, rows, file) with side ``sales``
    (class 3 accounts, positive = revenue) or ``purchases`` (classes 4–7, positive = cost);
    ``codes`` maps each nämnd's motpart code to the nämnd. A motpart code that names no
    nämnd is external trade and not paired; the nämnd's own code is trade within itself.
    """
    flows: dict[tuple[str, str], list[int]] = {}
    sources: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    canonical = {fold(n): n for n in codes.values()}
    for ledger_namnd, code, side, amount, rows, file in sums:
        namnd = canonical.get(fold(ledger_namnd), ledger_namnd)
        other = codes.get(code)
        if other is None or fold(other) == fold(namnd):
            continue
        key = (namnd, other) if side == "sales" else (other, namnd)
        got = flows.setdefault(key, [0, 0, 0, 0])
        src = sources.setdefault(key, (set(), set()))
        if side == "sales":
            got[0] += amount
            got[2] += rows
            src[0].add(file)
        else:
            got[1] += amount
            got[3] += rows
            src[1].add(file)
    return Trade(
        flows=tuple(
            TradeFlow(
                s,
                b,
                v[0],
                v[1],
                v[2],
                v[3],
                tuple(sorted(sources[(s, b)][0])),
                tuple(sorted(sources[(s, b)][1])),
            )
            for (s, b), v in sorted(flows.items())
        ),
        tolerance=tolerance,
        files=files,
        no_ledger=no_ledger,
    )
