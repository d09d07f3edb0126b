"""Printable plan links: they open to the plan they were made for, and nothing else."""

from __future__ import annotations

import pytest

from planning.plan_links import (
    DAYS_VARIABLE,
    SECRET_VARIABLE,
    LinkExpired,
    LinkInvalid,
    PlanLinks,
    shared_key,
)

PLAN = "## Your plan: from billing to revenue cycle manager\n### Now\n1. Learn the revenue cycle."
DAY = 86400


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_link_opens_to_its_plan_until_it_expires():
    clock = Clock()
    links = PlanLinks(
        "a-secret-long-enough", max_age_days=30, site_url="https://intranet.example/", clock=clock
    )
    url = links.url_for(PLAN)
    token = url.removeprefix("https://intranet.example/plans/")

    clock.now += 29 * DAY
    shared = links.open(token)
    clock.now += 2 * DAY

    assert shared.markdown == PLAN and shared.expires_at == 1_790_000_000 + 30 * DAY
    with pytest.raises(LinkExpired):
        links.open(token)


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: t[5:], lambda t: "x"]
)
def test_an_altered_or_foreign_link_is_refused(tamper):
    links = PlanLinks("a-secret-long-enough")
    token = links.token_for(PLAN)

    with pytest.raises(LinkInvalid):
        links.open(tamper(token))
    with pytest.raises(LinkInvalid):
        PlanLinks("another-secret-long-enough").open(token)


def test_the_link_carries_the_plan_alone_and_differs_by_plan():
    links = PlanLinks("a-secret-long-enough")

    assert links.token_for(PLAN) != links.token_for(PLAN + " 2.")
    assert "billing" not in links.token_for(PLAN)  # compressed and encoded, not the words themselves


def test_settings_come_from_the_environment_and_a_bad_lifetime_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv(SECRET_VARIABLE, "from-the-environment")
    monkeypatch.setenv(DAYS_VARIABLE, "7")
    links = PlanLinks.from_environment(tmp_path / "unused.key")

    assert (links.secret, links.max_age_days) == ("from-the-environment", 7)
    monkeypatch.setenv(DAYS_VARIABLE, "soon")
    with pytest.raises(ValueError, match=DAYS_VARIABLE):
        PlanLinks.from_environment(tmp_path / "unused.key")


def test_without_a_secret_every_process_on_the_machine_shares_one_private_key_file(tmp_path):
    path = tmp_path / "var" / "plan-links.key"

    first, second = shared_key(path), shared_key(path)

    assert first == second and len(first) >= 40
    assert path.stat().st_mode & 0o077 == 0


def test_an_empty_or_short_secret_is_refused_so_nobody_can_sign_pages(tmp_path):
    with pytest.raises(ValueError, match="at least 16"):
        PlanLinks("")
    empty = tmp_path / "plan-links.key"
    empty.write_text("")
    with pytest.raises(ValueError, match="delete it"):
        shared_key(empty)
