"""Actions and undertakings in minutes: what is to be done, by whom, for whom, by when.

`find_actions` reads the paragraphs of one document and returns `Action`s.

Two kinds (models.EXPLICIT / models.COMMITMENT):

- explicit: written as an action: "ACTION: ...", "Clerk to chase him.", a row of an
  action table, "X asked that ...", "X requests ...", "REFERRED TO ...".
- commitment: an undertaking read from a statement: "X will ...", "X agreed /
  undertook / offered / volunteered to ...", "X aims to ...", "X is in the process
  of ...", "X was advised to ...", "X confirmed that Y would ...", "There will be
  attempts to ...", "... will be reported on to the T/CC", "X is to be provided with
  ... from Y".

Not actions (the gold conventions): formal decisions (RESOLVED, approved, noted,
agreed to pay), proposals and votes, ongoing-status remarks ("is being addressed"),
appeals to the public, and statements about the future of the world with no agent
("performance will improve"). A "will" statement counts only when its subject is an
agent: a known person, a pronoun for one, a role or body ("the Clerk", "Councillors
on the ... Committee"), an acronym or a capitalised name.

`text` is the shortest verbatim span that carries the commitment (a sentence, or the
clause from its subject on); `span` is absolute (paragraph.start + local offsets). An
action written twice (a "Summary of Actions Arising") is reported once, at its first
occurrence, with fields it lacked taken from the repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher

from ingest.dates import find_dates, parse_due
from ingest.models import COMMITMENT, EXPLICIT, Action, Paragraph
from ingest.people import TITLES, Mention, People, strip_titles

__all__ = ["find_actions", "split_sentences", "dedupe_actions", "AGENT_NOUNS"]

# --- sentences -----------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "cllr",
    "cllrs",
    "st",
    "no",
    "nos",
    "ch",
    "chq",
    "eg",
    "e.g",
    "ie",
    "i.e",
    "vs",
    "v",
    "approx",
    "dept",
    "co",
    "rev",
    "revd",
    "prof",
    "insp",
    "supt",
    "sgt",
    "ref",
    "tel",
    "inc",
    "cf",
    "nb",
    "n.b",
    "a/c",
    "p",
    "pp",
    "para",
    "cl",
    "fig",
    "vol",
    "est",
    "min",
    "max",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, trimmed of surrounding whitespace.

    Copes with abbreviations ("Cllr.", "Mr.", "e.g.", "no."), initials ("R. Reed"),
    decimals ("7.00pm", "£7,124.25"), item numbers ("2659. Police Report") and a
    missing space after a full stop ("(Ben Frost).With a focus").
    """
    cuts: list[int] = []
    n = len(text)
    start = 0
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            # a wrapped line goes on in lower case; anything else starts afresh
            k = i + 1
            while k < n and text[k] in " \t":
                k += 1
            if not (k < n and text[k].islower()):
                cuts.append(i)
                start = i + 1
        elif ch in ".!?":
            j = i + 1
            while j < n and text[j] in ".!?\"'”’)]":
                j += 1
            if j >= n:
                break
            word_m = re.search(r"([\w./&]+)$", text[start:i])
            word = word_m.group(1).lower() if word_m else ""
            if text[j].isspace():
                k = j
                while k < n and text[k].isspace() and text[k] != "\n":
                    k += 1
                nxt = text[k] if k < n else ""
                is_abbrev = ch == "." and (
                    word in _ABBREVIATIONS
                    or re.fullmatch(r"[a-z]", word) is not None
                    and text[i - 1].isupper()
                    or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word) is not None
                )
                # "2659. Police Report": an item number opening the sentence
                item_number = ch == "." and re.fullmatch(r"\s*[\d.]+", text[start:i]) is not None
                if nxt and not nxt.islower() and not is_abbrev and not item_number:
                    cuts.append(j)
                    start = j
            elif (
                ch == "."
                and text[j].isupper()
                and j + 1 < n
                and text[j + 1].islower()
                and (text[i - 1].islower() or text[i - 1] == ")")
                and word not in _ABBREVIATIONS
            ):
                cuts.append(j)  # ".With": a full stop with no space after it
                start = j
            i = j
            continue
        i += 1
    spans = []
    prev = 0
    for c in [*cuts, n]:
        seg = text[prev:c]
        s = prev + len(seg) - len(seg.lstrip())
        e = prev + len(seg.rstrip())
        if e > s:
            spans.append((s, e))
        prev = c
    return spans


# --- agents --------------------------------------------------------------------------

AGENT_NOUNS = {
    "clerk",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "vice-chair",
    "councillor",
    "councillors",
    "cllr",
    "cllrs",
    "council",
    "committee",
    "sub-committee",
    "trust",
    "team",
    "officer",
    "officers",
    "member",
    "members",
    "someone",
    "somebody",
    "panel",
    "board",
    "group",
    "force",
    "police",
    "constabulary",
    "authority",
    "department",
    "directorate",
    "partnership",
    "forum",
    "secretary",
    "treasurer",
    "mayor",
    "commissioner",
    "commissioners",
    "manager",
    "director",
    "head",
    "lead",
    "staff",
    "rangers",
    "representative",
    "representatives",
    "bureau",
    "office",
    "unit",
    "executive",
    "administrator",
    "governors",
    "trustees",
    "volunteers",
    "contractor",
    "contractors",
    "superintendent",
    "inspector",
    "sergeant",
    "constable",
    "chief",
    "deputy",
    "working",
    "party",
    "association",
    "society",
    "club",
    "company",
    "agency",
    "service",
    "services",
    "highways",
    "surveyor",
    "warden",
    "wardens",
}
"""Lower-case nouns that make a noun phrase an agent: a role, an office or a body."""

_PRONOUNS = {"he", "she"}
_PREPOSITIONS = {"of", "from", "on", "at", "for", "in", "with", "within"}
_AUX = {
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "be",
    "been",
    "to",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "not",
    "that",
    "which",
    "who",
    "if",
}
_HEAD_FILLERS = {"the", "and", "&", "both", "all", "two", "three"}
_TITLE_WORDS = {w.lower() for t in TITLES for w in t.split()}
_IMPERATIVES = {
    "ask",
    "inform",
    "contact",
    "write",
    "tell",
    "send",
    "check",
    "chase",
    "request",
    "email",
    "invite",
    "arrange",
    "remind",
    "reply",
    "respond",
    "obtain",
    "please",
    "can",
    "could",
}
"""Verbs that open an instruction ("Ask County Cllr Irwin to ..."): never part of a subject."""
_NOT_SUBJECTS = {
    "due",
    "prior",
    "according",
    "further",
    "nothing",
    "welcome",
    "thanks",
    "subject",
    "in",
    "it",
    "this",
    "there",
    "what",
    "which",
    "who",
    "we",
    "i",
    "you",
    "they",
}


def _is_cap(word: str) -> bool:
    w = word.strip("()‘’'\"")
    return bool(w) and (w[0].isupper() or "/" in w)


def _is_acronym(word: str) -> bool:
    w = word.strip("()‘’'\".,").replace("/", "").replace("&", "")
    return len(w) >= 2 and sum(c.isupper() for c in w) >= 2 and w.replace("’s", "").isalpha()


def agent_kind(np: str, people: People) -> str | None:
    """ "person", "pronoun", "body" or "name" when `np` can be the agent of an action, else None."""
    words = np.split()
    if not words or len(words) > 10:
        return None
    if re.search(r"[,;:!?\"“”–—]|\s-\s", np):
        return None
    lows = [w.lower().strip("()‘’'\".") for w in words]
    if len(words) == 1 and lows[0] in _PRONOUNS:
        return "pronoun"
    if any(w in _AUX for w in lows):
        return None
    cut = next((k for k, w in enumerate(lows) if k > 0 and w in _PREPOSITIONS), len(words))
    head, head_low, tail = words[:cut], lows[:cut], words[cut:]
    if len(tail) > 6:
        return None
    if head_low[0] in _IMPERATIVES or head_low[0] in _NOT_SUBJECTS:
        return None
    for w, lw in zip(head, head_low, strict=True):
        if not (_is_cap(w) or lw in _HEAD_FILLERS or lw in AGENT_NOUNS):
            return None
    mentions = people.mentions(np)
    if mentions:
        # every word of the head that no mention covers must be a role, a title or a joiner
        head_text = " ".join(head)
        rest = list(head_text)
        for m in mentions:
            for k in range(m.start, min(m.end, len(rest))):
                rest[k] = " "
        for w in re.split(r"[\s/]+", "".join(rest)):
            lw = w.lower().strip("().,")
            if lw and not (lw in _HEAD_FILLERS or lw in AGENT_NOUNS or lw in _TITLE_WORDS):
                return None
        return "person"
    caps = [w for w, lw in zip(head, head_low, strict=True) if _is_cap(w) and lw != "the"]
    if any(lw in AGENT_NOUNS for lw in head_low) or any(_is_acronym(w) for w in head):
        return "body"
    if len(caps) >= 2:
        return "name"  # "Cal Gale", "West Mercia Police", but also "Easter Egg Trail"
    return None


# --- what one match yields ------------------------------------------------------------


@dataclass
class _Hit:
    start: int  # local to the paragraph
    end: int
    kind: str
    owner: str | None = None
    owner_name: str | None = None
    for_: str | None = None
    for_name: str | None = None
    due: str | None = None
    ref: str | None = None
    verb: str | None = None


_BOUNDARY_RE = re.compile(
    r"(?:[:;,]|\s[–—-]|\(\w\))\s+"
    r"|\s(?:and|but|so|as|because|since|while|whereas|that|then|therefore|also)\s+"
)
_STRONG_BOUNDARY_RE = re.compile(r"(?:[:;]|\s[–—-])\s+")
_LEADING_WORDS = re.compile(r"^(?:(?:also|then|now|so|and|but|however|therefore),?\s+)+", re.I)


def _boundaries(sentence: str, strong: bool = False) -> list[int]:
    rx = _STRONG_BOUNDARY_RE if strong else _BOUNDARY_RE
    return [0] + [m.end() for m in rx.finditer(sentence)]


def _subject_before(
    sentence: str, pos: int, people: People, strong: bool = False
) -> tuple[int, str, str] | None:
    """The longest agent noun phrase ending at `pos` and starting at a clause boundary.

    Returns (start in sentence, phrase, kind) or None.
    """
    for b in _boundaries(sentence, strong):
        if b >= pos:
            break
        seg = sentence[b:pos]
        lead = _LEADING_WORDS.match(seg)
        off = lead.end() if lead else 0
        np = seg[off:].strip()
        if not np:
            continue
        kind = agent_kind(np, people)
        if kind:
            return b + off + (len(seg[off:]) - len(seg[off:].lstrip())), np, kind
    return None


# --- the patterns ----------------------------------------------------------------------

_FORMAL_VERBS = {
    "pay",
    "approve",
    "accept",
    "note",
    "adopt",
    "defer",
    "receive",
    "ratify",
    "endorse",
    "support",
    "recommend",
    "agree",
    "disagree",
}
_MONEY_VERBS = {
    "give",
    "set",
    "donate",
    "grant",
    "contribute",
    "allocate",
    "fund",
    "award",
    "spend",
    "pay",
    "make",
}
_WILL_RE = re.compile(
    r"\b(?:will|shall)\s+(?P<adv>(?:now|also|then|further|personally|shortly|again|kindly|"
    r"continue\s+to|endeavour\s+to|try\s+to|seek\s+to)\s+)*(?P<v>[a-z][a-z-]*)\b(?P<rest>[^.;]*)"
)
_TRANSFER = (
    r"(?:sent|reported(?:\s+(?:on|back))?|provided|circulated|forwarded|given|passed(?:\s+on)?|"
    r"e-?mailed|shared|presented|submitted|brought(?:\s+back)?|fed\s+back|returned|copied)"
)
_PASSIVE_TRANSFER_RE = re.compile(
    r"\b(?:will|shall|is\s+to|are\s+to)\s+be\s+" + _TRANSFER + r"\s+(?:to|with)\s+(?P<for>[^.;,]+)"
)
_UNDERTAKE_RE = re.compile(
    r"\b(?:(?:has|have|also|kindly|then|duly)\s+)*(?P<v>agreed|agrees|undertook|undertakes|"
    r"offered|offers|volunteered|volunteers|promised|promises|pledged|pledges|committed|commits)"
    r"\s+to\s+(?P<what>[a-z][a-z-]*)"
)
_AIM_RE = re.compile(
    r"\b(?P<v>aims|aim|intends|intend|plans|plan|is\s+planning|are\s+planning|"
    r"will\s+aim|is\s+aiming|are\s+aiming)\s+to\s+[a-z]"
)
_PROCESS_RE = re.compile(
    r"\b(?:is|are)\s+(?:now\s+|currently\s+|still\s+)?in\s+(?:the\s+)?process\s+of\s+[a-z]+ing\b"
)
_ADVISED_RE = re.compile(
    r"\b(?:was|were|has\s+been|have\s+been|is|are|be)\s+(?P<v>advised|asked|requested|instructed|"
    r"tasked|directed|delegated|authorised|authorized|encouraged)\s+to\s+(?P<what>[a-z]+)"
)
_TO_DO_RE = re.compile(r"\s+to\s+(?P<v>[a-z][a-z-]+)\b")
_NOT_VERBS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "date",
    "all",
    "any",
    "each",
    "every",
    "be",
    "and",
    "or",
    "no",
}
_ASKED_THAT_RE = re.compile(r"\b(?:asked|requested|requests|request|asks)\s+that\s+")
_REQUESTS_RE = re.compile(r"\b(?:requests|requested)\s+(?:a|an|the|further|sight|copies|that)\b")
_TO_BE_PROVIDED_RE = re.compile(
    r"\b(?:is|are)\s+to\s+be\s+(?:provided|supplied|given|sent|updated|briefed|furnished|shown)"
    r"\b(?P<rest>[^.;]*)"
)
_THERE_WILL_RE = re.compile(
    r"\b[Tt]here\s+(?:will|shall)\s+be\s+(?:further\s+|more\s+|some\s+)?(?:an?\s+)?"
    r"(?:attempts?|efforts?|work|review|steps|plans?|consideration|exercise|analysis)"
    r"\s+to\s+[a-z]"
)
_THING_WILL_BE_RE = re.compile(
    r"^(?P<subj>(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hese|[Aa]ll|[Ff]urther|[Aa]ny)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:document|report|paper|plan|update|information|details|figures|data|minutes|results|"
    r"summary|briefing|proposal|proposals|strategy|policy|guidance|letter|note|analysis|review|"
    r"breakdown|copy|copies|survey|leaflet|newsletter|handover|response|draft))\s+"
    r"(?:will|shall|is\s+to|are\s+to)\s+be\s+"
    + _TRANSFER.replace(
        "(?:sent",
        "(?:sent|produced|"
        r"prepared|drafted|published|written|updated|completed|arranged|made\s+available|issued|"
        r"distributed|brought\s+to",
    )
    + r"\b"
)
"""A document promised with no agent named: "A handover document will be provided ..."."""
_CONFIRMED_WOULD_RE = re.compile(
    r"\b(?:confirmed|agreed|said|stated|indicated|reported|advised|explained)\s+(?:that\s+)?"
)
_AGREED_THAT_RE = re.compile(
    r"\b(?:it\s+was\s+|it\s+is\s+|members\s+)?(?:agreed|resolved|decided)\s+that\s+", re.I
)
"""A decision that gives someone work: "It was agreed that the Chair would write to ..."."""
_MODAL_RE = re.compile(
    r"\s(?:would|should|will|shall|is\s+to|are\s+to|to|be)\s+(?P<passive>be\s+)?(?P<v>[a-z]+)\b"
)
_THAT_X_DO_RE = re.compile(
    r"^\s*(?:\(?[0-9ivx]{1,4}[.)]\s*)?(?:RESOLVED:?\s*|AGREED:?\s*)?(?P<that>[Tt]hat)\s+(?P<np>.+?)\s+"
    r"(?P<v>report|reports|provide|write|circulate|arrange|investigate|prepare|bring|consult|review|"
    r"contact|liaise|ensure|update|present|seek|draft|develop|publish|respond|monitor|commission|"
    r"explore|obtain|produce|undertake|submit|share|meet|organise|organize|identify|work)\b"
)
"""A resolution that gives someone work, in the subjunctive: "(2) That the Head of Service
report back on ... by 31 March"."""
_NOUN_END = re.compile(r"(?:ment|tion|ance|ence)$")
"""'agreed to payment / acceptance': a noun after 'to' is a decision, not a task."""
_WOULD_RE = re.compile(r"\b(?:would|will)\s+(?P<v>[a-z][a-z-]*)\b")
_IN_HAND_RE = re.compile(
    r"\bconfirmed\s+(?:that\s+)?(?:it|this|the\s+matter)\s+(?:was|is)\s+(?:now\s+)?in\s+hand\b"
)
_WOULD_LIKE_RE = re.compile(
    r"\bI(?:\s+would|'d|’d)\s+like\s+(?:to\s+(?:get|see|receive|have|request|ask\s+for)\b|"
    r"(?:the|a|an|copies|more|some|staff|you|them)\b(?=[^.]*\bto\s+be\b|\s))"
)
_REFERRED_RE = re.compile(r"\bREFERRED\s+TO(?:\s+[A-Z][A-Z&,'’-]*\b(?![a-z]))+")
_ACTION_LINE_RE = re.compile(
    r"^\s*(?:[-*•]\s*)?(?P<kw>ACTIONS?|Actions?)\b\s*(?:no\.?\s*)?"
    r"(?P<ref>[A-Z]{0,3}\d+(?:[./]\d+)*)?\s*[:\-–]\s*"
    r"(?:(?P<ref2>[A-Z]{0,3}\d+(?:[./]\d+)*)\b\s*[-–:.]?\s*)?(?P<body>.*?)\s*$",
    re.S,
)
_ACTION_TAIL_RE = re.compile(
    r"(?:^|\s)(?:ACTIONS?|Actions?)\s*[:\-–]\s*(?P<who>[^.:;]{1,60}?)\.?\s*$"
)

_FOR_AFTER_VERB = re.compile(
    r"\b(?:inform|informs|contact|contacts|chase|ask|asks|e-?mail|notify|tell|update|approach|"
    r"phone|ring|lobby|invite|remind|brief|advise|write\s+to|writing\s+to|speak\s+to|talk\s+to|"
    r"respond\s+to|reply\s+to|liaise\s+with|report\s+(?:back\s+)?to|feed\s+back\s+to|"
    r"shared\s+with|share\s+(?:it\s+|this\s+)?with|sent\s+to|send\s+(?:it\s+|this\s+)?to|"
    r"reported(?:\s+on|\s+back)?\s+to|provided\s+to|circulated\s+to|forward(?:ed)?\s+to|"
    r"given\s+to|passed\s+(?:on\s+)?to|presented\s+to|"
    r"raised?\s+(?:(?:this|it|the\s+(?:matter|issue))\s+)?with|"
    r"(?:pass|send|report|forward|give)\s+(?:this|it|them|these)\s+(?:on\s+)?to)\s+(?P<np>.+)"
)
_FROM_NP = re.compile(r"(?:the\s+)?([^()]+?(?:\s*\([^)]*\))?)\s*(?:[.,;]|$)")
_FROM_RE = re.compile(r"\b(?:from|by)\s+(?P<np>.+)")
_NP_RE = re.compile(
    r"(?:the\s+)?(?:(?:Mr|Mrs|Ms|Dr|Cllr|Cllrs)\.?\s+)?[A-Z][\w’'/&-]*(?:\.[\w’'/&-]+)*"
    r"(?:\s+[A-Z][\w’'/&-]*(?:\.[\w’'/&-]+)*|\s+(?:&|and|of|for|the)(?=\s+[A-Z]))*"
    r"(?:\s*\([A-Z][^)]*\))?"
    r"(?:,\s+[A-Z]{2,6}\b(?=\s+to\b|[.,;)]|\s*$))?"
    r"(?:\s+(?:rangers|officers|team|staff|committee|council|department|members))?"
)
_DUE_RE = re.compile(
    r"\b(?:by|before|at|for|to|until|till|no\s+later\s+than|in\s+time\s+for|prior\s+to|ahead\s+of|"
    r"within|on)\s+(?P<due>(?:the\s+)?(?:"
    r"next\s+(?:[A-Za-z]+\s+){0,2}meeting|"
    r"(?:end|close|start|beginning)\s+of\s+(?:the\s+)?(?:financial\s+year|year|month|week|term|"
    r"quarter(?:\s+(?:one|two|three|four|[1-4]))?|q[1-4]|[A-Z][a-z]+(?:\s+\d{4})?|"
    r"\d{4}(?:/\d{2,4})?)|"
    r"(?:first|second|third|fourth|final|last)\s+quarter|quarter\s+(?:one|two|three|four|[1-4])|"
    r"next\s+(?:week|month|year)|"
    r"\d+\s+(?:days|weeks|months)"
    r"))\b",
    re.I,
)


class _Doc:
    """What the patterns need about the document: people and the paragraphs so far."""

    def __init__(self, people: People, meeting_date: date | None) -> None:
        self.people = people
        self.meeting_date = meeting_date
        self.prev_text: str | None = None

    def display(self, written: str) -> tuple[str, str | None]:
        written = re.sub(r"^(?:the|The)\s+", "", written.strip()).strip()
        shown, full = self.people.display(written)
        if full is not None:
            # "Clerk (the Clerk)": the attendee's name is the role itself
            bare = re.sub(r"^the\s+", "", full, flags=re.I)
            if bare.lower() == strip_titles(written).lower():
                return written, full
            return shown, full
        return written, None

    def antecedent(self, text: str, pos: int) -> Mention | None:
        """The most recent resolved person mention before `pos`, then in the previous paragraph."""
        before = [m for m in self.people.mentions(text[:pos]) if m.person is not None]
        if before:
            return before[-1]
        if self.prev_text:
            prev = [m for m in self.people.mentions(self.prev_text) if m.person is not None]
            if prev:
                return prev[-1]
        return None

    def owner_of(self, np: str, kind: str, text: str, pos: int) -> tuple[str | None, str | None]:
        if kind == "pronoun":
            ante = self.antecedent(text, pos)
            return self.display(ante.text) if ante else (None, None)
        return self.display(np)

    def agent_np(self, fragment: str) -> str | None:
        """The agent noun phrase that opens `fragment` ("Westcotec.", "Gus Hart, MCC to")."""
        m = _NP_RE.match(fragment.strip())
        if not m:
            return None
        np = m.group(0).strip().rstrip(".,")
        if np.lower().startswith("the "):
            np = np[4:]
        if not np or np.lower() in {"i", "it", "this", "that", "they", "we"}:
            return None
        words = np.split()
        if (
            len(words) == 1
            and not (_is_acronym(np) or self.people.mentions(np))
            and (fragment.strip()[: len(np)] != np or np.lower() in {"he", "she"})
        ):
            return None
        return np


def _due_in(text: str, doc: _Doc) -> str | None:
    m = _DUE_RE.search(text)
    if m:
        return parse_due(m.group("due"), doc.meeting_date)
    for s, _e, d in find_dates(text):
        if re.search(r"\b(?:by|before|until|no\s+later\s+than|on|due)\s+(?:the\s+)?$", text[:s]):
            return d.isoformat()
    return None


def _for_in(text: str, doc: _Doc) -> tuple[str | None, str | None]:
    for m in _FOR_AFTER_VERB.finditer(text):
        np = doc.agent_np(m.group("np"))
        if np and not re.match(r"next\b", np, re.I):
            return doc.display(np)
    req = re.search(r"\brequest\b[^.]*?\bfrom\s+(?P<np>.+)", text)
    if req:
        np = doc.agent_np(req.group("np"))
        if np:
            return doc.display(np)
    return None, None


def _sentence_hits(sentence: str, base: int, para: str, doc: _Doc) -> list[_Hit]:
    """Every action pattern in one sentence (offsets local to the paragraph)."""
    people = doc.people
    hits: list[_Hit] = []
    end = base + len(sentence)

    def add(start: int, kind: str, **kw: str | None) -> None:
        hits.append(_Hit(start=base + start, end=end, kind=kind, **kw))  # type: ignore[arg-type]

    def owner(np: str, kind: str, at: int) -> tuple[str | None, str | None]:
        return doc.owner_of(np, kind, para, base + at)

    m: re.Match[str] | None

    # "ACTION: Clerk" closing a sentence: the action is the sentence, the owner the tail
    # (handled by the paragraph loop), so nothing here.

    # REFERRED TO COMMISSIONER OF ... (a disposition)
    for m in _REFERRED_RE.finditer(sentence):
        who = re.sub(r"^REFERRED\s+TO\s+", "", m.group(0)).strip(" ,")
        stop = base + m.start() + len(m.group(0).rstrip(" ,"))
        hits.append(_Hit(base + m.start(), stop, EXPLICIT, owner=who))

    # I would like ... (a request made in a transcript)
    m = _WOULD_LIKE_RE.search(sentence)
    if m:
        speaker = re.findall(r"(?:^|\s)([A-Z][\w'-]+):\s", para[: base + m.start()])
        f, fn = doc.display(speaker[-1]) if speaker else (None, None)
        add(m.start(), EXPLICIT, for_=f, for_name=fn)

    # X is to be provided with ... from Y
    m = _TO_BE_PROVIDED_RE.search(sentence)
    if m:
        subj = _subject_before(sentence, m.start(), people)
        if subj:
            f, fn = owner(subj[1], subj[2], subj[0])
            fm = _FROM_RE.search(m.group("rest"))
            o = on = None
            if fm:
                giver = _FROM_NP.match(fm.group("np"))
                if giver:
                    o, on = doc.display(giver.group(1))
            add(subj[0], COMMITMENT, owner=o, owner_name=on, for_=f, for_name=fn)

    # There will be attempts to ...
    m = _THERE_WILL_RE.search(sentence)
    if m:
        start = max(b for b in _boundaries(sentence) if b <= m.start())
        add(start if start == m.start() else m.start(), COMMITMENT)

    # A handover document will be provided / This report will be presented to ...
    m = _THING_WILL_BE_RE.search(sentence.lstrip("•·-– \t"))
    if m and not hits:
        lead = len(sentence) - len(sentence.lstrip("•·-– \t"))
        add(lead + m.start(), COMMITMENT)
        return hits

    # ... will be reported on to the T/CC / Further information will be sent to the Clerk
    m = _PASSIVE_TRANSFER_RE.search(sentence)
    if m:
        np = doc.agent_np(m.group("for"))
        if np and agent_kind(np, people):
            f, fn = doc.display(np)
            start = max(b for b in _boundaries(sentence, strong=True) if b <= m.start())
            by = re.search(r"\bby\s+(.+)", m.group("for"))
            o, on = doc.display(by.group(1)) if by else (None, None)
            add(start, COMMITMENT, owner=o, owner_name=on, for_=f, for_name=fn)

    # X confirmed (that) it was in hand
    m = _IN_HAND_RE.search(sentence)
    if m:
        subj = _subject_before(sentence, m.start(), people)
        if subj:
            o, on = owner(subj[1], subj[2], subj[0])
            add(subj[0], COMMITMENT, owner=o, owner_name=on)

    # X confirmed that Y would ...
    for m in _CONFIRMED_WOULD_RE.finditer(sentence):
        w = _WOULD_RE.search(sentence, m.end())
        if not w or w.group("v") in (
            "be",
            "have",
            "not",
            "need",
            "like",
            "prefer",
            "welcome",
            "appreciate",
            "love",
        ):
            continue
        inner = _subject_before(sentence[m.end() :], w.start() - m.end(), people)
        outer = _subject_before(sentence, m.start(), people)
        if inner and outer and inner[0] == 0 and inner[2] != "pronoun":
            o, on = owner(inner[1], inner[2], m.end())
            add(outer[0], COMMITMENT, owner=o, owner_name=on, verb=w.group("v"))
            break

    # X will ... / X will take responsibility / X will be responsible for ...
    for m in _WILL_RE.finditer(sentence):
        v, rest = m.group("v"), m.group("rest")
        if v in ("not", "have", "need", "hopefully") or v.endswith("ly"):
            continue
        if v == "be" and not re.match(r"\s+responsible\b", rest):
            continue
        subj = _subject_before(sentence, m.start(), people)
        if not subj:
            continue
        o, on = owner(subj[1], subj[2], subj[0])
        add(subj[0], COMMITMENT, owner=o, owner_name=on, verb=v + rest)

    # It was agreed / RESOLVED / decided that X would / should / be asked to ...
    m = _AGREED_THAT_RE.search(sentence)
    if m:
        rest = sentence[m.end() :]
        modal = _MODAL_RE.search(rest)
        v = modal.group("v") if modal else ""
        # "be approved", "be noted": a formal decision, not work for anyone
        formal = bool({v, v[:-1], v[:-2], v[:-3] + "y"} & (_FORMAL_VERBS | {"sign", "pass"}))
        if modal and not formal:
            np = rest[: modal.start()].strip()
            kind_of = agent_kind(np, people) if np else None
            o = on = None
            if kind_of and kind_of != "pronoun" and not modal.group("passive"):
                o, on = owner(np, kind_of, m.end())
            add(m.start(), EXPLICIT, owner=o, owner_name=on)

    # (2) That the Head of Community Safety report back on ...
    m = _THAT_X_DO_RE.match(sentence)
    if m and not hits:
        np = m.group("np")
        kind_of = agent_kind(np, people)
        if kind_of and kind_of != "pronoun":
            o, on = owner(np, kind_of, m.start("np"))
            add(m.start("that"), EXPLICIT, owner=o, owner_name=on)

    # X agreed / undertook / offered / volunteered to ...
    for m in _UNDERTAKE_RE.finditer(sentence):
        what = m.group("what")
        if what in _FORMAL_VERBS or what in _NOT_VERBS or _NOUN_END.search(what):
            continue
        if what in _MONEY_VERBS and re.match(
            r"(?:\s+\S+){0,4}?\s+(?:[£$€]|&pound;|(?:this|the)\s+"
            r"(?:amount|sum|donation|grant))",
            sentence[m.end() :],
        ):
            continue  # "agreed to give £50": a spending decision
        subj = _subject_before(sentence, m.start(), people)
        if not subj:
            continue
        o, on = owner(subj[1], subj[2], subj[0])
        add(subj[0], COMMITMENT, owner=o, owner_name=on)

    # X aims to ... / X is in the process of ...
    for rx in (_AIM_RE, _PROCESS_RE):
        for m in rx.finditer(sentence):
            subj = _subject_before(sentence, m.start(), people)
            if subj:
                o, on = owner(subj[1], subj[2], subj[0])
                add(subj[0], COMMITMENT, owner=o, owner_name=on)

    # X was advised / asked to ...
    for m in _ADVISED_RE.finditer(sentence):
        subj = _subject_before(sentence, m.start(), people)
        if subj:
            o, on = owner(subj[1], subj[2], subj[0])
            kind = COMMITMENT if m.group("v") == "advised" else EXPLICIT
            add(subj[0], kind, owner=o, owner_name=on)

    # X asked that Y ... / X requests ...
    for rx in (_ASKED_THAT_RE, _REQUESTS_RE):
        for m in rx.finditer(sentence):
            subj = _subject_before(sentence, m.start(), people)
            if not subj or subj[2] == "pronoun":
                continue
            f, fn = owner(subj[1], subj[2], subj[0])
            after = sentence[m.end() :]
            o = on = None
            asked = re.match(r"(?P<np>.+?)\s+(?P<be>be\s+)?[a-z]+", after)
            if asked and not asked.group("be") and rx is _ASKED_THAT_RE:
                k = agent_kind(asked.group("np"), people)
                if k and k != "pronoun":
                    o, on = doc.display(asked.group("np"))
            fm = _FROM_RE.search(after)
            if o is None and fm and rx is _REQUESTS_RE:
                from_np = doc.agent_np(fm.group("np"))
                if from_np:
                    o, on = doc.display(from_np)
            add(subj[0], EXPLICIT, owner=o, owner_name=on, for_=f, for_name=fn)

    # Clerk to chase him. (an infinitive after a subject opening the sentence or clause)
    for m in _TO_DO_RE.finditer(sentence):
        if m.group("v") in _NOT_VERBS:
            continue
        subj = _subject_before(sentence, m.start(), people, strong=True)
        if not subj or subj[2] == "pronoun":
            continue
        if subj[2] == "name" and len(strip_titles(subj[1]).split()) > 2:
            continue  # a capitalised phrase opening a line is more often a title than a body
        o, on = owner(subj[1], subj[2], subj[0])
        add(subj[0], EXPLICIT, owner=o, owner_name=on, verb=m.group("v"))
        break

    return hits


def _finish(hit: _Hit, para: Paragraph, doc: _Doc, sentence_prev: str | None) -> Action:
    text = para.text[hit.start : hit.end]
    due = hit.due or _due_in(text, doc)
    f, fn = hit.for_, hit.for_name
    if f is None:
        f, fn = _for_in(text, doc)
    if f is None and hit.verb and re.match(r"(?:respond|reply)\b", hit.verb) and sentence_prev:
        # "Email from Mrs X regarding ... Clerk to respond."
        m = re.search(r"\bfrom\s+(?P<np>.+)", sentence_prev)
        np = doc.agent_np(m.group("np")) if m else None
        if np:
            f, fn = doc.display(np)
    return Action(
        text=text,
        owner=hit.owner,
        for_=f,
        due=due,
        kind=hit.kind,
        ref=hit.ref,
        item=para.item,
        span=(para.start + hit.start, para.start + hit.end),
        owner_name=hit.owner_name,
        for_name=fn,
    )


def _cells(text: str) -> list[tuple[int, int]]:
    """Cell spans of a table row written with | or tabs (empty list if not a row)."""
    if "|" in text:
        sep = "|"
    elif "\t" in text:
        sep = "\t"
    else:
        return []
    out, pos = [], 0
    for part in text.split(sep):
        s = pos + len(part) - len(part.lstrip())
        e = pos + len(part.rstrip())
        out.append((s, e))
        pos += len(part) + 1
    if sep == "|":
        if out and out[0][0] == out[0][1]:
            out = out[1:]
        if out and out[-1][0] == out[-1][1]:
            out = out[:-1]
    return out if len(out) >= 2 else []


_HEADER_COLS = {
    "action": re.compile(r"^(?:agreed\s+)?actions?\b|^description|^task", re.I),
    "owner": re.compile(
        r"^(?:owner|who|by\s+whom|responsib|lead|person|action\s+by|officer)", re.I
    ),
    "due": re.compile(r"^(?:due|by\s+when|deadline|target|when|timescale|date)", re.I),
    "ref": re.compile(r"^(?:no\.?|ref|#|item|number|minute)$", re.I),
}


def _table_header(para: Paragraph) -> dict[str, int] | None:
    cells = _cells(para.text)
    cols: dict[str, int] = {}
    for i, (s, e) in enumerate(cells):
        cell = para.text[s:e].strip("*_ ")
        for name, rx in _HEADER_COLS.items():
            if name not in cols and rx.search(cell):
                cols[name] = i
                break
    if "action" in cols and ("owner" in cols or "due" in cols):
        return cols
    return None


def _table_row(para: Paragraph, cols: dict[str, int], doc: _Doc) -> Action | None:
    cells = _cells(para.text)
    if not cells or len(cells) <= cols["action"]:
        return None
    s, e = cells[cols["action"]]
    if e <= s:
        return None

    def cell(name: str) -> str | None:
        i = cols.get(name)
        if i is None or i >= len(cells):
            return None
        value = para.text[cells[i][0] : cells[i][1]].strip()
        return value or None

    who = cell("owner")
    o, on = doc.display(who) if who else (None, None)
    due_text = cell("due")
    text = para.text[s:e]
    f, fn = _for_in(text, doc)
    return Action(
        text=text,
        owner=o,
        owner_name=on,
        for_=f,
        for_name=fn,
        due=parse_due(due_text, doc.meeting_date) if due_text else _due_in(text, doc),
        kind=EXPLICIT,
        ref=cell("ref"),
        item=para.item,
        span=(para.start + s, para.start + e),
    )


def _action_line(para: Paragraph, doc: _Doc) -> Action | None | bool:
    """An "ACTION: ..." paragraph: the Action, False for a bare "ACTION: 02", None if not one."""
    m = _ACTION_LINE_RE.match(para.text)
    if not m:
        return None
    body = m.group("body")
    ref = m.group("ref") or m.group("ref2")
    if not re.search(r"[A-Za-z]{2}", body):
        return False
    bstart = m.start("body")
    sentences = split_sentences(body)
    first = body[sentences[0][0] : sentences[0][1]] if sentences else body
    hits = _sentence_hits(first, bstart + (sentences[0][0] if sentences else 0), para.text, doc)
    hit = min(hits, key=lambda h: h.start) if hits else None
    rest_for = _for_in(body, doc)
    action = Action(
        text=body,
        owner=hit.owner if hit else None,
        owner_name=hit.owner_name if hit else None,
        for_=(hit.for_ if hit and hit.for_ else rest_for[0]),
        for_name=(hit.for_name if hit and hit.for_ else rest_for[1]),
        due=_due_in(body, doc),
        kind=EXPLICIT,
        ref=ref,
        item=para.item,
        span=(para.start + bstart, para.start + bstart + len(body)),
    )
    if action.owner is None:
        # "ACTION: Clerk to ...", "ACTION: JS - write to MCC": an owner opening the body
        lead = re.match(r"(?P<who>[^\s:–-][^:–]{0,40}?)\s*[:–-]\s+\S", body)
        if lead and agent_kind(lead.group("who"), doc.people):
            action.owner, action.owner_name = doc.display(lead.group("who"))
    return action


def find_actions(
    paragraphs: Iterable[Paragraph], people: People, meeting_date: date | None = None
) -> list[Action]:
    """Actions and undertakings in a document's paragraphs, in document order.

    Args:
        paragraphs: running-text paragraphs with absolute offsets (`Paragraph.text`
            must equal the document text over `start:end`).
        people: the document's attendance, to resolve owners and recipients.
        meeting_date: resolves dates written without a year and "end of March".

    Returns:
        One `Action` per distinct action; repeats (a summary of actions) merged into
        the first occurrence.
    """
    doc = _Doc(people, meeting_date)
    out: list[Action] = []
    table: dict[str, int] | None = None
    for para in paragraphs:
        text = para.text
        header = _table_header(para)
        if header:
            table = header
            doc.prev_text = text
            continue
        if table is not None:
            if _cells(text):
                if not re.fullmatch(r"[\s|:+\-=_]*", text):
                    row = _table_row(para, table, doc)
                    if row is not None:
                        out.append(row)
                doc.prev_text = text
                continue
            table = None
        line = _action_line(para, doc)
        if line is False:
            doc.prev_text = text
            continue
        if isinstance(line, Action):
            out.append(line)
            doc.prev_text = text
            continue
        out.extend(_paragraph_actions(para, doc))
        doc.prev_text = text
    return dedupe_actions(out)


_THIS_IS_TO_BE = re.compile(r"(?:This|It|These|They)\s+(?:is|are|will|should)\s+(?:to\s+)?be\s")
_TAKE_RESPONSIBILITY = re.compile(r"take\s+(?:the\s+)?(?:responsibility|lead|this\s+forward)\W*")


def _paragraph_actions(para: Paragraph, doc: _Doc) -> list[Action]:
    text = para.text
    spans = split_sentences(text)
    tail = _ACTION_TAIL_RE.search(text)
    tail_owner: tuple[str, str | None] | None = None
    if tail and spans and agent_kind(tail.group("who").strip(), doc.people):
        tail_owner = doc.display(tail.group("who").strip())
    out: list[Action] = []
    taken: list[tuple[int, int]] = []
    for idx, (s, e) in enumerate(spans):
        sentence = text[s:e]
        hits = _sentence_hits(sentence, s, text, doc)
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        for hit in hits:
            if any(ts <= hit.start < te for ts, te in taken):
                continue
            prev = text[spans[idx - 1][0] : spans[idx - 1][1]] if idx else None
            # "X will take responsibility." points back at the sentence before it
            if hit.verb and _TAKE_RESPONSIBILITY.fullmatch(hit.verb) and idx and hit.start == s:
                ps, pe = spans[idx - 1]
                hit = replace(hit, start=ps + _boundaries(text[ps:pe], strong=True)[-1])
            also = re.match(r"(?:he|she|they)\s+(?:will|shall)\s+also\b", text[hit.start :], re.I)
            this = _THIS_IS_TO_BE.match(text[hit.start :])
            if (
                out
                and hit.start == s
                and out[-1].span[1] - para.start < hit.start
                and (also and hit.kind == COMMITMENT and out[-1].owner == hit.owner or this)
            ):
                # "X will do A. She will also do B." / "X to do A. This is to be shared with
                # Y.": one action written in two sentences
                last = out[-1]
                last.span = (last.span[0], para.start + hit.end)
                last.text = text[last.span[0] - para.start : hit.end]
                if last.for_ is None and hit.for_ is not None:
                    last.for_, last.for_name = hit.for_, hit.for_name
                taken.append((hit.start, hit.end))
                continue
            taken.append((hit.start, hit.end))
            out.append(_finish(hit, para, doc, prev))
    if tail_owner and tail is not None:
        # "... the matter be raised with MCC. Action: Clerk"
        closing = next(((s, e) for s, e in reversed(spans) if s < tail.start()), None)
        if closing and not any(a.span[0] - para.start == closing[0] for a in out):
            start = closing[0]
            hit = _Hit(
                start, len(text.rstrip()), EXPLICIT, owner=tail_owner[0], owner_name=tail_owner[1]
            )
            out.append(_finish(hit, para, doc, None))
    return out


# --- dedupe -----------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("’", "'"))).strip()


def _same(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    short, long_ = sorted((na, nb), key=len)
    if len(short) >= 12 and short in long_:
        return True
    if SequenceMatcher(None, na, nb).ratio() >= 0.8:
        return True
    # the same action with a sentence added in one place ("This is to be shared with ...")
    return len(short) >= 40 and SequenceMatcher(None, short, long_[: len(short)]).ratio() >= 0.8


def dedupe_actions(actions: list[Action]) -> list[Action]:
    """One action per distinct text: the first occurrence, with missing fields merged in."""
    out: list[Action] = []
    for a in actions:
        twin = next((b for b in out if _same(a.text, b.text)), None)
        if twin is None:
            out.append(a)
            continue
        for name in ("owner", "owner_name", "for_", "for_name", "due", "ref"):
            if getattr(twin, name) is None and getattr(a, name) is not None:
                setattr(twin, name, getattr(a, name))
    return out
