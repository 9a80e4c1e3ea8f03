"""Run the web app: listen (loopback unless told otherwise), say where, open a browser, stop
cleanly on Ctrl-C.

The socket is bound here, before uvicorn starts, so that a port in use is one clear line (and
port 0 picks a free port whose address is then printed)."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from ctsearch.errors import CtsearchError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")  # Host names a loopback server answers


class ServeError(CtsearchError):
    """The server cannot start (address in use, unknown host, …)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or ServeError in one line."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"cannot listen on {host!r}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        hint = "; choose another with --port" if exc.errno in (98, 48, 10048) else ""
        raise ServeError(f"cannot listen on {host}:{port}: {reason}{hint}") from None
    sock.setblocking(False)
    return sock


def address(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(
    index_dir: Path,
    corpus: Path | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = False,
    keep: int | None = None,
    say: Callable[[str], None],
    warn: Callable[[str], None],
) -> None:
    """Serve until Ctrl-C (or SIGTERM). `say` prints a line for the user, `warn` a warning."""
    import uvicorn

    from ctsearch.web.app import create_app

    loopback = is_loopback(host)
    if not loopback:
        warn(
            f"listening on {host}: the index is visible to the network "
            "(anyone who can reach this machine can read it)"
        )
    sock = listen(host, port)
    allowed = None
    if loopback:
        # Answer only requests addressed to loopback names: a web page elsewhere cannot reach
        # this server by pointing a name of its own at 127.0.0.1 (DNS rebinding).
        allowed = list(LOOPBACK_NAMES)
    app = create_app(index_dir, corpus, allowed_hosts=allowed, warn=warn, keep=keep)
    app.state.engine.warm()
    url = address(sock)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    say(f"Serving {index_dir} at {url} (Ctrl-C to stop)")
    if open_browser:
        threading.Thread(target=_open_when_up, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shut down cleanly, then passed the Ctrl-C on
        pass
    finally:
        sock.close()
    say("stopped")


def _open_when_up(server, url: str) -> None:
    import time
    import webbrowser

    for _ in range(100):  # up to 10 s for the server to start
        if server.started:
            break
        time.sleep(0.1)
    webbrowser.open(url)
