"""Volumes (volymer): outcome against budget per measure and month, and the volume forecast.

A volume forecast for the year is the outcome of the months reported plus the
months left, either at the recent run-rate (the mean of the last three months
with an outcome: ``takt``) or at the budgeted volume (``budget``). Times the
unit price it forecasts the leaf's costs (method ``volym``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from budget.core.ledger import LeafKey
from budget.core.methods import VolumeRest
from budget.core.money import round_ore
from budget.core.names import normalize_header
from budget.diagnostics import Diagnostic

RUN_RATE_MONTHS = 3


@dataclass(frozen=True)
class Measure:
    """One measure of one leaf for one year."""

    area: str
    subarea: str | None
    measure: str
    budget: tuple[float | None, ...]  # 12 months
    actual: tuple[float | None, ...]  # 12 months; None = no outcome
    price: float
    period: int
    rest: VolumeRest
    # Budgeterat pris per month (contract §9), kronor per unit; None where not given.
    budget_prices: tuple[float | None, ...] = (None,) * 12

    @property
    def leaf(self) -> LeafKey:
        return (self.area, self.subarea)

    @property
    def budget_total(self) -> float:
        return sum(v or 0.0 for v in self.budget)

    @property
    def actual_to_date(self) -> float:
        return sum(v or 0.0 for v in self.actual[: self.period])

    @property
    def forecast_volume(self) -> Fraction:
        """Outcome to date plus the months left (see the module docstring)."""
        done = sum((Fraction(str(v or 0.0)) for v in self.actual[: self.period]), Fraction(0))
        left = 12 - self.period
        if left == 0:
            return done
        if self.rest == VolumeRest.BUDGET:
            return done + sum(
                (Fraction(str(v or 0.0)) for v in self.budget[self.period :]), Fraction(0)
            )
        recent = [v for v in self.actual[: self.period] if v is not None][-RUN_RATE_MONTHS:]
        if not recent:
            return done + sum(
                (Fraction(str(v or 0.0)) for v in self.budget[self.period :]), Fraction(0)
            )
        rate = sum((Fraction(str(v)) for v in recent), Fraction(0)) / len(recent)
        return done + rate * left

    @property
    def forecast_cost(self) -> int:
        """Forecast volume × price, in öre (a positive cost)."""
        return round_ore(self.forecast_volume * Fraction(str(self.price)) * 100)


def measures(
    volumes: pl.DataFrame | None, year: int, period: int, rest: VolumeRest
) -> list[Measure]:
    """The measures of a year, in the order of the workbook."""
    if volumes is None:
        return []
    rows = volumes.filter(pl.col("year") == year)
    out = []
    keys = rows.select("area", "subarea", "measure").unique(maintain_order=True)
    for area, subarea, measure in keys.iter_rows():
        part = rows.filter(
            (pl.col("area") == area)
            & (pl.col("measure") == measure)
            & (pl.col("subarea").eq_missing(subarea))
        )
        budget: list[float | None] = [None] * 12
        actual: list[float | None] = [None] * 12
        prices: dict[int, float] = {}
        budget_prices: list[float | None] = [None] * 12
        for r in part.sort("period").iter_rows(named=True):
            if r.get("budget_price") is not None:
                budget_prices[r["period"] - 1] = r["budget_price"]
            m = r["period"] - 1
            if r["budget_volume"] is not None:
                budget[m] = (budget[m] or 0.0) + r["budget_volume"]
            if r["volume"] is not None and r["period"] <= period:
                actual[m] = (actual[m] or 0.0) + r["volume"]
            prices[r["period"]] = r["price"]
        upto = [m for m in prices if m <= period]
        price = prices[max(upto)] if upto else prices[min(prices)]
        out.append(
            Measure(
                area,
                subarea,
                measure,
                tuple(budget),
                tuple(actual),
                price,
                period,
                rest,
                tuple(budget_prices),
            )
        )
    return out


def leaf_costs(items: list[Measure]) -> dict[LeafKey, int]:
    """Forecast costs per leaf (öre, positive), summed over its measures."""
    out: dict[LeafKey, int] = {}
    for m in items:
        out[m.leaf] = out.get(m.leaf, 0) + m.forecast_cost
    return out


def _exact(value: float | None) -> Fraction:
    return Fraction(str(value or 0.0))


@dataclass(frozen=True)
class PriceVolume:
    """One measure of one leaf, its cost against budget split into volume and price
    (contract §9). Volumes are in the measure's unit summed over the year; costs are the
    leaf's, positive öre; prices öre per unit; effects öre in report signs (− = worse).

    Rounding happens once, in the volume effect (``round_ore``, half away from zero); the
    price effect is the cost variance less the rounded volume effect, so the two add up to
    the cost variance exactly, to the öre. Where the budgeted price is budget cost / V_b
    (no Budgeterat pris) the price effect is −(P_f − P_b) × V_f within half an öre; with a
    Budgeterat pris it also holds the part of the budget that is not V_b × P_b
    (``budget_residual``).
    """

    area: str
    subarea: str | None
    measure: str
    # Whether this measure splits the leaf's cost variance (one per leaf); the others of
    # the leaf are key ratios only.
    explains: bool
    budget_volume: Fraction
    forecast_volume: Fraction
    actual_to_date: Fraction
    budget_to_date: Fraction
    budget_cost: int
    forecast_cost: int
    budget_price: Fraction | None
    budget_price_given: bool
    volume_effect: int | None
    price_effect: int | None
    last_year_volume: Fraction | None
    last_year_cost: int | None
    budget_months: tuple[float | None, ...]
    actual_months: tuple[float | None, ...]
    # Cost per unit month by month to the period (the leaf's costs / the month's volume).
    month_prices: tuple[Fraction | None, ...]

    @property
    def leaf(self) -> LeafKey:
        return (self.area, self.subarea)

    @property
    def cost_variance(self) -> int:
        """Forecast cost against budget cost, report signs: negative = dearer than budget."""
        return self.budget_cost - self.forecast_cost

    @property
    def volume_change(self) -> Fraction:
        """V_f − V_b: positive = more than budgeted."""
        return self.forecast_volume - self.budget_volume

    @property
    def forecast_price(self) -> Fraction | None:
        """P_f = forecast cost / V_f, öre per unit."""
        return None if self.forecast_volume == 0 else self.forecast_cost / self.forecast_volume

    @property
    def last_year_price(self) -> Fraction | None:
        if self.last_year_cost is None or not self.last_year_volume:
            return None
        return self.last_year_cost / self.last_year_volume

    @property
    def budget_residual(self) -> int:
        """Budget cost − V_b × P_b (öre): zero unless the price is a Budgeterat pris."""
        if self.budget_price is None:
            return 0
        return round_ore(self.budget_cost - self.budget_volume * self.budget_price)

    @property
    def split(self) -> bool:
        return self.volume_effect is not None


def budget_price(m: Measure, budget_cost: int) -> tuple[Fraction | None, bool]:
    """P_b in öre per unit, and whether it is the Budgeterat pris: the given prices
    weighted by the months' budgeted volumes (their mean where no month has one), else
    budget cost / V_b; None when neither can be had."""
    given = [(m.budget[i], p) for i, p in enumerate(m.budget_prices) if p is not None]
    if given:
        weight = sum((_exact(v) for v, _ in given), Fraction(0))
        if weight:
            return sum((_exact(v) * _exact(p) for v, p in given), Fraction(0)) / weight * 100, True
        return sum((_exact(p) for _, p in given), Fraction(0)) / len(given) * 100, True
    volume = sum((_exact(v) for v in m.budget), Fraction(0))
    if volume == 0:
        return None, False
    return Fraction(budget_cost) / volume, False


def price_volume(
    m: Measure,
    explains: bool,
    budget_cost: int,
    forecast_cost: int,
    last_year: Measure | None,
    last_year_cost: int | None,
    month_costs: tuple[int, ...],
) -> PriceVolume:
    """One measure's split (``explains``) or key ratios only. Costs are positive öre;
    ``month_costs`` the leaf's costs month by month to the period."""
    v_b = sum((_exact(v) for v in m.budget), Fraction(0))
    v_f = m.forecast_volume
    p_b, given = budget_price(m, budget_cost)
    volume_effect = price_effect = None
    if explains and p_b is not None:
        volume_effect = round_ore(-(v_f - v_b) * p_b)
        price_effect = (budget_cost - forecast_cost) - volume_effect
    last_volume = None
    if last_year is not None and all(v is not None for v in last_year.actual):
        last_volume = sum((_exact(v) for v in last_year.actual), Fraction(0))
    month_prices = tuple(
        Fraction(month_costs[i]) / _exact(m.actual[i])
        if i < len(month_costs) and m.actual[i]
        else None
        for i in range(m.period)
    )
    return PriceVolume(
        m.area,
        m.subarea,
        m.measure,
        explains and volume_effect is not None,
        v_b,
        v_f,
        sum((_exact(v) for v in m.actual[: m.period]), Fraction(0)),
        sum((_exact(v) for v in m.budget[: m.period]), Fraction(0)),
        budget_cost,
        forecast_cost,
        p_b,
        given,
        volume_effect,
        price_effect,
        last_volume,
        last_year_cost if last_volume is not None else None,
        m.budget,
        m.actual,
        month_prices,
    )


def explaining(items: list[Measure], chosen: dict[str, str]) -> dict[LeafKey, str | None]:
    """The measure that splits each leaf's cost variance: the one ``[volym]`` in
    namnd.toml names for the delområde (or the area, for a leaf without delområde),
    else the leaf's only measure; None where a leaf has several and none is named."""
    folded = {normalize_header(k): v for k, v in chosen.items()}
    names: dict[LeafKey, list[str]] = {}
    for m in items:
        names.setdefault(m.leaf, []).append(m.measure)
    out: dict[LeafKey, str | None] = {}
    for leaf, measures_of in names.items():
        area, sub = leaf
        named = folded.get(normalize_header(sub if sub is not None else area))
        match = [n for n in measures_of if named is not None and same(n, named)]
        if match:
            out[leaf] = match[0]
        else:
            out[leaf] = measures_of[0] if len(measures_of) == 1 else None
    return out


def same(a: str, b: str) -> bool:
    return normalize_header(a) == normalize_header(b)


@dataclass(frozen=True)
class AreaSplit:
    """An area's split: its own measure's, or the sum over its delområden's."""

    area: str
    lines: tuple[PriceVolume, ...]

    @property
    def cost_variance(self) -> int:
        return sum(ln.cost_variance for ln in self.lines)

    @property
    def volume_effect(self) -> int:
        return sum(ln.volume_effect or 0 for ln in self.lines)

    @property
    def price_effect(self) -> int:
        return sum(ln.price_effect or 0 for ln in self.lines)


def by_area(items: tuple[PriceVolume, ...]) -> list[AreaSplit]:
    """Per area in order, the lines that split it: the area's own measure where it has
    one (it already holds its delområden), else each delområde's."""
    areas: dict[str, list[PriceVolume]] = {}
    for pv in items:
        if pv.explains:
            areas.setdefault(pv.area, []).append(pv)
    out = []
    for area, lines in areas.items():
        own = [ln for ln in lines if ln.subarea is None]
        out.append(AreaSplit(area, tuple(own or lines)))
    return out


@dataclass(frozen=True)
class LeafCosts:
    """A leaf's costs as the split needs them, positive öre: budget, forecast, last
    year's full year (None without a ledger for it) and this year's month by month."""

    budget: int
    forecast: int
    last_year: int | None
    months: tuple[int, ...]


def analyse(
    items: list[Measure],
    last_year: list[Measure],
    costs: dict[LeafKey, LeafCosts],
    chosen: dict[str, str],
) -> tuple[tuple[PriceVolume, ...], list[Diagnostic]]:
    """Every measure of the year with its leaf's costs: the explaining one split into
    volume and price, the others key ratios. A leaf with several measures and none named
    in ``[volym]`` (W330), or without a budgeted price (W331), is said, never dropped."""
    which = explaining(items, chosen)
    before = {(m.leaf, normalize_header(m.measure)): m for m in last_year}
    out = []
    diags = []
    warned: set[LeafKey] = set()
    for m in items:
        leaf_costs = costs.get(m.leaf)
        if leaf_costs is None:
            continue  # guarded by checks.rules.area_references
        where = f"{m.area} › {m.subarea}" if m.subarea else m.area
        choice = which[m.leaf]
        if choice is None and m.leaf not in warned:
            warned.add(m.leaf)
            names = ", ".join(n.measure for n in items if n.leaf == m.leaf)
            diags.append(
                Diagnostic(
                    "W330",
                    f"{where} har flera mått ({names}) och [volym] i namnd.toml säger inte "
                    "vilket som förklarar kostnaden; måtten visas som nyckeltal",
                    file="namnd.toml",
                    column="volym",
                    value=where,
                    expected=f'[volym] "{m.subarea or m.area}" = "{m.measure}"',
                )
            )
        pv = price_volume(
            m,
            choice is not None and same(choice, m.measure),
            leaf_costs.budget,
            leaf_costs.forecast,
            before.get((m.leaf, normalize_header(m.measure))),
            leaf_costs.last_year,
            leaf_costs.months,
        )
        if choice is not None and same(choice, m.measure) and not pv.explains:
            diags.append(
                Diagnostic(
                    "W331",
                    f"{where}: {m.measure} har ingen budgeterad volym och inget Budgeterat "
                    "pris; kostnadsavvikelsen delas inte i volym och pris",
                    file="volymer.xlsx",
                    sheet="Volymer",
                    column="Budgeterad volym",
                    value=m.measure,
                    expected="budgeterad volym för året, eller Budgeterat pris",
                )
            )
        out.append(pv)
    return tuple(out), diags
