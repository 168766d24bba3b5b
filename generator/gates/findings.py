"""The one shape every gate reports in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    gate: str
    path: str  # relative to the site directory, "/"-separated ("" for the site as a whole)
    line: int  # 1-based; 0 when the gate cannot tell
    message: str

    def as_text(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else (self.path or "(site)")
        return f"{where}: gate[{self.gate}]: {self.message}"

    def as_github(self) -> str:
        # Built files are not in the repository, so the annotation has no file=; it still shows in the run.
        message = self.as_text().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error title=gate {self.gate}::{message}"
