"""The library's logger and `UNITALK_LOG=debug`, which turns debug logging on without code."""

from __future__ import annotations

import logging
import os

from unitalk_async._config import ENV_LOG

logger = logging.getLogger("unitalk_async")
_configured = False


def configure_from_env() -> None:
    """Honour UNITALK_LOG=debug|info|warning once per process; otherwise leave logging alone."""
    global _configured
    level_name = os.environ.get(ENV_LOG, "").strip().upper()
    if _configured or not level_name:
        return
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        return
    _configured = True
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
