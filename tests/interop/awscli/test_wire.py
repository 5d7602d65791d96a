# SPDX-License-Identifier: Apache-2.0
"""The wire itself through the AWS CLI: signatures, unknown operations,
malformed requests. Engine-independent."""
import json
import os
import tempfile

from conftest import SECRET_KEY


def test_health_and_request_ids(ssmd):
    import urllib.request
    with urllib.request.urlopen(ssmd.url + "/healthz", timeout=10) as r:
        assert r.status == 200
        assert json.loads(r.read()) == {"status": "ok"}


def test_wrong_secret_is_invalid_signature(aws_error):
    e = aws_error("ssm", "get-ops-summary",
                  env={"AWS_SECRET_ACCESS_KEY": "not-" + SECRET_KEY})
    assert e.code == "InvalidSignatureException"
    assert e.message == (
        "The request signature we calculated does not match the signature "
        "you provided. Check your AWS Secret Access Key and signing method. "
        "Consult the service documentation for details.")


def test_unknown_access_key_is_unrecognized(aws_error):
    e = aws_error("ssm", "get-ops-summary",
                  env={"AWS_ACCESS_KEY_ID": "AKIDNOBODY"})
    assert e.code == "UnrecognizedClientException"
    assert e.message == "The security token included in the request is invalid."


def test_unsigned_request_is_missing_token(aws_error):
    e = aws_error("ssm", "get-ops-summary", "--no-sign-request")
    assert e.code == "MissingAuthenticationTokenException"
    assert e.message == "Missing Authentication Token"


def test_unknown_operation(aws_error):
    # OpsCenter is not implemented (yet)
    e = aws_error("ssm", "get-ops-summary")
    assert e.code == "UnknownOperationException"
    assert e.message == "unknown operation 'AmazonSSM.GetOpsSummary'"


def test_session_token_is_signed_and_accepted(aws, aws_error):
    # temporary credentials sign X-Amz-Security-Token; the signature counts
    e = aws_error("ssm", "get-ops-summary",
                  env={"AWS_SESSION_TOKEN": "token-of-a-session"})
    assert e.code == "UnknownOperationException"


def test_wrong_json_types_are_serialization_errors(aws_error):
    # botocore checks types before sending unless told not to
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as f:
        f.write("[default]\nparameter_validation = false\n")
    try:
        e = aws_error("ssm", "get-parameter", "--cli-input-json",
                      json.dumps({"Name": 12}),
                      env={"AWS_CONFIG_FILE": f.name})
    finally:
        os.unlink(f.name)
    # the operation may not exist on this server yet: then it is unknown,
    # never served
    assert e.code in ("SerializationException", "UnknownOperationException")
    if e.code == "SerializationException":
        assert e.message == "'Name' must be a string, not a number"
