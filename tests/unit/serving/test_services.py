import pytest

from serving import services
from serving.processes import port_in_use
from serving.services import ephemeral_port_range, free_port_block


def test_a_port_block_is_free_and_outside_the_ports_outgoing_connections_take():
    low, high = ephemeral_port_range()

    for _ in range(20):
        first = free_port_block(6)
        assert first >= 1024 and (first + 6 <= low or first > high)
        assert not any(port_in_use(port) for port in range(first, first + 6))


@pytest.mark.parametrize(
    ("ephemeral", "allowed"),
    [
        ((32768, 60999), range(20_000, 32768 - 6)),
        ((1024, 60999), range(61000, 65536 - 6)),  # no room below without privileged ports
        ((40000, 65535), range(20_000, 40000 - 6)),
        ((12000, 60999), range(1024, 12000 - 6)),
    ],
)
def test_the_block_goes_below_the_ephemeral_range_when_there_is_room_else_above(
    monkeypatch, ephemeral, allowed
):
    monkeypatch.setattr(services, "ephemeral_port_range", lambda: ephemeral)
    monkeypatch.setattr(services, "port_in_use", lambda port: False)

    assert all(free_port_block(6) in allowed for _ in range(50))


def test_no_room_outside_the_ephemeral_range_is_an_error(monkeypatch):
    monkeypatch.setattr(services, "ephemeral_port_range", lambda: (1024, 65535))

    with pytest.raises(RuntimeError, match="no room for 6 ports"):
        free_port_block(6)
