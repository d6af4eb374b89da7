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
