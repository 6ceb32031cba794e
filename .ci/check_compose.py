"""Check docker-compose.yml without a Docker engine.

1. It is valid against the Compose specification's JSON schema, vendored in .ci/schema/.
2. It runs what the project needs: web (gunicorn, production settings, /healthz probe),
   db (PostgreSQL 16 on a named volume, pg_isready probe), worker (manage.py task_worker),
   the media volume shared by web and worker, every named volume declared.
3. Its variables agree with the settings and .env.example: every ${VAR} it uses is documented
   in .env.example; every variable it passes to the app is read by the settings; every variable
   the settings read is documented; nothing stale is documented; the variables production
   requires are filled in.

Usage: python .ci/check_compose.py [--compose FILE] [--env-example FILE]
Exit status 0 when everything holds, 1 with one line per problem otherwise.
"""

import argparse
import ast
import json
import re
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "schema" / "compose-spec.json"
# Files whose environment reads make up "the settings".
SETTINGS_FILES = [
    *sorted((ROOT / "config" / "settings").glob("*.py")),
    ROOT / "config" / "gunicorn.py",
]
# Read by docker compose itself, not by the application.
COMPOSE_VARIABLES = {"COMPOSE_PROJECT_NAME"}
ENV_READERS = {"get", "getenv", "env_bool", "env_list"}
REFERENCE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
DOCUMENTED = re.compile(r"^\s*#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
SET = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)


def settings_variables(files=SETTINGS_FILES):
    """Names of the environment variables the settings read, and those production requires."""
    read, required = set(), set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                first = node.args[0] if node.args else None
                if name in ENV_READERS and isinstance(first, ast.Constant):
                    if isinstance(first.value, str):
                        read.add(first.value)
                # dj_database_url.config() reads DATABASE_URL unless told another name.
                if name == "config" and getattr(func.value, "id", None) == "dj_database_url":
                    env = [k.value.value for k in node.keywords if k.arg == "env"]
                    read.add(env[0] if env else "DATABASE_URL")
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                if ast.unparse(node.value) == "os.environ":
                    read.add(node.slice.value)
            elif isinstance(node, ast.For) and getattr(node.target, "id", None) == "required":
                if isinstance(node.iter, ast.Tuple | ast.List):
                    required |= {elt.value for elt in node.iter.elts}
    return read, required


def app_services(compose):
    """The services built from this project (web, worker, migrate)."""
    return {
        name: service
        for name, service in compose.get("services", {}).items()
        if "build" in service or str(service.get("image", "")).startswith("bantin")
    }


def command_text(service):
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def healthcheck_text(service):
    test = (service.get("healthcheck") or {}).get("test", "")
    return " ".join(test) if isinstance(test, list) else str(test)


def named_volumes(service):
    names = []
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, _, target = volume.partition(":")
            if source and not source.startswith((".", "/", "~")):
                names.append((source, target.split(":")[0]))
        elif isinstance(volume, dict) and volume.get("type", "volume") == "volume":
            if volume.get("source"):
                names.append((volume["source"], volume.get("target", "")))
    return names


def check_structure(compose):
    errors = []
    services = compose.get("services", {})
    for needed in ("web", "db", "worker"):
        if needed not in services:
            errors.append(f"service {needed!r} is missing")
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume, _ in named_volumes(service):
            if volume not in declared:
                errors.append(f"service {name!r} mounts volume {volume!r}, not declared")
        depends = service.get("depends_on") or []
        for other in depends if isinstance(depends, list) else depends.keys():
            if other not in services:
                errors.append(f"service {name!r} depends on unknown service {other!r}")
    apps = app_services(compose)
    for name, service in apps.items():
        env_files = service.get("env_file", [])
        env_files = [env_files] if isinstance(env_files, str) else env_files
        if ".env" not in env_files:
            errors.append(f"service {name!r} does not read env_file .env")
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.partition("=")[::2] for item in environment)
        if environment.get("DJANGO_SETTINGS_MODULE") != "config.settings.prod":
            errors.append(f"service {name!r} does not use config.settings.prod")
    if "web" in services:
        web = services["web"]
        if "gunicorn" not in command_text(web) or "config.wsgi" not in command_text(web):
            errors.append("service 'web' does not run gunicorn config.wsgi")
        if "/healthz" not in healthcheck_text(web):
            errors.append("service 'web' has no healthcheck on /healthz")
    if "worker" in services and "task_worker" not in command_text(services["worker"]):
        errors.append("service 'worker' does not run manage.py task_worker")
    if "db" in services:
        db = services["db"]
        if not str(db.get("image", "")).startswith("postgres:16"):
            errors.append("service 'db' is not postgres:16")
        if not named_volumes(db):
            errors.append("service 'db' keeps its data outside a named volume")
        if "pg_isready" not in healthcheck_text(db):
            errors.append("service 'db' has no pg_isready healthcheck")
    if "web" in services and "worker" in services:
        web_media = {v for v, target in named_volumes(services["web"]) if target == "/app/media"}
        worker_media = {
            v for v, target in named_volumes(services["worker"]) if target == "/app/media"
        }
        if not web_media or web_media != worker_media:
            errors.append("web and worker do not share one media volume at /app/media")
    return errors


def check_variables(compose, compose_text, env_example_text, settings_files=SETTINGS_FILES):
    errors = []
    read, required = settings_variables(settings_files)
    documented = set(DOCUMENTED.findall(env_example_text))
    filled = {name for name, value in SET.findall(env_example_text) if value.strip()}
    references = set(REFERENCE.findall(compose_text))
    passed = set()
    for service in app_services(compose).values():
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.partition("=")[::2] for item in environment)
        passed |= set(environment)

    for name in sorted(references - documented):
        errors.append(f"docker-compose.yml uses ${{{name}}}, not in .env.example")
    for name in sorted(passed - read - {"DJANGO_SETTINGS_MODULE"}):
        errors.append(f"docker-compose.yml passes {name} to the app, but no setting reads it")
    for name in sorted(read - documented - {"DJANGO_SETTINGS_MODULE"}):
        errors.append(f"the settings read {name}, not in .env.example")
    for name in sorted(documented - read - references - COMPOSE_VARIABLES):
        errors.append(f".env.example lists {name}, read by neither the settings nor compose")
    for name in sorted(required - filled):
        errors.append(f"production requires {name}: .env.example must set it")
    return errors


def check(compose_path, env_example_path, settings_files=SETTINGS_FILES):
    """Every problem found, as one sentence each; empty when the stack is sound."""
    compose_text = Path(compose_path).read_text(encoding="utf-8")
    try:
        compose = yaml.safe_load(compose_text)
    except yaml.YAMLError as error:
        return [f"docker-compose.yml is not YAML: {error}"]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [
        f"schema: {'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in jsonschema.Draft201909Validator(schema).iter_errors(compose)
    ]
    if errors:
        return errors
    env_example_text = Path(env_example_path).read_text(encoding="utf-8")
    return check_structure(compose) + check_variables(
        compose, compose_text, env_example_text, settings_files
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compose", default=ROOT / "docker-compose.yml", type=Path)
    parser.add_argument("--env-example", default=ROOT / ".env.example", type=Path)
    args = parser.parse_args(argv)
    errors = check(args.compose, args.env_example)
    for error in errors:
        print(f"{args.compose.name}: {error}", file=sys.stderr)
    if errors:
        return 1
    print(f"{args.compose.name}: valid, and agrees with the settings and {args.env_example.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
