"""Attendance: who was present, in attendance, or sent apologies.

Reads the usual forms: "Present: Cllrs A, B and the Clerk.", "Those attending: Cllr D
Ashby (Chair), ...", an "Attendance:" label followed by "- Name Role (ABBR)" lines,
"THOSE PRESENT WERE: Mayor Nash, Presiding; Commissioners Orme, Dale ...",
"OFFICERS IN ATTENDANCE: Name, Role; ...", "Apologies: ...", "Members of the public –
...", and people co-opted during the meeting.
"""

from __future__ import annotations

import functools
import re

from ingest.models import APOLOGIES, IN_ATTENDANCE, PRESENT, Attendee
from ingest.people import TITLES, split_title
from ingest.roles import role_labels, role_words

__all__ = ["parse_attendance_block", "find_attendance", "role_words", "role_labels"]

STATUS_LABELS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(apologies(?: for absence)?(?: were received from| received from)?|absent)\b", re.I
        ),
        APOLOGIES,
    ),
    (
        re.compile(
            r"\b(officers in attendance|in attendance|also present|also attending|members of the public|public|invited)\b",
            re.I,
        ),
        IN_ATTENDANCE,
    ),
    (
        re.compile(
            r"\b(those present(?: were)?|present|those attending|attendance|attendees|members present|circulated|attending)\b",
            re.I,
        ),
        PRESENT,
    ),
]
LABEL_RE = re.compile(
    r"(?P<label>\b(?:apologies(?: for absence)?(?: were received from| received from)?|absent|"
    r"officers in attendance|in attendance|also present|also attending|"
    r"those present(?: were)?|members present|present|those attending|attendance|attendees|"
    r"(?:councillors|members) (?:circulated|attending))"
    r"\s*(?::-?|–|-)|\bmembers of the public\s*(?::|–|-))\s*",
    re.I,
)
LINE_LABEL_RE = re.compile(
    r"^[ \t]*(?P<label>apologies(?: for absence)?(?:\s+(?:were\s+)?(?:received|given|sent)\s+(?:from|by))?|"
    r"present|attendees|attendance|in attendance|also present|invited|officers present|"
    r"members present|councillors present|absent)\b[ \t]*(?:[:\-–][ \t]*)?(?=[A-Z(\n]|$)",
    re.I | re.M,
)
""""A label that opens a line without punctuation, as tables in PDFs print it ("Present",
"Attendees Tony ...", "Invited ...")."""
FUNCTION_WORDS = {"and", "of", "the", "for", "to", "at", "in", "on", "with", "from", "by", "&"}
NOT_NAMES = {
    "action",
    "actions",
    "item",
    "items",
    "minutes",
    "agenda",
    "notes",
    "page",
    "none",
    "nil",
}


def _is_role_text(text: str) -> bool:
    """True when a piece of an entry is a role ("Clerk of the Council", "Presiding")."""
    t = text.strip().strip(".")
    if not t:
        return False
    if t.lower() in role_labels():
        return True
    tokens = re.split(r"\s+", t)
    if tokens[0].lower() in {"the", "a"} and len(tokens) > 1 and tokens[1].lower() in role_words():
        return False  # "the Clerk" names a person
    if (
        any(w in {"of", "the", "at", "for", "and"} for w in tokens[1:])
        and tokens[0].lower() in role_words()
    ):
        return True
    return tokens[-1].lower().rstrip(".") in role_words() and tokens[0].lower() in role_words()


NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.?|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)"
PLURAL_TITLE = re.compile(r"^(Cllrs|Councillors|Commissioners|Messrs)\.?\s+(.*)$", re.S)
PLURALS: dict[str, str | None] = {
    "Cllrs": "Councillor",
    "Councillors": "Councillor",
    "Commissioners": "Commissioner",
    "Messrs": None,
}
_COUNCILLOR_TITLE = r"(?:(?:County|Borough|District|Town|City|Parish)\s+)?(?:Cllr|Councillor)"
ABBR_TAIL = re.compile(r"\((?P<inner>[^()]{1,60})\)\s*$")


def parse_entry(text: str, status: str, group_role: str | None = None) -> Attendee | None:
    """One entry of an attendance list: "Cllr D Ashby (Chair)", "Jane Doe Police and
    Crime Commissioner (PCC)", "Kim Ellis-Grey, Clerk of the Council", "the Clerk"."""
    raw = re.sub(r"\s+", " ", text).strip(" .,;:–-")
    if not raw or re.fullmatch(r"[\d\s]+", raw):
        return None
    if re.match(
        r"^(\d+|a|an|several|some|two|three|four|five|six|seven|eight|nine|ten|no)\s+(members?\b|residents?|others?|people)",
        raw,
        re.I,
    ):
        return None
    if raw.lower() in NOT_NAMES:
        return None
    if re.fullmatch(r"(none|nil|n/?a|no one present|none received)", raw, re.I):
        return None
    abbrev = None
    role = None
    organisation = None
    # trailing brackets, last first: "Ann Bee (AB) (Chair)", "Sam Roe (SCC Observer)"
    bracket_role = None
    m = ABBR_TAIL.search(raw)
    while m:
        inner = m.group("inner").strip()
        raw = raw[: m.start()].strip()
        short = inner.replace(" ", "")
        if (
            re.fullmatch(r"[A-Z][A-Za-z]?(?:/\s?)?[A-Z]{1,5}|[A-Z]{2,6}", short)
            and not inner.istitle()
        ):
            if _abbreviates(short, raw):
                abbrev = short
            else:
                organisation = short  # "Steve Penn (SCC)": the body they represent
                role = role or short
        elif role is None:
            role = bracket_role = inner
        m = ABBR_TAIL.search(raw)
    # "Helen Ward – Police and Crime Commissioner": a dash separates like a comma
    raw = re.sub(r"^([^,–—]+?)\s+[–—-]\s+(?=[A-Z])", r"\1, ", raw)
    name_part, _, role_part = raw.partition(", ")
    if role_part:
        role = role_part + (f" ({role})" if role else "")
    if name_part.lower().startswith("the "):
        who = name_part[4:].strip()
        return Attendee(
            name=name_part, role=role or _pref(who) or who, abbrev=abbrev, status=status
        )
    title, rest = split_title(name_part)
    first, _, after = rest.partition(" ")
    if not title and _pref(first) and after:
        office, named = split_title(after)
        if re.fullmatch(rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{1,4}}", named):
            if office:  # "Chair Cllr Stella Kemp"
                title, rest = office, named
                role = f"{first} ({role})" if role else first
                role = f"{office} ({role})"
            else:  # "Clerk J Brook"
                title, rest = first, named
    # split "Jane Doe Police and Crime Commissioner" into name + role at the first role word
    tokens = rest.split(" ")
    cut = len(tokens)
    for i, tok in enumerate(tokens):
        if i >= 1 and (tok.lower() in role_words() or tok.lower().startswith(("t/", "a/"))):
            cut = i
            break
    if cut >= 3 and re.fullmatch(r"[A-Z]{2,6}", tokens[cut - 1]) and not organisation:
        organisation = tokens[cut - 1]  # "A Armstrong EDC": the body they belong to
        cut -= 1
    name = " ".join(tokens[:cut]).strip()
    inline_role = " ".join(tokens[cut:]).strip()
    if inline_role:
        role = inline_role + (f" ({role})" if role and not role_part else "")
    if not name or not re.fullmatch(rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{0,4}}", name):
        if title and not name:
            return None
        if not re.match(r"^[A-Z]", name or ""):
            return None
    if title and _pref(title) and not role:
        role = title
    elif title and role and role_part and _pref(title) and title.lower() not in role.lower():
        role = f"{title}, {role}"
    elif title and role and _pref(title) and title.lower() not in role.lower():
        role = f"{title} ({role})" if not role_part else role
    if group_role and not role:
        role = group_role
    elif group_role and role and role == bracket_role and not title:
        role = f"{group_role} ({role})"  # "Councillors D Rowe (Chair)"
    elif (
        group_role
        and role
        and group_role.lower() not in role.lower()
        and title
        and not _pref(title)
    ):
        role = f"{role}"
    return Attendee(
        name=name, role=role, abbrev=abbrev, status=status, title=title, organisation=organisation
    )


def _abbreviates(short: str, entry: str) -> bool:
    """Whether "(PCC)" is the short form of this entry's name or role rather than a body.

    The letters of a short form are the initials of the words it stands for, in order
    ("T/CC" for "T/ Chief Constable", "KL" for "Kit Lane").
    """
    if "/" in short:
        return True
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", entry) if w[0].isupper())
    it = iter(initials.upper())
    return all(ch in it for ch in short.upper())


def _pref(word: str) -> str | None:
    return role_labels().get(word.strip().lower())


def _split_entries(text: str) -> list[tuple[str, str | None]]:
    """Split a run of attendance into (entry, group role) pairs."""
    # line breaks: inside brackets or before one they only wrap; elsewhere they separate
    text = re.sub(r"\([^()]*\)", lambda m: m.group().replace("\n", " "), text)
    text = re.sub(r"\s*\n\s*(?=\()", " ", text)
    text = re.sub(r"(?<![,;&])\s*\n\s*(?!and\b|&)", ", ", text.strip())
    text = re.sub(r"\s+", " ", text).strip()
    out: list[tuple[str, str | None]] = []
    chunks = re.split(r";\s*(?:and\s+)?", text) if ";" in text else [text]
    for chunk in chunks:
        chunk = re.sub(r"\)\s+(?=[A-Z])", "), ", chunk.strip().rstrip("."))
        # "Vera Quill County Councillor Amy Irwin": a title after a name starts a new entry
        chunk = re.sub(rf"(?<=[a-z]) (?={_COUNCILLOR_TITLE}\s+[A-Z])", _split_before_title, chunk)
        # "... P Mor Clerk J Conn": an office word then a name starts a new entry
        chunk = re.sub(
            rf"(?<=[a-z]) (?=(?:{_single_word_roles()})\s+(?:[A-Z]\.?\s|[A-Z][a-z]+\s+[A-Z]))",
            _split_before_title,
            chunk,
        )
        pieces = [
            re.sub(r"^and\s+", "", p.strip()) for p in _split_outside_brackets(chunk) if p.strip()
        ]
        entries: list[tuple[str, str | None]] = []
        group_role = None  # set by a plural title, for the names that follow it
        for piece in pieces:
            if entries and _is_role_text(piece) and not piece.lower().startswith("the "):
                prev, g = entries[-1]
                entries[-1] = (prev + ", " + piece if ", " not in prev else prev + " " + piece, g)
                continue
            pm = PLURAL_TITLE.match(piece)
            if pm:
                group_role = PLURALS[pm.group(1)]
                piece = pm.group(2)
            elif any(piece.startswith(t + " ") for t in TITLES):
                group_role = None  # "County Cllr Irwin" ends a run of "Cllrs A, B"
                entries.append((piece, None))
                continue
            entries.append((piece, group_role))
        out.extend(entries)
    return out


@functools.lru_cache(maxsize=1)
def _single_word_roles() -> str:
    """Offices written as one word ("Clerk", "Treasurer"), as a regex alternation."""
    words = {label.split()[0] for label in role_labels() if " " not in label and label.isalpha()}
    return "|".join(sorted((w.capitalize() for w in words if len(w) > 4), key=len, reverse=True))


def _split_before_title(m: re.Match[str]) -> str:
    """ ", " before a councillor title that follows a name; " " after a title word
    ("County Councillor", "Chair Cllr" stay whole)."""
    before = m.string[: m.start()].split(" ")[-1]
    if before.lower() in role_words() or before.lower() in {
        "county",
        "borough",
        "district",
        "town",
        "city",
        "parish",
    }:
        return " "
    return ", "


def _split_outside_brackets(text: str) -> list[str]:
    """Split at ",", " and ", "&" — but not inside brackets ("(Business & Performance Manager)")."""
    masked = re.sub(r"\([^()]*\)", lambda m: "(" + "_" * (len(m.group()) - 2) + ")", text)
    out, pos = [], 0
    for m in re.finditer(r",\s*|\s+and\s+|\s*&\s*|(?<=\)):\s+", masked):
        out.append(text[pos : m.start()])
        pos = m.end()
    out.append(text[pos:])
    return out


def same_person(a: str, b: str) -> bool:
    """ "N Carver" and "Neil Carver": same surname, and initials that agree."""
    ta, tb = a.replace(".", " ").split(), b.replace(".", " ").split()
    if not ta or not tb or ta[-1].lower() != tb[-1].lower():
        return False
    fa, fb = ta[:-1], tb[:-1]
    if not fa or not fb:
        return True
    return all(x[0].lower() == y[0].lower() for x, y in zip(fa, fb, strict=False))


def parse_attendance_block(text: str, status: str, group: str | None = None) -> list[Attendee]:
    """All people of one labelled run ("Present: ..." without the label)."""
    people = []
    # "Members of the public – PCSO Lee & Ada Moss" inside a Present line
    parts = re.split(r"(?i)\.?\s*\b(members of the public)\s*(?:[:–-])\s*", text)
    segments: list[tuple[str, str, str | None]] = [(parts[0], status, group)]
    for i in range(1, len(parts) - 1, 2):
        segments.append((parts[i + 1], IN_ATTENDANCE, "Member of the public"))
    for seg_text, seg_status, group in segments:
        for entry, group_role in _split_entries(seg_text):
            person = parse_entry(entry, seg_status, group_role or group)
            if person:
                if group and person.title and _pref(person.title):
                    person.role = person.title
                people.append(person)
    return people


def find_attendance(header: str, items: list[tuple[str, str]]) -> list[Attendee]:
    """Attendees from the header text and from items such as "Apologies for absence".

    Args:
        header: the header region of the document.
        items: (title, body text) of agenda items, for apologies recorded as an item.
    """
    people: list[Attendee] = []
    labels = _labels(header)
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(header)
        body = _attendance_run(header[m.end() : end])
        label = m.group("label").lower()
        status = next(s for rx, s in STATUS_LABELS if rx.search(label))
        lines = [ln.strip() for ln in body.split("\n") if ln.strip()]
        group = "Member of the public" if "public" in label else None
        if lines and all(ln.startswith(("-", "•", "*", "·", "–")) for ln in lines):
            for ln in lines:
                person = parse_entry(ln.lstrip("-•*·– "), status)
                if person:
                    people.append(person)
        elif lines and not _wrapped(lines):
            # "Ruth Ellis, Head of Community Safety" on a line of its own: name, role
            for ln in lines:
                if _many(ln):
                    people.extend(parse_attendance_block(ln, status, group))
                elif person := parse_entry(ln, status, group):
                    people.append(person)
        else:
            people.extend(parse_attendance_block(body, status, group))
    for title, body in items:
        if re.search(r"\bapologies\b", title, re.I):
            for m in LABEL_RE.finditer(body):
                if m.group("label").lower().startswith("apologies"):
                    body = body[m.end() :]
                    break
            body = re.sub(
                r"(?i)^\s*apologies(?:\s+for\s+absence)?\s+(?:were\s+)?(?:received|given|sent|tendered)"
                r"\s+(?:from|by)\s+",
                "",
                body,
            )
            body = re.split(r"(?<=[a-z)])\.\s", body)[0]
            people.extend(parse_attendance_block(body, APOLOGIES))
    return _dedupe(people)


def _many(line: str) -> bool:
    """A line listing several people: a plural title, three or more entries, or two
    names ("Jo Bloggs, Sam Roe") rather than a name and a role or body."""
    pieces = [p.strip() for p in _split_outside_brackets(line) if p.strip()]
    if PLURAL_TITLE.match(line) or len(pieces) > 2:
        return True
    if len(pieces) == 2:
        second = re.sub(r"^and\s+", "", pieces[1]).rstrip(" .;")
        _title, bare = split_title(second)
        return bool(
            re.fullmatch(
                rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{1,2}}", re.sub(r"(\s*\([^)]*\))+$", "", bare)
            )
            and not _is_role_text(second)
            and bare.split()[-1].lower() not in role_words()
        )
    return False


def _wrapped(lines: list[str]) -> bool:
    """Whether the lines are one list wrapped across lines rather than a line per entry:
    a line ends mid-list (",", ";", "&", "and") or mid-bracket, or the next one carries on."""
    for i, ln in enumerate(lines):
        if ln.count("(") != ln.count(")") or re.search(r"(?:[,;&(]|\band)$", ln):
            return True
        if i and (ln[0].islower() or ln[0] in "(&,"):
            return True
    return False


def _labels(header: str) -> list[re.Match[str]]:
    """Attendance labels in the header, in order, without overlaps."""
    hits = sorted(
        list(LABEL_RE.finditer(header)) + list(LINE_LABEL_RE.finditer(header)),
        key=lambda m: m.start(),
    )
    out: list[re.Match[str]] = []
    for m in hits:
        if out and m.start() < out[-1].end():
            continue
        out.append(m)
    return out


def _attendance_run(body: str) -> str:
    """The lines of a labelled attendance run, up to the first line of prose.

    A line is prose when, outside brackets, it has a lower-case word that is not a
    function word ("Councillor A welcomed ..."), or is a numbered heading. The first line
    always counts: "Present: Cllr A (in the chair), ..." is still a list.
    """
    body = re.split(r"\n[ \t]*\n", body.lstrip("\n"))[0]
    flat = re.sub(r"\([^()]*\)", lambda m: re.sub(r"[^\n]", " ", m.group()), body)
    kept = []
    offset = 0
    for i, line in enumerate(flat.split("\n")):
        raw = body[offset : offset + len(line)]
        offset += len(line) + 1
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*", line)
        lower = [
            w
            for w in words
            if w[0].islower() and w not in FUNCTION_WORDS and w.lower() not in {"members", "public"}
        ]
        if i > 0 and (lower or re.match(r"^\s*\d+(?:\.\d+)*[.)]?\s+[A-Z]", line)):
            break
        kept.append(raw)
    return "\n".join(kept)


def _dedupe(people: list[Attendee]) -> list[Attendee]:
    """One entry per person; a person listed and also sending apologies sent apologies."""
    seen: dict[str, Attendee] = {}
    out: list[Attendee] = []
    for p in people:
        key = p.name.lower()
        if p.status == APOLOGIES:
            same = [
                q
                for q in out
                if q.name.lower() == key or q.name.lower().split()[-1] == key.split()[-1]
            ]
            if len(same) == 1:
                same[0].status = APOLOGIES
                continue
        if key in seen:
            continue
        seen[key] = p
        out.append(p)
    return out


def find_coopted(text: str) -> list[Attendee]:
    """People co-opted during the meeting ("Mrs A B and Mrs C D had put their names forward
    for co-option ... took their places as councillors")."""
    out = []
    for sent in re.split(r"(?<=[.!?])\s+", text):
        if not re.search(r"\bco-?opt", sent, re.I):
            continue
        names = re.findall(
            r"(?:(?:Mrs|Mr|Ms|Miss|Dr)\.?\s+)?([A-Z][a-z]+(?:[-'][A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)",
            sent,
        )
        for n in names:
            if n.split()[0].lower() in role_words() or n.split()[0] in {"The", "They", "Council"}:
                continue
            out.append(
                Attendee(name=n, role="Councillor (co-opted at this meeting)", status=PRESENT)
            )
    return out


def complete_names(people: list[Attendee], text: str) -> None:
    """Give a surname-only attendee the full name the document uses elsewhere.

    "Commissioners Orme, Dale" in the attendance and "Commissioner Nia Orme" later:
    the attendee becomes "Nia Orme". Only a form written with the same title or role
    counts, and only when it is the one such form in the document.
    """
    for p in people:
        if " " in p.name or not p.name[:1].isupper():
            continue
        cues = {c for c in (p.title, p.role) if c}
        cues |= {k for k, v in role_labels().items() if v == _pref(p.role or "") and k}
        found = set()
        for cue in cues:
            for m in re.finditer(
                rf"\b{re.escape(cue)}\.?\s+([A-Z][a-z]+)\s+{re.escape(p.name)}\b", text, re.I
            ):
                if m.group(1)[0].isupper() and m.group(1).lower() not in role_words():
                    found.add(m.group(1))
        if len(found) == 1:
            p.name = f"{found.pop()} {p.name}"


INVITE = re.compile(r"\b(?:invited|welcomed|introduced)\b(?P<rest>[^.]*)", re.I)


def find_invited(text: str) -> list[Attendee]:
    """Presenters and guests named where the chair invites or welcomes them:
    "Chair invited representatives from Norfolk Constabulary, Inspector A B, Mr C D,
    Business Liaison Manager, and E F, ... to present ..." -> A B, C D, E F."""
    out: list[Attendee] = []
    for m in INVITE.finditer(text):
        rest = re.split(r"\s+to\s+[a-z]+\b", m.group("rest"))[0]
        org = None
        om = re.match(
            r"\s*(?:the\s+)?(?:representatives?|members?|officers?|guests?)?\s*(?:from|of)\s+"
            r"(?P<org>(?:[A-Z][\w&'’-]*\s?)+),",
            rest,
        )
        if om:
            org = om.group("org").strip()
            rest = rest[om.end() :]
        for entry, _group in _split_entries(rest):
            person = parse_entry(entry, IN_ATTENDANCE)
            if not person or len(person.name.split()) < 2:
                continue
            if not re.fullmatch(rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{1,3}}", person.name):
                continue
            if (
                person.title
                and _pref(person.title)
                and org
                and (not person.role or person.role == person.title)
            ):
                person.role = f"{person.title}, {org}"
            out.append(person)
    return out
