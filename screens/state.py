"""The wizard's answers and what the screens know about them, with no Textual in sight.

`WizardState` holds the request values (API field names; `bss_param` nested), the catalog and the live
lists, and judges the whole request with the model after every change. It also applies the rules that
tie answers together: a new VPC clears the subnet and a security group tied to the old one; a new broker
count keeps the storage per broker and recomputes the total; public access off drops the EIPs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from wizard.catalog import OFFLINE_CATALOG, PAY_PER_USE, YEARLY_MONTHLY, Catalog, Flavor
from wizard.create_route import DEFAULT_ROUTE, ApiRoute, route_problem
from wizard.fields import PERIOD_LIMITS, Step, typed_ids
from wizard.resources import Eip, EnterpriseProject, SecurityGroup, Subnet, Vpc
from wizard.validation import Issue, RequestInvalid, parse_request

if TYPE_CHECKING:
    from wizard.model import CreateInstanceRequest

#: Every step a user walks, in order: the field steps, then review.
STEPS: tuple[Step, ...] = tuple(Step)

T = TypeVar("T")


@dataclass
class LiveList(Generic[T]):
    """One list fetched from the cloud: its items once loaded, or why it could not be loaded."""

    items: tuple[T, ...] | None = None
    error: str | None = None
    loading: bool = False

    @property
    def loaded(self) -> bool:
        """True when the items arrived."""
        return self.items is not None

    def find(self, item_id: str) -> T | None:
        """The item with this `id`, if the list is loaded and has it."""
        for item in self.items or ():
            if getattr(item, "id", None) == item_id:
                return item
        return None


@dataclass
class LiveLists:
    """The cloud lists the steps offer choices from."""

    vpcs: LiveList[Vpc] = field(default_factory=LiveList)
    subnets: LiveList[Subnet] = field(default_factory=LiveList)
    security_groups: LiveList[SecurityGroup] = field(default_factory=LiveList)
    eips: LiveList[Eip] = field(default_factory=LiveList)
    enterprise_projects: LiveList[EnterpriseProject] = field(default_factory=LiveList)
    catalog: LiveList[Catalog] = field(default_factory=LiveList)


def period_range(period_type: str | None) -> tuple[int, int]:
    """The allowed number of periods for a period type (months when unknown)."""
    return PERIOD_LIMITS.get(period_type or "month", PERIOD_LIMITS["month"])


class WizardState:
    """The answers so far, judged by the model after every change."""

    def __init__(self, values: Mapping[str, Any] | None = None, catalog: Catalog | None = None) -> None:
        self.values: dict[str, Any] = {}
        self.catalog: Catalog = catalog or OFFLINE_CATALOG
        self.lists = LiveLists()
        self.storage_per_broker: int | str | None = None
        self.visited: set[Step] = set()
        self.attempted: set[Step] = set()
        self.touched: set[str] = set()
        self.version = 0
        self.api_route: ApiRoute = DEFAULT_ROUTE
        self._judged: tuple[int, list[Issue], CreateInstanceRequest | None] | None = None
        if values:
            self.load(values)

    # --- reading -------------------------------------------------------------------------------

    def get(self, path: str, default: Any = None) -> Any:
        """The value at a dotted API path, or `default`."""
        head, _, rest = path.partition(".")
        value = self.values.get(head, default)
        if rest:
            return value.get(rest, default) if isinstance(value, Mapping) else default
        return value

    def _judge(self) -> tuple[int, list[Issue], CreateInstanceRequest | None]:
        # Judged once per change (version), however many screens ask.
        if self._judged is None or self._judged[0] != self.version:
            try:
                request: CreateInstanceRequest | None = parse_request(self.values, self.catalog)
                issues: list[Issue] = []
            except RequestInvalid as exc:
                request, issues = None, list(exc.issues)
            extra = self._context_issues()
            self._judged = (self.version, issues + extra, None if extra else request)
        return self._judged

    def _context_issues(self) -> list[Issue]:
        """Problems the model cannot see: the answers against the route they will be sent on."""
        problem = route_problem(self.api_route, self.values)
        if problem is None:
            return []
        return [Issue("bss_param.charging_mode", Step.BILLING, problem)]

    def set_api_route(self, route: ApiRoute) -> None:
        """Judge the answers for the create route the connection uses."""
        if route != self.api_route:
            self.api_route = route
            self._changed()

    def issues(self) -> list[Issue]:
        """Every problem with the answers, judged by the model with the current catalog."""
        return self._judge()[1]

    def request(self) -> CreateInstanceRequest | None:
        """The valid request the answers make, or None while any of them breaks a rule."""
        return self._judge()[2]

    def issues_of(self, step: Step) -> list[Issue]:
        """The problems a step owns."""
        return [issue for issue in self.issues() if issue.step is step]

    def issue_for(self, path: str) -> Issue | None:
        """The first problem with one field (a `bss_param` child matches its own path or the parent's)."""
        for issue in self.issues():
            if issue.field == path:
                return issue
        return None

    def shows_issue(self, path: str, step: Step) -> bool:
        """True when a field's problem should be shown: it has a value, the user touched it, or tried to
        leave the step (a blank is not a mistake until then)."""
        return path in self.touched or step in self.attempted or self._has(path)

    def step_status(self, step: Step) -> str:
        """'done', 'invalid' or 'todo' for the stepper."""
        if step not in self.visited and step not in self.attempted:
            return "todo"
        return "invalid" if self.issues_of(step) else "done"

    def first_unfinished(self) -> Step | None:
        """The first step with a problem, or None when the request is complete."""
        for step in STEPS:
            if self.issues_of(step):
                return step
        return None

    @property
    def flavor(self) -> Flavor | None:
        """The chosen flavor, when it is one the catalog knows."""
        product = self.get("product_id")
        return self.catalog.flavor(product) if isinstance(product, str) else None

    @property
    def zones(self) -> list[str]:
        """The chosen AZ IDs."""
        zones = self.get("available_zones")
        return list(zones) if isinstance(zones, list) else []

    @property
    def brokers(self) -> int | None:
        """The broker count, when it is a whole number."""
        value = self.get("broker_num")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def charging_mode(self) -> str:
        """postPaid (pay-per-use) or prePaid (yearly/monthly)."""
        mode = self.get("bss_param.charging_mode")
        return mode if isinstance(mode, str) else PAY_PER_USE

    @property
    def eip_ids(self) -> list[str]:
        """The chosen EIP IDs."""
        return typed_ids(self.get("publicip_id"))

    def flavor_unavailable_reason(self, flavor: Flavor) -> str | None:
        """Why a flavor cannot be chosen with the other answers, or None."""
        zones = self.zones
        if zones and not flavor.sold_in(zones):
            return "not sold in the chosen AZs"
        if self.charging_mode not in flavor.billing_modes:
            return "not sold " + ("yearly/monthly" if self.charging_mode == YEARLY_MONTHLY else "pay-per-use")
        return None

    def disk_unavailable_reason(self, code: str) -> str | None:
        """Why a disk type cannot be chosen with the flavor and AZs, or None."""
        flavor = self.flavor
        if flavor is None:
            return None
        offer = flavor.storage_offer(code)
        if offer is None:
            return f"not sold with {flavor.id}"
        zones = self.zones
        if zones and not offer.sold_in(zones):
            return "not sold in the chosen AZs"
        return None

    def eips_needed(self) -> int | None:
        """How many EIPs public access needs (3 per broker), when the broker count is known."""
        from wizard.fields import EIPS_PER_BROKER

        brokers = self.brokers
        return EIPS_PER_BROKER * brokers if brokers else None

    def storage_total(self) -> int | None:
        """The total GB that will be sent, when it is exactly the per-broker storage x brokers."""
        per, brokers, total = self.storage_per_broker, self.brokers, self.get("storage_space")
        if isinstance(per, int) and brokers and total == per * brokers:
            return per * brokers
        return None

    # --- changing ------------------------------------------------------------------------------

    def load(self, values: Mapping[str, Any]) -> None:
        """Start over with these answers (a new instance, a resumed draft or a profile): nothing touched yet."""
        self.values = {key: (dict(value) if isinstance(value, Mapping) else value) for key, value in values.items()}
        self.touched.clear()
        self.visited.clear()
        self.attempted.clear()
        space, brokers = self.values.get("storage_space"), self.brokers
        # A total that does not divide by the brokers has no per-broker figure: its problem shows instead.
        self.storage_per_broker = None
        if isinstance(space, int) and brokers and space % brokers == 0:
            self.storage_per_broker = space // brokers
        elif isinstance(space, int) and not brokers:
            self.storage_per_broker = space
        self._changed()

    def set_catalog(self, catalog: Catalog) -> None:
        """Judge the answers against another catalog (the live one, once loaded)."""
        self.catalog = catalog
        self._changed()

    def set(self, path: str, value: Any, *, touch: bool = True) -> bool:
        """Set (or, with None, clear) one answer and apply what depends on it; True when anything changed."""
        if touch:
            self.touched.add(path)
        if path == "storage_space_per_broker":
            if touch:
                self.touched.add("storage_space")  # the row that shows its problem
            return self._set_storage_per_broker(value)
        if self.get(path) == value and (value is not None or self._has(path)):
            return False
        before = self.get(path)
        self._put(path, value)
        self._dependants(path, before, value)
        self._changed()
        return True

    def attempt(self, step: Step) -> None:
        """Mark that the user tried to leave a step, so all its problems are shown."""
        self.attempted.add(step)

    def visit(self, step: Step) -> None:
        """Mark a step as seen."""
        self.visited.add(step)

    def _has(self, path: str) -> bool:
        head, _, rest = path.partition(".")
        if not rest:
            return head in self.values
        parent = self.values.get(head)
        return isinstance(parent, Mapping) and rest in parent

    def _put(self, path: str, value: Any) -> None:
        head, _, rest = path.partition(".")
        if not rest:
            if value is None:
                self.values.pop(head, None)
            else:
                self.values[head] = value
            return
        parent = self.values.get(head)
        if not isinstance(parent, dict):
            parent = {}
        if value is None:
            parent.pop(rest, None)
        else:
            parent[rest] = value
        if parent:
            self.values[head] = parent
        else:
            self.values.pop(head, None)

    def _set_storage_per_broker(self, value: int | str | None) -> bool:
        if value == self.storage_per_broker:
            return False
        self.storage_per_broker = value
        self._sync_storage_total()
        self._changed()
        return True

    def _sync_storage_total(self) -> None:
        per = self.storage_per_broker
        brokers = self.brokers
        if isinstance(per, int):
            self._put("storage_space", per * brokers if brokers else per)
        elif per is None:
            self._put("storage_space", None)
        else:
            # Not a whole number: the model reports it against storage_space in its own words.
            self._put("storage_space", per)

    def _dependants(self, path: str, before: Any, value: Any) -> None:
        if path == "vpc_id":
            self._vpc_changed(value)
        elif path == "broker_num":
            self._sync_storage_total()
        elif path == "enable_publicip" and value is not True:
            self._put("publicip_id", None)
        elif path == "bss_param.charging_mode":
            if value == YEARLY_MONTHLY:
                bss = self.values.setdefault("bss_param", {})
                bss.setdefault("period_type", "month")
                bss.setdefault("period_num", 1)
                bss.setdefault("is_auto_renew", False)
                bss.setdefault("is_auto_pay", False)
            else:
                # Pay-per-use takes no billing parameters at all.
                self.values.pop("bss_param", None)
        elif path == "product_id" and isinstance(value, str):
            flavor = self.catalog.flavor(value)
            if flavor is not None and self.brokers is None:
                self._put("broker_num", flavor.min_broker)
            if flavor is not None and self.storage_per_broker is None:
                self.storage_per_broker = flavor.min_storage_per_broker
            self._sync_storage_total()

    def _vpc_changed(self, vpc_id: str | None) -> None:
        subnet_id = self.get("subnet_id")
        if isinstance(subnet_id, str):
            subnet = self.lists.subnets.find(subnet_id)
            # A subnet always belongs to one VPC; one typed by hand cannot be checked, so it goes too.
            if subnet is None or subnet.vpc_id != vpc_id:
                self._put("subnet_id", None)
        group_id = self.get("security_group_id")
        if isinstance(group_id, str):
            group = self.lists.security_groups.find(group_id)
            if group is not None and group.vpc_id and group.vpc_id != vpc_id:
                self._put("security_group_id", None)

    def _changed(self) -> None:
        self.version += 1

    # --- lists ---------------------------------------------------------------------------------

    def subnets_of_vpc(self) -> list[Subnet]:
        """The loaded subnets of the chosen VPC."""
        vpc_id = self.get("vpc_id")
        return [s for s in self.lists.subnets.items or () if s.vpc_id == vpc_id]

    def security_groups_for_vpc(self) -> list[SecurityGroup]:
        """Security groups usable with the chosen VPC (those tied to no VPC, or to this one)."""
        vpc_id = self.get("vpc_id")
        return [g for g in self.lists.security_groups.items or () if not g.vpc_id or g.vpc_id == vpc_id]
