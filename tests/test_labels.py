"""Every code of an enumerated column has its label in the report's language."""

from __future__ import annotations

import pytest

from govnews.present.labels import value_label
from govnews.vocabulary import FIGURE_CATEGORIES


@pytest.mark.parametrize("category", FIGURE_CATEGORIES)
def test_every_figure_category_has_a_chinese_label(category: str) -> None:
    # A new category in vocabulary.py needs its label too, or Chinese pages print the English code.
    assert value_label("category", category, "zh") != category
    assert value_label("category", category, "en")


def test_a_value_without_a_label_stays_as_printed() -> None:
    assert value_label("category", "一种新类别", "zh") == "一种新类别"
