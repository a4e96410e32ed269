"""Namespaces used by govkg, with `GKG` closed over the terms of ontology/govkg.ttl.

`GKG.Meetnig` raises AttributeError instead of minting a wrong IRI; a test checks
that the terms here and the terms declared in govkg.ttl (classes, properties, concept
schemes and the action status concepts) are the same set.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = ["GKG", "DCTERMS", "FOAF", "ORG", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "XSD"]

SCHEMA = SDO


class GKG(DefinedNamespace):
    """The govkg vocabulary, https://w3id.org/govkg/ns#."""

    _NS = Namespace("https://w3id.org/govkg/ns#")
    _fail = True

    # classes
    Meeting: URIRef
    AgendaItem: URIRef
    Statement: URIRef
    Paragraph: URIRef
    Action: URIRef
    Commitment: URIRef
    Place: URIRef
    LocalPolicingArea: URIRef
    PoliceForce: URIRef
    LocalAuthority: URIRef
    SourceDocument: URIRef

    # concept schemes (skos:ConceptScheme individuals, not classes)
    Topics: URIRef  # the topic thesaurus
    ActionStatus: URIRef  # the values of GKG.status

    # action status concepts (skos:inScheme GKG.ActionStatus)
    StatusOpen: URIRef  # raised, not yet reported done, dropped or superseded
    StatusDone: URIRef  # reported complete
    StatusUpdated: URIRef  # still open; a later meeting reported progress
    StatusDropped: URIRef  # closed without being done (withdrawn, no longer required)
    StatusOverdue: URIRef  # open past its due date (derived across meetings)
    StatusSuperseded: URIRef  # replaced by a later action

    # properties
    kind: URIRef
    venue: URIRef
    chair: URIRef
    minutedBy: URIRef
    attendee: URIRef
    sentApologies: URIRef
    hasAgendaItem: URIRef
    nextMeeting: URIRef
    nextMeetingDate: URIRef
    recordedAt: URIRef
    order: URIRef
    speaker: URIRef
    mention: URIRef
    act: URIRef
    text: URIRef
    spanStart: URIRef
    spanEnd: URIRef
    page: URIRef
    mentions: URIRef
    owner: URIRef
    owedTo: URIRef
    due: URIRef
    dueText: URIRef
    ownerText: URIRef
    owedToText: URIRef
    status: URIRef
    raisedAt: URIRef
    followedUpAt: URIRef
    ref: URIRef
    # places and organisations (the gazetteers: ontology/places/, organisations.ttl)
    withinForce: URIRef
    within: URIRef
    covers: URIRef
    area: URIRef
    governs: URIRef
    placeType: URIRef
    authorityType: URIRef
    orgType: URIRef
    # source documents
    sha256: URIRef
    format: URIRef
    sourcePath: URIRef
    sourceKey: URIRef
    # the commitments ledger (kg/ledger.py): derived follow-up links
    FollowUp: URIRef
    followUp: URIRef
    followUpOf: URIRef
    atMeeting: URIRef
    evidence: URIRef
    evidenceKind: URIRef
    confidence: URIRef
    reportedStatus: URIRef
    currentStatus: URIRef
    statusFrom: URIRef
    # identity across meetings (kg/identity.py) and review decisions (kg/review.py)
    Tenure: URIRef
    firstSeen: URIRef
    lastSeen: URIRef
    evidencedBy: URIRef
    notSameAs: URIRef
    Review: URIRef
    ReviewStatus: URIRef
    Confirmed: URIRef
    Rejected: URIRef
    reviewOf: URIRef
    reviewStatus: URIRef
    reviewedText: URIRef
    reviewedIn: URIRef
    # direct links written at build time, and the builder version (kg/build.py)
    inMeeting: URIRef
    buildVersion: URIRef
    # summaries for the example queries (kg/summaries.py): derived, per series
    TopicOnAgenda: URIRef
    agendaTopic: URIRef
    bodyLabel: URIRef
    OwnerDeadlines: URIRef
    ownerLabel: URIRef
    openActions: URIRef
    oldestDeadline: URIRef
    latestDeadline: URIRef
    sampleText: URIRef
    byDeadline: URIRef
    DeadlineCount: URIRef
    deadline: URIRef
    actionCount: URIRef
