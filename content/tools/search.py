"""Site search: published pages, their sections, guides and glossary words.

One interface, `search(text)`, over the database's own full-text engine:
- PostgreSQL: a stored `search_vector` column (generated from the title and the text, the title
  weighted higher) with a GIN index, queried with `@@`, ranked with `ts_rank` and highlighted
  with `ts_headline`.
- SQLite: an FTS5 table kept in step with `content_searchentry` by triggers, ranked with
  `bm25` and highlighted with `snippet`.
Both stem English words (PostgreSQL's `english` configuration, FTS5's `porter` tokenizer).

`SearchEntry` rows are kept current by signals: saving, publishing, unpublishing or deleting an
item updates or removes its row, so drafts are never found. A search makes two queries: the
synonym list, then one query that lists items with every word first and items with only some of
the words after them. With the page's site-wide texts that is 3. The words typed are never
logged.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString, mark_safe

from ..models import (
    GlossaryTerm,
    Guide,
    Page,
    SearchEntry,
    SearchKind,
    SearchSynonym,
    Section,
    Status,
)

MIN_LENGTH = 2
MAX_LENGTH = 200
MAX_WORDS = 10
RESULTS = 20
START, STOP = "\u27e6", "\u27e7"  # highlight markers, turned into <mark> after escaping
WORD = re.compile(r"\w+")
TAG = re.compile(r"<[^>]+>")
GLOSSARY_MEANING = re.compile(r'<details class="gloss".*?</details>', re.DOTALL)
SPACES = re.compile(r"\s+")

FTS_TABLE = "content_searchentry_fts"


class SearchInputError(ValueError):
    """The text cannot be searched; the message says why in plain words."""


@dataclass(frozen=True)
class Result:
    kind: str
    url: str
    title: str
    context: str
    excerpt: SafeString

    @property
    def kind_label(self) -> str:
        return SearchKind(self.kind).label


# Keeping the index current


def plain_text(stored_html: str) -> str:
    """The words of stored HTML, without the glossary meanings added after terms."""
    text = TAG.sub(" ", GLOSSARY_MEANING.sub(" ", stored_html or ""))
    return SPACES.sub(" ", html.unescape(text)).strip()


def _store(kind: str, object_id: int, **values) -> None:
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=values)


def _remove(kind: str, object_ids) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def _index(
    kind: str, item, title: str, context: str, body: str, *, page: Page | None = None
) -> bool:
    """Store the item's entry while it is published (a section: while its page is); remove it
    otherwise. Returns whether the item is in the index now."""
    owner = page or item
    if owner.status != Status.PUBLISHED:
        _remove(kind, [item.pk])
        return False
    url = owner.get_absolute_url() + (f"#{item.anchor}" if page else "")
    _store(kind, item.pk, url=url, title=title, context=context, body=body)
    return True


def index_section(section: Section, page: Page) -> None:
    body = plain_text(section.body_html)
    _index(SearchKind.SECTION, section, section.heading, page.title, body, page=page)


def index_page(page: Page) -> None:
    sections = list(Section.objects.filter(page=page))
    body = f"{page.summary} {plain_text(page.intro_html)}".strip()
    if not _index(SearchKind.PAGE, page, page.title, "", body):
        _remove(SearchKind.SECTION, [s.pk for s in sections])
        return
    for section in sections:
        index_section(section, page)


def index_guide(guide: Guide) -> None:
    body = f"{guide.summary} {plain_text(guide.body_html)}"
    _index(SearchKind.GUIDE, guide, guide.title, "Guide", body)


def index_glossary_term(term: GlossaryTerm) -> None:
    body = f"{', '.join(term.forms)}. {plain_text(term.definition_html)}"
    _index(SearchKind.GLOSSARY, term, term.term, "Glossary", body)


def rebuild_index() -> None:
    """Index everything published from scratch (after a migration or a bulk change)."""
    SearchEntry.objects.all().delete()
    for page in Page.objects.published():
        index_page(page)
    for guide in Guide.objects.published():
        index_guide(guide)
    for term in GlossaryTerm.objects.published():
        index_glossary_term(term)


def _saved(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or kwargs.get("update_fields") == frozenset({"seed_fingerprint"}):
        return
    if sender is Page:
        index_page(instance)
    elif sender is Section:
        index_section(instance, instance.page)
    elif sender is Guide:
        index_guide(instance)
    elif sender is GlossaryTerm:
        index_glossary_term(instance)


KIND_OF = {
    Page: SearchKind.PAGE,
    Section: SearchKind.SECTION,
    Guide: SearchKind.GUIDE,
    GlossaryTerm: SearchKind.GLOSSARY,
}


def _deleted(sender, instance, **kwargs) -> None:
    _remove(KIND_OF[sender], [instance.pk])


def connect_signals() -> None:
    for model in KIND_OF:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search_index_{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search_unindex_{model.__name__}")


# Reading what was typed


def search_words(text: str) -> list[str]:
    """The words to search for, or a SearchInputError with a plain reason.

    Only letters and digits count: quotes, `*`, `:`, `-` and other syntax of the search engines
    are dropped, so nothing typed can change the query's meaning.
    """
    text = unicodedata.normalize("NFKC", text or "")
    if len(text) > MAX_LENGTH:
        raise SearchInputError(
            f"Your search is too long. Use a few words (at most {MAX_LENGTH} characters)."
        )
    stripped = text.strip()
    if len(stripped) < MIN_LENGTH:
        raise SearchInputError("Type at least 2 letters to search.")
    words = [word.lower() for word in WORD.findall(text.replace("_", " "))]
    if not words:
        raise SearchInputError("Type a word to search for, using letters or numbers.")
    return words[:MAX_WORDS]


def concept_groups(words: list[str], synonyms: dict[str, list[str]]) -> list[list[str]]:
    """Group the words into concepts, each with its alternatives: ["blood", "clot"] becomes
    [["blood clot", "dvt", "deep vein thrombosis", ...]]. Longer phrases win."""
    longest = max((len(phrase.split()) for phrase in synonyms), default=1)
    groups, index = [], 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 0, -1):
            phrase = " ".join(words[index : index + size])
            if phrase in synonyms or size == 1:
                alternatives = [phrase, *synonyms.get(phrase, [])]
                groups.append(list(dict.fromkeys(a.lower() for a in alternatives)))
                index += size
                break
    return groups


def _phrase_words(phrase: str) -> list[str]:
    return WORD.findall(phrase.replace("_", " "))


# The engines


def _fts5_query(groups: list[list[str]], joiner: str) -> str:
    """An FTS5 query of quoted phrases only: no operator or column filter typed can get in."""
    parts = []
    for group in groups:
        phrases = ['"' + " ".join(_phrase_words(p)) + '"' for p in group if _phrase_words(p)]
        parts.append("(" + " OR ".join(phrases) + ")")
    return f" {joiner} ".join(parts)


def _sqlite_search(groups: list[list[str]]) -> list[tuple]:
    every, any_ = _fts5_query(groups, "AND"), _fts5_query(groups, "OR")
    excerpt = f"snippet({FTS_TABLE}, 1, %s, %s, '…', 24)"
    score = f"bm25({FTS_TABLE}, 8.0, 1.0)"
    sql = f"""
        WITH hits AS (
            SELECT rowid AS id, 0 AS tier, {score} AS score, {excerpt} AS excerpt
            FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
            UNION ALL
            SELECT rowid, 1, {score}, {excerpt}
            FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
            AND rowid NOT IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)
        )
        SELECT e.kind, e.url, e.title, e.context, hits.excerpt
        FROM hits JOIN content_searchentry e ON e.id = hits.id
        ORDER BY hits.tier, hits.score, e.id
        LIMIT {RESULTS}
    """  # noqa: S608 (the table name is a constant; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, every, START, STOP, any_, every])
        return cursor.fetchall()


def _tsquery(groups: list[list[str]], operator: str) -> tuple[str, list[str]]:
    params: list[str] = []
    parts = []
    for group in groups:
        phrases = [" ".join(_phrase_words(p)) for p in group if _phrase_words(p)]
        params += phrases
        parts.append("(" + " || ".join(["phraseto_tsquery('english', %s)"] * len(phrases)) + ")")
    return f" {operator} ".join(parts), params


def _postgres_search(groups: list[list[str]]) -> list[tuple]:
    every, every_params = _tsquery(groups, "&&")
    any_, any_params = _tsquery(groups, "||")
    options = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=1"
    sql = f"""
        WITH q AS (SELECT {every} AS every, {any_} AS any),
        top AS (
            SELECT e.id, e.kind, e.url, e.title, e.context, e.body,
                   CASE WHEN e.search_vector @@ q.every THEN 0 ELSE 1 END AS tier,
                   ts_rank(e.search_vector, q.any) AS rank
            FROM content_searchentry e, q
            WHERE e.search_vector @@ q.any
            ORDER BY tier, rank DESC, e.id
            LIMIT {RESULTS}
        )
        SELECT top.kind, top.url, top.title, top.context,
               ts_headline('english', top.body, q.any, %s)
        FROM top, q
        ORDER BY top.tier, top.rank DESC, top.id
    """  # noqa: S608 (only placeholders and constants are formatted in)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*every_params, *any_params, options])
        return cursor.fetchall()


def _highlight(excerpt: str) -> SafeString:
    escaped = html.escape(excerpt or "")
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def search(text: str) -> tuple[list[Result], list[str]]:
    """Published items matching `text`, best first, and the words searched for.

    Raises SearchInputError for text that cannot be searched."""
    words = search_words(text)
    synonyms = {
        s.phrase.lower(): s.alternative_list
        for s in SearchSynonym.objects.only("phrase", "alternatives")
    }
    groups = concept_groups(words, synonyms)
    engine = _postgres_search if connection.vendor == "postgresql" else _sqlite_search
    rows = engine(groups)
    results = [
        Result(kind=kind, url=url, title=title, context=context, excerpt=_highlight(excerpt))
        for kind, url, title, context, excerpt in rows
    ]
    return results, [group[0] for group in groups]
