"""What a command costs before it does anything: CPU seconds of whole `archive` processes.

Runs each command many times as a separate process and reads the CPU time the child used (user +
system, from ``getrusage``), which the shared machine's load disturbs much less than wall time.
The peer is a bare ``python -c pass`` measured in the same run; each command is printed with its
ratio to that peer (medians), and its extra cost over it.

    python bench/bench_startup.py            # 15 runs of each command
    python bench/bench_startup.py --runs 30

Commands: ``archive --version``, ``archive --help``, ``archive list``, ``archive show ID`` and
``archive search "Africa Corps"`` on an archive of the seeds (made in a temporary folder), and
``archive search`` with a word from each language.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def archive_cmd() -> list[str]:
    """The `archive` script beside this interpreter (not whichever is first on PATH)."""
    exe = Path(sys.executable).with_name("archive")
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    return [sys.executable, "-m", "archive"]


def cpu_of(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ARCHIVE_HOME": str(Path(tmp) / "home"), "NO_COLOR": "1"}
        arc = archive_cmd()
        subprocess.run([*arc, "add", str(ROOT / "seeds")], env=env, check=True, capture_output=True)
        doc_id = subprocess.run([*arc, "list", "-n", "1", "--json"], env=env, check=True, capture_output=True,
                                text=True).stdout.split('"id": "')[1].split('"')[0]
        commands = {
            "python -c pass (peer)": [sys.executable, "-c", "pass"],
            "archive --version": [*arc, "--version"],
            "archive --help": [*arc, "--help"],
            "archive list": [*arc, "list"],
            "archive show ID": [*arc, "show", doc_id],
            'archive search "Africa Corps"': [*arc, "search", "Africa Corps"],
            "archive search الفيلق": [*arc, "search", "الفيلق"],
        }
        for cmd in commands.values():  # warm the file cache and the bytecode caches
            cpu_of(cmd, env)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so that load changes touch every command alike
            for name, cmd in commands.items():
                results[name].append(cpu_of(cmd, env))
    load = os.getloadavg()
    print(f"CPU seconds per process, {args.runs} runs each (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    print(f"{'command':<32} {'cpu min':>8} {'cpu median':>11} {'wall median':>12} {'ratio':>6} {'extra ms':>9}")
    peer = statistics.median(c for c, _ in results["python -c pass (peer)"])
    for name, runs in results.items():
        cpu = [c for c, _ in runs]
        wall = [w for _, w in runs]
        med = statistics.median(cpu)
        print(f"{name:<32} {min(cpu):8.3f} {med:11.3f} {statistics.median(wall):12.3f} {med / peer:6.1f} "
              f"{1000 * (med - peer):9.0f}")


if __name__ == "__main__":
    main()
