"""Every threshold, weight and half-life of the gap analysis, with the defaults of analysis.md.

A team changes them in a ``conceptmap.toml`` next to its maps (or in a folder above them), or
per run. The file has one table per rule of ``analysis.md``::

    [evidence]
    half_life_days = 120
    half_life_by_kind = { analytics = 60 }

    [states]
    weak_u = 0.6

Unknown tables or keys and values out of range are a :class:`~conceptmap.errors.ConfigError`
naming the file, the key and its line, so a typo never silently leaves a default in place.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from conceptmap.errors import ConfigError, Problem
from conceptmap.model.records import EVIDENCE_KINDS

__all__ = [
    "CONFIG_NAME",
    "ArgumentationSettings",
    "EvidenceSettings",
    "ImportanceSettings",
    "OpinionSettings",
    "RankingSettings",
    "Settings",
    "StatesSettings",
    "StructureSettings",
    "find_config",
    "load_settings",
    "parse_overrides",
]

#: The configuration file looked for next to a map and in the folders above it.
CONFIG_NAME = "conceptmap.toml"

Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceSettings(_Section):
    """§1: the ladder and recency. ``ladder`` holds the multiplier m of levels 1–5."""

    ladder: Annotated[list[Positive], Field(min_length=5, max_length=5)] = [
        0.25,
        0.5,
        1.0,
        2.0,
        4.0,
    ]
    half_life_days: Positive = 180.0
    half_life_by_kind: dict[str, Positive] = {
        "analytics": 90.0,
        "support-ticket": 90.0,
        "interview": 270.0,
    }
    lab_factor: Unit = 0.75

    @field_validator("half_life_by_kind")
    @classmethod
    def _known_kinds(cls, value: dict[str, float]) -> dict[str, float]:
        for kind in value:
            if kind not in EVIDENCE_KINDS:
                raise ValueError(
                    f"unknown evidence kind {kind!r}; the kinds are {', '.join(EVIDENCE_KINDS)}"
                )
        return dict(sorted(value.items()))

    def half_life(self, kind: str) -> float:
        return self.half_life_by_kind.get(kind, self.half_life_days)


class OpinionSettings(_Section):
    """§2: subjective logic, prior weight W and base rate a."""

    prior_weight: Positive = 2.0
    base_rate: Unit = 0.5


class StatesSettings(_Section):
    """§3: the thresholds of the states (evaluated in order) and of staleness."""

    unsupported_u: Unit = 0.8
    contradicted_d: Unit = 0.4
    contested_min: Unit = 0.3
    weak_u: Unit = 0.5
    stale_ratio: Unit = 0.5
    stale_half_lives: Positive = 2.0


class StructureSettings(_Section):
    """§4: weights of the Novak–Gowin and traditional scores."""

    ng_proposition: NonNegative = 1.0
    ng_level: NonNegative = 5.0
    ng_cross_link: NonNegative = 10.0
    ng_example: NonNegative = 1.0
    trad_hierarchy: NonNegative = 5.0
    trad_cross_link: NonNegative = 10.0
    max_branch_pairs: Annotated[int, Field(ge=0, le=10_000)] = 45


class ImportanceSettings(_Section):
    """§5: the importance formula I and the structural measures behind it."""

    w_rating: NonNegative = 0.3
    w_pagerank: NonNegative = 0.4
    w_betweenness: NonNegative = 0.2
    w_articulation: NonNegative = 0.1
    pagerank_alpha: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.85
    betweenness_k: Annotated[int, Field(ge=1, le=100_000)] = 64
    seed: Annotated[int, Field(ge=0)] = 0


class RankingSettings(_Section):
    """§5: the assumption-map quadrant (test first)."""

    test_first_rating: Annotated[int, Field(ge=1, le=5)] = 4
    test_first_u: Unit = 0.5
    say_do_conflict: Unit = 0.25


class ArgumentationSettings(_Section):
    """§6: DF-QuAD inside cycles, and the undermined flag."""

    undermined_drop: Unit = 0.2
    tolerance: Annotated[float, Field(gt=0.0, le=0.1)] = 1e-6
    max_steps: Annotated[int, Field(ge=1, le=10_000_000)] = 100_000
    step: Annotated[float, Field(gt=0.0, le=1.0)] = 0.2


class Settings(_Section):
    """All settings of the analysis, one section per rule."""

    evidence: EvidenceSettings = EvidenceSettings()
    opinion: OpinionSettings = OpinionSettings()
    states: StatesSettings = StatesSettings()
    structure: StructureSettings = StructureSettings()
    importance: ImportanceSettings = ImportanceSettings()
    ranking: RankingSettings = RankingSettings()
    argumentation: ArgumentationSettings = ArgumentationSettings()


def find_config(near: str | os.PathLike[str] | None) -> Path | None:
    """The ``conceptmap.toml`` in ``near``'s folder or the nearest folder above it."""
    if near is None:
        return None
    start = Path(near).resolve()
    folder = start if start.is_dir() else start.parent
    for d in (folder, *folder.parents):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _nest(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``{"states.weak_u": 0.6}`` → ``{"states": {"weak_u": 0.6}}`` (nested dicts pass)."""
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"{key}: {part} is a value, not a table", place="override")
        if isinstance(value, Mapping):
            value = _nest(value)
            if isinstance(node.get(parts[-1]), dict):
                value = _merge(node[parts[-1]], value)
        node[parts[-1]] = value
    return out


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``["states.weak_u=0.6"]`` → ``{"states.weak_u": 0.6}``; values are read as TOML."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"--set {pair!r}: write KEY=VALUE, e.g. states.weak_u=0.6")
        try:
            out[key] = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            out[key] = raw.strip()
    return out


def _line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The line where key ``loc`` is set in TOML ``text`` (best effort)."""
    if not loc:
        return None
    lines = text.splitlines()
    table = ".".join(str(p) for p in loc[:-1])
    key = str(loc[-1])
    current = ""
    key_re = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|{re.escape(key)})\s*=")
    dotted = re.compile(rf"^\s*{re.escape(str(loc[0]))}\s*\.\s*{re.escape(key)}\s*=")
    header_re = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    for n, line in enumerate(lines, 1):
        h = header_re.match(line)
        if h:
            current = h.group(1).replace(" ", "")
            if len(loc) == 1 and current == key:
                return n
            continue
        if current == table and key_re.match(line):
            return n
        if current == "" and len(loc) == 2 and dotted.match(line):
            return n
    # A key inside an inline table (``half_life_by_kind = { analytics = 0 }``).
    if len(loc) >= 2:
        for n, line in enumerate(lines, 1):
            if re.search(rf"\b{re.escape(str(loc[-2]))}\b", line) and key in line:
                return n
    return None


def _problems(err: ValidationError, text: str, where: str) -> list[Problem]:
    out = []
    for e in err.errors(include_url=False):
        loc = tuple(e["loc"])
        key = ".".join(str(x) for x in loc)
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            section = ".".join(str(x) for x in loc[:-1])
            known = _known_keys(loc[:-1])
            msg = f"unknown key {loc[-1]!r}" + (f" in [{section}]" if section else "")
            if known:
                msg += f"; the keys are {', '.join(known)}"
        line = _line_of(text, loc) if text else None
        place = f"{where}key {key}" + (f" (line {line})" if line else "")
        out.append(Problem(msg, f"line {line}, key {key}" if line and not where else place))
    return out


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: Any = Settings
    for part in loc:
        field = model.model_fields.get(str(part)) if hasattr(model, "model_fields") else None
        if field is None or not isinstance(field.annotation, type):
            return []
        model = field.annotation
    return sorted(model.model_fields) if hasattr(model, "model_fields") else []


def load_settings(
    config: str | os.PathLike[str] | None = None,
    near: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from ``config`` (or the ``conceptmap.toml`` found near ``near``), then
    ``overrides`` (dotted keys like ``"states.weak_u"`` or nested tables) on top.

    Raises :class:`ConfigError` naming the file, key and line of anything unknown or out of
    range, or a file that is not valid TOML.
    """
    path = Path(config) if config is not None else find_config(near)
    data: dict[str, Any] = {}
    text = ""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError("configuration file not found", path=path) from None
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"cannot read the configuration: {err}", path=path) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"not valid TOML: {err}", path=path) from None
    if path is not None:
        try:
            base = Settings.model_validate(data)
        except ValidationError as err:
            raise ConfigError(path=path, problems=_problems(err, text, "")) from None
    else:
        base = Settings()
    if not overrides:
        return base
    merged = _merge(base.model_dump(mode="python"), _nest(overrides))
    try:
        return Settings.model_validate(merged)
    except ValidationError as err:
        raise ConfigError(problems=_problems(err, "", "override ")) from None
