"""Load on a real ``ratchet serve``: sustained ingest, paced latency, feedback.

The server runs as its own process (the command users run), on a store of
its own; this process plays the exporters. Every request is acknowledged
only after its spans are committed, so an acknowledged span is a stored span.
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from spans import SPANS_PER_REQUEST, Traffic

BIN = Path(sys.executable).parent
PROTOBUF = {"Content-Type": "application/x-protobuf"}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _listeners(port: int) -> int:
    """Listening sockets on ``port`` (each ``--workers`` process binds its own)."""
    needle = f":{port:04X} "
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if (fields[1] + " ").endswith(needle) and fields[3] == "0A":
                count += 1
    return count


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``ratchet serve`` and the key of its ``bench`` project."""

    url: str
    key: str
    pid: int
    env: dict[str, str]

    def processes(self) -> list[int]:
        """The server's pid and its descendants' (``--workers`` > 1 forks workers)."""
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                todo.extend(int(c) for c in task.read_text().split())
        return found

    def memory_mb(self) -> tuple[float, float]:
        """(peak RSS, current RSS) in MB from /proc VmHWM and VmRSS, summed over processes."""
        peak = current = 0.0
        for pid in self.processes():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                name, _, value = line.partition(":")
                if name == "VmHWM":
                    peak += int(value.split()[0]) / 1024
                elif name == "VmRSS":
                    current += int(value.split()[0]) / 1024
        return peak, current

    def cpu_seconds(self) -> float:
        """User + system CPU time the server's processes have used (all threads).

        A worker that exited before this reading is not counted, so read it
        while the server runs.
        """
        ticks = 0
        for pid in self.processes():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@contextmanager
def running_server(home: Path, database_url: str | None, workers: int = 1) -> Iterator[Server]:
    """Create a key, start the server on a free loopback port, stop it at the end."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RATCHET_")}
    env["RATCHET_HOME"] = str(home)
    if database_url:
        env["RATCHET_DATABASE_URL"] = database_url
    created = subprocess.run(
        [str(BIN / "ratchet"), "keys", "create", "--project", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    key = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = (home / "server.log").open("w")
    argv = [str(BIN / "ratchet"), "serve", "--port", str(port), "--log-level", "warning"]
    # Capture alone: signal detection is measured on its own (bench_signals.py).
    argv += ["--watch-every", "0"]
    if workers > 1:
        argv += ["--workers", str(workers)]
    proc = subprocess.Popen(
        argv,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited: {(home / 'server.log').read_text()}")
            try:
                # Connections made before every worker listens would all stay
                # on the first one, so wait for each worker's socket too.
                ok = httpx.get(f"{url}/healthz", timeout=1).status_code == 200
                if ok and _listeners(port) >= workers:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /healthz within 30 s")
            time.sleep(0.1)
        yield Server(url=url, key=key, pid=proc.pid, env=env)
    except BaseException:
        tail = (home / "server.log").read_text()[-4000:]
        print(f"--- server log (last lines) ---\n{tail}", file=sys.stderr, flush=True)
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@dataclass
class Sustained:
    """What a sustained-ingest run measured."""

    spans: int
    seconds: float
    window: int
    first_rate: float
    last_rate: float
    retries: int
    #: server CPU (user + system) per span, all threads: independent of other load
    server_cpu_us: float
    #: 1-minute load average at the end, to judge how busy the machine was
    load_average: float
    #: wall-clock ns at which request n's runs were stamped, for time-range filters
    stamped_ns: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.spans / self.seconds

    @property
    def ratio(self) -> float:
        return self.last_rate / self.first_rate


async def _post(client: httpx.AsyncClient, body: bytes, counter: list[int]) -> None:
    """POST until acknowledged; a 503 (busy) is retried, as exporters do."""
    while True:
        resp = await client.post("/v1/traces", content=body, headers=PROTOBUF)
        if resp.status_code == 200:
            answer = ExportTraceServiceResponse.FromString(resp.content)
            if answer.partial_success.rejected_spans:
                raise RuntimeError(f"spans refused: {answer.partial_success.error_message}")
            return
        if resp.status_code != 503:
            raise RuntimeError(f"ingest answered {resp.status_code}: {resp.text[:300]}")
        counter[0] += 1
        await asyncio.sleep(0.2)


def _window_rates(acks: list[float], started: float, window: int) -> tuple[float, float]:
    """Spans/s over the first and the last ``window`` acknowledged spans.

    ``acks`` holds one time per acknowledged request of SPANS_PER_REQUEST spans.
    """
    times = sorted(acks)
    k = max(1, window // SPANS_PER_REQUEST)
    first = k * SPANS_PER_REQUEST / (times[k - 1] - started)
    before_last = times[-k - 1] if len(times) > k else started
    last = k * SPANS_PER_REQUEST / (times[-1] - before_last)
    return first, last


async def sustained(
    server: Server,
    traffic: Traffic,
    spans: int,
    *,
    concurrency: int = 8,
    progress: Callable[[str], None] = print,
    label: str = "",
) -> Sustained:
    """Send ``spans`` spans from ``concurrency`` clients, each waiting for its ack."""
    requests = spans // SPANS_PER_REQUEST
    window = max(SPANS_PER_REQUEST, spans // 10)
    stamped: list[int] = [0] * requests
    acks: list[float] = []
    retries = [0]
    next_n = [0]
    step = max(1, requests // 20)
    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    mark = [started, 0]

    async def worker(client: httpx.AsyncClient) -> None:
        while next_n[0] < requests:
            n = next_n[0]
            next_n[0] += 1
            now = time.time_ns()
            stamped[n] = now
            await _post(client, traffic.body(n, now), retries)
            acks.append(time.perf_counter())
            if len(acks) % step == 0:
                t = time.perf_counter()
                done = len(acks) * SPANS_PER_REQUEST
                recent = (done - mark[1]) / (t - mark[0])
                mark[0], mark[1] = t, done
                progress(
                    f"  {label}{done:>10,} / {requests * SPANS_PER_REQUEST:,} spans  "
                    f"{recent:8,.0f} spans/s now  {done / (t - started):8,.0f} overall  "
                    f"{t - started:6.0f} s"
                )

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=server.url, headers=server.headers(), limits=limits, timeout=120
    ) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu_before
    first, last = _window_rates(acks, started, window)
    return Sustained(
        spans=requests * SPANS_PER_REQUEST,
        seconds=seconds,
        window=window,
        first_rate=first,
        last_rate=last,
        retries=retries[0],
        server_cpu_us=cpu / (requests * SPANS_PER_REQUEST) * 1e6,
        load_average=os.getloadavg()[0],
        stamped_ns=stamped,
    )


@dataclass
class Paced:
    """Latency of requests sent on a fixed schedule, whatever the answers' pace."""

    sent: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    retries: int

    @property
    def rate(self) -> float:
        return self.sent * SPANS_PER_REQUEST / self.seconds


async def paced(
    server: Server, traffic: Traffic, first_n: int, *, rps: float = 20, seconds: float = 30
) -> Paced:
    """Open loop: request i leaves at t0 + i/rps; latency counts from that planned time.

    Counting from the planned time (not the actual send) keeps a stalled
    server from hiding its stall by delaying the requests that would show it.
    """
    count = int(rps * seconds)
    latencies: list[float] = []
    retries = [0]
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=64)
    async with httpx.AsyncClient(
        base_url=server.url, headers=server.headers(), limits=limits, timeout=120
    ) as client:
        # Warm the connections so the first second measures the server, not TCP setup.
        await asyncio.gather(*(client.get("/healthz") for _ in range(8)))
        t0 = time.perf_counter()

        async def one(i: int, planned: float) -> None:
            body = traffic.body(first_n + i, time.time_ns())
            await _post(client, body, retries)
            latencies.append(time.perf_counter() - planned)

        tasks = []
        for i in range(count):
            planned = t0 + i / rps
            delay = planned - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, planned)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - t0
    ms = [x * 1000 for x in latencies]
    return Paced(
        sent=count,
        seconds=elapsed,
        p50_ms=percentile(ms, 50),
        p99_ms=percentile(ms, 99),
        max_ms=max(ms),
        retries=retries[0],
    )


def post_feedback(server: Server, traffic: Traffic, requests: int, every: int = 20) -> int:
    """Thumbs-down on run 0 of every ``every``-th request (1% of runs at 5 runs a request).

    One in four is posted on the session instead of the trace, as an app
    that only knows its chat session would.
    """
    posted = 0
    with httpx.Client(base_url=server.url, headers=server.headers(), timeout=30) as client:
        for n in range(0, requests, every):
            if (n // every) % 4 == 3:
                payload = {"session_id": traffic.session_id(n, 0), "kind": "report"}
            else:
                payload = {"trace_id": traffic.trace_id(n, 0).hex(), "kind": "thumbs_down"}
            payload["comment"] = "the agent promised a refund it could not approve"
            resp = client.post("/api/v1/feedback", json=payload)
            if resp.status_code != 201:
                raise RuntimeError(f"feedback answered {resp.status_code}: {resp.text[:300]}")
            posted += 1
    return posted


def send_bodies(server: Server, bodies: list[bytes]) -> None:
    """Send a few bodies one after another (the big trace)."""
    with httpx.Client(base_url=server.url, headers=server.headers(), timeout=60) as client:
        for body in bodies:
            resp = client.post("/v1/traces", content=body, headers=PROTOBUF)
            if resp.status_code != 200:
                raise RuntimeError(f"ingest answered {resp.status_code}: {resp.text[:300]}")


__all__ = [
    "Paced",
    "Server",
    "Sustained",
    "paced",
    "percentile",
    "post_feedback",
    "running_server",
    "send_bodies",
    "sustained",
]
