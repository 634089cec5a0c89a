"""Profiles: reusable choices saved under a name, to start new wizards prefilled.

A profile never holds the instance name unless asked to (`include_name=True`): instance names are
unique, so a profile reused as is would collide. Imported profiles are validated like a request file,
except that a missing name is fine.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wizard.boundedread import kind_of
from wizard.errors import WizardError
from wizard.storage.atomic import atomic_write_text, describe_os_error, refuse_symlinked, stored_names
from wizard.storage.documents import DocumentInvalid, now_utc, open_document, parse_document, render_document
from wizard.storage.errors import DocumentUnreadable, NotFound, StorageError
from wizard.storage.names import check_profile_name
from wizard.storage.paths import AppPaths, app_paths
from wizard.storage.secrets import redact, strip_secrets_report

KIND = "profile"
NAME_FIELD = "name"


@dataclass(frozen=True)
class Profile:
    """A saved set of choices (API field names) under a profile name."""

    name: str
    values: dict[str, Any]
    created: datetime
    updated: datetime
    dropped: tuple[str, ...] = ()
    """Fields left out when it was saved because they named or held a secret."""


@dataclass(frozen=True)
class ProfileSummary:
    """What a list of profiles shows."""

    name: str
    updated: datetime
    fields: int
    description: str


@dataclass(frozen=True)
class ProfileProblem:
    """One problem with a profile file: the field (dotted API path, "" for the whole file) and why."""

    field: str
    message: str


class ProfileInvalid(WizardError):
    """A file that cannot become a profile; names the file and every problem with its field."""

    def __init__(self, origin: str, problems: list[ProfileProblem]) -> None:
        self.origin = origin
        self.problems = problems
        lines = [f"{origin}: not a valid profile, {len(problems)} problem(s):"]
        lines += [f"  {p.field}: {p.message}" if p.field else f"  {p.message}" for p in problems]
        # Messages quote what was typed, and a secret may have been typed anywhere.
        super().__init__(redact("\n".join(lines)))


class ProfileUnreadable(ProfileInvalid):
    """The file to import could not be read at all (missing, not a file, too large, not TOML/JSON text)."""


class ProfileExists(WizardError):
    """A profile by that name exists and overwriting was not asked for."""


class ExportRefused(WizardError):
    """The export's target is not a regular file of its own, or exists and replacing it was not asked for."""


def _is_name_required(field: str, message: str) -> bool:
    return field == NAME_FIELD and message.endswith("is required")


def profile_problems(values: Mapping[str, Any]) -> list[ProfileProblem]:
    """Every rule `values` break as a request, except that a profile may lack the instance name."""
    from wizard.validation import check_request  # pydantic is heavy; only imports and checks need it

    return [
        ProfileProblem(redact(issue.field), redact(issue.message))
        for issue in check_request(values)
        if not _is_name_required(issue.field, issue.message)
    ]


class ProfileStore:
    """The profiles folder: one TOML file per profile, named after it."""

    def __init__(self, paths: AppPaths | None = None) -> None:
        paths = paths or app_paths()
        self.folder = paths.profiles_dir
        self.root = paths.data_dir
        self.problems: list[DocumentUnreadable] = []
        """Files found unusable by the last list(), each moved aside or left for a newer wizard."""

    def _path(self, name: str) -> Path:
        return self.folder / f"{check_profile_name(name)}.toml"

    def exists(self, name: str) -> bool:
        """Whether a profile by this name exists."""
        return self._path(name).exists()

    def list(self) -> list[ProfileSummary]:
        """Every readable profile by name; unusable files are recorded in `problems`."""
        self.problems = []
        summaries: list[ProfileSummary] = []
        for file_name in stored_names(self.folder, root=self.root):
            try:
                profile = self.load(file_name.removesuffix(".toml"))
            except DocumentUnreadable as problem:
                self.problems.append(problem)
                continue
            except NotFound:
                continue  # removed since the folder was read
            except WizardError as exc:
                # Say why it is not listed instead of hiding it (e.g. a name that now matches a secret).
                self.problems.append(DocumentUnreadable(self.folder / file_name, str(exc)))
                continue
            description = profile.values.get("description")
            summaries.append(
                ProfileSummary(
                    profile.name,
                    profile.updated,
                    len(profile.values),
                    description if isinstance(description, str) else "",
                )
            )
        return summaries

    def load(self, name: str) -> Profile:
        """The profile by this name; NotFound, or DocumentUnreadable (moved aside) for a bad file."""
        path = self._path(name)
        refuse_symlinked(self.folder, self.root)
        try:
            document = open_document(path, kind=KIND, require_header=False)
        except FileNotFoundError:
            raise NotFound(f"no profile named {name!r}") from None
        return Profile(name, document.values, document.created, document.updated)

    def save(
        self,
        name: str,
        values: Mapping[str, Any],
        *,
        include_name: bool = False,
        overwrite: bool = True,
    ) -> Profile:
        """Save `values` as profile `name` (without the instance name unless `include_name`, never secrets).

        Partial choices are fine (a profile can be saved from any step). ProfileExists if the name is taken
        and not `overwrite`.
        """
        path = self._path(name)
        kept = {k: v for k, v in values.items() if include_name or k != NAME_FIELD}
        clean, dropped = strip_secrets_report(kept)
        now = now_utc()
        created = now
        if path.exists():
            if not overwrite:
                raise ProfileExists(f"a profile named {name!r} exists already; choose another name or overwrite it")
            try:
                created = self.load(name).created
            except (DocumentUnreadable, NotFound):
                created = now
        text = render_document(KIND, clean, created=created, updated=now, header={"profile": name})
        try:
            # Without overwrite, "create if absent" is one atomic step: of two saves racing, one is refused.
            atomic_write_text(path, text, root=self.root, exclusive=not overwrite)
        except FileExistsError:
            taken = f"a profile named {name!r} exists already; choose another name or overwrite it"
            raise ProfileExists(taken) from None
        return Profile(name, clean, created, now, tuple(dropped))

    def remove(self, name: str) -> None:
        """Delete a profile (the user asked to)."""
        path = self._path(name)
        try:
            os.unlink(path)
        except FileNotFoundError:
            raise NotFound(f"no profile named {name!r}") from None
        except OSError as exc:
            raise StorageError(f"cannot remove {path}: {describe_os_error(exc, self.folder)}") from None

    def export(self, name: str, target: Path | None = None, *, force: bool = False) -> str:
        """The profile as a file others can import or validate; written atomically to `target` if given.

        A target ending in .json gets the plain request fields as JSON; anything else gets TOML with the header.
        ExportRefused when `target` exists and is not a regular file with one name (a FIFO, a device, a symlink,
        a folder, a hard link), or is one and `force` is not given.
        """
        profile = self.load(name)
        if target is not None and target.suffix.lower() == ".json":
            text = json.dumps(profile.values, indent=2, ensure_ascii=False) + "\n"
        else:
            text = render_document(
                KIND, profile.values, created=profile.created, updated=profile.updated, header={"profile": name}
            )
        if target is not None:
            _write_export(target, text, force=force)
        return text

    def import_(
        self,
        source: Path,
        *,
        name: str | None = None,
        include_name: bool = False,
        overwrite: bool = False,
    ) -> Profile:
        """Validate a TOML or JSON file (as a request, the instance name optional) and save it as a profile.

        The profile is named `name`, else the file's stem. ProfileInvalid names the file and every field at
        fault; ProfileExists if the name is taken and not `overwrite`.
        """
        profile_name = check_profile_name(name if name is not None else source.stem)
        if not overwrite and self.exists(profile_name):
            raise ProfileExists(
                f"a profile named {profile_name!r} exists already; pass another --name or --force to replace it"
            )
        data = _read_source(source)
        values = {k: v for k, v in data.items() if include_name or k != NAME_FIELD}
        problems = profile_problems(values)
        if problems:
            raise ProfileInvalid(str(source), problems)
        return self.save(profile_name, values, include_name=include_name, overwrite=overwrite)


def _write_export(target: Path, text: str, *, force: bool) -> None:
    """Write an export to a new file, or (with `force`) over a regular file; never over anything else."""
    try:
        info: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise StorageError(f"cannot write {target}: {describe_os_error(exc, target.parent)}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise ExportRefused(
                f"{target} exists and is {kind_of(info.st_mode)}: the export writes only to a regular file; "
                "choose another FILE, or '-' for standard output"
            )
        if info.st_nlink > 1:
            raise ExportRefused(
                f"{target} has other hard links, which would keep the old text: choose another FILE, or '-' for "
                "standard output"
            )
        if not force:
            raise ExportRefused(f"{target} exists: pass --force to replace it, or choose another FILE")
    try:
        atomic_write_text(target, text, private_folder=False, exclusive=info is None)
    except FileExistsError:
        appeared = f"{target} was created meanwhile: pass --force to replace it, or choose another FILE"
        raise ExportRefused(appeared) from None


def _read_source(source: Path) -> dict[str, Any]:
    """The request fields in a TOML or JSON file; a TOML file's [wizard] header is checked, then dropped.

    ProfileUnreadable when the file cannot be read or is not TOML/JSON holding a table.
    """
    from wizard.requestfile import RequestFileError, load_request_file, read_request_text, tree_problem

    def unreadable(message: str) -> ProfileUnreadable:
        return ProfileUnreadable(str(source), [ProfileProblem("", message)])

    try:
        if source.suffix.lower() != ".toml":
            return load_request_file(source)
        text = read_request_text(source)
    except RequestFileError as exc:
        raise unreadable(str(exc).removeprefix(f"{source}: ")) from None
    try:
        values = parse_document(text, kind=None, require_header=False).values
    except DocumentInvalid as exc:
        raise unreadable(str(exc)) from None
    problem = tree_problem(values)
    if problem:
        raise unreadable(problem)
    return values
