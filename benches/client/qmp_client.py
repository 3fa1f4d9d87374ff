"""One measured run of Python's qemu.qmp client, for the client benchmark.

usage: python qmp_client.py --socket PATH [--socket PATH...] --callers N --per-caller N
       [--warm-up N]

Connects a `qemu.qmp.QMPClient` to the first socket, sends `query-status` --warm-up times,
then has --callers asyncio tasks share the connection, each sending it --per-caller times,
and prints one JSON line: the round trips, the CPU time of this process over them (user and
system, `getrusage(RUSAGE_SELF)`), its user part, and their wall time, in nanoseconds. The same arguments and
output as `qapi-client-bench client`.
"""

import argparse
import asyncio
import json
import resource
import time

from qemu.qmp import QMPClient


def cpu_ns():
    """User and system CPU time of this process so far, and its user part."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round((usage.ru_utime + usage.ru_stime) * 1e9), round(usage.ru_utime * 1e9)


async def caller(client, count):
    for _ in range(count):
        await client.execute("query-status")


async def measure(arguments):
    client = QMPClient("bench")
    await client.connect(arguments.socket[0])
    try:
        await caller(client, arguments.warm_up)
        (cpu, user), wall = cpu_ns(), time.perf_counter_ns()
        await asyncio.gather(
            *(caller(client, arguments.per_caller) for _ in range(arguments.callers))
        )
        wall = time.perf_counter_ns() - wall
        cpu, user = (after - before for after, before in zip(cpu_ns(), (cpu, user)))
    finally:
        await client.disconnect()
    return {
        "round_trips": arguments.per_caller * arguments.callers,
        "cpu_ns": cpu,
        "user_ns": user,
        "wall_ns": wall,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", action="append", required=True)
    parser.add_argument("--callers", type=int, required=True)
    parser.add_argument("--per-caller", type=int, required=True)
    parser.add_argument("--warm-up", type=int, default=100)
    print(json.dumps(asyncio.run(measure(parser.parse_args()))))


if __name__ == "__main__":
    main()
