"""The wizard's steps and what each field of the create body means to a person.

This is the one place that says which step a field belongs to, its label, its help text, its limits and
its choices. The model attaches these to its fields; screens, `--help` and error messages read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

#: A 4.8.0 broker is one master and two standby nodes: each node needs its own EIP for public access.
EIPS_PER_BROKER = 3

#: The documented minimum storage per broker for 4.8.0, in GB.
MIN_STORAGE_PER_BROKER_GB = 300


def split_ids(value: str) -> list[str]:
    """The items of a comma-separated ID list (`publicip_id`, typed AZ IDs), stripped; blanks are kept
    so the model can report them."""
    return [part.strip() for part in value.split(",")]


def typed_ids(value: object) -> list[str]:
    """The non-blank IDs in what a person typed as a comma-separated list (nothing for a non-string)."""
    return [part for part in split_ids(value) if part] if isinstance(value, str) else []


class Step(StrEnum):
    """The wizard's steps that hold fields, in the order a user walks them."""

    BASICS = "basics"
    NETWORK = "network"
    FLAVOR = "flavor"
    STORAGE = "storage"
    PUBLIC_ACCESS = "public_access"
    BILLING = "billing"

    @property
    def label(self) -> str:
        """The step's name as a person reads it."""
        return _STEP_TITLES[self]


_STEP_TITLES = {
    Step.BASICS: "Basics",
    Step.NETWORK: "Network",
    Step.FLAVOR: "Flavor",
    Step.STORAGE: "Storage",
    Step.PUBLIC_ACCESS: "Public access",
    Step.BILLING: "Billing",
}

NAME_MIN, NAME_MAX = 4, 64
DESCRIPTION_MAX = 1024
PERIOD_LIMITS = {"month": (1, 9), "year": (1, 3)}
_MONTHS, _YEARS = PERIOD_LIMITS["month"], PERIOD_LIMITS["year"]


@dataclass(frozen=True)
class FieldSpec:
    """What one field of the create body is, for people: its step, label, help, limits and choices."""

    path: str
    step: Step
    label: str
    help: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def schema_extra(self) -> dict[str, Any]:
        """The spec as JSON-schema extras, so it travels with the pydantic field."""
        extra: dict[str, Any] = {"step": self.step.value, "label": self.label}
        if self.choices:
            extra["choices"] = list(self.choices)
        if self.minimum is not None:
            extra["minimum"] = self.minimum
        if self.maximum is not None:
            extra["maximum"] = self.maximum
        return extra


_SPECS = (
    FieldSpec(
        "name",
        Step.BASICS,
        "Instance name",
        f"Starts with a letter; {NAME_MIN}-{NAME_MAX} characters; letters, digits, _ and - only.",
        minimum=NAME_MIN,
        maximum=NAME_MAX,
    ),
    FieldSpec(
        "description",
        Step.BASICS,
        "Description",
        f"Optional, at most {DESCRIPTION_MAX} characters. Quotes and backslashes are fine.",
        maximum=DESCRIPTION_MAX,
    ),
    FieldSpec(
        "enterprise_project_id",
        Step.BASICS,
        "Enterprise project",
        "The enterprise project that owns the instance; mandatory for enterprise-project accounts.",
    ),
    FieldSpec("engine", Step.FLAVOR, "Engine", "The message engine: always 'reliability'.", ("reliability",)),
    FieldSpec("engine_version", Step.FLAVOR, "Engine version", "RocketMQ version: 4.8.0.", ("4.8.0",)),
    FieldSpec("vpc_id", Step.NETWORK, "VPC", "The VPC the instance's brokers are placed in (its ID)."),
    FieldSpec("subnet_id", Step.NETWORK, "Subnet", "A subnet of the chosen VPC (its network ID)."),
    FieldSpec(
        "security_group_id",
        Step.NETWORK,
        "Security group",
        "The security group the instance belongs to (its ID).",
    ),
    FieldSpec(
        "available_zones",
        Step.NETWORK,
        "Availability zones",
        "AZ IDs (not codes like cn-north-4a) where the brokers run: 1 AZ, or 3 or more; never 2.",
    ),
    FieldSpec(
        "product_id",
        Step.FLAVOR,
        "Flavor",
        "The broker flavor: it sets the topics, consumer groups and TPS each broker can take.",
    ),
    FieldSpec(
        "broker_num",
        Step.FLAVOR,
        "Brokers",
        "How many brokers; each is one master and two standby nodes. Range set by the flavor.",
        minimum=1,
        maximum=10,
    ),
    FieldSpec(
        "storage_spec_code",
        Step.STORAGE,
        "Disk type",
        "High I/O or ultra-high I/O disks, as sold for the flavor in the chosen AZs.",
    ),
    FieldSpec(
        "storage_space",
        Step.STORAGE,
        "Storage (total GB)",
        f"Total GB for the instance = storage per broker x brokers; at least "
        f"{MIN_STORAGE_PER_BROKER_GB} GB per broker.",
        minimum=MIN_STORAGE_PER_BROKER_GB,
    ),
    FieldSpec(
        "enable_publicip",
        Step.PUBLIC_ACCESS,
        "Public access",
        "Reach the brokers from the internet through EIPs bound to every broker node.",
    ),
    FieldSpec(
        "publicip_id",
        Step.PUBLIC_ACCESS,
        "EIPs",
        f"Comma-separated IDs of unbound IPv4 EIPs: exactly {EIPS_PER_BROKER} per broker (one per broker node).",
    ),
    FieldSpec("ssl_enable", Step.PUBLIC_ACCESS, "SSL", "Encrypt client connections with SSL."),
    FieldSpec("enable_acl", Step.PUBLIC_ACCESS, "ACL", "Require access control for topics and groups."),
    FieldSpec("ipv6_enable", Step.PUBLIC_ACCESS, "IPv6", "Give the instance IPv6 addresses as well."),
    FieldSpec(
        "bss_param",
        Step.BILLING,
        "Billing",
        "Billing for yearly/monthly instances; leave it out for pay-per-use.",
    ),
    FieldSpec(
        "bss_param.charging_mode",
        Step.BILLING,
        "Billing mode",
        "postPaid = pay-per-use (default); prePaid = yearly/monthly.",
        ("postPaid", "prePaid"),
    ),
    FieldSpec(
        "bss_param.period_type",
        Step.BILLING,
        "Period type",
        "For yearly/monthly billing: month or year.",
        ("month", "year"),
    ),
    FieldSpec(
        "bss_param.period_num",
        Step.BILLING,
        "Periods",
        f"For yearly/monthly billing: {_MONTHS[0]}-{_MONTHS[1]} months or {_YEARS[0]}-{_YEARS[1]} years.",
        minimum=min(_MONTHS[0], _YEARS[0]),
        maximum=max(_MONTHS[1], _YEARS[1]),
    ),
    FieldSpec(
        "bss_param.is_auto_renew",
        Step.BILLING,
        "Auto-renew",
        "Renew the subscription automatically when it ends.",
    ),
    FieldSpec(
        "bss_param.is_auto_pay",
        Step.BILLING,
        "Auto-pay",
        "Pay the order from the account balance at once; otherwise pay it in the console.",
    ),
)

FIELD_SPECS: dict[str, FieldSpec] = {spec.path: spec for spec in _SPECS}


def field_spec(path: str) -> FieldSpec:
    """The spec of a dotted API path, e.g. `bss_param.period_num`."""
    return FIELD_SPECS[path]


def step_of(path: str) -> Step:
    """The step that owns a dotted API path; unknown keys belong to the step of their parent, else basics."""
    while path:
        if path in FIELD_SPECS:
            return FIELD_SPECS[path].step
        path = path.rpartition(".")[0]
    return Step.BASICS


def fields_of(step: Step) -> tuple[str, ...]:
    """The dotted API paths a step owns, in screen order."""
    return tuple(spec.path for spec in _SPECS if spec.step is step)
