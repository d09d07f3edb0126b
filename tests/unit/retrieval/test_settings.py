from __future__ import annotations

import pytest

from retrieval.settings import DEFAULT_SETTINGS_FILE, REPO_ROOT, SettingsError, load_settings


def test_the_shipped_settings_load_with_paths_under_the_repo():
    settings = load_settings(DEFAULT_SETTINGS_FILE)

    assert settings.embedding_model == "all-mpnet-base-v2"
    assert settings.index_dir == REPO_ROOT / "var" / "index"
    assert REPO_ROOT / "knowledge" in settings.knowledge_dirs
    assert settings.bands.unsure <= settings.bands.confident


def test_environment_variables_override_the_file(monkeypatch):
    monkeypatch.setenv("ADVISOR_EMBEDDING_MODEL", "/models/other")
    monkeypatch.setenv("ADVISOR_HUMAN_CONTACT", "Ward 7 office")

    settings = load_settings(DEFAULT_SETTINGS_FILE)

    assert (settings.embedding_model, settings.human_contact) == ("/models/other", "Ward 7 office")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("bands: [unclosed", "is not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        (
            "embedding_model: m\nknowledge_dirs: [k]\ningested_dir: i\nindex_dir: x\nhuman_contact: h\n"
            "bands: {confident: 0.3, unsure: 0.5}\n",
            "bands: Value error, bands.unsure must not be above",
        ),
        (
            "embedding_model: m\nknowledge_dirs: [k]\ningested_dir: i\nindex_dir: x\nhuman_contact: h\n"
            "bands: {confident: 0.6, unsure: 0.5}\nunknown_setting: 1\n",
            "unknown_setting: Extra inputs",
        ),
    ],
    ids=["broken YAML", "not a mapping", "bands out of order", "unknown key"],
)
def test_a_malformed_settings_file_gets_a_message_naming_it(tmp_path, content, message):
    path = tmp_path / "retrieval.yml"
    path.write_text(content)

    with pytest.raises(SettingsError, match=message) as error:
        load_settings(path)
    assert str(path) in str(error.value)


def test_a_missing_settings_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match="cannot read the retrieval settings .*nowhere.yml"):
        load_settings(tmp_path / "nowhere.yml")
