"""Every user action of the TUI, once: its key, binding id, palette title and help line.

The main screen's bindings, the command palette and the help screen are all built from
:data:`ACTIONS`, so a key cannot exist without a palette entry and a line of help.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

__all__ = ["ACTIONS", "Action", "bindings"]


@dataclass(frozen=True)
class Action:
    title: str  # palette title, "area: action"
    keys: str  # Textual key list ("" for palette only)
    action: str  # method name on the app, without "action_"
    help: str  # one line for the palette and the help screen
    show: bool = True  # shown in the footer
    short: str = ""  # footer label (defaults to the action part of the title)

    @property
    def id(self) -> str:
        return self.title.replace(": ", ".").replace(" ", "-")

    @property
    def key_display(self) -> str:
        return " ".join(_pretty(k) for k in self.keys.split(",") if k)


def _pretty(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "delete": "Del", "f2": "F2"}
    if key.startswith("ctrl+"):
        return "^" + key[5:]
    return names.get(key, key)


ACTIONS: tuple[Action, ...] = (
    Action("concept: add", "a", "add_concept", "Add a concept to the map", short="concept"),
    Action(
        "concept: rename", "r,f2", "rename_concept", "Rename the selected concept", short="rename"
    ),
    Action(
        "concept: delete", "", "delete_concept", "Delete the selected concept (undo brings it back)"
    ),
    Action(
        "proposition: add",
        "p",
        "add_proposition",
        "Link two concepts: source — linking phrase → target",
        short="link",
    ),
    Action("proposition: delete", "", "delete_proposition", "Delete the selected proposition"),
    Action(
        "selection: delete",
        "d,delete",
        "delete_selected",
        "Delete what is selected: concept, proposition or evidence",
        show=False,
    ),
    Action(
        "evidence: add",
        "e",
        "add_evidence",
        "Attach evidence to the selected claim",
        short="evidence",
    ),
    Action(
        "evidence: edit",
        "E",
        "edit_evidence",
        "Edit the evidence item selected in the detail pane",
        show=False,
    ),
    Action(
        "evidence: remove",
        "x",
        "remove_evidence",
        "Remove the evidence item selected in the detail pane",
        show=False,
    ),
    Action(
        "claim: mark supporting",
        "s",
        "mark_supports",
        "Mark the selected claim as supporting another claim",
        show=False,
    ),
    Action(
        "claim: mark contradicting",
        "c",
        "mark_contradicts",
        "Mark the selected claim as contradicting another claim",
        show=False,
    ),
    Action(
        "claim: set importance",
        "i",
        "set_importance",
        "Set the team's importance rating (1–5) of the selected claim",
        show=False,
    ),
    Action(
        "plan: set owner, test and due date",
        "o",
        "set_plan",
        "Give the selected claim (a gap) an owner, the next test to run and a due date",
        show=False,
    ),
    Action(
        "plan: remove",
        "",
        "remove_plan",
        "Take the selected claim out of the learning plan",
    ),
    Action(
        "map: edit focus question",
        "f",
        "edit_focus",
        "Edit the question this map answers",
        show=False,
    ),
    Action("edit: undo", "u,ctrl+z", "undo", "Undo the last edit (many levels)"),
    Action("edit: redo", "U,ctrl+y", "redo", "Redo the edit last undone", show=False),
    Action(
        "map: search", "slash", "search", "Jump to a concept, proposition or evidence by its text"
    ),
    Action(
        "gaps: go to the gap panel",
        "g",
        "focus_gaps",
        "Move to the ranked gap panel (Enter jumps to the claim)",
        show=False,
    ),
    Action(
        "map: export SVG",
        "X",
        "export_svg",
        "Draw the map as an SVG file next to the map",
        show=False,
    ),
    Action(
        "map: gap report",
        "R",
        "gap_report",
        "Write the gap report (Markdown) next to the map",
        show=False,
    ),
    Action(
        "map: resolve conflicts",
        "C",
        "resolve_conflicts",
        "Take ours or theirs in each merge conflict, or in all",
        show=False,
    ),
    Action(
        "map: debt burn-down",
        "b",
        "burndown",
        "Uncertainty debt per week from the map's git history",
        show=False,
    ),
    Action(
        "view: map",
        "m",
        "map_view",
        "Draw the concept map itself (arrows scroll, + - zoom, F focus, Tab selects, m back)",
        short="map",
    ),
    Action(
        "view: projector mode",
        "P",
        "projector",
        "The gaps one at a time, large, no chrome (n next, p previous, Esc back)",
        show=False,
    ),
    Action("app: help", "question_mark", "help", "List every key"),
    Action("app: quit", "q", "quit", "Quit (every edit is already saved)"),
)


def bindings() -> list[Binding]:
    """The main screen's bindings (each runs the app action of the same name)."""
    out = []
    for a in ACTIONS:
        if not a.keys:
            continue
        out.append(
            Binding(
                a.keys,
                f"app.{a.action}",
                a.short or a.title.split(": ", 1)[1],
                show=a.show,
                key_display=_pretty(a.keys.split(",")[0]),
                tooltip=a.help,
                id=a.id,
            )
        )
    return out
