"""`RedisSeenStore`: the seen-store shared by every receiver process (the `[redis]` extra).

```python
receiver = WebhookReceiver(secret=..., seen=RedisSeenStore.from_url("redis://localhost:6379/0"))
```

A key is a Redis string: a random claim token while a delivery handles the event (expiring
after `claim_seconds`, so a receiver killed mid-handler does not hold the event forever),
then "done" for `remember_seconds`. A claim and a release are one Lua script each, so two
processes never both see NEW, and a delivery whose claim expired cannot release a newer one.
"""

from __future__ import annotations

import secrets
from typing import Final

from redis.asyncio import Redis

from unitalk_async.webhooks.dedupe import Claim

__all__ = [
    "DEFAULT_CLAIM_SECONDS",
    "DEFAULT_KEY_PREFIX",
    "DEFAULT_REMEMBER_SECONDS",
    "RedisSeenStore",
]

DEFAULT_KEY_PREFIX: Final = "unitalk:webhooks:seen"
DEFAULT_CLAIM_SECONDS: Final = 60.0
DEFAULT_REMEMBER_SECONDS: Final = 7 * 24 * 3600.0  # well past any sender's redelivery window
_DONE: Final = "done"

# KEYS[1] the event's key; ARGV[1] a fresh claim token, ARGV[2] the claim's lifetime in ms.
_CLAIM: Final = """
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'new'
end
if value == 'done' then return 'done' end
return 'handling'
"""
# KEYS[1] the event's key; ARGV[1] the token of the claim to release.
_RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisSeenStore:
    """A seen-store in Redis under `{key_prefix}:{namespace}:`, for receivers in many processes.

    `claim_seconds` should exceed the receiver's handler timeout; `remember_seconds` is how
    long a handled event is recognised. `owns_client`: `aclose()` closes `client`.
    """

    def __init__(
        self,
        client: Redis,
        *,
        namespace: str = "default",
        key_prefix: str = DEFAULT_KEY_PREFIX,
        claim_seconds: float = DEFAULT_CLAIM_SECONDS,
        remember_seconds: float = DEFAULT_REMEMBER_SECONDS,
        owns_client: bool = False,
    ) -> None:
        if claim_seconds <= 0 or remember_seconds <= 0:
            raise ValueError("claim_seconds and remember_seconds: must be > 0")
        self.redis = client
        self.prefix = f"{key_prefix}:{namespace}:"
        self._claim_ms = max(1, round(claim_seconds * 1000))
        self._remember_ms = max(1, round(remember_seconds * 1000))
        self._owns_client = owns_client
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)
        self._tokens: dict[str, str] = {}  # key -> token of this process's pending claim

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        namespace: str = "default",
        key_prefix: str = DEFAULT_KEY_PREFIX,
        claim_seconds: float = DEFAULT_CLAIM_SECONDS,
        remember_seconds: float = DEFAULT_REMEMBER_SECONDS,
    ) -> RedisSeenStore:
        """A store on a client made from `url`; `aclose()` closes that client."""
        client: Redis = Redis.from_url(url)
        return cls(
            client,
            namespace=namespace,
            key_prefix=key_prefix,
            claim_seconds=claim_seconds,
            remember_seconds=remember_seconds,
            owns_client=True,
        )

    def __repr__(self) -> str:
        return f"RedisSeenStore(prefix={self.prefix!r})"

    async def claim(self, key: str) -> Claim:
        token = secrets.token_hex(8)
        answer = await self._claim(keys=[self.prefix + key], args=[token, self._claim_ms])
        claim = Claim(answer.decode() if isinstance(answer, bytes) else answer)
        if claim is Claim.NEW:
            self._tokens[key] = token
        return claim

    async def finish(self, key: str, *, handled: bool) -> None:
        token = self._tokens.pop(key, None)
        if handled:
            await self.redis.set(self.prefix + key, _DONE, px=self._remember_ms)
        elif token is not None:
            await self._release(keys=[self.prefix + key], args=[token])

    async def aclose(self) -> None:
        """Close the Redis client if this store made it."""
        if self._owns_client:
            await self.redis.aclose()
