"""Deterministic synthetic meeting minutes (text files) for benchmarks and scale tests.

Writes N minutes as the bodies that publish them write them, so that govkg's real
extraction pipeline reads them as it reads real files:

- Police and Crime Commissioner performance / accountability meetings for 16 of the
  43 forces of England and Wales (bare-heading layout like West Mercia's, or a
  bulleted "Name – Role (ABBR)" attendance with numbered items and an action table);
- police and crime panels (PRESENT / ALSO PRESENT / APOLOGIES, minute numbers that run
  on from meeting to meeting, RESOLVED, ACTION: lines, "It was agreed that ...");
- parish, town and community councils (Tintern-style numbered minutes "2659. Title:
  text", or Stoke Ferry-style Markdown with "Those attending: Cllr A (Chair), ...");
- health and wellbeing boards, library boards and community safety partnerships
  (1. / 1.1 numbering, tab-separated "Ref\\tAction\\tOwner\\tDue" tables).

Places are real (forces, districts, towns from ontology/places/*.ttl), topics come
from ontology/topics.ttl (and are written with their altLabels: DA, ASB, NTE, RASSO,
999 ...). Each body has recurring people: a chair elected each May, a clerk or
minute-taker, councillors who change at elections, a PCC per electoral term and a
chief constable who is temporary ("T/CC") for a few months, then substantive ("CC").
Actions are raised with refs ("A24/05", a minute number), owners and due dates, and
carried to the following meetings ("A24/05: ... – completed. Action closed.").

Output is byte-identical for the same (meetings, seed).

    python bench/synthetic_minutes.py OUT_DIR --meetings 1000 --seed 42
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MeetingInfo", "generate", "plan_bodies"]

END_DATE = dt.date(2025, 6, 30)
"""The last meeting of every body falls on or before this date."""

# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Force:
    key: str
    force: str  # the organisation ("West Mercia Police")
    area: str  # the police force area ("West Mercia")
    hq: str  # PCC meeting venue
    rooms: tuple[str, ...]
    districts: tuple[str, ...]  # LPAs / districts / unitary areas
    towns: tuple[str, ...]
    panel_host: str  # the council that hosts the police and crime panel
    panel_venue: str
    plan: str = "Police and Crime Plan"
    welsh: bool = False
    lpa: bool = False  # districts are written as "X LPA"


FORCES: tuple[Force, ...] = (
    Force(
        "west-mercia",
        "West Mercia Police",
        "West Mercia",
        "West Mercia Police HQ",
        ("The Habington Room, Hindlip Hall", "Conference Room 2, Hindlip Hall"),
        (
            "Herefordshire",
            "Shropshire",
            "Telford and Wrekin",
            "North Worcestershire",
            "South Worcestershire",
        ),
        (
            "Hereford",
            "Shrewsbury",
            "Telford",
            "Kidderminster",
            "Worcester",
            "Redditch",
            "Bromsgrove",
            "Ludlow",
            "Oswestry",
            "Evesham",
            "Malvern",
            "Bridgnorth",
        ),
        "Shropshire Council",
        "Shirehall, Shrewsbury",
        "Safer West Mercia Plan",
        lpa=True,
    ),
    Force(
        "avon-and-somerset",
        "Avon and Somerset Constabulary",
        "Avon and Somerset",
        "Police Headquarters, Portishead",
        ("Valley Road, Portishead", "Kenneth Steele House"),
        (
            "Bristol",
            "North Somerset",
            "Bath and North East Somerset",
            "Somerset",
            "South Gloucestershire",
        ),
        (
            "Bristol",
            "Weston-super-Mare",
            "Taunton",
            "Yeovil",
            "Bridgwater",
            "Frome",
            "Bath",
            "Keynsham",
            "Clevedon",
            "Glastonbury",
        ),
        "Somerset Council",
        "County Hall, Taunton",
    ),
    Force(
        "cheshire",
        "Cheshire Constabulary",
        "Cheshire",
        "Clemonds Hey, Winsford",
        ("Clemonds Hey, Winsford", "Conference Room, Cheshire Police HQ"),
        ("Cheshire East", "Cheshire West and Chester", "Halton", "Warrington"),
        (
            "Chester",
            "Crewe",
            "Macclesfield",
            "Warrington",
            "Runcorn",
            "Widnes",
            "Northwich",
            "Ellesmere Port",
            "Nantwich",
            "Congleton",
        ),
        "Cheshire West and Chester Council",
        "Wyvern House, Winsford",
    ),
    Force(
        "derbyshire",
        "Derbyshire Constabulary",
        "Derbyshire",
        "Butterley Hall, Ripley",
        ("Butterley Hall, Ripley", "Committee Room, Butterley Hall"),
        ("Amber Valley", "Erewash", "High Peak", "Derbyshire Dales", "South Derbyshire", "Derby"),
        (
            "Derby",
            "Chesterfield",
            "Buxton",
            "Glossop",
            "Ilkeston",
            "Matlock",
            "Swadlincote",
            "Belper",
            "Long Eaton",
            "Ripley",
        ),
        "Derbyshire County Council",
        "County Hall, Matlock",
    ),
    Force(
        "devon-and-cornwall",
        "Devon and Cornwall Police",
        "Devon and Cornwall",
        "Middlemoor, Exeter",
        ("Middlemoor, Exeter", "Alderson Drive, Exeter"),
        ("Plymouth", "Exeter", "Torbay", "North Devon", "East Devon", "Teignbridge"),
        (
            "Plymouth",
            "Exeter",
            "Torquay",
            "Paignton",
            "Barnstaple",
            "Newton Abbot",
            "Exmouth",
            "Tiverton",
            "Bideford",
            "Totnes",
        ),
        "Plymouth City Council",
        "Council House, Plymouth",
    ),
    Force(
        "dyfed-powys",
        "Dyfed-Powys Police",
        "Dyfed-Powys",
        "Police Headquarters, Carmarthen",
        ("Llangunnor, Carmarthen", "Conference Room, Police HQ Carmarthen"),
        ("Carmarthenshire", "Ceredigion", "Pembrokeshire", "Powys"),
        (
            "Carmarthen",
            "Llanelli",
            "Aberystwyth",
            "Haverfordwest",
            "Brecon",
            "Newtown",
            "Welshpool",
            "Cardigan",
            "Tenby",
            "Llandrindod Wells",
        ),
        "Carmarthenshire County Council",
        "County Hall, Carmarthen",
        welsh=True,
    ),
    Force(
        "gwent",
        "Gwent Police",
        "Gwent",
        "Police Headquarters, Cwmbran",
        ("Croesyceiliog, Cwmbran", "Conference Room 1, Gwent Police HQ"),
        ("Newport", "Caerphilly", "Torfaen", "Monmouthshire", "Blaenau Gwent"),
        (
            "Newport",
            "Cwmbran",
            "Abergavenny",
            "Chepstow",
            "Ebbw Vale",
            "Blackwood",
            "Pontypool",
            "Monmouth",
            "Caldicot",
            "Tredegar",
        ),
        "Caerphilly County Borough Council",
        "Penallta House, Ystrad Mynach",
        welsh=True,
    ),
    Force(
        "kent",
        "Kent Police",
        "Kent",
        "Police Headquarters, Maidstone",
        ("Sutton Road, Maidstone", "Boardroom, Kent Police HQ"),
        ("Medway", "Thanet", "Swale", "Dartford", "Folkestone and Hythe", "Tunbridge Wells"),
        (
            "Maidstone",
            "Margate",
            "Ramsgate",
            "Chatham",
            "Dover",
            "Folkestone",
            "Ashford",
            "Gravesend",
            "Sittingbourne",
            "Tonbridge",
        ),
        "Maidstone Borough Council",
        "Maidstone House, Maidstone",
    ),
    Force(
        "lancashire",
        "Lancashire Constabulary",
        "Lancashire",
        "Hutton, Preston",
        ("Hutton, Preston", "Committee Room, Lancashire Police HQ"),
        ("Blackpool", "Preston", "Burnley", "Pendle", "Lancaster", "Blackburn with Darwen"),
        (
            "Blackpool",
            "Preston",
            "Burnley",
            "Lancaster",
            "Morecambe",
            "Chorley",
            "Accrington",
            "Blackburn",
            "Fleetwood",
            "Nelson",
        ),
        "Lancashire County Council",
        "County Hall, Preston",
    ),
    Force(
        "norfolk",
        "Norfolk Constabulary",
        "Norfolk",
        "Jubilee House, Wymondham",
        ("Jubilee House, Wymondham", "OPCCN Meeting Room, Wymondham"),
        (
            "Norwich",
            "Broadland",
            "Breckland",
            "North Norfolk",
            "South Norfolk",
            "King's Lynn and West Norfolk",
            "Great Yarmouth",
        ),
        (
            "Norwich",
            "King's Lynn",
            "Great Yarmouth",
            "Thetford",
            "Cromer",
            "Dereham",
            "Wymondham",
            "Diss",
            "North Walsham",
            "Fakenham",
        ),
        "Norfolk County Council",
        "County Hall, Norwich",
    ),
    Force(
        "north-wales",
        "North Wales Police",
        "North Wales",
        "Police Headquarters, Colwyn Bay",
        ("Glan y Don, Colwyn Bay", "Conference Room, North Wales Police HQ"),
        ("Wrexham", "Gwynedd", "Isle of Anglesey", "Flintshire", "Denbighshire"),
        (
            "Wrexham",
            "Bangor",
            "Rhyl",
            "Llandudno",
            "Colwyn Bay",
            "Mold",
            "Holyhead",
            "Caernarfon",
            "Prestatyn",
            "Flint",
        ),
        "Conwy County Borough Council",
        "Bodlondeb, Conwy",
        welsh=True,
    ),
    Force(
        "suffolk",
        "Suffolk Constabulary",
        "Suffolk",
        "Police Headquarters, Martlesham",
        ("Martlesham Heath", "Endeavour House, Ipswich"),
        ("Ipswich", "East Suffolk", "West Suffolk", "Mid Suffolk", "Babergh"),
        (
            "Ipswich",
            "Lowestoft",
            "Bury St Edmunds",
            "Felixstowe",
            "Sudbury",
            "Haverhill",
            "Newmarket",
            "Stowmarket",
            "Beccles",
            "Woodbridge",
        ),
        "Suffolk County Council",
        "Endeavour House, Ipswich",
    ),
    Force(
        "thames-valley",
        "Thames Valley Police",
        "Thames Valley",
        "Police Headquarters, Kidlington",
        ("Oxford Road, Kidlington", "Boardroom, Thames Valley Police HQ"),
        (
            "Oxford",
            "Cherwell",
            "West Berkshire",
            "Wycombe",
            "Windsor and Maidenhead",
            "South Oxfordshire",
        ),
        (
            "Oxford",
            "Banbury",
            "Bicester",
            "Witney",
            "Abingdon-on-Thames",
            "Didcot",
            "Thame",
            "Henley-on-Thames",
            "Wantage",
            "Wallingford",
        ),
        "Cherwell District Council",
        "Bodicote House, Banbury",
    ),
    Force(
        "west-yorkshire",
        "West Yorkshire Police",
        "West Yorkshire",
        "Laburnum Road, Wakefield",
        ("Laburnum Road, Wakefield", "Carr Gate, Wakefield"),
        ("Leeds", "Bradford", "Calderdale", "Kirklees", "Wakefield"),
        (
            "Leeds",
            "Bradford",
            "Halifax",
            "Huddersfield",
            "Wakefield",
            "Keighley",
            "Dewsbury",
            "Batley",
            "Pontefract",
            "Castleford",
        ),
        "Kirklees Council",
        "Huddersfield Town Hall",
    ),
    Force(
        "wiltshire",
        "Wiltshire Police",
        "Wiltshire",
        "Police Headquarters, Devizes",
        ("London Road, Devizes", "Conference Room, Wiltshire Police HQ"),
        ("Wiltshire", "Swindon"),
        (
            "Swindon",
            "Salisbury",
            "Chippenham",
            "Trowbridge",
            "Devizes",
            "Marlborough",
            "Melksham",
            "Warminster",
            "Calne",
            "Corsham",
        ),
        "Wiltshire Council",
        "County Hall, Trowbridge",
    ),
    Force(
        "staffordshire",
        "Staffordshire Police",
        "Staffordshire",
        "Weston Road, Stafford",
        ("Weston Road, Stafford", "Commissioner's Office, Stafford"),
        (
            "Stoke-on-Trent",
            "Cannock Chase",
            "East Staffordshire",
            "Staffordshire Moorlands",
            "Newcastle-under-Lyme",
            "Tamworth",
        ),
        (
            "Stoke-on-Trent",
            "Stafford",
            "Burton upon Trent",
            "Cannock",
            "Tamworth",
            "Lichfield",
            "Leek",
            "Newcastle-under-Lyme",
            "Uttoxeter",
            "Rugeley",
        ),
        "Stoke-on-Trent City Council",
        "Civic Centre, Stoke-on-Trent",
    ),
)
FORCE_BY_KEY = {f.key: f for f in FORCES}

# (town, council type, force, principal council, venue, Welsh?)
COUNCILS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Much Wenlock", "Town Council", "west-mercia", "Shropshire Council", "the Corn Exchange"),
    ("Church Stretton", "Town Council", "west-mercia", "Shropshire Council", "the Mayfair Centre"),
    ("Bishop's Castle", "Town Council", "west-mercia", "Shropshire Council", "the Town Hall"),
    ("Cleobury Mortimer", "Parish Council", "west-mercia", "Shropshire Council", "the Market Hall"),
    ("Shifnal", "Town Council", "west-mercia", "Shropshire Council", "the Council Chamber"),
    ("Ellesmere", "Town Council", "west-mercia", "Shropshire Council", "the Town Hall"),
    ("Pershore", "Town Council", "west-mercia", "Wychavon District Council", "the Town Hall"),
    (
        "Upton-upon-Severn",
        "Town Council",
        "west-mercia",
        "Malvern Hills District Council",
        "the Memorial Hall",
    ),
    ("Bewdley", "Town Council", "west-mercia", "Wyre Forest District Council", "the Guildhall"),
    (
        "Tenbury Wells",
        "Town Council",
        "west-mercia",
        "Malvern Hills District Council",
        "the Pump Rooms",
    ),
    ("Castle Cary", "Town Council", "avon-and-somerset", "Somerset Council", "the Market House"),
    ("Somerton", "Town Council", "avon-and-somerset", "Somerset Council", "the Parish Rooms"),
    ("Watchet", "Town Council", "avon-and-somerset", "Somerset Council", "the Visitor Centre"),
    ("Cheddar", "Parish Council", "avon-and-somerset", "Somerset Council", "the Church House"),
    ("Wincanton", "Town Council", "avon-and-somerset", "Somerset Council", "the Town Hall"),
    ("Nailsea", "Town Council", "avon-and-somerset", "North Somerset Council", "the Tithe Barn"),
    (
        "Keynsham",
        "Town Council",
        "avon-and-somerset",
        "Bath and North East Somerset Council",
        "the Civic Centre",
    ),
    ("Poynton", "Town Council", "cheshire", "Cheshire East Council", "the Civic Hall"),
    ("Alsager", "Town Council", "cheshire", "Cheshire East Council", "the Civic Centre"),
    ("Neston", "Town Council", "cheshire", "Cheshire West and Chester Council", "the Town Hall"),
    (
        "Frodsham",
        "Town Council",
        "cheshire",
        "Cheshire West and Chester Council",
        "Castle Park House",
    ),
    (
        "Bakewell",
        "Town Council",
        "derbyshire",
        "Derbyshire Dales District Council",
        "the Town Hall",
    ),
    (
        "Ashbourne",
        "Town Council",
        "derbyshire",
        "Derbyshire Dales District Council",
        "the Town Hall",
    ),
    ("New Mills", "Town Council", "derbyshire", "High Peak Borough Council", "the Town Hall"),
    (
        "Dronfield",
        "Town Council",
        "derbyshire",
        "North East Derbyshire District Council",
        "the Civic Hall",
    ),
    (
        "Totnes",
        "Town Council",
        "devon-and-cornwall",
        "South Hams District Council",
        "the Guildhall",
    ),
    (
        "Crediton",
        "Town Council",
        "devon-and-cornwall",
        "Mid Devon District Council",
        "Boniface Centre",
    ),
    (
        "Sidmouth",
        "Town Council",
        "devon-and-cornwall",
        "East Devon District Council",
        "Woolcombe House",
    ),
    (
        "Okehampton",
        "Town Council",
        "devon-and-cornwall",
        "West Devon Borough Council",
        "the Town Hall",
    ),
    ("Hay-on-Wye", "Town Council", "dyfed-powys", "Powys County Council", "the Council Chamber"),
    ("Crickhowell", "Town Council", "dyfed-powys", "Powys County Council", "the Clarence Hall"),
    ("Knighton", "Town Council", "dyfed-powys", "Powys County Council", "the Community Centre"),
    ("Rhayader", "Town Council", "dyfed-powys", "Powys County Council", "the Leisure Centre"),
    ("Llanidloes", "Town Council", "dyfed-powys", "Powys County Council", "the Town Hall"),
    ("Narberth", "Town Council", "dyfed-powys", "Pembrokeshire County Council", "the Queens Hall"),
    (
        "Llandeilo",
        "Town Council",
        "dyfed-powys",
        "Carmarthenshire County Council",
        "the Civic Hall",
    ),
    ("Aberaeron", "Town Council", "dyfed-powys", "Ceredigion County Council", "the Memorial Hall"),
    ("Usk", "Town Council", "gwent", "Monmouthshire County Council", "the Sessions House"),
    ("Caldicot", "Town Council", "gwent", "Monmouthshire County Council", "the Council Offices"),
    ("Blaenavon", "Town Council", "gwent", "Torfaen County Borough Council", "the Workmen's Hall"),
    ("Chepstow", "Town Council", "gwent", "Monmouthshire County Council", "the Gatehouse"),
    ("Tenterden", "Town Council", "kent", "Ashford Borough Council", "the Town Hall"),
    ("Edenbridge", "Town Council", "kent", "Sevenoaks District Council", "Rickards Hall"),
    ("Westerham", "Town Council", "kent", "Sevenoaks District Council", "the Town Council Office"),
    (
        "New Romney",
        "Town Council",
        "kent",
        "Folkestone and Hythe District Council",
        "the Town Hall",
    ),
    ("Garstang", "Town Council", "lancashire", "Wyre Council", "the Community Centre"),
    ("Longridge", "Town Council", "lancashire", "Ribble Valley Borough Council", "the Civic Hall"),
    ("Carnforth", "Town Council", "lancashire", "Lancaster City Council", "the Community Centre"),
    ("Kirkham", "Town Council", "lancashire", "Fylde Council", "the Community Centre"),
    ("Loddon", "Parish Council", "norfolk", "South Norfolk Council", "the Jubilee Hall"),
    ("Hingham", "Town Council", "norfolk", "South Norfolk Council", "the Lincoln Hall"),
    ("Holt", "Town Council", "norfolk", "North Norfolk District Council", "the Community Centre"),
    ("Aylsham", "Town Council", "norfolk", "Broadland District Council", "the Town Hall"),
    ("Watton", "Town Council", "norfolk", "Breckland Council", "Wayland House"),
    (
        "Hunstanton",
        "Town Council",
        "norfolk",
        "Borough Council of King's Lynn and West Norfolk",
        "the Town Hall",
    ),
    ("Bala", "Town Council", "north-wales", "Gwynedd Council", "the Town Hall"),
    ("Corwen", "Town Council", "north-wales", "Denbighshire County Council", "the Town Hall"),
    ("Criccieth", "Town Council", "north-wales", "Gwynedd Council", "the Memorial Hall"),
    (
        "Beaumaris",
        "Town Council",
        "north-wales",
        "Isle of Anglesey County Council",
        "the Town Hall",
    ),
    ("Llangollen", "Town Council", "north-wales", "Denbighshire County Council", "the Town Hall"),
    ("Ruthin", "Town Council", "north-wales", "Denbighshire County Council", "the Town Hall"),
    ("Southwold", "Town Council", "suffolk", "East Suffolk Council", "the Stella Peskett Hall"),
    ("Framlingham", "Town Council", "suffolk", "East Suffolk Council", "the Fore Street Chapel"),
    ("Lavenham", "Parish Council", "suffolk", "Babergh District Council", "the Village Hall"),
    ("Clare", "Town Council", "suffolk", "West Suffolk Council", "the Town Hall"),
    ("Aldeburgh", "Town Council", "suffolk", "East Suffolk Council", "the Moot Hall"),
    (
        "Needham Market",
        "Town Council",
        "suffolk",
        "Mid Suffolk District Council",
        "the Community Centre",
    ),
    (
        "Woodstock",
        "Town Council",
        "thames-valley",
        "West Oxfordshire District Council",
        "the Town Hall",
    ),
    ("Burford", "Town Council", "thames-valley", "West Oxfordshire District Council", "the Tolsey"),
    (
        "Faringdon",
        "Town Council",
        "thames-valley",
        "Vale of White Horse District Council",
        "the Pump House",
    ),
    (
        "Thame",
        "Town Council",
        "thames-valley",
        "South Oxfordshire District Council",
        "the Town Hall",
    ),
    (
        "Hebden Royd",
        "Town Council",
        "west-yorkshire",
        "Calderdale Council",
        "the Town Hall, Hebden Bridge",
    ),
    (
        "Holme Valley",
        "Parish Council",
        "west-yorkshire",
        "Kirklees Council",
        "the Civic Hall, Holmfirth",
    ),
    (
        "Ilkley",
        "Town Council",
        "west-yorkshire",
        "City of Bradford Metropolitan District Council",
        "the Town Hall",
    ),
    ("Otley", "Town Council", "west-yorkshire", "Leeds City Council", "the Civic Centre"),
    ("Wetherby", "Town Council", "west-yorkshire", "Leeds City Council", "the Town Hall"),
    ("Pewsey", "Parish Council", "wiltshire", "Wiltshire Council", "the Bouverie Hall"),
    ("Cricklade", "Town Council", "wiltshire", "Wiltshire Council", "the Town Hall"),
    ("Malmesbury", "Town Council", "wiltshire", "Wiltshire Council", "the Town Hall"),
    ("Highworth", "Town Council", "wiltshire", "Swindon Borough Council", "the Council Offices"),
    ("Marlborough", "Town Council", "wiltshire", "Wiltshire Council", "the Town Hall"),
    (
        "Leek",
        "Town Council",
        "staffordshire",
        "Staffordshire Moorlands District Council",
        "the Town Hall",
    ),
    (
        "Uttoxeter",
        "Town Council",
        "staffordshire",
        "East Staffordshire Borough Council",
        "the Town Hall",
    ),
    (
        "Eccleshall",
        "Parish Council",
        "staffordshire",
        "Stafford Borough Council",
        "the Holy Trinity Hall",
    ),
)

# (body name, kind, force, host, venue)
BOARDS: tuple[tuple[str, str, str, str], ...] = (
    ("Shropshire Health and Wellbeing Board", "health", "west-mercia", "Shirehall, Shrewsbury"),
    ("Herefordshire Health and Wellbeing Board", "health", "west-mercia", "Plough Lane, Hereford"),
    (
        "Shropshire Community Safety Partnership Board",
        "csp",
        "west-mercia",
        "Shirehall, Shrewsbury",
    ),
    ("Norfolk Health and Wellbeing Board", "health", "norfolk", "County Hall, Norwich"),
    ("Norfolk Library Service Board", "library", "norfolk", "the Millennium Library, Norwich"),
    ("Suffolk Libraries Board", "library", "suffolk", "Endeavour House, Ipswich"),
    ("Suffolk Health and Wellbeing Board", "health", "suffolk", "Endeavour House, Ipswich"),
    ("Wiltshire Health and Wellbeing Board", "health", "wiltshire", "County Hall, Trowbridge"),
    (
        "Swindon Community Safety Partnership Board",
        "csp",
        "wiltshire",
        "the Civic Offices, Swindon",
    ),
    ("Devon Libraries Board", "library", "devon-and-cornwall", "County Hall, Exeter"),
    ("Lancashire Libraries Board", "library", "lancashire", "County Hall, Preston"),
    (
        "Blackpool Community Safety Partnership Board",
        "csp",
        "lancashire",
        "the Town Hall, Blackpool",
    ),
    ("Derbyshire Health and Wellbeing Board", "health", "derbyshire", "County Hall, Matlock"),
    ("Powys Health and Wellbeing Board", "health", "dyfed-powys", "County Hall, Llandrindod Wells"),
    (
        "Cheshire East Health and Wellbeing Board",
        "health",
        "cheshire",
        "Municipal Buildings, Crewe",
    ),
    ("Kent Libraries Board", "library", "kent", "Sessions House, Maidstone"),
)

# --------------------------------------------------------------------------- people


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_EN = _words(
    "Alison Andrew Angela Anthony Barbara Ben Beverley Brian Carol Caroline Catherine Charlotte "
    "Chris Christine Claire Colin Craig Daniel David Deborah Denise Diane Donna Edward Elaine "
    "Elizabeth Emma Fiona Frances Gary Geoffrey Gillian Graham Hannah Helen Ian Jacqueline James "
    "Jane Janet Jason Jennifer Jill John Jonathan Joanne Judith Julia Julie Karen Katherine Keith "
    "Kevin Laura Lesley Linda Lisa Louise Lucy Margaret Mark Martin Matthew Michael Michelle Neil "
    "Nicholas Nicola Nigel Patricia Paul Pauline Peter Philip Rachel Rebecca Richard Robert Roger "
    "Rosemary Ruth Sally Samantha Sandra Sarah Sharon Simon Sophie Stephen Stuart Susan Timothy "
    "Tom Tracey Valerie Victoria Wendy William Yvonne Zoe Amir Anjali Farah Imran Nadia Priya "
    "Rajesh Sanjay Tariq Yasmin"
)
LAST_EN = _words(
    "Abbott Adams Allen Armstrong Atkinson Bailey Baker Barker Barnes Bates Bell Bennett Booth "
    "Bradley Brooks Burton Butler Campbell Carter Chapman Clarke Cole Collins Cook Cooper Cox "
    "Crawford Cross Dawson Dean Dixon Doyle Duncan Elliott Ellis Fisher Fletcher Ford Foster Fox "
    "Francis Gardner Gibson Gill Goodwin Gordon Graham Grant Gray Hall Hamilton Hardy Harper "
    "Harrison Hart Harvey Hayes Henderson Hill Holmes Howard Hudson Hunt Hunter Jackson James "
    "Jenkins Johnson Kelly Kennedy King Knight Lambert Lane Lawrence Lee Marshall Martin Mason "
    "Matthews Miller Mills Mitchell Moore Murphy Murray Nash Newman Nicholson Norris Palmer Parker "
    "Payne Pearce Pearson Perkins Porter Potter Preston Randall Reid Reynolds Richardson Riley "
    "Robinson Rogers Rose Russell Saunders Scott Shaw Simpson Slater Spencer Stevens Stone "
    "Sutton Taylor Thompson Tucker Turner Walker Wallace Ward Warren Watson Webb Wells West "
    "Wheeler White Wilkinson Willis Wood Woodward Wright Young Ahmed Begum Chauhan Hussain Khan "
    "Mahmood Patel Shah Singh Sharma"
)
FIRST_CY = _words(
    "Aled Alun Angharad Bethan Bryn Carys Catrin Dafydd Delyth Dylan Eirian Eleri Elin Emyr Ffion "
    "Gareth Geraint Glenys Gwen Gwyn Gwenllian Huw Ieuan Iwan Llinos Mair Meinir Megan Meirion "
    "Nia Non Osian Rhian Rhodri Rhys Sian Sioned Tegwen Wyn"
)
LAST_CY = _words(
    "Bevan Davies Edwards Evans Griffiths Howells Hughes Humphreys Jenkins Jones Lewis Lloyd "
    "Morgan Morris Owen Parry Powell Price Pritchard Rees Roberts Rowlands Thomas Vaughan Watkins "
    "Williams Jarvis Meredith Prosser Gwilliam Bowen Probert Pugh Gittins Tudor"
)

FEMALE = set(
    _words(
        "Alison Angela Barbara Beverley Carol Caroline Catherine Charlotte Christine Claire Deborah "
        "Denise Diane Donna Elaine Elizabeth Emma Fiona Frances Gillian Hannah Helen Jacqueline Jane "
        "Janet Jennifer Jill Joanne Judith Julia Julie Karen Katherine Laura Lesley Linda Lisa Louise "
        "Lucy Margaret Michelle Nicola Patricia Pauline Rachel Rebecca Rosemary Ruth Sally Samantha "
        "Sandra Sarah Sharon Sophie Susan Tracey Valerie Victoria Wendy Yvonne Zoe Anjali Farah Nadia "
        "Priya Yasmin Angharad Bethan Carys Catrin Delyth Eirian Eleri Elin Ffion Glenys Gwen "
        "Gwenllian Llinos Mair Meinir Megan Nia Non Rhian Sian Sioned Tegwen"
    )
)


@dataclass
class Person:
    first: str
    last: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def initial(self) -> str:
        return f"{self.first[0]} {self.last}"

    @property
    def she(self) -> bool:
        return self.first in FEMALE


class Names:
    """Unique people across the whole corpus (a name is a person's identity in the graph)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.used_initial: set[str] = set()

    def new(self, rng: random.Random, welsh: bool = False) -> Person:
        firsts, lasts = (FIRST_CY, LAST_CY) if welsh and rng.random() < 0.7 else (FIRST_EN, LAST_EN)
        for _ in range(200):
            p = Person(rng.choice(firsts), rng.choice(lasts))
            if p.name not in self.used and p.initial not in self.used_initial:
                self.used.add(p.name)
                self.used_initial.add(p.initial)
                return p
        # pools exhausted for this initial: fall back to a double-barrelled surname
        p = Person(rng.choice(firsts), f"{rng.choice(lasts)}-{rng.choice(lasts)}")
        self.used.add(p.name)
        return p


# --------------------------------------------------------------------------- topics

# Each police topic: heading variants, facts (clauses after "stated that"), questions (after
# "asked"), and actions (verb phrases after "to"). Placeholders: {place} {place2} {town}
# {n} {n2} {pct} {pct2} {op} {force} {plan} {q}.
POLICE_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "domestic abuse": {
        "head": (
            "Domestic Abuse",
            "Crime Volumes – Action Taken – Domestic Abuse",
            "Domestic Abuse and VAWG",
            "Domestic Abuse Outcomes",
        ),
        "fact": (
            "recorded domestic abuse offences in {place} had fallen by {pct}% compared with the same quarter last year",
            "the arrest rate for domestic abuse had improved to {pct}% but outcomes for victims were still too low",
            "{n} Domestic Violence Protection Notices had been issued in {place} this quarter",
            "community resolutions for DA had been suspended while decision making was reviewed",
            "there was a backlog of {n} DASH risk assessments awaiting supervisory review",
            "the DA problem profile showed repeat victimisation concentrated in {town}",
        ),
        "q": (
            "whether the reduction in domestic abuse recording reflected lower confidence in reporting",
            "how victims of domestic abuse in {place} were kept informed of the progress of their case",
            "what was being done about repeat DA perpetrators in {town}",
        ),
        "act": (
            "provide a breakdown of domestic abuse outcomes by {lpa}",
            "share the DA problem profile for {place} with the OPCC",
            "report on the use of Domestic Violence Protection Orders in {place}",
        ),
    },
    "anti-social behaviour": {
        "head": (
            "Anti-Social Behaviour",
            "ASB and Neighbourhood Crime",
            "Anti-Social Behaviour in {town}",
        ),
        "fact": (
            "reports of ASB in {town} town centre had risen by {pct}% over the summer months",
            "{n} Community Protection Warnings had been issued for anti-social behaviour in {place}",
            "the hotspot patrols funded by the ASB grant had reduced incidents in {town} by {pct}%",
            "youth-related anti-social behaviour around the bus station in {town} remained a concern",
        ),
        "q": (
            "how ASB hotspot funding was being targeted across {place}",
            "whether partners in {place} were using the full range of anti-social behaviour powers",
        ),
        "act": (
            "circulate the evaluation of the ASB hotspot patrols in {town}",
            "provide the number of Community Protection Notices issued in {place}",
        ),
    },
    "custody": {
        "head": ("Custody", "HMICFRS Custody Inspection Update", "Custody Suites"),
        "fact": (
            "the custody suite in {town} had been closed for {n} days for refurbishment",
            "detainees were now seen by a healthcare professional within {n} minutes on average",
            "the custody inspection had found that learning was being put into practice",
            "strip searches of children in custody were now reviewed by an inspector in every case",
            "the use of force in custody had been reviewed and body-worn video was now worn by all detention officers",
        ),
        "q": (
            "for reassurance that custody performance would be sustained",
            "how feedback was gathered from people who had been held in custody in {town}",
            "about investment in the custody block at {town}",
        ),
        "act": (
            "provide an update on the custody estate programme for {town}",
            "share the custody independent audit findings with the PCC",
        ),
    },
    "call handling": {
        "head": ("999 performance", "Contact Management – 999 and 101", "Call Handling"),
        "fact": (
            "{pct}% of 999 calls had been answered within ten seconds in the last month",
            "the average 101 call wait had reduced to {n} minutes following the introduction of call-back",
            "999 call performance was the force's top priority and had stabilised",
            "abandonment rates for 101 calls had fallen to {pct}% since the new telephony went live",
            "BT data showed that shortening the recorded message had improved 999 answer times",
        ),
        "q": (
            "whether 999 performance would be sustained through the winter",
            "what the public in {place} should expect when calling 101",
            "how many call handlers were in training",
        ),
        "act": (
            "provide monthly 999 and 101 performance data to the OPCC",
            "report on the recruitment of call handlers in the force control room",
        ),
    },
    "knife crime": {
        "head": ("Knife Crime", "Serious Violence and Knife Crime", "Operation Sceptre"),
        "fact": (
            "{n} knives had been surrendered in the knife amnesty bins in {town} during {op}",
            "knife-enabled crime in {place} had fallen by {pct}% over the year",
            "{n} weapons had been recovered through intelligence-led stop and search in {town}",
            "the Serious Violence Duty partnership in {place} had agreed its strategic needs assessment",
        ),
        "q": (
            "how many weapons had been recovered in {town}",
            "what education work on knife carrying was being done in schools in {place}",
        ),
        "act": (
            "circulate the results of {op} in {place}",
            "provide a breakdown of knife crime by {lpa}",
        ),
    },
    "burglary": {
        "head": ("Burglary", "Neighbourhood Crime", "Residential Burglary"),
        "fact": (
            "residential burglary in {place} was {pct}% lower than the previous year",
            "every burglary victim in {town} had received a visit from an officer within {n} hours",
            "a series of burglaries in {town} had been linked to a travelling organised crime group",
            "the burglary outcome rate had improved to {pct}% following the new investigation standards",
        ),
        "q": (
            "whether every residential burglary was still attended",
            "why the burglary outcome rate in {place} was below the force average",
        ),
        "act": ("report on burglary attendance times in {place}",),
    },
    "rural crime": {
        "head": ("Rural Crime", "Rural and Wildlife Crime"),
        "fact": (
            "thefts of quad bikes and farm machinery around {town} had increased over the winter",
            "the rural crime team had held {n} farm watch meetings across {place}",
            "hare coursing reports in {place} had fallen by {pct}% following the new dispersal powers",
        ),
        "q": ("how rural crime was being prioritised across {place}",),
        "act": ("provide an update on the rural crime team's work in {place}",),
    },
    "rasso": {
        "head": ("Rape and Serious Sexual Offences", "RASSO and Operation Soteria"),
        "fact": (
            "the charge rate for rape had improved to {pct}% following the adoption of Operation Soteria",
            "{n} RASSO investigations had been open for more than twelve months",
            "the worsening performance of action taken for rape had been raised with investigators",
        ),
        "q": (
            "how victims of rape were supported when investigations took over a year",
            "what had driven the improvement in RASSO outcomes",
        ),
        "act": ("share the Operation Soteria self-assessment with the PCC",),
    },
    "stop and search": {
        "head": ("Stop and Search", "Stop and Search and Use of Force"),
        "fact": (
            "{n} stop and searches had been carried out in {place}, with a find rate of {pct}%",
            "the disproportionality rate for stop and search of Black people was {n2} times that of White people",
            "body-worn video was activated in {pct}% of stop and search encounters",
        ),
        "q": ("for a breakdown of stop and search outcomes by ethnicity",),
        "act": ("provide stop and search outcomes by ethnicity for {place}",),
    },
    "vawg": {
        "head": ("Violence Against Women and Girls", "VAWG Delivery Plan"),
        "fact": (
            "the VAWG delivery plan had been refreshed with partners in {place}",
            "{n} reports of stalking had been received and stalking protection orders were increasing",
            "Walk and Talk sessions with women in {town} had identified poorly lit routes",
        ),
        "q": ("how women's safety in the night-time economy in {town} was being improved",),
        "act": ("publish the VAWG delivery plan", "report on stalking protection orders issued"),
    },
    "night-time economy": {
        "head": ("Night-Time Economy", "NTE and Licensing"),
        "fact": (
            "violence in the NTE in {town} had fallen by {pct}% following {op}",
            "the night-time economy in {town} had been supported by {n} street pastors at weekends",
            "licensed premises in {town} had been visited as part of {op}",
        ),
        "q": ("how the NTE plan in {town} was being evaluated",),
        "act": ("evaluate {op}, examining its role in reducing harm in the NTE",),
    },
    "drugs": {
        "head": ("Drugs and County Lines", "Serious Organised Crime", "County Lines"),
        "fact": (
            "{n} county lines had been closed in {place} during the intensification week",
            "cannabis factories had been found in {n} properties in {town}",
            "the Serious Organised Crime team were working with LPAs on recording disruptions",
            "drug-related harm in {town} was being addressed with the substance misuse service",
        ),
        "q": ("whether drug disruption figures were accurately recorded",),
        "act": ("provide the county lines disruption figures for {place}",),
    },
    "neighbourhood policing": {
        "head": ("Neighbourhood Policing", "Safer Neighbourhood Teams", "PCSO Numbers"),
        "fact": (
            "PCSO numbers in {place} had fallen to {n} because of vacancies",
            "the Safer Neighbourhood Team in {town} had held {n} beat surgeries this quarter",
            "neighbourhood officers were abstracted to response duties on {pct}% of shifts",
        ),
        "q": (
            "how many PCSOs were based in {town}",
            "whether neighbourhood officers were being abstracted",
        ),
        "act": ("provide the number of PCSO vacancies by {lpa}",),
    },
    "road safety": {
        "head": ("Road Safety", "Roads Policing", "Fatal Four"),
        "fact": (
            "{n} people had been killed or seriously injured on the roads of {place} this year",
            "Community Speed Watch groups in {place} had submitted {n} reports to the force",
            "drink and drug driving arrests had increased by {pct}% over the Christmas campaign",
        ),
        "q": ("what was being done about speeding on the A-roads around {town}",),
        "act": ("share the road casualty figures for {place}",),
    },
    "mental health": {
        "head": ("Mental Health", "Right Care Right Person"),
        "fact": (
            "Right Care Right Person had reduced officer hours spent on mental health incidents by {pct}%",
            "{n} people had been detained under section 136 this quarter",
            "officers had waited an average of {n} hours with patients at the emergency department",
        ),
        "q": ("how RCRP was being monitored with health partners",),
        "act": ("report on the impact of RCRP on officer time",),
    },
    "workforce": {
        "head": ("Officer Morale and Staff Sickness", "Workforce and Wellbeing", "Officer Uplift"),
        "fact": (
            "sickness absence had improved to {n2} days per officer",
            "the force had recruited {n} new officers under the uplift programme",
            "the staff survey showed that morale in {place} was lower than elsewhere in the force",
        ),
        "q": ("what was being done to improve morale in {place}",),
        "act": ("share the staff survey results with the PCC",),
    },
    "crime data integrity": {
        "head": ("Crime Data Integrity", "Crime Data Integrity – Other Offences Audit"),
        "fact": (
            "the latest crime data integrity audit showed {pct}% of crimes were recorded correctly",
            "timeliness of crime recording remained an issue when there was no deployment",
            "Athena now required ethnicity to be recorded before a crime could be finalised",
        ),
        "q": ("whether the issue with timeliness of recording was an organisational problem",),
        "act": ("report on the crime recording timeliness audit",),
    },
    "budget": {
        "head": ("Budget and Precept", "Finance Update", "Medium Term Financial Plan"),
        "fact": (
            "the force was forecasting an underspend of £{n}k at the end of quarter {q}",
            "the proposed precept increase was £{n2} for a Band D property",
            "the capital programme for the estate had slipped by {n} months",
        ),
        "q": ("how the savings plan would affect frontline policing in {place}",),
        "act": ("circulate the revised medium term financial plan",),
    },
    "peel": {
        "head": ("Quarterly HMICFRS Update", "PEEL Inspection", "HMICFRS Recommendations"),
        "fact": (
            "HMICFRS had graded the force as requires improvement for investigating crime",
            "{n} of the PEEL areas for improvement had now been closed",
            "the force felt prepared ahead of the HMICFRS PEEL inspection",
        ),
        "q": ("how the force would evidence progress against the HMICFRS causes of concern",),
        "act": ("share the HMICFRS recommendations tracker with the OPCC",),
    },
    "victims": {
        "head": ("Victim Services", "Victims' Code Compliance"),
        "fact": (
            "compliance with the Victims' Code had risen to {pct}%",
            "victim satisfaction with being kept informed was {pct}%",
            "{n} victims had been referred to the commissioned victim support service",
        ),
        "q": ("how VCOP compliance was being checked",),
        "act": ("report on Victims' Code compliance by {lpa}",),
    },
    "missing people": {
        "head": ("Missing Persons", "Child Exploitation and Missing Children"),
        "fact": (
            "{n} children had been reported missing from care homes in {place}",
            "return home interviews were completed in {pct}% of cases",
            "CSE referrals from schools in {town} had increased",
        ),
        "q": ("how repeat missing children in {place} were safeguarded",),
        "act": ("provide data on repeat missing children in {place}",),
    },
    "shoplifting": {
        "head": ("Retail Crime", "Shoplifting"),
        "fact": (
            "shoplifting in {town} had risen by {pct}% and retailers had asked for more patrols",
            "a retail crime partnership had been set up with businesses in {town}",
        ),
        "q": ("whether every shoplifting report with CCTV was investigated",),
        "act": ("report on the retail crime plan for {town}",),
    },
    "hate crime": {
        "head": ("Hate Crime",),
        "fact": (
            "reported hate crime in {place} had risen by {pct}% following events overseas",
            "third-party reporting centres had been opened in {town}",
        ),
        "q": ("whether hate crime victims in {place} were satisfied with the response",),
        "act": ("provide the hate crime outcomes for {place}",),
    },
    "fraud": {
        "head": ("Fraud and Cybercrime",),
        "fact": (
            "fraud victims in {place} had lost £{n}k to courier scams this year",
            "the cybercrime team had delivered {n} protect talks to older people",
        ),
        "q": ("how vulnerable victims of fraud were identified",),
        "act": ("share the fraud protect plan with the OPCC",),
    },
}

PARISH_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "potholes": {
        "head": ("Highways", "Potholes", "Highways and Footways"),
        "fact": (
            "the potholes in {street} had been reported to {authority} but had not been repaired",
            "{authority} had filled some potholes in {street} but the repairs were poor",
            "the road surface on {street} had deteriorated badly over the winter",
        ),
        "act": (
            "write to {authority} about the potholes in {street}",
            "chase {authority} Highways about the drains in {street}",
        ),
    },
    "speeding": {
        "head": ("Speeding", "Community Speed Watch", "Road Safety"),
        "fact": (
            "the Community Speed Watch group had recorded {n} vehicles exceeding the limit on {street}",
            "residents had asked for a 20mph limit outside the school on {street}",
            "the speed indicator device on {street} had recorded average speeds of {mph} mph",
        ),
        "act": (
            "ask the police to carry out speed checks on {street}",
            "obtain quotes for a second speed indicator device",
        ),
    },
    "planning": {
        "head": ("Planning", "Planning Applications", "Planning Permissions"),
        "fact": (
            "the council had no objection to the application for a rear extension at {n} {street}",
            "residents had objected to the proposed development of {n2} houses off {street}",
            "the planning appeal for land off {street} had been dismissed",
        ),
        "act": ("submit the council's comments on the application to {authority}",),
    },
    "anti-social behaviour": {
        "head": ("Police Report", "Anti-Social Behaviour", "Police Matters"),
        "fact": (
            "there had been {n} reports of anti-social behaviour at the recreation ground",
            "youths had been gathering in the car park on {street} late at night",
            "the PCSO had attended the skate park following reports of ASB",
        ),
        "act": ("report the anti-social behaviour at the recreation ground to the police",),
    },
    "dog fouling": {
        "head": ("Dog Fouling", "Environment"),
        "fact": (
            "dog fouling on the footpath by {street} remained a problem",
            "{authority} had agreed to install two new dog bins",
        ),
        "act": ("ask {authority} for additional dog bins on {street}",),
    },
    "play area": {
        "head": ("Play Area", "Recreation Ground", "Playing Fields"),
        "fact": (
            "the annual play inspection had identified {n} medium-risk items",
            "the swings at the play area had been repaired at a cost of £{n}0",
            "a grant of £{n}00 had been awarded towards new play equipment",
        ),
        "act": ("obtain three quotes for the play area surfacing",),
    },
    "street lighting": {
        "head": ("Street Lighting",),
        "fact": (
            "{n} street lights on {street} were out and had been reported",
            "the conversion of the council's street lights to LED was complete",
        ),
        "act": ("report the faulty street lights on {street} to {authority}",),
    },
    "flooding": {
        "head": ("Flooding", "Drains and Gullies"),
        "fact": (
            "the blocked gullies on {street} had caused flooding after heavy rain",
            "the flood wardens had met with {authority} and the Environment Agency",
        ),
        "act": ("ask {authority} to clear the gullies on {street}",),
    },
    "finance": {
        "head": ("Finance", "Accounts for Payment", "Financial Report"),
        "fact": (
            "the balance of the current account was £{money} and the reserve account £{money2}",
            "the precept for the coming year was agreed at £{money}",
            "the internal auditor had raised no issues",
        ),
        "act": ("prepare the budget for the next financial year",),
    },
    "grass cutting": {
        "head": ("Grass Cutting", "Open Spaces"),
        "fact": (
            "the grass cutting contract had been awarded for three years",
            "the verges on {street} had not been cut this season",
        ),
        "act": ("contact the contractor about the verges on {street}",),
    },
    "defibrillator": {
        "head": ("Defibrillator",),
        "fact": ("the defibrillator at {hall} had been checked and the pads replaced",),
        "act": ("arrange defibrillator training for residents",),
    },
    "footpaths": {
        "head": ("Footpaths and Rights of Way", "Public Rights of Way"),
        "fact": (
            "the footpath from {street} to the church was overgrown",
            "a stile on the footpath near {street} had been replaced",
        ),
        "act": ("report the overgrown footpath near {street} to {authority}",),
    },
}

BOARD_TOPICS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "health": {
        "mental health": {
            "head": ("Mental Health and Wellbeing", "Children and Young People's Mental Health"),
            "fact": (
                "waiting times for children's mental health services in {place} were {n} weeks",
                "the crisis café in {town} had supported {n} people",
            ),
            "act": ("bring a report on mental health waiting times to the next meeting",),
        },
        "gp access": {
            "head": ("Primary Care Access",),
            "fact": ("{pct}% of patients in {place} could get a GP appointment within two weeks",),
            "act": ("circulate the primary care access plan",),
        },
        "substance misuse": {
            "head": ("Drug and Alcohol Strategy",),
            "fact": ("drug-related deaths in {place} had risen to {n} last year",),
            "act": ("present the combating drugs partnership plan",),
        },
        "older people": {
            "head": ("Ageing Well", "Winter Pressures"),
            "fact": ("delayed discharges from hospital had fallen to {n} a day",),
            "act": ("share the winter plan with board members",),
        },
        "obesity": {
            "head": ("Healthy Weight",),
            "fact": ("{pct}% of children in {place} were overweight at the end of primary school",),
            "act": ("report on the healthy weight programme in schools",),
        },
        "domestic abuse": {
            "head": ("Domestic Abuse Strategy",),
            "fact": ("the domestic abuse needs assessment for {place} had been completed",),
            "act": ("circulate the domestic abuse needs assessment",),
        },
    },
    "library": {
        "opening hours": {
            "head": ("Opening Hours", "Library Opening Hours"),
            "fact": ("opening hours at {town} library had been extended on Saturdays",),
            "act": ("consult on the opening hours of the branch libraries",),
        },
        "mobile library": {
            "head": ("Mobile Library Service",),
            "fact": ("the mobile library now served {n} stops across {place}",),
            "act": ("review the mobile library routes",),
        },
        "volunteers": {
            "head": ("Volunteers",),
            "fact": ("{n} volunteers had given over {n2}00 hours this year",),
            "act": ("report on volunteer recruitment",),
        },
        "summer reading": {
            "head": ("Summer Reading Challenge",),
            "fact": ("{n}00 children had taken part in the Summer Reading Challenge",),
            "act": ("share the Summer Reading Challenge results",),
        },
        "digital inclusion": {
            "head": ("Digital Inclusion",),
            "fact": ("{n} people had used the digital help sessions at {town} library",),
            "act": ("apply for funding for more public computers",),
        },
        "budget": {
            "head": ("Finance Report", "Budget Monitoring"),
            "fact": ("the book fund had been reduced by {pct}% for the coming year",),
            "act": ("present the draft budget",),
        },
    },
    "csp": {
        "anti-social behaviour": {
            "head": ("Anti-Social Behaviour", "ASB Case Reviews"),
            "fact": ("{n} ASB case reviews had been requested in {place} this year",),
            "act": ("report on the ASB case review process",),
        },
        "domestic abuse": {
            "head": ("Domestic Abuse", "Domestic Homicide Reviews"),
            "fact": ("the domestic homicide review in {place} had been published",),
            "act": ("circulate the DHR action plan",),
        },
        "serious violence": {
            "head": ("Serious Violence Duty",),
            "fact": ("knife crime in {town} had fallen by {pct}% following {op}",),
            "act": ("present the serious violence strategy",),
        },
        "hate crime": {
            "head": ("Hate Crime",),
            "fact": ("{n} hate incidents had been reported in {town}",),
            "act": ("share the hate crime awareness plan",),
        },
    },
}

PARISH_QS = (
    "whether {authority} had responded to the council's letter",
    "when the work on {street} would be completed",
    "whether residents of {street} had been consulted",
    "what the cost to the council would be",
    "whether the matter could be raised with the county councillor",
)

OPERATIONS = (
    "Operation Sceptre",
    "Operation Vigilance",
    "Operation Encompass",
    "Operation Soteria",
    "Operation Hydra",
    "Operation Lighthouse",
    "Operation Safe Night",
    "Operation Nightingale",
    "Operation Drive",
    "Operation Snap",
    "Operation Tornado",
    "Operation Bluebell",
)
STREETS = (
    "Church Street",
    "High Street",
    "Mill Lane",
    "Station Road",
    "School Lane",
    "Chapel Hill",
    "Bridge Street",
    "Market Square",
    "The Green",
    "Castle Street",
    "Victoria Road",
    "Park Road",
    "Back Lane",
    "Orchard Close",
    "Kings Road",
    "Queens Road",
    "Meadow Way",
    "Water Lane",
)
QWORDS = ("one", "two", "three", "four")

TOPIC_LABEL = {
    "rasso": "RASSO",
    "vawg": "violence against women and girls",
    "peel": "the HMICFRS recommendations",
    "workforce": "officer wellbeing",
    "budget": "the budget",
    "missing people": "missing children",
    "shoplifting": "retail crime",
    "call handling": "999 and 101 call handling",
}
GENERIC_FACTS = (
    "performance on {topic} in {place} was in line with the most similar group of forces",
    "a case study from {town} had shown how {topic} was being tackled with partners",
    "the {topic} figures for {place} would be reviewed at the Force Delivery Group",
    "there had been a statistically significant change in {topic} in {place} this quarter",
    "{topic} remained a priority in the {plan}",
    "a problem-solving plan for {topic} in {town} had been agreed with the community safety partnership",
    "the data on {topic} for {place} was not yet reliable because of recording changes",
    "the Superintendent for {place} was leading a review of {topic}",
)
GENERIC_QS = (
    "how {place} compared with the rest of the force on {topic}",
    "what difference the public in {town} would see on {topic}",
    "whether the {topic} figures for {place} could be broken down further",
    "for assurance that {topic} was being given sufficient priority in {place}",
)
FEEDBACK = (
    "The {q} provided feedback that it would be helpful for the report to clearly identify areas for improvement.",
    "The {q} expressed disappointment that progress had been slower than expected.",
    "The {q} welcomed the improvement and asked that it be sustained.",
)

# --------------------------------------------------------------------------- bodies


@dataclass
class Body:
    key: str
    kind: str  # pcc | panel | parish | board
    name: str
    force: Force
    layout: str
    welsh: bool = False
    town: str = ""
    council_type: str = ""
    authority: str = ""
    venue: str = ""
    board_kind: str = ""
    people: dict[str, object] = field(default_factory=dict)


def plan_bodies(meetings: int, seed: int, bodies: int | None = None) -> list[Body]:
    """The bodies for a corpus of `meetings` minutes (about 12 meetings per body, at most
    132 bodies: above 1,584 meetings each body's series grows longer), or the first
    `bodies` of them (each then has about meetings / bodies: the length of a series)."""
    rng = random.Random(f"bodies:{seed}")
    pcc, panel, parish, board = [], [], [], []
    for f in FORCES:
        pcc.append(
            Body(
                f"{f.key}-pcc",
                "pcc",
                f"{f.area} Police and Crime Commissioner",
                f,
                rng.choice("AAB") if f.key != "west-mercia" else "A",
                welsh=f.welsh,
            )
        )
        panel.append(
            Body(
                f"{f.key}-pcp",
                "panel",
                f"{f.area} Police and Crime Panel",
                f,
                "C",
                welsh=f.welsh,
                authority=f.panel_host,
                venue=f.panel_venue,
            )
        )
    for town, ctype, fkey, authority, venue in COUNCILS:
        f = FORCE_BY_KEY[fkey]
        if f.welsh and ctype == "Parish Council":
            ctype = "Community Council"
        slug = town.lower().replace(" ", "-").replace("'", "")
        parish.append(
            Body(
                f"{slug}-{ctype.split()[0].lower()}-council",
                "parish",
                f"{town} {ctype}",
                f,
                rng.choice("DDE"),
                welsh=f.welsh,
                town=town,
                council_type=ctype,
                authority=authority,
                venue=venue,
            )
        )
    for name, bkind, fkey, venue in BOARDS:
        f = FORCE_BY_KEY[fkey]
        board.append(
            Body(
                name.lower().replace(" ", "-"),
                "board",
                name,
                f,
                "F",
                welsh=f.welsh,
                board_kind=bkind,
                venue=venue,
            )
        )
    for lst in (pcc, panel, parish, board):
        head = lst[:1] if lst is pcc else []  # West Mercia first: the real corpus's force
        rest = lst[1:] if lst is pcc else lst
        rng.shuffle(rest)
        lst[:] = head + rest
    pattern = ("pcc", "parish", "panel", "parish", "board", "parish")
    pools = {"pcc": pcc, "panel": panel, "parish": parish, "board": board}
    order: list[Body] = []
    while any(pools.values()):
        for k in pattern:
            if pools[k]:
                order.append(pools[k].pop(0))
    n_bodies = max(4, min(len(order), meetings // 12))
    if bodies is not None:
        n_bodies = max(1, min(len(order), bodies))
    return order[:n_bodies]


# --------------------------------------------------------------------------- helpers


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def long_date(d: dt.date, style: int) -> str:
    if style == 0:
        return f"{ordinal(d.day)} {d:%B %Y}"
    if style == 1:
        return f"{d:%A} {d.day} {d:%B %Y}"
    if style == 2:
        return f"{d:%A} {ordinal(d.day)} {d:%B %Y}"
    return f"{d.day} {d:%B %Y}"


def schedule(body: Body, count: int, rng: random.Random) -> list[dt.date]:
    """`count` meeting dates ending before END_DATE, at the body's usual interval and weekday."""
    step = {"pcc": 35, "panel": 56, "parish": 30, "board": 60}[body.kind]
    weekday = {"pcc": 1, "panel": 3, "parish": 0, "board": 2}[body.kind]
    dates: list[dt.date] = []
    d = END_DATE - dt.timedelta(days=rng.randrange(0, 20))
    while len(dates) < count:
        d2 = d - dt.timedelta(days=(d.weekday() - weekday) % 7)
        if (d2.month == 12 and d2.day >= 20) or (d2.month == 1 and d2.day <= 3):
            d2 -= dt.timedelta(days=7)  # nobody meets over Christmas
        if not (body.kind == "parish" and d2.month == 8):  # no parish meeting in August
            dates.append(d2)
        d = d2 - dt.timedelta(days=step + rng.randrange(-4, 5))
    return sorted(dates)


@dataclass
class OpenAction:
    ref: str
    text: str  # verb phrase: "provide a breakdown of ..."
    owner: str  # as written: "ACC", "Clerk", "OPCC"
    due: dt.date
    raised: dt.date
    age: int = 0


@dataclass
class MeetingInfo:
    """What was written for one meeting (the ground truth a test or benchmark can use)."""

    path: str
    body: str
    kind: str
    layout: str
    date: str
    attendees: list[tuple[str, str]]  # (name, role) of those present
    actions: list[tuple[str, str, str]]  # (ref, owner as written, due ISO)
    followups: list[tuple[str, str, str, str]] = field(default_factory=list)
    """Earlier actions this meeting reports on: (ref as raised, "done" or "updated", the
    date it was raised (ISO), its text as a verb phrase "provide a breakdown of ...")."""


class Roster:
    """The people of one body over time: elections every May, a chief constable's eras."""

    def __init__(
        self, body: Body, names: Names, force_people: dict[str, object], rng: random.Random
    ):
        self.body = body
        self.names = names
        self.rng = rng
        self.fp = force_people
        w = body.welsh
        if body.kind == "parish":
            self.members = []
            for _ in range(rng.randrange(6, 10)):
                self.members.append(self.member())
            self.clerk = self.member()
            self.county_cllr = self.member()
            self.pcso = self.member()
        elif body.kind == "panel":
            self.members = []
            for _ in range(rng.randrange(7, 11)):
                self.members.append(self.member())
            self.independent = []
            self.independent += [self.member(), self.member()]
            self.officer = self.member()
        elif body.kind == "board":
            self.members = []
            for _ in range(rng.randrange(6, 9)):
                self.members.append(self.member())
            self.officer = self.member()
        else:
            self.minute_taker = names.new(rng, w)
            self.policy = names.new(rng, w)
        self.chair_idx = 0
        self.year = None

    def new_year(self, d: dt.date) -> None:
        """May: a new chair; every fourth year an election replaces some members."""
        year = d.year if d.month >= 5 else d.year - 1
        if self.year is None:
            self.year = year
            return
        if year == self.year or not hasattr(self, "members"):
            return
        self.year = year
        if year % 4 == 1:
            for _ in range(self.rng.randrange(1, 3)):
                self.members.pop(self.rng.randrange(len(self.members)))
                self.members.append(self.member())
        if self.rng.random() < 0.4:
            self.chair_idx = self.rng.randrange(len(self.members))
        self.chair_idx %= len(self.members)
        if self.body.kind in ("parish", "board") and self.rng.random() < 0.08:
            self.clerk_or_officer_change()

    def member(self) -> Person:
        """A new member whose surname no other member has (parish minutes name surnames only)."""
        others = [getattr(self, k, None) for k in ("clerk", "county_cllr", "pcso", "officer")]
        others += getattr(self, "independent", [])
        taken = {m.last for m in getattr(self, "members", []) + others if m is not None}
        if self.body.kind == "panel":
            # "Councillor Turner" must not also be the Chief Executive Ms W Turner
            fp = self.fp
            taken |= {p.last for _, p in fp["pccs"]} | {e[2].last for e in fp["ccs"]}
            taken |= {p.last for p in fp["officers"].values()}
        for _ in range(50):
            p = self.names.new(self.rng, self.body.welsh)
            if p.last not in taken:
                return p
        return p

    def clerk_or_officer_change(self) -> None:
        if self.body.kind == "parish":
            self.clerk = self.member()
        else:
            self.officer = self.member()

    @property
    def chair(self) -> Person:
        return self.members[self.chair_idx % len(self.members)]


def force_people(force: Force, names: Names, seed: int) -> dict[str, object]:
    """The force's commissioners and chief officers by date (shared by its PCC and panel)."""
    rng = random.Random(f"force:{seed}:{force.key}")
    w = force.welsh
    terms = [dt.date(2008, 1, 1), dt.date(2016, 5, 5), dt.date(2021, 5, 6), dt.date(2024, 5, 2)]
    pccs = []
    prev = None
    for t in terms:
        p = prev if prev is not None and rng.random() < 0.35 else names.new(rng, w)
        pccs.append((t, p))
        prev = p
    # chief constables: each era starts with a few months as Temporary Chief Constable
    ccs = []
    d = dt.date(2008, 1, 1)
    while d < END_DATE:
        temp_until = d + dt.timedelta(days=rng.randrange(90, 300))
        ccs.append((d, temp_until, names.new(rng, w)))
        d = d + dt.timedelta(days=rng.randrange(3 * 365, 6 * 365))
    officers = {
        "DCC": names.new(rng, w),
        "ACC": names.new(rng, w),
        "ACC2": names.new(rng, w),
        "CEO": names.new(rng, w),
        "CFO": names.new(rng, w),
        "DPCC": names.new(rng, w),
        "Supt": names.new(rng, w),
    }
    return {"pccs": pccs, "ccs": ccs, "officers": officers}


def pcc_at(fp: dict, d: dt.date) -> Person:
    out = fp["pccs"][0][1]
    for start, p in fp["pccs"]:
        if d >= start:
            out = p
    return out


def cc_at(fp: dict, d: dt.date) -> tuple[Person, bool]:
    out = fp["ccs"][0]
    for era in fp["ccs"]:
        if d >= era[0]:
            out = era
    return out[2], d < out[1]


# --------------------------------------------------------------------------- writer


class Writer:
    """Writes one body's meetings in order, carrying its actions and minute numbers."""

    def __init__(self, body: Body, roster: Roster, seed: int):
        self.b = body
        self.r = roster
        self.rng = random.Random(f"writer:{seed}:{body.key}")
        self.open: list[OpenAction] = []
        self.followups: list[tuple[str, str, str, str]] = []  # see MeetingInfo.followups
        self.minute_no = self.rng.randrange(40, 2600) if body.kind in ("parish", "panel") else 0
        self.refs_by_year: dict[int, int] = {}
        pool = (
            list(POLICE_TOPICS)
            if body.kind in ("pcc", "panel")
            else (
                list(PARISH_TOPICS)
                if body.kind == "parish"
                else list(BOARD_TOPICS[body.board_kind])
            )
        )
        self.rng.shuffle(pool)
        self.focus = pool[:5]
        self.pool = pool

    # ---- small pieces

    def fill(self, template: str, **extra: str) -> str:
        r = self.rng
        f = self.b.force
        place = r.choice(f.districts)
        values = {
            "place": place,
            "place2": r.choice(f.districts),
            "town": self.b.town or r.choice(f.towns),
            "n": str(r.randrange(3, 180)),
            "n2": str(r.randrange(2, 9)),
            "pct": str(r.randrange(4, 96)),
            "pct2": str(r.randrange(4, 96)),
            "mph": str(r.randrange(27, 48)),
            "op": r.choice(OPERATIONS),
            "force": f.force,
            "plan": f.plan,
            "q": r.choice(QWORDS),
            "lpa": "LPA" if f.lpa else "district",
            "street": r.choice(STREETS),
            "authority": self.b.authority or "the council",
            "hall": self.b.venue,
            "money": f"{r.randrange(1000, 60000):,}.{r.randrange(0, 100):02d}",
            "money2": f"{r.randrange(1000, 60000):,}.{r.randrange(0, 100):02d}",
        }
        values.update(extra)
        return template.format(**values)

    def topics(self, k: int) -> list[str]:
        out: list[str] = []
        while len(out) < k:
            t = (
                self.rng.choice(self.focus)
                if self.rng.random() < 0.6
                else self.rng.choice(self.pool)
            )
            if t not in out:
                out.append(t)
        return out

    def new_ref(self, d: dt.date) -> str:
        n = self.refs_by_year.get(d.year, 0) + 1
        self.refs_by_year[d.year] = n
        return f"A{d.year % 100:02d}/{n:02d}"

    def due(self, d: dt.date) -> dt.date:
        x = d + dt.timedelta(days=self.rng.randrange(21, 120))
        # month ends read well in minutes ("by 31 July 2024")
        nxt = dt.date(x.year + (x.month == 12), x.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    def due_words(self, due: dt.date, d: dt.date) -> str:
        c = self.rng.random()
        if c < 0.5:
            return f"by {due.day} {due:%B %Y}"
        if c < 0.7:
            return "before the next meeting"
        if c < 0.85:
            return f"by the end of {due:%B}"
        return f"by the end of quarter {self.rng.choice(QWORDS)}"

    def carried(self, speaker_for: dict[str, str], style: str) -> list[str]:
        """Matters arising: the earlier actions still open, each closed or carried forward."""
        lines = []
        for a in list(self.open[:5]):
            a.age += 1
            who = speaker_for.get(a.owner, a.owner)
            roll = self.rng.random()
            done = roll < 0.55 or a.age > 3
            text = a.text[0].upper() + a.text[1:]
            if style == "ref":
                if done:
                    lines.append(
                        self.rng.choice(
                            (
                                f"{a.ref}: {text} – the {who} confirmed that this had been completed. Action closed.",
                                f"{a.ref}: {text} – completed.",
                                f"{a.ref}: The {who} confirmed that the action to {a.text} had been completed. Action closed.",
                            )
                        )
                    )
                else:
                    lines.append(
                        self.rng.choice(
                            (
                                f"{a.ref}: {text} – ongoing; the {who} reported that this would be completed by {a.due.day} {a.due:%B %Y}.",
                                f"{a.ref}: {text} – carried forward to the next meeting.",
                            )
                        )
                    )
            else:  # minute references, parish / panel style
                if done:
                    lines.append(
                        f"Min {a.ref} – action to {a.text}: {self.rng.choice(('done', 'completed', 'the Clerk reported this was complete'))}."
                    )
                else:
                    lines.append(f"Min {a.ref} – action to {a.text}: ongoing, {who} to follow up.")
            self.followups.append(
                (a.ref, "done" if done else "updated", a.raised.isoformat(), a.text)
            )
            if done:
                self.open.remove(a)
        return lines

    def add_action(self, ref: str, text: str, owner: str, due: dt.date, d: dt.date) -> None:
        self.open.append(OpenAction(ref, text, owner, due, d))

    # ---- police content

    def deck(self, pool: tuple[str, ...] | list[str]) -> list[str]:
        """A shuffled copy of `pool` to draw from without repeats."""
        out = list(pool)
        self.rng.shuffle(out)
        return out

    def draw(self, deck: list[str], refill: tuple[str, ...] | list[str]) -> str:
        if not deck:
            deck.extend(self.deck(refill))
        return deck.pop()

    def police_paragraph(
        self,
        topic: str,
        s: dict[str, str],
        d: dt.date,
        facts: list[str],
        qs: list[str],
        acts: list[str],
    ) -> tuple[str, tuple | None]:
        """One paragraph on a police topic; returns it and a commitment (text, owner, due) or None."""
        r = self.rng
        t = POLICE_TOPICS[topic]
        label = TOPIC_LABEL.get(topic, topic)
        all_facts = t["fact"] + tuple(g.replace("{topic}", label) for g in GENERIC_FACTS)
        all_qs = t["q"] + tuple(g.replace("{topic}", label) for g in GENERIC_QS)
        sp, q = s["speaker"], s["asker"]
        parts = []
        fact = self.fill(self.draw(facts, all_facts))
        opener = r.randrange(6)
        if opener == 0:
            parts.append(f"The {sp} stated that {fact}.")
        elif opener == 1:
            parts.append(f"The {sp} provided an update on {label} and reported that {fact}.")
        elif opener == 2:
            parts.append(f"{fact[0].upper()}{fact[1:]}.")
        elif opener == 3:
            parts.append(f"The {sp} outlined that {fact}.")
        elif opener == 4:
            parts.append(
                f"There was discussion of {label} in {self.fill('{place}')}, and the {sp} highlighted that {fact}."
            )
        else:
            parts.append(f"The {sp} acknowledged that {fact}.")
        if r.random() < 0.6:
            verb = r.choice(("added", "explained", "highlighted", "noted", "believed"))
            parts.append(f"The {s['second']} {verb} that {self.fill(self.draw(facts, all_facts))}.")
        if r.random() < 0.7:
            parts.append(
                f"The {q} {r.choice(('asked', 'asked', 'queried', 'enquired'))} {self.fill(self.draw(qs, all_qs))}."
            )
            answer = r.choice(("explained", "responded", "confirmed", "assured the " + q))
            parts.append(f"The {sp} {answer} that {self.fill(self.draw(facts, all_facts))}.")
        elif r.random() < 0.3:
            parts.append(r.choice(FEEDBACK).format(q=q))
        commitment = None
        if r.random() < 0.35 and acts:
            act = self.fill(acts.pop())
            due = self.due(d)
            how = r.randrange(3)
            if how == 0:
                parts.append(f"The {sp} agreed to {act} {self.due_words(due, d)}.")
            elif how == 1:
                parts.append(
                    f"The {sp} aims to {act} before the end of quarter {r.choice(QWORDS)}."
                )
            else:
                parts.append(f"The {sp} will {act} {self.due_words(due, d)}.")
            commitment = (act, sp, due)
        return " ".join(parts), commitment

    # ---- one meeting per layout

    def pcc(
        self, d: dt.date, idx: int
    ) -> tuple[str, list[tuple[str, str]], list[tuple[str, str, str]]]:
        r = self.rng
        b, f = self.b, self.b.force
        fp = self.r.fp
        pcc = pcc_at(fp, d)
        cc, temp = cc_at(fp, d)
        o = fp["officers"]
        cc_abbr = "T/CC" if temp else "CC"
        cc_role = (
            ("T/ Chief Constable" if b.layout == "A" else "Temporary Chief Constable")
            if temp
            else "Chief Constable"
        )
        people = [
            (pcc, "Police and Crime Commissioner", "PCC"),
            (o["CEO"], "Chief Executive, OPCC", "CEO"),
            (self.r.policy, "Policy Officer", "".join(w[0] for w in self.r.policy.name.split())),
            (self.r.minute_taker, "Minute Taker", "MT"),
            (cc, cc_role, cc_abbr),
            (o["DCC"], "Deputy Chief Constable", "DCC"),
            (o["ACC"], "Assistant Chief Constable", "ACC"),
        ]
        if r.random() < 0.5:
            people.insert(1, (o["DPCC"], "Deputy Police and Crime Commissioner", "DPCC"))
        apologies = []
        if r.random() < 0.4:
            apologies.append((o["CFO"], "Chief Finance Officer", "CFO"))
        officers = ["CC" if not temp else "T/CC", "DCC", "ACC"]
        speaker_for = {
            "CC": cc_abbr,
            "T/CC": cc_abbr,
            "DCC": "DCC",
            "ACC": "ACC",
            "CEO": "CEO",
            "PCC": "PCC",
        }
        q = r.randrange(1, 5)
        fy = f"{d.year if d.month >= 4 else d.year - 1}/{(d.year + (d.month >= 4)) % 100:02d}"
        title = r.choice(
            (
                f"Quarter {q} Performance – {fy}",
                "Performance and Accountability Meeting",
                f"Holding to Account Meeting – {fy}",
                f"Thematic Assurance and Accountability: {POLICE_TOPICS[self.focus[0]]['head'][0]}",
            )
        )
        lines: list[str] = []
        items = self.topics(r.randrange(4, 8))
        new_actions: list[tuple[str, str, str, dt.date]] = []  # ref, text, owner, due
        carried = self.carried(speaker_for, "ref")
        body_paras: list[tuple[str, list[str]]] = []
        for t in items:
            head = self.fill(r.choice(POLICE_TOPICS[t]["head"]))
            paras = []
            facts: list[str] = []
            qs: list[str] = []
            acts = self.deck(POLICE_TOPICS[t]["act"])
            for _ in range(r.randrange(1, 4)):
                sp = r.choice(officers)
                sp = cc_abbr if sp in ("CC", "T/CC") else sp
                second = r.choice([x for x in ("DCC", "ACC", cc_abbr) if x != sp])
                asker = r.choice(
                    ("PCC", "PCC", "CEO") + (("DPCC",) if people[1][2] == "DPCC" else ())
                )
                text, com = self.police_paragraph(
                    t, {"speaker": sp, "asker": asker, "second": second}, d, facts, qs, acts
                )
                paras.append(text)
                if com:
                    new_actions.append((self.new_ref(d), com[0], com[1], com[2]))
            if r.random() < 0.4 and acts:
                act = self.fill(acts.pop())
                owner = r.choice(("DCC", "ACC", cc_abbr, f.force))
                due = self.due(d)
                ref = self.new_ref(d)
                paras.append(
                    f"ACTION: {owner} to {act} {self.due_words(due, d)}. This is to be shared with the PCC once completed."
                )
                new_actions.append((ref, act, owner, due))
            body_paras.append((head, paras))
        nxt = d + dt.timedelta(days=35)
        if b.layout == "A":
            lines += [
                f"{d:%B} {ordinal(d.day)}, {d.year}",
                title,
                f"Date: {ordinal(d.day)} {d:%B %Y}",
                f"Chair: {pcc.name}",
                f"Minutes: {self.r.minute_taker.name}",
                f"Venue: {f.hq}",
                "Attendance:",
            ]
            lines += [f"- {p.name} {role} ({ab})" for p, role, ab in people]
            if apologies:
                lines.append("Apologies:")
                lines += [f"- {p.name} {role} ({ab})" for p, role, ab in apologies]
            lines.append("Review of Action Tracker")
            lines += carried or ["Actions were reviewed and progressed as per the action tracker."]
            for head, paras in body_paras:
                lines.append(head)
                lines += paras
            lines.append("Summary of Actions Arising")
            if new_actions:
                for ref, act, owner, due in new_actions:
                    lines.append(f"ACTION {ref}: {owner} to {act} by {due.day} {due:%B %Y}.")
            else:
                lines.append("No new actions were raised.")
            lines += [
                "AOB",
                "N/A",
                "Confirmation of next meeting type / date / time / venue:",
                f"Performance / {nxt:%d %b %Y} / 14:00 – 16:00 / {r.choice(f.rooms)}",
            ]
        else:
            lines += [
                f"{f.area} Police and Crime Commissioner",
                f"{title} – Minutes",
                f"Date: {long_date(d, 1)}, 14:00–16:00",
                f"Location: {r.choice(f.rooms)}",
                "",
                "Present:",
            ]
            lines += [f"• {p.name} – {role} ({ab})" for p, role, ab in people]
            if apologies:
                lines += ["", "Apologies:"] + [
                    f"• {p.name} – {role} ({ab})" for p, role, ab in apologies
                ]
            n = 1
            lines += ["", f"{n}. Welcome and introductions", "The PCC welcomed attendees."]
            n += 1
            lines += ["", f"{n}. Matters arising and action log"]
            lines += carried or ["There were no outstanding actions."]
            for head, paras in body_paras:
                n += 1
                lines += ["", f"{n}. {head}"] + paras
            n += 1
            lines += ["", f"{n}. Action log", "Ref\tAction\tOwner\tDue"]
            for ref, act, owner, due in new_actions:
                lines.append(f"{ref}\t{act[0].upper()}{act[1:]}\t{owner}\t{due:%d/%m/%Y}")
            n += 1
            lines += ["", f"{n}. Date of next meeting", f"{long_date(nxt, 3)}, 14:00, {f.hq}."]
        for ref, act, owner, due in new_actions:
            self.add_action(ref, act, owner, due, d)
        present = [(p.name, role) for p, role, _ in people]
        acts = [(ref, owner, due.isoformat()) for ref, _, owner, due in new_actions]
        return "\n".join(lines) + "\n", present, acts

    def panel(self, d: dt.date, idx: int):
        r = self.rng
        b, f = self.b, self.b.force
        fp = self.r.fp
        self.r.new_year(d)
        pcc = pcc_at(fp, d)
        cc, temp = cc_at(fp, d)
        o = fp["officers"]
        chair = self.r.chair
        others = [m for m in self.r.members if m is not chair]
        absent = others.pop(r.randrange(len(others))) if r.random() < 0.6 else None
        indep = self.r.independent[idx % 2]
        cc_title = "Temporary Chief Constable" if temp else "Chief Constable"
        lines = [
            f"{f.area.upper()} POLICE AND CRIME PANEL",
            "",
            f"MINUTES of a meeting of the {f.area} Police and Crime Panel held at {b.venue} on {d:%A}, {d.day} {d:%B %Y} at 10.00 am",
            "",
            "PRESENT: Councillor "
            + chair.initial
            + " (Chairman), Councillors "
            + ", ".join(m.initial for m in others[:-1])
            + f" and {others[-1].initial} and "
            + f"{'Mr' if not indep.she else 'Ms'} {indep.initial} (Independent Member)",
            "",
            f"ALSO PRESENT: {'Mr' if not pcc.she else 'Ms'} {pcc.initial} (Police and Crime Commissioner), "
            f"{'Ms' if o['CEO'].she else 'Mr'} {o['CEO'].initial} (Chief Executive, OPCC), "
            f"{'Mr' if not cc.she else 'Ms'} {cc.initial} ({cc_title}), "
            f"{'Ms' if self.r.officer.she else 'Mr'} {self.r.officer.initial} (Panel Support Officer)",
            "",
        ]
        if absent:
            lines += [f"APOLOGIES: Councillor {absent.initial}", ""]
        present = [(chair.name, "Chairman")] + [(m.name, "Councillor") for m in others]
        carried = self.carried({"OPCC": "Chief Executive"}, "min")
        new_actions = []

        def item(title: str, paras: list[str]) -> None:
            self.minute_no += 1
            lines.append(f"{self.minute_no}. {title.upper()}")
            lines.extend(paras)
            lines.append("")

        item("Declarations of interest", ["There were no declarations of interest."])
        prev = d - dt.timedelta(days=56)
        item(
            "Minutes",
            [
                f"RESOLVED that the minutes of the meeting held on {prev.day} {prev:%B %Y} be approved as a correct record."
            ]
            + (["Matters arising:"] + carried if carried else []),
        )
        for t in self.topics(r.randrange(2, 5)):
            tp = POLICE_TOPICS[t]
            cllr = r.choice(others)
            paras = [
                f"The Commissioner presented the report on {t} and stated that {self.fill(r.choice(tp['fact']))}.",
                f"Councillor {cllr.last} asked {self.fill(r.choice(tp['q']))}. The {cc_title} explained that {self.fill(r.choice(tp['fact']))}.",
            ]
            if r.random() < 0.5:
                c2 = r.choice(others)
                paras.append(
                    f"Councillor {c2.last} raised concerns about {t} in {self.fill('{town}')}."
                )
            if r.random() < 0.45:
                act = self.fill(r.choice(tp["act"]))
                due = self.due(d)
                paras.append(f"ACTION: OPCC to {act} by {due.day} {due:%B %Y}.")
                new_actions.append((str(self.minute_no + 1), act, "OPCC", due))
            if r.random() < 0.3:
                paras.append(
                    f"The Chief Executive undertook to {self.fill(r.choice(tp['act']))} before the next meeting."
                )
            item(
                POLICE_TOPICS[t]["head"][0].replace("{town}", self.fill("{town}")) + " report",
                paras,
            )
        if d.month in (1, 2):
            band = r.randrange(10, 16)
            item(
                f"Precept proposal {d.year}/{(d.year + 1) % 100:02d}",
                [
                    f"The Commissioner presented his proposed precept for {d.year}/{(d.year + 1) % 100:02d}, an increase of £{band} for a Band D property.",
                    f"{'Mr' if not indep.she else 'Ms'} {indep.last} asked about the use of reserves. The Commissioner explained that reserves would fall to {r.randrange(2, 6)}% of the budget by March {d.year + 1}.",
                    "RESOLVED that the Panel supports the proposed precept.",
                ],
            )
        item(
            "Work programme",
            [
                f"It was agreed that the Chairman would write to the Home Office about funding for {r.choice(('rural crime', 'neighbourhood policing', 'victim services'))}.",
                "RESOLVED that the work programme be noted.",
            ],
        )
        nxt = d + dt.timedelta(days=56)
        item(
            "Date of next meeting",
            [
                f"The next meeting will be held on {nxt:%A} {nxt.day} {nxt:%B %Y} at 10.00 am at {b.venue}."
            ],
        )
        for ref, act, owner, due in new_actions:
            self.add_action(ref, act, owner, due, d)
        return (
            "\n".join(lines),
            present,
            [(ref, owner, due.isoformat()) for ref, _, owner, due in new_actions],
        )

    def parish(self, d: dt.date, idx: int):
        r = self.rng
        b = self.b
        self.r.new_year(d)
        chair = self.r.chair
        others = [m for m in self.r.members if m is not chair]
        absent = r.sample(others, r.randrange(0, 3)) if len(others) > 5 else []
        present_m = [chair] + [m for m in others if m not in absent]
        clerk = self.r.clerk
        carried = self.carried({"Clerk": "Clerk"}, "min")
        new_actions = []
        entries: list[tuple[str, str]] = []

        def speaker() -> Person:
            return r.choice(present_m)

        entries.append(
            (
                "Police Report",
                self.fill(
                    r.choice(
                        (
                            "PCSO {pcso} reported {n} crimes in the parish since the last meeting, including a theft from a vehicle on {street}. Residents are asked to report any suspicious activity.",
                            "No police report received. The Clerk will ask PCSO {pcso} to attend the next meeting.",
                            "PCSO {pcso} reported that there had been {n2} incidents of anti-social behaviour at the recreation ground and patrols have been increased.",
                        )
                    ),
                    pcso=self.r.pcso.last,
                ),
            )
        )
        entries.append(
            (
                "Public Forum",
                r.choice(
                    (
                        "No members of the public present.",
                        f"A resident raised concerns about parking on {r.choice(STREETS)}.",
                    )
                ),
            )
        )
        entries.append(
            (
                "Apologies for absence",
                ("Cllrs " + " & ".join(a.last for a in absent) + ".") if absent else "None.",
            )
        )
        entries.append(("Declarations of interest", "None."))
        entries.append(("Approval of minutes of previous meeting", "Approved & signed as correct."))
        if carried:
            entries.append(("Matters arising", " ".join(carried)))
        for t in self.topics(r.randrange(3, 6)):
            tp = PARISH_TOPICS[t]
            c = speaker()
            sents = [
                r.choice(
                    (
                        f"Cllr {c.last} stated that {self.fill(r.choice(tp['fact']))}.",
                        f"The Clerk reported that {self.fill(r.choice(tp['fact']))}.",
                        f"Cllr {c.last} raised that {self.fill(r.choice(tp['fact']))}.",
                    )
                )
            ]
            if r.random() < 0.5:
                c2 = speaker()
                sents.append(f"Cllr {c2.last} asked {self.fill(r.choice(tp.get('q', PARISH_QS)))}.")
            act = self.fill(r.choice(tp["act"]))
            roll = r.random()
            owner = None
            if roll < 0.45:
                sents.append(f"Clerk to {act}.")
                owner = "Clerk"
            elif roll < 0.7:
                c3 = speaker()
                sents.append(f"Cllr {c3.last} will {act} before the next meeting.")
                owner = f"Cllr {c3.last}"
            elif roll < 0.8:
                sents.append(f"County Cllr {self.r.county_cllr.last} offered to {act}.")
            entries.append(
                (PARISH_TOPICS[t]["head"][r.randrange(len(tp["head"]))], " ".join(sents))
            )
            if owner:
                new_actions.append((entries, len(entries) - 1, act, owner))
        entries.append(
            (
                "Correspondence",
                self.fill(
                    r.choice(
                        (
                            "Letter from {authority} regarding the local plan consultation. Noted.",
                            "Email from a resident about the condition of {street}. Clerk to respond.",
                            "Wales Air Ambulance – letter of thanks for donation."
                            if b.welsh
                            else "Air Ambulance – letter of thanks for donation.",
                        )
                    )
                ),
            )
        )
        nxt = d + dt.timedelta(days=28 if d.month != 7 else 56)
        entries.append(("Date of next meeting", f"{nxt:%B} {ordinal(nxt.day)}."))
        # number the minutes and resolve the action refs
        first_no = self.minute_no + 1
        self.minute_no += len(entries)
        out_actions = []
        for _, i, act, owner in new_actions:
            ref = str(first_no + i)
            due = self.due(d)
            self.add_action(ref, act, owner, due, d)
            out_actions.append((ref, owner, ""))
        att = [m for m in present_m]
        present = (
            [(chair.name, "Chair")]
            + [(m.name, "Councillor") for m in att if m is not chair]
            + [(clerk.name, "Clerk")]
        )
        if b.layout == "D":
            cl = [f"{m.last} (Chair)" if m is chair else m.last for m in att]
            head = (
                f"Minutes of a meeting of {b.name} held on {long_date(d, 2)} at 7.00pm in {b.venue.replace('the ', '').strip()}."
                if r.random() < 0.5
                else f"{b.name}\nMinutes of a meeting of the above council held on {long_date(d, 2)} at 7.00pm in {b.venue}."
            )
            lines = [
                head,
                f"Present: Cllrs {', '.join(cl[:-1])} & {cl[-1]}, County Cllr {self.r.county_cllr.last} and {clerk.name} (Clerk).",
            ]
            for k, (title, text) in enumerate(entries):
                lines.append(f"{first_no + k}. {title}: {text}")
            lines.append(
                f"There being no further business the meeting closed at {r.randrange(8, 10)}.{r.randrange(0, 60):02d}."
            )
            return "\n".join(lines) + "\n", present, out_actions
        # layout E: Markdown, "Those attending"
        attending = [f"Cllr {chair.initial} (Chair)"] + [
            f"Cllr {m.initial}" for m in att if m is not chair
        ]
        attending += [
            f"County Cllr {self.r.county_cllr.initial}",
            f"{'Mrs' if clerk.she else 'Mr'} {clerk.initial} (Clerk)",
            f"{r.randrange(0, 15)} members of the public",
        ]
        lines = [
            "---",
            f'title: "{b.name} - {d:%B %Y}"',
            f'date: "{d.isoformat()}"',
            "---",
            "",
            f"Minutes of {b.name} Meeting held in {b.venue}, at 7.30pm on {long_date(d, 2)}",
            "",
            "**Those attending:** " + ", ".join(attending),
            "",
        ]
        for k, (title, text) in enumerate(entries):
            lines += [f"{k + 1}. **{title}**", "", text, ""]
        return "\n".join(lines), present, out_actions

    def board(self, d: dt.date, idx: int):
        r = self.rng
        b = self.b
        self.r.new_year(d)
        chair = self.r.chair
        members = [m for m in self.r.members if m is not chair]
        absent = r.choice(members) if r.random() < 0.5 else None
        members = [m for m in members if m is not absent]
        officer = self.r.officer
        topics = BOARD_TOPICS[b.board_kind]
        role, abbr = {
            "health": ("Director of Public Health", "DPH"),
            "library": ("Head of Library Services", "HLS"),
            "csp": ("Community Safety Manager", "CSM"),
        }[b.board_kind]
        member_roles = ("Board Member", "Councillor", "Independent Member", "Board Member")
        mroles = [member_roles[len(m.last) % len(member_roles)] for m in members]
        lines = [
            b.name,
            f"Minutes of the meeting held on {long_date(d, r.choice((1, 3)))} at 10:00 at {b.venue}",
            "",
            "Present:",
            f"{chair.name} (Chair)",
        ]
        lines += [f"{m.name}, {mr}" for m, mr in zip(members, mroles, strict=True)]
        lines += ["", "In attendance:", f"{officer.name} – {role} ({abbr})", ""]
        if absent:
            lines += [f"Apologies: {absent.name}", ""]
        carried = self.carried({abbr: abbr}, "ref")
        n = 1
        lines += [f"{n}. Welcome and apologies", "The Chair welcomed members to the meeting.", ""]
        n += 1
        lines += [
            f"{n}. Minutes of the previous meeting and matters arising",
            "The minutes of the previous meeting were agreed as a correct record.",
        ]
        lines += carried
        lines.append("")
        new_actions = []
        for t in self.topics(min(len(topics), r.randrange(2, 5))):
            n += 1
            tp = topics[t]
            facts = self.deck(tp["fact"])
            m = r.choice(members)
            lines += [
                f"{n}. {r.choice(tp['head'])}",
                f"The {abbr} presented the report and stated that {self.fill(facts.pop())}.",
                f"{m.name} asked how this compared with neighbouring areas. The {abbr} explained that "
                f"{self.fill(self.draw(facts, tp['fact']))}.",
            ]
            if r.random() < 0.4:
                m2 = r.choice(members)
                lines.append(
                    f"{m2.name} {r.choice(('welcomed', 'noted', 'praised'))} the progress made in {self.fill('{town}')}."
                )
            if r.random() < 0.6:
                act = self.fill(r.choice(tp["act"]))
                due = self.due(d)
                new_actions.append((self.new_ref(d), act, abbr, due))
            lines.append("")
        n += 1
        lines += [f"{n}. Action log", "Ref\tAction\tOwner\tDue"]
        for ref, act, owner, due in new_actions:
            lines.append(f"{ref}\t{act[0].upper()}{act[1:]}\t{owner}\t{due:%d/%m/%Y}")
        nxt = d + dt.timedelta(days=60)
        n += 1
        lines += ["", f"{n}. Date of next meeting", f"{long_date(nxt, 3)}, 10:00, {b.venue}."]
        for ref, act, owner, due in new_actions:
            self.add_action(ref, act, owner, due, d)
        present = [(chair.name, "Chair")] + [
            (m.name, mr) for m, mr in zip(members, mroles, strict=True)
        ]
        present.append((officer.name, role))
        acts = [(ref, owner, due.isoformat()) for ref, _, owner, due in new_actions]
        return "\n".join(lines) + "\n", present, acts


def generate(
    out_dir: str | Path, meetings: int, seed: int = 42, bodies: int | None = None
) -> list[MeetingInfo]:
    """Write `meetings` minutes under `out_dir` (created if needed); `bodies` sets how
    many bodies share them (None: about 12 meetings per body, see `plan_bodies`).

    Returns:
        One MeetingInfo per file, in the order written (body by body, oldest first).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    planned = plan_bodies(meetings, seed, bodies)
    names = Names()
    fps = {f.key: force_people(f, names, seed) for f in FORCES}
    per = [meetings // len(planned) + (i < meetings % len(planned)) for i in range(len(planned))]
    infos: list[MeetingInfo] = []
    for body, count in zip(planned, per, strict=True):
        rng = random.Random(f"roster:{seed}:{body.key}")
        roster = Roster(body, names, fps[body.force.key], rng)
        writer = Writer(body, roster, seed)
        method = {
            "pcc": writer.pcc,
            "panel": writer.panel,
            "parish": writer.parish,
            "board": writer.board,
        }[body.kind]
        for i, d in enumerate(schedule(body, count, rng)):
            writer.followups = []
            text, present, actions = method(d, i)
            ext = "md" if body.layout == "E" else "txt"
            path = out / f"{body.key}_{d.isoformat()}.{ext}"
            path.write_text(text, encoding="utf-8")
            infos.append(
                MeetingInfo(
                    str(path),
                    body.name,
                    body.kind,
                    body.layout,
                    d.isoformat(),
                    present,
                    actions,
                    list(writer.followups),
                )
            )
    return infos


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--meetings", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument(
        "--bodies",
        type=int,
        help="how many bodies share the meetings (default: about 12 meetings each, at "
        "most 132): fewer bodies, longer series",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    infos = generate(args.out_dir, args.meetings, args.seed, args.bodies)
    size = sum(Path(i.path).stat().st_size for i in infos)
    bodies = len({i.body for i in infos})
    print(
        f"wrote {len(infos)} minutes of {bodies} bodies to {args.out_dir} "
        f"({size / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
