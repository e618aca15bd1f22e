"""What a webhook request must pass before its body is read: source address and shared secret.

Unitalk does not sign webhooks. The receiver accepts a shared secret instead, either as a URL
query parameter (the only option for the ROUTE and voice-queue URLs, which take no headers)
or as a header (Event handling lets you set headers), compared in constant time. Several
secrets may be valid at once, so that one can be rotated while Unitalk's URLs are updated one
by one; the first is the current one. The query string is rewritten in the ASGI scope with
the secret's value masked, so a server's access log (uvicorn reads the scope when it logs)
never shows it.
"""

from __future__ import annotations

import enum
import hmac
import ipaddress
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, quote

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

REDACTED = "***"


class SecretCheck(enum.Enum):
    """The outcome of comparing the presented secret with the configured ones."""

    OK = "ok"
    PREVIOUS = "previous"  # a valid secret, but not the first (current) one
    MISSING = "missing"
    WRONG = "wrong"


class SharedSecret:
    """Secrets expected in query parameter `param` or header `header` of every request.

    `secrets` is one secret or several (rotation): any of them is accepted, the first is the
    current one.
    """

    __slots__ = ("_header", "_param", "_secrets")

    def __init__(self, secrets: str | Sequence[str], *, param: str, header: str) -> None:
        listed = [secrets] if isinstance(secrets, str) else list(secrets)
        if not listed:
            raise ValueError("secret: give at least one secret, or None to accept any request")
        for position, secret in enumerate(listed):
            if not isinstance(secret, str) or not secret:
                raise ValueError(f"secret: secret #{position + 1} must be a non-empty string")
        self._secrets = tuple(s.encode() for s in listed)
        self._param = param
        self._header = header.lower().encode("latin-1")

    def __repr__(self) -> str:
        return (
            f"SharedSecret({len(self._secrets)} secret(s), param={self._param!r}, "
            f"header={self._header.decode()!r})"
        )

    def check_and_redact(self, scope: MutableMapping[str, Any]) -> SecretCheck:
        """Compare the presented secret (header first, then query) and mask it in the scope."""
        presented = self._rewrite_query(scope, lambda key, _value: key == self._param)
        for name, value in scope.get("headers", ()):
            if name.lower() == self._header:
                presented = value
                break
        if presented is None:
            return SecretCheck.MISSING
        # Every secret is compared, so the time taken does not tell which one matched.
        matches = [hmac.compare_digest(presented, secret) for secret in self._secrets]
        if matches[0]:
            return SecretCheck.OK
        return SecretCheck.PREVIOUS if any(matches) else SecretCheck.WRONG

    def redact_anywhere(self, scope: MutableMapping[str, Any]) -> None:
        """Mask any query parameter whose value is one of the secrets, whatever its name.

        For requests that are not the receiver's (another path of the app it is mounted in):
        their parameters belong to that app, so only a value that is a secret is touched.
        """
        self._rewrite_query(scope, lambda _key, value: self._is_secret(value.encode("latin-1")))

    def _is_secret(self, value: bytes) -> bool:
        return any([hmac.compare_digest(value, secret) for secret in self._secrets])

    def _rewrite_query(
        self, scope: MutableMapping[str, Any], secret_at: Callable[[str, str], bool]
    ) -> bytes | None:
        """Mask the values `secret_at(key, value)` picks; the last one picked, as bytes."""
        raw: bytes = scope.get("query_string", b"")
        if not raw:
            return None
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
        presented: bytes | None = None
        masked = []
        for key, value in pairs:
            if secret_at(key, value):
                # latin-1 round-trips the percent-decoded bytes exactly; compare them as bytes.
                presented = value.encode("latin-1")
                value = REDACTED
            masked.append(f"{quote(key, safe='')}={quote(value, safe='*')}")
        if presented is not None:
            scope["query_string"] = "&".join(masked).encode("latin-1")
        return presented


class SourceAllowList:
    """The client addresses allowed to post, as IP networks (a bare address is a /32 or /128).

    Behind a reverse proxy the client is the proxy unless the server rewrites it from
    forwarding headers (uvicorn: `--proxy-headers --forwarded-allow-ips=...`).
    """

    __slots__ = ("_networks",)

    def __init__(self, networks: Iterable[str | IPNetwork]) -> None:
        self._networks = tuple(
            n if isinstance(n, IPNetwork) else ipaddress.ip_network(n, strict=False)
            for n in networks
        )
        if not self._networks:
            raise ValueError("allowed_sources: give at least one network, or None for any")

    def __repr__(self) -> str:
        return f"SourceAllowList({[str(n) for n in self._networks]!r})"

    def allows(self, host: str | None) -> bool:
        if host is None:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self._networks)
