# SPDX-License-Identifier: Apache-2.0
"""Documents through the AWS CLI, field by field (spec §1.1, §1.12)."""
import hashlib
import json

import pytest

from conftest import epoch_close, run_cli

ACCOUNT = "123456789012"

CONTENT = json.dumps({
    "schemaVersion": "2.2",
    "description": "Say hello",
    "parameters": {"who": {"type": "String", "default": "world"}},
    "mainSteps": [{"action": "aws:runShellScript", "name": "hello",
                   "inputs": {"runCommand": ["echo hello {{ who }}"]}}],
})


@pytest.fixture(autouse=True)
def needs_documents(ssmd):
    r = run_cli(ssmd, ["ssm", "describe-document", "--name",
                       "AWS-RunShellScript"])
    if "UnknownOperationException" in r.stderr:
        pytest.skip("this ssmd has no document engine")


def create(aws, name, content=CONTENT, *extra):
    return aws("ssm", "create-document", "--name", name, "--document-type",
               "Command", "--content", content, *extra)["DocumentDescription"]


def test_create_describe_and_get(aws):
    d = create(aws, "Hello-Doc")
    assert d["Name"] == "Hello-Doc"
    assert d["Owner"] == ACCOUNT
    assert d["DocumentType"] == "Command"
    assert d["DocumentFormat"] == "JSON"
    assert d["SchemaVersion"] == "2.2"
    assert d["DocumentVersion"] == "1"
    assert d["LatestVersion"] == "1"
    assert d["DefaultVersion"] == "1"
    assert d["HashType"] == "Sha256"
    assert d["Hash"] == hashlib.sha256(CONTENT.encode()).hexdigest()
    assert d["Status"] in ("Creating", "Active")
    assert d["Description"] == "Say hello"
    assert d["PlatformTypes"] == ["Linux", "MacOS"]
    assert d["Parameters"] == [{"Name": "who", "Type": "String",
                                "DefaultValue": "world"}]
    assert epoch_close(d["CreatedDate"])

    g = aws("ssm", "get-document", "--name", "Hello-Doc")
    assert g["Name"] == "Hello-Doc"
    assert g["Content"] == CONTENT
    assert g["DocumentFormat"] == "JSON"
    assert g["DocumentVersion"] == "1"
    assert g["Status"] == "Active"

    y = aws("ssm", "get-document", "--name", "Hello-Doc",
            "--document-format", "YAML")
    assert y["DocumentFormat"] == "YAML"
    assert "schemaVersion: '2.2'" in y["Content"]
    assert "echo hello {{ who }}" in y["Content"]

    b = aws("ssm", "describe-document", "--name", "AWS-RunShellScript")
    assert b["Document"]["Owner"] == "Amazon"
    assert b["Document"]["DocumentType"] == "Command"


def test_versions_and_default(aws, aws_error):
    create(aws, "Versioned")
    v2 = CONTENT.replace("Say hello", "Say hello again")
    u = aws("ssm", "update-document", "--name", "Versioned", "--content", v2,
            "--document-version", "$LATEST")["DocumentDescription"]
    assert (u["DocumentVersion"], u["LatestVersion"], u["DefaultVersion"]) \
        == ("2", "2", "1")
    e = aws_error("ssm", "update-document", "--name", "Versioned",
                  "--content", v2, "--document-version", "$LATEST")
    assert e.code == "DuplicateDocumentContent"
    r = aws("ssm", "update-document-default-version", "--name", "Versioned",
            "--document-version", "2")
    assert r["Description"] == {"Name": "Versioned", "DefaultVersion": "2"}
    vs = aws("ssm", "list-document-versions", "--name", "Versioned")[
        "DocumentVersions"]
    assert [(x["DocumentVersion"], x["IsDefaultVersion"]) for x in vs] == \
        [("2", True), ("1", False)] or \
        [(x["DocumentVersion"], x["IsDefaultVersion"]) for x in vs] == \
        [("1", False), ("2", True)]


def test_list_delete_and_errors(aws, aws_error):
    create(aws, "Mine-1")
    mine = aws("ssm", "list-documents", "--filters",
               "Key=Owner,Values=Self")["DocumentIdentifiers"]
    # the session preferences document belongs to the account, as on AWS
    assert sorted(x["Name"] for x in mine) == ["Mine-1",
                                              "SSM-SessionManagerRunShell"]
    assert {x["Owner"] for x in mine} == {ACCOUNT}
    assert aws("ssm", "delete-document", "--name", "Mine-1") == {}
    e = aws_error("ssm", "get-document", "--name", "Mine-1")
    assert e.code == "InvalidDocument"
    assert e.message == "The specified document does not exist."
    e = aws_error("ssm", "create-document", "--name", "Broken",
                  "--content", "{not json")
    assert e.code == "InvalidDocumentContent"
    e = aws_error("ssm", "create-document", "--name", "AWS-Mine",
                  "--content", CONTENT)
    assert e.code == "ValidationException"
    assert e.message == "Invalid document name AWS-Mine"
