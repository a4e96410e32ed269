"""MinutesRecord -> RDF quads, all in one named graph: the source document's IRI.

A pure function of the record: building twice gives the same quads in the same
order, and every IRI comes from `kg.iris`, so the same person, role, place,
organisation or topic written in two documents is one node in the union graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date as _date

from pyoxigraph import Literal, NamedNode, Quad
from rdflib import URIRef

from ingest.models import APOLOGIES, COMMITMENT, Action, MinutesRecord, Statement
from kg import iris
from kg.namespace import DCTERMS, FOAF, GKG, ORG, PROV, RDF, SCHEMA, SKOS, XSD

__all__ = ["record_to_quads", "OPEN", "BUILD_VERSION", "source_key", "source_name"]

OPEN = GKG.StatusOpen
"""gkg:status of every action when first recorded; kg.link sets follow-ups."""

BUILD_VERSION = 3
"""The gkg:buildVersion written on every document node. Raise it when the builder starts
writing a triple that queries rely on, and teach kg.upgrade to add it to stored graphs:
  1 (no triple): the graphs of govkg before the version was written;
  2: every part (agenda item, paragraph, statement, action) is gkg:inMeeting its meeting;
  3: gkg:sourcePath is the file's name only, and gkg:sourceKey a hash of its full path
     (the server's folders are never published).
"""


def source_name(path: str) -> str:
    """What the graph publishes as gkg:sourcePath: the file's name, without its folders
    (an absolute path names the server's folders, e.g. a user's home)."""
    return re.sub(r"^.*[/\\\\]", "", path)


def source_key(path: str) -> str:
    """gkg:sourceKey: the SHA-256 (hex) of the path as ingested (absolute), the store's key
    for recognising a re-ingested file. The same as SPARQL's SHA256(STR(path)), which
    kg.upgrade uses to convert older graphs. It lets a reader confirm a guessed path,
    never read one."""
    return hashlib.sha256(path.encode("utf-8")).hexdigest()


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _n(term: URIRef) -> NamedNode:
    return NamedNode(str(term))


_XSD_DATE = _n(XSD.date)
_XSD_INTEGER = _n(XSD.integer)
_TYPE = _n(RDF.type)


def _iso_date(value: str | None) -> Literal | None:
    """An xsd:date literal when `value` is a real ISO date, else None."""
    if not value or not _ISO_DATE.match(value):
        return None
    try:
        _date.fromisoformat(value)
    except ValueError:
        return None
    return Literal(value, datatype=_XSD_DATE)


class _Graph:
    """Collects the quads of one document graph, dropping empty values and repeats."""

    def __init__(self, graph: NamedNode) -> None:
        self.graph = graph
        self.quads: dict[Quad, None] = {}

    def add(self, s: NamedNode, p: URIRef, o: NamedNode | Literal | str | int | None) -> None:
        if o is None or o == "":
            return
        if isinstance(o, bool):
            raise TypeError("booleans are not used in the govkg graph")
        if isinstance(o, int):
            o = Literal(str(o), datatype=_XSD_INTEGER)
        elif isinstance(o, str):
            o = Literal(o.strip())
        self.quads[Quad(s, _n(p), o, self.graph)] = None

    def a(self, s: NamedNode, *classes: URIRef) -> None:
        for cls in classes:
            self.quads[Quad(s, _TYPE, _n(cls), self.graph)] = None


class _Builder:
    def __init__(self, record: MinutesRecord) -> None:
        self.r = record
        self.doc = iris.document_iri(record.source.sha256)
        self.g = _Graph(self.doc)
        m = record.meeting
        self.body = m.body
        self.meeting = iris.meeting_iri(m.body, m.date, record.source.sha256, m.title)
        # one-word names are scoped by body; with no body, by this meeting
        self.scope = self.meeting.value.rsplit("/", 1)[-1]
        self.items = [
            iris.part_iri("item", self.meeting, i, self.r.source.sha256)
            for i in range(len(record.agenda_items))
        ]
        self.org_by_key: dict[str, NamedNode] = {}
        self.mentionables: list[tuple[re.Pattern[str], NamedNode]] = []

    # -- nodes shared across documents ------------------------------------------
    def person(self, name: str | None) -> NamedNode | None:
        node = iris.person_iri(name, self.body, self.scope)
        if node is not None and name:
            self.g.a(node, FOAF.Person)
            self.g.add(node, FOAF.name, iris.person_name(name))
        return node

    def organisation(self, name: str, abbrev: str | None = None) -> NamedNode:
        node = iris.organisation_iri(name, self.body, self.scope)
        self.g.a(node, ORG.Organization)
        self.g.add(node, SKOS.prefLabel, re.sub(r"^(?:the|The)\s+", "", name.strip()))
        self.g.add(node, SKOS.altLabel, abbrev)
        return node

    def topic(self, label: str) -> NamedNode:
        node = iris.topic_iri(label)
        self.g.a(node, SKOS.Concept)
        self.g.add(node, SKOS.prefLabel, label)
        self.g.add(node, SKOS.inScheme, _n(GKG.Topics))
        return node

    def agent(self, written: str | None, resolved: str | None) -> NamedNode | None:
        """An action's owner or addressee: the person if resolved, else an organisation."""
        if resolved:
            return self.person(resolved)
        if not written:
            return None
        text = re.sub(r"\s*\([^)]*\)\s*$", "", written).strip()
        if not text:
            return None
        known = self.org_by_key.get(text.lower().removeprefix("the ").strip())
        return known if known is not None else self.organisation(text)

    # -- the document ------------------------------------------------------------
    def build(self) -> list[Quad]:
        self.document()
        self.organisations_and_places()
        self.meeting_node()
        self.attendees()
        self.agenda()
        self.paragraphs()
        self.statements()
        self.actions()
        return sorted(self.g.quads, key=str)

    def document(self) -> None:
        g, src = self.g, self.r.source
        g.a(self.doc, GKG.SourceDocument)
        g.add(self.doc, GKG.sha256, src.sha256)
        g.add(self.doc, GKG.format, src.format)
        g.add(self.doc, GKG.sourcePath, source_name(src.path))
        g.add(self.doc, GKG.sourceKey, source_key(src.path))
        g.add(self.doc, DCTERMS.title, self.r.meeting.title)
        g.add(self.doc, GKG.buildVersion, BUILD_VERSION)

    def organisations_and_places(self) -> None:
        for org in self.r.organisations:
            node = self.organisation(org.name, org.abbrev)
            for key in (org.name, org.abbrev):
                if key:
                    self.org_by_key[key.lower().removeprefix("the ").strip()] = node
                    self._mentionable(key, node)
        for place in self.r.places:
            node = iris.place_iri(place.name, place.id)
            classes = [GKG.Place]
            extra = {
                "lpa": GKG.LocalPolicingArea,
                "force": GKG.PoliceForce,
                "authority": GKG.LocalAuthority,
            }.get(place.type)
            if extra is not None:
                classes.append(extra)
            self.g.a(node, *classes)
            self.g.add(node, SKOS.prefLabel, place.name)
            self._mentionable(place.name, node)
        for label in self.r.topics:
            self._mentionable(label, self.topic(label))

    def _mentionable(self, text: str, node: NamedNode) -> None:
        if len(text.strip()) >= 2:
            pattern = re.compile(r"(?<!\w)" + re.escape(text.strip()) + r"(?!\w)", re.I)
            self.mentionables.append((pattern, node))

    def meeting_node(self) -> None:
        g, m, node = self.g, self.r.meeting, self.meeting
        g.a(node, GKG.Meeting)
        g.add(node, DCTERMS.title, m.title)
        g.add(node, DCTERMS.date, _iso_date(m.date))
        g.add(node, GKG.kind, m.kind)
        g.add(node, GKG.venue, m.venue)
        g.add(node, GKG.chair, self.person(m.chair))
        g.add(node, GKG.minutedBy, self.person(m.minutes_by))
        g.add(node, PROV.wasDerivedFrom, self.doc)
        if m.body:
            g.add(node, SCHEMA.organizer, self.organisation(m.body))
        for label in self.r.topics:
            g.add(node, DCTERMS.subject, iris.topic_iri(label))
        nxt = m.next
        if nxt is not None and any((nxt.date, nxt.venue, nxt.kind, nxt.time)):
            nn = iris.next_meeting_iri(node)
            g.add(node, GKG.nextMeeting, nn)
            g.add(node, GKG.nextMeetingDate, _iso_date(nxt.date))
            g.add(nn, DCTERMS.date, _iso_date(nxt.date))
            g.add(nn, GKG.venue, nxt.venue)
            g.add(nn, GKG.kind, nxt.kind)
            if nxt.date and _iso_date(nxt.date) is None:
                g.add(nn, DCTERMS.description, nxt.date)
            if nxt.time:
                g.add(nn, DCTERMS.description, f"at {nxt.time}")

    def attendees(self) -> None:
        g = self.g
        for i, att in enumerate(self.r.attendees):
            person = self.person(att.name)
            if person is None:
                continue
            prop = GKG.sentApologies if att.status == APOLOGIES else GKG.attendee
            g.add(self.meeting, prop, person)
            if not (att.role or att.organisation):
                continue
            ms = iris.part_iri("membership", self.meeting, i, self.r.source.sha256)
            g.a(ms, ORG.Membership)
            g.add(ms, ORG.member, person)
            g.add(ms, GKG.recordedAt, self.meeting)
            if att.role:
                role = iris.role_iri(att.role)
                g.a(role, ORG.Role)
                g.add(role, SKOS.prefLabel, att.role)
                g.add(role, SKOS.altLabel, att.abbrev)
                g.add(ms, ORG.role, role)
            if att.organisation:
                org = self.org_by_key.get(att.organisation.lower()) or self.organisation(
                    att.organisation
                )
                g.add(ms, ORG.organization, org)

    def agenda(self) -> None:
        g = self.g
        for i, item in enumerate(self.r.agenda_items):
            node = self.items[i]
            g.a(node, GKG.AgendaItem)
            g.add(node, DCTERMS.title, item.title)
            parent = self.items[item.parent] if item.parent is not None else self.meeting
            g.add(node, DCTERMS.isPartOf, parent)
            g.add(node, GKG.inMeeting, self.meeting)
            g.add(node, GKG.order, i + 1)
            g.add(node, GKG.ref, item.number)
            g.add(self.meeting, GKG.hasAgendaItem, node)
            for label in item.topics:
                g.add(node, DCTERMS.subject, self.topic(label))
            self._span(node, item.span, item.page)

    def _part_of(self, item: int | None) -> NamedNode:
        if item is not None and 0 <= item < len(self.items):
            return self.items[item]
        return self.meeting

    def _span(self, node: NamedNode, span: tuple[int, int] | None, page: int | None = None) -> None:
        if span is not None:
            self.g.add(node, GKG.spanStart, int(span[0]))
            self.g.add(node, GKG.spanEnd, int(span[1]))
        if page is not None:
            self.g.add(node, GKG.page, int(page))

    def _mentions(self, node: NamedNode, text: str, exclude: Iterable[NamedNode | None]) -> None:
        skip = set(exclude)
        for pattern, target in self.mentionables:
            if target not in skip and pattern.search(text):
                self.g.add(node, GKG.mentions, target)

    def paragraphs(self) -> None:
        """Every paragraph of running text, in order: the minutes themselves, so a page
        can show them and the index can search them (statements point into them)."""
        g = self.g
        for i, para in enumerate(self.r.paragraphs):
            node = iris.part_iri("paragraph", self.meeting, i, self.r.source.sha256)
            g.a(node, GKG.Paragraph)
            g.add(node, GKG.text, para.text)
            g.add(node, GKG.order, i + 1)
            g.add(node, DCTERMS.isPartOf, self._part_of(para.item))
            g.add(node, GKG.inMeeting, self.meeting)
            self._span(node, (para.start, para.end), para.page)
            self._mentions(node, para.text, [])

    def statements(self) -> None:
        g = self.g
        for i, st in enumerate(self.r.statements):
            node = iris.part_iri("statement", self.meeting, i, self.r.source.sha256)
            g.a(node, GKG.Statement)
            # a collective speaker ("Councillors") is each member, or nobody known
            speakers = (
                [self.person(m) for m in st.members]
                if st.members
                else ([] if _is_collective(st) else [self.person(st.speaker)])
            )
            for speaker in speakers:
                g.add(node, GKG.speaker, speaker)
            g.add(node, GKG.mention, st.mention)
            g.add(node, GKG.act, st.act)
            g.add(node, GKG.text, st.text)
            g.add(node, DCTERMS.isPartOf, self._part_of(st.item))
            g.add(node, GKG.inMeeting, self.meeting)
            self._span(node, st.span, st.page)
            self._mentions(node, st.text, speakers)

    def actions(self) -> None:
        for i, action in enumerate(self.r.actions):
            self.action(i, action)

    def action(self, i: int, act: Action) -> None:
        g = self.g
        node = iris.part_iri("action", self.meeting, i, self.r.source.sha256)
        if act.kind == COMMITMENT:
            g.a(node, GKG.Action, GKG.Commitment)
        else:
            g.a(node, GKG.Action)
        g.add(node, GKG.text, act.text)
        owner = self.agent(act.owner, act.owner_name)
        owed_to = self.agent(act.for_, act.for_name)
        g.add(node, GKG.owner, owner)
        g.add(node, GKG.owedTo, owed_to)
        g.add(node, GKG.ownerText, act.owner)
        g.add(node, GKG.owedToText, act.for_)
        due = _iso_date(act.due)
        if due is not None:
            g.add(node, GKG.due, due)
        else:
            g.add(node, GKG.dueText, act.due)
        g.add(node, GKG.status, _n(OPEN))
        g.add(node, GKG.raisedAt, self.meeting)
        g.add(node, GKG.ref, act.ref)
        g.add(node, DCTERMS.isPartOf, self._part_of(act.item))
        g.add(node, GKG.inMeeting, self.meeting)
        self._span(node, act.span, act.page)
        self._mentions(node, act.text, [owner, owed_to])


def record_to_quads(record: MinutesRecord) -> list[Quad]:
    """The RDF of one record, every quad in the graph named by its document IRI.

    Deterministic: the same record always gives the same list (sorted, no repeats).

    Args:
        record: what `ingest.extract_file` returned.

    Returns:
        The quads; their graph name is `kg.iris.document_iri(record.source.sha256)`.
    """
    return _Builder(record).build()


def _is_collective(st: Statement) -> bool:
    """A group speaker with no members listed ("the Board" before attendance is known)."""
    return bool(
        re.match(
            r"^(?:the\s+)?(?:members|councillors|board|committee|panel|trustees|council|directors)\b",
            st.mention,
            re.I,
        )
    )
