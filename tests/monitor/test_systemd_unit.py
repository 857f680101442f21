"""The example systemd unit and its environment file, as systemd would start them: every
setting is read at start, and what the example leaves unset is either refused in one line
(and not restarted in a loop) or means "none", never a monitor that starts and then fails at
its first check or its first alert."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.report import PROJECT_ROOT

UNIT = PROJECT_ROOT / "deploy/systemd/portal-sentinel-monitor.service"
ENV_EXAMPLE = PROJECT_ROOT / "deploy/systemd/monitor.env.example"
SENTINEL = Path(sys.executable).with_name("sentinel")
TOKEN = "a-staging-token-of-32-characters"


def service_setting(name: str) -> str:
    """A setting of the unit's [Service] section, its continuation lines joined."""
    text = UNIT.read_text(encoding="utf-8").replace("\\\n", " ")
    [value] = re.findall(rf"^{name}=(.*)$", text, flags=re.MULTILINE)
    return value.strip()


def environment_file(text: str) -> dict[str, str]:
    """``NAME=value`` lines as systemd's EnvironmentFile reads them (comments skipped)."""
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            found[name.strip()] = value.strip()
    return found


def expand(command: str, env: dict[str, str]) -> list[str]:
    """ExecStart's words as systemd expands them: ``${NAME}`` as a whole word is one
    argument, empty when unset; ``$NAME`` as a whole word is split on spaces (none when
    empty)."""
    words = []
    for word in shlex.split(command):
        if (whole := re.fullmatch(r"\$\{(\w+)\}", word)) is not None:
            words.append(env.get(whole.group(1), ""))
        elif (split := re.fullmatch(r"\$(\w+)", word)) is not None:
            words.extend(env.get(split.group(1), "").split())
        else:
            words.append(re.sub(r"\$\{(\w+)\}", lambda m: env.get(m.group(1), ""), word))
    return words


def start(settings: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The unit's ExecStart, with this checkout's ``sentinel``, ``--data`` in ``tmp_path``,
    and ``--dry-run``: every setting checked, nothing started."""
    env_file = tmp_path / "monitor.env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in settings.items()), encoding="utf-8")
    service_env = environment_file(env_file.read_text(encoding="utf-8"))
    argv = expand(service_setting("ExecStart"), service_env)
    assert argv[0] == "/opt/portal-sentinel/.venv/bin/sentinel"
    argv[0] = str(SENTINEL)
    argv[argv.index("--data") + 1] = str(tmp_path / "data")
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("SENTINEL_", "PORTAL"))}
    return subprocess.run(
        [*argv, "--dry-run"],
        env={**inherited, **{k: v for k, v in service_env.items() if v}},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_example_environment_file_sets_every_variable_the_unit_uses() -> None:
    example = environment_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    used = set(re.findall(r"\$\{?(\w+)\}?", service_setting("ExecStart")))
    assert used <= set(example), used - set(example)
    # The secrets travel in the environment, never on the command line `ps` shows.
    assert "SENTINEL_TEST_TOKEN" in example
    assert "SENTINEL_ALERT_WEBHOOK" in example
    assert "--alert-webhook" not in service_setting("ExecStart")


def test_the_example_as_shipped_is_refused_in_one_line_and_not_restarted(tmp_path: Path) -> None:
    """Without a token, the login check could never run: refused at start (exit 2), and
    systemd is told not to restart into the same refusal."""
    shipped = environment_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    done = start(shipped, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert "login" in line
    assert "SENTINEL_TEST_TOKEN" in line
    assert "2" in service_setting("RestartPreventExitStatus").split()


def test_filled_in_without_webhooks_it_starts_with_alerts_in_the_log_only(
    tmp_path: Path,
) -> None:
    """An empty ``SENTINEL_ALERT_WEBHOOK`` means no webhook, not an empty URL that fails at
    the first alert."""
    settings = environment_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    settings["SENTINEL_TEST_TOKEN"] = TOKEN
    done = start(settings, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Alerts: to the log only." in done.stdout
    assert TOKEN not in done.stdout + done.stderr


def test_filled_in_its_webhooks_region_and_links_are_taken(tmp_path: Path) -> None:
    settings = environment_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    settings.update(
        SENTINEL_TEST_TOKEN=TOKEN,
        SENTINEL_ALERT_WEBHOOK="https://hooks.example.org/T0/B0/secret https://chat.example.org/x",
        SENTINEL_REGION="lisbon",
        SENTINEL_PUBLIC_URL="https://mon.example.org",
    )
    done = start(settings, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "Alerts: to 2 webhooks, region lisbon, linking to https://mon.example.org/." in done.stdout
    )
    assert "secret" not in done.stdout


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("SENTINEL_ALERT_WEBHOOK", "hooks.example.org/secret", "$SENTINEL_ALERT_WEBHOOK takes"),
        ("SENTINEL_REGION", "lisbon north", "$SENTINEL_REGION takes a short name"),
        ("SENTINEL_PUBLIC_URL", "mon.example.org", "$SENTINEL_PUBLIC_URL takes"),
        ("PORTAL_URL", "", "--target is empty"),
    ],
)
def test_a_wrong_variable_is_refused_in_one_line_naming_it(
    tmp_path: Path, variable: str, value: str, said: str
) -> None:
    settings = environment_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    settings.update({"SENTINEL_TEST_TOKEN": TOKEN, variable: value})
    done = start(settings, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert said in line
    assert "secret" not in line
