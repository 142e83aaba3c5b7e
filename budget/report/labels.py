"""What the report calls the toolkit's codes: methods, assessments, statuses, flags.

Written once here; the renderers (HTML, charts, workbooks) take their words from this module.
"""

from __future__ import annotations

from budget.core import goals, review
from budget.core.forecast import METHODS
from budget.core.methods import MIXED, VolumeRest

# Each method's label is its record's; an area whose delområden differ is "Per delområde".
METHOD_LABELS = {m.value: r.label for m, r in METHODS.items()} | {MIXED: "Per delområde"}


INDICATOR_STATUS_LABELS = {
    goals.MET: "Uppfyllt",
    goals.NOT_MET: "Ej uppfyllt",
    goals.ANNUAL: "Årsindikator, utfall vid årets slut",
    goals.MISSING: "Utfall saknas",
    goals.NO_TARGET: "Årsmål saknas",
}
# How an assessment reads. At T1 and T2 it is a forecast for the year ("bedöms uppfyllas"),
# at year end a fact; a nämnd contributes to kommunfullmäktige's inriktningsmål rather than
# fulfilling them (the opposition's point in the Skärholmen T2 2017 protocol).
_AREA_FORECAST = {
    "helt": "Bedöms uppfyllas helt",
    "delvis": "Bedöms uppfyllas delvis",
    "ej": "Bedöms inte uppfyllas",
}
_AREA_YEAR_END = {"helt": "Uppfylldes helt", "delvis": "Uppfylldes delvis", "ej": "Uppfylldes inte"}
_DIRECTION_FORECAST = {
    "helt": "Bedöms bidra helt till målet",
    "delvis": "Bedöms bidra delvis till målet",
    "ej": "Bedöms inte bidra till målet",
}
_DIRECTION_YEAR_END = {
    "helt": "Bidrog helt till målet",
    "delvis": "Bidrog delvis till målet",
    "ej": "Bidrog inte till målet",
}
NOT_ASSESSED = "Ej bedömd"
# What a goal's assessment rests on (contract §7).
EVIDENCE_LABELS = {
    goals.EVIDENCE_FULL: "Utfall för alla indikatorer",
    goals.EVIDENCE_PARTLY: "Utfall för en del av indikatorerna",
    goals.EVIDENCE_NONE: "Inget periodutfall",
}
# The counts in the goals chart: "6 helt", "1 delvis".
ASSESSMENT_SHORT = {
    "helt": "helt",
    goals.FULL_WITHOUT_OUTCOME: "helt utan utfall",
    "delvis": "delvis",
    "ej": "inte",
    None: "ej bedömda",
}


def assessment_label(assessment: str | None, year_end: bool, direction: bool = False) -> str:
    """An assessment as the report words it (see above)."""
    if assessment is None:
        return NOT_ASSESSED
    if assessment == goals.FULL_WITHOUT_OUTCOME:
        return assessment_label("helt", year_end, direction) + " – utan utfall"
    if direction:
        return (_DIRECTION_YEAR_END if year_end else _DIRECTION_FORECAST)[assessment]
    return (_AREA_YEAR_END if year_end else _AREA_FORECAST)[assessment]


FLAG_LABELS = {
    "utfall-saknas": "Bedömt som helt uppfyllt utan periodutfall",
    "lagre-an-kf": "Nämndens årsmål är mindre ambitiöst än kommunfullmäktiges",
    "bedomning-avviker": "Bedömningen avviker från indikatorerna",
    "mal-utan-indikator": "Mål utan indikator",
    "mal-utan-bedomning": "Mål utan bedömning",
    "mal-under-foregaende-ar": "Årsmålet är lägre satt än föregående års utfall",
}

# Att granska about the figures (contract §7): the labels of core/review.py's registry.
REVIEW_LABELS = review.LABELS

# The budget the forecast is compared with. While changes requested in this report are not
# yet decided, it is not the revised budget: the document says what it is, and shows the
# decided budget (original + granted changes) beside it.
REVISED = "Reviderad budget"
AFTER_REQUESTS = "Budget efter begärda förändringar"
DECIDED = "Beslutad budget"


def budget_label(has_requests: bool) -> str:
    return AFTER_REQUESTS if has_requests else REVISED


# Budget changes are written as the controllers enter them: how much each budget rises. The
# column says so, since the economy tables write costs as negative amounts.
CHANGE_COSTS = "Kostnadsbudgeten ökar med (kr)"
CHANGE_REVENUES = "Intäktsbudgeten ökar med (kr)"
CHANGE_NET = "Nettoeffekt (kr, intäkter − kostnader)"


REST_LABELS = {
    VolumeRest.RUN_RATE.value: "återstående månader i takt med de tre senaste månaderna",
    VolumeRest.BUDGET.value: "återstående månader enligt budgeterad volym",
}
