"""The `srm` console command: a thin shell over SRM's packages."""

from __future__ import annotations

import typer

from srm.commands import analyze, db, demo, neo4j_server
from srm.commands import audit as audit_commands
from srm.commands import identities as identity_commands
from srm.commands import ingest as ingest_commands
from srm.commands import maps as map_commands
from srm.commands import privacy as privacy_commands
from srm.commands import serve as serve_commands

app = typer.Typer(
    name="srm",
    help="SRM — Social Relationship Management: CRM customers and their social networks in "
    "one Neo4j graph. Run 'srm demo' to see it all on sample data.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(neo4j_server.app, name="neo4j")
app.add_typer(db.app, name="db")
app.add_typer(analyze.app, name="analyze")
app.add_typer(identity_commands.app, name="identities")
app.command(name="demo")(demo.demo)
app.command(name="ingest")(ingest_commands.ingest)
app.command(name="generate")(ingest_commands.generate)
app.command(name="erase")(privacy_commands.erase)
app.add_typer(privacy_commands.privacy_app, name="privacy")
app.command(name="backup")(privacy_commands.backup)
app.command(name="restore")(privacy_commands.restore)
app.command(name="serve")(serve_commands.serve)
app.command(name="audit")(audit_commands.audit)
app.add_typer(serve_commands.keys_app, name="api-key")
app.add_typer(map_commands.app, name="map")
app.command(name="export")(map_commands.export_command)

if __name__ == "__main__":
    app()
