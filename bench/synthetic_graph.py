"""Deterministic synthetic govkg dataset (N-Quads), shaped like real ingested minutes.

One named graph per source document (meeting minutes). Each graph describes one
meeting: the meeting node, its attendees (foaf:Person + org:Membership + org:Role),
agenda items, statements (gkg:Statement with ~300-character gkg:text paragraphs and a
gkg:speaker) and actions / commitments (gkg:Action with gkg:owner, gkg:owedTo,
gkg:due xsd:date, gkg:raisedAt, gkg:status). Persons, roles, organisations and topics
are shared IRIs across graphs (a person's slug is their normalised name), so the same
person appears in many document graphs, as in real data.

Usage:
    python bench/synthetic_graph.py N [-o out.nq] [--seed 42] [--quads-per-doc 2000]

Exactly N distinct quads are written (the last document is cut short). Output is
byte-identical for the same (N, seed, quads-per-doc).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import random
import sys
from collections.abc import Iterator
from typing import TextIO

GKG = "https://w3id.org/govkg/ns#"
ID = "https://w3id.org/govkg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"

FIRST = ["Alice", "Ben", "Carol", "David", "Emma", "Farid", "Grace", "Hamid", "Imogen", "James", "Karen", "Liam", "Maya", "Nadia", "Oliver", "Priya", "Quentin", "Rachel", "Sanjay", "Tara", "Umar", "Vera", "William", "Xavier", "Yasmin", "Zoe", "Adam", "Bethan", "Colin", "Deborah", "Ewan", "Fiona", "Gareth", "Helen", "Ian", "Julie", "Kevin", "Linda", "Martin", "Nicola"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "Hughes", "Edwards", "Morgan", "Price", "Bennett", "Griffiths", "Lloyd", "Owen", "Powell", "Rees", "Morris", "Ward", "Cox"]
ROLES = [
    ("Police and Crime Commissioner", "PCC"),
    ("Deputy Police and Crime Commissioner", "DPCC"),
    ("Chief Constable", "CC"),
    ("Temporary Chief Constable", "T/CC"),
    ("Deputy Chief Constable", "DCC"),
    ("Assistant Chief Constable", "ACC"),
    ("Chief Finance Officer", "CFO"),
    ("Chief Executive", "CEX"),
    ("Head of Corporate Services", "HCS"),
    ("Superintendent", "Supt"),
    ("Chief Inspector", "CI"),
    ("Panel Member", "PM"),
    ("Councillor", "Cllr"),
    ("Minute Taker", "MT"),
]
ORGS = [
    ("Office of the Police and Crime Commissioner", "OPCC"),
    ("West Mercia Police", "WMP"),
    ("Police and Crime Panel", "PCP"),
    ("Shropshire Council", "SC"),
    ("Herefordshire Council", "HC"),
    ("Worcestershire County Council", "WCC"),
    ("Telford and Wrekin Council", "TWC"),
]
TOPICS = ["domestic-abuse", "road-safety", "rural-crime", "knife-crime", "budget", "estates", "fleet", "recruitment", "wellbeing", "custody", "stop-and-search", "vetting", "hate-crime", "cybercrime", "fraud", "neighbourhood-policing", "victim-services", "101-performance", "drugs", "violence-against-women"]
PLACES = ["shropshire", "telford", "herefordshire", "worcester", "redditch", "bromsgrove", "wyre-forest", "malvern-hills", "south-worcestershire", "north-worcestershire"]
ACTS = ["asked", "stated", "reported", "confirmed", "noted", "explained", "agreed", "queried"]
STATUSES = ["open", "complete", "in-progress", "overdue", "carried-forward"]
KINDS = ["Holding to Account", "Performance and Accountability", "Police and Crime Panel", "Audit Committee"]
WORDS = ["the", "force", "commissioner", "performance", "response", "demand", "officers", "staff", "victims", "calls", "update", "report", "review", "figures", "quarter", "improvement", "plan", "investment", "team", "resources", "training", "partnership", "data", "outcomes", "services", "budget", "savings", "pressure", "recruitment", "retention", "vehicles", "estate", "custody", "neighbourhood", "rural", "communities", "confidence", "public", "satisfaction", "domestic", "abuse", "safeguarding", "risk", "assessment", "timeliness", "attendance", "incidents", "priority", "emergency", "national", "regional", "local", "inspection", "recommendations", "progress", "delivery", "strategy", "governance", "scrutiny", "assurance", "commitment", "panel", "meeting", "minutes", "action", "deadline", "evidence", "trend"]


def _lit(value: str, datatype: str | None = None) -> str:
    v = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{v}"^^<{datatype}>' if datatype else f'"{v}"'


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-").replace("/", "-")


class _Gen:
    def __init__(self, seed: int, n_persons: int) -> None:
        self.rnd = random.Random(seed)
        names: list[str] = []
        seen: set[str] = set()
        r = random.Random(seed + 1)
        while len(names) < n_persons:
            n = f"{r.choice(FIRST)} {r.choice(LAST)}"
            if n in seen:
                n = f"{n} {len(names)}"  # rare collision: keep names unique
            seen.add(n)
            names.append(n)
        self.persons = names
        # Zipf-ish weights: a few people (PCC, CC, CFO ...) speak in most meetings.
        self.weights = [1.0 / (i + 1) ** 0.8 for i in range(n_persons)]

    def text(self, approx: int = 300) -> str:
        rnd = self.rnd
        out: list[str] = []
        size = 0
        while size < approx:
            sent = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 16)))
            sent = sent[0].upper() + sent[1:] + "."
            out.append(sent)
            size += len(sent) + 1
        return " ".join(out)


def generate(n: int, seed: int = 42, quads_per_doc: int = 2000) -> Iterator[str]:
    """Yield exactly n distinct N-Quads lines (with trailing newline)."""
    n_docs = max(1, round(n / quads_per_doc))
    n_persons = max(60, min(2000, n_docs * 4))
    g = _Gen(seed, n_persons)
    rnd = g.rnd
    start = _dt.date(2015, 1, 6)
    emitted = 0

    for d in range(n_docs):
        last = d == n_docs - 1
        budget = (n - emitted) if last else quads_per_doc
        if budget <= 0:
            return
        date = start + _dt.timedelta(days=7 * d + rnd.randint(0, 4))
        kind = rnd.choice(KINDS)
        mslug = f"{date.isoformat()}-{_slug(kind)}-{d}"
        graph = f"<{ID}document/{mslug}>"
        m = f"<{ID}meeting/{mslug}>"
        seen: set[str] = set()
        count = 0

        def q(s: str, p: str, o: str) -> str | None:
            nonlocal count
            line = f"{s} <{p}> {o} {graph} .\n"
            if line in seen:
                return None
            seen.add(line)
            count += 1
            return line

        def emit_all(lines: list[str | None]) -> Iterator[str]:
            for line in lines:
                if line is not None:
                    yield line

        doc_lines: list[str | None] = []
        attendees = sorted(set(rnd.choices(range(len(g.persons)), weights=g.weights, k=16)))
        chair = attendees[0]
        doc_lines += [
            q(m, RDF_TYPE, f"<{GKG}Meeting>"),
            q(m, DCT + "title", _lit(f"{kind} meeting {date.isoformat()}")),
            q(m, DCT + "date", _lit(date.isoformat(), XSD + "date")),
            q(m, GKG + "kind", _lit(kind)),
            q(m, GKG + "venue", _lit(f"{rnd.choice(PLACES).title()} Police Station")),
            q(m, GKG + "chair", f"<{ID}person/{_slug(g.persons[chair])}>"),
            q(m, GKG + "minutedBy", f"<{ID}person/{_slug(g.persons[attendees[-1]])}>"),
            q(m, PROV + "wasDerivedFrom", f"<{ID}source/{mslug}.pdf>"),
        ]
        for pi in attendees:
            name = g.persons[pi]
            p = f"<{ID}person/{_slug(name)}>"
            role_label, role_abbr = ROLES[pi % len(ROLES)]
            org_label, org_abbr = ORGS[pi % len(ORGS)]
            role = f"<{ID}role/{_slug(role_abbr)}>"
            org = f"<{ID}organisation/{_slug(org_abbr)}>"
            mem = f"<{ID}membership/{mslug}/{_slug(name)}>"
            doc_lines += [
                q(m, GKG + "attendee", p),
                q(p, RDF_TYPE, f"<{FOAF}Person>"),
                q(p, FOAF + "name", _lit(name)),
                q(mem, RDF_TYPE, f"<{ORG}Membership>"),
                q(mem, ORG + "member", p),
                q(mem, ORG + "role", role),
                q(mem, ORG + "organization", org),
                q(mem, GKG + "recordedAt", m),
                q(role, RDF_TYPE, f"<{ORG}Role>"),
                q(role, SKOS + "prefLabel", _lit(role_label)),
                q(role, SKOS + "altLabel", _lit(role_abbr)),
                q(org, RDF_TYPE, f"<{ORG}Organization>"),
                q(org, SKOS + "prefLabel", _lit(org_label)),
                q(org, SKOS + "altLabel", _lit(org_abbr)),
            ]
        yield from _take(emit_all(doc_lines), budget, count_ref := [0])
        used = count_ref[0]
        if used >= budget:
            emitted += used
            continue

        def body() -> Iterator[str]:
            n_items = rnd.randint(8, 14)
            item_no = 0
            act_no = 0
            while True:  # until the budget is used up
                item_no += 1
                it = f"<{ID}item/{mslug}/{item_no}>"
                topic = rnd.choice(TOPICS)
                yield from emit_all([
                    q(it, RDF_TYPE, f"<{GKG}AgendaItem>"),
                    q(it, DCT + "title", _lit(f"{topic.replace('-', ' ').title()} update")),
                    q(it, DCT + "isPartOf", m),
                    q(it, GKG + "order", _lit(str(item_no), XSD + "integer")),
                    q(it, DCT + "subject", f"<{ID}topic/{topic}>"),
                ])
                pos = 0
                for s_no in range(rnd.randint(10, 20) if item_no <= n_items else 15):
                    st = f"<{ID}statement/{mslug}/{item_no}-{s_no}>"
                    speaker = g.persons[rnd.choice(attendees)]
                    text = g.text()
                    lines = [
                        q(st, RDF_TYPE, f"<{GKG}Statement>"),
                        q(st, GKG + "speaker", f"<{ID}person/{_slug(speaker)}>"),
                        q(st, GKG + "act", _lit(rnd.choice(ACTS))),
                        q(st, GKG + "text", _lit(text)),
                        q(st, DCT + "isPartOf", it),
                        q(st, GKG + "spanStart", _lit(str(pos), XSD + "integer")),
                        q(st, GKG + "spanEnd", _lit(str(pos + len(text)), XSD + "integer")),
                    ]
                    pos += len(text) + 2
                    if rnd.random() < 0.5:
                        lines.append(q(st, GKG + "mentions", f"<{ID}place/{rnd.choice(PLACES)}>"))
                    if rnd.random() < 0.3:
                        lines.append(q(st, GKG + "mentions", f"<{ID}topic/{rnd.choice(TOPICS)}>"))
                    yield from emit_all(lines)
                    if rnd.random() < 0.12:  # an action or commitment arises
                        act_no += 1
                        a = f"<{ID}action/{mslug}/{act_no:02d}>"
                        owner = g.persons[rnd.choice(attendees)]
                        owed = g.persons[rnd.choice(attendees)]
                        due = date + _dt.timedelta(days=rnd.choice([14, 28, 42, 56, 90, 180]))
                        cls = "Commitment" if rnd.random() < 0.4 else "Action"
                        alines = [
                            q(a, RDF_TYPE, f"<{GKG}{cls}>"),
                            q(a, RDF_TYPE, f"<{GKG}Action>") if cls == "Commitment" else None,
                            q(a, GKG + "text", _lit(g.text(160))),
                            q(a, GKG + "owner", f"<{ID}person/{_slug(owner)}>"),
                            q(a, GKG + "owedTo", f"<{ID}person/{_slug(owed)}>"),
                            q(a, GKG + "due", _lit(due.isoformat(), XSD + "date")),
                            q(a, GKG + "status", _lit(rnd.choice(STATUSES))),
                            q(a, GKG + "raisedAt", m),
                            q(a, GKG + "ref", _lit(f"{act_no:02d}")),
                            q(a, DCT + "isPartOf", it),
                            q(a, GKG + "mentions", f"<{ID}topic/{topic}>"),
                        ]
                        yield from emit_all(alines)

        yield from _take(body(), budget - used, count_ref2 := [0])
        emitted += used + count_ref2[0]


def _take(it: Iterator[str], limit: int, counter: list[int]) -> Iterator[str]:
    if limit <= 0:
        return
    for line in it:
        yield line
        counter[0] += 1
        if counter[0] >= limit:
            return


def top_person(n: int, seed: int = 42, quads_per_doc: int = 2000) -> str:
    """Name of the person who attends most meetings (for the 'meetings of one person' query)."""
    n_docs = max(1, round(n / quads_per_doc))
    return _Gen(seed, max(60, min(2000, n_docs * 4))).persons[0]


def write(n: int, out: TextIO, seed: int = 42, quads_per_doc: int = 2000) -> int:
    k = 0
    buf: list[str] = []
    for line in generate(n, seed, quads_per_doc):
        buf.append(line)
        k += 1
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    return k


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of quads to generate")
    ap.add_argument("-o", "--output", help="output .nq file (default: stdout)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--quads-per-doc", type=int, default=2000)
    a = ap.parse_args(argv)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            k = write(a.n, f, a.seed, a.quads_per_doc)
    else:
        k = write(a.n, sys.stdout, a.seed, a.quads_per_doc)
    print(f"wrote {k} quads", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
