"""Goal follow-up (måluppfyllelse): hierarchy, indicator status, summaries, audit flags.

Inriktningsmål (KF's direction goals) → verksamhetsområdesmål (area goals) →
indicators. The förvaltning assesses each goal (helt, delvis, ej); this module
checks those assessments against the indicators and flags what an auditor or
the opposition would ask about: green goals without outcomes, nämnd targets
below kommunfullmäktige's, assessments that contradict the indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# Indicator status
MET = "uppfyllt"
NOT_MET = "ej-uppfyllt"
ANNUAL = "arsindikator"
MISSING = "utfall-saknas"
NO_TARGET = "mal-saknas"

# Indicator kinds: a level or share is judged on the year's target as it stands; a
# cumulative count (medborgardialoger held so far) on the part of the year's target that
# falls on the months gone, or on the period target the nämnd set.
LEVEL = "niva"
CUMULATIVE = "ackumulerad"
# Directions: higher or lower is better, or near the target (budgetföljsamhet).
HIGHER, LOWER, NEAR = "hogre", "lagre", "nara"


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str | None
    better: str  # "hogre" | "lagre"
    kf_target: float | None
    target: float | None
    periodicity: str
    outcome: float | None
    last_year: float | None
    status: str
    below_kf: bool
    kind: str = LEVEL
    # What the status is judged against at this period: the year's target, or for a
    # cumulative indicator before December its periodised (or given) period target.
    period_target: float | None = None
    tolerance: float | None = None  # met within target ± tolerance


@dataclass(frozen=True)
class AreaGoal:
    name: str
    assessment: str | None
    comment: str | None
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class DirectionGoal:
    name: str
    assessment: str | None
    comment: str | None
    area_goals: tuple[AreaGoal, ...]
    year_end: bool = False

    def count(self, assessment: str | None) -> int:
        return sum(1 for g in self.area_goals if g.assessment == assessment)

    @property
    def summary(self) -> str:
        n, full = len(self.area_goals), self.count("helt")
        if self.year_end:
            return (
                f"{full} av {n} verksamhetsområdesmål uppfylldes helt under året; genom dem "
                "bidrog nämnden till kommunfullmäktiges inriktningsmål."
            )
        return (
            f"Förvaltningen bedömer att {full} av {n} verksamhetsområdesmål kommer att "
            "uppfyllas helt under året; genom dem bidrar nämnden till kommunfullmäktiges "
            "inriktningsmål."
        )


@dataclass(frozen=True)
class Flag:
    code: str
    goal: str
    indicator: str | None
    message: str


@dataclass(frozen=True)
class Goals:
    direction_goals: tuple[DirectionGoal, ...] = ()
    flags: tuple[Flag, ...] = field(default_factory=tuple)


def period_target(
    kind: str, target: float | None, given: float | None, period: int
) -> float | None:
    """The target an outcome is judged against at ``period``.

    A cumulative indicator before December: the period target the nämnd gave, else the
    year's target pro rata (6 dialogues a year are 4 by August). Otherwise the year's target.
    """
    if kind != CUMULATIVE or period >= 12:
        return target
    if given is not None:
        return given
    return None if target is None else target * period / 12


def indicator_status(
    better: str,
    target: float | None,
    outcome: float | None,
    periodicity: str,
    period: int,
    tolerance: float | None = None,
) -> str:
    """Met, not met, or why there is nothing to judge yet (direction-aware).

    ``target`` is the target for the period (``period_target``). Within ``tolerance`` of it
    counts as met; beyond it on the better side too, unless only nearness counts.
    """
    if outcome is None:
        return ANNUAL if periodicity == "ar" and period < 12 else MISSING
    if target is None:
        return NO_TARGET
    band = tolerance or 0.0
    # Rounded to the indicator's precision: 0.1 + 0.2 is within 0.3 of 0.
    gap = round(outcome - target, 9)
    if better == NEAR:
        met = abs(gap) <= band
    elif better == HIGHER:
        met = gap >= -band
    else:
        met = gap <= band
    return MET if met else NOT_MET


def below_kf(better: str, target: float | None, kf_target: float | None) -> bool:
    """Is the nämnd's target less ambitious than kommunfullmäktige's?"""
    if target is None or kf_target is None or better == NEAR:
        return False
    return target < kf_target if better == HIGHER else target > kf_target


def build(indicators: pl.DataFrame | None, assessments: pl.DataFrame | None, period: int) -> Goals:
    """The goal hierarchy in the order of the workbook, with statuses and flags."""
    if indicators is None:
        return Goals()
    assessed: dict[tuple[str, str], tuple[str, str | None]] = {}
    if assessments is not None:
        for r in assessments.iter_rows(named=True):
            assessed[(r["level"], r["goal"])] = (r["assessment"], r["comment"])

    order: dict[str, dict[str, list[Indicator]]] = {}
    for r in indicators.iter_rows(named=True):
        goals = order.setdefault(r["direction_goal"], {})
        items = goals.setdefault(r["area_goal"], [])
        if r["indicator"] is None:
            continue
        kind = r.get("kind") or LEVEL
        judged = period_target(kind, r["target"], r.get("period_target"), period)
        items.append(
            Indicator(
                name=r["indicator"],
                unit=r["unit"],
                better=r["better"],
                kf_target=r["kf_target"],
                target=r["target"],
                periodicity=r["periodicity"],
                outcome=r["outcome"],
                last_year=r["last_year"],
                status=indicator_status(
                    r["better"], judged, r["outcome"], r["periodicity"], period, r.get("tolerance")
                ),
                below_kf=below_kf(r["better"], r["target"], r["kf_target"]),
                kind=kind,
                period_target=judged,
                tolerance=r.get("tolerance"),
            )
        )

    directions = []
    flags: list[Flag] = []
    for dname, area_goals in order.items():
        built = []
        for gname, inds in area_goals.items():
            assessment, comment = assessed.get(("vomal", gname), (None, None))
            built.append(AreaGoal(gname, assessment, comment, tuple(inds)))
            flags.extend(_flags(gname, assessment, inds))
        d_assessment, d_comment = assessed.get(("inriktningsmal", dname), (None, None))
        directions.append(
            DirectionGoal(dname, d_assessment, d_comment, tuple(built), year_end=period == 12)
        )
    return Goals(tuple(directions), tuple(flags))


def _flags(goal: str, assessment: str | None, inds: list[Indicator]) -> list[Flag]:
    out = []
    for ind in inds:
        if ind.below_kf:
            out.append(
                Flag(
                    "lagre-an-kf",
                    goal,
                    ind.name,
                    f"Nämndens årsmål ({_num(ind.target)}) är mindre ambitiöst än KF:s "
                    f"({_num(ind.kf_target)}); för indikatorn är "
                    f"{'ett högre' if ind.better == 'hogre' else 'ett lägre'} värde bättre.",
                )
            )
    if assessment is None:
        if inds:
            out.append(
                Flag("mal-utan-bedomning", goal, None, "Målet har indikatorer men ingen bedömning.")
            )
        return out
    if not inds:
        out.append(
            Flag("mal-utan-indikator", goal, None, "Målet är bedömt men saknar indikatorer.")
        )
        return out
    with_outcome = [i for i in inds if i.status in (MET, NOT_MET)]
    if assessment == "helt" and not with_outcome:
        out.append(
            Flag(
                "utfall-saknas",
                goal,
                None,
                "Målet bedöms uppfyllas helt, men "
                + (
                    "dess enda indikator har inget periodutfall."
                    if len(inds) == 1
                    else f"ingen av dess {len(inds)} indikatorer har periodutfall."
                ),
            )
        )
    missed = [i for i in with_outcome if i.status == NOT_MET]
    if assessment == "helt" and missed:
        out.extend(
            Flag(
                "bedomning-avviker",
                goal,
                i.name,
                "Målet bedöms uppfyllas helt, men indikatorn når inte "
                + (
                    f"periodens mål ({_num(i.outcome)} mot {_num(i.period_target)})."
                    if i.kind == CUMULATIVE and i.period_target != i.target
                    else f"nämndens årsmål ({_num(i.outcome)} mot {_num(i.target)})."
                ),
            )
            for i in missed
        )
    if assessment == "ej" and with_outcome and not missed:
        out.append(
            Flag(
                "bedomning-avviker",
                goal,
                None,
                "Målet bedöms inte uppfyllas, men alla indikatorer med utfall når sina årsmål.",
            )
        )
    return out


def _num(value: float | None) -> str:
    from budget.core import fmt

    return fmt.indicator_value(value, None)
