"""Distinct, realistic article dumps made on demand, for tests that need many inputs."""

from __future__ import annotations

import random

_PLACES = [
    "Harbourside",
    "Millbrook",
    "Eastvale",
    "Cedar Point",
    "Northgate",
    "Riverton",
    "Ashford",
    "Kingsmere",
    "Lowfield",
    "Bramley",
    "Oakhurst",
    "Westcliff",
]
_THINGS = [
    "the new library",
    "the tram extension",
    "a community garden",
    "the old mill",
    "the ferry timetable",
    "a flood barrier",
    "the school canteen",
    "the night market",
    "a bicycle lane",
    "the swimming pool",
    "the bus depot",
    "a solar farm",
]
_PEOPLE = [
    "Dana Whitlock",
    "Marcus Lin",
    "Priya Natarajan",
    "Tom Ellery",
    "Lucy Fernandez",
    "Daniel Okafor",
    "Hannah Berg",
    "Samuel Achebe",
    "Mei Tanaka",
    "Oskar Lund",
]
_VERBS = [
    "approved",
    "postponed",
    "expanded",
    "reviewed",
    "criticised",
    "welcomed",
    "funded",
    "redesigned",
    "inspected",
    "reopened",
]
_SENTENCES = [
    "Councillors in {place} {verb} plans for {thing} on {day}, after months of debate.",
    "Residents told the meeting that {thing} had changed how they travel to work each morning.",
    "The project is expected to cost about {money} million over the next {years} years.",
    "{person}, who has lived in {place} for {years} decades, said the decision was long overdue.",
    "Officials said a public consultation would open in {month} and run for six weeks.",
    "Critics argued that the money would be better spent on repairing roads and pavements.",
    "A spokesperson for the regional authority said safety checks were completed last {month}.",
    "Local businesses expect more visitors once {thing} is finished, according to a survey.",
    "The council will publish detailed drawings on its website before the summer break.",
    "{person} said volunteers had collected more than {count} signatures in two weeks.",
]


def make_dump(n: int, *, site: str = "Riverside Courier", paragraphs: int = 5) -> str:
    """A text dump of a made-up local news page: nav, title, byline, body, footer."""
    rng = random.Random(n)
    place = rng.choice(_PLACES)
    thing = rng.choice(_THINGS)
    person = rng.choice(_PEOPLE)
    fill = {
        "place": place,
        "thing": thing,
        "person": person,
        "verb": rng.choice(_VERBS),
        "day": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday"]),
        "money": rng.randint(2, 90),
        "years": rng.randint(2, 9),
        "month": rng.choice(["March", "April", "June", "September"]),
        "count": rng.randint(200, 9000),
    }
    body = []
    for p in range(paragraphs):
        picks = rng.sample(_SENTENCES, 3)
        body.append(f"In update {n}.{p}, " + " ".join(s.format(**fill) for s in picks))
    title = f"{place} council {fill['verb']} plans for {thing} (report {n})"
    return "\n".join(
        [
            site,
            "Home | News | Local | Sport | Business | Weather",
            "",
            title,
            "",
            f"By {rng.choice(_PEOPLE)} | {site} | 5 March 2025",
            "Share",
            "",
            *[line for para in body for line in (para, "")],
            f"Copyright © 2025 {site}. All rights reserved.",
            "",
        ]
    )
