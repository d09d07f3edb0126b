from serving.processes import port_in_use
from serving.services import ephemeral_port_range, free_port_block


def test_a_port_block_is_free_and_below_the_ports_outgoing_connections_take():
    low, high = ephemeral_port_range()
    assert 1024 < low < high

    for _ in range(20):
        first = free_port_block(6)
        assert first + 6 <= low
        assert not any(port_in_use(port) for port in range(first, first + 6))
