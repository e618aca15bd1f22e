"""Serving a receiver inside another ASGI app without losing events or logging the secret.

`app.mount("/unitalk", receiver.app)` (FastAPI) or `Mount("/unitalk", receiver.app)`
(Starlette) leaves two holes the receiver cannot close from inside the mount: a POST to
`/unitalk?token=...` (no trailing slash) gets the host app's 307 redirect before the
receiver sees it, so the event is lost (senders do not follow redirects with their body)
and uvicorn's access log shows the secret in that request's line.

`WebhookMount` wraps the host app instead (as middleware, ahead of its routing): requests
to `path` or below it, with or without the trailing slash, go to the receiver; on every
other request, a query value that is one of the secrets is masked before the access log is
written. `receiver.mount(app, path)` and `receiver.middleware(path)` install it in FastAPI
and Starlette apps; any other ASGI app can be wrapped directly:

```python
app = WebhookMount(other_asgi_app, receiver=receiver, path="/unitalk")
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unitalk_async.webhooks.receiver import WebhookReceiver

__all__ = ["WebhookMount", "route_path"]


class WebhookMount:
    """ASGI middleware: serves `receiver` at `path` of `app`, before `app` routes anything."""

    def __init__(self, app: Any, *, receiver: WebhookReceiver, path: str) -> None:
        prefix = path.rstrip("/")
        if not path.startswith("/") or not prefix:
            raise ValueError(f"path: a path below the root, like '/unitalk', got {path!r}")
        self.app = app
        self.receiver = receiver
        self.path = prefix

    def __repr__(self) -> str:
        return f"WebhookMount(path={self.path!r}, receiver={self.receiver!r})"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            here = route_path(scope)
            if here == self.path or here.startswith(self.path + "/"):
                # In place, as Starlette's Mount does: the server logs from this very dict.
                scope["root_path"] = scope.get("root_path", "") + self.path
                await self.receiver.app(scope, receive, send)
                return
            self.receiver.mask_secrets(scope)
        await self.app(scope, receive, send)


def route_path(scope: Any) -> str:
    """The request's path below the app's root path (where a mount put it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
