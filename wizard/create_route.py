"""Which API route creates the instance, decided here once for the screens, `create`, the exports and the client.

`v2` (the default) is `POST /v2/{engine}/{project_id}/instances` (the SDK's CreateInstanceByEngine), the
route the vendor's SDK, Terraform and KooCLI use and the only one whose documented body has `bss_param`.
`v1` is the seed's `POST /v1.0/{project_id}/instances` (the vendor page CreatePostPaidInstanceV1, marked
historical, absent from the SDK): it has no `bss_param`, so it can only create pay-per-use instances, and a
yearly/monthly request on it is refused before anything is sent.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any, Literal

from wizard.errors import WizardError

ApiRoute = Literal["v1", "v2"]
ROUTES: tuple[ApiRoute, ...] = ("v1", "v2")
DEFAULT_ROUTE: ApiRoute = "v2"
ENGINE = "reliability"
"""The engine the routes and lists name (`rocketmq` is its alias)."""

ROUTE_HELP = (
    f"create route: v2 = POST /v2/{ENGINE}/{{project_id}}/instances (default; the SDK's, Terraform's and "
    "KooCLI's), v1 = POST /v1.0/{project_id}/instances (historical, pay-per-use only)"
)


class RouteRefused(WizardError):
    """The request cannot be sent on the chosen route; nothing was sent."""


def route_from_args(args: argparse.Namespace) -> ApiRoute:
    """The create route `--api` chose (the default when the flag was not given)."""
    chosen = getattr(args, "api", None)
    return next((route for route in ROUTES if route == chosen), DEFAULT_ROUTE)


def create_path(route: ApiRoute, project_id: str) -> str:
    """The path of the create call on `route`."""
    if route == "v1":
        return f"/v1.0/{project_id}/instances"
    return f"/v2/{ENGINE}/{project_id}/instances"


def is_prepaid(body: Mapping[str, Any]) -> bool:
    """Whether the body asks for yearly/monthly billing."""
    # Imported here: the connection flags read this module's constants before the wizard's first frame,
    # which does not need the catalog.
    from wizard.catalog import YEARLY_MONTHLY

    bss = body.get("bss_param")
    return isinstance(bss, Mapping) and bss.get("charging_mode") == YEARLY_MONTHLY


def route_problem(route: ApiRoute, body: Mapping[str, Any]) -> str | None:
    """Why `body` cannot go on `route`, or None when it can."""
    if route == "v1" and is_prepaid(body):
        return (
            "--api v1 (POST /v1.0/{project_id}/instances) has no bss_param, so it can only create pay-per-use "
            "instances: this yearly/monthly (prePaid) request would be billed wrongly or refused. Use --api v2 "
            "(the default), or choose pay-per-use."
        )
    return None


def body_for_route(route: ApiRoute, body: Mapping[str, Any]) -> dict[str, Any]:
    """The body exactly as sent on `route`; raises RouteRefused when the route cannot take it.

    On v1 a pay-per-use `bss_param` is left out: that route has no such field and bills pay-per-use anyway.
    """
    problem = route_problem(route, body)
    if problem is not None:
        raise RouteRefused(f"Not sent: {problem}")
    if route == "v1":
        return {key: value for key, value in body.items() if key != "bss_param"}
    return dict(body)
