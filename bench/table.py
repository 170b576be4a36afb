"""The one table format every benchmark row uses (the ingest and extension benchmarks print it too)."""

from __future__ import annotations

from dataclasses import dataclass

HEADER = "| benchmark | measured (median) | baseline | baseline (median) | ratio |\n|---|---|---|---|---|"


@dataclass(frozen=True)
class Row:
    benchmark: str
    measured: str
    baseline: str
    baseline_value: str
    ratio: str

    def markdown(self) -> str:
        cells = (self.benchmark, self.measured, self.baseline, self.baseline_value, self.ratio)
        return "| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |"


def is_row(line: str) -> bool:
    """A data row printed by another benchmark script (not its header or separator)."""
    text = line.strip()
    return text.startswith("|") and not text.startswith("|---") and not text.startswith("| benchmark |")
