"""Tables from rows: the same table a frame of the rows, conformed, gives."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from govnews import schema
from govnews.errors import GovnewsError


def test_rows_by_name_give_the_conformed_table() -> None:
    rows = [
        {"source": "a.txt", "n_bytes": 10, "reason": "empty", "extra": 1},
        {"source": "b.txt", "n_bytes": None, "reason": None, "extra": 2},
    ]
    table = schema.from_rows(rows, "rejected")
    assert_frame_equal(table, schema.conform(pd.DataFrame(rows), "rejected"))
    assert table["reason"].tolist() == ["empty", ""]  # a missing string is '', as conform makes it
    assert table["n_bytes"].isna().tolist() == [False, True]


def test_tuples_are_read_in_column_order() -> None:
    table = schema.from_rows([("街道", "网格", 3), ("", "道路", 1)], "token_counts")
    expected = pd.DataFrame({"office": ["街道", ""], "token": ["网格", "道路"], "count": [3, 1]})
    assert_frame_equal(table, schema.conform(expected, "token_counts"))


def test_no_rows_give_the_empty_table() -> None:
    assert_frame_equal(schema.from_rows([], "measures"), schema.empty_table("measures"))


def test_a_missing_column_is_named() -> None:
    with pytest.raises(GovnewsError, match=r"lacks column.*n_bytes"):
        schema.from_rows([{"source": "a.txt", "reason": "empty"}], "rejected")


def test_tuples_of_the_wrong_width_are_refused() -> None:
    with pytest.raises(ValueError):
        schema.from_rows([("街道", "网格")], "token_counts")


def test_numbers_in_a_string_column_are_written_out() -> None:
    table = schema.from_rows([("街道", 5, 3), ("街道", None, 1)], "token_counts")
    assert table["token"].tolist() == ["5", ""]
    assert table["token"].dtype == "string"


def _figure(category: str) -> dict[str, object]:
    row = dict.fromkeys(schema.column_names("figures"), "")
    return row | {"sentence_no": 1, "value": 3.0, "ref_year": None, "category": category}


def test_an_enumerated_column_refuses_a_value_outside_the_vocabulary() -> None:
    assert schema.from_rows([_figure("area")], "figures")["category"].tolist() == ["area"]
    with pytest.raises(GovnewsError, match=r"category holds speed, not one of count"):
        schema.from_rows([_figure("speed")], "figures")
    with pytest.raises(GovnewsError, match=r"category holds speed"):
        schema.conform(pd.DataFrame([_figure("speed")]), "figures")
    assert not schema.conforms(pd.DataFrame([_figure("speed")]), "figures")
