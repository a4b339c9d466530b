"""The click commands, one module per group; `targettrack.cli` wires them into the main group."""
