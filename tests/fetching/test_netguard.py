"""Addresses presswash refuses, checked where the connection is made (DNS rebinding included)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from presswash.fetching import netguard
from presswash.fetching.http import Fetched, Fetcher, FetchError
from presswash.fetching.netguard import BlockedAddress, check_literal, refusal, resolve_checked
from presswash.schemas.settings import FetchSettings
from presswash.schemas.stages import Reason


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",  # cloud metadata
        "169.254.0.1",
        "fe80::1",
        "::ffff:169.254.169.254",  # the metadata address inside IPv6
        "2002:a9fe:a9fe::1",  # ... and inside 6to4
        "fd00:ec2::254",  # AWS's IPv6 metadata address, inside the private range
        "100.100.100.200",  # Alibaba's metadata address
        "0.0.0.0",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
    ],
)
def test_always_refused_even_with_allow_private(address: str) -> None:
    assert refusal(address, allow_private=True) is not None
    assert refusal(address, allow_private=False) is not None


# IPv6 addresses that lead to an IPv4 one: each form, wrapping the metadata address
# (refused always) and loopback (refused without --allow-private).
_WRAPPED_METADATA = [
    "::ffff:169.254.169.254",  # IPv4-mapped
    "::169.254.169.254",  # IPv4-compatible
    "::ffff:0:169.254.169.254",  # IPv4-translated (SIIT)
    "64:ff9b::a9fe:a9fe",  # NAT64 well-known prefix
    "64:ff9b:1::a9fe:a9fe",  # local-use NAT64, /96 translator prefix
    "64:ff9b:1:a9fe:a9:fe00::",  # local-use NAT64, /48 translator prefix
    "2002:a9fe:a9fe::1",  # 6to4
    "2001:0:4136:e378:8000:63bf:5601:5601",  # Teredo: client 169.254.169.254, XORed
    "2606:2800:220:1:0:5efe:a9fe:a9fe",  # ISATAP interface id
]
_WRAPPED_LOOPBACK = [
    "::ffff:127.0.0.1",
    "::127.0.0.1",
    "::ffff:0:127.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b:1::7f00:1",
    "2002:7f00:1::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "2606:2800:220:1:0:5efe:7f00:1",
    "64:ff9b::a00:1",  # 10.0.0.1
    "64:ff9b::6440:1",  # 100.64.0.1, shared address space
]


@pytest.mark.parametrize("address", _WRAPPED_METADATA)
def test_embedded_metadata_address_is_always_refused(address: str) -> None:
    for allow_private in (False, True):
        why = refusal(address, allow_private=allow_private)
        assert why is not None and "169.254.169.254" in why, (address, why)
    with pytest.raises(BlockedAddress, match="metadata"):
        check_literal(f"[{address}]", allow_private=True)


@pytest.mark.parametrize("address", _WRAPPED_LOOPBACK)
def test_embedded_non_global_address_is_refused_without_allow_private(address: str) -> None:
    assert refusal(address, allow_private=False) is not None, address


@pytest.mark.parametrize(
    "address", ["64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"]
)
def test_embedded_public_address_passes(address: str) -> None:
    assert refusal(address, allow_private=False) is None


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "127.8.9.1", "::1", "10.1.2.3", "192.168.0.10", "172.16.5.4"]
)
def test_private_and_loopback_only_with_allow_private(address: str) -> None:
    assert refusal(address, allow_private=False) is not None
    assert refusal(address, allow_private=True) is None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(address, allow_private=False) is None


def test_ip_literal_hosts_are_refused_before_any_request() -> None:
    with pytest.raises(BlockedAddress, match="metadata"):
        check_literal("169.254.169.254", allow_private=True)
    with pytest.raises(BlockedAddress, match="loopback"):
        check_literal("[::1]", allow_private=False)
    check_literal("news.example", allow_private=False)  # a name is checked at connect time


def test_localhost_name_is_checked_after_resolution() -> None:
    with pytest.raises(BlockedAddress, match="loopback"):
        asyncio.run(resolve_checked("localhost", 80, allow_private=False, timeout=5))
    found = asyncio.run(resolve_checked("localhost", 80, allow_private=True, timeout=5))
    assert found and all(a in ("127.0.0.1", "::1") for a in found)


def _fake_resolver(answers: dict[str, list[str]]) -> Any:
    """A resolver that answers from a table and never touches the network."""
    calls: list[str] = []

    async def getaddrinfo(host: str, port: int, **_kw: Any) -> list[Any]:
        calls.append(host)
        out = []
        for address in answers[host]:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            out.append((family, socket.SOCK_STREAM, 6, "", (address, port)))
        return out

    getaddrinfo.calls = calls  # type: ignore[attr-defined]
    return getaddrinfo


def _settings(**kw: Any) -> FetchSettings:
    return FetchSettings(
        total_timeout=3, connect_timeout=2, read_timeout=2, respect_robots=False, **kw
    )


def test_connection_goes_to_the_address_that_was_checked(
    hostile_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name resolved by the guard (not by the OS) reaches the server it resolved to."""
    port = int(hostile_server.rsplit(":", 1)[1])
    resolver = _fake_resolver({"gazette.test": ["127.0.0.1"]})
    monkeypatch.setattr(netguard.anyio, "getaddrinfo", resolver)

    async def run() -> Any:
        async with Fetcher(_settings(allow_private=True)) as fetcher:
            return await fetcher.fetch(f"http://gazette.test:{port}/ok/1.html")

    outcome = asyncio.run(run())
    assert isinstance(outcome, Fetched), outcome
    assert outcome.peer == "127.0.0.1" and b"<html" in outcome.body.lower()
    assert resolver.calls == ["gazette.test"]


def test_rebinding_to_metadata_is_refused_at_connect_time(
    hostile_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same name, answered with the metadata address: nothing is sent anywhere."""
    port = int(hostile_server.rsplit(":", 1)[1])
    monkeypatch.setattr(
        netguard.anyio,
        "getaddrinfo",
        _fake_resolver(
            {"gazette.test": ["169.254.169.254"], "mixed.test": ["127.0.0.1", "fe80::1"]}
        ),
    )

    async def run(url: str) -> Any:
        async with Fetcher(_settings(allow_private=True)) as fetcher:
            return await fetcher.fetch(url)

    for host in ("gazette.test", "mixed.test"):
        outcome = asyncio.run(run(f"http://{host}:{port}/ok/1.html"))
        assert isinstance(outcome, FetchError), outcome
        assert outcome.reason == Reason.BLOCKED_ADDRESS
        assert host in outcome.detail


def test_loopback_refused_without_allow_private(hostile_server: str) -> None:
    async def run() -> Any:
        async with Fetcher(_settings()) as fetcher:
            return await fetcher.fetch(hostile_server + "/ok/1.html")

    outcome = asyncio.run(run())
    assert isinstance(outcome, FetchError) and outcome.reason == Reason.BLOCKED_ADDRESS
    assert "allow-private" in outcome.detail
