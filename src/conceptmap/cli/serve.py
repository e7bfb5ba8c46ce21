"""``conceptmap serve``: the workshop TUI in remote participants' browsers (textual-serve).

textual-serve starts one app process per browser connection; each one opens the same map file
and saves through the same locked safe save, so participants follow each other's edits.
Bound to localhost unless told otherwise; on any other address the page and its websocket
require a token, printed in the URL to share.
"""

from __future__ import annotations

import ipaddress
import secrets
import shlex
import sys
from pathlib import Path

import typer

from conceptmap.cli._app import app, say
from conceptmap.errors import EnvironmentProblem, UsageError

__all__ = ["serve"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(command: str, host: str, port: int, token: str | None):
    """A textual-serve Server, with a token check in front when ``token`` is given."""
    from aiohttp import web
    from textual_serve.server import Server

    class _TokenServer(Server):
        async def _make_app(self) -> web.Application:
            webapp = await super()._make_app()
            if token is None:
                return webapp

            @web.middleware
            async def check(request: web.Request, handler):
                if request.path.startswith("/static/"):
                    return await handler(request)
                given = request.query.get("token") or request.cookies.get("conceptmap_token")
                if not given or not secrets.compare_digest(given, token):
                    raise web.HTTPForbidden(
                        text="conceptmap: this workshop needs the token from its URL\n"
                    )
                response = await handler(request)
                if request.query.get("token") and isinstance(response, web.Response):
                    response.set_cookie("conceptmap_token", token, httponly=True, samesite="Strict")
                return response

            webapp.middlewares.append(check)
            return webapp

        async def on_startup(self, app: web.Application) -> None:  # quiet: one line from us
            return None

    return _TokenServer(command, host=host, port=port, title="conceptmap workshop")


@app.command()
def serve(
    path: Path = typer.Argument(..., help="The map the workshop edits."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (localhost by default)."
    ),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    token: str | None = typer.Option(
        None, "--token", help="Token for a non-local address (default: a random one)."
    ),
) -> None:
    """Serve the workshop TUI to web browsers, for remote participants.

    Every browser gets its own copy of the TUI on the same map file; every edit goes through
    the locked safe save and the others reload when it lands. Listens on 127.0.0.1 unless
    --host says otherwise; on any other address the URL carries a token, and requests without
    it are refused.
    """
    if not path.is_file():
        raise UsageError("no such map file", path=str(path))
    if not 0 < port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {port}")
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise EnvironmentProblem(
            "textual-serve is not installed: pip install textual-serve"
        ) from None
    needs_token = not _is_loopback(host)
    tok = (token or secrets.token_urlsafe(16)) if needs_token else None
    command = shlex.join([sys.executable, "-m", "conceptmap", "open", str(path.resolve())])
    server = make_server(command, host, port, tok)
    url = f"http://{host}:{port}/" + (f"?token={tok}" if tok else "")
    say(f"conceptmap: serving {path} at {url} (Ctrl+C to stop)")
    server.serve()
