#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Sum the results of every suite from meson's JSON test logs.

Each meson test counts by what it ran inside: cmocka's "[  PASSED  ] N
test(s)." / "[  FAILED  ] N test(s)" lines, pytest's summary line, go test's
"--- PASS"/"--- FAIL" lines. A test that printed none of these counts as one
case. A test that failed, crashed or timed out without reporting a failed
case counts one failure more, so a crash can never pass silently.

Prints one line per log, then the last line "N passed, M failed".
Exit status: 0 when nothing failed, 1 otherwise.
"""
import json
import re
import sys

CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test\(s\)\.", re.M)
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test\(s\)", re.M)
PYTEST = re.compile(r"^=+ (.*?) in [\d.]+s(?: \([^)]*\))? =+$", re.M)
GO_PASS = re.compile(r"^\s*--- PASS: ", re.M)
GO_FAIL = re.compile(r"^\s*--- FAIL: ", re.M)


def count(stdout):
    """(passed, failed, found) for one test's output."""
    passed = sum(int(n) for n in CMOCKA_PASSED.findall(stdout))
    failed = sum(int(n) for n in CMOCKA_FAILED.findall(stdout))
    found = bool(passed or failed or CMOCKA_PASSED.search(stdout))
    for summary in PYTEST.findall(stdout):
        found = True
        for part in summary.split(","):
            m = re.match(r"\s*(\d+) (\w+)", part)
            if not m:
                continue
            n, kind = int(m.group(1)), m.group(2)
            if kind == "passed":
                passed += n
            elif kind in ("failed", "error", "errors"):
                failed += n
    gp, gf = len(GO_PASS.findall(stdout)), len(GO_FAIL.findall(stdout))
    if gp or gf:
        found = True
        passed += gp
        failed += gf
    return passed, failed, found


def main(paths):
    total_p = total_f = 0
    for path in paths:
        lp = lf = 0
        try:
            lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
        except OSError as e:
            print(f"{path}: cannot read: {e}")
            total_f += 1
            continue
        for line in lines:
            if not line.strip():
                continue
            t = json.loads(line)
            result = t.get("result", "")
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            p, f, found = count(out)
            if result == "SKIP" and not found:
                continue
            if not found:
                p, f = (1, 0) if result in ("OK", "EXPECTEDFAIL") else (0, 1)
            elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and f == 0:
                f = 1  # crashed or timed out after passing cases
            lp += p
            lf += f
            if result not in ("OK", "EXPECTEDFAIL", "SKIP"):
                print(f"  failed: {t.get('name')} ({result})")
        print(f"{path}: {lp} passed, {lf} failed")
        total_p += lp
        total_f += lf
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
