# SPDX-License-Identifier: Apache-2.0
"""Requests made by libssm's http transport (through the `ssm` CLI) are
signed exactly as botocore signs them, so AWS itself would accept them: a
local HTTP server captures one request, and botocore's own SigV4 signer,
given the same method, URL, headers, body and clock, must produce the same
Authorization header."""
import datetime
import http.server
import json
import os
import subprocess
import threading

import pytest

try:
    import awscli  # noqa: F401  (makes the bundled botocore importable)
    import botocore.auth
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:  # pragma: no cover
    pytest.skip("botocore is not importable", allow_module_level=True)

from conftest import ACCESS_KEY_ID, SECRET_KEY


class Capture(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Capture.seen.append((self.path, dict(self.headers.items()), body))
        answer = json.dumps({"Parameter": {
            "Name": "/app/x", "Type": "String", "Value": "v", "Version": 3,
            "LastModifiedDate": 1528932105.382,
            "ARN": "arn:aws:ssm:eu-west-1:123456789012:parameter/app/x",
            "DataType": "text"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def capture_server():
    Capture.seen = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), Capture)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize("token", [None, "session/token+value="])
def test_botocore_computes_our_signature(request, capture_server, token):
    ssm = request.config.getoption("--ssm")
    if not ssm:
        pytest.skip("no --ssm given")
    port = capture_server.server_address[1]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent",
           "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
           "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
           "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    if token:
        env["AWS_SESSION_TOKEN"] = token
    r = subprocess.run([ssm, "--endpoint", f"http://127.0.0.1:{port}",
                        "--region", "eu-west-1", "--output", "json",
                        "param", "get", "/app/x"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "\"v\"" in r.stdout
    assert len(Capture.seen) == 1
    path, headers, body = Capture.seen[0]
    h = {k.lower(): v for k, v in headers.items()}
    assert path == "/"
    assert h["host"] == f"127.0.0.1:{port}"
    assert h["content-type"] == "application/x-amz-json-1.1"
    assert h["x-amz-target"] == "AmazonSSM.GetParameter"
    assert json.loads(body)["Name"] == "/app/x"
    assert h.get("x-amz-security-token") == token

    # botocore signs the same request at the same instant
    when = datetime.datetime.strptime(h["x-amz-date"], "%Y%m%dT%H%M%SZ")
    req = AWSRequest(method="POST", url=f"http://127.0.0.1:{port}/",
                     data=body, headers={
                         "Content-Type": h["content-type"],
                         "X-Amz-Target": h["x-amz-target"]})
    signer = SigV4Auth(Credentials(ACCESS_KEY_ID, SECRET_KEY, token),
                       "ssm", "eu-west-1")
    real = datetime.datetime

    class Frozen(real):
        @classmethod
        def utcnow(cls):
            return when

    saved = botocore.auth.datetime.datetime
    botocore.auth.datetime.datetime = Frozen
    try:
        signer.add_auth(req)
    finally:
        botocore.auth.datetime.datetime = saved
    assert req.headers["Authorization"] == h["authorization"]
