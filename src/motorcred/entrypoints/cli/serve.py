"""``motorcred serve``: migrate, seed the demo profile, then serve API + web."""

from __future__ import annotations

import typer

from motorcred.entrypoints.cli.common import console, handle_errors


@handle_errors
def serve(
    host: str = typer.Option(
        None, "--host", help="Interface to bind (default from settings: 127.0.0.1)."
    ),
    port: int = typer.Option(None, "--port", help="TCP port (default from settings: 8000)."),
    seed_drivers: int = typer.Option(
        200, "--seed-drivers", min=1, help="Demo profile: drivers to create in an empty registry."
    ),
    seed: int = typer.Option(2026, "--seed", help="Demo profile: seed of the demo data."),
) -> None:
    """Start the API and web pages on the configured database, migrating it first.

    In the demo profile (the default) an empty database is filled with demo data
    so there is something to click through.
    """
    import uvicorn

    from motorcred.bootstrap import build_container, seed_demo_if_empty, upgrade_database
    from motorcred.config import Settings
    from motorcred.entrypoints.api.app import create_app

    settings = Settings()
    settings.check_secure()
    with console.status("Migrating the database…"):
        upgrade_database(settings)
    container = build_container(settings)
    if settings.profile == "demo":
        with console.status("Checking for demo data…") as status:
            report = seed_demo_if_empty(
                container,
                drivers=seed_drivers,
                seed=seed,
                on_total=lambda total: status.update(f"Seeding {total} demo registry records…"),
            )
        if report is not None:
            console.print(
                f"Seeded demo registry (seed {seed}): {report.drivers.created} drivers, "
                f"{report.vehicles.created} vehicles"
            )
        from motorcred.services.demo_keys import ensure_demo_keys

        keys = ensure_demo_keys(container.keystore, settings.keystore_issuer, container.clock())
        if keys is not None:
            console.print(
                f"Created demo signing keys for issuer {keys.issuer!r} "
                f"(IACA key: {keys.iaca_key_path})"
            )
    app = create_app(settings, container=container)
    bind_host = host or settings.host
    bind_port = port or settings.port
    console.print(
        f"[bold green]motorcred[/] serving on [link]http://{bind_host}:{bind_port}/[/link]  "
        f"(health: http://{bind_host}:{bind_port}/api/v1/health, profile {settings.profile})"
    )
    if settings.profile == "demo":
        console.print(f"Demo staff token: [cyan]{settings.staff_token}[/]")
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
