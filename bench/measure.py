"""Runs one command and measures it: wall time from spawn to exit, exit
status and, when asked, peak RSS and the peak number of open file
descriptors (sampled from /proc every 2 ms).

Peak RSS comes from GNU time wrapped around the command, not from wait4:
a child forked from this Python process reports the parent's ~18 MiB as
its own peak (exec keeps the high-water mark of the memory it replaced)."""

import os
import select
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class Run:
    wall_ms: float
    rc: int
    maxrss_kib: int  # 0 unless measured (peak_rss=True)
    stdout: str = ""
    peak_fds: int = 0
    exited_at: float = 0.0  # time.perf_counter() when wait4 returned


def _count_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def _child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
        return int(children[0]) if children else None
    except OSError:
        return None


def run(argv, capture=False, sample_fds=False, timeout_s=60.0, peak_rss=False):
    rss_file = None
    if peak_rss:
        rss_file = tempfile.NamedTemporaryFile(prefix="bench-rss-", delete=False)
        rss_file.close()
        argv = ["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + list(argv)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sample():
        target = None if peak_rss else proc.pid
        while not done.wait(0.002):
            target = target or _child_of(proc.pid)  # under GNU time, the command is its child
            if target:
                peak[0] = max(peak[0], _count_fds(target))

    sampler = threading.Thread(target=sample, daemon=True) if sample_fds else None
    if sampler:
        sampler.start()
    # Waiting on a pidfd (and the output pipe) bounds the wait without a
    # timer thread per run, which cost ~1.5 ms of every measured spawn.
    out = bytearray()
    pidfd = os.pidfd_open(proc.pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    if capture:
        poller.register(proc.stdout.fileno(), select.POLLIN)
    deadline = start + timeout_s
    exited = False
    while not exited or (capture and not proc.stdout.closed):
        left_ms = (deadline - time.perf_counter()) * 1000
        if left_ms <= 0:
            proc.kill()
            left_ms = 10_000
        for fd, _ in poller.poll(left_ms):
            if fd == pidfd:
                exited = True
                poller.unregister(pidfd)
            else:
                chunk = os.read(fd, 65536)
                if chunk:
                    out += chunk
                else:
                    poller.unregister(fd)
                    proc.stdout.close()
    _, status, _ = os.wait4(proc.pid, 0)
    end = time.perf_counter()
    os.close(pidfd)
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    if sampler:
        sampler.join()
    maxrss = 0
    if rss_file:
        with open(rss_file.name) as f:
            lines = [line for line in f.read().split() if line.isdigit()]
        os.unlink(rss_file.name)
        maxrss = int(lines[-1]) if lines else 0
    return Run((end - start) * 1000.0, proc.returncode, maxrss, out.decode(errors="replace"), peak[0], end)


def interleaved(commands, rounds, warmup=2, capture=False):
    """Runs every command once per round, in one order per round rotated so
    that no command always follows the same other; returns label → [Run]."""
    labels = list(commands)
    for _ in range(warmup):
        for label in labels:
            run(commands[label])
    results = {label: [] for label in labels}
    for r in range(rounds):
        order = labels[r % len(labels):] + labels[:r % len(labels)]
        for label in order:
            results[label].append(run(commands[label], capture=capture))
    return results
