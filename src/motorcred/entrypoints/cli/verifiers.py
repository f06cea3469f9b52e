"""``motorcred verifiers``: register verifier organisations, issue and revoke their keys."""

from __future__ import annotations

import typer
from rich.table import Table

from motorcred.entrypoints.cli.common import console, emit_json, handle_errors

verifiers_app = typer.Typer(
    help="Verifier organisations (police, rental, insurer…) and their API keys (staff).",
    no_args_is_help=True,
)

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object instead of text.")


@verifiers_app.command("add")
@handle_errors
def add(
    name: str = typer.Argument(..., help="The organisation's name (unique)."),
    role: str = typer.Option(
        ..., "--role", help="police, rental, insurer, employer, dealer or bank."
    ),
    contact: str = typer.Option(..., "--contact", help="Who to call about this verifier."),
    key: str = typer.Option(
        "api_key", "--key", help="First credential: api_key, client (OAuth2) or none."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Register an organisation and give it a first API key or OAuth2 client."""
    from motorcred.entrypoints.cli.registry import container
    from motorcred.errors import UsageError
    from motorcred.services import verifiers

    if key not in ("api_key", "client", "none"):
        raise UsageError("VERIFIER_KEY_KIND", "--key must be api_key, client or none")
    with container() as wired:
        org = verifiers.register_org(wired, name, role, contact)
        issued = None if key == "none" else verifiers.issue_key(wired, org.id, key)
    out = verifiers.org_view(org)
    secret: dict[str, object] = {}
    if issued is not None:
        secret = {"id": issued.id, "kind": issued.kind, "prefix": issued.prefix}
        if issued.kind == "client":
            secret |= {"client_id": issued.client_id, "client_secret": issued.secret}
        else:
            secret["api_key"] = issued.secret
        out["key"] = secret
    if as_json:
        emit_json({"ok": True, **out})
        return
    console.print(f"Registered [cyan]{org.name}[/] (id {org.id}, role {org.role})")
    if issued is not None:
        console.print("Secret (shown once, store it now):")
        for label, value in secret.items():
            console.print(f"  {label}: {value}")


@verifiers_app.command("add-key")
@handle_errors
def add_key(
    org_id: int = typer.Argument(..., help="The organisation's id."),
    kind: str = typer.Option("api_key", "--kind", help="api_key or client (OAuth2)."),
    label: str = typer.Option("", "--label", help="What the key is for (terminal, server…)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Give an organisation another API key or OAuth2 client."""
    from motorcred.entrypoints.cli.registry import container
    from motorcred.services import verifiers

    with container() as wired:
        issued = verifiers.issue_key(wired, org_id, kind, label)
    out = {"id": issued.id, "org_id": org_id, "kind": issued.kind, "prefix": issued.prefix}
    if issued.kind == "client":
        out |= {"client_id": issued.prefix, "client_secret": issued.secret}
    else:
        out["api_key"] = issued.secret
    if as_json:
        emit_json({"ok": True, **out})
        return
    console.print("New key (the secret is shown once):")
    for label_, value in out.items():
        console.print(f"  {label_}: {value}")


@verifiers_app.command("list")
@handle_errors
def list_(as_json: bool = JSON_OPTION) -> None:
    """Organisations with their keys (prefixes only, never secrets)."""
    from motorcred.entrypoints.cli.registry import container
    from motorcred.services import verifiers

    with container() as wired:
        items = verifiers.list_orgs(wired)
    if as_json:
        emit_json({"ok": True, "items": [verifiers.org_view(o, k) for o, k in items]})
        return
    table = Table("id", "name", "role", "contact", "keys")
    for org, keys in items:
        live = [f"{k.id}:{k.prefix}" for k in keys if k.revoked_at is None]
        table.add_row(str(org.id), org.name, org.role, org.contact, ", ".join(live) or "-")
    console.print(table)


@verifiers_app.command("revoke-key")
@handle_errors
def revoke_key(
    key_id: int = typer.Argument(..., help="The key's id (see `motorcred verifiers list`)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Revoke a key at once, with every bearer token issued under it."""
    from motorcred.entrypoints.cli.registry import container
    from motorcred.services import verifiers

    with container() as wired:
        changed = verifiers.revoke_key(wired, key_id)
    if as_json:
        emit_json({"ok": True, "id": key_id, "revoked": True, "changed": changed})
    else:
        console.print(f"Key {key_id} revoked" + ("" if changed else " (it already was)"))


def register(app: typer.Typer) -> None:
    app.add_typer(verifiers_app, name="verifiers")
