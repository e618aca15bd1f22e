"""A FastAPI service that shares one Unitalk client across all its requests.

    UNITALK_API_KEY=... uvicorn examples.fastapi_service:app
    uvicorn examples.fastapi_service:app            # against a local sandbox, no key
    python examples/fastapi_service.py --selftest   # serve one request of each kind, exit

One client per process, made at startup and closed at shutdown: it holds the connection
pool and the governor, so every request handler in the process shares the API's limits
(15 requests/s, 30 per 10 s, 20 in flight) instead of each tripping them alone. Handlers
just `await` the client. Errors from the API become HTTP errors with the service's message.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel

from unitalk_async import NotFoundError, UnitalkClient, UnitalkError, ValidationError


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the shared client (and, without UNITALK_API_KEY, a local sandbox for it)."""
    async with contextlib.AsyncExitStack() as stack:
        if os.environ.get("UNITALK_API_KEY"):
            client = UnitalkClient()
        else:
            from unitalk_async.sandbox import serve_sandbox

            server = await stack.enter_async_context(serve_sandbox())
            client = UnitalkClient(server.api_key, base_url=server.base_url)
        app.state.unitalk = await stack.enter_async_context(client)
        yield


app = FastAPI(title="Unitalk example service", lifespan=lifespan)


def unitalk(request: Request) -> UnitalkClient:
    client: UnitalkClient = request.app.state.unitalk
    return client


Client = Annotated[UnitalkClient, Depends(unitalk)]


class Sms(BaseModel):
    to: str
    text: str


@app.get("/lines")
async def lines(client: Client) -> dict[str, str]:
    """Every internal line and its status."""
    return {line: str(status) for line, status in (await client.phones.inner()).items()}


@app.get("/autodialers")
async def autodialers(client: Client) -> list[dict[str, object]]:
    """The project's autodialers."""
    return [
        {"id": a.id, "name": a.name, "status": str(a.status)}
        for a in await client.autodial.get_list()
    ]


@app.post("/sms", status_code=201)
async def send_sms(sms: Sms, client: Client) -> dict[str, int]:
    """Send one SMS; answers the message id."""
    try:
        return {"id": await client.messages.send("SMS", sms.to, sms.text)}
    except ValidationError as exc:
        raise HTTPException(422, exc.message) from exc
    except NotFoundError as exc:
        raise HTTPException(404, exc.message) from exc
    except UnitalkError as exc:
        raise HTTPException(502, f"Unitalk: {exc.message}") from exc


@app.get("/stats")
async def stats(client: Client) -> dict[str, object]:
    """What the shared client has done so far."""
    s = client.stats
    return {"requests": s.requests, "costUnits": s.cost_units, "waits": s.governor.waits}


async def selftest() -> None:
    """Serve the app on a free port, send one request of each kind, print answers, stop."""
    import socket

    import httpx
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if serving.done():
            await serving  # raises why the server could not start
        await asyncio.sleep(0.01)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            for method, path, body in (
                ("GET", "/lines", None),
                ("GET", "/autodialers", None),
                ("POST", "/sms", {"to": "+380 50 111 22 33", "text": "Hello from FastAPI"}),
                ("POST", "/sms", {"to": "12", "text": "Too short a number"}),
                ("GET", "/stats", None),
            ):
                answer = await http.request(method, path, json=body)
                print(f"{method} {path} -> {answer.status_code} {answer.text}", flush=True)
    finally:
        server.should_exit = True
        await serving


if __name__ == "__main__":
    if "--selftest" in sys.argv[1:]:
        asyncio.run(selftest())
    else:
        import uvicorn

        uvicorn.run(app)
