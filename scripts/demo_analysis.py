"""The demo's analysis text (analys-T2.docx): written as the förvaltning in Skärholmen would,
with the causes of the seed's tertialrapport 2 2017 (LSS costs shifted from
Försäkringskassan, hemtjänst volumes; surpluses in vård- och omsorgsboende, förskola and
ekonomiskt bistånd). Deterministic: fixed document dates and zip entry times.

It is the T2 report's analysis (``analys-T2.docx``): the T1 report of the same folder has
none, as the förvaltning wrote none then."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docx

from budget.report.render import word

LSS = "Stöd och service till personer med funktionsnedsättning"
STAMP = datetime(2017, 9, 8, 12, 0)

# (level, heading) or paragraphs: str = a paragraph; ("b", lead, rest) a paragraph with a
# bold lead; ("list", [items]); ("table", rows).
TEXT: list[tuple[object, ...]] = [
    (1, "Sammanfattning"),
    (
        "p",
        "Förvaltningen prognostiserar ett överskott på 13,0 mnkr för 2017. Överskottet kommer "
        "dels från åtgärder för en ekonomi i balans, dels från faktorer som förvaltningen inte "
        "styr över: färre barn i förskolan, färre månadsplaceringar i vård- och omsorgsboende "
        "och färre hushåll med ekonomiskt bistånd.",
    ),
    (
        "b",
        "Underskotten finns inom LSS och hemtjänst i egen regi. ",
        "Kostnader som tidigare bars av Försäkringskassan har förts över till nämnden när "
        "assistansersättningen prövats om, och ersättningen för LSS täcker inte kostnaderna i "
        "de nya bostäderna. Hemtjänsten i egen regi har färre beviljade timmar än planerat.",
    ),
    (1, "Förskoleverksamhet"),
    (
        "p",
        "Verksamheten visar ett överskott på 6,5 mnkr. Antalet inskrivna barn är lägre än "
        "budgeterat under hela våren, främst i Sätra och Bredäng, och ersättningen per barn "
        "följer antalet barn.",
    ),
    (1, "Äldreomsorg"),
    (
        "p",
        "Äldreomsorgen prognostiserar ett överskott på 7,5 mnkr. Volymerna minskar: färre "
        "månadsplaceringar i vård- och omsorgsboende och färre beviljade timmar i hemtjänsten.",
    ),
    (2, "Hemtjänst egen regi"),
    (
        "p",
        "Hemtjänsten i egen regi visar ett underskott på 3,5 mnkr. Färre beviljade timmar än "
        "planerat gör att intäkterna inte täcker personalkostnaden; scheman har anpassats "
        "enligt handlingsplanen för budget i balans.",
    ),
    (2, "Hemtjänst externa utförare"),
    (
        "p",
        "Överskottet på 3,0 mnkr beror på färre beviljade timmar hos de externa utförarna.",
    ),
    (2, "Vård- och omsorgsboende"),
    (
        "p",
        "Vård- och omsorgsboende visar ett överskott på 8,0 mnkr: fler äldre bor kvar hemma "
        "längre och antalet månadsplaceringar är lägre än budgeterat.",
    ),
    (1, LSS),
    (
        "p",
        "Området prognostiserar ett underskott på 9,0 mnkr, fördelat enligt tabellen.",
    ),
    (
        "table",
        [
            ["Delområde", "Avvikelse, mnkr"],
            ["Boende enligt LSS", "−6,0"],
            ["Daglig verksamhet", "−1,5"],
            ["Personlig assistans och övrigt stöd", "−1,5"],
        ],
    ),
    (2, "Boende enligt LSS"),
    (
        "b",
        "Kostnader har flyttats från Försäkringskassan till nämnden. ",
        "När Försäkringskassan prövat assistansersättningen på nytt har flera brukare fått "
        "sitt stöd i bostad med särskild service i stället, och två nya bostäder har öppnat "
        "under våren. Underskottet på 6,0 mnkr motsvarar kostnaden för de nya platserna. "
        "Åtgärder:",
    ),
    (
        "list",
        [
            "Bemanningen nattetid samordnas mellan närliggande gruppbostäder (beslutad).",
            "Förvaltningen begär ersättning i LSS-utjämningen för de nya platserna.",
        ],
    ),
    (2, "Daglig verksamhet"),
    (
        "p",
        "Fler deltagare än budgeterat ger ett underskott på 1,5 mnkr; inhyrd personal har "
        "ersatts med tillsvidareanställda.",
    ),
    (2, "Personlig assistans och övrigt stöd"),
    (
        "p",
        "Underskottet på 1,5 mnkr beror på köpt assistans när Försäkringskassan prövar "
        "ärenden på nytt. En omprövning av fyra brukares assistansersättning är planerad.",
    ),
    (1, "Individ- och familjeomsorg"),
    (
        "p",
        "Individ- och familjeomsorgen visar ett överskott på 1,0 mnkr, främst genom färre "
        "placeringar av barn och unga i familjehem.",
    ),
    (1, "Ekonomiskt bistånd"),
    (
        "p",
        "Ekonomiskt bistånd prognostiserar ett överskott på 5,5 mnkr. Antalet hushåll med "
        "ekonomiskt bistånd fortsätter att minska, också bland dem med långvarigt bistånd, "
        "tack vare arbetsmarknadsinsatserna.",
    ),
    (1, "Arbetsmarknadsåtgärder"),
    (
        "p",
        "Överskottet på 0,5 mnkr beror på att fler deltagare har gått vidare till anställning "
        "med stöd från Arbetsförmedlingen.",
    ),
]


def render() -> bytes:
    d = docx.Document()
    for entry in TEXT:
        kind = entry[0]
        if isinstance(kind, int):
            d.add_heading(str(entry[1]), kind)
        elif kind == "p":
            d.add_paragraph(str(entry[1]))
        elif kind == "b":
            p = d.add_paragraph()
            p.add_run(str(entry[1])).bold = True
            p.add_run(str(entry[2]))
        elif kind == "list":
            for item in entry[1]:  # type: ignore[attr-defined]
                d.add_paragraph(str(item), style="List Bullet")
        elif kind == "table":
            rows: list[list[str]] = entry[1]  # type: ignore[assignment]
            table = d.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    author = "Skärholmens stadsdelsförvaltning"
    return word.to_bytes(
        d, STAMP, title="Analys – Tertialrapport 2 2017", author=author, modified_by=author
    )


def write_analysis(folder: Path) -> None:
    (folder / "analys-T2.docx").write_bytes(render())


if __name__ == "__main__":
    import sys

    write_analysis(Path(sys.argv[1]))
