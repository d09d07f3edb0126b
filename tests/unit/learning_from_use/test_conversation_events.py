from __future__ import annotations

import pytest

from learning_from_use.conversation_events import StoreUnavailable, read_events, tracker_store_url
from serving.processes import free_port


def test_the_store_is_the_bots_own_unless_the_environment_names_another():
    assert tracker_store_url({}) == "sqlite:///var/data/conversations.db"
    assert (
        tracker_store_url({"TRACKER_STORE_URL": "postgresql://a@db/advisor"}) == "postgresql://a@db/advisor"
    )


def test_an_unreachable_database_is_named_without_its_password():
    url = f"postgresql://advisor:s3cret@127.0.0.1:{free_port()}/advisor"

    with pytest.raises(StoreUnavailable) as error:
        read_events(url)

    assert "cannot read the tracker store postgresql://advisor:***@127.0.0.1" in str(error.value)
    assert "s3cret" not in str(error.value)


def test_an_address_that_is_no_database_url_is_explained():
    with pytest.raises(StoreUnavailable, match="is not a database URL"):
        read_events("conversations.db")


def test_rows_another_program_wrote_are_skipped(sqlite_store):
    store = sqlite_store()
    store.session("ana", 1_790_000_000.0)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "insert into events (sender_id, type_name, timestamp, action_name, data) "
            "values ('x', 'slot', 1790000001, 'answer_record', 'not json')"
        )

    assert [e.type_name for e in read_events(store.url)] == ["session_started"]
