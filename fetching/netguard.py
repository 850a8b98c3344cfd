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


# IPv6 ranges whose addresses carry an IPv4 address that the packet really goes to
# (through a translator, a tunnel or the dual-stack socket itself).
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215, operator's own prefix
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # RFC 2765 (SIIT)
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # RFC 4291, deprecated but still routed
_TEREDO = ipaddress.ip_network("2001::/32")  # RFC 4380
_ISATAP_IDS = (0x0000_5EFE, 0x0200_5EFE)  # RFC 5214: interface id ::0:5efe:a.b.c.d


def _rfc6052(value: int, prefix: int) -> ipaddress.IPv4Address:
    """The IPv4 address an RFC 6052 translator prefix of `prefix` bits embeds.

    Bits 64-71 (the "u" octet) are never used, so the address is split
    around them for prefixes shorter than /64.
    """
    if prefix == 96:
        return ipaddress.IPv4Address(value & 0xFFFF_FFFF)
    if prefix == 64:
        return ipaddress.IPv4Address((value >> 24) & 0xFFFF_FFFF)
    if prefix == 56:
        return ipaddress.IPv4Address((((value >> 64) & 0xFF) << 24) | ((value >> 32) & 0xFF_FFFF))
    # /48: the upper half before the u octet, the lower half after it
    return ipaddress.IPv4Address((((value >> 64) & 0xFFFF) << 16) | ((value >> 40) & 0xFFFF))


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address may lead to; empty when it embeds none.

    Each form is a way to reach an IPv4 host with an IPv6 address: the socket
    itself (IPv4-mapped), a NAT64 or SIIT translator, a 6to4, Teredo or ISATAP
    tunnel. The local-use NAT64 prefix may be cut into /48, /56, /64 or /96
    translator prefixes, so each place it could sit in is a candidate.
    """
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    value = int(address)
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address in _IPV4_TRANSLATED or address in _NAT64_WELL_KNOWN:
        return [_rfc6052(value, 96)]
    if address in _IPV4_COMPATIBLE:  # but :: and ::1 are IPv6's own
        return [] if value <= 1 else [_rfc6052(value, 96)]
    if address in _NAT64_LOCAL:
        return [_rfc6052(value, prefix) for prefix in (48, 56, 64, 96)]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address in _TEREDO and address.teredo is not None:
        server, client = address.teredo  # the client's address is stored XORed with ones
        return [client, server]
    if ((value >> 32) & 0xFFFF_FFFF) in _ISATAP_IDS:
        return [_rfc6052(value, 96)]
    return []


def _never(ip: IPAddress) -> str | None:
    """Why an address is refused even with --allow-private, or None."""
    if ip in _METADATA:
        return "a cloud metadata address (always refused)"
    if ip in _LINK_LOCAL_V4 or ip in _LINK_LOCAL_V6 or ip.is_link_local:
        return "a link-local address (always refused)"
    return None


def _judge(ip: IPAddress, allow_private: bool) -> str | None:
    """Why one address (IPv4, or IPv6 that embeds none) is refused, or None."""
    never = _never(ip)
    if never is not None:
        return never
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


def refusal(address: str, *, allow_private: bool) -> str | None:
    """Why `address` may not be connected to, or None when it may.

    Link-local (169.254.0.0/16, fe80::/10) and metadata addresses are refused
    even with `allow_private`: that is where cloud credentials live, and no
    news site is served from there. An IPv6 address that embeds an IPv4 one
    is judged by every IPv4 address it may lead to, so no wrapping (NAT64,
    6to4, Teredo, ...) turns 169.254.169.254 or 127.0.0.1 into a public address.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "which is not an IP address"
    inner = embedded_ipv4(ip)
    if not inner:
        return _judge(ip, allow_private)
    local = ip in _NAT64_LOCAL
    for v4 in inner:
        # a local prefix's wrong guesses are often 0.x.x.x: only what is never allowed counts
        why = _never(v4) if local else _judge(v4, allow_private)
        if why is not None:
            return f"an IPv6 address wrapping {v4}, {why}"
    if local and not allow_private:
        return "a local-use NAT64 address (allowed only with --allow-private)"
    return None


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
