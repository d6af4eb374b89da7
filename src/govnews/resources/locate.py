"""Where each data file is: the user's data folder first, then the defaults that ship with govnews.

A user edits lexicons, gazetteers and the codebook in a data folder (``data/`` of a checkout,
``GOVNEWS_ROOT/data``, or ``--data DIR``). Any file that folder lacks is read from the defaults
packaged with govnews (``govnews/_data`` in an installed wheel, ``data/`` of the source checkout
otherwise), so an installed package works from an empty folder and a user copies only the files
they want to change.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from govnews.config import ProjectPaths
from govnews.errors import GovnewsError

DATA_FILES: dict[str, str] = {
    "register": "gazetteer/register.csv",
    "offices": "gazetteer/offices.csv",
    "districts": "gazetteer/districts.csv",
    "zones": "gazetteer/zones.csv",
    "not_office_names": "gazetteer/not_office_names.txt",
    "not_district_names": "gazetteer/not_district_names.txt",
    "userdict": "lexicons/userdict.txt",
    "stopwords": "lexicons/stopwords.txt",
    "surnames": "lexicons/surnames.txt",
    "units": "lexicons/units.yml",
    "measures": "lexicons/measures.yml",
    "themes": "lexicons/themes.yml",
    "year_cues": "lexicons/year_cues.yml",
}
"""Each data file a build reads, by name, as a path under a data folder (they make the tables)."""

REPORT_FILES: dict[str, str] = {
    "boilerplate": "lexicons/boilerplate.txt",
}
"""Data files only the report reads (they change no table, so a build does not fingerprint them)."""


@lru_cache(maxsize=1)
def default_data_dir() -> Path:
    """The folder of the defaults that ship with govnews."""
    packaged = Path(str(resources.files("govnews") / "_data"))
    if packaged.is_dir():
        return packaged
    # A source checkout (editable install): its data/ folder holds the defaults.
    return Path(__file__).resolve().parents[3] / "data"


def locate(paths: ProjectPaths, name: str) -> Path:
    """The file that holds data file ``name``: the user's copy if there is one, else the default.

    Args:
        paths: project paths; ``paths.data_dir`` is the user's data folder.
        name: a key of :data:`DATA_FILES` or :data:`REPORT_FILES`.

    Raises:
        GovnewsError: neither the user's folder nor the defaults hold the file.
    """
    relative = DATA_FILES.get(name) or REPORT_FILES[name]
    for folder in (paths.data_dir, default_data_dir()):
        candidate = folder / relative
        if candidate.exists():
            return candidate
    raise GovnewsError(paths.data_dir / relative, "data file not found, and govnews has no default for it")
