"""The output schema, and the bounds the model's grammar depends on."""

from __future__ import annotations

import json
from typing import Any

from summarizer.schema import BriefDraft, Record


def walk(schema: dict[str, Any], definitions: dict[str, Any], path: str = "$"):
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        yield from walk(definitions[name], definitions, f"{path}<{name}>")
        return
    yield path, schema
    for key, child in schema.get("properties", {}).items():
        yield from walk(child, definitions, f"{path}.{key}")
    if isinstance(schema.get("items"), dict):
        yield from walk(schema["items"], definitions, f"{path}[]")
    for option in schema.get("anyOf", []):
        yield from walk(option, definitions, path)


def test_every_list_and_string_the_model_fills_is_bounded() -> None:
    schema = BriefDraft.model_json_schema()
    nodes = list(walk(schema, schema.get("$defs", {})))
    unbounded = [
        path
        for path, node in nodes
        if (node.get("type") == "array" and "maxItems" not in node)
        or (node.get("type") == "string" and "enum" not in node and "maxLength" not in node)
    ]
    assert len(nodes) > 20
    assert unbounded == []


def test_the_model_fills_no_ids_offsets_or_hashes() -> None:
    text = json.dumps(BriefDraft.model_json_schema())
    for computed in ('"id"', '"start"', '"end"', '"sha256"', '"responds_to"'):
        assert computed not in text


def test_every_draft_field_is_required_so_the_grammar_walks_one_path() -> None:
    schema = BriefDraft.model_json_schema()
    for _, node in walk(schema, schema["$defs"]):
        if node.get("type") == "object":
            assert set(node["required"]) == set(node["properties"])


def test_schema_command_prints_the_record_schema(cli) -> None:
    ran = cli("schema")
    assert ran.exit_code == 0
    schema = ran.json()
    assert schema == Record.model_json_schema()
    assert {"article_id", "sha256", "actors", "allegations", "denials", "meta"} <= set(
        schema["properties"]
    )
    meta = schema["$defs"]["Meta"]["properties"]
    for field in ("model", "engine", "mode", "prompt_fingerprint", "attempts", "usage"):
        assert field in meta


def test_schema_draft_flag_prints_what_the_model_fills(cli) -> None:
    assert cli("schema", "--draft").json()["title"] == "BriefDraft"
