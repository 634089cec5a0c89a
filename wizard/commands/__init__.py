"""The headless commands: each module adds one subcommand to the CLI and never imports Textual."""
