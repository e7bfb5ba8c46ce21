"""Write the broken map files of this folder (rerun after changing the format):

    .venv/bin/python tests/data/broken/_make.py

Each file breaks one rule; tests/test_broken_files.py says what ``conceptmap validate`` must
report for it. Most start from the same small valid map, so only the one fault differs.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

BASE: dict[str, Any] = {
    "schema_version": 1,
    "id": "m-broken-00000001",
    "title": "Café owners",
    "focus_question": "What do SMB café owners need?",
    "created": "2026-06-01T09:00:00Z",
    "updated": "2026-06-01T09:00:00Z",
    "root": "c-owners-00000001",
    "concepts": [
        {"id": "c-owners-00000001", "label": "SMB café owners"},
        {"id": "c-speed-00000002", "label": "fast delivery"},
        {"id": "c-fees-00000003", "label": "low fees"},
    ],
    "linking_phrases": [
        {
            "id": "l-value-00000001",
            "label": "value",
            "sources": ["c-owners-00000001"],
            "targets": ["c-speed-00000002", "c-fees-00000003"],
        }
    ],
    "propositions": [
        {
            "id": "p-owners-00000001",
            "source": "c-owners-00000001",
            "via": "l-value-00000001",
            "target": "c-speed-00000002",
        },
        {
            "id": "p-owners-00000002",
            "source": "c-owners-00000001",
            "via": "l-value-00000001",
            "target": "c-fees-00000003",
        },
    ],
    "evidence": [
        {
            "id": "e-maya-00000001",
            "claim": "p-owners-00000001",
            "stance": "supports",
            "kind": "interview",
            "source": "Maya, Bean There",
            "date": "2026-05-02",
            "quote": "We lost the lunch rush twice.",
        }
    ],
    "relations": [
        {
            "id": "r-contra-00000001",
            "source": "p-owners-00000002",
            "kind": "contradicts",
            "target": "p-owners-00000001",
        }
    ],
}


def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def variant(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    doc.update(changes)
    return doc


def edit(path: str, value: Any) -> dict[str, Any]:
    """BASE with the value at ``path`` (``concepts.0.label``) replaced."""
    doc = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node: Any = doc
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node[p]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return doc


def files() -> dict[str, bytes]:
    out: dict[str, str | bytes] = {}
    valid = text(BASE)
    out["truncated.cmap.json"] = valid[: len(valid) // 2]
    out["wrong-type-label.cmap.json"] = text(edit("concepts.1.label", 42))
    out["wrong-type-list.cmap.json"] = text(variant(concepts={"c-owners-00000001": "owners"}))
    out["wrong-type-n.cmap.json"] = text(edit("evidence.0.n", "twelve"))
    out["bad-date.cmap.json"] = text(edit("evidence.0.date", "2026-13-45"))
    out["out-of-range.cmap.json"] = text(edit("evidence.0.reliability", 1.5))
    out["nan-number.cmap.json"] = text(edit("evidence.0.reliability", 0.5)).replace(
        '"reliability": 0.5', '"reliability": NaN'
    )
    out["dangling-proposition.cmap.json"] = text(edit("propositions.0.target", "c-gone-0000000f"))
    out["dangling-evidence.cmap.json"] = text(edit("evidence.0.claim", "p-gone-0000000f"))
    out["dangling-relation.cmap.json"] = text(edit("relations.0.target", "p-gone-0000000f"))
    phrase_src = copy.deepcopy(BASE)
    phrase_src["linking_phrases"][0]["sources"] = ["c-gone-0000000f"]
    out["dangling-phrase-source.cmap.json"] = text(phrase_src)
    out["dangling-root.cmap.json"] = text(variant(root="c-gone-0000000f"))
    dup = copy.deepcopy(BASE)
    dup["concepts"].append({"id": "c-fees-00000003", "label": "card fees"})
    out["duplicate-ids.cmap.json"] = text(dup)
    dup2 = copy.deepcopy(BASE)
    dup2["evidence"].append({**BASE["evidence"][0], "id": "p-owners-00000001"})
    out["duplicate-ids-across-kinds.cmap.json"] = text(dup2)
    out["proposition-to-phrase.cmap.json"] = text(edit("propositions.1.target", "l-value-00000001"))
    selfp = copy.deepcopy(BASE)
    selfp["concepts"].append({"id": "c-churn-00000004", "label": "churn"})
    selfp["propositions"].append(
        {"id": "p-churn-00000003", "source": "c-churn-00000004", "target": "c-churn-00000004"}
    )
    out["proposition-to-itself.cmap.json"] = text(selfp)
    lonely = copy.deepcopy(BASE)
    del lonely["propositions"][1]
    lonely["relations"] = []
    out["phrase-pair-without-proposition.cmap.json"] = text(lonely)
    out["unknown-evidence-kind.cmap.json"] = text(edit("evidence.0.kind", "rumour"))
    out["unknown-field.cmap.json"] = text(
        edit("concepts.1", {"id": "c-speed-00000002", "label": "fast delivery", "colour": "red"})
    )
    out["unknown-top-field.cmap.json"] = text(variant(owner="Sam"))
    out["huge-label.cmap.json"] = text(edit("concepts.1.label", "fast " * 210_000))
    out["schema-0.cmap.json"] = text(variant(schema_version=0))
    out["schema-99.cmap.json"] = text(variant(schema_version=99))
    out["schema-string.cmap.json"] = text(variant(schema_version="1"))
    nover = copy.deepcopy(BASE)
    del nover["schema_version"]
    out["schema-missing.cmap.json"] = text(nover)
    out["future-schema.cmap.json"] = text(
        variant(schema_version=2, personas=[{"id": "x-owner", "label": "owner"}])
    )
    out["not-an-object.cmap.json"] = json.dumps([BASE["concepts"]], indent=2) + "\n"
    out["not-utf8.cmap.json"] = (
        text(BASE)
        .encode("utf-8")
        .replace("SMB café owners".encode(), "SMB café owners".encode("latin-1"))
    )
    out["deep-nesting.cmap.json"] = (
        '{"schema_version": 1, "concepts": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    )
    out["empty.cmap.json"] = ""
    out["duplicate-key.cmap.json"] = text(BASE).replace(
        '"label": "fast delivery"', '"label": "fast delivery", "label": "slow delivery"'
    )
    lines = valid.splitlines(keepends=True)
    out["merge-conflict-markers.cmap.json"] = "".join(
        [
            *lines[:3],
            "<<<<<<< HEAD\n",
            '  "title": "Café owners",\n',
            "=======\n",
            '  "title": "Café owners (v2)",\n',
            ">>>>>>> theirs\n",
            *lines[4:],
        ]
    )
    out["control-char.cmap.json"] = text(edit("concepts.1.label", "fast\u0007delivery"))
    out["lone-surrogate.cmap.json"] = text(edit("concepts.1.label", "x")).replace(
        '"label": "x"', '"label": "fast \\ud800 delivery"'
    )
    out["javascript-link.cmap.json"] = text(
        edit(
            "concepts.1",
            {
                "id": "c-speed-00000002",
                "label": "fast delivery",
                "links": [{"label": "notes", "url": "javascript:alert(1)"}],
            },
        )
    )
    out["bad-id.cmap.json"] = text(edit("concepts.1.id", "c speed/../x"))
    # a valid map: refused only because the test lowers CONCEPTMAP_MAX_BYTES
    out["over-size-limit.cmap.json"] = text(BASE)
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in out.items()}


def main() -> None:
    for old in HERE.glob("*.cmap.json"):
        old.unlink()
    for name, data in sorted(files().items()):
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files())} files to {HERE}")


if __name__ == "__main__":
    main()
