"""Where a fetch may go: the address checks that keep a feed or a redirect out of the user's network.

A URL the user typed (on the command line, in ``--from``) is the user's choice and may name any
address. A URL that came from somewhere else (a feed's link, a redirect, the feed an HTML page
announces) is fetched only from a public address, over http(s): never from a loopback, private,
link-local (cloud metadata), multicast, unspecified or otherwise non-public one, checked on the
addresses the host name resolves to, and the connection is made to the address checked (no second
look-up an attacker's DNS could answer differently). The exception is the very server the user
named: a feed at ``127.0.0.1:8080`` may link to its own pages, a typed URL may redirect within its
own server, but not to another port or address. ``--allow-private`` lifts the check.

How far a URL may reach travels with it (:class:`Reach`, carried by the URL string itself,
:func:`with_reach` / :func:`reach_of`), so a feed's links keep their rule in the worker processes
that fetch them.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass, field, replace

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
#: (family, socket address) pairs, as ``socket.getaddrinfo`` gives them
Resolved = list[tuple[int, tuple]]

SCHEMES = ("http", "https")
#: cloud providers' metadata services (169.254.169.254 and fd00:ec2::254 are non-public anyway)
METADATA = {ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254",
                                               "100.100.100.200")}


class Refused(Exception):
    """A URL the rules do not let a fetch reach; the message says why."""


@dataclass(frozen=True)
class Reach:
    """How far fetching a URL may go.

    ``checked``: the URL itself is checked (it came from a feed or a page), not only its redirects.
    ``allow_private``: no address is refused (``--allow-private``).
    ``servers``: the non-public (address, port) pairs of the servers the user named, which links
    and redirects may lead back to.
    """

    checked: bool = False
    allow_private: bool = False
    servers: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    def with_server(self, address: str, port: int) -> Reach:
        """This reach, with the server at ``address:port`` (one the user named) allowed."""
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return self
        if self.allow_private or is_public(ip):
            return self
        return replace(self, servers=self.servers | {(address, port)})

    def hop(self) -> Reach:
        """The reach of a link or redirect found on the way: checked."""
        return self if self.checked else replace(self, checked=True)


TYPED = Reach()


class _ReachURL(str):
    """A URL string that carries its :class:`Reach` (it pickles with it)."""

    reach: Reach


def with_reach(url: str, reach: Reach) -> str:
    """``url`` carrying ``reach`` (a plain str when it is what a typed URL gets anyway)."""
    if reach == TYPED:
        return str(url)
    marked = _ReachURL(url)
    marked.reach = reach
    return marked


def reach_of(url: str) -> Reach:
    """The reach ``url`` carries (:func:`with_reach`); a URL that carries none was typed by the user."""
    return getattr(url, "reach", TYPED)


def embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv6 one that carries one (mapped, NAT64, 6to4, Teredo)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def kind_of(ip: Address) -> str | None:
    """What makes ``ip`` a non-public address ("a loopback address", ...), or None for a public one."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        return kind_of(inner)
    checks = (
        (ip in METADATA, "a cloud metadata address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "not a public address"),
    )
    return next((kind for hit, kind in checks if hit), None)


def is_public(ip: Address) -> bool:
    return kind_of(ip) is None


def check_scheme(scheme: str) -> None:
    """:class:`Refused` for any scheme but http and https (``ftp:``, ``file:``, ``gopher:`` ...)."""
    if scheme.lower() not in SCHEMES:
        raise Refused(f"not an http(s) URL ({scheme or 'no scheme'})")


def allowed(resolved: Resolved, port: int, reach: Reach, host: str) -> Resolved:
    """Of the addresses ``host`` resolved to, those ``reach`` lets a fetch connect to; :class:`Refused`
    when none: every address must pass (a name that resolves to a public and a private address
    is refused, so the choice of address cannot be steered)."""
    if not reach.checked or reach.allow_private:
        return resolved
    for _family, sockaddr in resolved:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        kind = kind_of(ip)
        if kind is not None and (str(ip), port) not in reach.servers:
            shown = host if host == str(ip) else f"{host} ({ip})"
            raise Refused(f"{shown} is {kind}; a link or redirect may not lead there "
                          f"(--allow-private allows it)")
    return resolved


def resolve(host: str, port: int, timeout: float) -> Resolved:
    """``host``'s TCP addresses, looked up within ``timeout`` seconds (a look-up the system cannot
    interrupt is left behind in a daemon thread). Raises ``socket.gaierror`` / ``TimeoutError``."""
    try:  # an address needs no look-up
        ip = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        if isinstance(ip, ipaddress.IPv6Address):
            return [(socket.AF_INET6, (str(ip), port, 0, 0))]
        return [(socket.AF_INET, (str(ip), port))]
    box: dict[str, object] = {}

    def look_up() -> None:
        try:
            box["ok"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as e:
            box["error"] = e

    t = threading.Thread(target=look_up, daemon=True, name="dns")
    t.start()
    t.join(timeout)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    if "ok" not in box:
        raise TimeoutError(f"no answer from DNS for {host} in {timeout:g} s")
    found: Resolved = [(fam, addr) for fam, _t, _p, _c, addr in box["ok"]  # type: ignore[attr-defined]
                       if fam in (socket.AF_INET, socket.AF_INET6)]
    if not found:
        raise socket.gaierror(f"no IPv4 or IPv6 address for {host}")
    return list(dict.fromkeys(found))
