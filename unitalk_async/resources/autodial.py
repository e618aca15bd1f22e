"""`client.autodial`: autodialers, their numbers and their calls (/autodial/action).

One method per action of the reference, plus `iter_numbers` and `iter_calls_history`.
Every method builds a request struct, checks the reference's rules on it
(`ValidationError` before anything is sent) and makes one `_call` with its action's row of
`_operations.py` (path, answer type, retry class, mutex, "already done" answers); bulk
methods make one per chunk.

The resource remembers what `get_with_data` (and `get_list`) told it: the live caps
`maxAddNumbersCount`/`maxRemoveNumbersCount` become the default chunk sizes, and each
autodialer's type and number count inform the per-number audio limits and the
1,000,000-per-autodialer check of `add_numbers`.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final, TypeAlias

import msgspec
from msgspec import UNSET

from unitalk_async import _operations as ops
from unitalk_async import _reference as ref
from unitalk_async._bulk import (
    BulkResult,
    ChunkResult,
    ChunkStatus,
    Items,
    Progress,
    Rejected,
    known_length,
    report_progress,
    run_bulk,
)
from unitalk_async._exceptions import (
    ConflictError,
    InvalidItemsError,
    NotFoundError,
    ResponseDecodeError,
    ValidationError,
)
from unitalk_async._operations import AlreadyDone
from unitalk_async._paging import AsyncPager, Page, keyset_pager, offset_pager
from unitalk_async._phones import normalize_phone, normalize_phones, phone_reject_reason
from unitalk_async._stats import count_attempts
from unitalk_async.models._autodial_rules import number_with_data_problem, validate_request
from unitalk_async.models.autodial import (
    AddNumbersRequest,
    AddRequest,
    AutodialerCall,
    AutodialerNumber,
    AutodialerSummary,
    AutodialerTask,
    AutodialerWithData,
    CallsHistoryFilter,
    CallsHistoryPage,
    CallsHistoryQuery,
    CancelRequest,
    GetCallsHistoryRequest,
    GetListRequest,
    GetNumberRequest,
    GetNumbersRequest,
    GetWithDataRequest,
    NumberWithData,
    PauseRequest,
    RefreshRequest,
    RemoveAllNumbersRequest,
    RemoveNumbersRequest,
    RemoveRequest,
    UnpauseRequest,
    UpdateRequest,
)
from unitalk_async.models.enums import AutodialerType, CallState, CallStateLike
from unitalk_async.resources._base import Resource

__all__ = ["AutodialResource", "CreatedAutodialer", "NumberItem"]

#: An item of `add_numbers`: a phone string, a `NumberWithData` or a mapping of its fields.
NumberItem: TypeAlias = str | NumberWithData | Mapping[str, Any]

_NUMBERS_NOT_ADDED: Final = "Numbers not added"
_WRONG_NUMBERS_ROUNDS: Final = 3  # resends of one chunk without the numbers refused


@dataclass(frozen=True, slots=True)
class CreatedAutodialer:
    """What `add` returns: the new autodialer's id and the numbers it did not take."""

    id: int
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(slots=True)
class _Known:
    """What this client learned from GET_WITH_DATA / GET_LIST."""

    max_add: int | None = None
    max_remove: int | None = None
    types: dict[int, AutodialerType] = field(default_factory=dict)
    totals: dict[int, int] = field(default_factory=dict)


def _states(values: Iterable[CallStateLike] | None) -> list[CallState] | None:
    return None if values is None else [CallState(value) for value in values]


def _phone_of(item: object) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, NumberWithData):
        return item.phone
    if isinstance(item, Mapping):
        phone = item.get("phone")
        return phone if isinstance(phone, str) else None
    return None


def _refused_reasons(exc: InvalidItemsError) -> dict[str, str]:
    """phone -> reason from a "Wrong numbers" / "Wrong audios" answer's `data`.

    "Wrong numbers" lists the numbers; "Wrong audios" lists numbers with their error
    (`{"phone": ..., "error": ...}` in the sandbox; the reference shows no example).
    """
    reasons: dict[str, str] = {}
    for item in exc.items:
        phone = _phone_of(item)
        if phone is None:
            continue
        detail = item.get("error") if isinstance(item, Mapping) else None
        reasons[phone] = f"{exc.message}: {detail}" if isinstance(detail, str) else exc.message
    return reasons


class AutodialResource(Resource):
    """Autodialers: /autodial/action (all 15 actions), with bulk upload and auto-paging."""

    __slots__ = ("_known",)

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        # Shared with the client's `with_options` views: what one learned, all use.
        self._known: _Known = client._resource_state.setdefault("autodial", _Known())

    # -- reading ---------------------------------------------------------------------------
    async def get_list(self) -> list[AutodialerSummary]:
        """Every autodialer of the project: id, name, type, mode, status."""
        answer = await self._client._call(ops.AUTODIAL_GET_LIST, GetListRequest())
        summaries = answer.data if isinstance(answer.data, list) else []
        for summary in summaries:
            if isinstance(summary.autodialer_type, AutodialerType):
                self._known.types[summary.id] = summary.autodialer_type
        return summaries

    async def get_with_data(self) -> AutodialerWithData:
        """Every autodialer's full configuration and statistics, with the dictionaries.

        The live caps it reports become this client's default chunk sizes.
        """
        data = await self._client._call(ops.AUTODIAL_GET_WITH_DATA, GetWithDataRequest())
        known = self._known
        if isinstance(data.max_add_numbers_count, int) and data.max_add_numbers_count > 0:
            known.max_add = data.max_add_numbers_count
        if isinstance(data.max_remove_numbers_count, int) and data.max_remove_numbers_count > 0:
            known.max_remove = data.max_remove_numbers_count
        for task in data.tasks:
            if isinstance(task.autodialer_type, AutodialerType):
                known.types[task.id] = task.autodialer_type
            if task.total_count is not None:
                known.totals[task.id] = task.total_count
        return data

    async def get_number(self, autodialer_id: int, number: str) -> AutodialerNumber:
        """One number of the autodialer (`NotFoundError` "Call not found" if absent)."""
        phone = normalize_phone(number)
        if phone is None:
            raise ValidationError("number", phone_reject_reason(number) or "invalid number")
        request = GetNumberRequest(id=autodialer_id, number=phone)
        return await self._client._call(ops.AUTODIAL_GET_NUMBER, request)

    async def get_numbers(
        self,
        autodialer_id: int,
        *,
        limit: int | None = None,
        offset: int = 0,
        call_states: Iterable[CallStateLike] | None = None,
    ) -> list[AutodialerNumber]:
        """One page of the autodialer's numbers: `limit` 1..5000 (service default 1000)."""
        request = GetNumbersRequest(
            id=autodialer_id,
            limit=UNSET if limit is None else limit,
            offset=offset,
            call_states=_states(call_states) or UNSET,
        )
        validate_request(request)
        return await self._client._call(ops.AUTODIAL_GET_NUMBERS, request)

    async def get_calls_history(
        self,
        autodialer_id: int,
        *,
        date_from: datetime | date | str | None = None,
        date_to: datetime | date | str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        max_id: int | None = None,
        filter: CallsHistoryFilter | None = None,
    ) -> CallsHistoryPage:
        """One page of the autodialer's calls, newest id first: `limit` 1..1000 (default
        50), from `offset` or up to `max_id` (inclusive); `date_to` is exclusive."""
        query = CallsHistoryQuery(
            date_from=UNSET if date_from is None else date_from,
            date_to=UNSET if date_to is None else date_to,
            limit=UNSET if limit is None else limit,
            offset=UNSET if offset is None else offset,
            max_id=UNSET if max_id is None else max_id,
            filter=UNSET if filter is None else filter,
        )
        request = GetCallsHistoryRequest(id=autodialer_id, call_history_request=query)
        validate_request(request)
        return await self._client._call(ops.AUTODIAL_GET_CALLS_HISTORY, request)

    def iter_numbers(
        self,
        autodialer_id: int,
        call_states: Iterable[CallStateLike] | None = None,
        *,
        page_size: int = ref.GET_NUMBERS_MAX_LIMIT,
        progress: Progress | None = None,
    ) -> AsyncPager[AutodialerNumber]:
        """Every number of the autodialer, `page_size` (1..5000) per request."""
        states = _states(call_states)
        validate_request(GetNumbersRequest(id=autodialer_id, limit=page_size))

        async def fetch(offset: int, limit: int) -> Page[AutodialerNumber]:
            numbers = await self.get_numbers(
                autodialer_id, limit=limit, offset=offset, call_states=states
            )
            return numbers, None

        return offset_pager(fetch, page_size=page_size, progress=progress)

    def iter_calls_history(
        self,
        autodialer_id: int,
        *,
        date_from: datetime | date | str | None = None,
        date_to: datetime | date | str | None = None,
        filter: CallsHistoryFilter | None = None,
        max_id: int | None = None,
        page_size: int = ref.CALLS_HISTORY_MAX_LIMIT,
        progress: Progress | None = None,
    ) -> AsyncPager[AutodialerCall]:
        """Every call of the autodialer, newest first, `page_size` (1..1000) per request.

        Keyset paging on `maxId`: calls made while the export runs have higher ids and are
        not reached, so every call present at the start is yielded exactly once.
        `progress(done, total)` gets the first page's `count` as the total.
        """
        validate_request(
            GetCallsHistoryRequest(
                id=autodialer_id, call_history_request=CallsHistoryQuery(limit=page_size)
            )
        )

        async def fetch(bound: int | None, limit: int) -> Page[AutodialerCall]:
            page = await self.get_calls_history(
                autodialer_id,
                date_from=date_from,
                date_to=date_to,
                limit=limit,
                max_id=bound,
                filter=filter,
            )
            total = page.count if isinstance(page.count, int) else None
            return page.items, total

        return keyset_pager(
            fetch,
            key=lambda call: call.id,
            page_size=page_size,
            max_id=max_id,
            progress=progress,
        )

    # -- creating and changing -------------------------------------------------------------
    async def add(self, task: AutodialerTask) -> CreatedAutodialer:
        """Create an autodialer; returns its id and the numbers of `task.numbers` it refused.

        Numbers are normalised first; invalid ones are returned as rejects, never sent. If
        the service still answers "Wrong numbers" (nothing was created), the request is
        sent again without them. Never retried after an ambiguous failure: a second ADD
        could create a second autodialer (`OutcomeUnknownError`).
        """
        rejected: list[Rejected] = []
        if isinstance(task.numbers, list):
            if len(task.numbers) > ref.MAX_ADD_NUMBERS_PER_REQUEST:
                raise ValidationError(
                    "task.numbers",
                    f"at most {ref.MAX_ADD_NUMBERS_PER_REQUEST} numbers; add more with add_numbers",
                )
            valid, rejected = normalize_phones(task.numbers)
            task = msgspec.structs.replace(task, numbers=valid or UNSET)
        request = AddRequest(task=task)
        validate_request(request)
        for _ in range(_WRONG_NUMBERS_ROUNDS):
            try:
                answer = await self._client._call(ops.AUTODIAL_ADD, request)
            except InvalidItemsError as exc:
                numbers = request.task.numbers
                if not isinstance(numbers, list):
                    raise
                refused = {item for item in exc.items if isinstance(item, str)}
                keep = [number for number in numbers if number not in refused]
                if len(keep) == len(numbers):
                    raise
                rejected += [
                    Rejected(number, exc.message, by_service=True)
                    for number in numbers
                    if number in refused
                ]
                request = AddRequest(
                    task=msgspec.structs.replace(request.task, numbers=keep or UNSET)
                )
                continue
            if not isinstance(answer.data, int):
                # Created, but the answer lacks the id: not a caller's mistake to resend.
                raise ResponseDecodeError(
                    "ADD answered without the new autodialer's id", path=ops.AUTODIAL_ADD.path
                )
            self._known.types[answer.data] = task.autodialer_type
            return CreatedAutodialer(answer.data, rejected)
        raise ValidationError("task.numbers", "the service kept refusing numbers")

    async def update(self, task: AutodialerTask) -> None:
        """Change the autodialer `task.id` to this configuration (type and numbers are
        ignored by the service on UPDATE; pass numbers to `add_numbers` instead)."""
        if task.numbers is not UNSET and task.numbers is not None:
            raise ValidationError("task.numbers", "ignored on UPDATE: use add_numbers")
        request = UpdateRequest(task=task)
        validate_request(request)
        await self._client._call(ops.AUTODIAL_UPDATE, request)

    async def remove(self, autodialer_id: int) -> None:
        """Delete the autodialer and its numbers."""
        await self._client._call(ops.AUTODIAL_REMOVE, RemoveRequest(id=autodialer_id))
        self._forget(autodialer_id)

    async def refresh(self, autodialer_id: int, call_states: Iterable[CallStateLike]) -> None:
        """Call again the numbers in `call_states` (each must be refreshable).

        Not retried after an ambiguous failure: once a minute has passed, a repeat would
        call again numbers dialled since (`OutcomeUnknownError`).
        """
        request = RefreshRequest(id=autodialer_id, call_states=_states(call_states) or [])
        validate_request(request)
        await self._client._call(ops.AUTODIAL_REFRESH, request)

    async def cancel(self, autodialer_id: int) -> None:
        """Cancel a WAITING, IN_PROGRESS or PAUSED autodialer."""
        await self._client._call(ops.AUTODIAL_CANCEL, CancelRequest(id=autodialer_id))

    async def pause(self, autodialer_id: int) -> None:
        """Pause a WAITING or IN_PROGRESS autodialer (no change if NO_NUMBERS or PAUSED)."""
        await self._client._call(ops.AUTODIAL_PAUSE, PauseRequest(id=autodialer_id))

    async def unpause(self, autodialer_id: int) -> None:
        """Resume a PAUSED autodialer."""
        await self._client._call(ops.AUTODIAL_UNPAUSE, UnpauseRequest(id=autodialer_id))

    async def remove_all_numbers(self, autodialer_id: int) -> None:
        """Delete every number of the autodialer."""
        request = RemoveAllNumbersRequest(id=autodialer_id)
        await self._client._call(ops.AUTODIAL_REMOVE_ALL_NUMBERS, request)
        self._known.totals[autodialer_id] = 0

    # -- bulk ------------------------------------------------------------------------------
    async def add_numbers(
        self,
        autodialer_id: int,
        numbers: Items[NumberItem] | None = None,
        *,
        numbers_with_data: Items[NumberWithData | Mapping[str, Any]] | None = None,
        high_priority: bool | None = None,
        refresh_duplicates: bool = False,
        chunk_size: int | None = None,
        progress: Progress | None = None,
    ) -> BulkResult[NumberItem]:
        """Add numbers to the autodialer, in as few requests as the caps allow.

        `numbers` and `numbers_with_data` may be any iterables or async iterables (a
        generator over a CSV of millions of rows), read lazily: memory holds about two
        chunks. Items are phone strings, `NumberWithData` or mappings of its fields.

        Each chunk holds `chunk_size` numbers (default: the live `maxAddNumbersCount` if
        `get_with_data` ran on this client, else 100,000). Numbers that are not 7..15 digits,
        and numbers with invalid params or audios, come back in `result.rejected` and are
        never sent; numbers the service refuses ("Wrong numbers") too, and their chunk is
        resent without them. `result.accepted` counts numbers the service took (present in
        the autodialer afterwards, added now or before); `result.applied` is None (unknown)
        unless every chunk was answered "Numbers not added" (0): "Numbers added" does not say
        how many. `result.chunks` tells what happened to each chunk, `result.requests` how
        many HTTP attempts it took.

        With `refresh_duplicates=False` (the default) a chunk is safe to resend after a lost
        answer; a resend answered "Numbers not added" means the numbers are there
        (`ChunkStatus.CONFIRMED_BY_RESEND`). With `True` it is never resent after an
        ambiguous failure: it would dial again numbers called since.

        Raises `ValidationError` before any request if the input's known size exceeds
        1,000,000, and before the chunk that would take the autodialer past 1,000,000 when
        its count is known from `get_with_data`. Other errors propagate with the result so
        far attached (`unitalk_async._bulk.partial_result(exc)`).
        """
        if numbers is None and numbers_with_data is None:
            raise ValidationError("numbers", "numbers or numbers_with_data is required")
        size = self._chunk_size(chunk_size, self._known.max_add, ref.MAX_ADD_NUMBERS_PER_REQUEST)
        total = _total(numbers, numbers_with_data)
        cap = ref.MAX_NUMBERS_PER_AUTODIALER
        present = self._known.totals.get(autodialer_id)
        if total is not None and total + (present or 0) > cap:
            raise ValidationError(
                "numbers", f"{total} numbers would exceed {cap} numbers per autodialer"
            )
        kind = self._known.types.get(autodialer_id)

        def before_chunk(index: int, chunk: list[Any], so_far: BulkResult[Any]) -> None:
            # Unknown count: at least this stream alone must stay within the cap. The service
            # does not say how many of a chunk it added; at most all it accepted.
            if (present or 0) + so_far.accepted + len(chunk) > cap:
                raise ValidationError(
                    "numbers", f"chunk {index} would take the autodialer past {cap} numbers"
                )

        async def send(index: int, chunk: list[Any]) -> ChunkResult:
            return await self._send_numbers_chunk(
                autodialer_id, index, chunk, high_priority, refresh_duplicates
            )

        source: Items[Any] = (
            numbers
            if numbers is not None and numbers_with_data is None
            else _chain(numbers, numbers_with_data)
        )
        result = await run_bulk(
            source,
            chunk_size=size,
            prepare=lambda batch: _prepare_numbers(batch, kind),
            send=send,
            progress=progress,
            total=total,
            before_chunk=before_chunk,
        )
        if present is not None:
            # At most: the service does not say how many of the accepted numbers were new.
            # An upper bound keeps the cap check on the safe side.
            self._known.totals[autodialer_id] = present + result.accepted
        return result

    async def _send_numbers_chunk(
        self,
        autodialer_id: int,
        index: int,
        chunk: list[Any],
        high_priority: bool | None,
        refresh_duplicates: bool,
    ) -> ChunkResult:
        # "Numbers added" does not say how many: `applied` stays unknown unless the service
        # says none ("Numbers not added") or refused them all.
        outcome = ChunkResult(index, size=len(chunk), applied=None)
        items = chunk
        op = ops.AUTODIAL_ADD_NUMBERS_REFRESHING if refresh_duplicates else ops.AUTODIAL_ADD_NUMBERS
        for _ in range(_WRONG_NUMBERS_ROUNDS):
            plain = [item for item in items if type(item) is str]
            with_data = [item for item in items if type(item) is not str]
            request = AddNumbersRequest(
                id=autodialer_id,
                refresh_duplicates=refresh_duplicates,
                high_priority=UNSET if high_priority is None else high_priority,
                numbers=plain or UNSET,
                numbers_with_data=with_data or UNSET,
            )
            # No validate_request: prepare checked every item, the chunker the live cap.
            try:
                answer = await self._client._call(op, request)
            except InvalidItemsError as exc:
                # "Wrong numbers"/"Wrong audios": nothing was added; drop those and resend.
                refused = _refused_reasons(exc)
                keep = [item for item in items if _phone_of(item) not in refused]
                if len(keep) == len(items):
                    raise
                outcome.rejected += [
                    Rejected(item, refused[phone], by_service=True)
                    for item in items
                    if (phone := _phone_of(item)) in refused and phone is not None
                ]
                items = keep
                if not items:
                    outcome.applied = 0
                    outcome.status = ChunkStatus.NOTHING_APPLIED
                    return outcome
                continue
            except ConflictError as exc:
                if exc.message != _NUMBERS_NOT_ADDED:
                    raise
                outcome.message = exc.message
                outcome.applied = 0
                outcome.status = ChunkStatus.ALREADY_PRESENT
                return outcome
            if isinstance(answer, AlreadyDone):
                outcome.message = answer.message
                outcome.status = ChunkStatus.CONFIRMED_BY_RESEND
                return outcome
            outcome.message = answer.message if isinstance(answer.message, str) else None
            if outcome.rejected:
                outcome.status = ChunkStatus.DONE_WITHOUT_REJECTED
            return outcome
        raise ValidationError("numbers", f"chunk {index}: the service kept refusing numbers")

    async def remove_numbers(
        self,
        autodialer_id: int,
        numbers: Items[str] | None = None,
        *,
        call_states: Iterable[CallStateLike] | None = None,
        chunk_size: int | None = None,
        progress: Progress | None = None,
    ) -> BulkResult[str]:
        """Remove numbers (in chunks of 10,000, or the live cap), or every number in
        `call_states` (one request) when `numbers` is None.

        Invalid numbers come back in `result.rejected` (client-side, and those the service
        lists as invalid). A chunk none of whose numbers was in the autodialer has status
        `NOTHING_APPLIED` (`applied` 0); otherwise the service does not say how many it
        removed (`applied` None); `accepted` counts numbers sent minus those it refused.
        """
        self._known.totals.pop(autodialer_id, None)
        if numbers is None:
            states = _states(call_states)
            if not states:
                raise ValidationError("numbers", "numbers or call_states is required")
            request = RemoveNumbersRequest(id=autodialer_id, call_states=states)
            validate_request(request)
            with count_attempts() as counted:
                answer = await self._client._call(ops.AUTODIAL_REMOVE_NUMBERS, request)
            status = (
                ChunkStatus.CONFIRMED_BY_RESEND
                if isinstance(answer, AlreadyDone)
                else ChunkStatus.DONE
            )
            result: BulkResult[str] = BulkResult(total=None)
            chunk = ChunkResult(0, size=0, applied=None, status=status, requests=counted.attempts)
            result.add_chunk(chunk)
            await report_progress(progress, 1, 1)
            return result
        if call_states is not None:
            raise ValidationError("call_states", "pass numbers or call_states, not both")
        size = self._chunk_size(
            chunk_size, self._known.max_remove, ref.MAX_REMOVE_NUMBERS_PER_REQUEST
        )

        async def send(index: int, chunk: list[str]) -> ChunkResult:
            request = RemoveNumbersRequest(id=autodialer_id, numbers=chunk)
            try:
                answer = await self._client._call(ops.AUTODIAL_REMOVE_NUMBERS, request)
            except NotFoundError as exc:
                if exc.message != "Numbers not found":
                    raise
                # None of the chunk was there.
                status = ChunkStatus.NOTHING_APPLIED
                return ChunkResult(index, len(chunk), 0, status, message=exc.message)
            if isinstance(answer, AlreadyDone):
                status = ChunkStatus.CONFIRMED_BY_RESEND
                return ChunkResult(index, len(chunk), None, status, message=answer.message)
            invalid = answer.data if isinstance(answer.data, list) else []
            rejected = [Rejected(item, "invalid number", by_service=True) for item in invalid]
            return ChunkResult(
                index,
                size=len(chunk),
                applied=None,  # some may not have been there: the answer does not say
                status=ChunkStatus.DONE_WITHOUT_REJECTED if rejected else ChunkStatus.DONE,
                rejected=rejected,
                message=answer.message if isinstance(answer.message, str) else None,
            )

        return await run_bulk(
            numbers, chunk_size=size, prepare=normalize_phones, send=send, progress=progress
        )

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _chunk_size(asked: int | None, live: int | None, documented: int) -> int:
        limit = live or documented
        if asked is None:
            return limit
        if not 1 <= asked <= limit:
            raise ValidationError("chunk_size", f"must be 1..{limit}")
        return asked

    def _forget(self, autodialer_id: int) -> None:
        self._known.types.pop(autodialer_id, None)
        self._known.totals.pop(autodialer_id, None)


def _total(*sources: object) -> int | None:
    total = 0
    for source in sources:
        if source is None:
            continue
        length = known_length(source)
        if length is None:
            return None
        total += length
    return total


async def _chain(*sources: Items[Any] | None) -> AsyncIterator[Any]:
    for source in sources:
        if source is None:
            continue
        if isinstance(source, AsyncIterable):
            async for item in source:
                yield item
        else:
            for item in source:
                yield item


def _prepare_numbers(
    batch: list[Any], kind: AutodialerType | None
) -> tuple[list[Any], list[Rejected]]:
    """Normalise a batch of ADD_NUMBERS items: phone strings and numbers with data."""
    plain = [item for item in batch if type(item) is str]
    if len(plain) == len(batch):
        return normalize_phones(batch)
    phones, rejected = normalize_phones(plain)
    valid: list[Any] = list(phones)
    for item in batch:
        if type(item) is str:
            continue
        number: Any = item
        if isinstance(item, Mapping):
            try:
                number = msgspec.convert(item, NumberWithData, strict=False)
            except msgspec.ValidationError as exc:
                rejected.append(Rejected(item, f"not a number with data: {exc}"))
                continue
        if not isinstance(number, NumberWithData):
            phone = normalize_phone(item)  # an int, say
            if phone is None:
                rejected.append(Rejected(item, phone_reject_reason(item) or "invalid number"))
            else:
                valid.append(phone)
            continue
        phone = normalize_phone(number.phone)
        if phone is None:
            reason = phone_reject_reason(number.phone) or "invalid number"
            rejected.append(Rejected(item, f"phone: {reason}"))
            continue
        problem = number_with_data_problem(number, kind)
        if problem is not None:
            rejected.append(Rejected(item, problem))
            continue
        valid.append(
            number if phone == number.phone else msgspec.structs.replace(number, phone=phone)
        )
    return valid, rejected
