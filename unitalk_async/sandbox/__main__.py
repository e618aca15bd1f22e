"""`python -m unitalk_async.sandbox`: serve a sandbox and print its base URL and API key."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence

from unitalk_async.sandbox import account
from unitalk_async.sandbox.app import create_app
from unitalk_async.sandbox.config import (
    DEFAULT_NUMBER_OP_SECONDS,
    DEFAULT_NUMBER_OP_SECONDS_PER_100K,
    SandboxConfig,
    ServerLimits,
)
from unitalk_async.sandbox.sample import add_sample_autodialer, welcome
from unitalk_async.sandbox.server import _bind, network_front, serve_behind, uvicorn_config
from unitalk_async.sandbox.state import Sandbox


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m unitalk_async.sandbox",
        description="Serve a local Unitalk-compatible API for tests, demos and benchmarks.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0: any free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--history-size", type=int, default=1000, help="generated call records")
    parser.add_argument("--api-key", default=None, help="default: a generated one")
    parser.add_argument("--no-limits", action="store_true", help="do not enforce the limits")
    parser.add_argument("--admin", action="store_true", help="mount /__admin (no key needed)")
    parser.add_argument(
        "--time-scale", type=float, default=1.0, help="scale the limits' windows and blocks"
    )
    parser.add_argument(
        "--number-op-seconds",
        type=float,
        default=DEFAULT_NUMBER_OP_SECONDS,
        help="how long an autodialer number operation holds the number handler, plus "
        f"--number-op-seconds-per-100k (default {DEFAULT_NUMBER_OP_SECONDS})",
    )
    parser.add_argument(
        "--number-op-seconds-per-100k",
        type=float,
        default=DEFAULT_NUMBER_OP_SECONDS_PER_100K,
        help=f"per 100,000 numbers (default {DEFAULT_NUMBER_OP_SECONDS_PER_100K})",
    )
    parser.add_argument(
        "--connection-setup",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="emulate a WAN: each new connection's handshakes take this long (serves HTTPS)",
    )
    parser.add_argument(
        "--latency",
        type=float,
        nargs=2,
        default=(0.0, 0.0),
        metavar=("LOW", "HIGH"),
        help="emulate a WAN: one-way trips drawn from LOW-HIGH seconds, each way",
    )
    account.add_arguments(parser)
    parser.add_argument("--empty", action="store_true", help="start without the sample autodialer")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    import uvicorn

    args = parse_args(argv)
    config = SandboxConfig(
        seed=args.seed,
        api_key=args.api_key,
        enforce_limits=not args.no_limits,
        admin=args.admin,
        history_size=args.history_size,
        limits=ServerLimits(time_scale=args.time_scale),
        number_op_seconds=args.number_op_seconds,
        number_op_seconds_per_100k=args.number_op_seconds_per_100k,
        connection_setup=args.connection_setup,
        latency=(args.latency[0], args.latency[1]),
        **account.config_options(args),
    )
    sandbox = Sandbox(config)
    sample = None if args.empty else add_sample_autodialer(sandbox)
    sock = _bind(args.host, args.port)
    front, plain = network_front(config, sock)
    scheme = "https" if front is not None else "http"
    root = f"{scheme}://{args.host}:{sock.getsockname()[1]}"
    # The key is the one secret the sandbox prints: the user needs it to connect.
    print(f"Unitalk sandbox at {root}/api", flush=True)
    print(f"API key: {sandbox.api_key}", flush=True)
    if config.admin:
        print(f"Admin: http://{args.host}:{plain.getsockname()[1]}/__admin", flush=True)
    if front is not None:
        print(f"Certificate (self-signed, trust it): {front.certificate}", flush=True)
    # The incoming-webhook links carry this token instead of the key; a tester needs it too.
    print(f"Incoming-webhook token: {sandbox.webhook_token}", flush=True)
    certificate = None if front is None else str(front.certificate)
    print(welcome(f"{root}/api", sandbox.api_key, sample, certificate), flush=True)
    server = uvicorn.Server(uvicorn_config(create_app(sandbox=sandbox), log_level="info"))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_behind(server, plain, front))
    sys.exit(0)


if __name__ == "__main__":
    main()
