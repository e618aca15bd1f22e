"""Every error the reference documents, provoked in a separately started sandbox over HTTP.

The sandbox runs as `python -m unitalk_async.sandbox --admin ...` in a process of its own.
This module talks to it as any tester could: httpx on the API, the incoming-webhook link
(its token read from the start-up output) and the documented /__admin routes (README
"Driving a separately started sandbox"). It imports nothing of the sandbox (only the
reference walker of tests/test_error_table.py, to list the documented messages): each case
names a documented message and the requests that provoke it, and the answer must carry that
message (for /audio/tts's per-item errors, that `error`).
"""

# ruff: noqa: E501  (one case a line reads best)

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from test_error_table import IRREGULAR, reference_messages

# Start-up flags the cases rely on: small caps (no million numbers over the wire) and
# processing long enough for the one-at-a-time answers to be reached by concurrent requests.
FLAGS = [
    "--admin", "--no-limits", "--seed", "0", "--history-size", "200",
    "--max-autodialers", "3", "--max-numbers-per-autodialer", "20", "--processing-seconds", "1.0",
]  # fmt: skip
# The project the sandbox generates for seed 0 (each id checked against /dictionary below).
SCENARIO, SIP_GROUP, GSM_GROUP, TTS_PROFILE, SECRETARY, IVR = 70, 300, 399, 18, 25, 211
GENERAL_AUDIO, MELODY_AUDIO, API_AUDIO = 46600, 46606, 46612
TELEGRAM, OTHER_TELEGRAM, WEBHOOK, SMS_ON_CALLS, EMAIL = 2, 4, 3, 11, 123
ANALYTICS_PROFILE, USER = 123, 10000
TASK: dict[str, Any] = {
    "name": "Outside", "autodialerType": "AUTODIAL", "autodialerMode": "FIXED", "threadCount": 1,
    "startDate": "2030-03-15", "endDate": "2030-05-15", "timeFrom": ["09:00"] * 7,
    "timeTo": ["19:00"] * 7, "scenarioId": SCENARIO, "crmMode": "DONT_SEND", "clientCalledMode": "NEVER",
}  # fmt: skip
EVER = {"dateFrom": "2000-01-01 00:00:00", "dateTo": "2100-01-01 00:00:00"}
REFRESHABLE = ["ANSWER", "ANSW_RJCT", "NOANSWER", "BUSY", "FAIL", "BLOCKED", "TALKING", "UNREACHABLE",
               "NOT_EXIST", "VOICE_MAIL", "CLIENT_CALLED", "CANCEL", "ANSW_NF_OP", "ANSW_OP_NA",
               "BUSYOUT", "AUDIO_ERR", "WRONG_DIR", "AUTOCANCEL"]  # fmt: skip


def phones(count: int, start: int = 0) -> list[str]:
    return [f"38097{n:07d}" for n in range(start, start + count)]


@dataclass
class Sandbox:
    """A running sandbox seen from outside: its printed URLs, key and webhook token."""

    api: str
    admin: str
    key: str
    token: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.http.post(
            self.api + path, json=json, headers={"Authorization": self.key}, **kwargs
        )

    def action(self, action: str, **body: Any) -> httpx.Response:
        return self.post("/autodial/action", {"action": action, **body})

    def ok(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        answer = self.post(path, json, **kwargs)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def create(self, numbers: list[str] | None = None, **changes: Any) -> int:
        task = {**TASK, **changes}
        if numbers is not None:
            task["numbers"] = numbers
        answer = self.action("ADD", task=task)
        assert answer.status_code == 200, answer.text
        autodialer_id: int = answer.json()["data"]
        return autodialer_id

    def task(self, **changes: Any) -> httpx.Response:
        task = {**TASK, **changes}
        return self.action("ADD", task={k: v for k, v in task.items() if v is not ...})

    def reset(self) -> None:
        """Back to the project it started with: POST /__admin/reset?all=true."""
        assert self.http.post(f"{self.admin}/reset", params={"all": "true"}).status_code == 200

    def switch(self, **states: bool) -> None:
        answer = self.http.post(f"{self.admin}/account", json=states)
        assert answer.status_code == 200, answer.text

    def together(self, *calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
        """Send the requests at the same time; their answers in order."""
        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(lambda call: call(), calls))

    def webhook(self, **params: str) -> httpx.Response:
        return self.http.post(
            self.api.removesuffix("/api") + "/tracking/webhook/event", params=params
        )

    def lines(self, status: str) -> list[str]:
        return [line for line, s in self.ok("/phones/inner")["data"].items() if s == status]

    def calls(self, answered: bool) -> list[int]:
        page = self.ok("/history/get", {**EVER, "limit": 1000, "filter": {"answered": answered}})
        return [call["id"] for call in page["calls"]]

    def tts(self, *items: dict[str, Any]) -> httpx.Response:
        return self.post("/audio/tts", {"data": list(items)})


def start(*flags: str) -> Iterator[Sandbox]:
    command = [sys.executable, "-m", "unitalk_async.sandbox", "--port", "0", *flags]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    try:
        assert process.stdout is not None
        printed: dict[str, str] = {}
        while "Incoming-webhook token" not in printed:  # the start-up lines, in any order
            line = process.stdout.readline().strip()
            assert line, "the sandbox ended before printing its token"
            label, _, value = line.partition(": ") if " at " not in line else line.partition(" at ")
            printed[label] = value
        yield Sandbox(
            api=printed["Unitalk sandbox"],
            key=printed["API key"],
            admin=printed["Admin"],
            token=printed["Incoming-webhook token"],
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def running() -> Iterator[Sandbox]:
    yield from start(*FLAGS)


@pytest.fixture
def sandbox(running: Sandbox) -> Sandbox:
    """The running sandbox, reset to the project it started with."""
    running.reset()
    return running


# --- the cases: documented message -> how to provoke it --------------------------------------
Case = Callable[[Sandbox], httpx.Response]


def in_call(s: Sandbox) -> str:
    line = s.lines("online")[0]
    s.ok("/phones/directCall", data={"sip": line, "number": "380501112233"})
    return line


def tracked_outer_line(s: Sandbox) -> httpx.Response:
    """The tracked outer line is one of the outer numbers history shows; try each."""
    page = s.ok("/history/get", {**EVER, "limit": 1000})
    answers = [
        s.post(
            "/calls/originateNew", {"phone": f"3805011122{n:02d}", "ivrId": IVR, "outerLine": outer}
        )
        for n, outer in enumerate(sorted({call["outerNumber"] for call in page["calls"]}))
    ]
    return next(a for a in answers if a.status_code == 400)


def finished(s: Sandbox) -> httpx.Response:
    autodialer = s.create(numbers=phones(2))
    s.action("CANCEL", id=autodialer)
    s.http.post(f"{s.admin}/simulate-calls", json={"autodialerId": autodialer, "count": 2})
    return s.action("PAUSE", id=autodialer)


def canceled(s: Sandbox) -> httpx.Response:
    autodialer = s.create(numbers=phones(2))  # CANCEL leaves one without numbers as it is
    assert s.action("CANCEL", id=autodialer).status_code == 200
    return s.action("PAUSE", id=autodialer)


def refreshed_twice(s: Sandbox) -> httpx.Response:
    autodialer = s.create(numbers=phones(5))
    s.http.post(f"{s.admin}/simulate-calls", json={"autodialerId": autodialer, "count": 5})
    assert s.action("REFRESH", id=autodialer, callStates=REFRESHABLE).status_code == 200
    return s.action("REFRESH", id=autodialer, callStates=REFRESHABLE)


def busy_handler(s: Sandbox) -> httpx.Response:
    first, second = s.create(), s.create(name="Second")
    answers = s.together(
        lambda: s.action("ADD_NUMBERS", id=first, numbers=phones(20)),
        lambda: s.action("ADD_NUMBERS", id=second, numbers=phones(20, 100)),
    )
    return next(a for a in answers if a.status_code == 400)


def completed_distribution(s: Sandbox) -> httpx.Response:
    body = {"name": "Once", "messageType": "SMS", "text": "Hi", "numbers": ["380971234567"]}
    distribution = s.ok("/messageDistribution/create", body)["data"]
    time.sleep(1.1)  # one number at 50 a second, on a clock that counts whole seconds
    return s.post("/messageDistribution/update", {**body, "id": distribution})


def switched(state: str, case: Case) -> Case:
    def provoke(s: Sandbox) -> httpx.Response:
        s.switch(**{state: False})
        return case(s)

    return provoke


def tts_item(**tts: Any) -> Case:
    return lambda s: s.tts({"name": "new audio", "type": "API", "tts": tts})


def originate_audios(*audios: Any) -> Case:
    return lambda s: s.post(
        "/calls/originateNew", {"phone": "380501112233", "audios": list(audios)}
    )


def send_bulk(**body: Any) -> Case:
    return lambda s: s.post("/message/sendBulk", body)


def add_numbers(**body: Any) -> Case:
    return lambda s: s.action("ADD_NUMBERS", id=s.create(), **body)


def on_autodialer(action: str, **body: Any) -> Case:
    return lambda s: s.action(action, id=s.create(numbers=phones(2)), **body)


def calls_history(request: dict[str, Any]) -> Case:
    return on_autodialer("GET_CALLS_HISTORY", callHistoryRequest=request)


def webhook(**params: str) -> Case:
    def provoke(s: Sandbox) -> httpx.Response:
        autodialer = s.create(numbers=phones(2))
        given = {
            "token": s.token,
            "action": "AUTODIAL_ADD",
            "id": str(autodialer),
            "phones": "380971111111",
        }
        return s.webhook(**{k: v for k, v in (given | params).items() if v})

    return provoke


SMS = {"messageType": "SMS", "to": "380971234567", "text": "Hi"}
DISTRIBUTION = {"name": "Spring", "messageType": "SMS", "text": "Hi", "numbers": ["380971234567"]}
TTS_OK = {"text": "Hello", "settingsId": TTS_PROFILE}
SEND = {"userIds": [USER], "data": {"contactName": "John"}}

# A message documented for two methods gets a case for each.
CASES: dict[str, Case | tuple[Case, ...]] = {
    # /autodial/action ADD / UPDATE
    "task is null": lambda s: s.action("ADD"),
    "Please confirm phone number": switched("phoneConfirmed", lambda s: s.task()),
    "Billing not allow": switched("billingAllowed", lambda s: s.task()),
    "Task not found": lambda s: s.action("PAUSE", id=987654),
    "groupId and pseudoGroupOperators is null": lambda s: s.task(autodialerMode="FREE"),
    "Operator not found: …": lambda s: s.task(autodialerMode="FREE", pseudoGroupOperators=["7777"]),
    "Group not found": lambda s: s.task(autodialerMode="FREE", groupId=12345),
    "Wrong group type": lambda s: s.task(autodialerType="GUARANTEED_DIAL", groupId=GSM_GROUP),
    "Moh not found": lambda s: s.task(autodialerType="GUARANTEED_DIAL", groupId=SIP_GROUP, moh=1),
    "Wrong audio type: moh": lambda s: s.task(autodialerType="GUARANTEED_DIAL", groupId=SIP_GROUP, moh=GENERAL_AUDIO),
    "In scenario not found": lambda s: s.task(scenarioId=1),
    "Not found in scenario and audio": lambda s: s.task(scenarioId=...),
    "compositeAudio": lambda s: s.task(compositeAudio={"multiAudios": [{"silenceMillis": 0}]}),
    "voiceSecretaryId is null": lambda s: s.task(autodialerType="VOICE_ROBOT"),
    "Voice secretary not found": lambda s: s.task(autodialerType="VOICE_ROBOT", voiceSecretaryId=1),
    "Wrong name": lambda s: s.task(name=""),
    "Name already present": lambda s: (s.create(), s.task())[1],
    "Not found out scenario": lambda s: s.task(outScenarioId=1),
    "Wrong dates": lambda s: s.task(startDate="2030-06-01"),
    "Wrong time ranges": lambda s: s.task(timeFrom=["09:00"] * 6),
    "Prefix is too long": lambda s: s.task(callerIdPrefix="p" * 21),
    "Handler is busy, try again later": busy_handler,
    "Wrong numbers": add_numbers(numbers=["12"]),
    "Repeat call states is empty": lambda s: s.task(repeatCallAttempts=3),
    "Repeat call state is not allowed": lambda s: s.task(repeatCallAttempts=3, repeatCallStates=["NEW"]),
    "Not found text to speech settings": lambda s: s.task(ttsSettingsId=1),
    "Wrong trigger action event": lambda s: s.task(triggerActions={"AUTODIAL_EXPLODED": [TELEGRAM]}),
    "triggerActionIds is null": lambda s: s.task(triggerActions={"AUTODIAL_FINISH": None}),
    "Too many trigger actions": lambda s: s.task(triggerActions={"AUTODIAL_FINISH": [TELEGRAM, WEBHOOK, OTHER_TELEGRAM, EMAIL, 2, 3]}),
    "Trigger action not found": lambda s: s.task(triggerActions={"AUTODIAL_FINISH": [9999]}),
    "Few trigger actions with same type": lambda s: s.task(triggerActions={"AUTODIAL_FINISH": [TELEGRAM, OTHER_TELEGRAM]}),
    "Not compatible trigger action": lambda s: s.task(triggerActions={"AUTODIAL_FINISH": [SMS_ON_CALLS]}),
    "crmMode is null": lambda s: s.task(crmMode=...),
    "clientCalledMode is null": lambda s: s.task(clientCalledMode=...),
    "Tasks limit exceeded": lambda s: ([s.create(name=f"n{n}") for n in range(3)], s.task())[1],
    # REFRESH / CANCEL / PAUSE / UNPAUSE
    "states is null or empty": on_autodialer("REFRESH", callStates=[]),
    "state is not allowed": on_autodialer("REFRESH", callStates=["NEW"]),
    "Try again later": refreshed_twice,
    "Numbers not found by states": on_autodialer("REFRESH", callStates=["BUSY"]),
    "Task is finished": finished,
    "Task is canceled": canceled,
    # ADD_NUMBERS / GET_NUMBER(S) / GET_CALLS_HISTORY / REMOVE_NUMBERS
    "Numbers is null or empty": add_numbers(),
    "Too many numbers": on_autodialer("REMOVE_NUMBERS", numbers=phones(10_001)),
    "Numbers limit exceeded": add_numbers(numbers=phones(21)),
    "Numbers not added": lambda s: s.action("ADD_NUMBERS", id=s.create(numbers=phones(2)), numbers=phones(2)),
    "Wrong audios": add_numbers(numbersWithData=[{"phone": "380971234567", "audios": [{}]}]),
    "Too many params": add_numbers(numbersWithData=[{"phone": "380971234567", "params": {str(n): "x" for n in range(1, 12)}}]),
    "Wrong parameter key": add_numbers(numbersWithData=[{"phone": "380971234567", "params": {"11": "x"}}]),
    "Wrong phone number": on_autodialer("GET_NUMBER", number="12"),
    "Call not found": on_autodialer("GET_NUMBER", number="380501112233"),
    "Limit range is 1-5000": on_autodialer("GET_NUMBERS", limit=0),
    "Offset cannot be negative": on_autodialer("GET_NUMBERS", offset=-1),
    "Offset is less than 0": calls_history({"offset": -1}),
    "callHistoryRequest is null": on_autodialer("GET_CALLS_HISTORY"),
    "Invalid date from": calls_history({"dateFrom": "yesterday"}),
    "Invalid date to": calls_history({"dateTo": "tomorrow"}),
    "numbers and states is null": on_autodialer("REMOVE_NUMBERS"),
    "Phones not found": (on_autodialer("REMOVE_NUMBERS", numbers=["x"]), webhook(phones="x")),
    "Numbers not found": lambda s: s.action("REMOVE_ALL_NUMBERS", id=s.create()),
    # /phones/directCall
    "Sip not found": lambda s: s.post("/phones/directCall", data={"sip": "9", "number": "380501112233"}),
    "Sip not ready": lambda s: s.post("/phones/directCall", data={"sip": s.lines("offline")[0], "number": "380501112233"}),
    "Wrong phone": lambda s: s.post("/phones/directCall", data={"sip": s.lines("online")[0], "number": "12"}),
    "Meta info is too big": lambda s: s.post("/phones/directCall", data={"sip": s.lines("online")[0], "number": "380501112233", "meta": "m" * 1001}),
    # /calls/originateNew
    "Call already in progress": lambda s: [s.post("/calls/originateNew", {"phone": "380501112233", "ivrId": IVR}) for _ in range(2)][1],
    "Outer line not found": lambda s: s.post("/calls/originateNew", {"phone": "380501112233", "ivrId": IVR, "outerLine": "380449999999"}),
    "Outer line is tracked": tracked_outer_line,
    "No audio and IVR": lambda s: s.post("/calls/originateNew", {"phone": "380501112233"}),
    "IVR can be used for SIPs only": lambda s: s.post("/calls/originateNew", {"phone": "380501112233", "ivrId": 1}),
    "Service not paid": switched("servicePaid", lambda s: s.post("/calls/originateNew", {"phone": "380501112233", "ivrId": IVR})),
    "Limit of Simultaneously calls has reached": lambda s: [s.post("/calls/originateNew", {"phone": f"3805011122{n:02d}", "ivrId": IVR}) for n in range(21)][-1],
    "audios: Too many audios": originate_audios(*[{"id": API_AUDIO}] * 6),
    "audios: Too many text to speech": originate_audios(*[{"tts": TTS_OK}] * 3),
    "audios: Audio is null": originate_audios(None),
    "audios: Audio not found by id": originate_audios({"id": 1}),
    "audios: Wrong type of audio": originate_audios({"id": GENERAL_AUDIO}),
    "audios: Audio is empty": originate_audios({}),
    "audios: Text to speech ‘text’ and ‘ssml’ is null": originate_audios({"tts": {"settingsId": TTS_PROFILE}}),
    "audios: Text to speech ‘text’ not valid": originate_audios({"tts": {"text": "t" * 4961, "settingsId": TTS_PROFILE}}),
    "audios: Text to speech ‘ssml’ not valid": originate_audios({"tts": {"ssml": "<p>hi</p>", "settingsId": TTS_PROFILE}}),
    "audios: Text to speech ‘settingsId’ is null": originate_audios({"tts": {"text": "Hello"}}),
    "audios: Text to speech settings not found by id": originate_audios({"tts": {"text": "Hello", "settingsId": 1}}),
    "audios: Text to speech failed": switched("speechSynthesisWorking", originate_audios({"tts": TTS_OK})),
    # /calls/hangup, /calls/connectAsPrompter
    "Empty request": lambda s: s.post("/calls/hangup", {}),
    "Target not found": lambda s: s.post("/calls/connectAsPrompter", {"target": "9", "source": "1000"}),
    "Target is not in call": lambda s: s.post("/calls/connectAsPrompter", {"target": s.lines("offline")[0], "source": "1000"}),
    "Source not found": lambda s: s.post("/calls/connectAsPrompter", {"target": in_call(s), "source": "9"}),
    "Source is offline": lambda s: s.post("/calls/connectAsPrompter", {"target": in_call(s), "source": s.lines("offline")[0]}),
    # /calls/analytics/create
    "Only 50 concurrent requests are allowed": lambda s: next(
        a for a in s.together(*[
            lambda call=call: s.post("/calls/analytics/create", params={"callId": call, "profileId": ANALYTICS_PROFILE})
            for call in s.calls(answered=True)[:51]
        ]) if a.status_code == 400
    ),
    "Call does not exist": lambda s: s.post("/calls/analytics/create", params={"callId": 1, "profileId": ANALYTICS_PROFILE}),
    "Profile does not exist": lambda s: s.post("/calls/analytics/create", params={"callId": s.calls(answered=True)[0], "profileId": 9}),
    "Analytics is not available for this call": lambda s: s.post("/calls/analytics/create", params={"callId": s.calls(answered=False)[0], "profileId": ANALYTICS_PROFILE}),
    "Voice analytics is already in progress": lambda s: next(
        a for a in s.together(*[lambda: s.post("/calls/analytics/create", params={"callId": s.calls(answered=True)[0], "profileId": ANALYTICS_PROFILE})] * 2)
        if a.status_code == 400
    ),
    "Voice analytics is not available": switched("voiceAnalyticsAvailable", lambda s: s.post("/calls/analytics/create", params={"callId": s.calls(answered=True)[0], "profileId": ANALYTICS_PROFILE})),
    "Insufficient funds": switched("fundsSufficient", lambda s: s.post("/calls/analytics/create", params={"callId": s.calls(answered=True)[0], "profileId": ANALYTICS_PROFILE})),
    # /audio/tts: request-level errors, then the per-item ones (in `data[0].error`)
    "Allowed only one simultaneous text to speech request per project": lambda s: next(
        a for a in s.together(lambda: s.tts({"name": "a", "type": "API", "tts": TTS_OK}), lambda: (time.sleep(0.3), s.tts({"name": "b", "type": "API", "tts": TTS_OK}))[1])
        if a.status_code == 400
    ),
    "data is null": lambda s: s.post("/audio/tts", {}),
    "data is empty": lambda s: s.tts(),
    "Too many elements in data": lambda s: s.tts(*[{"name": f"a{n}", "type": "API", "tts": TTS_OK} for n in range(6)]),
    "type is null": lambda s: s.tts({"name": "new audio", "tts": TTS_OK}),
    "Name is empty": lambda s: s.tts({"name": "", "type": "API", "tts": TTS_OK}),
    "Name length more than 200 chars": lambda s: s.tts({"name": "n" * 201, "type": "API", "tts": TTS_OK}),
    "Same name already present": lambda s: s.tts({"name": "general_audio_1", "type": "API", "tts": TTS_OK}),
    "tts is null": lambda s: s.tts({"name": "new audio", "type": "API"}),
    "Text to speech ‘text’ and ‘ssml’ is null": tts_item(settingsId=TTS_PROFILE),
    "Text to speech ‘text’ not valid": tts_item(text="t" * 4961, settingsId=TTS_PROFILE),
    "Text to speech ‘ssml’ not valid": tts_item(ssml="<p>hi</p>", settingsId=TTS_PROFILE),
    "Text to speech ‘settingsId’ is null": tts_item(text="Hello"),
    "Text to speech settings not found by id": tts_item(text="Hello", settingsId=1),
    "Text to speech failed": switched("speechSynthesisWorking", tts_item(**TTS_OK)),
    "Internal error": lambda s: (s.http.post(f"{s.admin}/faults", json={"path": "/audio/tts", "kind": "error_500"}), s.tts({"name": "x", "type": "API", "tts": TTS_OK}))[1],
    # /users/workHistory, /operator/statistic, /history/get
    "Future data is absent": lambda s: s.post("/users/workHistory", params={"date": "2100-01-01"}),
    "Wrong FROM date": lambda s: s.post("/history/get", {**EVER, "dateFrom": "yesterday", "limit": 10}),
    "Wrong TO date": lambda s: s.post("/history/get", {**EVER, "dateTo": "tomorrow", "limit": 10}),
    "Limit range is 1-1000": lambda s: s.post("/history/get", {**EVER, "limit": 0}),
    # /eventHandlers/removeScheduledByPhones
    "Phones is not specified": lambda s: s.post("/eventHandlers/removeScheduledByPhones", {}),
    "Too many phones": lambda s: s.post("/eventHandlers/removeScheduledByPhones", {"phones": phones(101)}),
    "Invalid phones": lambda s: s.post("/eventHandlers/removeScheduledByPhones", {"phones": ["x"]}),
    "Wait until the previous request is processed": lambda s: next(
        a for a in s.together(*[lambda: s.post("/eventHandlers/removeScheduledByPhones", {"phones": phones(1)})] * 2)
        if a.status_code == 400
    ),
    # Incoming webhooks (AUTODIAL_ADD / AUTODIAL_REMOVE)
    "Token not found": webhook(token="not-the-token"),
    "Action not found": webhook(action="AUTODIAL_EXPLODE"),
    "Id is null": webhook(id=""),
    "Autodial not found": webhook(id="987654"),
    "Empty phones": webhook(phones=""),
    "Phones not added": webhook(phones=phones(1)[0]),
    "Calls not found": webhook(action="AUTODIAL_REMOVE", phones="380501112233"),
    # /message/send, /message/sendBulk, /message/getStatus
    "Message service not connected": switched("messageServiceConnected", lambda s: s.post("/message/send", SMS)),
    "Validation error": lambda s: s.post("/message/send", {**SMS, "to": "12"}),
    "UniTalk did not allow sending": switched("fundsSufficient", lambda s: s.post("/message/send", SMS)),
    "Service response": switched("messageProviderAccepting", lambda s: s.post("/message/send", SMS)),
    "Unknown error": switched("messageProviderReachable", lambda s: s.post("/message/send", SMS)),
    "messagesType is null": send_bulk(),
    "Messages not specified": send_bulk(messagesType="SMS"),
    "Too many messages": send_bulk(messagesType="SMS", messages=dict.fromkeys(phones(101), "Hi")),
    "messages is empty": send_bulk(messagesType="SMS", messages={}),
    "messages contains null key": send_bulk(messagesType="SMS", messages={" ": "Hi"}),
    "messages contains null value": send_bulk(messagesType="SMS", messages={"380971234567": None}),
    "Too many recipients": send_bulk(messagesType="SMS", recipients=phones(101), text="Hi"),
    "recipients is empty": send_bulk(messagesType="SMS", recipients=[], text="Hi"),
    "recipients contains null": send_bulk(messagesType="SMS", recipients=[None], text="Hi"),
    "text is null or empty": send_bulk(messagesType="SMS", recipients=phones(1)),
    "Invalid id": lambda s: s.post("/message/getStatus", params={"id": "x"}),
    "Message not found": lambda s: s.post("/message/getStatus", params={"id": "987654"}),
    # /messageDistribution/*
    "The project does not have a messaging service connected": switched("messageServiceConnected", lambda s: s.post("/messageDistribution/create", DISTRIBUTION)),
    "The name cannot be empty or contain more than 45 characters": lambda s: s.post("/messageDistribution/create", {**DISTRIBUTION, "name": ""}),
    "The name already exists": lambda s: [s.post("/messageDistribution/create", DISTRIBUTION) for _ in range(2)][1],
    "No customer numbers are listed": lambda s: s.post("/messageDistribution/create", {**DISTRIBUTION, "numbers": []}),
    "There can be no more than 10000 numbers in the message distribution": lambda s: s.post("/messageDistribution/create", {**DISTRIBUTION, "numbers": phones(10_001)}),
    "Incorrect time format": lambda s: s.post("/messageDistribution/create", {**DISTRIBUTION, "startTime": "tomorrow"}),
    "id is not specified": lambda s: s.post("/messageDistribution/remove"),
    "Message distribution not found": lambda s: s.post("/messageDistribution/remove", params={"id": "987654"}),
    "Message distribution completed": completed_distribution,
    # /widget/*
    "No users was specified for notifications send": lambda s: s.post("/widget/sendNotification", {"data": SEND["data"]}),
    "User with id *xxxx* not found": lambda s: s.post("/widget/sendNotification", {**SEND, "userIds": [1]}),
    "Data fields is all null": lambda s: s.post("/widget/sendNotification", {**SEND, "data": {}}),
    "No users with connected chrome extension was found": switched("browserExtensionConnected", lambda s: s.post("/widget/sendNotification", SEND)),
    "No users was specified for notifications hide": lambda s: s.post("/widget/hideNotification", {"notificationId": 1}),
    "NotificationId not specified": lambda s: s.post("/widget/hideNotification", {"userIds": [USER]}),
    "The specified users are not found or chrome extension not connected": lambda s: s.post("/widget/hideNotification", {"userIds": [1], "notificationId": 1}),
}  # fmt: skip

PER_ITEM = {  # /audio/tts answers Success with these in each item's `error`
    "type is null", "Name is empty", "Name length more than 200 chars", "Same name already present",
    "tts is null", "Text to speech ‘text’ and ‘ssml’ is null", "Text to speech ‘text’ not valid",
    "Text to speech ‘ssml’ not valid", "Text to speech ‘settingsId’ is null",
    "Text to speech settings not found by id", "Text to speech failed",
}  # fmt: skip


def documented() -> set[str]:
    skipped = {
        "specified line is offline or busy",
        "Method can also be used by passing url parametes instead of body",
    }
    return (reference_messages() | IRREGULAR) - skipped


def matches(documented: str, answered: str) -> bool:
    """The answer is the documented text; `…`, `*xxxx*` and a bare "compositeAudio" stand for a detail."""
    if documented == "compositeAudio":
        return answered.startswith("compositeAudio: ")
    if documented == "Service response":  # "Service response. Possible causes: ..."
        return answered.startswith("Service response: ")
    pattern = re.escape(documented).replace("…", r".+").replace(r"\*xxxx\*", r"\d+")
    return re.fullmatch(pattern, answered) is not None


def test_every_documented_error_has_a_case() -> None:
    assert set(CASES) == documented()


@pytest.mark.parametrize("message", sorted(CASES))
def test_the_documented_error_is_answered(sandbox: Sandbox, message: str) -> None:
    cases = CASES[message]
    for case in cases if isinstance(cases, tuple) else (cases,):
        sandbox.reset()
        answer = case(sandbox)
        body = answer.json()
        if message in PER_ITEM:
            assert answer.status_code == 200 and body["status"] == "Success", body
            assert body["data"][0]["error"] == message, body
        else:
            assert body["status"] == "Error", body
            assert matches(message, body["message"]), body


def test_the_start_up_flags_and_the_auth_answer() -> None:
    flags = [
        "--phone-not-confirmed",
        "--no-limits",
        "--auth-error-status",
        "200",
        "--webhook-token",
        "tok-42",
    ]
    for sandbox in start("--admin", *flags):
        refused = sandbox.task()
        assert refused.json()["message"] == "Please confirm phone number"
        wrong_key = sandbox.http.post(
            sandbox.api + "/users/list", headers={"Authorization": "wrong"}
        )
        assert (wrong_key.status_code, wrong_key.json()["message"]) == (
            200,
            "Authorization invalid",
        )
        assert sandbox.token == "tok-42"
        assert sandbox.http.get(f"{sandbox.admin}/incoming-webhook").json()["token"] == "tok-42"
        assert sandbox.http.get(f"{sandbox.admin}/account").json()["phoneConfirmed"] is False


def test_the_seeded_ids_the_cases_use_exist(sandbox: Sandbox) -> None:
    def ids(kind: str) -> set[int]:
        return {int(key) for key in sandbox.ok("/dictionary", params={"type": kind})["data"]}

    assert {SCENARIO} <= ids("IN_SCENARIO")
    assert {SIP_GROUP, GSM_GROUP} <= ids("PHONE_GROUP")
    assert {TTS_PROFILE} <= ids("TTS_PROFILE")
    assert {SECRETARY} <= ids("VOICE_ROBOT")
    assert {IVR} <= ids("IVR")
    assert {GENERAL_AUDIO} <= ids("AUDIO_GENERAL") and {MELODY_AUDIO} <= ids("AUDIO_MELODY")
    assert {API_AUDIO} <= ids("AUDIO_API")
    assert {TELEGRAM, OTHER_TELEGRAM, WEBHOOK, SMS_ON_CALLS, EMAIL} <= ids("TRIGGER_ACTION")
    assert {ANALYTICS_PROFILE} <= ids("VOICE_ANALYTICS_PROFILE")
    assert {USER} <= ids("USER")
