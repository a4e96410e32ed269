"""Relevance: queries people bring, written from reading the real minutes in
tests/data/corpus/, and the passage that must come back in the top three.

Each case is (query, a fragment of the passage that answers it). A hit answers when its
text holds the fragment (a paragraph, or a statement or action inside it).
"""

import pytest

from kg.search import search

CASES = [
    # the first user's PCC performance meeting
    ("domestic abuse in Shropshire", "for Shropshire this is a longer-term issue"),
    ("custody Hereford", "criticisms of the Hereford custody block"),
    ("999 calls", "999 call performance is the forces top of priority"),
    ("Operation Vigilance", "West Mercia Police to evaluate Operation Vigilance"),
    ("hot spot policing", "update regarding the hot spot policing initiative"),
    ("protected characteristics", "recording protected characteristics"),
    ("staff sickness", "sickness rates are improving"),
    ("robbery Shropshire", "Robbery increased in Shropshire"),
    ("PEEL inspection", "prepared ahead of the HMICFRS PEEL inspection"),
    ("community resolutions", "community resolutions for domestic abuse were suspended"),
    ("Athena ethnicity", "Athena version 6 there is a required data field"),
    ("NTE", "evaluate Operation Vigilance"),
    ("what did the Chief Constable say about custody", "custody being made less punitive"),
    # a community council
    ("potholes Chapel Hill", "filled in some potholes in Chapel Hill Road"),
    ("recycling service", "new recycling service is having some teething problems"),
    ("farm outbuildings broken into", "farm outbuildings/sheds have been broken into"),
    ("water fountain for visitors", "possibility of a water fountain for visitors"),
    ("A466 road closure", "A466 Future Road Closure"),
    ("bench overlooking the playing fields", "erect a bench overlooking the playing fields"),
    # a parish council
    ("match funded PCSO cost", "The cost is £17,000 per year"),
    ("defibrillator", "has purchased a defibrillator"),
    ("speeding Lynn Road", "speeding on Lynn Road"),
    ("street light Boughton Road", "intermittent street light on the corner of Boughton Road"),
    # a city council with a transcript
    ("horse drawn carriages", "Regulation of Horse Drawn Carriages"),
    # board and parish minutes published as PDF
    ("drain village green", "the drain in the village green bubbled up"),
    ("IT systems failed Brandon library", "Get Connected event at Brandon"),
]


@pytest.mark.parametrize(("query", "fragment"), CASES)
def test_the_answer_is_in_the_top_three(corpus_index, query, fragment):
    _data, index = corpus_index
    results = search(index, query, per_page=3, facets=False)
    texts = [" ".join((hit.text or hit.title or "").split()) for hit in results.hits]
    assert any(fragment in t for t in texts), f"{query!r}: top 3 were {[t[:70] for t in texts]}"


def test_there_are_at_least_twenty_cases():
    assert len(CASES) >= 20
