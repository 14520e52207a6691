"""manifest.yml is what an admin pastes into Slack: it must pass Slack's published manifest schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from sandbox.openapi_check import find_reference_dir

REPO = Path(__file__).resolve().parents[1]
FLOOR_COMMANDS = {"/cook", "/label", "/pack", "/ship", "/receive", "/floor"}
# The top-level schema points at these published copies; the reference dir holds the same files.
SCHEMA_URL = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.{}.json"


@pytest.fixture(scope="module")
def schema_dir() -> Path:
    directory = find_reference_dir() / "slack" / "manifest-schema"
    if not (directory / "manifest.schema.json").is_file():
        pytest.fail(f"Slack manifest schema not found in {directory}; set SHOPFLOOR_REFERENCE_DIR")
    return directory


@pytest.fixture(scope="module")
def validator(schema_dir: Path) -> jsonschema.Draft7Validator:
    resources = [
        (SCHEMA_URL.format(version), Resource.from_contents(
            json.loads((schema_dir / "schemas" / f"manifest.schema.{version}.json").read_text()),
            default_specification=DRAFT7))
        for version in ("1.0.0", "2.0.0")
    ]
    top = json.loads((schema_dir / "manifest.schema.json").read_text())
    return jsonschema.Draft7Validator(top, registry=Registry().with_resources(resources))


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((REPO / "manifest.yml").read_text())


def _problems(validator: jsonschema.Draft7Validator, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_schema_tells_valid_from_invalid(validator: jsonschema.Draft7Validator, schema_dir: Path) -> None:
    # Without this, a schema that resolved to nothing would pass every manifest.
    valid = json.loads((schema_dir / "tests-v2" / "manifest.valid.json").read_text())
    invalid = json.loads((schema_dir / "tests-v2" / "manifest.invalid.json").read_text())
    assert _problems(validator, valid) == []
    assert _problems(validator, invalid) != []


def test_manifest_matches_slack_schema(validator: jsonschema.Draft7Validator, manifest: dict) -> None:
    assert _problems(validator, manifest) == []


def test_schema_rejects_a_broken_copy_of_our_manifest(validator: jsonschema.Draft7Validator,
                                                      manifest: dict) -> None:
    broken = json.loads(json.dumps(manifest))
    broken["features"]["slash_commands"][0]["command"] = "cook"  # Slack needs the leading slash
    assert _problems(validator, broken) != []


def test_floor_commands_reach_the_bot(manifest: dict) -> None:
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == FLOOR_COMMANDS
    for command in commands.values():
        assert command["url"].endswith("/slack/events"), command
        assert command["description"] and command["usage_hint"]
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")


def test_settings_and_scopes_are_what_the_bot_needs(manifest: dict) -> None:
    settings = manifest["settings"]
    assert (settings["org_deploy_enabled"], settings["socket_mode_enabled"],
            settings["token_rotation_enabled"]) == (False, False, False)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands", "chat:write", "chat:write.public", "users:read", "files:read", "files:write", "usergroups:read",
        "channels:history", "groups:history"}
    assert manifest["features"]["bot_user"]["display_name"] == "shopfloor"
    assert manifest["display_information"]["name"] == "Shopfloor"
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is False
