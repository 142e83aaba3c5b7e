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

    def count(self, assessment: str | None) -> int:
        return sum(1 for g in self.area_goals if g.assessment == assessment)

    @property
    def summary(self) -> str:
        n, full = len(self.area_goals), self.count("helt")
        return (
            f"Förvaltningen bedömer att {full} av {n} verksamhetsområdesmål uppfylls helt "
            "och därmed bidrar till att uppfylla inriktningsmålet."
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


def indicator_status(
    better: str, target: float | None, outcome: float | None, periodicity: str, period: int
) -> str:
    """Met, not met, or why there is nothing to judge yet (direction-aware)."""
    if outcome is None:
        return ANNUAL if periodicity == "ar" and period < 12 else MISSING
    if target is None:
        return NO_TARGET
    met = outcome >= target if better == "hogre" else outcome <= target
    return MET if met else NOT_MET


def below_kf(better: str, target: float | None, kf_target: float | None) -> bool:
    """Is the nämnd's target less ambitious than kommunfullmäktige's?"""
    if target is None or kf_target is None:
        return False
    return target < kf_target if better == "hogre" else target > kf_target


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
                    r["better"], r["target"], r["outcome"], r["periodicity"], period
                ),
                below_kf=below_kf(r["better"], r["target"], r["kf_target"]),
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
        directions.append(DirectionGoal(dname, d_assessment, d_comment, tuple(built)))
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
                "Målet bedöms uppfyllas helt, men indikatorn når inte nämndens årsmål "
                f"({_num(i.outcome)} mot {_num(i.target)}).",
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
