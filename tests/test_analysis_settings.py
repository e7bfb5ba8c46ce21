"""Settings: defaults of analysis.md, conceptmap.toml found near the map, errors naming key and
line, per-run overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from conceptmap.analysis import Settings, load_settings
from conceptmap.analysis.settings import parse_overrides
from conceptmap.errors import ConfigError


def test_defaults_are_those_of_analysis_md() -> None:
    s = Settings()
    assert s.evidence.ladder == [0.25, 0.5, 1.0, 2.0, 4.0]
    assert s.evidence.half_life("analytics") == 90
    assert s.evidence.half_life("support-ticket") == 90
    assert s.evidence.half_life("interview") == 270
    assert s.evidence.half_life("survey") == 180
    assert (s.opinion.prior_weight, s.opinion.base_rate) == (2.0, 0.5)
    st = s.states
    assert (st.unsupported_u, st.contradicted_d, st.contested_min, st.weak_u) == (
        0.8,
        0.4,
        0.3,
        0.5,
    )
    imp = s.importance
    assert (
        imp.w_rating,
        imp.w_pagerank,
        imp.w_betweenness,
        imp.w_articulation,
        imp.betweenness_k,
    ) == (0.3, 0.4, 0.2, 0.1, 64)
    assert s.argumentation.undermined_drop == 0.2 and s.argumentation.tolerance == 1e-6


def test_found_in_a_parent_folder_and_overridden(tmp_path: Path) -> None:
    (tmp_path / "conceptmap.toml").write_text("[states]\nweak_u = 0.6\n")
    sub = tmp_path / "team" / "maps"
    sub.mkdir(parents=True)
    s = load_settings(near=sub / "x.cmap.json")
    assert s.states.weak_u == 0.6
    s = load_settings(near=sub / "x.cmap.json", overrides={"states.weak_u": 0.55})
    assert s.states.weak_u == 0.55 and s.states.unsupported_u == 0.8


def test_override_of_a_table_keeps_its_other_entries() -> None:
    s = load_settings(overrides=parse_overrides(["evidence.half_life_by_kind={review=30}"]))
    assert s.evidence.half_life("review") == 30 and s.evidence.half_life("analytics") == 90


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[states]\nweak_u = 0.5\nweek_u = 0.6\n", "line 3, key states.week_u: unknown key"),
        ("[states]\n\nweak_u = 1.5\n", "line 3, key states.weak_u: Input should be less"),
        ("[nope]\nx = 1\n", "line 1, key nope: unknown key 'nope'"),
        ("[evidence]\nhalf_life_by_kind = { telepathy = 3 }\n", "unknown evidence kind"),
        ("[states\n", "not valid TOML"),
    ],
)
def test_bad_config_names_file_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    cfg = tmp_path / "conceptmap.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert err.value.exit_code == 2
    line = err.value.lines()[0]
    assert line.startswith(str(cfg)) and expected in line


def test_bad_override() -> None:
    with pytest.raises(ConfigError, match=r"override key states\.weak_u"):
        load_settings(overrides={"states.weak_u": -1})
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_overrides(["states.weak_u"])
