"""Tables → the small tables the notebooks show, by object: one call each, no wrangling in a notebook.

Every function takes govnews tables (columns as documented in :mod:`govnews.schema`) and returns a
new DataFrame (or a short list) without changing its inputs. Comparisons follow
:func:`govnews.text.themes.count_themes`: group first, normalise second, and keep raw counts beside
every rate. District-level text (office ``""``) is kept as its own row where a table lists offices
and left out where offices are compared with each other. Views never open files: notebooks read the
tables through :mod:`govnews.notebook`.

- :mod:`.overview`: offices, how much text each has (one definition for every notebook), removed lines;
- :mod:`.themes`: theme rates, an office against the rest, years, keyness and word clouds;
- :mod:`.figures`: amounts, comparable subjects, comparisons a chart may draw, figure checks;
- :mod:`.measures`: the catalogue by canonical name, scopes, slogans, shared measures;
- :mod:`.validation`: scores, misses, hand-judged samples.
"""

from __future__ import annotations

from govnews.present.views._common import ALL_KINDS_LABEL, DISTRICT_LEVEL_LABEL, UNCLASSIFIED_KIND_LABEL
from govnews.present.views.figures import (
    COMPARISON_COLUMNS,
    EVIDENCE_MARGIN,
    EVIDENCE_MAX_CHARS,
    LOG_SCALE_RATIO,
    check_verdicts,
    comparable_subjects,
    comparison_units,
    figure_comparison,
    figure_overview,
    inconsistent_checks,
    needs_log_scale,
    quantity_figures,
    select_figures,
)
from govnews.present.views.measures import (
    OWN_SCOPES,
    measure_catalogue,
    measure_kind_counts,
    measure_scopes,
    shared_measures,
    slogan_expansions,
    summarise_measures,
)
from govnews.present.views.overview import (
    MIN_CHARS_TO_COMPARE,
    check_office,
    known_offices,
    office_sizes,
    offices_to_compare,
    offices_with_too_little_text,
    removed_overview,
)
from govnews.present.views.themes import (
    ALIKE_MAX_LOG_RATIO,
    REST_LABEL,
    UNKNOWN_YEAR_LABEL,
    compare_years,
    counted_contexts,
    drop_boilerplate,
    drop_offices_with_little_text,
    drop_place_names,
    leading_themes,
    office_slug,
    office_text_sizes,
    office_vs_rest,
    offices_with_little_text,
    place_names,
    profile_themes,
    sample_per_office,
    theme_counts_by_year,
    top_keyness_terms,
    top_themes,
    wordcloud_weights,
)
from govnews.present.views.validation import (
    SCORE_MEANINGS,
    gold_sources_missing,
    mark_still_extracted,
    measure_precision,
    misses_by_kind,
    score_shares,
    score_table,
)

__all__ = [
    "ALIKE_MAX_LOG_RATIO",
    "ALL_KINDS_LABEL",
    "COMPARISON_COLUMNS",
    "DISTRICT_LEVEL_LABEL",
    "EVIDENCE_MARGIN",
    "EVIDENCE_MAX_CHARS",
    "LOG_SCALE_RATIO",
    "MIN_CHARS_TO_COMPARE",
    "OWN_SCOPES",
    "REST_LABEL",
    "SCORE_MEANINGS",
    "UNCLASSIFIED_KIND_LABEL",
    "UNKNOWN_YEAR_LABEL",
    "check_office",
    "check_verdicts",
    "comparable_subjects",
    "compare_years",
    "comparison_units",
    "counted_contexts",
    "drop_boilerplate",
    "drop_offices_with_little_text",
    "drop_place_names",
    "figure_comparison",
    "figure_overview",
    "gold_sources_missing",
    "inconsistent_checks",
    "known_offices",
    "leading_themes",
    "mark_still_extracted",
    "measure_catalogue",
    "measure_kind_counts",
    "measure_precision",
    "measure_scopes",
    "misses_by_kind",
    "needs_log_scale",
    "office_sizes",
    "office_slug",
    "office_text_sizes",
    "office_vs_rest",
    "offices_to_compare",
    "offices_with_little_text",
    "offices_with_too_little_text",
    "place_names",
    "profile_themes",
    "quantity_figures",
    "removed_overview",
    "sample_per_office",
    "score_shares",
    "score_table",
    "select_figures",
    "shared_measures",
    "slogan_expansions",
    "summarise_measures",
    "theme_counts_by_year",
    "top_keyness_terms",
    "top_themes",
    "wordcloud_weights",
]
