"""Several server processes on one port, each with its own socket (SO_REUSEPORT).

With one shared listening socket, whichever process wins the accept race
takes most of the long-lived exporter connections and the others idle. With
a socket per process the kernel spreads connections across them. Each
process is a full, stateless server (its own store connection and group
writer), which is also how replicas behind a load balancer run.
"""

from __future__ import annotations

import socket

from ratchet.core.errors import RatchetError


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


def serve_worker(host: str, port: int, log_level: str) -> None:
    """One worker: its own socket on the shared port, its own store and writer."""
    import uvicorn

    from ratchet.server.factory import app_from_env

    sock = _bind(host, port)
    config = uvicorn.Config(app_from_env(), log_level=log_level, access_log=False)
    settle_heap()
    uvicorn.Server(config).run(sockets=[sock])


def settle_heap() -> None:
    """Move everything start-up made out of the collector's way, for the process's life.

    The server's modules, templates and store objects live as long as the
    process; left in the tracked heap, every full collection walks them
    again: about 100 ms, every few requests that build a large page (a
    500-span trace view). Frozen, full collections only see request garbage.
    """
    import gc

    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="ratchet worker")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log-level", default="info")
    ns = parser.parse_args()
    serve_worker(ns.host, ns.port, ns.log_level)
