"""The create-instance request body: one pydantic model, built from one sub-model per wizard step.

Field names are exactly the API's. Types are strict (a file's "600" is not an integer). Rules that
need the catalog read it from the validation context: ``model_validate(data, context={"catalog": c})``;
without one the offline catalog applies. Validation reports every problem at once, including the
rules that span steps, each as a pydantic error whose location is the field to fix.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from wizard.catalog import (
    OFFLINE_CATALOG,
    PAY_PER_USE,
    YEARLY_MONTHLY,
    Catalog,
)
from wizard.fields import (
    DESCRIPTION_MAX,
    EIPS_PER_BROKER,
    NAME_MAX,
    NAME_MIN,
    PERIOD_LIMITS,
    FieldSpec,
    field_spec,
    split_ids,
)

#: The order of the vendor's table; `to_api_body` keeps it so exports read like the documentation.
API_FIELD_ORDER = (
    "name",
    "description",
    "engine",
    "engine_version",
    "storage_space",
    "vpc_id",
    "subnet_id",
    "security_group_id",
    "available_zones",
    "product_id",
    "ssl_enable",
    "storage_spec_code",
    "enterprise_project_id",
    "enable_acl",
    "ipv6_enable",
    "enable_publicip",
    "publicip_id",
    "broker_num",
    "bss_param",
)
BSS_FIELD_ORDER = ("is_auto_renew", "charging_mode", "is_auto_pay", "period_type", "period_num")

_NAME_CHARS = re.compile(r"[A-Za-z0-9_-]")


def catalog_from(info: ValidationInfo | None) -> Catalog:
    """The catalog in the validation context, or the offline one."""
    context = info.context if info is not None else None
    if isinstance(context, Mapping):
        catalog = context.get("catalog")
        if isinstance(catalog, Catalog):
            return catalog
    return OFFLINE_CATALOG


#: The error kinds this module raises itself (the rest are pydantic's own).
_OWN_KINDS: set[str] = set()


def _rule(kind: str, message: str) -> PydanticCustomError:
    _OWN_KINDS.add(kind)
    return PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}"))


def _field(path: str, default: Any = ..., **kwargs: Any) -> Any:
    spec: FieldSpec = field_spec(path)
    return Field(default, description=spec.help, json_schema_extra=spec.schema_extra(), **kwargs)


# --- single-field rules -------------------------------------------------------------------------


def _check_name(value: str) -> str:
    if not value:
        raise _rule("name_empty", "name is required and must not be empty")
    if not value[0].isascii() or not value[0].isalpha():
        raise _rule("name_start", f"name must start with a letter (it starts with {value[0]!r})")
    if not NAME_MIN <= len(value) <= NAME_MAX:
        raise _rule(
            "name_length",
            f"name must be {NAME_MIN}-{NAME_MAX} characters long (it has {len(value)})",
        )
    bad = sorted({ch for ch in value if not _NAME_CHARS.fullmatch(ch)})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise _rule("name_chars", f"name may contain only letters, digits, _ and - (found {shown})")
    return value


def _check_description(value: str) -> str:
    # Line breaks and tabs are text; every other control or format character could rewrite a terminal.
    controls = sorted({ch for ch in value if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t"})
    if controls:
        shown = ", ".join(repr(ch) for ch in controls[:5])
        raise _rule(
            "description_controls",
            f"description must be plain text, without control characters (found {shown})",
        )
    if len(value) > DESCRIPTION_MAX:
        raise _rule(
            "description_length",
            f"description must be at most {DESCRIPTION_MAX} characters (it has {len(value)})",
        )
    return value


def _not_blank(path: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value.strip():
            raise _rule("blank", f"{path} is required and must not be blank")
        if value != value.strip():
            raise _rule("padded", f"{path} must not start or end with spaces")
        return value

    return check


STORAGE_CEILING_PER_BROKER = 100_000
"""A guard, not a vendor rule: GB per broker beyond any disk sold, used when the catalog gives no maximum."""

MAX_ZONES = 32
"""More AZ IDs than any region has: a longer list is refused before each one is looked up."""


def _some(items: list[str], separator: str = ", ", shown: int = 10) -> str:
    """The first few of `items` joined, and how many more there are."""
    text = separator.join(items[:shown])
    return text if len(items) <= shown else f"{text} and {len(items) - shown} more"


def _check_zones(value: list[str], info: ValidationInfo) -> list[str]:
    if not value:
        raise _rule("zones_empty", "available_zones must list at least one AZ ID")
    if any(not zone.strip() for zone in value):
        raise _rule("zones_blank", "available_zones must not contain blank entries")
    duplicates = sorted(zone for zone, times in Counter(value).items() if times > 1)
    if duplicates:
        raise _rule("zones_duplicate", f"available_zones lists {_some(duplicates)} more than once")
    if len(value) > MAX_ZONES:
        raise _rule("zones_many", f"available_zones must list at most {MAX_ZONES} AZs (it has {len(value)})")
    if len(value) == 2:
        raise _rule("zones_two", "available_zones must hold 1 AZ or at least 3 AZs, never 2 (it has 2)")
    catalog = catalog_from(info)
    if catalog.knows_zones:
        problems = []
        for zone_id in value:
            zone = catalog.zone(zone_id)
            if zone is not None:
                if zone.sold_out:
                    problems.append(f"AZ {zone.code} ({zone_id}) is sold out")
                continue
            by_code = catalog.zone_by_code(zone_id)
            if by_code is not None:
                problems.append(f"{zone_id!r} is an AZ code, not an ID: use its ID {by_code.id}")
            else:
                problems.append(f"{zone_id!r} is not an AZ of this region")
        if problems:
            raise _rule("zones_unknown", "available_zones: " + _some(problems, "; "))
    return value


def _check_product(value: str, info: ValidationInfo) -> str:
    catalog = catalog_from(info)
    if catalog.flavor(value) is None:
        known = ", ".join(f.id for f in catalog.flavors)
        raise _rule("product_unknown", f"product_id {value!r} is not a flavor on sale; choose one of {known}")
    return value


def _check_storage_spec(value: str, info: ValidationInfo) -> str:
    catalog = catalog_from(info)
    if catalog.storage_type(value) is None:
        known = ", ".join(s.code for s in catalog.storage_types)
        raise _rule("storage_spec_unknown", f"storage_spec_code {value!r} is not a disk type; use {known}")
    return value


def _check_engine_version(value: str, info: ValidationInfo) -> str:
    versions = catalog_from(info).engine_versions
    if value not in versions:
        raise _rule("engine_version", f"engine_version must be {' or '.join(versions)} (got {value!r})")
    return value


def _positive(path: str) -> Callable[[int], int]:
    def check(value: int) -> int:
        if value < 1:
            raise _rule("not_positive", f"{path} must be a whole number of at least 1 (got {value})")
        return value

    return check


def _check_eip_list(value: str) -> str:
    ids = split_ids(value)
    if any(not item for item in ids):
        raise _rule("eips_blank", "publicip_id must be comma-separated EIP IDs with no blank entries")
    duplicates = sorted(item for item, times in Counter(ids).items() if times > 1)
    if duplicates:
        raise _rule("eips_duplicate", f"publicip_id lists {_some(duplicates)} more than once")
    return value


# --- the step sub-models ------------------------------------------------------------------------

_STRICT = ConfigDict(strict=True, extra="forbid", validate_default=False)


class BssParam(BaseModel):
    """Billing parameters; only yearly/monthly (prePaid) instances need them."""

    model_config = _STRICT

    is_auto_renew: bool | None = _field("bss_param.is_auto_renew", None)
    charging_mode: Literal["prePaid", "postPaid"] = _field("bss_param.charging_mode", PAY_PER_USE)
    is_auto_pay: bool | None = _field("bss_param.is_auto_pay", None)
    period_type: Literal["month", "year"] | None = _field("bss_param.period_type", None)
    period_num: int | None = _field("bss_param.period_num", None)

    @model_validator(mode="after")
    def _period_rules(self) -> BssParam:
        errors = billing_problems(self.model_dump())
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


class BasicsStep(BaseModel):
    """Step 1: what the instance is called and who owns it."""

    model_config = _STRICT

    name: Annotated[str, AfterValidator(_check_name)] = _field("name")
    description: Annotated[str, AfterValidator(_check_description)] | None = _field("description", None)
    enterprise_project_id: Annotated[str, AfterValidator(_not_blank("enterprise_project_id"))] | None = _field(
        "enterprise_project_id", None
    )


class NetworkStep(BaseModel):
    """Step 2: where the brokers live."""

    model_config = _STRICT

    vpc_id: Annotated[str, AfterValidator(_not_blank("vpc_id"))] = _field("vpc_id")
    subnet_id: Annotated[str, AfterValidator(_not_blank("subnet_id"))] = _field("subnet_id")
    security_group_id: Annotated[str, AfterValidator(_not_blank("security_group_id"))] = _field("security_group_id")
    available_zones: Annotated[list[str], AfterValidator(_check_zones)] = _field("available_zones")


class FlavorStep(BaseModel):
    """Step 3: engine, flavor and broker count."""

    model_config = _STRICT

    engine: Literal["reliability"] = _field("engine", "reliability")
    engine_version: Annotated[str, AfterValidator(_check_engine_version)] = _field("engine_version", "4.8.0")
    product_id: Annotated[str, AfterValidator(_check_product)] = _field("product_id")
    broker_num: Annotated[int, AfterValidator(_positive("broker_num"))] = _field("broker_num")


class StorageStep(BaseModel):
    """Step 4: disk type and total storage."""

    model_config = _STRICT

    storage_spec_code: Annotated[str, AfterValidator(_check_storage_spec)] = _field("storage_spec_code")
    storage_space: Annotated[int, AfterValidator(_positive("storage_space"))] = _field("storage_space")


class PublicAccessStep(BaseModel):
    """Step 5: public access through EIPs, and the security switches."""

    model_config = _STRICT

    enable_publicip: bool | None = _field("enable_publicip", None)
    publicip_id: Annotated[str, AfterValidator(_check_eip_list)] | None = _field("publicip_id", None)
    ssl_enable: bool | None = _field("ssl_enable", None)
    enable_acl: bool | None = _field("enable_acl", None)
    ipv6_enable: bool | None = _field("ipv6_enable", None)


class BillingStep(BaseModel):
    """Step 6: pay-per-use or yearly/monthly."""

    model_config = _STRICT

    bss_param: BssParam | None = _field("bss_param", None)


# --- rules that span fields ---------------------------------------------------------------------


def _problem(path: str, message: str, value: object) -> InitErrorDetails:
    return InitErrorDetails(type=_rule("cross_field", message), loc=tuple(path.split(".")), input=value)


def billing_problems(bss: Mapping[str, Any]) -> list[InitErrorDetails]:
    """Rules between the billing fields; `bss` holds the values that passed their own checks."""
    problems: list[InitErrorDetails] = []
    mode = bss.get("charging_mode", PAY_PER_USE)
    period_type = bss.get("period_type")
    period_num = bss.get("period_num")
    if mode == YEARLY_MONTHLY:
        if period_type is None:
            problems.append(_problem("period_type", "period_type is required for prePaid billing", None))
        if period_num is None:
            problems.append(_problem("period_num", "period_num is required for prePaid billing", None))
        elif period_type in PERIOD_LIMITS:
            low, high = PERIOD_LIMITS[period_type]
            if not low <= period_num <= high:
                problems.append(
                    _problem(
                        "period_num",
                        f"period_num must be {low}-{high} when period_type is {period_type} (got {period_num})",
                        period_num,
                    )
                )
    elif mode == PAY_PER_USE:
        for key in ("period_type", "period_num"):
            if bss.get(key) is not None:
                problems.append(
                    _problem(key, f"{key} applies only to prePaid billing; leave it out for postPaid", bss[key])
                )
    return problems


def cross_step_problems(
    values: Mapping[str, Any], catalog: Catalog, failed: frozenset[str] = frozenset()
) -> list[InitErrorDetails]:
    """Rules between steps, over the values that passed their own checks.

    A rule whose inputs are absent is skipped; `failed` names fields that were given but broke their own
    rules, so they are not also reported as missing.
    """
    problems: list[InitErrorDetails] = []
    flavor = catalog.flavor(values["product_id"]) if "product_id" in values else None
    brokers = values.get("broker_num")
    zones = values.get("available_zones")
    bss = values.get("bss_param")
    mode = (bss or {}).get("charging_mode", PAY_PER_USE) if isinstance(bss, Mapping) else PAY_PER_USE

    if flavor is not None:
        if "bss_param" not in failed and mode not in flavor.billing_modes:
            label = "yearly/monthly" if mode == YEARLY_MONTHLY else "pay-per-use"
            problems.append(_problem("product_id", f"product_id {flavor.id} is not sold {label} ({mode})", flavor.id))
        if zones and not flavor.sold_in(zones):
            problems.append(
                _problem(
                    "product_id",
                    f"product_id {flavor.id} is not sold in every chosen AZ; choose other AZs or another flavor",
                    flavor.id,
                )
            )
        if isinstance(brokers, int) and not isinstance(brokers, bool):
            if not flavor.min_broker <= brokers <= flavor.max_broker:
                problems.append(
                    _problem(
                        "broker_num",
                        f"broker_num must be {flavor.min_broker}-{flavor.max_broker} for {flavor.id} (got {brokers})",
                        brokers,
                    )
                )
            elif (brokers - flavor.min_broker) % flavor.broker_step:
                problems.append(
                    _problem(
                        "broker_num",
                        f"broker_num must go up in steps of {flavor.broker_step} from {flavor.min_broker} "
                        f"for {flavor.id} (got {brokers})",
                        brokers,
                    )
                )
        spec = values.get("storage_spec_code")
        if isinstance(spec, str) and catalog.storage_type(spec) is not None:
            offer = flavor.storage_offer(spec)
            if offer is None:
                problems.append(_problem("storage_spec_code", f"{flavor.id} is not sold with disk type {spec}", spec))
            elif zones and flavor.sold_in(zones) and not offer.sold_in(zones):
                problems.append(
                    _problem(
                        "storage_spec_code",
                        f"disk type {spec} is not sold for {flavor.id} in every chosen AZ; choose another disk type",
                        spec,
                    )
                )

    most_brokers = catalog_max_brokers(catalog)
    if flavor is None and isinstance(brokers, int) and most_brokers is not None and brokers > most_brokers:
        problems.append(
            _problem(
                "broker_num",
                f"broker_num must be at most {most_brokers}, the most any flavor takes (got {_number(brokers)})",
                brokers,
            )
        )
    space = values.get("storage_space")
    most_space = catalog_max_storage(catalog) or STORAGE_CEILING_PER_BROKER
    if isinstance(space, int) and most_space is not None and space > most_space * (most_brokers or 1):
        problems.append(
            _problem(
                "storage_space",
                f"storage_space must be at most {most_space * (most_brokers or 1)} GB, the most any flavor "
                f"takes (got {_number(space)} GB)",
                space,
            )
        )
    elif isinstance(space, int) and isinstance(brokers, int) and brokers >= 1:
        low = flavor.min_storage_per_broker if flavor else catalog_min_storage(catalog)
        high = flavor.max_storage_per_broker if flavor else None
        if high is None:
            high = most_space
        if space % brokers:
            problems.append(
                _problem(
                    "storage_space",
                    f"storage_space is the total for all brokers, so it must divide evenly by "
                    f"broker_num {brokers} (got {space} GB)",
                    space,
                )
            )
        elif space // brokers < low:
            problems.append(
                _problem(
                    "storage_space",
                    f"storage_space must be at least {low} GB per broker, {low * brokers} GB for "
                    f"{brokers} broker(s) (got {space} GB)",
                    space,
                )
            )
        elif high is not None and space // brokers > high:
            problems.append(
                _problem(
                    "storage_space",
                    f"storage_space must be at most {high} GB per broker, {high * brokers} GB for "
                    f"{brokers} broker(s) (got {space} GB)",
                    space,
                )
            )

    public = values.get("enable_publicip")
    eips = values.get("publicip_id")
    if public is True:
        if eips is None and "publicip_id" not in failed:
            problems.append(_problem("publicip_id", "publicip_id is required when enable_publicip is true", None))
        elif isinstance(eips, str) and isinstance(brokers, int) and brokers >= 1:
            count = len(split_ids(eips))
            needed = EIPS_PER_BROKER * brokers
            if count != needed:
                problems.append(
                    _problem(
                        "publicip_id",
                        f"publicip_id must list exactly {needed} EIP IDs ({EIPS_PER_BROKER} per broker x "
                        f"{brokers} broker(s)); it lists {count}",
                        eips,
                    )
                )
    elif eips is not None and "enable_publicip" not in failed:
        problems.append(_problem("publicip_id", "publicip_id must be left out unless enable_publicip is true", eips))
    return problems


def _number(value: int) -> str:
    """A number as a message shows it: a huge one by its length, not its thousands of digits."""
    digits = len(str(abs(value))) if abs(value) < 10**4000 else 4000
    return str(value) if digits <= 20 else f"a number of {digits}+ digits"


def catalog_max_brokers(catalog: Catalog) -> int | None:
    """The most brokers any flavor allows (the bound before a flavor is chosen), None for an empty catalog."""
    return max((f.max_broker for f in catalog.flavors), default=None)


def catalog_max_storage(catalog: Catalog) -> int | None:
    """The most per-broker storage any flavor allows, None when no flavor says."""
    return max((f.max_storage_per_broker for f in catalog.flavors if f.max_storage_per_broker), default=None)


def catalog_min_storage(catalog: Catalog) -> int:
    """The smallest per-broker storage any flavor allows (used before a flavor is chosen)."""
    return min((f.min_storage_per_broker for f in catalog.flavors), default=0)


class CreateInstanceRequest(BillingStep, PublicAccessStep, StorageStep, FlavorStep, NetworkStep, BasicsStep):
    """The body of the create-instance call, with every documented rule."""

    model_config = _STRICT

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(
        cls, data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> CreateInstanceRequest:
        catalog = catalog_from(info)
        try:
            request: CreateInstanceRequest = handler(data)
        except ValidationError as exc:
            if not isinstance(data, Mapping):
                raise
            failed = frozenset(str(error["loc"][0]) for error in exc.errors() if error["loc"])
            passed = {key: value for key, value in data.items() if key not in failed}
            errors = [_reraisable(error) for error in exc.errors()]
            errors += cross_step_problems(passed, catalog, failed)
            raise ValidationError.from_exception_data(cls.__name__, errors) from None
        problems = cross_step_problems(request.model_dump(exclude_none=True), catalog)
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return request

    def to_api_body(self) -> dict[str, Any]:
        """Exactly the JSON the API takes: unset optional fields left out, no nulls, the vendor's order."""
        dumped = self.model_dump(mode="json", exclude_none=True)
        body = {key: dumped[key] for key in API_FIELD_ORDER if key in dumped}
        if "bss_param" in body:
            bss = body["bss_param"]
            body["bss_param"] = {key: bss[key] for key in BSS_FIELD_ORDER if key in bss}
        return body


def _reraisable(error: Any) -> InitErrorDetails:
    """Turn an error that pydantic reported back into one that can be raised again, unchanged."""
    if error["type"] in _OWN_KINDS:
        return InitErrorDetails(type=_rule(error["type"], error["msg"]), loc=error["loc"], input=error.get("input"))
    details = InitErrorDetails(type=error["type"], loc=error["loc"], input=error.get("input"))
    if "ctx" in error:
        details["ctx"] = error["ctx"]
    return details
