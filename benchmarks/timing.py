"""Time one command as its own process: wall time and that process's peak memory.

Shared by run.py and the scripts it calls, so every figure in a run is measured the same way:
wall clock around the process, peak memory from wait4's ru_maxrss (on Linux the largest single
process among the command and the children it waited for, e.g. export's workers, po4a's msgmerge).
A step that exits with a code outside ``ok_codes`` stops the whole run: no figure is printed
for a step that failed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Figure:
    step: str
    seconds: float
    peak_mb: float
    target_s: float | None
    note: str = ""

    def line(self) -> str:
        verdict = "" if self.target_s is None else ("ok" if self.seconds < self.target_s else "OVER")
        target = f"< {self.target_s:g} s" if self.target_s is not None else ""
        return f"{self.step:<44} {self.seconds:8.2f} s {self.peak_mb:8.0f} MB  {target:<8} {verdict:<4} {self.note}"


def run(
    step: str,
    argv: list[str],
    *,
    target: float | None = None,
    env: dict | None = None,
    ok_codes: tuple[int, ...] = (0,),
    note: str = "",
    cwd: Path | None = None,
    quiet: bool = False,
) -> Figure:
    """Run ``argv`` once and return its figure; ``quiet`` leaves the printing to the caller."""
    # stderr goes to a file, not a pipe: we only read it after wait4 (whose rusage is the
    # point), and a chatty command (po4a, msgmerge) would block on a full pipe before that.
    with tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err_file, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: stop Popen waiting again
        err_file.seek(0)
        stderr = err_file.read().decode(errors="replace")
    code = proc.returncode
    if code not in ok_codes:
        raise SystemExit(f"{step}: exit {code}\n{stderr[-4000:]}")
    figure = Figure(step, seconds, usage.ru_maxrss / 1024, target, note)
    if not quiet:
        print(figure.line(), flush=True)
    return figure
