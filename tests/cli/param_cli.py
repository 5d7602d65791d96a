#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The ssm CLI's param and key commands, end to end on a fresh sqlite store.

usage: param_cli.py PATH/TO/ssm
"""
import json
import os
import subprocess
import sys
import tempfile

SECRET = "cli-S3cr3t-Marker-0815"
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


def main():
    ssm = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ)
        env.pop("SSM_ENDPOINT", None)
        env.pop("SSM_KEYRING", None)
        env["SSM_STORE"] = f"sqlite://{d}/state.db"

        r = run(ssm, env, "param", "put", "/app/db/host", "db1",
                "--type", "String", "--description", "the host",
                "--tag", "team=core")
        check(r.stdout.strip() == "version 1 (Standard)", f"put: {r.stdout!r}")
        r = run(ssm, env, "param", "put", "/app/db/host", "db2", expect=1)
        check("(ParameterAlreadyExists)" in r.stderr, f"exists: {r.stderr!r}")
        run(ssm, env, "param", "put", "/app/db/host", "db2", "--overwrite")
        run(ssm, env, "param", "put", "/app/db/pw", "-", "--type",
            "SecureString", stdin=SECRET + "\n")
        run(ssm, env, "param", "put", "/app/list", "a,b", "--type",
            "StringList", "--tier", "Advanced", "--allowed-pattern",
            "^[a-z,]+$")
        r = run(ssm, env, "param", "put", "/app/list", "A", "--overwrite",
                expect=1)
        check("ParameterPatternMismatchException" in r.stderr, r.stderr)
        r = run(ssm, env, "param", "put", "/aws/x", "v", "--type", "String",
                expect=1)
        check("(AccessDeniedException)" in r.stderr, r.stderr)
        run(ssm, env, "param", "put", "x", "v", "--type", "Integer",
            expect=2)

        r = run(ssm, env, "param", "get", "/app/db/host")
        check(r.stdout == "db2\n", f"get: {r.stdout!r}")
        r = run(ssm, env, "param", "get", "/app/db/host:1")
        check(r.stdout == "db1\n", f"get :1: {r.stdout!r}")
        r = run(ssm, env, "param", "get", "/app/db/pw")
        check(SECRET not in r.stdout and len(r.stdout) > 60,
              "SecureString printed without --with-decryption")
        r = run(ssm, env, "param", "get", "--with-decryption", "/app/db/pw")
        check(r.stdout == SECRET + "\n", f"decrypt: {r.stdout!r}")
        r = run(ssm, env, "--output", "json", "param", "get",
                "/app/db/host", "/app/none")
        doc = json.loads(r.stdout)
        check(doc["Parameters"][0]["Value"] == "db2", str(doc))
        check(doc["InvalidParameters"] == ["/app/none"], str(doc))
        r = run(ssm, env, "param", "get", "/app/none", expect=1)
        check("Parameter /app/none not found. (ParameterNotFound)"
              in r.stderr, r.stderr)

        r = run(ssm, env, "--output", "json", "param", "get-by-path",
                "/app", "--recursive", "--with-decryption")
        names = [p["Name"] for p in json.loads(r.stdout)["Parameters"]]
        check(names == ["/app/db/host", "/app/db/pw", "/app/list"],
              f"by path: {names}")
        r = run(ssm, env, "--output", "json", "param", "get-by-path", "/app")
        names = [p["Name"] for p in json.loads(r.stdout)["Parameters"]]
        check(names == ["/app/list"], f"one level: {names}")
        r = run(ssm, env, "--output", "json", "param", "get-by-path",
                "/app", "--recursive", "--type", "SecureString")
        names = [p["Name"] for p in json.loads(r.stdout)["Parameters"]]
        check(names == ["/app/db/pw"], f"type filter: {names}")

        r = run(ssm, env, "--output", "json", "param", "describe",
                "--filter", "Name:BeginsWith=/app/db")
        meta = json.loads(r.stdout)["Parameters"]
        check([p["Name"] for p in meta] == ["/app/db/host", "/app/db/pw"],
              f"describe: {meta}")
        check(meta[0]["Description"] == "the host" and "Value" not in meta[0],
              f"describe metadata: {meta[0]}")
        check(meta[1]["KeyId"] == "alias/aws/ssm", f"key id: {meta[1]}")
        r = run(ssm, env, "param", "describe", "--filter", "Label=x",
                expect=1)
        check("(InvalidFilterKey)" in r.stderr, r.stderr)

        r = run(ssm, env, "--output", "json", "param", "label",
                "/app/db/host", "prod", "1bad", "--version", "1")
        doc = json.loads(r.stdout)
        check(doc == {"InvalidLabels": ["1bad"], "ParameterVersion": 1},
              str(doc))
        r = run(ssm, env, "param", "get", "/app/db/host:prod")
        check(r.stdout == "db1\n", r.stdout)
        r = run(ssm, env, "--output", "json", "param", "history",
                "/app/db/host")
        hist = json.loads(r.stdout)["Parameters"]
        check([h["Version"] for h in hist] == [1, 2], str(hist))
        check(hist[0]["Labels"] == ["prod"], str(hist[0]))
        r = run(ssm, env, "--output", "json", "param", "unlabel",
                "/app/db/host", "--version", "1", "prod", "nope")
        doc = json.loads(r.stdout)
        check(doc == {"RemovedLabels": ["prod"], "InvalidLabels": ["nope"]},
              str(doc))

        r = run(ssm, env, "param", "tag", "/app/db/host", "env=dev")
        check(r.stdout == "env=dev\nteam=core\n", f"tags: {r.stdout!r}")
        r = run(ssm, env, "--output", "json", "param", "tag", "--remove",
                "/app/db/host", "team")
        check(json.loads(r.stdout) == {"TagList": [{"Key": "env",
                                                    "Value": "dev"}]},
              r.stdout)

        r = run(ssm, env, "key", "create", "--alias", "alias/app",
                "--description", "app key")
        key_id = r.stdout.strip()
        check(len(key_id) == 36, f"key id {key_id!r}")
        run(ssm, env, "param", "put", "/app/k", "v", "--type",
            "SecureString", "--key-id", "alias/app")
        r = run(ssm, env, "param", "put", "/app/k2", "v", "--type",
                "SecureString", "--key-id", "alias/none", expect=1)
        check("(InvalidKeyId)" in r.stderr, r.stderr)
        r = run(ssm, env, "--output", "json", "key", "list")
        keys = json.loads(r.stdout)["Keys"]
        aliases = sorted(a for k in keys for a in k["Aliases"])
        check(aliases == ["alias/app", "alias/aws/ssm"], str(keys))
        r = run(ssm, env, "--output", "json", "key", "rotate", "alias/app")
        check(json.loads(r.stdout)["RewrappedCount"] == 2, r.stdout)
        r = run(ssm, env, "param", "get", "--with-decryption", "/app/k")
        check(r.stdout == "v\n", r.stdout)
        r = run(ssm, env, "key", "rotate", "alias/none", expect=1)
        check("(NotFoundException)" in r.stderr, r.stderr)

        r = run(ssm, env, "--output", "json", "param", "delete",
                "/app/db/host", "/app/none")
        doc = json.loads(r.stdout)
        check(doc == {"DeletedParameters": ["/app/db/host"],
                      "InvalidParameters": ["/app/none"]}, str(doc))
        run(ssm, env, "param", "delete", "/app/db/host", expect=1)

        ring = os.path.join(d, "state.db.keyring")
        check(os.stat(ring).st_mode & 0o777 == 0o600, "keyring mode")
        for name in os.listdir(d):
            with open(os.path.join(d, name), "rb") as f:
                check(SECRET.encode() not in f.read(),
                      f"the secret is in {name} in plain text")

        run(ssm, env, "param", expect=2)
        run(ssm, env, "param", "frobnicate", expect=2)
        run(ssm, env, "key", "rotate", expect=2)

    for f in failures:
        print("FAIL:", f)
    print(f"param_cli: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
