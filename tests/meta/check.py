#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Meta checks of the source tree (STYLE.md §10), one per sub-command:

  headers SRCDIR            every public header compiles alone as C11
                            -pedantic and as C++
  exports LIBSSM.so         the library exports only ssm_* names without "__"
  doxygen SRCDIR            every SSM_EXTERN has a Doxygen block with @param
                            for each parameter ([out] marked), @return unless
                            void, and @since
  banned SRCDIR             banned functions, stdout/stderr writes and raw
                            allocation are absent from lib/
  format SRCDIR             clang-format --dry-run --Werror passes
  spdx SRCDIR               every source file starts with an SPDX line

Each prints what it found wrong, one line per problem, and exits 1 if any.
"""
import os
import re
import subprocess
import sys
import tempfile


def public_headers(src):
    out = []
    for sub in ("include/ssm", "include/ssm/sys"):
        d = os.path.join(src, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith(".h"):
                out.append(os.path.join(sub, name)[len("include/"):])
    return out


def check_headers(src):
    problems = []
    inc = os.path.join(src, "include")
    with tempfile.TemporaryDirectory() as tmp:
        for h in public_headers(src):
            for lang, compiler, flags, ext in (
                ("C11", "cc", ["-std=c11"], "c"),
                ("C++", "c++", ["-std=c++11"], "cpp"),
            ):
                path = os.path.join(tmp, "t." + ext)
                with open(path, "w") as f:
                    f.write(f'#include "{h}"\n#include "{h}"\nint ssm_meta_dummy;\n')
                cmd = [compiler, *flags, "-pedantic", "-Wall", "-Wextra",
                       "-Werror", "-fsyntax-only", "-I", inc, path]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode:
                    first = (r.stderr.strip().splitlines() or ["?"])[0]
                    problems.append(f"{h}: does not compile alone as {lang}: {first}")
    return problems


def check_exports(lib):
    r = subprocess.run(["nm", "-D", "--defined-only", lib],
                       capture_output=True, text=True, check=True)
    problems = []
    n = 0
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        name = parts[2]
        n += 1
        if not name.startswith("ssm_") or "__" in name:
            problems.append(f"exported symbol '{name}' is not a public ssm_* name")
    if n == 0:
        problems.append("the library exports nothing")
    return problems


DECL = re.compile(r"SSM_EXTERN\(([^)]*)\)\s*([^;{]*?)\s*\(([^;]*?)\)\s*(?:SSM_FORMAT_PRINTF\([^)]*\)\s*)?;", re.S)


def params_of(arglist):
    arglist = " ".join(arglist.split())
    if arglist in ("void", ""):
        return []
    names = []
    depth = 0
    cur = ""
    for ch in arglist:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            names.append(cur)
            cur = ""
        else:
            cur += ch
    names.append(cur)
    out = []
    for p in names:
        p = p.strip()
        if p == "...":
            continue
        m = re.search(r"\(\s*\*\s*(\w+)\s*\)", p)  # function pointer
        if m:
            out.append(m.group(1))
            continue
        m = re.search(r"(\w+)\s*(\[[^\]]*\])?$", p)
        if m:
            out.append(m.group(1))
    return out


def check_doxygen(src):
    problems = []
    for h in public_headers(src):
        text = open(os.path.join(src, "include", h)).read()
        parsed = {m.start() for m in DECL.finditer(text)}
        for m in re.finditer(r"SSM_EXTERN\(", text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if m.start() not in parsed and not text[line_start:].startswith("#define"):
                problems.append(f"{h}: cannot parse the declaration at offset {m.start()}")
        for m in DECL.finditer(text):
            rtype, name, args = m.group(1).strip(), m.group(2).split()[-1], m.group(3)
            before = text[:m.start()].rstrip()
            if not before.endswith("*/"):
                problems.append(f"{h}: {name}: no Doxygen block")
                continue
            block = before[before.rfind("/**"):]
            if "/**" not in before:
                problems.append(f"{h}: {name}: no Doxygen block")
                continue
            for p in params_of(args):
                pm = re.search(r"@param(\[[a-z,]+\])?\s+" + re.escape(p) + r"\b", block)
                if not pm:
                    problems.append(f"{h}: {name}: no @param for '{p}'")
                elif (p == "out" or p.endswith("_out")) and pm.group(1) != "[out]":
                    problems.append(f"{h}: {name}: @param '{p}' is not marked [out]")
            if rtype != "void" and "@return" not in block:
                problems.append(f"{h}: {name}: no @return")
            if "@since" not in block:
                problems.append(f"{h}: {name}: no @since")
    return problems


BANNED = re.compile(r"(?<![\w.>])(gets|strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atof|strncpy|strncat)\s*\(")
OUTPUT = re.compile(r"(?<![\w.>])(printf|puts|putchar|perror|vprintf)\s*\(|\b(stdout|stderr)\b")
RAW_ALLOC = re.compile(r"(?<![\w.>])(malloc|calloc|realloc|free|strdup|strndup)\s*\(")


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
    return text


def check_banned(src):
    problems = []
    for root, _, files in os.walk(os.path.join(src, "lib")):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            code = strip_comments_and_strings(open(path).read())
            for i, line in enumerate(code.splitlines(), 1):
                for m in BANNED.finditer(line):
                    problems.append(f"{rel}:{i}: banned function {m.group(1)}()")
                for m in OUTPUT.finditer(line):
                    problems.append(f"{rel}:{i}: writes to stdout/stderr ({m.group(0).strip('( ')})")
                if rel != os.path.join("lib", "core", "alloc.c"):
                    for m in RAW_ALLOC.finditer(line):
                        problems.append(f"{rel}:{i}: raw allocation {m.group(1)}() outside lib/core/alloc.c")
    return problems


C_DIRS = ("include", "lib", "tests", "examples", "bench", "bindings")


def c_sources(src):
    for d in C_DIRS:
        for root, _, files in os.walk(os.path.join(src, d)):
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.join(root, name)


def check_format(src):
    files = list(c_sources(src))
    r = subprocess.run(["clang-format", "--dry-run", "--Werror", *files],
                       capture_output=True, text=True, cwd=src)
    problems = []
    for line in r.stderr.splitlines():
        if "error:" in line:
            problems.append(line.replace(src + "/", ""))
    if r.returncode and not problems:
        problems.append(r.stderr.strip()[:500] or "clang-format failed")
    return problems


def check_spdx(src):
    problems = []
    exts = (".c", ".h", ".py", ".go", ".i", ".sh", ".build", ".txt")
    for d in C_DIRS + ("scripts", ".ci"):
        for root, _, files in os.walk(os.path.join(src, d)):
            if "__pycache__" in root:
                continue
            for name in sorted(files):
                path = os.path.join(root, name)
                if not (name.endswith(exts) or os.access(path, os.X_OK)):
                    continue
                if "/data/" in path or "/corpus/" in path:
                    continue
                head = open(path, errors="replace").read(400)
                if "SPDX-License-Identifier: Apache-2.0" not in head:
                    problems.append(f"{os.path.relpath(path, src)}: no SPDX line")
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    what, arg = sys.argv[1], os.path.abspath(sys.argv[2])
    checks = {
        "headers": check_headers, "exports": check_exports,
        "doxygen": check_doxygen, "banned": check_banned,
        "format": check_format, "spdx": check_spdx,
    }
    problems = checks[what](arg)
    for p in problems:
        print(p)
    print(f"meta {what}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
