# SPDX-License-Identifier: Apache-2.0
"""`ssm patch compare-versions` against the real tools' command lines.

Run by meson with Debian's pytest (/usr/bin/python3 -m pytest); the ssm
binary comes from $SSM_CLI. Oracles: `dpkg --compare-versions` (one process
per question), rpm's Lua `rpm.vercmp` through one `rpm --eval`, and
python3-rpm's `rpm.labelCompare`. They are only oracles: nothing of theirs
is in libssm.
"""
import os
import random
import shutil
import subprocess

import pytest

SSM = os.environ.get("SSM_CLI", "ssm")

DIGITS = ["0", "1", "2", "9", "10", "11", "00", "01", "007", "99", "100",
          "20230101"]
LETTERS = ["a", "b", "z", "A", "Z", "rc", "alpha", "beta", "git", "ubuntu",
           "deb", "el", "fc", "bpo", "dfsg", "pre"]
SEPS = [".", ".", ".", "+", "~", "~~", "^", "_", ":", "-", "~^", "^~", "..",
        "+~"]
EPOCHS = ["0", "1", "2", "00", "01", "10", "2147483647", "4294967295", ""]
BAD = ["1 0", "1:", ":1", "a:1", "+1:1", "1.0-", "1:-1", "99999999999:1",
       "2147483648:1", "4294967296:1", "1\u00e9", "1.0:1", "0x1:1"]


def digits(r):
    k = r.randrange(8)
    if k == 0:
        return "9" + "".join(r.choice("0123456789") for _ in range(r.randrange(18, 28)))
    if k == 1:
        return str(r.randrange(100000))
    return r.choice(DIGITS)


def part(r, revision):
    out = digits(r) if (not revision or r.randrange(2)) else ""
    for _ in range(1 + r.randrange(6)):
        k = r.randrange(10)
        if k < 4:
            out += digits(r)
        elif k < 7:
            out += r.choice(LETTERS)
        else:
            s = r.choice(SEPS)
            out += "." if revision and s == "-" else s
    return out


def version(r, bad=True):
    if bad and r.randrange(12) == 0:
        return r.choice(["", "1.", "1:"]) + r.choice(BAD) + (part(r, False) if r.randrange(2) else "")
    v = ""
    if r.randrange(4) == 0:
        v = r.choice(EPOCHS) + ":"
    v += part(r, False)
    if r.randrange(2):
        v += "-" + part(r, True)
    return v


def mutate(r, v):
    k = r.randrange(5)
    pos = r.randrange(len(v) + 1)
    if k == 0 and v:
        pos = min(pos, len(v) - 1)
        return v[:pos] + v[pos + 1:]
    if k == 1:
        idx = [i for i, c in enumerate(v) if c in "012345678"]
        if idx:
            i = r.choice(idx)
            return v[:i] + chr(ord(v[i]) + 1) + v[i + 1:]
    if k == 2:
        return v
    ins = r.choice(["~", "^", "+", ".", "0", "00", "a", "A", "-0", "-1", "1",
                    "~~", ".0", "~rc1", "^git1", "_", "0:", "1:"])
    return v[:pos] + ins + v[pos:]


def pairs(seed, n, bad=True):
    r = random.Random(seed)
    out = []
    while len(out) < n:
        a = version(r, bad)
        b = version(r, bad) if r.randrange(2) else mutate(r, a)
        if r.randrange(2):
            a, b = b, a
        # the tools' command lines cannot take these: an empty argument
        # means "no version" to dpkg, a leading '-' is an option
        if not a.strip() or not b.strip() or a.startswith("-") or b.startswith("-"):
            continue
        out.append((a, b))
    return out


def run_batch(lines):
    p = subprocess.run([SSM, "patch", "compare-versions", "--batch"],
                       input="".join(f"{s}\t{a}\t{b}\n" for s, a, b in lines),
                       capture_output=True, text=True, timeout=120)
    out = p.stdout.splitlines()
    assert len(out) == len(lines), p.stderr
    return p.returncode, out


def dpkg_compare(a, b):
    """-1/0/1, or the text of dpkg's error."""
    def rel(op):
        p = subprocess.run(["dpkg", "--compare-versions", a, op, b],
                           capture_output=True, text=True)
        if p.returncode == 2:
            return p.stderr
        assert p.returncode in (0, 1), p.stderr
        return p.returncode == 0
    lt = rel("lt")
    if isinstance(lt, str):
        return lt
    if lt:
        return -1
    return 0 if rel("eq") else 1


def libssm_only_deb(v):
    """libssm refuses these although dpkg only warns (ssm/baseline.h)."""
    if any(ord(c) >= 0x80 for c in v):
        return "non-ASCII character in version string"
    if any(ord(c) < 0x20 and c not in " \t" or c == "\x7f" for c in v):
        return "control character in version string"
    s = v.strip(" \t")
    if ":" in s and s[0] in "+-":
        return "epoch in version is not number"
    return None


def dpkg_error_line(stderr):
    """'dpkg: error: version 'X' has bad syntax: R' -> our batch line."""
    first = [l for l in stderr.splitlines() if l.startswith("dpkg: error: ")]
    assert first, stderr
    first = first[0]
    return "error: " + first[len("dpkg: error: "):]


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="no dpkg")
def test_batch_agrees_with_dpkg_compare_versions():
    ps = pairs(1021, 400)
    rc, out = run_batch([("deb", a, b) for a, b in ps])
    checked = errors = 0
    for (a, b), got in zip(ps, out):
        want = dpkg_compare(a, b)
        only = libssm_only_deb(a) or libssm_only_deb(b)
        if isinstance(want, str):
            line = dpkg_error_line(want)
            # dpkg stops at the first version it cannot parse; when that is
            # B, libssm may already have refused A for its own reasons
            if libssm_only_deb(a) and not line.startswith(f"error: version '{a}'"):
                assert got.endswith(libssm_only_deb(a)), (a, b, got)
            else:
                assert got == line, (a, b)
            errors += 1
            continue
        if only:
            assert got.startswith("error: ") and got.endswith(only), (a, b, got)
            errors += 1
            continue
        assert got == str(want), f"deb {a!r} vs {b!r}: dpkg {want}, ssm {got}"
        checked += 1
    assert checked > 250
    assert rc == (1 if errors else 0)
    print(f"deb: {checked} pairs ordered as dpkg --compare-versions, "
          f"{errors} refused with dpkg's error")


def rpm_valid(v):
    """What libssm accepts for rpm (ssm/baseline.h), as rpm splits it."""
    v = v.strip(" \t")  # libssm skips outer blanks, as dpkg does
    if not v or any(c in " \t" or ord(c) < 0x20 or ord(c) >= 0x7f for c in v):
        return False
    rest = v
    head, colon, tail = v.partition(":")
    if colon and head.isdigit() or (colon and head == ""):
        if head and int(head) > 4294967295:
            return False
        rest = tail
    ver, dash, rel = rest.rpartition("-")
    if not dash:
        ver = rest
    return ver != "" and not (dash and rel == "")


@pytest.mark.skipif(shutil.which("rpm") is None, reason="no rpm")
def test_batch_agrees_with_rpm_lua_vercmp():
    ps = [(a, b) for a, b in pairs(4180, 400) if "%" not in a + b]
    # rpm --eval joins what print() writes: collect, then print once
    body = "".join(f"t[#t+1]=rpm.vercmp([==[{a}]==],[==[{b}]==])\n"
                   for a, b in ps)
    lua = "%{lua:\nlocal t={}\n" + body + "print(table.concat(t,' '))\n}"
    p = subprocess.run(["rpm", "--eval", lua],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    want = p.stdout.split()
    assert len(want) == len(ps)
    rc, out = run_batch([("rpm", a, b) for a, b in ps])
    checked = refused = 0
    for (a, b), w, got in zip(ps, want, out):
        if not (rpm_valid(a) and rpm_valid(b)):
            assert got.startswith("error: version '"), (a, b, got)
            refused += 1
            continue
        assert got == w, f"rpm {a!r} vs {b!r}: rpm.vercmp {w}, ssm {got}"
        checked += 1
    assert checked > 300
    assert rc == (1 if refused else 0)
    print(f"rpm: {checked} pairs ordered as rpm's Lua rpm.vercmp, "
          f"{refused} refused by libssm only")


def test_batch_agrees_with_python_rpm_label_compare():
    rpm = pytest.importorskip("rpm")
    ps = [(a, b) for a, b in pairs(77, 5000) if rpm_valid(a) and rpm_valid(b)]
    rc, out = run_batch([("rpm", a, b) for a, b in ps])
    assert rc == 0
    for (a, b), got in zip(ps, out):
        want = rpm.labelCompare(a, b)
        assert got == str(want), f"rpm {a!r} vs {b!r}: labelCompare {want}, ssm {got}"
    print(f"rpm: {len(ps)} pairs ordered as python3-rpm's labelCompare")


def ssm(*args, stdin=None):
    return subprocess.run([SSM, "patch", "compare-versions", *args],
                          input=stdin, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("scheme,a,b,want", [
    ("deb", "1.0~rc1", "1.0", "-1"),
    ("deb", "1.0", "1.0-0", "0"),
    ("deb", "1:0.1", "9.9", "1"),
    ("rpm", "1.0^git1", "1.0", "1"),
    ("rpm", "1.0", "1.0-1", "-1"),
    ("rpm", "01:1.0", "1:1.0", "0"),
])
def test_one_pair_prints_the_order(scheme, a, b, want):
    p = ssm("--scheme", scheme, a, b)
    assert (p.returncode, p.stdout, p.stderr) == (0, want + "\n", "")


def test_a_bad_version_fails_with_its_reason():
    p = ssm("--scheme", "deb", "1:", "1.0")
    assert p.returncode == 1
    assert p.stdout == ""
    assert p.stderr == ("ssm: patch compare-versions: version '1:' has bad "
                        "syntax: nothing after colon in version number\n")
    p = ssm("--scheme", "rpm", "1.0", "1.0 1")
    assert p.returncode == 1
    assert "version '1.0 1' has bad syntax: version string has embedded spaces" in p.stderr


@pytest.mark.parametrize("args,message", [
    ((), "--scheme deb|rpm is required"),
    (("--scheme", "deb", "1"), "expected two versions"),
    (("--scheme", "deb", "1", "2", "3"), "expected two versions"),
    (("--scheme", "apk", "1", "2"), "--scheme must be deb or rpm, not 'apk'"),
    (("--bogus",), "bad option '--bogus'"),
    (("--batch", "1"), "--batch takes no versions and no --scheme"),
    (("--batch", "--scheme", "deb"), "--batch takes no versions and no --scheme"),
])
def test_bad_usage_exits_2(args, message):
    p = ssm(*args)
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr.startswith(f"ssm: patch compare-versions: {message}\n")


def test_help_prints_usage():
    p = ssm("--help")
    assert p.returncode == 0
    assert p.stdout.startswith("usage: ssm patch compare-versions")


def test_batch_reports_bad_lines_and_goes_on():
    lines = ("deb\t1.0\t1.0-0\n"
             "rpm\t1.0\t1.0-1\n"
             "apk\t1\t2\n"
             "deb\t1:\t2\n"
             "no tabs here\n"
             "deb\t1\t2\t3\n"
             "\n"
             "rpm\t\t1\n"
             "deb\t1\t2\r\n"
             "rpm\t2\t1")
    p = ssm("--batch", stdin=lines)
    assert p.returncode == 1
    assert p.stderr == ""
    assert p.stdout.splitlines() == [
        "0",
        "-1",
        "error: unknown scheme 'apk' (deb or rpm)",
        "error: version '1:' has bad syntax: nothing after colon in version number",
        "error: expected SCHEME<TAB>A<TAB>B",
        "error: expected SCHEME<TAB>A<TAB>B",
        "error: expected SCHEME<TAB>A<TAB>B",
        "error: version '' has bad syntax: version string is empty",
        "-1",
        "1",
    ]


def test_batch_answers_every_line_in_one_process():
    ps = pairs(5, 50000)
    lines = [("deb" if i % 2 else "rpm", a, b) for i, (a, b) in enumerate(ps)]
    rc, out = run_batch(lines)
    errors = [o for o in out if o.startswith("error: version '")]
    assert len(errors) + sum(o in ("-1", "0", "1") for o in out) == len(out)
    assert errors and rc == 1
    # each line answers as the one-pair form does
    for (s, a, b), got in list(zip(lines, out))[:: len(lines) // 25]:
        p = ssm("--scheme", s, "--", a, b)
        if got.startswith("error: "):
            assert p.returncode == 1
            assert p.stderr == f"ssm: patch compare-versions: {got[7:]}\n"
        else:
            assert (p.returncode, p.stdout) == (0, got + "\n")
