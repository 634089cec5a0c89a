"""Where requests go and who signs them: credentials resolution, region endpoints, connection settings.

Credentials are looked for in the order the user expects from the vendor's SDK: command-line flags, then
the SDK's environment variables, then the SDK's credentials file. Secrets never appear in a repr, an error
message or a URL.
"""

from __future__ import annotations

import configparser
import difflib
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from wizard.create_route import DEFAULT_ROUTE, ROUTES, ApiRoute
from wizard.errors import CredentialsMissing, WizardError
from wizard.pricing.sites import SITES
from wizard.sdk_env import (
    DEFAULT_TIMEOUT,
    ENV_AK,
    ENV_CREDENTIALS_FILE,
    ENV_IAM_ENDPOINT,
    ENV_PROJECT_ID,
    ENV_REGION,
    ENV_SECURITY_TOKEN,
    ENV_SK,
)

if TYPE_CHECKING:
    import httpx

#: Regions of the SDK's RocketMQ endpoint table (huaweicloudsdkrocketmq 3.1.219).
KNOWN_REGIONS = frozenset(
    {
        "ae-ad-1",
        "af-north-1",
        "af-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "cn-east-2",
        "cn-east-3",
        "cn-east-4",
        "cn-east-5",
        "cn-north-1",
        "cn-north-2",
        "cn-north-4",
        "cn-north-9",
        "cn-north-11",
        "cn-north-12",
        "cn-south-1",
        "cn-south-2",
        "cn-south-4",
        "cn-southwest-2",
        "cn-southwest-3",
        "eu-west-0",
        "eu-west-101",
        "la-north-2",
        "la-south-2",
        "me-east-1",
        "my-kualalumpur-1",
        "na-mexico-1",
        "ru-moscow-1",
        "ru-northwest-2",
        "sa-brazil-1",
        "tr-west-1",
    }
)

#: Regions served under another top-level domain than myhuaweicloud.com.
_REGION_DOMAINS = {"eu-west-101": "myhuaweicloud.eu"}
_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+$")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})

_NO_CREDENTIALS = (
    "No Huawei Cloud credentials found. Set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (and optionally "
    "HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_SECURITY_TOKEN), or put ak and sk under [basic] in "
    "~/.huaweicloud/credentials, or pass --ak/--sk or --auth-token. To try the wizard without an account, "
    "use --sandbox."
)


@dataclass(frozen=True)
class CredentialFlags:
    """Credentials given on the command line (highest priority)."""

    ak: str | None = None
    sk: str | None = None
    project_id: str | None = None
    security_token: str | None = None
    auth_token: str | None = None

    def __repr__(self) -> str:
        return f"CredentialFlags(ak={self.ak!r}, project_id={self.project_id!r}, secrets=<hidden>)"


@dataclass(frozen=True)
class Credentials:
    """Who signs the requests: an AK/SK pair (optionally temporary, with a security token) or an IAM token.

    `source` says where they came from, for the user to see.
    """

    ak: str | None
    sk: str | None
    project_id: str | None
    security_token: str | None
    auth_token: str | None
    source: str
    warnings: tuple[str, ...] = ()
    """What the user should fix about where the credentials came from (a file others can read)."""

    def __repr__(self) -> str:
        return (
            f"Credentials(mode={self.mode!r}, ak={self.ak!r}, project_id={self.project_id!r}, "
            f"source={self.source!r}, secrets=<hidden>)"
        )

    @property
    def mode(self) -> Literal["aksk", "token"]:
        """ "token" for IAM token mode, else "aksk"."""
        return "token" if self.auth_token else "aksk"

    def with_project_id(self, project_id: str) -> Credentials:
        """The same credentials with a project ID filled in (e.g. one looked up through IAM)."""
        return Credentials(
            self.ak, self.sk, project_id, self.security_token, self.auth_token, self.source, self.warnings
        )

    def auth(self) -> httpx.Auth:
        """The httpx auth that signs requests with these credentials."""
        # Imported here: httpx costs ~100 ms to import, and commands that only parse flags never sign.
        from wizard.signing import AkSkAuth, TokenAuth

        if self.auth_token:
            return TokenAuth(self.auth_token, self.project_id)
        if not self.ak or not self.sk:
            raise CredentialsMissing(_NO_CREDENTIALS)
        return AkSkAuth(self.ak, self.sk, self.project_id, self.security_token)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _pair(ak: str | None, sk: str | None, where: str, ak_name: str, sk_name: str) -> bool:
    """True when both keys are there; one without the other is a mistake worth naming."""
    if ak and sk:
        return True
    if ak or sk:
        missing = sk_name if ak else ak_name
        present = ak_name if ak else sk_name
        raise CredentialsMissing(f"{present} is set in {where} but {missing} is not: set both, or neither.")
    return False


def credentials_file(env: Mapping[str, str], home: Path) -> tuple[Path, bool]:
    """The SDK credentials file to read, and whether the environment chose it explicitly."""
    chosen = _clean(env.get(ENV_CREDENTIALS_FILE))
    if chosen:
        return Path(chosen).expanduser(), True
    return home / ".huaweicloud" / "credentials", False


def _from_file(path: Path, explicit: bool) -> Credentials | None:
    if not path.is_file():
        if explicit:
            raise CredentialsMissing(f"{ENV_CREDENTIALS_FILE} points at {path}, which is not a readable file.")
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        # The parser's message may quote a line of the file, which may hold a key: say only where it failed.
        line = getattr(exc, "lineno", None)
        where = f" (near line {line})" if line else ""
        raise CredentialsMissing(
            f"The credentials file {path} could not be read as an INI file{where}; expected a [basic] "
            "section with ak and sk."
        ) from None
    if not parser.has_section("basic"):
        raise CredentialsMissing(f"The credentials file {path} has no [basic] section with ak and sk.")
    section = parser["basic"]
    ak, sk = _clean(section.get("ak")), _clean(section.get("sk"))
    if not _pair(ak, sk, str(path), "ak", "sk"):
        raise CredentialsMissing(f"The credentials file {path} has a [basic] section without ak and sk.")
    return Credentials(
        ak=ak,
        sk=sk,
        project_id=_clean(section.get("project_id")),
        security_token=_clean(section.get("security_token")),
        auth_token=None,
        source=str(path),
        warnings=_exposure(path),
    )


def _exposure(path: Path) -> tuple[str, ...]:
    """A warning when others may read the credentials file (its mode lets the group or everyone in)."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return ()
    if not mode & 0o044:
        return ()
    who = "every local user" if mode & 0o004 else "its group"
    return (f"the credentials file {path} can be read by {who} (mode {mode:o}): run `chmod 600 {path}`",)


def resolve_credentials(flags: CredentialFlags | None, env: Mapping[str, str], home: Path) -> Credentials:
    """Find credentials: flags, then the SDK's environment variables, then the SDK's credentials file.

    A project ID given by flag overrides the one of the source the keys came from. Raises
    CredentialsMissing with a message saying what to set.
    """
    flags = flags or CredentialFlags()
    flag_project = _clean(flags.project_id)
    found: Credentials | None = None
    if _clean(flags.auth_token):
        found = Credentials(None, None, None, None, _clean(flags.auth_token), "flags (--auth-token)")
    elif _pair(_clean(flags.ak), _clean(flags.sk), "flags", "--ak", "--sk"):
        found = Credentials(
            _clean(flags.ak), _clean(flags.sk), None, _clean(flags.security_token), None, "flags (--ak/--sk)"
        )
    elif _pair(_clean(env.get(ENV_AK)), _clean(env.get(ENV_SK)), "the environment", ENV_AK, ENV_SK):
        found = Credentials(
            _clean(env.get(ENV_AK)),
            _clean(env.get(ENV_SK)),
            _clean(env.get(ENV_PROJECT_ID)),
            _clean(env.get(ENV_SECURITY_TOKEN)),
            None,
            f"environment ({ENV_AK}, {ENV_SK})",
        )
    else:
        found = _from_file(*credentials_file(env, home))
    if found is None:
        raise CredentialsMissing(_NO_CREDENTIALS)
    if flag_project:
        found = found.with_project_id(flag_project)
    elif found.project_id is None and found.source.startswith("flags"):
        # Keys by flag, project by the SDK's variable: a common split (the project ID is not a secret).
        env_project = _clean(env.get(ENV_PROJECT_ID))
        if env_project:
            found = found.with_project_id(env_project)
    return found


def check_endpoint(url: str, what: str = "endpoint") -> str:
    """An endpoint base URL without a trailing slash; https, or plain http only to a loopback address."""
    text = url.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port
    except ValueError:
        # The text is not repeated: a mistyped URL can still hold a key or token.
        raise WizardError(f"The {what} is not a valid URL.") from None
    if parts.username or parts.password:
        raise WizardError(f"The {what} must not carry a user name or password in the URL.")
    if parts.query or parts.fragment:
        raise WizardError(f"The {what} must not have a query or fragment.")
    if parts.scheme not in ("http", "https") or not host:
        raise WizardError(f"The {what} {text!r} must be an https:// URL with a host name.")
    if parts.scheme == "http" and not is_loopback(host):
        raise WizardError(
            f"The {what} {text!r} uses plain http to a host that is not loopback; only https is allowed "
            "there (plain http is accepted only for 127.0.0.1/localhost, i.e. the sandbox)."
        )
    return text


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def service_endpoint(service: str, region: str) -> str:
    """The vendor's endpoint for a service in a region, e.g. https://dms.cn-north-4.myhuaweicloud.com."""
    return f"https://{service}.{region}.{_REGION_DOMAINS.get(region, 'myhuaweicloud.com')}"


def _env_endpoint(env: Mapping[str, str], service: str, region: str) -> str | None:
    """The SDK's per-service override, HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION> (first of a comma list)."""
    name = f"HUAWEICLOUD_SDK_REGION_{service}_{region.upper().replace('-', '_')}"
    value = _clean(env.get(name))
    if value is None:
        return None
    return check_endpoint(value.split(",")[0], name)


def check_region(region: str, *, overridden: bool) -> str:
    """A region ID; an unknown one is refused (with a suggestion) unless its endpoints were given."""
    region = region.strip()
    if not _REGION_RE.match(region):
        raise WizardError(f"The region {region!r} is not a region ID such as cn-north-4.")
    if region not in KNOWN_REGIONS and not overridden:
        close = difflib.get_close_matches(region, sorted(KNOWN_REGIONS), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise WizardError(
            f"The region {region!r} is not one this tool knows.{hint} For a region not listed, give its "
            "endpoint with --endpoint or HUAWEICLOUD_SDK_REGION_ROCKETMQ_<REGION>."
        )
    return region


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to talk to the cloud (or the sandbox): region, endpoints, credentials, options."""

    region: str
    dms_endpoint: str
    vpc_endpoint: str
    iam_endpoint: str
    eps_endpoint: str
    credentials: Credentials
    api_route: ApiRoute = DEFAULT_ROUTE
    timeout: float = DEFAULT_TIMEOUT
    sandbox: bool = False
    bss_endpoints: tuple[tuple[str, str], ...] = ()
    """(site code, base URL) of each billing site (see `wizard.pricing.sites`)."""

    def describe(self) -> str:
        """One line for screens: where requests go."""
        if self.sandbox:
            return f"SANDBOX {self.dms_endpoint}"
        project = self.credentials.project_id or "looked up through IAM"
        return f"{self.region}, project {project}"


def build_settings(
    region: str,
    credentials: Credentials,
    *,
    env: Mapping[str, str],
    endpoint: str | None = None,
    api_route: ApiRoute = DEFAULT_ROUTE,
    timeout: float = DEFAULT_TIMEOUT,
    sandbox: bool = False,
) -> ConnectionSettings:
    """Settings for a region: the vendor's endpoints, unless --endpoint (one base URL for every service,
    as the sandbox serves) or the SDK's per-service variables override them."""
    if timeout <= 0:
        raise WizardError(f"The timeout must be a positive number of seconds, not {timeout}.")
    if api_route not in ROUTES:
        raise WizardError(f"The API route must be v1 or v2, not {api_route!r}.")
    if endpoint:
        base = check_endpoint(endpoint, "--endpoint")
        region = region.strip() or "custom"
        sites = tuple((site.code, base + site.sandbox_prefix) for site in SITES)
        return ConnectionSettings(region, base, base, base, base, credentials, api_route, timeout, sandbox, sites)
    dms = _env_endpoint(env, "ROCKETMQ", region.strip()) if region.strip() else None
    region = check_region(region, overridden=dms is not None)
    iam = _env_endpoint(env, "IAM", region) or (
        check_endpoint(env[ENV_IAM_ENDPOINT], ENV_IAM_ENDPOINT)
        if _clean(env.get(ENV_IAM_ENDPOINT))
        else service_endpoint("iam", region)
    )
    # EPS is a global service; the .eu region has its own.
    eps_default = service_endpoint("eps", region) if region in _REGION_DOMAINS else "https://eps.myhuaweicloud.com"
    return ConnectionSettings(
        region=region,
        dms_endpoint=dms or service_endpoint("dms", region),
        vpc_endpoint=_env_endpoint(env, "VPC", region) or service_endpoint("vpc", region),
        iam_endpoint=iam,
        eps_endpoint=_env_endpoint(env, "EPS", region) or eps_default,
        credentials=credentials,
        api_route=api_route,
        timeout=timeout,
        sandbox=sandbox,
        bss_endpoints=tuple(
            (site.code, _env_endpoint(env, site.sdk_service, site.sdk_region) or site.host) for site in SITES
        ),
    )


def region_from(flag: str | None, env: Mapping[str, str]) -> str:
    """The region: --region, else HW_REGION_NAME; none is a mistake the message explains."""
    region = _clean(flag) or _clean(env.get(ENV_REGION))
    if region is None:
        raise CredentialsMissing(
            "No region chosen: pass --region (e.g. --region cn-north-4) or set HW_REGION_NAME. "
            "To try the wizard without an account, use --sandbox."
        )
    return region
