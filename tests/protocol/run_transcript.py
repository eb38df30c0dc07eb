#!/usr/bin/env python3
"""Runs a protocol transcript against the real `vigil` binary over pipes.

A transcript is a sequence of blocks separated by lines holding only `---`. Lines starting with
`#` are comments. A block starts with a directive:

  file: PATH            the rest of the block is written to PATH in the test's workspace
  --> JSON              send the message (JSON may span lines)
  --> frame: TEXT       send TEXT as the body of a well-framed message (not necessarily JSON)
  --> raw: TEXT         send TEXT as it is; \\r and \\n are unescaped
  <-- JSON              wait for a message holding JSON (see lsp_client.subset), skipping others
  <== JSON              the very next message must hold JSON
  close-stdin           close the server's input
  exit-code: N          the server must exit with code N

`${ROOT}` is the workspace directory, `${ROOT_URI}` its file:// URI.
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, subset  # noqa: E402


def blocks(text):
    current = []
    for line in text.splitlines():
        if line.strip() == "---":
            yield "\n".join(current)
            current = []
        elif not line.startswith("#"):
            current.append(line)
    yield "\n".join(current)


def main():
    binary, transcript = os.path.abspath(sys.argv[1]), sys.argv[2]
    root = tempfile.mkdtemp(prefix="vigil-protocol-")
    with open(transcript, encoding="utf-8") as f:
        text = f.read().replace("${ROOT_URI}", "file://" + root).replace("${ROOT}", root)
    client = None
    step = 0
    try:
        for block in blocks(text):
            block = block.strip("\n")
            if not block.strip():
                continue
            step += 1
            head, _, rest = block.partition("\n")
            if head.startswith("file:"):
                path = os.path.join(root, head[5:].strip())
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as out:
                    out.write(rest + "\n")
                continue
            if client is None:
                client = Client([binary, "lsp", "--log-level", "debug"], cwd=root)
            if head.startswith("--> frame:"):
                body = (head[len("--> frame:"):].strip() + rest).encode("utf-8")
                client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            elif head.startswith("--> raw:"):
                raw = (head[len("--> raw:"):].strip() + rest).replace("\\r", "\r").replace("\\n", "\n")
                client.send_raw(raw.encode("utf-8"))
            elif head.startswith("-->"):
                client.send(json.loads(block[3:]))
            elif head.startswith("<--") or head.startswith("<=="):
                expected = json.loads(block[3:])
                skipped = []
                if head.startswith("<=="):
                    got = client.recv()
                    if got is None or not subset(expected, got):
                        raise AssertionError("step %d: expected %s\n  got %s" % (step, json.dumps(expected), json.dumps(got)))
                else:
                    try:
                        client.wait_for(lambda m: subset(expected, m), skipped=skipped)
                    except (TimeoutError, EOFError) as e:
                        seen = "\n    ".join(json.dumps(m) for m in skipped) or "(nothing)"
                        raise AssertionError("step %d: expected %s (%s)\n  seen instead:\n    %s" % (step, json.dumps(expected), e, seen))
            elif head.strip() == "close-stdin":
                client.close_stdin()
            elif head.startswith("exit-code:"):
                want = int(head.split(":", 1)[1])
                got = client.wait_exit()
                if got != want:
                    raise AssertionError("step %d: exit code %d, expected %d" % (step, got, want))
            else:
                raise SystemExit("%s: unknown directive %r" % (transcript, head))
        print("PASS %s (%d steps)" % (os.path.basename(transcript), step))
        return 0
    except AssertionError as e:
        print("FAIL %s\n  %s" % (os.path.basename(transcript), e))
        if client:
            print("  server stderr (tail):\n    " + "    ".join(client.stderr_lines[-20:]))
        return 1
    finally:
        if client:
            client.kill()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
