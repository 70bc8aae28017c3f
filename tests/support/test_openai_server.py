"""The scripted OpenAI-compatible server answers the real client the way its script says."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

from support.openai_server import (
    Reply,
    ScriptedOpenAIServer,
    error_reply,
    text_reply,
    tool_call_reply,
)

MESSAGES: list[Any] = [{"role": "user", "content": "hello there"}]


def _client(server: ScriptedOpenAIServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)


def test_a_list_script_is_answered_in_order_then_fails_loudly() -> None:
    script: list[Reply | str] = [text_reply("first"), "second"]
    with ScriptedOpenAIServer(script) as server:
        client = _client(server)
        answers = [
            client.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content
            for _ in range(2)
        ]
        with pytest.raises(openai.InternalServerError, match="no reply left"):
            client.chat.completions.create(model="m", messages=MESSAGES)
    assert answers == ["first", "second"]
    assert len(server.requests) == 3
    assert server.requests[0]["messages"] == MESSAGES


def test_a_callable_script_sees_the_request() -> None:
    def script(body: dict[str, Any]) -> Reply:
        return text_reply(f"{body['model']}:{len(body['messages'])}", prompt_tokens=11)

    with ScriptedOpenAIServer(script) as server:
        reply = _client(server).chat.completions.create(model="judge-1", messages=MESSAGES)
    assert reply.choices[0].message.content == "judge-1:1"
    assert reply.usage is not None
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (11, 1)


def test_without_a_script_the_server_echoes_the_last_user_message() -> None:
    with ScriptedOpenAIServer() as server:
        reply = _client(server).chat.completions.create(model="m", messages=MESSAGES)
    assert reply.choices[0].message.content == "echo: hello there"
    assert reply.usage is not None and reply.usage.total_tokens == 5


def test_tool_calls_stream_and_errors() -> None:
    script = [
        tool_call_reply("read_order", {"order_id": "o1"}, call_id="c9"),
        tool_call_reply("read_order", {"order_id": "o2"}),
        error_reply(429, "slow down"),
    ]
    with ScriptedOpenAIServer(script) as server:
        client = _client(server)
        plain = client.chat.completions.create(model="m", messages=MESSAGES)
        stream = client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        chunks = list(stream)
        with pytest.raises(openai.RateLimitError, match="slow down"):
            client.chat.completions.create(model="m", messages=MESSAGES)
    call = plain.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert (call.id, call.function.name, call.function.arguments) == (  # type: ignore[union-attr]
        "c9",
        "read_order",
        '{"order_id": "o1"}',
    )
    streamed = [c for chunk in chunks for c in chunk.choices[0].delta.tool_calls or []]
    assert streamed[0].function is not None
    assert streamed[0].function.arguments == '{"order_id": "o2"}'
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_unknown_routes_are_404() -> None:
    with ScriptedOpenAIServer() as server:
        response = httpx.post(f"{server.base_url}/embeddings", json={})
    assert response.status_code == 404
