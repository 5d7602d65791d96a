# SPDX-License-Identifier: Apache-2.0
"""Interop with the real AWS CLI (Debian's awscli at /usr/bin/aws).

One ssmd runs for the whole session on 127.0.0.1 with an ephemeral port, a
temporary sqlite store and a test access key; before each test its state is
reset (POST /_ssmd/reset), so every test starts from a fresh server with
the built-ins seeded. The server is always stopped at the end, and must exit
cleanly.

Fixtures for test modules (test_*.py beside this file):

  aws(*args, region=None, env=None) -> dict
      run `/usr/bin/aws <args> --endpoint-url URL --region us-east-1
      --output json` with the test credentials and no real configuration;
      returns the parsed JSON output ({} when there is none); fails the test
      when the CLI fails
  aws_error(*args, ...) -> AwsError(code, message, stderr)
      the same, for a call that must fail with an AWS error
  ssmd: Ssmd
      url, port, state_dir, access key; .log() returns its log so far
"""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request

import pytest

AWS = "/usr/bin/aws"
ACCESS_KEY_ID = "AKIDINTEROPTEST"
SECRET_KEY = "interop/test+secret=key"
REGION = "us-east-1"
CALL_TIMEOUT = 60


def pytest_addoption(parser):
    parser.addoption("--ssmd", required=True, help="path of the ssmd binary")
    parser.addoption("--ssm", default=None, help="path of the ssm CLI")


class AwsError:
    def __init__(self, code, message, stderr):
        self.code, self.message, self.stderr = code, message, stderr

    def __repr__(self):
        return f"AwsError({self.code!r}, {self.message!r})"


class Ssmd:
    def __init__(self, binary):
        self.state_dir = tempfile.mkdtemp(prefix="ssmd-interop-")
        self.log_path = os.path.join(self.state_dir, "ssmd.log")
        self.access_key_id = ACCESS_KEY_ID
        self.secret_key = SECRET_KEY
        key_file = os.path.join(self.state_dir, "keys")
        with open(key_file, "w") as f:
            f.write(f"# interop test key\n{ACCESS_KEY_ID}:{SECRET_KEY}\n")
        os.chmod(key_file, 0o600)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0",
             "--state-dir", self.state_dir,
             "--access-key-file", key_file,
             "--enable-test-reset", "--log-level", "debug"],
            stdout=subprocess.PIPE, stderr=self._log, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on (http://127\.0\.0\.1:(\d+))$", line.strip())
        if not m:
            self.stop()
            raise RuntimeError(f"ssmd did not start: {line!r}\n{self.log()}")
        self.url, self.port = m.group(1), int(m.group(2))

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def reset(self):
        req = urllib.request.Request(self.url + "/_ssmd/reset", data=b"",
                                     method="POST")
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 200

    def stop(self):
        """SIGTERM, then the exit status (0 for a clean shutdown)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode


@pytest.fixture(scope="session")
def ssmd(request):
    server = Ssmd(request.config.getoption("--ssmd"))
    yield server
    rc = server.stop()
    log = server.log()
    # secrets never reach the log, at any level
    assert SECRET_KEY not in log
    assert "hush-" not in log, "a SecureString value reached the log"
    assert rc == 0, f"ssmd exited with {rc}\n{log[-4000:]}"
    subprocess.run(["rm", "-rf", server.state_dir], check=False)


@pytest.fixture(autouse=True)
def fresh_state(ssmd):
    ssmd.reset()
    yield


def cli_env(extra=None):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": tempfile.gettempdir(),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
        "LC_ALL": "C.UTF-8",
    }
    env.update(extra or {})
    return env


def run_cli(ssmd, args, region=None, env=None):
    cmd = [AWS, *args, "--endpoint-url", ssmd.url,
           "--region", region or REGION, "--output", "json"]
    return subprocess.run(cmd, capture_output=True, text=True,
                          env=cli_env(env), timeout=CALL_TIMEOUT)


@pytest.fixture
def aws(ssmd):
    def call(*args, region=None, env=None):
        r = run_cli(ssmd, args, region, env)
        assert r.returncode == 0, (
            f"aws {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
        return json.loads(r.stdout) if r.stdout.strip() else {}
    return call


ERROR_LINE = re.compile(
    r"An error occurred \(([^)]+)\) when calling the (\w+) operation"
    r"(?: \(reached max retries: \d+\))?: (.*)$", re.M | re.S)


@pytest.fixture
def aws_error(ssmd):
    def call(*args, region=None, env=None):
        r = run_cli(ssmd, args, region, env)
        assert r.returncode != 0, f"aws {' '.join(args)} succeeded: {r.stdout}"
        m = ERROR_LINE.search(r.stderr)
        assert m, f"no AWS error in:\n{r.stderr}"
        return AwsError(m.group(1), m.group(3).strip(), r.stderr)
    return call


def epoch_close(value, tolerance=600):
    """A timestamp the CLI printed (ISO-8601 text) is near now."""
    from datetime import datetime
    t = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return abs(t - time.time()) < tolerance
