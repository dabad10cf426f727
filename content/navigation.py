"""The site's page map. It is part of the design (shared/PRODUCT.md), so it lives in code.

It is the one list of the site's main pages: the menu, the benchmark (bench/run.py) and the tests
read it; it is plain data, so the benchmark can read it without starting Django. Templates link to
single pages with `{% url %}`.
"""

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
