"""The contract of the files delivered once for the whole region, next to the school folders.

Today that is the indicator file: figures the region gets from outside the schools. Its rules
depend on the indicators of the programme file and are checked by
:mod:`evallib.validation.indicators`; the spec states them as ``notes``.
"""

from __future__ import annotations

from evallib.contract.filespec import Column, FileSpec

INDICATORS = FileSpec(
    name="indicatoren",
    title="Cijfers van de regio",
    description=(
        "Eén regel per cijfer dat de regio van buiten de scholen krijgt (een arbeidsmarktmonitor, "
        "de opleidingsscholen, een zij-instroomcohort): per indicator uit het programmabestand, "
        "voor wie (de regio of een deel ervan), over welke periode, en waar nodig per categorie. "
        "Eén bestand voor de hele regio, naast de schoolmappen."
    ),
    columns=(
        Column(
            "indicator", "id", True, "id van de indicator uit het programmabestand", "tekort-vo"
        ),
        Column(
            "scope",
            "text",
            True,
            "voor wie het cijfer geldt: 'regio' of een deel, bijv. een opleidingsschool",
            "regio",
        ),
        Column("periode", "period", True, "schooljaar (2023/24) of kalenderjaar (2024)", "2024"),
        Column(
            "categorie",
            "text",
            False,
            "categorie van een verdeling (uit het programmabestand); anders leeg",
            "diploma",
        ),
        Column(
            "waarde",
            "decimal",
            True,
            "het cijfer: een aandeel als getal tussen 0 en 1 (0,218 voor 21,8%), een aantal, "
            "of een hoeveelheid zoals fte",
            "0,218",
            minimum=0,
        ),
        Column(
            "n",
            "int",
            False,
            "voor een aandeel: het aantal personen waarover het gaat, als dat bekend is "
            "(dan krijgt het cijfer een interval)",
            "1619",
            minimum=1,
        ),
        Column("bron", "text", False, "waar het cijfer vandaan komt", "Arbeidsmarktmonitor 2024"),
    ),
    unique=("indicator", "scope", "periode", "categorie"),
    notes=(
        "de indicator staat in het programmabestand",
        "een aandeel of verdeling heeft een waarde tussen 0 en 1",
        "een verdeling heeft een categorie uit het programmabestand; andere indicatoren geen",
    ),
)
