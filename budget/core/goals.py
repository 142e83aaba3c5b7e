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
    # The target the status is judged against: the more ambitious of KF's and the nämnd's.
    judged_target: float | None = None
    # The judged target asks less than last year's outcome already reached.
    below_last_year: bool = False

    @property
    def has_outcome(self) -> bool:
        return self.outcome is not None


# What a goal's assessment rests on (contract §7): every indicator has an outcome for the
# period, some have, or none has.
EVIDENCE_FULL, EVIDENCE_PARTLY, EVIDENCE_NONE = "utfall", "delvis", "saknas"


# A goal assessed as fulfilled that no indicator outcome supports: never the plain colour.
FULL_WITHOUT_OUTCOME = "helt-utan-utfall"
SHOWN_ASSESSMENTS: tuple[str | None, ...] = ("helt", FULL_WITHOUT_OUTCOME, "delvis", "ej", None)


def shown_assessment(assessment: str | None, found: str) -> str | None:
    if assessment == "helt" and found == EVIDENCE_NONE:
        return FULL_WITHOUT_OUTCOME
    return assessment


def evidence(indicators: tuple[Indicator, ...] | list[Indicator]) -> str:
    """``utfall`` when every indicator has an outcome, ``delvis`` when some, else ``saknas``."""
    found = sum(1 for i in indicators if i.has_outcome)
    if indicators and found == len(indicators):
        return EVIDENCE_FULL
    return EVIDENCE_PARTLY if found else EVIDENCE_NONE


@dataclass(frozen=True)
class AreaGoal:
    name: str
    assessment: str | None
    comment: str | None
    indicators: tuple[Indicator, ...]

    @property
    def evidence(self) -> str:
        return evidence(self.indicators)

    @property
    def shown(self) -> str | None:
        """The assessment as the document shows it: fulfilled without an outcome is its own."""
        return shown_assessment(self.assessment, self.evidence)


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
    def evidence(self) -> str:
        return evidence([i for g in self.area_goals for i in g.indicators])

    @property
    def shown(self) -> str | None:
        return shown_assessment(self.assessment, self.evidence)

    def count_shown(self, key: str | None) -> int:
        return sum(1 for g in self.area_goals if g.shown == key)

    @property
    def summary(self) -> str:
        n, full = len(self.area_goals), self.count("helt")
        if self.year_end:
            return (
                f"{full} av {n} verksamhetsområdesmål uppfylldes helt under året; genom dem "
                "bidrog nämnden till kommunfullmäktiges inriktningsmål."
            )
        bare = self.count_shown(FULL_WITHOUT_OUTCOME)
        rest = (
            f" ({bare} av dem utan något periodutfall som stöd)"
            if bare > 1
            else " (ett av dem utan något periodutfall som stöd)"
            if bare
            else ""
        )
        return (
            f"Förvaltningen bedömer att {full} av {n} verksamhetsområdesmål kommer att "
            f"uppfyllas helt under året{rest}; genom dem bidrar nämnden till "
            "kommunfullmäktiges inriktningsmål."
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


def more_ambitious(better: str, target: float | None, kf_target: float | None) -> float | None:
    """The target that asks more of the two (KF's or the nämnd's); either when one is missing."""
    if target is None or kf_target is None or better == NEAR:
        return target if target is not None else kf_target
    return max(target, kf_target) if better == HIGHER else min(target, kf_target)


def below_last_year(better: str, target: float | None, last_year: float | None) -> bool:
    """Does the year's target ask less than what was reached last year?"""
    if target is None or last_year is None or better == NEAR:
        return False
    return target < last_year if better == HIGHER else target > last_year


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
        ambitious = more_ambitious(r["better"], r["target"], r["kf_target"])
        judged = period_target(kind, ambitious, r.get("period_target"), period)
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
                judged_target=ambitious,
                below_last_year=below_last_year(r["better"], ambitious, r["last_year"]),
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
                    f"Nämndens årsmål ({_num(ind.target, ind.unit)}) är mindre ambitiöst än KF:s "
                    f"({_num(ind.kf_target, ind.unit)}); för indikatorn är "
                    f"{'ett högre' if ind.better == 'hogre' else 'ett lägre'} värde bättre.",
                )
            )
        if ind.below_last_year:
            out.append(
                Flag(
                    "mal-under-foregaende-ar",
                    goal,
                    ind.name,
                    f"Årsmålet ({_num(ind.judged_target, ind.unit)}) är mindre ambitiöst än "
                    f"föregående års utfall ({_num(ind.last_year, ind.unit)}).",
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
                    "periodens mål"
                    if i.kind == CUMULATIVE and i.period_target != i.judged_target
                    else _target_name(i)
                )
                + f" ({_num(i.outcome, i.unit)} mot {_num(i.period_target, i.unit)}).",
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


def _target_name(ind: Indicator) -> str:
    """Whose target an indicator is judged against, for a message."""
    if ind.judged_target == ind.target:
        return "nämndens årsmål"
    return "KF:s årsmål"


def _num(value: float | None, unit: str | None = None) -> str:
    from budget.core import fmt

    return fmt.indicator_value(value, unit)
