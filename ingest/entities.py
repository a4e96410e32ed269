"""Find the places, organisations and topics that a text mentions.

Gazetteer matches (`ingest.gazetteer`) come first; generic cues then catch the
local places no gazetteer lists: the settlement in a body's name ("Stoke Ferry
Parish Council"), in a venue ("Tintern Village Hall", "Hindlip Hall"), after
"Land at ..." or "Site 2 ...", or named with a landscape word ("Angiddy Trail").
Street names, postcodes, months, people and organisations are kept out.

Places are reported as written in the document, once each (case-insensitively).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from ingest.gazetteer import (
    ORGANISATION,
    PLACE,
    TOPIC,
    GazetteerEntry,
    Match,
    Matcher,
    entry,
    is_abbreviation,
    matcher,
    organisations,
    places,
)
from ingest.models import Organisation, Place

__all__ = ["find_organisations", "find_places", "find_topics", "topics_for"]

# --- word lists (generic English, not taken from any document) --------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STREET_WORDS = _words(
    """
    road street lane drive close avenue way crescent terrace grove gardens walk row mews court
    place square rd st ln
    """
)
TITLES = _words(
    """
    acc canon cc chief cllr cllrs commissioner constable councillor councillors cso dame dc
    dcc dci det di dr ds insp inspector lady lord mayor miss mr mrs ms officer pc pcso prof
    rev revd reverend sergeant sgt sir superintendent supt
    """
)
MONTHS = _words(
    """
    apr april aug august dec december feb february jan january jul july jun june mar march may
    nov november oct october sep sept september
    """
)
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
STOP_CAPS = (
    MONTHS
    | WEEKDAYS
    | {
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "there",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "all",
        "any",
        "no",
        "none",
        "other",
        "their",
        "his",
        "her",
        "our",
        "its",
        "item",
        "minutes",
        "council",
        "police",
        "county",
        "borough",
        "district",
        "parish",
        "town",
        "city",
        "village",
        "community",
        "action",
        "actions",
        "resolved",
        "agreed",
        "noted",
        "chair",
        "clerk",
        "members",
        "quarter",
        "phase",
        "appendix",
        "section",
        "page",
        "report",
        "next",
        "first",
        "second",
    }
)
AMBIGUOUS = _words(
    """
    aire amble america arnold ashford austin avon bala barry bath battle bedford beverley
    boston bourne bradford brandon brent buckley bury calder carlton cheadle chester clare
    clifton columbus crook crosby darwen deal dee denton derwent don dove dudley eden ely
    eugene exe eye fleet flint georgia harrow hart hastings hay hexham holt holywell hornsea
    hyde jackson jersey kennet kirkby leigh lewes lincoln london lugg madeley march merton
    mold morley mumbles neath nelson nene newport oakham phoenix porth preston prudhoe reading
    richmond ripley rugby rye sale salem sandwich sandy settle shirley stafford stamford
    stanley stone street sutton tees teme tenby test thorne tyne usk virginia ware warwick
    washington wear wellington wells wem whitchurch wilton wye york
    """
)
PLACE_CUES = {"in", "at", "near", "around", "outside", "within", "across", "towards", "through"}
ADMIN_AFTER = _words(
    """
    area areas borough city constabulary council county district hospital library lpa market
    parish police road station town
    """
)
HALL_STOP = _words(
    """
    albert assembly baptist central chapel church city civic committee community concert
    coronation council county county's dining drill entrance exhibition function great guild
    jubilee legion lower main market masonic memorial methodist mission music new old parish
    public royal saint school scout shire sports st staff temperance the town upper victoria
    village
    """
)
FEATURE_WORDS = _words(
    """
    bridge brook common cross downs end estuary farm fen forest gorge green heath hills island
    isle marsh meadow meadows mill moor moors quay river trail vale valley wharf wood woods
    """
)
FEATURE_TITLES = {w.title() for w in FEATURE_WORDS} | {"Park"}
DIRECTIONS = _words(
    """
    central east great greater high little long lower mid nether new north old south upper
    west
    """
)
WEAK_FEATURES = _words(
    """
    bridge common cross end farm green mill quay wharf wood
    """
)
"""Features that also name businesses and buildings: only accepted after a place cue."""
ORG_WORDS = _words(
    """
    agency alliance area areas association authority board bureau cabinet centre charity club
    commission committee company constabulary council department directorate executive
    federation forum foundation group hub inspectorate limited ltd network office panel
    partnership police service services society team trust union unit
    """
)
ROLE_WORDS = _words(
    """
    assistant chair chairman chief clerk co-ordinator commissioner constable coordinator
    councillor deputy director head inspector intern lead manager mayor officer secretary
    superintendent treasurer
    """
)
NOT_PLACE = _words(
    """
    art bank banks bridge british business car caravan catholic central charity christmas co
    country crossing cruise dental doctors dr drs easter egg english event festival free
    frontage fun grammar halloween health high holiday industrial infant infants junior level
    levels local main medical national nature path police public retail santa science
    sculpture secondary side sponsored technology treasure trip users view walk wall welsh
    """
)
SMALL = {"of", "and", "the", "for", "&", "on", "upon", "in", "under", "le", "de", "la", "by"}

_CAP = r"[A-Z][\w’'\-]*"
_NAME = rf"{_CAP}(?:[ \t]+(?:{_CAP}|upon|on|under|le|de)){{0,9}}"
"""A place-like name: at most ten words (unbounded, a long run of capitalised words made
every pattern using it quadratic: a line of 30,000 such characters took minutes)."""
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_LOWER_SIGNAL = re.compile(
    r"(?<![A-Za-z])(?:january|february|april|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mr\.|mrs\.)(?![A-Za-z])"
)


# --- helpers ------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _words_before(text: str, start: int, n: int = 1) -> list[str]:
    return re.findall(r"[\w’'./]+", text[max(0, start - 60) : start])[-n:]


def _word_after(text: str, end: int) -> str:
    m = re.match(r"[ \t]+([\w’']+)", text[end : end + 40])
    return m.group(1) if m else ""


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start]
    return start == 0 or bool(re.search(r"(^|[.!?:;\n]\s*|\n\s*[-*•\d.)]*\s*)$", before))


def _caseless(text: str) -> bool:
    """True when the text (a closed-caption transcript) writes proper names in lower case."""
    return len(_LOWER_SIGNAL.findall(text)) >= 3


def _is_street(text: str, end: int) -> bool:
    after = _word_after(text, end).lower()
    return after in STREET_WORDS


def _after_title(text: str, start: int) -> bool:
    prev = _words_before(text, start)
    return bool(prev) and prev[0].lower().rstrip(".") in TITLES


def _clean_name(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())
    return name.strip(" -–,.")


# --- places ---------------------------------------------------------------------------


class _Found:
    """Names collected for one document, deduplicated case-insensitively."""

    def __init__(self) -> None:
        self.items: dict[str, Place] = {}
        self.spans: list[tuple[int, int]] = []
        """Spans of gazetteer matches: cues inside them add nothing."""

    def add(self, name: str, type_: str, id_: str | None = None, *, fuzzy: bool = False) -> None:
        name = _clean_name(name)
        key = _norm(name)
        if len(key) < 2 or key in self.items:
            return
        if fuzzy:
            for other in self.items:
                if SequenceMatcher(None, key, other).ratio() >= 0.85:
                    return
        self.items[key] = Place(name=name, type=type_, id=id_)

    def covered(self, start: int) -> bool:
        return any(a <= start < b for a, b in self.spans)

    def ids(self) -> set[str]:
        return {p.id for p in self.items.values() if p.id}


def _place_type(e: GazetteerEntry) -> str:
    if e.type == "local policing area":
        return "lpa"
    if e.type == "LocalAuthority":
        return "authority"
    if e.type in ("city", "town"):
        return "settlement"
    return "area"


@lru_cache(maxsize=1)
def _place_matcher() -> Matcher:
    authorities = [e for e in organisations() if e.type == "LocalAuthority"]
    return Matcher(places() + authorities)


def _ancestors(place_id: str) -> set[str]:
    """The places that contain `place_id` (following within), itself included."""
    out, todo = set(), [place_id]
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out.add(pid)
        e = entry(pid)
        if e is not None:
            todo.extend(link for link in e.links if link.startswith("place/"))
    return out


@lru_cache(maxsize=1)
def _covered_by() -> dict[str, set[str]]:
    """place id -> the ids of force areas and LPAs that cover it."""
    out: dict[str, set[str]] = {}
    for e in places():
        if e.type in ("police force area", "local policing area"):
            for link in e.links:
                out.setdefault(link, set()).add(e.id)
    return out


def _supports(authority: GazetteerEntry, found_ids: set[str]) -> bool:
    """Does the document name a place this authority governs, covers or lies in?"""
    governed = [link for link in authority.links if link.startswith("place/")]
    covering = _covered_by()
    for gid in governed:
        near = _ancestors(gid) | covering.get(gid, set())
        for fid in found_ids:
            fe = entry(fid)
            if fe is None or fe.type in ("country", "region", "jurisdiction"):
                continue
            if fid in near or gid in _ancestors(fid):
                return True
    return False


def _defined_as(text: str, abbrev: str) -> list[str]:
    """The long forms that the text gives for an abbreviation: "Xxx Yyy (ABBR)"."""
    word = r"[A-Z][\w’'&\-]*[ \t]+(?:(?:of|and|for|the|&)[ \t]+)?"
    pat = rf"((?:{word}){{1,8}})\(\s*{re.escape(abbrev)}\s*\)"
    return [m.group(1).strip() for m in re.finditer(pat, text)]


def _accept_abbrev(text: str, m: Match, found_ids: set[str]) -> GazetteerEntry | None:
    """The authority an abbreviation ("MCC") stands for here, or None when unsupported."""
    defs = _defined_as(text, m.surface)
    for e in m.entries:
        if any(
            _norm(d).endswith(_norm(e.label)) or _norm(e.label).endswith(_norm(d)) for d in defs
        ):
            return e
    if defs:
        return None
    supported = [e for e in m.entries if e.type == "LocalAuthority" and _supports(e, found_ids)]
    current = [e for e in supported if not e.former]
    best = current or supported
    return best[0] if best else None


def _gazetteer_places(text: str, found: _Found) -> None:
    loose = _caseless(text)
    pending: list[Match] = []
    for m in _place_matcher().find(text, loose=loose):
        e = m.entries[0]
        if m.abbreviation:
            if e.kind == ORGANISATION:
                pending.append(m)
            elif m.surface.isupper() and len(m.surface) <= 3:
                continue  # "UK" and the like are fine, 2-3 letter codes of places are not
            else:
                found.add(m.surface, _place_type(e), e.id)
            continue
        if _is_street(text, m.end) or _after_title(text, m.start):
            continue
        written_lower = m.surface[:1].islower()
        key = m.surface.lower()
        if written_lower and (key in AMBIGUOUS or (" " not in key and len(key) < 6)):
            continue
        if key in MONTHS and _word_after(text, m.end).lower() not in ADMIN_AFTER:
            continue
        if key in AMBIGUOUS and not _cued(text, m):
            continue
        if _word_after(text, m.end) in FEATURE_TITLES and e.type not in ("country",):
            continue  # "Washington Park": the feature rule reports the whole name
        name = m.surface
        prefix = re.search(
            r"(?:^|[\s(])((?:Upper|Lower|Greater|Central|[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est)"
            r"[ \t]+)$",
            text[max(0, m.start - 12) : m.start],
        )
        if prefix and e.kind == PLACE and e.type not in ("country", "region"):
            name = prefix.group(1) + m.surface
        found.add(name, _place_type(e), e.id)
        found.spans.append((m.start, m.end))
    ids = found.ids()
    for m in pending:
        chosen = _accept_abbrev(text, m, ids)
        if chosen is not None:
            found.add(m.surface, "authority", chosen.id)


def _cued(text: str, m: Match) -> bool:
    """An ambiguous name ("Barry", "Reading") needs a preposition before or an admin word after."""
    prev = _words_before(text, m.start)
    cues = PLACE_CUES | {"from", "to", "of", "near", "and"}
    if prev and prev[0].lower() in cues and not _after_title(text, m.start):
        return True
    return _word_after(text, m.end).lower() in ADMIN_AFTER


def _plausible(name: str) -> bool:
    words = name.split()
    if not words or words[0].lower() in STOP_CAPS or words[-1].lower() in SMALL:
        return False
    if len(name) < 3 or any(w.lower().strip(".") in TITLES | NOT_PLACE for w in words):
        return False
    if any(w.lower().strip("’'") in MONTHS | WEEKDAYS for w in words):
        return False
    if any(w.isupper() and len(w) > 1 for w in words):
        return False  # acronyms: organisations, not places
    if any(w.lower() in ORG_WORDS | ROLE_WORDS | STREET_WORDS for w in words):
        return False
    return not any(ch.isdigit() for ch in name)


_BODY = re.compile(rf"\b({_NAME})[ \t]+(?:Parish|Town|Community|Village)[ \t]+Council\b")
_PARISH = re.compile(rf"\b({_NAME})[ \t]+(?:Parish|Village)\b(?![ \t]+(?:Council|Hall|Plan))")
_VENUE = re.compile(
    rf"\b({_NAME})[ \t]+(Village[ \t]+Hall|Community[ \t]+Centre|Library|Primary[ \t]+School|"
    rf"School|"
    rf"Surgery|Police[ \t]+Station|Hall|Police|Constabulary)\b"
)
_LAND = re.compile(
    rf"\b[Ll]and[ \t]+(at|off|opposite|adjacent[ \t]+to|adj\.?|near|rear[ \t]+of|"
    rf"north[ \t]+of|south[ \t]+of|east[ \t]+of|west[ \t]+of|to[ \t]+the[ \t]+rear[ \t]+of|"
    rf"behind)[ \t]+((?:{_NAME})(?:,[ \t]*{_NAME})*)"
)
_SITE = re.compile(rf"\bSite[ \t]+\d+[ \t]*[-–:]?[ \t]*({_CAP})")
_FEATURE = re.compile(
    rf"\b((?:{_CAP}[ \t]+){{0,2}}{_CAP})[ \t]+({'|'.join(sorted(FEATURE_TITLES))})\b"
)
_RIVER = re.compile(rf"\bRiver[ \t]+({_CAP})")
_LAKE = re.compile(rf"\bLake[ \t]+({_CAP})")
_CUE = re.compile(rf"\b({'|'.join(sorted(PLACE_CUES))})[ \t]+({_NAME})")


def _heuristic_places(text: str, found: _Found) -> None:
    known = _place_matcher()
    for m in _BODY.finditer(text):
        _add_local(found, m.group(1), text, m.start(1))
    for m in _PARISH.finditer(text):
        _add_local(found, m.group(1), text, m.start(1))
    for m in _VENUE.finditer(text):
        name, kind = m.group(1), m.group(2).split()[0].lower()
        words = name.split()
        while len(words) > 1 and words[-1].lower() in {
            "village",
            "community",
            "primary",
            "parish",
            "town",
        }:
            kind = "village" if words[-1].lower() == "village" else kind
            words = words[:-1]
        name = " ".join(words)
        if kind == "police" and re.match(r"[ \t]+and[ \t]+Crime", text[m.end() : m.end() + 12]):
            continue  # "Police and Crime Commissioner": an office, not a force
        if kind == "hall" and (len(words) > 1 or words[0].lower() in HALL_STOP):
            continue
        # a force or a settlement of a word or three: "Gwent Police", "Brandon Library"
        if len(words) > 3:
            continue
        _add_local(found, name, text, m.start(1))
    for m in _LAND.finditer(text):
        parts = [p.strip() for p in m.group(2).split(",")]
        if m.group(1) != "at":
            parts = parts[1:]
        for p in parts:
            if not _is_building(p):
                _add_local(found, p, text, m.start(2))
    for m in _SITE.finditer(text):
        _add_local(found, m.group(1), text, m.start(1))
    for m in _LAKE.finditer(text):
        if _plausible(m.group(1)):
            found.add(m.group(0), "area", fuzzy=True)
    for m in _RIVER.finditer(text):
        if _plausible(m.group(1)) and m.group(1) not in FEATURE_TITLES:
            found.add(m.group(0), "area", fuzzy=True)
    for m in _FEATURE.finditer(text):
        name, feature = m.group(1), m.group(2).lower()
        if _is_street(text, m.end()) or feature in WEAK_FEATURES:
            continue
        words = name.split()
        initial = _sentence_initial(text, m.start(1))
        while words and (
            words[0].lower() in STOP_CAPS
            or initial
            and len(words) > 1
            and words[0].lower() not in DIRECTIONS
            and not known.find(words[0])
        ):
            words = words[1:]
        if feature == "park" and not (words and known.find(" ".join(words))):
            continue  # "Washington Park" yes, "Business Park" no
        if words and all(_plausible(w) for w in words):
            found.add(" ".join(words) + " " + m.group(2), "area", fuzzy=True)
    for m in _CUE.finditer(text):
        name = m.group(2)
        words = name.split()
        if _is_street(text, m.end(2)) or _POSTCODE.match(name):
            continue
        if (
            len(words) >= 2
            and words[-1].lower() in FEATURE_WORDS
            and _plausible(" ".join(words[:-1]))
        ):
            found.add(name, "settlement", fuzzy=True)


def _is_building(name: str) -> bool:
    last = name.split()[-1].lower()
    return last in {"cottage", "house", "barn", "farmhouse", "lodge", "court", "flats", "building"}


def _add_local(found: _Found, name: str, text: str, start: int) -> None:
    if found.covered(start):
        return
    name = _clean_name(name)
    words = name.split()
    while words and words[0].lower() in STOP_CAPS:
        words = words[1:]
    name = " ".join(words)
    if not name or not _plausible(name) or _after_title(text, start):
        return
    if _POSTCODE.fullmatch(name):
        return
    found.add(name, "settlement", fuzzy=True)


def find_places(text: str) -> list[Place]:
    """Places a text names: gazetteer places and authorities, then local places by cue.

    Names are as written ("King’s Lynn", "MCC"); an authority abbreviation is kept
    only when the text names a place that authority covers, or defines it.
    """
    found = _Found()
    _gazetteer_places(text, found)
    _heuristic_places(text, found)
    return list(found.items.values())


# --- organisations -------------------------------------------------------------------

_ORG_NAME = re.compile(
    rf"\b((?:{_CAP}[ \t]+(?:(?:of|and|for|the|&)[ \t]+)?){{1,6}}"
    rf"(?:Police(?![ \t]+and[ \t]+Crime)|Constabulary|Council|Trust|Committee|Board|Forum|"
    rf"Partnership|Agency))\b"
)
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z&/]{1,9}?)(?:[’']?s)?\s*\)")


def _initials_match(words: list[str], acronym: str) -> list[str] | None:
    """The trailing words of `words` whose initials spell `acronym` (small words skipped)."""
    letters = [c for c in acronym if c.isalpha()]
    picked: list[str] = []
    i = len(letters) - 1
    for w in reversed(words):
        if i < 0:
            break
        if w.lower() in SMALL:
            picked.append(w)
            continue
        if w[:1].upper() != letters[i].upper():
            return None
        picked.append(w)
        i -= 1
    if i >= 0:
        return None
    while picked and picked[-1].lower() in SMALL:
        picked.pop()
    return list(reversed(picked))


def find_organisations(text: str, places: list[Place] | None = None) -> list[Organisation]:
    """Organisations a text names: gazetteer bodies, defined acronyms, "X Council" names.

    `places` are the text's places when the caller has them already (find_places is the
    costliest step of extraction); council abbreviations are checked against them.
    """
    out: dict[str, Organisation] = {}
    place_ids = {p.id for p in (find_places(text) if places is None else places) if p.id}

    def add(name: str, abbrev: str | None) -> None:
        key = _norm(name)
        if key and key not in out:
            out[key] = Organisation(name=name, abbrev=abbrev)

    for m in matcher(ORGANISATION).find(text):
        e = m.entries[0]
        if m.abbreviation:
            if e.type == "LocalAuthority":
                chosen = _accept_abbrev(text, m, place_ids)
                if chosen is None:
                    continue
                e = chosen
            add(e.label, m.surface)
        else:
            if e.type == "PoliceForce" and not re.search(r"Police|Constabulary|Heddlu", m.label):
                continue  # "Wiltshire" names the county; the force is "Wiltshire Police"
            abbrevs = [a for a in e.alt_labels if is_abbreviation(a)]
            add(e.label, abbrevs[0] if abbrevs else None)
    for am in _ACRONYM.finditer(text):
        acronym = am.group(1)
        before = re.findall(r"[\w’'&\-]+", text[max(0, am.start() - 120) : am.start()])
        words = _initials_match(before[-12:], acronym)
        if not words or not words[0][:1].isupper():
            continue
        if words[-1].lower() not in ORG_WORDS or any(w.lower() in ROLE_WORDS for w in words):
            continue
        add(" ".join(words), acronym)
    for om in _ORG_NAME.finditer(text):
        words = om.group(1).split()
        # "Thames Valley Police and Avon and Somerset Constabulary" holds two names
        ends = [k for k, w in enumerate(words[:-1]) if w.lower() in ORG_WORDS]
        if ends:
            words = [w for w in words[ends[-1] + 1 :]]
            while words and words[0].lower() in SMALL:
                words = words[1:]
        while words and (words[0].lower() in STOP_CAPS or words[0].lower() in TITLES):
            if (
                len(words) <= 2
                and words[-1].lower() in ORG_WORDS
                and words[0].lower()
                in {"parish", "town", "county", "borough", "district", "city", "community"}
            ):
                break
            words = words[1:]
        if len(words) < 2 or (len(words) == 2 and words[0].lower() in STOP_CAPS):
            continue
        add(" ".join(words), None)
    return list(out.values())


# --- topics -------------------------------------------------------------------------------


def find_topics(text: str) -> list[str]:
    """Topic prefLabels of the thesaurus that the text mentions, in order of first mention."""
    seen: dict[str, None] = {}
    for m in matcher(TOPIC).find(text):
        for e in m.entries:
            seen.setdefault(e.label, None)
    return list(seen)


def topics_for(title: str) -> list[str]:
    """Topics of an agenda item from its title ("Crime Volumes – Domestic Abuse")."""
    return find_topics(title)
