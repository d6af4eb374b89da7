"""Views of governance measures: catalogue by canonical name, summaries, slogans, measures shared."""

from __future__ import annotations

import pandas as pd

from govnews import schema
from govnews.present.views._common import (
    UNCLASSIFIED_KIND_LABEL,
    _label,
    _mode,
    _text,
)
from govnews.vocabulary import MEASURE_SCOPES


def _measure_key(measures: pd.DataFrame) -> pd.Series:
    canonical = _text(measures["canonical"])
    return canonical.where(canonical.ne(""), _text(measures["name"]))


def _scope_rank(scope: str) -> int:
    # unknown < office < district < city < province < national
    return MEASURE_SCOPES.index(scope) + 1 if scope in MEASURE_SCOPES else 0


def _n_parts(text: str) -> int:
    return len([part for part in text.split(schema.LIST_SEPARATOR) if part]) if text else 0


def measure_catalogue(measures: pd.DataFrame, office: str | None = None) -> pd.DataFrame:
    """One row per office and measure (spelling variants grouped by ``canonical``).

    Args:
        measures: the ``measures`` table.
        office: keep one office; ``None`` keeps all (district-level text last).

    Returns:
        Columns office (district-level text as :data:`DISTRICT_LEVEL_LABEL`), name (the most
        frequent spelling), variants (the other spellings, '|'-joined), scope (the highest level a
        mention ties it to), kind and theme (the most
        frequent non-empty ones), is_numeric_slogan, components and expansions (the mention that
        lists most), n_mentions and n_articles; by office, most mentioned first.
    """
    frame = measures if office is None else measures.loc[_text(measures["office"]).eq(office)]
    columns = [
        "office",
        "name",
        "variants",
        "scope",
        "kind",
        "theme",
        "is_numeric_slogan",
        "components",
        "expansions",
        "n_mentions",
        "n_articles",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.assign(
        _key=_measure_key(frame),
        **{
            column: _text(frame[column])
            for column in ["office", "name", "scope", "kind", "theme", "components"]
        },
        expansions=_text(frame["expansions"]),
    )
    rows = []
    for (office_name, _), group in frame.groupby(["office", "_key"], sort=False):
        name = _mode(group["name"])
        richest = group.assign(
            _parts=group["expansions"].map(_n_parts) * 100 + group["components"].map(_n_parts)
        ).sort_values("_parts", ascending=False, kind="stable")
        rows.append(
            {
                "office": office_name,
                "name": name,
                "variants": schema.LIST_SEPARATOR.join(dict.fromkeys(group["name"][group["name"].ne(name)])),
                # The highest level a mention ties it to: a national campaign an office runs stays national.
                "scope": max(group["scope"], key=_scope_rank),
                "kind": _mode(group["kind"]),
                "theme": _mode(group["theme"]),
                "is_numeric_slogan": bool(group["is_numeric_slogan"].fillna(False).any()),
                "components": richest["components"].iloc[0],
                "expansions": richest["expansions"].iloc[0],
                "n_mentions": len(group),
                "n_articles": group["article_id"].nunique(),
            }
        )
    catalogue = pd.DataFrame(rows, columns=columns)
    catalogue = catalogue.assign(_last=catalogue["office"].eq("")).sort_values(
        ["_last", "office", "n_mentions"], ascending=[True, True, False], kind="stable"
    )
    catalogue = catalogue.assign(office=catalogue["office"].map(_label))
    return catalogue.drop(columns="_last").reset_index(drop=True)


def summarise_measures(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Per office: how many measures and numeric slogans, how many mentions, and the most mentioned one.

    Args:
        catalogue: as returned by :func:`measure_catalogue`.

    Returns:
        Columns office, n_measures, n_numeric_slogans, n_mentions, most_mentioned and
        most_mentioned_n, offices in the catalogue's order.
    """
    columns = [
        "office",
        "n_measures",
        "n_numeric_slogans",
        "n_mentions",
        "most_mentioned",
        "most_mentioned_n",
    ]
    rows = []
    for office, group in catalogue.groupby("office", sort=False):
        top = group.sort_values("n_mentions", ascending=False, kind="stable").iloc[0]
        rows.append(
            {
                "office": office,
                "n_measures": len(group),
                "n_numeric_slogans": int(group["is_numeric_slogan"].astype(bool).sum()),
                "n_mentions": int(group["n_mentions"].sum()),
                "most_mentioned": top["name"],
                "most_mentioned_n": int(top["n_mentions"]),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def slogan_expansions(measures: pd.DataFrame) -> pd.DataFrame:
    """The parts of every numeric slogan and what each stands for, one row per part.

    Parts come from ``components``; ``expansions`` (``part=meaning``, '|'-joined) gives the meaning
    where the text spells it out. Mentions of one slogan in one office are merged: a part takes
    the first meaning any mention gives.

    Returns:
        Columns office (district-level text as :data:`DISTRICT_LEVEL_LABEL`), slogan, part_no, part,
        expansion ('' where the text gives none); slogans
        without parts are left out (see :func:`measure_catalogue` for all of them).
    """
    columns = ["office", "slogan", "part_no", "part", "expansion"]
    slogans = measures.loc[measures["is_numeric_slogan"].fillna(False).astype(bool)]
    if slogans.empty:
        return pd.DataFrame(columns=columns)
    slogans = slogans.assign(_key=_measure_key(slogans), office=_text(slogans["office"]))
    rows = []
    for (office_name, _), group in slogans.groupby(["office", "_key"], sort=False):
        meanings: dict[str, str] = {}
        parts: list[str] = []
        for components, expansions in zip(
            _text(group["components"]), _text(group["expansions"]), strict=True
        ):
            parts += [part for part in components.split(schema.LIST_SEPARATOR) if part]
            for item in expansions.split(schema.LIST_SEPARATOR):
                part, separator, meaning = item.partition("=")
                if separator and part:
                    parts.append(part)
                    meanings.setdefault(part, meaning)
        name = _mode(_text(group["name"]))
        for number, part in enumerate(dict.fromkeys(parts), start=1):
            rows.append((_label(office_name), name, number, part, meanings.get(part, "")))
    return pd.DataFrame(rows, columns=columns)


def shared_measures(measures: pd.DataFrame, min_offices: int = 2) -> pd.DataFrame:
    """Measures (same ``canonical``) that several offices report; district-level text is no office.

    Returns:
        Columns name, variants, kind, n_offices, offices ("、"-joined) and n_mentions (in those
        offices); most offices first, then most mentions.
    """
    columns = ["name", "variants", "kind", "n_offices", "offices", "n_mentions"]
    named = measures.loc[_text(measures["office"]).ne("")]
    if named.empty:
        return pd.DataFrame(columns=columns)
    named = named.assign(
        _key=_measure_key(named),
        office=_text(named["office"]),
        name=_text(named["name"]),
        kind=_text(named["kind"]),
    )
    rows = []
    for _, group in named.groupby("_key", sort=False):
        offices = sorted(set(group["office"]))
        if len(offices) < min_offices:
            continue
        name = _mode(group["name"])
        rows.append(
            {
                "name": name,
                "variants": schema.LIST_SEPARATOR.join(dict.fromkeys(group["name"][group["name"].ne(name)])),
                "kind": _mode(group["kind"]),
                "n_offices": len(offices),
                "offices": "、".join(offices),
                "n_mentions": len(group),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["n_offices", "n_mentions"], ascending=False, kind="stable", ignore_index=True)


OWN_SCOPES = ("office", "unknown")
"""Scopes counted as an office's own measures: the text ties them to the office, or to no higher level."""


def measure_scopes(measures: pd.DataFrame) -> pd.DataFrame:
    """Per office, how many different measures (by ``canonical``) are its own and how many belong higher up.

    Returns:
        Columns office, then one column per scope present (in the order of
        :data:`govnews.vocabulary.MEASURE_SCOPES`, the office's own as ``own``, ``unknown`` last) counting
        distinct measures; offices by name, district-level text last.
    """
    if measures.empty:
        return pd.DataFrame(columns=["office"])
    frame = measures.assign(_key=_measure_key(measures), office=_text(measures["office"]))
    frame = frame.assign(scope=_text(frame["scope"])).drop_duplicates(["office", "scope", "_key"])
    counts = pd.crosstab(frame["office"], frame["scope"])
    order = [scope for scope in (*MEASURE_SCOPES, "unknown") if scope in counts.columns]
    # The office's own scope is column "own": "office" names the column of offices.
    counts = counts[order].rename(columns={"office": "own"}).rename_axis(index="office", columns=None)
    counts = counts.reset_index()
    counts = counts.assign(_last=counts["office"].eq("")).sort_values(["_last", "office"], kind="stable")
    counts["office"] = counts["office"].map(_label)
    return counts.drop(columns="_last").reset_index(drop=True)


def measure_kind_counts(measures: pd.DataFrame) -> pd.DataFrame:
    """Office × kind: how many different measures of its own (see :data:`OWN_SCOPES`) each office reports.

    A measure repeated in every paragraph counts once (by ``canonical``); district, city, provincial and
    national measures an article mentions are not the office's and are left out. This is what
    :func:`govnews.present.charts.plot_measure_kinds` draws.

    Returns:
        One row per office (index, most measures first), one column per kind (most measures first,
        unclassified last); empty when no office reports a measure of its own.
    """
    own = measures.loc[_text(measures["scope"]).isin(OWN_SCOPES) & _text(measures["office"]).ne("")]
    if own.empty:
        return pd.DataFrame()
    frame = pd.DataFrame(
        {
            "office": _text(own["office"]),
            "kind": _text(own["kind"]).replace("", UNCLASSIFIED_KIND_LABEL),
            "measure": _measure_key(own),
        }
    ).drop_duplicates()
    counts = pd.crosstab(frame["office"], frame["kind"])
    kinds = sorted(
        counts.columns, key=lambda kind: (kind == UNCLASSIFIED_KIND_LABEL, -counts[kind].sum(), kind)
    )
    offices = sorted(counts.index, key=lambda office: (-counts.loc[office].sum(), office))
    return counts.loc[offices, kinds].rename_axis(index=None, columns=None)
