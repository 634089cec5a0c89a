"""`python -m wizard` does what `rocketmq-wizard` does."""

from wizard.cli import entry

entry()
