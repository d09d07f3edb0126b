"""The atomic Redis lock store against a real Redis: many Rasa servers' worth of threads
asking for one conversation's lock at once get distinct tickets and never overlap."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from components.conversation_locks import AtomicRedisLockStore
from serving.services import Redis

CONTENDERS = 16


@pytest.fixture(scope="module")
def redis() -> Iterator[Redis]:
    server = Redis().start()  # Debian's redis-server (make services)
    yield server
    server.stop()


def store(redis: Redis) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=redis.port, db=0))


def at_once(work, count: int = CONTENDERS) -> list:
    """Runs `work(i)` in `count` threads released together, as separate servers would."""
    start, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        start.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_tickets_issued_at_the_same_moment_are_all_different(redis):
    stores = [store(redis) for _ in range(CONTENDERS)]

    tickets = at_once(lambda i: stores[i].issue_ticket("same-person"))

    assert sorted(tickets) == list(range(CONTENDERS))


def test_messages_for_one_conversation_are_handled_one_at_a_time(redis):
    stores = [store(redis) for _ in range(CONTENDERS)]
    inside, overlaps, handled = [0], [0], [0]
    guard = threading.Lock()

    async def handle(i: int) -> None:
        async with stores[i].lock("busy-person", wait_time_in_seconds=0.01):
            with guard:
                inside[0] += 1
                overlaps[0] += inside[0] > 1
            await asyncio.sleep(0.01)
            with guard:
                inside[0] -= 1
                handled[0] += 1

    at_once(lambda i: asyncio.run(handle(i)))

    assert handled[0] == CONTENDERS and overlaps[0] == 0


def test_it_is_rasas_redis_lock_store_and_reads_its_endpoint_settings(redis):
    created = store(redis)

    assert isinstance(created, RedisLockStore)
    assert created.red.connection_pool.connection_kwargs["port"] == redis.port
