"""Serving the sandbox: uvicorn in a background thread, bound to a loopback address only."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import threading
import time
from types import TracebackType

import uvicorn

from wizard.sandbox import SANDBOX_REGION, SANDBOX_TOKEN
from wizard.sandbox.app import SandboxApp
from wizard.sandbox.state import SandboxState
from wizard.sandbox.tenants import build_tenant

START_TIMEOUT = 10.0
"""Seconds to wait for the server to accept connections before giving up."""
STOP_GRACE = 1.0
"""Seconds in-flight answers get to finish when the sandbox stops."""


class _PromptServer(uvicorn.Server):
    """uvicorn's server, woken at once by `wake()` instead of polling, and shut down without its fixed
    0.1 s pauses: tests start and stop a sandbox each, so those pauses would add up."""

    _loop: asyncio.AbstractEventLoop | None = None
    _wake_event: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._wake_event = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        counter = 0
        while not self.should_exit:
            if await self.on_tick(counter):  # keeps the Date header current
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake_event.wait(), 1.0)
            counter += 10

    def wake(self) -> None:
        """Make the serving loop notice `should_exit` now (safe from any thread)."""
        loop, event = self._loop, self._wake_event
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                loop.call_soon_threadsafe(event.set)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_GRACE
        while self.server_state.connections and not self.force_exit and loop.time() < deadline:
            await asyncio.sleep(0.005)
        for task in list(self.server_state.tasks):
            task.cancel()


def check_loopback(host: str) -> None:
    """Raise ValueError unless `host` is a loopback address (the sandbox never listens on a network)."""
    if host == "localhost":
        return
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"the sandbox binds to loopback only: {host!r} is not an IP address") from None
    if not address.is_loopback:
        raise ValueError(f"the sandbox binds to loopback only: {host} is not a loopback address (use 127.0.0.1)")


class RunningSandbox:
    """A sandbox being served: where it is, the credentials it takes, its state; `stop()` ends it."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        ak: str,
        sk: str,
        project_id: str,
        state: SandboxState,
        server: _PromptServer,
        thread: threading.Thread,
    ) -> None:
        self.host = host
        self.port = port
        self.ak = ak
        self.sk = sk
        self.project_id = project_id
        self.token = SANDBOX_TOKEN
        self.region = state.region
        self.state = state
        self._server = server
        self._thread = thread

    @property
    def url(self) -> str:
        """The base URL every service is served on, e.g. ``http://127.0.0.1:40123``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        """True while the server thread is serving."""
        return self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving and wait for the thread to end (stalled fault answers are cut short)."""
        self.state.closing.set()
        self._server.should_exit = True
        self._server.wake()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout)

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RunningSandbox(url={self.url!r}, tenant={self.state.tenant.name!r}, ak={self.ak!r})"


def start(
    *,
    tenant: str,
    host: str,
    port: int,
    latency_ms: int,
    create_delay: float,
    ak: str,
    sk: str,
    project_id: str,
) -> RunningSandbox:
    """Build the state, bind the port and serve in a daemon thread; see `wizard.sandbox.start_sandbox`."""
    check_loopback(host)
    if latency_ms < 0 or create_delay < 0:
        raise ValueError("latency_ms and create_delay must not be negative")
    state = SandboxState(
        build_tenant(tenant, project_id),
        project_id=project_id,
        region=SANDBOX_REGION,
        create_delay=create_delay,
        latency=latency_ms / 1000,
    )
    app = SandboxApp(state, ak=ak, sk=sk, token=SANDBOX_TOKEN)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only then (else each keep-alive
    # answer waits ~40 ms for a delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    bound_port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app,
        log_config=None,
        log_level="error",
        access_log=False,
        http="h11",
        ws="none",
        lifespan="off",
    )
    server = _PromptServer(config)

    def transport_for(client: tuple[str, int]) -> asyncio.Transport | None:
        # uvicorn's protocol objects keep the client address and their transport; nothing public does.
        for connection in list(server.server_state.connections):
            if tuple(getattr(connection, "client", None) or ()) == tuple(client):
                transport = getattr(connection, "transport", None)
                return transport if isinstance(transport, asyncio.Transport) else None
        return None

    app.transport_finder = transport_for
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"sandbox-{bound_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise OSError(f"the sandbox could not start on {host}:{bound_port}")
        time.sleep(0.005)
    return RunningSandbox(
        host=host,
        port=bound_port,
        ak=ak,
        sk=sk,
        project_id=project_id,
        state=state,
        server=server,
        thread=thread,
    )
