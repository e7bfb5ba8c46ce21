"""The edit forms: each checks what is typed as it is typed, and saves only when valid.

A form never loses text: a value the map refuses keeps the form open with the message under
it, and a cancelled form (Esc) leaves its draft with the app, which fills it back in when the
same form is opened again for the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from conceptmap.model import EVIDENCE_KINDS, ConceptMap, Evidence, normalise_label

if TYPE_CHECKING:
    from conceptmap.tui.app import ConceptmapApp

__all__ = [
    "ConceptForm",
    "EvidenceForm",
    "FocusForm",
    "Form",
    "ImportanceForm",
    "PlanForm",
    "PropositionForm",
    "RelationForm",
]


class CompletingInput(Input):
    """An input where Tab takes the grey completion before moving on (as a shell does)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "complete_next",
            "Complete and next",
            show=False,
            id="form.complete",
            tooltip="Take the completion and go to the next field",
        ),
    ]

    def action_complete_next(self) -> None:
        if self._suggestion and self.cursor_at_end and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        self.screen.focus_next()


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    suggestions: Iterable[str] = ()
    restrict: str | None = None
    max_length: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Form(ModalScreen[bool]):
    """A modal form. Subclasses give ``fields``, ``check`` (field → problem, as you type),
    ``hints`` (field → note that does not block) and ``apply`` (the edit)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel (draft kept)",
            id="form.cancel",
            tooltip="Close the form; what you typed comes back next time",
        ),
        Binding(
            "ctrl+s", "submit", "Save", id="form.save", tooltip="Save the form (Enter does too)"
        ),
    ]

    heading = "Form"
    draft_key = "form"

    @property
    def capp(self) -> ConceptmapApp:
        return self.app  # type: ignore[return-value]

    @property
    def map(self) -> ConceptMap:
        return self.capp.session.map

    # ------------------------------------------------------------------ to override
    def fields(self) -> list[Field]:
        raise NotImplementedError

    def check(self, v: dict[str, str]) -> dict[str, str]:
        return {}

    def hints(self, v: dict[str, str]) -> dict[str, str]:
        return {}

    def apply(self, v: dict[str, str]) -> str | None:
        """Make the edit; return a problem to show, or ``None`` when done."""
        raise NotImplementedError

    # ------------------------------------------------------------------ machinery
    def compose(self) -> ComposeResult:
        draft = self.capp.drafts.get(self.draft_key, {})
        with VerticalScroll(id="form", classes="form"):
            yield Static(Text(self.heading), classes="form-title")
            for f in self.fields():
                suggestions = sorted(set(f.suggestions))
                with Horizontal(classes="field-row"):
                    yield Label(f.label, classes="field-label")
                    yield CompletingInput(
                        value=draft.get(f.name, f.value),
                        placeholder=f.placeholder,
                        id=f"f-{f.name}",
                        suggester=SuggestFromList(suggestions, case_sensitive=False)
                        if suggestions
                        else None,
                        restrict=f.restrict,
                        max_length=f.max_length,
                        select_on_focus=False,
                    )
                yield Static("", id=f"m-{f.name}", classes="field-message")
            yield Static("", id="form-error", classes="form-error")
            yield Static(
                "Enter saves · Esc cancels (your text is kept) · Tab completes, next field",
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#form").can_focus = False
        self.query(CompletingInput).first().focus()
        self._revalidate()

    def values(self) -> dict[str, str]:
        return {i.id.removeprefix("f-"): i.value for i in self.query(CompletingInput) if i.id}

    def _revalidate(self) -> dict[str, str]:
        v = self.values()
        problems = self.check(v)
        notes = self.hints(v)
        for name in v:
            msg = self.query_one(f"#m-{name}", Static)
            inp = self.query_one(f"#f-{name}", Input)
            if name in problems:
                msg.update(Text("✗ " + problems[name]))
            elif name in notes:
                msg.update(Text("· " + notes[name]))
            msg.display = name in problems or name in notes
            msg.set_class(name in problems, "-problem")
            inp.set_class(name in problems, "-invalid")
        return problems

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#form-error", Static).update("")
        self._revalidate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        problems = self._revalidate()
        if problems:
            first = next(iter(problems))
            self.query_one(f"#f-{first}", Input).focus()
            self.query_one("#form-error", Static).update(
                f"Not saved: {len(problems)} field(s) to fix."
            )
            self.app.bell()
            return
        v = self.values()
        problem = self.apply(v)
        if problem is not None:
            self.query_one("#form-error", Static).update("Not saved: " + problem)
            self.app.bell()
            return
        self.capp.drafts.pop(self.draft_key, None)
        self.dismiss(True)

    def action_cancel(self) -> None:
        v = self.values()
        initial = {f.name: f.value for f in self.fields()}
        if v != initial:
            self.capp.drafts[self.draft_key] = v
        else:
            self.capp.drafts.pop(self.draft_key, None)
        self.dismiss(False)


# ---------------------------------------------------------------------- helpers
def _concept_named(m: ConceptMap, label: str) -> str | None:
    found = m.find_concepts(label) if label.strip() else []
    return found[0].id if found else None


def _label_problem(m: ConceptMap, label: str, *, this: str | None = None) -> str | None:
    text = label.strip()
    if not text:
        return "a concept needs a label"
    if len(text) > 300:
        return f"{len(text)} characters: at most 300"
    others = [c for c in m.find_concepts(text) if c.id != this]
    if others:
        return f"“{others[0].label}” is already a concept; pick another label"
    return None


# ---------------------------------------------------------------------- concepts
class ConceptForm(Form):
    """Add a concept, or rename the selected one."""

    def __init__(self, concept_id: str | None = None) -> None:
        super().__init__()
        self.concept_id = concept_id
        self.heading = "Rename concept" if concept_id else "Add a concept"
        self.draft_key = f"rename:{concept_id}" if concept_id else "concept:add"

    def fields(self) -> list[Field]:
        value = self.map.concepts[self.concept_id].label if self.concept_id else ""
        return [Field("label", "Concept label", value, "e.g. SMB café owners")]

    def check(self, v: dict[str, str]) -> dict[str, str]:
        p = _label_problem(self.map, v["label"], this=self.concept_id)
        return {"label": p} if p else {}

    def apply(self, v: dict[str, str]) -> str | None:
        label = v["label"].strip()
        if self.concept_id:
            cid = self.concept_id
            return self.capp.run_edit(
                "rename concept", lambda m: m.update_concept(cid, label=label), select=cid
            )
        return self.capp.run_edit("add concept", lambda m: m.add_concept(label), select_result=True)


# ---------------------------------------------------------------------- propositions
class PropositionForm(Form):
    """Add "source — linking phrase → target"; a new target becomes a concept on the fly."""

    heading = "Add a proposition: concept — linking phrase → concept"
    draft_key = "proposition:add"

    def __init__(self, source_id: str | None = None) -> None:
        super().__init__()
        self.source_id = source_id

    def fields(self) -> list[Field]:
        m = self.map
        labels = [c.label for c in m.concepts.values()]
        phrases = [lp.label for lp in m.linking_phrases.values()]
        src = m.concepts[self.source_id].label if self.source_id in m.concepts else ""
        return [
            Field("source", "From concept", src, "a concept of the map (Tab completes)", labels),
            Field(
                "phrase",
                "Linking phrase",
                "",
                "e.g. value, churn because of (empty: a direct link)",
                phrases,
            ),
            Field("target", "To concept", "", "an existing concept, or a new one", labels),
        ]

    def check(self, v: dict[str, str]) -> dict[str, str]:
        m = self.map
        out: dict[str, str] = {}
        src = _concept_named(m, v["source"])
        if not v["source"].strip():
            out["source"] = "which concept does it start from?"
        elif src is None:
            out["source"] = f"no concept “{v['source'].strip()}”: add it first (a), or pick one"
        if not v["target"].strip():
            out["target"] = "which concept does it lead to?"
        else:
            tgt = _concept_named(m, v["target"])
            if tgt is None and len(v["target"].strip()) > 300:
                out["target"] = "at most 300 characters"
            elif src is not None and tgt == src:
                out["target"] = "a proposition cannot join a concept to itself"
            elif src is not None and tgt is not None:
                lp = m.find_phrase(v["phrase"], source=src) if v["phrase"].strip() else None
                for p in m.propositions_of(src):
                    if (
                        p.source == src
                        and p.target == tgt
                        and (p.via == (lp.id if lp else None))
                        and (lp or not v["phrase"].strip())
                    ):
                        out["target"] = "this proposition is already in the map"
        if len(v["phrase"].strip()) > 300:
            out["phrase"] = "at most 300 characters"
        return out

    def hints(self, v: dict[str, str]) -> dict[str, str]:
        out = {}
        if v["target"].strip() and _concept_named(self.map, v["target"]) is None:
            out["target"] = f"new: “{v['target'].strip()}” will be added as a concept"
        if not v["phrase"].strip():
            out["phrase"] = "empty: a direct, unlabelled link"
        return out

    def apply(self, v: dict[str, str]) -> str | None:
        source, phrase, target = v["source"].strip(), v["phrase"].strip(), v["target"].strip()

        def edit(m: ConceptMap) -> Any:
            src = _concept_named(m, source)
            tgt = _concept_named(m, target) or m.add_concept(target).id
            return m.add_proposition(src, phrase or None, tgt)  # type: ignore[arg-type]

        return self.capp.run_edit("add proposition", edit, select_result=True)


# ---------------------------------------------------------------------- evidence
STANCES = ("supports", "contradicts")


class EvidenceForm(Form):
    """Add evidence to a claim, or edit an evidence item."""

    def __init__(self, claim_id: str, evidence_id: str | None = None) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.evidence_id = evidence_id
        what = "Edit evidence" if evidence_id else "Add evidence"
        self.heading = f"{what} on: {' '.join(self.map.claim_text(claim_id).split())}"
        self.draft_key = f"evidence:{evidence_id}" if evidence_id else f"evidence:add:{claim_id}"

    def fields(self) -> list[Field]:
        m = self.map
        e = m.evidence.get(self.evidence_id) if self.evidence_id else None
        sources = [x.source for x in m.evidence.values()]
        return [
            Field(
                "stance",
                "Stance",
                e.stance.value if e else "supports",
                "supports or contradicts",
                STANCES,
            ),
            Field(
                "kind",
                "Kind",
                e.kind.value if e else "",
                "interview, analytics, experiment, commitment… (Tab completes)",
                EVIDENCE_KINDS,
            ),
            Field(
                "source",
                "Source",
                e.source if e else "",
                "who or what: Maya, Bean There; billing dashboard",
                sources,
            ),
            Field(
                "date", "Date (YYYY-MM-DD)", (e.date if e else self.capp.today).isoformat(), "", ()
            ),
            Field(
                "quote", "Quote", e.quote if e else "", "what they said or what was seen (optional)"
            ),
            Field("link", "Link", (e.link or "") if e else "", "https://… (optional)"),
            Field(
                "n",
                "n (people, events)",
                str(e.n) if e else "1",
                "",
                (),
                restrict=r"[0-9]*",
                max_length=8,
            ),
        ]

    def _record(self, v: dict[str, str]) -> dict[str, Any]:
        return {
            "stance": v["stance"].strip(),
            "kind": v["kind"].strip(),
            "source": v["source"].strip(),
            "date": v["date"].strip(),
            "quote": v["quote"],
            "link": v["link"].strip() or None,
            "n": v["n"].strip() or "1",
        }

    def check(self, v: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        if v["stance"].strip() not in STANCES:
            out["stance"] = "type supports or contradicts"
        kind = v["kind"].strip()
        if not kind:
            out["kind"] = "which kind of evidence? (interview, analytics, …)"
        elif kind not in EVIDENCE_KINDS:
            out["kind"] = f"unknown kind “{kind}”: one of " + ", ".join(EVIDENCE_KINDS)
        if not v["source"].strip():
            out["source"] = "who or what is the source?"
        try:
            day = dt.date.fromisoformat(v["date"].strip())
        except ValueError:
            out["date"] = "write the date as YYYY-MM-DD"
        else:
            if day > self.capp.today:
                out["date"] = (
                    f"{day.isoformat()} is in the future (today is {self.capp.today.isoformat()})"
                )
        if not v["n"].strip().isdigit() or int(v["n"]) < 1:
            out["n"] = "a whole number, 1 or more"
        if not out:
            try:
                Evidence.model_validate(
                    {"id": "e-check", "claim": self.claim_id, **self._record(v)}
                )
            except ValidationError as err:
                for e in err.errors(include_url=False):
                    name = str(e["loc"][0]) if e["loc"] else "quote"
                    out.setdefault(
                        name if name in v else "quote", e["msg"].removeprefix("Value error, ")
                    )
        return out

    def apply(self, v: dict[str, str]) -> str | None:
        rec = self._record(v)
        rec["date"] = dt.date.fromisoformat(rec["date"])
        rec["n"] = int(rec["n"])
        claim = self.claim_id
        if self.evidence_id:
            eid = self.evidence_id
            return self.capp.run_edit(
                "edit evidence", lambda m: m.update_evidence(eid, **rec), select=claim
            )
        return self.capp.run_edit(
            "add evidence", lambda m: m.add_evidence(claim, **rec), select=claim
        )


# ---------------------------------------------------------------------- relations
def _claim_choices(m: ConceptMap) -> dict[str, str]:
    """Every claim a relation can name, by how it reads (propositions and concepts)."""
    out: dict[str, str] = {}
    for cid in sorted(m.concepts):
        out.setdefault(" ".join(m.concepts[cid].label.split()), cid)
    for pid in sorted(m.propositions):
        out.setdefault(" ".join(m.proposition_text(pid).split()), pid)
    return out


class RelationForm(Form):
    """Mark the selected claim as supporting or contradicting another claim."""

    def __init__(self, claim_id: str, kind: str) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.kind = kind
        self.heading = f"Mark: {' '.join(self.map.claim_text(claim_id).split())}"
        self.draft_key = f"relation:{claim_id}"

    def fields(self) -> list[Field]:
        return [
            Field("kind", "Relation", self.kind, "supports or contradicts", STANCES),
            Field(
                "other",
                "Other claim",
                "",
                "a proposition or concept (Tab completes)",
                _claim_choices(self.map),
            ),
        ]

    def _other(self, text: str) -> str | None:
        key = normalise_label(text)
        for label, cid in _claim_choices(self.map).items():
            if normalise_label(label) == key:
                return cid
        return None

    def check(self, v: dict[str, str]) -> dict[str, str]:
        out = {}
        if v["kind"].strip() not in STANCES:
            out["kind"] = "type supports or contradicts"
        other = self._other(v["other"])
        if not v["other"].strip():
            out["other"] = "which claim does it support or contradict?"
        elif other is None:
            out["other"] = "no claim reads like that: start typing and Tab completes"
        elif other == self.claim_id:
            out["other"] = "a claim cannot support or contradict itself"
        else:
            for r in self.map.relations_of(self.claim_id):
                if {r.source, r.target} == {self.claim_id, other}:
                    out["other"] = f"these claims are already related ({r.kind.value})"
        return out

    def apply(self, v: dict[str, str]) -> str | None:
        other, kind, claim = self._other(v["other"]), v["kind"].strip(), self.claim_id
        return self.capp.run_edit(
            f"mark {kind}", lambda m: m.add_relation(claim, kind, other), select=claim
        )  # type: ignore[arg-type]


# ---------------------------------------------------------------------- importance, focus
class ImportanceForm(Form):
    """The team's importance rating (1–5) of a claim: it weighs its rank among the gaps."""

    def __init__(self, claim_id: str) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.heading = f"Importance of: {' '.join(self.map.claim_text(claim_id).split())}"
        self.draft_key = f"importance:{claim_id}"

    def fields(self) -> list[Field]:
        return [
            Field(
                "rating",
                "Importance 1–5",
                str(self.map.importance_of(self.claim_id)),
                "1 minor … 5 the business rests on it",
                restrict=r"[1-5]?",
                max_length=1,
            )
        ]

    def check(self, v: dict[str, str]) -> dict[str, str]:
        return (
            {}
            if v["rating"] in {"1", "2", "3", "4", "5"}
            else {"rating": "type a number from 1 to 5"}
        )

    def apply(self, v: dict[str, str]) -> str | None:
        rating, claim = int(v["rating"]), self.claim_id
        return self.capp.run_edit(
            "set importance", lambda m: m.set_importance(claim, rating), select=claim
        )


class FocusForm(Form):
    """The focus question the map answers."""

    heading = "Focus question: what does this map answer?"
    draft_key = "focus"

    def fields(self) -> list[Field]:
        return [
            Field(
                "question",
                "Focus question",
                self.map.focus_question,
                "e.g. What do SMB café owners need from ordering software?",
            )
        ]

    def check(self, v: dict[str, str]) -> dict[str, str]:
        q = v["question"].strip()
        if not q:
            return {"question": "every map answers one question: type it"}
        if len(q) > 600:
            return {"question": f"{len(q)} characters: at most 600"}
        return {}

    def apply(self, v: dict[str, str]) -> str | None:
        q = v["question"].strip()
        return self.capp.run_edit("edit focus question", lambda m: m.set_meta(focus_question=q))


# ---------------------------------------------------------------------- learning plan
class PlanForm(Form):
    """A gap's place in the learning plan: who tests it, with what test, by when."""

    def __init__(self, claim_id: str) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.heading = f"Plan a test of: {' '.join(self.map.claim_text(claim_id).split())}"
        self.draft_key = f"plan:{claim_id}"

    def fields(self) -> list[Field]:
        m = self.map
        item = m.plan_for(self.claim_id)
        owners = [p.owner for p in m.plan.values()]
        due = item.due if item else self.capp.today + dt.timedelta(days=14)
        return [
            Field("owner", "Owner", item.owner if item else "", "who runs the test", owners),
            Field(
                "next_test",
                "Next test",
                item.next_test if item else "",
                "e.g. 5 interviews with café owners about delivery",
            ),
            Field("due", "Due (YYYY-MM-DD)", due.isoformat(), ""),
        ]

    def check(self, v: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        owner = v["owner"].strip()
        if not owner:
            out["owner"] = "who owns this test?"
        elif len(owner) > 300:
            out["owner"] = "at most 300 characters"
        test = v["next_test"].strip()
        if not test:
            out["next_test"] = "which test will tell us? (an interview, an experiment…)"
        elif len(test) > 1200:
            out["next_test"] = "at most 1200 characters"
        try:
            dt.date.fromisoformat(v["due"].strip())
        except ValueError:
            out["due"] = "write the date as YYYY-MM-DD"
        return out

    def hints(self, v: dict[str, str]) -> dict[str, str]:
        try:
            day = dt.date.fromisoformat(v["due"].strip())
        except ValueError:
            return {}
        if day < self.capp.today:
            return {"due": f"already past (today is {self.capp.today.isoformat()}): overdue"}
        return {"due": f"in {(day - self.capp.today).days} day(s)"}

    def apply(self, v: dict[str, str]) -> str | None:
        owner, test = v["owner"].strip(), v["next_test"].strip()
        due, claim = dt.date.fromisoformat(v["due"].strip()), self.claim_id
        return self.capp.run_edit(
            "plan a test",
            lambda m: m.set_plan(claim, owner=owner, next_test=test, due=due),
            select=claim,
        )
