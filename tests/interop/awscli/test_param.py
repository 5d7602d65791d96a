# SPDX-License-Identifier: Apache-2.0
"""Parameter Store through the AWS CLI, field by field (spec §3)."""
import pytest

from conftest import epoch_close, run_cli

ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def needs_parameter_store(ssmd):
    r = run_cli(ssmd, ["ssm", "get-parameter", "--name", "/probe"])
    if "UnknownOperationException" in r.stderr:
        pytest.skip("this ssmd has no Parameter Store")


def arn(name, region="us-east-1"):
    return f"arn:aws:ssm:{region}:{ACCOUNT}:parameter{name}"


def put(aws, name, value, *extra, **kw):
    return aws("ssm", "put-parameter", "--name", name, "--value", value,
               *extra, **kw)


def test_put_and_get_a_string(aws):
    assert put(aws, "/app/db/host", "db.internal", "--type", "String",
               "--description", "the database") == \
        {"Version": 1, "Tier": "Standard"}
    p = aws("ssm", "get-parameter", "--name", "/app/db/host")["Parameter"]
    assert p["Name"] == "/app/db/host"
    assert p["Type"] == "String"
    assert p["Value"] == "db.internal"
    assert p["Version"] == 1
    assert p["ARN"] == arn("/app/db/host")
    assert p["DataType"] == "text"
    assert epoch_close(p["LastModifiedDate"])
    assert set(p) == {"Name", "Type", "Value", "Version", "LastModifiedDate",
                      "ARN", "DataType"}


def test_existing_parameters_need_overwrite(aws, aws_error):
    put(aws, "/app/x", "1", "--type", "String")
    e = aws_error("ssm", "put-parameter", "--name", "/app/x", "--value", "2",
                  "--type", "String")
    assert e.code == "ParameterAlreadyExists"
    assert e.message == ("The parameter already exists. To overwrite this "
                         "value, set the overwrite option in the request to "
                         "true.")
    assert put(aws, "/app/x", "2", "--overwrite") == \
        {"Version": 2, "Tier": "Standard"}
    assert aws("ssm", "get-parameter", "--name", "/app/x")[
        "Parameter"]["Value"] == "2"


def test_string_lists(aws):
    put(aws, "/app/hosts", "a,b,c", "--type", "StringList")
    p = aws("ssm", "get-parameter", "--name", "/app/hosts")["Parameter"]
    assert (p["Type"], p["Value"]) == ("StringList", "a,b,c")


def test_secure_strings_need_decryption(aws, ssmd):
    secret = "hush-4f2a9c"
    assert put(aws, "/app/db/password", secret, "--type", "SecureString") == \
        {"Version": 1, "Tier": "Standard"}
    p = aws("ssm", "get-parameter", "--name", "/app/db/password")["Parameter"]
    assert p["Type"] == "SecureString"
    assert p["Value"] != secret and secret not in p["Value"]
    p = aws("ssm", "get-parameter", "--name", "/app/db/password",
            "--with-decryption")["Parameter"]
    assert p["Value"] == secret
    ps = aws("ssm", "get-parameters-by-path", "--path", "/app/db",
             "--with-decryption")["Parameters"]
    assert [(x["Name"], x["Value"]) for x in ps] == \
        [("/app/db/password", secret)]
    assert secret not in ssmd.log()


def test_labels_and_history(aws, aws_error):
    put(aws, "/app/flag", "off", "--type", "String")
    put(aws, "/app/flag", "on", "--overwrite")
    assert aws("ssm", "label-parameter-version", "--name", "/app/flag",
               "--parameter-version", "1", "--labels", "stable", "old") == \
        {"InvalidLabels": [], "ParameterVersion": 1}
    p = aws("ssm", "get-parameter", "--name", "/app/flag:stable")["Parameter"]
    assert (p["Value"], p["Version"], p["Selector"]) == ("off", 1, ":stable")
    p = aws("ssm", "get-parameter", "--name", "/app/flag:2")["Parameter"]
    assert (p["Value"], p["Version"], p["Selector"]) == ("on", 2, ":2")
    r = aws("ssm", "label-parameter-version", "--name", "/app/flag",
            "--labels", "aws-bad", "1digit")
    assert r["ParameterVersion"] == 2
    assert sorted(r["InvalidLabels"]) == ["1digit", "aws-bad"]
    h = aws("ssm", "get-parameter-history", "--name", "/app/flag")[
        "Parameters"]
    assert [x["Version"] for x in h] == [1, 2]
    assert [x["Value"] for x in h] == ["off", "on"]
    assert sorted(h[0]["Labels"]) == ["old", "stable"]
    assert h[1]["Labels"] == []  # AWS sends the empty list
    assert h[1]["Policies"] == []
    for x in h:
        assert x["Name"] == "/app/flag"
        assert x["Type"] == "String"
        assert x["Tier"] == "Standard"
        assert x["DataType"] == "text"
        assert x["LastModifiedUser"] == f"arn:aws:iam::{ACCOUNT}:root"
        assert epoch_close(x["LastModifiedDate"])
    assert aws("ssm", "unlabel-parameter-version", "--name", "/app/flag",
               "--parameter-version", "1", "--labels", "old", "nope") == \
        {"RemovedLabels": ["old"], "InvalidLabels": ["nope"]}
    e = aws_error("ssm", "get-parameter", "--name", "/app/flag:9")
    assert e.code == "ParameterVersionNotFound"


def test_get_by_path(aws):
    for name in ("/svc/a", "/svc/b", "/svc/deep/c", "/other/d"):
        put(aws, name, name.upper(), "--type", "String")
    top = aws("ssm", "get-parameters-by-path", "--path", "/svc")["Parameters"]
    assert sorted(x["Name"] for x in top) == ["/svc/a", "/svc/b"]
    every = aws("ssm", "get-parameters-by-path", "--path", "/svc",
                "--recursive")["Parameters"]
    assert sorted((x["Name"], x["Value"]) for x in every) == [
        ("/svc/a", "/SVC/A"), ("/svc/b", "/SVC/B"),
        ("/svc/deep/c", "/SVC/DEEP/C")]
    for x in every:
        assert x["ARN"] == arn(x["Name"])
        assert x["Version"] == 1
    # the CLI follows NextToken across pages of one
    paged = aws("ssm", "get-parameters-by-path", "--path", "/svc",
                "--recursive", "--page-size", "1")["Parameters"]
    assert sorted(x["Name"] for x in paged) == \
        ["/svc/a", "/svc/b", "/svc/deep/c"]


def test_get_many_and_delete(aws, aws_error):
    put(aws, "/d/one", "1", "--type", "String")
    put(aws, "/d/two", "2", "--type", "String")
    r = aws("ssm", "get-parameters", "--names", "/d/one", "/d/two", "/d/nope")
    assert sorted(x["Name"] for x in r["Parameters"]) == ["/d/one", "/d/two"]
    assert r["InvalidParameters"] == ["/d/nope"]
    assert aws("ssm", "delete-parameter", "--name", "/d/one") == {}
    e = aws_error("ssm", "get-parameter", "--name", "/d/one")
    assert e.code == "ParameterNotFound"
    e = aws_error("ssm", "delete-parameter", "--name", "/d/one")
    assert e.code == "ParameterNotFound"
    r = aws("ssm", "delete-parameters", "--names", "/d/two", "/d/none")
    assert r == {"DeletedParameters": ["/d/two"],
                 "InvalidParameters": ["/d/none"]}


def test_describe_parameters(aws):
    put(aws, "/desc/a", "1", "--type", "String", "--description", "first")
    put(aws, "/desc/b", "2", "--type", "SecureString")
    ps = aws("ssm", "describe-parameters", "--parameter-filters",
             "Key=Path,Values=/desc")["Parameters"]
    by = {x["Name"]: x for x in ps}
    assert sorted(by) == ["/desc/a", "/desc/b"]
    assert by["/desc/a"]["Description"] == "first"
    assert by["/desc/a"]["Type"] == "String"
    assert by["/desc/b"]["Type"] == "SecureString"
    assert "Value" not in by["/desc/a"]
    for x in ps:
        assert x["Version"] == 1
        assert x["Tier"] == "Standard"
        assert x["DataType"] == "text"
        assert x["LastModifiedUser"] == f"arn:aws:iam::{ACCOUNT}:root"


def test_server_side_validation(aws_error):
    # botocore does not check enums; the server answers as AWS does
    e = aws_error("ssm", "put-parameter", "--name", "/v/x", "--value", "1",
                  "--type", "Bogus")
    assert e.code == "ValidationException"
    assert e.message.startswith(
        "1 validation error detected: Value 'Bogus' at 'type' failed to "
        "satisfy constraint: Member must satisfy enum value set: [")
    assert sorted(e.message[e.message.index("[") + 1:-1].split(", ")) == \
        ["SecureString", "String", "StringList"]


def test_regions_have_their_own_parameters(aws, aws_error):
    put(aws, "/r/x", "paris", "--type", "String", region="eu-west-3")
    p = aws("ssm", "get-parameter", "--name", "/r/x",
            region="eu-west-3")["Parameter"]
    assert p["ARN"] == arn("/r/x", "eu-west-3")
    e = aws_error("ssm", "get-parameter", "--name", "/r/x")
    assert e.code == "ParameterNotFound"


def test_reset_forgets_everything(aws, aws_error, ssmd):
    put(aws, "/gone/x", "1", "--type", "String")
    ssmd.reset()
    e = aws_error("ssm", "get-parameter", "--name", "/gone/x")
    assert e.code == "ParameterNotFound"
