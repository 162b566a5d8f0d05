"""A process's CPU time and memory from /proc, and pinning processes to cores.

The bench reads the servers' own counters rather than timing requests, so the
CPU per edit it reports is the server's work alone, whatever the clients cost.

    before = cpu_seconds(pid); ...; used = cpu_seconds(pid) - before
"""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# /proc/<pid>/stat fields after "pid (comm)": state is index 0, so utime
# (field 14 in proc(5)) is index 11 and stime (field 15) index 12.
UTIME, STIME = 11, 12


def cpu_seconds(pid: int) -> float:
    """CPU time of the whole process, in seconds, to the nanosecond where Linux allows.

    The sum of its threads' run time (/proc/<pid>/task/*/schedstat) is exact,
    where utime + stime in /proc/<pid>/stat moves in 10 ms ticks: too coarse
    for a relay that uses 50 ms in a 15 s window. A thread that ended takes its
    time with it, so this is for servers whose threads live on (uvicorn's loop,
    Flowmap's database pool); without schedstat, it falls back to the ticks.
    """
    tasks = list(Path(f"/proc/{pid}/task").glob("*/schedstat"))
    if not tasks:
        return tick_cpu_seconds(pid)
    total_ns = 0
    for task in tasks:
        try:
            total_ns += int(task.read_text().split()[0])
        except OSError:  # the thread ended between listing and reading
            continue
    return total_ns / 1e9


def thread_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time of each live thread of the process, by thread id (the main thread's is `pid`)."""
    threads: dict[int, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            threads[int(task.name)] = int((task / "schedstat").read_text().split()[0]) / 1e9
        except (OSError, ValueError):
            continue
    return threads


def run_delay_seconds(pid: int) -> float:
    """Time the process's threads were ready to run but waited for a CPU (schedstat field 2).

    On a shared machine this is the sign that someone else had the core: a
    server that waited 30% of a window was measured on two thirds of a core.
    """
    total_ns = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total_ns += int(task.read_text().split()[1])
        except OSError:
            continue
    return total_ns / 1e9


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent on anything but idle and iowait (first line of /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    # guest time is already counted in user and nice
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def tick_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the whole process (every thread, live or gone), in ticks."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[UTIME]) + int(fields[STIME])) / CLOCK_TICKS


def rss_kib(pid: int) -> int:
    """Resident memory of the process, KiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def core_split() -> tuple[set[int], set[int]] | None:
    """(server cores, load-generator cores), or None on a one-core machine.

    Core 0 serves and the rest generate load: the load generator then never
    steals the server's core, so server CPU and latency are the server's own.
    """
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    return {cores[0]}, set(cores[1:])


def pin(cores: set[int] | None) -> None:
    """Pin the calling process (and the threads it starts later) to `cores`."""
    if cores:
        os.sched_setaffinity(0, cores)
