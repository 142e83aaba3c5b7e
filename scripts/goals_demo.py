"""The demo's goals (mal.xlsx): Stockholms stad's goal structure of 2017, as the protocol
of Skärholmen's T2 2017 assesses it: 4 inriktningsmål with 7, 6, 5 and 8
verksamhetsområdesmål, of which 6, 5, 5 and 6 are assessed "Uppfylls helt".

Indicator figures are invented but plausible; where the protocol names a figure
(trygghet 52 % against 51 % last year, renhållning 60 % against 58 %, AMI 83 %
against 80 %) it is used.
"""

from __future__ import annotations

from pathlib import Path

from budget.edge.sheets import ASSESSMENT
from scripts.xlsxio import write_workbook

H, D, E = "Uppfylls helt", "Uppfylls delvis", "Uppfylls ej"

# (inriktningsmål, [(vo-mål, bedömning, [(indikator, enhet, riktning, KF, nämnd,
#   periodicitet, periodutfall, föregående år)])])
GOALS: list[tuple[str, list[tuple[str, str, list[tuple[object, ...]]]]]] = [
    (
        "Ett Stockholm som håller samman",
        [
            (
                "Alla barn i Stockholm har goda och jämlika uppväxtvillkor",
                D,
                [
                    ("Andel förskollärare i förskolan", "%", "Högre", 40, 40, "Tertial", 41, 39),
                    ("Andel inskrivna barn i förskolan", "%", "Högre", 90, 90, "Tertial", 91, 90),
                    ("Andel nöjda föräldrar i förskolan", "%", "Högre", 90, 86, "År", None, 80),
                ],
            ),
            (
                "Tidiga sociala insatser skapar jämlika livschanser för alla",
                H,
                [
                    (
                        "Andel barn och unga som inte återaktualiseras ett år efter insats",
                        "%",
                        "Högre",
                        78,
                        78,
                        "Tertial",
                        80,
                        77,
                    ),
                ],
            ),
            (
                "Stockholm är en stad med levande och trygga stadsdelar",
                H,
                [
                    (
                        "Andel invånare som känner sig trygga i sin stadsdel",
                        "%",
                        "Högre",
                        52,
                        52,
                        "År",
                        None,
                        51,
                    ),
                    (
                        "Andel invånare som är nöjda med renhållningen i sin stadsdel",
                        "%",
                        "Högre",
                        60,
                        60,
                        "År",
                        None,
                        58,
                    ),
                ],
            ),
            (
                "Stockholm har ett rikt utbud av idrott och fritid",
                H,
                [
                    (
                        "Andel unga som är nöjda med fritidsgårdarnas verksamhet",
                        "%",
                        "Högre",
                        80,
                        80,
                        "Tertial",
                        82,
                        79,
                    ),
                ],
            ),
            (
                "Alla äldre har en trygg ålderdom och får en äldreomsorg av god kvalitet",
                H,
                [
                    ("Andel nöjda brukare i hemtjänst", "%", "Högre", 90, 88, "År", None, 87),
                    (
                        "Andel nöjda brukare i vård- och omsorgsboende",
                        "%",
                        "Högre",
                        85,
                        85,
                        "År",
                        None,
                        84,
                    ),
                    (
                        "Andel nöjda brukare i dagverksamhet, egen regi",
                        "%",
                        "Högre",
                        90,
                        90,
                        "År",
                        None,
                        88,
                    ),
                ],
            ),
            (
                "Personer med funktionsnedsättning har goda levnadsvillkor",
                H,
                [
                    (
                        "Andel nöjda brukare i bostad med särskild service LSS",
                        "%",
                        "Högre",
                        85,
                        85,
                        "Tertial",
                        86,
                        84,
                    ),
                ],
            ),
            (
                "Fler invånare blir självförsörjande",
                H,
                [
                    (
                        "Antal hushåll med ekonomiskt bistånd",
                        "antal",
                        "Lägre",
                        None,
                        1350,
                        "Tertial",
                        1290,
                        1380,
                    ),
                    (
                        "Andel långvarigt biståndsmottagande",
                        "%",
                        "Lägre",
                        35,
                        35,
                        "Tertial",
                        33,
                        36,
                    ),
                ],
            ),
        ],
    ),
    (
        "Ett klimatsmart Stockholm",
        [
            (
                "Energianvändningen är hållbar",
                H,
                [
                    (
                        "Energianvändning i nämndens lokaler, kWh/kvm",
                        "kWh/kvm",
                        "Lägre",
                        140,
                        140,
                        "År",
                        None,
                        142,
                    ),
                ],
            ),
            (
                "Nämndens transporter är miljöanpassade",
                D,
                [
                    (
                        "Andel miljöbilar av nämndens fordon",
                        "%",
                        "Högre",
                        100,
                        100,
                        "Tertial",
                        88,
                        82,
                    ),
                ],
            ),
            (
                "Stockholms miljö är giftfri",
                H,
                [
                    (
                        "Andel förskolor som har inventerat och bytt ut material med farliga ämnen",
                        "%",
                        "Högre",
                        100,
                        100,
                        "Tertial",
                        100,
                        95,
                    ),
                ],
            ),
            (
                "Stockholm har en hållbar avfallshantering",
                H,
                [
                    (
                        "Andel verksamheter som sorterar matavfall",
                        "%",
                        "Högre",
                        90,
                        90,
                        "Tertial",
                        93,
                        85,
                    ),
                ],
            ),
            (
                "Stockholms natur och parker är gröna och tillgängliga",
                H,
                [
                    (
                        "Andel invånare som är nöjda med parker och grönområden",
                        "%",
                        "Högre",
                        70,
                        70,
                        "År",
                        None,
                        72,
                    ),
                ],
            ),
            (
                "Stockholm är en hållbar stad med ett minskat klimatavtryck",
                H,
                [
                    (
                        "Andel tjänsteresor med kollektivtrafik, cykel eller gång",
                        "%",
                        "Högre",
                        80,
                        80,
                        "Tertial",
                        84,
                        81,
                    ),
                ],
            ),
        ],
    ),
    (
        "Ett ekonomiskt hållbart Stockholm",
        [
            (
                "Stockholm är en företagsvänlig stad",
                H,
                [
                    (
                        "Nöjd kund-index för företagare, serveringstillstånd",
                        "index",
                        "Högre",
                        75,
                        75,
                        "År",
                        None,
                        76,
                    ),
                ],
            ),
            (
                "Fler jobbar, har trygga anställningar och försörjer sig själva",
                H,
                [
                    (
                        "Andel deltagare på Jobbtorg som börjat arbeta eller studera",
                        "%",
                        "Högre",
                        40,
                        40,
                        "Tertial",
                        44,
                        41,
                    ),
                ],
            ),
            (
                "Stockholms stads ekonomi är långsiktigt hållbar",
                H,
                [
                    (
                        "Budgetföljsamhet, prognosavvikelse mot budget",
                        "%",
                        "Nära målet",
                        0,
                        0,
                        "Tertial",
                        1.2,
                        0.4,
                    ),
                ],
            ),
            (
                "Stockholm har en effektiv och kvalitativ verksamhet",
                H,
                [
                    (
                        "Andel e-tjänster av nämndens ansökningar",
                        "%",
                        "Högre",
                        30,
                        30,
                        "Tertial",
                        34,
                        25,
                    ),
                ],
            ),
            (
                "Nämndens upphandlingar är hållbara",
                H,
                [
                    (
                        "Andel avtal med uppföljda sociala krav",
                        "%",
                        "Högre",
                        80,
                        80,
                        "Tertial",
                        85,
                        78,
                    ),
                ],
            ),
        ],
    ),
    (
        "Ett demokratiskt hållbart Stockholm",
        [
            (
                "Stockholm är en jämställd stad där makt och resurser fördelas lika",
                H,
                [
                    (
                        "Andel verksamheter som jämställdhetsanalyserat sina tjänster",
                        "%",
                        "Högre",
                        50,
                        50,
                        "Tertial",
                        55,
                        45,
                    ),
                ],
            ),
            (
                "Stockholms stad är en bra arbetsgivare med goda arbetsvillkor",
                H,
                [
                    ("Aktivt medskapandeindex (AMI)", "%", "Högre", 80, 80, "År", 83, 80),
                    ("Sjukfrånvaro", "%", "Lägre", 6.5, 7.5, "Tertial", 7.3, 7.9),
                ],
            ),
            (
                "Stockholm är en stad som lever upp till mänskliga rättigheter och är fritt från "
                "diskriminering",
                D,
                [
                    (
                        "Andel verksamheter med rutiner mot diskriminering",
                        "%",
                        "Högre",
                        100,
                        100,
                        "Tertial",
                        91,
                        88,
                    ),
                ],
            ),
            (
                "Stockholm är en stad som respekterar och lever upp till barnets rättigheter i "
                "enlighet med FN:s barnkonvention",
                D,
                [
                    (
                        "Andel beslut där barnets bästa har utretts",
                        "%",
                        "Högre",
                        100,
                        100,
                        "Tertial",
                        94,
                        90,
                    ),
                ],
            ),
            (
                "Stockholm är en tillgänglig stad för alla",
                H,
                [
                    (
                        "Andel lokaler som är tillgänglighetsinventerade",
                        "%",
                        "Högre",
                        100,
                        100,
                        "Tertial",
                        100,
                        96,
                    ),
                ],
            ),
            (
                "Stockholm är en demokratisk stad där invånarna har inflytande",
                H,
                [
                    ("Antal medborgardialoger", "antal", "Högre", None, 6, "Tertial", 5, 8),
                ],
            ),
            (
                "Invånarna får god service och bemötande",
                H,
                [
                    (
                        "Andel invånare som får svar på e-post inom en arbetsdag",
                        "%",
                        "Högre",
                        95,
                        95,
                        "Tertial",
                        97,
                        94,
                    ),
                ],
            ),
            (
                "Nämndens verksamheter har god intern kontroll",
                H,
                [
                    (
                        "Andel genomförda kontrollmoment i internkontrollplanen",
                        "%",
                        "Högre",
                        100,
                        100,
                        "Tertial",
                        100,
                        100,
                    ),
                ],
            ),
        ],
    ),
]

COMMENTS = {
    "Alla barn i Stockholm har goda och jämlika uppväxtvillkor": (
        "Andelen förskollärare och inskrivna barn når målen. Andelen nöjda föräldrar "
        "når inte målet men har ökat med tre procentenheter sedan 2016."
    ),
    "Alla äldre har en trygg ålderdom och får en äldreomsorg av god kvalitet": (
        "Resultaten i brukarundersökningen för dagverksamhet i egen regi sjunker; "
        "en handlingsplan finns."
    ),
    "Stockholms stads ekonomi är långsiktigt hållbar": (
        "Förvaltningen prognostiserar ett överskott om 13 mnkr."
    ),
    "Stockholms stad är en bra arbetsgivare med goda arbetsvillkor": (
        "AMI har ökat från 80 till 83 procent och sjukfrånvaron minskar."
    ),
}


# Indicator kinds beyond a level judged on the year's target (mal.xlsx, Typ and Tolerans).
KINDS = {"Antal medborgardialoger": "Ackumulerad"}
TOLERANCES = {"Budgetföljsamhet, prognosavvikelse mot budget": 1.5}


def write_goals(folder: Path) -> None:
    indicators = []
    assessments = []
    for direction, area_goals in GOALS:
        assessments.append(
            [
                "Inriktningsmål",
                direction,
                H,
                "Nämnden bedöms genom sina mål bidra till att inriktningsmålet uppfylls.",
            ]
        )
        for goal, assessment, inds in area_goals:
            assessments.append(["Verksamhetsområdesmål", goal, assessment, COMMENTS.get(goal, "")])
            for name, unit, better, kf, own, periodicity, outcome, last in inds:
                indicators.append(
                    [
                        direction,
                        goal,
                        name,
                        unit,
                        better,
                        kf,
                        own,
                        periodicity,
                        outcome,
                        last,
                        KINDS.get(name, "Nivå"),
                        TOLERANCES.get(name),
                    ]
                )
    write_workbook(
        folder / "mal.xlsx",
        {
            "Indikatorer": (
                [],
                [
                    "Inriktningsmål",
                    "Verksamhetsområdesmål",
                    "Indikator",
                    "Enhet",
                    "Riktning",
                    "KF:s årsmål",
                    "Nämndens årsmål",
                    "Periodicitet",
                    "Periodutfall",
                    "Föregående år",
                    "Typ",
                    "Tolerans",
                ],
                indicators,
            ),
            "Bedömningar": ([], ASSESSMENT.header("Kommentar"), assessments),
        },
    )
