"""The tutorial of docs/plugins.md, followed literally in a temporary environment.

Every code block with a ``title="path"`` is written to that path; every ``console`` block is run,
command by command, and the output it shows must appear in the real output, in order (a line of
``...`` stands for lines left out; spaces are compared loosely and pytest's timing is ignored).
The one liberty taken: ``pip install -e .`` installs the same package with ``pip install
--target`` into the temporary environment, so the project's own environment is never changed.
A command the tutorial adds that this test does not know how to run fails the test, so the
tutorial cannot grow an untested step.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import BIN, ROOT, PluginEnvironment

DOCS = ROOT / "docs" / "plugins.md"
FENCE = re.compile(r'^```(\w+)(?: title="([^"]+)")?\n(.*?)^```$', re.MULTILINE | re.DOTALL)
TIMING = re.compile(r"\bin \d+(?:\.\d+)?s\b")


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    language: str
    title: str | None
    body: str


def tutorial_blocks() -> list[Block]:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("\n## Tutorial")
    end = text.index("\n## ", start + 1)
    return [Block(lang, title or None, body) for lang, title, body in FENCE.findall(text[start:end])]


def console_steps(body: str) -> list[Step]:
    steps: list[Step] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append(Step(line[2:]))
        elif steps:
            steps[-1].expected.append(line)
    return steps


def normalized(line: str) -> str:
    return " ".join(TIMING.sub("in <time>", line).split())


def assert_output_shows(step: Step, output: str) -> None:
    """Each expected line appears in the output, in order; ``...`` skips lines."""
    actual = [normalized(line) for line in output.splitlines()]
    position = 0
    for expected in (normalized(line) for line in step.expected):
        if not expected or expected == "...":
            continue
        try:
            position = actual.index(expected, position) + 1
        except ValueError:
            raise AssertionError(
                f"`{step.command}` does not print {expected!r}; it printed:\n{output}"
            ) from None


class Reader:
    """Someone following the tutorial in a shell, in a fresh folder."""

    def __init__(self, env: PluginEnvironment) -> None:
        self.env = env
        self.cwd = env.work
        self.ran: list[str] = []

    def write(self, block: Block) -> None:
        assert block.title is not None
        path = self.env.work / block.title
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.body, encoding="utf-8")

    def run(self, step: Step) -> None:
        words = shlex.split(step.command)
        settings = {}
        while words and re.match(r"^[A-Z_]+=", words[0]):
            name, _, value = words.pop(0).partition("=")
            settings[name] = value
        output = self.dispatch(words, settings)
        assert_output_shows(step, output)
        self.ran.append(" ".join(words[:2]))

    def dispatch(self, words: list[str], settings: dict[str, str]) -> str:
        match words:
            case ["cd", folder]:
                self.cwd = self.cwd / folder
                assert self.cwd.is_dir(), f"the tutorial has no folder {folder}"
                return ""
            case ["pip", "install", "-e", "."]:
                self.env.pip_install(self.cwd)
                return ""
            case ["python", "-m", "pytest", *options]:
                command = [sys.executable, "-m", "pytest", *options, "-p", "no:cacheprovider"]
                return self.env.run(command, cwd=self.cwd, settings=settings).stdout
            case ["eobscan", "scan", *rest]:
                # Exit status 1 means "there is an error-level finding": what the tutorial shows.
                command = [str(BIN / "eobscan"), "scan", *rest]
                return self.env.run(command, cwd=self.cwd, ok=(0, 1), settings=settings).stdout
            case ["eobscan", *rest]:
                return self.env.run([str(BIN / "eobscan"), *rest], cwd=self.cwd, settings=settings).stdout
        raise AssertionError(f"the tutorial runs a command this test cannot follow: {' '.join(words)}")


def test_the_tutorial_is_made_of_files_and_commands() -> None:
    blocks = tutorial_blocks()
    assert [b.title for b in blocks if b.title] == [
        "eobscan-telehealth/pyproject.toml",
        "eobscan-telehealth/eobscan_telehealth.py",
        "eobscan-telehealth/tests/test_eobscan_telehealth.py",
        "eobscan-telehealth/visit.json",
    ]
    assert sum(len(console_steps(b.body)) for b in blocks if b.language == "console") >= 7


def test_a_plugin_written_from_the_tutorial_installs_lists_runs_and_passes_its_tests(
    fresh_env: PluginEnvironment,
) -> None:
    reader = Reader(fresh_env)
    for block in tutorial_blocks():
        if block.title:
            reader.write(block)
        elif block.language == "console":
            for step in console_steps(block.body):
                reader.run(step)
    assert reader.ran == [
        "cd eobscan-telehealth",
        "pip install",
        "python -m",
        "eobscan plugins",
        "eobscan explain",
        "eobscan scan",
        "eobscan scan",
    ]
    assert (fresh_env.target / "eobscan_telehealth-0.1.0.dist-info").is_dir()


def test_the_output_matcher_refuses_output_the_tutorial_does_not_show() -> None:
    step = Step("eobscan plugins", ["...", "acme_telehealth 0.1.0 (installed): acme_telehealth"])
    assert_output_shows(
        step, "insurer_processing 0.1.0 (built-in): x\nacme_telehealth 0.1.0 (installed): acme_telehealth\n"
    )
    with pytest.raises(AssertionError, match=r"does not print 'acme_telehealth 0\.1\.0 \(installed\)"):
        assert_output_shows(step, "acme_telehealth 0.2.0 (installed): acme_telehealth\n")


def test_pytest_timings_and_spacing_do_not_matter_but_order_does() -> None:
    assert normalized("7 passed in 0.05s") == normalized("7  passed in 12.3s")
    step = Step("python -m pytest", ["first", "second"])
    assert_output_shows(step, "first\nnoise\nsecond\n")
    with pytest.raises(AssertionError, match="does not print 'second'"):
        assert_output_shows(step, "second\nfirst\n")


def test_blocks_are_read_with_their_titles() -> None:
    text = '```toml title="a/b.toml"\nx = 1\n```\n\n```console\n$ eobscan plugins\nline\n```\n'
    assert [(m[0], m[1], m[2]) for m in FENCE.findall(text)] == [
        ("toml", "a/b.toml", "x = 1\n"),
        ("console", "", "$ eobscan plugins\nline\n"),
    ]
    assert console_steps("$ a\nout\n$ b\n") == [Step("a", ["out"]), Step("b", [])]


def test_the_tutorial_file_paths_stay_inside_its_folder() -> None:
    for block in tutorial_blocks():
        if block.title:
            assert not Path(block.title).is_absolute() and ".." not in Path(block.title).parts
