"""`client.dictionary(type)`: ids and names of project entities."""

from __future__ import annotations

import pytest

from resources._fake import FakeClient
from unitalk_async import _operations as ops
from unitalk_async.models.enums import DictionaryType
from unitalk_async.resources.dictionary import get_dictionary
from unitalk_async.sandbox.pytest_plugin import SandboxHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_users_and_lines(unitalk_sandbox: SandboxHandle) -> None:
    project = unitalk_sandbox.sandbox.project
    async with unitalk_sandbox.client() as client:
        users = await client.dictionary(DictionaryType.USER)
        lines = await client.dictionary("INNER_PHONE")
    assert set(users) == {str(uid) for uid in project.users}
    assert set(lines) == set(project.lines)


async def test_type_goes_in_the_query() -> None:
    fake = FakeClient('{"status": "Success", "data": {"18": "Default voice"}}')
    assert await get_dictionary(fake.as_client(), "TTS_PROFILE") == {"18": "Default voice"}
    assert fake.sent[0].path == "/dictionary"
    assert fake.sent[0].options["params"] == {"type": "TTS_PROFILE"}
    assert fake.sent[0].op is ops.DICTIONARY
