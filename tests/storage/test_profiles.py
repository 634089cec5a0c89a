"""Profiles: saving without the instance name, names, validation on import, export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wizard.storage import InvalidName, NotFound, ProfileExists, ProfileInvalid, ProfileStore
from wizard.storage.documents import SCHEMA_VERSION

from .samples import valid_values


@pytest.fixture
def store() -> ProfileStore:
    return ProfileStore()


def test_a_profile_never_holds_the_instance_name_unless_asked(store: ProfileStore) -> None:
    saved = store.save("team-a", valid_values())
    assert "name" not in saved.values and "name" not in store.load("team-a").values
    assert "orders-mq" not in (store.folder / "team-a.toml").read_text()
    kept = store.save("team-b", valid_values(), include_name=True)
    assert kept.values["name"] == "orders-mq" and store.load("team-b").values == valid_values()


def test_a_partial_profile_can_be_saved_from_any_step(store: ProfileStore) -> None:
    store.save("just-network", {"vpc_id": "vpc-1", "subnet_id": ""})
    assert store.load("just-network").values == {"vpc_id": "vpc-1", "subnet_id": ""}


def test_profiles_are_listed_by_name(store: ProfileStore) -> None:
    store.save("b", {"description": "second"})
    store.save("a", valid_values())
    assert [(p.name, p.fields, p.description) for p in store.list()] == [
        ("a", len(valid_values()) - 1, valid_values()["description"]),
        ("b", 1, "second"),
    ]


def test_resaving_keeps_the_created_time_unless_refused(store: ProfileStore) -> None:
    first = store.save("p", {"vpc_id": "a"})
    second = store.save("p", {"vpc_id": "b"})
    assert second.created == first.created and second.updated >= first.updated
    with pytest.raises(ProfileExists, match="exists already"):
        store.save("p", {"vpc_id": "c"}, overwrite=False)
    assert store.load("p").values == {"vpc_id": "b"}


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("prod", True),
        ("prod.eu-west_2", True),
        ("9lives", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("", False),
        (".hidden", False),
        ("-dash", False),
        ("a/b", False),
        ("..", False),
        ("with space", False),
        ("tab\t", False),
        ("prod.toml", False),
        ("émoji", False),
    ],
)
def test_the_profile_name_rule(store: ProfileStore, name: str, allowed: bool) -> None:
    if allowed:
        store.save(name, {"vpc_id": "v"})
        assert store.load(name).name == name
    else:
        with pytest.raises(InvalidName, match="letters, digits"):
            store.save(name, {"vpc_id": "v"})


def test_removing_a_profile(store: ProfileStore) -> None:
    store.save("p", {"vpc_id": "v"})
    store.remove("p")
    with pytest.raises(NotFound, match="no profile named 'p'"):
        store.remove("p")
    assert store.list() == []


def test_an_exported_profile_imports_back_as_it_was(store: ProfileStore, tmp_path: Path) -> None:
    store.save("source", valid_values())
    exported = tmp_path / "shared.toml"
    text = store.export("source", exported)
    assert exported.read_text() == text
    imported = store.import_(exported)
    assert imported.name == "shared" and imported.values == store.load("source").values


def test_a_profile_exports_to_json_without_the_header(store: ProfileStore, tmp_path: Path) -> None:
    store.save("p", valid_values())
    store.export("p", tmp_path / "p.json")
    assert json.loads((tmp_path / "p.json").read_text()) == valid_values(name=None)
    assert store.import_(tmp_path / "p.json", name="again").values == valid_values(name=None)


def test_an_import_without_a_name_is_fine_and_a_name_is_dropped_unless_asked(
    store: ProfileStore, tmp_path: Path
) -> None:
    source = tmp_path / "req.json"
    source.write_text(json.dumps(valid_values(name="1-not-a-valid-name")))
    assert "name" not in store.import_(source).values
    with pytest.raises(ProfileInvalid) as caught:
        store.import_(source, name="with-name", include_name=True)
    assert [p.field for p in caught.value.problems] == ["name"]


def test_an_invalid_import_names_the_file_and_every_field(store: ProfileStore, tmp_path: Path) -> None:
    source = tmp_path / "bad.toml"
    source.write_text('broker_num = "3"\nbrokers_num = 3\nvpc_id = "v"\n')
    with pytest.raises(ProfileInvalid) as caught:
        store.import_(source)
    message = str(caught.value)
    assert message.startswith(f"{source}: not a valid profile")
    fields = {p.field for p in caught.value.problems}
    assert {"broker_num", "brokers_num", "subnet_id"} <= fields and "name" not in fields
    assert "did you mean broker_num" in message
    assert not store.exists("bad")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty"),
        ('vpc_id = "v', "not valid TOML"),
        (f'[wizard]\nschema = {SCHEMA_VERSION + 1}\nkind = "profile"\n', "newer rocketmq-wizard"),
    ],
)
def test_an_unreadable_import_says_why(store: ProfileStore, tmp_path: Path, content: str, reason: str) -> None:
    source = tmp_path / "p.toml"
    source.write_text(content)
    with pytest.raises(ProfileInvalid, match=reason) as caught:
        store.import_(source)
    assert str(source) in str(caught.value)


def test_importing_a_missing_or_odd_file(store: ProfileStore, tmp_path: Path) -> None:
    with pytest.raises(ProfileInvalid, match="no such file"):
        store.import_(tmp_path / "nothing.toml")
    (tmp_path / "p.yaml").write_text("a: 1")
    with pytest.raises(ProfileInvalid, match=r"must end in \.toml or \.json"):
        store.import_(tmp_path / "p.yaml")


def test_an_import_does_not_replace_a_profile_unless_forced(store: ProfileStore, tmp_path: Path) -> None:
    store.save("p", {"vpc_id": "old"})
    source = tmp_path / "p.json"
    source.write_text(json.dumps(valid_values()))
    with pytest.raises(ProfileExists, match="--force"):
        store.import_(source)
    store.import_(source, overwrite=True)
    assert store.load("p").values["vpc_id"] == "vpc-1"


def test_a_corrupt_profile_is_moved_aside_and_the_rest_listed(store: ProfileStore) -> None:
    store.save("good", {"vpc_id": "v"})
    (store.folder / "bad.toml").write_text("vpc_id = ")
    assert [p.name for p in store.list()] == ["good"]
    [problem] = store.problems
    assert problem.moved_to is not None and "not valid TOML" in problem.reason


def test_a_hand_written_profile_without_header_is_read(store: ProfileStore) -> None:
    store.folder.mkdir(parents=True)
    (store.folder / "hand.toml").write_text('vpc_id = "v"\n')
    assert store.load("hand").values == {"vpc_id": "v"}


def test_a_profile_that_cannot_be_loaded_is_reported_not_hidden(
    store: ProfileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("team-a", valid_values())
    store.save("team-b", valid_values())
    real_load = store.load

    def load(name: str) -> object:
        if name == "team-b":
            raise InvalidName("team-b: profile names must not hold a secret")
        return real_load(name)

    monkeypatch.setattr(store, "load", load)
    assert [p.name for p in store.list()] == ["team-a"]
    assert len(store.problems) == 1
    assert "team-b" in str(store.problems[0])


def test_exporting_into_a_users_folder_leaves_that_folder_as_it_was(store: ProfileStore, tmp_path: Path) -> None:
    store.save("team-a", valid_values())
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    store.export("team-a", shared / "team-a.toml")
    assert shared.stat().st_mode & 0o777 == 0o755
    assert (shared / "team-a.toml").stat().st_mode & 0o777 == 0o600
