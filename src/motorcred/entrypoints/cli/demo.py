"""``motorcred demo seed``: fill the registry with deterministic synthetic records."""

from __future__ import annotations

import typer

from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.errors import UsageError

demo_app = typer.Typer(help="Demo data for trying motorcred out.", no_args_is_help=True)


@demo_app.command("seed")
@handle_errors
def seed(
    drivers: int = typer.Option(200, "--drivers", min=1, help="How many drivers to create."),
    seed_value: int = typer.Option(2026, "--seed", help="Same seed, same people and vehicles."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Create N synthetic drivers with licences and vehicles (deterministic for a seed).

    Valid check characters, real plate prefixes of each city, a realistic class
    mix and some suspended, expired, over-points and overdue records. Running it
    again with the same seed changes nothing. Refused outside the demo and test
    profiles, so demo people never reach a production registry.
    """
    from motorcred.config import Settings
    from motorcred.entrypoints.cli.registry import container, progress_bar

    if Settings().profile not in ("demo", "test"):
        raise UsageError(
            "DEMO_PROFILE_ONLY", "demo data is only seeded in the demo or test profile"
        )
    with container() as wired, progress_bar("Seeding demo registry", None, quiet=as_json) as bar:
        task = bar.task_ids[0]
        report = wired.demo_seed.seed(
            drivers,
            seed_value,
            on_total=lambda total: bar.update(task, total=total),
            progress=lambda n: bar.advance(task, n),
        )
    rejected = report.drivers.rejected_count + report.vehicles.rejected_count
    if as_json:
        emit_json({"ok": rejected == 0} | report.to_dict())
    else:
        for part in (report.drivers, report.vehicles):
            console.print(
                f"{part.kind}: {part.created} created, {part.updated} updated, "
                f"{part.unchanged} unchanged, {part.rejected_count} rejected"
            )
        console.print(f"rollout calendar: {report.cities_changed} cities added or changed")
    if rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
