#!/usr/bin/env python3
"""A TCP forwarder on 127.0.0.1 that adds a fixed one-way delay in each direction: a userspace stand-in for
`tc qdisc ... netem delay`, which this machine kind cannot use.

    python3 bench/delay_proxy.py LISTEN_PORT TARGET_PORT [DELAY_MS]   (default 25)

Every chunk read from one side is written to the other DELAY_MS after it was read, in order: the delay is
latency, not a bandwidth cap (chunks in flight overlap). The TCP handshake costs what it costs on a real link
too: the client's connect returns at once here, so the connection to the target is made three one-way delays
later (SYN, SYN-ACK, ACK) and nothing the client sent reaches the target earlier; the target's first bytes then
reach the client two round trips after its connect, as over a real link. A half-close is passed on after the
data before it.
"""
import asyncio
import socket
import sys

CLOSE = object()


def nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def pump(reader, queue, delay, loop):
    """Reads chunks as they come and stamps each with the time it may be delivered."""
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            queue.put_nowait((loop.time() + delay, data))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait((loop.time() + delay, CLOSE))


async def deliver(queue, writer, loop):
    """Writes each chunk at its stamped time; the stamps only grow, so the order is kept."""
    try:
        while True:
            at, data = await queue.get()
            wait = at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is CLOSE:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass


async def handle(client_reader, client_writer, target_port, delay):
    loop = asyncio.get_running_loop()
    nodelay(client_writer)
    upstream = asyncio.Queue()
    # What the client sends during the emulated handshake waits in the queue.
    pump_up = asyncio.create_task(pump(client_reader, upstream, delay, loop))
    await asyncio.sleep(3 * delay)
    try:
        target_reader, target_writer = await asyncio.open_connection("127.0.0.1", target_port)
    except OSError:
        pump_up.cancel()
        client_writer.close()
        return
    nodelay(target_writer)
    downstream = asyncio.Queue()
    tasks = [pump_up, asyncio.create_task(deliver(upstream, target_writer, loop)),
             asyncio.create_task(pump(target_reader, downstream, delay, loop)),
             asyncio.create_task(deliver(downstream, client_writer, loop))]
    await asyncio.gather(*tasks, return_exceptions=True)
    for writer in (client_writer, target_writer):
        writer.close()


async def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    delay = (float(sys.argv[3]) if len(sys.argv) > 3 else 25.0) / 1000
    server = await asyncio.start_server(lambda r, w: handle(r, w, target_port, delay), "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
