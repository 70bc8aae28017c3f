"""The parent of ``ratchet serve --workers N``: starts, watches and stops workers.

It imports the standard library only. ``ratchet serve`` migrates the store
and then replaces itself with this module (``exec``), so the parent holds
about 15 MB instead of a second copy of the server's imports; with two
workers that is the difference between fitting a 300 MB budget or not.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from types import FrameType


def _spawn(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "ratchet.server.workers"]
    cmd += ["--host", args.host, "--port", str(args.port), "--log-level", args.log_level]
    return subprocess.Popen(cmd)


def supervise(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ratchet serve --workers")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    procs = [_spawn(args) for _ in range(args.workers)]
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for proc in procs:
            # Ctrl-C already reached the whole foreground process group.
            if proc.poll() is None and signum != signal.SIGINT:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        for i, proc in enumerate(procs):
            if proc.poll() is not None and not stopping:
                print(
                    f"ratchet: worker {proc.pid} exited with {proc.returncode}; starting another",
                    file=sys.stderr,
                    flush=True,
                )
                procs[i] = _spawn(args)
        time.sleep(0.5)
    status = 0
    for proc in procs:
        try:
            proc.wait(30)  # each finishes the batches it acknowledged
        except subprocess.TimeoutExpired:
            proc.kill()
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(supervise(sys.argv[1:]))
