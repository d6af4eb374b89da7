"""The measure lexicon (``data/lexicons/measures.yml``): reading, validating and its derived look-ups.

The lexicon lists well-known measures with their aliases and kinds, and the word lists the evidence
rules of :mod:`govnews.extract.measures` use (kind words, verbs, frames, boundaries, phrases that are not
measures). A user edits the YAML file; every problem is reported with the file and line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from govnews.errors import GovnewsError
from govnews.patterns import word_alternation
from govnews.resources.yamlfile import parse_yaml
from govnews.vocabulary import MEASURE_SCOPES

LEXICON_FILE_NAME = "measures.yml"
# Levels of government, lowest first: a measure's ``scope`` is the level whose measure it is.
SCOPES = MEASURE_SCOPES
QUOTE_MARKS = "“”‘’『』「」\"'"
# Characters ignored when the lexicon is matched: 一件“事” is 一件事, 人人持证、技能河南 is 人人持证技能河南.
LEXICON_IGNORED = QUOTE_MARKS + "、· \u3000\t"
_NORM_PUNCT = re.compile(r"[\s\u3000“”\"'‘’『』「」《》〈〉()（）【】\[\],，、。.;；:：!！?？·—\-_/|]+")

_REQUIRED_KEYS = (
    "measures",
    "kinds",
    "unquoted_kinds",
    "needs_verb_before",
    "introducing_verbs",
    "practice_nouns",
    "frames",
    "boundary_words",
    "generic_modifiers",
    "not_measures",
    "not_measure_heads",
    "not_measure_suffixes",
    "parallel_stop_prefixes",
    "official_role_chars",
    "not_head_words",
    "enumeration_kinds",
    "enumeration_markers",
    "unquoted_heads",
    "founding_verbs",
    "paired_slogans",
    "list_kinds",
    "document_words",
    "scope_words",
    "scope_place_suffixes",
    "not_place_words",
    "non_government_actors",
    "commercial_words",
)
_MAPPING_KEYS = (
    "measures",
    "kinds",
    "not_measures",
    "not_measure_heads",
    "not_measure_suffixes",
    "scope_words",
    "scope_place_suffixes",
)
_PAIR_KEYS = ("paired_slogans",)
_LIST_KEYS = tuple(key for key in _REQUIRED_KEYS if key not in _MAPPING_KEYS + _PAIR_KEYS)


@dataclass(frozen=True)
class MeasureEntry:
    """A well-known measure of the lexicon.

    Attributes:
        name: canonical spelling.
        aliases: other spellings of the same measure.
        kind: kind of the measure, '' when the lexicon gives none.
        scope: level whose measure it is (national, province, city, district), '' when the lexicon
            does not say (then the text decides).
        token: whether the spellings join the tokenizer's dictionary (False keeps the words they are
            made of tokens of their own: 老旧小区改造 leaves 老旧小区 to the theme codebook).
    """

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""
    scope: str = ""
    token: bool = True


@dataclass(frozen=True)
class MeasureLexicon:
    """The measure lexicon: well-known measures and the word lists the evidence rules use.

    Build it with :func:`load_measure_lexicon`; the fields mirror the keys of the YAML file.
    """

    path: Path | None
    entries: tuple[MeasureEntry, ...]
    kinds: tuple[tuple[str, str], ...]
    unquoted_kinds: frozenset[str]
    needs_verb_before: frozenset[str]
    introducing_verbs: tuple[str, ...]
    practice_nouns: tuple[str, ...]
    frames: tuple[str, ...]
    boundary_words: frozenset[str]
    generic_modifiers: frozenset[str]
    not_measures: tuple[tuple[str, str], ...]
    not_measure_heads: tuple[tuple[str, tuple[str, ...]], ...]
    not_measure_suffixes: tuple[tuple[str, tuple[str, ...]], ...]
    parallel_stop_prefixes: frozenset[str]
    official_role_chars: frozenset[str]
    not_head_words: tuple[str, ...]
    enumeration_kinds: frozenset[str]
    enumeration_markers: tuple[str, ...]
    unquoted_heads: tuple[str, ...]
    founding_verbs: tuple[str, ...]
    paired_slogans: tuple[tuple[str, str], ...]
    list_kinds: tuple[str, ...]
    document_words: tuple[str, ...]
    scope_words: tuple[tuple[str, tuple[str, ...]], ...]
    scope_place_suffixes: tuple[tuple[str, tuple[str, ...]], ...]
    not_place_words: tuple[str, ...]
    non_government_actors: tuple[str, ...]
    commercial_words: tuple[str, ...]

    @cached_property
    def kind_of(self) -> dict[str, str]:
        """Kind word → kind (责任制 → 制度)."""
        return dict(self.kinds)

    @cached_property
    def kind_words_longest_first(self) -> tuple[str, ...]:
        """The kind words, longest first (a longer word wins where two start at one place)."""
        return tuple(sorted(self.kind_of, key=len, reverse=True))

    @cached_property
    def long_kind_pattern(self) -> re.Pattern[str]:
        """Matches a kind word of two characters or more, the longest where several start at one place.

        One-character kind words (站, 会, 日 …) end a name inside quotation marks only: elsewhere they
        are as often part of an ordinary word (社会, 日常).
        """
        return re.compile(word_alternation(word for word in self.kind_of if len(word) > 1))

    @cached_property
    def unquoted_kind_pattern(self) -> re.Pattern[str]:
        """Matches a kind word strong enough to end an unquoted name (``unquoted_kinds``)."""
        # 楼层长制度 holds 长制 and 制度; a word that runs into a longer kind word (长制 + 度) gives way.
        alternatives = []
        for word in sorted(self.unquoted_kinds, key=len, reverse=True):
            tails = {
                other[len(word) - offset :]
                for other in self.kind_of
                for offset in range(1, len(word))
                if other.startswith(word[offset:]) and len(other) > len(word) - offset
            }
            lookahead = "".join(f"(?!{re.escape(tail)})" for tail in sorted(tails))
            alternatives.append(re.escape(word) + lookahead)
        return re.compile("|".join(alternatives))

    @cached_property
    def founding_verb_pattern(self) -> re.Pattern[str] | None:
        """Matches a verb of ``founding_verbs`` (the longest where several start at one place)."""
        return _words_pattern(self.founding_verbs)

    @cached_property
    def unquoted_kind_suffixes(self) -> tuple[str, ...]:
        """The ``unquoted_kinds`` as a tuple, for ``str.endswith``."""
        return tuple(sorted(self.unquoted_kinds))

    @cached_property
    def rejected_phrases(self) -> dict[str, str]:
        """Normalised phrase → why it is not a measure (``not_measures``)."""
        return dict(self.not_measures)

    @cached_property
    def spellings_by_first_char(self) -> dict[str, list[tuple[str, str]]]:
        """Lexicon spellings by first character, longest first: (spelling, canonical name)."""
        by_first: dict[str, list[tuple[str, str]]] = {}
        for entry in self.entries:
            for spelling in (entry.name, *entry.aliases):
                key = "".join(ch for ch in spelling if ch not in LEXICON_IGNORED)
                by_first.setdefault(key[0], []).append((key, entry.name))
        for spellings in by_first.values():
            spellings.sort(key=lambda pair: len(pair[0]), reverse=True)
        return by_first

    @cached_property
    def spelling_starts(self) -> re.Pattern[str] | None:
        """Matches a lexicon spelling (see :func:`overlapping_matches` for where each one starts)."""
        spellings = {key for pairs in self.spellings_by_first_char.values() for key, _ in pairs}
        return _words_pattern(spellings)

    @cached_property
    def canonical_of(self) -> dict[str, str]:
        """Normalised lexicon spelling → canonical lexicon name."""
        return {
            normalize_name(spelling): entry.name
            for entry in self.entries
            for spelling in (entry.name, *entry.aliases)
        }

    @cached_property
    def entry_kind(self) -> dict[str, str]:
        """Canonical name → the kind the lexicon gives it ('' when none)."""
        return {entry.name: entry.kind for entry in self.entries}

    @cached_property
    def place_suffixes(self) -> tuple[str, ...]:
        """Endings of place names (the ``place_name`` reason of ``not_measure_suffixes``)."""
        return dict(self.not_measure_suffixes).get("place_name", ())

    @cached_property
    def max_boundary_len(self) -> int:
        """Length of the longest boundary word (how far back a boundary can start)."""
        return max((len(word) for word in self.boundary_words), default=0)

    @cached_property
    def boundary_at_end(self) -> re.Pattern[str] | None:
        """Matches a boundary word that ends the searched text (searched from the left: the longest)."""
        words = [word for word in self.boundary_words if word]
        return re.compile("(?:" + word_alternation(words) + r")\Z") if words else None

    @cached_property
    def boundary_starts(self) -> re.Pattern[str] | None:
        """Matches the longest boundary word starting where it matches (see :func:`overlapping_matches`)."""
        words = [word for word in self.boundary_words if word]
        return _words_pattern(words)

    @cached_property
    def scope_of_measure(self) -> dict[str, str]:
        """Canonical lexicon name → its scope, for the measures the lexicon gives one."""
        return {entry.name: entry.scope for entry in self.entries if entry.scope}

    @cached_property
    def scope_of_word(self) -> dict[str, str]:
        """Scope word → scope (全市 → city, 该街道 → office)."""
        return {word: scope for scope, words in self.scope_words for word in words}

    @cached_property
    def scope_of_place_suffix(self) -> dict[str, str]:
        """Place suffix → scope (市 → city, 街道 → office)."""
        return {suffix: scope for scope, suffixes in self.scope_place_suffixes for suffix in suffixes}

    @cached_property
    def scope_marks(self) -> re.Pattern[str] | None:
        """Matches a scope word or a place suffix (the longest where several start at one place)."""
        words = [*self.scope_of_word, *self.scope_of_place_suffix]
        return _words_pattern(words)

    @cached_property
    def non_government_pattern(self) -> re.Pattern[str] | None:
        """Matches any of ``non_government_actors``."""
        words = self.non_government_actors
        return _words_pattern(words)

    @cached_property
    def commercial_pattern(self) -> re.Pattern[str] | None:
        """Matches any of ``commercial_words``."""
        return _words_pattern(self.commercial_words)

    @cached_property
    def non_government_or_commercial_pattern(self) -> re.Pattern[str] | None:
        """Matches any of ``non_government_actors`` and ``commercial_words`` (one look per sentence)."""
        words = [*self.non_government_actors, *self.commercial_words]
        return _words_pattern(words)

    @cached_property
    def paired_first_pattern(self) -> re.Pattern[str] | None:
        """Matches the first word of any of ``paired_slogans``."""
        words = [first for first, _second in self.paired_slogans]
        return _words_pattern(words)

    @cached_property
    def parallel_stop_tuple(self) -> tuple[str, ...]:
        """The ``parallel_stop_prefixes`` as a tuple, for ``str.endswith``."""
        return tuple(sorted(self.parallel_stop_prefixes))

    @cached_property
    def head_pattern(self) -> re.Pattern[str] | None:
        """Finds the first of the ``not_measure_heads`` words (any reason) in a window."""
        words = [word for _reason, words in self.not_measure_heads for word in words]
        return _words_pattern(words)

    @cached_property
    def head_reason(self) -> dict[str, str]:
        """``not_measure_heads`` word → its reason."""
        return {word: reason for reason, words in self.not_measure_heads for word in words}


def _words_pattern(words: Collection[str]) -> re.Pattern[str] | None:
    """Matches any of ``words`` (the longest where several start at one place); ``None`` for no words."""
    return re.compile(word_alternation(words)) if words else None


# ----------------------------------------------------------------------------- lexicon loading


def parse_measure_lexicon(text: str, path: Path | None = None) -> MeasureLexicon:
    """The measure lexicon written in ``text`` (read from its file by
    :func:`govnews.resources.lexicons.load_measure_lexicon`).

    Args:
        text: the YAML of a file laid out like ``data/lexicons/measures.yml``.
        path: the file it came from, named in errors.

    Raises:
        GovnewsError: the text is not valid YAML, a key is missing or given twice, an entry is
            malformed or a name, alias, kind word or list item appears twice.
    """
    data, root = parse_yaml(text, path)
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise GovnewsError(
            path, "the measure lexicon must be a mapping of the keys " + ", ".join(_REQUIRED_KEYS)
        )
    nodes = {key.value: value for key, value in root.value}
    missing = [key for key in _REQUIRED_KEYS if key not in data]
    if missing:
        raise GovnewsError(path, f"missing key(s): {', '.join(missing)}")
    entries = _read_entries(path, data["measures"], nodes["measures"])
    kinds = _read_kinds(path, data["kinds"], nodes["kinds"])
    lists = {key: _read_list(path, key, data[key], nodes[key]) for key in _LIST_KEYS}
    not_measures = _read_not_measures(path, data["not_measures"], nodes["not_measures"])
    heads = _read_reason_lists(
        path, "not_measure_heads", data["not_measure_heads"], nodes["not_measure_heads"]
    )
    suffixes = _read_reason_lists(
        path, "not_measure_suffixes", data["not_measure_suffixes"], nodes["not_measure_suffixes"]
    )
    for key in ("unquoted_kinds", "enumeration_kinds", "unquoted_heads"):
        unknown_kinds = [word for word in lists[key] if word not in dict(kinds)]
        if unknown_kinds:
            line = nodes[key].start_mark.line + 1
            raise GovnewsError(
                path, f"{key} lists word(s) missing from kinds: {', '.join(unknown_kinds)}", line
            )
    return MeasureLexicon(
        path=path,
        entries=entries,
        kinds=kinds,
        unquoted_kinds=frozenset(lists["unquoted_kinds"]),
        needs_verb_before=frozenset(lists["needs_verb_before"]),
        introducing_verbs=lists["introducing_verbs"],
        practice_nouns=tuple(sorted(lists["practice_nouns"], key=len, reverse=True)),
        frames=tuple(sorted(lists["frames"], key=len, reverse=True)),
        boundary_words=frozenset(lists["boundary_words"]),
        generic_modifiers=frozenset(lists["generic_modifiers"]),
        not_measures=not_measures,
        not_measure_heads=heads,
        not_measure_suffixes=suffixes,
        parallel_stop_prefixes=frozenset(lists["parallel_stop_prefixes"]),
        official_role_chars=frozenset(lists["official_role_chars"]),
        not_head_words=lists["not_head_words"],
        enumeration_kinds=frozenset(lists["enumeration_kinds"]),
        enumeration_markers=lists["enumeration_markers"],
        unquoted_heads=lists["unquoted_heads"],
        founding_verbs=lists["founding_verbs"],
        paired_slogans=_read_pairs(path, "paired_slogans", data["paired_slogans"], nodes["paired_slogans"]),
        list_kinds=tuple(sorted(lists["list_kinds"], key=len, reverse=True)),
        document_words=lists["document_words"],
        scope_words=_read_scope_lists(path, "scope_words", data, nodes),
        scope_place_suffixes=_read_scope_lists(path, "scope_place_suffixes", data, nodes),
        not_place_words=lists["not_place_words"],
        non_government_actors=lists["non_government_actors"],
        commercial_words=lists["commercial_words"],
    )


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text_item(path: Path, value: object, node: yaml.Node, what: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise GovnewsError(path, f"{what} must be a non-empty string, not {value!r}", _line(node))
    return str(value).strip()


def _read_entries(path: Path, value: object, node: yaml.Node) -> tuple[MeasureEntry, ...]:
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        raise GovnewsError(path, "measures must be a list of {name, aliases, kind} entries", _line(node))
    entries: list[MeasureEntry] = []
    seen: dict[str, int] = {}
    for item, item_node in zip(value, node.value, strict=True):
        if not isinstance(item, dict) or "name" not in item:
            raise GovnewsError(
                path, "each measure needs a name: {name: ..., aliases: [...]}", _line(item_node)
            )
        unknown = set(item) - {"name", "aliases", "kind", "scope", "token"}
        if unknown:
            raise GovnewsError(
                path, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}", _line(item_node)
            )
        name = _text_item(path, item["name"], item_node, "a measure name")
        aliases_value = item.get("aliases") or []
        if not isinstance(aliases_value, list):
            raise GovnewsError(path, f"aliases of {name} must be a list", _line(item_node))
        aliases = tuple(_text_item(path, alias, item_node, "an alias") for alias in aliases_value)
        kind = item.get("kind") or ""
        if not isinstance(kind, str):
            raise GovnewsError(path, f"kind of {name} must be a string", _line(item_node))
        scope = item.get("scope") or ""
        if scope and scope not in SCOPES[1:]:
            raise GovnewsError(
                path,
                f"scope of {name} must be one of {', '.join(SCOPES[1:])}, not {scope!r}",
                _line(item_node),
            )
        for spelling in (name, *aliases):
            key = normalize_name(spelling)
            if key in seen:
                raise GovnewsError(
                    path, f"duplicate measure {spelling!r} (first on line {seen[key]})", _line(item_node)
                )
            seen[key] = _line(item_node)
        token = item.get("token", True)
        if not isinstance(token, bool):
            raise GovnewsError(path, f"token of {name} must be true or false", _line(item_node))
        entries.append(MeasureEntry(name=name, aliases=aliases, kind=kind.strip(), scope=scope, token=token))
    return tuple(entries)


def _read_kinds(path: Path, value: object, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode) or not value:
        raise GovnewsError(path, "kinds must be a mapping of kind word → kind", _line(node))
    pairs = []
    for (word, kind), (key_node, _value_node) in zip(value.items(), node.value, strict=True):
        pairs.append(
            (_text_item(path, word, key_node, "a kind word"), _text_item(path, kind, key_node, "a kind"))
        )
    return tuple(pairs)


def _read_list(path: Path, key: str, value: object, node: yaml.Node) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        raise GovnewsError(path, f"{key} must be a list", _line(node))
    items: list[str] = []
    seen: set[str] = set()
    for item, item_node in zip(value, node.value, strict=True):
        text = _text_item(path, item, item_node, f"an item of {key}")
        if text in seen:
            raise GovnewsError(path, f"duplicate item {text!r} in {key}", _line(item_node))
        seen.add(text)
        items.append(text)
    return tuple(items)


def _read_scope_lists(
    path: Path, key: str, data: dict, nodes: dict
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A mapping scope → words, every scope one of :data:`SCOPES`."""
    lists = _read_reason_lists(path, key, data[key], nodes[key])
    for (scope, _words), (key_node, _value) in zip(lists, nodes[key].value, strict=True):
        if scope not in SCOPES:
            raise GovnewsError(
                path, f"{key}: {scope!r} is not a scope ({', '.join(SCOPES)})", _line(key_node)
            )
    return lists


def _read_pairs(path: Path, key: str, value: object, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    """A list of two-word lists ([吹哨, 报到])."""
    if value is None:
        return ()
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        raise GovnewsError(path, f"{key} must be a list of [first, second] word pairs", _line(node))
    pairs = []
    for item, item_node in zip(value, node.value, strict=True):
        if not isinstance(item, list) or len(item) != 2:
            raise GovnewsError(path, f"each item of {key} must be a pair [first, second]", _line(item_node))
        first, second = (_text_item(path, word, item_node, f"a word of {key}") for word in item)
        pairs.append((first, second))
    return tuple(pairs)


def _read_reason_lists(
    path: Path, key: str, value: object, node: yaml.Node
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A mapping reason → list of phrases, no phrase under two reasons."""
    if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
        raise GovnewsError(path, f"{key} must be a mapping of reason → list of phrases", _line(node))
    result: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()
    for (reason, phrases), (_key_node, value_node) in zip(value.items(), node.value, strict=True):
        items = _read_list(path, f"{key}.{reason}", phrases, value_node)
        for phrase, phrase_node in zip(items, value_node.value, strict=True):
            if normalize_name(phrase) in seen:
                raise GovnewsError(path, f"duplicate phrase {phrase!r} in {key}", _line(phrase_node))
            seen.add(normalize_name(phrase))
        result.append((str(reason), items))
    return tuple(result)


def _read_not_measures(path: Path, value: object, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    """Normalised phrase → reason."""
    return tuple(
        (normalize_name(phrase), reason)
        for reason, phrases in _read_reason_lists(path, "not_measures", value, node)
        for phrase in phrases
    )


def measure_terms(lexicon: MeasureLexicon) -> list[str]:
    """Names and aliases of the lexicon's measures, for jieba's user dictionary.

    Returns:
        Sorted, unique spellings without punctuation or spaces (jieba cannot hold 、 in a word), of
        the entries whose ``token`` is true.
    """
    terms = {
        normalize_name(spelling)
        for entry in lexicon.entries
        if entry.token
        for spelling in (entry.name, *entry.aliases)
    }
    return sorted(term for term in terms if term)


@functools.lru_cache(maxsize=65_536)  # names recur across a corpus, and each is normalized several times
def normalize_name(text: str) -> str:
    """NFKC, no whitespace, quotation marks or punctuation (the gold scorer's normal form)."""
    return _NORM_PUNCT.sub("", unicodedata.normalize("NFKC", text))
