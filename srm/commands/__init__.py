"""The `srm` command's subcommands, one module per concern; srm.cli assembles them."""
