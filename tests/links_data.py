"""Hand-built datasets for the links, path and brokers tests (CSV tables for make_dataset)."""
# ruff: noqa: E501  (CSV fixtures keep their real header lines, however long)

from __future__ import annotations

# Driver dr-main has two responders (in-r1, in-r2). in-planted shares one rare
# competency with them (c-rare: only in-r1 and in-planted address it);
# in-common and the eight fillers share two common professions (p-common:
# 11 initiatives, p-other: 10). Raw counts would rank in-common above
# in-planted (2 shared items against 1); rarity must not. Every title and
# description uses its own words, so text similarity plays no part here.
FILLERS = [f"in-f{i}" for i in range(1, 9)]

_FILLER_ROWS = "\n".join(
    f"        {id_},Filler {word},,,org-x,,active,{start},,,p-common;p-other,{addresses},,{builds}"
    for id_, word, start, addresses, builds in [
        ("in-f1", "aardvark", "2024-01-01", "c-y", ""),
        ("in-f2", "bison", "2024-06-01", "c-y", "in-f1"),
        ("in-f3", "caribou", "2025-01-01", "c-y", ""),
        ("in-f4", "dormouse", "", "", ""),
        ("in-f5", "echidna", "", "", ""),
        ("in-f6", "ferret", "", "", ""),
        ("in-f7", "gerbil", "", "", ""),
        ("in-f8", "hedgehog", "", "", ""),
    ]
)

LINKS_TABLES: dict[str, str | None] = {
    "frameworks": """\
        id,name,publisher,version
        fw-core,Core skills,Test publisher,1
        """,
    "competencies": """\
        id,name,framework,parent,description,equivalent_to
        c-rare,Rare skill,fw-core,,,
        c-common,Common skill,fw-core,,,
        c-x,Xylophone skill,fw-core,,,
        c-y,Yodel skill,fw-core,,,
        """,
    "professions": """\
        id,name,sector,description
        p-common,Common profession,care,
        p-other,Other profession,care,
        p-solo,Solo profession,care,
        """,
    "requirements": "profession,competency,priority\n",
    "organisations": """\
        id,name,sector,member_of
        org-lead1,Lead one,statutory,
        org-lead2,Lead two,nhs,
        org-p1,Partner one,voluntary,
        org-x,Other org,other,
        """,
    "workforce": "organisation,profession,headcount\n",
    "training_events": (
        "id,title,lead_organisation,start_date,end_date,delivery,places,cost,evaluation,"
        "status,targets,covers,initiative\n"
    ),
    "drivers": """\
        id,name,kind,issued,description
        dr-main,Zebra review,inquiry,2024-01-01,Quokka findings
        dr-other,Wombat strategy,strategy,2024-02-01,Narwhal goals
        dr-empty,Okapi duty,legislation,2024-03-01,Tapir reporting duty
        """,
    "initiatives": f"""\
        id,title,description,kind,lead_organisation,partners,status,start_date,end_date,budget,targets,addresses,responds_to,builds_on
        in-r1,Lynx plan,Marmot work,,org-lead1,org-p1,active,2025-01-01,2025-12-31,,p-common,c-rare;c-common,dr-main,
        in-r2,Heron plan,Ibis work,,org-lead2,,completed,2024-01-01,2024-06-30,,p-common;p-other,c-x,dr-main;dr-other,
        in-planted,Puffin plan,Pelican work,,org-x,,proposed,2026-01-01,,,p-solo,c-rare,dr-other,
        in-common,Cobra plan,Condor work,,org-x,,active,,,,p-common;p-other,c-y,,
{_FILLER_ROWS}
        """,
}

# A tree-shaped partnership network (in-3 - org-a - in-1 - org-hub - in-2 - org-b,
# and org-hub - in-4): in a tree every pair has one route, so betweenness can be
# worked out by hand (see test_links_brokers.py).
BROKER_INITIATIVES = """\
    id,title,description,kind,lead_organisation,partners,status,start_date,end_date,budget,targets,addresses,responds_to,builds_on
    in-1,One,,,org-hub,org-a,active,,,,,,,
    in-2,Two,,,org-hub,org-b,active,,,,,,,
    in-3,Three,,,org-a,,active,,,,,,,
    in-4,Four,,,org-hub,,stopped,,,,,,,
    """

BROKER_ORGANISATIONS = """\
    id,name,sector,member_of
    org-hub,Hub council,statutory,
    org-a,Agency A,nhs,
    org-b,Agency B,voluntary,
    """

# Paths: in-a - org-council - in-c (one chain); in-d and in-e joined through org-m1
# and through org-m2 (two chains); in-iso and org-lone apart from everything.
PATH_ORGANISATIONS = """\
    id,name,sector,member_of
    org-partnership,Test partnership,partnership,
    org-council,Test council,statutory,org-partnership
    org-m1,Middle one,nhs,
    org-m2,Middle two,voluntary,
    org-lone,Lone agency,other,
    """

PATH_INITIATIVES = """\
    id,title,description,kind,lead_organisation,partners,status,start_date,end_date,budget,targets,addresses,responds_to,builds_on
    in-plan,Safeguarding plan,Plan for training,strategy,org-council,org-partnership,active,2025-01-01,,10000,p-social-worker,c-area,dr-review,
    in-a,Neglect toolkit,,,org-council,,active,,,,,,,
    in-c,Early help,,,org-m1,org-council,active,,,,,,,
    in-d,Dee project,,,org-m1,org-m2,active,,,,,,,
    in-e,Eee project,,,org-m2,org-m1,active,,,,,,,
    in-iso,Island,,,org-lone,,active,,,,,,,
    """
