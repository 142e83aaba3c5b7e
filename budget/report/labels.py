"""What the report calls the toolkit's codes: methods, assessments, statuses, flags.

Written once here; the renderers (HTML, charts, workbooks) take their words from this module.
"""

from __future__ import annotations

from budget.core import goals
from budget.core.methods import MIXED, Method, VolumeRest

METHOD_LABELS = {
    Method.LINEAR.value: "Linjär",
    Method.SEASONAL.value: "Säsong",
    Method.BUDGET_REST.value: "Utfall + budgetrest",
    Method.BUDGET.value: "Budget",
    Method.MANUAL.value: "Manuell",
    Method.VOLUME.value: "Volym × pris",
    MIXED: "Per delområde",
}


INDICATOR_STATUS_LABELS = {
    goals.MET: "Uppfyllt",
    goals.NOT_MET: "Ej uppfyllt",
    goals.ANNUAL: "Årsindikator, utfall vid årets slut",
    goals.MISSING: "Utfall saknas",
    goals.NO_TARGET: "Årsmål saknas",
}
ASSESSMENT_LABELS = {
    "helt": "Uppfylls helt",
    "delvis": "Uppfylls delvis",
    "ej": "Uppfylls ej",
    None: "Ej bedömd",
}

FLAG_LABELS = {
    "utfall-saknas": "Bedömt som helt uppfyllt utan periodutfall",
    "lagre-an-kf": "Nämndens årsmål är mindre ambitiöst än kommunfullmäktiges",
    "bedomning-avviker": "Bedömningen avviker från indikatorerna",
    "mal-utan-indikator": "Mål utan indikator",
    "mal-utan-bedomning": "Mål utan bedömning",
}

REST_LABELS = {
    VolumeRest.RUN_RATE.value: "återstående månader i takt med de tre senaste månaderna",
    VolumeRest.BUDGET.value: "återstående månader enligt budgeterad volym",
}
