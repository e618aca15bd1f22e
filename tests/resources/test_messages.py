"""`client.messages`: send, bulk send in chunks of 100 (both forms), status."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from resources._fake import FakeClient
from unitalk_async import (
    BadRequestError,
    Limits,
    NotFoundError,
    OutcomeUnknownError,
    UnavailableError,
    ValidationError,
)
from unitalk_async import _operations as ops
from unitalk_async._bulk import partial_result
from unitalk_async.models.enums import MessageStatus, MessageType
from unitalk_async.resources.messages import MessagesResource
from unitalk_async.sandbox.faults import FaultRule
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def numbers(count: int, start: int = 0) -> list[str]:
    return [f"38050{n:07d}" for n in range(start, start + count)]


# --- against the sandbox -----------------------------------------------------------------
async def test_send_and_get_status(unitalk_sandbox: SandboxHandle) -> None:
    book = unitalk_sandbox.sandbox.endpoints.messages
    async with unitalk_sandbox.client() as client:
        message_id = await client.messages.send(
            "SMS", "+38 (097) 123-45-67", "Hello", alfa_name="Shop"
        )
        status = await client.messages.get_status(message_id)
        with pytest.raises(NotFoundError, match="Message not found"):
            await client.messages.get_status(1)
    assert isinstance(status.message_status, MessageStatus)
    sent = book.messages[message_id]
    assert (sent.to, sent.alfa_name, book.sent_count) == ("380971234567", "Shop", 1)


async def test_service_errors_are_typed(unitalk_sandbox: SandboxHandle) -> None:
    unitalk_sandbox.sandbox.project.message_service_connected = False
    async with unitalk_sandbox.client() as client:
        with pytest.raises(UnavailableError, match="Message service not connected"):
            await client.messages.send(MessageType.VIBER, "380971234567", "Hi")


async def test_send_bulk_one_text_to_many_in_chunks(unitalk_sandbox: SandboxHandle) -> None:
    book = unitalk_sandbox.sandbox.endpoints.messages

    def recipients() -> Iterator[str]:
        yield from numbers(230)
        yield "123"  # too short: a client-side reject

    async with unitalk_sandbox.client() as client:
        result = await client.messages.send_bulk("SMS", recipients(), "Sale today")
    assert (result.applied, result.requests, book.sent_count) == (230, 3, 230)
    assert [r.item for r in result.rejected] == ["123"]
    assert len(result.messages) == 230
    assert all(isinstance(answer.id, int) for answer in result.messages.values())


async def test_send_bulk_per_number_texts_reports_service_rejects(
    unitalk_sandbox: SandboxHandle,
) -> None:
    texts = {number: f"Your code is {i}" for i, number in enumerate(numbers(120))}
    texts["380509999999"] = "x" * 1001  # the sandbox's SMS service refuses it
    async with unitalk_sandbox.client() as client:
        result = await client.messages.send_bulk(MessageType.SMS, messages=texts)
    assert (result.applied, result.requests) == (120, 2)
    (refused,) = result.rejected
    assert (refused.item, refused.by_service) == ("380509999999", True)
    assert "too long" in refused.reason
    assert result.messages["380509999999"].ok is False


# --- what is sent ------------------------------------------------------------------------
def bulk_answer(path: str, options: dict[str, object]) -> str:
    body = options["json"]
    keys = body.messages or body.recipients  # type: ignore[attr-defined]
    data = ", ".join(f'"{key}": {{"id": {i}, "error": null}}' for i, key in enumerate(keys))
    return f'{{"status": "Success", "data": {{{data}}}}}'


async def test_send_is_never_resent_and_normalises_the_recipient() -> None:
    fake = FakeClient('{"status": "Success", "data": 77}')
    assert await MessagesResource(fake.as_client()).send("VIBER", "+380971234567", "Hi") == 77
    (sent,) = fake.sent
    assert sent.body == {"messageType": "VIBER", "to": "380971234567", "text": "Hi"}
    assert sent.op is ops.MESSAGES_SEND


async def test_an_unknown_outcome_surfaces_to_the_caller() -> None:
    fake = FakeClient(OutcomeUnknownError("connection reset after sending", path="/message/send"))
    with pytest.raises(OutcomeUnknownError):
        await MessagesResource(fake.as_client()).send("SMS", "380971234567", "Hi")
    assert len(fake.sent) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"message_type": "SMS", "to": "12", "text": "x"}, "to"),
        ({"message_type": "SMS", "to": "380971234567", "text": ""}, "text"),
        ({"message_type": "VIBER", "to": "380971234567", "text": "v" * 1001}, "text"),
        ({"message_type": "MMS", "to": "380971234567", "text": "x"}, "message_type"),
    ],
)
async def test_send_rules_are_checked_before_sending(kwargs: dict[str, str], field: str) -> None:
    fake = FakeClient()
    with pytest.raises(ValidationError) as caught:
        await MessagesResource(fake.as_client()).send(**kwargs)
    assert caught.value.field == field
    assert fake.sent == []


async def test_bulk_pairs_reject_invalid_repeated_and_too_long_before_sending() -> None:
    fake = FakeClient(bulk_answer)
    pairs = [
        ("380501111111", "a"),
        ("+380 50 111 11 11", "b"),  # the same number again
        ("55", "c"),
        ("380502222222", "v" * 1001),
        ("380503333333", "d"),
    ]
    result = await MessagesResource(fake.as_client()).send_bulk("VIBER", messages=pairs)
    (sent,) = fake.sent
    assert sent.body == {
        "messagesType": "VIBER",
        "messages": {"380501111111": "a", "380503333333": "d"},
    }
    assert [r.item for r in result.rejected] == [pairs[1], pairs[2], pairs[3]]
    assert result.applied == 2
    assert result.total == 5


async def test_bulk_argument_forms_are_checked() -> None:
    fake = FakeClient(bulk_answer)
    messages = MessagesResource(fake.as_client())
    with pytest.raises(ValidationError) as caught:
        await messages.send_bulk("SMS", numbers(1), "x", messages={"380501111111": "y"})
    assert caught.value.field == "messages"
    with pytest.raises(ValidationError) as caught:
        await messages.send_bulk("SMS")
    assert caught.value.field == "recipients"
    with pytest.raises(ValidationError) as caught:
        await messages.send_bulk("VIBER", numbers(1), "v" * 1001)
    assert caught.value.field == "text"
    with pytest.raises(ValidationError) as caught:
        await messages.send_bulk("FAX", numbers(1), "x")
    assert caught.value.field == "message_type"
    assert fake.sent == []


async def test_a_failing_chunk_keeps_the_result_so_far() -> None:
    def answer(path: str, options: dict[str, object]) -> str:
        if len(fake.sent) == 2:
            raise BadRequestError("Validation error", path=path)
        return bulk_answer(path, options)

    fake = FakeClient(answer)
    with pytest.raises(BadRequestError) as caught:
        await MessagesResource(fake.as_client()).send_bulk("SMS", numbers(250), "x")
    so_far = partial_result(caught.value)
    assert so_far is not None
    assert so_far.applied == 100


async def test_lost_answers_never_send_a_message_twice(unitalk_sandbox: SandboxHandle) -> None:
    unitalk_sandbox.sandbox.add_fault(
        FaultRule(path="/message/send", kind="reset_after", probability=0.2)
    )
    book = unitalk_sandbox.sandbox.endpoints.messages
    delivered: set[str] = set()
    unknown: set[str] = set()
    async with unitalk_sandbox.client(limits=Limits.disabled()) as client:
        for n in range(200):
            text = f"message {n}"
            try:
                await client.messages.send("SMS", "380971234567", text)
            except OutcomeUnknownError:
                unknown.add(text)
            else:
                delivered.add(text)
    sent = {text: count for (_, text), count in book.sent_by_recipient_text.items()}
    assert unknown  # the faults did fire
    assert len(delivered) + len(unknown) == 200
    assert max(sent.values()) == 1  # nothing sent twice
    assert delivered <= set(sent)  # every answered send was sent
    assert set(sent) - delivered <= unknown  # and the rest only where the outcome is unknown
