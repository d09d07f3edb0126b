import pytest

from handoff.settings import DEFAULT_OFFICE, HandoffSettings, HandoffSettingsError


def test_with_no_destination_no_person_is_offered():
    settings = HandoffSettings.from_environment({})

    assert not settings.on
    assert settings.office == DEFAULT_OFFICE and settings.store_url.endswith("var/data/handoff.db")


def test_each_destination_is_read_from_its_variables():
    settings = HandoffSettings.from_environment({
        "HANDOFF_SLACK_CHANNEL": "C0OFFICE", "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "HANDOFF_EMAIL_TO": "careers@hospital.example",
        "HANDOFF_SMTP_HOST": "mail", "HANDOFF_SMTP_PORT": "2525",
        "HANDOFF_WEBHOOK_URL": "https://desk.example/hook", "HANDOFF_OFFICE_TIMEZONE": "Europe/London",
    })  # fmt: skip

    assert settings.on
    assert (settings.slack.channel, settings.slack.token, settings.slack.api_url) == (
        "C0OFFICE", "xoxb-1", "http://127.0.0.1:9/api/",
    )  # fmt: skip
    assert (settings.email.to, settings.email.host, settings.email.port) == (
        "careers@hospital.example",
        "mail",
        2525,
    )
    assert settings.webhook_url == "https://desk.example/hook"
    assert str(settings.timezone) == "Europe/London"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"HANDOFF_SLACK_CHANNEL": "C0OFFICE"}, "SLACK_BOT_TOKEN"),
        ({"HANDOFF_EMAIL_TO": "a@b.example"}, "HANDOFF_SMTP_HOST"),
        (
            {"HANDOFF_EMAIL_TO": "a@b.example", "HANDOFF_SMTP_HOST": "m", "HANDOFF_SMTP_PORT": "smtp"},
            "HANDOFF_SMTP_PORT",
        ),
        ({"HANDOFF_WEBHOOK_URL": "desk.example/hook"}, "HANDOFF_WEBHOOK_URL"),
        ({"HANDOFF_OFFICE_HOURS": "9 to 5"}, "HANDOFF_OFFICE_HOURS"),
        ({"HANDOFF_OFFICE_TIMEZONE": "Mars/Olympus"}, "HANDOFF_OFFICE_TIMEZONE"),
    ],
)  # fmt: skip
def test_a_malformed_setting_is_refused_naming_its_variable(environ, named):
    with pytest.raises(HandoffSettingsError, match=named):
        HandoffSettings.from_environment(environ)
