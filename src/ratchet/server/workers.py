"""Several server processes on one port, each with its own socket (SO_REUSEPORT).

With one shared listening socket, whichever process wins the accept race
takes most of the long-lived exporter connections and the others idle. With
a socket per process the kernel spreads connections across them. Each
process is a full, stateless server (its own store connection and group
writer), which is also how replicas behind a load balancer run.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time
from types import FrameType

from ratchet.core.errors import RatchetError

log = logging.getLogger("ratchet.server")


def check_port(host: str, port: int) -> None:
    """Raise a clear error now if ``host:port`` cannot be listened on."""
    try:
        probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        # As the server itself will: connections of an earlier run lingering
        # in TIME_WAIT must not count as the port being taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        probe.close()
    except OSError as exc:
        raise RatchetError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port"
        ) from exc


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, log_level: str) -> None:
    import uvicorn

    from ratchet.server.factory import app_from_env

    sock = _bind(host, port)
    config = uvicorn.Config(app_from_env(), log_level=log_level, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(count: int, host: str, port: int, log_level: str) -> None:
    """Start ``count`` worker processes and keep them running until told to stop.

    A worker that dies is replaced; SIGTERM or Ctrl-C stops them all
    gracefully (each finishes the batches it acknowledged).
    """
    ctx = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> multiprocessing.process.BaseProcess:
        proc = ctx.Process(target=_worker, args=(host, port, log_level), name="ratchet-worker")
        proc.start()
        return proc

    procs = [start() for _ in range(count)]

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for proc in procs:
            if proc.is_alive() and proc.pid is not None and signum != signal.SIGINT:
                proc.terminate()  # Ctrl-C already reached the whole process group

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        for i, proc in enumerate(procs):
            if not proc.is_alive() and not stopping:
                log.warning("worker %s exited with %s; starting another", proc.pid, proc.exitcode)
                procs[i] = start()
        time.sleep(0.5)
    for proc in procs:
        proc.join(30)
