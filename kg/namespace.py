"""Namespaces used by govkg, with `GKG` closed over the terms of ontology/govkg.ttl.

`GKG.Meetnig` raises AttributeError instead of minting a wrong IRI; a test checks
that the terms here and the classes/properties declared in govkg.ttl are the same set.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = ["GKG", "DCTERMS", "FOAF", "ORG", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "XSD", "PREFIXES"]

SCHEMA = SDO


class GKG(DefinedNamespace):
    """The govkg vocabulary, https://w3id.org/govkg/ns#."""

    _NS = Namespace("https://w3id.org/govkg/ns#")
    _fail = True

    # classes
    Meeting: URIRef
    AgendaItem: URIRef
    Statement: URIRef
    Action: URIRef
    Commitment: URIRef
    Place: URIRef
    LocalPolicingArea: URIRef
    PoliceForce: URIRef
    LocalAuthority: URIRef
    SourceDocument: URIRef
    Topics: URIRef  # the topic ConceptScheme

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
    mentions: URIRef
    owner: URIRef
    owedTo: URIRef
    due: URIRef
    dueText: URIRef
    status: URIRef
    raisedAt: URIRef
    followedUpAt: URIRef
    ref: URIRef
    withinForce: URIRef
    sha256: URIRef
    format: URIRef
    sourcePath: URIRef
