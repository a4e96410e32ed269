"""The commitments ledger: which later meeting followed up which action, and with what.

Actions are raised in one document's graph with gkg:status gkg:StatusOpen. Later
minutes report on them: a "Matters arising" list, an action log reviewed by
reference ("A24/05: ... – completed. Action closed."), a minute number ("Min 653 –
action to ...: done"), or simply a later paragraph about the same subject ("Green Lane
– Reply received from MCC ..."). This module finds those reports and writes them as
DERIVED data, one named graph per series of meetings (a body):

    <{BASE}graph/links/{series}>

never into a document graph, so re-ingesting a document never loses a link and
re-linking never touches what was extracted. Each link is a node::

    <{BASE}followup/{action}--{meeting}> a gkg:FollowUp ;
        gkg:followUpOf <action> ; gkg:atMeeting <later meeting> ;
        gkg:evidence <paragraph> ; gkg:evidenceKind "ref" | "minute" | "item" | "text" | "repeated" ;
        gkg:confidence 0.95 ; gkg:reportedStatus gkg:StatusDone .

plus ``<action> gkg:followedUpAt <meeting>`` when the confidence reaches CONFIDENT,
and for every action of the series ``<action> gkg:currentStatus <status>`` (with
``gkg:statusFrom <followup>`` when a link set it). gkg:status stays what the
raising minutes recorded; gkg:currentStatus is single-valued because only the
series' ledger graph writes it. A link below CONFIDENT is kept as a "possible
follow-up": shown, never counted as fact (it sets no status, no gkg:followedUpAt).
Overdue is not stored: it depends on the day you ask (kg.queries.actions_query).

Matching is per series, each action against the paragraphs of the next WINDOW
meetings only (linear in the number of meetings), through a per-meeting inverted
index of words, so nothing compares all pairs.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

import pyoxigraph as ox

from kg import iris
from kg.namespace import GKG, RDF, XSD

__all__ = [
    "CONFIDENT",
    "LOWEST",
    "WINDOW",
    "Link",
    "LinkReport",
    "link_store",
    "series_of_documents",
    "ledger_graph_iri",
    "reported_status",
    "followup_iri",
    "follow_ups_query",
    "follow_ups",
]

WINDOW = 6
"""Later meetings of the same series searched for follow-ups of an action."""
CONFIDENT = 0.6
"""A link at or above this confidence is a follow-up (gkg:followedUpAt, sets the status)."""
LOWEST = 0.4
MASS_WORDS = 10
"""An action's subject: its this many rarest words (what a match's share is out of)."""
"""Links below this are not kept at all; between LOWEST and CONFIDENT: "possible"."""

_STATUS = {
    "open": GKG.StatusOpen,
    "updated": GKG.StatusUpdated,
    "done": GKG.StatusDone,
    "dropped": GKG.StatusDropped,
    "superseded": GKG.StatusSuperseded,
}

_DROPPED = re.compile(
    r"no longer (?:required|needed|necessary|an issue|relevant)|withdrawn|"
    r"not (?:be )?(?:pursued|proceeding|going ahead)|(?:was|been|be) (?:dropped|cancelled|abandoned)|"
    r"action (?:removed|deleted|withdrawn)",
    re.I,
)
_SUPERSEDED = re.compile(r"supersed|replaced by|subsumed (?:in|into|by)", re.I)
_ONGOING = re.compile(
    r"\b(?:ongoing|on-going|carried forward|carry forward|in progress|not yet|awaiting|"
    r"still (?:to|not|waiting|awaited|outstanding)|to follow up|to chase|chased|deferred|"
    r"pending|outstanding|no (?:reply|response)|will (?:be|report|provide|chase))\b",
    re.I,
)
_DONE = re.compile(
    r"\b(?:completed?|done|closed|resolved|finished|actioned|"
    r"(?:has|had|have) (?:now )?been (?:sent|done|received|installed|repaired|fixed|"
    r"carried out|circulated|shared|provided|submitted|replaced|removed|cleared|paid|"
    r"ordered|booked|delivered|erected|agreed|reported)|"
    r"now (?:been |finished|installed|in place|repaired|fixed)|(?:was|were) (?:sent|received|"
    r"installed|repaired|fixed|carried out|circulated|provided|submitted|removed|cleared))\b",
    re.I,
)


def reported_status(text: str) -> str:
    """What a follow-up says of the action: "done", "dropped", "superseded" or "updated"
    (reported on, still open). Unclear wording is "updated", never "done"."""
    if _DROPPED.search(text):
        return "dropped"
    if _SUPERSEDED.search(text):
        return "superseded"
    if _ONGOING.search(text):
        return "updated"
    if _DONE.search(text):
        return "done"
    return "updated"


# --- words ------------------------------------------------------------------------

_STOP_WORDS = """
    the and for that this with from have has had was were will would been being are
    which their there they them these those then than into onto upon about after before
    also any all some such not but can could should may might must shall its his her
    she him who whom what when where why how our out off per via each other more most
    very well just only over under again once further here now new next last same
    clerk cllr cllrs councillor councillors council county chair chairman vice mcc tcc
    meeting meetings minute minutes min item items agenda action actions report reported
    reports reporting update updates updated asked ask agreed agree confirm confirmed
    inform informed reply replied write wrote letter contact contacted received send sent
    regarding follow look looking into progress matters arising noted note discuss discussed
    discussion raise raised request requested requests members member mr mrs ms miss dr
    time date week weeks month months year years today still yet already since
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    one two three four five six first second
    ongoing completed complete done closed carried forward following
    """
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z][a-z0-9']*[a-z0-9]|[a-z]\d+", re.I)


def _words(text: str) -> set[str]:
    """Content words, cut to their first 6 letters (a crude stemmer: "relocated" and
    "relocation" are one word, so are "mariner" and "mariners")."""
    out = set()
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("'", "")
        if len(w) < 3 or w in _STOP:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w[:6])
    return out


# references written in minutes: "A24/05", "AP-12", "Min 653", "Minute 2659", "No. 2651"
_REF_TOKEN = re.compile(r"\b[A-Z]{1,4}[-/]?\d{1,4}(?:[/.-]\d{1,4})?\b")
_MINUTE_REF = re.compile(
    r"\b(?:min(?:ute)?s?\.?|agenda\s+no\.?|item\s+(?:no\.?\s*)?|ref\.?)\s*(\d{1,5})\b", re.I
)
_REVIEW = re.compile(
    r"matters arising|update|action (?:log|tracker|points?|list|sheet)|actions? from|"
    r"outstanding actions|review of actions|progress",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])")
_HEADING = re.compile(r"^\s*([^.:–—]{3,70}?)(?:\s+[–—-]|\s*:)\s+\S")


# --- the data a series is linked from ---------------------------------------------


@dataclass
class _Para:
    iri: str
    text: str
    review: bool  # under a "Matters arising" / "Updates" / action-log item
    title: str = ""  # its agenda item's title (often the subject: "Land Mine")


@dataclass
class _Action:
    iri: str
    meeting: str
    text: str
    ref: str | None
    minute: str | None  # the minute (agenda item) number it was raised under
    owner_words: set[str]
    due: str | None
    start: int | None
    words: set[str] = field(default_factory=set)


@dataclass
class _Piece:
    """A unit of evidence: a paragraph, or one item of an action list ("Min 2151 – action
    to ...: done. Min 2152 – ..." is two pieces)."""

    para: int  # the paragraph's number in its meeting
    text: str
    words: set[str]
    review: bool
    item: bool  # an item of a list: it reports on one action only
    ref: str | None  # the reference it opens with ("A24/05", "min:2151")


@dataclass
class _Meeting:
    iri: str
    date: str
    series: str
    paras: list[_Para] = field(default_factory=list)
    actions: list[_Action] = field(default_factory=list)
    pieces: list[_Piece] = field(default_factory=list)
    index: dict[str, list[int]] = field(default_factory=dict)  # word -> piece numbers
    refs: dict[str, list[int]] = field(default_factory=dict)  # ref -> piece numbers
    words_of_para: list[set[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Link:
    """One follow-up of an action at a later meeting."""

    action: str
    meeting: str
    date: str
    evidence: str  # the paragraph's IRI
    kind: str  # "ref" | "minute" | "item" (one item of an action list) | "text" | "repeated"
    confidence: float
    status: str  # "done" | "updated" | "dropped" | "superseded"

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


@dataclass
class LinkReport:
    series: int = 0
    actions: int = 0
    links: list[Link] = field(default_factory=list)
    seconds: float = 0.0
    linked: list[str] = field(default_factory=list)
    """The series whose graphs were written (a series asked for with no meeting is not)."""

    def summary(self) -> str:
        sure = sum(1 for link in self.links if link.confident)
        return (
            f"linked {self.actions} actions of {self.series} series: {sure} follow-ups, "
            f"{len(self.links) - sure} possible follow-ups, {self.seconds:.1f} s"
        )


def _last(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _meeting_of_part(part_iri: str) -> str:
    """A part IRI (``{kind}/{meeting}-{sha8}-{n}``) -> its meeting IRI."""
    slug = _last(part_iri).rsplit("-", 2)[0]
    return f"{iris.base()}meeting/{slug}"


_DATED = re.compile(r"[-_ .]*\d{4}[-_.]?\d{2}[-_.]?\d{2}[a-z]?\b|[-_ .]*\d+", re.I)


def _series_key(organizer: str | None, path: str | None, title: str | None) -> str:
    """The series a meeting belongs to: its body; without one, the file name with its
    date and numbers taken out ("tintern_cc_minutes_2019-01-28" -> "tintern-cc-minutes")."""
    if organizer:
        return _last(organizer)
    if path:
        stem = _DATED.sub("", PurePath(path).stem)
        if iris.slug(stem):
            return "file-" + iris.slug(stem)
    return "title-" + (iris.slug(title) or "untitled")


def ledger_graph_iri(series: str) -> ox.NamedNode:
    """The derived graph that holds one series' follow-up links."""
    return ox.NamedNode(f"{iris.base()}graph/links/{series}")


def _select(store, sparql: str) -> list[dict[str, str | None]]:  # type: ignore[no-untyped-def]
    return store.select(sparql)[1]  # type: ignore[no-any-return]


_MEETING_HEAD = (
    "SELECT ?m (MIN(?d) AS ?date) (SAMPLE(?org) AS ?o) (MIN(?path) AS ?p) (SAMPLE(?t) AS ?title) "
    "(SAMPLE(?doc) AS ?g) WHERE { "
)
_MEETING_WHERE = (
    "?m a gkg:Meeting ; dcterms:date ?d ; prov:wasDerivedFrom ?doc . "
    "OPTIONAL { ?doc gkg:sourcePath ?path } OPTIONAL { ?m schema:organizer ?org } "
    "OPTIONAL { ?m dcterms:title ?t } } GROUP BY ?m"
)
_PARA_WHERE = (
    "?p a gkg:Paragraph ; gkg:text ?text ; gkg:order ?o . "
    "OPTIONAL { ?p dcterms:isPartOf/dcterms:title ?title }"
)
_ACTION_HEAD = (
    "SELECT ?a ?m ?text (SAMPLE(?ref_) AS ?ref) (SAMPLE(?minute_) AS ?minute) "
    "(SAMPLE(?ot) AS ?owner) (SAMPLE(?on) AS ?owner_name) (SAMPLE(?due_) AS ?due) "
    "(MIN(?s) AS ?start) WHERE { "
)
_ACTION_WHERE = (
    "?a a gkg:Action ; gkg:raisedAt ?m ; gkg:text ?text . "
    "OPTIONAL { ?a gkg:ref ?ref_ } OPTIONAL { ?a dcterms:isPartOf/gkg:ref ?minute_ } "
    "OPTIONAL { ?a gkg:ownerText ?ot } OPTIONAL { ?a gkg:owner/(foaf:name|skos:prefLabel) ?on } "
    "OPTIONAL { ?a gkg:due ?due_ } OPTIONAL { ?a gkg:spanStart ?s } } GROUP BY ?a ?m ?text"
)
_CHUNK = 300


def _values(var: str, terms: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(t)) for t in terms)} }}"


def _in_chunks(
    store, head: str, var: str, terms: Iterable[str], where: str
) -> list[dict[str, str | None]]:  # type: ignore[no-untyped-def]
    ordered = sorted(set(terms))
    rows: list[dict[str, str | None]] = []
    for i in range(0, len(ordered), _CHUNK):
        rows += _select(store, f"{head}{_values(var, ordered[i : i + _CHUNK])} {where}")
    return rows


def _load(store, series: Iterable[str] | None = None, cache=None) -> dict[str, _Meeting]:  # type: ignore[no-untyped-def]
    """The dated meetings of `series` (None: every series) with their paragraphs and
    actions, by meeting IRI. A series named by its body is read from its meetings
    (``VALUES ?body``), their paragraphs from their document graphs (``VALUES ?g``) and
    their actions by meeting (``VALUES ?m``): the cost is the series', not the store's.
    Only a series named after its files (no body) asks for the meetings with no body.
    With a `cache` (kg.identity's row cache), a document's paragraphs read by an earlier
    pass come from it (a document graph never changes under its IRI but by `govkg
    upgrade`, which the cache tells by the build version)."""
    meetings: dict[str, _Meeting] = {}
    if series is None:
        rows = _select(store, _MEETING_HEAD + _MEETING_WHERE)
    else:
        wanted = set(series)
        bodies = [f"{iris.base()}org/{k}" for k in wanted if not k.startswith(("file-", "title-"))]
        rows = _in_chunks(
            store, _MEETING_HEAD, "body", bodies, "?m schema:organizer ?body . " + _MEETING_WHERE
        )
        if any(k.startswith(("file-", "title-")) for k in wanted):
            rows += _select(
                store,
                _MEETING_HEAD + "FILTER NOT EXISTS { ?m schema:organizer ?any } " + _MEETING_WHERE,
            )
    docs: dict[str, str] = {}
    for row in rows:
        m, date = row["m"], row["date"]
        if m and date:
            key = _series_key(row["o"], row["p"], row["title"])
            if series is None or key in wanted:
                meetings[m] = _Meeting(m, date, key)
                docs[row["g"] or ""] = m
    if series is None:
        para_rows = _select(store, f"SELECT ?p ?text ?title ?o WHERE {{ {_PARA_WHERE} }}")
        action_rows = _select(store, _ACTION_HEAD + _ACTION_WHERE)
    else:
        # one GRAPH <doc> branch each: VALUES ?g bound outside GRAPH ?g makes Oxigraph
        # visit every graph of the store
        para_rows = []
        ordered = sorted(docs)
        if cache is not None:  # each document's paragraphs as read before (kg.identity)
            para_rows = cache.select(store, _PARA_WHERE, "?p ?text ?title ?o", ordered)
            ordered = []
        for i in range(0, len(ordered), 100):
            branches = " UNION ".join(
                f"{{ GRAPH <{g}> {{ {_PARA_WHERE} }} }}" for g in ordered[i : i + 100]
            )
            para_rows += _select(store, f"SELECT ?p ?text ?title ?o WHERE {{ {branches} }}")
        action_rows = _in_chunks(store, _ACTION_HEAD, "m", meetings, _ACTION_WHERE)
    for row in sorted(para_rows, key=lambda r: r["p"] or ""):
        meeting = meetings.get(_meeting_of_part(row["p"] or ""))
        if meeting is not None and row["text"]:
            review = bool(row["title"] and _REVIEW.search(row["title"]))
            meeting.paras.append(_Para(row["p"] or "", row["text"], review, row["title"] or ""))
    for row in sorted(action_rows, key=lambda r: r["a"] or ""):
        meeting = meetings.get(row["m"] or "")
        if meeting is not None and row["a"]:
            owner = _words(" ".join(filter(None, (row["owner"], row["owner_name"]))))
            meeting.actions.append(
                _Action(
                    row["a"],
                    meeting.iri,
                    row["text"] or "",
                    row["ref"],
                    row["minute"],
                    owner,
                    row["due"],
                    int(row["start"]) if row["start"] else None,
                )
            )
    return meetings


def _para_sort_key(p: _Para) -> tuple[str, int]:
    head, _, n = p.iri.rpartition("-")
    return head, int(n) if n.isdigit() else 0


def _prepare(meeting: _Meeting) -> None:
    """The meeting's pieces of evidence, their inverted index of words and references."""
    meeting.paras.sort(key=_para_sort_key)
    for i, para in enumerate(meeting.paras):
        title_words = _words(para.title)
        meeting.words_of_para.append(title_words | _words(para.text))
        marks = _marks(para.text)
        # an action list: "Min 653 – action to ...: done. Min 654 – ...": references
        # opening sentences. One piece per item (up to the next one), and what comes
        # before the first; a road ("the A466 at ...") opens nothing
        starts = [(at, ref) for at, ref in marks if _opens(para.text, at)]
        pieces: list[tuple[str, bool, str | None, list[str]]] = []  # text, item, ref, refs
        if len(starts) >= 2:
            head = para.text[: starts[0][0]]
            if len(_words(head)) >= 5:
                pieces.append((head, False, None, [r for at, r in marks if at < starts[0][0]]))
            for k, (at, ref) in enumerate(starts):
                end = starts[k + 1][0] if k + 1 < len(starts) else len(para.text)
                inside = [r for a, r in marks if at <= a < end]
                text = para.text[at:end][:600]
                if pieces and pieces[-1][1] and not _words(pieces[-1][0]):
                    # two references side by side ("Min 12 (A24/05): ...") are one item
                    prev = pieces.pop()
                    pieces.append((prev[0] + text, True, prev[2], prev[3] + inside))
                else:
                    pieces.append((text, True, ref, inside))
        else:
            at_start = bool(starts) and starts[0][0] <= 3
            pieces.append(
                (para.text, False, starts[0][1] if at_start else None, [r for _, r in marks])
            )
        for text, item, opening, refs in pieces:
            n = len(meeting.pieces)
            words = _words(text) | (title_words if not item else set())
            meeting.pieces.append(_Piece(i, text, words, para.review, item, opening))
            for w in words:
                meeting.index.setdefault(w, []).append(n)
            for r in refs:
                meeting.refs.setdefault(r, []).append(n)


def _context(action: _Action, meeting: _Meeting) -> str:
    """The action's words and what it is about: the heading of its paragraph ("Green
    Lane 53-17 – ...") and the sentence before it when the action itself is short."""
    text = action.text
    for para in meeting.paras:
        at = para.text.find(action.text[:60])
        if at < 0:
            continue
        heading = _HEADING.match(para.text)
        before = _SENTENCE.split(para.text[:at].strip())
        extra = [heading.group(1)] if heading else []
        if len(_words(action.text)) < 8:
            extra += [b[-300:] for b in before[-2:] if b]
        return " ".join([text, *extra])
    return text


def _best_sentence(text: str, words: set[str]) -> str:
    """The sentence of `text` sharing most words with `words`, with the one after it."""
    parts = _SENTENCE.split(text)
    if len(parts) <= 2:
        return text
    scores = [len(_words(p) & words) for p in parts]
    k = max(range(len(parts)), key=lambda i: scores[i])
    # "Min 2151 – action to ...: done. Min 2153 – ...": the sentence alone, unless short
    return " ".join(parts[k : k + 2]) if len(parts[k].split()) < 6 else parts[k]


@dataclass
class _Scale:
    """How rare words are in one series' paragraphs (rare words carry the subject)."""

    idf: dict[str, float]
    default: float
    rare: float  # in under ~2% of paragraphs
    uncommon: float  # in under ~10%


@dataclass
class _Subject:
    """What an action is about, weighed once."""

    weights: dict[str, float]  # its words and its context's, by rarity
    mass: float  # the weight of its MASS_WORDS rarest words
    core: dict[str, float]  # the words of the action's own text
    core_mass: float


def _subject(action: _Action, meeting: _Meeting, scale: _Scale) -> _Subject:
    action.words = _words(_context(action, meeting))
    # sorted: the float sums below must not depend on a set's order, which changes with
    # the process's hash seed (the same minutes gave other follow-ups in another run)
    weights = {w: scale.idf.get(w, scale.default) for w in sorted(action.words)}
    # the subject is carried by its rarest words: a long context is not diluted
    mass = sum(sorted(weights.values(), reverse=True)[:MASS_WORDS]) or 1.0
    core = {w: weights[w] for w in sorted(_words(action.text) - action.owner_words) if w in weights}
    return _Subject(weights, mass, core, sum(core.values()))


def _link_series(meetings: list[_Meeting], links: list[Link]) -> None:
    """Link the actions of one series, meeting by meeting.

    At each meeting, every action still open from the WINDOW meetings before proposes
    the pieces that may report on it; the best proposals win, one link per action and
    meeting, and an item of an action list serves one action only (the one it fits
    best). A confident "done", "dropped" or "superseded" closes the action."""
    meetings.sort(key=lambda m: (m.date, m.iri))
    for m in meetings:
        _prepare(m)
    df: dict[str, int] = defaultdict(int)
    total = 0
    for m in meetings:
        total += len(m.paras)
        for words in m.words_of_para:
            for w in words:
                df[w] += 1
    total = max(total, 1)
    scale = _Scale(
        {w: math.log((total + 1) / (n + 1)) for w, n in df.items()},
        math.log(total + 1),
        math.log((total + 1) / (max(2.0, total * 0.02) + 1)),
        math.log((total + 1) / (max(2.0, total * 0.10) + 1)),
    )
    # references written on actions: an item opening with another action's reference
    # reports on that action, whatever words it shares
    by_ref: dict[str, str] = {}
    for m in meetings:
        for a in m.actions:
            if a.ref:
                by_ref.setdefault(a.ref, a.iri)
    subjects: dict[str, _Subject] = {}
    open_actions: list[tuple[int, _Action]] = []  # (meeting number, action)
    closed: set[str] = set()
    for j, m in enumerate(meetings):
        open_actions = [(i, a) for i, a in open_actions if i >= j - WINDOW and a.iri not in closed]
        minutes = {"min:" + a.minute: a.iri for _, a in open_actions if a.minute and not a.ref}
        proposals: list[tuple[float, float, int, int, _Action, Link]] = []
        for order, (i, action) in enumerate(open_actions):
            if meetings[i].date >= m.date:
                continue
            for conf, fit, kind, piece, segment in _proposals(
                action, m, subjects[action.iri], scale, by_ref, minutes
            ):
                link = Link(
                    action.iri,
                    m.iri,
                    m.date,
                    m.paras[m.pieces[piece].para].iri,
                    kind,
                    round(conf, 2),
                    reported_status(segment),
                )
                proposals.append((conf, fit, order, piece, action, link))
        # the surest first; of equals, the one the piece fits best, then the oldest
        proposals.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
        linked: set[str] = set()
        used: set[int] = set()
        for _conf, _fit, _order, piece, action, link in proposals:
            if action.iri in linked or (m.pieces[piece].item and piece in used):
                continue
            linked.add(action.iri)
            used.add(piece)
            links.append(link)
            if link.confident and link.status in ("done", "dropped", "superseded"):
                closed.add(action.iri)  # later mentions are not follow-ups of it
        for action in m.actions:
            subjects[action.iri] = _subject(action, m, scale)
            open_actions.append((j, action))


def _proposals(
    action: _Action,
    m: _Meeting,
    subject: _Subject,
    scale: _Scale,
    by_ref: dict[str, str],
    minutes: dict[str, str],
) -> list[tuple[float, float, str, int, str]]:
    """The pieces of meeting `m` that may report on `action`: (confidence, how well it
    fits, kind, piece, the words its status is read from), at least LOWEST."""
    found: list[tuple[float, float, str, int, str]] = []
    weights, mass = subject.weights, subject.mass
    if action.ref:
        for n in m.refs.get(action.ref, []):
            found.append((0.95, 1.0, "ref", n, _segment(m.pieces[n], action.ref)))
    if action.minute and not found:
        for n in m.refs.get("min:" + action.minute, []):
            # a minute holds several actions: the segment should be about this one
            segment = _segment(m.pieces[n], "min:" + action.minute)
            words = _words(segment)
            fit = max(
                sum(weights.get(w, 0) for w in sorted(words & action.words)) / mass,
                _core_share(subject, words),
            )
            found.append((0.9 if fit >= 0.3 else 0.55, fit, "minute", n, segment))
    if found:
        return found
    # a series that reviews its actions by reference says so when it reports on one
    by_reference = bool(action.ref) and any(r in by_ref for r in m.refs)
    hits: dict[int, float] = defaultdict(float)
    for w, weight in weights.items():
        for n in m.index.get(w, ()):
            hits[n] += weight
    for n, score in hits.items():
        piece = m.pieces[n]
        if piece.ref and (
            by_ref.get(piece.ref, action.iri) != action.iri
            or minutes.get(piece.ref, action.iri) != action.iri
        ):
            continue  # it opens with the reference of another action
        shared = piece.words & weights.keys()
        share = score / mass
        core = _core_share(subject, piece.words)
        rare = sum(1 for w in shared if weights[w] >= scale.rare)
        uncommon = sum(1 for w in shared if weights[w] >= scale.uncommon)
        if piece.item:
            # a short item naming the action's own words: "action to <its text>: done"
            if core < 0.9 and (rare < 2 or share < 0.3 or uncommon < 2):
                continue
            share = max(share, core)
        elif rare < 2 or share < 0.3:
            continue
        para = m.paras[piece.para]
        conf = 0.2 + 0.8 * min(share, 0.9)
        if para.review or piece.item:
            conf += 0.1
        heading = _HEADING.match(para.text)
        topic = _words(heading.group(1) if heading else para.title)
        if len(topic & action.words) >= 2:
            conf += 0.15  # "Green Lane 53-17 – ..." under the same heading
        if not piece.item and len(piece.words) > 80 and rare < 4:
            conf -= 0.15  # a long paragraph shares a few words with anything
        if action.owner_words and action.owner_words & piece.words:
            conf += 0.1  # the same named owner reports on the same subject
        # a paragraph that reviews another action by its ref is about that one
        if not para.review and not piece.item and _REF_TOKEN.match(para.text):
            conf -= 0.2
        if by_reference and not piece.ref:
            conf -= 0.2
        segment = piece.text if piece.item else _best_sentence(piece.text, action.words)
        kind = "item" if piece.item else "repeated" if share >= 0.7 else "text"
        found.append((min(conf, 0.9), share, kind, n, segment))
    return [f for f in found if f[0] >= LOWEST]


def _core_share(subject: _Subject, words: set[str]) -> float:
    """How much of the action's own text (3 words or more) `words` name, by weight."""
    if len(subject.core) < 3 or not subject.core_mass:
        return 0.0
    return sum(w for k, w in subject.core.items() if k in words) / subject.core_mass


def _opens(text: str, at: int) -> bool:
    """Whether the reference at `at` opens a sentence, a line or an item of a list."""
    i = at
    while i > 0 and text[i - 1] in " \t*•·-–\n":
        if text[i - 1] == "\n":
            return True
        i -= 1
    return i == 0 or text[i - 1] in ".;:!?)]"


def _marks(text: str) -> list[tuple[int, str]]:
    """The references written in `text`, in order: (offset, "A24/05" or "min:653")."""
    marks = [(m.start(), m.group(0)) for m in _REF_TOKEN.finditer(text)]
    marks += [(m.start(), "min:" + m.group(1)) for m in _MINUTE_REF.finditer(text)]
    return sorted(marks)


def _segment(piece: _Piece, ref: str) -> str:
    """The words of `piece` about `ref`: from the reference to the next one."""
    if piece.item:
        return piece.text
    marks = _marks(piece.text)
    for k, (at, r) in enumerate(marks):
        if r == ref:
            end = marks[k + 1][0] if k + 1 < len(marks) else len(piece.text)
            return piece.text[at:end][:600]
    return piece.text


def followup_iri(action: str, meeting: str) -> str:
    """The IRI of the follow-up of `action` at `meeting` (stable across re-linking, so a
    maintainer's review of it, kg.review, keeps applying)."""
    return f"{iris.base()}followup/{_last(action)}--{_last(meeting)}"


def _decisions(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Review decisions on follow-ups: IRI -> "confirmed" | "rejected"."""
    rows = _select(
        store,
        "SELECT ?x ?s WHERE { ?x gkg:reviewStatus ?s . "
        f'FILTER(STRSTARTS(STR(?x), "{iris.base()}followup/")) }}',
    )
    return {
        str(r["x"]): "rejected" if str(r["s"]).endswith("Rejected") else "confirmed"
        for r in rows
        if r["x"] and r["s"]
    }


def _quads(
    series: str,
    actions: Iterable[_Action],
    links: list[Link],
    decisions: dict[str, str] | None = None,
) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The ledger graph of one series. A follow-up a maintainer rejected is left out; a
    confirmed one counts as confident whatever its score."""
    decisions = decisions or {}
    graph = ledger_graph_iri(series)
    out: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: object, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Quad(s, ox.NamedNode(str(p)), o, graph))

    by_action: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_action[link.action].append(link)
    decimal = ox.NamedNode(str(XSD.decimal))
    for action in actions:
        a = ox.NamedNode(action.iri)
        status, source = "open", None
        for link in sorted(by_action.get(action.iri, []), key=lambda k: k.date):
            fu_iri = followup_iri(link.action, link.meeting)
            decision = decisions.get(fu_iri)
            if decision == "rejected":
                continue
            fu = ox.NamedNode(fu_iri)
            add(fu, RDF.type, ox.NamedNode(str(GKG.FollowUp)))
            add(fu, GKG.followUpOf, a)
            add(fu, GKG.atMeeting, ox.NamedNode(link.meeting))
            add(fu, GKG.evidence, ox.NamedNode(link.evidence))
            add(fu, GKG.evidenceKind, ox.Literal(link.kind))
            add(fu, GKG.confidence, ox.Literal(f"{link.confidence:.2f}", datatype=decimal))
            add(fu, GKG.reportedStatus, ox.NamedNode(str(_STATUS[link.status])))
            add(a, GKG.followUp, fu)
            if link.confident or decision == "confirmed":
                add(a, GKG.followedUpAt, ox.NamedNode(link.meeting))
                status, source = link.status, fu
        add(a, GKG.currentStatus, ox.NamedNode(str(_STATUS[status])))
        if source is not None:
            add(a, GKG.statusFrom, source)
    return graph, out


def series_of_documents(store, shas: Iterable[str]) -> set[str]:  # type: ignore[no-untyped-def]
    """The series (ledger keys) of the meetings these documents record."""
    docs = " ".join(str(iris.document_iri(s)) for s in shas if s)
    if not docs:
        return set()
    rows = _select(
        store,
        f"SELECT ?m (SAMPLE(?org) AS ?o) (MIN(?path) AS ?p) (SAMPLE(?t) AS ?title) WHERE {{ "
        f"VALUES ?doc {{ {docs} }} ?m prov:wasDerivedFrom ?doc . "
        "OPTIONAL { ?doc gkg:sourcePath ?path } OPTIONAL { ?m schema:organizer ?org } "
        "OPTIONAL { ?m dcterms:title ?t } } GROUP BY ?m",
    )
    return {_series_key(r["o"], r["p"], r["title"]) for r in rows}


def link_store(store, series: Iterable[str] | None = None) -> LinkReport:  # type: ignore[no-untyped-def]
    """Recompute the ledger graphs of `series` (None: every series) in `store`.

    Each series' graph is replaced in one update (kg.store.Store.replace_graph), so
    the default graph stays the union of all graphs.
    """
    started = time.perf_counter()
    report = LinkReport()
    wanted = set(series) if series is not None else None
    groups: dict[str, list[_Meeting]] = defaultdict(list)
    decisions = _decisions(store)
    from kg.identity import _open_row_cache

    cache = _open_row_cache(store) if wanted is not None else None
    try:
        for meeting in _load(store, wanted, cache).values():
            groups[meeting.series].append(meeting)
    finally:
        if cache is not None:
            cache.close()
    for key in sorted(groups):
        links: list[Link] = []
        _link_series(groups[key], links)
        actions = [a for m in groups[key] for a in m.actions]
        graph, quads = _quads(key, actions, links, decisions)
        store.replace_graph(graph, quads)
        report.series += 1
        report.linked.append(key)
        report.actions += len(actions)
        report.links += links
    report.seconds = time.perf_counter() - started
    return report


def follow_ups_query(actions: Iterable[str]) -> str:
    """The follow-ups of `actions` (IRIs), oldest first: columns action, followup,
    meeting, date, title, evidence (the paragraph's IRI), paragraph (its gkg:order, the
    meeting page's ``#p-N`` anchor), confidence, status ("done", "updated", ...), kind
    (how it was found) and review ("confirmed" when a maintainer confirmed it). Rejected
    follow-ups are left out."""
    from kg.queries import prefix_block

    values = " ".join(str(ox.NamedNode(a)) for a in actions)
    return (
        f"{prefix_block()}SELECT ?action ?followup ?meeting ?date ?title ?evidence ?paragraph "
        "?confidence ?status ?kind ?review WHERE { "
        f"VALUES ?action {{ {values} }} "
        "?followup gkg:followUpOf ?action ; gkg:atMeeting ?meeting ; gkg:evidence ?evidence ; "
        "gkg:confidence ?confidence ; gkg:reportedStatus ?st ; gkg:evidenceKind ?kind . "
        "FILTER NOT EXISTS { ?followup gkg:reviewStatus gkg:Rejected } "
        'OPTIONAL { ?followup gkg:reviewStatus gkg:Confirmed . BIND("confirmed" AS ?review) } '
        "OPTIONAL { ?meeting dcterms:date ?date } OPTIONAL { ?meeting dcterms:title ?title } "
        "OPTIONAL { ?evidence gkg:order ?paragraph } "
        'BIND(LCASE(STRAFTER(STR(?st), "#Status")) AS ?status) '
        "} ORDER BY ?action ?date ?meeting"
    )


def follow_ups(store, actions: Iterable[str]) -> dict[str, list[dict[str, object]]]:  # type: ignore[no-untyped-def]
    """Each action's follow-ups (see `follow_ups_query`), oldest first, as dicts with
    confidence a float and `possible` True below CONFIDENT (unless confirmed)."""
    wanted = list(dict.fromkeys(actions))
    out: dict[str, list[dict[str, object]]] = {a: [] for a in wanted}
    for i in range(0, len(wanted), 200):
        for r in _select(store, follow_ups_query(wanted[i : i + 200])):
            conf = float(r["confidence"] or 0)
            paragraph = r["paragraph"]
            out[str(r["action"])].append(
                {
                    "followup": r["followup"],
                    "meeting": r["meeting"],
                    "date": r["date"],
                    "title": r["title"],
                    "evidence": r["evidence"],
                    "paragraph": int(paragraph) if paragraph and paragraph.isdigit() else None,
                    "confidence": conf,
                    "status": r["status"],
                    "kind": r["kind"],
                    "possible": conf < CONFIDENT and r["review"] != "confirmed",
                }
            )
    return out
