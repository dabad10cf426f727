"""The site's page map. It is part of the design (shared/PRODUCT.md), so it lives in code."""

from typing import NamedTuple


class NavItem(NamedTuple):
    url: str
    label: str


MAIN_NAV = [
    NavItem("/", "Home"),
    NavItem("/understanding-relapse/", "About relapse"),
    NavItem("/taking-pomalyst/", "Taking POMALYST"),
    NavItem("/safety/", "Safety"),
    NavItem("/drug-facts/", "Drug facts"),
    NavItem("/support/", "Support"),
    NavItem("/guides/", "Guides"),
    NavItem("/my-calendar/", "My calendar"),
    NavItem("/sheets/", "Take-along sheets"),
    NavItem("/glossary/", "Glossary"),
    NavItem("/search/", "Search"),
]
