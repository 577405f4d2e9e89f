"""The `import` and `check` commands (registered on archive.cli.main)."""
