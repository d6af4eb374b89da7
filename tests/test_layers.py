"""The layers keep to their jobs: only ``govnews.resources`` opens the data files a user edits.

A Python audit hook (PEP 578) sees every ``open`` of a process. The check runs in a child process
(an audit hook cannot be removed) that builds the seed pages and calls the public functions with
their default lexicons; every file opened under the data folders is traced back to the nearest
govnews module on the stack, which must be in ``govnews/resources``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

_PROGRAM = r"""
import json, os, shutil, sys
from pathlib import Path

import govnews
from govnews.config import project_paths
from govnews.resources.locate import default_data_dir

GOVNEWS = Path(os.path.realpath(govnews.__file__)).parent
RESOURCES = GOVNEWS / "resources"
work = Path(sys.argv[1])
paths = project_paths(raw_dir=work / "raw", processed_dir=work / "out", cache_dir=work / "cache")
watched = [
    Path(os.path.realpath(folder / part))
    for folder in (paths.data_dir, default_data_dir())
    for part in ("lexicons", "gazetteer", "validation", "overrides.yml")
]
opened = []


def hook(event, args):
    if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = Path(os.path.realpath(os.fsdecode(args[0])))
    if not any(path == place or path.is_relative_to(place) for place in watched):
        return
    frame = sys._getframe(1)
    while frame is not None:
        code_file = Path(os.path.realpath(frame.f_code.co_filename))
        if code_file.is_relative_to(GOVNEWS):
            opened.append([str(code_file.relative_to(GOVNEWS)), path.name])
            return
        frame = frame.f_back


shutil.copytree(Path(sys.argv[2]), work / "raw")
sys.addaudithook(hook)

# A module outside resources/ that opens a data file is seen (the check can fail):
source = "open(sys.argv[3], encoding='utf-8').close()"
exec(compile(source, str(GOVNEWS / "extract" / "opens_a_lexicon.py"), "exec"), {"sys": sys})

from govnews.pipeline.build import build
from govnews import extract_figures, extract_measures
from govnews.text.segment import default_segmenter

build(paths, workers=1, use_cache=False)
extract_figures("辖区58条道路总长度为53570米")
extract_measures("推行“九步工作法”。")
default_segmenter().cut("网格化治理")

# what a notebook reads besides the tables: the codebook, the boilerplate list, the judged sample
from govnews.notebook import open_tables
from govnews.resources.judgements import read_measure_judgements

book = open_tables({"processed_dir": str(paths.processed_dir), "figures_dir": str(work / "figures")})
book.codebook, book.boilerplate
read_measure_judgements(default_data_dir() / "validation" / "measure_judgements.csv")
print(json.dumps(opened, ensure_ascii=False))
"""


def test_only_the_resources_layer_opens_data_files(tmp_path: Path) -> None:
    lexicon = REPO / "data" / "lexicons" / "units.yml"
    run = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(tmp_path), str(REPO / "data" / "raw"), str(lexicon)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    opened = json.loads(run.stdout.strip().splitlines()[-1])
    outside = {(module, name) for module, name in opened if not module.startswith("resources/")}
    assert outside == {("extract/opens_a_lexicon.py", "units.yml")}
    inside = {name for module, name in opened if module.startswith("resources/")}
    assert {"units.yml", "measures.yml", "themes.yml", "register.csv", "offices.csv"} <= inside
    assert {"boilerplate.txt", "measure_judgements.csv"} <= inside


# Each package's rank in the pipeline: a module imports (at module level) only from lower ranks, so the
# layers form a ladder a reader can climb. Imports inside functions (a default lexicon for a call from a
# notebook, a format's parser called by resources/) are the documented exceptions, see
# docs/architecture.md.
LAYER_RANKS = {
    **dict.fromkeys(("govnews", "errors", "vocabulary", "patterns", "collector", "config", "schema"), 0),
    "resources": 1,
    "text": 2,
    "ingest": 3,
    "extract": 3,
    "pipeline": 4,
    "validate": 5,
    "theme_validation": 5,
    "present": 6,
    "notebook": 6,
    "cli": 7,
    "__main__": 8,
}


def _layer(relative: Path) -> str:
    if len(relative.parts) == 1:
        return "govnews" if relative.name == "__init__.py" else relative.stem
    return relative.parts[0]


def _module_level_imports(path: Path) -> list[tuple[str, int]]:
    """The govnews layers a file imports at module level (``if TYPE_CHECKING`` blocks left out)."""
    import ast

    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "govnews":
            parts = node.module.split(".")
            names = [alias.name for alias in node.names] if len(parts) == 1 else [parts[1]]
            found += [(name if name in LAYER_RANKS else "govnews", node.lineno) for name in names]
        elif isinstance(node, ast.Import):
            found += [
                (alias.name.split(".")[1], node.lineno)
                for alias in node.names
                if alias.name.startswith("govnews.")
            ]
    return found


def _is_upward(layer: str, imported: str) -> bool:
    rank, imported_rank = LAYER_RANKS[layer], LAYER_RANKS[imported]
    return imported != layer and imported_rank >= rank and not rank == imported_rank == 0


def test_every_layer_has_a_rank() -> None:
    package = REPO / "src" / "govnews"
    layers = {_layer(path.relative_to(package)) for path in package.rglob("*.py")}
    assert layers <= set(LAYER_RANKS)


def test_modules_import_only_from_lower_layers() -> None:
    package = REPO / "src" / "govnews"
    upward = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        layer = _layer(relative)
        for imported, line in _module_level_imports(path):
            if _is_upward(layer, imported):
                upward.append(f"{relative}:{line} imports {imported}")
    assert upward == []


def test_the_import_rule_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "steps.py"
    module.write_text("from govnews.pipeline.build import build\n", encoding="utf-8")
    assert _module_level_imports(module) == [("pipeline", 1)]
    assert _is_upward("ingest", "pipeline")
    assert _is_upward("ingest", "extract")  # two steps of one rank stay apart
    assert not _is_upward("pipeline", "ingest")
    assert not _is_upward("schema", "vocabulary")
