#!/usr/bin/env python3
"""Malformed input never kills the server: valid messages with their fields replaced by values of
the wrong type, truncated bodies and random bytes, then a request that must still be answered."""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import run_scenario  # noqa: E402

URI = "file:///tmp/robust.py"
TEMPLATES = [
    {"jsonrpc": "2.0", "method": "textDocument/didOpen",
     "params": {"textDocument": {"uri": URI, "languageId": "python", "version": 1, "text": "eval(x)\n"}}},
    {"jsonrpc": "2.0", "method": "textDocument/didChange",
     "params": {"textDocument": {"uri": URI, "version": 2},
                "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
                                    "text": "exec"}]}},
    {"jsonrpc": "2.0", "id": 7, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": URI}}},
    {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": URI}}},
    {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 7}},
]
WRONG = [None, True, -1, 2 ** 40, 1.5, "", "x" * 3, [], {}, [1, "a"], {"line": -5, "character": "z"}]


def mutate(value, rng):
    """A copy of `value` with one leaf or subtree replaced by a value of a wrong type."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        out = dict(value)
        if rng.random() < 0.15:
            del out[key]
        else:
            out[key] = mutate(value[key], rng)
        return out
    if isinstance(value, list) and value and rng.random() < 0.8:
        out = list(value)
        i = rng.randrange(len(out))
        out[i] = mutate(out[i], rng)
        return out
    return rng.choice(WRONG)


def robustness(client):
    rng = random.Random(1234)
    client.response(client.request("initialize", {"capabilities": {}}))
    for round_ in range(40):
        for _ in range(15):
            kind = rng.random()
            msg = mutate(rng.choice(TEMPLATES), rng)
            if kind < 0.7:
                client.send(msg)
            elif kind < 0.85:
                body = json.dumps(msg).encode()
                cut = body[: rng.randrange(1, len(body))]
                client.send_raw(b"Content-Length: %d\r\n\r\n" % len(cut) + cut)
            else:
                junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
                client.send_raw(b"Content-Length: %d\r\n\r\n" % len(junk) + junk)
        # After each round the server still answers, and with the right id.
        rid = client.request("textDocument/diagnostic", {"textDocument": {"uri": "file:///tmp/none.py"}})
        reply = client.response(rid, timeout=10)
        assert reply.get("result", {}).get("kind") == "full", reply
        assert client.proc.poll() is None, "server died in round %d" % round_
    return "600 malformed messages, server answered after every round"


if __name__ == "__main__":
    sys.exit(run_scenario("robustness", os.path.abspath(sys.argv[1]), robustness))
