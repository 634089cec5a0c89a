"""Plain records of what the cloud (or the sandbox) lists: the choices the wizard offers.

The client builds these from API responses; screens and commands show them. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vpc:
    """A VPC the instance can be placed in."""

    id: str
    name: str
    cidr: str = ""
    status: str = ""


@dataclass(frozen=True)
class Subnet:
    """A subnet; its `id` (the network ID) is what the create body's `subnet_id` takes."""

    id: str
    name: str
    vpc_id: str
    cidr: str = ""
    availability_zone: str = ""
    status: str = ""
    available_ips: int | None = None


@dataclass(frozen=True)
class SecurityGroup:
    """A security group; `vpc_id` is empty when the API does not tie it to a VPC."""

    id: str
    name: str
    vpc_id: str = ""
    description: str = ""


@dataclass(frozen=True)
class Eip:
    """An elastic IP; only unbound (status DOWN) IPv4 ones can be given to a new instance."""

    id: str
    address: str
    status: str
    ip_version: int = 4
    bandwidth_size: int | None = None

    @property
    def bindable(self) -> bool:
        """True when the EIP is unbound IPv4, so a new instance can take it."""
        return self.status == "DOWN" and self.ip_version == 4


@dataclass(frozen=True)
class EnterpriseProject:
    """An enterprise project (only accounts that use them have any)."""

    id: str
    name: str


@dataclass(frozen=True)
class Quota:
    """How many RocketMQ instances the account may have, and how many it has."""

    quota: int
    used: int

    @property
    def remaining(self) -> int:
        """Instances that can still be created."""
        return max(self.quota - self.used, 0)


@dataclass(frozen=True)
class Instance:
    """What `show` and `list` tell of an instance (the fields the wizard uses)."""

    id: str
    name: str
    status: str
    engine_version: str = ""
    product_id: str = ""
    broker_num: int | None = None
    storage_space: int | None = None
    available_zones: tuple[str, ...] = ()
    created_at: str = ""
    raw: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


#: Statuses from which an instance will not reach RUNNING without someone acting.
FAILED_STATUSES = frozenset({"CREATEFAILED", "ERROR", "FROZEN", "EXTENDEDFAILED"})
RUNNING = "RUNNING"
CREATING = "CREATING"


@dataclass(frozen=True)
class StatusChange:
    """One observed status of an instance while waiting for it, with seconds since the wait began."""

    instance: Instance
    elapsed: float

    @property
    def finished(self) -> bool:
        """True when waiting longer would not change the outcome."""
        return self.instance.status == RUNNING or self.instance.status in FAILED_STATUSES


@dataclass(frozen=True)
class CreateOutcome:
    """The result of a create: the new instance's ID.

    `recovered` is True when the create call's answer was lost to a fault and the instance was found
    afterwards by its exact name instead.
    """

    instance_id: str
    name: str
    recovered: bool = False
