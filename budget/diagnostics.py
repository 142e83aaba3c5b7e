"""Diagnostics: problems found in the user's inputs, as values.

A diagnostic (Swedish: fel or varning) carries where it was found (file, sheet,
cell, column), the value found, the rule broken and how to fix it. Codes are
stable: tests assert on them, and ``docs/fel.md`` lists them all.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from typing_extensions import TypedDict


class Severity(StrEnum):
    ERROR = "fel"
    WARNING = "varning"


@dataclass(frozen=True)
class Rule:
    """A catalogue entry: what a code means and how to fix it, in Swedish."""

    code: str
    severity: Severity
    title: str
    fix: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    """The catalogue by code; a code given to two rules is a programming error, caught at
    import (a dict would keep the last and document one meaning under the other's title)."""
    seen: set[str] = set()
    for r in rules:
        if r.code in seen:
            raise ValueError(f"diagnostic code {r.code} is given to two rules")
        seen.add(r.code)
    return {r.code: r for r in sorted(rules, key=lambda r: r.code)}


E, W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, Rule] = _rules(
    # Files and workbooks
    Rule("E001", E, "Obligatorisk fil saknas", "Lägg filen i indatamappen."),
    Rule(
        "E002",
        E,
        "Filen är ingen Excel-arbetsbok (.xlsx)",
        "Öppna filen i Excel eller LibreOffice och spara den som Excel-arbetsbok (.xlsx).",
    ),
    Rule(
        "E003",
        E,
        "Arbetsbladet saknas",
        "Byt namn på bladet eller lägg till det; bladnamnet anges i kontraktet.",
    ),
    Rule(
        "E004",
        E,
        "Rubrikraden hittades inte",
        "Kontrollera att bladet har en rubrikrad med de obligatoriska kolumnerna.",
    ),
    Rule("E005", E, "Obligatorisk kolumn saknas", "Lägg till kolumnen i rubrikraden."),
    Rule(
        "E006",
        E,
        "Cellen innehåller ett formelfel",
        "Rätta formeln i Excel eller ersätt den med ett värde.",
    ),
    Rule("E007", E, "Filen är lösenordsskyddad eller krypterad", "Spara en kopia utan lösenord."),
    Rule(
        "E008",
        E,
        "Filen är orimligt stor (på disk eller uppackad)",
        "Kontrollera att det är rätt fil: den är större än gränsen som meddelandet anger "
        "(eller packas upp till mer) och läses inte. Exportera en mindre fil, t.ex. bara "
        "årets period, eller spara arbetsboken på nytt i Excel eller LibreOffice.",
    ),
    Rule(
        "E009",
        E,
        "Filformatet stöds inte",
        "Spara filen som Excel-arbetsbok (.xlsx) i Excel eller LibreOffice.",
    ),
    Rule(
        "E010",
        E,
        "Inställningsfilen namnd.toml kan inte läsas",
        "Rätta syntaxen på den angivna raden (TOML).",
    ),
    Rule("E011", E, "Ogiltig inställning i namnd.toml", "Använd ett av de tillåtna värdena."),
    Rule(
        "E012",
        E,
        "Bladet sträcker sig utanför rimliga gränser",
        "Ta bort celler långt utanför tabellen (markera de tomma kolumnerna och raderna och "
        "välj Ta bort), eller spara om filen i Excel eller LibreOffice.",
    ),
    Rule(
        "E013",
        E,
        "Ett dolt blad har det förväntade namnet",
        "Ta bort det dolda bladet eller visa det och byt namn på det andra, så att det blad "
        "som ska läsas är det enda med namnet.",
    ),
    Rule(
        "E015",
        E,
        "Filen kan inte läsas",
        "Kontrollera att filen finns och är en vanlig fil (inte en mapp med filens namn eller "
        "en genväg som pekar fel), att du har behörighet att läsa den (fråga den som äger "
        "mappen), och att den inte är låst av ett annat program.",
    ),
    Rule(
        "E016",
        E,
        "Filen är ingen SIE-fil",
        "Exportera huvudboken på nytt som SIE 4 (typ 4, PC8) från ekonomisystemet.",
    ),
    Rule(
        "E018",
        E,
        "Samma kolumn eller blad finns flera gånger",
        "Byt namn på eller ta bort den ena, så att det bara finns en kolumn (ett blad) med "
        "namnet; alias räknas som samma namn (t.ex. Belopp och Utfall).",
    ),
    Rule(
        "E019",
        E,
        "Ett datumformaterat värde ligger utanför Excels datum",
        "Leta i bladet efter en cell med datum- eller tidsformat och ett mycket stort eller "
        "negativt tal; ge cellen formatet Tal (eller Allmänt), eller rätta värdet.",
    ),
    Rule(
        "E020",
        E,
        "Ett filnamn har tecken som inte kan visas",
        "Döp om filen med vanliga bokstäver, siffror och bindestreck (t.ex. utfall-2017.xlsx). "
        "Namnet har ett styrtecken eller tecken som inte är UTF-8; de visas här som \\x…",
    ),
    Rule(
        "E014",
        E,
        "Föregående rapport är ingen giltig rapport-JSON",
        "Ange en JSON-rapport som budget har skrivit (--previous), eller ta bort flaggan.",
    ),
    # Cells
    Rule(
        "E101",
        E,
        "Värdet är inte ett tal",
        "Skriv ett tal, t.ex. 1234,50 eller -1234. Parenteser för minus godtas inte.",
    ),
    Rule("E102", E, "Värdet är inte ett heltal", "Skriv ett heltal."),
    Rule("E103", E, "Obligatoriskt värde saknas", "Fyll i cellen."),
    Rule("E104", E, "Året är orimligt", "Skriv ett årtal, t.ex. 2017."),
    Rule(
        "E105",
        E,
        "Perioden är ogiltig",
        "Skriv månaden som 1–12 eller som ÅÅÅÅMM i samma år som kolumnen År.",
    ),
    Rule("E106", E, "Kontot är inte fyra siffror", "Skriv kontot som fyra siffror, t.ex. 4010."),
    Rule(
        "E107",
        E,
        "Okänd kontoklass",
        "Kommun-Bas: klass 3 intäkter, 4–7 kostnader, 1, 2 och 8 utanför resultatet.",
    ),
    Rule("E108", E, "Värdet är inte tillåtet", "Använd ett av de tillåtna värdena."),
    Rule("E109", E, "Beloppet eller talet är orimligt stort", "Kontrollera värdet."),
    Rule(
        "E110", E, "Andelen ligger inte mellan 0 och 1", "Skriv andelen som ett tal mellan 0 och 1."
    ),
    Rule(
        "E112",
        E,
        "Koden innehåller otillåtna tecken",
        "Skriv koden med siffrorna 0–9 (och bokstäver); styrtecken och siffror från andra "
        "skriftsystem godtas inte.",
    ),
    Rule(
        "E113",
        E,
        "Beloppet har tvetydiga skiljetecken",
        "Skriv beloppet utan tusentalspunkt och med decimalkomma, t.ex. 12500 eller 12,50, "
        "eller skriv det som ett tal i Excel.",
    ),
    Rule(
        "E114",
        E,
        "Raden kan inte användas",
        "Rätta raden; den räknas varken som använd eller som hoppad över.",
    ),
    Rule(
        "E115",
        E,
        "Verifikationen balanserar inte",
        "Summan av en verifikations transaktioner ska vara noll; exportera filen på nytt "
        "eller rätta verifikationen i ekonomisystemet.",
    ),
    Rule(
        "E116",
        E,
        "SIE-posten kan inte tolkas",
        "Kontrollera raden i filen: fälten ska följa SIE 4-formatet.",
    ),
    Rule(
        "E117",
        E,
        "Raden har fler eller färre fält än rubrikraden",
        "Ett fält som innehåller avgränsaren (ett decimalkomma i en kommaseparerad fil) ska stå "
        'inom citattecken, t.ex. "1234,50"; exportera filen på nytt med semikolon som '
        "avgränsare, eller öppna den i Excel och spara den som Excel-arbetsbok (.xlsx).",
    ),
    Rule(
        "E118",
        E,
        "Samma verifikation finns två gånger i SIE-filen",
        "En verifikation (serie och nummer) ska finnas en gång; exportera filen på nytt, eller "
        "ta bort den ena om två exporter har slagits ihop.",
    ),
    # Consistency and references
    Rule(
        "E111",
        E,
        "Beloppet eller talet får inte vara negativt",
        "Skriv prognoser, volymer och priser som positiva tal; kostnader och intäkter "
        "skiljs åt av kolumnen, inte av tecknet.",
    ),
    Rule(
        "E201",
        E,
        "Verksamhetskoden är kopplad till flera verksamhetsområden",
        "Ange ett verksamhetsområde per verksamhetskod.",
    ),
    Rule(
        "E202",
        E,
        "Okänt verksamhetsområde eller delområde",
        "Använd ett verksamhetsområde och delområde som finns i struktur.xlsx (bladet "
        "Verksamheter).",
    ),
    Rule(
        "E203",
        E,
        "Omslutningsförändringen är inte balanserad",
        "En omslutningsförändring ändrar kostnader och intäkter lika mycket.",
    ),
    Rule(
        "E204",
        E,
        "Periodiseringens andelar summerar inte till 1",
        "Justera andelarna så att de summerar till 1 för området.",
    ),
    Rule(
        "E205",
        E,
        "Manuell prognos saknas",
        "Lägg till en rad i prognos.xlsx för området (och varje delområde) eller byt metod.",
    ),
    Rule("E206", E, "Samma mål är bedömt flera gånger", "Behåll en bedömning per mål."),
    Rule("E207", E, "Okänt mål", "Målet måste finnas i bladet Indikatorer."),
    Rule(
        "E208",
        E,
        "Ingen huvudboksrad för rapportåret",
        "Kontrollera År och Period i utfallsfilerna, eller välj ett annat år i namnd.toml.",
    ),
    Rule(
        "E209",
        E,
        "Prognosmetoden kräver en fil som saknas",
        "Lägg till filen eller välj en annan prognosmetod i namnd.toml.",
    ),
    Rule(
        "E210",
        E,
        "Perioden saknar utfall",
        "Välj en period som har bokförda rader, eller komplettera utfallsfilerna.",
    ),
    # Returned prognosunderlag (budget samla)
    Rule(
        "E211",
        E,
        "Arbetsboken är inget prognosunderlag",
        "Skicka tillbaka den arbetsbok som budget underlag skrev, ifylld; lägg andra filer "
        "utanför mappen.",
    ),
    Rule(
        "E212",
        E,
        "Underlaget gäller en annan nämnd, ett annat år eller en annan period",
        "Be enheten fylla i underlaget för den här perioden.",
    ),
    Rule("E213", E, "Okänt ansvar", "Ansvaret måste finnas i struktur.xlsx, bladet Ansvar."),
    Rule(
        "E214",
        E,
        "En förifylld cell är ändrad",
        "Ändra tillbaka cellen, eller skriv ett nytt underlag med budget underlag.",
    ),
    Rule(
        "E215",
        E,
        "Underskott utan åtgärder",
        "Enheten prognostiserar ett underskott: be den fylla i Åtgärder.",
    ),
    # The year as a register (contract §8)
    Rule(
        "E241",
        E,
        "Perioden är ingen månad 1–12",
        "Skriv rapportperioden som en månad 1–12 eller som T1, T2 eller T3 (= 4, 8, 12).",
    ),
    Rule(
        "E242",
        E,
        "Okänt tertial eller ingen period",
        "Skriv T1, T2 eller T3 (= månad 4, 8, 12), eller en månad 1–12.",
    ),
    Rule(
        "E243",
        E,
        "Förändringen är beviljad före den begärdes",
        "Beviljad i kan inte ligga före Begärd i: rätta den ena perioden.",
    ),
    Rule(
        "E244",
        E,
        "Förändringen saknar status",
        "Fyll i Status (Beviljad eller Begärd), eller Begärd i och/eller Beviljad i.",
    ),
    Rule(
        "E230",
        E,
        "Utskicksregistret saknas",
        "samla kontrollerar de inlämnade underlagen mot utskick.json, som budget underlag "
        "skriver bredvid arbetsböckerna. Ange den mappen med --underlag MAPP (som standard "
        "letar samla i underlag/<indatamapp>-<period>/ och i mappen med de inlämnade), eller "
        "skriv underlaget på nytt med budget underlag och skicka ut det igen.",
    ),
    Rule(
        "E231",
        E,
        "Utskicksregistret kan inte användas",
        "Använd utskick.json som budget underlag skrev för den här nämnden och perioden, "
        "oförändrad; skriv annars underlaget på nytt och skicka ut det igen.",
    ),
    Rule(
        "E232",
        E,
        "Underlaget skickades inte till den enheten",
        "Använd arbetsboken som skickades till enheten. En kopia av en annan enhets underlag, "
        "eller ett underlag för ett ansvar som inte fick något, räknas inte.",
    ),
    Rule(
        "E233",
        E,
        "Texten är längre än en cell rymmer",
        "Korta texten till högst 32 767 tecken (så mycket som en cell i Excel rymmer) och "
        "skicka underlaget igen.",
    ),
    Rule(
        "E217",
        E,
        "Samma post finns på flera rader med olika uppgifter",
        "Behåll en rad per post, eller rätta raderna så att de säger samma sak.",
    ),
    Rule(
        "E216",
        E,
        "En enhets prognosrad stämmer inte med struktur.xlsx",
        "Verksamheten på en rad med Ansvar måste finnas i bladet Verksamheter, under det "
        "område och delområde som raden anger.",
    ),
    # Warnings
    Rule(
        "W301",
        W,
        "Verksamhetskoden saknas i struktur.xlsx",
        "Lägg till koden i bladet Verksamheter; tills dess redovisas beloppet som Ej fördelat.",
    ),
    Rule(
        "W302",
        W,
        "Rad efter rapportåret",
        "Raden ingår inte i rapporten; kontrollera att den hör till rätt fil.",
    ),
    Rule("W303", W, "Månad utan bokförda rader", "Kontrollera att månadens huvudbok är med."),
    Rule("W304", W, "Kostnadskonto med negativ årssumma", "Kontrollera konteringen."),
    Rule(
        "W305",
        W,
        "Begärd förändring har ett diarienummer som redan är beviljat eller begärt",
        "Kontrollera att ändringen inte begärs två gånger.",
    ),
    Rule(
        "W306",
        W,
        "Säsongsprognos saknar underlag, linjär prognos används",
        "Lägg till föregående års huvudbok eller välj en annan metod för området.",
    ),
    Rule(
        "W310",
        W,
        "Budgetjustering utan nettoeffekt",
        "En budgetjustering ändrar nettobudgeten; ändras kostnader och intäkter lika mycket "
        "är det en omslutningsförändring.",
    ),
    Rule(
        "W309",
        W,
        "Föregående rapport kan inte användas",
        "Ange en JSON-rapport från budget för samma nämnd och år med --previous.",
    ),
    Rule(
        "W311",
        W,
        "Summaraden stämmer inte med raderna ovanför",
        "Summaraden hoppas över och påverkar inget belopp; kontrollera att ingen rad saknas "
        "eller är dubblerad.",
    ),
    Rule(
        "W312",
        W,
        "Styrtecken i texten togs bort",
        "Tecknet kan inte sparas i en arbetsbok; rätta texten i källfilen.",
    ),
    Rule(
        "W313",
        W,
        "Budgetrader som inte ingår i rapporten",
        "Raderna gäller konton utanför resultatet eller ett år som rapporten inte använder.",
    ),
    Rule(
        "W314",
        W,
        "Cachen används inte",
        "Cachemappen kan skrivas av andra användare; ge den behörighet 700 eller ange en egen "
        "mapp med BUDGET_CACHE_DIR.",
    ),
    Rule(
        "W315",
        W,
        "Resultatet per konto stämmer inte med SIE-filens #RES",
        "Kontrollera att exporten omfattar hela året och alla verifikationsserier.",
    ),
    Rule(
        "W316",
        W,
        "Kontots typ i SIE-filen stämmer inte med kontoklassen",
        "Rapporten följer kontoklassen (Kommun-Bas: 3 intäkter, 4–7 kostnader); kontrollera "
        "kontoplanen i ekonomisystemet.",
    ),
    Rule(
        "W317",
        W,
        "Samma enhet har lämnat in flera underlag",
        "Det senast sparade underlaget används; ta bort de andra ur mappen.",
    ),
    Rule(
        "W318",
        W,
        "En fil bland de inlämnade underlagen är ingen Excel-arbetsbok",
        "Be enheten spara underlaget som Excel-arbetsbok (.xlsx) och skicka det igen; "
        "tills dess räknas enheten som saknad.",
    ),
    Rule(
        "W319",
        W,
        "En tidigare rapport i arkivet kan inte läsas",
        "Rapporten jämförs inte med årets utfall. Lägg en oförändrad JSON-rapport från budget "
        "i mappen, eller flytta bort filen.",
    ),
    Rule(
        "W320",
        W,
        "Två rapporter för samma år och tertial i arkivet har olika siffror",
        "Den som skapades senast jämförs med utfallet. Låt bara den rapport som nämnden fick "
        "ligga kvar i mappen.",
    ),
    Rule(
        "W321",
        W,
        "Arkivmappen i namnd.toml finns inte",
        "Rätta sökvägen i arkiv (relativ till indatamappen), eller ta bort raden.",
    ),
    Rule(
        "W324",
        W,
        "En enhet har skrivit utanför underlagets kolumner",
        "Det som står till höger om kolumnen Åtgärder läses inte. Be enheten flytta det till "
        "Kommentar eller Åtgärder och skicka underlaget igen, om det ska med.",
    ),
    Rule(
        "W322",
        W,
        "Ett filnamn har tecken som inte kan visas; filen lästes inte",
        "Döp om filen med vanliga bokstäver, siffror och bindestreck. Namnet har ett "
        "styrtecken eller tecken som inte är UTF-8; de visas här som \\x…",
    ),
    Rule(
        "W330",
        W,
        "Ett område har flera volymmått och inget av dem förklarar kostnaden",
        "Ange i namnd.toml vilket mått som förklarar områdets kostnad, t.ex. [volym] "
        '"Boende enligt LSS" = "Boendedygn"; övriga mått visas som nyckeltal.',
    ),
    Rule(
        "W331",
        W,
        "Volymmåttet saknar budgeterad volym och budgeterat pris",
        "Fyll i Budgeterad volym för årets månader, eller Budgeterat pris, i volymer.xlsx.",
    ),
    Rule(
        "W307",
        W,
        "Rader utanför resultatet (kontoklass 1, 2 eller 8)",
        "Raderna redovisas som exkluderade med sin summa.",
    ),
    # The förvaltning's analysis text (contract §7): analys.docx or analys.md
    Rule(
        "E035",
        E,
        "Analysen är inget läsbart Word- eller Markdown-dokument",
        "Öppna analys.docx i Word eller LibreOffice och spara den som Word-dokument (.docx), "
        "eller spara analys.md som UTF-8; budget analysmall skriver en mall att utgå från.",
    ),
    Rule(
        "E036",
        E,
        "Analysens filformat stöds inte",
        "Spara analysen som Word-dokument (.docx) med Spara som i Word eller LibreOffice, "
        "eller som Markdown (analys.md).",
    ),
    Rule(
        "E037",
        E,
        "Analysmallen skulle skriva över en befintlig analys",
        "Ange en annan fil med --out, eller flytta den befintliga analys.docx först: den "
        "innehåller förvaltningens text.",
    ),
    Rule(
        "W340",
        W,
        "En siffra i analysen motsägs av rapporten",
        "Rätta siffran eller ordet (underskott, överskott, avvikelse) i analysen, så att "
        "texten stämmer med rapportens avvikelse för området.",
    ),
    Rule(
        "W341",
        W,
        "En rubrik i analysen namnger inget verksamhetsområde",
        "Skriv rubriken som verksamhetsområdet eller delområdet heter i struktur.xlsx, eller "
        "Sammanfattning; en underrubrik i ett område kan stå kvar (texten räknas till "
        "området).",
    ),
    Rule(
        "W342",
        W,
        "Text står före analysens första rubrik",
        "Sätt en rubrik (Sammanfattning eller ett verksamhetsområde) före texten.",
    ),
    Rule(
        "W346",
        W,
        "Rader i analys.md kunde inte tolkas och står kvar som de skrevs",
        "Skriv raderna som vanliga stycken eller listor; en länkdefinition ([1]: adress) "
        "eller en lista djupare än 100 nivåer visas annars som den står.",
    ),
    Rule(
        "W343",
        W,
        "Samma rubrik står två gånger i analysen",
        "Samla texten under en rubrik per verksamhetsområde.",
    ),
    # atgarder.xlsx (contract §7)
    Rule(
        "W344",
        W,
        "Samma åtgärd står två gånger",
        "Ta bort den ena raden, eller skriv vad som skiljer åtgärderna åt i kolumnen Åtgärd; "
        "båda raderna räknas tills dess.",
    ),
    Rule(
        "W347",
        W,
        "En tidigare rapport har en kod som den här versionen inte känner till",
        "Rapporten är troligen skriven av en nyare version av budget (en annan förvaltning "
        "kan ha uppdaterat först). Den läses ändå och dess siffror används; bara koden förstås "
        "inte. Uppdatera budget till samma version som skrev rapporten.",
    ),
    Rule(
        "W345",
        W,
        "Åtgärdens effekt är negativ",
        "Effekt är påverkan på årets resultat: positiv = bättre resultat. En besparing skrivs "
        "som ett positivt belopp; ett negativt belopp betyder att åtgärden kostar i år.",
    ),
    # The city's desk (contract §10): budget stad
    Rule(
        "E021",
        E,
        "Inställningsfilen stad.toml kan inte läsas",
        "Rätta syntaxen på den angivna raden (TOML), eller spara filen som UTF-8.",
    ),
    Rule(
        "E022",
        E,
        "Ogiltig inställning i stad.toml",
        "Rätta inställningen; docs/kontrakt-stad.md visar vad stad.toml kan innehålla.",
    ),
    Rule(
        "E023",
        E,
        "Filen är ingen nämndrapport från budget",
        "Ta bort filen ur mappen med nämndernas rapporter, eller lägg dit rapportens JSON "
        "(schema budget-report/1) som budget report har skrivit.",
    ),
    Rule(
        "E024",
        E,
        "Samma nämnd har två rapporter för perioden med olika siffror",
        "Behåll en rapport per nämnd, år och period i mappen: fråga nämnden vilken som gäller.",
    ),
    Rule(
        "E025",
        E,
        "Ingen nämndrapport för året och perioden",
        "Lägg nämndernas rapport-JSON:er i mappen, eller ange ett år och en period som de har.",
    ),
    Rule(
        "E026",
        E,
        "Nämnden i stadsledningskontorets arbetsbok har ingen rapport",
        "Skriv nämndens namn som i rapporten, eller ta bort raden; utgå från den förifyllda "
        "arbetsbok som budget stad skriver.",
    ),
    Rule(
        "E027",
        E,
        "Ändringen i stadsledningskontorets arbetsbok finns inte i nämndens rapport",
        "Utgå från den förifyllda arbetsbok som budget stad skriver: Nämnd, Nr och "
        "Beskrivning ska stå som där.",
    ),
    Rule(
        "E028",
        E,
        "Huvudboken för staden kan inte läsas",
        "Använd de Parquet-filer som budget report skriver i <ut-mapp>/huvudbok/.",
    ),
    Rule(
        "W323",
        W,
        "Nämnden rapporterar men står inte i stad.toml",
        "Lägg till nämnden under namnder i stad.toml, eller rätta namnet i stad.toml.",
    ),
)


class DiagnosticJson(TypedDict):
    """A diagnostic as the JSON outputs give it (the report's ``warnings``, --json)."""

    code: str
    severity: str
    file: str | None
    sheet: str | None
    cell: str | None
    column: str | None
    value: str | None
    expected: str | None
    message: str
    fix: str


@dataclass(frozen=True)
class Diagnostic:
    """One problem in the inputs, located as precisely as possible."""

    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    @property
    def rule(self) -> Rule:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet, self.cell) if p]
        return " › ".join(parts)

    def text(self) -> str:
        """The message as the user reads it: where, what, found, expected, fix."""
        head = f"{self.where}: " if self.where else ""
        bits = [f"{self.severity} {self.code}: {head}{self.message}"]
        details = []
        if self.column:
            details.append(f"kolumn {self.column}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "…"
            details.append(f"värde '{shown}'")
        if self.expected:
            details.append(f"förväntat {self.expected}")
        if details:
            bits.append(f" ({', '.join(details)})")
        bits.append(f". {self.rule.fix}")
        return visible("".join(bits))

    def as_dict(self) -> DiagnosticJson:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
            "message": self.message,
            "fix": self.rule.fix,
        }


# The codes that leave a whole file or sheet unread: the reader gives no rows for it. What the
# checks across files would then say about the rows it lacks (codes unknown to a structure
# that was not read, a ledger "without rows") is a consequence of that one error, not a
# problem of its own, and is not reported (checks.prepare).
UNREAD = frozenset(
    {
        "E001",  # a required file is missing
        "E002",  # not a workbook
        "E003",  # the sheet is missing
        "E004",  # no header row
        "E005",  # a required column is missing
        "E007",  # encrypted
        "E008",  # too large unpacked
        "E009",  # a format not read
        "E012",  # beyond the grid
        "E013",  # the sheet is hidden
        "E015",  # cannot be read
        "E016",  # not SIE
        "E018",  # a column or sheet twice
        "E020",  # a file name that cannot be shown
        "E035",  # not a readable analysis document
        "E036",  # an analysis format not read
    }
)


def visible(text: str) -> str:
    """A value as a terminal may show it: control characters as ``\\x01``."""
    return "".join(f"\\x{ord(ch):02x}" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)


def once(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each problem said once, in the order found: a file read by two readers (mal.xlsx's
    two sheets) that is refused as a whole gives its one diagnostic, not one per reader."""
    return list(dict.fromkeys(diags))


def errors(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.severity is Severity.ERROR]


def warnings(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.severity is Severity.WARNING]


class BudgetError(Exception):
    """Base of the run-stopping problems the CLI turns into a clean message."""


# The operating system's reasons, said in Swedish: Python's strerror is the C library's
# English ("File exists", "Permission denied"). Every message about a file that cannot be
# read or written gives its reason through os_reason (tests/test_cli.py holds that no
# module uses strerror).
_OS_REASONS = {
    errno.EACCES: "åtkomst nekad",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.ENOENT: "finns inte",
    errno.EEXIST: "det finns redan en fil eller mapp med det namnet",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    errno.EISDIR: "är en mapp, inte en fil",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EBUSY: "filen används av ett annat program",
    errno.ETXTBSY: "filen används av ett annat program",
    errno.ELOOP: "för många symboliska länkar i sökvägen",
    errno.EIO: "läs- eller skrivfel på disken",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer",
    errno.EINVAL: "ogiltigt namn eller argument",
    errno.EXDEV: "kan inte flyttas mellan filsystem",
    errno.ENOTEMPTY: "mappen är inte tom",
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in Swedish (the errno's name for a rare one)."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if exc.errno:
        return f"systemfel {errno.errorcode.get(exc.errno, exc.errno)}"
    return "okänt systemfel"


class InputErrors(BudgetError):
    """The inputs have errors; nothing may be written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        diagnostics = once(diagnostics)
        super().__init__(f"{len(errors(diagnostics))} fel i indata")
        self.diagnostics = diagnostics


class OutputError(BudgetError):
    """The report cannot be written where it was asked to go."""
