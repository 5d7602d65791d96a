#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The ssm CLI's document commands, end to end, on memory: (each run a fresh
store) and on a sqlite: file (state kept between runs).

usage: document_cli.py PATH/TO/ssm DATA_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

failures = []


def run(ssm, env, *args, stdin=None, expect=0):
    r = subprocess.run([ssm, *args], env=env, input=stdin,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != expect:
        failures.append(f"{' '.join(args)}: exit {r.returncode}, expected "
                        f"{expect}; stderr: {r.stderr.strip()}")
    return r


def check(cond, what):
    if not cond:
        failures.append(what)


def local_commands(ssm, env, data, d):
    """validate and render need no store."""
    r = run(ssm, env, "document", "validate", f"{data}/spec-command-2.2.yaml")
    check(r.stdout.strip() == f"{data}/spec-command-2.2.yaml: valid Command "
          "document, schema 2.2, 1 parameter, 2 steps (Windows,Linux,MacOS)",
          f"validate: {r.stdout!r}")
    bad = os.path.join(d, "bad.yaml")
    with open(bad, "w") as f:
        f.write("schemaVersion: '2.2'\n"
                "mainSteps:\n"
                "  - action: aws:runShellScript\n"
                "    name: a\n"
                "    inputs: {runCommand: 5}\n"
                "  - action: aws:nope\n"
                "    name: b\n")
    r = run(ssm, env, "document", "validate", bad, expect=1)
    lines = r.stderr.strip().splitlines()
    check(lines == [
        f"{bad}: line 5, column 26: step 'a': mainSteps[0].inputs.runCommand:"
        " expected a string or a list of strings, found a number "
        "(InvalidDocumentContent)",
        f"{bad}: line 6, column 13: step 'b': mainSteps[1].action: unknown "
        "action 'aws:nope' (not a plugin of Command documents) "
        "(InvalidDocumentContent)"], f"validate bad: {lines!r}")
    r = run(ssm, env, "--output", "json", "document", "validate", bad,
            expect=1)
    out = json.loads(r.stdout)
    check(out["Valid"] is False and len(out["Problems"]) == 2
          and out["Problems"][0]["Line"] == 5
          and out["Problems"][1]["Step"] == "b", f"json validate: {out}")
    r = run(ssm, env, "document", "render", f"{data}/spec-command-1.2.json",
            "--parameters", "commands=uptime", "--parameters",
            "commands=df -h")
    plan = json.loads(r.stdout)
    check(plan["Steps"][0]["Inputs"]["runCommand"] == ["uptime", "df -h"],
          f"render: {plan}")
    r = run(ssm, env, "document", "render", f"{data}/spec-command-2.2.yaml",
            "--platform", "windows")
    plan = json.loads(r.stdout)
    check([s["State"] for s in plan["Steps"]] == ["Skip", "Run"],
          f"render windows: {plan}")
    r = run(ssm, env, "document", "render", f"{data}/spec-env-var.json",
            "--parameters-json", '{"Message": "hi; id"}')
    plan = json.loads(r.stdout)
    check(plan["Environment"] == {"SSM_Message": "hi; id"}
          and plan["Steps"][0]["Inputs"]["runCommand"]
          == ['echo "${SSM_Message}"'], f"render env: {plan}")
    r = run(ssm, env, "document", "render", f"{data}/spec-env-var.json",
            "--parameters", 'Message=say "x"', expect=1)
    check("(InvalidParameters)" in r.stderr and "allowed pattern" in r.stderr,
          f"render pattern: {r.stderr!r}")
    r = run(ssm, env, "document", "render", f"{data}/spec-command-1.2.json",
            expect=1)
    check('missing required parameter "commands" (InvalidParameters)'
          in r.stderr, f"render missing: {r.stderr!r}")
    run(ssm, env, "document", "validate", expect=2)
    run(ssm, env, "document", "render", "x", "--platform", "BSD", expect=2)


def store_commands(ssm, env, data, d, persistent):
    """The store operations (across runs only when the store persists)."""
    r = run(ssm, env, "document", "list", "--filter", "Owner=Amazon")
    names = [line.split()[0] for line in r.stdout.splitlines()[1:]]
    check("AWS-RunShellScript" in names and "AWS-StartSSHSession" in names,
          f"list builtins: {names}")
    r = run(ssm, env, "--output", "json", "document", "describe",
            "AWS-RunShellScript")
    desc = json.loads(r.stdout)["Document"]
    check(desc["Owner"] == "Amazon" and desc["SchemaVersion"] == "1.2"
          and [p["Name"] for p in desc["Parameters"]]
          == ["commands", "workingDirectory", "executionTimeout"],
          f"describe builtin: {desc}")
    r = run(ssm, env, "document", "get", "AWS-StartSSHSession", "--format",
            "json")
    check(json.loads(r.stdout)["sessionType"] == "Port", f"get: {r.stdout!r}")
    r = run(ssm, env, "document", "render", "--name", "AWS-RunShellScript",
            "--parameters", "commands=whoami")
    plan = json.loads(r.stdout)
    check(plan["Steps"][0]["Inputs"]["runCommand"] == ["whoami"],
          f"render stored: {plan}")
    r = run(ssm, env, "document", "create", "cli-doc",
            f"{data}/spec-command-2.2.yaml", "--version-name", "first",
            "--tag", "team=core")
    check(r.stdout.startswith("cli-doc version 1 ("), f"create: {r.stdout!r}")
    r = run(ssm, env, "document", "create", "AWS-mine",
            f"{data}/spec-command-2.2.yaml", expect=1)
    check("Invalid document name AWS-mine (ValidationException)" in r.stderr,
          f"reserved: {r.stderr!r}")
    if not persistent:
        return
    r = run(ssm, env, "document", "create", "cli-doc",
            f"{data}/spec-command-2.2.yaml", expect=1)
    check("The specified document already exists. (DocumentAlreadyExists)"
          in r.stderr, f"exists: {r.stderr!r}")
    r = run(ssm, env, "document", "update", "cli-doc",
            f"{data}/spec-command-2.2.yaml", expect=1)
    check("(DuplicateDocumentContent)" in r.stderr, f"dup: {r.stderr!r}")
    r = run(ssm, env, "--output", "json", "document", "update", "cli-doc",
            f"{data}/spec-env-var.json", "--version-name", "second")
    desc = json.loads(r.stdout)["DocumentDescription"]
    check(desc["DocumentVersion"] == "2" and desc["DefaultVersion"] == "1"
          and desc["DocumentFormat"] == "JSON", f"update: {desc}")
    r = run(ssm, env, "document", "versions", "cli-doc")
    rows = [line.split() for line in r.stdout.splitlines()[1:]]
    check([row[0] for row in rows] == ["1", "2"] and rows[0][1] == "yes",
          f"versions: {rows}")
    r = run(ssm, env, "document", "get", "cli-doc", "--version-name",
            "second", "--format", "yaml")
    check("interpolationType: ENV_VAR" in r.stdout, f"get yaml: {r.stdout!r}")
    run(ssm, env, "document", "set-default-version", "cli-doc", "2")
    r = run(ssm, env, "document", "describe", "cli-doc")
    check("Version:         2 (latest 2, default 2)" in r.stdout
          and "Tag:             team=core" in r.stdout,
          f"describe: {r.stdout!r}")
    r = run(ssm, env, "document", "delete", "cli-doc", "--document-version",
            "2", expect=1)
    check("Default version of the document can't be deleted. "
          "(InvalidDocumentOperation)" in r.stderr, f"delete: {r.stderr!r}")
    run(ssm, env, "document", "permissions", "cli-doc", "--add",
        "111122223333")
    r = run(ssm, env, "--output", "json", "document", "permissions",
            "cli-doc")
    check(json.loads(r.stdout)["AccountIds"] == ["111122223333"],
          f"permissions: {r.stdout!r}")
    run(ssm, env, "document", "permissions", "cli-doc", "--remove",
        "111122223333")
    r = run(ssm, env, "document", "tag", "cli-doc", "--add", "env=prod",
            "--remove", "team")
    check(r.stdout.strip() == "env=prod", f"tag: {r.stdout!r}")
    r = run(ssm, env, "--output", "json", "document", "list", "--filter",
            "Owner=Self", "--filter", "Name=cli-")
    ids = json.loads(r.stdout)["DocumentIdentifiers"]
    check([i["Name"] for i in ids] == ["cli-doc"]
          and ids[0]["DocumentVersion"] == "2", f"list json: {ids}")
    run(ssm, env, "document", "delete", "cli-doc")
    r = run(ssm, env, "document", "describe", "cli-doc", expect=1)
    check("The specified document does not exist. (InvalidDocument)"
          in r.stderr, f"gone: {r.stderr!r}")


def main():
    ssm, data = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ)
        env.pop("SSM_ENDPOINT", None)
        env["SSM_STATE_DIR"] = d
        env["SSM_STORE"] = "memory:"
        local_commands(ssm, env, data, d)
        store_commands(ssm, env, data, d, False)
        env["SSM_STORE"] = f"sqlite://{d}/state.db"
        store_commands(ssm, env, data, d, True)
    for f in failures:
        print("FAIL:", f)
    print(f"{'ok' if not failures else 'FAILED'}: document CLI")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
