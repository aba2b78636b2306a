"""The synthetic data generator: reproducible, true to the data contract, effects planted.

The files are read back here with a small reader of their own (not :mod:`evallib.ingest.read`),
so that these tests check the generator against the contract in :mod:`evallib.contract.schema`
and nothing else.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evallib.contract.programme import load_programme
from evallib.contract.schema import SYNTHETIC_MARK, files_for
from evallib.core.dates import follow_up_years, parse_school_year
from evallib.core.errors import EvallibError
from evallib.synth.generator import generate
from evallib.synth.settings import load_settings
from evallib.synth.write import format_of

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example"
REFERENCE = pd.Timestamp("2016-07-31")
STARTERS_PROJECT = {("14WE", "00"), ("01MB", "00"), ("01GX", "00"), ("21HC", "03"), ("21HC", "05")}
PROGRAMME = load_programme(ROOT / "programmes" / "haaglanden-2013.yaml")
FILES = files_for(PROGRAMME)
SETTINGS = load_settings(PROGRAMME)


@pytest.fixture(scope="module")
def programme():
    return PROGRAMME


@pytest.fixture(scope="module")
def example(tmp_path_factory, programme) -> Path:
    return generate(tmp_path_factory.mktemp("synth") / "raw", programme=programme, seed=2013)


@pytest.fixture(scope="module")
def extended(tmp_path_factory, programme) -> Path:
    out = tmp_path_factory.mktemp("synth") / "raw"
    return generate(out, programme=programme, seed=2013, locations=40)


@pytest.fixture(scope="module")
def tables(example) -> dict[str, pd.DataFrame]:
    return {
        kind: pd.concat([_read(p) for p in sorted(example.glob(f"*/{kind}.*"))], ignore_index=True)
        for kind in FILES
    }


@pytest.fixture(scope="module")
def planted(example) -> dict:
    return json.loads((example / "planted.json").read_text(encoding="utf-8"))


def _read(path: Path) -> pd.DataFrame:
    """Read one generated file as its school's format says, typed by the schema."""
    kind, fmt = path.stem, format_of(path.parent.name, SETTINGS)
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, sheet_name=kind, dtype=object)
    else:
        text = path.read_bytes().decode(fmt.encoding)
        frame = pd.read_csv(
            io.StringIO(text), sep=fmt.sep, skiprows=1, dtype=str, keep_default_na=False
        )
    for col in FILES[kind].columns:
        values = frame[col.name].replace("", None)
        if col.kind == "date":
            written = fmt.date_format if path.suffix == ".csv" else None  # else: Excel dates
            frame[col.name] = pd.to_datetime(values, format=written)
        elif col.kind == "decimal":
            frame[col.name] = values.astype(str).str.replace(",", ".").astype(float)
        elif col.kind in ("int", "likert"):
            frame[col.name] = pd.to_numeric(values).astype("Int64")
        else:
            frame[col.name] = values.fillna("").astype(str)
    return frame


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _employed_in(staff: pd.DataFrame, year: pd.Series) -> pd.Series:
    first = pd.to_datetime(year.astype(str) + "-08-01")
    last = pd.to_datetime((year + 1).astype(str) + "-07-31")
    return (staff["datum_in_dienst"] <= last) & (
        staff["datum_uit_dienst"].isna() | (staff["datum_uit_dienst"] >= first)
    )


# Reproducibility


def test_same_seed_gives_identical_bytes(example, extended, programme, tmp_path):
    # Written over an earlier (larger) synthetic set, which it replaces entirely.
    again = shutil.copytree(extended, tmp_path / "again")
    generate(again, programme=programme, seed=2013)
    assert _files(again) == _files(example)


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the example set is not in the repository yet")
def test_example_data_is_reproducible(programme, tmp_path):
    fresh = generate(tmp_path / "example", programme=programme, seed=2013)
    assert _files(fresh) == _files(EXAMPLE)


# Files and formats


def test_every_school_delivers_its_files(example, programme):
    for school in programme.schools:
        ext = format_of(school.brin, SETTINGS).extension
        names = sorted(p.name for p in (example / school.brin).iterdir())
        kinds = ["enquete", "lesuren", "personeel"] + ([] if school.is_comparison else ["deelname"])
        assert names == sorted(f"{kind}.{ext}" for kind in kinds)
    assert (example / "LEESMIJ.md").read_text(encoding="utf-8").startswith(f"# {SYNTHETIC_MARK}")
    assert not (example / "programma.yaml").exists()


def test_every_file_says_it_is_synthetic(example):
    for path in sorted(example.glob("*/*.*")):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            assert book.sheetnames == [path.stem, "LEESMIJ"]
            assert book["LEESMIJ"]["A1"].value == SYNTHETIC_MARK
            assert book.properties.title == SYNTHETIC_MARK
        else:
            text = path.read_bytes().decode(format_of(path.parent.name, SETTINGS).encoding)
            assert text.split("\n", 1)[0] == f"# {SYNTHETIC_MARK}", path


def test_schools_deliver_in_different_formats(example):
    raw = (example / "01MB" / "lesuren.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # Windows-1252: the dash in the mark is one byte
    lines = raw.decode("cp1252").splitlines()
    assert lines[1].startswith("docent_id;brin;vestiging")
    assert any(re.search(r";\d+,\d$", line) for line in lines[2:])  # decimal comma
    assert (example / "21HC" / "personeel.csv").read_bytes().startswith(b"\xef\xbb\xbf# ")
    staff_21hc = (example / "21HC" / "personeel.csv").read_text(encoding="utf-8-sig")
    assert re.search(r";\d{2}-\d{2}-\d{4};", staff_21hc)
    assert re.search(r",\d{4}-\d{2}-\d{2},", (example / "14WE" / "personeel.csv").read_text())
    assert "\r" not in (example / "14WE" / "enquete.csv").read_text()
    cell = openpyxl.load_workbook(example / "02DZ" / "personeel.xlsx")["personeel"]["E2"]
    assert cell.is_date


# The data contract


def test_headers_are_the_schema_columns(example):
    for path in sorted(example.glob("*/*.*")):
        if path.suffix == ".xlsx":
            sheet = openpyxl.load_workbook(path, read_only=True)[path.stem]
            header = next(sheet.iter_rows(max_row=1, values_only=True))
        else:
            text = path.read_bytes().decode(format_of(path.parent.name, SETTINGS).encoding)
            header = text.split("\n")[1].split(format_of(path.parent.name, SETTINGS).sep)
        assert tuple(header) == FILES[path.stem].column_names, path


def test_values_follow_the_contract(tables):
    for kind, frame in tables.items():
        spec = FILES[kind]
        assert not frame.duplicated(["brin", *spec.unique]).any(), kind  # unique per school
        for col in spec.columns:
            values = frame[col.name]
            if col.required:
                assert values.notna().all() and (values.astype(str) != "").all(), col.name
            if col.allowed:
                assert set(values[values != ""]) <= set(col.allowed), col.name
            if col.kind == "bool":
                assert set(values) <= {"ja", "nee"}
            if col.kind == "schoolyear":
                assert values.map(parse_school_year).between(2010, 2015).all()
            if col.kind in ("int", "likert", "decimal") and col.minimum is not None:
                assert values.dropna().between(col.minimum, col.maximum).all(), col.name
            if col.kind == "date":
                assert (values.dropna() <= REFERENCE).all(), col.name
    hours = tables["lesuren"]
    assert (hours["lesuren_digitaal"] <= hours["lesuren_totaal"]).all()
    survey = tables["enquete"]
    assert (
        survey[["tevredenheid", "inzetbaarheid", "samenwerking", "digitaal"]]
        .notna()
        .any(axis=1)
        .all()
    )
    assert survey.loc[survey["groep"] == "personeel", "digitaal"].isna().all()


def test_staff_rules_hold(tables):
    staff = tables["personeel"]
    assert staff["docent_id"].str.fullmatch(r"[A-Z][A-Z0-9]{5}").all()
    assert staff["docent_id"].is_unique  # across all schools
    left = staff["datum_uit_dienst"].notna()
    assert (staff.loc[left, "datum_uit_dienst"] >= staff.loc[left, "datum_in_dienst"]).all()
    assert (staff.loc[left, "datum_uit_dienst"] >= pd.Timestamp("2010-08-01")).all()
    assert ((staff["reden_uit_dienst"] != "") == left).all()
    starters = staff[staff["starter"] == "ja"]
    gap = starters["datum_in_dienst"].dt.year - starters["jaar_bevoegdheid"]
    assert gap.between(0, 5).all()
    assert staff.loc[staff["starter"] == "nee", "jaar_bevoegdheid"].isna().all()


def test_participants_are_staff_of_their_school_in_that_year(tables, programme):
    rows = tables["deelname"].merge(
        tables["personeel"],
        on="docent_id",
        how="left",
        suffixes=("", "_staff"),
        validate="many_to_one",
    )
    assert (rows["brin"] == rows["brin_staff"]).all()
    assert (rows["vestiging"] == rows["vestiging_staff"]).all()
    assert _employed_in(rows, rows["schooljaar"].map(parse_school_year)).all()
    for (brin, vestiging, project, role), _ in rows.groupby(
        ["brin", "vestiging", "project", "rol"]
    ):
        assert vestiging in programme.project(project).participants[brin]
        assert role in programme.project(project).roles
    coach = rows["rol"] == "e-coach"
    assert rows.loc[coach, "datum_selectie"].notna().all()
    assert rows.loc[~coach, "datum_selectie"].isna().all()
    assert not {s.brin for s in programme.comparison} & set(rows["brin"])


# Planted effects


def test_starters_in_the_programme_leave_less(tables):
    """Kaplan–Meier 3-year dropout, pooled over the starters-project locations."""
    from lifelines import KaplanMeierFitter

    staff = tables["personeel"]
    cohort = staff["datum_in_dienst"].dt.year - (staff["datum_in_dienst"].dt.month < 8)
    at_project = pd.Series(list(zip(staff["brin"], staff["vestiging"], strict=True))).isin(
        STARTERS_PROJECT
    )
    dropout = {}
    for group, years in {"baseline": (2010, 2012), "programme": (2013, 2015)}.items():
        chosen = staff[(staff["starter"] == "ja") & cohort.between(*years) & at_project]
        durations, left = follow_up_years(
            chosen["datum_in_dienst"], chosen["datum_uit_dienst"], REFERENCE
        )
        km = KaplanMeierFitter().fit(durations, left)
        dropout[group] = 1 - float(km.survival_function_at_times(3.0).iloc[0])
    assert dropout["programme"] < dropout["baseline"]
    assert 0.15 < dropout["baseline"] < 0.45


def test_adelbert_has_too_few_baseline_starters(tables, planted):
    staff = tables["personeel"]
    start = staff["datum_in_dienst"]
    baseline = (
        (staff["brin"] == "14WE")
        & (staff["starter"] == "ja")
        & start.between("2010-08-01", "2013-07-31")
    )
    assert baseline.sum() < 10
    assert planted["schools"]["14WE"]["starters"]["n"]["baseline"] == baseline.sum()


def test_comparison_schools_have_starters_in_both_periods(planted):
    n = [planted["schools"][b]["starters"]["n"] for b in ("00PJ", "20AB")]
    assert sum(x["baseline"] for x in n) >= 25
    assert sum(x["programme"] for x in n) >= 25


def test_stanislas_team_reaches_a_fifth_digital(tables):
    team = tables["deelname"].query(
        "brin == '02DZ' and rol == 'teamlid' and schooljaar == '2015/16'"
    )
    hours = tables["lesuren"].query("schooljaar == '2015/16'")
    mine = hours[hours["docent_id"].isin(team["docent_id"])]
    assert len(mine) == len(team)
    share = mine["lesuren_digitaal"].sum() / mine["lesuren_totaal"].sum()
    assert 0.2 <= share <= 0.3


def test_survey_shares_are_the_planted_ones(tables, planted):
    survey = tables["enquete"]
    for (brin, vestiging, year, group), answers in survey.groupby(
        ["brin", "vestiging", "schooljaar", "groep"]
    ):
        truth = planted["schools"][brin]["locations"][vestiging]["survey_share_4_or_5"][group]
        for item, by_year in truth.items():
            share = (answers[item] >= 4).mean()
            assert abs(share - by_year[year]) <= 0.5 / len(answers) + 1e-9, (brin, item, year)


def test_participation_meets_and_misses_the_planned_ranges(tables, planted):
    rows = tables["deelname"]
    coach = rows[rows["rol"] == "e-coach"]
    for year, n_by_may in (("2013/14", 22), ("2014/15", 21)):
        chosen = coach[coach["schooljaar"] == year]
        deadline = pd.Timestamp(f"{year[:4]}-05-31")
        assert len(chosen) == 25
        assert (chosen["datum_selectie"] <= deadline).sum() == n_by_may
    duos = rows[rows["rol"] == "duo-senior"]
    assert duos.groupby("brin")["docent_id"].nunique().to_dict() == {
        "21HC": 5,
        "20BC": 4,
        "02GP": 3,
    }
    assert duos.groupby("schooljaar").size().tolist() == [12, 12, 10]
    midcareer = (
        rows[rows["project"] == "halverwege"]
        .groupby(["brin", "vestiging", "rol"])["docent_id"]
        .nunique()
    )
    assert midcareer[("02DZ", "10", "deelnemer")] == 9
    assert midcareer[("20BC", "01", "trainer")] == 1
    others = midcareer.drop([("02DZ", "10", "deelnemer"), ("20BC", "01", "trainer")])
    assert others.xs("deelnemer", level="rol").between(12, 15).all()
    assert (others.xs("trainer", level="rol") == 2).all()
    teams = rows[rows["rol"] == "teamlid"].groupby(["brin", "schooljaar"]).size()
    assert teams[["02DZ", "99SV"]].between(12, 18).all()
    assert (teams["21HC"] > 18).all()  # Lage Woerd: all its teachers
    counts = planted["region"]["participation"]["duo"]["duo-senior"]["per_year"]
    assert list(counts.values()) == [12, 12, 10]


# Arguments and scaling


def test_bad_arguments_are_refused(programme, tmp_path):
    with pytest.raises(EvallibError, match="locaties"):
        generate(tmp_path / "a", programme=programme, locations=10)
    with pytest.raises(EvallibError, match="seed"):
        generate(tmp_path / "b", programme=programme, seed=-1)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "echt.csv").write_text("docent_id\n")
    with pytest.raises(EvallibError, match="niet leeg"):
        generate(tmp_path / "c", programme=programme)


def test_more_locations_extend_the_programme(example, extended, programme):
    bigger = load_programme(extended / "programma.yaml")
    assert sum(len(s.locations) for s in bigger.schools) == 40
    assert bigger.schools[: len(programme.schools)] == programme.schools
    assert bigger.targets == programme.targets
    assert {p.name for p in extended.iterdir() if p.is_dir()} == {s.brin for s in bigger.schools}
    assert {s.role for s in bigger.schools[10:]} <= {"participant", "comparison"}
    big = _files(extended)
    for name, data in _files(example).items():  # the plan's own schools do not change
        if "/" in name:
            assert big[name] == data, name
