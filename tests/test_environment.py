"""requirements.txt, environment.yml and pyproject.toml agree on packages and versions."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
REQUIREMENTS = REPO / "requirements.txt"
ENVIRONMENT = REPO / "environment.yml"
PYPROJECT = REPO / "pyproject.toml"

# conda-forge name → PyPI name, where they differ.
CONDA_TO_PIP = {"matplotlib-base": "matplotlib"}
# Environment plumbing, not project dependencies.
CONDA_ONLY = {"python", "pip"}
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*={1,2}\s*(?P<version>[A-Za-z0-9.*+!_-]+)$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse_requirements(text: str) -> dict[str, str]:
    """``name==version`` lines → {normalised name: version}; anything else is an error."""
    pins: dict[str, str] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _PIN.match(line)
        if match is None or "==" not in line:
            raise ValueError(f"requirements.txt:{line_no}: not a `name==version` pin: {raw!r}")
        name = _normalise(match["name"])
        if name in pins:
            raise ValueError(f"requirements.txt:{line_no}: {name} is pinned twice")
        pins[name] = match["version"]
    return pins


def _parse_environment(data: dict) -> dict[str, str]:
    """conda and pip entries of an environment.yml → {normalised PyPI name: version}."""
    pins: dict[str, str] = {}
    for entry in data["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for item in entries:
            if item.startswith("-e") or _normalise(str(item).split("=")[0]) in CONDA_ONLY:
                continue
            match = _PIN.match(item)
            if match is None:
                raise ValueError(f"environment.yml: not a pinned package: {item!r}")
            name = _normalise(CONDA_TO_PIP.get(match["name"], match["name"]))
            if name in pins:
                raise ValueError(f"environment.yml: {name} is listed twice")
            pins[name] = match["version"]
    return pins


def _disagreements(environment: dict[str, str], requirements: dict[str, str]) -> list[str]:
    problems = [f"{name} only in environment.yml" for name in sorted(set(environment) - set(requirements))]
    problems += [f"{name} only in requirements.txt" for name in sorted(set(requirements) - set(environment))]
    problems += [
        f"{name}: environment.yml {environment[name]} != requirements.txt {requirements[name]}"
        for name in sorted(set(environment) & set(requirements))
        if environment[name] != requirements[name]
    ]
    return problems


def _pyproject_dependencies() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return [_normalise(_NAME.match(spec.strip())[0]) for spec in project["dependencies"]]


@pytest.fixture(scope="module")
def requirements() -> dict[str, str]:
    return _parse_requirements(REQUIREMENTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment_data() -> dict:
    return yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment(environment_data: dict) -> dict[str, str]:
    return _parse_environment(environment_data)


def test_environment_and_requirements_agree(
    environment: dict[str, str], requirements: dict[str, str]
) -> None:
    assert _disagreements(environment, requirements) == []


def test_every_pyproject_dependency_is_pinned(requirements: dict[str, str]) -> None:
    assert [name for name in _pyproject_dependencies() if name not in requirements] == []


@pytest.mark.parametrize("tool", ["pytest", "hypothesis", "ruff", "nbstripout"])
def test_dev_tools_are_pinned(requirements: dict[str, str], tool: str) -> None:
    assert tool in requirements


def test_environment_uses_conda_forge_python_311_and_installs_the_package(environment_data: dict) -> None:
    assert environment_data["channels"] == ["conda-forge"]
    assert "python=3.11" in environment_data["dependencies"]
    pip_section = next(entry["pip"] for entry in environment_data["dependencies"] if isinstance(entry, dict))
    assert "-e ." in pip_section


def test_pins_match_the_installed_versions(requirements: dict[str, str]) -> None:
    # Catches an upgrade in the venv that nobody wrote down; tools not installed here are skipped.
    drift = {}
    for name, version in requirements.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        if installed != version:
            drift[name] = (version, installed)
    assert drift == {}


# The checks above must be able to fail: the comparison and parsers flag what they should.


@pytest.mark.parametrize(
    ("environment", "requirements", "expected"),
    [
        ({"pandas": "3.1.1"}, {"pandas": "3.1.1"}, []),
        (
            {"pandas": "3.1.1"},
            {"pandas": "3.1.0"},
            ["pandas: environment.yml 3.1.1 != requirements.txt 3.1.0"],
        ),
        ({"pandas": "3.1.1", "tqdm": "4.70.1"}, {"pandas": "3.1.1"}, ["tqdm only in environment.yml"]),
        ({}, {"ruff": "0.17.6"}, ["ruff only in requirements.txt"]),
    ],
)
def test_disagreements_are_reported(
    environment: dict[str, str], requirements: dict[str, str], expected: list[str]
) -> None:
    assert _disagreements(environment, requirements) == expected


def test_conda_names_are_mapped_to_pip_names() -> None:
    data = {
        "dependencies": ["python=3.11", "pip", "matplotlib-base==3.11.2", {"pip": ["PyYAML==6.0.3", "-e ."]}]
    }
    assert _parse_environment(data) == {"matplotlib": "3.11.2", "pyyaml": "6.0.3"}


@pytest.mark.parametrize("line", ["pandas", "pandas>=3", "pandas==3.1.1 ; python_version<'3.12'", "-e ."])
def test_requirements_lines_must_be_exact_pins(line: str) -> None:
    with pytest.raises(ValueError, match="not a `name==version` pin"):
        _parse_requirements(line)


def test_requirements_reject_a_package_pinned_twice() -> None:
    with pytest.raises(ValueError, match="pinned twice"):
        _parse_requirements("PyYAML==6.0.3\npyyaml==6.0.3\n")
