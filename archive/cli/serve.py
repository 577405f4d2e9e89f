"""``archive serve``: the local web application (:mod:`archive.web`) on 127.0.0.1, run by uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import handle_errors, pass_archive

if TYPE_CHECKING:
    from ..api import Archive


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but this machine's loopback lets other machines in.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="The port (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the search page in the web browser.")
@pass_archive
@handle_errors
def serve(arc: Archive, host: str, port: int, open_browser: bool) -> None:
    """Search, read and annotate the archive in a web browser, on this machine only.

    \b
    Examples:
      archive serve                  # then open http://127.0.0.1:8765/
      archive serve --open --port 9000
    """
    import socket

    import uvicorn

    from ..web.app import create_app
    from ..web.security import hosts_for, is_local

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as e:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.listen(128)
    port = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if not is_local(host):
        click.echo(f"archive: warning: listening on {host}, not this machine's loopback: other machines can "
                   "read and edit the archive (there is no login)", err=True)
    click.echo(f"serving {arc.home} at {url} (this machine only)" if is_local(host)
               else f"serving {arc.home} at {url}")
    click.echo("press Ctrl-C to stop", err=True)
    app = create_app(arc, allowed_hosts=hosts_for(host.strip("[]"), port))
    if open_browser:
        import webbrowser

        webbrowser.open(url if host not in ("0.0.0.0", "::") else f"http://127.0.0.1:{port}/")
    config = uvicorn.Config(app, log_level="warning", server_header=False, proxy_headers=False)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
