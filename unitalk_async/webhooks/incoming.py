"""`IncomingWebhooks`: posting the AUTODIAL_ADD / AUTODIAL_REMOVE links of an autodialer.

The links live on their own host and port (https://api.unitalk.cloud:8443/tracking/...) and
carry a webhook token in the query instead of the API key. Requests go through the client's
one request path with `authorize=False`: same governor (the reference's limits count "any
HTTP requests"), retries and error mapping, and no Authorization header. The token is never
shown: not in `repr`, not in errors (they name the link's path only), not in logs: httpx
logs every request URL at INFO on its "httpx" logger, so a filter there masks the `token`
parameter of incoming-webhook links.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs, urlsplit, urlunsplit

import httpx

from unitalk_async._checked import checked
from unitalk_async._config import check_url_security
from unitalk_async._exceptions import ConfigurationError, ValidationError
from unitalk_async._operations import INCOMING_WEBHOOK
from unitalk_async._phones import normalize_phone
from unitalk_async._reference import MAX_NUMBER_LINK, MAX_NUMBER_NAME, MAX_NUMBER_NOTE
from unitalk_async.models.enums import IncomingWebhookAction

if TYPE_CHECKING:
    from unitalk_async._client import UnitalkClient

__all__ = ["DEFAULT_INCOMING_WEBHOOK_URL", "IncomingWebhooks"]

DEFAULT_INCOMING_WEBHOOK_URL: Final = "https://api.unitalk.cloud:8443/tracking/webhook/event"
_TOKEN_PARAM: Final = "token"
_REDACTED: Final = "<redacted>"


class IncomingWebhooks:
    """The incoming-webhook links of one autodialer, sent through `client`.

    ```python
    hooks = IncomingWebhooks.from_link(client, link_from_the_personal_account)
    await hooks.add(["+38 097 123 45 67"], name="vasya", note="okna")
    await hooks.remove(["380971234567"])
    ```

    A link generated for one action serves both: the token and the autodialer id are the
    same, the action is set per call. Success returns None; the documented errors raise
    (`AuthenticationError` for "Token not found", `NotFoundError` for "Autodial not found"
    and "Calls not found", `ConflictError` for "Phones not added", `BadRequestError` for the
    rest). Neither call is repeated after a failure that may have reached the service.
    """

    __slots__ = ("_client", "_token", "autodialer_id", "url")

    def __init__(
        self,
        client: UnitalkClient,
        *,
        token: str,
        autodialer_id: int,
        url: str = DEFAULT_INCOMING_WEBHOOK_URL,
        allow_insecure_http: bool = False,
    ) -> None:
        if not token:
            raise ConfigurationError("token: the incoming-webhook token is empty")
        check_url_security(url, allow_insecure=allow_insecure_http, what="url")
        parts = urlsplit(url)
        _install_httpx_log_filter(parts.path)
        self._client = client
        self._token = token
        self.autodialer_id = autodialer_id
        # The query (token and blank parameters of a generated link) is rebuilt per call.
        self.url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    @classmethod
    def from_link(
        cls, client: UnitalkClient, link: str, *, allow_insecure_http: bool = False
    ) -> IncomingWebhooks:
        """From a link generated on the "API" page of the personal account (either action)."""
        query = parse_qs(urlsplit(link).query, keep_blank_values=True)
        token = query.get(_TOKEN_PARAM, [""])[0]
        raw_id = query.get("id", [""])[0]
        if not token:
            raise ConfigurationError("link: no token parameter")
        if not raw_id.isdigit():
            raise ConfigurationError("link: no autodialer id parameter")
        return cls(
            client,
            token=token,
            autodialer_id=int(raw_id),
            url=link,
            allow_insecure_http=allow_insecure_http,
        )

    def __repr__(self) -> str:
        return (
            f"IncomingWebhooks(url={self.url!r}, autodialer_id={self.autodialer_id!r}, "
            "token=<redacted>)"
        )

    __str__ = __repr__

    @checked
    async def add(
        self,
        phones: str | Iterable[str],
        *,
        name: str | None = None,
        note: str | None = None,
        link: str | None = None,
    ) -> None:
        """AUTODIAL_ADD: add numbers to the autodialer, with an optional name (up to 100
        characters), note and Web Dialer data (up to 500 each) given to all of them.

        The numbers travel in the URL, whose length servers limit (often to 8 KB, some
        600 numbers): for bulk uploads use `client.autodial`'s ADD_NUMBERS instead.
        """
        _check_length("name", name, MAX_NUMBER_NAME)
        _check_length("note", note, MAX_NUMBER_NOTE)
        _check_length("link", link, MAX_NUMBER_LINK)
        await self._send(
            IncomingWebhookAction.AUTODIAL_ADD,
            {"phones": _phones(phones), "name": name, "note": note, "link": link},
        )

    @checked
    async def remove(self, phones: str | Iterable[str]) -> None:
        """AUTODIAL_REMOVE: remove numbers from the autodialer."""
        await self._send(IncomingWebhookAction.AUTODIAL_REMOVE, {"phones": _phones(phones)})

    async def _send(self, action: IncomingWebhookAction, fields: dict[str, Any]) -> None:
        params = {_TOKEN_PARAM: self._token, "action": action.value, "id": self.autodialer_id}
        await self._client._call(INCOMING_WEBHOOK, params | fields, url=self.url)


def _phones(phones: str | Iterable[str]) -> str:
    """The `phones` parameter: numbers normalised as the service reads them, comma-separated."""
    items = phones.split(",") if isinstance(phones, str) else list(phones)
    numbers: list[str] = []
    invalid: list[Any] = []
    for item in items:
        number = normalize_phone(item)
        if number is None:
            invalid.append(item)
        else:
            numbers.append(number)
    if invalid:
        raise ValidationError("phones", f"not valid phone numbers: {invalid!r}", value=invalid)
    if not numbers:
        raise ValidationError("phones", "give at least one number", value=items)
    return ",".join(numbers)


def _check_length(field: str, value: str | None, maximum: int) -> None:
    if value is not None and len(value) > maximum:
        raise ValidationError(field, f"at most {maximum} characters, got {len(value)}", value=value)


class _RedactLinkToken(logging.Filter):
    """Masks the token of incoming-webhook URLs in httpx's "HTTP Request: ..." records.

    Only URLs on the path of a link some `IncomingWebhooks` was made for are touched.
    """

    def __init__(self) -> None:
        super().__init__()
        self.paths: set[str] = set()

    def _is_link(self, arg: object) -> bool:
        return isinstance(arg, httpx.URL) and arg.path in self.paths and _TOKEN_PARAM in arg.params

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(map(self._is_link, record.args)):
            record.args = tuple(
                arg.copy_set_param(_TOKEN_PARAM, _REDACTED)
                if isinstance(arg, httpx.URL) and self._is_link(arg)
                else arg
                for arg in record.args
            )
        return True


_FILTER: Final = _RedactLinkToken()
_FILTER_LOCK: Final = threading.Lock()


def _install_httpx_log_filter(path: str) -> None:
    with _FILTER_LOCK:
        _FILTER.paths.add(path)
        httpx_logger = logging.getLogger("httpx")
        if _FILTER not in httpx_logger.filters:
            httpx_logger.addFilter(_FILTER)
