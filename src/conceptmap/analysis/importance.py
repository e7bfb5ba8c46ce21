"""How much of the map leans on a claim (analysis.md §5).

``I = 0.3·(rating−1)/4 + 0.4·pct(pagerank) + 0.2·pct(betweenness) + 0.1·[articulation]``.

The structural measures are taken on the *undirected* concept graph (one edge per pair of
concepts joined by a proposition): teams draw links in either direction, and a concept many
propositions hang off matters whichever way the arrows point. PageRank is a power iteration
and betweenness a vectorised Brandes over ``k = min(n, 64)`` sources drawn with a fixed seed
from the concepts in sorted id order (as ``networkx.betweenness_centrality(G, k, seed)`` draws
them), so the figures never depend on record order and 10^5 concepts take seconds.
Percentile ranks are mid-ranks scaled to [0, 1]: the lowest value 0, the highest 1, ties share
their mean rank (all equal → 0.5 each).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from conceptmap.analysis.results import ImportanceParts
from conceptmap.analysis.settings import ImportanceSettings, Settings
from conceptmap.model import ConceptMap

__all__ = [
    "Adjacency",
    "ConceptStructure",
    "articulation_points",
    "betweenness",
    "importance_pass",
    "importance_value",
    "pagerank",
    "percentile_ranks",
    "sampled_betweenness",
    "structure_measures",
]


@dataclass(frozen=True, slots=True)
class ConceptStructure:
    """The structural parts of one concept."""

    pagerank: float
    betweenness: float
    pagerank_pct: float
    betweenness_pct: float
    articulation: bool


@dataclass(frozen=True)
class Adjacency:
    """The undirected concept graph as numpy arrays: every edge both ways (``eu[i] → ev[i]``,
    sorted by ``eu``) and its CSR view (``indices[indptr[u]:indptr[u + 1]]`` are the
    neighbours of ``u``). numpy alone, so analysing a map never imports scipy."""

    n: int
    eu: np.ndarray
    ev: np.ndarray
    indptr: np.ndarray

    @property
    def indices(self) -> np.ndarray:
        return self.ev

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr).astype(np.float64)


def _adjacency(m: ConceptMap) -> tuple[list[str], Adjacency]:
    ids = sorted(m.concepts)
    index = {cid: i for i, cid in enumerate(ids)}
    props = m.propositions.values()
    n = len(ids)
    if props:
        count = len(props)
        a = np.fromiter((index[p.source] for p in props), dtype=np.int64, count=count)
        b = np.fromiter((index[p.target] for p in props), dtype=np.int64, count=count)
        # the pairs (low, high), each once, in sorted order
        key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
        lo, hi = key // n, key % n
        eu = np.concatenate([lo, hi])
        ev = np.concatenate([hi, lo])
        order = np.lexsort((ev, eu))
        eu, ev = eu[order], ev[order]
    else:
        eu = ev = np.zeros(0, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(eu, minlength=n), out=indptr[1:])
    return ids, Adjacency(n, eu, ev, indptr)


def pagerank(adj: Adjacency, alpha: float = 0.85, tol: float = 1e-10) -> np.ndarray:
    """PageRank of an undirected graph (power iteration; isolated nodes spread uniformly),
    the same figures as ``networkx.pagerank`` on that graph."""
    n = adj.n
    if n == 0:
        return np.zeros(0)
    deg = adj.degree
    dangling = deg == 0
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=~dangling)
    any_dangling = bool(dangling.any())
    teleport = (1 - alpha) / n
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        last = x
        x = np.bincount(adj.ev, weights=np.take(last * inv, adj.eu), minlength=n)
        x = x.astype(np.float64, copy=False)  # no edges: bincount counts in integers
        if any_dangling:  # (without any, adding 0.0 would change no bit)
            x += last[dangling].sum() / n
        x *= alpha
        x += teleport
        if np.abs(x - last).sum() < n * tol:
            break
    return x / x.sum()


#: Sources are taken together in chunks of at most this many (source, directed edge) pairs:
#: all 64 at once on a map of a few hundred concepts, one at a time from ~30,000 up, so the
#: working arrays stay small enough for the processor's caches (larger chunks made 10,000
#: concepts slower than one source at a time) and a 10^5-concept map needs no more memory.
CHUNK_EDGES = 1 << 16


def _bfs_many(adj: Adjacency, sources: np.ndarray) -> np.ndarray:
    """Hop distances from each of ``sources`` (−1 where unreachable), as one breadth-first
    search of the disjoint union of ``len(sources)`` copies of the graph: node ``v`` of copy
    ``j`` is ``j·n + v``, the search of copy ``j`` starts at ``sources[j]``. Row ``j`` of the
    ``(len(sources), n)`` result is the distances from ``sources[j]``."""
    n, c = adj.n, len(sources)
    dist = np.full(c * n, -1, dtype=np.int64)
    frontier = np.arange(c, dtype=np.int64) * n + sources
    dist[frontier] = 0
    indptr, indices = adj.indptr, adj.indices
    slot = np.empty(c * n, dtype=np.int64)  # which entry of ``nb`` claimed a node first
    degree = np.diff(indptr)
    level = 0
    while frontier.size:
        node = frontier % n
        lens = degree[node]
        total = int(lens.sum())
        if total == 0:
            break
        offsets = np.repeat(indptr[node] - np.cumsum(lens) + lens, lens)
        # the neighbours in the graph, moved to the frontier node's copy
        nb = indices[offsets + np.arange(total)] + np.repeat(frontier - node, lens)
        nb = nb[dist[nb] < 0]
        # each new node once (in no particular order: only the distances are kept), without
        # the sort np.unique would do
        at = np.arange(len(nb))
        slot[nb[::-1]] = at[::-1]
        nb = nb[slot[nb] == at]
        level += 1
        dist[nb] = level
        frontier = nb
    return dist.reshape(c, n)


def betweenness(adj: Adjacency, sources: list[int]) -> np.ndarray:
    """Unnormalised betweenness of an undirected, unweighted graph accumulated from
    ``sources`` (Brandes 2001), vectorised level by level. Each unordered pair is counted
    once per end that is a source, as networkx does before its rescaling.

    The sources' shortest-path trees are independent, so a chunk of them is searched and
    accumulated at once, as a disjoint union of copies of the graph (:func:`_bfs_many`): the
    level loops run once per chunk, not once per source. Every (source, node) dependency is
    summed in the same order as source by source (within a level the edges keep their
    order), and the sources' rows are added in the order given, so the figures are the same
    to the last bit as one source at a time."""
    out = np.zeros(adj.n)
    if adj.n == 0 or not sources:
        return out
    src = np.asarray(sources, dtype=np.int64)
    chunk = max(1, CHUNK_EDGES // max(len(adj.eu), adj.n, 1))
    for lo in range(0, len(src), chunk):
        _accumulate_many(out, adj, src[lo : lo + chunk], first=lo == 0)
    return out


def _add(target: np.ndarray, idx: np.ndarray, values: np.ndarray) -> None:
    # bincount is fastest for a wide level; add.at keeps a deep, narrow graph (a chain) linear.
    # Both add each index's values in order, starting from 0 (target is 0 there).
    if len(idx) * 8 > len(target):
        target += np.bincount(idx, weights=values, minlength=len(target))
    else:
        np.add.at(target, idx, values)


def _accumulate_many(
    out: np.ndarray, adj: Adjacency, sources: np.ndarray, *, first: bool = False
) -> None:
    """Add the dependencies of ``sources`` (one chunk) to ``out``, source by source
    (``first``: ``out`` is still all zeros)."""
    n, c = adj.n, len(sources)
    eu, ev = adj.eu, adj.ev
    dist = _bfs_many(adj, sources)
    du = dist[:, eu]
    # the edges of shortest paths: u one level above v; row-major, so per copy in edge order
    ok = (du >= 0) & (dist[:, ev] == du + 1)
    flat = np.flatnonzero(ok)
    if len(flat) == 0:
        return
    lvl = du.ravel()[flat]
    top = int(lvl.max())
    # levels are small: as int16 the stable sort is a radix sort (the same order)
    order = np.argsort(lvl.astype(np.int16) if top < 2**15 else lvl, kind="stable")
    flat, lvl = flat[order], lvl[order]
    copy = flat // len(eu)
    cols, base = flat - copy * len(eu), copy * n
    u, v = eu[cols] + base, ev[cols] + base
    bounds = np.searchsorted(lvl, np.arange(top + 2))
    roots = np.arange(c, dtype=np.int64) * n + sources
    sigma = np.zeros(c * n)
    sigma[roots] = 1.0
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        if a < b:
            _add(sigma, v[a:b], sigma[u[a:b]])
    delta = np.zeros(c * n)
    for i in range(len(bounds) - 2, -1, -1):
        a, b = bounds[i], bounds[i + 1]
        if a < b:
            uu, vv = u[a:b], v[a:b]
            _add(delta, uu, sigma[uu] / sigma[vv] * (1.0 + delta[vv]))
    delta[roots] = 0.0
    if first:
        # out is all zeros: the sum down the rows, row after row (as adding them one by one)
        out += np.add.reduce(delta.reshape(c, n), axis=0)
    else:
        for row in delta.reshape(c, n):
            out += row


def sampled_betweenness(adj: Adjacency, k: int, seed: int) -> np.ndarray:
    """Betweenness estimated from ``k`` sources drawn with ``random.Random(seed)`` from the
    nodes in index (sorted id) order: the figures of ``networkx.betweenness_centrality(G, k,
    seed, normalized=False)``, including its rescaling (a sampled source cannot be its own
    intermediate, so sources scale by (n−1)/(k−1), the others by (n−1)/k)."""
    n = adj.n
    if k >= n:
        return betweenness(adj, list(range(n))) / 2
    sources = random.Random(seed).sample(range(n), k)
    raw = betweenness(adj, sorted(sources)) / 2
    scale = np.full(n, (n - 1) / k)
    if k > 1:
        scale[sources] = (n - 1) / (k - 1)
    return raw * scale


def articulation_points(adj: Adjacency) -> np.ndarray:
    """A boolean per node: removing it disconnects its component (the set
    ``networkx.articulation_points`` finds). Tarjan's depth-first search on the CSR arrays,
    iterative, so a long chain does not hit the recursion limit and no graph object is
    built."""
    n = adj.n
    indptr, nbrs = adj.indptr.tolist(), adj.indices.tolist()
    disc = [-1] * n  # discovery time
    low = [0] * n  # earliest discovery time reachable through the subtree and one back edge
    parent = [-1] * n
    nxt = indptr[:-1]  # the next neighbour of each node to look at
    flags = [False] * n
    clock = 0
    for root in range(n):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = clock
        clock += 1
        children = 0
        stack = [root]
        while stack:
            u = stack[-1]
            i = nxt[u]
            if i < indptr[u + 1]:
                nxt[u] = i + 1
                w = nbrs[i]
                if disc[w] < 0:
                    parent[w] = u
                    disc[w] = low[w] = clock
                    clock += 1
                    stack.append(w)
                    if u == root:
                        children += 1
                elif w != parent[u] and disc[w] < low[u]:
                    low[u] = disc[w]
            else:
                stack.pop()
                if stack:
                    p = parent[u]
                    if low[u] < low[p]:
                        low[p] = low[u]
                    if p != root and low[u] >= disc[p]:
                        flags[p] = True
        if children > 1:
            flags[root] = True
    return np.array(flags, dtype=bool)


def _round_sig(values: np.ndarray, digits: int = 12) -> np.ndarray:
    mag = np.floor(np.log10(np.abs(values), out=np.zeros_like(values), where=values != 0))
    scale = 10.0 ** (digits - 1 - mag)
    return np.round(values * scale) / scale


def percentile_ranks(values: np.ndarray) -> np.ndarray:
    """Mid-rank percentiles in [0, 1] (values rounded to 12 significant digits first, so
    float noise never breaks a tie)."""
    n = len(values)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.zeros(1)
    return (_midranks(_round_sig(values)) - 1.0) / (n - 1)


def _midranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their mean rank (scipy's ``rankdata(method="average")``,
    without importing scipy.stats, which costs half a second of every start-up)."""
    order = np.argsort(values, kind="stable")
    ranked = values[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ends = np.r_[starts[1:], len(values)]
    mean_rank = (starts + ends + 1) / 2.0  # mean of the 1-based ranks start+1 … end
    out = np.empty(len(values))
    out[order] = np.repeat(mean_rank, ends - starts)
    return out


def structure_measures(m: ConceptMap, settings: Settings) -> dict[str, ConceptStructure]:
    """PageRank, sampled betweenness, their percentiles and articulation points per concept.

    They depend on the map's structure alone, so they are cached on the map until a concept,
    linking phrase or proposition changes (adding evidence does not redo them)."""
    cfg = settings.importance
    key = ("structure_measures", cfg.pagerank_alpha, cfg.betweenness_k, cfg.seed)
    return m.derived(key, lambda: _structure_measures(m, settings))


def _structure_measures(m: ConceptMap, settings: Settings) -> dict[str, ConceptStructure]:
    cfg = settings.importance
    ids, adj = _adjacency(m)
    n = len(ids)
    pr = pagerank(adj, cfg.pagerank_alpha)
    bc = sampled_betweenness(adj, min(n, cfg.betweenness_k), cfg.seed)
    pr_pct, bc_pct = percentile_ranks(pr), percentile_ranks(bc)
    art = articulation_points(adj)
    # tolist(): the same floats as float(pr[i]), without a numpy scalar per value
    values = (pr.tolist(), bc.tolist(), pr_pct.tolist(), bc_pct.tolist(), art.tolist())
    rows = zip(ids, *values, strict=True)
    return {
        cid: ConceptStructure(
            pagerank=a, betweenness=b, pagerank_pct=c, betweenness_pct=d, articulation=e
        )
        for cid, a, b, c, d, e in rows
    }


def importance_value(
    rating: int, pr_pct: float, bc_pct: float, art: float, cfg: ImportanceSettings | None = None
) -> float:
    """``I = 0.3·(rating−1)/4 + 0.4·pr_pct + 0.2·bc_pct + 0.1·art`` (weights are settings)."""
    cfg = cfg or ImportanceSettings()
    return (
        cfg.w_rating * (rating - 1) / 4
        + cfg.w_pagerank * pr_pct
        + cfg.w_betweenness * bc_pct
        + cfg.w_articulation * art
    )


def importance_pass(
    m: ConceptMap, structure: dict[str, ConceptStructure], settings: Settings
) -> dict[str, ImportanceParts]:
    """The importance of every claim. A proposition takes the mean of its two concepts'
    structural parts."""
    cfg = settings.importance
    # importance_value's formula, term by term in the same order (the same floats)
    w_rating, w_pr, w_bc, w_art = (
        cfg.w_rating,
        cfg.w_pagerank,
        cfg.w_betweenness,
        cfg.w_articulation,
    )
    props, concepts = m.propositions, m.concepts
    build = ImportanceParts.build
    out: dict[str, ImportanceParts] = {}
    parts: dict[str, tuple[float, float, bool]] = {}  # concept → its structural parts
    for cid in m.claim_ids():
        p = props.get(cid)
        if p is not None:
            rating = p.importance
            a = parts.get(p.source)
            if a is None:
                sa = structure[p.source]
                a = parts[p.source] = (sa.pagerank_pct, sa.betweenness_pct, sa.articulation)
            b = parts.get(p.target)
            if b is None:
                sb = structure[p.target]
                b = parts[p.target] = (sb.pagerank_pct, sb.betweenness_pct, sb.articulation)
            pr = (a[0] + b[0]) / 2
            bc = (a[1] + b[1]) / 2
            art_part = (int(a[2]) + int(b[2])) / 2
            art = a[2] or b[2]
        else:
            rating = concepts[cid].importance
            c = structure[cid]
            pr, bc, art = c.pagerank_pct, c.betweenness_pct, c.articulation
            art_part = 1.0 if art else 0.0
        out[cid] = build(
            rating=rating,
            pagerank_pct=pr,
            betweenness_pct=bc,
            articulation=art,
            articulation_part=art_part,
            value=w_rating * (rating - 1) / 4 + w_pr * pr + w_bc * bc + w_art * art_part,
        )
    return out
