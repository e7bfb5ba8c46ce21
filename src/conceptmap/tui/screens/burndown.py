"""The uncertainty-debt burn-down of the open map, from its versions in git (``b``).

"Are we learning enough, quick enough?" (analysis.md §7): the debt D = Σ importance ×
uncertainty per week (or month), from the same call ``conceptmap history`` makes
(:func:`conceptmap.api.map_history`), drawn as the same terminal chart it prints
(:func:`conceptmap.api.burndown_text`) with its axes named, and the figures below it.

Reading and analysing every committed version can take a while on a long history, so it runs
in a thread worker and the screen says it is reading meanwhile. It runs with one process:
forking worker processes from a threaded Textual app can leave a lock held in the child. A
map outside git, a map committed once, or no ``git`` at all each get a plain explanation
instead of a chart.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from conceptmap import api
from conceptmap.errors import ConceptmapError, EnvironmentProblem
from conceptmap.safety import terminal_text

if TYPE_CHECKING:
    from conceptmap.tui.app import ConceptmapApp

__all__ = ["BurndownScreen", "chart_text"]

_LABEL = 9  # width of a period label ("2026-W47") as the chart prints it


def chart_text(report: dict[str, Any], width: int) -> Text:
    """The burn-down as ``conceptmap history`` prints it, with both axes named: one bar per
    period (top to bottom is oldest to newest), the scale under the bars."""
    top = max((p["debt"] for p in report["periods"]), default=0.0)
    bars = api.burndown_text(report, width=width).rstrip("\n")
    unit = "week" if report.get("by") == "week" else "month"
    t = Text()
    t.append(f"{unit:>{_LABEL}}  ", style="bold")
    t.append("uncertainty debt D = Σ importance × uncertainty  →", style="bold")
    t.append("\n")
    t.append(bars)
    t.append("\n")
    t.append(" " * (_LABEL + 2) + "└" + "─" * width + "\n")
    right = f"{top:.2f}"
    t.append(" " * (_LABEL + 2) + "0" + " " * max(1, width - len(right)) + right, style="bold")
    return t


def _trend(report: dict[str, Any]) -> Text:
    periods = report["periods"]
    first, last = periods[0], periods[-1]
    unit = "week" if report.get("by") == "week" else "month"
    t = Text()
    d0, d1 = first["debt"], last["debt"]
    if len(periods) == 1:
        return t
    n = len(periods)
    span = f"over {n} {unit}s ({first['period']} → {last['period']})"
    if d1 < d0:
        pct = (d0 - d1) / d0 * 100 if d0 else 0.0
        t.append("↓ learning: ", style="bold")
        t.append(f"the debt fell from {d0:.2f} to {d1:.2f} (−{pct:.0f} %) {span}.")
    elif d1 > d0:
        t.append("↑ growing: ", style="bold")
        t.append(
            f"the debt rose from {d0:.2f} to {d1:.2f} {span}: "
            "beliefs are added faster than they are checked."
        )
    else:
        t.append("→ flat: ", style="bold")
        t.append(f"the debt stayed at {d1:.2f} {span}.")
    t.append(f"\nGaps open: {first['gaps_open']} then, {last['gaps_open']} at the last version.")
    return t


def _figures(report: dict[str, Any]) -> Table:
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold", show_edge=False)
    for name, right in (
        ("period", False),
        ("versions", True),
        ("debt", True),
        ("gaps open", True),
        ("opened", True),
        ("closed by evidence", True),
        ("closed by editing", True),
        ("new evidence", False),
    ):
        table.add_column(name, justify="right" if right else "left", no_wrap=not right)
    for p in report["periods"]:
        table.add_row(*api.history_period_cells(p))
    return table


class BurndownScreen(Screen[None]):
    """The debt per period from the map's git history, full screen (Esc goes back)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "by('week')", "by week", id="burndown.week", tooltip="One bar per week"),
        Binding("M", "by('month')", "by month", id="burndown.month", tooltip="One bar per month"),
        Binding(
            "r", "reread", "read git again", id="burndown.reread", tooltip="After a new commit"
        ),
        Binding("escape,b,q", "leave", "back", id="burndown.leave", tooltip="Back to the map"),
    ]

    def __init__(self, by: str = "week") -> None:
        super().__init__()
        self.by = by
        #: the history as `conceptmap history --format json` gives it, once read
        self.report: dict[str, Any] | None = None
        #: why there is no chart (not in git, git missing, a bug), once known
        self.problem: Text | None = None

    @property
    def capp(self) -> ConceptmapApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="bd-head")
        with VerticalScroll(id="bd-page"):
            yield Static("", id="bd-chart")
            yield Static("", id="bd-notes")
            yield Static("", id="bd-figures")
        yield Static(
            Text.assemble(
                ("w", "bold"),
                " by week   ",
                ("M", "bold"),
                " by month   ",
                ("r", "bold"),
                " read git again   ",
                ("Esc", "bold"),
                " back to the map",
            ),
            id="bd-keys",
        )

    def on_mount(self) -> None:
        self.query_one("#bd-page").can_focus = False
        self._read()

    # ------------------------------------------------------------------ reading git
    def _read(self) -> None:
        self.report, self.problem = None, None
        self._draw()
        path = self.capp.session.path
        self.run_worker(
            partial(api.map_history, path, by=self.by, jobs=1),
            name="history",
            group="burndown",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "burndown":
            return
        if event.state is WorkerState.SUCCESS:
            self.report = worker.result
        elif event.state is WorkerState.ERROR:
            self.problem = self._explain(worker.error)
        else:
            return
        self._draw()

    def _explain(self, err: BaseException | None) -> Text:
        name = terminal_text(self.capp.session.path.name)
        t = Text()
        if isinstance(err, EnvironmentProblem):
            t.append("✗ No burn-down: ", style="bold")
            t.append(terminal_text(err.message or str(err)))
            t.append(".\n\nThe burn-down reads the map's versions with git; install git.")
        elif isinstance(err, ConceptmapError):
            t.append("✗ No burn-down yet: ", style="bold")
            t.append(f"{name} {terminal_text(err.message or str(err))}.")
            t.append(
                "\n\nThe burn-down is drawn from the versions of the map committed in git. "
                "Keep the map in a git repository and commit it after each session "
                "(git add, git commit); then this screen shows whether the debt falls."
            )
        else:
            t.append("✗ Could not read the history: ", style="bold")
            t.append(terminal_text(f"{type(err).__name__}: {err}"))
            t.append(
                "\n\nThis is a bug in conceptmap; `conceptmap history MAP --debug` shows more."
            )
        return t

    # ------------------------------------------------------------------ drawing
    def _draw(self) -> None:
        name = terminal_text(self.capp.session.path.name)
        head = Text()
        head.append("Uncertainty-debt burn-down", style="bold")
        head.append(f"   {name} · per {self.by}, from the versions committed in git")
        self.query_one("#bd-head", Static).update(head)
        chart = self.query_one("#bd-chart", Static)
        notes = self.query_one("#bd-notes", Static)
        figures = self.query_one("#bd-figures", Static)
        if self.problem is not None:
            chart.update(self.problem)
            notes.update("")
            figures.update("")
            return
        report = self.report
        if report is None:
            chart.update(Text("◌ reading the map's versions from git …", style="italic"))
            notes.update("")
            figures.update("")
            return
        periods = report["periods"]
        versions = sum(p["versions"] for p in periods)
        n_text = Text()
        if not periods:
            chart.update(
                Text.assemble(
                    ("✗ No burn-down: ", "bold"),
                    f"no committed version of {name} could be read as a map.",
                )
            )
        else:
            width = max(10, min(70, self.size.width - _LABEL - 16))
            chart.update(chart_text(report, width))
        if versions == 1:
            n_text.append("◷ One version so far: ", style="bold")
            n_text.append(
                f"{name} has been committed once. The burn-down needs two versions or more: "
                "commit the map again after the next session."
            )
        elif len(periods) == 1:
            n_text.append("◷ One period so far: ", style="bold")
            n_text.append(
                f"all {versions} versions fall in {periods[0]['period']}; the chart gets a "
                f"bar per {self.by} as the map is committed in later {self.by}s."
            )
        elif periods:
            n_text.append_text(_trend(report))
        med = report["median_days_to_behavioural_evidence"]
        if periods:
            n_text.append("\nFrom a belief to its first behavioural evidence: ")
            n_text.append(
                f"{med:g} days (median of {report['claims_with_behavioural_evidence']} claims)"
                if med is not None
                else "no belief has behavioural evidence yet"
            )
        for s in report["skipped"]:
            n_text.append("\n✗ skipped ", style="bold")
            n_text.append(terminal_text(f"{s['sha'][:10]} ({s['date']}): {s['error']}"))
        n_text.append(
            "\nEdits since the last commit are not in the chart until the map is committed.",
            style="italic",
        )
        notes.update(n_text)
        figures.update(_figures(report) if periods else "")

    def on_resize(self, event: Resize) -> None:
        if self.report is not None:
            self._draw()

    # ------------------------------------------------------------------ keys
    def action_by(self, by: str) -> None:
        if by != self.by:
            self.by = by
            self._read()

    def action_reread(self) -> None:
        self._read()

    def action_leave(self) -> None:
        self.dismiss(None)
