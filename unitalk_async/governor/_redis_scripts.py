"""The Redis governor's Lua scripts, and the runner that calls them by SHA.

Every decision is taken inside one script, atomically, on the Redis server's clock
(`TIME`); the workers' clocks never enter a decision. Times inside the scripts are
microseconds of server time. Leases and tickets are sorted sets (member: a token, score:
an expiry or a ticket time), so that releasing, renewing and forgetting are token-checked
by construction: a stale holder's `ZREM` or `ZADD XX` cannot touch another holder's member.

Keys expire on their own: every write sets the key's expiry to the furthest moment any
of its members can still matter, so nothing is left behind by crashed workers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any, cast

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

_PRELUDE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function fmt(x) return string.format('%.0f', x) end
-- Keep a sorted set until its furthest score (an expiry, in server microseconds).
local function keep_until_last(key)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if last[2] then
    redis.call('PEXPIREAT', key, fmt(math.floor(tonumber(last[2]) / 1000) + 1000))
  end
end
-- Drop expired tickets: waiters that died or gave up without saying so.
local function purge_tickets(queue, alive)
  local dead = redis.call('ZRANGEBYSCORE', alive, '-inf', now)
  for i = 1, #dead do redis.call('ZREM', queue, dead[i]) end
  if #dead > 0 then redis.call('ZREMRANGEBYSCORE', alive, '-inf', now) end
end
-- The number of live tickets older than `token`'s (taking a ticket if it has none).
local function rank_of(queue, token)
  local rank = redis.call('ZRANK', queue, token)
  if not rank then
    redis.call('ZADD', queue, now, token)
    rank = redis.call('ZRANK', queue, token)
  end
  return rank
end
-- Keep the ticket alive until the waiter is due back (plus grace), then let it expire.
local function keep_ticket(queue, alive, token, wait, grace)
  redis.call('ZADD', alive, now + wait + grace, token)
  keep_until_last(alive)
  local last = redis.call('ZRANGE', alive, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', queue, fmt(math.floor(tonumber(last[2]) / 1000) + 1000))
end
-- How long until the first lease of `leases` expires, at most `poll`.
local function poll_hint(leases, poll)
  local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
  if first[2] then return math.min(poll, math.max(1, tonumber(first[2]) - now)) end
  return poll
end
"""

#: Admit one request start: windows + in-flight + pause + age priority, all or nothing.
#:
#: KEYS: starts (list, newest first), in-flight leases, ticket queue, ticket expiries,
#: block state (hash: until, widen, count), latency spread (hash: spread, at).
#: ARGV: token, lease, grace, max in flight, poll, base margin, max margin, starts to keep,
#: starts TTL (ms), window count, then (limit, span) per window, then this process's
#: learned latency spread and how long a spread is remembered. Durations in microseconds.
#:
#: The margin is the base, plus what blocks added, plus the widest latency spread any
#: process learned within the memory (a narrower one replaces it only once it is stale).
#:
#: A ticket ranked `k` (k older live tickets) is admitted when every constraint has room for
#: k + 1 starts now: room is kept for the older waiters, so none of them is ever overtaken
#: (no starvation), yet a burst admits as many waiters as the windows allow, in any order.
#:
#: Returns {admitted, wait, reason, poll, paused_until, margin, blocks, now}; `reason` is
#: "blocked", "queue" (in-flight slots) or "w<i>" (the i-th window); `poll` is 1 when the
#: wait is a bound for polling (in-flight slots free up at no known time), 0 when exact.
ADMIT = (
    _PRELUDE
    + """
local starts, leases, queue, alive, block = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local spread_key = KEYS[6]
local token = ARGV[1]
local lease, grace = tonumber(ARGV[2]), tonumber(ARGV[3])
local cap, poll = tonumber(ARGV[4]), tonumber(ARGV[5])
local base_margin, max_margin = tonumber(ARGV[6]), tonumber(ARGV[7])
local keep, starts_ttl, windows = tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
local mine = tonumber(ARGV[11 + 2 * windows])
local memory = tonumber(ARGV[12 + 2 * windows])

local b = redis.call('HMGET', block, 'until', 'widen', 'count')
local paused = tonumber(b[1]) or 0
local margin = math.min(base_margin + (tonumber(b[2]) or 0), math.max(base_margin, max_margin))
local blocks = tonumber(b[3]) or 0
local sp = redis.call('HMGET', spread_key, 'spread', 'at')
local shared, shared_at = tonumber(sp[1]) or 0, tonumber(sp[2]) or 0
if mine > 0 and (mine >= shared or shared_at + memory < now) then
  shared, shared_at = mine, now
  redis.call('HSET', spread_key, 'spread', fmt(mine), 'at', fmt(now))
  redis.call('PEXPIRE', spread_key, fmt(memory / 1000))
elseif shared_at + memory < now then
  shared = 0
end
margin = margin + shared

-- A retried call whose first run admitted it: do not count the start twice.
local held = redis.call('ZSCORE', leases, token)
if held and tonumber(held) > now then
  return {1, 0, '', 0, paused, margin, blocks, now}
end

redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
purge_tickets(queue, alive)
local rank = rank_of(queue, token)

local wait, reason, polling = 0, '', 0
if paused > now then wait, reason = paused - now, 'blocked' end
local have = redis.call('LLEN', starts)
for i = 1, windows do
  local limit, span = tonumber(ARGV[9 + 2 * i]), tonumber(ARGV[10 + 2 * i])
  -- Room for rank + 1 starts once the (limit - rank)-th newest start leaves the window.
  local index = limit - 1 - rank
  local at = nil
  if index < 0 then
    at = now + span + margin  -- more older waiters than the window holds: a lower bound
  elseif index < have then
    at = tonumber(redis.call('LINDEX', starts, index)) + span + margin
  end
  if at and at - now > wait then wait, reason = at - now, 'w' .. i end
end
local full = redis.call('ZCARD', leases) + rank >= cap
if full then
  local hint = poll_hint(leases, poll)
  if hint > wait then wait, reason, polling = hint, 'queue', 1 end
end

if wait > 0 or full then
  keep_ticket(queue, alive, token, wait, grace)
  return {0, wait, reason, polling, paused, margin, blocks, now}
end

redis.call('ZADD', leases, now + lease, token)
keep_until_last(leases)
redis.call('LPUSH', starts, fmt(now))
redis.call('LTRIM', starts, 0, keep - 1)
redis.call('PEXPIRE', starts, starts_ttl)
redis.call('ZREM', queue, token)
redis.call('ZREM', alive, token)
return {1, 0, '', 0, paused, margin, blocks, now}
"""
)

#: Take one lease of a capped set (an analytics-lane slot, or a named lock: cap 1), with
#: the same age priority as ADMIT.
#:
#: KEYS: leases, ticket queue, ticket expiries. ARGV: token, cap, lease, grace, poll.
#: Returns {admitted, wait}; `wait` is a polling bound.
ACQUIRE = (
    _PRELUDE
    + """
local leases, queue, alive = KEYS[1], KEYS[2], KEYS[3]
local token, cap = ARGV[1], tonumber(ARGV[2])
local lease, grace, poll = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local held = redis.call('ZSCORE', leases, token)
if held and tonumber(held) > now then return {1, 0} end
redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
purge_tickets(queue, alive)
local rank = rank_of(queue, token)
if redis.call('ZCARD', leases) + rank < cap then
  redis.call('ZADD', leases, now + lease, token)
  keep_until_last(leases)
  redis.call('ZREM', queue, token)
  redis.call('ZREM', alive, token)
  return {1, 0}
end
local wait = poll_hint(leases, poll)
keep_ticket(queue, alive, token, wait, grace)
return {0, wait}
"""
)

#: Give back whatever `token` holds or waits for, and wake the waiter whose turn it is.
#:
#: KEYS: the lease sets the token holds (n), then the ticket queues it may wait in (m),
#: then their ticket expiries (m). ARGV: token, n, m, then each lease set's cap, then per
#: lease set how long the lease is kept instead (0: given back now; > 0: microseconds, for
#: a request the client gave up on while the service may still work on it).
#: A waiter for a lease set blocks (BLPOP) on `<set>:queue:<its token>`; freeing a slot
#: pushes to the one ranked (free slots - 1): the youngest that now fits, the older ones
#: having been woken by earlier releases. Returns, per lease set, 1 if the token held a
#: lease there, else 0 (it had expired).
RELEASE = (
    _PRELUDE
    + """
local token, n, m = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 1, n do
  local kept_for = tonumber(ARGV[3 + n + i]) or 0
  local score = redis.call('ZSCORE', KEYS[i], token)
  if kept_for > 0 and score and tonumber(score) > now then
    redis.call('ZADD', KEYS[i], 'XX', now + kept_for, token)
    keep_until_last(KEYS[i])
    out[i] = 1
  else
    out[i] = redis.call('ZREM', KEYS[i], token)
  end
  if out[i] == 1 and kept_for == 0 then
    local queue = KEYS[i] .. ':queue'
    local free = tonumber(ARGV[3 + i]) - redis.call('ZCARD', KEYS[i])
    if free >= 1 then
      local waiter = redis.call('ZRANGE', queue, free - 1, free - 1)
      if waiter[1] then
        local wake = queue .. ':' .. waiter[1]
        redis.call('LPUSH', wake, 1)
        redis.call('LTRIM', wake, 0, 0)
        redis.call('PEXPIRE', wake, 10000)
      end
    end
  end
end
for j = 1, m do
  redis.call('ZREM', KEYS[n + j], token)
  redis.call('ZREM', KEYS[n + m + j], token)
  redis.call('DEL', KEYS[n + j] .. ':' .. token)
end
return out
"""
)

#: Extend the leases a process holds. KEYS[i] is the set holding the lease of token
#: ARGV[2i - 1], to be extended by ARGV[2i] microseconds. A lease already expired is not
#: revived (its slot may have gone to another worker): it is dropped and its index
#: returned among the lost ones.
RENEW = (
    _PRELUDE
    + """
local lost = {}
for i = 1, #KEYS do
  local token, lease = ARGV[2 * i - 1], tonumber(ARGV[2 * i])
  local score = redis.call('ZSCORE', KEYS[i], token)
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[i], 'XX', now + lease, token)
    keep_until_last(KEYS[i])
  else
    if score then redis.call('ZREM', KEYS[i], token) end
    lost[#lost + 1] = i
  end
end
return lost
"""
)

#: Record a temporary block: one shared pause every worker honours, escalating cool-downs
#: and a wider margin. Blocks reported while a pause runs are the same block.
#:
#: KEYS: block state. ARGV: retry-after (-1: none), margin step, widest widening, state
#: TTL (ms), then the cool-downs. Returns {pause, count, widen, paused_until, new}.
REPORT_BLOCK = (
    _PRELUDE
    + """
local block = KEYS[1]
local b = redis.call('HMGET', block, 'until', 'widen', 'count')
local paused = tonumber(b[1]) or 0
local widen = tonumber(b[2]) or 0
local count = tonumber(b[3]) or 0
if paused > now then return {paused - now, count, widen, paused, 0} end
local pause = tonumber(ARGV[1])
if pause < 0 then
  local steps = #ARGV - 4
  pause = tonumber(ARGV[4 + math.min(count + 1, steps)])
end
count = count + 1
widen = math.min(tonumber(ARGV[3]), widen + tonumber(ARGV[2]))
paused = now + pause
redis.call('HSET', block, 'until', fmt(paused), 'widen', fmt(widen), 'count', count)
redis.call('PEXPIRE', block, fmt(math.max(tonumber(ARGV[4]), pause / 1000 + 1000)))
return {pause, count, widen, paused, 1}
"""
)

#: Add starts made elsewhere (the local fallback, while Redis was away) to the shared log.
#: KEYS: starts. ARGV: starts to keep, starts TTL (ms), then each start's age (us).
MERGE_STARTS = (
    _PRELUDE
    + """
local keep, ttl = tonumber(ARGV[1]), ARGV[2]
local all = {}
for _, v in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do all[#all + 1] = tonumber(v) end
for i = 3, #ARGV do all[#all + 1] = now - tonumber(ARGV[i]) end
table.sort(all, function(a, b) return a > b end)
redis.call('DEL', KEYS[1])
local n = math.min(#all, keep)
for i = 1, n do redis.call('RPUSH', KEYS[1], fmt(all[i])) end
if n > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return n
"""
)

#: A start counted at admission is moved to the moment the request leaves (or dropped,
#: when it never left): the service counts arrivals, and a new connection's handshakes can
#: take longer than the margin. KEYS: starts. ARGV: the admission's stamp, 1 to move it to
#: now (0 to drop it), starts to keep, starts TTL (ms). Returns the stamp now in the log.
RESTAMP = (
    _PRELUDE
    + """
local removed = redis.call('LREM', KEYS[1], 1, ARGV[1])
if tonumber(ARGV[2]) == 1 then
  -- Every stamp in the log was taken before now: the newest goes first.
  redis.call('LPUSH', KEYS[1], fmt(now))
  redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return now
end
return removed
"""
)

SCRIPTS = {
    "admit": ADMIT,
    "acquire": ACQUIRE,
    "release": RELEASE,
    "renew": RENEW,
    "report_block": REPORT_BLOCK,
    "merge_starts": MERGE_STARTS,
    "restamp": RESTAMP,
}


class ScriptRunner:
    """Calls the scripts by SHA (loading them on first use or after a server restart) and
    counts every round trip to Redis."""

    def __init__(self, client: Redis) -> None:
        self.client = client
        self.round_trips = 0
        self._shas: dict[str, str] = {}

    async def wait_for_wake(self, key: str, timeout: float, client: Redis) -> bool:
        """Block (on `client`) until a release wakes `key`'s waiter, or `timeout` seconds
        (> 0) pass."""
        self.round_trips += 1
        reply = await cast(Awaitable[Any], client.blpop([key], timeout=timeout))
        return reply is not None

    async def run(self, name: str, keys: Sequence[str], args: Sequence[str | int | float]) -> Any:
        sha = self._shas.get(name)
        if sha is not None:
            try:
                self.round_trips += 1
                return await self.client.evalsha(sha, len(keys), *keys, *args)
            except NoScriptError:  # the server restarted or flushed its script cache
                pass
        self.round_trips += 1
        sha = self._shas[name] = await self.client.script_load(SCRIPTS[name])
        self.round_trips += 1
        return await self.client.evalsha(sha, len(keys), *keys, *args)
