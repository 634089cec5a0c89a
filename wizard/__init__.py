"""rocketmq-wizard: create Huawei Cloud DMS for RocketMQ instances, validated before anything is sent."""

__version__ = "0.1.0"
