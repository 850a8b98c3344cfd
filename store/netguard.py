"""Which addresses presswash may connect to, checked where the connection is made.

A feed or a redirect is written by someone else, so any URL may point at the
machine itself, the office network or the cloud's metadata service (which
hands out credentials). Checking the URL's host name is not enough: DNS may
answer differently a second later (rebinding). So the check runs inside the
HTTP client's network backend: the host is resolved once, every address is
checked, and the socket is opened to exactly the addresses that passed. Every
connection, including each redirect hop to a new host, goes through it.
"""

from __future__ import annotations

import ipaddress
import socket
import typing

import anyio
import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Metadata services that are not link-local: AWS's IPv6 one (inside fc00::/7,
# which --allow-private would otherwise open) and Alibaba's (in 100.64.0.0/10).
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200", "169.254.169.254")
)
_LINK_LOCAL_V4 = ipaddress.ip_network("169.254.0.0/16")
_LINK_LOCAL_V6 = ipaddress.ip_network("fe80::/10")


class BlockedAddress(Exception):
    """A host resolved to an address presswash refuses to connect to."""

    def __init__(self, host: str, address: str, why: str) -> None:
        super().__init__(f"{host} resolves to {address}, {why}")
        self.host = host
        self.address = address
        self.why = why


def _unwrap(address: IPAddress) -> IPAddress:
    """The IPv4 address hidden in an IPv4-mapped or 6to4 IPv6 address, if any."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
    return address


def refusal(address: str, *, allow_private: bool) -> str | None:
    """Why `address` may not be connected to, or None when it may.

    Link-local (169.254.0.0/16, fe80::/10) and metadata addresses are refused
    even with `allow_private`: that is where cloud credentials live, and no
    news site is served from there.
    """
    try:
        ip = _unwrap(ipaddress.ip_address(address.split("%", 1)[0]))
    except ValueError:
        return "which is not an IP address"
    if ip in _METADATA:
        return "a cloud metadata address (always refused)"
    if ip in _LINK_LOCAL_V4 or ip in _LINK_LOCAL_V6 or ip.is_link_local:
        return "a link-local address (always refused)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_global:
        return None
    if ip.is_loopback:
        return None if allow_private else "a loopback address (allowed only with --allow-private)"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return None if allow_private else "a private address (allowed only with --allow-private)"
    return "a reserved or non-public address"


def check_literal(host: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host is an IP literal before anything is sent."""
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        return
    why = refusal(bare, allow_private=allow_private)
    if why is not None:
        raise BlockedAddress(host, bare, why)


async def resolve_checked(
    host: str, port: int, *, allow_private: bool, timeout: float | None
) -> list[str]:
    """The addresses of `host`, all checked; one refused address refuses the host.

    Refusing the whole host when any answer is bad (rather than picking the
    good ones) keeps a hostile resolver from mixing a public decoy with an
    internal target.
    """
    with anyio.fail_after(timeout):
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        why = refusal(address, allow_private=allow_private)
        if why is not None:
            raise BlockedAddress(host, address, why)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise OSError(f"{host} has no address")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses that passed `refusal`.

    TLS is started by httpcore afterwards with the URL's host name, so
    certificates are still checked against the name, not the address.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await resolve_checked(
                host, port, allow_private=self.allow_private, timeout=timeout
            )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:  # socket.gaierror included
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._backend.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never used for fetching")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)
