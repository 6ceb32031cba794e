"""The environment is the lock, and the lock is pyproject.toml's.

`make install` installs requirements/dev.lock with its hashes; these tests fail as soon as the
environment the suite runs in drifts from it (a package upgraded, added or missing by hand), or
the locks no longer satisfy the bounds in pyproject.toml (a dependency added without `make lock`).
"""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
DEV_LOCK = ROOT / "requirements" / "dev.lock"
PROD_LOCK = ROOT / "requirements" / "prod.lock"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# A venv starts with these, and pip builds the editable project with them; none is imported.
BOOTSTRAP = {"pip", "setuptools", "wheel"}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+?)(?:\s*\\)?$")


def read_lock(path):
    """{canonical name: (Version, hashes)} of a lock file written by `make lock`."""
    pins = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match["name"])
            assert current not in pins, f"{path.name} pins {current} twice"
            pins[current] = (Version(match["version"]), [])
        elif line.strip().startswith("--hash=") and current:
            pins[current][1].append(line.strip().removeprefix("--hash=").rstrip(" \\"))
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"{path.name}: a line that is neither a pin nor a hash: {line!r}")
    return pins


def installed():
    """{canonical name: Version} of every distribution importable here."""
    versions = {}
    for dist in metadata.distributions():
        # The first on sys.path is the one imported; a nameless one is a broken leftover.
        if dist.metadata["Name"]:
            versions.setdefault(canonicalize_name(dist.metadata["Name"]), Version(dist.version))
    return versions


def declared(*extras):
    """The requirements of pyproject.toml: the dependencies and those of ``extras``."""
    texts = list(PROJECT["dependencies"])
    for extra in extras:
        texts += PROJECT["optional-dependencies"][extra]
    requirements = [Requirement(text) for text in texts]
    # "bantin[s3,redis]" in dev names the project's own extras, which are listed here too.
    return [req for req in requirements if canonicalize_name(req.name) != PROJECT["name"]]


@pytest.fixture(scope="module")
def dev_pins():
    return read_lock(DEV_LOCK)


@pytest.fixture(scope="module")
def prod_pins():
    return read_lock(PROD_LOCK)


def test_every_pin_is_installed_at_its_version(dev_pins):
    here = installed()
    wrong = {
        name: f"locked {version}, installed {here.get(name, 'nothing')}"
        for name, (version, _) in dev_pins.items()
        if here.get(name) != version
    }
    assert not wrong, f"the environment differs from {DEV_LOCK.name}; run `make install`: {wrong}"


def test_nothing_is_installed_beyond_the_lock(dev_pins):
    extra = set(installed()) - set(dev_pins) - BOOTSTRAP - {PROJECT["name"]}
    assert not extra, f"installed but not in {DEV_LOCK.name}; run `make install`: {sorted(extra)}"


@pytest.mark.parametrize(
    ("lock", "extras"), [(DEV_LOCK, ("dev", "s3", "redis")), (PROD_LOCK, ("s3", "redis"))]
)
def test_the_lock_satisfies_pyproject(lock, extras):
    pins = read_lock(lock)
    unmet = []
    for req in declared(*extras):
        if req.marker is not None and not req.marker.evaluate():
            continue
        pin = pins.get(canonicalize_name(req.name))
        if pin is None or not req.specifier.contains(pin[0], prereleases=True):
            unmet.append(str(req))
    assert not unmet, f"{lock.name} is older than pyproject.toml; run `make lock`: {unmet}"


def test_every_pin_is_hashed(dev_pins, prod_pins):
    unhashed = [name for pins in (dev_pins, prod_pins) for name, (_, h) in pins.items() if not h]
    assert not unhashed, f"pins without hashes, which `pip --require-hashes` refuses: {unhashed}"


def test_production_runs_the_versions_ci_tested(dev_pins, prod_pins):
    differ = {
        name: f"prod {version}, dev {dev_pins.get(name, ('nothing',))[0]}"
        for name, (version, _) in prod_pins.items()
        if dev_pins.get(name, (None,))[0] != version
    }
    assert not differ, f"{PROD_LOCK.name} strays from {DEV_LOCK.name}; run `make lock`: {differ}"
