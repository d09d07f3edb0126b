"""serving/supervision.py and exit_listener.py: the supervisord configuration and when an exit
stops everything. supervisord itself runs in the e2e tier (make run, make cluster)."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from serving.exit_listener import RESTART_WINDOW_S, RESTARTS_BEFORE_GIVING_UP, ExitPolicy
from serving.processes import ServerProcess
from serving.supervision import Program, Supervision


def rendered(tmp_path: Path, programs: list[Program]) -> configparser.RawConfigParser:
    config = configparser.RawConfigParser()
    config.read_string(Supervision(tmp_path, programs).config())
    return config


def test_each_program_runs_its_command_with_its_own_settings_and_percent_signs_survive(tmp_path):
    server = ServerProcess(["rasa", "run", "--cors", "http://a b"], env={"RASA_CORS": '50% off, "x"'})
    config = rendered(tmp_path, [Program("rasa", server)])

    command = config["program:rasa"]["command"].replace("%%", "%")
    assert shlex.split(command) == ["env", 'RASA_CORS=50% off, "x"', "rasa", "run", "--cors", "http://a b"]
    assert config["program:rasa"]["stopasgroup"] == "false"
    assert config["program:rasa"]["killasgroup"] == "true"


def test_replicas_are_restarted_and_other_servers_are_not(tmp_path):
    programs = [
        Program("rasa-1", ServerProcess(["rasa"]), restart=True),
        Program("site", ServerProcess(["site"]), log=tmp_path / "site.log"),
    ]
    config = rendered(tmp_path, programs)

    assert config["program:rasa-1"]["autorestart"] == "true"
    assert config["program:site"]["autorestart"] == "false"
    assert config["program:site"]["stdout_logfile"] == str(tmp_path / "site.log")
    assert config["program:rasa-1"]["stdout_logfile"] == "/dev/stdout"
    assert shlex.split(config["eventlistener:exits"]["command"])[-1] == "rasa-1"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_server_that_is_not_restarted_stops_everything_when_it_exits():
    assert ExitPolicy(restarted={"rasa-1"}).stops_everything("site")


def test_a_replica_is_restarted_until_it_crashes_too_often_in_the_window():
    clock = Clock()
    policy = ExitPolicy(restarted={"rasa-1"}, now=clock)
    for _ in range(RESTARTS_BEFORE_GIVING_UP):
        assert not policy.stops_everything("rasa-1")
        clock.now += 1
    assert policy.stops_everything("rasa-1")

    spaced_out = ExitPolicy(restarted={"rasa-1"}, now=clock)
    for _ in range(3 * RESTARTS_BEFORE_GIVING_UP):
        assert not spaced_out.stops_everything("rasa-1")
        clock.now += RESTART_WINDOW_S
