"""The Textual face of rocketmq-wizard: one screen per step, over the headless core in `wizard`."""
