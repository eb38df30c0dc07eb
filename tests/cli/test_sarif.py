#!/usr/bin/env python3
"""`vigil check --format sarif` validates against SARIF 2.1.0 with Microsoft's validator (schema and
SARIF's own rules), with findings and without."""
import json
import os
import subprocess
import sys
import tempfile

vigil, validator, repo = (os.path.abspath(a) for a in sys.argv[1:4])


def validate(sarif_path):
    out = sarif_path + ".validation.sarif"
    proc = subprocess.run([validator, "validate", sarif_path, "-o", out], capture_output=True, text=True)
    if proc.returncode != 0 or not os.path.exists(out):
        raise SystemExit("FAIL validator did not run: %s %s" % (proc.stdout, proc.stderr))
    with open(out) as f:
        log = json.load(f)
    problems = [r for run in log["runs"] for r in run.get("results", [])]
    errors = [r for r in problems if r.get("level", "warning") == "error"]
    for r in problems:
        print("  %s %s: %s" % (r.get("level", "warning"), r.get("ruleId"), r["message"].get("text", r["message"].get("id"))))
    return errors


with tempfile.TemporaryDirectory() as tmp:
    # A project with a finding, a clean file, and a path that needs escaping.
    os.makedirs(os.path.join(tmp, "src dir"))
    with open(os.path.join(tmp, "src dir", "app.py"), "w") as f:
        f.write("def run(expr):\n    return eval(expr)\n")
    with open(os.path.join(tmp, "clean.py"), "w") as f:
        f.write("print('hello')\n")
    os.makedirs(os.path.join(tmp, ".git"))
    sarif = os.path.join(tmp, "out.sarif")
    code = subprocess.run([vigil, "check", tmp, "--format", "sarif", "--output", sarif]).returncode
    assert code == 1, "expected exit 1 with findings, got %d" % code
    with open(sarif) as f:
        log = json.load(f)
    results = log["runs"][0]["results"]
    assert any(r["ruleId"] == "py-eval-injection" for r in results), results
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "src%20dir/app.py", loc
    assert loc["region"]["startLine"] == 2 and loc["region"]["startColumn"] == 12, loc
    errors = validate(sarif)
    assert not errors, "%d validation errors" % len(errors)

    clean = os.path.join(tmp, "clean.sarif")
    code = subprocess.run([vigil, "check", os.path.join(tmp, "clean.py"), "--format", "sarif", "-o", clean]).returncode
    assert code == 0, "expected exit 0 on a clean file, got %d" % code
    errors = validate(clean)
    assert not errors, "%d validation errors (clean run)" % len(errors)

    # Fixes, suppressions with their justification, provenance, help in markdown; shards merged.
    proj = os.path.join(tmp, "proj")
    os.makedirs(proj)
    git = ["git", "-c", "user.name=Ann", "-c", "user.email=ann@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(git + ["init", "-q"], cwd=proj, check=True)
    with open(os.path.join(proj, "net.py"), "w") as f:
        f.write("import requests\nimport yaml\n\ndef get(url):\n    return requests.get(url, verify=False)\n\n"
                "def load(text):\n    # vigil-ignore: py-yaml-unsafe-load -- the text is our own config file\n"
                "    return yaml.load(text, Loader=yaml.Loader)\n")
    with open(os.path.join(proj, "run.py"), "w") as f:
        f.write("def run(expr):\n    return eval(expr)\n")
    subprocess.run(git + ["add", "."], cwd=proj, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"], cwd=proj, check=True)
    full = os.path.join(tmp, "full.sarif")
    subprocess.run([vigil, "check", proj, "--format", "sarif", "-o", full])
    with open(full) as f:
        log = json.load(f)
    run = log["runs"][0]
    results = run["results"]
    fixed = [r for r in results if r.get("fixes")]
    assert fixed and fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], results
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == 1 and suppressed[0]["suppressions"][0]["justification"] == "the text is our own config file", suppressed
    assert suppressed[0]["suppressions"][0]["kind"] == "inSource", suppressed
    assert all(r["partialFingerprints"]["vigilFingerprint/v1"] for r in results), results
    prov = [r["properties"]["provenance"] for r in results if "provenance" in r.get("properties", {})]
    assert prov and all(p == {"origin": "ai", "evidence": "git-trailer", "tool": "claude"} for p in prov), results
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    help_md = rules["py-eval-injection"]["help"]["markdown"]
    assert "**Constraint:**" in help_md and "[CWE-95](https://cwe.mitre.org/data/definitions/95.html)" in help_md, help_md
    assert run["automationDetails"]["id"] == "vigil/", run.get("automationDetails")
    errors = validate(full)
    assert not errors, "%d validation errors (fixes, suppressions)" % len(errors)
    parts = []
    for k in (1, 2):
        part = os.path.join(tmp, "part%d.sarif" % k)
        subprocess.run([vigil, "check", proj, "--format", "sarif", "--shard", "%d/2" % k, "-o", part])
        with open(part) as f:
            assert json.load(f)["runs"][0]["automationDetails"]["id"] == "vigil/shard-%d-of-2/" % k
        errors = validate(part)
        assert not errors, "%d validation errors (shard %d)" % (len(errors), k)
        parts.append(part)
    merged = subprocess.run([vigil, "report", "merge"] + parts, capture_output=True, text=True)
    with open(full) as f:
        assert merged.returncode == 0 and merged.stdout == f.read(), "merged shards differ from the single run"

    # The bundled examples too, when present.
    examples = os.path.join(repo, "examples")
    if os.path.isdir(examples):
        ex = os.path.join(tmp, "examples.sarif")
        subprocess.run([vigil, "check", examples, "--format", "sarif", "-o", ex])
        errors = validate(ex)
        assert not errors, "%d validation errors (examples)" % len(errors)
        # With verdicts (--validate): properties.validation, kind, and refuted results as notes.
        proj = os.path.join(tmp, "validated")
        os.makedirs(os.path.join(proj, ".vigil"))
        with open(os.path.join(proj, "lookalikes.py"), "w") as f, open(os.path.join(repo, "tests", "fixtures", "validation", "lookalikes.py")) as src:
            f.write(src.read())
        vx = os.path.join(tmp, "validated.sarif")
        subprocess.run([vigil, "check", examples, proj, "--validate", "--format", "sarif", "-o", vx], cwd=proj)
        with open(vx) as f:
            statuses = {r["properties"]["validation"]["status"] for r in json.load(f)["runs"][0]["results"]}
        assert {"confirmed", "refuted"} <= statuses, statuses
        errors = validate(vx)
        assert not errors, "%d validation errors (examples with --validate)" % len(errors)
print("PASS sarif")
