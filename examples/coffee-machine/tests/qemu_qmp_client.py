"""Orders coffee from the machine on the unix socket argv[1] with qemu.qmp, QEMU's own
Python client, and prints what it saw as one JSON object."""

import asyncio
import json
import sys

from qemu.qmp import ExecuteError, QMPClient


async def order(socket):
    seen = {}
    client = QMPClient("coffee-test")
    await client.connect(socket)
    seen["version"] = client.greeting.QMP.version["qemu"]
    seen["status"] = await client.execute("query-status")
    with client.listener("DRINK_READY") as listener:
        seen["brew"] = await client.execute("brew", {"kind": "espresso", "shots": 1})
        event = await asyncio.wait_for(listener.get(), 10)
        seen["event"] = {"event": event["event"], "data": event["data"]}
    try:
        await client.execute("brew", {"kind": "tea"})
    except ExecuteError as error:
        seen["error"] = error.error_class
    seen["after"] = await client.execute("query-status")
    await client.disconnect()
    print(json.dumps(seen))


# A server that stops answering fails the test instead of hanging it.
asyncio.run(asyncio.wait_for(order(sys.argv[1]), 30))
