"""Places, organisations and topics found in text (ingest.entities)."""

from __future__ import annotations

import pytest

from ingest.entities import find_organisations, find_places, find_topics, topics_for


def names(text: str) -> list[str]:
    return [p.name for p in find_places(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The PCC raised concerns about the Hereford custody block.", ["Hereford"]),
        ("Venue: West Mercia Police HQ", ["West Mercia"]),
        ("Work in Shropshire and South Worcestershire.", ["Shropshire", "South Worcestershire"]),
        ("The Habington Room, Hindlip Hall", ["Hindlip"]),
        ("held at 7.00pm in Tintern Village Hall.", ["Tintern"]),
        ("Minutes of Stoke Ferry Parish Council Meeting", ["Stoke Ferry"]),
        ("a log cabin on Land at Tintern Cross, Pontysaeson.", ["Tintern Cross", "Pontysaeson"]),
        ("Log Pod, Land opposite Old Park Cottage, Parkhouse.", ["Parkhouse"]),
        ("The first closure date of Site 2 Livox has been delayed", ["Livox"]),
        ("AONB – Angiddy Trail Leaflet", ["Angiddy Trail"]),
        ("Lower Wye Valley Building Preservation Trust", ["Lower Wye Valley"]),
        ("representatives from Norfolk Constabulary", ["Norfolk"]),
        ("Cory Wheelabrator withdrew its application at King’s Lynn.", ["King’s Lynn"]),
        ("Lease Agreement for property along the Willamette River", ["Willamette River"]),
        ("the Portland -- Lake Oswego Transit Project", ["Portland", "Lake Oswego"]),
        ("Brandon Library will open", ["Brandon"]),
        # exclusions: streets, months, people, postcodes
        ("Overgrown hedge in Bridge Road: Clerk will inform Highways.", []),
        ("In March/April community resolutions were suspended.", []),
        ("Cllr Preston said the Mayor agreed.", []),
        ("John Campion Police and Crime Commissioner (PCC)", []),
        ("a skeleton report in Athena", []),
        (
            "in West Merica Police and West Mercia",
            ["West Mercia"],
        ),  # typo folded into the known name
    ],
)
def test_find_places(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "place", ["Cornwall", "Sunderland", "Wrexham", "Tower Hamlets", "Hereford"]
)
def test_places_all_over_england_and_wales(place):
    assert place in names(f"A visit to {place} was discussed.")


def test_authority_abbreviation_needs_support():
    # NCC is Norfolk County Council here: the document names a place in Norfolk ...
    found = find_places("Cllr Clements has been in touch with NCC. A session in Downham Market.")
    assert [(p.name, p.id) for p in found if p.name == "NCC"] == [
        ("NCC", "org/norfolk-county-council")
    ]
    # ... and nothing at all without such a place
    assert names("Cllr Clements has been in touch with NCC again.") == []


def test_authority_abbreviation_defined_in_text():
    found = find_places("Monmouthshire County Council (MCC) met. MCC agreed.")
    assert {p.name for p in found} == {"Monmouthshire County Council", "MCC"}


def test_places_are_deduplicated_case_insensitively():
    assert names("Shropshire, SHROPSHIRE and Shropshire’s culture") == ["Shropshire"]


def test_place_types():
    found = {
        p.name: p for p in find_places("South Worcestershire, Suffolk County Council, Ipswich")
    }
    assert found["South Worcestershire"].type == "lpa"
    assert found["Suffolk County Council"].type == "authority"
    assert found["Ipswich"].type == "settlement"
    assert found["Ipswich"].id == "place/ipswich"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "sickness rates feature at the Force Delivery Group (FDG)",
            [("Force Delivery Group", "FDG")],
        ),
        (
            "The PCC raised the inconsistency within the Local Policing Areas (LPA’s).",
            [("Local Policing Areas", "LPA")],
        ),
        (
            "HMICFRS have provided a survey",
            [("His Majesty's Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS")],
        ),
        (
            "reconciling the FED’s survey results",
            [("Police Federation of England and Wales", "FED")],
        ),
        (
            "the Playing Field Trust would re-write the specification",
            [("Playing Field Trust", None)],
        ),
        ("John Campion Police and Crime Commissioner (PCC)", []),
    ],
)
def test_find_organisations(text, expected):
    assert [(o.name, o.abbrev) for o in find_organisations(text)] == expected


def test_find_organisations_gwent_police():
    orgs = {o.name for o in find_organisations("MCC & Gwent Police have approved it.")}
    assert "Gwent Police" in orgs
    assert "Monmouthshire County Council" in orgs


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Crime Volumes – Action Taken – Domestic Abuse", ["Crime outcomes", "Domestic abuse"]),
        ("Officer Morale and Staff Sickness", ["Morale", "Sickness absence"]),
        ("Robbery in Shropshire", ["Robbery"]),
        ("Quarterly HMICFRS Update", ["Police inspections"]),
        ("Thematic A&A: CSE", ["Child sexual exploitation"]),
        ("Declarations of interest", ["Declarations of interest"]),
        ("Planning Permissions", ["Planning applications"]),
    ],
)
def test_topics_for(text, expected):
    assert topics_for(text) == expected


def test_find_topics_in_running_text():
    text = "approach of reducing harms linked to the NTE; hot spot policing for ASB; potholes"
    assert find_topics(text) == [
        "Night-time economy",
        "Hotspot policing",
        "Anti-social behaviour",
        "Potholes",
    ]
