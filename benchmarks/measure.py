"""Measuring helpers: percentiles, a process-tree memory sampler, machine details.

Peak memory is the largest sum of resident set sizes over a process and all its descendants
(the ingest's worker processes included), sampled from /proc every 20 ms: what the machine
actually had to hold, which `ru_maxrss` (one process at a time) does not tell.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 (nearest-rank) and mean of a list of milliseconds."""
    if not values:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0}
    xs = sorted(values)

    def rank(p: float) -> float:
        k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
        return round(xs[k], 2)

    return {
        "n": len(xs),
        "p50": rank(50),
        "p95": rank(95),
        "p99": rank(99),
        "mean": round(statistics.fmean(xs), 2),
    }


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants right now."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss(p)
        stack += _children(p)
    return total


class PeakSampler:
    """Samples `tree_rss(pid)` in a thread until stopped; `.peak` is the largest sample."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class JobResult:
    seconds: float  # wall clock of the whole process, start-up included
    cpu_seconds: float  # user + system CPU of the process and the workers it waited for
    peak_rss: int  # bytes, process tree
    data: dict  # the JSON the job printed last


def run_job(args: list[str], env: dict | None = None, timeout: float | None = None) -> JobResult:
    """Run `python -m benchmarks.jobs ARGS` in a fresh process and read its JSON result."""
    cmd = [sys.executable, "-m", "benchmarks.jobs", *args]
    root = Path(__file__).resolve().parents[1]
    t0 = time.perf_counter()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    with PeakSampler(proc.pid) as sampler:
        out, err = proc.communicate(timeout=timeout)
    seconds = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"job {args[0]} failed ({proc.returncode}):\n{err[-3000:]}")
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return JobResult(seconds, round(cpu, 2), sampler.peak, json.loads(lines[-1]) if lines else {})


def dir_bytes(path: Path, skip: tuple[str, ...] = ()) -> int:
    total = 0
    for p in Path(path).rglob("*"):
        if p.is_file() and not any(part in skip for part in p.relative_to(path).parts):
            total += p.stat().st_size
    return total


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        from importlib.metadata import version

        whoosh_version = version("whoosh-reloaded")
    except Exception:
        whoosh_version = "?"
    commit = os.environ.get("BENCH_COMMIT", "")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                cwd=Path(__file__).resolve().parents[1],
                capture_output=True,
                text=True,
            ).stdout.strip()
        except OSError:
            commit = ""
    return {
        "commit": commit,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "whoosh": whoosh_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
