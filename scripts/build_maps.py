"""Build the example maps shipped in ``src/conceptmap/data/maps/`` (and ``docs/demo-maps.md``).

The maps are written through the same API a user's edits go through (``add_concept``,
``add_proposition`` with fan-out linking phrases, ``add_evidence``, ``add_relation``,
``set_meta``) and saved with :func:`conceptmap.formats.dump_map`, so they are valid by
construction. Ids and times are fixed, so rerunning the script gives byte-identical files:

    .venv/bin/python scripts/build_maps.py          # write the maps and docs/demo-maps.md
    .venv/bin/python scripts/build_maps.py --check  # exit 1 if a file would change

The evidence is chosen so that, by the rules of analysis.md §1–§3 as of 2026-11-23, every state
appears somewhere (unsupported, weak, supported, contested, contradicted), with stale claims and
contradictions in the map. :func:`opinion` recomputes those rules by hand, independently of
``conceptmap.analysis``, so the two can be cross-checked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import conceptmap.model.conceptmap as _cm_module
from conceptmap.formats import dump_map
from conceptmap.model import KIND_LEVEL, ConceptMap, Evidence, slug
from conceptmap.model.ids import new_id as _new_id

ROOT = Path(__file__).resolve().parent.parent
MAPS = ROOT / "src" / "conceptmap" / "data" / "maps"
DOC = ROOT / "docs" / "demo-maps.md"

#: The date every state in docs/demo-maps.md is computed for.
AS_OF = dt.date(2026, 11, 23)
#: created/updated time of every shipped map.
FIXED_NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def h8(*parts: str) -> str:
    """8 hex digits derived from ``parts``: stable ids that still look like random ones."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:8]


class Builder:
    """A map under construction with deterministic ids (concepts by label, the rest by count)."""

    def __init__(self, key: str, title: str, focus: str, description: str) -> None:
        self.key = key
        self.count = 0
        # Linking phrase and proposition ids come from the model's own id maker; give it a
        # seeded token so that they are the same on every run.
        _cm_module.new_id = lambda kind, label="", taken=(): _new_id(
            kind, label, taken, token=self._token
        )
        self.m = ConceptMap.new(
            title, focus_question=focus, description=description, id=f"m-{key}-{h8(key)}"
        )

    def _token(self) -> str:
        self.count += 1
        return h8(self.key, "token", str(self.count))

    def c(self, label: str, **fields: Any) -> str:
        cid = f"c-{slug(label)}-{h8(self.key, 'concept', label)}"
        self.m.add_concept(label, id=cid, **fields)
        return cid

    def p(self, source: str, phrase: str | None, target: str, importance: int = 3) -> str:
        return self.m.add_proposition(source, phrase, target, importance=importance).id

    def ev(
        self,
        claim: str,
        stance: str,
        kind: str,
        source: str,
        date: str,
        quote: str = "",
        **fields: Any,
    ) -> None:
        self.count += 1
        eid = f"e-{slug(source, 16)}-{h8(self.key, 'evidence', str(self.count))}"
        stance = {"+": "supports", "-": "contradicts"}[stance]
        self.m.add_evidence(
            claim,
            id=eid,
            stance=stance,
            kind=kind,
            source=source,
            date=dt.date.fromisoformat(date),
            quote=quote,
            **fields,
        )

    def rel(self, source: str, kind: str, target: str) -> None:
        self.count += 1
        self.m.add_relation(
            source, kind, target, id=f"r-{kind}-{h8(self.key, 'rel', str(self.count))}"
        )

    def root(self, cid: str) -> None:
        self.m.set_meta(root=cid)

    def done(self) -> ConceptMap:
        return self.m


# ---------------------------------------------------------------------------------------------
# The rules of analysis.md §1–§3, by hand (a check, independent of conceptmap.analysis)

MULTIPLIER = {1: 0.25, 2: 0.5, 3: 1.0, 4: 2.0, 5: 4.0}
HALF_LIFE = {"analytics": 90, "support-ticket": 90, "interview": 270}
W = 2.0


def half_life(kind: str) -> int:
    return HALF_LIFE.get(kind, 180)


def weight(e: Evidence, as_of: dt.date, *, decay: bool = True) -> float:
    """e = m · log2(1 + n) · λ · t · (0.75 in the lab)."""
    kind = e.kind.value
    lam = 2 ** (-(as_of - e.date).days / half_life(kind)) if decay else 1.0
    lab = 0.75 if e.setting.value == "lab" else 1.0
    return MULTIPLIER[KIND_LEVEL[kind]] * math.log2(1 + e.n) * lam * e.reliability * lab


@dataclass
class Opinion:
    r: float
    s: float
    b: float
    d: float
    u: float
    state: str
    stale: bool
    items: int


def _fuse(items: list[Evidence], as_of: dt.date, decay: bool) -> tuple[float, float]:
    """r and s with each source counted once (its strongest item each way)."""
    best: dict[tuple[str, str], float] = {}
    for e in items:
        key = (e.source, e.stance.value)
        best[key] = max(best.get(key, 0.0), weight(e, as_of, decay=decay))
    r = sum(v for (_, st), v in best.items() if st == "supports")
    s = sum(v for (_, st), v in best.items() if st == "contradicts")
    return r, s


def opinion(m: ConceptMap, claim: str, as_of: dt.date = AS_OF) -> Opinion:
    items = [e for e in m.evidence_for(claim) if e.date <= as_of]
    r, s = _fuse(items, as_of, True)
    r0, s0 = _fuse(items, as_of, False)
    tot = r + s + W
    b, d, u = r / tot, s / tot, W / tot
    if not items or u > 0.8:
        state = "unsupported"
    elif d >= 0.4 and d > b:
        state = "contradicted"
    elif 2 * min(b, d) >= 0.3:
        state = "contested"
    elif u >= 0.5:
        state = "weak"
    else:
        state = "supported"
    stale = False
    if items:
        newest = max(items, key=lambda e: e.date)
        stale = (r + s) < 0.5 * (r0 + s0) or (as_of - newest.date).days > 2 * half_life(
            newest.kind.value
        )
    return Opinion(r, s, b, d, u, state, stale, len(items))


def contradictions(m: ConceptMap, states: dict[str, Opinion]) -> list[tuple[str, str]]:
    """Pairs of claims related by *contradicts* that are both supported or weak."""
    ok = {"supported", "weak"}
    return [
        (r.source, r.target)
        for r in sorted(m.relations.values(), key=lambda r: r.id)
        if r.kind.value == "contradicts"
        and states[r.source].state in ok
        and states[r.target].state in ok
    ]


# ---------------------------------------------------------------------------------------------
# Map 1: the demo


def cafe() -> ConceptMap:
    b = Builder(
        "cafe-ordering",
        "Café ordering",
        "What do SMB café owners need from ordering software?",
        "Discovery map of the café team, built in the November 2026 workshop from 14 owner "
        "interviews, the POS order log and the support queue.",
    )
    owners = b.c("SMB café owners", importance=5, notes="Independent cafés, 1–3 sites, 3–15 staff.")
    b.root(owners)
    speed = b.c("peak-hour speed", importance=5)
    reach = b.c("delivery reach", importance=4)
    costs = b.c("predictable costs", importance=4)
    team = b.c("small teams")
    suppliers = b.c("local suppliers")
    # speed
    qr = b.c("QR table ordering")
    kds = b.c("kitchen display")
    queue = b.c("queue time")
    errors = b.c("order errors")
    rush = b.c("8am commuter rush", example=True)
    menu = b.c("menu sync")
    # reach
    apps = b.c("delivery apps")
    web = b.c("direct web orders")
    commission = b.c("30% commission", fact=True, importance=4)
    deliveroo = b.c("Deliveroo", example=True)
    ubereats = b.c("Uber Eats", example=True)
    regulars = b.c("new regulars")
    couriers = b.c("own couriers")
    data = b.c("customer data")
    # costs
    flat = b.c("flat monthly fee")
    per_order = b.c("per-order pricing")
    churn = b.c("monthly churn", importance=5)
    churn_fact = b.c("churn is 3.8% a month", fact=True, importance=4)
    card = b.c("card fees")
    lockin = b.c("hardware lock-in")
    # team
    baristas = b.c("part-time baristas")
    training = b.c("5-minute training")
    turnover = b.c("staff turnover")
    rota = b.c("shift rota")
    saturday = b.c("Saturday-only staff", example=True)
    # suppliers
    pastries = b.c("daily pastries")
    beans = b.c("milk and beans")
    stock = b.c("stock counts")
    alerts = b.c("low-stock alerts")
    sold_out = b.c("sold-out items")
    harts = b.c("Hart's Bakery", example=True)

    need_speed = b.p(owners, "need", speed, 5)
    need_reach = b.p(owners, "need", reach, 4)  # one "need" phrase fans out to three targets
    need_costs = b.p(owners, "need", costs, 4)
    b.p(owners, "run with", team)
    b.p(owners, "order from", suppliers)

    b.p(speed, "depends on", qr)
    b.p(speed, "depends on", kds)
    b.p(speed, "e.g.", rush)
    qr_queue = b.p(qr, "cuts", queue, 4)
    kds_errors = b.p(kds, "reduces", errors, 4)
    qr_menu = b.p(qr, "needs", menu)

    via_apps = b.p(reach, "comes via", apps, 4)
    via_web = b.p(reach, "comes via", web)
    apps_commission = b.p(apps, "charge", commission)
    b.p(apps, "e.g.", deliveroo)
    b.p(apps, "e.g.", ubereats)
    apps_regulars = b.p(apps, "bring", regulars, 4)
    apps_data = b.p(apps, "keep", data)
    web_commission = b.p(web, "avoid", commission)
    b.p(web, "needs", couriers)

    prefer_flat = b.p(costs, "mean", flat, 4)
    b.p(costs, "weighed against", per_order)
    b.p(costs, "include", card)
    costs_lockin = b.p(costs, "hurt by", lockin)
    per_order_churn = b.p(per_order, "drives", churn, 5)
    b.p(churn, "measured as", churn_fact)

    b.p(team, "include", baristas)
    b.p(team, "suffer", turnover)
    b.p(team, "plan with", rota)
    b.p(baristas, "e.g.", saturday)
    baristas_training = b.p(baristas, "need", training, 4)
    turnover_training = b.p(turnover, "repeats", training)

    supp_pastries = b.p(suppliers, "deliver", pastries)
    b.p(suppliers, "deliver", beans)
    b.p(suppliers, "e.g.", harts)
    b.p(suppliers, "need", stock)
    stock_alerts = b.p(stock, "trigger", alerts)
    b.p(alerts, "flag", sold_out)

    # cross-links between branches
    errors_baristas = b.p(errors, "upset", baristas)  # speed → team
    kds_training = b.p(kds, "shortens", training)  # speed → team
    sold_out_menu = b.p(sold_out, "must update", menu)  # suppliers → speed
    commission_costs = b.p(commission, "undermines", costs)  # reach → costs
    flat_team = b.p(flat, "suits", team)  # costs → team
    team_per_order = b.p(team, "start on", per_order, 4)  # team → costs
    web_qr = b.p(web, "reuse", qr)  # reach → speed
    b.p(rota, "follows", rush)  # team → speed

    # ---- evidence
    b.ev(
        need_speed,
        "+",
        "analytics",
        "POS order log",
        "2026-10-10",
        "62% of a day's orders land between 7:30 and 9:30.",
        n=1200,
    )
    b.ev(
        need_speed,
        "+",
        "interview",
        "Maya, Bean There",
        "2026-09-12",
        "If the queue goes out the door at eight, people walk to the Pret next door.",
    )
    b.ev(
        need_speed,
        "+",
        "observation",
        "Shadowing at Grindhouse",
        "2026-10-20",
        "Counted 11 walk-outs in 40 minutes during the rush.",
        n=3,
    )
    b.ev(
        need_reach,
        "+",
        "interview",
        "Leo, Corner Cup",
        "2026-08-28",
        "Delivery is a third of our weekend takings now.",
    )
    b.ev(
        need_reach,
        "+",
        "survey",
        "Owner survey Q3",
        "2026-09-30",
        "71% rate 'more delivery orders' as important or very important.",
        n=64,
    )
    b.ev(
        need_reach,
        "-",
        "interview",
        "Priya, Kiln Coffee",
        "2026-09-03",
        "We're a sit-down place. Delivery is a distraction for us.",
    )
    b.ev(
        need_costs,
        "+",
        "interview",
        "Maya, Bean There",
        "2026-09-12",
        "I need to know in January what this costs me in August.",
    )
    b.ev(
        need_costs,
        "+",
        "review",
        "Capterra reviews",
        "2026-07-14",
        "Surprise fees every month. Switched after three.",
        n=9,
    )
    # 3 notes from one person: a source counts once → weak
    b.ev(
        kds_errors,
        "+",
        "interview",
        "Priya, Kiln Coffee",
        "2026-09-03",
        "Since the screen went in, nobody shouts orders any more.",
    )
    b.ev(
        kds_errors,
        "+",
        "interview",
        "Priya, Kiln Coffee",
        "2026-10-01",
        "Remakes are down, maybe a couple a day.",
    )
    b.ev(
        kds_errors,
        "+",
        "interview",
        "Priya, Kiln Coffee",
        "2026-10-29",
        "The new starter got the oat-milk orders right on day one.",
    )
    b.ev(
        qr_queue,
        "+",
        "interview",
        "Tom, Daily Grind",
        "2026-10-05",
        "Tables order on their phones, so the till queue is just takeaway.",
    )
    b.ev(
        qr_menu,
        "+",
        "support-ticket",
        "Support queue",
        "2026-10-22",
        "Tickets: 'QR menu still shows the special we ran out of'.",
        n=23,
    )
    b.ev(
        sold_out_menu,
        "+",
        "anecdote",
        "Sam (sales)",
        "2026-10-08",
        "An owner told me they sold out of croissants and kept taking QR orders for an hour.",
    )
    b.ev(
        sold_out_menu,
        "+",
        "support-ticket",
        "Support queue",
        "2026-10-22",
        n=23,
        quote="Same 23 tickets: the menu does not follow the stock.",
    )
    b.ev(
        via_apps,
        "+",
        "analytics",
        "Partner API stats",
        "2026-10-18",
        "84% of delivered orders came through Deliveroo or Uber Eats.",
        n=5400,
    )
    b.ev(
        via_web,
        "+",
        "survey",
        "Vendor panel survey",
        "2026-06-20",
        "'Would you take orders on your own website?' 58% yes.",
        n=120,
        reliability=0.3,
    )
    b.ev(
        apps_commission,
        "+",
        "review",
        "Capterra reviews",
        "2026-07-14",
        "The apps take 30% and we still pay for the packaging.",
        n=9,
    )
    b.ev(
        apps_commission,
        "+",
        "support-ticket",
        "Billing tickets",
        "2026-10-02",
        "Owners asking why payouts are 30% below order value.",
        n=14,
    )
    b.ev(
        commission,
        "+",
        "analytics",
        "Payout reconciliation",
        "2026-10-25",
        "Median commission 29.6% across 38 cafés.",
        n=38,
    )
    b.ev(
        commission,
        "+",
        "review",
        "Trustpilot",
        "2026-09-01",
        "Thirty percent off the top, every order.",
        n=4,
    )
    # contradicted: the team believed apps bring new regulars; loyalty data says no
    b.ev(
        apps_regulars,
        "+",
        "belief",
        "Founders",
        "2026-05-02",
        "App customers discover us and come back in person.",
    )
    b.ev(
        apps_regulars,
        "+",
        "interview-opinion",
        "Owner round-table",
        "2026-09-18",
        "'I'd expect some of them to become regulars.'",
        n=8,
    )
    b.ev(
        apps_regulars,
        "-",
        "analytics",
        "Loyalty card data",
        "2026-10-24",
        "Of 300 first-time app customers, 4 used a loyalty card in the shop within 60 days.",
        n=300,
    )
    b.ev(
        apps_data,
        "+",
        "interview",
        "Leo, Corner Cup",
        "2026-08-28",
        "I don't even get their email. The app owns them.",
    )
    # contested: per-order pricing and churn
    b.ev(
        per_order_churn,
        "+",
        "interview",
        "Maya, Bean There",
        "2026-09-12",
        "In a slow month the per-order fees felt like a tax. That's when I looked around.",
    )
    b.ev(
        per_order_churn,
        "+",
        "interview",
        "Leo, Corner Cup",
        "2026-08-28",
        "We nearly left after the summer bill.",
    )
    b.ev(
        per_order_churn,
        "-",
        "analytics",
        "Churn cohort study",
        "2026-10-30",
        "Churn within 6 months: per-order plan 4.1%, flat plan 3.9%: no real difference.",
    )
    b.ev(
        churn_fact,
        "+",
        "analytics",
        "Billing export",
        "2026-11-01",
        "Logo churn Aug–Oct: 3.6%, 4.0%, 3.8%.",
        n=420,
    )
    # a contradiction in the map: owners say they prefer a flat fee, but sign up per order
    b.ev(
        prefer_flat,
        "+",
        "interview",
        "Leo, Corner Cup",
        "2026-08-28",
        "Just tell me one number a month.",
    )
    b.ev(
        team_per_order,
        "+",
        "commitment",
        "Pilot sign-ups",
        "2026-10-12",
        "9 of 11 pilot cafés chose the per-order plan when offered both.",
        n=9,
    )
    b.ev(
        team_per_order,
        "+",
        "analytics",
        "Plan mix report",
        "2026-10-31",
        "73% of new cafés start on per-order pricing.",
        n=210,
    )
    b.ev(
        team_per_order,
        "-",
        "belief",
        "Sam (sales)",
        "2026-10-08",
        "Owners hate variable bills; they'll move to flat as soon as they can.",
    )
    b.rel(team_per_order, "contradicts", prefer_flat)
    b.rel(per_order_churn, "supports", prefer_flat)
    b.rel(apps_commission, "supports", web_commission)
    b.rel(apps_regulars, "contradicts", apps_data)
    b.rel(kds_errors, "supports", kds_training)
    # unsupported: one belief
    b.ev(
        flat_team,
        "+",
        "belief",
        "Sam (sales)",
        "2026-10-08",
        "Small teams can't be bothered with variable bills.",
    )
    b.ev(
        baristas_training,
        "+",
        "interview",
        "Tom, Daily Grind",
        "2026-10-05",
        "Half my staff are students. If it takes an afternoon to learn, it's dead.",
    )
    b.ev(
        baristas_training,
        "+",
        "observation",
        "Shadowing at Grindhouse",
        "2026-10-20",
        "The Saturday barista asked for help with the till four times.",
        n=4,
    )
    b.ev(
        turnover_training,
        "+",
        "interview",
        "Maya, Bean There",
        "2025-12-01",
        "I train someone new every month.",
    )
    b.ev(
        kds_training,
        "+",
        "experiment",
        "Training trial (office)",
        "2026-09-24",
        "6 new baristas learned the KDS flow in a median 4 min 40 s.",
        n=6,
        setting="lab",
    )
    b.ev(
        web_qr,
        "+",
        "experiment",
        "Checkout A/B test",
        "2026-10-16",
        "Reusing the QR menu for web orders: checkout completion 61% → 68%.",
        n=900,
    )
    b.ev(
        errors_baristas,
        "+",
        "observation",
        "Shadowing at Grindhouse",
        "2026-10-20",
        "Two remakes in the rush, both on the newest barista.",
        n=2,
    )
    # stale: the supplier observations are from early 2025
    b.ev(
        supp_pastries,
        "+",
        "observation",
        "Site visits 2025",
        "2025-05-14",
        "7 of 8 cafés take a bakery delivery before 7am.",
        n=8,
    )
    b.ev(
        supp_pastries,
        "+",
        "interview",
        "Hart's Bakery",
        "2025-06-03",
        "We drop at 6:30 to about forty cafés.",
    )
    b.ev(
        stock_alerts,
        "+",
        "interview-opinion",
        "Owner round-table",
        "2025-11-20",
        "'An alert when milk runs low would save me a trip.'",
        n=8,
    )
    b.ev(
        costs_lockin,
        "+",
        "anecdote",
        "Sam (sales)",
        "2025-03-11",
        "Lost a deal because they'd just bought a £2k terminal.",
    )
    b.ev(
        commission_costs,
        "+",
        "survey",
        "Owner survey Q3",
        "2026-09-30",
        "'Delivery fees make my costs hard to predict': 66% agree.",
        n=64,
    )
    return b.done()


# ---------------------------------------------------------------------------------------------
# Map 2: B2B SaaS onboarding


def saas() -> ConceptMap:
    b = Builder(
        "saas-onboarding",
        "Trial onboarding",
        "What gets a new B2B account to its first value within 14 days?",
        "Onboarding squad's map of the trial journey for the reporting product, with evidence from "
        "the Q3 2026 trial cohort, CSM calls and the onboarding A/B tests.",
    )
    accounts = b.c("new B2B accounts", importance=5)
    b.root(accounts)
    value = b.c("first value", importance=5)
    setup = b.c("admin setup", importance=4)
    champion = b.c("internal champion", importance=4)
    humans = b.c("human touch")
    conversion = b.c("trial conversion", importance=5)
    # first value
    report = b.c("first shared report")
    sample = b.c("sample data")
    empty = b.c("empty dashboard", example=True)
    tour = b.c("product tour")
    checklist = b.c("setup checklist")
    activation = b.c("activation")
    act_fact = b.c("activation is 3 reports in week 1", fact=True, importance=4)
    # setup
    imp = b.c("data import")
    csv = b.c("CSV upload", example=True)
    sfdc = b.c("Salesforce sync", example=True)
    sso = b.c("SSO")
    it = b.c("IT approval")
    security = b.c("security review")
    days = b.c("setup takes 9 days", fact=True, importance=4)
    one_day = b.c("one-day setup")
    # champion
    admin = b.c("ops admin")
    users = b.c("end users")
    invites = b.c("team invites")
    exec_sponsor = b.c("exec sponsor")
    # human touch
    kickoff = b.c("kickoff call")
    csm = b.c("CSM")
    emails = b.c("welcome emails")
    office = b.c("office hours")
    # conversion
    card = b.c("card upfront")
    seats = b.c("per-seat pricing")
    procurement = b.c("procurement")
    trial14 = b.c("14-day trial")
    extension = b.c("trial extensions")
    acme = b.c("Acme Logistics", example=True)

    b.p(accounts, "need", value, 5)
    accounts_setup = b.p(accounts, "need", setup, 4)
    b.p(accounts, "depend on", champion, 4)
    b.p(accounts, "get", humans)
    b.p(accounts, "end in", conversion, 5)
    b.p(accounts, "e.g.", acme)

    b.p(value, "shows up as", report)
    value_sample = b.p(value, "speeded by", sample, 4)
    tour_activation = b.p(tour, "speeds up", activation, 4)
    checklist_activation = b.p(checklist, "speeds up", activation, 3)
    b.p(value, "blocked by", empty)
    b.p(value, "guided by", tour)
    b.p(value, "guided by", checklist)
    report_activation = b.p(report, "signals", activation, 4)
    b.p(activation, "defined as", act_fact)

    b.p(setup, "starts with", imp)
    b.p(imp, "e.g.", csv)
    b.p(imp, "e.g.", sfdc)
    b.p(setup, "includes", sso)
    sso_it = b.p(sso, "needs", it, 4)
    it_security = b.p(it, "triggers", security)
    b.p(setup, "measured as", days)

    b.p(champion, "often an", admin)
    b.p(champion, "brings in", users)
    champion_invites = b.p(champion, "sends", invites, 5)
    b.p(champion, "reports to", exec_sponsor)

    b.p(humans, "starts with", kickoff)
    b.p(humans, "run by", csm)
    b.p(humans, "scaled by", emails)
    b.p(humans, "scaled by", office)

    b.p(conversion, "gated by", card)
    b.p(conversion, "priced as", seats)
    b.p(conversion, "limited by", trial14)
    b.p(trial14, "stretched by", extension)
    procurement_conv = b.p(procurement, "delays", conversion, 4)

    # cross-links
    invites_conv = b.p(invites, "predict", conversion, 5)  # champion → conversion
    kickoff_conv = b.p(kickoff, "raises", conversion, 4)  # humans → conversion
    kickoff_setup = b.p(kickoff, "unblocks", imp)  # humans → setup
    seats_invites = b.p(seats, "discourages", invites, 4)  # conversion → champion
    security_proc = b.p(security, "feeds", procurement)  # setup → conversion
    admin_setup = b.p(admin, "can do", one_day)
    b.p(one_day, "skips", it)  # champion → setup
    sample_empty = b.p(sample, "replaces", empty)
    card_conv = b.p(card, "filters for", users)  # conversion → champion
    office_users = b.p(office, "trains", users)  # humans → champion

    # ---- evidence
    b.ev(
        invites_conv,
        "+",
        "analytics",
        "Trial cohort Q3",
        "2026-10-05",
        "Trials with 3+ invitees in week 1 convert at 41% vs 9%.",
        n=860,
    )
    b.ev(
        invites_conv,
        "+",
        "interview",
        "Dana, Acme Logistics",
        "2026-09-22",
        "Once my team was in, there was no way we were going back to spreadsheets.",
    )
    b.ev(
        champion_invites,
        "+",
        "analytics",
        "Trial cohort Q3",
        "2026-10-05",
        "In 78% of converting trials one person sent most invites.",
        n=860,
    )
    b.ev(
        champion_invites,
        "+",
        "observation",
        "Session recordings",
        "2026-10-14",
        "The inviter is the same person who connected the data source.",
        n=25,
    )
    # contradicted: the product tour A/B test
    b.ev(
        tour_activation,
        "+",
        "belief",
        "Growth PM",
        "2026-04-01",
        "A guided tour will get people to their first report faster.",
    )
    b.ev(
        tour_activation,
        "+",
        "survey",
        "In-app survey",
        "2026-08-15",
        "'The tour was helpful': 4.1/5.",
        n=140,
        setting="real",
    )
    b.ev(
        tour_activation,
        "-",
        "experiment",
        "Tour A/B test",
        "2026-10-20",
        "Activation 31.8% with tour vs 32.4% without; tour skipped by 70%.",
        n=1600,
    )
    b.ev(
        tour_activation,
        "-",
        "analytics",
        "Funnel dashboard",
        "2026-10-28",
        "Time to first report unchanged since the tour shipped.",
        n=2000,
    )
    b.ev(
        checklist_activation,
        "+",
        "experiment",
        "Checklist prototype test",
        "2026-09-09",
        "7 of 10 testers finished setup with the checklist vs 4 of 10 without.",
        n=10,
        setting="lab",
    )
    b.ev(
        checklist_activation,
        "+",
        "interview",
        "Dana, Acme Logistics",
        "2026-09-22",
        "The checklist told me what 'done' meant.",
    )
    # contested: kickoff calls
    b.ev(
        kickoff_conv,
        "+",
        "interview",
        "CSM team notes",
        "2026-09-30",
        "Every account I kicked off this quarter converted.",
    )
    b.ev(
        kickoff_conv,
        "+",
        "interview",
        "Raj, Northwind",
        "2026-10-02",
        "The call saved us a week of figuring things out.",
    )
    b.ev(
        kickoff_conv,
        "-",
        "analytics",
        "Trial cohort Q3",
        "2026-10-05",
        "With kickoff 38% vs 35% without, once account size is controlled for.",
        n=1,
    )
    b.ev(
        kickoff_setup,
        "+",
        "support-ticket",
        "Onboarding tickets",
        "2026-10-19",
        "Import questions drop after a kickoff call.",
        n=3,
    )
    # weak: one interview
    b.ev(
        report_activation,
        "+",
        "interview",
        "Raj, Northwind",
        "2026-10-02",
        "The day I shared the first report with my boss was the day we decided.",
    )
    # weak: survey with a low-reliability panel
    b.ev(
        seats_invites,
        "+",
        "survey",
        "Pricing panel",
        "2026-09-01",
        "'Per-seat pricing makes me invite fewer colleagues': 52% agree.",
        n=300,
        reliability=0.5,
    )
    b.ev(
        seats_invites,
        "+",
        "review",
        "G2 reviews",
        "2026-08-11",
        "Great tool but we can't afford seats for the whole team.",
        n=2,
    )
    # contradiction in the map: "admins finish setup in a day" vs "setup takes 9 days"
    b.ev(
        admin_setup,
        "+",
        "interview",
        "Dana, Acme Logistics",
        "2026-09-22",
        "I had it connected before lunch.",
    )
    b.ev(
        admin_setup,
        "+",
        "anecdote",
        "Sales call notes",
        "2026-10-10",
        "Prospect said their admin 'did it in a day' at the last company.",
    )
    b.ev(
        days,
        "+",
        "analytics",
        "Setup funnel",
        "2026-10-26",
        "Median 9 days from sign-up to first synced source.",
        n=640,
    )
    b.ev(
        days,
        "+",
        "support-ticket",
        "Onboarding tickets",
        "2026-10-19",
        "'Waiting on IT' is the top reason in setup tickets.",
        n=41,
    )
    b.rel(days, "contradicts", admin_setup)
    b.rel(sso_it, "supports", days)
    b.rel(invites_conv, "supports", champion_invites)
    b.rel(kickoff_conv, "contradicts", procurement_conv)
    b.rel(tour_activation, "supports", checklist_activation)
    b.ev(
        act_fact,
        "+",
        "analytics",
        "Trial cohort Q3",
        "2026-10-05",
        "3 reports in week 1 is the cut with the best precision for conversion.",
        n=860,
    )
    b.ev(
        act_fact,
        "-",
        "interview-opinion",
        "Data team review",
        "2026-10-12",
        "'I'd rather define activation on shared reports.'",
        n=3,
    )
    b.ev(
        sso_it,
        "+",
        "interview",
        "Raj, Northwind",
        "2026-10-02",
        "SSO meant a ticket to IT, and IT meant two weeks.",
    )
    b.ev(
        sso_it,
        "+",
        "support-ticket",
        "Onboarding tickets",
        "2026-10-19",
        "SSO setup tickets mention IT approval.",
        n=17,
    )
    b.ev(
        card_conv,
        "+",
        "commitment",
        "Card-upfront pilot",
        "2026-10-01",
        "112 of 400 sign-ups entered a card; 58% of those converted.",
        n=112,
    )
    b.ev(
        card_conv,
        "-",
        "interview",
        "Lena, Brightfield",
        "2026-09-15",
        "We never enter cards for a trial. Procurement won't allow it.",
    )
    b.ev(
        procurement_conv,
        "+",
        "commitment",
        "Signed order forms",
        "2026-08-30",
        "4 deals signed after the trial ended, all waiting on procurement.",
        n=4,
    )
    b.ev(
        value_sample,
        "+",
        "belief",
        "Onboarding squad",
        "2026-07-01",
        "Sample data will show value before the import is done.",
    )
    b.ev(
        sample_empty,
        "+",
        "observation",
        "Usability sessions",
        "2026-03-05",
        "5 of 6 participants stared at the empty dashboard.",
        n=6,
        setting="lab",
    )
    b.ev(
        accounts_setup,
        "+",
        "review",
        "Capterra reviews",
        "2025-09-20",
        "Setup was heavier than we expected.",
        n=15,
    )
    b.ev(
        security_proc,
        "+",
        "interview-opinion",
        "Security buyer interviews",
        "2025-10-08",
        "'A filled-in questionnaire would speed our approval.'",
        n=5,
    )
    b.ev(
        office_users,
        "+",
        "anecdote",
        "CSM team notes",
        "2026-02-14",
        "Office hours were full of end users, not admins.",
    )
    b.ev(
        it_security,
        "-",
        "interview",
        "Lena, Brightfield",
        "2026-09-15",
        "IT approved us without a security review; we're under the threshold.",
    )
    return b.done()


# ---------------------------------------------------------------------------------------------
# Map 3: a company's own customer-obsession practices


def obsession() -> ConceptMap:
    b = Builder(
        "customer-obsession",
        "Customer obsession",
        "Which of our practices keep product decisions anchored in what customers do?",
        "Leadership offsite map (autumn 2026) of our own practices: what we believe keeps us "
        "close to customers, and what we have actually checked.",
    )
    obs = b.c("customer obsession", importance=5)
    b.root(obs)
    loops = b.c("feedback loops", importance=5)
    day1 = b.c("Day 1 culture", importance=4)
    data = b.c("data-driven decisions", importance=4)
    backwards = b.c("working backwards", importance=4)
    frontline = b.c("frontline exposure")
    # loops
    nps = b.c("NPS survey")
    tickets = b.c("support tickets")
    churn_int = b.c("churn interviews")
    requests = b.c("feature requests")
    roadmap = b.c("roadmap")
    close_loop = b.c("closing the loop")
    # day 1
    small = b.c("two-pizza teams")
    disagree = b.c("disagree and commit")
    speed = b.c("decision speed")
    reversible = b.c("two-way doors", example=True)
    bureaucracy = b.c("process creep")
    # data
    inputs = b.c("input metrics")
    outputs = b.c("output metrics")
    review = b.c("weekly business review")
    anecdotes = b.c("anecdotes")
    wbr_fact = b.c("WBR covers 40 metrics", fact=True)
    # backwards
    prfaq = b.c("PR/FAQ")
    press = b.c("press release")
    faq = b.c("customer FAQ")
    six = b.c("six-pager")
    bulk = b.c("bulk export PR/FAQ", example=True)
    # frontline
    rotation = b.c("support rotation")
    shadowing = b.c("sales shadowing")
    empathy = b.c("customer empathy")
    q3day = b.c("Q3 support day", example=True)
    advisory = b.c("advisory board")
    time_fact = b.c("PMs spend 2 h/week with customers", fact=True, importance=4)

    b.p(obs, "relies on", loops, 5)
    b.p(obs, "relies on", day1)
    b.p(obs, "relies on", data)
    b.p(obs, "starts with", backwards, 4)
    b.p(obs, "needs", frontline)

    b.p(loops, "collect", nps)
    b.p(loops, "collect", tickets)
    b.p(loops, "collect", churn_int)
    b.p(loops, "collect", requests)
    loops_close = b.p(loops, "end in", close_loop, 4)
    requests_roadmap = b.p(requests, "shape", roadmap, 4)
    nps_churn = b.p(nps, "predicts", churn_int, 3)

    b.p(day1, "organised as", small)
    b.p(day1, "practises", disagree)
    day1_speed = b.p(day1, "protects", speed, 4)
    b.p(speed, "e.g.", reversible)
    b.p(day1, "fights", bureaucracy)
    small_speed = b.p(small, "raise", speed, 4)

    b.p(data, "tracks", inputs)
    b.p(data, "tracks", outputs)
    b.p(data, "reviewed in", review)
    inputs_outputs = b.p(inputs, "drive", outputs, 4)
    review_fact = b.p(review, "measured as", wbr_fact)
    anecdotes_data = b.p(anecdotes, "overrule", data, 3)
    b.p(data, "checked against", anecdotes)

    b.p(backwards, "written as", prfaq)
    b.p(prfaq, "opens with", press)
    b.p(prfaq, "answers", faq)
    b.p(prfaq, "e.g.", bulk)
    b.p(backwards, "debated in", six)
    prfaq_scope = b.p(prfaq, "cuts", bureaucracy)

    b.p(frontline, "includes", rotation)
    b.p(frontline, "includes", shadowing)
    b.p(frontline, "includes", advisory)
    b.p(rotation, "e.g.", q3day)
    rotation_empathy = b.p(rotation, "builds", empathy, 4)
    b.p(frontline, "measured as", time_fact)

    # cross-links
    tickets_review = b.p(tickets, "feed", review, 4)  # loops → data
    rotation_tickets = b.p(rotation, "reads", tickets)  # frontline → loops
    six_speed = b.p(six, "slows", speed, 4)  # backwards → day1
    faq_requests = b.p(faq, "draws on", requests)  # backwards → loops
    advisory_roadmap = b.p(advisory, "vetoes", roadmap)  # frontline → loops
    b.p(review, "keeps", day1)  # data → day1
    empathy_prfaq = b.p(empathy, "sharpens", prfaq)  # frontline → backwards

    # ---- evidence
    b.ev(
        rotation_empathy,
        "+",
        "survey",
        "Engineering pulse survey",
        "2026-10-06",
        "'I understand our customers' problems': 3.1 → 4.2 after a rotation.",
        n=85,
    )
    b.ev(
        rotation_empathy,
        "+",
        "observation",
        "Support floor",
        "2026-10-15",
        "Engineers on rotation fixed 6 small bugs they found on calls.",
        n=6,
    )
    b.ev(
        rotation_empathy,
        "+",
        "interview",
        "Ana, platform engineer",
        "2026-10-21",
        "I rewrote the error message after hearing someone read it aloud.",
    )
    b.ev(
        rotation_tickets,
        "+",
        "analytics",
        "Helpdesk logs",
        "2026-10-30",
        "Engineers on rotation answered 312 tickets in October.",
        n=312,
    )
    # contradicted: NPS does not predict churn
    b.ev(
        nps_churn,
        "+",
        "belief",
        "Leadership team",
        "2026-03-01",
        "Detractors are the customers who leave.",
    )
    b.ev(
        nps_churn,
        "+",
        "anecdote",
        "Account managers",
        "2026-06-12",
        "Both logos we lost in May had scored us 3.",
    )
    b.ev(
        nps_churn,
        "-",
        "analytics",
        "Churn model",
        "2026-10-12",
        "NPS adds nothing over usage decline in predicting 90-day churn (AUC 0.71 → 0.71).",
        n=2300,
    )
    b.ev(
        nps_churn,
        "-",
        "interview",
        "Churned: Finch & Co",
        "2026-09-29",
        "We gave you a 9 the month before we cancelled. It wasn't about liking you.",
    )
    # contested: feature requests shape the roadmap
    b.ev(
        requests_roadmap,
        "+",
        "interview",
        "PM round-table",
        "2026-09-10",
        "Half of this quarter's roadmap traces to the request board.",
    )
    b.ev(
        requests_roadmap,
        "+",
        "review",
        "Release notes audit",
        "2026-09-25",
        "11 of 24 releases cite a customer request.",
        n=1,
    )
    b.ev(
        requests_roadmap,
        "-",
        "observation",
        "Roadmap review",
        "2026-10-09",
        "Only 3 of 17 roadmap items link to a request in the tracker.",
        n=1,
    )
    # supported by behaviour, and a contradiction in the map with "six-pagers slow us down"
    b.ev(
        small_speed,
        "+",
        "analytics",
        "Delivery metrics",
        "2026-10-20",
        "Teams under 8 people ship decisions in 6 days median vs 15.",
        n=40,
    )
    b.ev(
        small_speed,
        "+",
        "interview",
        "Eng manager round",
        "2026-10-01",
        "We stopped needing a meeting to decide things.",
    )
    b.ev(
        day1_speed,
        "+",
        "interview",
        "CEO all-hands",
        "2026-09-05",
        "Day 1 is why we still decide in days, not quarters.",
    )
    b.ev(
        six_speed,
        "+",
        "survey",
        "Engineering pulse survey",
        "2026-10-06",
        "'Writing six-pagers delays decisions': 61% agree.",
        n=85,
    )
    b.ev(
        six_speed,
        "+",
        "interview",
        "Eng manager round",
        "2026-10-01",
        "Two weeks of drafting before anyone decides.",
    )
    b.rel(six_speed, "contradicts", day1_speed)
    b.rel(small_speed, "supports", day1_speed)
    b.rel(rotation_empathy, "supports", empathy_prfaq)
    b.rel(nps_churn, "contradicts", loops_close)
    b.rel(tickets_review, "supports", inputs_outputs)
    b.ev(
        inputs_outputs,
        "+",
        "experiment",
        "Onboarding input test",
        "2026-09-15",
        "Raising the 'invites sent' input lifted 60-day retention 4 points.",
        n=400,
    )
    b.ev(
        inputs_outputs,
        "+",
        "interview-opinion",
        "Finance offsite",
        "2026-10-03",
        "'I'd trust input metrics if they moved the P&L.'",
        n=4,
    )
    b.ev(
        tickets_review,
        "+",
        "observation",
        "WBR minutes",
        "2026-10-27",
        "Ticket themes were discussed in 9 of the last 10 reviews.",
        n=10,
    )
    b.ev(
        tickets_review,
        "-",
        "anecdote",
        "Support lead",
        "2026-10-28",
        "They only look at ticket volume, never at what's in them.",
    )
    b.ev(
        review_fact,
        "+",
        "analytics",
        "WBR deck",
        "2026-11-01",
        "The WBR deck lists 41 metrics.",
        n=1,
    )
    b.ev(
        time_fact,
        "+",
        "belief",
        "Head of Product",
        "2026-10-15",
        "Every PM spends a couple of hours a week with customers.",
    )
    b.ev(
        time_fact,
        "-",
        "analytics",
        "Calendar audit",
        "2026-10-31",
        "Median PM time in customer meetings: 35 minutes a week.",
        n=14,
    )
    b.ev(
        advisory_roadmap,
        "+",
        "commitment",
        "Advisory board contract",
        "2026-06-30",
        "Three customers signed a paid design-partner agreement with a roadmap review clause.",
        n=3,
    )
    # stale: the PR/FAQ practice was last checked in 2025
    b.ev(
        prfaq_scope,
        "+",
        "experiment",
        "PR/FAQ pilot 2025",
        "2025-04-10",
        "In a workshop exercise, teams with a PR/FAQ cut 30% of scope before build.",
        n=12,
        setting="lab",
    )
    b.ev(
        prfaq_scope,
        "+",
        "interview",
        "PM round-table",
        "2025-05-20",
        "The FAQ killed two features nobody could explain.",
    )
    b.ev(
        loops_close,
        "+",
        "support-ticket",
        "Helpdesk logs",
        "2025-08-02",
        "Tickets tagged 'shipped, customer told' since the loop-closing macro.",
        n=60,
    )
    b.ev(
        empathy_prfaq,
        "+",
        "belief",
        "Leadership team",
        "2026-03-01",
        "Engineers who've done support write better FAQs.",
    )
    b.ev(
        anecdotes_data,
        "+",
        "anecdote",
        "CEO all-hands",
        "2026-09-05",
        "When the data and the anecdotes disagree, the anecdotes are usually right.",
    )
    b.ev(
        faq_requests,
        "+",
        "observation",
        "PR/FAQ archive",
        "2026-08-18",
        "14 of 20 FAQs quote a request from the tracker.",
        n=20,
        reliability=0.8,
    )
    return b.done()


BUILDERS = {
    "cafe-ordering.cmap.json": cafe,
    "saas-onboarding.cmap.json": saas,
    "customer-obsession.cmap.json": obsession,
}


def build_all() -> dict[str, ConceptMap]:
    """Every shipped map, built with the clock frozen (the model is left as it was found)."""
    old_clock, old_new_id = ConceptMap.__dict__["clock"], _cm_module.new_id
    ConceptMap.clock = staticmethod(lambda: FIXED_NOW)
    try:
        return {name: build() for name, build in BUILDERS.items()}
    finally:
        ConceptMap.clock = old_clock
        _cm_module.new_id = old_new_id


def state_rows(m: ConceptMap) -> tuple[dict[str, Opinion], list[tuple[str, str]]]:
    states = {cid: opinion(m, cid) for cid in m.claim_ids()}
    return states, contradictions(m, states)


def report(maps: dict[str, ConceptMap]) -> str:
    """The state tables of docs/demo-maps.md (claims with evidence, and a few without)."""
    out = []
    for name, m in maps.items():
        states, contra = state_rows(m)
        out.append(f"### {name}\n")
        out.append(f"Focus question: *{m.focus_question}*  ")
        out.append(
            f"{len(m.concepts)} concepts, {len(m.propositions)} propositions, "
            f"{len(m.evidence)} evidence items, {len(m.relations)} relations.\n"
        )
        out.append("| claim | id | items | r | s | b | d | u | state | stale |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        for cid in sorted(states, key=lambda c: (m.claim_text(c).casefold(), c)):
            o = states[cid]
            if o.items == 0:
                continue
            out.append(
                f"| {m.claim_text(cid)} | `{cid}` | {o.items} | {o.r:.2f} | {o.s:.2f} | "
                f"{o.b:.2f} | {o.d:.2f} | {o.u:.2f} | {o.state} | {'stale' if o.stale else ''} |"
            )
        bare = sum(1 for o in states.values() if o.items == 0)
        out.append(f"\n{bare} further claims have no evidence at all: *unsupported*.\n")
        if contra:
            out.append(
                "Contradictions in the map (a *contradicts* relation between two claims "
                "that are both supported or weak):\n"
            )
            for s, t in contra:
                out.append(
                    f"- “{m.claim_text(s)}” ({states[s].state}) contradicts "
                    f"“{m.claim_text(t)}” ({states[t].state})"
                )
            out.append("")
    return "\n".join(out)


def coverage_problems(maps: dict[str, ConceptMap]) -> list[str]:
    """What the shipped maps promise (issue 2): say what is missing, if anything."""
    out = []
    states_seen: set[str] = set()
    stale = contra = 0
    for name, m in maps.items():
        ev = list(m.evidence.values())
        kinds = {e.kind.value for e in ev}
        missing = set(KIND_LEVEL) - kinds
        if missing:
            out.append(f"{name}: no evidence of kind {sorted(missing)}")
        if {e.stance.value for e in ev} != {"supports", "contradicts"}:
            out.append(f"{name}: evidence of one stance only")
        if not 25 <= len(m.concepts) <= 60:
            out.append(f"{name}: {len(m.concepts)} concepts, not 25–60")
        if not any(e.setting.value == "lab" for e in ev) or not any(e.reliability < 1 for e in ev):
            out.append(f"{name}: no lab setting or no reliability below 1")
        late = [e.id for e in ev if not dt.date(2025, 1, 1) <= e.date <= dt.date(2026, 11, 1)]
        if late:
            out.append(f"{name}: evidence dated outside 2025-01-01..2026-11-01: {late}")
        if not any(c.example for c in m.concepts.values()) or not any(
            c.fact for c in m.concepts.values()
        ):
            out.append(f"{name}: needs an example and a fact concept")
        states, pairs = state_rows(m)
        states_seen |= {o.state for o in states.values()}
        stale += sum(o.stale for o in states.values())
        contra += len(pairs)
    for want in ("unsupported", "weak", "supported", "contested", "contradicted"):
        if want not in states_seen:
            out.append(f"no claim is {want}")
    if not stale or not contra:
        out.append("no stale claim or no contradiction in the map")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    ap.add_argument("--states", action="store_true", help="print the state tables only")
    args = ap.parse_args(argv)
    maps = build_all()
    problems = coverage_problems(maps)
    for line in problems:
        print(f"build_maps: {line}", file=sys.stderr)
    if problems:
        return 1
    tables = report(maps)
    if args.states:
        print(tables)
        return 0
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    marker = "<!-- state tables: generated by scripts/build_maps.py -->"
    head = doc.split(marker)[0] if marker in doc else doc
    new_doc = f"{head.rstrip()}\n\n{marker}\n\n{tables.rstrip()}\n"
    outputs = {MAPS / name: dump_map(m) for name, m in maps.items()}
    outputs[DOC] = new_doc.encode("utf-8")
    changed = [p for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
    if args.check:
        for p in changed:
            print(f"{p.relative_to(ROOT)} would change", file=sys.stderr)
        return 1 if changed else 0
    for p in changed:
        p.write_bytes(outputs[p])
        print(f"wrote {p.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
