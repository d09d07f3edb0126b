from local_cluster.__main__ import Ports
from serving.processes import port_in_use
from serving.services import ephemeral_port_range


def test_the_cluster_ports_are_distinct_free_and_outside_the_ephemeral_range():
    low, high = ephemeral_port_range()

    ports = Ports.free().all()

    assert len(set(ports)) == len(ports) == 9
    assert all(port < low or port > high for port in ports)
    assert not any(port_in_use(port) for port in ports)
