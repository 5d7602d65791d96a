#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Cross-check our SigV4 with the real botocore signer (Debian's awscli).

For several SSM-shaped requests (JSON 1.1 POSTs, a host with a port, a
session token, an empty body, a signed GET with a query, odd header
spacing, a path that needs encoding, a large body), botocore signs with
fixed credentials and a fixed clock, then:

  * our signer (tests/sigv4_tool) must produce the same Authorization header
    from the same request;
  * our verifier must accept botocore's request as received, and refuse it
    with AWS's error once the secret, the body, a signed header or the clock
    is wrong.

Usage: sigv4_botocore.py PATH/TO/sigv4_tool.  Exit 77 (skip) without
botocore.
"""
import datetime
import subprocess
import sys
from unittest import mock
from urllib.parse import quote, urlsplit

try:
    import awscli  # noqa: F401  (makes the bundled botocore importable)
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as e:  # pragma: no cover
    print(f"SKIP: botocore is not importable: {e}")
    sys.exit(77)

AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
MISMATCH = ("The request signature we calculated does not match the signature "
            "you provided. Check your AWS Secret Access Key and signing "
            "method. Consult the service documentation for details.")


def ssm_headers(op):
    return {"Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AmazonSSM.{op}",
            "User-Agent": "aws-cli/2.9.19 Python/3.11.2 Linux"}


CASES = [
    dict(name="get-parameter", method="POST",
         url="https://ssm.us-east-1.amazonaws.com/",
         headers=ssm_headers("GetParameter"),
         body=b'{"Name": "/app/db/host", "WithDecryption": true}',
         region="us-east-1", service="ssm", when=(2024, 10, 21, 12, 34, 56)),
    dict(name="local-port", method="POST", url="http://127.0.0.1:38417/",
         headers=ssm_headers("PutParameter"),
         body='{"Name": "/a/\u00e9t\u00e9", "Value": "v\u20ac", '
              '"Type": "SecureString", "Overwrite": true}'.encode(),
         region="eu-west-3", service="ssm", when=(2023, 1, 1, 0, 0, 0)),
    dict(name="session-token", method="POST", url="http://localhost:8080/",
         headers=ssm_headers("DescribeInstanceInformation"), body=b"{}",
         region="us-west-2", service="ssm", when=(2024, 2, 29, 23, 59, 59),
         token="FwoGZXIvYXdzEBYaDH+session/token=="),
    dict(name="empty-body", method="POST", url="http://127.0.0.1:9/",
         headers=ssm_headers("ListDocuments"), body=b"",
         region="ap-southeast-2", service="ssm", when=(2030, 6, 15, 8, 0, 0)),
    dict(name="websocket-get", method="GET",
         url="https://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/"
             "alice-0123456789abcdef0?role=publish_subscribe&cell-number=AAE",
         headers={}, body=b"", region="us-east-1", service="ssmmessages",
         when=(2024, 5, 1, 1, 2, 3), token="tok"),
    dict(name="query-and-spaces", method="POST",
         url="http://127.0.0.1:1234/?b=" + quote("x y/z", safe="-_.~")
             + "&a=2&a=1",
         headers={"Content-Type": "application/x-amz-json-1.1",
                  "X-Amz-Target": "AmazonSSM.GetParametersByPath",
                  "X-Custom": "  spaced    out   value  "},
         body=b'{"Path": "/"}', region="us-east-1", service="ssm",
         when=(2024, 12, 31, 23, 59, 59)),
    dict(name="encoded-path", method="GET",
         url="http://127.0.0.1:1234/v1/a%20b/c%2Fd/./e/../f",
         headers={}, body=b"", region="us-east-1", service="ssmmessages",
         when=(2024, 7, 7, 7, 7, 7)),
    dict(name="large-body", method="POST",
         url="https://ssm.eu-central-1.amazonaws.com/",
         headers=ssm_headers("CreateDocument"),
         body=b'{"Content": "' + b"x" * 100000 + b'"}',
         region="eu-central-1", service="ssm", when=(2024, 3, 3, 3, 3, 3)),
]


def botocore_sign(case):
    """Sign @case with botocore at its fixed time; return the request and the
    headers botocore signed (host included)."""
    when = datetime.datetime(*case["when"])

    class Fixed(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

        @classmethod
        def now(cls, tz=None):
            return when if tz is None else when.replace(tzinfo=tz)

    req = AWSRequest(method=case["method"], url=case["url"],
                     headers=dict(case["headers"]), data=case["body"])
    creds = Credentials(AKID, SECRET, case.get("token"))
    with mock.patch("botocore.auth.datetime.datetime", Fixed):
        auth = SigV4Auth(creds, case["service"], case["region"])
        auth.add_auth(req)
        signed = auth.headers_to_sign(req)
    return req, signed


def amz(when):
    return datetime.datetime(*when).strftime("%Y%m%dT%H%M%SZ")


def tool(path, lines):
    text = "".join(line + "\n" for line in lines)
    r = subprocess.run([path], input=text.encode(), capture_output=True,
                       timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"sigv4_tool exited {r.returncode}: "
                             f"{r.stderr.decode(errors='replace')}")
    return r.stdout.decode().strip()


def header_line(name, value):
    return f"header {name} {value.encode().hex()}"


def our_sign(path, case, req, signed):
    parts = urlsplit(req.url)
    lines = ["mode sign", f"method {case['method']}", f"host {signed['host']}",
             f"path {parts.path}", f"query {parts.query}",
             f"region {case['region']}", f"service {case['service']}",
             f"date {amz(case['when'])}", f"akid {AKID}", f"secret {SECRET}",
             f"body {case['body'].hex()}"]
    if case.get("token"):
        lines.append(f"token {case['token']}")
    # the headers botocore signed, as its SignedHeaders lists them
    names = req.headers["Authorization"].split("SignedHeaders=")[1]
    for name in names.split(",")[0].split(";"):
        if name != "host":
            lines.append(header_line(name, signed[name]))
    return tool(path, lines)


def our_verify(path, case, req, signed, secret=SECRET, body=None, now=None,
               change=None):
    parts = urlsplit(req.url)
    body = case["body"] if body is None else body
    headers = {k: v for k, v in req.headers.items()}
    headers["Host"] = signed["host"]
    if change:
        headers.update(change)
    lines = ["mode verify", f"method {case['method']}", f"path {parts.path}",
             f"query {parts.query}", f"service {case['service']}",
             f"now {now or amz(case['when'])}", f"akid {AKID}",
             f"secret {secret}", f"body {body.hex()}"]
    for name, value in headers.items():
        lines.append(header_line(name, value))
    return tool(path, lines)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    path = sys.argv[1]
    failures = 0
    checks = 0

    def check(what, got, want):
        nonlocal failures, checks
        checks += 1
        if got != want:
            failures += 1
            print(f"FAIL {what}:\n  got:  {got}\n  want: {want}")

    for case in CASES:
        req, signed = botocore_sign(case)
        name = case["name"]
        authz = req.headers["Authorization"]
        check(f"{name}: our signature equals botocore's",
              our_sign(path, case, req, signed), f"authorization {authz}")
        check(f"{name}: we verify botocore's request",
              our_verify(path, case, req, signed),
              f"ok {AKID} {case['region']} {case['service']}")
        check(f"{name}: wrong secret",
              our_verify(path, case, req, signed, secret=SECRET[:-1] + "x"),
              f"error -6 InvalidSignatureException {MISMATCH}")
        check(f"{name}: changed body",
              our_verify(path, case, req, signed, body=case["body"] + b" "),
              f"error -6 InvalidSignatureException {MISMATCH}")
        check(f"{name}: changed signed header",
              our_verify(path, case, req, signed,
                         change={"Host": signed["host"] + "x"}),
              f"error -6 InvalidSignatureException {MISMATCH}")
        late = datetime.datetime(*case["when"]) + datetime.timedelta(minutes=6)
        got = our_verify(path, case, req, signed,
                         now=late.strftime("%Y%m%dT%H%M%SZ"))
        check(f"{name}: clock skew",
              got.split(":")[0], "error -6 InvalidSignatureException "
              "Signature expired")
        print(f"ok {name}: {authz.split('Signature=')[1]}")
    print(f"{checks - failures} of {checks} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
